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

/* A paragraph shaped and broken before: its clean text, break flags (without the protected
 * names) and glyphs, found again by the text and its font spans. Table cells are
 * measured several times and template texts repeat from report to report. */
typedef struct cache_entry {
    uint64_t hash;
    char *key; /* text, spans and names, serialised */
    size_t key_len;
    char *text; /* clean */
    size_t len;
    unsigned char *flags; /* len + 1 */
    glyph_t *glyphs;
    int *glyph_font;
    size_t glyph_count;
} cache_entry_t;

#define CACHE_SLOTS 4096 /* a power of two; the cache is emptied when half full */

struct layout {
    cache_entry_t *cache; /* open addressing, CACHE_SLOTS */
    size_t cache_used;
    char *key; /* scratch for building a key */
    size_t key_capacity;
    shape_font_t *const *fonts;
    size_t font_count;
    brk_t *brk;
    char **names;
    size_t name_count;
    /* Scratch, reused: the paragraph without U+200B, its break flags, glyphs. */
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
    double *glyph_width;
    size_t glyph_width_capacity;
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
    return layout;
}

static void cache_clear(layout_t *layout)
{
    for (size_t i = 0; layout->cache && i < CACHE_SLOTS; i++) {
        cache_entry_t *e = &layout->cache[i];
        free(e->key);
        free(e->text);
        free(e->flags);
        free(e->glyphs);
        free(e->glyph_font);
        memset(e, 0, sizeof *e);
    }
    layout->cache_used = 0;
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
    free(layout->glyph_width);
    free(layout);
}

void layout_set_names(layout_t *layout, const char *const *names, size_t count)
{
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
        layout->glyph_width = mem_array_grow(layout->glyph_width, &layout->glyph_width_capacity,
                                             after, sizeof *layout->glyph_width);
        double scale = para->size / shape_font_info(layout->fonts[font])->units_per_em;
        for (size_t g = before; g < after; g++) {
            layout->glyph_font[g] = font;
            layout->glyph_width[g] = layout->glyphs.glyphs[g].x_advance * scale;
        }
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

/* Fills the layout's text, flags and glyph buffers for a paragraph, from the cache when it
 * was seen before; returns the clean text's length. Widths are per call (size). */
static size_t prepare_paragraph(layout_t *layout, const layout_paragraph_t *para)
{
    if (!layout->cache)
        layout->cache = mem_zalloc(CACHE_SLOTS, sizeof *layout->cache);
    size_t key_len = build_key(layout, para);
    uint64_t h = fingerprint_hash64(layout->key, key_len);
    size_t slot = h & (CACHE_SLOTS - 1);
    while (layout->cache[slot].key) {
        cache_entry_t *e = &layout->cache[slot];
        if (e->hash == h && e->key_len == key_len && memcmp(e->key, layout->key, key_len) == 0)
            break;
        slot = (slot + 1) & (CACHE_SLOTS - 1);
    }
    cache_entry_t *e = &layout->cache[slot];
    size_t len;
    if (e->key) {
        len = e->len;
        layout->text = mem_array_grow(layout->text, &layout->text_capacity, len + 1, 1);
        layout->flags = mem_array_grow(layout->flags, &layout->flags_capacity, len + 1, 1);
        memcpy(layout->text, e->text, len + 1);
        memcpy(layout->flags, e->flags, len + 1);
        layout->glyphs.glyphs = mem_array_grow(layout->glyphs.glyphs, &layout->glyphs.capacity,
                                               e->glyph_count + 1, sizeof(glyph_t));
        memcpy(layout->glyphs.glyphs, e->glyphs, e->glyph_count * sizeof(glyph_t));
        layout->glyphs.count = e->glyph_count;
        layout->glyph_font = mem_array_grow(layout->glyph_font, &layout->glyph_font_capacity,
                                            e->glyph_count + 1, sizeof *layout->glyph_font);
        memcpy(layout->glyph_font, e->glyph_font, e->glyph_count * sizeof(int));
    } else {
        len = clean_paragraph(layout, para);
        shape_paragraph(layout, para, len);
        if (layout->cache_used * 2 >= CACHE_SLOTS) {
            cache_clear(layout);
            slot = h & (CACHE_SLOTS - 1);
            e = &layout->cache[slot];
        }
        size_t n = layout->glyphs.count;
        e->hash = h;
        e->key = mem_strndup(layout->key, key_len);
        e->key_len = key_len;
        e->text = mem_strndup(layout->text, len);
        e->len = len;
        e->flags = mem_alloc(len + 1);
        memcpy(e->flags, layout->flags, len + 1);
        e->glyphs = mem_alloc((n + 1) * sizeof(glyph_t));
        e->glyph_font = mem_alloc((n + 1) * sizeof(int));
        if (n) { /* an empty paragraph may come before any buffer exists */
            memcpy(e->glyphs, layout->glyphs.glyphs, n * sizeof(glyph_t));
            memcpy(e->glyph_font, layout->glyph_font, n * sizeof(int));
        }
        e->glyph_count = n;
        layout->cache_used++;
    }
    /* The protected names and the last line's rule, over the flags without names. */
    brk_finish(layout->brk, layout->text, len, (const char *const *)layout->names,
               layout->name_count, layout->flags);
    /* Widths in points for this paragraph's size. */
    size_t n = layout->glyphs.count;
    layout->glyph_width = mem_array_grow(layout->glyph_width, &layout->glyph_width_capacity, n + 1,
                                         sizeof *layout->glyph_width);
    for (size_t g = 0; g < n; g++) {
        const shape_font_info_t *info = shape_font_info(layout->fonts[layout->glyph_font[g]]);
        layout->glyph_width[g] =
            layout->glyphs.glyphs[g].x_advance * para->size / info->units_per_em;
    }
    return len;
}

static int is_cluster_start(const layout_t *layout, size_t g)
{
    return g == 0 || layout->glyphs.glyphs[g].cluster != layout->glyphs.glyphs[g - 1].cluster;
}

static int glyph_is_space(const layout_t *layout, size_t g)
{
    return is_space_byte(layout->text[layout->glyphs.glyphs[g].cluster]);
}

/* Fills a line's glyph range, text range and extents. */
static void finish_line(layout_t *layout, const layout_paragraph_t *para, size_t len, size_t first,
                        size_t end, layout_line_t *line)
{
    const glyph_t *glyphs = layout->glyphs.glyphs;
    size_t n = layout->glyphs.count;
    size_t drawn_end = end;
    while (drawn_end > first && glyph_is_space(layout, drawn_end - 1))
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
        int font = g < drawn_end ? layout->glyph_font[g] : 0;
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
        line->width += layout->glyph_width[g];
    }
}

