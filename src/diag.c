/* diag — see diag.h. */
#include "diag.h"

#include "mem.h"
#include "utf8.h"

#include <libintl.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIAG_TEXT_DOMAIN "itareport"
/* A source line wider than this (in display columns) is cut around the column. */
#define DIAG_MAX_SHOWN_WIDTH 100

typedef struct diag_source {
    char *file;
    char *text;
    size_t len;
} diag_source_t;

struct diag {
    diag_sink_fn sink;
    void *user;
    size_t counts[3];
    size_t error_limit;
    bool stopped;
    bool colour;
    char *lang;
    diag_source_t *sources;
    size_t source_count, source_capacity;
};

/* The program's language, set once by diag_setup_language ("en" until then). */
static const char *program_language = "en";

static bool starts_with_thai(const char *value)
{
    return value && value[0] == 't' && value[1] == 'h' &&
           (value[2] == '\0' || value[2] == '_' || value[2] == '.' || value[2] == '@' ||
            value[2] == ':');
}

const char *diag_setup_language(const char *requested, const char *locale_dir)
{
    bool thai;
    if (requested) {
        thai = strcmp(requested, "th") == 0;
    } else {
        /* What gettext itself would look at, in its order. */
        const char *language = getenv("LANGUAGE");
        const char *all = getenv("LC_ALL"), *messages = getenv("LC_MESSAGES");
        const char *lang = getenv("LANG");
        const char *locale = all && *all ? all : messages && *messages ? messages : lang;
        thai =
            starts_with_thai(locale) || (starts_with_thai(language) && locale && *locale &&
                                         strcmp(locale, "C") != 0 && strcmp(locale, "POSIX") != 0);
    }
    program_language = thai ? "th" : "en";
    if (!thai)
        return program_language;
    /* Only messages follow the locale; numbers are always written the C way. */
    const char *got = setlocale(LC_MESSAGES, "");
    if (!got || strcmp(got, "C") == 0 || strcmp(got, "POSIX") == 0)
        setlocale(LC_MESSAGES, "C.UTF-8");
    setenv("LANGUAGE", "th", 1);
    if (locale_dir)
        bindtextdomain(DIAG_TEXT_DOMAIN, locale_dir);
    bind_textdomain_codeset(DIAG_TEXT_DOMAIN, "UTF-8");
    return program_language;
}

void diag_switch_language(const char *lang)
{
    program_language = lang && strcmp(lang, "th") == 0 ? "th" : "en";
}

const char *diag_text(const char *english)
{
    if (strcmp(program_language, "en") == 0)
        return english;
    const char *t = dgettext(DIAG_TEXT_DOMAIN, english);
    return t ? t : english;
}

static const char *const severity_words[] = {
    [DIAG_ERROR] = "error",
    [DIAG_WARNING] = "warning",
    [DIAG_NOTE] = "note",
};

const char *diag_severity_word(diag_severity_t severity)
{
    return severity_words[severity];
}

diag_t *diag_new(diag_sink_fn sink, void *user)
{
    diag_t *dg = mem_zalloc(1, sizeof *dg);
    dg->sink = sink;
    dg->user = user;
    dg->error_limit = DIAG_DEFAULT_ERROR_LIMIT;
    diag_set_language(dg, program_language);
    return dg;
}

void diag_free(diag_t *dg)
{
    if (!dg)
        return;
    diag_clear_sources(dg);
    free(dg->sources);
    free(dg->lang);
    free(dg);
}

void diag_set_sink(diag_t *dg, diag_sink_fn sink, void *user)
{
    dg->sink = sink;
    dg->user = user;
}

void diag_set_error_limit(diag_t *dg, size_t limit)
{
    dg->error_limit = limit;
}

void diag_set_language(diag_t *dg, const char *lang)
{
    free(dg->lang);
    dg->lang = lang && strcmp(lang, "en") != 0 ? mem_strdup(lang) : NULL;
}

const char *diag_language(const diag_t *dg)
{
    return dg->lang ? dg->lang : "en";
}

void diag_set_colour(diag_t *dg, bool on)
{
    dg->colour = on;
}

void diag_add_source(diag_t *dg, const char *file, const char *text, size_t len)
{
    if (!file)
        return;
    for (size_t i = 0; i < dg->source_count; i++) {
        if (strcmp(dg->sources[i].file, file) == 0) {
            free(dg->sources[i].text);
            dg->sources[i].text = mem_strndup(text, len);
            dg->sources[i].len = len;
            return;
        }
    }
    dg->sources = mem_array_grow(dg->sources, &dg->source_capacity, dg->source_count + 1,
                                 sizeof *dg->sources);
    dg->sources[dg->source_count++] =
        (diag_source_t){mem_strdup(file), mem_strndup(text, len), len};
}

