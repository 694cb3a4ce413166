/* chart — see chart.h. */
#include "chart.h"

#include "mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What every part of a drawing needs: where labels go and their sizes. */
typedef struct painter {
    layout_t *layout;
    dl_page_t *page;
    const doc_chart_t *ch;
    double label;       /* the chart's label size: categories and the legend */
    double value_size;  /* values over or beside the bars */
    double axis_size;   /* the value axis' numbers */
    double line;        /* a label's line */
    bool has_reference; /* a reference line within the axis */
} painter_t;

/* A one-line label as a paragraph, broken (never wrapped): lines[0] is the label. */
static size_t break_label(const painter_t *p, const char *text, double size, int font,
                          layout_span_t *span, layout_paragraph_t *lp, const layout_line_t **lines)
{
    *span = (layout_span_t){0, strlen(text), font};
    *lp = (layout_paragraph_t){.text = text,
                               .len = strlen(text),
                               .spans = span,
                               .span_count = 1,
                               .size = size,
                               .line_spacing = 1.0,
                               .align = LAYOUT_ALIGN_LEFT};
    return layout_break(p->layout, lp, 1e9, lines);
}

/* Places a one-line label (shaped) on a baseline, aligned in a box starting at x. */
static void place_label(const painter_t *p, const char *text, double size, int font, double x,
                        double baseline, layout_align_t align, double box_width)
{
    layout_span_t span;
    layout_paragraph_t lp;
    const layout_line_t *lines = NULL;
    size_t n = break_label(p, text, size, font, &span, &lp, &lines);
    if (n && lines[0].end > lines[0].first) {
        double lx = x;
        if (align == LAYOUT_ALIGN_CENTER)
            lx = x + (box_width - lines[0].width) / 2;
        else if (align == LAYOUT_ALIGN_RIGHT)
            lx = x + box_width - lines[0].width;
        layout_emit_line(p->layout, p->page, &lp, &lines[0], lx, baseline, 1e9);
    }
}

/* The width of a one-line label in points, as shaped. */
static double label_width(const painter_t *p, const char *text, double size, int font)
{
    layout_span_t span;
    layout_paragraph_t lp;
    const layout_line_t *lines = NULL;
    size_t n = break_label(p, text, size, font, &span, &lp, &lines);
    return n ? lines[0].width : 0;
}

static void format_number(double v, int decimals, bool thai, char *buf, size_t size)
{
    snprintf(buf, size, "%.*f", decimals, v);
    if (thai) {
        char *t = doc_thai_digits(buf);
        snprintf(buf, size, "%s", t);
        free(t);
    }
}

/* A value's label as the chart prints it, and the width of its widest digit form (so
 * that whether it is shown does not depend on the digits). */
static double value_label(const painter_t *p, double v, int decimals, char *buf, size_t size)
{
    format_number(v, decimals, false, buf, size);
    double w = label_width(p, buf, p->value_size, 0);
    if (p->ch->thai_digits) {
        format_number(v, decimals, true, buf, size);
        w = fmax(w, label_width(p, buf, p->value_size, 0));
    }
    return w;
}

/* Every n-th of count labels, each `widest` wide, so that they fit slots `slot` apart
 * (never a smaller size). */
static size_t thinning(double widest, double slot)
{
    if (slot <= 0)
        return 1;
    size_t every = (size_t)ceil(widest / slot);
    return every < 1 ? 1 : every;
}

static bool is_below(const doc_chart_t *ch, double v)
{
    return ch->has_below_color && !isnan(ch->reference) && v < ch->reference;
}

static dl_color_t bar_color(const doc_chart_t *ch, size_t s, double v)
{
    return is_below(ch, v) ? ch->below_color : ch->series[s].color;
}

static void add_bar(const painter_t *p, double x, double y, double w, double h, dl_color_t fill)
{
    dl_rect_t bar = {x, y, w, h, 1, 0, fill, {0, 0, 0}, 0};
    dlist_add_rect(p->page, &bar);
}

static void add_line(const painter_t *p, double x1, double y1, double x2, double y2, double width,
                     dl_color_t color)
{
    dl_line_t line = {x1, y1, x2, y2, width, color};
    dlist_add_line(p->page, &line);
}

/* The legend along the bottom of the box from x: a swatch per series (when there are
 * several), the below colour's key (when a bar takes it), the reference line's key. */
