/* tmpl — see tmpl.h. */
#include "tmpl.h"

#include "mem.h"
#include "tmplext.h"
#include "yamldoc.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct loader {
    diag_t *dg;
    tmpl_t *t;
    int errors;
} loader_t;

static void error_at(loader_t *l, const yamldoc_node_t *node, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void error_at(loader_t *l, const yamldoc_node_t *node, const char *id, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    l->errors++;
    diag_vemit(l->dg, DIAG_ERROR, node ? &node->pos : NULL, id, fmt, args);
    va_end(args);
}

/* The template's own copy of a file name positions point to (a template that extends
 * another is made of several files, whose parsed documents go away after loading). */
static const char *own_file(loader_t *l, const char *file)
{
    tmpl_t *t = l->t;
    if (!file || strcmp(file, t->file) == 0)
        return t->file;
    for (size_t i = 0; i < t->file_count; i++)
        if (strcmp(t->files[i], file) == 0)
            return t->files[i];
    t->files = mem_realloc(t->files, (t->file_count + 1) * sizeof *t->files);
    t->files[t->file_count] = mem_strdup(file);
    return t->files[t->file_count++];
}

double tmpl_parse_length(const char *text)
{
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || !isfinite(v) || v < 0)
        return -1;
    while (*end == ' ')
        end++;
    if (*end == '\0' || strcmp(end, "pt") == 0)
        return v;
    if (strcmp(end, "cm") == 0)
        return v * 72.0 / 2.54;
    if (strcmp(end, "mm") == 0)
        return v * 72.0 / 25.4;
    if (strcmp(end, "in") == 0)
        return v * 72.0;
    return -1;
}

static bool scalar(const yamldoc_node_t *n)
{
    return n && n->kind == YAMLDOC_KIND_SCALAR && !n->null;
}

static double read_length(loader_t *l, const yamldoc_node_t *n, const char *what)
{
    double v = scalar(n) ? tmpl_parse_length(n->text) : -1;
    if (v < 0)
        error_at(l, n, "tmpl-length-like-cm-mm", "%s must be a length like 3cm, 25mm or 12pt",
                 what);
    return v < 0 ? 0 : v;
}

static double read_number(loader_t *l, const yamldoc_node_t *n, const char *what)
{
    char *end = NULL;
    double v = scalar(n) ? strtod(n->text, &end) : NAN;
    if (!scalar(n) || !end || *end || !isfinite(v)) {
        error_at(l, n, "tmpl-number", "%s must be a number", what);
        return 0;
    }
    return v;
}

/* A whole number in [min, max] (reported otherwise; min is returned then). */
static long read_count(loader_t *l, const yamldoc_node_t *n, const char *what, long min, long max)
{
    double v = read_number(l, n, what);
    if (v != floor(v) || v < (double)min || v > (double)max) {
        error_at(l, n, "tmpl-whole-number", "%s must be a whole number from %ld to %ld", what, min,
                 max);
        return min;
    }
    return (long)v;
}

static bool read_flag(loader_t *l, const yamldoc_node_t *n, const char *what)
{
    bool b = false;
    if (!yamldoc_read_bool(l->dg, n, what, &b))
        l->errors++;
    return b;
}

static dl_color_t read_color(loader_t *l, const yamldoc_node_t *n, const char *what)
{
    dl_color_t c = {0, 0, 0};
    unsigned v = 0;
    if (!scalar(n) || n->len != 7 || n->text[0] != '#' ||
        strspn(n->text + 1, "0123456789abcdefABCDEF") != 6) {
        error_at(l, n, "tmpl-colour-like-c", "%s must be a colour like \"#C00000\"", what);
        return c;
    }
    v = (unsigned)strtoul(n->text + 1, NULL, 16);
    c.r = (float)((v >> 16) & 0xFF) / 255.0f;
    c.g = (float)((v >> 8) & 0xFF) / 255.0f;
    c.b = (float)(v & 0xFF) / 255.0f;
    return c;
}

static tmpl_text_t read_text(loader_t *l, const yamldoc_node_t *n, const char *what)
{
    tmpl_text_t t = {NULL, {0}};
    if (!n)
        return t;
    t.pos = n->pos;
    t.pos.file = own_file(l, n->pos.file); /* the parsed documents go away after loading */
    if (!n->plain && !n->null)
        t.pos.column++; /* a quoted text starts after its quote */
    if (n->kind != YAMLDOC_KIND_SCALAR) {
        error_at(l, n, "tmpl-text", "%s must be a text", what);
        return t;
    }
    t.text = mem_strndup(n->text, n->null ? 0 : n->len);
    return t;
}

/* `when: path` or `unless: path` on a mapping. */
static tmpl_cond_t read_cond(loader_t *l, const yamldoc_node_t *map)
{
    tmpl_cond_t c = {NULL, false, {0}};
    const yamldoc_node_t *when = yamldoc_get(map, "when");
    const yamldoc_node_t *unless = yamldoc_get(map, "unless");
    const yamldoc_node_t *n = when ? when : unless;
    if (!n)
        return c;
    if (when && unless)
        error_at(l, unless, "tmpl-use-either-when-unless",
                 "use either 'when' or 'unless', not both");
    if (!scalar(n)) {
        error_at(l, n, "tmpl-condition-data-path-like",
                 "a condition must be a data path like 'passed' or 'area.discuss'");
        return c;
    }
    c.path = mem_strdup(n->text);
    c.negate = n == unless;
    c.pos = n->pos;
    c.pos.file = own_file(l, n->pos.file);
    return c;
}

