/* batch — see batch.h. */
#include "batch.h"

#include "analyse.h"
#include "assessment.h"
#include "csvin.h"
#include "decimal.h"
#include "diag.h"
#include "filebuf.h"
#include "fingerprint.h"
#include "mem.h"
#include "render.h"
#include "summary.h"
#include "yamldoc.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* ---- jobs ------------------------------------------------------------------------------- */

typedef enum batch_kind {
    BATCH_FILE,    /* a YAML file, rendered as `itareport render` does */
    BATCH_DOC,     /* one document of a stream, held in memory */
    BATCH_CSV_ROW, /* one row of a CSV table */
    BATCH_BROKEN,  /* an input that failed before any report (its messages kept) */
} batch_kind_t;

typedef struct batch_job {
    batch_kind_t kind;
    char *input;               /* the path given or found */
    const unsigned char *data; /* BATCH_DOC: the document's bytes (in a kept buffer) */
    size_t size;
    int first_line;             /* BATCH_DOC: line of the document's first byte */
    const csvin_table_t *table; /* BATCH_CSV_ROW */
    size_t row;
    char *messages;    /* BATCH_BROKEN: the formatted messages, '\n' after each */
    char *name_source; /* what the output name is made from */
    char *stem;        /* the output name without ".pdf" */
} batch_job_t;

typedef struct batch_list {
    batch_job_t *jobs;
    size_t count, capacity;
    unsigned char **buffers; /* stream files kept for their documents */
    size_t buffer_count, buffer_capacity;
    csvin_table_t **tables;
    size_t table_count, table_capacity;
} batch_list_t;

static batch_job_t *batch_add_job(batch_list_t *l, batch_kind_t kind, const char *input)
{
    l->jobs = mem_array_grow(l->jobs, &l->capacity, l->count + 1, sizeof *l->jobs);
    batch_job_t *j = &l->jobs[l->count++];
    memset(j, 0, sizeof *j);
    j->kind = kind;
    j->input = mem_strdup(input);
    return j;
}

static void batch_free_list(batch_list_t *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->jobs[i].input);
        free(l->jobs[i].messages);
        free(l->jobs[i].name_source);
        free(l->jobs[i].stem);
    }
    free(l->jobs);
    for (size_t i = 0; i < l->buffer_count; i++)
        free(l->buffers[i]);
    free(l->buffers);
    for (size_t i = 0; i < l->table_count; i++)
        csvin_free(l->tables[i]);
    free(l->tables);
}

/* Messages collected while something runs (a worker's job, an input's expansion). */
typedef struct batch_capture {
    char *text; /* "S<line>\n" per message, S the severity digit */
    size_t len, cap;
    /* Rewriting positions in a document held in memory to its file: messages naming
     * `name` name `file` instead, at line + line_offset, or at origins[line - 1]. */
    const char *name;
    const char *file;
    int line_offset;
    const csvin_origin_t *origins;
    size_t origin_count;
    /* A message without a file is about the job's input: it is told at `input`. */
    const char *input;
} batch_capture_t;

static void batch_capture_add(batch_capture_t *c, diag_severity_t severity, const char *line)
{
    size_t n = strlen(line);
    /* The same message twice in one job (the analysis runs twice) is told once. */
    if (c->text) {
        for (const char *p = c->text; p < c->text + c->len;) {
            const char *eol = strchr(p, '\n');
            if ((size_t)(eol - p - 1) == n && p[0] == '0' + (int)severity &&
                memcmp(p + 1, line, n) == 0)
                return;
            p = eol + 1;
        }
    }
    if (!c->text || c->len + n + 3 > c->cap) {
        while (c->len + n + 3 > c->cap)
            c->cap = c->cap ? c->cap * 2 : 512;
        c->text = mem_realloc(c->text, c->cap);
    }
    c->text[c->len++] = (char)('0' + (int)severity);
    memcpy(c->text + c->len, line, n);
    c->len += n;
    c->text[c->len++] = '\n';
    c->text[c->len] = '\0';
}

/* A worker's records, their positions moved from the document in memory to its file, as
 * lines of text (the frame to the parent is line-based: a line break inside a message is
 * sent as a space). */
static void batch_capture_sink(void *user, const diag_record_t *record)
{
    batch_capture_t *c = user;
    diag_record_t r = *record;
    const diag_pos_t *p = &record->pos;
    if (!p->file && c->input) {
        r.pos.file = c->input;
    } else if (c->name && p->file && strcmp(p->file, c->name) == 0) {
        r.pos.file = c->file;
        if (p->line > 0 && c->origins && c->origin_count) {
            size_t k = (size_t)p->line <= c->origin_count ? (size_t)p->line - 1 : 0;
            r.pos.line = c->origins[k].line;
            r.pos.column = c->origins[k].column;
            r.pos.column_name = c->origins[k].column_name;
        } else if (p->line > 0) {
            r.pos.line = p->line + c->line_offset;
        }
    }
    char text[4096];
    diag_format_line(text, sizeof text, &r);
    for (char *q = text; *q; q++)
        if (*q == '\n' || *q == '\r')
            *q = ' ';
    batch_capture_add(c, r.severity, text);
}

static void batch_capture_clear(batch_capture_t *c)
{
    c->len = 0;
    if (c->text)
        c->text[0] = '\0';
    c->name = c->file = NULL;
    c->line_offset = 0;
    c->origins = NULL;
    c->origin_count = 0;
    c->input = NULL;
}

/* Reports captured messages through diag (as they were formatted); with quiet, only errors.
 * Returns the number of errors. */
