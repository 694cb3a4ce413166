/* libFuzzer target over logo images: bytes -> image_decode (PNG through libpng, JPEG header
 * check then a full decode through libjpeg). A decoded image must be what image.h promises:
 * sides of 1 to IMAGE_MAX_SIDE pixels; RGB pixels of width * height * 3 bytes; JPEG bytes
 * that are the input, 1 or 3 components. Messages are swallowed. Built and run by
 * `make fuzz`, seeds in tests/fuzz/seeds-image. */
#include "image.h"

#include "fuzz_common.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_silence();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t errors = diag_count(test_dg, DIAG_ERROR);
    image_t *img = image_decode(test_dg, NULL, "fuzz", data, size);
    if (!img) {
        if (diag_count(test_dg, DIAG_ERROR) == errors)
            abort(); /* refused without a message */
        return 0;
    }
    if (img->width == 0 || img->height == 0 || img->width > IMAGE_MAX_SIDE ||
        img->height > IMAGE_MAX_SIDE)
        abort();
    if (img->kind == IMAGE_RGB && img->size != (size_t)img->width * img->height * 3)
        abort();
    if (img->kind == IMAGE_JPEG && (img->size != size || memcmp(img->data, data, size) != 0 ||
                                    (img->components != 1 && img->components != 3)))
        abort();
    /* Touch every byte (ASan checks the buffer is as long as it says). */
    unsigned sum = 0;
    for (size_t i = 0; i < img->size; i++)
        sum += img->data[i];
    image_free(img);
    return (int)(sum & 0);
}
