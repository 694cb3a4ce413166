/* sfnt — a small TrueType table edit: appends "copies" of glyphs to a font program.
 *
 * A copy is a composite glyph whose only component is the original (same outline, or
 * moved sideways by a shift) with an advance width of its own. The PDF writer draws a glyph through
 * a copy where a text extractor (MuPDF) moves its pen by the font program's advance and would
 * otherwise see a gap or an overlap. The edit rewrites glyf, loca (as long offsets), hmtx (full
 * metrics), maxp, hhea, head and post (format 3), and drops tables that count glyphs (hdmx, LTSH,
 * VDMX). Pure: no I/O; the result is a new buffer the caller frees. */
#ifndef ITAREPORT_SFNT_H
#define ITAREPORT_SFNT_H

#include <stddef.h>
#include <stdint.h>

typedef struct sfnt_copy {
    uint16_t source;  /* glyph to copy */
    uint16_t advance; /* advance width of the copy, font units */
    int16_t shift;    /* the outline moved right by this much (font units; 0: in place) */
} sfnt_copy_t;

/* Appends the copies; copy i gets glyph id *first_new + i. Returns 0, or -1 when the font
 * cannot be edited (malformed, CFF outlines, too many glyphs); nothing is reported. */
int sfnt_append_copies(const unsigned char *font, size_t len, const sfnt_copy_t *copies,
                       size_t count, unsigned char **out, size_t *out_len, uint16_t *first_new);

/* Reads a glyph's advance width from a font program's hmtx; -1 when it cannot. For tests. */
int sfnt_advance(const unsigned char *font, size_t len, uint16_t gid);

#endif