static size_t batch_report_messages(diag_t *dg, const char *text, bool quiet)
{
    size_t errors = 0;
    for (const char *p = text; p && *p;) {
        const char *eol = strchr(p, '\n');
        diag_severity_t sev = (diag_severity_t)(p[0] - '0');
        char *line = mem_strndup(p + 1, (size_t)(eol - p - 1));
        errors += sev == DIAG_ERROR;
        if (!quiet || sev == DIAG_ERROR) {
            /* Split "FILE:L:C: severity: text" back into a position and the text. */
            static const char *const words[] = {": error: ", ": warning: ", ": note: "};
            char *mark = strstr(line, words[sev]);
            diag_pos_t pos = {.file = NULL, .line = 0, .column = 0};
            const char *body = line;
            if (mark) {
                *mark = '\0';
                body = mark + strlen(words[sev]);
                if (strcmp(line, "itareport") != 0) {
                    pos.file = line;
                    char *c1 = strrchr(line, ':');
                    if (c1 && c1[1] >= '0' && c1[1] <= '9') {
                        int last = atoi(c1 + 1);
                        *c1 = '\0';
                        char *c2 = strrchr(line, ':');
                        if (c2 && c2[1] >= '0' && c2[1] <= '9') {
                            *c2 = '\0';
                            pos.line = atoi(c2 + 1);
                            pos.column = last;
                        } else {
                            pos.line = last;
                        }
                    }
                }
            }
            diag_emit(dg, sev, &pos, "batch-worker-message", "%s", body);
        }
        free(line);
        p = eol + 1;
    }
    return errors;
}

/* The error lines of captured messages joined by " | " (a new string). */
static char *batch_error_text(const char *text)
{
    size_t cap = 64, n = 0;
    char *out = mem_alloc(cap);
    out[0] = '\0';
    for (const char *p = text; p && *p;) {
        const char *eol = strchr(p, '\n');
        if (p[0] == '0' + (int)DIAG_ERROR) {
            size_t l = (size_t)(eol - p - 1);
            if (n + l + 4 > cap) {
                while (n + l + 4 > cap)
                    cap *= 2;
                out = mem_realloc(out, cap);
            }
            if (n) {
                memcpy(out + n, " | ", 3);
                n += 3;
            }
            memcpy(out + n, p + 1, l);
            n += l;
            out[n] = '\0';
        }
        p = eol + 1;
    }
    return out;
}

/* ---- finding the inputs ------------------------------------------------------------------- */

static int batch_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int batch_compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.yaml under dir (recursively) into paths. */
static void batch_walk(diag_t *dg, const char *dir, int depth, char ***paths, size_t *count,
                       size_t *cap)
{
    DIR *d = opendir(dir);
    if (!d) {
        diag_fail(dg, NULL, "batch-cannot-read-folder", "cannot read the folder '%s': %s", dir,
                  strerror(errno));
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *path = mem_printf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (depth < 32)
                batch_walk(dg, path, depth + 1, paths, count, cap);
            free(path);
        } else if (batch_ends_with(e->d_name, ".yaml") || batch_ends_with(e->d_name, ".yml")) {
            *paths = mem_array_grow(*paths, cap, *count + 1, sizeof **paths);
            (*paths)[(*count)++] = path;
        } else {
            free(path);
        }
    }
    closedir(d);
}

/* A whole input file; NULL after reporting. Streams and tables may be large. */
static unsigned char *batch_read(diag_t *dg, const char *path, size_t *size)
{
    unsigned char *data = NULL;
    return filebuf_read(dg, path, "", (size_t)1 << 30, &data, size) == 0 ? data : NULL;
}

/* The stem of a path's file name ("dir/a.b.yaml" -> "a.b"), a new string. */
static char *batch_file_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return mem_strndup(base, n);
}

/* True when a line (up to its end) is a document separator: "---" alone (a comment may
 * follow). */
static int batch_is_separator(const unsigned char *p, const unsigned char *end)
{
    if (end - p < 3 || memcmp(p, "---", 3) != 0)
        return 0;
    p += 3;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p == end || *p == '\n' || *p == '\r' || *p == '#';
}

/* True when the bytes hold something other than blank lines, comments and "...". */
static int batch_has_content(const unsigned char *p, const unsigned char *end)
{
    while (p < end) {
        const unsigned char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        const unsigned char *q = p;
        while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q < eol && *q != '#' && !(eol - q >= 3 && memcmp(q, "...", 3) == 0))
            return 1;
        p = eol + 1;
    }
    return 0;
}

static void batch_muted_sink(void *user, const diag_record_t *record)
{
    (void)user;
    (void)record;
}

/* The agency name of a document, or NULL (nothing is reported). */
static char *batch_doc_agency(const unsigned char *data, size_t size, batch_capture_t *cap)
{
    (void)cap;
    diag_t *muted = diag_new(batch_muted_sink, NULL);
    yamldoc_limits_t limits = yamldoc_default_limits();
    yamldoc_t *doc = yamldoc_parse_buffer(muted, "-", data, size, &limits);
    char *name = NULL;
    if (doc && doc->root) {
        const yamldoc_node_t *n = yamldoc_get(yamldoc_get(doc->root, "agency"), "name");
        if (n && n->kind == YAMLDOC_KIND_SCALAR && !n->null && n->len)
            name = mem_strdup(n->text);
    }
    yamldoc_free(doc);
    diag_free(muted);
    return name;
}

