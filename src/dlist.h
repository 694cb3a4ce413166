/* dlist — the display list: pages of positioned items, in PDF points with the origin at
 * the bottom left of the page. Layout produces it; the PDF writer consumes it and makes no
 * layout decisions; dlist_dump() prints it as text so layout can be tested without a PDF.
 *
 * The list owns everything in it (glyph arrays and texts are copied in) but the images,
 * which it borrows; dlist_free() releases what it owns. */
#ifndef ITAREPORT_DLIST_H
#define ITAREPORT_DLIST_H

#include "glyph.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct dl_color {
    float r, g, b;
} dl_color_t;

typedef enum dl_kind {
    DL_TEXT,  /* a run of shaped glyphs in one font */
    DL_RECT,  /* a filled and/or stroked rectangle */
    DL_LINE,  /* a straight line */
    DL_IMAGE, /* a picture in a box */
} dl_kind_t;

/* Glyphs drawn from a baseline origin (x, y); each glyph's text is the part of `text`
 * its cluster covers (clusters are byte offsets into text). */
typedef struct dl_text {
    int font;    /* index into the document's fonts */
    double size; /* points */
    double x, y; /* baseline origin */
    glyph_t *glyphs;
    size_t glyph_count;
    char *text;
    size_t text_len;
    dl_color_t color;
    double y_min, y_max; /* real ink extent, points relative to the baseline */
} dl_text_t;

typedef struct dl_rect {
    double x, y, width, height;
    int fill, stroke;
    dl_color_t fill_color, stroke_color;
    double line_width;
} dl_rect_t;

typedef struct dl_line {
    double x1, y1, x2, y2;
    double width;
    dl_color_t color;
} dl_line_t;

/* An image drawn into a box; the image is borrowed from the document the list was made
 * from (image.h), which must outlive the list. */
typedef struct dl_image {
    double x, y, width, height;
    const struct image *image;
} dl_image_t;

typedef struct dl_item {
    dl_kind_t kind;
    union {
        dl_text_t text;
        dl_rect_t rect;
        dl_line_t line;
        dl_image_t image;
    } u;
} dl_item_t;

typedef struct dl_page {
    double width, height;
    dl_item_t *items;
    size_t count, capacity;
} dl_page_t;

/* A bookmark: a title at a level (1 = top) pointing at a place on a page. */
typedef struct dl_outline {
    char *title;
    int level;
    size_t page; /* index into pages */
    double y;    /* top of the target, points */
} dl_outline_t;

typedef struct dlist {
    dl_page_t *pages;
    size_t page_count, page_capacity;
    dl_outline_t *outlines;
    size_t outline_count, outline_capacity;
} dlist_t;

void dlist_init(dlist_t *list);
void dlist_free(dlist_t *list);

/* Appends a page and returns it (valid until the next dlist_add_page). */
dl_page_t *dlist_add_page(dlist_t *list, double width, double height);

/* Appends a text item, copying glyphs and text; clusters must be offsets into text. */
dl_text_t *dlist_add_text(dl_page_t *page, int font, double size, double x, double y,
                          const glyph_t *glyphs, size_t glyph_count, const char *text,
                          size_t text_len);
void dlist_add_rect(dl_page_t *page, const dl_rect_t *rect);
void dlist_add_line(dl_page_t *page, const dl_line_t *line);
void dlist_add_image(dl_page_t *page, const dl_image_t *image);

/* The ink of page's items from `first` on: the highest and lowest point (text by its ink,
 * the others by their boxes); false when there is none. */
bool dlist_ink_extent(const dl_page_t *page, size_t first, double *top, double *bottom);

/* Moves page's items from `first` on up by dy points (down when negative). */
void dlist_shift(dl_page_t *page, size_t first, double dy);

/* Appends a bookmark (title copied). */
void dlist_add_outline(dlist_t *list, const char *title, size_t title_len, int level, size_t page,
                       double y);

/* Writes a line per page and per item; numbers with two decimals. */
void dlist_dump(const dlist_t *list, FILE *out);

#endif
