/* diag — the one path for every user-facing message.
 *
 * A message is a record (diag_record_t): a severity, a position (file, line, column; for
 * CSV input the line of the row and the column's name), the path of the value in the
 * input ("scores.questions.i8"), a stable message id, the English format string, the
 * arguments (each already formatted as text) and the text in the chosen language. Each
 * message id has exactly one English format string, which is also its gettext msgid
 * (tests/e2e/messages.sh checks the sources for that).
 *
 * Records go to the sink of a diagnostics context (diag_t), which every stage that
 * reports receives from its caller; there is no global sink. The default sink prints
 * "file:line:column: error: text", then the source line and a caret under the column
 * (placed by display width, the line cut around the column when long) when the context
 * knows the source text (diag_add_source). The context counts records per severity and
 * applies the error limit: after `error_limit` errors, one note says it stopped and later
 * errors are counted but not passed on.
 *
 * A context owns the source texts added to it and nothing of the caller's; a record passed
 * to a sink is valid only during the call (diag_record_copy keeps one). */
#ifndef ITAREPORT_DIAG_H
#define ITAREPORT_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Process exit codes used by every command. */
enum diag_exit {
    DIAG_EXIT_OK = 0,      /* success (warnings allowed) */
    DIAG_EXIT_FAILURE = 1, /* bad input or failed work */
    DIAG_EXIT_USAGE = 2,   /* wrong command line */
};

typedef enum diag_severity {
    DIAG_ERROR,
    DIAG_WARNING,
    DIAG_NOTE,
} diag_severity_t;

/* A position in a source file; line and column count from 1, 0 means unknown. column_name
 * is the CSV column's header (NULL otherwise); path is the value's place in the input
 * ("scores.questions.i8", "history[0].overall"; NULL when unknown). The strings are
 * borrowed from whoever owns the position. */
typedef struct diag_pos {
    const char *file;
    int line;
    int column;
    const char *path;
    const char *column_name;
} diag_pos_t;

#define DIAG_MAX_ARGS 10

/* One message. Every string is NUL-terminated; optional ones are NULL when absent. */
typedef struct diag_record {
    diag_severity_t severity;
    diag_pos_t pos;
    const char *id;     /* stable id, e.g. "yaml-unknown-key" */
    const char *format; /* the English printf format (the gettext msgid) */
    size_t arg_count;   /* arguments, each formatted on its own */
    const char *args[DIAG_MAX_ARGS];
    const char *message;     /* the text in the context's language */
    const char *source_line; /* the source line at pos.line, when known */
} diag_record_t;

typedef struct diag diag_t;

/* Receives each record passed on. */
typedef void (*diag_sink_fn)(void *user, const diag_record_t *record);

#define DIAG_DEFAULT_ERROR_LIMIT 20

/* A new context whose sink prints to standard error (sink NULL) or is the given one;
 * never fails (out of memory aborts through mem). diag_free releases it. */
diag_t *diag_new(diag_sink_fn sink, void *user);
void diag_free(diag_t *dg);

/* Replaces the sink (NULL: standard error). */
void diag_set_sink(diag_t *dg, diag_sink_fn sink, void *user);

/* The number of errors after which records are no longer passed on (0: no limit). */
void diag_set_error_limit(diag_t *dg, size_t limit);

/* Translates formats through gettext's catalogue for lang ("th"; NULL or "en": English). */
void diag_set_language(diag_t *dg, const char *lang);
const char *diag_language(const diag_t *dg);

/* Chooses the program's language: requested "th" or "en", or NULL to follow the
 * environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG: Thai when one starts with "th").
 * Thai works whether or not a Thai locale is installed (gettext is pointed at the
 * catalogue in locale_dir through LANGUAGE and C.UTF-8). Returns "th" or "en"; never
 * fails (a missing catalogue leaves the English). Contexts made afterwards start in it. */
const char *diag_setup_language(const char *requested, const char *locale_dir);

/* Switches the program's language ("th" or "en") once diag_setup_language("th") has set up
 * the catalogue: a server worker answers each request in the language it asks for. Only
 * the program's texts (diag_text) follow; contexts keep theirs (diag_set_language). */
void diag_switch_language(const char *lang);

/* The text of a help, progress or summary string in the program's language (the English
 * text is the gettext msgid). _() marks such strings for the catalogue; N_() marks one
 * that is translated where it is used. */
const char *diag_text(const char *english) __attribute__((format_arg(1)));
#define _(english) diag_text(english)
#define N_(english) (english)

/* Colour for the default sink's severity word (off by default). */
void diag_set_colour(diag_t *dg, bool on);

/* Keeps a copy of a source text under its file name, for the source line of records
 * at a position in that file. Replaces an earlier text of the same name. */
void diag_add_source(diag_t *dg, const char *file, const char *text, size_t len);
/* Forgets every source text (between the inputs of a batch). */
void diag_clear_sources(diag_t *dg);

/* Reports a message. pos may be NULL (or have a NULL file) for one without position; id
 * is a string literal naming the message, fmt its English format string (a literal). */
void diag_emit(diag_t *dg, diag_severity_t severity, const diag_pos_t *pos, const char *id,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_vemit(diag_t *dg, diag_severity_t severity, const diag_pos_t *pos, const char *id,
                const char *fmt, va_list args) __attribute__((format(printf, 5, 0)));

/* Shorthands: an error, a warning, a note (pos may be NULL). */
void diag_fail(diag_t *dg, const diag_pos_t *pos, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_warn(diag_t *dg, const diag_pos_t *pos, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_note(diag_t *dg, const diag_pos_t *pos, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Passes a record made elsewhere (a worker's, decoded from the wire) to the sink, counted
 * and limited as if reported here. */
void diag_forward(diag_t *dg, const diag_record_t *record);

/* Number of records of a severity since diag_new or the last diag_reset (records held
 * back by the error limit count too). */
size_t diag_count(const diag_t *dg, diag_severity_t severity);
/* True once the error limit was reached: callers may stop looking for more errors. */
bool diag_stopped(const diag_t *dg);
/* Zeroes the counts and the limit (not the sink, language or sources). */
void diag_reset(diag_t *dg);

/* The one-line form "file:line:column: severity: message" (without newline) into buf,
 * always NUL-terminated; returns the length it would have had. */
size_t diag_format_line(char *buf, size_t size, const diag_record_t *record);

/* Writes a record as the default sink does (the line, then source line and caret) to a
 * stdio stream (FILE *, as void * to keep <stdio.h> out of this header). */
void diag_print(void *stream, const diag_record_t *record, bool colour);

/* The English text of a record (its format with its arguments). Caller frees. */
char *diag_english(const diag_record_t *record);

/* A record in English made without a context (for stages that collect messages, such as
 * analyse); diag_forward passes it on later in the context's language. Caller frees. */
diag_record_t *diag_record_make(diag_severity_t severity, const diag_pos_t *pos, const char *id,
                                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
diag_record_t *diag_record_vmake(diag_severity_t severity, const diag_pos_t *pos, const char *id,
                                 const char *fmt, va_list args)
    __attribute__((format(printf, 4, 0)));

/* A deep copy of a record; diag_record_free releases it (and tolerates NULL). */
diag_record_t *diag_record_copy(const diag_record_t *record);
void diag_record_free(diag_record_t *record);

/* The English word for a severity ("error", "warning", "note"). */
const char *diag_severity_word(diag_severity_t severity);

/* Out of memory: reports and aborts. Used by the mem module only. */
_Noreturn void diag_fatal_oom(size_t bytes);

#endif
