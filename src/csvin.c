/* csvin — see csvin.h. */
#include "csvin.h"

#include "diag.h"
#include "filebuf.h"
#include "mem.h"
#include "textenc.h"
#include "utf8.h"
#include "yamldoc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits (docs/input-format.md, "CSV columns"): the file, the header's columns and the
 * table's cells, so that memory stays bounded (about 40 bytes a cell) whatever the file. */
#define CSVIN_MAX_BYTES ((size_t)32 << 20)
#define CSVIN_MAX_COLUMNS 1000
#define CSVIN_MAX_CELLS ((size_t)2000000)

static const char *const csvin_top_keys[] = {"framework", "fiscal_year", NULL};
static const char *const csvin_agency_keys[] = {"name",     "short_name", "type", "subdistrict",
                                                "district", "province",   "logo", NULL};

/* The report's own details and sign-off: column name, then its place under `report`
 * (a signer's field after a slash). */
static const char *const report_columns[][2] = {
    {"report_office", "office"},
    {"report_date", "date"},
    {"prepared_by_name", "prepared_by/name"},
    {"prepared_by_position", "prepared_by/position"},
    {"prepared_by_date", "prepared_by/date"},
    {"approved_by_name", "approved_by/name"},
    {"approved_by_position", "approved_by/position"},
    {"approved_by_date", "approved_by/date"},
};

static const char *report_key(const char *name)
{
    for (size_t i = 0; i < sizeof report_columns / sizeof report_columns[0]; i++)
        if (strcmp(name, report_columns[i][0]) == 0)
            return report_columns[i][1];
    return NULL;
}

static int csvin_in(const char *const *list, const char *key)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], key) == 0)
            return 1;
    return 0;
}

/* Letters then digits ("i12"): a question id. */
static int csvin_is_question(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && islower((unsigned char)s[i]))
        i++;
    if (i == 0 || i == len)
        return 0;
    size_t digits = i;
    while (i < len && isdigit((unsigned char)s[i]))
        i++;
    return i == len && i > digits;
}

static int csvin_all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

/* Classifies a header name; 0, or -1 when it means nothing. */
static int csvin_classify(const char *name, csvin_column_t *col)
{
    memset(col, 0, sizeof *col);
    size_t len = strlen(name);
    const char *us = strrchr(name, '_');
    if (csvin_in(csvin_top_keys, name)) {
        col->kind = CSVIN_TOP;
        col->key = mem_strdup(name);
    } else if (csvin_in(csvin_agency_keys, name)) {
        col->kind = CSVIN_AGENCY;
        col->key = mem_strdup(name);
    } else if (report_key(name)) {
        col->kind = CSVIN_REPORT;
        col->key = mem_strdup(report_key(name));
    } else if (strcmp(name, "overall") == 0) {
        col->kind = CSVIN_OVERALL;
        col->key = mem_strdup(name);
    } else if (strncmp(name, "indicator_", 10) == 0 && csvin_all_digits(name + 10)) {
        col->kind = CSVIN_INDICATOR;
        col->key = mem_strdup(name + 10);
    } else if (csvin_is_question(name, len)) {
        col->kind = CSVIN_QUESTION;
        col->key = mem_strdup(name);
    } else if (us && csvin_is_question(name, (size_t)(us - name)) && csvin_all_digits(us + 1) &&
               strlen(us + 1) <= 2 && atoi(us + 1) >= 1) {
        col->kind = CSVIN_PART;
        col->key = mem_strndup(name, (size_t)(us - name));
        col->number = atoi(us + 1);
    } else if (us && strlen(us + 1) == 4 && csvin_all_digits(us + 1) && us > name) {
        col->kind = CSVIN_HISTORY;
        col->key = mem_strndup(name, (size_t)(us - name));
        col->number = atoi(us + 1);
    } else {
        if (!islower((unsigned char)name[0]))
            return -1;
        for (const char *p = name; *p; p++)
            if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
                return -1;
        col->kind = CSVIN_TOOL;
        col->key = mem_strdup(name);
    }
    return 0;
}