static size_t find_style(const tmpl_t *t, const char *name)
{
    for (size_t i = 0; i < t->style_count; i++)
        if (strcmp(t->styles[i].name, name) == 0)
            return i;
    return SIZE_MAX;
}

/* A style reference by name; the first style ("body" by convention) when absent. */
static size_t read_style_ref(loader_t *l, const yamldoc_node_t *map, size_t fallback)
{
    const yamldoc_node_t *n = yamldoc_get(map, "style");
    if (!n)
        return fallback;
    size_t i = scalar(n) ? find_style(l->t, n->text) : SIZE_MAX;
    if (i == SIZE_MAX) {
        error_at(l, n, "tmpl-unknown-style", "unknown style '%s'", scalar(n) ? n->text : "");
        return fallback;
    }
    return i;
}

static void read_style(loader_t *l, const yamldoc_node_t *key, const yamldoc_node_t *map,
                       tmpl_style_t *s)
{
    static const char *const keys[] = {"size",         "bold",           "italic",      "align",
                                       "line_spacing", "space_before",   "space_after", "indent",
                                       "color",        "keep_with_next", "outline",     NULL};
    s->name = mem_strdup(key->text);
    s->style = (doc_style_t){.size = 16, .align = LAYOUT_ALIGN_LEFT, .line_spacing = 1.0};
    if (!yamldoc_expect(l->dg, map, YAMLDOC_KIND_MAPPING, "a style")) {
        l->errors++;
        return;
    }
    if (!yamldoc_check_keys(l->dg, map, keys, "a style"))
        l->errors++;
    const yamldoc_node_t *n;
    if ((n = yamldoc_get(map, "size")))
        s->style.size = read_number(l, n, "size");
    int font = 0;
    if ((n = yamldoc_get(map, "bold")))
        font |= read_flag(l, n, "bold") ? 1 : 0, s->sets_font = true;
    if ((n = yamldoc_get(map, "italic")))
        font |= read_flag(l, n, "italic") ? 2 : 0, s->sets_font = true;
    s->style.font = font;
    if ((n = yamldoc_get(map, "align"))) {
        int a = scalar(n) ? layout_align_parse(n->text) : -1;
        if (a < 0)
            error_at(l, n, "tmpl-align-left-right-center",
                     "align must be left, right, center, justify or thai-distributed");
        else
            s->style.align = (layout_align_t)a;
    }
    if ((n = yamldoc_get(map, "line_spacing")))
        s->style.line_spacing = read_number(l, n, "line_spacing");
    if ((n = yamldoc_get(map, "space_before")))
        s->style.space_before = read_length(l, n, "space_before");
    if ((n = yamldoc_get(map, "space_after")))
        s->style.space_after = read_length(l, n, "space_after");
    if ((n = yamldoc_get(map, "indent")))
        s->style.indent = read_length(l, n, "indent");
    if ((n = yamldoc_get(map, "color")))
        s->style.color = read_color(l, n, "color"), s->sets_color = true;
    if ((n = yamldoc_get(map, "keep_with_next")))
        s->style.keep_with_next = read_flag(l, n, "keep_with_next");
    if ((n = yamldoc_get(map, "outline")))
        s->style.outline_level = (int)read_count(l, n, "outline", 0, 6);
    if (s->style.size < 4 || s->style.size > 200)
        error_at(l, yamldoc_get(map, "size"), "tmpl-size-points",
                 "size must be from 4 to 200 points");
}

/* ---- blocks ---- */

static void read_blocks(loader_t *l, const yamldoc_node_t *list, tmpl_block_t **out, size_t *count);

static void read_cell(loader_t *l, const yamldoc_node_t *n, tmpl_cell_t *c, size_t style,
                      bool header)
{
    static const char *const keys[] = {"text", "col",    "colspan", "rowspan", "style",
                                       "when", "unless", "mark",    "fill",    NULL};
    memset(c, 0, sizeof *c);
    c->colspan = c->rowspan = 1;
    c->col = SIZE_MAX;
    c->style = style;
    if (n->kind == YAMLDOC_KIND_SCALAR) {
        c->text = read_text(l, n, "a cell");
        return;
    }
    if (!yamldoc_expect(l->dg, n, YAMLDOC_KIND_MAPPING, "a cell")) {
        l->errors++;
        return;
    }
    if (!yamldoc_check_keys(l->dg, n, keys, "a cell"))
        l->errors++;
    c->text = read_text(l, yamldoc_get(n, "text"), "text");
    if (!c->text.text)
        c->text = (tmpl_text_t){
            mem_strdup(""),
            {.file = own_file(l, n->pos.file), .line = n->pos.line, .column = n->pos.column}};
    const yamldoc_node_t *v;
    if ((v = yamldoc_get(n, "col")))
        c->col = (size_t)read_count(l, v, "col", 0, 63);
    if ((v = yamldoc_get(n, "colspan")))
        c->colspan = (size_t)read_count(l, v, "colspan", 1, 64);
    if ((v = yamldoc_get(n, "rowspan"))) {
        if (!header)
            error_at(l, v, "tmpl-rowspan-header-cells-body",
                     "rowspan is for header cells; body cells span their group's rows");
        c->rowspan = (size_t)read_count(l, v, "rowspan", 1, 64);
    }
    c->style = read_style_ref(l, n, style);
    c->when = read_cond(l, n);
    if ((v = yamldoc_get(n, "mark"))) {
        if (!scalar(v))
            error_at(l, v, "tmpl-mark-data-path", "mark must be a data path");
        else
            c->mark = (tmpl_cond_t){
                mem_strdup(v->text),
                false,
                {.file = own_file(l, v->pos.file), .line = v->pos.line, .column = v->pos.column}};
    }
    if ((v = yamldoc_get(n, "fill")))
        c->fill = read_color(l, v, "fill"), c->has_fill = true;
}

