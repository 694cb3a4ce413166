/* brk — see brk.h. */
#include "brk.h"

#include "datadir.h"
#include "diag.h"
#include "fingerprint.h"
#include "mem.h"
#include "memo.h"
#include "utf8.h"

#include <datrie/trie.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <thai/thbrk.h>
#include <thai/thwbrk.h>
#include <wchar.h>

/* The value the dictionary keeps with a word: which list it came from (the Makefile's
 * rule says the same). libthai's own words have -1. */
enum word_kind { WORD_WHOLE = 1, WORD_PLACE = 2, WORD_LABEL = 3 };

/* libthai's breaks of one Thai run, kept: a batch's reports differ in their figures and
 * names, but most of their Thai runs (the words between spaces, digits and Latin letters)
 * are the same from report to report. libthai sees only the run, so its breaks depend on
 * nothing else. */
typedef struct run_breaks {
    size_t count;
    int found;
    uint32_t *cps; /* count code points, after the positions in the same allocation */
    int positions[];
} run_breaks_t;

typedef struct run_key {
    const uint32_t *cps;
    size_t count;
} run_key_t;

static bool same_run(const void *entry, const void *key)
{
    const run_breaks_t *r = entry;
    const run_key_t *k = key;
    return r->count == k->count && memcmp(r->cps, k->cps, k->count * sizeof *k->cps) == 0;
}

#define RUN_SLOTS 4096 /* a power of two; emptied when half full */

/* One occurrence of a caller-given name: code points [first, end). */
typedef struct span {
    size_t first, end;
} span_t;

struct brk {
    ThBrk *thai;     /* libthai's breaker over the dictionary */
    Trie *words;     /* the project's own words (itareport-words.tri, beside the dictionary) */
    TrieState *walk; /* over words */
    char *dict_path; /* owned */
    Trie *names;     /* the caller-given names, compiled when they change */
    TrieState *names_walk;
    char **name_copies; /* the names the trie was built from */
    size_t name_count;
    /* The code points a name starts with, as bits over the Basic Multilingual Plane (one
     * beyond it is always tried): most positions of a text are ruled out by one test. */
    uint8_t name_starts[0x10000 / 8];
    wchar_t *wide; /* scratch: one Thai run as wide characters */
    size_t wide_capacity;
    int *positions; /* scratch: libthai's break positions */
    size_t positions_capacity;
    uint32_t *cps; /* scratch: the text decoded, and each code point's byte offset */
    size_t cps_capacity;
    size_t *offsets;
    size_t offsets_capacity;
    span_t *spans; /* scratch: names found */
    size_t spans_capacity;
    memo_t runs; /* run_breaks_t, at most RUN_SLOTS */
};

brk_t *brk_new_from(diag_t *dg, const char *data_dir)
{
    char *path = datadir_dict(data_dir);
    if (!path) {
        diag_fail(dg, NULL, "brk-no-word-list",
                  "cannot find the word-break dictionary dict/itareport.tri (run make; "
                  "installed, it is in the data folder)");
        return NULL;
    }
    /* The project's own words, beside it (make builds both): only they are looked up. */
    const char *slash = strrchr(path, '/');
    char *own = mem_printf("%.*sitareport-words.tri", slash ? (int)(slash - path + 1) : 0, path);
    ThBrk *thai = th_brk_new(path);
    Trie *words = thai ? trie_new_from_file(own) : NULL;
    if (!thai || !words) {
        diag_fail(dg, NULL, "brk-bad-word-list", "cannot read the word-break dictionary '%s'",
                  thai ? own : path);
        if (thai)
            th_brk_delete(thai);
        free(own);
        free(path);
        return NULL;
    }
    free(own);
    brk_t *brk = mem_zalloc(1, sizeof *brk);
    memo_init(&brk->runs, RUN_SLOTS, free);
    brk->thai = thai;
    brk->words = words;
    brk->walk = trie_root(words);
    brk->dict_path = path;
    return brk;
}

brk_t *brk_new(diag_t *dg)
{
    return brk_new_from(dg, NULL);
}

const char *brk_dictionary(const brk_t *brk)
{
    return brk->dict_path;
}

