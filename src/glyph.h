/* glyph — the project's own shaped-glyph record, handed from the shaper to layout, the
 * display list and the PDF writer (no HarfBuzz type crosses a module boundary).
 * Units are font units (the font's units per em); the PDF writer scales them. */
#ifndef ITAREPORT_GLYPH_H
#define ITAREPORT_GLYPH_H

#include <stdint.h>

typedef struct glyph {
    uint32_t gid;      /* glyph id in the font */
    uint32_t cluster;  /* byte offset of the cluster's first character in the text */
    int32_t x_advance; /* pen advance after the glyph */
    int32_t x_offset;  /* drawing offset from the pen, rightwards */
    int32_t y_offset;  /* drawing offset from the baseline, upwards */
} glyph_t;

#endif
