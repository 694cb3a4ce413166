/* image — see image.h. */
#include "image.h"

#include "diag.h"
#include "filebuf.h"
#include "mem.h"

#include <errno.h>
#include <limits.h>
#include <png.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* jpeglib.h needs FILE and size_t declared before it. */
#include <jpeglib.h>

/* ---- PNG ---- */

typedef struct png_source {
    const unsigned char *data;
    size_t size, at;
    const char *name;
    char message[160];
    jmp_buf recover;
} png_source_t;

static void on_png_error(png_structp png, png_const_charp message)
{
    png_source_t *src = png_get_error_ptr(png);
    snprintf(src->message, sizeof src->message, "%s", message);
    longjmp(src->recover, 1);
}

static void on_png_warning(png_structp png, png_const_charp message)
{
    (void)png;
    (void)message; /* warnings (e.g. a bad CRC in an ancillary chunk) are not errors */
}

static void png_read_bytes(png_structp png, png_bytep out, png_size_t n)
{
    png_source_t *src = png_get_io_ptr(png);
    if (n > src->size - src->at)
        png_error(png, "the file ends early");
    memcpy(out, src->data + src->at, n);
    src->at += n;
}

static image_t *decode_png(diag_t *dg, const diag_pos_t *pos, const char *name,
                           const unsigned char *data, size_t size)
{
    png_source_t src;
    memset(&src, 0, sizeof src);
    src.data = data;
    src.size = size;
    src.name = name;
    png_structp png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, on_png_error, on_png_warning);
    if (!png) {
        diag_fail(dg, pos, "image-out-of-memory", "cannot read image '%s': out of memory", name);
        return NULL;
    }
    png_infop info = png_create_info_struct(png);
    /* Everything libpng allocates is freed by png_destroy_read_struct; ours is tracked
     * here so that a longjmp from any step can release it. */
    image_t *volatile img = NULL;
    png_bytep *volatile rows = NULL;
    if (!info || setjmp(src.recover)) {
        diag_fail(dg, pos, "image-png-invalid", "image '%s' is not a valid PNG: %s", name,
                  src.message[0] ? src.message : "out of memory");
        png_destroy_read_struct(&png, info ? &info : NULL, NULL);
        free(rows);
        if (img) {
            free(img->data);
            free(img);
        }
        return NULL;
    }
    png_set_read_fn(png, &src, png_read_bytes);
    png_read_info(png, info);
    png_uint_32 width = png_get_image_width(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    if (width == 0 || height == 0 || width > IMAGE_MAX_SIDE || height > IMAGE_MAX_SIDE)
        png_error(png, "its size is outside 1 to 4000 pixels a side");
    if (png_get_chunk_malloc_max(png) == 0)
        png_set_chunk_malloc_max(png, IMAGE_MAX_FILE);
    /* Any PNG as 8-bit RGBA. */
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)width * 4)
        png_error(png, "unexpected pixel layout");
    img = mem_zalloc(1, sizeof *img);
    img->kind = IMAGE_RGB;
    img->width = width;
    img->height = height;
    img->components = 3;
    unsigned char *rgba = mem_alloc((size_t)width * height * 4);
    img->data = rgba; /* freed on error as img->data */
    rows = mem_alloc(height * sizeof *rows);
    for (png_uint_32 y = 0; y < height; y++)
        rows[y] = rgba + (size_t)y * width * 4;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    /* Composite over white into RGB. */
    unsigned char *rgb = mem_alloc((size_t)width * height * 3);
    for (size_t i = 0; i < (size_t)width * height; i++) {
        unsigned a = rgba[4 * i + 3];
        for (int c = 0; c < 3; c++)
            rgb[3 * i + c] = (unsigned char)((rgba[4 * i + c] * a + 255 * (255 - a)) / 255);
    }
    free(rgba);
    img->data = rgb;
    img->size = (size_t)width * height * 3;
    return img;
}

/* ---- JPEG ---- */

/* libjpeg reports through an error manager whose error_exit must not return; ours jumps
 * back to decode_jpeg (libjpeg's default calls exit()). Warnings (corrupt or missing
 * entropy-coded data, which libjpeg would paint grey) are errors here too. */
typedef struct jpeg_guard {
    struct jpeg_error_mgr base;
    struct jpeg_progress_mgr progress;
    char message[JMSG_LENGTH_MAX];
    jmp_buf recover;
} jpeg_guard_t;

/* A progressive JPEG may have any number of scans, each a pass over the whole image; a
 * real logo has about ten. */
#define JPEG_MAX_SCANS 100

static void on_jpeg_error(j_common_ptr cinfo)
{
    jpeg_guard_t *guard = (jpeg_guard_t *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, guard->message);
    longjmp(guard->recover, 1);
}

static void on_jpeg_message(j_common_ptr cinfo, int level)
{
    if (level < 0) /* a warning: the data is corrupt */
        on_jpeg_error(cinfo);
    /* trace messages (level >= 0) are ignored */
}

static void on_jpeg_progress(j_common_ptr cinfo)
{
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    jpeg_guard_t *guard = (jpeg_guard_t *)cinfo->err;
    if (d->input_scan_number > JPEG_MAX_SCANS) {
        snprintf(guard->message, sizeof guard->message, "more than %d scans", JPEG_MAX_SCANS);
        longjmp(guard->recover, 1);
    }
}

