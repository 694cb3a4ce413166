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

static layout_paragraph_t as_layout(const doc_paragraph_t *p)
{
    return (layout_paragraph_t){
        .text = p->text,
        .len = p->len,
        .spans = p->spans,
        .span_count = p->span_count,
        .size = p->style.size,
        .line_spacing = p->style.line_spacing,
        .align = p->style.align,
        .color = p->style.color,
        .first_indent = p->style.first_indent,
    };
}

/* ---- paragraphs ---- */

/* Height of a paragraph's lines at a measure: from the top of the first line's ascent to
 * the bottom of the last line's descent. */
static double paragraph_height(layout_t *layout, const doc_paragraph_t *p, double measure,
                               double *first_line)
{
    layout_paragraph_t lp = as_layout(p);
    layout_line_t *lines = NULL;
    size_t n = layout_break(layout, &lp, measure, &lines);
    double nominal = layout_nominal_height(layout, &lp);
    double h = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0)
            h = fmax(lines[0].ascent, lines[0].ink_top);
        else
            h += layout_baseline_step(&lp, nominal, &lines[i - 1], &lines[i]);
        if (i == 0 && first_line)
            *first_line = h + fmax(lines[0].descent, -lines[0].ink_bottom);
    }
    if (n)
        h += fmax(lines[n - 1].descent, -lines[n - 1].ink_bottom);
    free(lines);
    return h;
}

