/* json — a small streaming JSON writer (for `itareport check --json`).
 *
 * Writes objects, arrays, keys and values to a FILE with two-space indentation, commas and
 * escaping handled: strings are escaped per RFC 8259 (quotes, backslash, control
 * characters as \uXXXX) and UTF-8 passes through unchanged. Numbers are written from text
 * the caller has formatted exactly (e.g. "86.50"), so nothing goes through binary floats.
 * The writer owns only its own state; the FILE stays the caller's. Nesting deeper than
 * JSON_MAX_DEPTH is a programming error and is ignored. */
#ifndef ITAREPORT_JSON_H
#define ITAREPORT_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

typedef struct json_writer json_writer_t;

json_writer_t *json_writer_new(FILE *out);
/* Ends the last line and frees the writer. */
void json_writer_free(json_writer_t *w);

void json_begin_object(json_writer_t *w);
void json_end_object(json_writer_t *w);
void json_begin_array(json_writer_t *w);
void json_end_array(json_writer_t *w);
/* The key of the next member of the current object. */
void json_key(json_writer_t *w, const char *key);

void json_string(json_writer_t *w, const char *s); /* NULL writes null */
void json_int(json_writer_t *w, int64_t value);
void json_bool(json_writer_t *w, bool value);
void json_null(json_writer_t *w);
/* A number already formatted as JSON number text ("84.14"). */
void json_number_text(json_writer_t *w, const char *text);

#endif
