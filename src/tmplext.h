/* tmplext — a report template that extends another: `extends: FOLDER` in a report.yaml
 * names a sibling folder of templates/ whose report.yaml (itself possibly extending another)
 * is the base, and the file then gives only what differs. Merging happens on the parsed
 * YAML trees, before the template loader (tmpl) sees them, so the loader reads one tree
 * whatever the chain:
 * - `styles`, `wording` (its file, or the tree itself) and every mapping inside them are
 *   merged key by key, the extending file's value winning;
 * - `keep_together` adds to the base's words;
 * - `sections`: a section whose `name` is the base's replaces it in place; with only some
 *   keys and no `blocks`, it changes those keys of the base's section; `remove: true` drops
 *   the base's section; a new name is inserted `after:` or `before:` a named section, else
 *   appended;
 * - `blocks:` (a mapping of block ids): each partial block is merged into the block whose
 *   `id:` it names, anywhere in the sections (a table's `columns`, a paragraph's text);
 * - any other key (page, fonts, header, footer, digits, mark_style) replaces the base's.
 * Block `id:` keys are removed before the loader sees the tree.
 *
 * The merged tree is built from the nodes of every document of the chain, so those
 * documents are kept in a tmplext_t until the template is built (positions in messages
 * point into them). Reports problems (unknown folder, a chain longer than 8, an unknown
 * section or block id) through the caller's diag_t at the `extends:` or the key's position. */
#ifndef ITAREPORT_TMPLEXT_H
#define ITAREPORT_TMPLEXT_H

#include "yamldoc.h"

typedef struct tmplext tmplext_t;

/* Resolves the chain of doc, read from path. Returns the document to build the template
 * from (doc itself, its tree merged over its bases'); the documents its nodes come from are
 * kept in *ext (tmplext_free). NULL after reporting; doc is freed then. Also replaces a
 * wording file name by the file's tree, so the result names no file relative to a folder. */
yamldoc_t *tmplext_resolve(diag_t *dg, yamldoc_t *doc, const char *path, tmplext_t **ext);

void tmplext_free(tmplext_t *ext);

/* The files the chain was read from besides the template's own (the bases' report.yaml
 * and the wording files), for the report's fingerprint: their number, and each. */
size_t tmplext_file_count(const tmplext_t *ext);
const char *tmplext_file(const tmplext_t *ext, size_t i);

/* The folder a template folder's report.yaml extends (a new string), or NULL when it extends
 * nothing (or cannot be read). For fingerprints: a report depends on every folder of the
 * chain. */
char *tmplext_base_folder(diag_t *dg, const char *template_dir);

#endif
