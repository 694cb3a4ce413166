/* shape — see shape.h. */
#include "shape.h"

#include "diag.h"
#include "filebuf.h"
#include "fingerprint.h"
#include "mem.h"
#include "memo.h"
#include "utf8.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H
#include <hb-ot.h>
#include <hb.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct shape_font {
    shape_font_info_t info;
    unsigned char *data;
    FT_Library ft_library;
    FT_Face ft_face;
    hb_blob_t *blob;
    hb_face_t *hb_face;
    hb_font_t *hb_font;
    hb_buffer_t *buffer;    /* reused for every run */
    hb_language_t language; /* th */
    char *postscript_name;
    int32_t (*extents)[2]; /* per-glyph y_min, y_max, filled lazily; 32 bits, since a
                            * damaged font's outline may reach past 16 (found by fuzz_font) */
    unsigned char *extents_known;
    int32_t *advances; /* per-glyph advance, filled lazily (ADVANCE_UNKNOWN: not yet) */
    memo_t words;      /* word_t, at most WORD_SLOTS */
};

/* A word shaped before, kept per font: a run is shaped a word at a time (up to and with
 * the spaces after it), and a report's words repeat, within it and from one report to the
 * next, far more than its paragraphs do. A word is shaped on its own, without the text
 * around it as context: no lookup of the fonts crosses a space (the golden layouts of the
 * samples are the same shaped either way). Clusters are offsets into the word. */
typedef struct word {
    size_t len;
    uint32_t script;
    size_t count;
    const char *text; /* len bytes, after the glyphs in the same allocation */
    glyph_t glyphs[];
} word_t;

#define WORD_SLOTS 8192 /* a power of two; emptied when half full */

typedef struct word_key {
    const char *text;
    size_t len;
    uint32_t script;
} word_key_t;

static bool same_word(const void *entry, const void *key)
{
    const word_t *w = entry;
    const word_key_t *k = key;
    return w->len == k->len && w->script == k->script && memcmp(w->text, k->text, k->len) == 0;
}

#define ADVANCE_UNKNOWN INT32_MIN

/* Reads metrics from FreeType's view of the font. */
static void fill_info(shape_font_t *font)
{
    FT_Face face = font->ft_face;
    shape_font_info_t *info = &font->info;
    info->units_per_em = face->units_per_EM;
    info->ascender = face->ascender;
    info->descender = face->descender;
    info->line_gap = face->height - face->ascender + face->descender;
    info->bbox[0] = (int)face->bbox.xMin;
    info->bbox[1] = (int)face->bbox.yMin;
    info->bbox[2] = (int)face->bbox.xMax;
    info->bbox[3] = (int)face->bbox.yMax;
    info->glyph_count = (unsigned)face->num_glyphs;
    info->is_bold = (face->style_flags & FT_STYLE_FLAG_BOLD) != 0;
    info->is_italic = (face->style_flags & FT_STYLE_FLAG_ITALIC) != 0;
    info->is_fixed_pitch = FT_IS_FIXED_WIDTH(face) != 0;
    const TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
    if (os2 && os2->version != 0xFFFF) {
        info->ascender = os2->sTypoAscender;
        info->descender = os2->sTypoDescender;
        info->line_gap = os2->sTypoLineGap;
        info->cap_height = os2->version >= 2 ? os2->sCapHeight : 0;
    }
    if (info->cap_height <= 0)
        info->cap_height = info->ascender;
    const TT_Postscript *post = FT_Get_Sfnt_Table(face, FT_SFNT_POST);
    info->italic_angle = post ? post->italicAngle / 65536.0 : 0.0;
    const char *ps = FT_Get_Postscript_Name(face);
    font->postscript_name = mem_strdup(ps && *ps ? ps : "Unnamed");
    info->postscript_name = font->postscript_name;
    info->data = font->data;
}

/* True when loca has an offset for every glyph and one more, never decreasing and never past
 * the end of glyf (FreeType and HarfBuzz accept a broken loca and give empty glyphs). */