static void read_rows(loader_t *l, const yamldoc_node_t *n, tmpl_rows_t *r, size_t style,
                      size_t columns)
{
    static const char *const keys[] = {"each", "as", "when", "unless", "cells", "rows", NULL};
    memset(r, 0, sizeof *r);
    if (!yamldoc_expect(l->dg, n, YAMLDOC_KIND_MAPPING, "a row group")) {
        l->errors++;
        return;
    }
    if (!yamldoc_check_keys(l->dg, n, keys, "a row group"))
        l->errors++;
    r->when = read_cond(l, n);
    const yamldoc_node_t *v;
    if ((v = yamldoc_get(n, "each"))) {
        r->each = read_text(l, v, "each");
        const yamldoc_node_t *as = yamldoc_require(l->dg, n, "as", "a repeated row group");
        if (as && !yamldoc_read_text(l->dg, as, "as", &r->as))
            l->errors++;
        if (!as)
            l->errors++;
    }
    if ((v = yamldoc_get(n, "cells"))) {
        if (!yamldoc_expect(l->dg, v, YAMLDOC_KIND_SEQUENCE, "cells")) {
            l->errors++;
        } else {
            r->cells = mem_zalloc(v->count, sizeof *r->cells);
            r->cell_count = v->count;
            for (size_t i = 0; i < v->count; i++) {
                read_cell(l, v->items[i], &r->cells[i], style, false);
                if (r->cells[i].col == SIZE_MAX)
                    error_at(l, v->items[i], "tmpl-body-cell-needs-col",
                             "a body cell needs 'col' (its column, from 0)%s", "");
                else if (r->cells[i].col + r->cells[i].colspan > columns)
                    error_at(l, v->items[i], "tmpl-cell-lies-beyond-table",
                             "the cell lies beyond the table's columns");
            }
        }
    }
    if ((v = yamldoc_get(n, "rows"))) {
        if (!yamldoc_expect(l->dg, v, YAMLDOC_KIND_SEQUENCE, "rows")) {
            l->errors++;
        } else {
            r->rows = mem_zalloc(v->count, sizeof *r->rows);
            r->row_count = v->count;
            for (size_t i = 0; i < v->count; i++)
                read_rows(l, v->items[i], &r->rows[i], style, columns);
        }
    }
}

