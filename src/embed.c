/* embed — see embed.h. */
#include "embed.h"

#include "fingerprint.h"
#include "mem.h"
#include "sfnt.h"
#include "utf8.h"

#include <hb-subset.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct embed_source {
    hb_face_t *face; /* preprocessed for subsetting */
};

struct embed_font {
    shape_font_t *font;
    const embed_source_t *source; /* or NULL */
    const shape_font_info_t *info;
    embed_cid_t *cids; /* cids[0] is .notdef */
    size_t cid_count, cid_capacity;
    uint32_t *slots;    /* hash table of CIDs (0 = empty) */
    uint32_t *last_cid; /* per glyph id: the CID last given out for it (0: none), looked at
                         * before the hash table, since a glyph mostly stands for one text */
    size_t slot_count;
    char *pool; /* texts of the CIDs */
    size_t pool_len, pool_capacity;
};

/* The font's program as a HarfBuzz face (over the font's bytes, borrowed). */
static hb_face_t *font_face(const shape_font_info_t *info)
{
    hb_blob_t *blob = hb_blob_create((const char *)info->data, (unsigned)info->size,
                                     HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *face = hb_face_create(blob, 0);
    hb_blob_destroy(blob);
    return face;
}

embed_source_t *embed_source_new(shape_font_t *font)
{
    hb_face_t *face = font_face(shape_font_info(font));
    hb_face_t *ready = hb_subset_preprocess(face);
    hb_face_destroy(face);
    if (!ready || ready == hb_face_get_empty()) {
        hb_face_destroy(ready);
        return NULL;
    }
    embed_source_t *s = mem_zalloc(1, sizeof *s);
    s->face = ready;
    return s;
}

void embed_source_free(embed_source_t *source)
{
    if (!source)
        return;
    hb_face_destroy(source->face);
    free(source);
}

embed_font_t *embed_font_new(shape_font_t *font, const embed_source_t *source)
{
    embed_font_t *f = mem_zalloc(1, sizeof *f);
    f->font = font;
    f->source = source;
    f->info = shape_font_info(font);
    f->cids = mem_array_grow(NULL, &f->cid_capacity, 1, sizeof *f->cids);
    f->cids[0] = (embed_cid_t){0, 0, -1, 0, 0, 0, 0};
    f->cid_count = 1;
    f->last_cid = mem_zalloc(f->info->glyph_count ? f->info->glyph_count : 1, sizeof *f->last_cid);
    return f;
}

void embed_font_free(embed_font_t *f)
{
    if (!f)
        return;
    free(f->cids);
    free(f->slots);
    free(f->last_cid);
    free(f->pool);
    free(f);
}

/* ---- CIDs ---- */

static uint64_t hash_key(uint32_t gid, int32_t width, int32_t copy_advance, int32_t copy_shift,
                         const char *text, size_t len)
{
    const int32_t numbers[4] = {(int32_t)gid, width, copy_advance, copy_shift};
    return fingerprint_hash64(numbers, sizeof numbers) ^
           (fingerprint_hash64(text, len) * 0x9E3779B97F4A7C15ULL);
}

static void rehash(embed_font_t *f, size_t slot_count)
{
    free(f->slots);
    f->slots = mem_zalloc(slot_count, sizeof *f->slots);
    f->slot_count = slot_count;
    for (uint32_t cid = 1; cid < f->cid_count; cid++) {
        const embed_cid_t *e = &f->cids[cid];
        size_t s = hash_key(e->gid, e->width, e->copy_advance, e->copy_shift,
                            f->pool + e->text_start, e->text_len) &
                   (slot_count - 1);
        while (f->slots[s])
            s = (s + 1) & (slot_count - 1);
        f->slots[s] = cid;
    }
}

uint32_t embed_cid(embed_font_t *f, uint32_t gid, int32_t width, int32_t copy_advance,
                   int32_t copy_shift, const char *text, size_t len)
{
    if (f->slot_count == 0 || f->cid_count * 2 >= f->slot_count)
        rehash(f, f->slot_count ? f->slot_count * 2 : 1024);
    if (copy_advance < 0)
        copy_shift = 0;
    uint32_t *last = gid < f->info->glyph_count ? &f->last_cid[gid] : NULL;
    if (last && *last) {
        const embed_cid_t *e = &f->cids[*last];
        if (e->width == width && e->copy_advance == copy_advance && e->copy_shift == copy_shift &&
            e->text_len == len && memcmp(f->pool + e->text_start, text, len) == 0)
            return *last;
    }
    size_t s = hash_key(gid, width, copy_advance, copy_shift, text, len) & (f->slot_count - 1);
    while (f->slots[s]) {
        const embed_cid_t *e = &f->cids[f->slots[s]];
        if (e->gid == gid && e->width == width && e->copy_advance == copy_advance &&
            e->copy_shift == copy_shift && e->text_len == len &&
            memcmp(f->pool + e->text_start, text, len) == 0) {
            if (last)
                *last = f->slots[s];
            return f->slots[s];
        }
        s = (s + 1) & (f->slot_count - 1);
    }
    if (f->cid_count > 0xFFFE)
        return 0;
    f->pool = mem_array_grow(f->pool, &f->pool_capacity, f->pool_len + len + 1, 1);
    memcpy(f->pool + f->pool_len, text, len);
    f->cids = mem_array_grow(f->cids, &f->cid_capacity, f->cid_count + 1, sizeof *f->cids);
    uint32_t cid = (uint32_t)f->cid_count++;
    f->cids[cid] = (embed_cid_t){gid, width, copy_advance, copy_shift, gid, f->pool_len, len};
    f->pool_len += len;
    f->slots[s] = cid;
    if (last)
        *last = cid;
    return cid;
}

int32_t embed_copy_advance(const embed_font_t *f, uint32_t gid, double needed)
{
    double units = f->info->units_per_em;
    int32_t own = shape_glyph_advance(f->font, gid);
    if (fabs(needed - own) <= EMBED_COPY_THRESHOLD_EM * units)
        return -1;
    double quantum = EMBED_COPY_QUANTUM_EM * units;
    double advance = round(needed / quantum) * quantum;
    if (advance < 0)
        advance = 0;
    if (advance > 65535)
        advance = 65535;
    return (int32_t)advance == own ? -1 : (int32_t)advance;
}

/* ---- the program ---- */

/* Subsets the font to the glyphs used (ids retained, layout tables dropped). Returns a
 * blob the caller destroys, or NULL. */
static hb_blob_t *subset_font(const embed_font_t *f)
{
    hb_face_t *face = f->source ? hb_face_reference(f->source->face) : font_face(f->info);
    hb_subset_input_t *input = hb_subset_input_create_or_fail();
    if (!input) {
        hb_face_destroy(face);
        return NULL;
    }
    hb_set_t *glyphs = hb_subset_input_glyph_set(input);
    hb_set_add(glyphs, 0);
    for (size_t c = 1; c < f->cid_count; c++)
        hb_set_add(glyphs, f->cids[c].gid);
    hb_set_t *drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    static const char *const dropped[] = {"GSUB", "GPOS", "GDEF", "kern", "DSIG",
                                          "BASE", "JSTF", "MATH", "morx", "STAT"};
    for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++)
        hb_set_add(drop, hb_tag_from_string(dropped[i], 4));
    hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_RETAIN_GIDS);
    hb_face_t *subset = hb_subset_or_fail(face, input);
    hb_subset_input_destroy(input);
    hb_face_destroy(face);
    if (!subset)
        return NULL;
    hb_blob_t *result = hb_face_reference_blob(subset);
    hb_face_destroy(subset);
    return result;
}