/* Characters (not bytes) from the start of the line to p, from 1. */
static int csvin_column_of(const unsigned char *line_start, const unsigned char *p)
{
    int col = 1;
    for (const unsigned char *q = line_start; q < p; q++)
        if ((*q & 0xC0) != 0x80)
            col++;
    return col;
}

static void csvin_free_row(csvin_row_t *row)
{
    for (size_t i = 0; i < row->count; i++)
        free(row->cells[i].text);
    free(row->cells);
}

/* Reports a NUL byte at q (a damaged file: C strings would end the cell there and read
 * 8<NUL>4.5 as 8); 0 when there is none in [p, end). */
static int nul_byte(diag_t *dg, const char *name, const unsigned char *start,
                    const unsigned char *p, const unsigned char *end)
{
    const unsigned char *q = memchr(p, '\0', (size_t)(end - p));
    if (!q)
        return 0;
    int line = 1;
    const unsigned char *line_start = start;
    for (const unsigned char *r = start; r < q; r++)
        if (*r == '\n') {
            line++;
            line_start = r + 1;
        }
    diag_pos_t pos = {.file = name, .line = line, .column = csvin_column_of(line_start, q)};
    diag_fail(dg, &pos, "csvin-nul-byte",
              "a NUL byte (at byte offset %zu) in a cell: the file is damaged or not a CSV text "
              "file",
              (size_t)(q - start));
    return -1;
}

/* Reports a table past CSVIN_MAX_CELLS at a row; -1. */
static int too_many_cells(diag_t *dg, const char *name, int line)
{
    diag_pos_t pos = {.file = name, .line = line, .column = 1};
    diag_fail(dg, &pos, "csvin-too-many-cells",
              "the CSV table has more than %zu cells; split it into several files",
              CSVIN_MAX_CELLS);
    return -1;
}

/* Parses the rows; -1 after reporting an unterminated quote, a NUL byte or too many cells. */
static int csvin_split(diag_t *dg, const char *name, const unsigned char *p,
                       const unsigned char *end, csvin_row_t **rows_out, size_t *count_out)
{
    if (nul_byte(dg, name, p, p, end) != 0)
        return -1;
    size_t cells = 0;
    char sep = ',';
    {
        /* The header decides the separator. */
        size_t commas = 0, semis = 0, tabs = 0;
        for (const unsigned char *q = p; q < end && *q != '\n'; q++) {
            commas += *q == ',';
            semis += *q == ';';
            tabs += *q == '\t';
        }
        if (!commas && (semis || tabs))
            sep = semis >= tabs ? ';' : '\t';
    }
    csvin_row_t *rows = NULL;
    size_t count = 0, cap = 0;
    int line = 1;
    const unsigned char *line_start = p;
    while (p < end) {
        csvin_row_t row = {NULL, 0, line};
        size_t cell_cap = 0;
        for (;;) {
            csvin_cell_t cell = {NULL, line, csvin_column_of(line_start, p)};
            size_t len = 0, tcap = 16;
            char *text = mem_alloc(tcap);
            if (p < end && *p == '"') {
                int open_line = line, open_col = cell.column;
                p++;
                for (;;) {
                    if (p >= end) {
                        diag_pos_t pos = {.file = name, .line = open_line, .column = open_col};
                        diag_fail(dg, &pos, "csvin-quoted-cell-never-closed",
                                  "this quoted cell is never closed");
                        free(text);
                        csvin_free_row(&row);
                        for (size_t i = 0; i < count; i++)
                            csvin_free_row(&rows[i]);
                        free(rows);
                        return -1;
                    }
                    if (*p == '"') {
                        if (p + 1 < end && p[1] == '"') {
                            p++;
                        } else {
                            p++;
                            break;
                        }
                    } else if (*p == '\n') {
                        line++;
                        line_start = p + 1;
                    }
                    if (len + 2 > tcap)
                        text = mem_realloc(text, tcap *= 2);
                    text[len++] = (char)*p++;
                }
            }
            /* Unquoted text (or what follows a closing quote) up to the separator. */
            while (p < end && *p != (unsigned char)sep && *p != '\n' && *p != '\r') {
                if (len + 2 > tcap)
                    text = mem_realloc(text, tcap *= 2);
                text[len++] = (char)*p++;
            }
            text[len] = '\0';
            if (++cells > CSVIN_MAX_CELLS) {
                free(text);
                csvin_free_row(&row);
                csvin_free_rows(rows, count);
                return too_many_cells(dg, name, line);
            }
            /* The text's own size, not its growth's slack, stays. */
            cell.text = mem_realloc(text, len + 1);
            row.cells = mem_array_grow(row.cells, &cell_cap, row.count + 1, sizeof *row.cells);
            row.cells[row.count++] = cell;
            if (p < end && *p == (unsigned char)sep) {
                p++;
                continue;
            }
            if (p < end && *p == '\r')
                p++;
            if (p < end && *p == '\n') {
                p++;
                line++;
                line_start = p;
            }
            break;
        }
        int blank = 1;
        for (size_t i = 0; i < row.count; i++)
            if (row.cells[i].text[0])
                blank = 0;
        if (blank && count > 0) {
            csvin_free_row(&row);
            continue;
        }
        row.cells = mem_realloc(row.cells, (row.count ? row.count : 1) * sizeof *row.cells);
        rows = mem_array_grow(rows, &cap, count + 1, sizeof *rows);
        rows[count++] = row;
    }
    *rows_out = rows;
    *count_out = count;
    return 0;
}