static void read_table(loader_t *l, const yamldoc_node_t *n, tmpl_table_t *t, size_t style)
{
    static const char *const keys[] = {"columns",      "header",  "body",        "border",
                                       "border_color", "padding", "header_fill", "style",
                                       "header_style", NULL};
    if (!yamldoc_expect(l->dg, n, YAMLDOC_KIND_MAPPING, "a table")) {
        l->errors++;
        return;
    }
    if (!yamldoc_check_keys(l->dg, n, keys, "a table"))
        l->errors++;
    t->border_width = 0.5;
    t->padding = 4;
    t->header_fill = (dl_color_t){0.9f, 0.93f, 0.97f};
    const yamldoc_node_t *v;
    if ((v = yamldoc_get(n, "border")))
        t->border_width = read_length(l, v, "border");
    if ((v = yamldoc_get(n, "border_color")))
        t->border_color = read_color(l, v, "border_color");
    if ((v = yamldoc_get(n, "padding")))
        t->padding = read_length(l, v, "padding");
    if ((v = yamldoc_get(n, "header_fill")))
        t->header_fill = read_color(l, v, "header_fill");
    size_t cell_style = read_style_ref(l, n, style);
    size_t header_style = cell_style;
    if ((v = yamldoc_get(n, "header_style"))) {
        size_t i = scalar(v) ? find_style(l->t, v->text) : SIZE_MAX;
        if (i == SIZE_MAX)
            error_at(l, v, "tmpl-unknown-style", "unknown style '%s'", scalar(v) ? v->text : "");
        else
            header_style = i;
    }
    const yamldoc_node_t *cols = yamldoc_require(l->dg, n, "columns", "a table");
    if (!cols || !yamldoc_expect(l->dg, cols, YAMLDOC_KIND_SEQUENCE, "columns") ||
        cols->count == 0) {
        l->errors++;
        return;
    }
    t->columns = mem_zalloc(cols->count, sizeof *t->columns);
    t->column_count = cols->count;
    for (size_t i = 0; i < cols->count; i++) {
        const yamldoc_node_t *c = cols->items[i];
        const yamldoc_node_t *w = c->kind == YAMLDOC_KIND_MAPPING ? yamldoc_get(c, "width") : c;
        if (c->kind == YAMLDOC_KIND_MAPPING) {
            static const char *const ckeys[] = {"width", NULL};
            if (!yamldoc_check_keys(l->dg, c, ckeys, "a column"))
                l->errors++;
        }
        if (!scalar(w) || strcmp(w->text, "auto") == 0) {
            t->columns[i].kind = DOC_WIDTH_AUTO;
        } else if (w->len > 1 && w->text[w->len - 1] == '%') {
            t->columns[i].kind = DOC_WIDTH_RELATIVE;
            t->columns[i].value = strtod(w->text, NULL) / 100.0;
            if (!(t->columns[i].value > 0 && t->columns[i].value <= 1))
                error_at(l, w, "tmpl-relative-width", "a relative width must be from 1%% to 100%%");
        } else {
            t->columns[i].kind = DOC_WIDTH_FIXED;
            t->columns[i].value = read_length(l, w, "width");
        }
    }
    if ((v = yamldoc_get(n, "header"))) {
        if (!yamldoc_expect(l->dg, v, YAMLDOC_KIND_SEQUENCE, "header")) {
            l->errors++;
        } else {
            t->header_count = v->count;
            t->header = mem_zalloc(v->count, sizeof *t->header);
            t->header_cell_count = mem_zalloc(v->count, sizeof *t->header_cell_count);
            for (size_t r = 0; r < v->count; r++) {
                const yamldoc_node_t *row = v->items[r];
                if (!yamldoc_expect(l->dg, row, YAMLDOC_KIND_SEQUENCE, "a header row")) {
                    l->errors++;
                    continue;
                }
                t->header[r] = mem_zalloc(row->count, sizeof **t->header);
                t->header_cell_count[r] = row->count;
                for (size_t c = 0; c < row->count; c++) {
                    read_cell(l, row->items[c], &t->header[r][c], header_style, true);
                    if (!t->header[r][c].has_fill) {
                        t->header[r][c].has_fill = true;
                        t->header[r][c].fill = t->header_fill;
                    }
                }
            }
        }
    }
    const yamldoc_node_t *body = yamldoc_require(l->dg, n, "body", "a table");
    if (body)
        read_rows(l, body, &t->body, cell_style, t->column_count);
    else
        l->errors++;
}

static void read_chart(loader_t *l, const yamldoc_node_t *n, tmpl_chart_t *c)
{
    static const char *const keys[] = {"title",
                                       "each",
                                       "as",
                                       "category",
                                       "series",
                                       "axis_max",
                                       "axis_step",
                                       "height",
                                       "width",
                                       "label_size",
                                       "decimals",
                                       "reference",
                                       "reference_label",
                                       "reference_color",
                                       "empty",
                                       NULL};
    if (!yamldoc_expect(l->dg, n, YAMLDOC_KIND_MAPPING, "a chart")) {
        l->errors++;
        return;
    }
    if (!yamldoc_check_keys(l->dg, n, keys, "a chart"))
        l->errors++;
    c->axis_max = 100;
    c->axis_step = 20;
    c->height = 220;
    c->width_fraction = 1;
    c->label_size = 12;
    c->value_decimals = 2;
    c->reference_color = (dl_color_t){0.75f, 0, 0};
    const yamldoc_node_t *v;
    c->title = read_text(l, yamldoc_get(n, "title"), "title");
    const yamldoc_node_t *each = yamldoc_require(l->dg, n, "each", "a chart");
    const yamldoc_node_t *as = yamldoc_require(l->dg, n, "as", "a chart");
    const yamldoc_node_t *category = yamldoc_require(l->dg, n, "category", "a chart");
    if (!each || !as || !category) {
        l->errors++;
        return;
    }
    c->each = read_text(l, each, "each");
    if (!yamldoc_read_text(l->dg, as, "as", &c->as))
        l->errors++;
    c->category = read_text(l, category, "category");
    if ((v = yamldoc_get(n, "axis_max")))
        c->axis_max = read_number(l, v, "axis_max");
    if ((v = yamldoc_get(n, "axis_step")))
        c->axis_step = read_number(l, v, "axis_step");
    if ((v = yamldoc_get(n, "height")))
        c->height = read_length(l, v, "height");
    if ((v = yamldoc_get(n, "width")))
        c->width_fraction = read_number(l, v, "width");
    if ((v = yamldoc_get(n, "label_size")))
        c->label_size = read_number(l, v, "label_size");
    if ((v = yamldoc_get(n, "decimals")))
        c->value_decimals = (int)read_count(l, v, "decimals", 0, 4);
    c->reference = read_text(l, yamldoc_get(n, "reference"), "reference");
    c->reference_label = read_text(l, yamldoc_get(n, "reference_label"), "reference_label");
    if ((v = yamldoc_get(n, "reference_color")))
        c->reference_color = read_color(l, v, "reference_color");
    c->empty = read_text(l, yamldoc_get(n, "empty"), "empty");
    if (c->axis_max <= 0 || c->axis_step <= 0 || c->height < 40 || c->width_fraction <= 0 ||
        c->width_fraction > 1 || c->value_decimals < 0 || c->value_decimals > 4)
        error_at(l, n, "tmpl-chart-sizes-axis-max",
                 "chart sizes: axis_max and axis_step above 0, height at least 40pt, width a "
                 "fraction from 0 to 1, decimals 0 to 4");
    const yamldoc_node_t *series = yamldoc_require(l->dg, n, "series", "a chart");
    if (!series || !yamldoc_expect(l->dg, series, YAMLDOC_KIND_SEQUENCE, "series") ||
        series->count == 0) {
        l->errors++;
        return;
    }
    c->series = mem_zalloc(series->count, sizeof *c->series);
    c->series_count = series->count;
    static const char *const skeys[] = {"name", "value", "color", NULL};
    for (size_t i = 0; i < series->count; i++) {
        const yamldoc_node_t *s = series->items[i];
        if (!yamldoc_expect(l->dg, s, YAMLDOC_KIND_MAPPING, "a series")) {
            l->errors++;
            continue;
        }
        if (!yamldoc_check_keys(l->dg, s, skeys, "a series"))
            l->errors++;
        c->series[i].name = read_text(l, yamldoc_get(s, "name"), "name");
        const yamldoc_node_t *value = yamldoc_require(l->dg, s, "value", "a series");
        if (!value)
            l->errors++;
        c->series[i].value = read_text(l, value, "value");
        c->series[i].color = (dl_color_t){0.27f, 0.45f, 0.77f};
        if ((v = yamldoc_get(s, "color")))
            c->series[i].color = read_color(l, v, "color");
    }
}

