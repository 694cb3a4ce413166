/* layout — paragraphs into lines, and a line drawn onto a display-list page (dlist.h);
 * the page flow (which line goes on which page) is typeset.h's.
 *
 * A paragraph is UTF-8 text with font spans, one size and an alignment. It is shaped once
 * (shape.h), its break opportunities found (brk.h), and broken into lines that fit the
 * measure: justified and thai-distributed paragraphs by total fit (all breaks chosen
 * together so that the space added per line is even), others first fit; a word longer
 * than the measure breaks at a grapheme-cluster boundary (first fit). Spaces at a break
 * are dropped; U+200B is a break opportunity that never reaches the output. Lines of one
 * style sit on one pitch (layout_line_box): from the template, or from the fonts' own
 * extents, so that the tallest stacked marks keep a small gap from the deepest descender
 * of the line above. No PDF calls here.
 *
 * A layout_t holds scratch buffers reused from paragraph to paragraph and borrows the
 * fonts and the breaker, which must outlive it. */
#ifndef ITAREPORT_LAYOUT_H
#define ITAREPORT_LAYOUT_H

#include "brk.h"
#include "dlist.h"
#include "shape.h"

#include <stddef.h>

typedef enum layout_align {
    LAYOUT_ALIGN_LEFT,
    LAYOUT_ALIGN_RIGHT,
    LAYOUT_ALIGN_CENTER,
    LAYOUT_ALIGN_JUSTIFY,          /* widen spaces (up to a cap, then clusters too) */
    LAYOUT_ALIGN_THAI_DISTRIBUTED, /* spread over grapheme-cluster boundaries */
} layout_align_t;

/* Parses "left", "right", "center", "justify", "thai-distributed"; -1 when unknown. */
int layout_align_parse(const char *name);

/* Bytes [start, end) of a paragraph set in fonts[font]. */
typedef struct layout_span {
    size_t start, end;
    int font;
} layout_span_t;

typedef struct layout_paragraph {
    const char *text;
    size_t len;
    const layout_span_t *spans; /* covering the text in order; NULL: all in font 0 */
    size_t span_count;
    double size;         /* points */
    double line_spacing; /* multiple of the font's typographic line height (1.0 = single) */
    double pitch;        /* distance between baselines in em; 0: from the fonts (layout_line_box) */
    layout_align_t align;
    /* thai-distributed: the largest space added at one cluster boundary, in em, beyond
     * which the line widens its spaces instead (0: LAYOUT_DISTRIBUTE_CAP_EM). */
    double distribute_cap;
    dl_color_t color;
    /* The first line is this much shorter than the measure (negative: longer, a hanging
     * indent); the caller sets it that much further right (left). */
    double first_indent;
} layout_paragraph_t;

#define LAYOUT_DISTRIBUTE_CAP_EM 0.2
/* justify: the most one space widens (em); a looser line spreads the rest over its
 * cluster boundaries. */
#define LAYOUT_JUSTIFY_CAP_EM 0.4
/* Added space is quantised to this step (em) so that few distinct advances (and so few
 * PDF CIDs) are needed; the last gap of a line takes the exact remainder. */
#define LAYOUT_JUSTIFY_STEP_EM 0.02

/* One line of a broken paragraph (indices into the layout's glyph buffer). */
typedef struct layout_line {
    size_t first, end;           /* glyphs drawn: [first, end) */
    size_t text_start, text_end; /* the source text the line stands for */
    double width;                /* points, before alignment */
    double ink_top, ink_bottom;  /* real extent of the glyphs, points from the baseline */
    double ascent, descent;      /* typographic extent (positive numbers) */
    int is_last;                 /* last line of its paragraph */
} layout_line_t;

typedef struct layout layout_t;

layout_t *layout_new(shape_font_t *const *fonts, size_t font_count, brk_t *brk);
void layout_free(layout_t *layout);

/* Names that must never be broken inside (copied). */
void layout_set_names(layout_t *layout, const char *const *names, size_t count);

/* Shapes and breaks a paragraph for a measure in points; returns the line count and sets
 * *lines to the layout's own array of them (not a copy: a cache hit costs nothing). The
 * lines and glyphs stay valid until the next layout_break, layout_keep or layout_min_width
 * call. */
size_t layout_break(layout_t *layout, const layout_paragraph_t *para, double measure,
                    const layout_line_t **lines);

/* Draws a line of the last paragraph broken (layout_break) onto a page: one text item
 * per font, starting at x on the baseline, stretched to the measure for justify and
 * thai-distributed (but the paragraph's last line). */
void layout_emit_line(layout_t *layout, dl_page_t *page, const layout_paragraph_t *para,
                      const layout_line_t *line, double x, double baseline, double measure);

/* The paragraph's nominal distance between baselines: the first font's typographic line
 * height times the line spacing. */
double layout_nominal_height(const layout_t *layout, const layout_paragraph_t *para);

/* The box every line of a paragraph's style takes, points: `pitch` between baselines,
 * `above` and `below` the baseline (above + below = pitch). The pitch is the paragraph's
 * own (em) when set, else the larger of the nominal height and what the tallest stacks of
 * marks over the deepest descenders of any of the layout's fonts need with a gap of
 * 0.04 em; `below` holds the deepest descender and half that gap. A paragraph of n lines
 * is n pitches high. */
typedef struct layout_box {
    double pitch, above, below;
} layout_box_t;
layout_box_t layout_line_box(layout_t *layout, const layout_paragraph_t *para);

/* A paragraph broken once and kept with copies of its glyphs, so that its lines can be
 * drawn later and in parts, after other paragraphs were broken (a table cell that spans
 * pages). The paragraph's style is read again when drawing: its spans and text need not
 * outlive the call. Free with layout_kept_free. */
typedef struct layout_kept layout_kept_t;
layout_kept_t *layout_keep(layout_t *layout, const layout_paragraph_t *para, double measure);
/* The kept lines (owned by kept); returns their count. */
size_t layout_kept_lines(const layout_kept_t *kept, const layout_line_t **lines);
/* Draws kept line `index` as layout_emit_line does, at the kept measure (less the first
 * indent for line 0; x is where the line starts). */
void layout_emit_kept_line(layout_t *layout, const layout_kept_t *kept, dl_page_t *page,
                           size_t index, double x, double baseline);
void layout_kept_free(layout_kept_t *kept);

/* The space a line's alignment adds to it, em (0 for the last line and for left, right
 * and centred text): what total fit keeps even. */
double layout_added_space(const layout_paragraph_t *para, const layout_line_t *line,
                          double measure);

/* The paragraph's widest piece between break opportunities (spaces excluded), points:
 * the narrowest measure that needs no emergency break. */
double layout_min_width(layout_t *layout, const layout_paragraph_t *para);

#endif
