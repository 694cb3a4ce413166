/* flate — compresses PDF streams (/FlateDecode: zlib format) through libdeflate, the only
 * user of libdeflate.h. A compressor is made once and reused for every stream of every
 * document its owner writes (libdeflate compresses a whole buffer per call; nothing of one
 * stream carries into the next, so the output depends only on the bytes and the level).
 *
 * A flate_t is opaque and owned by its caller (flate_free); the compressed bytes it hands
 * out are its own, valid until its next call. */
#ifndef ITAREPORT_FLATE_H
#define ITAREPORT_FLATE_H

#include <stddef.h>

typedef struct flate flate_t;

/* A compressor at libdeflate's level (1 fastest .. 12 smallest). Never NULL (out of memory
 * is mem.h's). */
flate_t *flate_new(int level);
void flate_free(flate_t *f);

/* Compresses len bytes (zlib format) into f's buffer; returns the compressed size and sets
 * *out, or returns 0 when the data cannot be compressed (the caller stores it as it is). */
size_t flate_compress(flate_t *f, const void *data, size_t len, const unsigned char **out);

#endif