static bool loca_fits(FT_Face face, FT_ULong glyf_length)
{
    const TT_Header *head = FT_Get_Sfnt_Table(face, FT_SFNT_HEAD);
    FT_ULong length = 0;
    if (!head || face->num_glyphs <= 0 ||
        FT_Load_Sfnt_Table(face, TTAG_loca, 0, NULL, &length) != 0)
        return false;
    size_t entry = head->Index_To_Loc_Format == 0 ? 2 : 4;
    size_t count = (size_t)face->num_glyphs + 1;
    if (length < count * entry)
        return false;
    unsigned char *loca = mem_alloc(length);
    bool ok = FT_Load_Sfnt_Table(face, TTAG_loca, 0, loca, &length) == 0;
    uint64_t previous = 0;
    for (size_t i = 0; ok && i < count; i++) {
        const unsigned char *e = loca + i * entry;
        uint64_t offset =
            entry == 2 ? 2u * (uint64_t)(e[0] << 8 | e[1])
                       : (uint64_t)e[0] << 24 | (uint64_t)e[1] << 16 | (uint64_t)e[2] << 8 | e[3];
        ok = offset >= previous && offset <= glyf_length;
        previous = offset;
    }
    free(loca);
    return ok;
}

/* The first code point among a few common Thai and Latin letters and digits that the font
 * maps to a glyph without an outline (a damaged glyf or loca), or 0 when there is none. */
static uint32_t empty_probe(FT_Face face)
{
    static const uint32_t probes[] = {0x0E01, 0x0E32, 0x0E2D, 'A', 'a', 'o', '0'};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        FT_UInt gid = FT_Get_Char_Index(face, probes[i]);
        if (gid == 0)
            continue; /* not in the font: require_thai decides whether that matters */
        if (FT_Load_Glyph(face, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) !=
                0 ||
            face->glyph->format != FT_GLYPH_FORMAT_OUTLINE || face->glyph->outline.n_points <= 0)
            return probes[i];
    }
    return 0;
}

shape_font_t *shape_font_load(diag_t *dg, const char *path, int require_thai)
{
    shape_font_t *font = mem_zalloc(1, sizeof *font);
    memo_init(&font->words, WORD_SLOTS, free);
    size_t size = 0;
    if (filebuf_read_regular(dg, NULL, path, "font ", 64u << 20, &font->data, &size) != 0)
        goto fail;
    font->info.size = size;
    if (FT_Init_FreeType(&font->ft_library) != 0) {
        diag_fail(dg, NULL, "shape-cannot-start-freetype", "cannot start FreeType");
        goto fail;
    }
    if (FT_New_Memory_Face(font->ft_library, font->data, (FT_Long)size, 0, &font->ft_face) != 0) {
        diag_fail(dg, NULL, "shape-font-freetype-can-read", "'%s' is not a font FreeType can read",
                  path);
        goto fail;
    }
    FT_ULong glyf_length = 0;
    if (!FT_IS_SFNT(font->ft_face) ||
        FT_Load_Sfnt_Table(font->ft_face, TTAG_glyf, 0, NULL, &glyf_length) != 0 ||
        glyf_length == 0) {
        diag_fail(dg, NULL, "shape-font-truetype-font-glyf",
                  "font '%s' is not a TrueType font with glyf outlines (CFF/OpenType-CFF "
                  "and bitmap fonts are not supported)",
                  path);
        goto fail;
    }
    if (!loca_fits(font->ft_face, glyf_length)) {
        diag_fail(dg, NULL, "shape-font-loca-broken",
                  "font '%s' is damaged: its glyph index (loca) does not fit its outlines (glyf)",
                  path);
        goto fail;
    }
    uint32_t empty = empty_probe(font->ft_face);
    if (empty) {
        diag_fail(dg, NULL, "shape-font-glyph-empty",
                  "font '%s' is damaged: the glyph of U+%04X has no outline", path,
                  (unsigned)empty);
        goto fail;
    }
    fill_info(font);
    if (font->info.units_per_em < 16 || font->info.units_per_em > 16384) {
        diag_fail(dg, NULL, "shape-font-invalid-units-per",
                  "font '%s' has an invalid units-per-em (%u)", path, font->info.units_per_em);
        goto fail;
    }
    font->blob = hb_blob_create((const char *)font->data, (unsigned)size, HB_MEMORY_MODE_READONLY,
                                NULL, NULL);
    font->hb_face = hb_face_create(font->blob, 0);
    font->hb_font = hb_font_create(font->hb_face);
    hb_ot_font_set_funcs(font->hb_font);
    hb_font_set_scale(font->hb_font, (int)font->info.units_per_em, (int)font->info.units_per_em);
    font->buffer = hb_buffer_create();
    font->language = hb_language_from_string("th", -1);
    if (require_thai) {
        /* ก (KO KAI), า (SARA AA), ่ (MAI EK), ำ (SARA AM): a usable Thai font has them all. */
        static const uint32_t probes[] = {0x0E01, 0x0E32, 0x0E48, 0x0E33};
        for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
            if (!shape_font_has_char(font, probes[i])) {
                diag_fail(dg, NULL, "shape-font-thai-glyphs-u",
                          "font '%s' has no Thai glyphs (U+%04X is missing)", path,
                          (unsigned)probes[i]);
                goto fail;
            }
        }
    }
    font->extents =
        mem_zalloc(font->info.glyph_count ? font->info.glyph_count : 1, sizeof *font->extents);
    font->extents_known = mem_zalloc(font->info.glyph_count ? font->info.glyph_count : 1, 1);
    font->advances =
        mem_alloc((font->info.glyph_count ? font->info.glyph_count : 1) * sizeof *font->advances);
    for (size_t g = 0; g < font->info.glyph_count; g++)
        font->advances[g] = ADVANCE_UNKNOWN;
    return font;
