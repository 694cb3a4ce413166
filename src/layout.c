/* layout — see layout.h. */
#include "layout.h"

#include "fingerprint.h"
#include "mem.h"
#include "utf8.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Smallest clear space kept between the ink of two lines, as a fraction of the size. */
#define INK_GAP_EM 0.04

/* A paragraph shaped once: its clean text, break flags (without the protected names) and
 * glyphs, found again in the cache by its text and font spans (table cells are measured
 * several times, and template texts repeat from report to report), and shared by the
 * cache and the paragraphs kept from it (refs). Beside them, what was last worked out from
 * them, valid for one generation of names and one size: the flags with the names applied,
 * the glyphs' widths, one break into lines and the widest unbreakable piece. A paragraph
 * is measured and then drawn at one measure, so one break is what is asked again. */
typedef struct shaped {
    int refs;
    uint64_t hash;
    char *key; /* text and spans, serialised */
    size_t key_len;
    char *text; /* clean */
    size_t len;
    unsigned char *flags; /* len + 1, without the names */
    glyph_t *glyphs;
    int *glyph_font;
    size_t count;
    uint64_t names_gen;      /* what follows is for these names (0: nothing yet) */
    double size;             /* and this size */
    unsigned char *finished; /* len + 1: flags with the names and the last line's rule */
    double *widths;          /* points */
    bool broken;             /* the last break, for break_measure, break_indent, break_align */
    double break_measure, break_indent;
    layout_align_t break_align;
    layout_line_t *break_lines;
    size_t break_count;
    bool min_known;
    double min_width;
} shaped_t;

/* A power of two. When the cache is half full, the paragraphs not used under the current
 * names (another report's) go, and those of this report stay, up to a quarter of the slots:
 * a batch worker keeps the template's own texts and a report's worth of the others. */
#define CACHE_SLOTS 2048

struct layout {
    shaped_t **cache; /* open addressing, CACHE_SLOTS */
    size_t cache_used;
    shaped_t *current;  /* the paragraph prepared last, in the cache */
    uint64_t names_gen; /* bumped when the names change */
    char *key;          /* scratch for building a key */
    size_t key_capacity;
    shape_font_t *const *fonts;
    size_t font_count;
    brk_t *brk;
    char **names;
    size_t name_count;
    /* Scratch of shaping a paragraph not in the cache: it without U+200B, its break
     * flags, glyphs. */
    char *text;
    size_t text_capacity;
    unsigned char *flags;
    size_t flags_capacity;
    unsigned char *raw_flags;
    size_t raw_flags_capacity;
    size_t *offset_map;
    size_t offset_map_capacity;
    shape_buffer_t glyphs;
    int *glyph_font;
    size_t glyph_font_capacity;
    /* Per font: the highest and lowest ink of PITCH_PROBE, em (computed on first use). */
    double *probe_top, *probe_bottom;
    /* Scratch of the total-fit breaker. */
    double *fit_cost;
    size_t fit_cost_capacity;
    size_t *fit_at, *fit_prev;
    size_t fit_at_capacity, fit_prev_capacity;
    double *fit_width; /* 2 per candidate: start and end widths */
    size_t fit_width_capacity;
};

/* The glyphs of a shaped paragraph, as emitting a line reads them: the layout's current
 * buffers or a kept paragraph's copies. */
typedef struct view {
    const char *text;
    const unsigned char *flags;
    glyph_t *glyphs;
    const int *glyph_font;
    const double *glyph_width;
    size_t count;
} view_t;

struct layout_kept {
    shaped_t *shaped;     /* a reference: text and glyphs */
    unsigned char *flags; /* copies: the shaped paragraph's change with names and size */
    double *glyph_width;
    layout_paragraph_t para; /* text, spans borrowed: only its style is read */
    double measure;
    layout_line_t *lines;
    size_t line_count;
};

