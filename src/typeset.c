/* typeset — see typeset.h. */
#include "typeset.h"

#include "chart.h"
#include "image.h"
#include "mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A row taller than a page starts on the current page when at least this much room is
 * left (points); else on the next. */
#define SPLIT_MIN_ROOM 72.0

/* Where the text frame's free space is. */
typedef struct cursor {
    layout_t *layout;
    dlist_t *list;
    const doc_t *doc;
    dl_page_t *page; /* NULL before the first page of a section */
    size_t page_index;
    double width, height; /* of the current page */
    double y;             /* top of the free space */
    bool fresh;           /* nothing placed on this page yet */
    bool landscape;
    double pending_space; /* space after the last block, collapsed with the next's before */
    double kept_above;    /* height of the headings (keep-with-next) just placed on this page */
} cursor_t;

static double frame_left(const cursor_t *c)
{
    return c->doc->margin_left;
}

static double frame_width(const cursor_t *c)
{
    return c->width - c->doc->margin_left - c->doc->margin_right;
}

static double frame_top(const cursor_t *c)
{
    return c->height - c->doc->margin_top;
}

static double frame_bottom(const cursor_t *c)
{
    return c->doc->margin_bottom;
}

static void new_page(cursor_t *c)
{
    c->width = c->landscape ? c->doc->page_height : c->doc->page_width;
    c->height = c->landscape ? c->doc->page_width : c->doc->page_height;
    c->page = dlist_add_page(c->list, c->width, c->height);
    c->page_index = c->list->page_count - 1;
    c->y = frame_top(c);
    c->fresh = true;
    c->pending_space = 0;
    c->kept_above = 0;
}

/* Moves down by the space between blocks (none at the top of a page). */
static void add_space(cursor_t *c, double space_before)
{
    if (!c->page)
        new_page(c);
    if (c->fresh)
        return;
    c->y -= fmax(space_before, c->pending_space);
    c->pending_space = 0;
}

/* The width of a paragraph's marker with the space after it ("- ", "(1) ", "10. "): its
 * text up to its first space, at most 24 bytes in, set in its own fonts; 0 when there is
 * none. */
static double marker_width(layout_t *layout, const doc_paragraph_t *p)
{
    size_t end = 0;
    while (end < p->len && end < 24 && p->text[end] != ' ')
        end++;
    if (end == 0 || end >= p->len || p->text[end] != ' ')
        return 0;
    /* The space as a no-break space, so that the line's width counts it. */
    char text[32];
    memcpy(text, p->text, end);
    memcpy(text + end, "\xC2\xA0", 2);
    layout_span_t spans[24];
    size_t count = 0;
    for (size_t i = 0; i < p->span_count && count < 24; i++) {
        if (p->spans[i].start > end)
            break;
        spans[count] = p->spans[i];
        if (spans[count].end >= end)
            spans[count].end = end + 2;
        count++;
    }
    layout_paragraph_t marker = {.text = text,
                                 .len = end + 2,
                                 .spans = spans,
                                 .span_count = count,
                                 .size = p->style.size,
                                 .line_spacing = p->style.line_spacing,
                                 .pitch = p->style.pitch,
                                 .align = LAYOUT_ALIGN_LEFT};
    const layout_line_t *lines = NULL;
    size_t n = layout_break(layout, &marker, 1e9, &lines);
    return n == 1 ? lines[0].width : 0;
}

static layout_paragraph_t as_layout(layout_t *layout, const doc_paragraph_t *p)
{
    double first_indent = p->style.first_indent;
    if (p->style.hanging_marker)
        first_indent = -marker_width(layout, p);
    return (layout_paragraph_t){
        .text = p->text,
        .len = p->len,
        .spans = p->spans,
        .span_count = p->span_count,
        .size = p->style.size,
        .line_spacing = p->style.line_spacing,
        .pitch = p->style.pitch,
        .align = p->style.align,
        .color = p->style.color,
        .first_indent = first_indent,
    };
}

/* ---- paragraphs ---- */

/* The number of a paragraph's lines that must share a page with what comes before it (a
 * heading): all of a paragraph of up to three lines (two at the bottom and one at the top
 * of the next page would leave one alone), else two. */
static size_t start_lines(size_t n)
{
    return n <= 3 ? n : 2;
}

/* Height of a paragraph's lines at a measure: one pitch per line. With first_lines, also
 * the height of the lines that must start on the same page as what comes before it. */
static double paragraph_height(layout_t *layout, const doc_paragraph_t *p, double measure,
                               double *first_lines)
{
    layout_paragraph_t lp = as_layout(layout, p);
    const layout_line_t *lines = NULL;
    size_t n = layout_break(layout, &lp, measure, &lines);
    layout_box_t box = layout_line_box(layout, &lp);
    if (first_lines)
        *first_lines = (double)start_lines(n) * box.pitch;
    return (double)n * box.pitch;
}

/* How many lines of a paragraph, from line `done` of n, go on the page whose free space
 * is `room` points high: whole pitches, but never one line of the paragraph alone at the
 * bottom of a page (its first) or at the top of the next (its last). 0: start on the next
 * page. On a fresh page at least one line goes, whatever the room. */
static size_t lines_for_page(size_t n, size_t done, double room, double pitch, bool fresh)
{
    size_t left = n - done;
    double fit = floor((room + 0.01) / pitch);
    size_t take = fit <= 0 ? 0 : fit >= (double)left ? left : (size_t)fit;
    if (take < left && left - take == 1 && take > 0)
        take--; /* one line would stand alone at the top of the next page */
    if (done == 0 && take == 1 && left > 1)
        take = 0; /* one line would stand alone at the bottom of this page */
    if (take == 0 && fresh)
        take = left < (size_t)fmax(fit, 1) ? left : (size_t)fmax(fit, 1);
    return take;
}

/* Places a paragraph's lines from the cursor down, on its pitch, breaking pages between
 * lines (lines_for_page). */
static void place_paragraph(cursor_t *c, const doc_paragraph_t *p)
{
    add_space(c, p->style.space_before);
    double kept = c->kept_above, top = c->y;
    layout_paragraph_t lp = as_layout(c->layout, p);
    double measure = frame_width(c) - p->style.indent;
    const layout_line_t *lines = NULL;
    size_t n = layout_break(c->layout, &lp, measure, &lines);
    layout_box_t box = layout_line_box(c->layout, &lp);
    double x0 = frame_left(c) + p->style.indent;
    size_t i = 0;
    while (i < n) {
        size_t take = lines_for_page(n, i, c->y - frame_bottom(c), box.pitch, c->fresh);
        if (take == 0) {
            new_page(c);
            continue;
        }
        double baseline = c->y - box.above;
        for (size_t k = 0; k < take; k++, i++, baseline -= box.pitch) {
            const layout_line_t *line = &lines[i];
            if (i == 0 && p->style.outline_level > 0)
                dlist_add_outline(c->list, p->text, p->len, p->style.outline_level, c->page_index,
                                  baseline + box.above);
            double indent = i == 0 ? lp.first_indent : 0; /* first-line or hanging indent */
            double slack = measure - indent - line->width, x = x0 + indent;
            if (lp.align == LAYOUT_ALIGN_RIGHT)
                x += slack;
            else if (lp.align == LAYOUT_ALIGN_CENTER)
                x += slack / 2;
            if (line->end > line->first)
                layout_emit_line(c->layout, c->page, &lp, line, x, baseline, measure - indent);
            c->y = baseline - box.below;
            c->fresh = false;
        }
        if (i < n)
            new_page(c);
    }
    c->pending_space = p->style.space_after;
    c->kept_above = p->style.keep_with_next ? kept + p->style.space_before + (top - c->y) : 0;
}

/* ---- tables ---- */