/* A YAML file: one job, or one per document when it is a stream of several. */
static void batch_add_yaml(diag_t *dg, batch_list_t *l, const char *path, batch_capture_t *cap)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        /* Not a regular file (a pipe): read once, by the worker. */
        batch_add_job(l, BATCH_FILE, path);
        return;
    }
    size_t size = 0;
    unsigned char *data = batch_read(dg, path, &size);
    if (!data) {
        batch_add_job(l, BATCH_FILE, path); /* the worker reports it */
        return;
    }
    /* Documents: [start, end) between separator lines. Two passes: count the documents, then (for a
     * stream of several) add one job each. */
    const unsigned char *end = data + size;
    size_t docs = 0;
    for (int pass = 0; pass < 2; pass++) {
        const unsigned char *p = data, *start = data;
        int line = 1, start_line = 1;
        size_t n = 0;
        while (p <= end) {
            const unsigned char *eol = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
            const unsigned char *next = eol ? eol + 1 : end;
            int sep = p < end && batch_is_separator(p, eol ? eol : end);
            if (sep || p == end) {
                if (batch_has_content(start, p)) {
                    if (pass == 1) {
                        batch_job_t *j = batch_add_job(l, BATCH_DOC, path);
                        j->data = start;
                        j->size = (size_t)(p - start);
                        j->first_line = start_line;
                        n++;
                        j->name_source = batch_doc_agency(j->data, j->size, cap);
                        if (!j->name_source) {
                            /* Named for the stream and the document's number. */
                            char *stem = batch_file_stem(path);
                            j->name_source = mem_printf("%s-%zu", stem, n);
                            free(stem);
                        }
                    }
                    if (pass == 0)
                        n++;
                }
                if (p == end)
                    break;
                start = next;
                start_line = line + 1;
            }
            p = next; /* at the end, the next turn closes the last document */
            line++;
        }
        if (pass == 0) {
            docs = n;
            if (docs < 2)
                break;
        }
    }
    if (docs < 2) {
        free(data);
        batch_add_job(l, BATCH_FILE, path);
        return;
    }
    l->buffers =
        mem_array_grow(l->buffers, &l->buffer_capacity, l->buffer_count + 1, sizeof *l->buffers);
    l->buffers[l->buffer_count++] = data;
}

static void batch_add_csv(diag_t *dg, batch_list_t *l, const char *path, batch_capture_t *cap)
{
    csvin_table_t *t = csvin_read_file(dg, path);
    if (!t) {
        batch_job_t *j = batch_add_job(l, BATCH_BROKEN, path);
        j->messages = mem_strdup(cap->text ? cap->text : "");
        return;
    }
    l->tables =
        mem_array_grow(l->tables, &l->table_capacity, l->table_count + 1, sizeof *l->tables);
    l->tables[l->table_count++] = t;
    for (size_t r = 0; r < t->count; r++) {
        batch_job_t *j = batch_add_job(l, BATCH_CSV_ROW, path);
        j->table = t;
        j->row = r;
        const char *agency = csvin_row_get(t, r, "name");
        j->name_source = agency ? mem_strdup(agency) : mem_printf("row-%d", t->rows[r].line);
    }
}

/* Expands the inputs into the list of jobs, in order. */
static void batch_expand(diag_t *dg, batch_list_t *l, const char *const *inputs, size_t count)
{
    batch_capture_t cap;
    memset(&cap, 0, sizeof cap);
    for (size_t i = 0; i < count; i++) {
        batch_capture_clear(&cap);
        diag_set_sink(dg, batch_capture_sink, &cap);
        struct stat st;
        if (stat(inputs[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            char **paths = NULL;
            size_t n = 0, c = 0;
            batch_walk(dg, inputs[i], 0, &paths, &n, &c);
            if (n)
                qsort(paths, n, sizeof *paths, batch_compare_paths);
            for (size_t k = 0; k < n; k++) {
                batch_add_yaml(dg, l, paths[k], &cap);
                free(paths[k]);
            }
            free(paths);
            if (cap.len) {
                batch_job_t *j = batch_add_job(l, BATCH_BROKEN, inputs[i]);
                j->messages = mem_strdup(cap.text);
            }
        } else if (batch_ends_with(inputs[i], ".csv")) {
            size_t before = l->count;
            batch_add_csv(dg, l, inputs[i], &cap);
            if (cap.len && (l->count == before || l->jobs[before].kind != BATCH_BROKEN)) {
                /* A table read with warnings (its encoding): said once, for the table. */
                diag_set_sink(dg, NULL, NULL);
                batch_report_messages(dg, cap.text, false);
            }
        } else if (stat(inputs[i], &st) != 0) {
            diag_fail(dg, NULL, "batch-cannot-read", "cannot read '%s': %s", inputs[i],
                      strerror(errno));
            batch_job_t *j = batch_add_job(l, BATCH_BROKEN, inputs[i]);
            j->messages = mem_strdup(cap.text);
        } else {
            batch_add_yaml(dg, l, inputs[i], &cap);
        }
        diag_set_sink(dg, NULL, NULL);
    }
    free(cap.text);
}

/* ---- output names ------------------------------------------------------------------------ */

char *batch_safe_name(const char *text)
{
    size_t n = strlen(text);
    char *out = mem_alloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == 0x7F || strchr("/\\:*?\"<>|", c))
            c = '-';
        /* Collapse runs of replaced characters and spaces into one. */
        if ((c == '-' || c == ' ') && k > 0 && (out[k - 1] == '-' || out[k - 1] == ' ') &&
            c == (unsigned char)out[k - 1])
            continue;
        out[k++] = (char)c;
    }
    out[k] = '\0';
    /* No leading dots, spaces or dashes; no trailing dots or spaces. */
    size_t s = 0;
    while (out[s] == '.' || out[s] == ' ' || out[s] == '-')
        s++;
    memmove(out, out + s, k - s + 1);
    k -= s;
    if (k > 180) {
        k = 180;
        while (k > 0 && ((unsigned char)out[k] & 0xC0) == 0x80)
            k--;
        out[k] = '\0';
    }
    while (k > 0 && (out[k - 1] == '.' || out[k - 1] == ' '))
        out[--k] = '\0';
    if (!k) {
        free(out);
        return NULL;
    }
    return out;
}