size_t layout_break(layout_t *layout, const layout_paragraph_t *para, double measure,
                    layout_line_t **lines_out)
{
    size_t len = prepare_paragraph(layout, para);
    const glyph_t *glyphs = layout->glyphs.glyphs;
    size_t n = layout->glyphs.count;
    layout_line_t *lines = NULL;
    size_t count = 0, capacity = 0;
    size_t start = 0;
    do {
        double width = 0, width_trimmed = 0;
        double line_measure = count == 0 ? measure - para->first_indent : measure;
        size_t last_break = 0, plain_break = 0;
        size_t j = start;
        for (; j < n; j++) {
            if (j > start && is_cluster_start(layout, j) &&
                (layout->flags[glyphs[j].cluster] & BRK_ALLOWED)) {
                last_break = j;
                if (!(layout->flags[glyphs[j].cluster] & (BRK_DISCOURAGED | BRK_LAST_LINE)))
                    plain_break = j;
            }
            width += layout->glyph_width[j];
            if (!glyph_is_space(layout, j)) {
                if (width > line_measure + 1e-6 && j > start)
                    break;
                width_trimmed = width;
            }
        }
        (void)width_trimmed;
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
                if (is_cluster_start(layout, g) &&
                    (layout->flags[glyphs[g].cluster] & BRK_GRAPHEME)) {
                    end = g;
                    break;
                }
            }
            if (end == 0) {
                end = j + 1;
                while (end < n && !(is_cluster_start(layout, end) &&
                                    (layout->flags[glyphs[end].cluster] & BRK_GRAPHEME)))
                    end++;
            }
        }
        lines = mem_array_grow(lines, &capacity, count + 1, sizeof *lines);
        finish_line(layout, para, len, start, end, &lines[count]);
        lines[count].is_last = end >= n;
        count++;
        /* Spaces at a break belong to the line before (an emergency break may stop just
         * before them). */
        while (end < n && glyph_is_space(layout, end))
            end++;
        if (end >= n)
            lines[count - 1].is_last = 1;
        start = end;
    } while (start < n);
    *lines_out = lines;
    return count;
}