typedef struct table_geometry {
    double *col_x;      /* column_count + 1 edges, relative to the frame's left */
    double *row_height; /* per row */
    double *content;    /* per cell: height of its paragraphs */
    size_t *unit_end;   /* per row: the row after the keep-together unit it starts */
} table_geometry_t;

static double cell_width(const doc_table_t *t, const table_geometry_t *g, const doc_cell_t *cell)
{
    size_t end = cell->col + cell->colspan;
    if (end > t->column_count)
        end = t->column_count;
    return g->col_x[end] - g->col_x[cell->col] - 2 * t->padding;
}

static double cell_content_height(layout_t *layout, const doc_table_t *t, const table_geometry_t *g,
                                  const doc_cell_t *cell)
{
    double h = 0, width = cell_width(t, g, cell);
    for (size_t p = 0; p < cell->paragraph_count; p++) {
        const doc_paragraph_t *para = &cell->paragraphs[p];
        if (p > 0)
            h += para->style.space_before;
        h += paragraph_height(layout, para, width - para->style.indent, NULL);
    }
    return h;
}

/* What the balancing of auto columns knows of one line of a cell's paragraph, as it would
 * stand unbroken (a paragraph of n forced lines gives n): its width, its indent, its
 * pitch, and the space above it. */
typedef struct line_estimate {
    double natural, indent, pitch, space_before;
} line_estimate_t;

/* A cell's height at the given column widths, padding included, estimated: each line of
 * natural width N in a measure M takes ceil(N / (0.92 M)) lines (breaks leave about 8 % of
 * a line empty). */
static double estimated_cell_height(const doc_table_t *t, const doc_cell_t *cell,
                                    const line_estimate_t *lines, size_t count,
                                    const double *widths)
{
    double w = -2 * t->padding, h = 0;
    for (size_t c = cell->col; c < cell->col + cell->colspan && c < t->column_count; c++)
        w += widths[c];
    for (size_t k = 0; k < count; k++) {
        double measure = 0.92 * (w - lines[k].indent);
        double n = lines[k].natural <= w - lines[k].indent ? 1
                   : measure <= 1                          ? 1000
                                                           : ceil(lines[k].natural / measure);
        h += lines[k].space_before + n * lines[k].pitch;
    }
    return h + 2 * t->padding;
}

/* The table's height at the given widths, estimated: each row as tall as its tallest
 * one-row cell, and a merged cell taller than its rows lengthening its last row (cells in
 * order, by how many rows they span); the header rows once for every page the other rows
 * fill (frame: a page's height for the table), at least twice. */
static double estimated_table_height(const doc_table_t *t, const size_t *order,
                                     const line_estimate_t *lines, const size_t *first_line,
                                     const double *widths, double frame, double *rows)
{
    for (size_t r = 0; r < t->row_count; r++)
        rows[r] = 0;
    double all_cells = 0; /* every cell's height: of two equal tables, the one with fewer lines */
    const double lines_weight = 0.02;
    for (size_t o = 0; o < t->cell_count; o++) {
        size_t k = order[o];
        const doc_cell_t *cell = &t->cells[k];
        if (cell->row >= t->row_count)
            continue;
        double h = estimated_cell_height(t, cell, lines + first_line[k],
                                         first_line[k + 1] - first_line[k], widths);
        all_cells += h;
        size_t end = cell->row + (cell->rowspan ? cell->rowspan : 1);
        if (end > t->row_count)
            end = t->row_count;
        double spanned = 0;
        for (size_t r = cell->row; r < end; r++)
            spanned += rows[r];
        if (h > spanned)
            rows[end - 1] += h - spanned;
    }
    double header = 0, body = 0;
    for (size_t r = 0; r < t->row_count; r++)
        *(r < t->header_rows ? &header : &body) += rows[r];
    double pages = frame > header ? ceil(body / (frame - header)) : 2;
    return body + fmax(pages, 2) * header + lines_weight * all_cells;
}

/* widths with d points moved to auto column `to`: from auto column `from`, or (from =
 * the column count) from every other auto column in proportion to its width above its
 * minimum, into trial. False when the width is not there to give. */
static bool shifted(const doc_table_t *t, const double *widths, const double *minimum, size_t to,
                    size_t from, double d, double *trial)
{
    size_t n = t->column_count;
    memcpy(trial, widths, n * sizeof *trial);
    trial[to] += d;
    if (from < n) {
        trial[from] -= d;
        return trial[from] >= minimum[from];
    }
    double spare = 0;
    for (size_t k = 0; k < n; k++)
        if (k != to && t->columns[k].kind == DOC_WIDTH_AUTO && widths[k] > minimum[k])
            spare += widths[k] - minimum[k];
    if (spare < d)
        return false;
    for (size_t k = 0; k < n; k++)
        if (k != to && t->columns[k].kind == DOC_WIDTH_AUTO && widths[k] > minimum[k])
            trial[k] -= d * (widths[k] - minimum[k]) / spare;
    return true;
}

#define BALANCE_BUDGET 4000000 /* lines estimated, at most, in balancing one table */

/* A cell's index by the rows it spans (fewest first, then in the table's order). */
typedef struct span_order {
    size_t rowspan, cell;
} span_order_t;

static int by_rowspan(const void *a, const void *b)
{
    const span_order_t *x = a, *y = b;
    if (x->rowspan != y->rowspan)
        return x->rowspan < y->rowspan ? -1 : 1;
    return x->cell < y->cell ? -1 : x->cell > y->cell;
}

/* Moves width between the auto columns, a step at a time, while that makes the table
 * shorter by the estimate above: the column with the most text gets the width that saves
 * the most lines, wherever rows are set by it (a text column beside a short one does not
 * take its lines' share of the width, as a proportional split would give it). Every auto
 * column keeps at least its minimum. */
static void balance_auto_columns(layout_t *layout, const doc_table_t *t, double room, double frame,
                                 const double *minimum, double *widths, size_t autos)
{
    size_t n = t->column_count, cells = t->cell_count;
    size_t *first_line = mem_zalloc(cells + 1, sizeof *first_line);
    size_t count = 0, capacity = 16;
    line_estimate_t *lines = mem_alloc(capacity * sizeof *lines);
    for (size_t k = 0; k < cells; k++) {
        const doc_cell_t *cell = &t->cells[k];
        first_line[k] = count;
        for (size_t p = 0; p < cell->paragraph_count; p++) {
            const doc_paragraph_t *para = &cell->paragraphs[p];
            layout_paragraph_t lp = as_layout(layout, para);
            const layout_line_t *broken = NULL;
            size_t lines_count = layout_break(layout, &lp, 1e9, &broken);
            double pitch = layout_line_box(layout, &lp).pitch;
            for (size_t l = 0; l < (lines_count ? lines_count : 1); l++) {
                lines = mem_array_grow(lines, &capacity, count + 1, sizeof *lines);
                lines[count++] = (line_estimate_t){
                    .natural = lines_count ? broken[l].width : 0,
                    .indent = para->style.indent,
                    .pitch = pitch,
                    .space_before = p > 0 && l == 0 ? para->style.space_before : 0,
                };
            }
        }
    }
    first_line[cells] = count;
    span_order_t *spans = mem_zalloc(cells ? cells : 1, sizeof *spans);
    for (size_t k = 0; k < cells; k++)
        spans[k] = (span_order_t){t->cells[k].rowspan, k};
    qsort(spans, cells, sizeof *spans, by_rowspan);
    size_t *order = mem_zalloc(cells ? cells : 1, sizeof *order);
    for (size_t k = 0; k < cells; k++)
        order[k] = spans[k].cell;
    free(spans);
    double *rows = mem_zalloc(t->row_count ? t->row_count : 1, sizeof *rows);
    /* Moves of 1 to 16 steps to one column, from one other or from all the others in
     * proportion to their spare width: one step alone often saves no line anywhere, and a
     * column that sets every row's height may need width from several. The search stops
     * after BALANCE_BUDGET lines estimated (a template of many auto columns over thousands
     * of rows keeps the widths it has by then). */
    double step = room / 64;
    double *trial = mem_alloc(n * sizeof *trial);
    double best = estimated_table_height(t, order, lines, first_line, widths, frame, rows);
    size_t spent = 0, per_estimate = count + cells + t->row_count;
    for (int moves = 0; moves < 256 && spent < BALANCE_BUDGET; moves++) {
        spent += per_estimate * 5 * autos * autos;
        size_t to = n, from = n;
        double shortest = best - 0.5, by = 0; /* a move must save at least half a point */
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j <= n && t->columns[i].kind == DOC_WIDTH_AUTO; j++) {
                if (j == i || (j < n && t->columns[j].kind != DOC_WIDTH_AUTO))
                    continue;
                for (double d = step; d <= 16 * step; d *= 2) {
                    if (!shifted(t, widths, minimum, i, j, d, trial))
                        break;
                    double h =
                        estimated_table_height(t, order, lines, first_line, trial, frame, rows);
                    if (h < shortest) {
                        shortest = h;
                        to = i;
                        from = j;
                        by = d;
                    }
                }
            }
        }
        if (to == n)
            break;
        shifted(t, widths, minimum, to, from, by, trial);
        memcpy(widths, trial, n * sizeof *widths);
        best = shortest;
    }
    free(trial);
    free(rows);
    free(order);
    free(lines);
    free(first_line);
}