static const char *const block_kinds[] = {"paragraph",  "list",  "table", "chart",  "space",
                                          "page_break", "image", "each",  "blocks", NULL};

static void read_block(loader_t *l, const yamldoc_node_t *n, tmpl_block_t *b)
{
    static const char *const keys[] = {
        "paragraph", "list",   "table", "chart", "space", "page_break", "image", "width",  "height",
        "each",      "blocks", "as",    "style", "when",  "unless",     "item",  "prefix", NULL};
    memset(b, 0, sizeof *b);
    b->pos = n->pos;
    b->pos.file = own_file(l, n->pos.file);
    b->style = 0;
    if (!yamldoc_expect(l->dg, n, YAMLDOC_KIND_MAPPING, "a block")) {
        l->errors++;
        return;
    }
    if (!yamldoc_check_keys(l->dg, n, keys, "a block"))
        l->errors++;
    b->when = read_cond(l, n);
    b->style = read_style_ref(l, n, 0);
    const yamldoc_node_t *kind = NULL;
    const char *kind_name = NULL;
    for (size_t i = 0; block_kinds[i]; i++) {
        const yamldoc_node_t *v = yamldoc_get(n, block_kinds[i]);
        if (!v || (strcmp(block_kinds[i], "blocks") == 0 && yamldoc_get(n, "each")))
            continue;
        if (kind) {
            error_at(l, v, "tmpl-block-one-kind-comes",
                     "a block has one kind; '%s' comes with another", block_kinds[i]);
            continue;
        }
        kind = v;
        kind_name = block_kinds[i];
    }
    if (!kind) {
        error_at(l, n, "tmpl-block-needs-one-paragraph",
                 "a block needs one of paragraph, list, table, chart, space, page_break, image, "
                 "each or blocks");
        return;
    }
    if (strcmp(kind_name, "paragraph") == 0) {
        b->kind = TMPL_PARAGRAPH;
        if (kind->kind == YAMLDOC_KIND_SEQUENCE) {
            b->pieces = mem_zalloc(kind->count, sizeof *b->pieces);
            b->piece_count = kind->count;
            static const char *const pkeys[] = {"text", "when", "unless", NULL};
            for (size_t i = 0; i < kind->count; i++) {
                const yamldoc_node_t *p = kind->items[i];
                if (p->kind == YAMLDOC_KIND_MAPPING) {
                    if (!yamldoc_check_keys(l->dg, p, pkeys, "a paragraph piece"))
                        l->errors++;
                    b->pieces[i].text = read_text(l, yamldoc_get(p, "text"), "text");
                    b->pieces[i].when = read_cond(l, p);
                } else {
                    b->pieces[i].text = read_text(l, p, "a paragraph piece");
                }
            }
        } else {
            b->pieces = mem_zalloc(1, sizeof *b->pieces);
            b->piece_count = 1;
            b->pieces[0].text = read_text(l, kind, "a paragraph");
        }
    } else if (strcmp(kind_name, "list") == 0) {
        b->kind = TMPL_LIST;
        b->each = read_text(l, kind, "list");
        const yamldoc_node_t *as = yamldoc_require(l->dg, n, "as", "a list");
        const yamldoc_node_t *item = yamldoc_require(l->dg, n, "item", "a list");
        if (!as || !item || !yamldoc_read_text(l->dg, as, "as", &b->as))
            l->errors++;
        b->item = read_text(l, item, "item");
        b->prefix = read_text(l, yamldoc_get(n, "prefix"), "prefix");
    } else if (strcmp(kind_name, "table") == 0) {
        b->kind = TMPL_TABLE;
        read_table(l, kind, &b->table, b->style);
    } else if (strcmp(kind_name, "chart") == 0) {
        b->kind = TMPL_CHART;
        read_chart(l, kind, &b->chart);
    } else if (strcmp(kind_name, "space") == 0) {
        b->kind = TMPL_SPACE;
        b->space = read_length(l, kind, "space");
    } else if (strcmp(kind_name, "page_break") == 0) {
        b->kind = TMPL_PAGE_BREAK;
    } else if (strcmp(kind_name, "image") == 0) {
        b->kind = TMPL_IMAGE;
        b->image = read_text(l, kind, "image");
        const yamldoc_node_t *v;
        if ((v = yamldoc_get(n, "width")))
            b->image_width = read_length(l, v, "width");
        if ((v = yamldoc_get(n, "height")))
            b->image_height = read_length(l, v, "height");
    } else if (strcmp(kind_name, "each") == 0) {
        b->kind = TMPL_EACH;
        b->each = read_text(l, kind, "each");
        const yamldoc_node_t *as = yamldoc_require(l->dg, n, "as", "an each block");
        if (!as || !yamldoc_read_text(l->dg, as, "as", &b->as))
            l->errors++;
        const yamldoc_node_t *blocks = yamldoc_require(l->dg, n, "blocks", "an each block");
        if (blocks)
            read_blocks(l, blocks, &b->blocks, &b->block_count);
        else
            l->errors++;
    } else {
        b->kind = TMPL_GROUP;
        read_blocks(l, kind, &b->blocks, &b->block_count);
    }
}

