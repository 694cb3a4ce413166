/* report — see report.h. */
#include "report.h"

#include "mem.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Marks a bold toggle in expanded text; data never contains it (control characters are
 * dropped from data). */
#define BOLD_TOGGLE '\x01'

typedef struct scope {
    const char *name;
    const value_t *value;
    const struct scope *up;
} scope_t;

typedef struct builder {
    diag_t *dg;
    const tmpl_t *t;
    const value_t *root;
    const value_t *wording;
    bool thai;
    int errors;
    doc_t *doc;
    bool keep_page_tokens; /* running header/footer: {{page}} and {{pages}} stay */
    diag_pos_t *reported;  /* places already reported (a cell repeats for every row) */
    size_t reported_count, reported_capacity;
} builder_t;

/* Reports an error at a place once, however often the template text is expanded. */
static void error_once(builder_t *b, const diag_pos_t *at, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void error_once(builder_t *b, const diag_pos_t *at, const char *id, const char *fmt, ...)
{
    b->errors++;
    for (size_t i = 0; i < b->reported_count; i++)
        if (b->reported[i].line == at->line && b->reported[i].column == at->column)
            return;
    b->reported = mem_array_grow(b->reported, &b->reported_capacity, b->reported_count + 1,
                                 sizeof *b->reported);
    b->reported[b->reported_count++] = *at;
    va_list args;
    va_start(args, fmt);
    diag_vemit(b->dg, DIAG_ERROR, at, id, fmt, args);
    va_end(args);
}

typedef struct buffer {
    char *data;
    size_t len, capacity;
} buffer_t;

static void buf_put(buffer_t *b, const char *s, size_t n)
{
    b->data = mem_array_grow(b->data, &b->capacity, b->len + n + 1, 1);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* Appends data text, dropping control characters but newlines. */
static void buf_put_data(buffer_t *b, const char *s)
{
    while (*s) {
        size_t run = 0;
        while (s[run] && ((unsigned char)s[run] >= 0x20 || s[run] == '\n'))
            run++;
        buf_put(b, s, run);
        s += run;
        while (*s && (unsigned char)*s < 0x20 && *s != '\n')
            s++;
    }
}

static const value_t *lookup(const builder_t *b, const scope_t *s, const char *path, size_t len)
{
    size_t first = 0;
    while (first < len && path[first] != '.')
        first++;
    const value_t *base = NULL;
    for (const scope_t *sc = s; sc && !base; sc = sc->up)
        if (strlen(sc->name) == first && memcmp(sc->name, path, first) == 0)
            base = sc->value;
    if (!base && first == 7 && memcmp(path, "wording", 7) == 0)
        base = b->wording;
    if (base)
        return first >= len ? base : value_lookup(base, path + first + 1, len - first - 1);
    return value_lookup(b->root, path, len);
}

/* The text of a value for the page: with Thai digits asked, numbers and the template's or
 * framework's own words in Thai digits (the input's texts and ids as they are). */
static char *value_for_page(const builder_t *b, const value_t *v, const char *sep)
{
    char *text = value_to_text(v, sep);
    const value_t *first = v && v->kind == VALUE_LIST && v->count ? v->items[0] : v;
    bool numeric = first && (first->kind == VALUE_NUMBER || first->wording);
    if (b->thai && numeric) {
        char *thai = doc_thai_digits(text);
        free(text);
        return thai;
    }
    return text;
}

/* Expands a compiled text into out; returns false after reporting an unknown path (the
 * loader has checked every name, so only data missing at run time gets here). */
static bool expand(builder_t *b, const scope_t *s, const tmpl_text_t *text, buffer_t *out)
{
    bool ok = true;
    for (size_t i = 0; i < text->compiled.count; i++) {
        const tmpltext_piece_t *p = &text->compiled.pieces[i];
        if (p->kind == TMPLTEXT_LITERAL) {
            if (b->thai) { /* every digit the template writes ("ส่วนที่ ๑") */
                char *thai = doc_thai_digits(p->text);
                buf_put(out, thai, strlen(thai));
                free(thai);
            } else {
                buf_put(out, p->text, p->len);
            }
            continue;
        }
        if (p->kind == TMPLTEXT_BOLD) {
            char toggle = BOLD_TOGGLE;
            buf_put(out, &toggle, 1);
            continue;
        }
        if (b->keep_page_tokens && p->kind != TMPLTEXT_PATH) {
            /* typeset replaces them once the pages are counted */
            buf_put(out, p->kind == TMPLTEXT_PAGE ? "{{page}}" : "{{pages}}",
                    p->kind == TMPLTEXT_PAGE ? 8 : 9);
            continue;
        }
        const value_t *v = p->len ? lookup(b, s, p->text, p->len) : NULL;
        if (!v) {
            error_once(b, &p->pos, "report-unknown-placeholder", "unknown placeholder '{{%s}}'",
                       p->text);
            ok = false;
            continue;
        }
        if ((p->prefix || p->last) && v->kind == VALUE_LIST) {
            for (size_t k = 0; k < v->count; k++) {
                const char *sep = p->last && k + 1 == v->count ? p->last : p->sep;
                if (k)
                    buf_put(out, sep, strlen(sep));
                if (p->prefix)
                    buf_put(out, p->prefix, strlen(p->prefix));
                char *item = value_for_page(b, v->items[k], p->sep);
                buf_put_data(out, item);
                free(item);
            }
        } else {
            char *value = value_for_page(b, v, p->sep);
            if (!*value && p->fallback)
                buf_put(out, p->fallback, strlen(p->fallback));
            else
                buf_put_data(out, value);
            free(value);
        }
    }
    return ok;
}

/* Whether a condition holds; an unknown path is reported (and counts as false). */
static bool holds(builder_t *b, const scope_t *s, const tmpl_cond_t *c)
{
    if (!c->path)
        return true;
    const value_t *v = lookup(b, s, c->path, strlen(c->path));
    if (!v) {
        error_once(b, &c->pos, "report-unknown-data-condition", "unknown data '%s' in a condition",
                   c->path);
        return false;
    }
    return value_truthy(v) != c->negate;
}

/* The list a path names: NULL after reporting when it is not one (null gives none). */
static const value_t *list_at(builder_t *b, const scope_t *s, const tmpl_text_t *path)
{
    const value_t *v = lookup(b, s, path->text, strlen(path->text));
    if (!v) {
        error_once(b, &path->pos, "report-unknown-data", "unknown data '%s'", path->text);
        return NULL;
    }
    if (v->kind == VALUE_NULL)
        return NULL;
    if (v->kind != VALUE_LIST) {
        error_once(b, &path->pos, "report-list", "'%s' is not a list", path->text);
        return NULL;
    }
    return v;
}

/* Fills a paragraph from expanded text: bold toggles switch between the style's font and
 * its bold. */
static void paragraph_from(doc_paragraph_t *p, const char *text, size_t len,
                           const doc_style_t *style)
{
    memset(p, 0, sizeof *p);
    p->style = *style;
    int font = style->font;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != BOLD_TOGGLE)
            continue;
        if (i > start)
            doc_paragraph_append(p, text + start, i - start, font);
        font ^= 1;
        start = i + 1;
    }
    if (!p->text)
        doc_paragraph_append(p, "", 0, style->font);
}