static void names_drop(brk_t *brk)
{
    if (brk->names_walk)
        trie_state_free(brk->names_walk);
    if (brk->names)
        trie_free(brk->names);
    for (size_t i = 0; i < brk->name_count; i++)
        free(brk->name_copies[i]);
    free(brk->name_copies);
    brk->names_walk = NULL;
    brk->names = NULL;
    brk->name_copies = NULL;
    brk->name_count = 0;
    memset(brk->name_starts, 0, sizeof brk->name_starts);
}

static bool may_start_name(const brk_t *brk, uint32_t cp)
{
    return cp > 0xFFFF || (brk->name_starts[cp >> 3] >> (cp & 7) & 1);
}

void brk_free(brk_t *brk)
{
    if (!brk)
        return;
    th_brk_delete(brk->thai);
    trie_state_free(brk->walk);
    trie_free(brk->words);
    free(brk->dict_path);
    names_drop(brk);
    free(brk->wide);
    free(brk->positions);
    free(brk->cps);
    free(brk->offsets);
    free(brk->spans);
    memo_free(&brk->runs);
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

static int is_latin(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
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

/* The longest word of trie state s's trie that starts at cps[from] and ends by `to`, with a
 * value of at least min_data (stored in *data); 0 when there is none. One step per code
 * point, and most stop at the first. */
static size_t longest_match(TrieState *s, const uint32_t *cps, size_t from, size_t to,
                            TrieData min_data, TrieData *data)
{
    trie_state_rewind(s);
    size_t best = 0;
    for (size_t k = from; k < to; k++) {
        if (!trie_state_walk(s, (AlphaChar)cps[k]))
            break;
        if (trie_state_is_terminal(s)) {
            TrieData d = trie_state_get_data(s);
            if (d != TRIE_DATA_ERROR && d >= min_data) {
                best = k + 1 - from;
                *data = d;
            }
        }
    }
    return best;
}

/* Thai letters that can start a word: consonants and leading vowels. */
static int starts_thai_word(uint32_t cp)
{
    return (cp >= 0x0E01 && cp <= 0x0E2E) || is_leading_vowel(cp);
}

/* Marks libthai's word boundaries inside the Thai run cps[from, to) of n, then discourages
 * the breaks inside the project's words (libthai may cut a compound it lacks at a word of
 * its own), between a place word and the name after it and between a label and the
 * number or id after it, also across spaces. */
/* libthai's breaks of the run cps[0..count), from the kept ones or found now; the
 * positions stay valid until the next call. Returns their count. */
static int run_breaks(brk_t *brk, const uint32_t *cps, size_t count, const int **positions)
{
    uint64_t h = fingerprint_hash64(cps, count * sizeof *cps);
    run_key_t key = {cps, count};
    const run_breaks_t *kept = memo_find(&brk->runs, h, same_run, &key);
    if (kept) {
        *positions = kept->positions;
        return kept->found;
    }
    for (size_t k = 0; k < count; k++)
        brk->wide[k] = (wchar_t)cps[k];
    brk->wide[count] = 0;
    int found =
        th_brk_wc_find_breaks(brk->thai, (const thwchar_t *)brk->wide, brk->positions, count + 1);
    if (found < 0)
        found = 0;
    run_breaks_t *r =
        mem_alloc(sizeof *r + (size_t)found * sizeof r->positions[0] + count * sizeof *cps);
    r->count = count;
    r->found = found;
    r->cps = (uint32_t *)&r->positions[found];
    memcpy(r->cps, cps, count * sizeof *cps);
    memcpy(r->positions, brk->positions, (size_t)found * sizeof *r->positions);
    memo_add(&brk->runs, h, r);
    *positions = r->positions;
    return found;
}

static void thai_breaks(brk_t *brk, const uint32_t *cps, const size_t *offsets, size_t from,
                        size_t to, size_t n, unsigned char *flags)
{
    /* libthai in pieces of at most THAI_PIECE code points (its cost grows with the square of
     * a run's length: 100 s for 70,000 letters); each piece after the first starts at the
     * last break libthai found in the one before, so no break is made up at a seam. */
    enum { THAI_PIECE = 1024 };
    size_t piece = to - from < THAI_PIECE ? to - from : THAI_PIECE;
    brk->wide = mem_array_grow(brk->wide, &brk->wide_capacity, piece + 1, sizeof *brk->wide);
    brk->positions =
        mem_array_grow(brk->positions, &brk->positions_capacity, piece + 1, sizeof *brk->positions);
    for (size_t start = from; start < to;) {
        size_t count = to - start < THAI_PIECE ? to - start : THAI_PIECE;
        const int *positions = NULL;
        int found = run_breaks(brk, cps + start, count, &positions);
        size_t last = 0;
        for (int k = 0; k < found; k++) {
            int p = positions[k];
            if (p > 0 && (size_t)p < count) {
                flags[offsets[start + (size_t)p]] |= BRK_ALLOWED;
                last = (size_t)p;
            }
        }
        if (start + count == to)
            break;
        start += last > 0 ? last : count;
    }
    /* At the start of every word libthai found, the longest of the project's words. */
    for (size_t k = from; k < to; k++) {
        if (k > from && !(flags[offsets[k]] & BRK_ALLOWED))
            continue;
        TrieData kind = 0;
        size_t len = longest_match(brk->walk, cps, k, to, WORD_WHOLE, &kind);
        if (len == 0)
            continue;
        for (size_t i = k + 1; i < k + len; i++)
            if (flags[offsets[i]] & BRK_ALLOWED)
                flags[offsets[i]] |= BRK_DISCOURAGED;
        if (kind != WORD_PLACE && kind != WORD_LABEL)
            continue;
        size_t next = k + len;
        while (next < n && is_space(cps[next]))
            next++;
        /* A place word keeps the name after it, a label its number, grade or id. */
        bool kept = next < n && (kind == WORD_PLACE ? starts_thai_word(cps[next])
                                                    : is_digit(cps[next]) || is_latin(cps[next]));
        if (kept && (flags[offsets[next]] & BRK_ALLOWED))
            flags[offsets[next]] |= BRK_DISCOURAGED;
    }
}

/* Whether a place word (and spaces) ends just before code point at. */
static bool after_place_word(brk_t *brk, const uint32_t *cps, size_t at)
{
    size_t k = at;
    while (k > 0 && is_space(cps[k - 1]))
        k--;
    enum { LONGEST_PLACE_WORD = 12 };
    for (size_t len = 2; len <= LONGEST_PLACE_WORD && len <= k; len++) {
        TrieData kind = 0;
        if (longest_match(brk->walk, cps, k - len, k, WORD_PLACE, &kind) == len &&
            kind == WORD_PLACE)
            return true;
    }
    return false;
}

/* PAIYANNOI abbreviations never broken inside: ฯลฯ ("etc.", which libthai splits as
 * ฯ|ลฯ) and ฯพณฯ ("His Excellency", which opens a phrase). Both start with ฯ; returns the
 * length of the one at i, or 0. */
static size_t abbreviation_at(const uint32_t *cps, size_t n, size_t i)
{
    if (cps[i] != 0x0E2F)
        return 0;
    if (i + 2 < n && cps[i + 1] == 0x0E25 && cps[i + 2] == 0x0E2F)
        return 3;
    if (i + 3 < n && cps[i + 1] == 0x0E1E && cps[i + 2] == 0x0E13 && cps[i + 3] == 0x0E2F)
        return 4;
    return 0;
}

static int compare_cp(const void *a, const void *b)
{
    AlphaChar x = *(const AlphaChar *)a, y = *(const AlphaChar *)b;
    return x < y ? -1 : x > y;
}

/* A name longer than this many code points is longer than any line and cannot stay whole, so
 * it is left out of the trie: matching it at every position would cost its length each time
 * (a 70,000-character name took 100 s to break). */
#define LONGEST_PROTECTED_NAME 512

/* The caller-given names compiled into a trie (each name's value is its index + 1), when
 * they differ from the last ones given; none given leaves the compiled ones for the next
 * call (a caller alternates brk_find without names and brk_finish with them). A name with
 * characters beyond the trie's 255, or longer than LONGEST_PROTECTED_NAME, is left out. */
static void names_compile(brk_t *brk, const char *const *names, size_t count)
{
    bool same = brk->names && count == brk->name_count;
    for (size_t i = 0; same && i < count; i++)
        same = strcmp(names[i] ? names[i] : "", brk->name_copies[i]) == 0;
    if (same || count == 0)
        return;
    names_drop(brk);
    brk->name_copies = mem_zalloc(count, sizeof *brk->name_copies);
    brk->name_count = count;
    /* The alphabet: every code point of the names, added as runs of consecutive ones. */
    size_t total = 0;
    for (size_t i = 0; i < count; i++) {
        brk->name_copies[i] = mem_strdup(names[i] ? names[i] : "");
        total += strlen(brk->name_copies[i]);
    }
    AlphaChar *chars = mem_zalloc(total + 1, sizeof *chars);
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(brk->name_copies[i]);
        for (size_t pos = 0; pos < len;)
            chars[k++] = utf8_decode(brk->name_copies[i], len, &pos);
    }
    qsort(chars, k, sizeof *chars, compare_cp);
    AlphaMap *map = alpha_map_new();
    for (size_t i = 0; i < k;) {
        size_t j = i;
        while (j + 1 < k && chars[j + 1] <= chars[j] + 1)
            j++;
        alpha_map_add_range(map, chars[i], chars[j]);
        i = j + 1;
    }
    brk->names = trie_new(map);
    alpha_map_free(map);
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(brk->name_copies[i]);
        if (len == 0)
            continue;
        k = 0;
        for (size_t pos = 0; pos < len;)
            chars[k++] = utf8_decode(brk->name_copies[i], len, &pos);
        if (k > LONGEST_PROTECTED_NAME)
            continue;
        chars[k] = 0;
        if (chars[0] <= 0xFFFF)
            brk->name_starts[chars[0] >> 3] |= (uint8_t)(1u << (chars[0] & 7));
        trie_store(brk->names, chars, (TrieData)(i + 1));
    }
    free(chars);
    brk->names_walk = trie_root(brk->names);
}

