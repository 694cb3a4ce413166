/* tmpltext — a template text compiled into pieces, once, when the template is loaded.
 *
 * A text such as "ข้อ {{q.id}} มี **{{q.score|or:-}}** คะแนน" becomes literal pieces, data
 * paths with their filters (join, last, lines, bullet, or), bold toggles and the running
 * header's page tokens ({{page}}, {{pages}}), each with its position in the template
 * file. Every malformed "{{" and unknown filter is reported here, with file:line:column,
 * whether or not any data ever reaches the text; the report stage (report.h) only
 * evaluates the pieces. Which data names exist is checked by the template loader
 * (tmpl.h) against the names the data provides.
 *
 * A tmpltext_t owns its pieces and their strings; tmpltext_free releases them. */
#ifndef ITAREPORT_TMPLTEXT_H
#define ITAREPORT_TMPLTEXT_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum tmpltext_kind {
    TMPLTEXT_LITERAL, /* text, len: copied as it stands */
    TMPLTEXT_PATH,    /* text, len: a data path; sep, prefix, fallback from its filters */
    TMPLTEXT_BOLD,    /* "**": switches between the style's font and its bold */
    TMPLTEXT_PAGE,    /* {{page}}: the page number, in running headers and footers */
    TMPLTEXT_PAGES,   /* {{pages}}: the page count */
} tmpltext_kind_t;

typedef struct tmpltext_piece {
    tmpltext_kind_t kind;
    char *text; /* NUL-terminated; len bytes */
    size_t len;
    /* TMPLTEXT_PATH: between list items (", " unless join or lines or bullet says), before
     * each item (bullet; NULL: none), instead of an empty value (or; NULL: none), between
     * the last two items (last: "i3, e4 และ o14"; NULL: sep). */
    char *sep, *prefix, *fallback, *last;
    diag_pos_t pos; /* of the piece's first byte ("{{" for a path) */
} tmpltext_piece_t;

typedef struct tmpltext {
    tmpltext_piece_t *pieces;
    size_t count;
} tmpltext_t;

/* Compiles text (which starts at pos in its file; pos.file is borrowed and must outlive
 * the result) into out, reporting to dg. Returns the number of errors reported (0: out is
 * complete). */
int tmpltext_compile(diag_t *dg, const char *text, const diag_pos_t *pos, tmpltext_t *out);

void tmpltext_free(tmpltext_t *t);

/* The position of byte offset of a text that starts at pos (lines and columns counted in
 * characters). */
diag_pos_t tmpltext_pos_at(const diag_pos_t *pos, const char *text, size_t offset);

#endif
