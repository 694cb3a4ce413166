/* textmap — see textmap.h. */
#include "textmap.h"

#include "brk.h"
#include "mem.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>

/* Glyph k starts a group when it starts a cluster whose first character is not a mark. */
static int starts_group(const glyph_t *glyphs, size_t k, const char *text, size_t text_len)
{
    if (glyphs[k].cluster == glyphs[k - 1].cluster)
        return 0;
    size_t at = glyphs[k].cluster;
    return at >= text_len || !brk_is_extending(utf8_decode(text, text_len, &at));
}

/* How far glyph k's origin (pen + offset, font units) lies right of glyph k - 1's. */
static int64_t origin_step(const glyph_t *glyphs, size_t k)
{
    return (int64_t)glyphs[k - 1].x_advance + glyphs[k].x_offset - glyphs[k - 1].x_offset;
}

size_t textmap_assign(const glyph_t *glyphs, size_t count, const char *text, size_t text_len,
                      int32_t shift_limit, textmap_piece_t *pieces, textmap_span_t **spans_out)
{
    /* Pieces, cluster by cluster: each glyph one character in drawing order, the last
     * glyph of the cluster the rest; a glyph left with nothing needs a span. */
    for (size_t k = 0; k < count; k++)
        pieces[k].needs_span = 0;
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
            pieces[k].align_to_next = 0;
            if (pieces[k].length == 0 && end > start) {
                pieces[k].needs_span = 1;
                int64_t distance = k > g ? origin_step(glyphs, k) : INT64_MAX;
                if ((distance < 0 ? -distance : distance) <= shift_limit) {
                    pieces[k] = pieces[k - 1];
                    pieces[k].needs_span = 1;
                    pieces[k - 1].align_to_next = 1;
                    pieces[k - 1].needs_span = 1;
                }
            }
            at = piece_end;
        }
        g = h;
    }
    /* Marks: glyphs that do not start a group (see starts_group). A mark drawn right of
     * the pen lies over the next letter's origin, and a mark drawn left of the glyph
     * before it (a tone mark shifted left of its vowel) leaves a gap: poppler reorders the
     * first and reads the second as a word space. A mark moved left at all (Laksaman
     * places its marks by offsets: ป่ puts the tone 0.16 em left of the pen) ends short
     * of the next letter, a gap poppler reads as a space too. A glyph raised or lowered has
     * another baseline, and poppler may put it on a line of its own. */
    /* Which glyphs start a group, worked out once for both loops below. */
    for (size_t k = 0; k < count; k++) {
        pieces[k].starts_group = k == 0 || starts_group(glyphs, k, text, text_len);
        int is_mark = !pieces[k].starts_group;
        if (glyphs[k].y_offset != 0 || (is_mark && glyphs[k].x_offset != 0) ||
            (is_mark && origin_step(glyphs, k) < 0))
            pieces[k].needs_span = 1;
    }

    /* Spans: whole groups (the glyphs of a base character and of the marks after it, as
     * the text says, whatever advances justification gave them) that hold a glyph in
     * need; neighbouring groups in need merge into one span. */
    textmap_span_t *spans = NULL;
    size_t span_count = 0, span_capacity = 0;
    g = 0;
    while (g < count) {
        size_t h = g + 1;
        while (h < count && !pieces[h].starts_group)
            h++;
        int group_needs = 0;
        for (size_t k = g; k < h; k++)
            group_needs |= pieces[k].needs_span;
        if (group_needs) {
            size_t text_start = pieces[g].start;
            size_t text_end = pieces[h - 1].start + pieces[h - 1].length;
            if (span_count && spans[span_count - 1].first + spans[span_count - 1].count == g) {
                textmap_span_t *last = &spans[span_count - 1];
                last->count = h - last->first;
                last->text_length = text_end - last->text_start;
            } else {
                spans = mem_array_grow(spans, &span_capacity, span_count + 1, sizeof *spans);
                spans[span_count++] = (textmap_span_t){g, h - g, text_start, text_end - text_start};
            }
        }
        g = h;
    }
    *spans_out = spans;
    return span_count;
}
