/* cmd_batch — `itareport batch INPUT... -o OUTDIR`: many reports at once (batch.h). */
#include "batch.h"
#include "cmd.h"
#include "datadir.h"
#include "diag.h"
#include "mem.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cmd_batch_help(FILE *out)
{
    fputs(_("Usage: itareport batch INPUT... -o OUTDIR [-j N] [--shard K/N] [--force] [--quiet]\n"
            "                       [--timeout S] [--template DIR] [--data-dir DIR]\n"
            "\n"
            "Renders the report of every agency in the inputs into OUTDIR, one PDF each, the\n"
            "same as 'itareport render' makes, and writes OUTDIR/summary.csv (UTF-8 with a\n"
            "byte-order mark, for Excel) and OUTDIR/summary.pdf (a Thai overview: grades,\n"
            "labels, the score distribution and a ranking by province).\n"
            "\n"
            "Inputs are YAML files, folders (every *.yaml inside, recursively, in sorted order),\n"
            "YAML streams of several agencies separated by '---' lines, and CSV tables with one\n"
            "agency per row (columns: docs/input-format.md; 'itareport new --csv' writes the\n"
            "header). A PDF is named after its input file, or after the agency for a stream\n"
            "document or a CSV row; names that collide get -2, -3, ...\n"
            "\n"
            "A bad input is reported (file:line:column, or the CSV cell) and skipped; the rest\n"
            "goes on. No partial PDF is ever left in OUTDIR. A report whose PDF is complete and\n"
            "up to date (same input, template and program version) is not made again.\n"
            "\n"
            "Options:\n"
            "  -o, --output DIR  the folder for the reports and the summary (made if missing)\n"
            "  -j, --jobs N      worker processes (default: the number of processors)\n"
            "  --shard K/N       only the K-th of N slices of the inputs; names are decided over\n"
            "                    all of them, so shards share one OUTDIR safely; the summary is\n"
            "                    summary-K-of-N.csv/.pdf ('itareport summary' merges them)\n"
            "  --timeout S       seconds one report may take (default 60; 0: no limit); a\n"
            "                    report that takes longer is reported and skipped\n"
            "  --force           make every report again, even when up to date\n"
            "  -q, --quiet       no progress and no log lines (errors are still reported)\n"
            "  --template DIR    use DIR (framework.yaml, report.yaml) for every input\n"
            "  --data-dir DIR    the folder holding templates/ and fonts/\n"
            "\n"
            "Progress: one live line on a terminal, else a log line per report on standard\n"
            "output. Exit status: 0 all made, 1 anything failed, 2 usage error.\n"
            "\n"
            "Example:\n"
            "  itareport batch udon-thani/ agencies.csv -o out/ -j 2\n"),
          out);
}

/* A whole number of digits only, at most max: 0, or -1 (empty, a sign, anything else,
 * or beyond max: range-checked before it could overflow). */
static int cmd_batch_count(const char *s, size_t len, long max, long *value)
{
    long v = 0;
    if (len == 0)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || v > (max - (s[i] - '0')) / 10)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return 0;
}

/* --shard K/N with 1 <= K <= N <= BATCH_MAX_SHARDS: 0, or -1. */
static int cmd_batch_shard(const char *v, int *k, int *n)
{
    const char *slash = strchr(v, '/');
    long a, b;
    if (!slash || cmd_batch_count(v, (size_t)(slash - v), BATCH_MAX_SHARDS, &a) != 0 ||
        cmd_batch_count(slash + 1, strlen(slash + 1), BATCH_MAX_SHARDS, &b) != 0 || a < 1 || a > b)
        return -1;
    *k = (int)a;
    *n = (int)b;
    return 0;
}

int cmd_batch_run(diag_t *dg, int argc, char **argv)
{
    const char **inputs = mem_zalloc((size_t)argc, sizeof *inputs);
    size_t count = 0;
    const char *data_dir = NULL;
    batch_options_t o = {0};
    o.log = stdout;
    o.timeout = BATCH_DEFAULT_TIMEOUT;
    int status = DIAG_EXIT_USAGE;
    enum { OPT_SHARD = 256, OPT_TIMEOUT, OPT_TEMPLATE, OPT_DATA, OPT_FORCE };
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"data-dir", required_argument, NULL, OPT_DATA},
        {"force", no_argument, NULL, OPT_FORCE},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:j:q", longs, NULL)) != -1) {
        const char *v = optarg;
        switch (c) {
        case 'o':
            o.outdir = v;
            break;
        case 'j': {
            char *end = NULL;
            long n = strtol(v, &end, 10);
            if (!*v || *end || n < 1 || n > 1024) {
                status = cmd_usage_error(dg, "batch", "usage-j-needs-number-workers",
                                         "-j needs a number of workers from 1 to "
                                         "1024, not '%s'",
                                         v);
                goto done;
            }
            o.workers = (int)n;
            break;
        }
        case 'q':
            o.quiet = true;
            break;
        case OPT_SHARD: {
            int k = 0, n = 0;
            if (cmd_batch_shard(v, &k, &n) != 0) {
                status = cmd_usage_error(dg, "batch", "usage-shard-needs-k-n",
                                         "--shard needs K/N with 1 <= K <= N <= "
                                         "100000, not '%s'",
                                         v);
                goto done;
            }
            o.shard = k;
            o.shard_count = n;
            break;
        }
        case OPT_TIMEOUT: {
            char *end = NULL;
            double t = strtod(v, &end);
            if (!*v || *end || !(t >= 0) || t > 86400) {
                status = cmd_usage_error(dg, "batch", "usage-timeout-needs-seconds",
                                         "--timeout needs a number of seconds from 0 "
                                         "(no limit) to 86400, not '%s'",
                                         v);
                goto done;
            }
            o.timeout = t;
            break;
        }
        case OPT_TEMPLATE:
            o.template_dir = v;
            break;
        case OPT_DATA:
            data_dir = v;
            break;
        case OPT_FORCE:
            o.force = true;
            break;
        default:
            status = cmd_option_error(dg, "batch", c, argv);
            goto done;
        }
    }
    for (int i = optind; i < argc; i++)
        inputs[count++] = argv[i];
    if (!count) {
        status = cmd_usage_error(dg, "batch", "usage-input-given", "no input given");
        goto done;
    }
    if (!o.outdir) {
        status = cmd_usage_error(dg, "batch", "usage-output-folder-given-o",
                                 "no output folder given (-o OUTDIR)");
        goto done;
    }
    char *data = datadir_find(dg, data_dir);
    if (!data) {
        status = DIAG_EXIT_FAILURE;
        goto done;
    }
    o.data_dir = data;
    o.live = isatty(STDERR_FILENO) ? stderr : NULL;
    status = batch_run(dg, inputs, count, &o);
    free(data);
    if (status > BATCH_EXIT_SIGNAL) {
        /* Stopped by a signal: end as it says, so that a shell or make sees it. */
        free(inputs);
        signal(status - BATCH_EXIT_SIGNAL, SIG_DFL);
        raise(status - BATCH_EXIT_SIGNAL);
        return status;
    }
done:
    free(inputs);
    return status;
}