int layout_align_parse(const char *name)
{
    static const char *const names[] = {"left", "right", "center", "justify", "thai-distributed"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return (int)i;
    return -1;
}

layout_t *layout_new(shape_font_t *const *fonts, size_t font_count, brk_t *brk)
{
    layout_t *layout = mem_zalloc(1, sizeof *layout);
    layout->fonts = fonts;
    layout->font_count = font_count;
    layout->brk = brk;
    layout->names_gen = 1;
    return layout;
}

static void shaped_unref(shaped_t *s)
{
    if (!s || --s->refs > 0)
        return;
    free(s->key);
    free(s->text);
    free(s->flags);
    free(s->glyphs);
    free(s->glyph_font);
    free(s->finished);
    free(s->widths);
    free(s->break_lines);
    free(s);
}

static void cache_clear(layout_t *layout)
{
    for (size_t i = 0; layout->cache && i < CACHE_SLOTS; i++) {
        shaped_unref(layout->cache[i]);
        layout->cache[i] = NULL;
    }
    layout->cache_used = 0;
    layout->current = NULL;
}

void layout_free(layout_t *layout)
{
    if (!layout)
        return;
    cache_clear(layout);
    free(layout->cache);
    free(layout->key);
    for (size_t i = 0; i < layout->name_count; i++)
        free(layout->names[i]);
    free(layout->names);
    free(layout->text);
    free(layout->flags);
    free(layout->raw_flags);
    free(layout->offset_map);
    shape_buffer_free(&layout->glyphs);
    free(layout->glyph_font);
    free(layout->probe_top);
    free(layout->probe_bottom);
    free(layout->fit_cost);
    free(layout->fit_at);
    free(layout->fit_prev);
    free(layout->fit_width);
    free(layout);
}

void layout_set_names(layout_t *layout, const char *const *names, size_t count)
{
    bool same = count == layout->name_count;
    for (size_t i = 0; same && i < count; i++)
        same = strcmp(names[i], layout->names[i]) == 0;
    if (same)
        return;
    layout->names_gen++;
    for (size_t i = 0; i < layout->name_count; i++)
        free(layout->names[i]);
    free(layout->names);
    layout->names = mem_zalloc(count, sizeof *layout->names);
    for (size_t i = 0; i < count; i++)
        layout->names[i] = mem_strdup(names[i]);
    layout->name_count = count;
}

/* Copies the paragraph without U+200B into layout->text, with break flags that keep a
 * break where each U+200B stood; offset_map[i] is the clean offset of raw byte i. */
static size_t clean_paragraph(layout_t *layout, const layout_paragraph_t *para)
{
    size_t len = para->len;
    layout->raw_flags = mem_array_grow(layout->raw_flags, &layout->raw_flags_capacity, len + 1, 1);
    brk_find(layout->brk, para->text, len, NULL, 0, layout->raw_flags);
    layout->text = mem_array_grow(layout->text, &layout->text_capacity, len + 1, 1);
    layout->flags = mem_array_grow(layout->flags, &layout->flags_capacity, len + 1, 1);
    layout->offset_map = mem_array_grow(layout->offset_map, &layout->offset_map_capacity, len + 1,
                                        sizeof *layout->offset_map);
    size_t out = 0;
    unsigned char pending = 0;
    for (size_t pos = 0; pos < len;) {
        size_t start = pos;
        uint32_t cp = utf8_decode(para->text, len, &pos);
        for (size_t k = start; k < pos; k++)
            layout->offset_map[k] = out;
        if (cp == 0x200B) {
            pending |= BRK_ALLOWED;
            continue;
        }
        layout->flags[out] = (unsigned char)(layout->raw_flags[start] | (out ? pending : 0));
        pending = 0;
        memcpy(layout->text + out, para->text + start, pos - start);
        for (size_t k = 1; k < pos - start; k++)
            layout->flags[out + k] = 0;
        out += pos - start;
    }
    layout->offset_map[len] = out;
    layout->flags[out] = BRK_GRAPHEME;
    layout->text[out] = '\0';
    return out;
}

static int is_space_byte(char c)
{
    return c == ' ' || c == '\t';
}

static void shape_paragraph(layout_t *layout, const layout_paragraph_t *para, size_t len)
{
    layout_span_t whole = {0, para->len, 0};
    const layout_span_t *spans = para->spans ? para->spans : &whole;
    size_t span_count = para->spans ? para->span_count : 1;
    layout->glyphs.count = 0;
    for (size_t s = 0; s < span_count; s++) {
        size_t start = layout->offset_map[spans[s].start];
        size_t end = spans[s].end >= para->len ? len : layout->offset_map[spans[s].end];
        if (end <= start)
            continue;
        int font =
            spans[s].font >= 0 && (size_t)spans[s].font < layout->font_count ? spans[s].font : 0;
        size_t before = layout->glyphs.count;
        shape_text(layout->fonts[font], layout->text + start, end - start, start, &layout->glyphs);
        size_t after = layout->glyphs.count;
        layout->glyph_font = mem_array_grow(layout->glyph_font, &layout->glyph_font_capacity, after,
                                            sizeof *layout->glyph_font);
        for (size_t g = before; g < after; g++)
            layout->glyph_font[g] = font;
    }
}

/* The cache key of a paragraph: its text and its spans (the protected names are applied
 * to the flags after the cache, by brk_finish). */
static size_t build_key(layout_t *layout, const layout_paragraph_t *para)
{
    size_t need = para->len + 1 + para->span_count * 3 * sizeof(size_t) + 16;
    layout->key = mem_array_grow(layout->key, &layout->key_capacity, need, 1);
    char *k = layout->key;
    size_t n = 0;
    memcpy(k + n, para->text, para->len);
    n += para->len;
    k[n++] = '\0';
    for (size_t i = 0; i < para->span_count; i++) {
        size_t v[3] = {para->spans[i].start, para->spans[i].end, (size_t)para->spans[i].font};
        memcpy(k + n, v, sizeof v);
        n += sizeof v;
    }
    return n;
}

/* A shaped paragraph from the scratch buffers, with one reference (the cache's). */
static shaped_t *shaped_from_scratch(layout_t *layout, uint64_t hash, size_t key_len, size_t len)
{
    size_t n = layout->glyphs.count;
    shaped_t *s = mem_zalloc(1, sizeof *s);
    s->refs = 1;
    s->hash = hash;
    s->key = mem_strndup(layout->key, key_len);
    s->key_len = key_len;
    s->text = mem_strndup(layout->text, len);
    s->len = len;
    s->flags = mem_alloc(len + 1);
    memcpy(s->flags, layout->flags, len + 1);
    s->finished = mem_alloc(len + 1);
    s->glyphs = mem_alloc((n + 1) * sizeof *s->glyphs);
    s->glyph_font = mem_alloc((n + 1) * sizeof *s->glyph_font);
    s->widths = mem_alloc((n + 1) * sizeof *s->widths);
    if (n) { /* an empty paragraph may come before any buffer exists */
        memcpy(s->glyphs, layout->glyphs.glyphs, n * sizeof *s->glyphs);
        memcpy(s->glyph_font, layout->glyph_font, n * sizeof *s->glyph_font);
    }
    s->count = n;
    return s;
}

/* Makes room in a half-full cache (see CACHE_SLOTS). */
static void cache_make_room(layout_t *layout)
{
    shaped_t **old = layout->cache;
    layout->cache = mem_zalloc(CACHE_SLOTS, sizeof *layout->cache);
    layout->cache_used = 0;
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        shaped_t *s = old[i];
        if (!s)
            continue;
        if (s->names_gen != layout->names_gen || layout->cache_used * 4 >= CACHE_SLOTS) {
            if (s == layout->current)
                layout->current = NULL;
            shaped_unref(s);
            continue;
        }
        size_t slot = s->hash & (CACHE_SLOTS - 1);
        while (layout->cache[slot])
            slot = (slot + 1) & (CACHE_SLOTS - 1);
        layout->cache[slot] = s;
        layout->cache_used++;
    }
    free(old);
}

