/* filebuf — a whole file read into memory: the one place for it. "-" reads standard input.
 * Errors are reported through diag as "cannot open <what>'<path>': <reason>", "cannot read
 * <what>'<path>': <reason>" or "<what>'<path>' is larger than N MiB" (what: "" or a word
 * and a space, e.g. "font "). The bytes are the caller's (free); one NUL follows them. */
#ifndef ITAREPORT_FILEBUF_H
#define ITAREPORT_FILEBUF_H

#include "diag.h"

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

#endif
