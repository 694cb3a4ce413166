/* Unit tests for wire: frames encoded and decoded back field for field, hostile bytes in
 * every text (line breaks, empty lines, control bytes, invalid UTF-8), frames cut short,
 * corrupted or over the limits refused with a reason, reading and writing through a pipe,
 * and the escaping the batch's log uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "wire.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every byte from 1 to 255 (no NUL: record texts are C strings), then the hostile cases. */
static char hostile[256 + 64];

static void make_hostile(void)
{
    size_t k = 0;
    for (int c = 1; c < 256; c++)
        hostile[k++] = (char)c;
    const char *more = "\n\n\r\n\xC3\x28\xE0\xB8\n\xF0\x9F\x92\xA9\x1B[31m\x7F\xFF";
    memcpy(hostile + k, more, strlen(more));
    k += strlen(more);
    hostile[k] = '\0';
}

static diag_record_t hostile_record(void)
{
    diag_record_t r;
    memset(&r, 0, sizeof r);
    r.severity = DIAG_WARNING;
    r.pos.file = "in/a\nb.yaml";
    r.pos.line = 11;
    r.pos.column = 9;
    r.pos.path = "agency.type";
    r.pos.column_name = NULL;
    r.id = "load-agency-type";
    r.format = "agency type '%s' is not one of: %s";
    r.arg_count = 2;
    r.args[0] = "first line\n\nthird line\n";
    r.args[1] = hostile;
    r.message = hostile;
    r.source_line = "  type: |";
    return r;
}