static csvin_table_t *csvin_parse_utf8(diag_t *dg, const char *name, const unsigned char *data,
                                       size_t size);

/* True when two columns give one value of the input under different names, as a question
 * whole and a part of it do (e1 and e1_2): the same key of the same place in the document.
 * Different parts of one question are apart (a part named twice is same_part's). */
static int same_value(const csvin_column_t *a, const csvin_column_t *b)
{
    bool question_a = a->kind == CSVIN_QUESTION || a->kind == CSVIN_PART;
    bool question_b = b->kind == CSVIN_QUESTION || b->kind == CSVIN_PART;
    if (!a->key || !b->key || strcmp(a->key, b->key) != 0)
        return 0;
    if (question_a || question_b)
        return question_a && question_b &&
               !(a->kind == CSVIN_PART && b->kind == CSVIN_PART && a->number != b->number);
    return a->kind == b->kind && (a->kind != CSVIN_HISTORY || a->number == b->number);
}

/* True when two columns name the same part of the same question (e1_1 and e1_01). */
static int same_part(const csvin_column_t *a, const csvin_column_t *b)
{
    return a->kind == CSVIN_PART && b->kind == CSVIN_PART && a->number == b->number && a->key &&
           b->key && strcmp(a->key, b->key) == 0;
}

/* A cell as Excel users write it, in place: spaces (and no-break spaces) around it
 * dropped, "-" for "not given" made empty, and in a column of numbers Thai digits
 * (๘๔.๑๔) made ASCII. */
static void clean_cell(const csvin_column_t *col, char *text)
{
    size_t len = strlen(text), start = 0;
    for (;;) {
        if (start < len && (text[start] == ' ' || text[start] == '\t'))
            start++;
        else if (start + 1 < len && memcmp(text + start, "\xC2\xA0", 2) == 0)
            start += 2;
        else if (len > start && (text[len - 1] == ' ' || text[len - 1] == '\t'))
            len--;
        else if (len >= start + 2 && memcmp(text + len - 2, "\xC2\xA0", 2) == 0)
            len -= 2;
        else
            break;
    }
    memmove(text, text + start, len - start);
    len -= start;
    text[len] = '\0';
    if (strcmp(text, "-") == 0) {
        text[0] = '\0';
        return;
    }
    if (col->kind <= CSVIN_AGENCY && strcmp(col->key, "fiscal_year") != 0)
        return;
    utf8_ascii_digits(text, len);
}