void diag_clear_sources(diag_t *dg)
{
    for (size_t i = 0; i < dg->source_count; i++) {
        free(dg->sources[i].file);
        free(dg->sources[i].text);
    }
    dg->source_count = 0;
}

size_t diag_count(const diag_t *dg, diag_severity_t severity)
{
    return dg->counts[severity];
}

bool diag_stopped(const diag_t *dg)
{
    return dg->stopped;
}

void diag_reset(diag_t *dg)
{
    dg->counts[DIAG_ERROR] = dg->counts[DIAG_WARNING] = dg->counts[DIAG_NOTE] = 0;
    dg->stopped = false;
}

/* ---- formats ------------------------------------------------------------------------------ */

/* The extent of the conversion at fmt[0] == '%' (not "%%"): its length, whether it takes
 * an int for width or precision (`*`), its length modifier and conversion letter. */
typedef struct conversion {
    size_t len;
    int stars;
    char length[3];
    char conv;
    int position; /* n of "%n$", 0 when sequential */
} conversion_t;

static conversion_t parse_conversion(const char *fmt)
{
    conversion_t c = {0};
    const char *p = fmt + 1;
    const char *digits = p;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '$' && p > digits) {
        c.position = atoi(digits);
        p++;
    } else {
        p = digits;
    }
    while (*p && strchr("-+ #0'", *p))
        p++;
    if (*p == '*') {
        c.stars++;
        p++;
    }
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        p++;
        if (*p == '*') {
            c.stars++;
            p++;
        }
        while (*p >= '0' && *p <= '9')
            p++;
    }
    size_t n = 0;
    while (*p && strchr("hlLzjt", *p) && n < 2)
        c.length[n++] = *p++;
    c.conv = *p;
    c.len = (size_t)(p - fmt) + (*p ? 1 : 0);
    return c;
}

/* Formats one conversion spec with its arguments taken from args. */
static char *format_one(const char *spec, size_t spec_len, const conversion_t *c, va_list *args)
{
    char f[32];
    if (spec_len >= sizeof f)
        return mem_strdup("?");
    memcpy(f, spec, spec_len);
    f[spec_len] = '\0';
    int star[2] = {0, 0};
    for (int i = 0; i < c->stars; i++)
        star[i] = va_arg(*args, int);
    char buf[512];
    const char *len = c->length;
#define FORMAT_WITH(value)                                                                         \
    (c->stars == 2   ? snprintf(buf, sizeof buf, f, star[0], star[1], value)                       \
     : c->stars == 1 ? snprintf(buf, sizeof buf, f, star[0], value)                                \
                     : snprintf(buf, sizeof buf, f, value))
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    switch (c->conv) {
    case 'd':
    case 'i':
        if (strcmp(len, "l") == 0)
            FORMAT_WITH(va_arg(*args, long));
        else if (strcmp(len, "ll") == 0 || strcmp(len, "j") == 0)
            FORMAT_WITH(va_arg(*args, long long));
        else if (strcmp(len, "z") == 0 || strcmp(len, "t") == 0)
            FORMAT_WITH(va_arg(*args, ptrdiff_t));
        else
            FORMAT_WITH(va_arg(*args, int));
        break;
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        if (strcmp(len, "l") == 0)
            FORMAT_WITH(va_arg(*args, unsigned long));
        else if (strcmp(len, "ll") == 0 || strcmp(len, "j") == 0)
            FORMAT_WITH(va_arg(*args, unsigned long long));
        else if (strcmp(len, "z") == 0 || strcmp(len, "t") == 0)
            FORMAT_WITH(va_arg(*args, size_t));
        else
            FORMAT_WITH(va_arg(*args, unsigned));
        break;
    case 'c':
        FORMAT_WITH(va_arg(*args, int));
        break;
    case 'e':
    case 'f':
    case 'g':
    case 'E':
    case 'G':
        FORMAT_WITH(va_arg(*args, double));
        break;
    case 'p':
        FORMAT_WITH(va_arg(*args, void *));
        break;
    case 's': {
        const char *s = va_arg(*args, const char *);
        if (c->stars == 0 && strcmp(f, "%s") == 0)
            return mem_strdup(s ? s : "(null)");
        FORMAT_WITH(s ? s : "(null)");
        break;
    }
    default:
        return mem_strdup("?");
    }
#pragma GCC diagnostic pop
#undef FORMAT_WITH
    return mem_strdup(buf);
}

