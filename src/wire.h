/* wire — the frames a worker process and its parent exchange (pool.h).
 *
 * A frame is a plain struct: its kind (a job or a result), the job's id, a status, named
 * values (binary-safe bytes under a text key: a job's input, a result's figures) and
 * diagnostics records (diag_record_t, each field kept as it is). On the wire it is a
 * length-prefixed, binary-safe encoding (docs/batch.md, "The wire format"): a message
 * holding line breaks, empty lines, control bytes or invalid UTF-8 arrives byte for byte.
 * The decoder trusts nothing: every length is checked against what is left and against the
 * limits below, and a frame that does not decode is refused with the reason, never half
 * read.
 *
 * A frame owns everything in it (wire_frame_add_* copy what they are given);
 * wire_frame_free releases it. Encoded bytes are the caller's to free. */
#ifndef ITAREPORT_WIRE_H
#define ITAREPORT_WIRE_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits a decoded frame must keep to. */
#define WIRE_MAX_FRAME ((size_t)64 << 20) /* bytes of one frame after its length */
#define WIRE_MAX_VALUES 4096
#define WIRE_MAX_RECORDS 65536

typedef enum wire_kind {
    WIRE_JOB = 1,    /* parent to worker: work to do */
    WIRE_RESULT = 2, /* worker to parent: what came of it */
} wire_kind_t;

/* A named value: key is text (no NUL), value any bytes (value[len] is a NUL kept for
 * convenience, not part of it). */
typedef struct wire_value {
    char *key;
    char *value;
    size_t len;
} wire_value_t;

typedef struct wire_frame {
    wire_kind_t kind;
    uint64_t id;    /* the job's id (the caller's numbering) */
    int32_t status; /* the caller's meaning (batch: 0 failed, 1 made, 2 up to date) */
    wire_value_t *values;
    size_t value_count, value_capacity;
    diag_record_t **records; /* copies, each released with diag_record_free */
    size_t record_count, record_capacity;
} wire_frame_t;

typedef enum wire_status {
    WIRE_OK,         /* a whole frame was decoded */
    WIRE_INCOMPLETE, /* more bytes are needed */
    WIRE_INVALID,    /* the bytes are not a frame (the reason is given) */
} wire_status_t;

/* An empty frame of a kind and id (nothing allocated yet). */
void wire_frame_init(wire_frame_t *frame, wire_kind_t kind, uint64_t id);

/* Releases what the frame holds and leaves it empty; tolerates an initialised or zeroed
 * frame. */
void wire_frame_free(wire_frame_t *frame);

/* Adds a copy of a value (len bytes) under key; adds a text value; adds a copy of a
 * record. Never fail (out of memory aborts through mem). */
void wire_frame_add_bytes(wire_frame_t *frame, const char *key, const void *value, size_t len);
void wire_frame_add_text(wire_frame_t *frame, const char *key, const char *text);
void wire_frame_add_record(wire_frame_t *frame, const diag_record_t *record);

/* The first value under key, or NULL. */
const wire_value_t *wire_frame_get(const wire_frame_t *frame, const char *key);

/* Encodes a frame (its 4-byte length, then the body) into a new buffer of *len bytes
 * (caller frees). Returns NULL, setting *why, when the frame exceeds a limit above. */
unsigned char *wire_encode(const wire_frame_t *frame, size_t *len, const char **why);

/* Decodes the frame at the start of buf (len bytes available). WIRE_OK: *frame is filled
 * (the caller's, wire_frame_free) and *used says how many bytes it took. WIRE_INCOMPLETE:
 * nothing is filled. WIRE_INVALID: nothing is filled, *why (static text) says why. */
wire_status_t wire_decode(const unsigned char *buf, size_t len, wire_frame_t *frame, size_t *used,
                          const char **why);

/* Writes a frame to a file descriptor (all of it, retrying on EINTR): 0, or -1 with errno
 * set (or EMSGSIZE for a frame over the limits). */
int wire_write(int fd, const wire_frame_t *frame);

/* Reads one frame from a blocking file descriptor: 1 with *frame filled, 0 at end of file
 * before a frame, -1 on a read error or a frame that does not decode (*why says which). */
int wire_read(int fd, wire_frame_t *frame, const char **why);

/* text with control bytes (C0, DEL, C1) and bytes that are not UTF-8 written as escapes
 * (\n, \r, \t, \xNN), so that a log line stays one line: a new string. NULL gives "". */
char *wire_escape(const char *text);

#endif
