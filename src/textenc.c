/* textenc — see textenc.h. */
#include "textenc.h"

#include "mem.h"
#include "utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const char *textenc_name(textenc_kind_t kind)
{
    switch (kind) {
    case TEXTENC_UTF8_BOM:
        return "UTF-8 with a byte-order mark";
    case TEXTENC_UTF16LE:
        return "UTF-16LE";
    case TEXTENC_UTF16BE:
        return "UTF-16BE";
    case TEXTENC_WINDOWS_874:
        return "Windows-874 (TIS-620)";
    default:
        return "UTF-8";
    }
}

/* Converts with iconv; a new NUL-terminated string, or NULL when some byte does not
 * convert. */
static unsigned char *textenc_iconv(const char *from, const unsigned char *data, size_t size,
                                    size_t *out_size)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return NULL;
    /* Thai takes at most three UTF-8 bytes per input byte (UTF-16: per two). */
    size_t cap = size * 3 + 4;
    unsigned char *out = mem_alloc(cap);
    char *in = (char *)data, *o = (char *)out;
    size_t in_left = size, out_left = cap - 1;
    bool ok = iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1 &&
              iconv(cd, NULL, NULL, &o, &out_left) != (size_t)-1;
    iconv_close(cd);
    if (!ok) {
        free(out);
        return NULL;
    }
    *out_size = (size_t)(o - (char *)out);
    out[*out_size] = '\0';
    return out;
}

/* Whether bytes that are not UTF-8 are Windows-874 Thai rather than broken UTF-8: more
 * bytes that fail as UTF-8 than well-formed multi-byte UTF-8 sequences, and no NUL. */
static bool textenc_looks_windows_874(const unsigned char *p, size_t size)
{
    if (utf8_validate((const char *)p, size) == size)
        return false; /* what every UTF-8 file comes to below, found the fast way */
    size_t good = 0, bad = 0;
    for (size_t i = 0; i < size;) {
        unsigned char c = p[i];
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n = c >= 0xC2 && c <= 0xDF   ? 2
                   : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4
                                            : 0;
        bool whole = n && i + n <= size;
        for (size_t k = 1; whole && k < n; k++)
            whole = (p[i + k] & 0xC0) == 0x80;
        if (whole) {
            good++;
            i += n;
        } else {
            bad++;
            i++;
        }
    }
    return bad > good;
}

textenc_kind_t textenc_to_utf8(const unsigned char *data, size_t size, const unsigned char **text,
                               size_t *text_size, unsigned char **owned)
{
    *text = data;
    *text_size = size;
    *owned = NULL;
    if (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
        *text = data + 3;
        *text_size = size - 3;
        return TEXTENC_UTF8_BOM;
    }
    textenc_kind_t kind = TEXTENC_UTF8;
    const char *from = NULL;
    if (size >= 2 && data[0] == 0xFF && data[1] == 0xFE)
        kind = TEXTENC_UTF16LE, from = "UTF-16LE";
    else if (size >= 2 && data[0] == 0xFE && data[1] == 0xFF)
        kind = TEXTENC_UTF16BE, from = "UTF-16BE";
    else if (textenc_looks_windows_874(data, size))
        kind = TEXTENC_WINDOWS_874, from = "CP874";
    if (!from)
        return TEXTENC_UTF8;
    size_t skip = kind == TEXTENC_WINDOWS_874 ? 0 : 2; /* the byte-order mark */
    size_t n = 0;
    unsigned char *converted = textenc_iconv(from, data + skip, size - skip, &n);
    if (!converted)
        return TEXTENC_UTF8;
    *owned = converted;
    *text = converted;
    *text_size = n;
    return kind;
}

textenc_kind_t textenc_read(diag_t *dg, const char *name, const unsigned char *data, size_t size,
                            const unsigned char **text, size_t *text_size, unsigned char **owned)
{
    textenc_kind_t kind = textenc_to_utf8(data, size, text, text_size, owned);
    if (kind != TEXTENC_UTF8 && kind != TEXTENC_UTF8_BOM) {
        diag_pos_t pos = {.file = name};
        diag_warn(dg, &pos, "text-encoding",
                  "the file is in %s, not UTF-8; it was read as such (save it as UTF-8 to be "
                  "sure of every character)",
                  textenc_name(kind));
    }
    return kind;
}