/* Column widths: fixed and relative first; auto columns share the rest by their content
 * (at least their widest unbreakable piece when there is room), and two or more auto
 * columns whose text must wrap are balanced (balance_auto_columns). Then no column is left
 * narrower than its widest unbreakable piece (a word the breaker keeps whole, such as
 * นักทรัพยากรบุคคล, split for want of width) while others have width to spare: they give
 * it, in proportion to their spare. */
static void column_widths(layout_t *layout, const doc_table_t *t, double total, double frame,
                          double *widths)
{
    size_t n = t->column_count;
    double *natural = mem_zalloc(n, sizeof *natural);
    double *minimum = mem_zalloc(n, sizeof *minimum);
    double used = 0, auto_natural = 0, auto_min = 0;
    for (size_t i = 0; i < n; i++) {
        const doc_column_t *col = &t->columns[i];
        widths[i] = col->kind == DOC_WIDTH_FIXED      ? col->value
                    : col->kind == DOC_WIDTH_RELATIVE ? col->value * total
                                                      : 0;
        used += widths[i];
    }
    for (size_t k = 0; k < t->cell_count; k++) {
        const doc_cell_t *cell = &t->cells[k];
        if (cell->colspan != 1 || cell->col >= n)
            continue;
        bool is_auto = t->columns[cell->col].kind == DOC_WIDTH_AUTO;
        for (size_t p = 0; p < cell->paragraph_count; p++) {
            const doc_paragraph_t *para = &cell->paragraphs[p];
            layout_paragraph_t lp = as_layout(layout, para);
            double m = layout_min_width(layout, &lp) + para->style.indent;
            minimum[cell->col] = fmax(minimum[cell->col], m + 2 * t->padding);
            if (!is_auto)
                continue;
            const layout_line_t *lines = NULL;
            size_t count = layout_break(layout, &lp, 1e9, &lines);
            double w = count ? lines[0].width : 0;
            natural[cell->col] = fmax(natural[cell->col], w + 2 * t->padding);
        }
    }
    size_t autos = 0;
    for (size_t i = 0; i < n; i++) {
        if (t->columns[i].kind != DOC_WIDTH_AUTO)
            continue;
        autos++;
        if (natural[i] < 2 * t->padding + 1)
            natural[i] = minimum[i] = 2 * t->padding + 1;
        auto_natural += natural[i];
        auto_min += minimum[i];
    }
    double room = total - used;
    for (size_t i = 0; autos && i < n; i++) {
        if (t->columns[i].kind != DOC_WIDTH_AUTO)
            continue;
        if (auto_natural <= room)
            widths[i] = natural[i] + (room - auto_natural) * natural[i] / auto_natural;
        else if (auto_min <= room && auto_natural > auto_min)
            widths[i] = minimum[i] +
                        (room - auto_min) * (natural[i] - minimum[i]) / (auto_natural - auto_min);
        else
            widths[i] = fmax(room, 0) * minimum[i] / auto_min;
    }
    if (autos > 1 && auto_natural > room && auto_min <= room)
        balance_auto_columns(layout, t, room, frame, minimum, widths, autos);
    double need = 0, spare = 0;
    for (size_t i = 0; i < n; i++) {
        if (widths[i] < minimum[i])
            need += minimum[i] - widths[i];
        else
            spare += widths[i] - minimum[i];
    }
    if (need > 0.01 && spare >= need) {
        double give = need / spare;
        for (size_t i = 0; i < n; i++)
            widths[i] =
                widths[i] < minimum[i] ? minimum[i] : widths[i] - (widths[i] - minimum[i]) * give;
    }
    free(natural);
    free(minimum);
}

static bool is_sub_header(const doc_table_t *t, size_t r)
{
    return t->sub_header_until && r < t->sub_header_capacity && t->sub_header_until[r] > r + 1;
}

static void measure_table(layout_t *layout, const doc_table_t *t, double total, double frame,
                          table_geometry_t *g)
{
    size_t n = t->column_count, rows = t->row_count;
    double *widths = mem_zalloc(n ? n : 1, sizeof *widths);
    column_widths(layout, t, total, frame, widths);
    g->col_x = mem_zalloc(n + 1, sizeof *g->col_x);
    for (size_t i = 0; i < n; i++)
        g->col_x[i + 1] = g->col_x[i] + widths[i];
    free(widths);
    g->row_height = mem_zalloc(rows ? rows : 1, sizeof *g->row_height);
    g->content = mem_zalloc(t->cell_count ? t->cell_count : 1, sizeof *g->content);
    g->unit_end = mem_zalloc(rows ? rows : 1, sizeof *g->unit_end);
    /* A row is at least one line of the table's first paragraph style high. */
    double empty = 2 * t->padding;
    for (size_t k = 0; k < t->cell_count; k++) {
        const doc_cell_t *cell = &t->cells[k];
        g->content[k] = cell_content_height(layout, t, g, cell);
        if (cell->paragraph_count && empty <= 2 * t->padding) {
            layout_paragraph_t lp = as_layout(layout, &cell->paragraphs[0]);
            empty = 2 * t->padding + layout_line_box(layout, &lp).pitch;
        }
    }
    for (size_t r = 0; r < rows; r++)
        g->row_height[r] = empty;
    for (size_t k = 0; k < t->cell_count; k++) {
        const doc_cell_t *cell = &t->cells[k];
        if (cell->rowspan == 1 && cell->row < rows)
            g->row_height[cell->row] =
                fmax(g->row_height[cell->row], g->content[k] + 2 * t->padding);
    }
    /* Spanning cells: the last row they cover grows when the rows are too short; the rows
     * their content needs stay together. */
    for (size_t r = 0; r < rows; r++)
        g->unit_end[r] = r + 1;
    for (size_t k = 0; k < t->cell_count; k++) {
        const doc_cell_t *cell = &t->cells[k];
        if (cell->rowspan < 2 || cell->row >= rows)
            continue;
        size_t last = cell->row + cell->rowspan;
        if (last > rows)
            last = rows;
        double need = g->content[k] + 2 * t->padding, have = 0;
        size_t keep = cell->row;
        for (size_t r = cell->row; r < last && have < need; r++, keep = r)
            have += g->row_height[r];
        if (have < need)
            g->row_height[last - 1] += need - have;
        if (keep > g->unit_end[cell->row])
            g->unit_end[cell->row] = keep;
    }
    /* A sub-header row keeps with the row after it. */
    for (size_t r = rows; r-- > 0;)
        if (is_sub_header(t, r) && r + 1 < rows && g->unit_end[r + 1] > g->unit_end[r])
            g->unit_end[r] = g->unit_end[r + 1];
    /* Units: a row's unit extends to cover every unit starting inside it. */
    for (size_t r = 0; r < rows; r++) {
        size_t end = g->unit_end[r];
        for (size_t q = r + 1; q < end && q < rows; q++)
            if (g->unit_end[q] > end)
                end = g->unit_end[q];
        g->unit_end[r] = end;
        for (size_t q = r + 1; q < end && q < rows; q++)
            g->unit_end[q] = end; /* rows inside a unit never start one */
    }
}

