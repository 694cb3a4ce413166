/* shape — fonts and shaping: the only module that uses FreeType and HarfBuzz's shaping API.
 *
 * A shape_font_t is a TrueType font loaded once (FreeType validates it and reads its
 * metrics; HarfBuzz shapes with it). Text is split into script runs (Thai, Latin, ...;
 * digits, punctuation and spaces join their neighbours) and each run is shaped with
 * language "th" and cluster level "monotone characters". Results are the project's own
 * glyph_t records. The font owns its file bytes, which the PDF writer embeds. */
#ifndef ITAREPORT_SHAPE_H
#define ITAREPORT_SHAPE_H

#include "diag.h"

#include "glyph.h"

#include <stddef.h>
#include <stdint.h>

typedef struct shape_font shape_font_t;

/* Metrics and identity of a font, in font units; valid while the font lives. */
typedef struct shape_font_info {
    unsigned units_per_em;
    int ascender;  /* typographic ascender (positive) */
    int descender; /* typographic descender (negative) */
    int line_gap;
    int bbox[4]; /* x_min, y_min, x_max, y_max over all glyphs */
    int cap_height;
    double italic_angle; /* degrees, from the post table */
    int is_fixed_pitch;
    int is_bold;
    int is_italic;
    unsigned glyph_count;
    const char *postscript_name; /* never NULL */
    const unsigned char *data;   /* the font file's bytes */
    size_t size;
} shape_font_info_t;

/* A run of text in one script: bytes [start, end) of the text. */
typedef enum shape_script {
    SHAPE_SCRIPT_COMMON, /* digits, punctuation, spaces only */
    SHAPE_SCRIPT_THAI,
    SHAPE_SCRIPT_LATIN,
    SHAPE_SCRIPT_OTHER,
} shape_script_t;

typedef struct shape_run {
    size_t start, end;
    shape_script_t script;
    uint32_t hb_script; /* the script tag HarfBuzz uses for the run */
} shape_run_t;

/* Loads a TrueType (glyf-based) font file, which must be a regular file. A font whose
 * tables are broken so that glyphs would come out empty is refused: loca must give every
 * glyph an offset, never decreasing, within glyf, and the glyphs of a few Thai and Latin
 * letters and a digit, where mapped, must have outlines. With require_thai, a font without
 * Thai letters is refused. Returns NULL after reporting an error that names the file. */
shape_font_t *shape_font_load(diag_t *dg, const char *path, int require_thai);
void shape_font_free(shape_font_t *font);

const shape_font_info_t *shape_font_info(const shape_font_t *font);

/* Vertical extent of a glyph's outline in font units (0, 0 for an empty glyph); y_min <=
 * y_max, also in a damaged font (an outline past 16 bits, a bounding box upside down). */
void shape_glyph_extents(shape_font_t *font, uint32_t gid, int *y_min, int *y_max);

/* The glyph's advance width in the font program (hmtx), font units. */
int32_t shape_glyph_advance(shape_font_t *font, uint32_t gid);

/* Nonzero when the font maps the code point to a glyph. */
int shape_font_has_char(const shape_font_t *font, uint32_t code_point);

/* Splits valid UTF-8 into script runs; returns the count and a new array (caller frees). */
size_t shape_split_runs(const char *text, size_t len, shape_run_t **runs);

/* A growable glyph array, reused between calls; free with shape_buffer_free. */
typedef struct shape_buffer {
    glyph_t *glyphs;
    size_t count, capacity;
} shape_buffer_t;

/* Shapes text[0, len) (valid UTF-8) and appends its glyphs to out, in logical order,
 * clusters as byte offsets from text + base. */
void shape_text(shape_font_t *font, const char *text, size_t len, size_t base, shape_buffer_t *out);

void shape_buffer_free(shape_buffer_t *buffer);

#endif
