/* wire — see wire.h.
 *
 * The encoding (all integers little-endian):
 *
 *   u32 length of what follows (at most WIRE_MAX_FRAME)
 *   "ITW1"  u8 kind  u64 id  i32 status
 *   u32 value count, then per value: str key, bytes value
 *   u32 record count, then per record: u8 severity, opt file, i32 line, i32 column,
 *       opt path, opt column name, opt id, opt format, u8 argument count (at most
 *       DIAG_MAX_ARGS) and that many str, opt message, opt source line
 *
 * where bytes is a u32 length and that many bytes, str the same holding no NUL (the text
 * fields are C strings), and opt a str or the length 0xFFFFFFFF for NULL. */
#include "wire.h"

#include "mem.h"
#include "utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const unsigned char wire_magic[4] = {'I', 'T', 'W', '1'};
#define WIRE_NULL 0xFFFFFFFFu

void wire_frame_init(wire_frame_t *frame, wire_kind_t kind, uint64_t id)
{
    memset(frame, 0, sizeof *frame);
    frame->kind = kind;
    frame->id = id;
}

void wire_frame_free(wire_frame_t *frame)
{
    for (size_t i = 0; i < frame->value_count; i++) {
        free(frame->values[i].key);
        free(frame->values[i].value);
    }
    free(frame->values);
    for (size_t i = 0; i < frame->record_count; i++)
        diag_record_free(frame->records[i]);
    free(frame->records);
    wire_kind_t kind = frame->kind;
    uint64_t id = frame->id;
    wire_frame_init(frame, kind, id);
}

void wire_frame_add_bytes(wire_frame_t *frame, const char *key, const void *value, size_t len)
{
    frame->values = mem_array_grow(frame->values, &frame->value_capacity, frame->value_count + 1,
                                   sizeof *frame->values);
    wire_value_t *v = &frame->values[frame->value_count++];
    v->key = mem_strdup(key);
    v->value = mem_alloc(len + 1);
    if (len)
        memcpy(v->value, value, len);
    v->value[len] = '\0';
    v->len = len;
}

void wire_frame_add_text(wire_frame_t *frame, const char *key, const char *text)
{
    wire_frame_add_bytes(frame, key, text ? text : "", text ? strlen(text) : 0);
}

void wire_frame_add_record(wire_frame_t *frame, const diag_record_t *record)
{
    frame->records = mem_array_grow(frame->records, &frame->record_capacity,
                                    frame->record_count + 1, sizeof *frame->records);
    frame->records[frame->record_count++] = diag_record_copy(record);
}

const wire_value_t *wire_frame_get(const wire_frame_t *frame, const char *key)
{
    for (size_t i = 0; i < frame->value_count; i++)
        if (strcmp(frame->values[i].key, key) == 0)
            return &frame->values[i];
    return NULL;
}

/* ---- encoding ------------------------------------------------------------------------- */

typedef struct wire_out {
    unsigned char *data;
    size_t len, cap;
} wire_out_t;

static void out_bytes(wire_out_t *o, const void *p, size_t n)
{
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->len + n)
            cap *= 2;
        o->data = mem_realloc(o->data, cap);
        o->cap = cap;
    }
    if (n)
        memcpy(o->data + o->len, p, n);
    o->len += n;
}

static void out_u8(wire_out_t *o, unsigned v)
{
    unsigned char b = (unsigned char)v;
    out_bytes(o, &b, 1);
}

static void out_u32(wire_out_t *o, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    out_bytes(o, b, 4);
}

static void out_u64(wire_out_t *o, uint64_t v)
{
    out_u32(o, (uint32_t)v);
    out_u32(o, (uint32_t)(v >> 32));
}

/* A text field: its length (NULL as WIRE_NULL) and bytes; false when too long. */
static bool out_text(wire_out_t *o, const char *s)
{
    if (!s) {
        out_u32(o, WIRE_NULL);
        return true;
    }
    size_t n = strlen(s);
    if (n > WIRE_MAX_FRAME)
        return false;
    out_u32(o, (uint32_t)n);
    out_bytes(o, s, n);
    return true;
}