static void free_geometry(table_geometry_t *g)
{
    free(g->col_x);
    free(g->row_height);
    free(g->content);
    free(g->unit_end);
}

static double rows_height(const table_geometry_t *g, size_t from, size_t to)
{
    double h = 0;
    for (size_t r = from; r < to; r++)
        h += g->row_height[r];
    return h;
}

/* Draws the paragraphs of a cell inside the box whose top is `top`, starting at line
 * `skip` of the content (for rows split across pages) and stopping above `bottom`; the
 * paragraphs are broken once, into kept[] (one per paragraph, NULL until broken; the
 * caller frees them), however many pages the cell spans. A cell set in the middle or at
 * the bottom of its box moves down by whole pitches of its first paragraph, so that the
 * cells of a row keep their baselines on one grid. Returns the number of lines drawn (with
 * emit false, that would be drawn: nothing is); *end_y, when given, is where the last of
 * them ends (top - padding when none). */
static size_t draw_cell_text(cursor_t *c, const doc_table_t *t, const table_geometry_t *g,
                             const doc_cell_t *cell, double content, layout_kept_t **kept, double x,
                             double top, double bottom, double box_height, size_t skip, bool emit,
                             bool *finished, double *end_y)
{
    double width = cell_width(t, g, cell);
    double offset = 0;
    if (skip == 0 && content + 2 * t->padding <= box_height + 0.01 && cell->paragraph_count) {
        if (cell->valign == DOC_VALIGN_MIDDLE)
            offset = (box_height - 2 * t->padding - content) / 2;
        else if (cell->valign == DOC_VALIGN_BOTTOM)
            offset = box_height - 2 * t->padding - content;
        layout_paragraph_t first = as_layout(c->layout, &cell->paragraphs[0]);
        double pitch = layout_line_box(c->layout, &first).pitch;
        offset = floor((offset + 0.01) / pitch) * pitch;
    }
    double y = top - t->padding - offset;
    size_t index = 0, drawn = 0;
    *finished = true;
    if (end_y)
        *end_y = top - t->padding;
    for (size_t p = 0; p < cell->paragraph_count; p++) {
        const doc_paragraph_t *para = &cell->paragraphs[p];
        layout_paragraph_t lp = as_layout(c->layout, para);
        double measure = width - para->style.indent;
        if (!kept[p])
            kept[p] = layout_keep(c->layout, &lp, measure);
        const layout_line_t *lines;
        size_t n = layout_kept_lines(kept[p], &lines);
        if (index + n <= skip) {
            index += n;
            continue;
        }
        layout_box_t box = layout_line_box(c->layout, &lp);
        if (p > 0 && index >= skip && drawn > 0)
            y -= para->style.space_before;
        size_t i = index < skip ? skip - index : 0;
        index += i;
        double baseline = y - box.above;
        /* The lines of this paragraph that go above `bottom`: never its first alone at the
         * foot nor its last alone at the top of the next part (as lines_for_page), but at
         * least one line when the cell has none here yet. */
        size_t fit = 0;
        for (double b = baseline; i + fit < n && b - box.below >= bottom - 0.01; b -= box.pitch)
            fit++;
        size_t take = fit, left = n - i;
        if (take < left && left - take == 1 && take > 1)
            take--;
        if (take < left && i == 0 && take == 1)
            take = 0;
        if (take == 0 && drawn == 0)
            take = fit ? fit : 1;
        for (size_t stop = i + take; i < n; i++, index++, baseline -= box.pitch) {
            const layout_line_t *line = &lines[i];
            if (i >= stop) {
                *finished = false;
                return drawn;
            }
            double indent = i == 0 ? lp.first_indent : 0;
            double slack = measure - indent - line->width;
            double lx = x + t->padding + para->style.indent + indent;
            if (lp.align == LAYOUT_ALIGN_RIGHT)
                lx += slack;
            else if (lp.align == LAYOUT_ALIGN_CENTER)
                lx += slack / 2;
            if (emit && line->end > line->first)
                layout_emit_kept_line(c->layout, kept[p], c->page, i, lx, baseline);
            y = baseline - box.below;
            if (end_y)
                *end_y = y;
            drawn++;
        }
    }
    return drawn;
}

/* Frees a cell's kept paragraphs (draw_cell_text) and the array. */
static void free_kept(layout_kept_t **kept, size_t count)
{
    for (size_t p = 0; kept && p < count; p++)
        layout_kept_free(kept[p]);
    free(kept);
}

static void draw_cell_box(cursor_t *c, const doc_table_t *t, double x, double top, double w,
                          double h, const doc_cell_t *cell)
{
    if (cell && cell->has_fill) {
        dl_rect_t r = {x, top - h, w, h, 1, 0, cell->fill, {0, 0, 0}, 0};
        dlist_add_rect(c->page, &r);
    }
    if (t->border_width > 0) {
        dl_rect_t r = {x, top - h, w, h, 0, 1, {0, 0, 0}, t->border_color, t->border_width};
        dlist_add_rect(c->page, &r);
    }
}

/* A merged cell as it is drawn again where it continues on a new page: its paragraphs
 * with the table's `continued` mark after the last one. Free with free_continued. */
static doc_cell_t continued_copy(const doc_table_t *t, const doc_cell_t *cell)
{
    doc_cell_t copy = *cell;
    copy.paragraphs = mem_zalloc(cell->paragraph_count, sizeof *copy.paragraphs);
    memcpy(copy.paragraphs, cell->paragraphs, cell->paragraph_count * sizeof *copy.paragraphs);
    doc_paragraph_t *last = &copy.paragraphs[cell->paragraph_count - 1];
    size_t extra = strlen(t->continued);
    char *text = mem_alloc(last->len + extra + 1);
    memcpy(text, last->text, last->len);
    memcpy(text + last->len, t->continued, extra + 1);
    layout_span_t *spans = mem_zalloc(last->span_count + 1, sizeof *spans);
    if (last->span_count)
        memcpy(spans, last->spans, last->span_count * sizeof *spans);
    spans[last->span_count] = (layout_span_t){last->len, last->len + extra, last->style.font};
    last->text = text;
    last->spans = spans;
    last->span_count++;
    last->len += extra;
    return copy;
}

static void free_continued(doc_cell_t *copy)
{
    doc_paragraph_t *last = &copy->paragraphs[copy->paragraph_count - 1];
    free(last->text);
    free(last->spans);
    free(copy->paragraphs);
}

/* Whether cell k is drawn again with the `continued` mark in rows [from, ...) on this page:
 * it starts before them, was started on an earlier page and has text. */
static bool is_continued(const cursor_t *c, const doc_table_t *t, size_t k, size_t from,
                         const size_t *started)
{
    const doc_cell_t *cell = &t->cells[k];
    return t->continued && started && cell->paragraph_count && cell->row < from &&
           cell->row + cell->rowspan > from && started[k] && started[k] != c->page_index + 1;
}

