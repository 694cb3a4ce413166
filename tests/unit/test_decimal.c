/* Unit tests for decimal: exact parsing, half-up rounding, arithmetic, overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "decimal.h"

#include <string.h>

static decimal_t parse_ok(const char *text)
{
    decimal_t d;
    assert_int_equal(decimal_parse(text, strlen(text), &d), DECIMAL_STATUS_OK);
    return d;
}

static void test_parse(void **state)
{
    (void)state;
    decimal_t d = parse_ok("86.495");
    assert_int_equal(d.num, 17299);
    assert_int_equal(d.den, 200);
    assert_int_equal(parse_ok("100").num, 100);
    assert_int_equal(parse_ok("-0.5").num, -1);
    assert_int_equal(parse_ok(".5").den, 2);
    assert_int_equal(parse_ok("5.").num, 5);
    assert_int_equal(parse_ok("007.25").num, 29);
    /* Leading zeros do not count towards the 9-digit limit, however many (found by
     * fuzz_decimal: "000000000123.5" was refused as too long). */
    assert_int_equal(parse_ok("000000000123.5").num, 247);
    assert_int_equal(parse_ok("0000999999999").num, 999999999);
    assert_int_equal(parse_ok("-000").num, 0);
    decimal_t x;
    assert_int_equal(decimal_parse(".nan", 4, &x), DECIMAL_STATUS_NAN);
    assert_int_equal(decimal_parse("-.inf", 5, &x), DECIMAL_STATUS_INFINITE);
    assert_int_equal(decimal_parse("abc", 3, &x), DECIMAL_STATUS_NOT_NUMBER);
    assert_int_equal(decimal_parse("1.2.3", 5, &x), DECIMAL_STATUS_NOT_NUMBER);
    assert_int_equal(decimal_parse("", 0, &x), DECIMAL_STATUS_NOT_NUMBER);
    assert_int_equal(decimal_parse("-", 1, &x), DECIMAL_STATUS_NOT_NUMBER);
    assert_int_equal(decimal_parse(".", 1, &x), DECIMAL_STATUS_NOT_NUMBER);
    assert_int_equal(decimal_parse("1e5", 3, &x), DECIMAL_STATUS_NOT_NUMBER);
    assert_int_equal(decimal_parse("1234567890", 10, &x), DECIMAL_STATUS_TOO_LONG);
    assert_int_equal(decimal_parse("1.1234567890", 12, &x), DECIMAL_STATUS_TOO_LONG);
    assert_false(decimal_is_valid(x));
}

static void test_round_half_up(void **state)
{
    (void)state;
    assert_int_equal(decimal_round(parse_ok("86.495"), 2), 8650);
    assert_int_equal(decimal_round(parse_ok("86.494999"), 2), 8649);
    assert_int_equal(decimal_round(parse_ok("88.125"), 2), 8813);
    assert_int_equal(decimal_round(parse_ok("84.1"), 2), 8410);
    assert_int_equal(decimal_round(parse_ok("-0.005"), 2), -1);
    assert_int_equal(decimal_round(parse_ok("-0.004"), 2), 0);
    assert_int_equal(decimal_round(parse_ok("99.995"), 2), 10000);
    assert_int_equal(decimal_round(parse_ok("84.15"), 1), 842);
    /* 1/3 and 2/3 */
    assert_int_equal(decimal_round(decimal_div_int(decimal_from_int(1), 3), 2), 33);
    assert_int_equal(decimal_round(decimal_div_int(decimal_from_int(2), 3), 2), 67);
}

static void test_arithmetic(void **state)
{
    (void)state;
    /* Indicator 3 of the seed: mean of six IIT questions is exactly 86.495. */
    const char *i13_18[] = {"77.91", "79.40", "82.33", "94.11", "95.58", "89.64"};
    decimal_t v[6];
    for (int i = 0; i < 6; i++)
        v[i] = parse_ok(i13_18[i]);
    decimal_t mean = decimal_mean(v, 6);
    assert_int_equal(decimal_cmp(mean, parse_ok("86.495")), 0);
    assert_int_equal(decimal_round(mean, 2), 8650);
    decimal_t w = decimal_mul(parse_ok("0.3"), parse_ok("84.814"));
    assert_int_equal(decimal_cmp(w, parse_ok("25.4442")), 0);
    assert_int_equal(decimal_cmp(decimal_sub(parse_ok("1"), parse_ok("2")), decimal_from_int(-1)),
                     0);
    assert_true(decimal_cmp(parse_ok("84.99"), parse_ok("85")) < 0);
    assert_false(decimal_is_valid(decimal_mean(v, 0)));
    assert_int_equal(decimal_cmp(decimal_from_scaled(8650, 2), parse_ok("86.5")), 0);
}

static void test_overflow_is_invalid(void **state)
{
    (void)state;
    decimal_t big = decimal_from_int(INT64_MAX / 2);
    decimal_t sum = decimal_add(big, decimal_add(big, big));
    assert_false(decimal_is_valid(sum));
    assert_false(decimal_is_valid(decimal_add(sum, decimal_from_int(1))));
    /* Denominators that are coprime grow until they overflow. */
    decimal_t d = decimal_from_int(1);
    const int64_t primes[] = {999983, 999979, 999961, 999959};
    for (int i = 0; i < 4; i++)
        d = decimal_add(d, decimal_div_int(decimal_from_int(1), primes[i]));
    assert_false(decimal_is_valid(d));
    assert_int_equal(decimal_round(d, 2), 0);
}

static void test_format(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(decimal_format_scaled(8650, 2, buf, sizeof buf), "86.50");
    assert_string_equal(decimal_format_scaled(-4, 2, buf, sizeof buf), "-0.04");
    assert_string_equal(decimal_format_scaled(10000, 2, buf, sizeof buf), "100.00");
    assert_string_equal(decimal_format_scaled(5, 0, buf, sizeof buf), "5");
    assert_string_equal(decimal_format_scaled(842, 1, buf, sizeof buf), "84.2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),      cmocka_unit_test(test_round_half_up),
        cmocka_unit_test(test_arithmetic), cmocka_unit_test(test_overflow_is_invalid),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