fail:
    shape_font_free(font);
    return NULL;
}

void shape_font_free(shape_font_t *font)
{
    if (!font)
        return;
    if (font->buffer)
        hb_buffer_destroy(font->buffer);
    if (font->hb_font)
        hb_font_destroy(font->hb_font);
    if (font->hb_face)
        hb_face_destroy(font->hb_face);
    if (font->blob)
        hb_blob_destroy(font->blob);
    if (font->ft_face)
        FT_Done_Face(font->ft_face);
    if (font->ft_library)
        FT_Done_FreeType(font->ft_library);
    free(font->extents);
    free(font->extents_known);
    free(font->advances);
    memo_free(&font->words);
    free(font->postscript_name);
    free(font->data);
    free(font);
}

const shape_font_info_t *shape_font_info(const shape_font_t *font)
{
    return &font->info;
}

void shape_glyph_extents(shape_font_t *font, uint32_t gid, int *y_min, int *y_max)
{
    if (gid >= font->info.glyph_count) {
        *y_min = *y_max = 0;
        return;
    }
    if (!font->extents_known[gid]) {
        hb_glyph_extents_t e;
        int lo = 0, hi = 0;
        if (hb_font_get_glyph_extents(font->hb_font, gid, &e) && e.height != 0) {
            /* height is negative (downwards), unless the glyph's bounding box in a damaged
             * font is upside down (yMin above yMax; found by fuzz_font): read either way,
             * y_min <= y_max. */
            int a = e.y_bearing, b = e.y_bearing + e.height;
            hi = a > b ? a : b;
            lo = a > b ? b : a;
        }
        font->extents[gid][0] = lo;
        font->extents[gid][1] = hi;
        font->extents_known[gid] = 1;
    }
    *y_min = font->extents[gid][0];
    *y_max = font->extents[gid][1];
}

int32_t shape_glyph_advance(shape_font_t *font, uint32_t gid)
{
    if (gid >= font->info.glyph_count)
        return hb_font_get_glyph_h_advance(font->hb_font, gid);
    if (font->advances[gid] == ADVANCE_UNKNOWN)
        font->advances[gid] = hb_font_get_glyph_h_advance(font->hb_font, gid);
    return font->advances[gid];
}

int shape_font_has_char(const shape_font_t *font, uint32_t code_point)
{
    hb_codepoint_t gid;
    return hb_font_get_nominal_glyph(font->hb_font, code_point, &gid) && gid != 0;
}

static shape_script_t classify(hb_script_t script)
{
    switch (script) {
    case HB_SCRIPT_COMMON:
    case HB_SCRIPT_INHERITED:
    case HB_SCRIPT_UNKNOWN:
        return SHAPE_SCRIPT_COMMON;
    case HB_SCRIPT_THAI:
        return SHAPE_SCRIPT_THAI;
    case HB_SCRIPT_LATIN:
        return SHAPE_SCRIPT_LATIN;
    default:
        return SHAPE_SCRIPT_OTHER;
    }
}

size_t shape_split_runs(const char *text, size_t len, shape_run_t **runs_out)
{
    hb_unicode_funcs_t *ufuncs = hb_unicode_funcs_get_default();
    shape_run_t *runs = NULL;
    size_t count = 0, capacity = 0;
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        uint32_t cp = utf8_decode(text, len, &i);
        hb_script_t hs = hb_unicode_script(ufuncs, cp);
        shape_script_t s = classify(hs);
        if (count > 0 && (s == SHAPE_SCRIPT_COMMON ||
                          (runs[count - 1].script == s && runs[count - 1].hb_script == hs))) {
            runs[count - 1].end = i;
            continue;
        }
        if (count > 0 && runs[count - 1].script == SHAPE_SCRIPT_COMMON) {
            /* A run of only common characters takes the script of what follows it. */
            runs[count - 1].script = s;
            runs[count - 1].hb_script = hs;
            runs[count - 1].end = i;
            continue;
        }
        runs = mem_array_grow(runs, &capacity, count + 1, sizeof *runs);
        runs[count++] = (shape_run_t){start, i, s, (uint32_t)hs};
    }
    *runs_out = runs;
    return count;
}