csvin_table_t *csvin_parse_buffer(diag_t *dg, const char *name, const unsigned char *data,
                                  size_t size)
{
    /* Thai Excel saves CSV as Windows-874; Notepad may save UTF-16. */
    const unsigned char *text;
    size_t text_size;
    unsigned char *owned;
    textenc_read(dg, name, data, size, &text, &text_size, &owned);
    csvin_table_t *t = csvin_parse_utf8(dg, name, text, text_size);
    free(owned);
    return t;
}

static csvin_table_t *csvin_parse_utf8(diag_t *dg, const char *name, const unsigned char *data,
                                       size_t size)
{
    if (!yamldoc_check_utf8(dg, name, data, size))
        return NULL;
    const unsigned char *p = data, *end = data + size;
    if (size >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    csvin_row_t *rows = NULL;
    size_t count = 0;
    if (csvin_split(dg, name, p, end, &rows, &count) != 0)
        return NULL;
    csvin_table_t *t = mem_zalloc(1, sizeof *t);
    t->file = mem_strdup(name);
    if (count == 0) {
        diag_pos_t pos = {.file = name, .line = 0, .column = 0};
        diag_fail(dg, &pos, "csvin-csv-file-empty-first",
                  "the CSV file is empty (the first row must name the columns)");
        free(rows);
        csvin_free(t);
        return NULL;
    }
    /* The header. */
    csvin_row_t *head = &rows[0];
    if (head->count > CSVIN_MAX_COLUMNS) {
        diag_pos_t pos = {.file = name, .line = head->line, .column = 1};
        diag_fail(dg, &pos, "csvin-too-many-columns",
                  "the header names %zu columns; a CSV table has at most %d", head->count,
                  CSVIN_MAX_COLUMNS);
        csvin_free_rows(rows, count);
        csvin_free(t);
        return NULL;
    }
    t->columns = mem_zalloc(head->count, sizeof *t->columns);
    t->column_count = head->count;
    int bad = 0;
    for (size_t i = 0; i < head->count; i++) {
        const csvin_cell_t *c = &head->cells[i];
        diag_pos_t pos = {.file = name, .line = c->line, .column = c->column};
        int unknown = csvin_classify(c->text, &t->columns[i]) != 0;
        t->columns[i].header = mem_strdup(c->text);
        if (unknown) {
            diag_fail(dg, &pos, "csvin-unknown-column-see-csv",
                      "unknown column '%s' (see \"CSV columns\" in docs/input-format.md)", c->text);
            bad = 1;
            continue;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(head->cells[k].text, c->text) == 0) {
                diag_fail(dg, &pos, "csvin-column-given-twice-first",
                          "column '%s' is given twice (first in column %d)", c->text,
                          head->cells[k].column);
                bad = 1;
            } else if (same_part(&t->columns[k], &t->columns[i])) {
                diag_fail(dg, &pos, "csvin-part-given-twice",
                          "column '%s' is part %d of %s again (first as '%s' in column %d)",
                          c->text, t->columns[i].number, t->columns[i].key, head->cells[k].text,
                          head->cells[k].column);
                bad = 1;
            } else if (same_value(&t->columns[k], &t->columns[i])) {
                diag_fail(dg, &pos, "csvin-column-same-value",
                          "column '%s' gives what column '%s' (column %d) gives: keep one of them",
                          c->text, head->cells[k].text, head->cells[k].column);
                bad = 1;
            }
    }
    for (size_t r = 1; r < count && !bad; r++)
        for (size_t i = 0; i < rows[r].count && i < head->count; i++)
            clean_cell(&t->columns[i], rows[r].cells[i].text);
    for (size_t r = 1; r < count && !bad; r++)
        if (rows[r].count > head->count) {
            diag_pos_t pos = {
                .file = name, .line = rows[r].line, .column = rows[r].cells[head->count].column};
            diag_fail(dg, &pos, "csvin-row-cells-header-names",
                      "this row has %zu cells, the header names %zu columns", rows[r].count,
                      head->count);
            bad = 1;
        }
    csvin_free_row(head);
    t->rows = rows;
    t->count = count;
    /* The header is not a data row. */
    memmove(t->rows, t->rows + 1, (count - 1) * sizeof *t->rows);
    t->count = count - 1;
    t->capacity = count;
    if (bad) {
        csvin_free(t);
        return NULL;
    }
    return t;
}

/* A whole file into memory; NULL after reporting. */
static unsigned char *csvin_slurp(diag_t *dg, const char *path, size_t *size)
{
    unsigned char *data = NULL;
    return filebuf_read(dg, path, "", CSVIN_MAX_BYTES, &data, size) == 0 ? data : NULL;
}

csvin_table_t *csvin_read_file(diag_t *dg, const char *path)
{
    size_t n = 0;
    unsigned char *buf = csvin_slurp(dg, path, &n);
    csvin_table_t *t = buf ? csvin_parse_buffer(dg, path, buf, n) : NULL;
    free(buf);
    return t;
}

int csvin_read_rows(diag_t *dg, const char *path, csvin_row_t **rows, size_t *count)
{
    size_t n = 0;
    unsigned char *buf = csvin_slurp(dg, path, &n);
    if (!buf)
        return -1;
    int rc = -1;
    if (yamldoc_check_utf8(dg, path, buf, n)) {
        size_t skip = n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        rc = csvin_split(dg, path, buf + skip, buf + n, rows, count);
    }
    free(buf);
    return rc;
}

void csvin_free_rows(csvin_row_t *rows, size_t count)
{
    for (size_t i = 0; i < count; i++)
        csvin_free_row(&rows[i]);
    free(rows);
}

void csvin_free(csvin_table_t *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->column_count; i++) {
        free(t->columns[i].key);
        free(t->columns[i].header);
    }
    free(t->columns);
    for (size_t i = 0; i < t->count; i++)
        csvin_free_row(&t->rows[i]);
    free(t->rows);
    free(t->file);
    free(t);
}