static unsigned long batch_hash_folded(const char *s)
{
    unsigned long h = 5381;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        h = h * 33 + c;
    }
    return h;
}

/* Names that the batch's own files take. */
static int batch_reserved(const char *stem)
{
    int k, n, used = 0;
    if (strcasecmp(stem, "summary") == 0)
        return 1;
    return sscanf(stem, "summary-%d-of-%d%n", &k, &n, &used) == 2 && stem[used] == '\0';
}

/* Gives every job its stem: unique over the whole list (case folded, as on file systems
 * that fold case), in list order, "-2", "-3" ... after a name already taken. */
static void batch_name_jobs(batch_list_t *l)
{
    size_t buckets = l->count * 2 + 16;
    char **table = mem_zalloc(buckets, sizeof *table); /* borrowed stems */
    for (size_t i = 0; i < l->count; i++) {
        batch_job_t *j = &l->jobs[i];
        char *base = NULL;
        if (j->name_source)
            base = batch_safe_name(j->name_source);
        if (!base) {
            char *stem = batch_file_stem(j->input);
            base = batch_safe_name(stem);
            free(stem);
        }
        if (!base)
            base = mem_strdup("agency");
        for (int suffix = 1;; suffix++) {
            char *candidate = suffix == 1 ? mem_strdup(base) : mem_printf("%s-%d", base, suffix);
            int taken = batch_reserved(candidate);
            size_t h = batch_hash_folded(candidate) % buckets;
            while (!taken && table[h]) {
                if (strcasecmp(table[h], candidate) == 0)
                    taken = 1;
                h = (h + 1) % buckets;
            }
            if (!taken) {
                j->stem = candidate;
                table[h] = candidate;
                break;
            }
            free(candidate);
        }
        free(base);
    }
    free(table);
}

/* ---- workers ------------------------------------------------------------------------------- */

/* A figure as check --json prints it, or "" when there is none. */
static void batch_figure(const framework_t *fw, const analyse_figure_t *fig, char *buf, size_t size)
{
    if (fig->source == ANALYSE_SOURCE_NONE)
        buf[0] = '\0';
    else
        decimal_format_scaled(fig->rounded, fw->decimals, buf, size);
}

enum { BATCH_FIGURES = SUMMARY_OIT - SUMMARY_AGENCY + 1 };

typedef struct batch_outcome {
    bool ok, skipped;
    long long bytes;              /* the PDF's size when written */
    char *figures[BATCH_FIGURES]; /* SUMMARY_AGENCY .. SUMMARY_OIT */
} batch_outcome_t;

static void batch_outcome_figures(batch_outcome_t *o, const assessment_t *a)
{
    const model_t *m = a->model;
    const analyse_findings_t *f = a->findings;
    const framework_t *fw = a->fw;
    char buf[64];
    o->figures[SUMMARY_AGENCY - SUMMARY_AGENCY] =
        mem_strdup(m->agency.name.text ? m->agency.name.text : "");
    o->figures[SUMMARY_TYPE - SUMMARY_AGENCY] =
        mem_strdup(m->agency.type.text ? m->agency.type.text : "");
    o->figures[SUMMARY_DISTRICT - SUMMARY_AGENCY] =
        mem_strdup(m->agency.district.text ? m->agency.district.text : "");
    o->figures[SUMMARY_PROVINCE - SUMMARY_AGENCY] =
        mem_strdup(m->agency.province.text ? m->agency.province.text : "");
    o->figures[SUMMARY_YEAR - SUMMARY_AGENCY] = mem_printf("%d", m->fiscal_year);
    batch_figure(fw, &f->overall, buf, sizeof buf);
    o->figures[SUMMARY_OVERALL - SUMMARY_AGENCY] = mem_strdup(buf);
    o->figures[SUMMARY_GRADE - SUMMARY_AGENCY] = mem_strdup(f->grade ? f->grade : "");
    o->figures[SUMMARY_LABEL - SUMMARY_AGENCY] = mem_strdup(f->label ? f->label : "");
    o->figures[SUMMARY_PASSED - SUMMARY_AGENCY] = mem_strdup(f->passed ? "true" : "false");
    static const char *const codes[] = {"IIT", "EIT", "OIT"};
    for (int c = 0; c < 3; c++) {
        buf[0] = '\0';
        for (size_t t = 0; t < fw->tool_count; t++)
            if (strcasecmp(fw->tools[t].code, codes[c]) == 0)
                batch_figure(fw, &f->tools[t].score, buf, sizeof buf);
        o->figures[SUMMARY_IIT - SUMMARY_AGENCY + c] = mem_strdup(buf);
    }
}

typedef struct batch_worker_ctx {
    diag_t *dg;
    const batch_options_t *options;
    renderer_t *renderer;
    batch_capture_t capture;
} batch_worker_ctx_t;