/* Grows the rows [from, to) where merged cells drawn again with the `continued` mark end,
 * so that their text shows whole (with `lead` over rows from lead_row, as draw_rows
 * draws them); adds to g->row_height and to added[0 .. to - from), which the caller takes
 * back with shrink_rows. */
static void grow_continued(cursor_t *c, const doc_table_t *t, table_geometry_t *g, size_t from,
                           size_t to, const size_t *started, double lead, size_t lead_row,
                           double *added)
{
    for (size_t q = from; q < to; q++)
        added[q - from] = 0;
    for (size_t k = 0; k < t->cell_count; k++) {
        if (!is_continued(c, t, k, from, started))
            continue;
        const doc_cell_t *cell = &t->cells[k];
        size_t b = cell->row + cell->rowspan < to ? cell->row + cell->rowspan : to;
        double h = rows_height(g, from, b) + (lead > 0 && cell->row <= lead_row ? lead : 0);
        doc_cell_t copy = continued_copy(t, cell);
        double need = cell_content_height(c->layout, t, g, &copy) + 2 * t->padding;
        free_continued(&copy);
        if (need > h + 0.01) {
            g->row_height[b - 1] += need - h;
            added[b - 1 - from] += need - h;
        }
    }
}

static void shrink_rows(table_geometry_t *g, size_t from, size_t to, const double *added)
{
    for (size_t q = from; q < to; q++)
        g->row_height[q] -= added[q - from];
}

/* Draws a merged cell's text again where it continues on a new page (continued_copy). */
static void draw_continued_text(cursor_t *c, const doc_table_t *t, const table_geometry_t *g,
                                const doc_cell_t *cell, double x, double top, double h)
{
    doc_cell_t copy = continued_copy(t, cell);
    layout_kept_t **kept = mem_zalloc(copy.paragraph_count + 1, sizeof *kept);
    bool finished;
    draw_cell_text(c, t, g, &copy, cell_content_height(c->layout, t, g, &copy), kept, x, top,
                   top - h, h, 0, true, &finished, NULL);
    free_kept(kept, copy.paragraph_count);
    free_continued(&copy);
}

/* Draws rows [from, to) starting at the cursor; cells spanning into rows outside the
 * range are cut at its edges (their text is drawn where they start; where they started on
 * an earlier page, again with the table's `continued` mark, or for the first time if not
 * drawn yet). With own_only, only the cells lying within the range (a sub-header repeated
 * on a new page). `lead` is the height of sub-header rows (from row lead_row) repeated
 * just above: a cell continuing from before `from` that covers lead_row reaches up over
 * them. */
static void draw_rows(cursor_t *c, const doc_table_t *t, const table_geometry_t *g, size_t from,
                      size_t to, const size_t *started, bool own_only, double lead, size_t lead_row)
{
    double left = frame_left(c);
    double top = c->y;
    for (size_t k = 0; k < t->cell_count; k++) {
        const doc_cell_t *cell = &t->cells[k];
        size_t first = cell->row, last = cell->row + cell->rowspan;
        if (last > t->row_count)
            last = t->row_count;
        if (last <= from || first >= to || (own_only && (first < from || last > to)))
            continue;
        size_t a = first > from ? first : from, b = last < to ? last : to;
        double cell_top = top - rows_height(g, from, a);
        double h = rows_height(g, a, b);
        if (first < from && lead > 0 && first <= lead_row)
            cell_top += lead, h += lead;
        size_t col_end = cell->col + cell->colspan;
        if (col_end > t->column_count)
            col_end = t->column_count;
        double x = left + g->col_x[cell->col];
        double w = g->col_x[col_end] - g->col_x[cell->col];
        draw_cell_box(c, t, x, cell_top, w, h, cell);
        bool finished;
        if (first >= from || (started && !started[k])) {
            layout_kept_t **kept = mem_zalloc(cell->paragraph_count + 1, sizeof *kept);
            draw_cell_text(c, t, g, cell, g->content[k], kept, x, cell_top, cell_top - h, h, 0,
                           true, &finished, NULL);
            free_kept(kept, cell->paragraph_count);
        } else if (is_continued(c, t, k, from, started)) {
            draw_continued_text(c, t, g, cell, x, cell_top, h);
        }
    }
    c->y = top - rows_height(g, from, to);
    c->fresh = false;
}

static double continue_on_new_page(cursor_t *c, const doc_table_t *t, const table_geometry_t *g,
                                   size_t header, size_t next, size_t *lead_row);

/* The largest line pitch of the first paragraphs of row r's cells. */
static double row_pitch(const cursor_t *c, const doc_table_t *t, size_t r)
{
    double pitch = 0;
    for (size_t k = 0; k < t->cell_count; k++) {
        const doc_cell_t *cell = &t->cells[k];
        if (cell->row == r && cell->paragraph_count) {
            layout_paragraph_t lp = as_layout(c->layout, &cell->paragraphs[0]);
            pitch = fmax(pitch, layout_line_box(c->layout, &lp).pitch);
        }
    }
    return pitch;
}

/* Row r's first cell with text (its name, in the first column): t->cell_count if none. */
static size_t row_label(const doc_table_t *t, size_t r)
{
    size_t label = t->cell_count;
    for (size_t k = 0; k < t->cell_count; k++)
        if (t->cells[k].row == r && t->cells[k].paragraph_count &&
            (label == t->cell_count || t->cells[k].col < t->cells[label].col))
            label = k;
    return label;
}

/* How many lines each cell of row r sets from line skip[k] down to `limit` (lines[k]),
 * and where the lowest of them ends; false when some cell has lines left over. */
static bool measure_row_part(cursor_t *c, const doc_table_t *t, const table_geometry_t *g, size_t r,
                             layout_kept_t ***kept, const size_t *skip, double top, double limit,
                             double box_height, size_t *lines, double *lowest)
{
    bool all_done = true;
    *lowest = top;
    for (size_t k = 0; k < t->cell_count; k++) {
        const doc_cell_t *cell = &t->cells[k];
        if (cell->row != r)
            continue;
        if (!kept[k])
            kept[k] = mem_zalloc(cell->paragraph_count + 1, sizeof **kept);
        bool finished;
        double end;
        lines[k] = draw_cell_text(c, t, g, cell, g->content[k], kept[k], 0, top, limit + t->padding,
                                  box_height, skip[k], false, &finished, &end);
        all_done = all_done && finished;
        *lowest = fmin(*lowest, end);
    }
    return all_done;
}

/* Draws row r from the cursor down, its cells' lines split over as many pages as they need
 * (each continuation under the table's header rows): a part ending on a page takes the
 * frame down to its bottom, the last part is as tall as its tallest cell's lines. A split
 * moves up a line at a time while the part after it would hold less than two lines (a
 * cell's last one-line paragraph alone on the next page). */