unsigned char *wire_encode(const wire_frame_t *frame, size_t *len, const char **why)
{
    wire_out_t o = {NULL, 0, 0};
    const char *problem = NULL;
    if (frame->value_count > WIRE_MAX_VALUES) {
        problem = "too many values";
        goto fail;
    }
    if (frame->record_count > WIRE_MAX_RECORDS) {
        problem = "too many records";
        goto fail;
    }
    out_u32(&o, 0); /* the length, filled in at the end */
    out_bytes(&o, wire_magic, sizeof wire_magic);
    out_u8(&o, (unsigned)frame->kind);
    out_u64(&o, frame->id);
    out_u32(&o, (uint32_t)frame->status);
    out_u32(&o, (uint32_t)frame->value_count);
    for (size_t i = 0; i < frame->value_count; i++) {
        const wire_value_t *v = &frame->values[i];
        if (v->len > WIRE_MAX_FRAME || !out_text(&o, v->key)) {
            problem = "a value is too long";
            goto fail;
        }
        out_u32(&o, (uint32_t)v->len);
        out_bytes(&o, v->value, v->len);
    }
    out_u32(&o, (uint32_t)frame->record_count);
    for (size_t i = 0; i < frame->record_count; i++) {
        const diag_record_t *r = frame->records[i];
        size_t args = r->arg_count < DIAG_MAX_ARGS ? r->arg_count : DIAG_MAX_ARGS;
        out_u8(&o, (unsigned)r->severity);
        bool fits = out_text(&o, r->pos.file);
        out_u32(&o, (uint32_t)r->pos.line);
        out_u32(&o, (uint32_t)r->pos.column);
        fits = fits && out_text(&o, r->pos.path) && out_text(&o, r->pos.column_name) &&
               out_text(&o, r->id) && out_text(&o, r->format);
        out_u8(&o, (unsigned)args);
        for (size_t a = 0; a < args; a++)
            fits = fits && out_text(&o, r->args[a] ? r->args[a] : "");
        fits = fits && out_text(&o, r->message) && out_text(&o, r->source_line);
        if (!fits) {
            problem = "a message is too long";
            goto fail;
        }
    }
    if (o.len - 4 > WIRE_MAX_FRAME) {
        problem = "the frame is too long";
        goto fail;
    }
    uint32_t body = (uint32_t)(o.len - 4);
    for (int b = 0; b < 4; b++)
        o.data[b] = (unsigned char)(body >> (8 * b));
    *len = o.len;
    return o.data;
fail:
    free(o.data);
    if (why)
        *why = problem;
    *len = 0;
    return NULL;
}

/* ---- decoding ------------------------------------------------------------------------- */

typedef struct wire_in {
    const unsigned char *p, *end;
    const char *why; /* the first problem met */
} wire_in_t;

static bool in_fail(wire_in_t *in, const char *why)
{
    if (!in->why)
        in->why = why;
    return false;
}

/* Every reader leaves its outputs set (zero) when it fails. */
static bool in_bytes(wire_in_t *in, void *dst, size_t n)
{
    if ((size_t)(in->end - in->p) < n) {
        memset(dst, 0, n);
        return in_fail(in, "a field runs past the end of the frame");
    }
    memcpy(dst, in->p, n);
    in->p += n;
    return true;
}

static bool in_u8(wire_in_t *in, unsigned *v)
{
    unsigned char b;
    if (!in_bytes(in, &b, 1))
        return false;
    *v = b;
    return true;
}

