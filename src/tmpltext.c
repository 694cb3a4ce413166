/* tmpltext — see tmpltext.h. */
#include "tmpltext.h"

#include "mem.h"

#include <stdlib.h>
#include <string.h>

diag_pos_t tmpltext_pos_at(const diag_pos_t *pos, const char *text, size_t offset)
{
    diag_pos_t p = pos ? *pos : (diag_pos_t){0};
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            p.line++;
            p.column = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            p.column++;
        }
    }
    return p;
}

static tmpltext_piece_t *add_piece(tmpltext_t *t, size_t *capacity, tmpltext_kind_t kind,
                                   const char *text, size_t len, diag_pos_t pos)
{
    t->pieces = mem_array_grow(t->pieces, capacity, t->count + 1, sizeof *t->pieces);
    tmpltext_piece_t *p = &t->pieces[t->count++];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->text = mem_strndup(text, len);
    p->len = len;
    p->pos = pos;
    return p;
}

static bool is_name(const char *s, size_t len, const char *name)
{
    return len == strlen(name) && memcmp(s, name, len) == 0;
}

/* The filters after a path's first bar, [bar, end): sets sep, prefix and fallback;
 * returns the number of unknown filters reported. */
static int compile_filters(diag_t *dg, tmpltext_piece_t *p, const char *text, const char *bar,
                           const char *end, const diag_pos_t *pos)
{
    int errors = 0;
    const char *sep = ", ", *prefix = NULL, *fallback = NULL, *last = NULL;
    size_t sep_len = 2, prefix_len = 0, fallback_len = 0, last_len = 0;
    for (const char *f = bar; f && f < end;) {
        size_t remaining = (size_t)(end - f);
        const char *next = remaining > 1 ? memchr(f + 1, '|', remaining - 1) : NULL;
        const char *fend = next ? next : end;
        const char *name = f + 1;
        while (name < fend && *name == ' ')
            name++;
        const char *colon = memchr(name, ':', (size_t)(fend - name));
        const char *arg = colon ? colon + 1 : fend;
        size_t name_len = (size_t)((colon ? colon : fend) - name);
        while (name_len && name[name_len - 1] == ' ')
            name_len--;
        size_t arg_len = (size_t)(fend - arg);
        if (is_name(name, name_len, "join")) {
            sep = arg, sep_len = arg_len;
        } else if (is_name(name, name_len, "last")) {
            last = arg, last_len = arg_len;
        } else if (is_name(name, name_len, "lines")) {
            sep = "\n", sep_len = 1;
        } else if (is_name(name, name_len, "bullet")) {
            sep = "\n", sep_len = 1, prefix = arg, prefix_len = arg_len;
        } else if (is_name(name, name_len, "or")) {
            fallback = arg, fallback_len = arg_len;
        } else {
            diag_pos_t at = tmpltext_pos_at(pos, text, (size_t)(f - text));
            diag_fail(dg, &at, "report-unknown-filter-join-lines",
                      "unknown filter '%.*s' (join, last, lines, bullet, or)", (int)name_len, name);
            errors++;
        }
        f = next;
    }
    p->sep = mem_strndup(sep, sep_len);
    p->prefix = prefix ? mem_strndup(prefix, prefix_len) : NULL;
    p->fallback = fallback ? mem_strndup(fallback, fallback_len) : NULL;
    p->last = last ? mem_strndup(last, last_len) : NULL;
    return errors;
}

int tmpltext_compile(diag_t *dg, const char *text, const diag_pos_t *pos, tmpltext_t *out)
{
    memset(out, 0, sizeof *out);
    size_t capacity = 0, n = strlen(text), i = 0, literal = 0;
    int errors = 0;
    /* Ends the literal run before byte `at`. */
#define FLUSH_LITERAL(at)                                                                          \
    do {                                                                                           \
        if ((at) > literal)                                                                        \
            add_piece(out, &capacity, TMPLTEXT_LITERAL, text + literal, (at)-literal,              \
                      tmpltext_pos_at(pos, text, literal));                                        \
    } while (0)
    while (i < n) {
        if (text[i] == '*' && text[i + 1] == '*') {
            FLUSH_LITERAL(i);
            add_piece(out, &capacity, TMPLTEXT_BOLD, "", 0, tmpltext_pos_at(pos, text, i));
            i += 2;
            literal = i;
            continue;
        }
        if (!(text[i] == '{' && text[i + 1] == '{')) {
            i++;
            continue;
        }
        FLUSH_LITERAL(i);
        diag_pos_t at = tmpltext_pos_at(pos, text, i);
        const char *close = strstr(text + i + 2, "}}");
        if (!close) {
            diag_fail(dg, &at, "report-without-closing", "'{{' without a closing '}}'");
            errors++;
            literal = n;
            break;
        }
        /* path [| filter[:arg]]... */
        const char *start = text + i + 2, *end = close;
        while (start < end && *start == ' ')
            start++;
        size_t span = end > start ? (size_t)(end - start) : 0;
        const char *bar = span ? memchr(start, '|', span) : NULL;
        const char *path_end = bar ? bar : end;
        while (path_end > start && path_end[-1] == ' ')
            path_end--;
        size_t path_len = (size_t)(path_end - start);
        tmpltext_kind_t kind = is_name(start, path_len, "page")    ? TMPLTEXT_PAGE
                               : is_name(start, path_len, "pages") ? TMPLTEXT_PAGES
                                                                   : TMPLTEXT_PATH;
        tmpltext_piece_t *p = add_piece(out, &capacity, kind, start, path_len, at);
        errors += compile_filters(dg, p, text, bar, end, pos);
        i = (size_t)(close + 2 - text);
        literal = i;
    }
    FLUSH_LITERAL(n);
#undef FLUSH_LITERAL
    return errors;
}

void tmpltext_free(tmpltext_t *t)
{
    for (size_t i = 0; i < t->count; i++) {
        free(t->pieces[i].text);
        free(t->pieces[i].sep);
        free(t->pieces[i].prefix);
        free(t->pieces[i].fallback);
        free(t->pieces[i].last);
    }
    free(t->pieces);
    t->pieces = NULL;
    t->count = 0;
}
