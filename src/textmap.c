/* textmap — see textmap.h. */
#include "textmap.h"

#include "mem.h"
#include "utf8.h"

#include <stdlib.h>

size_t textmap_assign(const glyph_t *glyphs, size_t count, const char *text, size_t text_len,
                      textmap_piece_t *pieces, textmap_span_t **spans_out)
{
    /* Pieces, cluster by cluster: each glyph one character in drawing order, the last
     * glyph of the cluster the rest; a glyph left with nothing needs a span. */
    int *needs = mem_zalloc(count ? count : 1, sizeof *needs);
    size_t g = 0;
    while (g < count) {
        size_t h = g + 1;
        while (h < count && glyphs[h].cluster == glyphs[g].cluster)
            h++;
        size_t start = glyphs[g].cluster < text_len ? glyphs[g].cluster : text_len;
        size_t end = h < count ? glyphs[h].cluster : text_len;
        if (end < start || end > text_len)
            end = text_len < start ? start : text_len;
        size_t at = start;
        for (size_t k = g; k < h; k++) {
            size_t piece_end = at;
            if (k + 1 == h)
                piece_end = end;
            else if (at < end)
                (void)utf8_decode(text, end, &piece_end);
            pieces[k].start = at;
            pieces[k].length = piece_end - at;
            if (pieces[k].length == 0 && end > start)
                needs[k] = 1;
            at = piece_end;
        }
        g = h;
    }
    /* A mark (no advance) drawn right of the pen lies over the next letter's origin:
     * poppler then orders it after that letter. */
    for (size_t k = 0; k < count; k++)
        if (glyphs[k].x_advance == 0 && glyphs[k].x_offset > 0)
            needs[k] = 1;
    /* Marks drawn out of x order (a tone mark shifted left of the vowel before it):
     * poppler reads the gap as a word space. */
    for (size_t k = 1; k < count; k++)
        if (glyphs[k].x_advance == 0 && glyphs[k - 1].x_advance == 0 &&
            glyphs[k].x_offset < glyphs[k - 1].x_offset)
            needs[k] = 1;

    /* Spans: whole groups (a glyph with an advance and the marks after it) that hold a
     * glyph in need; neighbouring groups in need merge into one span. */
    textmap_span_t *spans = NULL;
    size_t span_count = 0, span_capacity = 0;
    g = 0;
    while (g < count) {
        size_t h = g + 1;
        while (h < count && glyphs[h].x_advance == 0)
            h++;
        /* A group never splits a cluster. */
        while (h < count && glyphs[h].cluster == glyphs[h - 1].cluster)
            h++;
        int group_needs = 0;
        for (size_t k = g; k < h; k++)
            group_needs |= needs[k];
        if (group_needs) {
            size_t text_start = pieces[g].start;
            size_t text_end = pieces[h - 1].start + pieces[h - 1].length;
            if (span_count && spans[span_count - 1].first + spans[span_count - 1].count == g) {
                textmap_span_t *last = &spans[span_count - 1];
                last->count = h - last->first;
                last->text_length = text_end - last->text_start;
            } else {
                spans = mem_array_grow(spans, &span_capacity, span_count + 1, sizeof *spans);
                spans[span_count++] =
                    (textmap_span_t){g, h - g, text_start, text_end - text_start};
            }
        }
        g = h;
    }
    free(needs);
    *spans_out = spans;
    return span_count;
}