/* The names: never broken inside; where one touches Thai letters its edges are breaks (a
 * name the dictionary does not know can swallow its neighbours: "ตำบลเสอเพลออำเภอ" has no
 * break after the name), discouraged after a place word. Every occurrence's edges first, then
 * every inside, so that overlapping names stay whole. */
static void apply_names(brk_t *brk, size_t name_count, const uint32_t *cps, const size_t *offsets,
                        size_t n, unsigned char *flags)
{
    if (name_count == 0 || !brk->names)
        return;
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        if (!may_start_name(brk, cps[i]))
            continue;
        TrieData index = 0;
        size_t len = longest_match(brk->names_walk, cps, i, n, 1, &index);
        if (len == 0)
            continue;
        brk->spans =
            mem_array_grow(brk->spans, &brk->spans_capacity, found + 1, sizeof *brk->spans);
        brk->spans[found++] = (span_t){i, i + len};
    }
    for (size_t s = 0; s < found; s++) {
        size_t edges[2] = {brk->spans[s].first, brk->spans[s].end};
        for (size_t k = 0; k < 2; k++) {
            size_t e = edges[k];
            if (e == 0 || e >= n || !is_thai(cps[e - 1]) || is_leading_vowel(cps[e - 1]) ||
                !starts_thai_word(cps[e]))
                continue;
            if (k == 0 && after_place_word(brk, cps, e))
                flags[offsets[e]] |= BRK_ALLOWED | BRK_DISCOURAGED;
            else
                flags[offsets[e]] =
                    (unsigned char)((flags[offsets[e]] | BRK_ALLOWED) & ~BRK_DISCOURAGED);
        }
    }
    for (size_t s = 0; s < found; s++)
        for (size_t i = brk->spans[s].first + 1; i < brk->spans[s].end; i++)
            flags[offsets[i]] &= (unsigned char)~(BRK_ALLOWED | BRK_DISCOURAGED);
}

