/* libFuzzer target over the decimal reader and rounding, checked against a reference in
 * 128-bit integers: the input is split at newlines and commas into up to 8 tokens; each is
 * parsed with decimal_parse and by a plain scanner of [+-]digits[.digits] (at most 9 digits
 * each side, leading zeros free), which must agree on acceptance and value. Each accepted
 * value is rounded to 0..9 places (half away from zero, as the reference), formatted,
 * parsed back (the same rounded value, unless rounding carried it to 10 whole digits) and
 * compared; the mean of the values, when valid,
 * rounds as the reference mean does. Any disagreement aborts. Built and run by
 * `make fuzz`, seeds in tests/fuzz/seeds-decimal. */
#include "decimal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef __int128 wide_t;

/* The reference: value * 10^9 of [+-]digits[.digits]; false when not of that form. */
static bool reference_parse(const char *t, size_t len, wide_t *scaled)
{
    size_t i = 0;
    bool negative = false;
    if (i < len && (t[i] == '+' || t[i] == '-'))
        negative = t[i++] == '-';
    size_t start = i;
    while (i < len && t[i] == '0')
        i++;
    bool zeros = i > start;
    wide_t whole = 0, frac = 0;
    int whole_digits = 0, frac_digits = 0;
    for (; i < len && t[i] >= '0' && t[i] <= '9'; i++, whole_digits++)
        if (whole_digits < 10)
            whole = whole * 10 + (t[i] - '0');
    if (i < len && t[i] == '.')
        for (i++; i < len && t[i] >= '0' && t[i] <= '9'; i++, frac_digits++)
            if (frac_digits < 10)
                frac = frac * 10 + (t[i] - '0');
    if (i != len || whole_digits > 9 || frac_digits > 9 ||
        (!zeros && whole_digits + frac_digits == 0))
        return false;
    for (int k = frac_digits; k < 9; k++)
        frac *= 10;
    *scaled = (whole * 1000000000 + frac) * (negative ? -1 : 1);
    return true;
}

static wide_t pow10w(int n)
{
    wide_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

/* num / den rounded half away from zero to places decimals, as a count of 10^-places. */
static wide_t reference_round(wide_t num, wide_t den, int places)
{
    wide_t x = num * pow10w(places);
    wide_t q = x / den, r = x % den;
    if (r < 0)
        r = -r;
    if (2 * r >= den)
        q += x < 0 ? -1 : 1;
    return q;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    decimal_t values[8];
    wide_t scaled[8];
    size_t count = 0;
    const char *text = (const char *)data;
    size_t at = 0;
    while (at <= size && count < 8) {
        size_t end = at;
        while (end < size && text[end] != '\n' && text[end] != ',')
            end++;
        decimal_t d;
        decimal_status_t st = decimal_parse(text + at, end - at, &d);
        wide_t ref;
        bool ok = reference_parse(text + at, end - at, &ref);
        if (st == DECIMAL_STATUS_OK) {
            if (!ok || !decimal_is_valid(d))
                abort(); /* accepted what is not a number of the form */
            if ((wide_t)d.num * 1000000000 != ref * d.den)
                abort(); /* wrong value */
            for (int p = 0; p <= 9; p++) {
                int64_t r = decimal_round(d, p);
                if ((wide_t)r != reference_round(ref, 1000000000, p))
                    abort();
                char buf[40], buf2[40];
                decimal_format_scaled(r, p, buf, sizeof buf);
                if ((r < 0 ? -(wide_t)r : (wide_t)r) >= pow10w(9 + p))
                    continue; /* rounded up to 10 whole digits, past what the reader takes */
                decimal_t back;
                if (decimal_parse(buf, strlen(buf), &back) != DECIMAL_STATUS_OK ||
                    decimal_cmp(back, decimal_from_scaled(r, p)) != 0 ||
                    decimal_round(back, p) != r)
                    abort(); /* the formatted text does not read back */
                decimal_format_scaled(decimal_round(back, p), p, buf2, sizeof buf2);
                if (strcmp(buf, buf2) != 0)
                    abort();
            }
            values[count] = d;
            scaled[count++] = ref;
        } else if (st == DECIMAL_STATUS_NOT_NUMBER && ok) {
            abort(); /* refused a plain number */
        } else if (st == DECIMAL_STATUS_TOO_LONG && ok) {
            abort(); /* at most 9 digits each side fit */
        }
        at = end + 1;
    }
    if (count > 0) {
        decimal_t mean = decimal_mean(values, count);
        wide_t sum = 0;
        for (size_t i = 0; i < count; i++)
            sum += scaled[i];
        if (decimal_is_valid(mean))
            for (int p = 0; p <= 9; p++)
                if ((wide_t)decimal_round(mean, p) !=
                    reference_round(sum, (wide_t)1000000000 * (wide_t)count, p))
                    abort();
        for (size_t i = 1; i < count; i++) {
            int c = decimal_cmp(values[i - 1], values[i]);
            int ref = (scaled[i - 1] > scaled[i]) - (scaled[i - 1] < scaled[i]);
            if (c != ref)
                abort();
        }
    }
    return 0;
}