static void read_blocks(loader_t *l, const yamldoc_node_t *list, tmpl_block_t **out, size_t *count)
{
    if (!yamldoc_expect(l->dg, list, YAMLDOC_KIND_SEQUENCE, "blocks")) {
        l->errors++;
        return;
    }
    *out = mem_zalloc(list->count, sizeof **out);
    *count = list->count;
    for (size_t i = 0; i < list->count; i++)
        read_block(l, list->items[i], &(*out)[i]);
}

/* ---- the whole template ---- */

static value_t *to_value(const yamldoc_node_t *n)
{
    if (!n || (n->kind == YAMLDOC_KIND_SCALAR && n->null))
        return value_null();
    if (n->kind == YAMLDOC_KIND_SCALAR)
        return value_text(n->text);
    if (n->kind == YAMLDOC_KIND_SEQUENCE) {
        value_t *v = value_list();
        for (size_t i = 0; i < n->count; i++)
            value_push(v, to_value(n->items[i]));
        return v;
    }
    value_t *v = value_map();
    for (size_t i = 0; i < n->count; i++)
        value_set(v, n->pairs[i].key->text, to_value(n->pairs[i].value));
    return v;
}

static void read_running(loader_t *l, const yamldoc_node_t *n, tmpl_running_t *r)
{
    static const char *const keys[] = {"text", "style", "skip_first", NULL};
    if (!n)
        return;
    if (!yamldoc_expect(l->dg, n, YAMLDOC_KIND_MAPPING, "a header or footer")) {
        l->errors++;
        return;
    }
    if (!yamldoc_check_keys(l->dg, n, keys, "a header or footer"))
        l->errors++;
    r->text = read_text(l, yamldoc_get(n, "text"), "text");
    r->style = read_style_ref(l, n, 0);
    const yamldoc_node_t *v = yamldoc_get(n, "skip_first");
    if (v)
        r->skip_first = read_flag(l, v, "skip_first");
}

static void read_page(loader_t *l, const yamldoc_node_t *n, tmpl_t *t)
{
    static const char *const keys[] = {"size", "margins", NULL};
    static const char *const mkeys[] = {"left", "right", "top", "bottom", NULL};
    t->page_width = 595.275590551;
    t->page_height = 841.88976378;
    t->margin_left = 3 * 72 / 2.54;
    t->margin_right = t->margin_bottom = 2 * 72 / 2.54;
    t->margin_top = 2.5 * 72 / 2.54;
    if (!n)
        return;
    if (!yamldoc_expect(l->dg, n, YAMLDOC_KIND_MAPPING, "page")) {
        l->errors++;
        return;
    }
    if (!yamldoc_check_keys(l->dg, n, keys, "page"))
        l->errors++;
    const yamldoc_node_t *size = yamldoc_get(n, "size");
    if (size && !(yamldoc_is(size, "A4") || yamldoc_is(size, "a4")))
        error_at(l, size, "tmpl-page-size-supported", "page size '%s' is not supported (A4)",
                 scalar(size) ? size->text : "");
    const yamldoc_node_t *m = yamldoc_get(n, "margins");
    if (m) {
        if (!yamldoc_expect(l->dg, m, YAMLDOC_KIND_MAPPING, "margins") ||
            !yamldoc_check_keys(l->dg, m, mkeys, "margins")) {
            l->errors++;
            return;
        }
        const yamldoc_node_t *v;
        if ((v = yamldoc_get(m, "left")))
            t->margin_left = read_length(l, v, "left");
        if ((v = yamldoc_get(m, "right")))
            t->margin_right = read_length(l, v, "right");
        if ((v = yamldoc_get(m, "top")))
            t->margin_top = read_length(l, v, "top");
        if ((v = yamldoc_get(m, "bottom")))
            t->margin_bottom = read_length(l, v, "bottom");
        if (t->margin_left + t->margin_right > t->page_height * 0.6 ||
            t->margin_top + t->margin_bottom > t->page_width * 0.6)
            error_at(l, m, "tmpl-margins-leave-too-little",
                     "the margins leave too little room for text");
    }
}