/* Makes the paragraph the layout's current one, shaped (from the cache when it was seen
 * before), with its flags finished for the current names and its widths at its size. */
static shaped_t *prepare_paragraph(layout_t *layout, const layout_paragraph_t *para)
{
    if (!layout->cache)
        layout->cache = mem_zalloc(CACHE_SLOTS, sizeof *layout->cache);
    size_t key_len = build_key(layout, para);
    uint64_t h = fingerprint_hash64(layout->key, key_len);
    size_t slot = h & (CACHE_SLOTS - 1);
    shaped_t *s;
    while ((s = layout->cache[slot]) != NULL) {
        if (s->hash == h && s->key_len == key_len && memcmp(s->key, layout->key, key_len) == 0)
            break;
        slot = (slot + 1) & (CACHE_SLOTS - 1);
    }
    if (!s) {
        size_t len = clean_paragraph(layout, para);
        shape_paragraph(layout, para, len);
        if (layout->cache_used * 2 >= CACHE_SLOTS) {
            cache_make_room(layout);
            slot = h & (CACHE_SLOTS - 1);
            while (layout->cache[slot])
                slot = (slot + 1) & (CACHE_SLOTS - 1);
        }
        s = layout->cache[slot] = shaped_from_scratch(layout, h, key_len, len);
        layout->cache_used++;
    }
    if (s->names_gen != layout->names_gen) {
        /* The protected names and the last line's rule, over the flags without names; the
         * break and widest piece worked out before stay when the flags come out the same
         * (the paragraph holds none of the names, old or new). */
        layout->flags = mem_array_grow(layout->flags, &layout->flags_capacity, s->len + 1, 1);
        memcpy(layout->flags, s->flags, s->len + 1);
        brk_finish(layout->brk, s->text, s->len, (const char *const *)layout->names,
                   layout->name_count, layout->flags);
        if (s->names_gen == 0 || memcmp(layout->flags, s->finished, s->len + 1) != 0) {
            memcpy(s->finished, layout->flags, s->len + 1);
            s->broken = s->min_known = false;
        }
        s->names_gen = layout->names_gen;
    }
    if (s->size != para->size) {
        for (size_t g = 0; g < s->count; g++) {
            const shape_font_info_t *info = shape_font_info(layout->fonts[s->glyph_font[g]]);
            s->widths[g] = s->glyphs[g].x_advance * para->size / info->units_per_em;
        }
        s->size = para->size;
        s->broken = s->min_known = false;
    }
    layout->current = s;
    return s;
}