/* Runs one job in a worker. */
static void batch_do_job(batch_worker_ctx_t *w, const batch_job_t *j, batch_outcome_t *o)
{
    const batch_options_t *opt = w->options;
    unsigned char *owned = NULL;
    const unsigned char *data = NULL;
    size_t size = 0;
    char *name = NULL;
    csvin_origin_t *origins = NULL;
    size_t origin_count = 0;
    char *out = mem_printf("%s/%s.pdf", opt->outdir, j->stem);
    assessment_t a;
    memset(&a, 0, sizeof a);
    batch_capture_clear(&w->capture);
    char *where = j->kind == BATCH_DOC ? mem_printf("%s:%d", j->input, j->first_line)
                  : j->kind == BATCH_CSV_ROW
                      ? mem_printf("%s:%d", j->input, j->table->rows[j->row].line)
                      : mem_strdup(j->input);
    w->capture.input = where;

    switch (j->kind) {
    case BATCH_FILE:
        name = mem_strdup(j->input);
        data = owned = batch_read(w->dg, j->input, &size);
        break;
    case BATCH_DOC:
    case BATCH_CSV_ROW: {
        /* Named as the YAML file it stands for, beside its source (logos are found there). */
        const char *slash = strrchr(j->input, '/');
        name = slash ? mem_printf("%.*s/%s.yaml", (int)(slash - j->input), j->input, j->stem)
                     : mem_printf("%s.yaml", j->stem);
        w->capture.name = name;
        w->capture.file = j->input;
        if (j->kind == BATCH_DOC) {
            data = j->data;
            size = j->size;
            w->capture.line_offset = j->first_line - 1;
        } else {
            data = owned = (unsigned char *)csvin_row_to_yaml(j->table, j->row, &size, &origins,
                                                              &origin_count);
            w->capture.origins = origins;
            w->capture.origin_count = origin_count;
        }
        break;
    }
    case BATCH_BROKEN:
        break;
    }
    if (!data)
        goto done;
    if (assessment_open_buffer(w->dg, &a, name, data, size, opt->template_dir, opt->data_dir) != 0)
        goto done;
    batch_outcome_figures(o, &a);
    char *report = mem_printf("%s/report.yaml", a.template_dir);
    struct stat st;
    int has_template = stat(report, &st) == 0;
    free(report);
    if (!has_template) {
        diag_pos_t pos = a.model->framework.pos;
        diag_fail(w->dg, &pos, "batch-no-report-template",
                  "framework '%s' has no report template (%s/report.yaml): its figures "
                  "are in the summary, no report is made",
                  a.fw->id, a.template_dir);
        goto done;
    }
    render_options_t ro = {.template_dir = opt->template_dir, .digits = -1, .dump_layout = false};
    char want[FINGERPRINT_HEX], have[FINGERPRINT_HEX];
    if (!opt->force && fingerprint_read_pdf(out, have) == 0) {
        if (render_fingerprint(w->renderer, &a, name, data, size, &ro, want) != 0)
            goto done;
        if (strcmp(want, have) == 0) {
            o->ok = o->skipped = true;
            goto done;
        }
    }
    if (render_assessment(w->renderer, &a, name, data, size, out, &ro) == 0) {
        o->ok = true;
        if (stat(out, &st) == 0)
            o->bytes = (long long)st.st_size;
    }
done:
    assessment_close(&a);
    free(owned);
    free(origins);
    free(name);
    free(out);
    w->capture.input = NULL;
    w->capture.name = NULL;
    w->capture.origins = NULL;
    free(where);
}

/* Writes all of a buffer; -1 on error. */
static int batch_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int batch_read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* A result frame: u32 length, then NUL-terminated fields: job index, "1"/"0" ok,
 * "1"/"0" skipped, bytes, peak memory (KB), the figures, and the captured messages. */
static void batch_send_result(int fd, uint32_t index, const batch_outcome_t *o,
                              const char *messages)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    char head[128];
    int hn = snprintf(head, sizeof head, "%u%c%d%c%d%c%lld%c%ld%c", index, 0, o->ok, 0, o->skipped,
                      0, o->bytes, 0, (long)ru.ru_maxrss, 0);
    size_t len = (size_t)hn;
    for (int f = 0; f < BATCH_FIGURES; f++)
        len += strlen(o->figures[f] ? o->figures[f] : "") + 1;
    len += strlen(messages ? messages : "") + 1;
    char *frame = mem_alloc(len + 4);
    uint32_t l32 = (uint32_t)len;
    memcpy(frame, &l32, 4);
    size_t k = 4;
    memcpy(frame + k, head, (size_t)hn);
    k += (size_t)hn;
    for (int f = 0; f < BATCH_FIGURES; f++) {
        const char *s = o->figures[f] ? o->figures[f] : "";
        size_t n = strlen(s) + 1;
        memcpy(frame + k, s, n);
        k += n;
    }
    const char *m = messages ? messages : "";
    memcpy(frame + k, m, strlen(m) + 1);
    batch_write_all(fd, frame, len + 4);
    free(frame);
}

static void batch_free_outcome(batch_outcome_t *o)
{
    for (int f = 0; f < BATCH_FIGURES; f++)
        free(o->figures[f]);
    memset(o, 0, sizeof *o);
}

/* A worker's life: jobs (u32 indices) in, results out, until the job pipe closes. */
static _Noreturn void batch_worker_main(diag_t *dg, const batch_list_t *l,
                                        const batch_options_t *opt, int job_fd, int result_fd,
                                        pid_t parent)
{
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
    if (getppid() != parent)
        _exit(DIAG_EXIT_FAILURE);
    signal(SIGPIPE, SIG_DFL);
    batch_worker_ctx_t w;
    memset(&w, 0, sizeof w);
    w.options = opt;
    w.dg = dg;
    diag_set_sink(dg, batch_capture_sink, &w.capture);
    w.renderer = render_new(dg, opt->data_dir);
    uint32_t index;
    while (batch_read_all(job_fd, &index, sizeof index) == 0) {
        batch_outcome_t o;
        memset(&o, 0, sizeof o);
        if (w.renderer && index < l->count)
            batch_do_job(&w, &l->jobs[index], &o);
        batch_send_result(result_fd, index, &o, w.capture.text);
        batch_free_outcome(&o);
    }
    render_free(w.renderer);
    diag_set_sink(dg, NULL, NULL);
    free(w.capture.text);
    close(job_fd);
    close(result_fd);
    exit(DIAG_EXIT_OK);
}

/* ---- the parent ------------------------------------------------------------------------------ */

typedef struct batch_slot {
    pid_t pid; /* 0: none */
    int job_fd, result_fd;
    long job; /* the job index in flight, -1: idle */
    char *buf;
    size_t len, cap;
} batch_slot_t;

