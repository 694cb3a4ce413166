/* pdf — see pdf.h. */
#include "pdf.h"

#include "diag.h"
#include "embed.h"
#include "flate.h"
#include "image.h"
#include "mem.h"
#include "textmap.h"
#include "utf8.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A font as used in this document. */
typedef struct pdf_font {
    shape_font_t *font;
    const shape_font_info_t *info;
    HPDF_Dict type0; /* created on first use */
    char resource_name[32];
    embed_font_t *embed;          /* its CIDs and, at the end, its program (embed.h) */
    const embed_source_t *source; /* the caller's, or NULL */
} pdf_font_t;

typedef struct pdf_image {
    const image_t *source;
    HPDF_Image xobject;
} pdf_image_t;

typedef struct pdf_writer {
    diag_t *dg;
    HPDF_Doc doc;
    HPDF_STATUS error; /* first libharu error, 0 when none */
    HPDF_STATUS error_detail;
    int failed; /* an error has been reported */
    pdf_font_t *fonts;
    size_t font_count;
    unsigned char *font_on_page;
    flate_t *flate;      /* compresses every stream */
    pdf_image_t *images; /* images embedded so far */
    size_t image_count, image_capacity;
    char *scratch; /* content text being built for one item */
    size_t scratch_len, scratch_capacity;
    /* The text state and fill colour the page's content has set outside q/Q (they carry
     * from one BT/ET to the next): Tf and rg are written only when they change. */
    int text_font; /* -1: none set on this page */
    double text_size;
    dl_color_t fill;
    int fill_set;
    /* Per glyph of the text item being drawn, reused (glyph_capacity each). */
    textmap_piece_t *pieces;
    double *origin;
    int32_t *copy, *moved;
    size_t glyph_capacity;
} pdf_writer_t;

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    pdf_writer_t *w = user_data;
    if (!w->error) {
        w->error = error_no;
        w->error_detail = detail_no;
    }
}

/* Reports a captured libharu error once; returns nonzero when there was one. */
static int check_hpdf(pdf_writer_t *w, const char *step)
{
    if (!w->error || w->failed)
        return w->failed;
    w->failed = 1;
    const char *what = "internal error";
    switch (w->error) {
    case HPDF_FAILD_TO_ALLOC_MEM:
        what = "out of memory";
        break;
    case HPDF_FILE_IO_ERROR:
        what = "file input/output error";
        break;
    case HPDF_INVALID_PAGE:
    case HPDF_PAGE_INVALID_SIZE:
        what = "invalid page";
        break;
    case HPDF_STREAM_EOF:
        what = "unexpected end of stream";
        break;
    default:
        break;
    }
    diag_fail(w->dg, NULL, "pdf-writer-failed",
              "PDF writer failed while %s: %s (libharu error 0x%04X, detail %u)", step, what,
              (unsigned)w->error, (unsigned)w->error_detail);
    return 1;
}

/* ---- content text ---- */

static void put(pdf_writer_t *w, const char *s, size_t n)
{
    if (w->scratch_len + n + 1 > w->scratch_capacity)
        w->scratch = mem_array_grow(w->scratch, &w->scratch_capacity, w->scratch_len + n + 1, 1);
    memcpy(w->scratch + w->scratch_len, s, n);
    w->scratch_len += n;
}

static void puts_(pdf_writer_t *w, const char *s)
{
    put(w, s, strlen(s));
}

/* put of a string literal, its length known when compiling. */
#define PUT_LITERAL(w, literal) put((w), "" literal, sizeof(literal) - 1)

/* A number with at most three decimals, no trailing zeros, no "-0" (hand-formatted: this
 * is the writer's hottest path). */
static void put_number(pdf_writer_t *w, double v)
{
    char buf[48];
    char *end = buf + sizeof buf, *p = end;
    long long milli = llround(v * 1000.0);
    if (milli == 0) {
        put(w, "0", 1);
        return;
    }
    unsigned long long a = (unsigned long long)(milli < 0 ? -milli : milli);
    unsigned frac = (unsigned)(a % 1000);
    unsigned long long whole = a / 1000;
    int digits = 3;
    while (digits > 0 && frac % 10 == 0) {
        frac /= 10;
        digits--;
    }
    if (digits > 0) {
        for (int i = 0; i < digits; i++) {
            *--p = (char)('0' + frac % 10);
            frac /= 10;
        }
        *--p = '.';
    }
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    if (milli < 0)
        *--p = '-';
    put(w, p, (size_t)(end - p));
}

static void put_numbers(pdf_writer_t *w, const double *v, size_t n, const char *op)
{
    for (size_t i = 0; i < n; i++) {
        put_number(w, v[i]);
        PUT_LITERAL(w, " ");
    }
    puts_(w, op);
    PUT_LITERAL(w, "\n");
}

/* Writes a byte of a literal string at out and returns the end: raw, but for the three
 * that must be escaped and CR (which a reader would turn into LF); at most 2 bytes. */
static char *literal_byte(char *out, unsigned char b)
{
    if (b == '(' || b == ')' || b == '\\') {
        *out++ = '\\';
    } else if (b == '\r') {
        *out++ = '\\';
        b = 'r';
    }
    *out++ = (char)b;
    return out;
}

