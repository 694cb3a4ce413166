/* summary — the overview of a batch: one row per agency, written as summary.csv (UTF-8
 * with a byte-order mark, for Thai Excel) and as a Thai PDF (counts per grade and label, a
 * distribution chart, a ranking of all agencies grouped by province) through the template
 * templates/summary/report.yaml. A summary can be read back from its CSV, so that shard
 * summaries made on several machines merge into the one an unsharded run makes
 * (`itareport summary`): the PDF is made from the rows alone.
 *
 * A summary owns its rows and their texts; summary_free releases them. */
#ifndef ITAREPORT_SUMMARY_H
#define ITAREPORT_SUMMARY_H

#include "diag.h"

#include <stddef.h>

/* The columns, in file order. */
typedef enum summary_field {
    SUMMARY_FILE, /* the report's file name in OUTDIR */
    SUMMARY_AGENCY,
    SUMMARY_TYPE,
    SUMMARY_DISTRICT,
    SUMMARY_PROVINCE,
    SUMMARY_YEAR,
    SUMMARY_OVERALL,
    SUMMARY_GRADE,
    SUMMARY_LABEL,
    SUMMARY_PASSED, /* true / false, as `itareport check --json` */
    SUMMARY_IIT,
    SUMMARY_EIT,
    SUMMARY_OIT,
    SUMMARY_STATUS,   /* ok / failed */
    SUMMARY_ERROR,    /* the error messages, " | " between them */
    SUMMARY_WARNING,  /* the warnings about published figures, " | " between them */
    SUMMARY_JOB,      /* "K/TOTAL": the job's place in the whole job list (all shards) */
    SUMMARY_JOB_LIST, /* the whole job list's fingerprint (joblist_fingerprint) */
    SUMMARY_FIELD_COUNT,
} summary_field_t;

typedef struct summary_row {
    char *fields[SUMMARY_FIELD_COUNT]; /* never NULL once added ("" when empty) */
} summary_row_t;

typedef struct summary {
    summary_row_t *rows;
    size_t count, capacity;
} summary_t;

/* The names the summary template may use (every name summary_write_pdf gives it), as the
 * template loader's patterns (tmpl_names_t); docs/templates.md lists the same.
 * NULL-terminated. */
extern const char *const summary_data_names[];

summary_t *summary_new(void);
void summary_free(summary_t *s);

/* Appends an empty row and returns it (owned by the summary). */
summary_row_t *summary_add_row(summary_t *s);

/* Sets a field to a copy of text (NULL: empty). */
void summary_set(summary_row_t *row, summary_field_t field, const char *text);

/* Writes the CSV (atomically); 0, or -1 after reporting. */
int summary_write_csv(diag_t *dg, const summary_t *s, const char *path);

/* Reads a CSV written by summary_write_csv, appending its rows to s; 0, or -1 after
 * reporting. */
int summary_read_csv(diag_t *dg, summary_t *s, const char *path);

/* Checks that shard summaries read into s (in shard order 1..shard_count, file paths[K]
 * and row counts rows[K] per shard) make exactly one whole job list: every row of the same
 * job list (fingerprint and total), each shard holding exactly its slice of it, so that
 * no job is missing or doubled. 0, or -1 after reporting what is wrong, naming the
 * files. */
int summary_check_shards(diag_t *dg, const summary_t *s, int shard_count, const char *const *paths,
                         const size_t *rows);

/* Writes the PDF through the renderer with the template data_dir/templates/summary/report.yaml
 * (atomically); a shard's summary (shard K of shard_count; 0 and 0 otherwise) says so
 * under its title. 0, or -1 after reporting. */
struct renderer;
int summary_write_pdf(struct renderer *r, const summary_t *s, const char *data_dir, int shard,
                      int shard_count, const char *path);

#endif