static tmpl_t *tmpl_from_doc(diag_t *dg, const char *path, yamldoc_t *doc);

tmpl_t *tmpl_load(diag_t *dg, const char *path)
{
    yamldoc_t *doc = yamldoc_parse_file(dg, path, NULL);
    return doc ? tmpl_from_doc(dg, path, doc) : NULL;
}

tmpl_t *tmpl_load_buffer(diag_t *dg, const char *name, const unsigned char *data, size_t size)
{
    yamldoc_t *doc = yamldoc_parse_buffer(dg, name, data, size, NULL);
    return doc ? tmpl_from_doc(dg, name, doc) : NULL;
}

/* Builds the template from a parsed document, which it frees. */
static tmpl_t *tmpl_from_doc(diag_t *dg, const char *path, yamldoc_t *doc)
{
    tmplext_t *ext = NULL; /* the documents of the templates this one extends */
    doc = tmplext_resolve(dg, doc, path, &ext);
    if (!doc) {
        tmplext_free(ext);
        return NULL;
    }
    loader_t l = {dg, mem_zalloc(1, sizeof(tmpl_t)), 0};
    tmpl_t *t = l.t;
    t->file = mem_strdup(path);
    t->mark_style = SIZE_MAX;
    const yamldoc_node_t *root = doc->root;
    static const char *const keys[] = {"page",          "fonts",    "digits", "styles",
                                       "mark_style",    "header",   "footer", "wording",
                                       "keep_together", "sections", NULL};
    if (!root || !yamldoc_expect(dg, root, YAMLDOC_KIND_MAPPING, "a report template")) {
        diag_pos_t pos = {.file = doc->file, .line = 1, .column = 1};
        if (!root)
            diag_fail(dg, &pos, "tmpl-report-template-empty", "the report template is empty");
        goto fail;
    }
    if (!yamldoc_check_keys(dg, root, keys, "a report template"))
        l.errors++;
    read_page(&l, yamldoc_get(root, "page"), t);

    static const char *const font_keys[] = {"regular", "bold", "italic", "bold_italic", NULL};
    static const char *const font_defaults[] = {
        "fonts/Sarabun-Regular.ttf", "fonts/Sarabun-Bold.ttf", "fonts/Sarabun-Italic.ttf",
        "fonts/Sarabun-BoldItalic.ttf"};
    const yamldoc_node_t *fonts = yamldoc_get(root, "fonts");
    if (fonts && (!yamldoc_expect(dg, fonts, YAMLDOC_KIND_MAPPING, "fonts") ||
                  !yamldoc_check_keys(dg, fonts, font_keys, "fonts")))
        l.errors++;
    for (int i = 0; i < 4; i++) {
        const yamldoc_node_t *f = fonts ? yamldoc_get(fonts, font_keys[i]) : NULL;
        if (f && !yamldoc_read_text(dg, f, font_keys[i], &t->fonts[i]))
            l.errors++;
        if (!t->fonts[i])
            t->fonts[i] = mem_strdup(font_defaults[i]);
    }
    const yamldoc_node_t *digits = yamldoc_get(root, "digits");
    if (digits) {
        if (yamldoc_is(digits, "thai"))
            t->thai_digits = true;
        else if (!yamldoc_is(digits, "arabic"))
            error_at(&l, digits, "tmpl-digits-arabic-thai", "digits must be arabic or thai");
    }

    const yamldoc_node_t *styles = yamldoc_require(dg, root, "styles", "a report template");
    if (!styles || !yamldoc_expect(dg, styles, YAMLDOC_KIND_MAPPING, "styles") || !styles->count) {
        l.errors++;
        goto fail;
    }
    t->styles = mem_zalloc(styles->count, sizeof *t->styles);
    t->style_count = styles->count;
    for (size_t i = 0; i < styles->count; i++)
        read_style(&l, styles->pairs[i].key, styles->pairs[i].value, &t->styles[i]);
    const yamldoc_node_t *mark = yamldoc_get(root, "mark_style");
    if (mark) {
        t->mark_style = scalar(mark) ? find_style(t, mark->text) : SIZE_MAX;
        if (t->mark_style == SIZE_MAX)
            error_at(&l, mark, "tmpl-unknown-style", "unknown style '%s'",
                     scalar(mark) ? mark->text : "");
    }
    const yamldoc_node_t *keep = yamldoc_get(root, "keep_together");
    if (keep && yamldoc_expect(dg, keep, YAMLDOC_KIND_SEQUENCE, "keep_together")) {
        t->keep_together = mem_zalloc(keep->count, sizeof *t->keep_together);
        for (size_t i = 0; i < keep->count; i++)
            if (yamldoc_read_text(dg, keep->items[i], "a word to keep together",
                                  &t->keep_together[t->keep_count]))
                t->keep_count++;
            else
                l.errors++;
    } else if (keep) {
        l.errors++;
    }
    read_running(&l, yamldoc_get(root, "header"), &t->header);
    read_running(&l, yamldoc_get(root, "footer"), &t->footer);
    const yamldoc_node_t *wording = yamldoc_get(root, "wording");
    if (wording && scalar(wording)) {
        /* The wording in a file of its own, beside the template. */
        const char *slash = strrchr(path, '/');
        char *file = slash ? mem_printf("%.*s/%s", (int)(slash - path), path, wording->text)
                           : mem_strdup(wording->text);
        yamldoc_t *words = yamldoc_parse_file(dg, file, NULL);
        free(file);
        if (!words)
            l.errors++;
        else
            t->wording = to_value(words->root);
        yamldoc_free(words);
    } else {
        t->wording = to_value(wording);
    }

    const yamldoc_node_t *sections = yamldoc_require(dg, root, "sections", "a report template");
    if (!sections || !yamldoc_expect(dg, sections, YAMLDOC_KIND_SEQUENCE, "sections")) {
        l.errors++;
        goto fail;
    }
    t->sections = mem_zalloc(sections->count, sizeof *t->sections);
    t->section_count = sections->count;
    static const char *const skeys[] = {"name",   "landscape", "new_page", "when",
                                        "unless", "blocks",    NULL};
    for (size_t i = 0; i < sections->count; i++) {
        const yamldoc_node_t *s = sections->items[i];
        tmpl_section_t *sec = &t->sections[i];
        if (!yamldoc_expect(dg, s, YAMLDOC_KIND_MAPPING, "a section")) {
            l.errors++;
            continue;
        }
        if (!yamldoc_check_keys(dg, s, skeys, "a section"))
            l.errors++;
        const yamldoc_node_t *v;
        if ((v = yamldoc_get(s, "name")) && !yamldoc_read_text(dg, v, "name", &sec->name))
            l.errors++;
        if ((v = yamldoc_get(s, "landscape")))
            sec->landscape = read_flag(&l, v, "landscape");
        if ((v = yamldoc_get(s, "new_page")))
            sec->new_page = read_flag(&l, v, "new_page");
        sec->when = read_cond(&l, s);
        const yamldoc_node_t *blocks = yamldoc_require(dg, s, "blocks", "a section");
        if (blocks)
            read_blocks(&l, blocks, &sec->blocks, &sec->block_count);
        else
            l.errors++;
    }
    if (l.errors)
        goto fail;
    yamldoc_free(doc);
    tmplext_free(ext);
    return t;
fail:
    yamldoc_free(doc);
    tmplext_free(ext);
    tmpl_free(t);
    return NULL;
}

