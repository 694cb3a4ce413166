/* decimal — exact numbers for scores: rationals of 64-bit integers, parsed from decimal
 * text without going through binary floating point, and rounded decimal half-up
 * (86.495 -> 86.50, where printf("%.2f", 86.495) gives 86.49).
 *
 * A decimal_t is a plain value (no ownership). Arithmetic that would overflow yields an
 * invalid value (den == 0), which propagates through every later operation; callers test
 * it once at the end with decimal_is_valid(). Every score in the model and the analysis is
 * a decimal_t; rounded figures are int64_t counts of 10^-places (hundredths for 2). */
#ifndef ITAREPORT_DECIMAL_H
#define ITAREPORT_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct decimal {
    int64_t num;
    int64_t den; /* > 0 when valid; 0 marks an invalid (overflowed) value */
} decimal_t;

/* What decimal_parse found. */
typedef enum decimal_status {
    DECIMAL_STATUS_OK,
    DECIMAL_STATUS_NOT_NUMBER, /* not a decimal number at all */
    DECIMAL_STATUS_NAN,        /* YAML .nan */
    DECIMAL_STATUS_INFINITE,   /* YAML .inf, -.inf */
    DECIMAL_STATUS_TOO_LONG,   /* more than 9 digits before or after the point */
} decimal_status_t;

/* Parses text[0..len) as [+-]digits[.digits] (also "5." and ".5"); YAML's .nan and .inf
 * spellings are recognised so that the caller can say what was wrong. */
decimal_status_t decimal_parse(const char *text, size_t len, decimal_t *out);

decimal_t decimal_from_int(int64_t value);
/* value / 10^places, e.g. decimal_from_scaled(8650, 2) == 86.5. */
decimal_t decimal_from_scaled(int64_t value, int places);
decimal_t decimal_invalid(void);
bool decimal_is_valid(decimal_t d);

decimal_t decimal_add(decimal_t a, decimal_t b);
decimal_t decimal_sub(decimal_t a, decimal_t b);
decimal_t decimal_mul(decimal_t a, decimal_t b);
decimal_t decimal_div_int(decimal_t a, int64_t divisor); /* divisor > 0 */
/* Mean of count values (count > 0). */
decimal_t decimal_mean(const decimal_t *values, size_t count);

/* -1, 0, 1; both values must be valid. */
int decimal_cmp(decimal_t a, decimal_t b);

/* Rounds half away from zero to places (0..9) decimals and returns the count of
 * 10^-places: decimal_round(86.495, 2) == 8650. */
int64_t decimal_round(decimal_t d, int places);

/* Writes a rounded count as text with places decimals ("86.50", "-0.04", "100.00") into
 * buf (size >= 32); returns buf. */
char *decimal_format_scaled(int64_t scaled, int places, char *buf, size_t size);

#endif