/* Appends text as a literal string of UTF-16BE with a byte-order mark, as ActualText
 * takes it (binary: half the size of the hex form). */
static void put_utf16_literal(pdf_writer_t *w, const char *text, size_t len)
{
    /* At most 8 bytes (a surrogate pair, escaped) per UTF-8 sequence, BOM, brackets, NUL. */
    w->scratch = mem_array_grow(w->scratch, &w->scratch_capacity, w->scratch_len + 8 * len + 5, 1);
    char *out = w->scratch + w->scratch_len;
    *out++ = '(';
    *out++ = (char)0xFE;
    *out++ = (char)0xFF;
    for (size_t pos = 0; pos < len;) {
        uint32_t cp = utf8_decode(text, len, &pos);
        unsigned units[2] = {cp, 0};
        size_t count = 1;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            count = 2;
        }
        for (size_t u = 0; u < count; u++) {
            out = literal_byte(out, (unsigned char)(units[u] >> 8));
            out = literal_byte(out, (unsigned char)units[u]);
        }
    }
    *out++ = ')';
    w->scratch_len = (size_t)(out - w->scratch);
}

static void stream_set_data(pdf_writer_t *w, HPDF_Dict dict, const void *data, size_t len);

/* Writes the page's content, built in scratch, deflated into its content stream. */
static void flush_page(pdf_writer_t *w, HPDF_Page page)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    stream_set_data(w, attr->contents, w->scratch, w->scratch_len);
    w->scratch_len = 0;
}

/* libdeflate's level for every stream. Measured with callgrind over 5 seed reports (the
 * compressor's instructions per report, and the seed PDF's size): zlib's compress2 at level
 * 3 (what this replaced) 17.6 M, 95,060 bytes; one reused zlib stream at level 3 17.5 M,
 * the same bytes; libdeflate at level 1 8.9 M, 93,634 bytes; at 3 15.3 M, 90,780 bytes;
 * at 6 20.6 M, 86,489 bytes. Level 1 is libdeflate's fastest path and smaller than zlib's
 * output for every report sample (0.4-1.5 %); `itareport text`'s long plain pages of
 * tests/data/bench-thai.txt come out larger (45,050 -> 48,465 bytes aligned left, 62,427 ->
 * 62,582 thai-distributed; level 3 would give 43,639 and 59,757). */
#ifndef PDF_DEFLATE_LEVEL
#define PDF_DEFLATE_LEVEL 1
#endif

/* ---- streams ---- */

/* libharu drops a /Filter entry from a stream it did not filter itself, but calls a
 * dictionary's write_fn just before ">>": that is where data deflated here declares
 * its filter. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* A stream object's bytes, held by the writer in one block that libharu reads back when
 * it saves (its own memory stream copies every byte in and out in a loop of its own). */
typedef struct held_bytes {
    unsigned char *data;
    size_t size, pos;
} held_bytes_t;

