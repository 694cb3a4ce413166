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

#endif
