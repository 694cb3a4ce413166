/* report — a template (tmpl.h) filled with data (value.h) into a document tree (doc.h).
 *
 * Placeholders {{path}} name data: the first step is a name bound by an enclosing `each`
 * (or `index`, the item's number from 1), else a key of the data root, or `wording` (the
 * template's own texts). Filters follow a bar: {{list|join:, }}, {{list|lines}} (one per
 * line), {{list|bullet:- }} (one per line, prefixed), {{value|or:-}} (when empty). Text
 * between ** and ** in the template is bold. Numbers print with their places, in Thai
 * digits when asked. The template arrives compiled and its names checked (tmpl.h), so
 * this stage only evaluates; data missing at run time (a key absent from one item) is
 * still an error at its place in the template (file:line:column), reported once.
 *
 * The document is the caller's (doc_free); nothing of the template or data is kept. */
#ifndef ITAREPORT_REPORT_H
#define ITAREPORT_REPORT_H

#include "diag.h"

#include "doc.h"
#include "tmpl.h"
#include "value.h"

#include <stdbool.h>

/* Builds doc from the template and data. Returns 0, or -1 after reporting errors (doc
 * then holds what was built and must still be freed). */
int report_build(diag_t *dg, const tmpl_t *t, const value_t *data, bool thai_digits, doc_t *doc);

/* One line of the document information (tmpl_line_t) filled with data: the pieces whose
 * conditions hold, Arabic digits, no bold. A new string, NULL when no piece holds (or on
 * an error, after reporting it). */
char *report_line(diag_t *dg, const tmpl_t *t, const tmpl_line_t *line, const value_t *data);

#endif