static HPDF_STATUS held_read(HPDF_Stream stream, HPDF_BYTE *ptr, HPDF_UINT *size)
{
    held_bytes_t *h = stream->attr;
    size_t n = h->size - h->pos < *size ? h->size - h->pos : *size;
    memcpy(ptr, h->data + h->pos, n);
    h->pos += n;
    *size = (HPDF_UINT)n;
    return h->pos >= h->size ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS held_seek(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode)
{
    held_bytes_t *h = stream->attr;
    if (mode != HPDF_SEEK_SET || pos < 0 || (size_t)pos > h->size)
        return HPDF_SetError(stream->error, HPDF_STREAM_EOF, 0);
    h->pos = (size_t)pos;
    return HPDF_OK;
}

static HPDF_UINT32 held_size(HPDF_Stream stream)
{
    return (HPDF_UINT32)((held_bytes_t *)stream->attr)->size;
}

static void held_free(HPDF_Stream stream)
{
    held_bytes_t *h = stream->attr;
    free(h->data);
    free(h);
}

/* Makes a copy of len bytes the data of the stream object dict. 0, or -1 (libharu's error
 * recorded) when libharu is out of memory. */
static int hold_bytes(pdf_writer_t *w, HPDF_Dict dict, const void *data, size_t len)
{
    HPDF_Stream stream = HPDF_GetMem(w->doc->mmgr, sizeof *stream);
    if (!stream)
        return -1;
    memset(stream, 0, sizeof *stream);
    held_bytes_t *h = mem_alloc(sizeof *h);
    h->data = mem_alloc(len ? len : 1);
    memcpy(h->data, data, len);
    h->size = len;
    h->pos = 0;
    stream->sig_bytes = HPDF_STREAM_SIG_BYTES;
    stream->type = HPDF_STREAM_CALLBACK;
    stream->mmgr = w->doc->mmgr;
    stream->error = w->doc->mmgr->error;
    stream->read_fn = held_read;
    stream->seek_fn = held_seek;
    stream->size_fn = held_size;
    stream->free_fn = held_free;
    stream->attr = h;
    HPDF_Stream_Free(dict->stream);
    dict->stream = stream;
    return 0;
}

/* Makes data the stream object's, deflated in one call at PDF_DEFLATE_LEVEL (libharu
 * would deflate every write on its own, at its level), or as it is when deflating does
 * not make it smaller. */
static void stream_set_data(pdf_writer_t *w, HPDF_Dict dict, const void *data, size_t len)
{
    const unsigned char *deflated = NULL;
    size_t size = flate_compress(w->flate, data, len, &deflated);
    if (size == 0) {
        hold_bytes(w, dict, data, len);
        return;
    }
    dict->filter = HPDF_STREAM_FILTER_NONE;
    dict->write_fn = write_flate_filter;
    hold_bytes(w, dict, deflated, size);
}

/* ---- fonts ---- */

static HPDF_Dict new_dict(pdf_writer_t *w)
{
    HPDF_Dict dict = HPDF_Dict_New(w->doc->mmgr);
    if (dict)
        HPDF_Xref_Add(w->doc->xref, dict);
    return dict;
}

static HPDF_Dict new_stream(pdf_writer_t *w, const void *data, size_t len)
{
    HPDF_Dict dict = HPDF_DictStream_New(w->doc->mmgr, w->doc->xref);
    if (!dict)
        return NULL;
    if (data)
        stream_set_data(w, dict, data, len);
    return dict;
}

/* Makes the font's Type0 dictionary (filled in by finish_font) on first use. */
static HPDF_Dict font_dict(pdf_writer_t *w, size_t index)
{
    pdf_font_t *f = &w->fonts[index];
    if (!f->type0) {
        f->type0 = new_dict(w);
        snprintf(f->resource_name, sizeof f->resource_name, "F%zu", index + 1);
        f->embed = embed_font_new(f->font, f->source);
    }
    return f->type0;
}

/* Adds the font to the current page's /Resources /Font once. */
static void use_font_on_page(pdf_writer_t *w, HPDF_Page page, size_t index)
{
    HPDF_Dict type0 = font_dict(w, index);
    if (w->font_on_page[index])
        return;
    w->font_on_page[index] = 1;
    HPDF_Dict resources = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
    if (!resources)
        return;
    HPDF_Dict fonts = HPDF_Dict_GetItem(resources, "Font", HPDF_OCLASS_DICT);
    if (!fonts) {
        fonts = HPDF_Dict_New(w->doc->mmgr);
        HPDF_Dict_Add(resources, "Font", fonts);
    }
    HPDF_Dict_Add(fonts, w->fonts[index].resource_name, type0);
}

/* Fills the Type0, CIDFont and descriptor dictionaries and embeds the subset (embed.h). */
static int finish_font(pdf_writer_t *w, pdf_font_t *f)
{
    HPDF_MMgr mmgr = w->doc->mmgr;
    const shape_font_info_t *info = f->info;
    double scale = 1000.0 / info->units_per_em;
    embed_program_t ep;
    if (embed_font_finish(w->dg, f->embed, &ep) != 0)
        return -1;
    HPDF_Dict file = new_stream(w, ep.program, ep.program_size);
    if (!file) {
        embed_program_free(&ep);
        return -1;
    }
    HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT)ep.program_size);
    char base_name[sizeof ep.base_name];
    memcpy(base_name, ep.base_name, sizeof base_name);

    HPDF_Dict descriptor = new_dict(w);
    HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor");
    HPDF_Dict_AddName(descriptor, "FontName", base_name);
    HPDF_Dict_AddNumber(descriptor, "Flags", 4 | (info->is_italic ? 64 : 0));
    HPDF_Array bbox = HPDF_Array_New(mmgr);
    for (int i = 0; i < 4; i++)
        HPDF_Array_AddNumber(bbox, (HPDF_INT32)lround(info->bbox[i] * scale));
    HPDF_Dict_Add(descriptor, "FontBBox", bbox);
    HPDF_Dict_AddReal(descriptor, "ItalicAngle", (HPDF_REAL)info->italic_angle);
    HPDF_Dict_AddNumber(descriptor, "Ascent", (HPDF_INT32)lround(info->ascender * scale));
    HPDF_Dict_AddNumber(descriptor, "Descent", (HPDF_INT32)lround(info->descender * scale));
    HPDF_Dict_AddNumber(descriptor, "CapHeight", (HPDF_INT32)lround(info->cap_height * scale));
    HPDF_Dict_AddNumber(descriptor, "StemV", info->is_bold ? 140 : 80);
    HPDF_Dict_Add(descriptor, "FontFile2", file);

    /* CIDToGIDMap: two bytes per CID; W: one run of widths from CID 1. */
    HPDF_Dict cid_to_gid = new_stream(w, ep.cid_to_gid, ep.cid_to_gid_size);
    HPDF_Array widths = HPDF_Array_New(mmgr);
    HPDF_Array run = HPDF_Array_New(mmgr);
    for (size_t c = 0; c < ep.width_count; c++) {
        /* a whole number as such: libharu writes both alike, an integer faster */
        double v = ep.widths[c];
        if (v == floor(v) && fabs(v) < 1e9)
            HPDF_Array_AddNumber(run, (HPDF_INT32)v);
        else
            HPDF_Array_AddReal(run, (HPDF_REAL)v);
    }
    if (ep.width_count) {
        HPDF_Array_AddNumber(widths, 1);
        HPDF_Array_Add(widths, run);
    } else {
        HPDF_Array_Free(run);
    }

    HPDF_Dict cidfont = new_dict(w);
    HPDF_Dict_AddName(cidfont, "Type", "Font");
    HPDF_Dict_AddName(cidfont, "Subtype", "CIDFontType2");
    HPDF_Dict_AddName(cidfont, "BaseFont", base_name);
    HPDF_Dict system_info = HPDF_Dict_New(mmgr);
    HPDF_Dict_Add(system_info, "Registry", HPDF_String_New(mmgr, "Adobe", NULL));
    HPDF_Dict_Add(system_info, "Ordering", HPDF_String_New(mmgr, "Identity", NULL));
    HPDF_Dict_AddNumber(system_info, "Supplement", 0);
    HPDF_Dict_Add(cidfont, "CIDSystemInfo", system_info);
    HPDF_Dict_Add(cidfont, "FontDescriptor", descriptor);
    HPDF_Dict_AddNumber(cidfont, "DW", 0);
    HPDF_Dict_Add(cidfont, "W", widths);
    HPDF_Dict_Add(cidfont, "CIDToGIDMap", cid_to_gid);

    HPDF_Dict tounicode = new_stream(w, ep.tounicode, ep.tounicode_size);
    embed_program_free(&ep);

    HPDF_Dict_AddName(f->type0, "Type", "Font");
    HPDF_Dict_AddName(f->type0, "Subtype", "Type0");
    HPDF_Dict_AddName(f->type0, "BaseFont", base_name);
    HPDF_Dict_AddName(f->type0, "Encoding", "Identity-H");
    HPDF_Array descendants = HPDF_Array_New(mmgr);
    HPDF_Array_Add(descendants, cidfont);
    HPDF_Dict_Add(f->type0, "DescendantFonts", descendants);
    HPDF_Dict_Add(f->type0, "ToUnicode", tounicode);
    return check_hpdf(w, "embedding a font") ? -1 : 0;
}