double layout_nominal_height(const layout_t *layout, const layout_paragraph_t *para)
{
    const shape_font_info_t *info = shape_font_info(layout->fonts[0]);
    double spacing = para->line_spacing > 0 ? para->line_spacing : 1.0;
    return para->size * (info->ascender - info->descender + info->line_gap) / info->units_per_em *
           spacing;
}

double layout_baseline_step(const layout_paragraph_t *para, double nominal,
                            const layout_line_t *prev, const layout_line_t *line)
{
    return fmax(nominal, -prev->ink_bottom + line->ink_top + INK_GAP_EM * para->size);
}

double layout_min_width(layout_t *layout, const layout_paragraph_t *para)
{
    (void)prepare_paragraph(layout, para);
    const glyph_t *glyphs = layout->glyphs.glyphs;
    double widest = 0, piece = 0, trailing = 0;
    for (size_t g = 0; g < layout->glyphs.count; g++) {
        if (g > 0 && is_cluster_start(layout, g) &&
            (layout->flags[glyphs[g].cluster] & (BRK_ALLOWED | BRK_DISCOURAGED)) == BRK_ALLOWED) {
            widest = fmax(widest, piece - trailing);
            piece = trailing = 0;
        }
        piece += layout->glyph_width[g];
        trailing = glyph_is_space(layout, g) ? trailing + layout->glyph_width[g] : 0;
    }
    return fmax(widest, piece - trailing);
}

/* Marks the glyphs after which justification may add space: the last glyph of every
 * grapheme group (a glyph with an advance and the marks after it, never splitting a
 * cluster) but the line's last, or, for spaces only, every space glyph. Returns the count. */
static size_t justify_points(const layout_t *layout, const layout_line_t *line, int spaces_only,
                             unsigned char *is_point)
{
    const glyph_t *glyphs = layout->glyphs.glyphs;
    size_t count = 0;
    for (size_t g = line->first; g < line->end; g++) {
        size_t k = g - line->first;
        is_point[k] = 0;
        if (spaces_only) {
            is_point[k] = glyph_is_space(layout, g) != 0;
        } else if (g + 1 < line->end) {
            /* g ends a group when the next glyph starts a new cluster and has an advance
             * (or is the start of a grapheme). */
            const glyph_t *next = &glyphs[g + 1];
            int next_starts =
                next->cluster != glyphs[g].cluster && (layout->flags[next->cluster] & BRK_GRAPHEME);
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

/* Space to add after each glyph of a line for its alignment (points); all zero when the
 * line is not stretched (last line, left/right/center, nothing to widen). */
static void justify_line(const layout_t *layout, const layout_paragraph_t *para,
                         const layout_line_t *line, double measure, double *extra)
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
        points = justify_points(layout, line, 0, is_point);
        if (points && slack / (double)points > cap)
            points = 0; /* too loose: widen the spaces instead */
    }
    if (points == 0)
        points = justify_points(layout, line, 1, is_point);
    if (points)
        spread(n, is_point, points, slack, step, extra);
    free(is_point);
}

void layout_emit_line(layout_t *layout, dl_page_t *page, const layout_paragraph_t *para,
                      const layout_line_t *line, double x, double baseline, double measure)
{
    glyph_t *glyphs = layout->glyphs.glyphs;
    double *extra = mem_alloc((line->end - line->first + 1) * sizeof *extra);
    justify_line(layout, para, line, measure, extra);
    size_t g = line->first;
    while (g < line->end) {
        size_t h = g + 1;
        while (h < line->end && layout->glyph_font[h] == layout->glyph_font[g])
            h++;
        size_t text_start = glyphs[g].cluster;
        size_t text_end = h < line->end ? glyphs[h].cluster : line->text_end;
        int font = layout->glyph_font[g];
        dl_text_t *t = dlist_add_text(page, font, para->size, x, baseline, glyphs + g, h - g,
                                      layout->text + text_start, text_end - text_start);
        t->color = para->color;
        t->y_min = line->ink_bottom;
        t->y_max = line->ink_top;
        double units = shape_font_info(layout->fonts[font])->units_per_em;
        for (size_t k = 0; k < h - g; k++) {
            t->glyphs[k].cluster -= (uint32_t)text_start;
            double added = extra[g + k - line->first];
            int32_t added_units = (int32_t)lround(added * units / para->size);
            t->glyphs[k].x_advance += added_units;
            x += layout->glyph_width[g + k] + added_units * para->size / units;
        }
        g = h;
    }
    free(extra);
}
