/* chart — a bar chart (doc_chart_t) drawn into a box of a page: display-list rectangles,
 * lines and shaped labels. The page flow (typeset) decides where the box is; this module
 * decides only what is inside it.
 *
 * Bars stand up from the category axis, or lie along it (`horizontal`: the categories'
 * names at the left, as a reader of the indicator chart needs them). Every label — values,
 * the value axis, categories, the legend — is set at the one size of the chart's look
 * (label_size times value_size / axis_label_size, 1 by default), never shrunk to fit: with
 * many categories every n-th label is shown. A value is shown when its widest form (Arabic
 * or Thai digits) fits its bar's room, so both digit forms show the same values. A value
 * label that the reference line (the pass mark) would cross is moved beyond the line. Bars
 * below the reference take the chart's below colour when it has one (a key in the legend
 * says so). Draws nothing outside the box; the page owns what is added to it. */
#ifndef ITAREPORT_CHART_H
#define ITAREPORT_CHART_H

#include "dlist.h"
#include "doc.h"
#include "layout.h"

/* Draws ch onto page in the box whose top-left corner is (left, top), width wide and
 * ch->height tall (points; y grows upwards). Labels are shaped through layout. */
void chart_draw(layout_t *layout, dl_page_t *page, const doc_chart_t *ch, double left, double top,
                double width);

#endif
