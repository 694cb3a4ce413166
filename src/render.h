/* render — one input to one report PDF: the whole pipeline (assessment -> facts -> report
 * -> typeset -> pdf) behind one call, with what is expensive made once per renderer:
 * fonts, the libthai breaker, the layout buffers, and the last template used.
 * `itareport render` makes one renderer for one file; batch workers keep one each.
 *
 * A renderer owns everything it loads; render_free releases it. */
#ifndef ITAREPORT_RENDER_H
#define ITAREPORT_RENDER_H

#include "diag.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct render_options {
    const char *template_dir; /* NULL: data_dir/templates/<the input's framework> */
    int digits;               /* -1: as the template says; 0 Arabic; 1 Thai */
    bool dump_layout;         /* write the display list as text instead of a PDF */
} render_options_t;

typedef struct renderer renderer_t;

/* A renderer for the program's data folder (fonts, templates); NULL after reporting. */
renderer_t *render_new(diag_t *dg, const char *data_dir);
void render_free(renderer_t *r);

/* Renders input to output ("-" standard output; a regular file is written under a
 * temporary name and renamed). Returns 0, or -1 after reporting (no output file then). */
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

#endif