typedef struct batch_result {
    bool done, ok, skipped;
    char *figures[BATCH_FIGURES];
    char *error;
} batch_result_t;

typedef struct batch_state {
    diag_t *dg;
    const batch_list_t *list;
    const batch_options_t *opt;
    batch_result_t *results; /* per job of the list */
    size_t lo, hi, next;     /* the slice, and the next job to hand out */
    size_t done, failed, skipped, rendered;
    size_t worker_errors; /* workers that ended badly between jobs */
    long long bytes;
    long peak_kb;
    double started;
    double last_live;
    bool live_shown;
    batch_slot_t *slots; /* the workers, whose pipes a new worker must not keep open */
    int slot_count;
} batch_state_t;

static double batch_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void batch_live_clear(batch_state_t *s)
{
    if (s->live_shown && s->opt->live) {
        fputs("\r\033[K", s->opt->live);
        fflush(s->opt->live);
        s->live_shown = false;
    }
}

static void batch_live_draw(batch_state_t *s, bool force)
{
    const batch_options_t *o = s->opt;
    if (!o->live || o->quiet)
        return;
    double now = batch_now();
    if (!force && now - s->last_live < 0.1)
        return;
    s->last_live = now;
    size_t total = s->hi - s->lo;
    double elapsed = now - s->started;
    double rate = elapsed > 0 ? (double)s->done / elapsed : 0;
    double left = rate > 0 ? (double)(total - s->done) / rate : 0;
    fprintf(o->live, "\r\033[K%zu/%zu done, %zu failed, %.1f reports/s, %d:%02d left", s->done,
            total, s->failed, rate, (int)left / 60, (int)left % 60);
    fflush(o->live);
    s->live_shown = true;
}

static void batch_log(batch_state_t *s, size_t index, const char *what)
{
    const batch_options_t *o = s->opt;
    if (o->quiet || o->live || !o->log)
        return;
    const batch_job_t *j = &s->list->jobs[index];
    fprintf(o->log, "[%zu/%zu] %s %s -> %s.pdf\n", s->done, s->hi - s->lo, what, j->input, j->stem);
    fflush(o->log);
}

/* Records a finished job (from a worker's frame or a failure the parent saw). */
static void batch_finish(batch_state_t *s, size_t index, bool ok, bool skipped, char **figures,
                         const char *messages)
{
    batch_result_t *r = &s->results[index];
    if (r->done)
        return;
    r->done = true;
    r->ok = ok;
    r->skipped = skipped;
    for (int f = 0; f < BATCH_FIGURES; f++)
        r->figures[f] = mem_strdup(figures && figures[f] ? figures[f] : "");
    r->error = batch_error_text(messages);
    s->done++;
    if (!ok && !r->error[0]) {
        free(r->error);
        r->error = mem_printf("%s: failed without a message", s->list->jobs[index].input);
    }
    batch_live_clear(s);
    size_t errors = batch_report_messages(s->dg, messages, s->opt->quiet);
    if (!ok && !errors)
        diag_fail(s->dg, NULL, "batch-job-failed", "%s", r->error);
    if (!ok)
        s->failed++;
    else if (skipped)
        s->skipped++;
    else
        s->rendered++;
    batch_log(s, index, !ok ? "FAILED" : skipped ? "up to date" : "rendered");
    batch_live_draw(s, false);
}

/* Removes what a job's interrupted writer left: OUTDIR/<stem>.pdf.tmp.* . */
static void batch_remove_temps(const char *outdir, const char *stem)
{
    DIR *d = opendir(outdir);
    if (!d)
        return;
    char *prefix = mem_printf("%s.pdf.tmp.", stem);
    size_t n = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, prefix, n) == 0 && strlen(e->d_name) == n + 6) {
            char *path = mem_printf("%s/%s", outdir, e->d_name);
            unlink(path);
            free(path);
        }
    free(prefix);
    closedir(d);
}

/* Stale temporary files of the slice's reports (a run killed outright leaves them). */
static void batch_remove_stale(const batch_state_t *s)
{
    DIR *d = opendir(s->opt->outdir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *mark = strstr(e->d_name, ".pdf.tmp.");
        if (!mark || strlen(mark) != 9 + 6)
            continue;
        size_t n = (size_t)(mark - e->d_name);
        for (size_t i = s->lo; i < s->hi; i++) {
            const char *stem = s->list->jobs[i].stem;
            if (strlen(stem) == n && memcmp(stem, e->d_name, n) == 0) {
                char *path = mem_printf("%s/%s", s->opt->outdir, e->d_name);
                unlink(path);
                free(path);
                break;
            }
        }
    }
    closedir(d);
}

static int batch_spawn(batch_state_t *s, batch_slot_t *slot)
{
    int jobs[2], results[2];
    if (pipe(jobs) != 0)
        return -1;
    if (pipe(results) != 0) {
        close(jobs[0]);
        close(jobs[1]);
        return -1;
    }
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(jobs[0]);
        close(jobs[1]);
        close(results[0]);
        close(results[1]);
        return -1;
    }
    if (pid == 0) {
        close(jobs[1]);
        close(results[0]);
        for (int i = 0; i < s->slot_count; i++)
            if (&s->slots[i] != slot && s->slots[i].pid) {
                if (s->slots[i].job_fd >= 0)
                    close(s->slots[i].job_fd);
                close(s->slots[i].result_fd);
            }
        batch_worker_main(s->dg, s->list, s->opt, jobs[0], results[1], parent);
    }
    close(jobs[0]);
    close(results[1]);
    slot->pid = pid;
    slot->job_fd = jobs[1];
    slot->result_fd = results[0];
    slot->job = -1;
    slot->len = 0;
    return 0;
}