static void draw_split_row(cursor_t *c, const doc_table_t *t, const table_geometry_t *g, size_t r,
                           size_t header)
{
    size_t cells = t->cell_count ? t->cell_count : 1;
    size_t *skip = mem_zalloc(cells, sizeof *skip);
    size_t *lines = mem_zalloc(cells, sizeof *lines);
    size_t *total = mem_zalloc(cells, sizeof *total);
    layout_kept_t ***kept = mem_zalloc(cells, sizeof *kept);
    double pitch = row_pitch(c, t, r), lowest;
    measure_row_part(c, t, g, r, kept, skip, c->y, -HUGE_VAL, 0, total, &lowest);
    /* The row's first cell (its name) is shown again, with the table's `continued` mark,
     * on parts after the one where its own text ended. */
    size_t label = row_label(t, r);
    bool all_done = false, first_part = true;
    while (!all_done) {
        double top = c->y, bottom = frame_bottom(c), limit = bottom;
        for (;;) {
            all_done =
                measure_row_part(c, t, g, r, kept, skip, top, limit, top - bottom, lines, &lowest);
            size_t here = 0, after = 0;
            for (size_t k = 0; k < t->cell_count; k++) {
                if (t->cells[k].row != r)
                    continue;
                here = lines[k] > here ? lines[k] : here;
                size_t left = total[k] - skip[k] - lines[k];
                after = left > after ? left : after;
            }
            if (all_done || after >= 2 || here <= 2 || limit + pitch > top)
                break;
            limit += pitch;
        }
        bool relabel =
            t->continued && !first_part && label < t->cell_count && skip[label] >= total[label];
        doc_cell_t again = relabel ? continued_copy(t, &t->cells[label]) : (doc_cell_t){0};
        if (relabel)
            lowest = fmin(lowest, top - cell_content_height(c->layout, t, g, &again) - t->padding);
        double height = all_done ? fmin(top - lowest + t->padding, top - bottom) : top - bottom;
        for (size_t k = 0; k < t->cell_count; k++) {
            const doc_cell_t *cell = &t->cells[k];
            if (cell->row != r)
                continue;
            size_t col_end = cell->col + cell->colspan;
            if (col_end > t->column_count)
                col_end = t->column_count;
            double x = frame_left(c) + g->col_x[cell->col];
            double w = g->col_x[col_end] - g->col_x[cell->col];
            draw_cell_box(c, t, x, top, w, height, cell);
            if (relabel && k == label) {
                draw_continued_text(c, t, g, cell, x, top, height);
                continue;
            }
            bool finished;
            draw_cell_text(c, t, g, cell, g->content[k], kept[k], x, top, limit + t->padding,
                           top - bottom, skip[k], true, &finished, NULL);
            skip[k] += lines[k];
        }
        if (relabel)
            free_continued(&again);
        first_part = false;
        c->y = top - height;
        c->fresh = false;
        size_t lead_row;
        if (!all_done)
            continue_on_new_page(c, t, g, header, r, &lead_row);
    }
    for (size_t k = 0; k < t->cell_count; k++)
        free_kept(kept[k], t->cells[k].paragraph_count);
    free(kept);
    free(total);
    free(lines);
    free(skip);
}

/* Marks the cells that start in rows [from, to) as started (their text is drawn) on the
 * current page: started[k] is its index + 1, 0 for a cell not started. */
static void mark_started(const cursor_t *c, const doc_table_t *t, size_t from, size_t to,
                         size_t *started)
{
    for (size_t k = 0; k < t->cell_count; k++)
        if (t->cells[k].row >= from && t->cells[k].row < to)
            started[k] = c->page_index + 1;
}

/* The rows [*from, *to) of the sub-header that heads row `next`, if any (else from == to). */
static void sub_header_of(const doc_table_t *t, size_t header, size_t next, size_t *from,
                          size_t *to)
{
    *from = *to = 0;
    for (size_t q = next; q-- > header;) {
        if (!is_sub_header(t, q))
            continue;
        if (t->sub_header_until[q] > next) {
            size_t a = q;
            while (a > header && is_sub_header(t, a - 1) &&
                   t->sub_header_until[a - 1] == t->sub_header_until[q])
                a--;
            *from = a;
            *to = q + 1;
        }
        return;
    }
}

/* A new page for the table's rows from `next`: its header rows, then the sub-header that
 * heads `next` (if any). Returns the sub-header's height (its first row in *lead_row). */
static double continue_on_new_page(cursor_t *c, const doc_table_t *t, const table_geometry_t *g,
                                   size_t header, size_t next, size_t *lead_row)
{
    new_page(c);
    if (header)
        draw_rows(c, t, g, 0, header, NULL, false, 0, 0);
    size_t from, to;
    sub_header_of(t, header, next, &from, &to);
    *lead_row = from;
    if (from == to || from == next)
        return 0;
    draw_rows(c, t, g, from, to, NULL, true, 0, 0);
    return rows_height(g, from, to);
}

/* The unit that ends at `end` (the last unit of [r, end)): where it starts. */
static size_t last_unit_start(const table_geometry_t *g, size_t r, size_t end)
{
    size_t start = r;
    for (size_t q = r; q < end; q = g->unit_end[q])
        start = q;
    return start;
}

/* A row that does not fit on what is left of a page is split between its cells' lines
 * (draw_split_row) when that is at least this share of a page's room for rows, so that a
 * tall row does not leave most of a page empty; else it starts on the next page. (Each
 * paragraph of a cell keeps two lines on either side of the split, draw_cell_text.) */
#define ROW_SPLIT_MIN_SHARE 0.25
#define ROW_SPLIT_MIN_LINES 2 /* lines, of the row's largest pitch, left above the split */

/* Whether row r, a unit of its own, is split here rather than moved to the next page: it
 * does not fit, and the room left is at least ROW_SPLIT_MIN_SHARE of a page's,
 * SPLIT_MIN_ROOM, ROW_SPLIT_MIN_LINES lines and the row's first cell whole (its name). */
static bool splits_here(const cursor_t *c, const doc_table_t *t, const table_geometry_t *g,
                        size_t r, double page_room)
{
    if (r >= t->row_count || g->unit_end[r] != r + 1 || is_sub_header(t, r))
        return false;
    double room = c->y - frame_bottom(c), height = g->row_height[r];
    if (height <= room + 0.01 || room < ROW_SPLIT_MIN_SHARE * page_room || room < SPLIT_MIN_ROOM)
        return false;
    size_t label = row_label(t, r); /* the row's name is not split */
    if (label < t->cell_count && g->content[label] + 2 * t->padding > room + 0.01)
        return false;
    return room >= ROW_SPLIT_MIN_LINES * row_pitch(c, t, r) + 2 * t->padding;
}

