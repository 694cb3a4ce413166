/* libFuzzer target over the summary merger of `itareport summary`: bytes split at each
 * form feed (\f) into up to four shard summaries, each written to a file and read back by
 * summary_read_csv (the CSV, the columns, the apostrophe before formula-like cells), then
 * checked as shards 1..n of one job list by summary_check_shards. Whatever was read must
 * survive a round trip: summary_write_csv and summary_read_csv again give the same rows
 * field for field (so the formula guard is undone exactly). Built and run by `make fuzz`,
 * seeds in tests/fuzz/seeds-summary. */
#include "summary.h"

#include "fuzz_common.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { FUZZ_MAX_SHARDS = 4 };

static char dir[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_silence();
    snprintf(dir, sizeof dir, "/tmp/fuzz_summary.%ld", (long)getpid());
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char paths[FUZZ_MAX_SHARDS + 1][96];
    const char *names[FUZZ_MAX_SHARDS + 1] = {NULL};
    size_t rows[FUZZ_MAX_SHARDS + 1] = {0};
    summary_t *s = summary_new();
    int n = 0;
    size_t start = 0;
    while (n < FUZZ_MAX_SHARDS && start <= size) {
        const uint8_t *ff = start < size ? memchr(data + start, '\f', size - start) : NULL;
        size_t end = ff ? (size_t)(ff - data) : size;
        n++;
        snprintf(paths[n], sizeof paths[n], "%s/summary-%d-of-x.csv", dir, n);
        names[n] = paths[n];
        FILE *f = fopen(paths[n], "wb");
        if (!f)
            abort();
        fwrite(data + start, 1, end - start, f);
        fclose(f);
        size_t before = s->count;
        if (summary_read_csv(test_dg, s, paths[n]) != 0)
            goto done;
        rows[n] = s->count - before;
        if (!ff)
            break;
        start = end + 1;
    }
    (void)summary_check_shards(test_dg, s, n, names, rows);
    /* The round trip. */
    char back[96];
    snprintf(back, sizeof back, "%s/merged.csv", dir);
    if (summary_write_csv(test_dg, s, back) != 0)
        abort();
    summary_t *again = summary_new();
    if (summary_read_csv(test_dg, again, back) != 0 || again->count != s->count) {
#ifdef FUZZ_DEBUG
        fprintf(stderr, "read back %zu rows of %zu\n", again->count, s->count);
#endif
        abort();
    }
    for (size_t r = 0; r < s->count; r++)
        for (int c = 0; c < SUMMARY_FIELD_COUNT; c++)
            if (strcmp(s->rows[r].fields[c], again->rows[r].fields[c]) != 0) {
#ifdef FUZZ_DEBUG
                fprintf(stderr, "row %zu field %d: [%s] -> [%s]\n", r, c, s->rows[r].fields[c],
                        again->rows[r].fields[c]);
#endif
                abort();
            }
    summary_free(again);
done:
    summary_free(s);
    return 0;
}
