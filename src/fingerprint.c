/* fingerprint — see fingerprint.h. */
#include "fingerprint.h"

#include "diag.h"
#include "filebuf.h"
#include "mem.h"
#include "tmplext.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#ifndef ITAREPORT_VERSION
#define ITAREPORT_VERSION "unknown"
#endif

/* A file's size limit for hashing: larger than any font, logo or template we read. */
#define FINGERPRINT_MAX_FILE (256u << 20)

typedef struct cached_file {
    char *path;
    filebuf_stamp_t stamp; /* the file as it was hashed */
    XXH128_canonical_t hash;
} cached_file_t;

struct fingerprint_cache {
    cached_file_t *files;
    size_t count, capacity;
};

struct fingerprint {
    XXH3_state_t *state;
};

fingerprint_cache_t *fingerprint_cache_new(void)
{
    return mem_zalloc(1, sizeof(fingerprint_cache_t));
}

void fingerprint_cache_free(fingerprint_cache_t *cache)
{
    if (!cache)
        return;
    for (size_t i = 0; i < cache->count; i++)
        free(cache->files[i].path);
    free(cache->files);
    free(cache);
}

fingerprint_t *fingerprint_new(void)
{
    fingerprint_t *f = mem_zalloc(1, sizeof *f);
    f->state = XXH3_createState();
    if (!f->state)
        diag_fatal_oom(sizeof(XXH3_state_t *)); /* a library allocation failed */
    XXH3_128bits_reset(f->state);
    fingerprint_add(f, ITAREPORT_VERSION, strlen(ITAREPORT_VERSION));
    return f;
}

void fingerprint_add(fingerprint_t *f, const void *data, size_t size)
{
    uint64_t len = size;
    XXH3_128bits_update(f->state, &len, sizeof len);
    if (size)
        XXH3_128bits_update(f->state, data, size);
}

/* The cache's entry for path, made (empty) when there is none. */
static cached_file_t *entry(fingerprint_cache_t *cache, const char *path, bool make)
{
    for (size_t i = 0; i < cache->count; i++)
        if (strcmp(cache->files[i].path, path) == 0)
            return &cache->files[i];
    if (!make)
        return NULL;
    cache->files =
        mem_array_grow(cache->files, &cache->capacity, cache->count + 1, sizeof *cache->files);
    cached_file_t *e = &cache->files[cache->count++];
    *e = (cached_file_t){mem_strdup(path), {0, 0, 0, -1, -1}, {{0}}};
    return e;
}

void fingerprint_cache_note(fingerprint_cache_t *cache, const char *path,
                            const filebuf_stamp_t *stamp, const void *data, size_t size)
{
    cached_file_t *e = entry(cache, path, true);
    e->stamp = *stamp;
    XXH128_canonicalFromHash(&e->hash, XXH3_128bits(data, size));
}

int fingerprint_add_file(diag_t *dg, fingerprint_t *f, fingerprint_cache_t *cache, const char *path)
{
    filebuf_stamp_t stamp;
    bool stamped = filebuf_stamp(path, &stamp) == 0;
    cached_file_t *hit = entry(cache, path, false);
    if (hit && stamped && filebuf_stamp_equal(&hit->stamp, &stamp)) {
        fingerprint_add(f, &hit->hash, sizeof hit->hash);
        return 0;
    }
    /* Not hashed yet, or changed since (a long-lived process sees a file replaced). */
    unsigned char *data = NULL;
    size_t size = 0;
    if (filebuf_read(dg, path, "", FINGERPRINT_MAX_FILE, &data, &size) != 0)
        return -1;
    hit = entry(cache, path, true);
    /* A file that cannot be stat'ed is hashed again next time (its stamp never matches). */
    hit->stamp = stamped ? stamp : (filebuf_stamp_t){0, 0, 0, -1, -1};
    XXH128_canonicalFromHash(&hit->hash, XXH3_128bits(data, size));
    free(data);
    fingerprint_add(f, &hit->hash, sizeof hit->hash);
    return 0;
}

void fingerprint_finish(fingerprint_t *f, char out[FINGERPRINT_HEX])
{
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, XXH3_128bits_digest(f->state));
    for (size_t i = 0; i < sizeof c.digest; i++)
        snprintf(out + 2 * i, 3, "%02x", c.digest[i]);
    XXH3_freeState(f->state);
    free(f);
}

uint64_t fingerprint_hash64(const void *data, size_t size)
{
    return XXH3_64bits(data, size);
}

int fingerprint_read_pdf(const char *pdf, char out[FINGERPRINT_HEX])
{
    FILE *f = fopen(pdf, "rb");
    if (!f)
        return -1;
    static const char key[] = "/ITAReportFingerprint (";
    char buf[65536 + sizeof key + FINGERPRINT_HEX];
    size_t keep = 0, n;
    int found = -1;
    /* Scan in blocks, keeping a tail so that a key split between blocks is found. */
    while ((n = fread(buf + keep, 1, sizeof buf - keep - 1, f)) > 0) {
        size_t len = keep + n;
        buf[len] = '\0';
        for (size_t at = 0; at + sizeof key - 1 <= len; at++) {
            if (buf[at] != '/' || memcmp(buf + at, key, sizeof key - 1) != 0)
                continue;
            const char *hex = buf + at + sizeof key - 1;
            if ((size_t)(hex - buf) + 32 < len && strspn(hex, "0123456789abcdef") >= 32 &&
                hex[32] == ')') {
                memcpy(out, hex, 32);
                out[32] = '\0';
                found = 0;
            }
        }
        keep = len < sizeof key + FINGERPRINT_HEX ? len : sizeof key + FINGERPRINT_HEX;
        memmove(buf, buf + len - keep, keep);
    }
    fclose(f);
    return found;
}
