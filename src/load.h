/* load — a parsed YAML input (yamldoc) into the typed model, checked against a framework.
 *
 * Reports every problem it finds (up to the context's error limit) at the value's position:
 * wrong types, unknown keys (with "did you mean"), missing required fields, scores that are
 * not numbers, NaN, infinite or outside 0-100, question ids, indicators, tools and areas the
 * framework does not know. The input format is described in docs/input-format.md.
 * Ownership: the returned model belongs to the caller (model_free); the document and the
 * framework are only read. */
#ifndef ITAREPORT_LOAD_H
#define ITAREPORT_LOAD_H

#include "diag.h"

#include "framework.h"
#include "model.h"
#include "yamldoc.h"

/* The input's framework id (the scalar under "framework"), or NULL after reporting an empty
 * file, a top level that is not a mapping, or a missing/invalid id. */
const yamldoc_node_t *load_framework_id(diag_t *dg, const yamldoc_t *doc);

/* The model, or NULL after reporting every error (the context's error limit applies). Warnings do
 * not make it fail. */
model_t *load_model(diag_t *dg, const yamldoc_t *doc, const framework_t *fw);

#endif
