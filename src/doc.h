/* doc — the document tree: what the report says, before it is laid out.
 *
 * The report stage builds it from a template and data (textdoc from a text file); typeset
 * lays it out into a display list. Blocks are paragraphs (text with font spans and a style), tables
 * (a grid of cells with row and column spans, header rows, column width rules), vertical space,
 * page breaks and charts; a document is a sequence of sections, each with its own page
 * orientation. Nothing here is about the ITA: the tree knows block kinds only.
 *
 * The document owns every string and array in it; doc_free releases all of it. */
#ifndef ITAREPORT_DOC_H
#define ITAREPORT_DOC_H

#include "dlist.h"
#include "layout.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct doc_style {
    double size; /* points */
    int font;    /* 0 regular, 1 bold, 2 italic, 3 bold italic */
    layout_align_t align;
    double line_spacing;              /* multiple of the font's line height */
    double pitch;                     /* em between baselines; 0: from the fonts (layout.h) */
    double space_before, space_after; /* points */
    double indent;                    /* left indent, points */
    double first_indent;              /* extra indent of the first line, points (negative:
                                         a hanging indent, the first line further left) */
    bool hanging_marker; /* a hanging indent of the paragraph's marker ("- ", "(1) "), as
                          * wide as the marker is set: the lines after the first start
                          * where its text does (first_indent is ignored) */
    dl_color_t color;
    bool keep_with_next; /* never the last block on a page (headings) */
    int outline_level;   /* 0: none; 1, 2, ...: a bookmark at that level */
} doc_style_t;

/* A paragraph: UTF-8 text with font spans covering it in order. */
typedef struct doc_paragraph {
    char *text;
    size_t len;
    layout_span_t *spans;
    size_t span_count;
    doc_style_t style;
} doc_paragraph_t;

typedef enum doc_width_kind {
    DOC_WIDTH_AUTO,     /* from the content */
    DOC_WIDTH_FIXED,    /* points */
    DOC_WIDTH_RELATIVE, /* fraction of the table's width */
} doc_width_kind_t;

typedef struct doc_column {
    doc_width_kind_t kind;
    double value;
} doc_column_t;

typedef enum doc_valign {
    DOC_VALIGN_TOP,
    DOC_VALIGN_MIDDLE,
    DOC_VALIGN_BOTTOM,
} doc_valign_t;

/* A cell at (row, col) covering rowspan x colspan grid positions; its content is a list
 * of paragraphs. */
typedef struct doc_cell {
    size_t row, col, rowspan, colspan;
    doc_paragraph_t *paragraphs;
    size_t paragraph_count;
    bool has_fill;
    dl_color_t fill;
    doc_valign_t valign;
} doc_cell_t;

typedef struct doc_table {
    doc_column_t *columns;
    size_t column_count;
    size_t row_count;
    size_t header_rows; /* the first rows, repeated on every page the table spans */
    doc_cell_t *cells;
    size_t cell_count, cell_capacity;
    double border_width; /* points; 0: no borders */
    dl_color_t border_color;
    double padding; /* points, inside every cell */
    double space_before, space_after;
    /* The table goes whole onto the page of the start of the block after it (a chart it
     * goes with) when both fit on one page: its style's keep_with_next. */
    bool keep_with_next;
    /* Sub-headers: sub_header_until[r] > r when body row r is a sub-header of the rows
     * after it up to that row (exclusive): kept with the row after it and repeated under
     * the header when those rows continue on a new page; 0 otherwise. NULL: none. */
    size_t *sub_header_until;
    size_t sub_header_capacity;
    char *
        continued; /* appended to a merged cell's text repeated on a new page; NULL: not repeated */
} doc_table_t;

/* How a chart looks: proportions, colours and line widths (the template's chart `look`). */
typedef struct doc_chart_look {
    double bars;                                    /* share of a group's width its bars take */
    double bar_fill;                                /* share of a bar's slot the bar fills */
    double title_size, value_size, axis_label_size; /* times the chart's label size */
    dl_color_t grid_color, axis_color, frame_color; /* frame: around an empty chart */
    double grid_width, axis_width, reference_width; /* points */
} doc_chart_look_t;

