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
    wchar_t *wide; /* scratch: one Thai run as wide characters */
    size_t wide_capacity;
    int *positions; /* scratch: libthai's break positions */
    size_t positions_capacity;
};

brk_t *brk_new(diag_t *dg)
{
    ThBrk *thai = th_brk_new(NULL);
    if (!thai) {
        diag_fail(dg, NULL, "brk-no-dictionary",
                  "cannot load libthai's word-break dictionary (is libthai-data installed?)");
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

static int is_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0x0E50 && cp <= 0x0E59);
}

/* Letters and digits: what follows the '.' of "พ.ศ." or "84.14" and the ',' of "1,000". */
static int is_alnum(uint32_t cp)
{
    return is_digit(cp) || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= 0x0E01 && cp <= 0x0E2E) || (cp >= 0x0E40 && cp <= 0x0E44);
}

/* SARA E, SARA AE, SARA O, SARA AI MAIMUAN, SARA AI MAIMALAI: written before the
 * consonant they follow in speech, so never separated from it. */
static int is_leading_vowel(uint32_t cp)
{
    return cp >= 0x0E40 && cp <= 0x0E44;
}

/* SARA A and SARA AA: spacing vowels that never start a syllable. */
static int is_following_vowel(uint32_t cp)
{
    return cp == 0x0E30 || cp == 0x0E32;
}

/* Quotation marks that open or close by their context (ASCII " and '). */
static int is_ambiguous_quote(uint32_t cp)
{
    return cp == '"' || cp == '\'';
}

/* Characters that must not start a line. */
static int is_closing(uint32_t cp)
{
    return cp == ')' || cp == ']' || cp == '}' || cp == ',' || cp == '.' || cp == ':' ||
           cp == ';' || cp == '!' || cp == '?' || cp == '%' || cp == '/' || cp == 0x201D ||
           cp == 0x2019 || cp == 0xBB || cp == 0x0E46 /* ๆ */ || cp == 0x0E2F /* ฯ */ ||
           cp == 0x2026;
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

/* Thai abbreviations written with PAIYANNOI, never broken inside: ฯลฯ ("etc.", which
 * libthai splits as ฯ|ลฯ) and ฯพณฯ ("His Excellency", which opens a phrase). */
static const char *const thai_abbreviations[] = {"ฯลฯ", "ฯพณฯ"};

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
    int found =
        th_brk_wc_find_breaks(brk->thai, (const thwchar_t *)brk->wide, brk->positions, n + 1);
    for (int k = 0; k < found; k++) {
        int p = brk->positions[k];
        if (p > 0 && (size_t)p < n)
            flags[offsets[from + (size_t)p]] |= BRK_ALLOWED;
    }
}

/* each_occurrence calls fn with the code point range [first, end) of every place where a
 * name occurs. */
typedef void name_fn(const uint32_t *cps, const size_t *offsets, size_t n, size_t first, size_t end,
                     unsigned char *flags);

static void each_occurrence(const char *text, const uint32_t *cps, const size_t *offsets, size_t n,
                            const char *name, name_fn *fn, unsigned char *flags)
{
    size_t nlen = name ? strlen(name) : 0;
    size_t len = offsets[n];
    if (nlen == 0 || nlen > len)
        return;
    for (size_t i = 0; i < n && offsets[i] + nlen <= len; i++) {
        if (memcmp(text + offsets[i], name, nlen) != 0)
            continue;
        size_t j = i;
        while (offsets[j] < offsets[i] + nlen)
            j++;
        fn(cps, offsets, n, i, j, flags);
    }
}

/* Clears break opportunities strictly inside an occurrence. */
static void clear_inside(const uint32_t *cps, const size_t *offsets, size_t n, size_t first,
                         size_t end, unsigned char *flags)
{
    (void)cps;
    (void)n;
    for (size_t i = first + 1; i < end; i++)
        flags[offsets[i]] &= (unsigned char)~BRK_ALLOWED;
}

/* Clears breaks and grapheme starts strictly inside a short unit such as ฯลฯ. */
static void clear_unit(const uint32_t *cps, const size_t *offsets, size_t n, size_t first,
                       size_t end, unsigned char *flags)
{
    (void)cps;
    (void)n;
    for (size_t i = first + 1; i < end; i++)
        flags[offsets[i]] &= (unsigned char)~(BRK_ALLOWED | BRK_GRAPHEME);
}

/* Thai letters that can start a word: consonants and leading vowels. */
static int starts_thai_word(uint32_t cp)
{
    return (cp >= 0x0E01 && cp <= 0x0E2E) || is_leading_vowel(cp);
}

/* A name the dictionary does not know can swallow its Thai neighbours ("ตำบลเสอเพลออำเภอ"
 * has no break after the name): its edges between Thai letters are word boundaries. */
static void allow_edges(const uint32_t *cps, const size_t *offsets, size_t n, size_t first,
                        size_t end, unsigned char *flags)
{
    size_t edges[2] = {first, end};
    for (size_t k = 0; k < 2; k++) {
        size_t e = edges[k];
        if (e == 0 || e >= n)
            continue;
        if (is_thai(cps[e - 1]) && !is_leading_vowel(cps[e - 1]) && starts_thai_word(cps[e]))
            flags[offsets[e]] |= BRK_ALLOWED;
    }
}