/* Places a paragraph's lines from the cursor down, breaking pages between lines. */
static void place_paragraph(cursor_t *c, const doc_paragraph_t *p)
{
    add_space(c, p->style.space_before);
    layout_paragraph_t lp = as_layout(p);
    double measure = frame_width(c) - p->style.indent;
    layout_line_t *lines = NULL;
    size_t n = layout_break(c->layout, &lp, measure, &lines);
    double nominal = layout_nominal_height(c->layout, &lp);
    double x0 = frame_left(c) + p->style.indent;
    double baseline = 0;
    for (size_t i = 0; i < n; i++) {
        const layout_line_t *line = &lines[i];
        double above = fmax(line->ascent, line->ink_top);
        double below = fmax(line->descent, -line->ink_bottom);
        if (c->fresh || i == 0)
            baseline = c->y - above;
        else
            baseline -= layout_baseline_step(&lp, nominal, &lines[i - 1], line);
        if (baseline - below < frame_bottom(c) && !c->fresh) {
            new_page(c);
            baseline = c->y - above;
        }
        if (i == 0 && p->style.outline_level > 0)
            dlist_add_outline(c->list, p->text, p->len, p->style.outline_level, c->page_index,
                              baseline + above);
        double indent = i == 0 ? lp.first_indent : 0; /* first-line or hanging indent */
        double slack = measure - indent - line->width, x = x0 + indent;
        if (lp.align == LAYOUT_ALIGN_RIGHT)
            x += slack;
        else if (lp.align == LAYOUT_ALIGN_CENTER)
            x += slack / 2;
        if (line->end > line->first)
            layout_emit_line(c->layout, c->page, &lp, line, x, baseline, measure - indent);
        c->y = baseline - below;
        c->fresh = false;
    }
    free(lines);
    c->pending_space = p->style.space_after;
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

/* Column widths: fixed and relative first; auto columns share the rest by their content
 * (at least their widest unbreakable piece when there is room). */
static void column_widths(layout_t *layout, const doc_table_t *t, double total, double *widths)
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
        if (cell->colspan != 1 || cell->col >= n || t->columns[cell->col].kind != DOC_WIDTH_AUTO)
            continue;
        for (size_t p = 0; p < cell->paragraph_count; p++) {
            layout_paragraph_t lp = as_layout(&cell->paragraphs[p]);
            layout_line_t *lines = NULL;
            size_t count = layout_break(layout, &lp, 1e9, &lines);
            double w = count ? lines[0].width : 0;
            free(lines);
            double m = layout_min_width(layout, &lp);
            natural[cell->col] = fmax(natural[cell->col], w + 2 * t->padding);
            minimum[cell->col] = fmax(minimum[cell->col], m + 2 * t->padding);
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
    free(natural);
    free(minimum);
}

static void measure_table(layout_t *layout, const doc_table_t *t, double total, table_geometry_t *g)
{
    size_t n = t->column_count, rows = t->row_count;
    double *widths = mem_zalloc(n ? n : 1, sizeof *widths);
    column_widths(layout, t, total, widths);
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
            layout_paragraph_t lp = as_layout(&cell->paragraphs[0]);
            empty = 2 * t->padding + layout_nominal_height(layout, &lp);
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
 * `skip` of the content (for rows split across pages) and stopping above `bottom`.
 * Returns the number of lines drawn. */
static size_t draw_cell_text(cursor_t *c, const doc_table_t *t, const table_geometry_t *g,
                             const doc_cell_t *cell, double x, double top, double bottom,
                             double box_height, size_t skip, bool *finished)
{
    double width = cell_width(t, g, cell);
    double content = g->content[cell - t->cells];
    double offset = 0;
    if (skip == 0 && content + 2 * t->padding <= box_height + 0.01) {
        if (cell->valign == DOC_VALIGN_MIDDLE)
            offset = (box_height - 2 * t->padding - content) / 2;
        else if (cell->valign == DOC_VALIGN_BOTTOM)
            offset = box_height - 2 * t->padding - content;
    }
    double y = top - t->padding - offset;
    size_t index = 0, drawn = 0;
    *finished = true;
    for (size_t p = 0; p < cell->paragraph_count; p++) {
        const doc_paragraph_t *para = &cell->paragraphs[p];
        layout_paragraph_t lp = as_layout(para);
        double measure = width - para->style.indent;
        layout_line_t *lines = NULL;
        size_t n = layout_break(c->layout, &lp, measure, &lines);
        double nominal = layout_nominal_height(c->layout, &lp);
        if (p > 0 && index >= skip)
            y -= para->style.space_before;
        double baseline = 0;
        for (size_t i = 0; i < n; i++, index++) {
            const layout_line_t *line = &lines[i];
            double above = fmax(line->ascent, line->ink_top);
            double below = fmax(line->descent, -line->ink_bottom);
            if (index < skip)
                continue;
            if (index == skip || i == 0)
                baseline = y - above;
            else
                baseline -= layout_baseline_step(&lp, nominal, &lines[i - 1], line);
            if (baseline - below < bottom - 0.01 && drawn > 0) {
                *finished = false;
                free(lines);
                return drawn;
            }
            double indent = i == 0 ? lp.first_indent : 0;
            double slack = measure - indent - line->width;
            double lx = x + t->padding + para->style.indent + indent;
            if (lp.align == LAYOUT_ALIGN_RIGHT)
                lx += slack;
            else if (lp.align == LAYOUT_ALIGN_CENTER)
                lx += slack / 2;
            if (line->end > line->first)
                layout_emit_line(c->layout, c->page, &lp, line, lx, baseline, measure - indent);
            y = baseline - below;
            drawn++;
        }
        free(lines);
    }
    return drawn;
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

/* Draws rows [from, to) starting at the cursor; cells spanning into rows outside the
 * range are cut at its edges (their text is drawn where they start, or at the top of a
 * continuation when they started on an earlier page). */
static void draw_rows(cursor_t *c, const doc_table_t *t, const table_geometry_t *g, size_t from,
                      size_t to, const bool *started)
{
    double left = frame_left(c);
    double top = c->y;
    for (size_t k = 0; k < t->cell_count; k++) {
        const doc_cell_t *cell = &t->cells[k];
        size_t first = cell->row, last = cell->row + cell->rowspan;
        if (last > t->row_count)
            last = t->row_count;
        if (last <= from || first >= to)
            continue;
        size_t a = first > from ? first : from, b = last < to ? last : to;
        double cell_top = top - rows_height(g, from, a);
        double h = rows_height(g, a, b);
        size_t col_end = cell->col + cell->colspan;
        if (col_end > t->column_count)
            col_end = t->column_count;
        double x = left + g->col_x[cell->col];
        double w = g->col_x[col_end] - g->col_x[cell->col];
        draw_cell_box(c, t, x, cell_top, w, h, cell);
        bool finished;
        if (first >= from || (started && !started[k]))
            draw_cell_text(c, t, g, cell, x, cell_top, cell_top - h, h, 0, &finished);
    }
    c->y = top - rows_height(g, from, to);
    c->fresh = false;
}

static void continue_on_new_page(cursor_t *c, const doc_table_t *t, const table_geometry_t *g,
                                 size_t header);

/* Draws one row that is taller than a page, splitting its cells' lines over pages (each
 * continuation under the table's header rows). */
static void draw_tall_row(cursor_t *c, const doc_table_t *t, const table_geometry_t *g, size_t r,
                          size_t header)
{
    size_t *skip = mem_zalloc(t->cell_count ? t->cell_count : 1, sizeof *skip);
    bool all_done = false;
    while (!all_done) {
        all_done = true;
        double top = c->y, bottom = frame_bottom(c);
        for (size_t k = 0; k < t->cell_count; k++) {
            const doc_cell_t *cell = &t->cells[k];
            if (cell->row != r)
                continue;
            size_t col_end = cell->col + cell->colspan;
            if (col_end > t->column_count)
                col_end = t->column_count;
            double x = frame_left(c) + g->col_x[cell->col];
            double w = g->col_x[col_end] - g->col_x[cell->col];
            draw_cell_box(c, t, x, top, w, top - bottom, cell);
            bool finished;
            skip[k] += draw_cell_text(c, t, g, cell, x, top, bottom + t->padding, top - bottom,
                                      skip[k], &finished);
            if (!finished)
                all_done = false;
        }
        c->y = bottom;
        c->fresh = false;
        if (!all_done)
            continue_on_new_page(c, t, g, header);
    }
    free(skip);
}

/* Marks the cells that start in rows [from, to) as started (their text is drawn). */
static void mark_started(const doc_table_t *t, size_t from, size_t to, bool *started)
{
    for (size_t k = 0; k < t->cell_count; k++)
        if (t->cells[k].row >= from && t->cells[k].row < to)
            started[k] = true;
}

static void continue_on_new_page(cursor_t *c, const doc_table_t *t, const table_geometry_t *g,
                                 size_t header)
{
    new_page(c);
    if (header)
        draw_rows(c, t, g, 0, header, NULL);
}

static void place_table(cursor_t *c, const doc_table_t *t)
{
    add_space(c, t->space_before);
    if (t->row_count == 0 || t->column_count == 0) {
        c->pending_space = t->space_after;
        return;
    }
    table_geometry_t g = {0};
    measure_table(c->layout, t, frame_width(c), &g);
    size_t header = t->header_rows < t->row_count ? t->header_rows : 0;
    double header_height = rows_height(&g, 0, header);
    double page_room = frame_top(c) - frame_bottom(c) - header_height;
    bool *started = mem_zalloc(t->cell_count ? t->cell_count : 1, sizeof *started);
    /* The header and the first unit start together, unless the unit is taller than a
     * page anyway (it is split between lines then). */
    double first_unit = rows_height(&g, header, g.unit_end[header]);
    if (!c->fresh && c->y - header_height - first_unit < frame_bottom(c) - 0.01 &&
        first_unit <= page_room + 0.01)
        new_page(c);
    if (header)
        draw_rows(c, t, &g, 0, header, NULL);
    size_t r = header;
    while (r < t->row_count) {
        /* As many whole units as fit on this page, drawn in one go (so that cells spanning
         * several units get one box per page). */
        size_t end = r;
        while (end < t->row_count &&
               c->y - rows_height(&g, r, g.unit_end[end]) >= frame_bottom(c) - 0.01)
            end = g.unit_end[end];
        if (end > r) {
            draw_rows(c, t, &g, r, end, started);
            mark_started(t, r, end, started);
            r = end;
            if (r < t->row_count)
                continue_on_new_page(c, t, &g, header);
            continue;
        }
        double unit = rows_height(&g, r, g.unit_end[r]);
        if (unit <= page_room + 0.01) {
            continue_on_new_page(c, t, &g, header);
            continue;
        }
        /* Taller than any page: it starts here unless too little room is left. */
        if (c->y - frame_bottom(c) < SPLIT_MIN_ROOM)
            continue_on_new_page(c, t, &g, header);
        /* A unit taller than a page: its rows one by one, a row taller than a page split
         * between the lines of its cells. */
        for (size_t q = r; q < g.unit_end[r]; q++) {
            double rh = g.row_height[q];
            if (c->y - rh < frame_bottom(c) - 0.01 && rh <= page_room + 0.01)
                continue_on_new_page(c, t, &g, header);
            if (c->y - rh >= frame_bottom(c) - 0.01)
                draw_rows(c, t, &g, q, q + 1, started);
            else
                draw_tall_row(c, t, &g, q, header);
            for (size_t k = 0; k < t->cell_count; k++)
                if (t->cells[k].row <= q && t->cells[k].row + t->cells[k].rowspan > q)
                    started[k] = true;
        }
        r = g.unit_end[r];
        if (r < t->row_count)
            continue_on_new_page(c, t, &g, header);
    }
    free(started);
    free_geometry(&g);
    c->pending_space = t->space_after;
}

/* Height a table needs at least where it starts: its header and first unit. */
static double table_start_height(layout_t *layout, const doc_table_t *t, double width,
                                 double page_height_hint)
{
    if (t->row_count == 0 || t->column_count == 0)
        return 0;
    table_geometry_t g = {0};
    measure_table(layout, t, width, &g);
    size_t header = t->header_rows < t->row_count ? t->header_rows : 0;
    double head = rows_height(&g, 0, header);
    double unit = header < t->row_count ? rows_height(&g, header, g.unit_end[header]) : 0;
    free_geometry(&g);
    /* A first unit taller than a page is split anyway: its start is enough. */
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
}

/* ---- blocks and sections ---- */

static void place_chart(cursor_t *c, const doc_chart_t *chart);

static double block_start_height(cursor_t *c, const doc_block_t *b)
{
    switch (b->kind) {
    case DOC_PARAGRAPH: {
        double first = 0;
        paragraph_height(c->layout, &b->u.paragraph, frame_width(c) - b->u.paragraph.style.indent,
                         &first);
        return b->u.paragraph.style.space_before + first;
    }
    case DOC_TABLE:
        return table_start_height(c->layout, &b->u.table, frame_width(c),
                                  frame_top(c) - frame_bottom(c));
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
            if (i + 1 < s->block_count)
                need += block_start_height(c, &s->blocks[i + 1]);
            if (c->y - need < frame_bottom(c))
                new_page(c);
        }
        place_paragraph(c, p);
        break;
    }
    case DOC_TABLE:
        place_table(c, &b->u.table);
        break;
    case DOC_SPACE:
        add_space(c, 0);
        /* none at the top of a page, but a section's opening space (a cover's balance) */
        if (!c->fresh || i == 0)
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
        layout_line_t *lines = NULL;
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
        free(lines);
        free(text);
    }
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
        for (size_t b = 0; b < sec->block_count; b++)
            place_block(&c, sec, b);
    }
    if (!c.page)
        new_page(&c);
    for (size_t r = 0; r < doc->running_count; r++)
        if (doc->running[r].text)
            place_running(&c, &doc->running[r]);
}