static const doc_style_t *style_of(const builder_t *b, size_t index)
{
    return &b->t->styles[index < b->t->style_count ? index : 0].style;
}

/* Adds paragraphs for text, one per line; only the first is a bookmark. */
static void add_paragraphs(doc_section_t *sec, const char *text, size_t len,
                           const doc_style_t *style)
{
    size_t start = 0;
    doc_style_t next = *style;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        doc_block_t *blk = doc_add_block(sec, DOC_PARAGRAPH);
        paragraph_from(&blk->u.paragraph, text + start, i - start, &next);
        next.outline_level = 0;
        start = i + 1;
    }
}

/* ---- tables ---- */

typedef struct grid {
    doc_table_t *table;
    const tmpl_table_t *spec;
} grid_t;

static void fill_cell(builder_t *b, const scope_t *s, doc_cell_t *cell, const tmpl_cell_t *tc)
{
    buffer_t text = {0};
    expand(b, s, &tc->text, &text);
    doc_style_t style = *style_of(b, tc->style);
    if (tc->mark.path && b->t->mark_style != SIZE_MAX && holds(b, s, &tc->mark)) {
        const tmpl_style_t *mark = &b->t->styles[b->t->mark_style];
        if (mark->sets_color)
            style.color = mark->style.color;
        if (mark->sets_font)
            style.font |= mark->style.font;
    }
    cell->has_fill = tc->has_fill;
    cell->fill = tc->fill;
    const char *all = text.data ? text.data : "";
    size_t start = 0, len = text.data ? text.len : 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && all[i] != '\n')
            continue;
        doc_paragraph_t *p = doc_cell_add_paragraph(cell, &style);
        paragraph_from(p, all + start, i - start, &style);
        start = i + 1;
    }
    free(text.data);
}

