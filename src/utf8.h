/* utf8 — decoding and validating UTF-8. Pure functions, no allocation. */
#ifndef ITAREPORT_UTF8_H
#define ITAREPORT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at *pos (which must be < len) and advances *pos past it.
 * Invalid or truncated sequences decode as U+FFFD, advancing one byte. */
uint32_t utf8_decode(const char *s, size_t len, size_t *pos);

/* Returns the byte offset of the first invalid sequence, or len when s is valid UTF-8
 * (shortest form, no surrogates, at most U+10FFFF). */
size_t utf8_validate(const char *s, size_t len);

/* The one UTF-8 check with a position: returns what utf8_validate returns and, when that
 * is less than len, sets *line and *column (from 1; columns count characters, as every
 * message's column does) to where that offset is (1 and 1 when all is valid). */
size_t utf8_check(const char *s, size_t len, int *line, int *column);

/* The value (0-9) of the Thai digit (๐-๙, U+0E50-U+0E59) that s[0..len) starts with, or -1. */
int utf8_thai_digit(const char *s, size_t len);

/* Makes every Thai digit of s[0..len) its ASCII digit, in place (๘๔.๑๔ becomes 84.14);
 * returns the new length and writes a NUL there. */
size_t utf8_ascii_digits(char *s, size_t len);

/* Writes the UTF-8 form of cp into out (4 bytes room); returns its length. */
size_t utf8_encode(uint32_t cp, char *out);

#endif