static view_t shaped_view(const shaped_t *s)
{
    return (view_t){s->text, s->finished, s->glyphs, s->glyph_font, s->widths, s->count};
}

static int is_cluster_start(const view_t *v, size_t g)
{
    return g == 0 || v->glyphs[g].cluster != v->glyphs[g - 1].cluster;
}

static int glyph_is_space(const view_t *v, size_t g)
{
    return is_space_byte(v->text[v->glyphs[g].cluster]);
}

/* A line may break before glyph g. */
static int can_break(const view_t *v, size_t g)
{
    return g > 0 && is_cluster_start(v, g) && (v->flags[v->glyphs[g].cluster] & BRK_ALLOWED);
}

/* A break before glyph g is allowed but to be taken only when a line has no other: inside a
 * listed word, after a place word, or the paragraph's last opportunity too near its end
 * (brk.h). */
static int break_discouraged(const view_t *v, size_t g)
{
    return (v->flags[v->glyphs[g].cluster] & (BRK_DISCOURAGED | BRK_LAST_LINE)) != 0;
}

/* Fills a line's glyph range, text range and extents. */
static void finish_line(layout_t *layout, const view_t *v, const layout_paragraph_t *para,
                        size_t len, size_t first, size_t end, layout_line_t *line)
{
    const glyph_t *glyphs = v->glyphs;
    size_t n = v->count;
    size_t drawn_end = end;
    while (drawn_end > first && glyph_is_space(v, drawn_end - 1))
        drawn_end--;
    line->first = first;
    line->end = drawn_end;
    line->text_start = first < n ? glyphs[first].cluster : len;
    line->text_end = drawn_end < n ? glyphs[drawn_end].cluster : len;
    if (drawn_end == first)
        line->text_end = line->text_start;
    line->width = 0;
    line->ink_top = line->ink_bottom = 0;
    line->ascent = line->descent = 0;
    /* Typographic extent of the fonts used (font 0 for an empty line). */
    int used_default = 0;
    for (size_t g = first; g <= drawn_end; g++) {
        int font = g < drawn_end ? v->glyph_font[g] : 0;
        if (g == drawn_end && (drawn_end > first || used_default))
            break;
        if (g == drawn_end)
            used_default = 1;
        const shape_font_info_t *info = shape_font_info(layout->fonts[font]);
        double scale = para->size / info->units_per_em;
        if (info->ascender * scale > line->ascent)
            line->ascent = info->ascender * scale;
        if (-info->descender * scale > line->descent)
            line->descent = -info->descender * scale;
        if (g == drawn_end)
            break;
        int y_min, y_max;
        shape_glyph_extents(layout->fonts[font], glyphs[g].gid, &y_min, &y_max);
        double top = (y_max + glyphs[g].y_offset) * scale;
        double bottom = (y_min + glyphs[g].y_offset) * scale;
        if (top > line->ink_top)
            line->ink_top = top;
        if (bottom < line->ink_bottom)
            line->ink_bottom = bottom;
        line->width += v->glyph_width[g];
    }
}

/* Appends the line of glyphs [start, end) and returns the start of the next line (the
 * spaces at a break belong to the line before). */
static size_t add_line(layout_t *layout, const view_t *v, const layout_paragraph_t *para,
                       size_t len, size_t start, size_t end, layout_line_t **lines, size_t *count,
                       size_t *capacity)
{
    size_t n = v->count;
    *lines = mem_array_grow(*lines, capacity, *count + 1, sizeof **lines);
    layout_line_t *line = &(*lines)[*count];
    finish_line(layout, v, para, len, start, end, line);
    (*count)++;
    while (end < n && glyph_is_space(v, end))
        end++;
    line->is_last = end >= n;
    return end;
}

/* First fit: each line takes what fits; a word longer than the measure breaks at a
 * grapheme-cluster boundary. */
