/* typeset — the document tree (doc.h) onto pages: the display list (dlist.h). The one page
 * flow: reports, the batch summary and `itareport text` all go through it (render.h).
 *
 * Sections start pages in their own orientation; paragraphs flow down the text frame with
 * their spacing, and a block marked keep-with-next (a heading) never ends a page; tables
 * get column widths (fixed, relative or from their content), cells wrapped Thai text with
 * padding, row and column spans, header rows repeated on every page the table spans, and
 * rows that are not split across pages (a cell spanning rows keeps with it the rows its
 * content needs) unless a row is taller than a page; charts get a box of their height
 * (chart.h draws inside it). Running headers and footers get "หน้า X / Y" once the pages are
 * counted. Headings with an outline level become bookmarks in the display list.
 *
 * Uses layout.h for lines; makes no PDF calls. The display list owns what it is given. */
#ifndef ITAREPORT_TYPESET_H
#define ITAREPORT_TYPESET_H

#include "dlist.h"
#include "doc.h"
#include "layout.h"

/* Lays the document out into list (which should be empty). The layout's fonts are the
 * document's: 0 regular, 1 bold, 2 italic, 3 bold italic (missing ones fall back). */
void typeset_document(layout_t *layout, const doc_t *doc, dlist_t *list);

#endif
