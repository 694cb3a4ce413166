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
    tmpl_text_t t = {NULL, {0}, {0}};
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
    l->errors += tmpltext_compile(l->dg, t.text, &t.pos, &t.compiled);
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
    static const char *const keys[] = {
        "size",         "bold",         "italic",  "align", "line_spacing",
        "space_before", "space_after",  "indent",  "color", "keep_with_next",
        "outline",      "first_indent", "hanging", "pitch", NULL};
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
    if ((n = yamldoc_get(map, "pitch"))) {
        s->style.pitch = read_number(l, n, "pitch");
        if (!(s->style.pitch >= 1 && s->style.pitch <= 4))
            error_at(l, n, "tmpl-pitch-em", "pitch must be from 1 to 4 em");
    }
    if ((n = yamldoc_get(map, "space_before")))
        s->style.space_before = read_length(l, n, "space_before");
    if ((n = yamldoc_get(map, "space_after")))
        s->style.space_after = read_length(l, n, "space_after");
    if ((n = yamldoc_get(map, "indent")))
        s->style.indent = read_length(l, n, "indent");
    /* A body paragraph's first-line indent; a list item's hanging indent (its first line,
     * with the "-" or number, that much left of the rest). */
    if ((n = yamldoc_get(map, "first_indent")))
        s->style.first_indent = read_length(l, n, "first_indent");
    if ((n = yamldoc_get(map, "hanging"))) {
        s->style.hanging_marker = yamldoc_is(n, "marker");
        if (!s->style.hanging_marker)
            s->style.first_indent = -read_length(l, n, "hanging");
    }
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

/* A paragraph's text: one text, or a list of pieces, each a text or {text, when/unless}. */
static void read_pieces(loader_t *l, const yamldoc_node_t *n, tmpl_piece_t **out, size_t *count)
{
    if (n->kind != YAMLDOC_KIND_SEQUENCE) {
        *out = mem_zalloc(1, sizeof **out);
        *count = 1;
        (*out)[0].text = read_text(l, n, "a paragraph");
        return;
    }
    tmpl_piece_t *pieces = mem_zalloc(n->count, sizeof *pieces);
    *out = pieces;
    *count = n->count;
    static const char *const pkeys[] = {"text", "when", "unless", NULL};
    for (size_t i = 0; i < n->count; i++) {
        const yamldoc_node_t *p = n->items[i];
        if (p->kind == YAMLDOC_KIND_MAPPING) {
            if (!yamldoc_check_keys(l->dg, p, pkeys, "a paragraph piece"))
                l->errors++;
            pieces[i].text = read_text(l, yamldoc_get(p, "text"), "text");
            pieces[i].when = read_cond(l, p);
        } else {
            pieces[i].text = read_text(l, p, "a paragraph piece");
        }
    }
}

/* `document:`: the PDF's title, author, subject, keywords and the attachment's
 * description, each a text or pieces as a paragraph's. */
static void read_info(loader_t *l, const yamldoc_node_t *n, tmpl_t *t)
{
    static const char *const keys[] = {"title",    "author",     "subject",
                                       "keywords", "attachment", NULL};
    if (!n)
        return;
    if (!yamldoc_expect(l->dg, n, YAMLDOC_KIND_MAPPING, "document") ||
        !yamldoc_check_keys(l->dg, n, keys, "document")) {
        l->errors++;
        return;
    }
    for (int i = 0; i < TMPL_INFO_COUNT; i++) {
        const yamldoc_node_t *v = yamldoc_get(n, keys[i]);
        if (v)
            read_pieces(l, v, &t->info[i].pieces, &t->info[i].count);
    }
}

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
            {.file = own_file(l, n->pos.file), .line = n->pos.line, .column = n->pos.column},
            {0}};
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
    static const char *const keys[] = {"each",  "as",   "when",       "unless",
                                       "cells", "rows", "sub_header", NULL};
    memset(r, 0, sizeof *r);
    if (!yamldoc_expect(l->dg, n, YAMLDOC_KIND_MAPPING, "a row group")) {
        l->errors++;
        return;
    }
    if (!yamldoc_check_keys(l->dg, n, keys, "a row group"))
        l->errors++;
    r->when = read_cond(l, n);
    const yamldoc_node_t *v;
    if ((v = yamldoc_get(n, "sub_header")))
        r->sub_header = read_flag(l, v, "sub_header");
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
    static const char *const keys[] = {"columns",      "header",    "body",        "border",
                                       "border_color", "padding",   "header_fill", "style",
                                       "header_style", "continued", NULL};
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
    if ((v = yamldoc_get(n, "continued")) &&
        !yamldoc_read_text(l->dg, v, "continued", &t->continued))
        l->errors++;
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