static size_t break_first_fit(layout_t *layout, const view_t *v, const layout_paragraph_t *para,
                              size_t len, double measure, layout_line_t **lines_out)
{
    const glyph_t *glyphs = v->glyphs;
    size_t n = v->count;
    layout_line_t *lines = NULL;
    size_t count = 0, capacity = 0;
    size_t start = 0;
    do {
        double width = 0;
        double line_measure = count == 0 ? measure - para->first_indent : measure;
        size_t last_break = 0, plain_break = 0;
        size_t j = start;
        for (; j < n; j++) {
            if (j > start && can_break(v, j)) {
                last_break = j;
                if (!break_discouraged(v, j))
                    plain_break = j;
            }
            width += v->glyph_width[j];
            if (!glyph_is_space(v, j) && width > line_measure + 1e-6 && j > start)
                break;
        }
        size_t end;
        if (j >= n) {
            end = n;
        } else if (last_break > start) {
            /* A discouraged break (inside a listed word, the paragraph's last) only when
             * the line has no other. */
            end = plain_break > start ? plain_break : last_break;
        } else {
            /* Emergency: the last grapheme start that still fits, at least one cluster. */
            end = 0;
            for (size_t g = j; g > start; g--) {
                if (is_cluster_start(v, g) && (v->flags[glyphs[g].cluster] & BRK_GRAPHEME)) {
                    end = g;
                    break;
                }
            }
            if (end == 0) {
                end = j + 1;
                while (end < n && !(is_cluster_start(v, end) &&
                                    (v->flags[glyphs[end].cluster] & BRK_GRAPHEME)))
                    end++;
            }
        }
        start = add_line(layout, v, para, len, start, end, &lines, &count, &capacity);
    } while (start < n);
    *lines_out = lines;
    return count;
}

/* Total fit (the Knuth–Plass idea): all the breaks of the paragraph chosen together over
 * its break opportunities so that the sum over its lines (the last one free) of the squared
 * space each line must add, in em, is least; even lines rather than a tight one beside a
 * loose one. (TeX's demerits, the stretch ratio cubed and squared, gave a slightly wider
 * spread on tests/data/bench-thai.txt and the seed.) (Letting lines also shrink a little, by part
 * of their spaces and cluster gaps, made the spread wider on tests/data/bench-thai.txt and the
 * seed, not narrower.) Returns 0 (nothing done) when a piece between opportunities is wider than
 * the measure: first fit breaks such a paragraph. */
/* What a discouraged break adds to a paragraph's cost: more than any line's squared slack
 * (a line of 40 em left empty costs 1600), so one is taken only when nothing else fits. */
#define DISCOURAGED_BREAK_COST 1e6

static size_t break_total_fit(layout_t *layout, const view_t *v, const layout_paragraph_t *para,
                              size_t len, double measure, layout_line_t **lines_out)
{
    size_t n = v->count;
    /* Candidates: 0, every opportunity, n; widths from the paragraph's start to where a
     * line starting there begins (spaces skipped) and to where a line ending there ends
     * (spaces trimmed). */
    size_t m = 0;
    for (size_t g = 0; g <= n; g++) {
        if (!(g == 0 || g == n || can_break(v, g)))
            continue;
        layout->fit_at =
            mem_array_grow(layout->fit_at, &layout->fit_at_capacity, m + 1, sizeof *layout->fit_at);
        layout->fit_at[m++] = g;
    }
    layout->fit_width = mem_array_grow(layout->fit_width, &layout->fit_width_capacity, 2 * m,
                                       sizeof *layout->fit_width);
    layout->fit_cost =
        mem_array_grow(layout->fit_cost, &layout->fit_cost_capacity, m, sizeof *layout->fit_cost);
    layout->fit_prev =
        mem_array_grow(layout->fit_prev, &layout->fit_prev_capacity, m, sizeof *layout->fit_prev);
    double *start_w = layout->fit_width, *end_w = start_w + m;
    double prefix = 0, inked = 0;
    size_t k = 0, pending = 0; /* candidates [pending, k) wait for their first ink */
    for (size_t g = 0; g <= n; g++) {
        while (k < m && layout->fit_at[k] == g)
            end_w[k++] = inked;
        if (g == n)
            break;
        if (!glyph_is_space(v, g)) {
            for (; pending < k; pending++)
                start_w[pending] = prefix;
            inked = prefix + v->glyph_width[g];
        }
        prefix += v->glyph_width[g];
    }
    for (; pending < m; pending++)
        start_w[pending] = prefix;
    for (size_t j = 1; j < m; j++)
        if (end_w[j] - start_w[j - 1] > (j == 1 ? measure - para->first_indent : measure) + 1e-6)
            return 0;
    /* Least cost to end a line at each candidate. */
    double *cost = layout->fit_cost;
    size_t *prev = layout->fit_prev;
    cost[0] = 0;
    for (size_t j = 1; j < m; j++) {
        cost[j] = HUGE_VAL;
        prev[j] = j - 1;
        for (size_t i = j; i-- > 0;) {
            double w = end_w[j] - start_w[i];
            double line_measure = i == 0 ? measure - para->first_indent : measure;
            if (w > fmax(line_measure, measure) + 1e-6)
                break;
            if (w > line_measure + 1e-6)
                continue; /* the first line, shorter: a later start may fit */
            double slack = (line_measure - w) / para->size;
            double c = cost[i] + (j + 1 == m ? 0 : slack * slack);
            if (j + 1 < m && break_discouraged(v, layout->fit_at[j]))
                c += DISCOURAGED_BREAK_COST;
            if (c < cost[j]) {
                cost[j] = c;
                prev[j] = i;
            }
        }
    }
    /* The chosen breaks, from the end back, then the lines in order. */
    size_t breaks = 0;
    for (size_t j = m - 1; j > 0; j = prev[j])
        breaks++;
    size_t *chosen = mem_alloc(breaks * sizeof *chosen);
    size_t b = breaks;
    for (size_t j = m - 1; j > 0; j = prev[j])
        chosen[--b] = layout->fit_at[j];
    layout_line_t *lines = NULL;
    size_t count = 0, capacity = 0, start = 0;
    for (b = 0; b < breaks; b++)
        start = add_line(layout, v, para, len, start, chosen[b], &lines, &count, &capacity);
    free(chosen);
    if (count)
        lines[count - 1].is_last = 1;
    *lines_out = lines;
    return count;
}