static void place_table(cursor_t *c, const doc_table_t *t)
{
    add_space(c, t->space_before);
    if (t->row_count == 0 || t->column_count == 0) {
        c->pending_space = t->space_after;
        c->kept_above = 0;
        return;
    }
    table_geometry_t g = {0};
    measure_table(c->layout, t, frame_width(c), frame_top(c) - frame_bottom(c), &g);
    size_t rows = t->row_count;
    size_t header = t->header_rows < rows ? t->header_rows : 0;
    double header_height = rows_height(&g, 0, header);
    double frame = frame_top(c) - frame_bottom(c);
    double page_room = frame - header_height;
    size_t *started = mem_zalloc(t->cell_count ? t->cell_count : 1, sizeof *started);
    /* A table that fits on a page is not split; else the header and its first two units
     * (never one row alone) start together, unless they are taller than a page anyway
     * (split between lines then). */
    double whole = rows_height(&g, 0, rows);
    size_t second = header < rows ? g.unit_end[header] : rows;
    double start_units = rows_height(&g, header, second < rows ? g.unit_end[second] : rows);
    /* (With headings just above, keep-with-next has chosen the page already.) */
    if (!c->fresh && c->kept_above == 0 &&
        ((whole <= frame + 0.01 && c->y - whole < frame_bottom(c) - 0.01) ||
         (c->y - header_height - start_units < frame_bottom(c) - 0.01 &&
          start_units <= page_room + 0.01)))
        new_page(c);
    if (header)
        draw_rows(c, t, &g, 0, header, NULL, false, 0, 0);
    size_t r = header;
    double lead = 0;
    size_t lead_row = 0;
    bool fresh_rows = false; /* only header and sub-header rows on this page */
    while (r < rows) {
        /* As many whole units as fit on this page, drawn in one go (so that cells spanning
         * several units get one box per page); the last row of the table never goes alone
         * onto the next page. */
        size_t end = r;
        double *added = mem_zalloc(rows - r, sizeof *added);
        while (end < rows) {
            size_t next = g.unit_end[end];
            grow_continued(c, t, &g, r, next, started, lead, lead_row, added);
            bool fits = c->y - rows_height(&g, r, next) >= frame_bottom(c) - 0.01;
            shrink_rows(&g, r, next, added);
            if (!fits)
                break;
            end = next;
        }
        /* A unit that fits only without the rows grown for repeated merged cells goes on a
         * page of its own anyway, ungrown (those cells then show what fits). */
        bool grow = true;
        if (end == r && fresh_rows &&
            c->y - rows_height(&g, r, g.unit_end[r]) >= frame_bottom(c) - 0.01) {
            end = g.unit_end[r];
            grow = false;
        }
        if (end > r && end < rows && g.unit_end[end] == rows && rows - end == 1) {
            size_t back = last_unit_start(&g, r, end);
            if (back > r)
                end = back;
        }
        if (end > r) {
            if (grow)
                grow_continued(c, t, &g, r, end, started, lead, lead_row, added);
            draw_rows(c, t, &g, r, end, started, false, lead, lead_row);
            if (grow)
                shrink_rows(&g, r, end, added);
            free(added);
            fresh_rows = false;
            mark_started(c, t, r, end, started);
            r = end;
            lead = 0;
            if (r < rows && !splits_here(c, t, &g, r, page_room)) {
                lead = continue_on_new_page(c, t, &g, header, r, &lead_row);
                fresh_rows = true;
            }
            continue;
        }
        free(added);
        double unit = rows_height(&g, r, g.unit_end[r]);
        if (splits_here(c, t, &g, r, page_room)) {
            draw_split_row(c, t, &g, r, header);
            mark_started(c, t, r, r + 1, started);
            r++;
            lead = 0;
            fresh_rows = false;
            continue;
        }
        if (unit <= page_room + 0.01 && !fresh_rows) {
            lead = continue_on_new_page(c, t, &g, header, r, &lead_row);
            fresh_rows = true;
            continue;
        }
        /* Taller than any page: it starts here unless too little room is left. */
        if (c->y - frame_bottom(c) < SPLIT_MIN_ROOM && !fresh_rows)
            lead = continue_on_new_page(c, t, &g, header, r, &lead_row);
        /* A unit taller than a page: its rows one by one, a row taller than a page split
         * between the lines of its cells. */
        for (size_t q = r; q < g.unit_end[r]; q++) {
            double rh = g.row_height[q];
            if (c->y - rh < frame_bottom(c) - 0.01 && rh <= page_room + 0.01)
                lead = continue_on_new_page(c, t, &g, header, q, &lead_row);
            if (c->y - rh >= frame_bottom(c) - 0.01)
                draw_rows(c, t, &g, q, q + 1, started, false, lead, lead_row);
            else
                draw_split_row(c, t, &g, q, header);
            lead = 0;
            for (size_t k = 0; k < t->cell_count; k++)
                if (t->cells[k].row <= q && t->cells[k].row + t->cells[k].rowspan > q &&
                    !started[k])
                    started[k] = c->page_index + 1;
        }
        r = g.unit_end[r]; /* what follows goes below its last part, or onto a new page */
        fresh_rows = false;
    }
    free(started);
    free_geometry(&g);
    c->pending_space = t->space_after;
    c->kept_above = 0;
}

/* A table's whole height, all its rows on one page (frame: a page's height for rows). */
static double table_height(layout_t *layout, const doc_table_t *t, double width, double frame)
{
    if (t->row_count == 0 || t->column_count == 0)
        return 0;
    table_geometry_t g = {0};
    measure_table(layout, t, width, frame, &g);
    double whole = rows_height(&g, 0, t->row_count);
    free_geometry(&g);
    return whole;
}

/* Height a table needs at least where it starts: its header and first unit. */
static double table_start_height(layout_t *layout, const doc_table_t *t, double width,
                                 double page_height_hint, double above)
{
    if (t->row_count == 0 || t->column_count == 0)
        return 0;
    table_geometry_t g = {0};
    measure_table(layout, t, width, page_height_hint, &g);
    size_t header = t->header_rows < t->row_count ? t->header_rows : 0;
    double head = rows_height(&g, 0, header);
    double whole = rows_height(&g, 0, t->row_count);
    size_t second = header < t->row_count ? g.unit_end[header] : t->row_count;
    double unit = rows_height(&g, header, second < t->row_count ? g.unit_end[second] : second);
    free_geometry(&g);
    /* A table that fits on a page moves whole (place_table); first units taller than a
     * page are split anyway: their start is enough. */
    if (whole + above <= page_height_hint)
        return whole + t->space_before;
    if (unit > page_height_hint)
        unit = 3 * t->padding + 40;
    return head + unit + t->space_before;
}

/* ---- images ---- */

/* The box an image takes: the given sides, one derived from the other and the image's
 * aspect, never wider than the frame. */
static void image_box(const doc_image_t *im, double frame, double *w, double *h)
{
    double aspect =
        im->image && im->image->width ? (double)im->image->height / (double)im->image->width : 1.0;
    *w = im->width, *h = im->height;
    if (*w <= 0 && *h <= 0)
        *w = fmin(frame, 72);
    if (*w <= 0)
        *w = *h / aspect;
    if (*h <= 0)
        *h = *w * aspect;
    if (*w > frame) {
        *h *= frame / *w;
        *w = frame;
    }
}

static double image_height(const doc_image_t *im, double frame)
{
    double w, h;
    image_box(im, frame, &w, &h);
    return h;
}

static void place_image(cursor_t *c, const doc_image_t *im)
{
    if (!im->image)
        return;
    add_space(c, im->space_before);
    double w, h;
    image_box(im, frame_width(c), &w, &h);
    if (h > frame_top(c) - frame_bottom(c))
        h = frame_top(c) - frame_bottom(c), w = h * (double)im->image->width / im->image->height;
    if (c->y - h < frame_bottom(c) && !c->fresh)
        new_page(c);
    double x = frame_left(c);
    if (im->align == LAYOUT_ALIGN_CENTER)
        x += (frame_width(c) - w) / 2;
    else if (im->align == LAYOUT_ALIGN_RIGHT)
        x += frame_width(c) - w;
    dl_image_t item = {x, c->y - h, w, h, im->image};
    dlist_add_image(c->page, &item);
    c->y -= h;
    c->fresh = false;
    c->pending_space = im->space_after;
    c->kept_above = 0;
}

/* ---- blocks and sections ---- */

static void place_chart(cursor_t *c, const doc_chart_t *chart);

/* Height block i needs at least where it starts: a paragraph's first lines (a heading's
 * whole height and what it keeps with), a table's start (all of a table that fits on a
 * page with the `above` points of headings before it), a chart or image whole. */
static double block_start_height(cursor_t *c, const doc_section_t *s, size_t i, double above)
{
    const doc_block_t *b = &s->blocks[i];
    switch (b->kind) {
    case DOC_PARAGRAPH: {
        const doc_paragraph_t *p = &b->u.paragraph;
        double first = 0;
        double all = paragraph_height(c->layout, p, frame_width(c) - p->style.indent, &first);
        /* what follows starts below this paragraph's space after (collapsed with its own
         * space before: counting both is the safe side) */
        if (p->style.keep_with_next && i + 1 < s->block_count)
            return p->style.space_before + all + p->style.space_after +
                   block_start_height(c, s, i + 1,
                                      above + p->style.space_before + all + p->style.space_after);
        return p->style.space_before + first;
    }
    case DOC_TABLE: {
        const doc_table_t *t = &b->u.table;
        double frame = frame_top(c) - frame_bottom(c);
        if (t->keep_with_next && i + 1 < s->block_count) {
            /* all of it and the start of what it keeps with, when that fits on a page */
            double all = t->space_before + table_height(c->layout, t, frame_width(c), frame) +
                         t->space_after;
            double with = all + block_start_height(c, s, i + 1, above + all);
            if (above + with <= frame)
                return with;
        }
        return table_start_height(c->layout, t, frame_width(c), frame, above);
    }
    case DOC_CHART:
        return b->u.chart.space_before + b->u.chart.height;
    case DOC_IMAGE:
        return b->u.image.space_before + image_height(&b->u.image, frame_width(c));
    case DOC_SPACE:
    case DOC_PAGE_BREAK:
        break;
    }
    return 0;
}

