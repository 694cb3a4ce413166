/* brkwords — the Thai text of files as the breaker cuts it, to review the dictionary.
 * Every line of every FILE (templates' wording, report.yaml, samples: YAML read as plain
 * text) is broken by brk_find without names; each run of Thai letters between two break
 * opportunities is a word. Prints "COUNT<TAB>WORD" for every word, or with --pairs
 * "COUNT<TAB>WORD|WORD" for every two words written together (no space between: the
 * candidates for compounds the dictionary lacks), most frequent first. With --count, prints
 * for every line of the files the number of its words (allowed breaks + 1; 0 for an empty
 * line), in order.
 * Usage: brkwords [--pairs|--count] FILE... (the dictionary is found as the program finds
 * it). */
#include "brk.h"
#include "diag.h"
#include "filebuf.h"
#include "mem.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    char *word;
    size_t count;
} entry_t;

static entry_t *entries;
static size_t entry_count, entry_capacity;

static void count_word(const char *text, size_t len)
{
    for (size_t i = 0; i < entry_count; i++)
        if (strlen(entries[i].word) == len && memcmp(entries[i].word, text, len) == 0) {
            entries[i].count++;
            return;
        }
    entries = mem_array_grow(entries, &entry_capacity, entry_count + 1, sizeof *entries);
    entries[entry_count++] = (entry_t){mem_strndup(text, len), 1};
}

static int is_thai_at(const char *text, size_t len, size_t pos)
{
    uint32_t cp = utf8_decode(text, len, &pos);
    return cp >= 0x0E01 && cp <= 0x0E5B;
}

static int by_count(const void *a, const void *b)
{
    const entry_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->word, y->word);
}

/* The words of one line: maximal Thai stretches cut at every allowed break. */
static void line_words(brk_t *brk, const char *line, size_t len, int pairs)
{
    unsigned char *flags = mem_alloc(len + 1);
    brk_find(brk, line, len, NULL, 0, flags);
    size_t start = 0, prev_start = 0, prev_end = 0;
    int in_word = 0, have_prev = 0;
    for (size_t pos = 0; pos <= len;) {
        int thai = pos < len && is_thai_at(line, len, pos);
        int cut = pos == len || !thai || (flags[pos] & BRK_ALLOWED);
        if (in_word && cut) {
            if (!pairs)
                count_word(line + start, pos - start);
            else if (have_prev && prev_end == start) {
                char *pair = mem_printf("%.*s|%.*s", (int)(start - prev_start), line + prev_start,
                                        (int)(pos - start), line + start);
                count_word(pair, strlen(pair));
                free(pair);
            }
            prev_start = start;
            prev_end = pos;
            have_prev = 1;
            in_word = 0;
        }
        if (!thai)
            have_prev = 0;
        if (thai && !in_word) {
            start = pos;
            in_word = 1;
        }
        if (pos == len)
            break;
        utf8_decode(line, len, &pos);
    }
    free(flags);
}

/* The words of one line: its allowed breaks + 1. */
static size_t count_words(brk_t *brk, const char *line, size_t len)
{
    if (len == 0)
        return 0;
    unsigned char *flags = mem_alloc(len + 1);
    brk_find(brk, line, len, NULL, 0, flags);
    size_t count = 1;
    for (size_t i = 0; i <= len; i++)
        count += (flags[i] & BRK_ALLOWED) != 0;
    free(flags);
    return count;
}

int main(int argc, char **argv)
{
    diag_t *dg = diag_new(NULL, NULL);
    int pairs = argc > 1 && strcmp(argv[1], "--pairs") == 0;
    int counts = argc > 1 && strcmp(argv[1], "--count") == 0;
    if (argc < 2 + pairs + counts) {
        fputs("usage: brkwords [--pairs|--count] FILE...\n", stderr);
        return 2;
    }
    brk_t *brk = brk_new(dg);
    if (!brk)
        return 1;
    for (int a = 1 + pairs + counts; a < argc; a++) {
        unsigned char *data;
        size_t size;
        if (filebuf_read(dg, argv[a], "", (size_t)64 << 20, &data, &size) != 0)
            return 1;
        const char *text = (const char *)data;
        for (size_t at = 0; at < size;) {
            const char *nl = memchr(text + at, '\n', size - at);
            size_t end = nl ? (size_t)(nl - text) : size;
            if (counts)
                printf("%zu\n", utf8_validate(text + at, end - at) == end - at
                                    ? count_words(brk, text + at, end - at)
                                    : 0);
            else if (utf8_validate(text + at, end - at) == end - at)
                line_words(brk, text + at, end - at, pairs);
            at = end + 1;
        }
        free(data);
    }
    if (entry_count)
        qsort(entries, entry_count, sizeof *entries, by_count);
    for (size_t i = 0; i < entry_count; i++) {
        printf("%zu\t%s\n", entries[i].count, entries[i].word);
        free(entries[i].word);
    }
    free(entries);
    brk_free(brk);
    diag_free(dg);
    return 0;
}
