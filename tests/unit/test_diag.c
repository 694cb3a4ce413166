/* Unit tests for diag: records (id, format, arguments, path), the one-line form, the
 * source line with a caret placed by display width, long lines cut around the column,
 * the error limit, forwarding and copying records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static diag_record_t *last;
static size_t records_seen;

static void keep(void *user, const diag_record_t *record)
{
    (void)user;
    diag_record_free(last);
    last = diag_record_copy(record);
    records_seen++;
}

static int reset(void **state)
{
    (void)state;
    diag_record_free(last);
    last = NULL;
    records_seen = 0;
    return 0;
}

static void test_record_fields(void **state)
{
    (void)state;
    diag_t *dg = diag_new(keep, NULL);
    diag_pos_t pos = {.file = "a.yaml", .line = 3, .column = 7, .path = "scores.questions.i8"};
    diag_fail(dg, &pos, "test-score-range", "score %s is outside %d-%d (question %s)", "104.5", 0,
              100, "i8");
    assert_non_null(last);
    assert_int_equal(last->severity, DIAG_ERROR);
    assert_string_equal(last->id, "test-score-range");
    assert_string_equal(last->format, "score %s is outside %d-%d (question %s)");
    assert_int_equal(last->arg_count, 4);
    assert_string_equal(last->args[0], "104.5");
    assert_string_equal(last->args[1], "0");
    assert_string_equal(last->args[2], "100");
    assert_string_equal(last->args[3], "i8");
    assert_string_equal(last->message, "score 104.5 is outside 0-100 (question i8)");
    assert_string_equal(last->pos.path, "scores.questions.i8");
    char line[256];
    diag_format_line(line, sizeof line, last);
    assert_string_equal(line, "a.yaml:3:7: error: score 104.5 is outside 0-100 (question i8)");
    assert_int_equal(diag_count(dg, DIAG_ERROR), 1);
    assert_int_equal(diag_count(dg, DIAG_WARNING), 0);
    diag_free(dg);
}

/* A message holding line breaks, control bytes and odd conversions keeps them. */
static void test_hostile_arguments(void **state)
{
    (void)state;
    diag_t *dg = diag_new(keep, NULL);
    diag_warn(dg, NULL, "test-odd", "%.*s|%5.1f|%zu|%c|%%|%x|%s", 3, "abcdef", 2.25, (size_t)7, 'q',
              255u, "a\nb\n\n\x01");
    assert_string_equal(last->message, "abc|  2.2|7|q|%|ff|a\nb\n\n\x01");
    assert_int_equal(last->arg_count, 6);
    char *english = diag_english(last);
    assert_string_equal(english, last->message);
    free(english);
    char line[256];
    diag_format_line(line, sizeof line, last);
    assert_string_equal(line, "itareport: warning: abc|  2.2|7|q|%|ff|a\nb\n\n\x01");
    diag_free(dg);
}

static void test_csv_position(void **state)
{
    (void)state;
    diag_t *dg = diag_new(keep, NULL);
    diag_pos_t pos = {.file = "t.csv", .line = 4, .column = 9, .column_name = "e1_01"};
    diag_fail(dg, &pos, "test-csv", "not a number");
    char line[128];
    diag_format_line(line, sizeof line, last);
    assert_string_equal(line, "t.csv:4:9: column e1_01: error: not a number");
    diag_free(dg);
}

/* The default printing: the line, then the source line and a caret under the column,
 * counting display width (Thai marks take none). */
