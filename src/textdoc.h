/* textdoc — a plain text file as a document: one paragraph per line on official A4 pages
 * (margins left 3 cm, right 2 cm, top 2.5 cm, bottom 2 cm), "**" toggling the bold font
 * (font 1). Used by `itareport text` and its benchmark. */
#ifndef ITAREPORT_TEXTDOC_H
#define ITAREPORT_TEXTDOC_H

#include "diag.h"

#include "dlist.h"
#include "layout.h"

#include <stddef.h>

typedef struct textdoc_options {
    double size;         /* points */
    double line_spacing; /* multiple of the font's line height */
    layout_align_t align;
} textdoc_options_t;

extern const layout_frame_t textdoc_official_a4;

/* Lays out UTF-8 text (a byte-order mark and CR before LF are ignored) into list, always
 * at least one page. The layout's font 0 is regular and font 1 bold. */
void textdoc_layout(layout_t *layout, const char *text, size_t len, const textdoc_options_t *o,
                    dlist_t *list);

#endif