static size_t rows_once(builder_t *b, const scope_t *s, grid_t *g, const tmpl_rows_t *r,
                        size_t row);

/* Rows produced by a group (repeated for each item); returns their count. */
static size_t rows_group(builder_t *b, const scope_t *s, grid_t *g, const tmpl_rows_t *r,
                         size_t row)
{
    if (!holds(b, s, &r->when))
        return 0;
    if (!r->each.text)
        return rows_once(b, s, g, r, row);
    const value_t *list = list_at(b, s, &r->each);
    size_t produced = 0;
    for (size_t i = 0; list && i < list->count; i++) {
        value_t *index = value_int((int64_t)i + 1);
        scope_t idx = {"index", index, s};
        scope_t item = {r->as, list->items[i], &idx};
        produced += rows_once(b, &item, g, r, row + produced);
        value_free(index);
    }
    return produced;
}

static size_t rows_once(builder_t *b, const scope_t *s, grid_t *g, const tmpl_rows_t *r, size_t row)
{
    size_t produced = 0;
    size_t sub_start = 0, sub_count = 0; /* the last sub-header group's rows */
    for (size_t i = 0; i < r->row_count; i++) {
        size_t n = rows_group(b, s, g, &r->rows[i], row + produced);
        if (r->rows[i].sub_header && n) {
            sub_start = row + produced;
            sub_count = n;
        }
        produced += n;
    }
    if (produced == 0)
        produced = 1;
    for (size_t q = sub_start; q < sub_start + sub_count; q++)
        if (sub_start + sub_count < row + produced)
            doc_table_set_sub_header(g->table, q, row + produced);
    for (size_t i = 0; i < r->cell_count; i++) {
        const tmpl_cell_t *tc = &r->cells[i];
        if (!holds(b, s, &tc->when))
            continue;
        doc_cell_t *cell = doc_table_add_cell(g->table, row, tc->col, produced, tc->colspan);
        fill_cell(b, s, cell, tc);
    }
    if (g->table->row_count < row + produced)
        g->table->row_count = row + produced;
    return produced;
}

/* Empty cells where the template left grid positions uncovered, so borders stay whole. */
static void complete_grid(doc_table_t *t)
{
    size_t rows = t->row_count, cols = t->column_count;
    if (!rows || !cols)
        return;
    unsigned char *covered = mem_zalloc(rows * cols, 1);
    for (size_t k = 0; k < t->cell_count; k++) {
        const doc_cell_t *c = &t->cells[k];
        for (size_t r = c->row; r < c->row + c->rowspan && r < rows; r++)
            for (size_t q = c->col; q < c->col + c->colspan && q < cols; q++)
                covered[r * cols + q] = 1;
    }
    for (size_t r = 0; r < rows; r++)
        for (size_t q = 0; q < cols; q++)
            if (!covered[r * cols + q])
                doc_table_add_cell(t, r, q, 1, 1);
    free(covered);
}

