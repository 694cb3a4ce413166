/* fingerprint — what a report was made from, as 32 hex digits: the program version, the
 * bytes of the input and of the template files (framework.yaml, report.yaml and the wording
 * file beside them). Every report PDF carries it in its document information
 * (/ITAReportFingerprint), so that a batch can tell a report that is complete and up to
 * date from the PDF alone, without state files. Two independent 64-bit FNV-1a hashes;
 * not cryptographic. */
#ifndef ITAREPORT_FINGERPRINT_H
#define ITAREPORT_FINGERPRINT_H

#include "diag.h"

#include <stddef.h>

#define FINGERPRINT_HEX 33 /* 32 digits and a NUL */

/* The fingerprint of an input and a template folder; 0, or -1 after reporting a file that
 * cannot be read. */
int fingerprint_of(diag_t *dg, const char *input, const char *template_dir,
                   char out[FINGERPRINT_HEX]);

/* The same for an input held in memory. */
int fingerprint_of_buffer(diag_t *dg, const unsigned char *data, size_t size,
                          const char *template_dir, char out[FINGERPRINT_HEX]);

/* Reads the fingerprint a PDF carries (the last one in the file); 0, or -1 when the file
 * cannot be read or carries none. Nothing is reported. */
int fingerprint_read_pdf(const char *pdf, char out[FINGERPRINT_HEX]);

#endif