/* ---- items ---- */

/* Draws an image, embedding it once per document however often it is drawn. */
static int draw_image(pdf_writer_t *w, HPDF_Page page, const dl_image_t *item)
{
    const image_t *img = item->image;
    HPDF_Image xobject = NULL;
    for (size_t i = 0; i < w->image_count; i++)
        if (w->images[i].source == img)
            xobject = w->images[i].xobject;
    if (!xobject) {
        if (img->kind == IMAGE_JPEG)
            xobject = HPDF_LoadJpegImageFromMem(w->doc, img->data, (HPDF_UINT)img->size);
        else
            xobject = HPDF_LoadRawImageFromMem(w->doc, img->data, img->width, img->height,
                                               HPDF_CS_DEVICE_RGB, 8);
        if (!xobject || check_hpdf(w, "embedding an image"))
            return -1;
        if (img->kind == IMAGE_RGB) /* deflated here, as every other stream, not by zlib */
            stream_set_data(w, (HPDF_Dict)xobject, img->data, img->size);
        w->images =
            mem_array_grow(w->images, &w->image_capacity, w->image_count + 1, sizeof *w->images);
        w->images[w->image_count++] = (pdf_image_t){img, xobject};
    }
    const char *name = HPDF_Page_GetXObjectName(page, xobject);
    if (!name || check_hpdf(w, "drawing an image"))
        return -1;
    PUT_LITERAL(w, "q\n");
    double m[6] = {item->width, 0, 0, item->height, item->x, item->y};
    put_numbers(w, m, 6, "cm");
    PUT_LITERAL(w, "/");
    puts_(w, name);
    PUT_LITERAL(w, " Do\nQ\n");
    return 0;
}

static void put_color(pdf_writer_t *w, dl_color_t c, const char *op)
{
    double v[3] = {c.r, c.g, c.b};
    put_numbers(w, v, 3, op);
}

/* Appends a CID as a literal string of two bytes (binary: half the size of <hex>); when
 * the last thing written is the string of the CID before (*cid_end is where it ends), the
 * CID joins that string. */
static void put_cid(pdf_writer_t *w, uint32_t cid, size_t *cid_end)
{
    w->scratch = mem_array_grow(w->scratch, &w->scratch_capacity, w->scratch_len + 7, 1);
    char *out = w->scratch + w->scratch_len;
    if (*cid_end == w->scratch_len)
        out--; /* the ')' */
    else
        *out++ = '(';
    out = literal_byte(out, (unsigned char)(cid >> 8));
    out = literal_byte(out, (unsigned char)cid);
    *out++ = ')';
    w->scratch_len = (size_t)(out - w->scratch);
    *cid_end = w->scratch_len;
}

/* How far SARA AM's NIKHAHIT may be moved onto the SARA AA (see textmap.h); a glyph
 * farther from the glyph it repeats, up to REPEAT_REACH_EM (Laksaman draws ป้ำ as ป, NIKHAHIT
 * and tone 0.18 em left, then SARA AA), is drawn there through a copy whose outline is
 * shifted back to where it belongs. */
