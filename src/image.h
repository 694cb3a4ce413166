/* image — logo images decoded safely: the only module that uses libpng.
 *
 * PNG is decoded with libpng directly, with its error recovery set up and the dimensions
 * checked before any pixel is read (libharu's own PNG loader aborts the process on a
 * corrupt file); pixels become 8-bit RGB over white. JPEG: the header is checked (markers,
 * a baseline or progressive frame with sane dimensions and 1 or 3 components), then every
 * pixel is decoded with libjpeg(-turbo) (this is the only module that uses it) so that a
 * truncated or corrupt file, which libjpeg would otherwise paint grey, is refused; the bytes
 * are then embedded as they are (DCTDecode). Anything else, corrupt or larger than the limits
 * is a clear error naming the file, at the position given (the input's logo value).
 *
 * An image_t owns its bytes; image_free releases them. */
#ifndef ITAREPORT_IMAGE_H
#define ITAREPORT_IMAGE_H

#include "diag.h"

#include <stddef.h>
#include <stdint.h>

#define IMAGE_MAX_SIDE 4000       /* pixels */
#define IMAGE_MAX_FILE (8u << 20) /* bytes */

typedef enum image_kind {
    IMAGE_RGB,  /* pixels: width * height * 3 bytes */
    IMAGE_JPEG, /* the file's bytes */
} image_kind_t;

typedef struct image {
    image_kind_t kind;
    uint32_t width, height;
    int components; /* JPEG: 1 (grey) or 3 (colour); RGB: 3 */
    unsigned char *data;
    size_t size;
} image_t;

/* Reads a PNG or JPEG file, which must be a regular file (a FIFO, a device, a directory or
 * "-" is refused before anything is read: filebuf_read_regular); returns NULL after
 * reporting at pos (may be NULL). */
image_t *image_load(diag_t *dg, const diag_pos_t *pos, const char *path);

/* Decodes from memory; name is used in messages, pos (may be NULL) places them. */
image_t *image_decode(diag_t *dg, const diag_pos_t *pos, const char *name,
                      const unsigned char *data, size_t size);

void image_free(image_t *img);

#endif