static void assert_same_text(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void assert_same_record(const diag_record_t *a, const diag_record_t *b)
{
    assert_int_equal(a->severity, b->severity);
    assert_same_text(a->pos.file, b->pos.file);
    assert_int_equal(a->pos.line, b->pos.line);
    assert_int_equal(a->pos.column, b->pos.column);
    assert_same_text(a->pos.path, b->pos.path);
    assert_same_text(a->pos.column_name, b->pos.column_name);
    assert_same_text(a->id, b->id);
    assert_same_text(a->format, b->format);
    assert_int_equal(a->arg_count, b->arg_count);
    for (size_t i = 0; i < a->arg_count; i++)
        assert_same_text(a->args[i], b->args[i]);
    assert_same_text(a->message, b->message);
    assert_same_text(a->source_line, b->source_line);
}

/* Encodes, decodes, checks the length taken; returns the decoded frame. */
static wire_frame_t round_trip(const wire_frame_t *f)
{
    size_t len = 0;
    const char *why = NULL;
    unsigned char *data = wire_encode(f, &len, &why);
    assert_non_null(data);
    wire_frame_t back;
    size_t used = 0;
    assert_int_equal(wire_decode(data, len, &back, &used, &why), WIRE_OK);
    assert_int_equal(used, len);
    free(data);
    return back;
}

static void test_round_trip_hostile(void **state)
{
    (void)state;
    make_hostile();
    wire_frame_t f;
    wire_frame_init(&f, WIRE_RESULT, 4000000000u + 7);
    f.status = 2;
    wire_frame_add_text(&f, "agency", "องค์การบริหารส่วนตำบลเสอเพลอ");
    wire_frame_add_text(&f, "empty", "");
    static const unsigned char binary[] = {0, 1, 2, '\n', 0, 0xFF, 0xC3};
    wire_frame_add_bytes(&f, "pdf", binary, sizeof binary);
    diag_record_t r = hostile_record();
    wire_frame_add_record(&f, &r);
    diag_record_t empty;
    memset(&empty, 0, sizeof empty); /* every optional text absent */
    empty.severity = DIAG_ERROR;
    wire_frame_add_record(&f, &empty);
    diag_record_t blank = empty;
    blank.message = ""; /* present but empty: not the same as absent */
    blank.pos.file = "";
    wire_frame_add_record(&f, &blank);

    wire_frame_t back = round_trip(&f);
    assert_int_equal(back.kind, WIRE_RESULT);
    assert_true(back.id == 4000000000u + 7);
    assert_int_equal(back.status, 2);
    assert_int_equal(back.value_count, 3);
    assert_string_equal(wire_frame_get(&back, "agency")->value, "องค์การบริหารส่วนตำบลเสอเพลอ");
    assert_int_equal(wire_frame_get(&back, "empty")->len, 0);
    const wire_value_t *pdf = wire_frame_get(&back, "pdf");
    assert_int_equal(pdf->len, sizeof binary);
    assert_memory_equal(pdf->value, binary, sizeof binary);
    assert_null(wire_frame_get(&back, "missing"));
    assert_int_equal(back.record_count, 3);
    assert_same_record(back.records[0], &r);
    /* What the frame held arrives (diag_record_copy may fill required texts with ""). */
    assert_same_record(back.records[1], f.records[1]);
    assert_same_record(back.records[2], f.records[2]);
    assert_null(back.records[1]->pos.file);
    assert_null(back.records[1]->source_line);
    assert_string_equal(back.records[2]->pos.file, "");
    wire_frame_free(&back);
    wire_frame_free(&f);
}

/* A stream of frames in one buffer decodes one after the other; each prefix of a frame is
 * incomplete, never invalid. */
static void test_stream_and_prefixes(void **state)
{
    (void)state;
    make_hostile();
    wire_frame_t a, b;
    wire_frame_init(&a, WIRE_JOB, 1);
    wire_frame_init(&b, WIRE_RESULT, 2);
    diag_record_t r = hostile_record();
    wire_frame_add_record(&b, &r);
    size_t la, lb;
    const char *why = NULL;
    unsigned char *ea = wire_encode(&a, &la, &why), *eb = wire_encode(&b, &lb, &why);
    unsigned char *both = malloc(la + lb);
    memcpy(both, ea, la);
    memcpy(both + la, eb, lb);
    for (size_t cut = 0; cut < lb; cut++) {
        wire_frame_t x;
        size_t used = 0;
        assert_int_equal(wire_decode(eb, cut, &x, &used, &why), WIRE_INCOMPLETE);
    }
    wire_frame_t x;
    size_t used = 0;
    assert_int_equal(wire_decode(both, la + lb, &x, &used, &why), WIRE_OK);
    assert_int_equal(used, la);
    assert_int_equal(x.kind, WIRE_JOB);
    wire_frame_free(&x);
    assert_int_equal(wire_decode(both + la, lb, &x, &used, &why), WIRE_OK);
    assert_int_equal(used, lb);
    assert_same_record(x.records[0], &r);
    wire_frame_free(&x);
    free(ea);
    free(eb);
    free(both);
    wire_frame_free(&a);
    wire_frame_free(&b);
}

static wire_status_t decode_bytes(const unsigned char *p, size_t n, const char **why)
{
    wire_frame_t x;
    size_t used = 0;
    wire_status_t st = wire_decode(p, n, &x, &used, why);
    if (st == WIRE_OK)
        wire_frame_free(&x);
    return st;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* Corrupted frames are refused with a reason: every single-byte change of a valid frame
 * either decodes or is refused, and the named cases are refused for what they are. */
static void test_hostile_frames(void **state)
{
    (void)state;
    make_hostile();
    wire_frame_t f;
    wire_frame_init(&f, WIRE_RESULT, 3);
    wire_frame_add_text(&f, "k", "v");
    diag_record_t r = hostile_record();
    wire_frame_add_record(&f, &r);
    size_t len;
    const char *why = NULL;
    unsigned char *data = wire_encode(&f, &len, &why);

    unsigned char *copy = malloc(len);
    for (size_t i = 0; i < len; i++) {
        memcpy(copy, data, len);
        copy[i] ^= 0xA5;
        why = NULL;
        wire_status_t st = decode_bytes(copy, len, &why);
        if (st == WIRE_INVALID)
            assert_non_null(why);
    }

    /* The length over the limit. */
    memcpy(copy, data, len);
    put_u32(copy, (uint32_t)WIRE_MAX_FRAME + 1);
    assert_int_equal(decode_bytes(copy, len, &why), WIRE_INVALID);
    assert_string_equal(why, "the frame is longer than the limit");
    /* Bad magic. */
    memcpy(copy, data, len);
    copy[4] = 'X';
    assert_int_equal(decode_bytes(copy, len, &why), WIRE_INVALID);
    assert_string_equal(why, "not a frame (bad magic)");
    /* An unknown kind. */
    memcpy(copy, data, len);
    copy[8] = 9;
    assert_int_equal(decode_bytes(copy, len, &why), WIRE_INVALID);
    assert_string_equal(why, "an unknown frame kind");
    /* A length field pointing past the end (the value count made huge but allowed, then the
     * first value's key length pointing past the frame). */
    memcpy(copy, data, len);
    put_u32(copy + 4 + 4 + 1 + 8 + 4 + 4, 0x7FFFFFFF);
    assert_int_equal(decode_bytes(copy, len, &why), WIRE_INVALID);
    assert_string_equal(why, "a field runs past the end of the frame");
    /* Too many values. */
    memcpy(copy, data, len);
    put_u32(copy + 4 + 4 + 1 + 8 + 4, WIRE_MAX_VALUES + 1);
    assert_int_equal(decode_bytes(copy, len, &why), WIRE_INVALID);
    assert_string_equal(why, "too many values");
    /* A NUL inside a key. */
    memcpy(copy, data, len);
    copy[4 + 4 + 1 + 8 + 4 + 4 + 4] = '\0';
    assert_int_equal(decode_bytes(copy, len, &why), WIRE_INVALID);
    assert_string_equal(why, "a text field holds a NUL byte");
    /* Bytes after the end of the frame's content, inside its length. */
    unsigned char *longer = malloc(len + 1);
    memcpy(longer, data, len);
    longer[len] = 0;
    put_u32(longer, (uint32_t)(len - 4 + 1));
    assert_int_equal(decode_bytes(longer, len + 1, &why), WIRE_INVALID);
    assert_string_equal(why, "bytes left over after the frame");
    free(longer);
    free(copy);
    free(data);
    wire_frame_free(&f);
}

static void test_pipe(void **state)
{
    (void)state;
    make_hostile();
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    wire_frame_t f;
    wire_frame_init(&f, WIRE_RESULT, 42);
    diag_record_t r = hostile_record();
    wire_frame_add_record(&f, &r);
    assert_int_equal(wire_write(fds[1], &f), 0);
    assert_int_equal(write(fds[1], "\x10\x00", 2), 2); /* a frame cut short */
    close(fds[1]);
    wire_frame_t back;
    const char *why = NULL;
    assert_int_equal(wire_read(fds[0], &back, &why), 1);
    assert_true(back.id == 42);
    assert_same_record(back.records[0], &r);
    wire_frame_free(&back);
    assert_int_equal(wire_read(fds[0], &back, &why), -1);
    close(fds[0]);

    assert_int_equal(pipe(fds), 0);
    close(fds[1]);
    assert_int_equal(wire_read(fds[0], &back, &why), 0); /* end of file between frames */
    close(fds[0]);
    wire_frame_free(&f);
}

static void test_escape(void **state)
{
    (void)state;
    char *s = wire_escape("a\nb\r\tc\x01\x1B[0m\x7F");
    assert_string_equal(s, "a\\nb\\r\\tc\\x01\\x1b[0m\\x7f");
    free(s);
    s = wire_escape("ไทย \xC3\x28 \xFF \xC2\x85 ok"); /* Thai kept; invalid bytes, C1 escaped */
    assert_string_equal(s, "ไทย \\xc3( \\xff \\xc2\\x85 ok");
    free(s);
    s = wire_escape("\xEF\xBF\xBD"); /* a real U+FFFD is kept */
    assert_string_equal(s, "\xEF\xBF\xBD");
    free(s);
    s = wire_escape(NULL);
    assert_string_equal(s, "");
    free(s);
    make_hostile();
    s = wire_escape(hostile);
    for (const char *p = s; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7F);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_hostile),
        cmocka_unit_test(test_stream_and_prefixes),
        cmocka_unit_test(test_hostile_frames),
        cmocka_unit_test(test_pipe),
        cmocka_unit_test(test_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