/* Whether the ASCII quote at i opens a quotation: at the start, after a space or an
 * opening bracket. */
static int quote_opens(const uint32_t *cps, size_t i)
{
    return i == 0 || is_space(cps[i - 1]) || is_opening(cps[i - 1]);
}

/* PAIYANNOI closes a word ("กรุงเทพฯ", "ฯลฯ") except when it starts ฯพณฯ. */
static int starts_phanaeo(const uint32_t *cps, size_t n, size_t i)
{
    return i + 3 < n && cps[i] == 0x0E2F && cps[i + 1] == 0x0E1E && cps[i + 2] == 0x0E13 &&
           cps[i + 3] == 0x0E2F;
}

/* What the rules say about a break before code point i (0 < i < n). */
typedef enum rule {
    RULE_NONE,      /* nothing against it */
    RULE_NO_BREAK,  /* no line break here while the line has another one */
    RULE_NO_CLUSTER /* not even an emergency break inside a word longer than the line */
} rule_t;

static rule_t rule_before(const uint32_t *cps, size_t n, size_t i)
{
    uint32_t before = cps[i - 1], after = cps[i];
    /* Nothing starts a line that closes something; nothing ends one that opens. */
    if (is_closing(after) && !starts_phanaeo(cps, n, i))
        return RULE_NO_CLUSTER;
    if (is_ambiguous_quote(after) && !quote_opens(cps, i))
        return RULE_NO_CLUSTER;
    if (is_opening(before) || (is_ambiguous_quote(before) && quote_opens(cps, i - 1)))
        return RULE_NO_CLUSTER;
    /* A leading vowel keeps the letter after it. */
    if (is_leading_vowel(before) && !is_space(after))
        return RULE_NO_CLUSTER;
    /* "พ.ศ.", "www.nacc.go.th", "84.14", "1,000", "10:30". */
    if ((before == '.' || before == ',' || before == ':') && is_alnum(after))
        return RULE_NO_CLUSTER;
    /* Dashes and hyphens: none ends a line (poppler drops it), even with spaces after it
     * ("ติดต่อ - สอบถาม"); an attached one ("E-Service") does not start one either. */
    if (is_dash(before) || (is_dash(after) && !is_space(before)))
        return RULE_NO_CLUSTER;
    size_t k = i;
    while (k > 0 && is_space(cps[k - 1]))
        k--;
    if (k < i && k > 0 && is_dash(cps[k - 1]))
        return RULE_NO_CLUSTER;
    /* The rest only while the line has a better break: inside a grapheme cluster there is
     * never a grapheme start anyway; before a space (the break comes after the spaces);
     * around glue; inside a syllable (SARA A and SARA AA keep the letter before them);
     * inside a number ("๒๕๖๖", "3/2566"). */
    if (brk_is_extending(after) || is_space(after) || is_glue(before) || is_glue(after) ||
        is_following_vowel(after) || (is_digit(before) && is_digit(after)) ||
        (before == '/' && is_digit(after)))
        return RULE_NO_BREAK;
    return RULE_NONE;
}

void brk_find(brk_t *brk, const char *text, size_t len, const char *const *names, size_t name_count,
              unsigned char *flags)
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
        if (i == 0 || !brk_is_extending(cps[i]))
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
    for (size_t k = 0; k < name_count; k++)
        each_occurrence(text, cps, offsets, n, names[k], allow_edges, flags);

    /* Rules that forbid a break, applied last so that they win; U+200B wins over them.
     * The strong ones also take the grapheme start away from emergency breaks. */
    for (size_t i = 1; i < n; i++) {
        rule_t rule = cps[i - 1] == 0x200B ? RULE_NONE : rule_before(cps, n, i);
        if (rule != RULE_NONE)
            flags[offsets[i]] &= (unsigned char)~BRK_ALLOWED;
        if (rule == RULE_NO_CLUSTER)
            flags[offsets[i]] &= (unsigned char)~BRK_GRAPHEME;
    }
    /* Spaces before a point that no break may use are no emergency break either (the
     * line would break at the spaces all the same). */
    for (size_t i = n; i-- > 1;)
        if (is_space(cps[i]) && i + 1 < n && !(flags[offsets[i + 1]] & BRK_GRAPHEME))
            flags[offsets[i]] &= (unsigned char)~BRK_GRAPHEME;
    for (size_t k = 0; k < sizeof thai_abbreviations / sizeof *thai_abbreviations; k++)
        each_occurrence(text, cps, offsets, n, thai_abbreviations[k], clear_unit, flags);
    for (size_t k = 0; k < name_count; k++)
        each_occurrence(text, cps, offsets, n, names[k], clear_inside, flags);
    flags[0] &= (unsigned char)~BRK_ALLOWED;
    flags[len] = BRK_GRAPHEME;
    free(cps);
    free(offsets);
}
