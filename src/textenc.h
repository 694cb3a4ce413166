/* textenc — the text encodings Thai Windows and Excel write, into UTF-8; the only module
 * that includes <iconv.h>.
 *
 * Inputs are UTF-8, but Thai Excel saves CSV as Windows-874 (TIS-620 with a few more
 * characters) and Notepad may save UTF-16 with a byte-order mark. textenc_to_utf8 tells
 * which one a text is and converts it: UTF-8 (with or without a byte-order mark, which is
 * skipped), UTF-16 LE/BE with a byte-order mark, and Windows-874 when the bytes are not
 * UTF-8 and read as Thai in it. A text that is mostly UTF-8 with a broken byte is UTF-8
 * (its error is the reader's to report, at its position). Owns nothing of the caller's. */
#ifndef ITAREPORT_TEXTENC_H
#define ITAREPORT_TEXTENC_H

#include "diag.h"

#include <stddef.h>

typedef enum textenc_kind {
    TEXTENC_UTF8,     /* as is (possibly invalid: the caller checks) */
    TEXTENC_UTF8_BOM, /* UTF-8 after a byte-order mark */
    TEXTENC_UTF16LE,
    TEXTENC_UTF16BE,
    TEXTENC_WINDOWS_874,
} textenc_kind_t;

/* The encoding of data. For TEXTENC_UTF8 *text is data itself; for TEXTENC_UTF8_BOM it is
 * data past the mark; otherwise a new UTF-8 copy (NUL-terminated; the caller frees it
 * with free(), and *owned is set to it). A text that cannot be converted is reported as
 * TEXTENC_UTF8 (the UTF-8 check then says where it goes wrong). Never fails otherwise. */
textenc_kind_t textenc_to_utf8(const unsigned char *data, size_t size, const unsigned char **text,
                               size_t *text_size, unsigned char **owned);

/* textenc_to_utf8 for an input named name, with a warning to dg naming the encoding when
 * it is not UTF-8. */
textenc_kind_t textenc_read(diag_t *dg, const char *name, const unsigned char *data, size_t size,
                            const unsigned char **text, size_t *text_size, unsigned char **owned);

/* The encoding's name for messages ("UTF-16LE", "Windows-874", ...). */
const char *textenc_name(textenc_kind_t kind);

#endif
