/* diag — the one path for every user-facing message.
 *
 * Messages are formatted as "file:line:column: error: text" when a position is known,
 * "itareport: error: text" otherwise (warnings and notes likewise) and handed to a sink:
 * standard error by default, or a caller-installed sink (batch workers collect messages
 * per report). The module counts messages per severity so a command can tell whether
 * anything went wrong; diag_reset() starts a new count. It owns no caller memory. */
#ifndef ITAREPORT_DIAG_H
#define ITAREPORT_DIAG_H

#include <stdarg.h>
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

/* A position in a source file; line and column count from 1, 0 means unknown. */
typedef struct diag_pos {
    const char *file;
    int line;
    int column;
} diag_pos_t;

/* Receives each formatted message (one line, no trailing newline). */
typedef void (*diag_sink_fn)(void *user, diag_severity_t severity, const char *line);

/* Formats a message into buf (always NUL-terminated, truncated to size); returns the
 * length it would have had. Exposed for tests; diag_report uses it. */
size_t diag_format(char *buf, size_t size, diag_severity_t severity, const diag_pos_t *pos,
                   const char *fmt, va_list args);

/* Reports a message; pos may be NULL or have a NULL file for a message without position. */
void diag_report(diag_severity_t severity, const diag_pos_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_vreport(diag_severity_t severity, const diag_pos_t *pos, const char *fmt, va_list args);

/* Shorthands without position. */
void diag_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Shorthands with position. */
void diag_error_at(const diag_pos_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void diag_warning_at(const diag_pos_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Installs a sink (NULL restores standard error); returns nothing, never fails. */
void diag_set_sink(diag_sink_fn sink, void *user);

/* Number of messages of a severity since the last diag_reset(). */
size_t diag_count(diag_severity_t severity);
void diag_reset(void);

/* Out of memory: reports and aborts. Used by the mem module only. */
_Noreturn void diag_fatal_oom(size_t bytes);

#endif