/* Shapes text[start, end) on its own in the script and appends its glyphs to out,
 * clusters offset by base. */
static void shape_piece(shape_font_t *font, const char *text, size_t start, size_t end,
                        uint32_t script, size_t base, shape_buffer_t *out)
{
    hb_buffer_t *buf = font->buffer;
    hb_buffer_clear_contents(buf);
    hb_buffer_set_cluster_level(buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
    hb_buffer_add_utf8(buf, text + start, (int)(end - start), 0, (int)(end - start));
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_set_script(buf, (hb_script_t)script);
    hb_buffer_set_language(buf, font->language);
    hb_shape(font->hb_font, buf, NULL, 0);
    unsigned n = 0;
    const hb_glyph_info_t *infos = hb_buffer_get_glyph_infos(buf, &n);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
    out->glyphs = mem_array_grow(out->glyphs, &out->capacity, out->count + n, sizeof(glyph_t));
    for (unsigned k = 0; k < n; k++) {
        out->glyphs[out->count++] = (glyph_t){
            .gid = infos[k].codepoint,
            .cluster = (uint32_t)(infos[k].cluster + start + base),
            .x_advance = pos[k].x_advance,
            .x_offset = pos[k].x_offset,
            .y_offset = pos[k].y_offset,
        };
    }
}

/* Appends the glyphs of the word text[start, end), shaped now or before. */
static void shape_word(shape_font_t *font, const char *text, size_t start, size_t end,
                       uint32_t script, size_t base, shape_buffer_t *out)
{
    size_t len = end - start;
    word_key_t key = {text + start, len, script};
    uint64_t h = fingerprint_hash64(text + start, len) ^ script;
    const word_t *kept = memo_find(&font->words, h, same_word, &key);
    if (kept) {
        out->glyphs =
            mem_array_grow(out->glyphs, &out->capacity, out->count + kept->count, sizeof(glyph_t));
        for (size_t k = 0; k < kept->count; k++) {
            glyph_t g = kept->glyphs[k];
            g.cluster += (uint32_t)(start + base);
            out->glyphs[out->count++] = g;
        }
        return;
    }
    size_t first = out->count;
    shape_piece(font, text, start, end, script, 0, out);
    size_t count = out->count - first;
    word_t *w = mem_alloc(sizeof *w + count * sizeof w->glyphs[0] + len);
    char *copy = (char *)&w->glyphs[count];
    memcpy(copy, text + start, len);
    *w = (word_t){.len = len, .script = script, .count = count, .text = copy};
    for (size_t k = 0; k < count; k++) {
        w->glyphs[k] = out->glyphs[first + k];
        w->glyphs[k].cluster -= (uint32_t)start;
        out->glyphs[first + k].cluster += (uint32_t)base;
    }
    memo_add(&font->words, h, w);
}

/* A run, a word (and the spaces after it) at a time. */
static void shape_run(shape_font_t *font, const char *text, const shape_run_t *run, size_t base,
                      shape_buffer_t *out)
{
    uint32_t script =
        run->script == SHAPE_SCRIPT_COMMON ? (uint32_t)HB_SCRIPT_LATIN : run->hb_script;
    for (size_t start = run->start; start < run->end;) {
        size_t end = start;
        while (end < run->end && text[end] != ' ')
            end++;
        while (end < run->end && text[end] == ' ')
            end++;
        shape_word(font, text, start, end, script, base, out);
        start = end;
    }
}

void shape_text(shape_font_t *font, const char *text, size_t len, size_t base, shape_buffer_t *out)
{
    shape_run_t *runs = NULL;
    size_t n = shape_split_runs(text, len, &runs);
    for (size_t r = 0; r < n; r++)
        shape_run(font, text, &runs[r], base, out);
    free(runs);
}

void shape_buffer_free(shape_buffer_t *buffer)
{
    free(buffer->glyphs);
    buffer->glyphs = NULL;
    buffer->count = buffer->capacity = 0;
}