static void build_table(builder_t *b, const scope_t *s, doc_section_t *sec, const tmpl_block_t *blk)
{
    const tmpl_table_t *spec = &blk->table;
    doc_block_t *out = doc_add_block(sec, DOC_TABLE);
    doc_table_t *t = &out->u.table;
    t->column_count = spec->column_count;
    t->columns = mem_zalloc(spec->column_count, sizeof *t->columns);
    memcpy(t->columns, spec->columns, spec->column_count * sizeof *t->columns);
    t->border_width = spec->border_width;
    t->border_color = spec->border_color;
    t->padding = spec->padding;
    const doc_style_t *st = style_of(b, blk->style);
    t->space_before = st->space_before;
    t->space_after = st->space_after;
    t->keep_with_next = st->keep_with_next;
    t->continued = spec->continued ? mem_strdup(spec->continued) : NULL;
    /* Header rows: cells placed left to right, skipping positions taken by rowspans. */
    size_t cols = spec->column_count;
    unsigned char *taken = mem_zalloc((spec->header_count + 64) * (cols ? cols : 1), 1);
    for (size_t r = 0; r < spec->header_count; r++) {
        size_t col = 0;
        for (size_t c = 0; c < spec->header_cell_count[r]; c++) {
            const tmpl_cell_t *tc = &spec->header[r][c];
            if (!holds(b, s, &tc->when))
                continue;
            while (col < cols && taken[r * cols + col])
                col++;
            if (tc->col != SIZE_MAX)
                col = tc->col;
            if (col + tc->colspan > cols) {
                diag_fail(b->dg, &tc->text.pos, "report-header-cell-lies-beyond",
                          "the header cell lies beyond the table's columns");
                b->errors++;
                break;
            }
            for (size_t rr = r; rr < r + tc->rowspan && rr < spec->header_count + 63; rr++)
                for (size_t q = col; q < col + tc->colspan; q++)
                    taken[rr * cols + q] = 1;
            doc_cell_t *cell = doc_table_add_cell(t, r, col, tc->rowspan, tc->colspan);
            fill_cell(b, s, cell, tc);
            cell->valign = DOC_VALIGN_MIDDLE;
            col += tc->colspan;
        }
    }
    free(taken);
    t->header_rows = spec->header_count;
    if (t->row_count < t->header_rows)
        t->row_count = t->header_rows;
    grid_t g = {t, spec};
    size_t body = rows_group(b, s, &g, &spec->body, t->header_rows);
    (void)body;
    complete_grid(t);
}

/* ---- charts ---- */

static double number_of(builder_t *b, const scope_t *s, const tmpl_text_t *text)
{
    if (!text->text)
        return NAN;
    buffer_t out = {0};
    bool thai = b->thai;
    b->thai = false; /* numbers are read back, so keep Arabic digits */
    expand(b, s, text, &out);
    b->thai = thai;
    double v = NAN;
    if (out.data && out.len) {
        char *end = NULL;
        v = strtod(out.data, &end);
        if (!end || *end)
            v = NAN;
    }
    free(out.data);
    return v;
}

static char *text_of(builder_t *b, const scope_t *s, const tmpl_text_t *text)
{
    if (!text->text)
        return NULL;
    buffer_t out = {0};
    expand(b, s, text, &out);
    char *r = mem_strdup(out.data ? out.data : "");
    free(out.data);
    /* Charts have no bold: drop toggles. */
    size_t o = 0;
    for (size_t i = 0; r[i]; i++)
        if (r[i] != BOLD_TOGGLE)
            r[o++] = r[i];
    r[o] = '\0';
    return r;
}