static bool in_u32(wire_in_t *in, uint32_t *v)
{
    unsigned char b[4];
    if (!in_bytes(in, b, 4))
        return false;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

static bool in_u64(wire_in_t *in, uint64_t *v)
{
    uint32_t lo, hi;
    if (!in_u32(in, &lo) || !in_u32(in, &hi))
        return false;
    *v = (uint64_t)hi << 32 | lo;
    return true;
}

static bool in_int(wire_in_t *in, int *v)
{
    uint32_t u;
    if (!in_u32(in, &u))
        return false;
    if (u > (uint32_t)INT32_MAX)
        return in_fail(in, "a line or column is negative");
    *v = (int)u;
    return true;
}

/* Bytes of a counted field: *n of them at *at (borrowed from the input). */
static bool in_counted(wire_in_t *in, const unsigned char **at, size_t *n, bool allow_null,
                       bool *is_null)
{
    uint32_t len;
    *at = NULL;
    *n = 0;
    *is_null = false;
    if (!in_u32(in, &len))
        return false;
    if (len == WIRE_NULL) {
        if (!allow_null)
            return in_fail(in, "a required field is missing");
        *is_null = true;
        *at = NULL;
        *n = 0;
        return true;
    }
    if ((size_t)(in->end - in->p) < len)
        return in_fail(in, "a field runs past the end of the frame");
    *at = in->p;
    *n = len;
    in->p += len;
    return true;
}

/* A text field as a new string (NULL for an absent optional one). */
static bool in_text(wire_in_t *in, char **out, bool allow_null)
{
    const unsigned char *at;
    size_t n;
    bool is_null;
    *out = NULL;
    if (!in_counted(in, &at, &n, allow_null, &is_null))
        return false;
    if (is_null)
        return true;
    if (n && memchr(at, '\0', n))
        return in_fail(in, "a text field holds a NUL byte");
    *out = mem_strndup((const char *)at, n);
    return true;
}

/* One record into a copy added to the frame. */
static bool in_record(wire_in_t *in, wire_frame_t *frame)
{
    char *text[DIAG_MAX_ARGS] = {NULL};
    char *file = NULL, *path = NULL, *column_name = NULL, *id = NULL, *format = NULL;
    char *message = NULL, *source = NULL;
    unsigned severity = 0, args = 0;
    int line = 0, column = 0;
    bool ok = in_u8(in, &severity) && (severity <= DIAG_NOTE || in_fail(in, "a bad severity")) &&
              in_text(in, &file, true) && in_int(in, &line) && in_int(in, &column) &&
              in_text(in, &path, true) && in_text(in, &column_name, true) &&
              in_text(in, &id, true) && in_text(in, &format, true) && in_u8(in, &args) &&
              (args <= DIAG_MAX_ARGS || in_fail(in, "too many message arguments"));
    size_t got = 0;
    while (ok && got < args) {
        ok = in_text(in, &text[got], false);
        if (ok)
            got++;
    }
    ok = ok && in_text(in, &message, true) && in_text(in, &source, true);
    if (ok) {
        diag_record_t r;
        memset(&r, 0, sizeof r);
        r.severity = (diag_severity_t)severity;
        r.pos.file = file;
        r.pos.line = line;
        r.pos.column = column;
        r.pos.path = path;
        r.pos.column_name = column_name;
        r.id = id;
        r.format = format;
        r.arg_count = got;
        for (size_t a = 0; a < got; a++)
            r.args[a] = text[a];
        r.message = message;
        r.source_line = source;
        wire_frame_add_record(frame, &r);
    }
    for (size_t a = 0; a < got; a++)
        free(text[a]);
    free(file);
    free(path);
    free(column_name);
    free(id);
    free(format);
    free(message);
    free(source);
    return ok;
}

wire_status_t wire_decode(const unsigned char *buf, size_t len, wire_frame_t *frame, size_t *used,
                          const char **why)
{
    if (len < 4)
        return WIRE_INCOMPLETE;
    uint32_t body =
        (uint32_t)buf[0] | (uint32_t)buf[1] << 8 | (uint32_t)buf[2] << 16 | (uint32_t)buf[3] << 24;
    if (body > WIRE_MAX_FRAME) {
        *why = "the frame is longer than the limit";
        return WIRE_INVALID;
    }
    if (len - 4 < body)
        return WIRE_INCOMPLETE;
    wire_in_t in = {buf + 4, buf + 4 + body, NULL};
    wire_frame_t f;
    wire_frame_init(&f, WIRE_JOB, 0);
    unsigned char magic[4];
    unsigned kind = 0;
    uint32_t status = 0, values = 0, records = 0;
    bool ok = in_bytes(&in, magic, 4) &&
              (memcmp(magic, wire_magic, 4) == 0 || in_fail(&in, "not a frame (bad magic)")) &&
              in_u8(&in, &kind) &&
              (kind == WIRE_JOB || kind == WIRE_RESULT || in_fail(&in, "an unknown frame kind")) &&
              in_u64(&in, &f.id) && in_u32(&in, &status) && in_u32(&in, &values) &&
              (values <= WIRE_MAX_VALUES || in_fail(&in, "too many values"));
    f.kind = (wire_kind_t)kind;
    f.status = (int32_t)status;
    for (uint32_t i = 0; ok && i < values; i++) {
        char *key = NULL;
        const unsigned char *at;
        size_t n;
        bool is_null;
        ok = in_text(&in, &key, false) && in_counted(&in, &at, &n, false, &is_null);
        if (ok)
            wire_frame_add_bytes(&f, key, at, n);
        free(key);
    }
    ok = ok && in_u32(&in, &records) &&
         (records <= WIRE_MAX_RECORDS || in_fail(&in, "too many records"));
    for (uint32_t i = 0; ok && i < records; i++)
        ok = in_record(&in, &f);
    if (ok && in.p != in.end)
        ok = in_fail(&in, "bytes left over after the frame");
    if (!ok) {
        wire_frame_free(&f);
        *why = in.why;
        return WIRE_INVALID;
    }
    *frame = f;
    *used = 4 + (size_t)body;
    return WIRE_OK;
}

/* ---- file descriptors ----------------------------------------------------------------- */

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads exactly n bytes: 1, 0 at end of file before any, -1 on error or a short read. */
static int read_all(int fd, unsigned char *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            return got ? -1 : 0;
        got += (size_t)r;
    }
    return 1;
}

