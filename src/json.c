/* json — see json.h. */
#include "json.h"

#include "mem.h"

#include <inttypes.h>
#include <stdlib.h>

struct json_writer {
    FILE *out;
    int depth;
    bool first[JSON_MAX_DEPTH]; /* nothing written yet at this level */
    bool after_key;             /* a key was written; the value follows on its line */
};

json_writer_t *json_writer_new(FILE *out)
{
    json_writer_t *w = mem_zalloc(1, sizeof *w);
    w->out = out;
    w->first[0] = true;
    return w;
}

void json_writer_free(json_writer_t *w)
{
    if (!w)
        return;
    fputc('\n', w->out);
    free(w);
}

static void json_indent(json_writer_t *w)
{
    fputc('\n', w->out);
    for (int i = 0; i < w->depth; i++)
        fputs("  ", w->out);
}

/* Separates a value from the previous one (comma, new line, indentation). */
static void json_before_value(json_writer_t *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth])
        fputc(',', w->out);
    if (w->depth > 0)
        json_indent(w);
    w->first[w->depth] = false;
}

static void json_open(json_writer_t *w, char c)
{
    json_before_value(w);
    fputc(c, w->out);
    if (w->depth + 1 < JSON_MAX_DEPTH) {
        w->depth++;
        w->first[w->depth] = true;
    }
}

static void json_close(json_writer_t *w, char c)
{
    bool empty = w->first[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (!empty)
        json_indent(w);
    fputc(c, w->out);
}

void json_begin_object(json_writer_t *w)
{
    json_open(w, '{');
}

void json_end_object(json_writer_t *w)
{
    json_close(w, '}');
}

void json_begin_array(json_writer_t *w)
{
    json_open(w, '[');
}

void json_end_array(json_writer_t *w)
{
    json_close(w, ']');
}

static void json_write_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*p < 0x20 || *p == 0x7F)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out); /* UTF-8 passes through */
        }
    }
    fputc('"', out);
}

void json_key(json_writer_t *w, const char *key)
{
    json_before_value(w);
    json_write_string(w->out, key);
    fputs(": ", w->out);
    w->after_key = true;
}

void json_string(json_writer_t *w, const char *s)
{
    if (!s) {
        json_null(w);
        return;
    }
    json_before_value(w);
    json_write_string(w->out, s);
}

void json_int(json_writer_t *w, int64_t value)
{
    json_before_value(w);
    fprintf(w->out, "%" PRId64, value);
}

void json_bool(json_writer_t *w, bool value)
{
    json_before_value(w);
    fputs(value ? "true" : "false", w->out);
}

void json_null(json_writer_t *w)
{
    json_before_value(w);
    fputs("null", w->out);
}

void json_number_text(json_writer_t *w, const char *text)
{
    json_before_value(w);
    fputs(text, w->out);
}