static void build_chart(builder_t *b, const scope_t *s, doc_section_t *sec, const tmpl_block_t *blk)
{
    const tmpl_chart_t *spec = &blk->chart;
    const value_t *list = list_at(b, s, &spec->each);
    doc_block_t *out = doc_add_block(sec, DOC_CHART);
    doc_chart_t *c = &out->u.chart;
    const doc_style_t *st = style_of(b, blk->style);
    c->space_before = st->space_before;
    c->space_after = st->space_after;
    c->title = text_of(b, s, &spec->title);
    c->series_count = spec->series_count;
    c->series = mem_zalloc(spec->series_count ? spec->series_count : 1, sizeof *c->series);
    for (size_t i = 0; i < spec->series_count; i++) {
        c->series[i].name = text_of(b, s, &spec->series[i].name);
        if (!c->series[i].name)
            c->series[i].name = mem_strdup("");
        c->series[i].color = spec->series[i].color;
    }
    size_t n = list ? list->count : 0;
    c->category_count = n;
    c->categories = mem_zalloc(n ? n : 1, sizeof *c->categories);
    c->values = mem_zalloc(n * spec->series_count + 1, sizeof *c->values);
    for (size_t i = 0; i < n; i++) {
        scope_t item = {spec->as, list->items[i], s};
        c->categories[i] = text_of(b, &item, &spec->category);
        for (size_t k = 0; k < spec->series_count; k++)
            c->values[i * spec->series_count + k] = number_of(b, &item, &spec->series[k].value);
    }
    c->axis_max = spec->axis_max;
    c->axis_step = spec->axis_step;
    c->reference = number_of(b, s, &spec->reference);
    c->reference_label = text_of(b, s, &spec->reference_label);
    c->reference_color = spec->reference_color;
    c->width_fraction = spec->width_fraction;
    c->height = spec->height;
    c->label_size = spec->label_size;
    c->value_decimals = spec->value_decimals;
    c->thai_digits = b->thai;
    c->empty_text = text_of(b, s, &spec->empty);
    c->horizontal = spec->horizontal;
    c->has_below_color = spec->has_below_color;
    c->below_color = spec->below_color;
    c->below_label = text_of(b, s, &spec->below_label);
    c->look = spec->look;
}

/* ---- blocks ---- */

static void build_blocks(builder_t *b, const scope_t *s, doc_section_t *sec,
                         const tmpl_block_t *blocks, size_t count);

static void build_block(builder_t *b, const scope_t *s, doc_section_t *sec, const tmpl_block_t *blk)
{
    if (!holds(b, s, &blk->when))
        return;
    const doc_style_t *style = style_of(b, blk->style);
    switch (blk->kind) {
    case TMPL_PARAGRAPH: {
        buffer_t text = {0};
        bool any = false;
        for (size_t i = 0; i < blk->piece_count; i++) {
            const tmpl_piece_t *p = &blk->pieces[i];
            if (!p->text.text || !holds(b, s, &p->when))
                continue;
            any = true;
            expand(b, s, &p->text, &text);
        }
        if (any)
            add_paragraphs(sec, text.data ? text.data : "", text.data ? text.len : 0, style);
        free(text.data);
        break;
    }
    case TMPL_LIST: {
        const value_t *list = list_at(b, s, &blk->each);
        for (size_t i = 0; list && i < list->count; i++) {
            value_t *index = value_int((int64_t)i + 1);
            scope_t idx = {"index", index, s};
            scope_t item = {blk->as, list->items[i], &idx};
            buffer_t text = {0};
            if (blk->prefix.text)
                expand(b, &item, &blk->prefix, &text);
            expand(b, &item, &blk->item, &text);
            add_paragraphs(sec, text.data ? text.data : "", text.data ? text.len : 0, style);
            free(text.data);
            value_free(index);
        }
        break;
    }
    case TMPL_EACH: {
        const value_t *list = list_at(b, s, &blk->each);
        for (size_t i = 0; list && i < list->count; i++) {
            value_t *index = value_int((int64_t)i + 1);
            scope_t idx = {"index", index, s};
            scope_t item = {blk->as, list->items[i], &idx};
            build_blocks(b, &item, sec, blk->blocks, blk->block_count);
            value_free(index);
        }
        break;
    }
    case TMPL_GROUP:
        build_blocks(b, s, sec, blk->blocks, blk->block_count);
        break;
    case TMPL_TABLE:
        build_table(b, s, sec, blk);
        break;
    case TMPL_CHART:
        build_chart(b, s, sec, blk);
        break;
    case TMPL_SPACE:
        doc_add_block(sec, DOC_SPACE)->u.space = blk->space;
        break;
    case TMPL_PAGE_BREAK:
        doc_add_block(sec, DOC_PAGE_BREAK);
        break;
    case TMPL_IMAGE: {
        char *path = text_of(b, s, &blk->image);
        if (path && *path) {
            doc_image_t *im = &doc_add_block(sec, DOC_IMAGE)->u.image;
            im->path = path;
            im->width = blk->image_width;
            im->height = blk->image_height;
            im->align = style->align;
            im->space_before = style->space_before;
            im->space_after = style->space_after;
        } else {
            free(path);
        }
        break;
    }
    }
}

