/* cmd_summary — `itareport summary OUTDIR...`: merges the shard summaries of a batch
 * (summary-K-of-N.csv, from one or several machines) into one summary.csv and summary.pdf,
 * the same files an unsharded run makes. */
#include "batch.h"
#include "cmd.h"
#include "datadir.h"
#include "diag.h"
#include "mem.h"
#include "outfile.h"
#include "render.h"
#include "summary.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

void cmd_summary_help(FILE *out)
{
    fputs(_("Usage: itareport summary OUTDIR... [-o DIR] [--data-dir DIR]\n"
            "\n"
            "Merges the shard summaries of a batch run with --shard K/N (the files\n"
            "summary-K-of-N.csv in the OUTDIRs given, from one or several machines) into one\n"
            "summary.csv and summary.pdf, equal to those of one unsharded run. Every shard\n"
            "1..N must be found exactly once.\n"
            "\n"
            "Options:\n"
            "  -o DIR            where to write (default: the first OUTDIR)\n"
            "  --data-dir DIR    the folder holding templates/ and fonts/\n"
            "\n"
            "Example:\n"
            "  itareport summary out/\n"),
          out);
}

/* The shard files found: path per K (1..n). */
typedef struct summary_shards {
    char **paths; /* [n + 1], index K */
    int n;
} summary_shards_t;

/* Digits into a number of at most BATCH_MAX_SHARDS (range-checked as it is read); the
 * end of the digits, or NULL. */
static const char *summary_shard_number(const char *p, int *value)
{
    long v = 0;
    const char *start = p;
    for (; *p >= '0' && *p <= '9'; p++)
        if ((v = v * 10 + (*p - '0')) > BATCH_MAX_SHARDS)
            return NULL;
    *value = (int)v;
    return p > start ? p : NULL;
}

/* "summary-K-of-N.csv" with 1 <= K <= N <= BATCH_MAX_SHARDS: 0, or -1 for any other name. */
static int summary_shard_name(const char *name, int *k, int *n)
{
    if (strncmp(name, "summary-", 8) != 0)
        return -1;
    const char *p = summary_shard_number(name + 8, k);
    if (!p || strncmp(p, "-of-", 4) != 0 || !(p = summary_shard_number(p + 4, n)) ||
        strcmp(p, ".csv") != 0 || *k < 1 || *k > *n)
        return -1;
    return 0;
}

static int summary_find(diag_t *dg, const char *dir, summary_shards_t *found)
{
    DIR *d = opendir(dir);
    if (!d) {
        diag_fail(dg, NULL, "summary-cannot-read-folder", "cannot read the folder '%s'", dir);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        int k = 0, n = 0;
        if (summary_shard_name(e->d_name, &k, &n) != 0)
            continue;
        if (found->n == 0) {
            found->n = n;
            found->paths = mem_zalloc((size_t)n + 1, sizeof *found->paths);
        }
        char *path = mem_printf("%s/%s", dir, e->d_name);
        if (n != found->n) {
            diag_fail(dg, NULL, "summary-shard-other-shards",
                      "'%s' is a shard of %d, other shards are of %d", path, n, found->n);
            rc = -1;
        } else if (found->paths[k]) {
            diag_fail(dg, NULL, "summary-shard-found-twice",
                      "shard %d of %d is found twice: '%s' and '%s'", k, n, found->paths[k], path);
            rc = -1;
        } else {
            found->paths[k] = path;
            path = NULL;
        }
        free(path);
    }
    closedir(d);
    return rc;
}

int cmd_summary_run(diag_t *dg, int argc, char **argv)
{
    const char *out_dir = NULL, *data_dir = NULL;
    const char **dirs = mem_zalloc((size_t)argc, sizeof *dirs);
    size_t count = 0;
    int status = DIAG_EXIT_FAILURE;
    summary_shards_t found = {NULL, 0};
    summary_t *s = NULL;
    size_t *rows = NULL; /* per shard K: its rows in s */
    char *data = NULL;
    enum { OPT_DATA = 256 };
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"data-dir", required_argument, NULL, OPT_DATA},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:", longs, NULL)) != -1) {
        if (c == 'o') {
            out_dir = optarg;
        } else if (c == OPT_DATA) {
            data_dir = optarg;
        } else {
            status = cmd_option_error(dg, "summary", c, argv);
            goto done;
        }
    }
    for (int i = optind; i < argc; i++)
        dirs[count++] = argv[i];
    if (!count) {
        status = cmd_usage_error(dg, "summary", "usage-batch-output-folder-given",
                                 "no batch output folder given");
        goto done;
    }
    int bad = 0;
    for (size_t i = 0; i < count; i++)
        bad |= summary_find(dg, dirs[i], &found) != 0;
    if (bad)
        goto done;
    if (!found.n) {
        diag_fail(dg, NULL, "summary-no-shards", "no shard summary (summary-K-of-N.csv) in %s%s",
                  dirs[0], count > 1 ? " and the other folders" : "");
        goto done;
    }
    for (int k = 1; k <= found.n; k++)
        if (!found.paths[k]) {
            diag_fail(dg, NULL, "summary-shard-missing-summary-csv",
                      "shard %d of %d is missing (summary-%d-of-%d.csv)", k, found.n, k, found.n);
            bad = 1;
        }
    if (bad || !(data = datadir_find(dg, data_dir)))
        goto done;
    s = summary_new();
    rows = mem_zalloc((size_t)found.n + 1, sizeof *rows);
    for (int k = 1; k <= found.n; k++) {
        size_t before = s->count;
        if (summary_read_csv(dg, s, found.paths[k]) != 0)
            goto done;
        rows[k] = s->count - before;
    }
    /* One whole job list: no shard of another list, none missing or doubled. */
    if (summary_check_shards(dg, s, found.n, (const char *const *)found.paths, rows) != 0)
        goto done;
    const char *to = out_dir ? out_dir : dirs[0];
    if (mkdir(to, 0777) != 0 && errno != EEXIST) {
        diag_fail(dg, NULL, "summary-cannot-make-folder", "cannot make the folder '%s': %s", to,
                  strerror(errno));
        goto done;
    }
    char *csv = mem_printf("%s/summary.csv", to);
    char *pdf = mem_printf("%s/summary.pdf", to);
    renderer_t *r = NULL;
    if (outfile_check_plain(dg, csv) == 0 && outfile_check_plain(dg, pdf) == 0 &&
        summary_write_csv(dg, s, csv) == 0 && (r = render_new(dg, data)) &&
        summary_write_pdf(r, s, data, 0, 0, pdf) == 0)
        status = DIAG_EXIT_OK;
    render_free(r);
    free(csv);
    free(pdf);
done:
    if (found.paths)
        for (int k = 0; k <= found.n; k++)
            free(found.paths[k]);
    free(found.paths);
    free(rows);
    summary_free(s);
    free(data);
    free(dirs);
    return status;
}