/* Splits fmt's arguments into texts, one per conversion, in order. */
static size_t format_args(const char *fmt, va_list args, char **out)
{
    va_list ap;
    va_copy(ap, args);
    size_t n = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
            continue;
        }
        conversion_t c = parse_conversion(p);
        char *text = format_one(p, c.len, &c, &ap);
        if (n < DIAG_MAX_ARGS)
            out[n++] = text;
        else
            free(text);
        p += c.len - 1;
        if (!*p)
            break;
    }
    va_end(ap);
    return n;
}

/* fmt with its conversions replaced by args (in order, or by "%n$"). */
static char *substitute(const char *fmt, size_t arg_count, const char *const *args)
{
    size_t cap = strlen(fmt) + 1, used = 0;
    for (size_t i = 0; i < arg_count; i++)
        cap += strlen(args[i]);
    cap += 16;
    char *out = mem_alloc(cap);
    size_t next = 0;
    for (const char *p = fmt; *p; p++) {
        const char *piece = p;
        size_t piece_len = 1;
        if (*p == '%' && p[1] == '%') {
            p++;
        } else if (*p == '%') {
            conversion_t c = parse_conversion(p);
            size_t k = c.position > 0 ? (size_t)c.position - 1 : next++;
            piece = k < arg_count ? args[k] : "";
            piece_len = strlen(piece);
            p += c.len - 1;
            if (!*p)
                p--; /* a '%' at the very end: stop after it */
        }
        if (used + piece_len + 1 > cap) {
            cap = (used + piece_len + 1) * 2;
            out = mem_realloc(out, cap);
        }
        memcpy(out + used, piece, piece_len);
        used += piece_len;
    }
    out[used] = '\0';
    return out;
}

char *diag_english(const diag_record_t *record)
{
    return substitute(record->format, record->arg_count, record->args);
}

static const char *translate(const diag_t *dg, const char *fmt)
{
    if (!dg->lang)
        return fmt;
    const char *t = dgettext(DIAG_TEXT_DOMAIN, fmt);
    return t ? t : fmt;
}

/* The text of line `line` (from 1) of a source, without its line end; NULL past the end. */
static char *source_line_of(const diag_t *dg, const char *file, int line)
{
    if (!file || line <= 0)
        return NULL;
    for (size_t i = 0; i < dg->source_count; i++) {
        const diag_source_t *s = &dg->sources[i];
        if (strcmp(s->file, file) != 0)
            continue;
        const char *p = s->text, *end = s->text + s->len;
        for (int l = 1; l < line; l++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl)
                return NULL;
            p = nl + 1;
        }
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            e = end;
        if (e > p && e[-1] == '\r')
            e--;
        if (utf8_validate(p, (size_t)(e - p)) != (size_t)(e - p))
            return NULL;
        return mem_strndup(p, (size_t)(e - p));
    }
    return NULL;
}

/* ---- reporting ---------------------------------------------------------------------------- */

static void pass_on(diag_t *dg, const diag_record_t *r)
{
    if (dg->sink)
        dg->sink(dg->user, r);
    else
        diag_print(stderr, r, dg->colour);
}

/* Counts a record and says whether it is passed on (the error limit). */
static bool admit(diag_t *dg, diag_severity_t severity)
{
    dg->counts[severity]++;
    if (severity != DIAG_ERROR || !dg->error_limit || dg->counts[DIAG_ERROR] <= dg->error_limit)
        return true;
    if (!dg->stopped) {
        dg->stopped = true;
        char limit[32];
        snprintf(limit, sizeof limit, "%zu", dg->error_limit);
        const char *args[1] = {limit};
        const char *fmt = N_("too many errors; stopped after the first %zu");
        char *message = substitute(translate(dg, fmt), 1, args);
        diag_record_t note = {.severity = DIAG_NOTE,
                              .id = "too-many-errors",
                              .format = fmt,
                              .arg_count = 1,
                              .args = {limit},
                              .message = message};
        dg->counts[DIAG_NOTE]++;
        pass_on(dg, &note);
        free(message);
    }
    return false;
}

void diag_vemit(diag_t *dg, diag_severity_t severity, const diag_pos_t *pos, const char *id,
                const char *fmt, va_list args)
{
    if (!admit(dg, severity))
        return;
    char *argv[DIAG_MAX_ARGS];
    size_t argc = format_args(fmt, args, argv);
    diag_record_t r = {.severity = severity, .id = id, .format = fmt, .arg_count = argc};
    if (pos)
        r.pos = *pos;
    for (size_t i = 0; i < argc; i++)
        r.args[i] = argv[i];
    char *message = substitute(translate(dg, fmt), argc, r.args);
    char *line = source_line_of(dg, r.pos.file, r.pos.line);
    r.message = message;
    r.source_line = line;
    pass_on(dg, &r);
    free(line);
    free(message);
    for (size_t i = 0; i < argc; i++)
        free(argv[i]);
}