/* A chart's `look`; what it does not say is as below (docs/templates.md). */
static void read_look(loader_t *l, const yamldoc_node_t *n, doc_chart_look_t *look)
{
    *look = (doc_chart_look_t){.bars = 0.7,
                               .bar_fill = 0.92,
                               .title_size = 1.15,
                               .value_size = 1,
                               .axis_label_size = 1,
                               .grid_color = {0.75f, 0.75f, 0.75f},
                               .axis_color = {0, 0, 0},
                               .frame_color = {0.6f, 0.6f, 0.6f},
                               .grid_width = 0.3,
                               .axis_width = 0.8,
                               .reference_width = 1.2};
    static const char *const keys[] = {
        "bars",       "bar_fill",    "title_size", "value_size", "axis_label_size", "grid_color",
        "axis_color", "frame_color", "grid_width", "axis_width", "reference_width", NULL};
    if (!n)
        return;
    if (!yamldoc_expect(l->dg, n, YAMLDOC_KIND_MAPPING, "look")) {
        l->errors++;
        return;
    }
    if (!yamldoc_check_keys(l->dg, n, keys, "a chart's look"))
        l->errors++;
    double *shares[] = {&look->bars, &look->bar_fill, &look->title_size, &look->value_size,
                        &look->axis_label_size};
    dl_color_t *colors[] = {&look->grid_color, &look->axis_color, &look->frame_color};
    double *widths[] = {&look->grid_width, &look->axis_width, &look->reference_width};
    const yamldoc_node_t *v;
    for (size_t i = 0; i < 5; i++)
        if ((v = yamldoc_get(n, keys[i]))) {
            *shares[i] = read_number(l, v, keys[i]);
            if (!(*shares[i] > 0 && *shares[i] <= (i < 2 ? 1 : 4)))
                error_at(l, v, "tmpl-chart-look-share",
                         "%s must be above 0 and at most 1 (bars, bar_fill) or 4 (sizes)", keys[i]);
        }
    for (size_t i = 0; i < 3; i++)
        if ((v = yamldoc_get(n, keys[5 + i])))
            *colors[i] = read_color(l, v, keys[5 + i]);
    for (size_t i = 0; i < 3; i++)
        if ((v = yamldoc_get(n, keys[8 + i])))
            *widths[i] = read_length(l, v, keys[8 + i]);
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
                                       "look",
                                       "horizontal",
                                       "below_color",
                                       "below_label",
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
    read_look(l, yamldoc_get(n, "look"), &c->look);
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
    if ((v = yamldoc_get(n, "horizontal")))
        c->horizontal = read_flag(l, v, "horizontal");
    if ((v = yamldoc_get(n, "below_color"))) {
        c->below_color = read_color(l, v, "below_color");
        c->has_below_color = true;
    }
    c->below_label = read_text(l, yamldoc_get(n, "below_label"), "below_label");
    if (c->axis_max <= 0 || c->axis_step <= 0 || c->height < 40 || c->width_fraction <= 0 ||
        c->width_fraction > 1 || c->value_decimals < 0 || c->value_decimals > 4)
        error_at(l, n, "tmpl-chart-sizes-axis-max",
                 "chart sizes: axis_max and axis_step above 0, height at least 40pt, width a "
                 "fraction from 0 to 1, decimals 0 to 4");
    /* One grid line and label per step: a step that divides the axis into more than
     * TMPL_MAX_AXIS_STEPS parts (axis_step: 0.00001 would be ten million lines, 4 GB for
     * one report) is refused here, not found out while laying out. */
    if (c->axis_max > 0 && c->axis_step > 0 && c->axis_max / c->axis_step > TMPL_MAX_AXIS_STEPS)
        error_at(l, yamldoc_get(n, "axis_step") ? yamldoc_get(n, "axis_step") : n,
                 "tmpl-chart-axis-too-many-steps",
                 "axis_step %g divides axis_max %g into %.0f steps; a chart takes at most %d",
                 c->axis_step, c->axis_max, c->axis_max / c->axis_step, TMPL_MAX_AXIS_STEPS);
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
        read_pieces(l, kind, &b->pieces, &b->piece_count);
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
        return value_wording(n->text); /* the template's words */
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

static tmpl_t *from_doc(diag_t *dg, const char *path, yamldoc_t *doc, tmpl_names_t names);

/* Records a file the template was read from. */
static void add_source(tmpl_t *t, const char *path)
{
    t->sources = mem_realloc(t->sources, (t->source_count + 1) * sizeof *t->sources);
    t->sources[t->source_count++] = mem_strdup(path);
}

tmpl_t *tmpl_load(diag_t *dg, const char *path, tmpl_names_t names)
{
    yamldoc_t *doc = yamldoc_parse_file(dg, path, NULL);
    tmpl_t *t = doc ? from_doc(dg, path, doc, names) : NULL;
    if (t) { /* the template's own file first */
        add_source(t, path);
        char *own = t->sources[t->source_count - 1];
        memmove(t->sources + 1, t->sources, (t->source_count - 1) * sizeof *t->sources);
        t->sources[0] = own;
    }
    return t;
}

tmpl_t *tmpl_load_buffer(diag_t *dg, const char *name, const unsigned char *data, size_t size,
                         tmpl_names_t names)
{
    yamldoc_t *doc = yamldoc_parse_buffer(dg, name, data, size, NULL);
    return doc ? from_doc(dg, name, doc, names) : NULL;
}

/* Builds the template from a parsed document, which it frees, and checks its names. */
static tmpl_t *from_doc(diag_t *dg, const char *path, yamldoc_t *doc, tmpl_names_t names)
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
    static const char *const keys[] = {"page",          "fonts",    "digits",   "styles",
                                       "mark_style",    "header",   "footer",   "wording",
                                       "keep_together", "sections", "document", NULL};
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
    read_info(&l, yamldoc_get(root, "document"), t);
    read_running(&l, yamldoc_get(root, "header"), &t->header);
    read_running(&l, yamldoc_get(root, "footer"), &t->footer);
    const yamldoc_node_t *wording = yamldoc_get(root, "wording");
    if (wording && scalar(wording)) {
        /* The wording in a file of its own, beside the template. */
        const char *slash = strrchr(path, '/');
        char *file = slash ? mem_printf("%.*s/%s", (int)(slash - path), path, wording->text)
                           : mem_strdup(wording->text);
        yamldoc_t *words = yamldoc_parse_file(dg, file, NULL);
        add_source(t, file);
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
    static const char *const skeys[] = {"name", "landscape", "new_page", "centered",
                                        "when", "unless",    "blocks",   NULL};
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
        if ((v = yamldoc_get(s, "centered")))
            sec->centered = read_flag(&l, v, "centered");
        sec->when = read_cond(&l, s);
        const yamldoc_node_t *blocks = yamldoc_require(dg, s, "blocks", "a section");
        if (blocks)
            read_blocks(&l, blocks, &sec->blocks, &sec->block_count);
        else
            l.errors++;
    }
    /* Names are checked even after other errors, so that one run shows them all. */
    if (names && tmpl_check_names(dg, t, names) != 0)
        l.errors++;
    if (l.errors)
        goto fail;
    /* What the bases and wording files of an extending template were read from counts as
     * the template's sources (its fingerprint). */
    for (size_t i = 0; i < tmplext_file_count(ext); i++)
        if (strcmp(tmplext_file(ext, i), path) != 0)
            add_source(t, tmplext_file(ext, i));
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
    tmpltext_free(&t->compiled);
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

static void free_pieces(tmpl_piece_t *pieces, size_t n)
{
    for (size_t p = 0; p < n; p++) {
        free_text(&pieces[p].text);
        free(pieces[p].when.path);
    }
    free(pieces);
}

static void free_blocks(tmpl_block_t *blocks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        tmpl_block_t *b = &blocks[i];
        free(b->when.path);
        free_pieces(b->pieces, b->piece_count);
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
        free(t->continued);
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
        free_text(&c->below_label);
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
    for (int i = 0; i < TMPL_INFO_COUNT; i++)
        free_pieces(t->info[i].pieces, t->info[i].count);
    for (size_t i = 0; i < t->source_count; i++)
        free(t->sources[i]);
    free(t->sources);
    for (size_t i = 0; i < t->file_count; i++)
        free(t->files[i]);
    free(t->files);
    free(t->file);
    free(t);
}

/* ---- data names ---------------------------------------------------------------------------
 * Every name a template uses is resolved, when it is loaded, to a place in the names the
 * data provides: a pattern prefix such as "areas[].tools[]" (an item of a list). The
 * patterns are the caller's table, "@key" expanded from the wording, plus the wording's
 * own tree under "wording". */

typedef struct names {
    char **patterns;
    size_t count, capacity;
} names_t;

static void names_add(names_t *n, char *pattern)
{
    n->patterns = mem_array_grow(n->patterns, &n->capacity, n->count + 1, sizeof *n->patterns);
    n->patterns[n->count++] = pattern;
}

/* Every path of a wording tree, lists as "[]". */
static void names_add_tree(names_t *n, const char *prefix, const value_t *v)
{
    names_add(n, mem_strdup(prefix));
    if (!v)
        return;
    if (v->kind == VALUE_MAP) {
        for (size_t i = 0; i < v->count; i++) {
            char *child = mem_printf("%s.%s", prefix, v->entries[i].key);
            names_add_tree(n, child, v->entries[i].value);
            free(child);
        }
    } else if (v->kind == VALUE_LIST) {
        char *item = mem_printf("%s[]", prefix);
        for (size_t i = 0; i < v->count; i++)
            names_add_tree(n, item, v->items[i]);
        if (!v->count)
            names_add(n, mem_strdup(item));
        free(item);
    }
}

/* A table pattern; "@key" stands for every key of the entries of wording.key. */
static void names_add_pattern(names_t *n, const char *pattern, const value_t *wording)
{
    const char *at = strchr(pattern, '@');
    if (!at) {
        names_add(n, mem_strdup(pattern));
        return;
    }
    const char *end = at + 1 + strcspn(at + 1, ".[");
    const value_t *entries = value_child(wording, at + 1, (size_t)(end - at - 1));
    for (size_t i = 0; entries && entries->kind == VALUE_MAP && i < entries->count; i++) {
        const value_t *entry = entries->entries[i].value;
        for (size_t k = 0; entry && entry->kind == VALUE_MAP && k < entry->count; k++)
            names_add(n, mem_printf("%.*s%s%s", (int)(at - pattern), pattern, entry->entries[k].key,
                                    end));
    }
}

static int compare_patterns(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the patterns, once all are added, for names_exist. */
static void names_sort(names_t *n)
{
    qsort(n->patterns, n->count, sizeof *n->patterns, compare_patterns);
}

/* Whether q names something: a pattern that is q or continues it. The patterns are sorted
 * (names_sort), so those that start with q stand together, from the first not below q. */
static bool names_exist(const names_t *n, const char *q)
{
    size_t len = strlen(q);
    size_t lo = 0, hi = n->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(n->patterns[mid], q) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < n->count && strncmp(n->patterns[i], q, len) == 0; i++) {
        char next = n->patterns[i][len];
        if (next == '\0' || next == '.' || next == '[')
            return true;
    }
    return false;
}

/* The place one step from `at` ("" the root) by the key [key, key + len); NULL: none. */
static char *names_step(const names_t *n, const char *at, const char *key, size_t len)
{
    bool digits = len > 0 && strspn(key, "0123456789") >= len;
    char *q;
    if (digits) {
        q = mem_printf("%s[]", at);
        if (names_exist(n, q))
            return q;
        free(q);
    }
    q = *at ? mem_printf("%s.%.*s", at, (int)len, key) : mem_strndup(key, len);
    if (names_exist(n, q))
        return q;
    free(q);
    q = *at ? mem_printf("%s.*", at) : mem_strdup("*");
    if (names_exist(n, q))
        return q;
    free(q);
    return NULL;
}

/* A name bound by `each`/`list` (an item's place) or `index` (place NULL). */
typedef struct name_scope {
    const char *name;
    const char *place;
    const struct name_scope *up;
} name_scope_t;

typedef struct checker {
    diag_t *dg;
    names_t names;
    int errors;
} checker_t;

/* The place a data path names, as report.c looks it up: a bound name first, then the
 * wording, then the data root. A new string, or NULL when it names nothing. */
static char *resolve(const checker_t *c, const name_scope_t *s, const char *path, size_t len)
{
    size_t first = 0;
    while (first < len && path[first] != '.')
        first++;
    char *at = NULL;
    for (const name_scope_t *sc = s; sc && !at; sc = sc->up)
        if (strlen(sc->name) == first && memcmp(sc->name, path, first) == 0) {
            if (!sc->place) /* index: a number, nothing below it */
                return first >= len ? mem_strdup("index") : NULL;
            at = mem_strdup(sc->place);
        }
    if (!at && first == 7 && memcmp(path, "wording", 7) == 0)
        at = mem_strdup("wording");
    if (!at && !(at = names_step(&c->names, "", path, first)))
        return NULL;
    for (size_t start = first + 1; start <= len && first < len;) {
        size_t end = start;
        while (end < len && path[end] != '.')
            end++;
        char *next = names_step(&c->names, at, path + start, end - start);
        free(at);
        if (!(at = next))
            return NULL;
        start = end + 1;
        if (end >= len)
            break;
    }
    return at;
}

static void check_cond(checker_t *c, const name_scope_t *s, const tmpl_cond_t *cond)
{
    if (!cond->path)
        return;
    char *at = resolve(c, s, cond->path, strlen(cond->path));
    if (!at) {
        diag_fail(c->dg, &cond->pos, "report-unknown-data-condition",
                  "unknown data '%s' in a condition", cond->path);
        c->errors++;
    }
    free(at);
}

static void check_text(checker_t *c, const name_scope_t *s, const tmpl_text_t *text,
                       bool page_tokens)
{
    for (size_t i = 0; i < text->compiled.count; i++) {
        const tmpltext_piece_t *p = &text->compiled.pieces[i];
        if (p->kind == TMPLTEXT_LITERAL || p->kind == TMPLTEXT_BOLD ||
            (page_tokens && (p->kind == TMPLTEXT_PAGE || p->kind == TMPLTEXT_PAGES)))
            continue;
        char *at = p->len ? resolve(c, s, p->text, p->len) : NULL;
        if (!at) {
            diag_fail(c->dg, &p->pos, "report-unknown-placeholder", "unknown placeholder '{{%s}}'",
                      p->text);
            c->errors++;
        }
        free(at);
    }
}

/* The place of the items of an `each` list; NULL after reporting. */
static char *check_list(checker_t *c, const name_scope_t *s, const tmpl_text_t *each)
{
    if (!each->text)
        return NULL;
    char *at = resolve(c, s, each->text, strlen(each->text));
    if (!at) {
        diag_fail(c->dg, &each->pos, "report-unknown-data", "unknown data '%s'", each->text);
        c->errors++;
        return NULL;
    }
    char *item = mem_printf("%s[]", at);
    free(at);
    if (!names_exist(&c->names, item)) {
        diag_fail(c->dg, &each->pos, "report-list", "'%s' is not a list", each->text);
        c->errors++;
        free(item);
        return NULL;
    }
    return item;
}

static void check_cells(checker_t *c, const name_scope_t *s, const tmpl_cell_t *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        check_cond(c, s, &cells[i].when);
        check_cond(c, s, &cells[i].mark);
        check_text(c, s, &cells[i].text, false);
    }
}