int wire_write(int fd, const wire_frame_t *frame)
{
    size_t len = 0;
    const char *why = NULL;
    unsigned char *data = wire_encode(frame, &len, &why);
    if (!data) {
        errno = EMSGSIZE;
        return -1;
    }
    int rc = write_all(fd, data, len);
    free(data);
    return rc;
}

int wire_read(int fd, wire_frame_t *frame, const char **why)
{
    unsigned char head[4];
    int rc = read_all(fd, head, 4);
    if (rc <= 0) {
        *why = rc == 0 ? "end of file" : "a read error or a cut frame";
        return rc;
    }
    uint32_t body = (uint32_t)head[0] | (uint32_t)head[1] << 8 | (uint32_t)head[2] << 16 |
                    (uint32_t)head[3] << 24;
    if (body > WIRE_MAX_FRAME) {
        *why = "the frame is longer than the limit";
        return -1;
    }
    unsigned char *data = mem_alloc((size_t)body + 4);
    memcpy(data, head, 4);
    if (body && read_all(fd, data + 4, body) != 1) {
        free(data);
        *why = "a read error or a cut frame";
        return -1;
    }
    size_t used = 0;
    wire_status_t st = wire_decode(data, (size_t)body + 4, frame, &used, why);
    free(data);
    return st == WIRE_OK ? 1 : -1;
}

/* ---- escaping for logs ---------------------------------------------------------------- */

char *wire_escape(const char *text)
{
    if (!text)
        return mem_strdup("");
    size_t n = strlen(text);
    char *out = mem_alloc(n * 4 + 1);
    size_t k = 0;
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n;) {
        size_t at = i;
        uint32_t cp = utf8_decode(text, n, &i);
        /* A U+FFFD that is not spelled EF BF BD was an invalid byte (i moved by one). */
        bool invalid = cp == 0xFFFD && !(i - at == 3 && memcmp(text + at, "\xEF\xBF\xBD", 3) == 0);
        bool control = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
        if (!invalid && !control) {
            memcpy(out + k, text + at, i - at);
            k += i - at;
            continue;
        }
        if (cp == '\n' || cp == '\r' || cp == '\t') {
            out[k++] = '\\';
            out[k++] = cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't';
            continue;
        }
        for (size_t b = at; b < i; b++) {
            unsigned char c = (unsigned char)text[b];
            out[k++] = '\\';
            out[k++] = 'x';
            out[k++] = hex[c >> 4];
            out[k++] = hex[c & 15];
        }
    }
    out[k] = '\0';
    return out;
}