/* ---- freeing ---- */

static void free_text(tmpl_text_t *t)
{
    free(t->text);
}

static void free_cells(tmpl_cell_t *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free_text(&cells[i].text);
        free(cells[i].when.path);
        free(cells[i].mark.path);
    }
    free(cells);
}

static void free_rows(tmpl_rows_t *r)
{
    free(r->when.path);
    free_text(&r->each);
    free(r->as);
    free_cells(r->cells, r->cell_count);
    for (size_t i = 0; i < r->row_count; i++)
        free_rows(&r->rows[i]);
    free(r->rows);
}

static void free_blocks(tmpl_block_t *blocks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        tmpl_block_t *b = &blocks[i];
        free(b->when.path);
        for (size_t p = 0; p < b->piece_count; p++) {
            free_text(&b->pieces[p].text);
            free(b->pieces[p].when.path);
        }
        free(b->pieces);
        free_text(&b->item);
        free_text(&b->prefix);
        free_text(&b->image);
        free_text(&b->each);
        free(b->as);
        free_blocks(b->blocks, b->block_count);
        tmpl_table_t *t = &b->table;
        free(t->columns);
        for (size_t r = 0; r < t->header_count; r++)
            free_cells(t->header[r], t->header_cell_count[r]);
        free(t->header);
        free(t->header_cell_count);
        free_rows(&t->body);
        tmpl_chart_t *c = &b->chart;
        free_text(&c->title);
        free_text(&c->each);
        free(c->as);
        free_text(&c->category);
        for (size_t s = 0; s < c->series_count; s++) {
            free_text(&c->series[s].name);
            free_text(&c->series[s].value);
        }
        free(c->series);
        free_text(&c->reference);
        free_text(&c->reference_label);
        free_text(&c->empty);
    }
    free(blocks);
}

void tmpl_free(tmpl_t *t)
{
    if (!t)
        return;
    for (int i = 0; i < 4; i++)
        free(t->fonts[i]);
    for (size_t i = 0; i < t->keep_count; i++)
        free(t->keep_together[i]);
    free(t->keep_together);
    for (size_t i = 0; i < t->style_count; i++)
        free(t->styles[i].name);
    free(t->styles);
    free_text(&t->header.text);
    free_text(&t->footer.text);
    value_free(t->wording);
    for (size_t i = 0; i < t->section_count; i++) {
        free(t->sections[i].name);
        free(t->sections[i].when.path);
        free_blocks(t->sections[i].blocks, t->sections[i].block_count);
    }
    free(t->sections);
    for (size_t i = 0; i < t->file_count; i++)
        free(t->files[i]);
    free(t->files);
    free(t->file);
    free(t);
}
