/* Unit tests for diag: message format with and without positions, counts, sinks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "diag.h"

#include <string.h>

static char last_line[512];
static diag_severity_t last_severity;

static void capture(void *user, diag_severity_t severity, const char *line)
{
    (void)user;
    last_severity = severity;
    strncpy(last_line, line, sizeof last_line - 1);
}

static void test_positioned_error(void **state)
{
    (void)state;
    diag_set_sink(capture, NULL);
    diag_reset();
    diag_pos_t pos = {"sepholoe.yaml", 42, 7};
    diag_error_at(&pos, "score %.1f is outside 0-100 (question %s)", 104.5, "i8");
    assert_string_equal(last_line,
                        "sepholoe.yaml:42:7: error: score 104.5 is outside 0-100 (question i8)");
    assert_int_equal(last_severity, DIAG_ERROR);
    assert_int_equal(diag_count(DIAG_ERROR), 1);
    assert_int_equal(diag_count(DIAG_WARNING), 0);
    diag_set_sink(NULL, NULL);
}

static void test_unpositioned_warning(void **state)
{
    (void)state;
    diag_set_sink(capture, NULL);
    diag_reset();
    diag_warning("font '%s' has no bold", "x.ttf");
    assert_string_equal(last_line, "itareport: warning: font 'x.ttf' has no bold");
    diag_pos_t file_only = {"in.txt", 0, 0};
    diag_error_at(&file_only, "empty");
    assert_string_equal(last_line, "in.txt: error: empty");
    diag_pos_t line_only = {"in.txt", 3, 0};
    diag_error_at(&line_only, "bad");
    assert_string_equal(last_line, "in.txt:3: error: bad");
    assert_int_equal(diag_count(DIAG_WARNING), 1);
    assert_int_equal(diag_count(DIAG_ERROR), 2);
    diag_reset();
    assert_int_equal(diag_count(DIAG_ERROR), 0);
    diag_set_sink(NULL, NULL);
}

static size_t format_into(char *buf, size_t size, const diag_pos_t *pos, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    size_t n = diag_format(buf, size, DIAG_ERROR, pos, fmt, args);
    va_end(args);
    return n;
}

static void test_truncation(void **state)
{
    (void)state;
    char buf[16];
    diag_pos_t pos = {"a.yaml", 1, 2};
    size_t n = format_into(buf, sizeof buf, &pos, "%s", "a long message");
    assert_int_equal(n, strlen("a.yaml:1:2: error: a long message"));
    assert_int_equal(strlen(buf), sizeof buf - 1);
    assert_memory_equal(buf, "a.yaml:1:2: err", sizeof buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positioned_error),
        cmocka_unit_test(test_unpositioned_warning),
        cmocka_unit_test(test_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
