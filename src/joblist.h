/* joblist — the jobs of a batch: what `itareport batch INPUT...` is asked to make.
 *
 * The inputs (YAML files, folders searched for *.yaml and *.yml recursively in sorted
 * order, multi-document YAML streams, CSV tables with one agency per row) become one list
 * of jobs in input order, and every job gets its output name (from the file name, or the
 * agency name for stream documents and CSV rows; file-system safe, Thai kept, collisions
 * suffixed, compared without case) over the whole list, before a shard (a contiguous
 * slice) is taken, so shards never disagree about names. An input that fails before any
 * report (an unreadable folder, a bad CSV header) is a broken job holding its messages.
 *
 * For a job, joblist_open gives the YAML text it stands for and the name it is read under;
 * joblist_locate turns a position in that text into one in the input the user gave (a
 * stream's line, a CSV cell). Sits before the pool (pool.h) in the batch.
 *
 * A list owns its jobs, names, the stream files and CSV tables they point into, and the
 * broken jobs' records; joblist_free releases all of it. */
#ifndef ITAREPORT_JOBLIST_H
#define ITAREPORT_JOBLIST_H

#include "csvin.h"
#include "diag.h"

#include <stddef.h>

typedef enum joblist_kind {
    JOBLIST_FILE,    /* a YAML file, read as `itareport render` reads it */
    JOBLIST_DOC,     /* one document of a stream, held in memory */
    JOBLIST_CSV_ROW, /* one row of a CSV table */
    JOBLIST_BROKEN,  /* an input that failed before any report (its records kept) */
} joblist_kind_t;

typedef struct joblist_job {
    joblist_kind_t kind;
    char *input;               /* the path given or found */
    const unsigned char *data; /* JOBLIST_DOC: the document's bytes (in a kept buffer) */
    size_t size;
    int first_line;             /* JOBLIST_DOC: line of the document's first byte */
    const csvin_table_t *table; /* JOBLIST_CSV_ROW */
    size_t row;
    diag_record_t **records; /* JOBLIST_BROKEN: its messages */
    size_t record_count, record_capacity;
    char *name_source; /* what the output name is made from */
    char *stem;        /* the output name without ".pdf" */
} joblist_job_t;

typedef struct joblist {
    joblist_job_t *jobs;
    size_t count, capacity;
    unsigned char **buffers; /* stream files kept for their documents */
    size_t buffer_count, buffer_capacity;
    csvin_table_t **tables;
    size_t table_count, table_capacity;
    size_t name_lookups; /* table look-ups made naming the jobs: linear in count */
    size_t given_twice;  /* inputs left out as the same file as an earlier one */
} joblist_t;

/* The jobs of the inputs, named. Never fails: what cannot be read is a broken job holding
 * its records (in dg's language), or, for a file, a job whose reading fails when it runs.
 * Only a CSV table's warnings (its encoding) are told to dg, once. Caller frees. */
joblist_t *joblist_build(diag_t *dg, const char *const *inputs, size_t count);
void joblist_free(joblist_t *list);

/* The fingerprint of the whole job list (32 hex digits, fingerprint.h): its count and
 * its output names in order, not the paths, which differ between hosts. Every shard's
 * summary carries it, so that `summary` merges only shards of one list. */
void joblist_fingerprint(const joblist_t *list, char out[33]);

/* The slice [*lo, *hi) of shard k of n (1-based); 0/0: the whole list. */
void joblist_shard(const joblist_t *list, int k, int n, size_t *lo, size_t *hi);

/* One job, opened: its YAML text and, for a CSV row, the document built from the row. */
typedef struct joblist_input {
    char *name; /* the name it is read under (a stream document or CSV row: as the YAML
                 * file it stands for, beside its source, so relative logos are found) */
    const unsigned char *data; /* the text (a CSV row: the YAML its document gives, which the
                                * report embeds as its input) */
    size_t size;
    yamldoc_t *doc; /* a CSV row: the document to load (values told at their cells); the
                     * caller may take it (and set this to NULL), else joblist_close frees it */
    /* Where the text sits in the input given (joblist_locate). */
    const joblist_job_t *job;
    unsigned char *owned;
} joblist_input_t;

/* Opens a job's text: 0, or -1 after reporting to dg (a file that cannot be read).
 * Whatever it returns, joblist_close releases what in holds. */
int joblist_open(diag_t *dg, const joblist_job_t *job, joblist_input_t *in);
void joblist_close(joblist_input_t *in);

/* Rewrites a position reported while the job ran into one in the input given: a message
 * in the document's text moves to its line in the stream or to its CSV cell (column_name
 * set), a message without a file is told at the input (a stream document or CSV row at its
 * first line). Strings put in pos are borrowed from the list and in. */
void joblist_locate(const joblist_input_t *in, diag_pos_t *pos);

/* A file-system safe name for text, also on Windows (Thai kept; / \ : * ? " < > | become
 * '-'; control characters, bidi controls and invisible characters dropped; no leading dot,
 * space or dash, no trailing dot or space; a Windows device name such as CON or com1 gets
 * a '_' after it; a byte that is not UTF-8 becomes '_', so the name always is; at most 180
 * bytes): a new string, or NULL when nothing usable is left. */
char *joblist_safe_name(const char *text);

#endif