static void draw_legend(const painter_t *p, double x, double baseline)
{
    const doc_chart_t *ch = p->ch;
    double l = p->label;
    for (size_t s = 0; ch->series_count > 1 && s < ch->series_count; s++) {
        add_bar(p, x, baseline, l * 0.8, l * 0.8, ch->series[s].color);
        place_label(p, ch->series[s].name, l, 0, x + l * 1.1, baseline, LAYOUT_ALIGN_LEFT, 0);
        x += l * 1.1 + label_width(p, ch->series[s].name, l, 0) + l * 0.8;
    }
    bool any_below = false;
    for (size_t i = 0; i < ch->category_count * ch->series_count; i++)
        any_below |= !isnan(ch->values[i]) && is_below(ch, ch->values[i]);
    if (any_below && ch->below_label) {
        add_bar(p, x, baseline, l * 0.8, l * 0.8, ch->below_color);
        place_label(p, ch->below_label, l, 0, x + l * 1.1, baseline, LAYOUT_ALIGN_LEFT, 0);
        x += l * 1.1 + label_width(p, ch->below_label, l, 0) + l * 0.8;
    }
    if (p->has_reference && ch->reference_label) {
        add_line(p, x, baseline + l * 0.35, x + l * 1.6, baseline + l * 0.35,
                 ch->look.reference_width, ch->reference_color);
        place_label(p, ch->reference_label, l, 0, x + l * 2.0, baseline, LAYOUT_ALIGN_LEFT, 0);
    }
}

/* Bars standing up from the category axis. */
static void draw_vertical(const painter_t *p, double left, double top, double width, double bottom)
{
    const doc_chart_t *ch = p->ch;
    const doc_chart_look_t *look = &ch->look;
    double l = p->label;
    double plot_top = top - (ch->title ? p->line * 1.3 : 0) - l * 0.8;
    double plot_bottom = bottom + p->line * 2.6;
    double axis_width = l * 2.6;
    double plot_left = left + axis_width, plot_right = left + width;
    double max = ch->axis_max > 0 ? ch->axis_max : 100;
    double step = ch->axis_step > 0 ? ch->axis_step : max / 5;
    double scale = (plot_top - plot_bottom) / max;
    char buf[64];
    for (double v = 0; v <= max + 1e-9; v += step) {
        double y = plot_bottom + v * scale;
        add_line(p, plot_left, y, plot_right, y, v == 0 ? look->axis_width : look->grid_width,
                 v == 0 ? look->axis_color : look->grid_color);
        format_number(v, 0, ch->thai_digits, buf, sizeof buf);
        place_label(p, buf, p->axis_size, 0, left, y - p->axis_size * 0.3, LAYOUT_ALIGN_RIGHT,
                    axis_width - l * 0.4);
    }
    add_line(p, plot_left, plot_bottom, plot_left, plot_top, look->axis_width, look->axis_color);
    size_t groups = ch->category_count, series = ch->series_count ? ch->series_count : 1;
    double group_width = (plot_right - plot_left) / (groups ? groups : 1);
    double bar_width = group_width * look->bars / series;
    double widest = 0;
    for (size_t cat = 0; cat < groups; cat++)
        widest = fmax(widest, label_width(p, ch->categories[cat], l, 0));
    size_t every = thinning(widest, group_width * 0.95);
    double ref_y = p->has_reference ? plot_bottom + ch->reference * scale : NAN;
    for (size_t cat = 0; cat < groups; cat++) {
        double gx = plot_left + cat * group_width + group_width * (1 - look->bars) / 2;
        for (size_t s = 0; s < series; s++) {
            double v = ch->values[cat * series + s];
            if (isnan(v))
                continue;
            double clamped = fmin(fmax(v, 0), max);
            double bx = gx + s * bar_width;
            add_bar(p, bx, plot_bottom, bar_width * look->bar_fill, clamped * scale,
                    bar_color(ch, s, v));
            /* The value over its bar when it fits the bar's room (else it would run into
             * its neighbours'); above the reference line when the line would cross it. */
            if (value_label(p, v, ch->value_decimals, buf, sizeof buf) > bar_width * 1.05)
                continue;
            double vs = p->value_size, baseline = plot_bottom + clamped * scale + l * 0.25;
            if (!isnan(ref_y) && ref_y > baseline - vs * 0.2 && ref_y < baseline + vs * 0.85)
                baseline = ref_y + vs * 0.3;
            place_label(p, buf, vs, 0, bx - bar_width, baseline, LAYOUT_ALIGN_CENTER,
                        bar_width * (2 + look->bar_fill));
        }
        if (cat % every == 0)
            place_label(p, ch->categories[cat], l, 0,
                        plot_left + cat * group_width - group_width * (double)(every - 1) / 2,
                        plot_bottom - p->line, LAYOUT_ALIGN_CENTER, group_width * (double)every);
    }
    if (p->has_reference)
        add_line(p, plot_left, ref_y, plot_right, ref_y, look->reference_width,
                 ch->reference_color);
    draw_legend(p, left + axis_width, bottom + p->line * 0.4);
}

