/* brk — where a line may break: the only module that uses libthai.
 *
 * Thai has no spaces between words, so break opportunities inside Thai come from
 * libthai's dictionary breaker; rules on top of it: a break after spaces (the layout
 * drops the spaces at a break), none before ๆ ฯ or closing punctuation (ASCII quotes
 * close unless they follow a space or an opening bracket), none after opening
 * punctuation, none after a dash or hyphen even with spaces between (poppler drops a
 * hyphen that ends a line) nor before an attached one ("E-Service"), none inside numbers
 * ("84.14", "1,000", "๒๕๖๖") or dotted abbreviations ("พ.ศ.", "อ.กุมภวาปี"), none around
 * U+00A0 and U+2060, always one at U+200B, none inside a grapheme cluster, between a
 * leading vowel (เ แ โ ใ ไ) and its letter or before SARA A / SARA AA, none inside ฯลฯ
 * and ฯพณฯ, and none inside caller-given names (agency, district, province) that the
 * dictionary may not know; where such a name touches Thai letters its edges are breaks.
 * The test cases are written out in tests/data/breaks.txt.
 *
 * A brk_t holds the loaded dictionary (about 10 ms to load): make one per process. */
#ifndef ITAREPORT_BRK_H
#define ITAREPORT_BRK_H

#include "diag.h"

#include <stddef.h>
#include <stdint.h>

typedef struct brk brk_t;

/* Flags per byte offset i (0..len) of a text. */
enum brk_flag {
    BRK_ALLOWED = 1,  /* a line may break before byte i */
    BRK_GRAPHEME = 2, /* byte i starts a grapheme cluster where an emergency break may
                       * go: a word longer than the line breaks here. Not set after a
                       * leading vowel, before closing or after opening punctuation, next to
                       * a hyphen or dash, inside ฯลฯ, nor after the '.' of "พ.ศ." or "84.14". */
};

/* Loads libthai's dictionary; returns NULL after reporting an error. */
brk_t *brk_new(diag_t *dg);
void brk_free(brk_t *brk);

/* Fills flags[0..len] (len + 1 entries) for valid UTF-8 text. Names (count of them, may be
 * 0) are never broken inside wherever they occur; where one touches a Thai letter, its edge
 * is a break. flags[0] and flags[len] are never BRK_ALLOWED. */
void brk_find(brk_t *brk, const char *text, size_t len, const char *const *names, size_t name_count,
              unsigned char *flags);

/* Nonzero for a code point that continues the grapheme cluster before it (combining
 * marks, SARA AM, LAKKHANGYAO after ฤ/ฦ). */
int brk_is_extending(uint32_t cp);

#endif