/* Hands the next job to an idle worker; false when there is none left. */
static bool batch_hand_out(batch_state_t *s, batch_slot_t *slot)
{
    while (s->next < s->hi && s->list->jobs[s->next].kind == BATCH_BROKEN) {
        const batch_job_t *j = &s->list->jobs[s->next];
        batch_finish(s, s->next, false, false, NULL, j->messages);
        s->next++;
    }
    if (s->next >= s->hi)
        return false;
    uint32_t index = (uint32_t)s->next;
    if (batch_write_all(slot->job_fd, &index, sizeof index) != 0)
        return false; /* the worker is gone: seen when its result pipe closes */
    slot->job = (long)s->next++;
    return true;
}

/* Parses complete frames from a worker's buffer. */
static void batch_take_frames(batch_state_t *s, batch_slot_t *slot)
{
    size_t at = 0;
    while (slot->len - at >= 4) {
        uint32_t len;
        memcpy(&len, slot->buf + at, 4);
        if (slot->len - at - 4 < len)
            break;
        const char *p = slot->buf + at + 4, *end = p + len;
        const char *fields[5 + BATCH_FIGURES + 1];
        size_t nf = 0;
        while (p < end && nf < sizeof fields / sizeof fields[0]) {
            fields[nf++] = p;
            p += strlen(p) + 1;
        }
        if (nf == sizeof fields / sizeof fields[0]) {
            size_t index = (size_t)strtoul(fields[0], NULL, 10);
            long kb = atol(fields[4]);
            if (kb > s->peak_kb)
                s->peak_kb = kb;
            s->bytes += atoll(fields[3]);
            if (index >= s->lo && index < s->hi)
                batch_finish(s, index, fields[1][0] == '1', fields[2][0] == '1',
                             (char **)(fields + 5), fields[5 + BATCH_FIGURES]);
        }
        slot->job = -1;
        at += 4 + len;
    }
    memmove(slot->buf, slot->buf + at, slot->len - at);
    slot->len -= at;
}

/* A worker's result pipe closed: reap it; a job in flight failed with it. */
static void batch_reap(batch_state_t *s, batch_slot_t *slot)
{
    if (slot->job_fd >= 0)
        close(slot->job_fd);
    slot->job_fd = -1;
    close(slot->result_fd);
    int status = 0;
    while (waitpid(slot->pid, &status, 0) < 0 && errno == EINTR)
        ;
    slot->pid = 0;
    if (slot->job >= 0) {
        const batch_job_t *j = &s->list->jobs[slot->job];
        char *msg;
        if (WIFSIGNALED(status))
            msg = mem_printf("0%s: error: the worker rendering it was killed by signal %d (%s); "
                             "the batch goes on\n",
                             j->input, WTERMSIG(status), strsignal(WTERMSIG(status)));
        else
            msg = mem_printf("0%s: error: the worker rendering it ended unexpectedly (exit %d)\n",
                             j->input, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        batch_remove_temps(s->opt->outdir, j->stem);
        batch_finish(s, (size_t)slot->job, false, false, NULL, msg);
        free(msg);
        slot->job = -1;
    } else if (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0)) {
        /* Between jobs: nothing is lost, but something is wrong (a sanitizer's report at
         * exit, a kill from outside); the batch says so and fails. */
        batch_live_clear(s);
        if (WIFSIGNALED(status))
            diag_fail(s->dg, NULL, "batch-worker-killed-signal-between",
                      "a worker was killed by signal %d (%s) between reports", WTERMSIG(status),
                      strsignal(WTERMSIG(status)));
        else
            diag_fail(s->dg, NULL, "batch-worker-ended-status", "a worker ended with status %d",
                      WEXITSTATUS(status));
        s->worker_errors++;
    }
}

static void batch_run_workers(batch_state_t *s, int count)
{
    batch_slot_t *slots = mem_zalloc((size_t)count, sizeof *slots);
    struct pollfd *fds = mem_zalloc((size_t)count, sizeof *fds);
    s->slots = slots;
    s->slot_count = count;
    for (int i = 0; i < count; i++) {
        if (batch_spawn(s, &slots[i]) != 0) {
            diag_fail(s->dg, NULL, "batch-cannot-start-worker", "cannot start a worker: %s",
                      strerror(errno));
            break;
        }
        if (!batch_hand_out(s, &slots[i])) {
            close(slots[i].job_fd); /* nothing to do: let it end */
            slots[i].job_fd = -1;
        }
    }
    for (;;) {
        int active = 0;
        for (int i = 0; i < count; i++) {
            fds[i].fd = slots[i].pid ? slots[i].result_fd : -1;
            fds[i].events = POLLIN;
            fds[i].revents = 0;
            active += slots[i].pid != 0;
        }
        if (!active) {
            /* Every worker is gone (or none could start): what is left fails here. */
            while (s->next < s->hi) {
                const batch_job_t *j = &s->list->jobs[s->next];
                if (j->kind == BATCH_BROKEN)
                    batch_finish(s, s->next, false, false, NULL, j->messages);
                else {
                    char *msg = mem_printf("0%s: error: no worker could render it\n", j->input);
                    batch_finish(s, s->next, false, false, NULL, msg);
                    free(msg);
                }
                s->next++;
            }
            break;
        }
        int n = poll(fds, (nfds_t)count, 200);
        if (n < 0 && errno != EINTR)
            break;
        batch_live_draw(s, false);
        for (int i = 0; n > 0 && i < count; i++) {
            if (!fds[i].revents)
                continue;
            batch_slot_t *slot = &slots[i];
            if (slot->len + 65536 > slot->cap) {
                slot->cap = slot->len + 65536;
                slot->buf = mem_realloc(slot->buf, slot->cap);
            }
            ssize_t r = read(slot->result_fd, slot->buf + slot->len, slot->cap - slot->len);
            if (r < 0 && errno == EINTR)
                continue;
            if (r > 0) {
                slot->len += (size_t)r;
                long before = slot->job;
                batch_take_frames(s, slot);
                if (before >= 0 && slot->job < 0 && slot->job_fd >= 0 && !batch_hand_out(s, slot)) {
                    close(slot->job_fd);
                    slot->job_fd = -1;
                }
                continue;
            }
            /* End of file: the worker ended (done, or crashed). */
            int had_job = slot->job >= 0;
            batch_reap(s, slot);
            slot->len = 0;
            if (had_job || s->next < s->hi) {
                if (s->next < s->hi && batch_spawn(s, slot) == 0 && !batch_hand_out(s, slot)) {
                    close(slot->job_fd);
                    slot->job_fd = -1;
                }
            }
        }
    }
    for (int i = 0; i < count; i++)
        free(slots[i].buf);
    free(slots);
    free(fds);
    s->slots = NULL;
    s->slot_count = 0;
}

