/* filebuf — a whole file read into memory: the one place for it. "-" reads standard input.
 * Errors are reported through diag as "cannot open <what>'<path>': <reason>", "cannot read
 * <what>'<path>': <reason>" or "<what>'<path>' is larger than N MiB" (what: "" or a word
 * and a space, e.g. "font "). The bytes are the caller's (free); one NUL follows them. */
#ifndef ITAREPORT_FILEBUF_H
#define ITAREPORT_FILEBUF_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

/* Reads path, at most max bytes; returns 0, or -1 after reporting. */
int filebuf_read(diag_t *dg, const char *path, const char *what, size_t max, unsigned char **data,
                 size_t *size);

/* Like filebuf_read, for a file that must be a regular file (a logo, a font): "-" is not
 * standard input but an error, and a FIFO, a device, a socket or a directory is refused
 * before it is opened (stat), then again on the open descriptor (fstat), which is opened
 * non-blocking so that a FIFO swapped in between cannot block. Symbolic links are followed.
 * Errors are reported at pos (may be NULL). */
int filebuf_read_regular(diag_t *dg, const diag_pos_t *pos, const char *path, const char *what,
                         size_t max, unsigned char **data, size_t *size);

/* What tells a file's contents apart without reading them: device, inode, size, and the
 * modification and status-change times in nanoseconds. A cache that keeps something made
 * from a file (a parsed framework, a hash) compares stamps to know the file is unchanged
 * (a rewrite of the same size within the file system's time granularity is not seen). */
typedef struct filebuf_stamp {
    unsigned long long dev, ino, size;
    long long mtime_ns, ctime_ns;
} filebuf_stamp_t;

/* Fills *out from stat(path); 0, or -1 (nothing reported) when it cannot be stat'ed. */
int filebuf_stamp(const char *path, filebuf_stamp_t *out);
bool filebuf_stamp_equal(const filebuf_stamp_t *a, const filebuf_stamp_t *b);

#endif