/* Decodes every pixel of the JPEG (into one reused row) so that a truncated or corrupt
 * file is refused here rather than drawn broken by a PDF viewer. Returns 0, or -1 after
 * reporting. */
static int decode_jpeg(diag_t *dg, const diag_pos_t *pos, const char *name,
                       const unsigned char *data, size_t size)
{
    struct jpeg_decompress_struct cinfo;
    jpeg_guard_t guard;
    memset(&cinfo, 0, sizeof cinfo);
    memset(&guard, 0, sizeof guard);
    cinfo.err = jpeg_std_error(&guard.base);
    guard.base.error_exit = on_jpeg_error;
    guard.base.emit_message = on_jpeg_message;
    if (setjmp(guard.recover)) {
        diag_fail(dg, pos, "image-jpeg-invalid", "image '%s' is not a valid JPEG: %s", name,
                  guard.message);
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    jpeg_create_decompress(&cinfo);
    guard.progress.progress_monitor = on_jpeg_progress;
    cinfo.progress = &guard.progress;
    if (size > ULONG_MAX) {
        snprintf(guard.message, sizeof guard.message, "too large");
        longjmp(guard.recover, 1);
    }
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.image_width == 0 || cinfo.image_height == 0 || cinfo.image_width > IMAGE_MAX_SIDE ||
        cinfo.image_height > IMAGE_MAX_SIDE) {
        snprintf(guard.message, sizeof guard.message,
                 "its size is outside 1 to 4000 pixels a side");
        longjmp(guard.recover, 1);
    }
    jpeg_start_decompress(&cinfo);
    /* The row lives in libjpeg's image pool and goes with jpeg_destroy_decompress. */
    JSAMPARRAY row =
        (*cinfo.mem->alloc_sarray)((j_common_ptr)&cinfo, JPOOL_IMAGE,
                                   cinfo.output_width * (JDIMENSION)cinfo.output_components, 1);
    while (cinfo.output_scanline < cinfo.output_height)
        jpeg_read_scanlines(&cinfo, row, 1);
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return 0;
}

static image_t *check_jpeg(diag_t *dg, const diag_pos_t *pos, const char *name,
                           const unsigned char *data, size_t size)
{
    size_t at = 2;
    while (at + 4 <= size) {
        if (data[at] != 0xFF) {
            diag_fail(dg, pos, "image-jpeg-bad-marker",
                      "image '%s' is not a valid JPEG: bad marker at byte %zu", name, at);
            return NULL;
        }
        unsigned marker = data[at + 1];
        if (marker == 0xFF) {
            at++;
            continue;
        }
        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            at += 2;
            continue;
        }
        size_t len = (size_t)data[at + 2] << 8 | data[at + 3];
        if (len < 2 || at + 2 + len > size)
            break;
        bool frame = (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                      marker != 0xCC);
        if (frame) {
            if (len < 8)
                break;
            const unsigned char *f = data + at + 4;
            unsigned precision = f[0];
            uint32_t height = (uint32_t)f[1] << 8 | f[2];
            uint32_t width = (uint32_t)f[3] << 8 | f[4];
            int components = f[5];
            if (marker != 0xC0 && marker != 0xC1 && marker != 0xC2) {
                diag_fail(dg, pos, "image-jpeg-coding",
                          "image '%s': this JPEG coding (SOF%u) is not supported", name,
                          marker - 0xC0);
                return NULL;
            }
            if (precision != 8 || (components != 1 && components != 3) || width == 0 ||
                height == 0 || width > IMAGE_MAX_SIDE || height > IMAGE_MAX_SIDE) {
                diag_fail(dg, pos, "image-jpeg-size",
                          "image '%s': JPEG of %ux%u pixels, %d components, %u bits is not "
                          "supported (8-bit grey or colour, up to 4000 pixels a side)",
                          name, (unsigned)width, (unsigned)height, components, precision);
                return NULL;
            }
            if (decode_jpeg(dg, pos, name, data, size) != 0)
                return NULL;
            image_t *img = mem_zalloc(1, sizeof *img);
            img->kind = IMAGE_JPEG;
            img->width = width;
            img->height = height;
            img->components = components;
            img->data = mem_alloc(size);
            memcpy(img->data, data, size);
            img->size = size;
            return img;
        }
        at += 2 + len;
    }
    diag_fail(dg, pos, "image-jpeg-no-frame", "image '%s' is not a valid JPEG: no frame header",
              name);
    return NULL;
}

image_t *image_decode(diag_t *dg, const diag_pos_t *pos, const char *name,
                      const unsigned char *data, size_t size)
{
    static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (size >= 8 && memcmp(data, png_signature, 8) == 0)
        return decode_png(dg, pos, name, data, size);
    if (size >= 4 && data[0] == 0xFF && data[1] == 0xD8)
        return check_jpeg(dg, pos, name, data, size);
    diag_fail(dg, pos, "image-unknown-kind", "image '%s' is neither PNG nor JPEG", name);
    return NULL;
}

image_t *image_load(diag_t *dg, const diag_pos_t *pos, const char *path)
{
    unsigned char *data = NULL;
    size_t size = 0;
    if (filebuf_read_regular(dg, pos, path, "image ", IMAGE_MAX_FILE, &data, &size) != 0)
        return NULL;
    image_t *img = image_decode(dg, pos, path, data, size);
    free(data);
    return img;
}

void image_free(image_t *img)
{
    if (!img)
        return;
    free(img->data);
    free(img);
}
