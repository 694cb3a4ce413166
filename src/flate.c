/* flate — see flate.h. */
#include "flate.h"

#include "diag.h"
#include "mem.h"

#include <libdeflate.h>
#include <stdlib.h>

struct flate {
    struct libdeflate_compressor *compressor;
    unsigned char *buf; /* the last stream compressed */
    size_t capacity;
};

flate_t *flate_new(int level)
{
    flate_t *f = mem_zalloc(1, sizeof *f);
    f->compressor = libdeflate_alloc_compressor(level);
    if (!f->compressor)
        diag_fatal_oom(sizeof f); /* a library allocation failed (or a bad level) */
    return f;
}

void flate_free(flate_t *f)
{
    if (!f)
        return;
    libdeflate_free_compressor(f->compressor);
    free(f->buf);
    free(f);
}

size_t flate_compress(flate_t *f, const void *data, size_t len, const unsigned char **out)
{
    /* The bound holds for any input, so the call cannot run out of room; 0 stays for a
     * failure of the library. */
    size_t bound = libdeflate_zlib_compress_bound(f->compressor, len);
    f->buf = mem_array_grow(f->buf, &f->capacity, bound, 1);
    *out = f->buf;
    return libdeflate_zlib_compress(f->compressor, data, len, f->buf, f->capacity);
}