void diag_emit(diag_t *dg, diag_severity_t severity, const diag_pos_t *pos, const char *id,
               const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    diag_vemit(dg, severity, pos, id, fmt, args);
    va_end(args);
}

void diag_fail(diag_t *dg, const diag_pos_t *pos, const char *id, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    diag_vemit(dg, DIAG_ERROR, pos, id, fmt, args);
    va_end(args);
}

void diag_warn(diag_t *dg, const diag_pos_t *pos, const char *id, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    diag_vemit(dg, DIAG_WARNING, pos, id, fmt, args);
    va_end(args);
}

void diag_note(diag_t *dg, const diag_pos_t *pos, const char *id, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    diag_vemit(dg, DIAG_NOTE, pos, id, fmt, args);
    va_end(args);
}

void diag_forward(diag_t *dg, const diag_record_t *record)
{
    if (!admit(dg, record->severity))
        return;
    diag_record_t r = *record;
    /* The text in this context's language, and the source line when this context has it. */
    char *message = record->format && *record->format
                        ? substitute(translate(dg, record->format), record->arg_count, record->args)
                        : NULL;
    char *line =
        record->source_line ? NULL : source_line_of(dg, record->pos.file, record->pos.line);
    if (message)
        r.message = message;
    if (line)
        r.source_line = line;
    pass_on(dg, &r);
    free(line);
    free(message);
}

diag_record_t *diag_record_vmake(diag_severity_t severity, const diag_pos_t *pos, const char *id,
                                 const char *fmt, va_list args)
{
    char *argv[DIAG_MAX_ARGS];
    size_t argc = format_args(fmt, args, argv);
    diag_record_t r = {.severity = severity, .id = id, .format = fmt, .arg_count = argc};
    if (pos)
        r.pos = *pos;
    for (size_t i = 0; i < argc; i++)
        r.args[i] = argv[i];
    char *message = substitute(fmt, argc, r.args);
    r.message = message;
    diag_record_t *copy = diag_record_copy(&r);
    free(message);
    for (size_t i = 0; i < argc; i++)
        free(argv[i]);
    return copy;
}

diag_record_t *diag_record_make(diag_severity_t severity, const diag_pos_t *pos, const char *id,
                                const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    diag_record_t *r = diag_record_vmake(severity, pos, id, fmt, args);
    va_end(args);
    return r;
}

/* ---- printing ----------------------------------------------------------------------------- */

size_t diag_format_line(char *buf, size_t size, const diag_record_t *r)
{
    const diag_pos_t *pos = &r->pos;
    const char *word = severity_words[r->severity];
    int n;
    if (pos->file && pos->line > 0 && pos->column > 0 && pos->column_name)
        n = snprintf(buf, size, "%s:%d:%d: column %s: %s: %s", pos->file, pos->line, pos->column,
                     pos->column_name, word, r->message);
    else if (pos->file && pos->line > 0 && pos->column_name)
        n = snprintf(buf, size, "%s:%d: column %s: %s: %s", pos->file, pos->line, pos->column_name,
                     word, r->message);
    else if (pos->file && pos->line > 0 && pos->column > 0)
        n = snprintf(buf, size, "%s:%d:%d: %s: %s", pos->file, pos->line, pos->column, word,
                     r->message);
    else if (pos->file && pos->line > 0)
        n = snprintf(buf, size, "%s:%d: %s: %s", pos->file, pos->line, word, r->message);
    else if (pos->file)
        n = snprintf(buf, size, "%s: %s: %s", pos->file, word, r->message);
    else
        n = snprintf(buf, size, "itareport: %s: %s", word, r->message);
    return n > 0 ? (size_t)n : 0;
}

/* Display width of one code point: Thai above and below marks take none. */
static int display_width(uint32_t cp)
{
    if (cp == 0x0E31 || (cp >= 0x0E34 && cp <= 0x0E3A) || (cp >= 0x0E47 && cp <= 0x0E4E))
        return 0;
    if (cp >= 0x0300 && cp <= 0x036F)
        return 0;
    if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF)
        return 0;
    return 1;
}

