/* brk — where a line may break: the only module that uses libthai.
 *
 * Thai has no spaces between words, so break opportunities inside Thai come from
 * libthai's breaker over the project's dictionary, dict/itareport.tri: libthai's word list
 * plus the report's own words (dict/words.txt, kept whole even where libthai would cut
 * them), place words (dict/places.txt: จังหวัด, อำเภอ, ตำบล, เขต, แขวง stay with the
 * name after them, also across spaces) and labels (dict/labels.txt: ส่วนที่, ระดับ, ข้อ,
 * ข้อคำถาม stay with the number, grade or id after them), built by make with trietool. Rules on top:
 * a break after spaces (the layout drops the spaces at a break), none before ๆ ฯ or closing
 * punctuation (ASCII quotes close unless they follow a space or an opening bracket), none after
 * opening punctuation, none after a dash or hyphen even with spaces between (poppler drops a hyphen
 * that ends a line) nor before one, attached ("E-Service") or after spaces ("ติดต่อ
 * - สอบถาม": a line starting "- สอบถาม" would read as a list item), none inside numbers
 * ("84.14", "1,000", "๒๕๖๖") or dotted abbreviations ("พ.ศ.", "อ.กุมภวาปี"), none around
 * U+00A0 and U+2060, always one at U+200B, none inside a grapheme cluster, between a
 * leading vowel (เ แ โ ใ ไ) and its letter or before SARA A / SARA AA, none inside ฯลฯ
 * and ฯพณฯ, and none inside caller-given names (agency, district, province) that the
 * dictionary may not know; where such a name touches Thai letters its edges are breaks
 * (but not after a place word). Breaks inside a listed word, or after a place word, are
 * discouraged (BRK_DISCOURAGED): better there than at an arbitrary letter when the word is
 * wider than the line; so is the break after a list marker that starts the paragraph
 * ("(1) ", "1.", "ก. "), which keeps the number with its item's first word. A paragraph's
 * last line should hold at least two words or eight characters: the last opportunity is
 * marked BRK_LAST_LINE when less follows it.
 * The test cases are written out in tests/data/breaks.txt.
 *
 * What a line fitter must honour (greedy or total-fit): break only at BRK_ALLOWED; take a
 * point that also has BRK_DISCOURAGED or BRK_LAST_LINE only when no other allowed point
 * can end that line (in a total fit: a penalty larger than any feasible line's badness);
 * break at a BRK_GRAPHEME point that is not allowed only when no allowed point fits. A
 * minimum width (table columns) counts pieces between allowed points that are not
 * BRK_DISCOURAGED, so that a listed word fits its column whole.
 *
 * A brk_t holds the loaded dictionary (about 10 ms to load) and owns its scratch buffers:
 * make one per process (per worker), use it from one thread. */
#ifndef ITAREPORT_BRK_H
#define ITAREPORT_BRK_H

#include "diag.h"

#include <stddef.h>
#include <stdint.h>

typedef struct brk brk_t;

/* Flags per byte offset i (0..len) of a text. */
enum brk_flag {
    BRK_ALLOWED = 1,     /* a line may break before byte i */
    BRK_GRAPHEME = 2,    /* byte i starts a grapheme cluster where an emergency break may
                          * go: a word longer than the line breaks here. Not set after a
                          * leading vowel, before closing or after opening punctuation, next to
                          * a hyphen or dash, inside ฯลฯ, nor after the '.' of "พ.ศ." or "84.14". */
    BRK_DISCOURAGED = 4, /* with BRK_ALLOWED: inside a word of the project's list,
                          * between a place word and the name after it, or after a list
                          * marker that starts the paragraph: a break to take only when
                          * the word alone is wider than the line */
    BRK_LAST_LINE = 8,   /* with BRK_ALLOWED: the paragraph's last opportunity, with fewer
                          * than two words and eight characters after it: a break to take
                          * only when the line has no other */
};

/* Loads the dictionary (datadir_dict: data_dir's dict/ when it has one, may be NULL; the
 * build tree's; the installed one); returns NULL after reporting an error. */
brk_t *brk_new_from(diag_t *dg, const char *data_dir);
/* brk_new_from(dg, NULL). */
brk_t *brk_new(diag_t *dg);
void brk_free(brk_t *brk);

/* The dictionary's file (owned by brk): what the breaks were made from, for fingerprints. */
const char *brk_dictionary(const brk_t *brk);

/* Fills flags[0..len] (len + 1 entries) for valid UTF-8 text, a paragraph. Names (count of
 * them, may be 0; the same names again cost nothing, new ones are compiled into a trie) are
 * never broken inside wherever they occur; where one touches a Thai letter, its edge is a
 * break. flags[0] and flags[len] are never BRK_ALLOWED. */
void brk_find(brk_t *brk, const char *text, size_t len, const char *const *names, size_t name_count,
              unsigned char *flags);

/* The last steps of brk_find, for flags made by brk_find(..., NULL, 0, flags) and perhaps
 * given more breaks since (a caller that removed U+200B): the names, and the last line's
 * discouraged opportunity computed anew. brk_find with names gives the same as brk_find
 * without them followed by brk_finish; a cache of flags can so leave the names out of its
 * key. One dictionary step per code point. */
void brk_finish(brk_t *brk, const char *text, size_t len, const char *const *names,
                size_t name_count, unsigned char *flags);

/* Nonzero for a code point that continues the grapheme cluster before it (combining
 * marks, SARA AM, LAKKHANGYAO after ฤ/ฦ). */
int brk_is_extending(uint32_t cp);

#endif
