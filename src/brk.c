/* brk — see brk.h. */
#include "brk.h"

#include "diag.h"
#include "mem.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <thai/thbrk.h>
#include <thai/thwbrk.h>
#include <wchar.h>

struct brk {
    ThBrk *thai;
    wchar_t *wide;          /* scratch: one Thai run as wide characters */
    size_t wide_capacity;
    int *positions;         /* scratch: libthai's break positions */
    size_t positions_capacity;
};

brk_t *brk_new(void)
{
    ThBrk *thai = th_brk_new(NULL);
    if (!thai) {
        diag_error("cannot load libthai's word-break dictionary (is libthai-data installed?)");
        return NULL;
    }
    brk_t *brk = mem_zalloc(1, sizeof *brk);
    brk->thai = thai;
    return brk;
}

void brk_free(brk_t *brk)
{
    if (!brk)
        return;
    th_brk_delete(brk->thai);
    free(brk->wide);
    free(brk->positions);
    free(brk);
}

static int is_thai(uint32_t cp)
{
    return cp >= 0x0E00 && cp <= 0x0E7F;
}

int brk_is_extending(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || cp == 0x0E31 || cp == 0x0E33 ||
           (cp >= 0x0E34 && cp <= 0x0E3A) || cp == 0x0E45 || (cp >= 0x0E47 && cp <= 0x0E4E) ||
           cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F);
}

static int is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A);
}

/* Characters that must not start a line. */
static int is_closing(uint32_t cp)
{
    return cp == ')' || cp == ']' || cp == '}' || cp == ',' || cp == '.' || cp == ':' ||
           cp == ';' || cp == '!' || cp == '?' || cp == '%' || cp == 0x201D || cp == 0x2019 ||
           cp == 0xBB || cp == 0x0E46 /* ๆ */ || cp == 0x0E2F /* ฯ */ || cp == '"' ||
           cp == '\'' || cp == 0x2026;
}

/* Characters that must not end a line. */
static int is_opening(uint32_t cp)
{
    return cp == '(' || cp == '[' || cp == '{' || cp == 0x201C || cp == 0x2018 || cp == 0xAB;
}

/* Dashes and hyphens: poppler drops a hyphen that ends a line, so none ends one. */
static int is_dash(uint32_t cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == 0x2012 || cp == 0x2013 ||
           cp == 0x2014 || cp == 0x2212;
}

static int is_glue(uint32_t cp)
{
    return cp == 0x00A0 || cp == 0x2060 || cp == 0x202F || cp == 0xFEFF;
}

/* Marks libthai's word boundaries inside the Thai run cps[from, to). */
static void thai_breaks(brk_t *brk, const uint32_t *cps, const size_t *offsets, size_t from,
                        size_t to, unsigned char *flags)
{
    size_t n = to - from;
    brk->wide = mem_array_grow(brk->wide, &brk->wide_capacity, n + 1, sizeof *brk->wide);
    brk->positions =
        mem_array_grow(brk->positions, &brk->positions_capacity, n + 1, sizeof *brk->positions);
    for (size_t k = 0; k < n; k++)
        brk->wide[k] = (wchar_t)cps[from + k];
    brk->wide[n] = 0;
    int found = th_brk_wc_find_breaks(brk->thai, (const thwchar_t *)brk->wide, brk->positions,
                                      n + 1);
    for (int k = 0; k < found; k++) {
        int p = brk->positions[k];
        if (p > 0 && (size_t)p < n)
            flags[offsets[from + (size_t)p]] |= BRK_ALLOWED;
    }
}

/* Clears break opportunities strictly inside every occurrence of every name. */
static void protect_names(const char *text, size_t len, const char *const *names,
                          size_t name_count, unsigned char *flags)
{
    for (size_t k = 0; k < name_count; k++) {
        size_t nlen = names[k] ? strlen(names[k]) : 0;
        if (nlen == 0 || nlen > len)
            continue;
        for (size_t at = 0; at + nlen <= len; at++) {
            if (memcmp(text + at, names[k], nlen) != 0)
                continue;
            for (size_t i = at + 1; i < at + nlen; i++)
                flags[i] &= (unsigned char)~BRK_ALLOWED;
        }
    }
}

void brk_find(brk_t *brk, const char *text, size_t len, const char *const *names,
              size_t name_count, unsigned char *flags)
{
    memset(flags, 0, len + 1);
    /* Decode once: code points and their byte offsets (offsets[n] == len). */
    uint32_t *cps = mem_alloc((len + 1) * sizeof *cps);
    size_t *offsets = mem_alloc((len + 1) * sizeof *offsets);
    size_t n = 0;
    for (size_t pos = 0; pos < len;) {
        offsets[n] = pos;
        cps[n++] = utf8_decode(text, len, &pos);
    }
    offsets[n] = len;

    /* Grapheme starts, spaces, script boundaries and Thai words. */
    for (size_t i = 0; i < n; i++) {
        if (!brk_is_extending(cps[i]) || i == 0)
            flags[offsets[i]] |= BRK_GRAPHEME;
        if (i > 0 && is_space(cps[i - 1]) && !is_space(cps[i]))
            flags[offsets[i]] |= BRK_ALLOWED;
        if (i > 0 && cps[i - 1] == 0x200B)
            flags[offsets[i]] |= BRK_ALLOWED;
        if (i > 0 && !is_space(cps[i - 1]) && !is_space(cps[i]) &&
            is_thai(cps[i - 1]) != is_thai(cps[i]) && !brk_is_extending(cps[i]))
            flags[offsets[i]] |= BRK_ALLOWED;
    }
    for (size_t i = 0; i < n;) {
        if (!is_thai(cps[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && is_thai(cps[j]))
            j++;
        thai_breaks(brk, cps, offsets, i, j, flags);
        i = j;
    }

    /* Rules that forbid a break, applied last so that they win. */
    for (size_t i = 1; i < n; i++) {
        uint32_t before = cps[i - 1], after = cps[i];
        int forbid = brk_is_extending(after) || is_closing(after) || is_opening(before) ||
                     is_glue(before) || is_glue(after) || is_space(after) || is_dash(before);
        /* A stand-alone dash ("ติดต่อ - สอบถาม") keeps the word before it: no break after
         * the space that precedes it either. */
        if (is_dash(after) && i + 1 < n && is_space(cps[i + 1]))
            forbid = 1;
        if (is_space(before) && i >= 2 && is_dash(cps[i - 2]) && (i == 2 || is_space(cps[i - 3])))
            forbid = 1;
        if (forbid && before != 0x200B)
            flags[offsets[i]] &= (unsigned char)~BRK_ALLOWED;
    }
    protect_names(text, len, names, name_count, flags);
    flags[0] &= (unsigned char)~BRK_ALLOWED;
    flags[len] = BRK_GRAPHEME;
    free(cps);
    free(offsets);
}
