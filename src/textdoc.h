/* textdoc — a plain text file as a document (doc.h): one section of paragraphs, one per
 * input line, on official A4 pages (margins left 3 cm, right 2 cm, top 2.5 cm, bottom
 * 2 cm: textdoc_official_a4, the one place `itareport text` takes them from), "**"
 * toggling the bold font (font 1). The document is laid out by the same page flow as
 * reports (typeset.h). Used by `itareport text`, its benchmark and its fuzzer. */
#ifndef ITAREPORT_TEXTDOC_H
#define ITAREPORT_TEXTDOC_H

#include "doc.h"
#include "layout.h"

#include <stddef.h>

typedef struct textdoc_options {
    double size;         /* points */
    double line_spacing; /* multiple of the font's line height */
    layout_align_t align;
} textdoc_options_t;

/* The page of `itareport text`: size and margins in points. */
typedef struct textdoc_page {
    double width, height;
    double margin_left, margin_right, margin_top, margin_bottom;
} textdoc_page_t;

extern const textdoc_page_t textdoc_official_a4;

/* Builds into doc (initialised, empty) the document of UTF-8 text (a byte-order mark and
 * CR before LF are ignored): always at least one paragraph. doc_free releases it. */
void textdoc_build(const char *text, size_t len, const textdoc_options_t *o, doc_t *doc);

#endif