#define REPEAT_SHIFT_EM 0.015
#define REPEAT_REACH_EM 0.5

/* Draws a text item: TJ arrays of CIDs with position adjustments, text rise for
 * vertical offsets, ActualText spans where the glyphs cannot carry the text. */
static int draw_text(pdf_writer_t *w, HPDF_Page page, const dl_text_t *t)
{
    if ((size_t)t->font >= w->font_count) {
        diag_fail(w->dg, NULL, "pdf-internal-error-text-item",
                  "internal error: text item uses font %d of %zu", t->font, w->font_count);
        return -1;
    }
    pdf_font_t *f = &w->fonts[t->font];
    use_font_on_page(w, page, (size_t)t->font);
    double units = f->info->units_per_em;
    double to_text = 1000.0 / units; /* font units -> thousandths of text space */
    size_t n = t->glyph_count;

    if (n + 1 > w->glyph_capacity) {
        size_t capacity = w->glyph_capacity;
        w->pieces = mem_array_grow(w->pieces, &capacity, n + 1, sizeof *w->pieces);
        w->origin = mem_realloc(w->origin, capacity * sizeof *w->origin);
        w->copy = mem_realloc(w->copy, capacity * sizeof *w->copy);
        w->moved = mem_realloc(w->moved, capacity * sizeof *w->moved);
        w->glyph_capacity = capacity;
    }
    textmap_piece_t *pieces = w->pieces;
    textmap_span_t *spans = NULL;
    size_t span_count = textmap_assign(t->glyphs, n, t->text, t->text_len,
                                       (int32_t)(REPEAT_REACH_EM * units), pieces, &spans);
    size_t next_span = 0;

    /* Where each glyph is drawn and which advance MuPDF must see (the glyph's own: -1). */
    double *origin = w->origin;
    int32_t *copy = w->copy;
    int32_t *moved = w->moved; /* a copy's outline moved back */
    memset(moved, 0, n * sizeof *moved);
    double pen = 0;
    for (size_t g = 0; g < n; g++) {
        origin[g] = pen + t->glyphs[g].x_offset;
        pen += t->glyphs[g].x_advance;
        copy[g] = embed_copy_advance(f->embed, t->glyphs[g].gid, pen - origin[g]);
    }
    for (size_t g = n; g-- > 0;) {
        if (!pieces[g].align_to_next || g + 1 >= n)
            continue;
        /* Drawn at the repeat's origin with the repeat's advance: the same end point. */
        double distance = origin[g] - origin[g + 1];
        if (fabs(distance) > REPEAT_SHIFT_EM * units)
            moved[g] = (int32_t)lround(distance);
        origin[g] = origin[g + 1];
        int32_t next =
            copy[g + 1] >= 0 ? copy[g + 1] : shape_glyph_advance(f->font, t->glyphs[g + 1].gid);
        copy[g] = next == shape_glyph_advance(f->font, t->glyphs[g].gid) && !moved[g] ? -1 : next;
    }

    PUT_LITERAL(w, "BT\n");
    if (w->text_font != t->font || w->text_size != t->size) {
        PUT_LITERAL(w, "/");
        puts_(w, f->resource_name);
        PUT_LITERAL(w, " ");
        put_number(w, t->size);
        PUT_LITERAL(w, " Tf\n");
        w->text_font = t->font;
        w->text_size = t->size;
    }
    if (!w->fill_set || memcmp(&w->fill, &t->color, sizeof w->fill) != 0) {
        put_color(w, t->color, "rg");
        w->fill = t->color;
        w->fill_set = 1;
    }
    double at[2] = {t->x, t->y}; /* BT starts at the identity: Td places the line */
    put_numbers(w, at, 2, "Td");

    double position = 0; /* where the PDF's text position is, font units */
    pen = 0;             /* the logical pen, font units */
    int32_t rise = 0;
    int in_array = 0, in_span = 0;
    size_t span_end = 0;
    size_t cid_end = SIZE_MAX; /* where the last CID's hex string ends (put_cid) */
    int failed = 0;
    for (size_t g = 0; g < n; g++) {
        const glyph_t *gl = &t->glyphs[g];
        int starts_span = next_span < span_count && spans[next_span].first == g;
        if ((starts_span || gl->y_offset != rise) && in_array) {
            PUT_LITERAL(w, "] TJ\n");
            in_array = 0;
        }
        if (starts_span) {
            PUT_LITERAL(w, "/Span <</ActualText ");
            put_utf16_literal(w, t->text + spans[next_span].text_start,
                              spans[next_span].text_length);
            PUT_LITERAL(w, ">> BDC\n");
            in_span = 1;
            span_end = spans[next_span].first + spans[next_span].count;
            next_span++;
        }
        if (gl->y_offset != rise) {
            rise = gl->y_offset;
            double r = rise * t->size / units;
            put_numbers(w, &r, 1, "Ts");
        }
        int ends_span = in_span && g + 1 == span_end;
        double pen_after = pen + gl->x_advance;
        /* The span must end at the pen: poppler places the ActualText over the glyphs
         * and would read a gap after a left-shifted mark as a space. */
        double spacing = ends_span ? pen_after - (origin[g] + gl->x_advance) : 0;
        if (fabs(spacing) > 1e-9) {
            if (in_array)
                PUT_LITERAL(w, "] TJ\n");
            double tc = spacing * t->size / units;
            put_numbers(w, &tc, 1, "Tc");
            in_array = 0;
        }
        if (!in_array) {
            PUT_LITERAL(w, "[");
            in_array = 1;
        }
        double shift = origin[g] - position;
        if (fabs(shift) > 1e-9)
            put_number(w, -shift * to_text);
        uint32_t cid = embed_cid(f->embed, gl->gid, gl->x_advance, copy[g], moved[g],
                                 t->text + pieces[g].start, pieces[g].length);
        if (cid == 0) {
            diag_fail(w->dg, NULL, "pdf-font-needs-more-distinct",
                      "font '%s' needs more than 65535 distinct glyph forms in one document",
                      f->info->postscript_name);
            failed = 1;
            break;
        }
        put_cid(w, cid, &cid_end);
        position = origin[g] + gl->x_advance;
        pen = pen_after;
        if (fabs(spacing) > 1e-9) {
            PUT_LITERAL(w, "] TJ\n0 Tc\n");
            in_array = 0;
            position = pen;
        }
        if (ends_span) {
            if (in_array)
                PUT_LITERAL(w, "] TJ\n");
            PUT_LITERAL(w, "EMC\n");
            in_array = 0;
            in_span = 0;
        }
    }
    if (in_array)
        PUT_LITERAL(w, "] TJ\n");
    if (in_span)
        PUT_LITERAL(w, "EMC\n");
    if (rise != 0)
        PUT_LITERAL(w, "0 Ts\n");
    PUT_LITERAL(w, "ET\n");
    free(spans);
    return failed ? -1 : 0;
}