const char *csvin_row_get(const csvin_table_t *t, size_t row, const char *key)
{
    const csvin_row_t *r = &t->rows[row];
    for (size_t i = 0; i < t->column_count && i < r->count; i++)
        if (t->columns[i].kind <= CSVIN_AGENCY && strcmp(t->columns[i].key, key) == 0)
            return r->cells[i].text[0] ? r->cells[i].text : NULL;
    return NULL;
}

/* A cell's place for the document: the cell, told by its column's header. */
static diag_pos_t cell_pos(const csvin_table_t *t, const csvin_column_t *col,
                           const csvin_cell_t *cell)
{
    return (diag_pos_t){.file = t->file,
                        .line = cell->line,
                        .column = cell->column,
                        .column_name = col ? col->header : NULL};
}

/* key: the cell's text under map; numbers plain (the loader reads them exactly, and says
 * how to write one with a decimal comma), texts never (a name such as "2566" or "yes"
 * stays a text); an empty cell null. */
static void put_cell(yamldoc_t *doc, yamldoc_node_t *map, const csvin_table_t *t,
                     const csvin_column_t *col, const char *key, const csvin_cell_t *cell,
                     bool as_text)
{
    diag_pos_t pos = cell_pos(t, col, cell);
    yamldoc_add(doc, map, key, YAMLDOC_KIND_SCALAR, cell->text[0] ? cell->text : NULL, !as_text,
                &pos);
}

static int csvin_has(const csvin_table_t *t, const csvin_row_t *r, csvin_kind_t kind)
{
    for (size_t i = 0; i < t->column_count && i < r->count; i++)
        if (t->columns[i].kind == kind && r->cells[i].text[0])
            return 1;
    return 0;
}

/* A mapping under key, told at the row's start: the structure no one cell gives. */
static yamldoc_node_t *put_mapping(yamldoc_t *doc, yamldoc_node_t *map, const char *key,
                                   const diag_pos_t *row_pos)
{
    return yamldoc_add(doc, map, key, YAMLDOC_KIND_MAPPING, NULL, false, row_pos);
}

