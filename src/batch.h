/* batch — many inputs to many reports: `itareport batch`.
 *
 * The inputs become a named list of jobs (joblist.h), of which the shard's slice is run in
 * a pool of forked workers (pool.h), each with its own renderer (fonts, shapers, breaker
 * and template loaded once per worker). A job goes to a worker as its index in the list and
 * comes back as a result frame (wire.h): its status, the summary's figures and its
 * diagnostics records, positions already told in the input given (a stream's line, a CSV
 * cell). A worker that crashes or exceeds the time limit fails only the job it had, and a
 * new one takes its place. A report whose PDF already carries the fingerprint of its input
 * and template is skipped unless forced. The parent reports every record through diag
 * (control bytes escaped, so a log line stays one line); the rows of the batch go to
 * OUTDIR/summary.csv and summary.pdf (summary.h), or summary-K-of-N.* for a shard.
 *
 * batch_run owns everything it makes and releases it before returning. */
#ifndef ITAREPORT_BATCH_H
#define ITAREPORT_BATCH_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct batch_options {
    const char *outdir;
    const char *data_dir;     /* the program's data folder (fonts, templates) */
    const char *template_dir; /* NULL: data_dir/templates/<framework of each input> */
    int workers;              /* 0: the number of processors */
    int shard, shard_count;   /* 1-based shard of shard_count; 0/0: everything */
    double timeout;           /* seconds one report may take in a worker; 0: no limit */
    bool force;               /* render even when the PDF is up to date */
    bool quiet;               /* no progress and no log lines (errors still reported) */
    FILE *log;                /* plain log lines (a line per report and a last line) */
    FILE *live;               /* a terminal for the live progress line, or NULL */
} batch_options_t;

/* The most shards a job list is split into (`--shard K/N`, N at most this; `summary`
 * reads no other). */
#define BATCH_MAX_SHARDS 100000

/* The default of batch_options_t.timeout (`--timeout S`). */
#define BATCH_DEFAULT_TIMEOUT 60.0

/* batch_run's status for a run stopped by a signal: this plus the signal number. */
#define BATCH_EXIT_SIGNAL 128

/* Runs the batch, telling every record to dg (whose error limit it turns off: each report
 * is limited in its worker); returns DIAG_EXIT_OK when every job succeeded, DIAG_EXIT_FAILURE when
 * anything failed (after reporting each failure), BATCH_EXIT_SIGNAL + the signal when
 * SIGINT, SIGTERM or SIGHUP stopped it (workers ended, no summary written; the caller
 * re-raises the signal). */
int batch_run(diag_t *dg, const char *const *inputs, size_t input_count,
              const batch_options_t *options);

#endif