static void draw_rect(pdf_writer_t *w, const dl_rect_t *r)
{
    PUT_LITERAL(w, "q\n");
    if (r->fill)
        put_color(w, r->fill_color, "rg");
    if (r->stroke) {
        put_color(w, r->stroke_color, "RG");
        put_numbers(w, &r->line_width, 1, "w");
    }
    double v[4] = {r->x, r->y, r->width, r->height};
    put_numbers(w, v, 4, "re");
    puts_(w, r->fill && r->stroke ? "B\n" : r->fill ? "f\n" : r->stroke ? "S\n" : "n\n");
    PUT_LITERAL(w, "Q\n");
}

static void draw_line(pdf_writer_t *w, const dl_line_t *l)
{
    PUT_LITERAL(w, "q\n");
    put_color(w, l->color, "RG");
    put_numbers(w, &l->width, 1, "w");
    double a[2] = {l->x1, l->y1}, b[2] = {l->x2, l->y2};
    put_numbers(w, a, 2, "m");
    put_numbers(w, b, 2, "l");
    PUT_LITERAL(w, "S\nQ\n");
}

/* A UTF-8 text as a PDF text string object (UTF-16BE with a byte-order mark). */
static HPDF_Binary text_string(pdf_writer_t *w, const char *value)
{
    size_t len = strlen(value);
    unsigned char *bytes = mem_alloc(4 * len + 2);
    size_t n = 0;
    bytes[n++] = 0xFE;
    bytes[n++] = 0xFF;
    for (size_t pos = 0; pos < len;) {
        uint32_t cp = utf8_decode(value, len, &pos);
        uint32_t units[2] = {cp, 0};
        size_t count = 1;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            count = 2;
        }
        /* libharu refuses strings over HPDF_LIMIT_MAX_STRING_LEN bytes (and says so only
         * later, as an invalid document): a longer text is cut at a whole character. */
        if (n + 2 * count > HPDF_LIMIT_MAX_STRING_LEN)
            break;
        for (size_t k = 0; k < count; k++) {
            bytes[n++] = (unsigned char)(units[k] >> 8);
            bytes[n++] = (unsigned char)(units[k] & 0xFF);
        }
    }
    HPDF_Binary b = HPDF_Binary_New(w->doc->mmgr, bytes, (HPDF_UINT)n);
    free(bytes);
    return b;
}

/* Bookmarks from the display list's outlines, nested by level. */
static void write_outlines(pdf_writer_t *w, const dlist_t *list, HPDF_Page *pages)
{
    HPDF_Outline parents[8] = {NULL};
    for (size_t i = 0; i < list->outline_count; i++) {
        const dl_outline_t *o = &list->outlines[i];
        if (o->page >= list->page_count)
            continue;
        int level = o->level < 1 ? 1 : o->level > 7 ? 7 : o->level;
        HPDF_Outline parent = NULL;
        for (int l = level - 1; l >= 1 && !parent; l--)
            parent = parents[l];
        HPDF_Outline outline = HPDF_CreateOutline(w->doc, parent, "", NULL);
        if (!outline)
            return;
        HPDF_Dict_Add(outline, "Title", text_string(w, o->title));
        HPDF_Destination dst = HPDF_Page_CreateDestination(pages[o->page]);
        HPDF_Destination_SetXYZ(dst, 0, (HPDF_REAL)o->y, 1);
        HPDF_Outline_SetDestination(outline, dst);
        HPDF_Outline_SetOpened(outline, HPDF_TRUE);
        parents[level] = outline;
        for (int l = level + 1; l < 8; l++)
            parents[l] = NULL;
    }
}