/* The row's report columns as the key `report`: office and date, then each signer's
 * fields under its own key (texts). */
static void put_report(yamldoc_t *doc, const csvin_table_t *t, const csvin_row_t *r, size_t n,
                       const diag_pos_t *row_pos)
{
    if (!csvin_has(t, r, CSVIN_REPORT))
        return;
    yamldoc_node_t *report = put_mapping(doc, doc->root, "report", row_pos);
    static const char *const signers[] = {"", "prepared_by/", "approved_by/"};
    for (size_t s = 0; s < 3; s++) {
        size_t prefix = strlen(signers[s]);
        yamldoc_node_t *signer = prefix ? NULL : report;
        for (size_t i = 0; i < n; i++) {
            const char *key = t->columns[i].key;
            if (t->columns[i].kind != CSVIN_REPORT || !r->cells[i].text[0] ||
                strncmp(key, signers[s], prefix) != 0 || (!prefix && strchr(key, '/')))
                continue;
            if (!signer) {
                char name[16];
                snprintf(name, sizeof name, "%.*s", (int)(prefix - 1), signers[s]);
                diag_pos_t pos = cell_pos(t, &t->columns[i], &r->cells[i]);
                signer = yamldoc_add(doc, report, name, YAMLDOC_KIND_MAPPING, NULL, false, &pos);
            }
            put_cell(doc, signer, t, &t->columns[i], key + prefix, &r->cells[i], true);
        }
    }
}

/* A question given part by part: its scores as a list in part order, a missing part as
 * null, under the key of its first column. */
static void put_parts(yamldoc_t *doc, yamldoc_node_t *questions, const csvin_table_t *t,
                      const csvin_row_t *r, size_t n, size_t first)
{
    const csvin_column_t *cols = t->columns;
    diag_pos_t pos = cell_pos(t, &cols[first], &r->cells[first]);
    yamldoc_node_t *list =
        yamldoc_add(doc, questions, cols[first].key, YAMLDOC_KIND_SEQUENCE, NULL, false, &pos);
    for (int part = 1; part <= 99; part++) {
        size_t k = 0;
        while (k < n && !(cols[k].kind == CSVIN_PART && cols[k].number == part &&
                          strcmp(cols[k].key, cols[first].key) == 0))
            k++;
        if (k == n)
            break;
        pos = cell_pos(t, &cols[k], &r->cells[k]);
        yamldoc_add(doc, list, NULL, YAMLDOC_KIND_SCALAR,
                    r->cells[k].text[0] ? r->cells[k].text : NULL, true, &pos);
    }
}

/* Earlier years, newest first as the columns first name them, each a mapping told at its
 * first cell. */
static void put_history(yamldoc_t *doc, const csvin_table_t *t, const csvin_row_t *r, size_t n,
                        const diag_pos_t *row_pos)
{
    const csvin_column_t *cols = t->columns;
    int years[64];
    size_t year_count = 0;
    for (size_t i = 0; i < n; i++) {
        if (cols[i].kind != CSVIN_HISTORY || !r->cells[i].text[0])
            continue;
        size_t y = 0;
        while (y < year_count && years[y] != cols[i].number)
            y++;
        if (y == year_count && year_count < sizeof years / sizeof years[0])
            years[year_count++] = cols[i].number;
    }
    if (!year_count)
        return;
    yamldoc_node_t *history =
        yamldoc_add(doc, doc->root, "history", YAMLDOC_KIND_SEQUENCE, NULL, false, row_pos);
    for (size_t y = 0; y < year_count; y++) {
        yamldoc_node_t *year = NULL;
        for (size_t i = 0; i < n; i++) {
            if (cols[i].kind != CSVIN_HISTORY || cols[i].number != years[y] || !r->cells[i].text[0])
                continue;
            diag_pos_t pos = cell_pos(t, &cols[i], &r->cells[i]);
            if (!year) {
                char digits[16];
                snprintf(digits, sizeof digits, "%d", years[y]);
                year = yamldoc_add(doc, history, NULL, YAMLDOC_KIND_MAPPING, NULL, false, &pos);
                yamldoc_add(doc, year, "fiscal_year", YAMLDOC_KIND_SCALAR, digits, true, &pos);
            }
            put_cell(doc, year, t, &cols[i], cols[i].key, &r->cells[i], false);
        }
    }
}