/* A bar chart: groups of bars (one value per series), a value axis, a reference line. */
typedef struct doc_chart_series {
    char *name;
    dl_color_t color;
} doc_chart_series_t;

typedef struct doc_chart {
    char *title;
    char **categories; /* labels under each group */
    size_t category_count;
    doc_chart_series_t *series;
    size_t series_count;
    double *values;   /* category-major: values[c * series_count + s]; NaN: no bar */
    double axis_max;  /* value axis from 0 to this */
    double axis_step; /* grid line every this much */
    double reference; /* a line at this value (the pass mark); NaN: none */
    char *reference_label;
    dl_color_t reference_color;
    double width_fraction; /* of the text width */
    double height;         /* points */
    double label_size;     /* points */
    int value_decimals;
    bool thai_digits;
    char *empty_text; /* shown instead when there is no value at all */
    bool horizontal;  /* bars along the value axis, the categories' names at the left */
    bool has_below_color;
    dl_color_t below_color; /* of a bar below the reference (when has_below_color) */
    char *below_label;      /* its key in the legend (NULL: none) */
    doc_chart_look_t look;
    double space_before, space_after;
} doc_chart_t;

/* A picture (a logo): its path as the template gives it, the decoded image (set by the
 * caller before typesetting; owned by the block), and its size on the page. */
typedef struct doc_image {
    char *path;
    struct image *image;
    double width, height; /* points; 0: from the other side and the image's aspect */
    layout_align_t align;
    double space_before, space_after;
} doc_image_t;

typedef enum doc_kind {
    DOC_PARAGRAPH,
    DOC_TABLE,
    DOC_SPACE, /* vertical space, `space` points */
    DOC_PAGE_BREAK,
    DOC_CHART,
    DOC_IMAGE,
} doc_kind_t;

typedef struct doc_block {
    doc_kind_t kind;
    union {
        doc_paragraph_t paragraph;
        doc_table_t table;
        double space;
        doc_chart_t chart;
        doc_image_t image;
    } u;
} doc_block_t;

typedef struct doc_section {
    bool landscape;
    bool new_page; /* start on a new page */
    bool centered; /* its page holds it with as much space above its ink as below (a cover);
                    * when it fills more than a page it is set from the top */
    doc_block_t *blocks;
    size_t block_count, block_capacity;
} doc_section_t;

/* Text set on every page at a fixed place: "{{page}}" and "{{pages}}" in it are replaced
 * by the page number and count when the pages are known. */
typedef struct doc_running {
    char *text; /* NULL: none */
    doc_style_t style;
    bool at_top;     /* header (in the top margin) or footer (in the bottom margin) */
    bool skip_first; /* not on the first page (the cover) */
} doc_running_t;

typedef struct doc {
    double page_width, page_height; /* portrait, points */
    double margin_left, margin_right, margin_top, margin_bottom;
    doc_section_t *sections;
    size_t section_count, section_capacity;
    doc_running_t running[2];
    size_t running_count;
    bool thai_digits; /* page numbers in Thai digits */
} doc_t;

void doc_init(doc_t *doc);
void doc_free(doc_t *doc);

doc_section_t *doc_add_section(doc_t *doc);
/* Appends a zeroed block of a kind to a section and returns it. */
doc_block_t *doc_add_block(doc_section_t *section, doc_kind_t kind);

/* Appends text in a font to a paragraph, merging with the last span when the font is the
 * same. */
void doc_paragraph_append(doc_paragraph_t *p, const char *text, size_t len, int font);
void doc_paragraph_free(doc_paragraph_t *p);

/* Appends a cell and returns it (owned by the table). */
doc_cell_t *doc_table_add_cell(doc_table_t *t, size_t row, size_t col, size_t rowspan,
                               size_t colspan);
/* Marks body row `row` a sub-header of the rows before `until` (doc_table_t). */
void doc_table_set_sub_header(doc_table_t *t, size_t row, size_t until);
/* Appends an empty paragraph to a cell and returns it. */
doc_paragraph_t *doc_cell_add_paragraph(doc_cell_t *cell, const doc_style_t *style);

/* Replaces ASCII digits by Thai digits (๐–๙) in a new string (caller frees). */
char *doc_thai_digits(const char *text);

#endif