static void test_caret_under_thai(void **state)
{
    (void)state;
    const char *text = "agency:\n  name: องค์การบริหารส่วนตำบลสี่แยก  x\n";
    diag_t *dg = diag_new(keep, NULL);
    diag_add_source(dg, "t.yaml", text, strlen(text));
    /* The column of the 'x' after the name, in characters (code points), as libyaml counts. */
    int column = 1;
    for (const char *p = strchr(text, '\n') + 1; *p != 'x'; p++)
        column += ((unsigned char)*p & 0xC0) != 0x80;
    diag_pos_t pos = {.file = "t.yaml", .line = 2, .column = column};
    diag_fail(dg, &pos, "test-caret", "here");
    assert_non_null(last->source_line);
    assert_string_equal(last->source_line, "  name: องค์การบริหารส่วนตำบลสี่แยก  x");
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    diag_print(out, last, false);
    fclose(out);
    /* "    " + the source line, then "    " + spaces up to the x's display column. */
    const char *second = strchr(buf, '\n') + 1;
    const char *third = strchr(second, '\n') + 1;
    size_t spaces = strspn(third, " ");
    /* The display column of 'x': the characters before it, Thai marks counting none. */
    int width = 0;
    const char *src = "  name: องค์การบริหารส่วนตำบลสี่แยก  ";
    for (const unsigned char *p = (const unsigned char *)src; *p;) {
        unsigned cp;
        if (*p < 0x80) {
            cp = *p++;
        } else {
            cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
            p += 3;
        }
        bool mark =
            cp == 0x0E31 || (cp >= 0x0E34 && cp <= 0x0E3A) || (cp >= 0x0E47 && cp <= 0x0E4E);
        width += mark ? 0 : 1;
    }
    assert_int_equal(spaces, 4 + (size_t)width);
    assert_int_equal(third[spaces], '^');
    free(buf);
    diag_free(dg);
}

/* A 200-cell CSV row is cut around the column, the caret still under it. */
static void test_long_line_cut(void **state)
{
    (void)state;
    char text[2048] = "";
    for (int i = 0; i < 200; i++)
        strcat(text, i == 150 ? "BAD," : "1,");
    strcat(text, "\n");
    diag_t *dg = diag_new(keep, NULL);
    diag_add_source(dg, "t.csv", text, strlen(text));
    int column = 150 * 2 + 1;
    diag_pos_t pos = {.file = "t.csv", .line = 1, .column = column};
    diag_fail(dg, &pos, "test-long", "not a number");
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    diag_print(out, last, false);
    fclose(out);
    const char *second = strchr(buf, '\n') + 1;
    const char *third = strchr(second, '\n') + 1;
    size_t shown = (size_t)(strchr(second, '\n') - second);
    assert_true(shown < 120);
    assert_memory_equal(second, "    ...", 7);
    size_t spaces = strspn(third, " ");
    assert_int_equal(third[spaces], '^');
    assert_memory_equal(second + spaces, "BAD", 3);
    free(buf);
    diag_free(dg);
}

static void test_error_limit(void **state)
{
    (void)state;
    diag_t *dg = diag_new(keep, NULL);
    for (int i = 0; i < 45000; i++)
        diag_fail(dg, NULL, "test-many", "error %d", i);
    /* 20 errors passed on, then one note. */
    assert_int_equal(records_seen, DIAG_DEFAULT_ERROR_LIMIT + 1);
    assert_int_equal(last->severity, DIAG_NOTE);
    assert_string_equal(last->id, "too-many-errors");
    assert_string_equal(last->message, "too many errors; stopped after the first 20");
    assert_true(diag_stopped(dg));
    assert_int_equal(diag_count(dg, DIAG_ERROR), 45000);
    diag_warn(dg, NULL, "test-warn", "still told");
    assert_int_equal(records_seen, DIAG_DEFAULT_ERROR_LIMIT + 2);
    diag_reset(dg);
    assert_false(diag_stopped(dg));
    assert_int_equal(diag_count(dg, DIAG_ERROR), 0);
    diag_free(dg);
}

/* A record made without a context, forwarded later, is counted and passed on whole. */
static void test_make_and_forward(void **state)
{
    (void)state;
    diag_pos_t pos = {.file = "f.yaml", .line = 2, .column = 1, .path = "overall"};
    diag_record_t *r =
        diag_record_make(DIAG_WARNING, &pos, "test-made", "published %s differs", "84.1");
    assert_string_equal(r->message, "published 84.1 differs");
    diag_t *dg = diag_new(keep, NULL);
    diag_forward(dg, r);
    assert_int_equal(diag_count(dg, DIAG_WARNING), 1);
    assert_string_equal(last->id, "test-made");
    assert_string_equal(last->pos.path, "overall");
    assert_string_equal(last->message, "published 84.1 differs");
    diag_record_free(r);
    diag_free(dg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_record_fields, reset),
        cmocka_unit_test_setup(test_hostile_arguments, reset),
        cmocka_unit_test_setup(test_csv_position, reset),
        cmocka_unit_test_setup(test_caret_under_thai, reset),
        cmocka_unit_test_setup(test_long_line_cut, reset),
        cmocka_unit_test_setup(test_error_limit, reset),
        cmocka_unit_test_setup(test_make_and_forward, reset),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    reset(NULL);
    return failed;
}