/* A list marker at the paragraph's start, "(1)", "1.", "2)", "(ก)", "ก." or "๑.", keeps
 * with the word after it: the break after it (and its spaces) is discouraged, so that a
 * number never stands alone on the first line of its item. */
static void mark_list_marker(const uint32_t *cps, const size_t *offsets, size_t n,
                             unsigned char *flags)
{
    size_t i = 0;
    int opened = i < n && cps[i] == '(';
    if (opened)
        i++;
    size_t body = i;
    while (i < n && i - body < 3 && is_digit(cps[i]))
        i++;
    if (i == body && i < n && cps[i] >= 0x0E01 && cps[i] <= 0x0E2E) /* one Thai consonant */
        i++;
    if (i == body || i >= n || !(cps[i] == ')' || (!opened && cps[i] == '.')))
        return; /* (four digits and more are a year or an amount, not a number of an item) */
    i++;
    while (i < n && is_space(cps[i]))
        i++;
    if (i < n && (flags[offsets[i]] & BRK_ALLOWED))
        flags[offsets[i]] |= BRK_DISCOURAGED;
}

/* A paragraph's last line holds at least two words or this many characters (code points
 * that take space): a last opportunity with fewer after it is marked BRK_LAST_LINE. */
#define LAST_LINE_CHARS 8