/* ---- the run --------------------------------------------------------------------------------- */

static int batch_mkdirs(diag_t *dg, const char *path)
{
    char *p = mem_strdup(path);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                diag_fail(dg, NULL, "batch-cannot-make-folder", "cannot make the folder '%s': %s",
                          p, strerror(errno));
                rc = -1;
                break;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    free(p);
    return rc;
}

int batch_run(diag_t *dg, const char *const *inputs, size_t input_count,
              const batch_options_t *options)
{
    batch_options_t opt = *options;
    batch_list_t list;
    memset(&list, 0, sizeof list);
    batch_expand(dg, &list, inputs, input_count);
    batch_name_jobs(&list);

    batch_state_t s;
    memset(&s, 0, sizeof s);
    s.dg = dg;
    s.list = &list;
    s.opt = &opt;
    s.results = mem_zalloc(list.count + 1, sizeof *s.results);
    if (opt.shard_count > 0) {
        s.lo = list.count * (size_t)(opt.shard - 1) / (size_t)opt.shard_count;
        s.hi = list.count * (size_t)opt.shard / (size_t)opt.shard_count;
    } else {
        s.lo = 0;
        s.hi = list.count;
    }
    s.next = s.lo;
    s.started = batch_now();
    int status = DIAG_EXIT_FAILURE;
    if (batch_mkdirs(dg, opt.outdir) != 0)
        goto done;
    batch_remove_stale(&s);

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int workers = opt.workers > 0 ? opt.workers : (cores > 0 ? (int)cores : 1);
    size_t todo = s.hi - s.lo;
    if ((size_t)workers > todo)
        workers = (int)(todo ? todo : 1);
    void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);
    if (todo)
        batch_run_workers(&s, workers);
    signal(SIGPIPE, old_pipe);
    batch_live_clear(&s);
    double elapsed = batch_now() - s.started;

    /* The summary of the slice, in list order. */
    summary_t *sum = summary_new();
    for (size_t i = s.lo; i < s.hi; i++) {
        const batch_result_t *r = &s.results[i];
        summary_row_t *row = summary_add_row(sum);
        char *file = mem_printf("%s.pdf", list.jobs[i].stem);
        summary_set(row, SUMMARY_FILE, file);
        free(file);
        for (int f = 0; f < BATCH_FIGURES; f++)
            summary_set(row, (summary_field_t)(SUMMARY_AGENCY + f), r->figures[f]);
        summary_set(row, SUMMARY_STATUS, r->ok ? "ok" : "failed");
        summary_set(row, SUMMARY_ERROR, r->error);
    }
    char *stem = opt.shard_count > 0 ? mem_printf("summary-%d-of-%d", opt.shard, opt.shard_count)
                                     : mem_strdup("summary");
    char *csv = mem_printf("%s/%s.csv", opt.outdir, stem);
    char *pdf = mem_printf("%s/%s.pdf", opt.outdir, stem);
    int summary_rc = summary_write_csv(dg, sum, csv);
    if (summary_rc == 0) {
        renderer_t *renderer = render_new(dg, opt.data_dir);
        summary_rc = renderer ? summary_write_pdf(renderer, sum, opt.data_dir,
                                                  opt.shard_count > 0 ? opt.shard : 0,
                                                  opt.shard_count > 0 ? opt.shard_count : 0, pdf)
                              : -1;
        render_free(renderer);
    }
    status =
        s.failed == 0 && s.worker_errors == 0 && summary_rc == 0 ? DIAG_EXIT_OK : DIAG_EXIT_FAILURE;
    if (!opt.quiet && opt.log) {
        double n = (double)(s.done ? s.done : 1);
        fprintf(opt.log,
                "batch: %zu reports: %zu rendered, %zu up to date, %zu failed; %.2f s with %d "
                "worker%s, %.1f reports/s, %.2f ms/report (%.2f ms of a worker each)\n",
                s.done, s.rendered, s.skipped, s.failed, elapsed, workers, workers == 1 ? "" : "s",
                elapsed > 0 ? (double)s.done / elapsed : 0.0, elapsed * 1000.0 / n,
                elapsed * 1000.0 / n * workers);
        fprintf(opt.log, "batch: peak memory per worker %.1f MB, %.0f bytes per report rendered\n",
                s.peak_kb / 1024.0, s.rendered ? (double)s.bytes / (double)s.rendered : 0.0);
        fprintf(opt.log, "batch: summary in %s and %s\n", csv, pdf);
        fflush(opt.log);
    }
    free(stem);
    free(csv);
    free(pdf);
    summary_free(sum);
done:
    for (size_t i = 0; i < list.count; i++) {
        for (int f = 0; f < BATCH_FIGURES; f++)
            free(s.results[i].figures[f]);
        free(s.results[i].error);
    }
    free(s.results);
    batch_free_list(&list);
    return status;
}