/* Every block of the section before block i is a space. */
static bool opens_section(const doc_section_t *s, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (s->blocks[j].kind != DOC_SPACE)
            return false;
    return true;
}

static void place_block(cursor_t *c, const doc_section_t *s, size_t i)
{
    const doc_block_t *b = &s->blocks[i];
    switch (b->kind) {
    case DOC_PARAGRAPH: {
        const doc_paragraph_t *p = &b->u.paragraph;
        if (p->style.keep_with_next && c->page && !c->fresh) {
            /* The paragraph and the start of what follows must share a page. */
            double need = fmax(p->style.space_before, c->pending_space) +
                          paragraph_height(c->layout, p, frame_width(c) - p->style.indent, NULL);
            if (i + 1 < s->block_count) {
                need += p->style.space_after;
                need += block_start_height(c, s, i + 1, c->kept_above + need);
            }
            if (c->y - need < frame_bottom(c))
                new_page(c);
        }
        place_paragraph(c, p);
        break;
    }
    case DOC_TABLE: {
        const doc_table_t *t = &b->u.table;
        if (t->keep_with_next && c->page && !c->fresh && c->kept_above == 0 &&
            i + 1 < s->block_count) {
            /* The whole table and the start of what follows must share a page, when they
             * can: a table and the chart drawn from it. */
            double frame = frame_top(c) - frame_bottom(c);
            double table = table_height(c->layout, t, frame_width(c), frame);
            double need = fmax(t->space_before, c->pending_space) + table + t->space_after;
            need += block_start_height(c, s, i + 1, need);
            if (c->y - need < frame_bottom(c) && need <= frame)
                new_page(c);
        }
        place_table(c, t);
        break;
    }
    case DOC_SPACE:
        add_space(c, 0);
        /* none at the top of a page, but a section's opening spaces (a cover's balance) */
        if (!c->fresh || opens_section(s, i))
            c->y -= b->u.space;
        if (c->y < frame_bottom(c))
            new_page(c);
        break;
    case DOC_PAGE_BREAK:
        if (c->page && !c->fresh)
            new_page(c);
        break;
    case DOC_CHART:
        place_chart(c, &b->u.chart);
        break;
    case DOC_IMAGE:
        place_image(c, &b->u.image);
        break;
    }
}

/* ---- charts ---- */

/* A chart is a box of its height across the text frame (or its share of it); what is
 * inside the box is chart's (chart.h). */
static void place_chart(cursor_t *c, const doc_chart_t *ch)
{
    add_space(c, ch->space_before);
    if (c->y - ch->height < frame_bottom(c) && !c->fresh)
        new_page(c);
    double width = frame_width(c) * (ch->width_fraction > 0 ? ch->width_fraction : 1.0);
    chart_draw(c->layout, c->page, ch, frame_left(c) + (frame_width(c) - width) / 2, c->y, width);
    c->y -= ch->height;
    c->fresh = false;
    c->pending_space = ch->space_after;
    c->kept_above = 0;
}

/* ---- running header and footer ---- */

static char *expand_page_numbers(const char *text, size_t page, size_t pages, bool thai)
{
    char num[32], total[32];
    snprintf(num, sizeof num, "%zu", page);
    snprintf(total, sizeof total, "%zu", pages);
    size_t cap = strlen(text) + 64, len = 0;
    char *out = mem_alloc(cap);
    for (const char *p = text; *p;) {
        const char *rep = NULL;
        if (strncmp(p, "{{page}}", 8) == 0)
            rep = num, p += 8;
        else if (strncmp(p, "{{pages}}", 9) == 0)
            rep = total, p += 9;
        if (rep) {
            char *r = thai ? doc_thai_digits(rep) : mem_strdup(rep);
            out = mem_array_grow(out, &cap, len + strlen(r) + 1, 1);
            memcpy(out + len, r, strlen(r));
            len += strlen(r);
            free(r);
        } else {
            out = mem_array_grow(out, &cap, len + 2, 1);
            out[len++] = *p++;
        }
    }
    out[len] = '\0';
    return out;
}

static void place_running(cursor_t *c, const doc_running_t *run)
{
    size_t pages = c->list->page_count;
    for (size_t i = 0; i < pages; i++) {
        if (run->skip_first && i == 0)
            continue;
        dl_page_t *page = &c->list->pages[i];
        char *text = expand_page_numbers(run->text, i + 1, pages, c->doc->thai_digits);
        layout_span_t span = {0, strlen(text), run->style.font};
        layout_paragraph_t lp = {.text = text,
                                 .len = strlen(text),
                                 .spans = &span,
                                 .span_count = 1,
                                 .size = run->style.size,
                                 .line_spacing = 1,
                                 .align = run->style.align,
                                 .color = run->style.color};
        double width = page->width - c->doc->margin_left - c->doc->margin_right;
        const layout_line_t *lines = NULL;
        size_t n = layout_break(c->layout, &lp, width, &lines);
        double baseline = run->at_top ? page->height - c->doc->margin_top / 2
                                      : c->doc->margin_bottom / 2 - run->style.size / 3;
        for (size_t l = 0; l < n && l < 1; l++) {
            double x = c->doc->margin_left, slack = width - lines[l].width;
            if (lp.align == LAYOUT_ALIGN_RIGHT)
                x += slack;
            else if (lp.align == LAYOUT_ALIGN_CENTER)
                x += slack / 2;
            layout_emit_line(c->layout, page, &lp, &lines[l], x, baseline, width);
        }
        free(text);
    }
}

/* Moves what a section placed on the current page (its items from first_item, its
 * bookmarks from first_outline) so that its ink has as much space above as below on the
 * page, inside the margins. */
static void centre_on_page(cursor_t *c, size_t first_item, size_t first_outline)
{
    double top, bottom;
    if (!dlist_ink_extent(c->page, first_item, &top, &bottom))
        return;
    double dy = (c->height - top - bottom) / 2;
    dy = fmin(dy, frame_top(c) - top);
    dy = fmax(dy, frame_bottom(c) - bottom);
    dlist_shift(c->page, first_item, dy);
    for (size_t o = first_outline; o < c->list->outline_count; o++)
        if (c->list->outlines[o].page == c->page_index)
            c->list->outlines[o].y += dy;
    c->y += dy;
}

void typeset_document(layout_t *layout, const doc_t *doc, dlist_t *list)
{
    cursor_t c = {.layout = layout, .list = list, .doc = doc};
    for (size_t s = 0; s < doc->section_count; s++) {
        const doc_section_t *sec = &doc->sections[s];
        if (!c.page || sec->new_page || sec->landscape != c.landscape) {
            c.landscape = sec->landscape;
            if (c.page && c.fresh) {
                /* An empty page takes the section's orientation. */
                c.width = c.page->width = c.landscape ? doc->page_height : doc->page_width;
                c.height = c.page->height = c.landscape ? doc->page_width : doc->page_height;
                c.y = frame_top(&c);
            } else {
                new_page(&c);
            }
        }
        size_t page = c.page_index, first_item = c.page->count, first_outline = list->outline_count;
        bool centre = sec->centered && c.fresh;
        for (size_t b = 0; b < sec->block_count; b++)
            place_block(&c, sec, b);
        if (centre && c.page_index == page)
            centre_on_page(&c, first_item, first_outline);
    }
    if (!c.page)
        new_page(&c);
    for (size_t r = 0; r < doc->running_count; r++)
        if (doc->running[r].text)
            place_running(&c, &doc->running[r]);
}