static void mark_last_line(const uint32_t *cps, const size_t *offsets, size_t n,
                           unsigned char *flags)
{
    for (size_t i = 0; i <= n; i++)
        flags[offsets[i]] &= (unsigned char)~BRK_LAST_LINE;
    size_t chars = 0;
    for (size_t i = n; i-- > 1;) {
        if (!is_space(cps[i]) && !brk_is_extending(cps[i]))
            chars++;
        unsigned char f = flags[offsets[i]];
        if ((f & BRK_ALLOWED) && !(f & BRK_DISCOURAGED)) {
            if (chars < LAST_LINE_CHARS)
                flags[offsets[i]] |= BRK_LAST_LINE;
            return;
        }
    }
}

/* Decodes text into brk->cps and brk->offsets (offsets[n] == len); returns n. */
static size_t decode(brk_t *brk, const char *text, size_t len)
{
    brk->cps = mem_array_grow(brk->cps, &brk->cps_capacity, len + 1, sizeof *brk->cps);
    brk->offsets =
        mem_array_grow(brk->offsets, &brk->offsets_capacity, len + 1, sizeof *brk->offsets);
    size_t n = 0;
    for (size_t pos = 0; pos < len;) {
        brk->offsets[n] = pos;
        brk->cps[n++] = utf8_decode(text, len, &pos);
    }
    brk->offsets[n] = len;
    return n;
}

void brk_finish(brk_t *brk, const char *text, size_t len, const char *const *names,
                size_t name_count, unsigned char *flags)
{
    names_compile(brk, names, name_count);
    size_t n = decode(brk, text, len);
    apply_names(brk, name_count, brk->cps, brk->offsets, n, flags);
    mark_list_marker(brk->cps, brk->offsets, n, flags);
    mark_last_line(brk->cps, brk->offsets, n, flags);
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
     * ("ติดต่อ - สอบถาม"), and none starts one, attached ("E-Service") or in mid-sentence
     * after spaces (a line "- สอบถาม" reads as a list item); a minus sign may ("-5.2%"). */
    if (is_dash(before) ||
        (is_dash(after) && !(is_space(before) && i + 1 < n && is_digit(cps[i + 1]))))
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
    size_t n = decode(brk, text, len);
    const uint32_t *cps = brk->cps;
    const size_t *offsets = brk->offsets;

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
        thai_breaks(brk, cps, offsets, i, j, n, flags);
        i = j;
    }

    /* Rules that forbid a break, applied last so that they win; U+200B wins over them.
     * The strong ones also take the grapheme start away from emergency breaks. */
    for (size_t i = 1; i < n; i++) {
        rule_t rule = cps[i - 1] == 0x200B ? RULE_NONE : rule_before(cps, n, i);
        if (rule != RULE_NONE)
            flags[offsets[i]] &= (unsigned char)~(BRK_ALLOWED | BRK_DISCOURAGED);
        if (rule == RULE_NO_CLUSTER)
            flags[offsets[i]] &= (unsigned char)~BRK_GRAPHEME;
    }
    /* Spaces before a point that no break may use are no emergency break either (the
     * line would break at the spaces all the same). */
    for (size_t i = n; i-- > 1;)
        if (is_space(cps[i]) && i + 1 < n && !(flags[offsets[i + 1]] & BRK_GRAPHEME))
            flags[offsets[i]] &= (unsigned char)~BRK_GRAPHEME;
    for (size_t i = 0; i < n; i++) {
        size_t unit = abbreviation_at(cps, n, i);
        for (size_t k = i + 1; k < i + unit; k++)
            flags[offsets[k]] &= (unsigned char)~(BRK_ALLOWED | BRK_DISCOURAGED | BRK_GRAPHEME);
    }
    names_compile(brk, names, name_count);
    apply_names(brk, name_count, cps, offsets, n, flags);
    flags[0] &= (unsigned char)~(BRK_ALLOWED | BRK_DISCOURAGED);
    mark_list_marker(cps, offsets, n, flags);
    mark_last_line(cps, offsets, n, flags);
    flags[len] = BRK_GRAPHEME;
}
