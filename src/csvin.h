/* csvin — a CSV table of agencies (one per row) read and turned into input documents.
 *
 * Sits before load in the pipeline: a row becomes the document tree of one input (the
 * format of docs/input-format.md, as yamldoc gives it for a YAML file), so that a CSV row
 * and a YAML file go through the same loader, analysis and report. The first row names the
 * columns (see docs/input-format.md, "CSV columns"): agency fields, `framework`,
 * `fiscal_year`, one column per question (`i1`; a question of a tool with parts takes one
 * column per part, `e1_1`, `e1_2`), `indicator_N`, tool totals (`iit`, `eit_part1`),
 * `overall`, and earlier years as `<figure>_<year>` (`overall_2565`, `iit_2565`); two
 * columns that give one value are an error. An empty cell is "not given". RFC 4180
 * quoting; a UTF-8 byte-order mark is skipped; the separator is a comma (a semicolon or a
 * tab when the header holds no comma).
 *
 * Each value of the document is told at the CSV cell it came from (line and column,
 * characters from 1, and the column's header).
 *
 * A table owns its file name, cells and texts; csvin_free releases it. */
#ifndef ITAREPORT_CSVIN_H
#define ITAREPORT_CSVIN_H

#include "diag.h"
#include "yamldoc.h"

#include <stddef.h>

typedef struct csvin_cell {
    char *text;
    int line, column; /* where the cell starts in the file */
} csvin_cell_t;

typedef struct csvin_row {
    csvin_cell_t *cells;
    size_t count;
    int line;
} csvin_row_t;

typedef enum csvin_kind {
    CSVIN_TOP,       /* framework, fiscal_year */
    CSVIN_AGENCY,    /* a field of agency */
    CSVIN_QUESTION,  /* a question with one score */
    CSVIN_PART,      /* one part of a question's scores */
    CSVIN_INDICATOR, /* indicator_N */
    CSVIN_TOOL,      /* a tool or tool part total */
    CSVIN_OVERALL,
    CSVIN_HISTORY, /* <figure>_<year> */
    CSVIN_REPORT,  /* report_office, report_date, prepared_by_name ...: the key `report` */
} csvin_kind_t;

/* What a header column means. */
typedef struct csvin_column {
    csvin_kind_t kind;
    char *key;    /* the YAML key: "name", "e1", "8", "iit", "overall" */
    char *header; /* the column's name as the header row writes it (for messages) */
    int number;   /* CSVIN_PART: part number from 1; CSVIN_HISTORY: the year */
} csvin_column_t;

typedef struct csvin_table {
    char *file;
    csvin_column_t *columns; /* one per header cell */
    size_t column_count;
    csvin_row_t *rows; /* data rows (the header excluded, blank rows skipped) */
    size_t count, capacity;
} csvin_table_t;

/* Parses a CSV held in memory; name is used in messages. NULL after reporting every
 * problem (bad UTF-8, an unterminated quote, an unknown or repeated column). */
csvin_table_t *csvin_parse_buffer(diag_t *dg, const char *name, const unsigned char *data,
                                  size_t size);

/* The rows of any CSV file as they are (no header handling, blank rows kept out): 0, or
 * -1 after reporting. *rows is the caller's (csvin_free_rows). */
int csvin_read_rows(diag_t *dg, const char *path, csvin_row_t **rows, size_t *count);
void csvin_free_rows(csvin_row_t *rows, size_t count);

/* Reads and parses a file; NULL after reporting. */
csvin_table_t *csvin_read_file(diag_t *dg, const char *path);

void csvin_free(csvin_table_t *t);

/* The text of a row's cell for a column key ("name"), or NULL when empty or absent. */
const char *csvin_row_get(const csvin_table_t *t, size_t row, const char *key);

/* Row `row` as an input document, built straight from the cells (no YAML text is parsed,
 * so a cell is never read as YAML: "-", "[x]" or ",5" are what they say): every value is
 * told at its cell (the table's file, line, column and the column's header); the
 * structure no cell gives (agency:, scores:) at the row's start. Numbers' columns give
 * plain scalars, texts' columns quoted ones. The document borrows the headers from the
 * table, which must outlive it; yamldoc_free releases it. */
yamldoc_t *csvin_row_to_doc(const csvin_table_t *t, size_t row);

#endif
