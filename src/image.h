/* image — logo images decoded safely: the only module that uses libpng.
 *
 * PNG is decoded with libpng directly, with its error recovery set up and the dimensions
 * checked before any pixel is read (libharu's own PNG loader aborts the process on a
 * corrupt file); pixels become 8-bit RGB over white. JPEG is not decoded: its header is
 * checked (markers, a frame with sane dimensions and 1 or 3 components) and the bytes are
 * embedded as they are (DCTDecode). Anything else, corrupt or larger than the limits is a
 * clear error naming the file.
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

/* Reads a PNG or JPEG file; returns NULL after reporting. */
image_t *image_load(diag_t *dg, const char *path);

/* Decodes from memory; name is used in messages. */
image_t *image_decode(diag_t *dg, const char *name, const unsigned char *data, size_t size);

void image_free(image_t *img);

#endif