/* Appends to the subset program one copy per distinct (glyph, advance) that CIDs draw
 * through, and points those CIDs at their copies. *program stays NULL when no copy is
 * needed. Returns 0 or -1. */
static int append_copies(embed_font_t *f, const unsigned char *subset, size_t len,
                         unsigned char **program, size_t *program_len)
{
    sfnt_copy_t *copies = NULL;
    size_t count = 0, capacity = 0;
    uint32_t *index = mem_alloc(f->cid_count * sizeof *index);
    for (size_t c = 1; c < f->cid_count; c++) {
        const embed_cid_t *e = &f->cids[c];
        if (e->copy_advance < 0)
            continue;
        size_t k = 0;
        while (k < count && !(copies[k].source == e->gid && copies[k].advance == e->copy_advance &&
                              copies[k].shift == e->copy_shift))
            k++;
        if (k == count) {
            copies = mem_array_grow(copies, &capacity, count + 1, sizeof *copies);
            copies[count++] =
                (sfnt_copy_t){(uint16_t)e->gid, (uint16_t)e->copy_advance, (int16_t)e->copy_shift};
        }
        index[c] = (uint32_t)k;
    }
    int rc = 0;
    if (count) {
        uint16_t first = 0;
        rc = sfnt_append_copies(subset, len, copies, count, program, program_len, &first);
        for (size_t c = 1; rc == 0 && c < f->cid_count; c++)
            if (f->cids[c].copy_advance >= 0)
                f->cids[c].drawn_gid = first + index[c];
    }
    free(copies);
    free(index);
    return rc;
}

/* A subset tag of six capitals derived from the glyphs used: deterministic. */
static void subset_tag(const embed_font_t *f, char tag[7])
{
    uint32_t *gids = mem_alloc((f->cid_count + 1) * sizeof *gids);
    for (size_t c = 1; c < f->cid_count; c++)
        gids[c - 1] = f->cids[c].gid;
    uint64_t h = fingerprint_hash64(gids, (f->cid_count - 1) * sizeof *gids);
    free(gids);
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = '\0';
}