/* Prints the source line (cut around the column when wide) and a caret under the column. */
static void print_caret(FILE *out, const char *line, int column)
{
    size_t len = strlen(line);
    /* Byte offsets and display columns of each code point. */
    size_t count = 0, cap = len + 1;
    size_t *offset = mem_alloc(sizeof *offset * (cap + 1));
    int *col = mem_alloc(sizeof *col * (cap + 1));
    int width = 0;
    size_t i = 0;
    while (i < len) {
        offset[count] = i;
        col[count] = width;
        count++;
        uint32_t cp = utf8_decode(line, len, &i);
        width += cp == '\t' ? 1 : display_width(cp);
    }
    offset[count] = len;
    col[count] = width;
    size_t at = column > 0 ? (size_t)column - 1 : 0;
    if (at > count)
        at = count;
    /* The window of code points shown. */
    size_t from = 0, to = count;
    bool cut_left = false, cut_right = false;
    if (width > DIAG_MAX_SHOWN_WIDTH) {
        int half = DIAG_MAX_SHOWN_WIDTH / 2;
        while (from < at && col[at] - col[from] > half)
            from++;
        to = from;
        while (to < count && col[to + 1] - col[from] <= DIAG_MAX_SHOWN_WIDTH)
            to++;
        cut_left = from > 0;
        cut_right = to < count;
    }
    fputs("    ", out);
    if (cut_left)
        fputs("...", out);
    for (size_t k = from; k < to; k++) {
        const char *s = line + offset[k];
        size_t n = offset[k + 1] - offset[k];
        unsigned char b = (unsigned char)*s;
        if (b < 0x20 || b == 0x7F)
            fputc(b == '\t' ? ' ' : '?', out);
        else
            fwrite(s, 1, n, out);
    }
    if (cut_right)
        fputs("...", out);
    fputc('\n', out);
    fputs("    ", out);
    int pad = col[at] - col[from] + (cut_left ? 3 : 0);
    for (int k = 0; k < pad; k++)
        fputc(' ', out);
    fputs("^\n", out);
    free(offset);
    free(col);
}

void diag_print(void *stream, const diag_record_t *r, bool colour)
{
    FILE *out = stream;
    char line[4096];
    size_t n = diag_format_line(line, sizeof line, r);
    if (colour) {
        /* The severity word in colour: red errors, magenta warnings, cyan notes. */
        static const char *const codes[] = {"\033[1;31m", "\033[1;35m", "\033[1;36m"};
        const char *word = severity_words[r->severity];
        char *at = strstr(line, word);
        if (at && (size_t)(at - line) + strlen(word) < sizeof line) {
            fwrite(line, 1, (size_t)(at - line), out);
            fprintf(out, "%s%s\033[0m", codes[r->severity], word);
            fputs(at + strlen(word), out);
            fputc('\n', out);
        } else {
            fprintf(out, "%s\n", line);
        }
    } else {
        fwrite(line, 1, n < sizeof line ? n : sizeof line - 1, out);
        fputc('\n', out);
    }
    if (r->source_line && r->pos.line > 0 && r->pos.column > 0)
        print_caret(out, r->source_line, r->pos.column);
}

diag_record_t *diag_record_copy(const diag_record_t *r)
{
    diag_record_t *c = mem_zalloc(1, sizeof *c);
    c->severity = r->severity;
    c->pos.line = r->pos.line;
    c->pos.column = r->pos.column;
    c->pos.file = r->pos.file ? mem_strdup(r->pos.file) : NULL;
    c->pos.path = r->pos.path ? mem_strdup(r->pos.path) : NULL;
    c->pos.column_name = r->pos.column_name ? mem_strdup(r->pos.column_name) : NULL;
    c->id = mem_strdup(r->id ? r->id : "");
    c->format = mem_strdup(r->format ? r->format : "");
    c->arg_count = r->arg_count < DIAG_MAX_ARGS ? r->arg_count : DIAG_MAX_ARGS;
    for (size_t i = 0; i < c->arg_count; i++)
        c->args[i] = mem_strdup(r->args[i] ? r->args[i] : "");
    c->message = mem_strdup(r->message ? r->message : "");
    c->source_line = r->source_line ? mem_strdup(r->source_line) : NULL;
    return c;
}

void diag_record_free(diag_record_t *r)
{
    if (!r)
        return;
    free((char *)r->pos.file);
    free((char *)r->pos.path);
    free((char *)r->pos.column_name);
    free((char *)r->id);
    free((char *)r->format);
    for (size_t i = 0; i < r->arg_count; i++)
        free((char *)r->args[i]);
    free((char *)r->message);
    free((char *)r->source_line);
    free(r);
}

void diag_fatal_oom(size_t bytes)
{
    fprintf(stderr, "itareport: error: out of memory (allocating %zu bytes)\n", bytes);
    abort();
}