static void check_rows(checker_t *c, const name_scope_t *s, const tmpl_rows_t *r)
{
    check_cond(c, s, &r->when);
    name_scope_t idx = {"index", NULL, s}, item = {r->as ? r->as : "", NULL, &idx};
    char *place = NULL;
    if (r->each.text) {
        if (!(place = check_list(c, s, &r->each)))
            return;
        item.place = place;
        s = &item;
    }
    check_cells(c, s, r->cells, r->cell_count);
    for (size_t i = 0; i < r->row_count; i++)
        check_rows(c, s, &r->rows[i]);
    free(place);
}

static void check_pieces(checker_t *c, const name_scope_t *s, const tmpl_piece_t *pieces,
                         size_t count)
{
    for (size_t p = 0; p < count; p++) {
        check_cond(c, s, &pieces[p].when);
        check_text(c, s, &pieces[p].text, false);
    }
}

static void check_blocks(checker_t *c, const name_scope_t *s, const tmpl_block_t *blocks,
                         size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const tmpl_block_t *b = &blocks[i];
        check_cond(c, s, &b->when);
        name_scope_t idx = {"index", NULL, s}, item = {b->as ? b->as : "", NULL, &idx};
        char *place = NULL;
        switch (b->kind) {
        case TMPL_PARAGRAPH:
            check_pieces(c, s, b->pieces, b->piece_count);
            break;
        case TMPL_LIST:
        case TMPL_EACH:
            if (!(place = check_list(c, s, &b->each)))
                break;
            item.place = place;
            check_text(c, &item, &b->prefix, false);
            check_text(c, &item, &b->item, false);
            check_blocks(c, &item, b->blocks, b->block_count);
            break;
        case TMPL_GROUP:
            check_blocks(c, s, b->blocks, b->block_count);
            break;
        case TMPL_TABLE:
            for (size_t r = 0; r < b->table.header_count; r++)
                check_cells(c, s, b->table.header[r], b->table.header_cell_count[r]);
            check_rows(c, s, &b->table.body);
            break;
        case TMPL_CHART: {
            const tmpl_chart_t *ch = &b->chart;
            check_text(c, s, &ch->title, false);
            check_text(c, s, &ch->reference, false);
            check_text(c, s, &ch->reference_label, false);
            check_text(c, s, &ch->empty, false);
            check_text(c, s, &ch->below_label, false);
            for (size_t k = 0; k < ch->series_count; k++)
                check_text(c, s, &ch->series[k].name, false);
            if (!(place = check_list(c, s, &ch->each)))
                break;
            name_scope_t category = {ch->as ? ch->as : "", place, s}; /* no index in charts */
            check_text(c, &category, &ch->category, false);
            for (size_t k = 0; k < ch->series_count; k++)
                check_text(c, &category, &ch->series[k].value, false);
            break;
        }
        case TMPL_IMAGE:
            check_text(c, s, &b->image, false);
            break;
        case TMPL_SPACE:
        case TMPL_PAGE_BREAK:
            break;
        }
        free(place);
    }
}

int tmpl_check_names(diag_t *dg, const tmpl_t *t, tmpl_names_t names)
{
    checker_t c = {dg, {0}, 0};
    for (size_t i = 0; names[i]; i++)
        names_add_pattern(&c.names, names[i], t->wording);
    names_add_tree(&c.names, "wording", t->wording);
    names_sort(&c.names);
    for (size_t i = 0; i < t->section_count; i++) {
        check_cond(&c, NULL, &t->sections[i].when);
        check_blocks(&c, NULL, t->sections[i].blocks, t->sections[i].block_count);
    }
    for (int i = 0; i < TMPL_INFO_COUNT; i++)
        check_pieces(&c, NULL, t->info[i].pieces, t->info[i].count);
    check_text(&c, NULL, &t->header.text, true);
    check_text(&c, NULL, &t->footer.text, true);
    for (size_t i = 0; i < c.names.count; i++)
        free(c.names.patterns[i]);
    free(c.names.patterns);
    return c.errors ? -1 : 0;
}