static void build_blocks(builder_t *b, const scope_t *s, doc_section_t *sec,
                         const tmpl_block_t *blocks, size_t count)
{
    for (size_t i = 0; i < count; i++)
        build_block(b, s, sec, &blocks[i]);
}

static void build_running(builder_t *b, const tmpl_running_t *r, bool at_top)
{
    if (!r->text.text)
        return;
    buffer_t text = {0};
    b->keep_page_tokens = true;
    expand(b, NULL, &r->text, &text);
    b->keep_page_tokens = false;
    doc_running_t *out = &b->doc->running[b->doc->running_count++];
    out->text = mem_strdup(text.data ? text.data : "");
    for (char *p = out->text; *p; p++)
        if (*p == BOLD_TOGGLE)
            *p = ' ';
    out->style = *style_of(b, r->style);
    out->at_top = at_top;
    out->skip_first = r->skip_first;
    free(text.data);
}

int report_build(diag_t *dg, const tmpl_t *t, const value_t *data, bool thai_digits, doc_t *doc)
{
    builder_t b = {
        .dg = dg, .t = t, .root = data, .wording = t->wording, .thai = thai_digits, .doc = doc};
    doc->page_width = t->page_width;
    doc->page_height = t->page_height;
    doc->margin_left = t->margin_left;
    doc->margin_right = t->margin_right;
    doc->margin_top = t->margin_top;
    doc->margin_bottom = t->margin_bottom;
    doc->thai_digits = thai_digits;
    for (size_t i = 0; i < t->section_count; i++) {
        const tmpl_section_t *ts = &t->sections[i];
        if (!holds(&b, NULL, &ts->when))
            continue;
        doc_section_t *sec = doc_add_section(doc);
        sec->landscape = ts->landscape;
        sec->new_page = ts->new_page;
        sec->centered = ts->centered;
        build_blocks(&b, NULL, sec, ts->blocks, ts->block_count);
    }
    build_running(&b, &t->header, true);
    build_running(&b, &t->footer, false);
    free(b.reported);
    return b.errors ? -1 : 0;
}

char *report_line(diag_t *dg, const tmpl_t *t, const tmpl_line_t *line, const value_t *data)
{
    if (!line->count)
        return NULL;
    builder_t b = {.dg = dg, .t = t, .root = data, .wording = t->wording};
    buffer_t text = {0};
    bool any = false;
    for (size_t i = 0; i < line->count; i++)
        if (line->pieces[i].text.text && holds(&b, NULL, &line->pieces[i].when)) {
            expand(&b, NULL, &line->pieces[i].text, &text);
            any = true;
        }
    free(b.reported);
    if (!any) {
        free(text.data);
        return NULL;
    }
    char *out = mem_strdup(text.data ? text.data : "");
    free(text.data);
    size_t o = 0; /* no bold in the document information */
    for (size_t i = 0; out[i]; i++)
        if (out[i] != BOLD_TOGGLE)
            out[o++] = out[i];
    out[o] = '\0';
    if (b.errors) {
        free(out);
        return NULL;
    }
    return out;
}
