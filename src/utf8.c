/* utf8 — see utf8.h. */
#include "utf8.h"

/* Length of the valid sequence at s[pos], or 0 when it is invalid. */
static size_t sequence_length(const unsigned char *s, size_t len, size_t pos, uint32_t *cp)
{
    unsigned char c = s[pos];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len - pos < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        unsigned char t = s[pos + k];
        if ((t & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (t & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* Whether s[i] starts a well-formed three-byte sequence of U+0800-U+CFFF (Thai among
 * them): with ASCII, most of what the program reads. */
static int is_common_three(const unsigned char *u, size_t len, size_t i)
{
    return u[i] >= 0xE0 && u[i] <= 0xEC && len - i >= 3 && (u[i + 1] & 0xC0) == 0x80 &&
           (u[i] != 0xE0 || u[i + 1] >= 0xA0) && (u[i + 2] & 0xC0) == 0x80;
}

uint32_t utf8_decode(const char *s, size_t len, size_t *pos)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = *pos;
    if (u[i] < 0x80) {
        *pos = i + 1;
        return u[i];
    }
    if (is_common_three(u, len, i)) {
        *pos = i + 3;
        return (uint32_t)(u[i] & 0x0F) << 12 | (uint32_t)(u[i + 1] & 0x3F) << 6 | (u[i + 2] & 0x3F);
    }
    uint32_t cp = 0xFFFD;
    size_t n = sequence_length((const unsigned char *)s, len, *pos, &cp);
    *pos += n ? n : 1;
    return n ? cp : 0xFFFD;
}

size_t utf8_validate(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t pos = 0;
    uint32_t cp;
    while (pos < len) {
        if (u[pos] < 0x80) {
            pos++;
        } else if (is_common_three(u, len, pos)) {
            pos += 3;
        } else {
            size_t n = sequence_length(u, len, pos, &cp);
            if (!n)
                return pos;
            pos += n;
        }
    }
    return len;
}

size_t utf8_check(const char *s, size_t len, int *line, int *column)
{
    size_t end = utf8_validate(s, len);
    /* The line and column of the invalid sequence, counted only then. */
    *line = 1;
    *column = 1;
    for (size_t pos = 0; end < len && pos < end;) {
        if (s[pos] == '\n')
            ++*line, *column = 1;
        else
            ++*column;
        (void)utf8_decode(s, end, &pos);
    }
    return end;
}

size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int utf8_thai_digit(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    return len >= 3 && p[0] == 0xE0 && p[1] == 0xB9 && p[2] >= 0x90 && p[2] <= 0x99 ? p[2] - 0x90
                                                                                    : -1;
}

size_t utf8_ascii_digits(char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int digit = utf8_thai_digit(s + i, len - i);
        if (digit >= 0) {
            s[n++] = (char)('0' + digit);
            i += 2;
        } else {
            s[n++] = s[i];
        }
    }
    s[n] = '\0';
    return n;
}
