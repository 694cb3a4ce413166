/* render — the back end: the one place where a template, fonts, the breaker and the layout
 * become a PDF (or a display-list dump). Every command that makes a PDF goes through a
 * renderer:
 *
 *   report   input -> assessment -> facts -> template (report_build) -> document -> ...
 *   summary  rows -> summary data -> template (report_build) -> document -> ...
 *   text     a text file -> document (textdoc) -> ...
 *   ... document -> typeset (layout, brk, shape) -> display list -> pdf | dlist_dump
 *
 * A renderer keeps what is expensive once per process (a batch worker keeps one): the
 * libthai breaker, every font it loaded, every template it loaded, and the layout over the
 * current fonts. `itareport render` makes one renderer for one file.
 *
 * A renderer owns everything it loads; render_free releases it. Templates and documents
 * passed in stay the caller's. */
#ifndef ITAREPORT_RENDER_H
#define ITAREPORT_RENDER_H

#include "doc.h"
#include "fingerprint.h"
#include "tmpl.h"
#include "value.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* regular, bold, italic, bold italic: doc_style_t.font */
#define RENDER_FONT_SLOTS 4

typedef struct render_options {
    const char *template_dir; /* NULL: data_dir/templates/<the input's framework> */
    int digits;               /* -1: as the template says; 0 Arabic; 1 Thai */
    bool dump_layout;         /* write the display list as text instead of a PDF */
    /* Fonts in place of the template's, per slot (regular, bold, italic, bold italic);
     * NULL: the template's. Paths absolute or relative to the data folder. */
    const char *fonts[RENDER_FONT_SLOTS];
} render_options_t;

/* What a document says about itself, besides its pages; any field may be NULL. For a
 * document made from a template (render_data), title, author, subject, keywords and the
 * attachment's description come from the template's `document:` texts instead. */
typedef struct render_meta {
    const char *title, *author, *subject, *keywords, *creator;
    /* What the document is made from besides its template, fonts and images (which the
     * renderer adds): bytes (the input, the summary's rows) and files (framework.yaml).
     * All of it goes into the document's fingerprint (fingerprint.h). */
    const unsigned char *source;
    size_t source_size;
    const char *const *files;
    size_t file_count;
    const char *const *names; /* never broken across lines (with the template's keep_together) */
    size_t name_count;
    const char *attachment_name; /* a file embedded in the PDF (the input); NULL: none */
    const unsigned char *attachment;
    size_t attachment_size;
    const char *attachment_type;
    const char *attachment_description;
    /* The input's logo as it is written there and its place: an image with that path is
     * reported at the logo's place in the input when it cannot be read (NULL: none). */
    const char *logo;
    const diag_pos_t *logo_pos;
} render_meta_t;

typedef struct renderer renderer_t;

/* A renderer for the program's data folder (fonts, templates); NULL after reporting. */
renderer_t *render_new(diag_t *dg, const char *data_dir);
void render_free(renderer_t *r);

/* For a command that exits once its renderer's work is done: the renderer is not freed,
 * the operating system takes its memory back with the process (freeing libthai's
 * dictionary alone is 150,000 blocks, about 4 % of a fresh `itareport render`). It stays
 * reachable from a static variable, so leak checkers do not count it as lost. A later
 * call frees the renderer kept before. */
void render_keep_until_exit(renderer_t *r);

/* The template at path (report.yaml of a folder), loaded and checked against names (the
 * data it will be filled with, tmpl.h) the first time it is asked for, and kept by the
 * renderer; NULL after reporting. */
const tmpl_t *render_template(renderer_t *r, const char *path, tmpl_names_t names);

/* Makes fonts the current ones (count at most RENDER_FONT_SLOTS; paths absolute or
 * relative to the data folder), each file loaded once per renderer. 0, or -1 after
 * reporting. */
int render_use_fonts(renderer_t *r, const char *const *paths, size_t count);

/* The tail every PDF shares: fingerprints what the document was made from, lays doc out
 * with the current fonts and writes the PDF (or,
 * with dump, the display list as text) to output ("-": standard output; a file is written
 * under a temporary name and renamed). doc's images must be loaded. 0, or -1 after
 * reporting (no output file then). */
int render_document(renderer_t *r, const doc_t *doc, const render_meta_t *meta, const char *output,
                    bool dump);

/* A template filled with data: uses the template's fonts, builds the document
 * (report_build, digits as thai says), loads its images (relative paths from base_dir,
 * NULL: the current folder) and renders it. 0, or -1 after reporting. */
int render_data(renderer_t *r, const tmpl_t *t, const value_t *data, bool thai,
                const char *base_dir, const render_meta_t *meta, const char *output, bool dump);

/* Renders one agency's input to output; 0, or -1 after reporting (no output file then). */
int render_file(renderer_t *r, const char *input, const char *output,
                const render_options_t *options);

/* The same for an input held in memory (one document of a stream, a CSV row turned into
 * YAML): name is used in messages and as the embedded file's name. */
int render_buffer(renderer_t *r, const char *name, const unsigned char *input, size_t size,
                  const char *output, const render_options_t *options);

/* The same for an assessment the caller has opened from input (assessment.h) and still
 * owns: the analysis is not run again. name, input and size are those it was opened with.
 * (A batch worker needs the figures for its summary before it renders.) */
struct assessment;
int render_assessment(renderer_t *r, const struct assessment *a, const char *name,
                      const unsigned char *input, size_t size, const char *output,
                      const render_options_t *options);

/* The fingerprint the report of an assessment would carry (what render_assessment would
 * read for it), without making it: a batch compares it with the one an existing PDF
 * carries. 0, or -1 after reporting. */
int render_fingerprint(renderer_t *r, const struct assessment *a, const char *name,
                       const unsigned char *input, size_t size, const render_options_t *options,
                       char out[FINGERPRINT_HEX]);

#endif
