/* outfile — writing an output file so that no partial file is ever left behind.
 *
 * A regular file (or a path that does not exist yet) is written under a temporary name in
 * the same folder and renamed over the target by outfile_commit(dg); "-" means standard
 * output, and an existing non-regular file (a pipe, a device) is written directly.
 * Errors are reported through diag with the path. The handle owns its FILE and names. */
#ifndef ITAREPORT_OUTFILE_H
#define ITAREPORT_OUTFILE_H

#include "diag.h"

#include <stdio.h>

typedef struct outfile outfile_t;

/* The path with its file extension replaced by ext (".pdf"), beside it: a new string. */
char *outfile_sibling(const char *path, const char *ext);

/* Opens path for writing; returns NULL after reporting an error. A temporary file is
 * held under an exclusive flock while it is open (see outfile_remove_abandoned). */
outfile_t *outfile_open(diag_t *dg, const char *path);

/* The stream to write to; valid until commit or abort. */
FILE *outfile_stream(outfile_t *out);

/* Flushes, closes and renames into place; frees out. Returns 0, or -1 after reporting
 * an error (the temporary file is removed). */
int outfile_commit(diag_t *dg, outfile_t *out);

/* Installs handlers so that SIGINT, SIGTERM and SIGHUP remove every temporary file still
 * open before the process ends with that signal, and ignores SIGXFSZ so that exceeding a
 * file size limit is a write error (reported, temporary file removed), not a kill. */
void outfile_handle_signals(void);

/* For a batch's files in OUTDIR: 0 when path does not exist or is a regular file that is
 * not a link; otherwise -1 after reporting what it is (a link to anything, a device, a
 * FIFO, a socket, a folder), since writing there would go through the link or onto the
 * special file (or, for the up-to-date check, read a device that never ends). */
int outfile_check_plain(diag_t *dg, const char *path);

/* Removes a temporary file (NAME.tmp.XXXXXX) that no process writes any more — one whose
 * writer was killed outright — and leaves one that is being written (its flock is held)
 * alone, also when another run writes it. 1 when removed, 0 otherwise; nothing is
 * reported. */
int outfile_remove_abandoned(const char *path);

/* True when path names a file that exists (a regular file, or anything else); links are
 * followed. For "refuses to overwrite". */
int outfile_exists(const char *path);

/* True when output and input name the same existing file (through a link or another
 * spelling of the path too): writing one would destroy the other. */
int outfile_is_same(const char *output, const char *input);

/* Discards everything written (removes the temporary file); frees out. NULL is allowed. */
void outfile_abort(outfile_t *out);

#endif