static size_t break_view(layout_t *layout, const view_t *v, const layout_paragraph_t *para,
                         size_t len, double measure, layout_line_t **lines)
{
    size_t count = 0;
    if (v->count &&
        (para->align == LAYOUT_ALIGN_JUSTIFY || para->align == LAYOUT_ALIGN_THAI_DISTRIBUTED))
        count = break_total_fit(layout, v, para, len, measure, lines);
    if (count == 0)
        count = break_first_fit(layout, v, para, len, measure, lines);
    return count;
}

/* The prepared paragraph's lines at a measure, from its last break when that was at the
 * same measure, first indent and alignment (the size and names are the shaped paragraph's
 * own); *lines is the paragraph's own array, not a copy. */
static size_t break_shaped(layout_t *layout, shaped_t *s, const layout_paragraph_t *para,
                           double measure, const layout_line_t **lines)
{
    if (!s->broken || s->break_measure != measure || s->break_indent != para->first_indent ||
        s->break_align != para->align) {
        free(s->break_lines);
        view_t v = shaped_view(s);
        s->break_count = break_view(layout, &v, para, s->len, measure, &s->break_lines);
        s->broken = true;
        s->break_measure = measure;
        s->break_indent = para->first_indent;
        s->break_align = para->align;
    }
    *lines = s->break_lines;
    return s->break_count;
}

size_t layout_break(layout_t *layout, const layout_paragraph_t *para, double measure,
                    const layout_line_t **lines)
{
    return break_shaped(layout, prepare_paragraph(layout, para), para, measure, lines);
}

layout_kept_t *layout_keep(layout_t *layout, const layout_paragraph_t *para, double measure)
{
    shaped_t *s = prepare_paragraph(layout, para);
    layout_kept_t *k = mem_zalloc(1, sizeof *k);
    k->shaped = s;
    s->refs++;
    k->flags = mem_alloc(s->len + 1);
    memcpy(k->flags, s->finished, s->len + 1);
    k->glyph_width = mem_alloc((s->count + 1) * sizeof *k->glyph_width);
    memcpy(k->glyph_width, s->widths, s->count * sizeof *k->glyph_width);
    k->para = *para;
    k->measure = measure;
    const layout_line_t *lines;
    k->line_count = break_shaped(layout, s, para, measure, &lines);
    k->lines = mem_alloc((k->line_count ? k->line_count : 1) * sizeof *k->lines);
    memcpy(k->lines, lines, k->line_count * sizeof *k->lines);
    return k;
}

size_t layout_kept_lines(const layout_kept_t *kept, const layout_line_t **lines)
{
    *lines = kept->lines;
    return kept->line_count;
}

void layout_kept_free(layout_kept_t *kept)
{
    if (!kept)
        return;
    shaped_unref(kept->shaped);
    free(kept->flags);
    free(kept->glyph_width);
    free(kept->lines);
    free(kept);
}

double layout_nominal_height(const layout_t *layout, const layout_paragraph_t *para)
{
    const shape_font_info_t *info = shape_font_info(layout->fonts[0]);
    double spacing = para->line_spacing > 0 ? para->line_spacing : 1.0;
    return para->size * (info->ascender - info->descender + info->line_gap) / info->units_per_em *
           spacing;
}

/* The tallest stacks of marks over the letters that rise highest, and the deepest letters
 * and marks below in Thai and Latin words (ฎ and ฏ with a vowel below, deeper still, occur
 * in almost no word): what a line's ink covers. */