/* Embeds a file: an /EmbeddedFile stream and its /Filespec, named in the catalog's
 * /Names /EmbeddedFiles tree. */
static void write_attachment(pdf_writer_t *w, const pdf_info_t *info)
{
    HPDF_MMgr mmgr = w->doc->mmgr;
    HPDF_Dict file = new_stream(w, info->attachment, info->attachment_size);
    if (!file)
        return;
    HPDF_Dict_AddName(file, "Type", "EmbeddedFile");
    if (info->attachment_type)
        HPDF_Dict_AddName(file, "Subtype", info->attachment_type);
    HPDF_Dict params = HPDF_Dict_New(mmgr);
    HPDF_Dict_AddNumber(params, "Size", (HPDF_INT)info->attachment_size);
    HPDF_Dict_Add(file, "Params", params);

    HPDF_Dict spec = new_dict(w);
    HPDF_Dict_AddName(spec, "Type", "Filespec");
    /* /F in PDFDocEncoding: the name with anything outside printable ASCII replaced. */
    char *ascii = mem_strdup(info->attachment_name);
    for (char *p = ascii; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7E || *p == '/' || *p == '\\')
            *p = '_';
    HPDF_Dict_Add(spec, "F", HPDF_String_New(mmgr, ascii, NULL));
    free(ascii);
    HPDF_Dict_Add(spec, "UF", text_string(w, info->attachment_name));
    if (info->attachment_description)
        HPDF_Dict_Add(spec, "Desc", text_string(w, info->attachment_description));
    HPDF_Dict_AddName(spec, "AFRelationship", "Source");
    HPDF_Dict ef = HPDF_Dict_New(mmgr);
    HPDF_Dict_Add(ef, "F", file);
    HPDF_Dict_Add(ef, "UF", file);
    HPDF_Dict_Add(spec, "EF", ef);

    HPDF_Dict names = HPDF_Dict_New(mmgr);
    HPDF_Dict tree = HPDF_Dict_New(mmgr);
    HPDF_Array pairs = HPDF_Array_New(mmgr);
    HPDF_Array_Add(pairs, text_string(w, info->attachment_name));
    HPDF_Array_Add(pairs, spec);
    HPDF_Dict_Add(tree, "Names", pairs);
    HPDF_Dict_Add(names, "EmbeddedFiles", tree);
    HPDF_Dict_Add(w->doc->catalog, "Names", names);
    HPDF_Array af = HPDF_Array_New(mmgr);
    HPDF_Array_Add(af, spec);
    HPDF_Dict_Add(w->doc->catalog, "AF", af);
}

/* The document /ID: two equal 16-byte strings from the fingerprint. */
static void write_id(pdf_writer_t *w, const char *fingerprint)
{
    unsigned char id[16];
    for (int i = 0; i < 16; i++) {
        unsigned v = 0;
        sscanf(fingerprint + 2 * i, "%2x", &v);
        id[i] = (unsigned char)v;
    }
    HPDF_Array ids = HPDF_Array_New(w->doc->mmgr);
    HPDF_Array_Add(ids, HPDF_Binary_New(w->doc->mmgr, id, 16));
    HPDF_Array_Add(ids, HPDF_Binary_New(w->doc->mmgr, id, 16));
    HPDF_Dict_Add(w->doc->trailer, "ID", ids);
}

static void set_dates(pdf_writer_t *w, long long when)
{
    time_t t = (time_t)when;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return;
    HPDF_Date date = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                      tm.tm_sec,         'Z',           0,          0};
    HPDF_SetInfoDateAttr(w->doc, HPDF_INFO_CREATION_DATE, date);
    HPDF_SetInfoDateAttr(w->doc, HPDF_INFO_MOD_DATE, date);
}

/* Adds a UTF-8 information entry. */
static void set_info(pdf_writer_t *w, const char *key, const char *value)
{
    if (value && w->doc->info)
        HPDF_Dict_Add(w->doc->info, key, text_string(w, value));
}

/* Draws a display-list page's items into a PDF page; 0, or -1 after reporting. */
static int draw_page(pdf_writer_t *w, HPDF_Page page, const dl_page_t *dp)
{
    HPDF_Page_SetWidth(page, (HPDF_REAL)dp->width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)dp->height);
    w->scratch_len = 0;
    memset(w->font_on_page, 0, w->font_count);
    w->text_font = -1;
    w->fill_set = 0;
    for (size_t i = 0; i < dp->count; i++) {
        const dl_item_t *item = &dp->items[i];
        int rc = 0;
        switch (item->kind) {
        case DL_TEXT:
            rc = draw_text(w, page, &item->u.text);
            break;
        case DL_RECT:
            draw_rect(w, &item->u.rect);
            break;
        case DL_LINE:
            draw_line(w, &item->u.line);
            break;
        case DL_IMAGE:
            rc = draw_image(w, page, &item->u.image);
            break;
        }
        if (rc != 0)
            return -1;
    }
    flush_page(w, page);
    return check_hpdf(w, "writing a page") ? -1 : 0;
}

