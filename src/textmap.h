/* textmap — which text each glyph stands for, so that text extraction gives back the source.
 *
 * Shaping maps characters to glyphs many-to-many (SARA AM becomes two glyphs; a tone mark
 * and NIKHAHIT become one ligature; marks are reordered). For each cluster (the glyphs that
 * share a cluster value), its characters are handed out over its glyphs in drawing order:
 * one glyph takes the whole cluster; otherwise each glyph takes one character and the last
 * glyph the rest. Where that cannot reproduce the text (a glyph left with no character),
 * the cluster is covered by an ActualText span. Pure functions; no allocation except the
 * span array returned. */
#ifndef ITAREPORT_TEXTMAP_H
#define ITAREPORT_TEXTMAP_H

#include "glyph.h"

#include <stddef.h>

/* The text of one glyph: bytes [start, start + length) of the run's text. When
 * align_to_next is set, the next glyph repeats this glyph's text (SARA AM drawn as
 * NIKHAHIT + SARA AA, both standing for ำ): the writer draws this glyph at the next one's
 * origin with the next one's advance, so that MuPDF drops the repeat as "fake bold". */
typedef struct textmap_piece {
    size_t start;
    size_t length;
    int align_to_next;
    /* textmap_assign's own workspace: the glyph starts a group (a base character and the
     * marks after it), the glyph needs an ActualText span. */
    unsigned char starts_group, needs_span;
} textmap_piece_t;

/* Glyphs [first, first + count) stand together for text [text_start, text_start + text_length). */
typedef struct textmap_span {
    size_t first, count;
    size_t text_start, text_length;
} textmap_span_t;

/* Fills pieces[0..count) for glyphs whose clusters are byte offsets into text (monotone,
 * logical order) and returns the number of ActualText spans needed, storing them in a new
 * array *spans (caller frees; NULL when none). A glyph left with no character repeats the
 * one before it when their origins lie at most shift_limit font units apart. */
size_t textmap_assign(const glyph_t *glyphs, size_t count, const char *text, size_t text_len,
                      int32_t shift_limit, textmap_piece_t *pieces, textmap_span_t **spans);

#endif