#define PITCH_PROBE "ปั้ ปื๊ ฟิ่ ฝั๋ ฬี้ ปํ่ ป็ ฎ ฏ ญู ฐู ปู ฤๅ ฦๅ gjpqy"

/* Fills the layout's per-font probe extents (em) on first use. */
static void probe_fonts(layout_t *layout)
{
    if (layout->probe_top)
        return;
    size_t nf = layout->font_count ? layout->font_count : 1;
    layout->probe_top = mem_zalloc(nf, sizeof *layout->probe_top);
    layout->probe_bottom = mem_zalloc(nf, sizeof *layout->probe_bottom);
    shape_buffer_t buf = {0};
    for (size_t f = 0; f < layout->font_count; f++) {
        buf.count = 0;
        shape_text(layout->fonts[f], PITCH_PROBE, strlen(PITCH_PROBE), 0, &buf);
        const shape_font_info_t *info = shape_font_info(layout->fonts[f]);
        double top = info->ascender, bottom = info->descender;
        for (size_t g = 0; g < buf.count; g++) {
            int y_min, y_max;
            shape_glyph_extents(layout->fonts[f], buf.glyphs[g].gid, &y_min, &y_max);
            top = fmax(top, y_max + buf.glyphs[g].y_offset);
            bottom = fmin(bottom, y_min + buf.glyphs[g].y_offset);
        }
        layout->probe_top[f] = top / info->units_per_em;
        layout->probe_bottom[f] = bottom / info->units_per_em;
    }
    shape_buffer_free(&buf);
}

layout_box_t layout_line_box(layout_t *layout, const layout_paragraph_t *para)
{
    probe_fonts(layout);
    double top = 0, bottom = 0;
    for (size_t f = 0; f < layout->font_count; f++) {
        top = fmax(top, layout->probe_top[f]);
        bottom = fmin(bottom, layout->probe_bottom[f]);
    }
    layout_box_t box;
    double gap = INK_GAP_EM * para->size;
    box.pitch = para->pitch > 0
                    ? para->pitch * para->size
                    : fmax(layout_nominal_height(layout, para), (top - bottom) * para->size + gap);
    box.below = -bottom * para->size + gap / 2;
    box.above = box.pitch - box.below;
    return box;
}

double layout_min_width(layout_t *layout, const layout_paragraph_t *para)
{
    shaped_t *s = prepare_paragraph(layout, para);
    if (s->min_known)
        return s->min_width;
    view_t v = shaped_view(s);
    double widest = 0, piece = 0, trailing = 0;
    for (size_t g = 0; g < v.count; g++) {
        if (can_break(&v, g) && !(v.flags[v.glyphs[g].cluster] & BRK_DISCOURAGED)) {
            widest = fmax(widest, piece - trailing);
            piece = trailing = 0;
        }
        piece += v.glyph_width[g];
        trailing = glyph_is_space(&v, g) ? trailing + v.glyph_width[g] : 0;
    }
    s->min_width = fmax(widest, piece - trailing);
    s->min_known = true;
    return s->min_width;
}

/* Marks the glyphs after which justification may add space: the last glyph of every
 * grapheme group (a glyph with an advance and the marks after it, never splitting a
 * cluster) but the line's last, or, for spaces only, every space glyph. Returns the count. */
static size_t justify_points(const view_t *v, const layout_line_t *line, int spaces_only,
                             unsigned char *is_point)
{
    const glyph_t *glyphs = v->glyphs;
    size_t count = 0;
    for (size_t g = line->first; g < line->end; g++) {
        size_t k = g - line->first;
        is_point[k] = 0;
        if (spaces_only) {
            is_point[k] = glyph_is_space(v, g) != 0;
        } else if (g + 1 < line->end) {
            /* g ends a group when the next glyph starts a new cluster and has an advance
             * (or is the start of a grapheme). */
            const glyph_t *next = &glyphs[g + 1];
            int next_starts =
                next->cluster != glyphs[g].cluster && (v->flags[next->cluster] & BRK_GRAPHEME);
            is_point[k] = next_starts != 0;
        }
        count += is_point[k];
    }
    return count;
}

/* Spreads `slack` points over the points (quantised steps, the last gap exact) and
 * writes the space added after each glyph, in points, into extra. */
static void spread(size_t n, const unsigned char *is_point, size_t points, double slack,
                   double step, double *extra)
{
    double per = slack / (double)points, given = 0;
    size_t seen = 0;
    for (size_t k = 0; k < n; k++) {
        extra[k] = 0;
        if (!is_point[k])
            continue;
        seen++;
        double target = seen == points ? slack : round(per * (double)seen / step) * step;
        extra[k] = target - given;
        given = target;
    }
}