static void put(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    *buf = mem_array_grow(*buf, cap, *len + n + 1, 1);
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

/* Four hex digits of a 16-bit unit at out (no NUL): what snprintf's "%04X" gave, without
 * its cost (this runs for every CID and every ActualText character). */
static void hex4(char *out, unsigned v)
{
    static const char digits[] = "0123456789ABCDEF";
    out[0] = digits[(v >> 12) & 15];
    out[1] = digits[(v >> 8) & 15];
    out[2] = digits[(v >> 4) & 15];
    out[3] = digits[v & 15];
}

/* Appends text as UTF-16BE hex between < and > to a growable buffer (*buf of *cap bytes,
 * *len used): the form ToUnicode takes. */
static void put_utf16_hex(char **buf, size_t *len, size_t *cap, const char *text, size_t size)
{
    put(buf, len, cap, "<");
    /* At most 8 digits per UTF-8 byte sequence of at least 1 byte, then ">" and a NUL. */
    *buf = mem_array_grow(*buf, cap, *len + 8 * size + 2, 1);
    char *out = *buf + *len;
    for (size_t pos = 0; pos < size;) {
        uint32_t cp = utf8_decode(text, size, &pos);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            hex4(out, 0xD800 + (cp >> 10));
            hex4(out + 4, 0xDC00 + (cp & 0x3FF));
            out += 8;
        } else {
            hex4(out, cp);
            out += 4;
        }
    }
    *out++ = '>';
    *out = '\0';
    *len = (size_t)(out - *buf);
}

/* The ToUnicode CMap: each CID to the text it stands for, in blocks of 100. */
static char *tounicode(const embed_font_t *f, size_t *size)
{
    char *b = NULL;
    size_t len = 0, cap = 0;
    put(&b, &len, &cap,
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    size_t c = 1;
    while (c < f->cid_count) {
        size_t block_end = c, n = 0;
        while (block_end < f->cid_count && n < 100) {
            if (f->cids[block_end].text_len)
                n++;
            block_end++;
        }
        if (n) {
            char line[32];
            snprintf(line, sizeof line, "%zu beginbfchar\n", n);
            put(&b, &len, &cap, line);
            for (; c < block_end; c++) {
                const embed_cid_t *e = &f->cids[c];
                if (!e->text_len)
                    continue;
                line[0] = '<';
                hex4(line + 1, (unsigned)c);
                memcpy(line + 5, "> ", 3);
                put(&b, &len, &cap, line);
                put_utf16_hex(&b, &len, &cap, f->pool + e->text_start, e->text_len);
                put(&b, &len, &cap, "\n");
            }
            put(&b, &len, &cap, "endbfchar\n");
        }
        c = block_end;
    }
    put(&b, &len, &cap, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    *size = len;
    return b;
}

int embed_font_finish(diag_t *dg, embed_font_t *f, embed_program_t *out)
{
    memset(out, 0, sizeof *out);
    const shape_font_info_t *info = f->info;
    hb_blob_t *subset = subset_font(f);
    if (!subset) {
        diag_fail(dg, NULL, "pdf-cannot-subset-font", "cannot subset font '%s'",
                  info->postscript_name);
        return -1;
    }
    unsigned subset_len = 0;
    const char *subset_data = hb_blob_get_data(subset, &subset_len);
    unsigned char *program = NULL;
    size_t program_len = 0;
    if (append_copies(f, (const unsigned char *)subset_data, subset_len, &program, &program_len) !=
        0) {
        hb_blob_destroy(subset);
        diag_fail(dg, NULL, "pdf-cannot-add-glyph-copies", "cannot add glyph copies to font '%s'",
                  info->postscript_name);
        return -1;
    }
    if (!program) { /* no copies: the subset as it is */
        program = mem_alloc(subset_len);
        memcpy(program, subset_data, subset_len);
        program_len = subset_len;
    }
    hb_blob_destroy(subset);
    out->program = program;
    out->program_size = program_len;

    char tag[7];
    subset_tag(f, tag);
    snprintf(out->base_name, sizeof out->base_name, "%s+%s", tag, info->postscript_name);

    out->cid_to_gid = mem_alloc(f->cid_count * 2);
    for (size_t c = 0; c < f->cid_count; c++) {
        out->cid_to_gid[2 * c] = (unsigned char)(f->cids[c].drawn_gid >> 8);
        out->cid_to_gid[2 * c + 1] = (unsigned char)(f->cids[c].drawn_gid & 0xFF);
    }
    out->cid_to_gid_size = f->cid_count * 2;

    double scale = 1000.0 / info->units_per_em;
    out->width_count = f->cid_count - 1;
    out->widths = mem_zalloc(f->cid_count, sizeof *out->widths);
    for (size_t c = 1; c < f->cid_count; c++)
        out->widths[c - 1] = f->cids[c].width * scale;

    out->tounicode = tounicode(f, &out->tounicode_size);
    return 0;
}

void embed_program_free(embed_program_t *p)
{
    free(p->program);
    free(p->cid_to_gid);
    free(p->widths);
    free(p->tounicode);
    memset(p, 0, sizeof *p);
}
