/* fingerprint — what a document was made from, as 32 hex digits: XXH3-128 (libxxhash, the
 * only user of xxhash.h) over the program version and every byte the pipeline read for
 * it — the input, every template and wording file (and the files they extend), the
 * framework, the fonts, the logo and images — plus the options that change the output.
 * Every report PDF carries it in its document information (/ITAReportFingerprint) and its
 * /ID, so that a batch can tell a report that is complete and up to date from the PDF
 * alone, without state files: replacing a logo's bytes or a font file changes it. Not
 * cryptographic.
 *
 * Files are hashed through a cache (fingerprint_cache_t, one per renderer, so once per
 * process or batch worker): a shared file (a font, a template) is read and hashed once
 * while it is unchanged (its filebuf_stamp, checked on every use), again after it changed.
 * The same module is the program's one general hash (fingerprint_hash64), for hash tables
 * and names that must not depend on the machine.
 *
 * A fingerprint_t and a cache are opaque and owned by their caller (fingerprint_finish,
 * fingerprint_cache_free). */
#ifndef ITAREPORT_FINGERPRINT_H
#define ITAREPORT_FINGERPRINT_H

#include "diag.h"

#include <stddef.h>
#include <stdint.h>

#define FINGERPRINT_HEX 33 /* 32 digits and a NUL */

typedef struct fingerprint_cache fingerprint_cache_t;
typedef struct fingerprint fingerprint_t;

fingerprint_cache_t *fingerprint_cache_new(void);
void fingerprint_cache_free(fingerprint_cache_t *cache);

/* A fingerprint under way, starting with the program version. Never NULL. */
fingerprint_t *fingerprint_new(void);

/* Adds bytes (with their length, so that parts cannot run into each other). */
void fingerprint_add(fingerprint_t *f, const void *data, size_t size);

/* Adds the contents of a file (its XXH3-128, taken from the cache or read once and
 * cached). 0, or -1 after reporting a file that cannot be read. */
int fingerprint_add_file(diag_t *dg, fingerprint_t *f, fingerprint_cache_t *cache,
                         const char *path);

/* Records the hash of a file's bytes that the caller has already read (a font it holds),
 * as they were when stamp was taken before reading them (filebuf_stamp), so that
 * fingerprint_add_file need not read the file again while it is unchanged. */
struct filebuf_stamp;
void fingerprint_cache_note(fingerprint_cache_t *cache, const char *path,
                            const struct filebuf_stamp *stamp, const void *data, size_t size);

/* Writes the 32 hex digits and a NUL to out and frees f. */
void fingerprint_finish(fingerprint_t *f, char out[FINGERPRINT_HEX]);

/* A 64-bit hash of bytes (XXH3-64), the same on every machine. */
uint64_t fingerprint_hash64(const void *data, size_t size);

/* Reads the fingerprint a PDF carries (the last one in the file); 0, or -1 when the file
 * cannot be read or carries none. Nothing is reported. */
int fingerprint_read_pdf(const char *pdf, char out[FINGERPRINT_HEX]);

#endif
