/* batch — many inputs to many reports: `itareport batch`.
 *
 * The inputs (files, folders searched for *.yaml in sorted order, multi-document YAML
 * streams, CSV tables with one agency per row) become one sorted list of jobs, and every job
 * gets its output name (from the file name, or the agency name for stream documents and CSV
 * rows; file-system safe, Thai kept, collisions suffixed) over the whole list before a shard
 * (`--shard K/N`, a contiguous slice) is taken, so shards never disagree about names.
 * Jobs go to forked worker processes, each with its own renderer (fonts, shapers, breaker
 * and template loaded once per worker); a worker that crashes fails only the job it had, and
 * a new one takes its place. A report whose PDF already carries the fingerprint of its
 * input and template is skipped unless forced. Every job's messages are reported through
 * diag in the parent (positions told in the stream or the CSV file); the rows of the batch
 * go to OUTDIR/summary.csv and summary.pdf (summary.h), or summary-K-of-N.* for a shard.
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
    bool force;               /* render even when the PDF is up to date */
    bool quiet;               /* no progress and no log lines (errors still reported) */
    FILE *log;                /* plain log lines (a line per report and a last line) */
    FILE *live;               /* a terminal for the live progress line, or NULL */
} batch_options_t;

/* Runs the batch; returns DIAG_EXIT_OK when every job succeeded, DIAG_EXIT_FAILURE when
 * anything failed (after reporting each failure). */
int batch_run(diag_t *dg, const char *const *inputs, size_t input_count,
              const batch_options_t *options);

/* A file-system safe name for text (Thai kept; '/', control and reserved characters
 * replaced; at most 180 bytes): a new string, or NULL when nothing usable is left. */
char *batch_safe_name(const char *text);

#endif