/* The scores: questions (a question with parts as one list), indicators, tools, overall. */
static void put_scores(yamldoc_t *doc, const csvin_table_t *t, const csvin_row_t *r, size_t n,
                       const diag_pos_t *row_pos)
{
    const csvin_column_t *cols = t->columns;
    yamldoc_node_t *scores = put_mapping(doc, doc->root, "scores", row_pos);
    if (csvin_has(t, r, CSVIN_QUESTION) || csvin_has(t, r, CSVIN_PART)) {
        yamldoc_node_t *questions = put_mapping(doc, scores, "questions", row_pos);
        for (size_t i = 0; i < n; i++) {
            if (cols[i].kind == CSVIN_QUESTION && r->cells[i].text[0])
                put_cell(doc, questions, t, &cols[i], cols[i].key, &r->cells[i], false);
            if (cols[i].kind != CSVIN_PART)
                continue;
            /* The first column of a question's parts writes all of them. */
            size_t first = i, given = 0;
            for (size_t k = 0; k < n; k++)
                if (cols[k].kind == CSVIN_PART && strcmp(cols[k].key, cols[i].key) == 0) {
                    if (k < first)
                        first = k;
                    given += r->cells[k].text[0] != 0;
                }
            if (first == i && given)
                put_parts(doc, questions, t, r, n, first);
        }
    }
    static const struct {
        csvin_kind_t kind;
        const char *key;
    } groups[] = {{CSVIN_INDICATOR, "indicators"}, {CSVIN_TOOL, "tools"}};
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        if (!csvin_has(t, r, groups[g].kind))
            continue;
        yamldoc_node_t *group = put_mapping(doc, scores, groups[g].key, row_pos);
        for (size_t i = 0; i < n; i++)
            if (cols[i].kind == groups[g].kind && r->cells[i].text[0])
                put_cell(doc, group, t, &cols[i], cols[i].key, &r->cells[i], false);
    }
    for (size_t i = 0; i < n; i++)
        if (cols[i].kind == CSVIN_OVERALL && r->cells[i].text[0])
            put_cell(doc, scores, t, &cols[i], "overall", &r->cells[i], false);
}

yamldoc_t *csvin_row_to_doc(const csvin_table_t *t, size_t row)
{
    const csvin_row_t *r = &t->rows[row];
    size_t n = t->column_count < r->count ? t->column_count : r->count;
    const csvin_column_t *cols = t->columns;
    diag_pos_t row_pos = {.file = t->file, .line = r->line, .column = 1};
    yamldoc_t *doc = yamldoc_new(t->file, &row_pos);
    /* The input's and the agency's own fields, an empty one as null at its cell (so that a
     * required one is told there); a score's empty cell is "not given" and left out. */
    for (size_t i = 0; i < n; i++)
        if (cols[i].kind == CSVIN_TOP)
            put_cell(doc, doc->root, t, &cols[i], cols[i].key, &r->cells[i],
                     strcmp(cols[i].key, "framework") == 0);
    yamldoc_node_t *agency = put_mapping(doc, doc->root, "agency", &row_pos);
    for (size_t i = 0; i < n; i++)
        if (cols[i].kind == CSVIN_AGENCY)
            put_cell(doc, agency, t, &cols[i], cols[i].key, &r->cells[i], true);
    put_scores(doc, t, r, n, &row_pos);
    put_history(doc, t, r, n, &row_pos);
    put_report(doc, t, r, n, &row_pos);
    return doc;
}