/* Bars lying along the value axis, one row per category, its name at the left. */
static void draw_horizontal(const painter_t *p, double left, double top, double width,
                            double bottom)
{
    const doc_chart_t *ch = p->ch;
    const doc_chart_look_t *look = &ch->look;
    double l = p->label;
    double max = ch->axis_max > 0 ? ch->axis_max : 100;
    double step = ch->axis_step > 0 ? ch->axis_step : max / 5;
    char buf[64];
    /* The names' column: as wide as the widest name, at most 45 % of the box. */
    double widest = 0;
    for (size_t cat = 0; cat < ch->category_count; cat++)
        widest = fmax(widest, label_width(p, ch->categories[cat], l, 0));
    double names = fmin(widest + l * 0.6, width * 0.45);
    /* Room at the right for the value of a full bar. */
    double value_room = value_label(p, max, ch->value_decimals, buf, sizeof buf) + l * 0.6;
    double plot_left = left + names, plot_right = left + width - value_room;
    double plot_top = top - (ch->title ? p->line * 1.3 : 0) - l * 0.3;
    double plot_bottom = bottom + p->line * 2.6;
    double scale = (plot_right - plot_left) / max;
    for (double v = 0; v <= max + 1e-9; v += step) {
        double x = plot_left + v * scale;
        add_line(p, x, plot_bottom, x, plot_top, v == 0 ? look->axis_width : look->grid_width,
                 v == 0 ? look->axis_color : look->grid_color);
        format_number(v, 0, ch->thai_digits, buf, sizeof buf);
        place_label(p, buf, p->axis_size, 0, x - l * 2, plot_bottom - p->line, LAYOUT_ALIGN_CENTER,
                    l * 4);
    }
    add_line(p, plot_left, plot_bottom, plot_right, plot_bottom, look->axis_width,
             look->axis_color);
    size_t groups = ch->category_count, series = ch->series_count ? ch->series_count : 1;
    double row = (plot_top - plot_bottom) / (groups ? groups : 1);
    double bar = row * look->bars / series;
    size_t every = thinning(l * 1.15, row);
    double ref_x = p->has_reference ? plot_left + ch->reference * scale : NAN;
    for (size_t cat = 0; cat < groups; cat++) {
        double row_top = plot_top - cat * row;
        double gy = row_top - row * (1 - look->bars) / 2;
        for (size_t s = 0; s < series; s++) {
            double v = ch->values[cat * series + s];
            if (isnan(v))
                continue;
            double clamped = fmin(fmax(v, 0), max);
            double by = gy - (s + 1) * bar, thick = bar * look->bar_fill;
            add_bar(p, plot_left, by + (bar - thick), clamped * scale, thick, bar_color(ch, s, v));
            /* The value beside its bar when the bar is thick enough for it; beyond the
             * reference line when the line would cross it. */
            double vs = p->value_size;
            double w = value_label(p, v, ch->value_decimals, buf, sizeof buf);
            if (cat % every != 0 || bar < vs * 0.75)
                continue;
            double x = plot_left + clamped * scale + l * 0.3;
            if (!isnan(ref_x) && ref_x > x - vs * 0.15 && ref_x < x + w + vs * 0.15)
                x = ref_x + l * 0.3;
            place_label(p, buf, vs, 0, x, by + (bar - thick) + thick / 2 - vs * 0.3,
                        LAYOUT_ALIGN_LEFT, 0);
        }
        if (cat % every == 0)
            place_label(p, ch->categories[cat], l, 0, left, row_top - row / 2 - l * 0.3,
                        LAYOUT_ALIGN_RIGHT, names - l * 0.4);
    }
    if (p->has_reference)
        add_line(p, ref_x, plot_bottom, ref_x, plot_top, look->reference_width,
                 ch->reference_color);
    draw_legend(p, plot_left, bottom + p->line * 0.4);
}

void chart_draw(layout_t *layout, dl_page_t *page, const doc_chart_t *ch, double left, double top,
                double width)
{
    double label = ch->label_size > 0 ? ch->label_size : 12;
    double max = ch->axis_max > 0 ? ch->axis_max : 100;
    painter_t p = {.layout = layout,
                   .page = page,
                   .ch = ch,
                   .label = label,
                   .value_size = label * ch->look.value_size,
                   .axis_size = label * ch->look.axis_label_size,
                   .line = label * 1.4,
                   .has_reference = !isnan(ch->reference) && ch->reference <= max};
    const doc_chart_look_t *look = &ch->look;
    double bottom = top - ch->height;
    if (ch->title)
        place_label(&p, ch->title, label * look->title_size, 1, left,
                    top - label * look->title_size, LAYOUT_ALIGN_CENTER, width);
    bool any = false;
    for (size_t i = 0; i < ch->category_count * ch->series_count; i++)
        any |= !isnan(ch->values[i]);
    if (!any) {
        double plot_top = top - (ch->title ? p.line * 1.3 : 0) - label * 0.8;
        dl_rect_t frame = {
            left, bottom, width, plot_top - bottom, 0, 1, {0, 0, 0}, look->frame_color, 0.5};
        dlist_add_rect(page, &frame);
        place_label(&p, ch->empty_text ? ch->empty_text : "-", label, 0, left,
                    (plot_top + bottom) / 2 - label / 3, LAYOUT_ALIGN_CENTER, width);
        return;
    }
    if (ch->horizontal)
        draw_horizontal(&p, left, top, width, bottom);
    else
        draw_vertical(&p, left, top, width, bottom);
}