/* Space to add after each glyph of a line for its alignment (points); all zero when the line is not
 * stretched (last line, left/right/center, nothing to widen). */
static void justify_line(const view_t *v, const layout_paragraph_t *para, const layout_line_t *line,
                         double measure, double *extra)
{
    size_t n = line->end - line->first;
    for (size_t k = 0; k < n; k++)
        extra[k] = 0;
    double slack = measure - line->width;
    if (line->is_last || slack <= 0 || n == 0 ||
        (para->align != LAYOUT_ALIGN_JUSTIFY && para->align != LAYOUT_ALIGN_THAI_DISTRIBUTED))
        return;
    unsigned char *is_point = mem_alloc(n);
    double step = LAYOUT_JUSTIFY_STEP_EM * para->size;
    size_t points = 0;
    if (para->align == LAYOUT_ALIGN_THAI_DISTRIBUTED) {
        double cap = (para->distribute_cap > 0 ? para->distribute_cap : LAYOUT_DISTRIBUTE_CAP_EM) *
                     para->size;
        points = justify_points(v, line, 0, is_point);
        if (points && slack / (double)points > cap)
            points = 0; /* too loose: widen the spaces instead */
    }
    if (points == 0)
        points = justify_points(v, line, 1, is_point);
    /* Justified: a space widens by at most LAYOUT_JUSTIFY_CAP_EM; the rest of a loose
     * line's slack goes to its cluster boundaries (one wide gap reads as a column break,
     * to a reader and to poppler's text extraction). */
    double rest = 0, cap = LAYOUT_JUSTIFY_CAP_EM * para->size;
    if (para->align == LAYOUT_ALIGN_JUSTIFY && points && slack / (double)points > cap) {
        rest = slack - cap * (double)points;
        slack = cap * (double)points;
    }
    if (points)
        spread(n, is_point, points, slack, step, extra);
    if (rest > 0 && (points = justify_points(v, line, 0, is_point)) > 0) {
        double *more = mem_alloc(n * sizeof *more);
        spread(n, is_point, points, rest, step, more);
        for (size_t k = 0; k < n; k++)
            extra[k] += more[k];
        free(more);
    }
    free(is_point);
}

static void emit_view(layout_t *layout, const view_t *v, dl_page_t *page,
                      const layout_paragraph_t *para, const layout_line_t *line, double x,
                      double baseline, double measure)
{
    glyph_t *glyphs = v->glyphs;
    double *extra = mem_alloc((line->end - line->first + 1) * sizeof *extra);
    justify_line(v, para, line, measure, extra);
    size_t g = line->first;
    while (g < line->end) {
        size_t h = g + 1;
        while (h < line->end && v->glyph_font[h] == v->glyph_font[g])
            h++;
        size_t text_start = glyphs[g].cluster;
        size_t text_end = h < line->end ? glyphs[h].cluster : line->text_end;
        int font = v->glyph_font[g];
        dl_text_t *t = dlist_add_text(page, font, para->size, x, baseline, glyphs + g, h - g,
                                      v->text + text_start, text_end - text_start);
        t->color = para->color;
        t->y_min = line->ink_bottom;
        t->y_max = line->ink_top;
        double units = shape_font_info(layout->fonts[font])->units_per_em;
        for (size_t k = 0; k < h - g; k++) {
            t->glyphs[k].cluster -= (uint32_t)text_start;
            double added = extra[g + k - line->first];
            int32_t added_units = (int32_t)lround(added * units / para->size);
            t->glyphs[k].x_advance += added_units;
            x += v->glyph_width[g + k] + added_units * para->size / units;
        }
        g = h;
    }
    free(extra);
}

void layout_emit_line(layout_t *layout, dl_page_t *page, const layout_paragraph_t *para,
                      const layout_line_t *line, double x, double baseline, double measure)
{
    view_t v = shaped_view(layout->current);
    emit_view(layout, &v, page, para, line, x, baseline, measure);
}

void layout_emit_kept_line(layout_t *layout, const layout_kept_t *kept, dl_page_t *page,
                           size_t index, double x, double baseline)
{
    const shaped_t *s = kept->shaped;
    view_t v = {s->text, kept->flags, s->glyphs, s->glyph_font, kept->glyph_width, s->count};
    double measure = kept->measure - (index == 0 ? kept->para.first_indent : 0);
    emit_view(layout, &v, page, &kept->para, &kept->lines[index], x, baseline, measure);
}

double layout_added_space(const layout_paragraph_t *para, const layout_line_t *line, double measure)
{
    if (line->is_last ||
        (para->align != LAYOUT_ALIGN_JUSTIFY && para->align != LAYOUT_ALIGN_THAI_DISTRIBUTED))
        return 0;
    return fmax(measure - line->width, 0) / para->size;
}
