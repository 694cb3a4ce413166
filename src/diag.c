/* diag — see diag.h. */
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>

static diag_sink_fn current_sink;
static void *current_user;
static size_t counts[3];

static const char *const severity_words[] = {
    [DIAG_ERROR] = "error",
    [DIAG_WARNING] = "warning",
    [DIAG_NOTE] = "note",
};

size_t diag_format(char *buf, size_t size, diag_severity_t severity, const diag_pos_t *pos,
                   const char *fmt, va_list args)
{
    int head;
    if (pos && pos->file && pos->line > 0 && pos->column > 0)
        head = snprintf(buf, size, "%s:%d:%d: %s: ", pos->file, pos->line, pos->column,
                        severity_words[severity]);
    else if (pos && pos->file && pos->line > 0)
        head = snprintf(buf, size, "%s:%d: %s: ", pos->file, pos->line, severity_words[severity]);
    else if (pos && pos->file)
        head = snprintf(buf, size, "%s: %s: ", pos->file, severity_words[severity]);
    else
        head = snprintf(buf, size, "itareport: %s: ", severity_words[severity]);
    if (head < 0)
        head = 0;
    size_t used = (size_t)head < size ? (size_t)head : (size ? size - 1 : 0);
    int body = vsnprintf(buf + used, size > used ? size - used : 0, fmt, args);
    return (size_t)head + (body > 0 ? (size_t)body : 0);
}

void diag_vreport(diag_severity_t severity, const diag_pos_t *pos, const char *fmt, va_list args)
{
    char line[2048];
    diag_format(line, sizeof line, severity, pos, fmt, args);
    counts[severity]++;
    if (current_sink)
        current_sink(current_user, severity, line);
    else
        fprintf(stderr, "%s\n", line);
}

void diag_report(diag_severity_t severity, const diag_pos_t *pos, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    diag_vreport(severity, pos, fmt, args);
    va_end(args);
}

void diag_error(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    diag_vreport(DIAG_ERROR, NULL, fmt, args);
    va_end(args);
}

void diag_warning(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    diag_vreport(DIAG_WARNING, NULL, fmt, args);
    va_end(args);
}

void diag_error_at(const diag_pos_t *pos, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    diag_vreport(DIAG_ERROR, pos, fmt, args);
    va_end(args);
}

void diag_warning_at(const diag_pos_t *pos, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    diag_vreport(DIAG_WARNING, pos, fmt, args);
    va_end(args);
}

void diag_set_sink(diag_sink_fn sink, void *user)
{
    current_sink = sink;
    current_user = user;
}

size_t diag_count(diag_severity_t severity)
{
    return counts[severity];
}

void diag_reset(void)
{
    counts[DIAG_ERROR] = counts[DIAG_WARNING] = counts[DIAG_NOTE] = 0;
}

void diag_fatal_oom(size_t bytes)
{
    fprintf(stderr, "itareport: error: out of memory (allocating %zu bytes)\n", bytes);
    abort();
}
