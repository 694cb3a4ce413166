/* decimal — see decimal.h. */
#include "decimal.h"

#include <stdio.h>
#include <string.h>

#define DECIMAL_MAX_DIGITS 9

static int64_t decimal_gcd(int64_t a, int64_t b)
{
    if (a < 0)
        a = -a;
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a ? a : 1;
}

static decimal_t decimal_make(int64_t num, int64_t den)
{
    if (den <= 0 || num == INT64_MIN)
        return decimal_invalid();
    int64_t g = decimal_gcd(num, den);
    return (decimal_t){num / g, den / g};
}

static int64_t decimal_pow10(int places)
{
    int64_t p = 1;
    for (int i = 0; i < places; i++)
        p *= 10;
    return p;
}

decimal_t decimal_invalid(void)
{
    return (decimal_t){0, 0};
}

bool decimal_is_valid(decimal_t d)
{
    return d.den > 0;
}

decimal_t decimal_from_int(int64_t value)
{
    return decimal_make(value, 1);
}

decimal_t decimal_from_scaled(int64_t value, int places)
{
    if (places < 0 || places > 18)
        return decimal_invalid();
    return decimal_make(value, decimal_pow10(places));
}

static bool decimal_word_is(const char *text, size_t len, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == len && memcmp(text, *words, len) == 0)
            return true;
    return false;
}

decimal_status_t decimal_parse(const char *text, size_t len, decimal_t *out)
{
    static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
    static const char *const infs[] = {".inf",  ".Inf",  ".INF",  "+.inf", "+.Inf",
                                       "+.INF", "-.inf", "-.Inf", "-.INF", NULL};
    *out = decimal_invalid();
    if (decimal_word_is(text, len, nans))
        return DECIMAL_STATUS_NAN;
    if (decimal_word_is(text, len, infs))
        return DECIMAL_STATUS_INFINITE;
    size_t i = 0;
    bool negative = false;
    if (i < len && (text[i] == '+' || text[i] == '-'))
        negative = text[i++] == '-';
    int64_t whole = 0, frac = 0;
    int whole_digits = 0, frac_digits = 0;
    bool zeros = false; /* leading zeros, which do not count towards the limit */
    while (i < len && text[i] == '0') {
        zeros = true;
        i++;
    }
    while (i < len && text[i] >= '0' && text[i] <= '9') {
        if (++whole_digits > DECIMAL_MAX_DIGITS)
            return DECIMAL_STATUS_TOO_LONG;
        whole = whole * 10 + (text[i++] - '0');
    }
    if (i < len && text[i] == '.') {
        i++;
        while (i < len && text[i] >= '0' && text[i] <= '9') {
            if (++frac_digits > DECIMAL_MAX_DIGITS)
                return DECIMAL_STATUS_TOO_LONG;
            frac = frac * 10 + (text[i++] - '0');
        }
    }
    if (i != len || (!zeros && whole_digits + frac_digits == 0))
        return DECIMAL_STATUS_NOT_NUMBER;
    int64_t scale = decimal_pow10(frac_digits);
    int64_t num = whole * scale + frac; /* < 10^9 * 10^9 + 10^9: fits */
    *out = decimal_make(negative ? -num : num, scale);
    return DECIMAL_STATUS_OK;
}

decimal_t decimal_add(decimal_t a, decimal_t b)
{
    if (!decimal_is_valid(a) || !decimal_is_valid(b))
        return decimal_invalid();
    int64_t g = decimal_gcd(a.den, b.den);
    int64_t bd = b.den / g, ad = a.den / g;
    int64_t x, y, num, den;
    if (__builtin_mul_overflow(a.num, bd, &x) || __builtin_mul_overflow(b.num, ad, &y) ||
        __builtin_add_overflow(x, y, &num) || __builtin_mul_overflow(a.den, bd, &den))
        return decimal_invalid();
    return decimal_make(num, den);
}

decimal_t decimal_sub(decimal_t a, decimal_t b)
{
    if (!decimal_is_valid(b))
        return decimal_invalid();
    b.num = -b.num;
    return decimal_add(a, b);
}

decimal_t decimal_mul(decimal_t a, decimal_t b)
{
    if (!decimal_is_valid(a) || !decimal_is_valid(b))
        return decimal_invalid();
    /* Cross-reduce first to keep the products small. */
    int64_t g1 = decimal_gcd(a.num, b.den), g2 = decimal_gcd(b.num, a.den);
    int64_t num, den;
    if (__builtin_mul_overflow(a.num / g1, b.num / g2, &num) ||
        __builtin_mul_overflow(a.den / g2, b.den / g1, &den))
        return decimal_invalid();
    return decimal_make(num, den);
}

decimal_t decimal_div_int(decimal_t a, int64_t divisor)
{
    if (divisor <= 0)
        return decimal_invalid();
    return decimal_mul(a, decimal_make(1, divisor));
}

decimal_t decimal_mean(const decimal_t *values, size_t count)
{
    if (count == 0 || count > INT64_MAX)
        return decimal_invalid();
    decimal_t sum = decimal_from_int(0);
    for (size_t i = 0; i < count; i++)
        sum = decimal_add(sum, values[i]);
    return decimal_div_int(sum, (int64_t)count);
}

int decimal_cmp(decimal_t a, decimal_t b)
{
    decimal_t d = decimal_sub(a, b);
    if (!decimal_is_valid(d)) {
        /* Fall back to a wide comparison; values here are small in practice. */
        long double x = (long double)a.num / a.den, y = (long double)b.num / b.den;
        return (x > y) - (x < y);
    }
    return (d.num > 0) - (d.num < 0);
}

int64_t decimal_round(decimal_t d, int places)
{
    if (!decimal_is_valid(d) || places < 0 || places > 9)
        return 0;
    int64_t scale = decimal_pow10(places);
    int64_t q = d.num / d.den, r = d.num % d.den; /* d = q + r/den, r has num's sign */
    int64_t scaled, whole, rest, twice;
    if (__builtin_mul_overflow(q, scale, &scaled) || __builtin_mul_overflow(r, scale, &rest))
        return 0;
    whole = rest / d.den;
    rest = rest % d.den; /* remaining fraction rest/den of one unit */
    scaled += whole;
    if (__builtin_mul_overflow(rest < 0 ? -rest : rest, 2, &twice))
        return scaled;
    if (twice >= d.den)
        scaled += d.num < 0 ? -1 : 1;
    return scaled;
}

char *decimal_format_scaled(int64_t scaled, int places, char *buf, size_t size)
{
    int64_t scale = decimal_pow10(places);
    uint64_t mag = scaled < 0 ? (uint64_t)0 - (uint64_t)scaled : (uint64_t)scaled;
    const char *sign = scaled < 0 ? "-" : "";
    if (places == 0)
        snprintf(buf, size, "%s%llu", sign, (unsigned long long)mag);
    else
        snprintf(buf, size, "%s%llu.%0*llu", sign, (unsigned long long)(mag / (uint64_t)scale),
                 places, (unsigned long long)(mag % (uint64_t)scale));
    return buf;
}