static int write_document(pdf_writer_t *w, const dlist_t *list, const pdf_info_t *info)
{
    HPDF_SetCompressionMode(w->doc, HPDF_COMP_NONE); /* streams are deflated here */
    HPDF_SetInfoAttr(w->doc, HPDF_INFO_PRODUCER, "itareport");
    if (info) {
        set_info(w, "Title", info->title);
        set_info(w, "Author", info->author);
        set_info(w, "Subject", info->subject);
        set_info(w, "Keywords", info->keywords);
        set_info(w, "Creator", info->creator);
        if (info->fingerprint && strlen(info->fingerprint) == 32) {
            HPDF_Dict_Add(w->doc->info, "ITAReportFingerprint",
                          HPDF_String_New(w->doc->mmgr, info->fingerprint, NULL));
            write_id(w, info->fingerprint);
        }
        if (info->creation_time >= 0)
            set_dates(w, info->creation_time);
        if (info->attachment_name && info->attachment)
            write_attachment(w, info);
    }
    if (check_hpdf(w, "starting the document"))
        return -1;
    int rc = -1;
    HPDF_Page *pages = mem_zalloc(list->page_count + 1, sizeof *pages);
    for (size_t p = 0; p < list->page_count; p++) {
        pages[p] = HPDF_AddPage(w->doc);
        if (check_hpdf(w, "adding a page") || draw_page(w, pages[p], &list->pages[p]) != 0)
            goto done;
    }
    if (list->page_count)
        HPDF_AddPageLabel(w->doc, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1, "");
    write_outlines(w, list, pages);
    if (check_hpdf(w, "writing bookmarks"))
        goto done;
    for (size_t i = 0; i < w->font_count; i++)
        if (w->fonts[i].type0 && finish_font(w, &w->fonts[i]) != 0)
            goto done;
    rc = 0;
done:
    free(pages);
    return rc;
}

/* libharu's document stream, writing straight into the caller's FILE: the document is
 * not built in libharu's memory stream and copied out (two copies of every byte, a fifth
 * of the writer's time). */
typedef struct file_sink {
    FILE *out;
    int error; /* errno of the first failed write, 0 */
} file_sink_t;

static HPDF_STATUS write_to_file(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT size)
{
    file_sink_t *sink = stream->attr;
    if (size && fwrite(ptr, 1, size, sink->out) != size) {
        if (!sink->error)
            sink->error = errno ? errno : EIO;
        return HPDF_FILE_IO_ERROR;
    }
    return HPDF_OK;
}

static int save_to(pdf_writer_t *w, FILE *out)
{
    file_sink_t sink = {out, 0};
    /* HPDF_SaveToStream writes into the document's stream when it has one (and frees it
     * with the document). */
    w->doc->stream = HPDF_CallbackWriter_New(w->doc->mmgr, write_to_file, &sink);
    if (!w->doc->stream)
        return check_hpdf(w, "saving"), -1;
    HPDF_STATUS st = HPDF_SaveToStream(w->doc);
    if (sink.error) {
        diag_fail(w->dg, NULL, "pdf-cannot-write-pdf", "cannot write the PDF: %s",
                  strerror(sink.error));
        return -1;
    }
    if (st != HPDF_OK || check_hpdf(w, "saving"))
        return check_hpdf(w, "saving"), -1;
    w->error = 0;
    return 0;
}

long long pdf_source_date(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s)
        return -1;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    return end && *end == '\0' && v >= 0 && v < 253402300800LL ? v : -1;
}

int pdf_write(diag_t *dg, const dlist_t *list, shape_font_t *const *fonts,
              embed_source_t *const *sources, size_t font_count, const pdf_info_t *info, FILE *out)
{
    pdf_writer_t w = {.dg = dg};
    w.doc = HPDF_New(on_hpdf_error, &w);
    if (!w.doc) {
        diag_fail(dg, NULL, "pdf-cannot-start-pdf-writer",
                  "cannot start the PDF writer (out of memory)");
        return -1;
    }
    w.flate = flate_new(PDF_DEFLATE_LEVEL);
    w.font_count = font_count;
    w.fonts = mem_zalloc(font_count, sizeof *w.fonts);
    w.font_on_page = mem_zalloc(font_count, 1);
    for (size_t i = 0; i < font_count; i++) {
        w.fonts[i].font = fonts[i];
        w.fonts[i].info = shape_font_info(fonts[i]);
        w.fonts[i].source = sources ? sources[i] : NULL;
    }
    int rc = write_document(&w, list, info);
    if (rc == 0)
        rc = save_to(&w, out);
    for (size_t i = 0; i < font_count; i++)
        embed_font_free(w.fonts[i].embed);
    free(w.fonts);
    free(w.images);
    flate_free(w.flate);
    free(w.font_on_page);
    free(w.scratch);
    free(w.pieces);
    free(w.origin);
    free(w.copy);
    free(w.moved);
    HPDF_Free(w.doc);
    return rc;
}
