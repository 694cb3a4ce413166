/* joblist — see joblist.h. */
#include "joblist.h"

#include "filebuf.h"
#include "fingerprint.h"
#include "mem.h"
#include "yamldoc.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>

/* ---- jobs ------------------------------------------------------------------------------- */

static joblist_job_t *joblist_add_job(joblist_t *l, joblist_kind_t kind, const char *input)
{
    l->jobs = mem_array_grow(l->jobs, &l->capacity, l->count + 1, sizeof *l->jobs);
    joblist_job_t *j = &l->jobs[l->count++];
    memset(j, 0, sizeof *j);
    j->kind = kind;
    j->input = mem_strdup(input);
    return j;
}

void joblist_free(joblist_t *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++) {
        joblist_job_t *j = &l->jobs[i];
        free(j->input);
        for (size_t r = 0; r < j->record_count; r++)
            diag_record_free(j->records[r]);
        free(j->records);
        free(j->name_source);
        free(j->stem);
    }
    free(l->jobs);
    for (size_t i = 0; i < l->buffer_count; i++)
        free(l->buffers[i]);
    free(l->buffers);
    for (size_t i = 0; i < l->table_count; i++)
        csvin_free(l->tables[i]);
    free(l->tables);
    free(l);
}

/* Records reported while an input is expanded (kept for a broken job). */
typedef struct joblist_collect {
    diag_record_t **records;
    size_t count, capacity;
} joblist_collect_t;

static void joblist_collect_sink(void *user, const diag_record_t *record)
{
    joblist_collect_t *c = user;
    c->records = mem_array_grow(c->records, &c->capacity, c->count + 1, sizeof *c->records);
    c->records[c->count++] = diag_record_copy(record);
}

static void joblist_collect_clear(joblist_collect_t *c)
{
    for (size_t i = 0; i < c->count; i++)
        diag_record_free(c->records[i]);
    c->count = 0;
}

/* A broken job for input, holding the records collected (taken from c). */
static void joblist_add_broken(joblist_t *l, const char *input, joblist_collect_t *c)
{
    joblist_job_t *j = joblist_add_job(l, JOBLIST_BROKEN, input);
    j->records = c->records;
    j->record_count = c->count;
    j->record_capacity = c->capacity;
    c->records = NULL;
    c->count = c->capacity = 0;
}

static int joblist_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int joblist_compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.yaml under dir (recursively) into paths. */
static void joblist_walk(diag_t *dg, const char *dir, int depth, char ***paths, size_t *count,
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
        /* A link to a folder is not followed (a link to "." or to a parent would make the
         * walk see every file again, or never end); a link to a file is that file. */
        if (lstat(path, &st) != 0 ||
            (S_ISLNK(st.st_mode) && (stat(path, &st) != 0 || S_ISDIR(st.st_mode)))) {
            free(path);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (depth < 32)
                joblist_walk(dg, path, depth + 1, paths, count, cap);
            free(path);
        } else if (joblist_ends_with(e->d_name, ".yaml") || joblist_ends_with(e->d_name, ".yml")) {
            *paths = mem_array_grow(*paths, cap, *count + 1, sizeof **paths);
            (*paths)[(*count)++] = path;
        } else {
            free(path);
        }
    }
    closedir(d);
}

/* A whole input file; NULL after reporting. Streams and tables may be large. */
static unsigned char *joblist_read_input(diag_t *dg, const char *path, size_t *size)
{
    unsigned char *data = NULL;
    return filebuf_read(dg, path, "", (size_t)1 << 30, &data, size) == 0 ? data : NULL;
}

/* The stem of a path's file name ("dir/a.b.yaml" -> "a.b"), a new string. */
static char *joblist_file_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return mem_strndup(base, n);
}

/* True when a line (up to its end) is a document separator: "---" alone (a comment may
 * follow). */
static int joblist_is_separator(const unsigned char *p, const unsigned char *end)
{
    if (end - p < 3 || memcmp(p, "---", 3) != 0)
        return 0;
    p += 3;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p == end || *p == '\n' || *p == '\r' || *p == '#';
}

/* True when the bytes hold something other than blank lines, comments and "...". */
static int joblist_has_content(const unsigned char *p, const unsigned char *end)
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

static void joblist_muted_sink(void *user, const diag_record_t *record)
{
    (void)user;
    (void)record;
}

/* The agency name of a document, or NULL (nothing is reported). */
static char *joblist_doc_agency(const unsigned char *data, size_t size)
{
    diag_t *muted = diag_new(joblist_muted_sink, NULL);
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

/* The files already expanded (device and inode), so that a file given twice (by two
 * spellings, a link, or a file and its folder) is made once. Open addressing. */
typedef struct joblist_seen {
    struct joblist_file_id {
        dev_t dev;
        ino_t ino;
        char *owned; /* the path first given; NULL: a free slot */
    } * slots;
    size_t size, count;
} joblist_seen_t;

/* The path first given for the same file as st, or NULL (then it is remembered). */
static const char *joblist_seen_before(joblist_seen_t *seen, const struct stat *st,
                                       const char *path)
{
    if (seen->count * 2 + 2 > seen->size) {
        joblist_seen_t grown = {NULL, seen->size ? seen->size * 2 : 64, 0};
        grown.slots = mem_zalloc(grown.size, sizeof *grown.slots);
        for (size_t i = 0; i < seen->size; i++) {
            struct joblist_file_id *o = &seen->slots[i];
            if (!o->owned)
                continue;
            size_t h = ((size_t)o->ino * 31u + (size_t)o->dev) & (grown.size - 1);
            while (grown.slots[h].owned)
                h = (h + 1) & (grown.size - 1);
            grown.slots[h] = *o;
        }
        free(seen->slots);
        grown.count = seen->count;
        *seen = grown;
    }
    size_t h = ((size_t)st->st_ino * 31u + (size_t)st->st_dev) & (seen->size - 1);
    for (;; h = (h + 1) & (seen->size - 1)) {
        struct joblist_file_id *f = &seen->slots[h];
        if (!f->owned) {
            *f = (struct joblist_file_id){st->st_dev, st->st_ino, mem_strdup(path)};
            seen->count++;
            return NULL;
        }
        if (f->dev == st->st_dev && f->ino == st->st_ino)
            return f->owned;
    }
}

static void joblist_seen_free(joblist_seen_t *seen)
{
    for (size_t i = 0; i < seen->size; i++)
        free(seen->slots[i].owned);
    free(seen->slots);
}

/* True when path is a regular file expanded before: told to dg (a warning), left out. */
static bool joblist_given_twice(diag_t *dg, joblist_t *l, joblist_seen_t *seen, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    const char *first = joblist_seen_before(seen, &st, path);
    if (!first)
        return false;
    diag_warn(dg, NULL, "batch-input-given-twice",
              "'%s' is the same file as '%s', given before: it is made and counted once", path,
              first);
    l->given_twice++;
    return true;
}

/* A YAML file: one job, or one per document when it is a stream of several. */
static void joblist_add_yaml(diag_t *dg, joblist_t *l, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        /* Not a regular file (a pipe): read once, by the worker. */
        joblist_add_job(l, JOBLIST_FILE, path);
        return;
    }
    size_t size = 0;
    unsigned char *data = joblist_read_input(dg, path, &size);
    if (!data) {
        joblist_add_job(l, JOBLIST_FILE, path); /* the worker reports it */
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
            int sep = p < end && joblist_is_separator(p, eol ? eol : end);
            if (sep || p == end) {
                if (joblist_has_content(start, p)) {
                    if (pass == 1) {
                        joblist_job_t *j = joblist_add_job(l, JOBLIST_DOC, path);
                        j->data = start;
                        j->size = (size_t)(p - start);
                        j->first_line = start_line;
                        n++;
                        j->name_source = joblist_doc_agency(j->data, j->size);
                        if (!j->name_source) {
                            /* Named for the stream and the document's number. */
                            char *stem = joblist_file_stem(path);
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
        joblist_add_job(l, JOBLIST_FILE, path);
        return;
    }
    l->buffers =
        mem_array_grow(l->buffers, &l->buffer_capacity, l->buffer_count + 1, sizeof *l->buffers);
    l->buffers[l->buffer_count++] = data;
}

static void joblist_add_csv(diag_t *dg, joblist_t *l, const char *path, joblist_collect_t *cap)
{
    csvin_table_t *t = csvin_read_file(dg, path);
    if (!t) {
        joblist_add_broken(l, path, cap);
        return;
    }
    l->tables =
        mem_array_grow(l->tables, &l->table_capacity, l->table_count + 1, sizeof *l->tables);
    l->tables[l->table_count++] = t;
    for (size_t r = 0; r < t->count; r++) {
        joblist_job_t *j = joblist_add_job(l, JOBLIST_CSV_ROW, path);
        j->table = t;
        j->row = r;
        const char *agency = csvin_row_get(t, r, "name");
        j->name_source = agency ? mem_strdup(agency) : mem_printf("row-%d", t->rows[r].line);
    }
}

/* Expands the inputs into the list of jobs, in order. */
/* True when the records collected hold an error (not only warnings). */
static bool joblist_has_error(const joblist_collect_t *c)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->records[i]->severity == DIAG_ERROR)
            return true;
    return false;
}

static void joblist_expand(diag_t *caller, joblist_t *l, const char *const *inputs, size_t count)
{
    joblist_collect_t cap = {NULL, 0, 0};
    diag_t *dg = diag_new(joblist_collect_sink, &cap);
    diag_set_language(dg, diag_language(caller));
    diag_set_error_limit(dg, 0);
    joblist_seen_t seen = {NULL, 0, 0};
    for (size_t i = 0; i < count; i++) {
        joblist_collect_clear(&cap);
        struct stat st;
        if (stat(inputs[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            char **paths = NULL;
            size_t n = 0, c = 0;
            joblist_walk(dg, inputs[i], 0, &paths, &n, &c);
            if (n)
                qsort(paths, n, sizeof *paths, joblist_compare_paths);
            for (size_t k = 0; k < n; k++) {
                if (!joblist_given_twice(caller, l, &seen, paths[k]))
                    joblist_add_yaml(dg, l, paths[k]);
                free(paths[k]);
            }
            free(paths);
            /* A file that could not be read fails the folder; a warning (a file's encoding)
             * is told again by the worker that reads the file. */
            if (joblist_has_error(&cap))
                joblist_add_broken(l, inputs[i], &cap);
        } else if (joblist_given_twice(caller, l, &seen, inputs[i])) {
            continue;
        } else if (joblist_ends_with(inputs[i], ".csv")) {
            joblist_add_csv(dg, l, inputs[i], &cap);
            /* A table read with warnings (its encoding): said once, for the table. */
            for (size_t k = 0; k < cap.count; k++)
                diag_forward(caller, cap.records[k]);
        } else if (stat(inputs[i], &st) != 0) {
            diag_fail(dg, NULL, "batch-cannot-read", "cannot read '%s': %s", inputs[i],
                      strerror(errno));
            joblist_add_broken(l, inputs[i], &cap);
        } else {
            joblist_add_yaml(dg, l, inputs[i]);
        }
    }
    joblist_seen_free(&seen);
    diag_free(dg);
    joblist_collect_clear(&cap);
    free(cap.records);
}

/* ---- output names ------------------------------------------------------------------------ */

/* Code points that must not reach a file name: C1 controls, the soft hyphen, bidi
 * marks, embeddings, overrides and isolates, zero-width and other invisible characters
 * (a name that looks the same as another, or reads backwards in a file manager). */
static bool joblist_invisible(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0xAD || cp == 0x34F || cp == 0x61C || cp == 0x115F ||
           cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 || cp == 0x180E ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFFB) ||
           (cp >= 0xE0000 && cp <= 0xE0FFF);
}

/* The length of the UTF-8 sequence at p (1..4) and its code point, or 0 when the bytes
 * are not one (kept as they are: the name is then not UTF-8, as the input was not). */
static size_t joblist_utf8_at(const unsigned char *p, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    size_t n = p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
    if (!n || p[0] > 0xF4)
        return 0;
    uint32_t v = p[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < least[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* True when the name (up to its first dot, trailing spaces ignored) is one Windows keeps
 * for a device: CON, PRN, AUX, NUL, COM0-9, LPT0-9 (also with ¹ ² ³), in any case. */
static bool joblist_windows_device(const char *name, size_t *length)
{
    size_t n = strcspn(name, ".");
    while (n > 0 && name[n - 1] == ' ')
        n--;
    *length = n;
    static const char *const plain[] = {"CON", "PRN", "AUX", "NUL"};
    for (size_t i = 0; i < 4; i++)
        if (n == 3 && strncasecmp(name, plain[i], 3) == 0)
            return true;
    if (strncasecmp(name, "COM", 3) != 0 && strncasecmp(name, "LPT", 3) != 0)
        return false;
    if (n == 4 && name[3] >= '0' && name[3] <= '9')
        return true;
    /* ¹ is C2 B9, ² C2 B2, ³ C2 B3 */
    return n == 5 && (unsigned char)name[3] == 0xC2 &&
           ((unsigned char)name[4] == 0xB9 || (unsigned char)name[4] == 0xB2 ||
            (unsigned char)name[4] == 0xB3);
}

char *joblist_safe_name(const char *text)
{
    size_t n = strlen(text);
    char *out = mem_alloc(n + 2);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t len = joblist_utf8_at((const unsigned char *)text + i, &cp);
        if (len == 0) { /* not UTF-8: a '_' (kept as it is, with a dropped character
                         * between two such bytes it could make one, a ZWSP say) */
            out[k++] = '_';
            i++;
            continue;
        }
        if (cp < 0x20 || cp == 0x7F || joblist_invisible(cp)) {
            i += len; /* dropped */
            continue;
        }
        if (len > 1) {
            memcpy(out + k, text + i, len);
            k += len;
            i += len;
            continue;
        }
        unsigned char c = (unsigned char)text[i++];
        if (strchr("/\\:*?\"<>|", c))
            c = '-';
        /* Collapse runs of replaced characters and spaces into one. */
        if ((c == '-' || c == ' ') && k > 0 && c == (unsigned char)out[k - 1])
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
    /* A Windows device name gets a '_' after it (CON -> CON_, nul.x -> nul_.x); the
     * buffer has the byte to spare, and 180 bytes are kept. */
    size_t dev;
    if (joblist_windows_device(out, &dev)) {
        if (k >= 180) { /* room for the '_': one character less, at a boundary */
            k = 179;
            while (k > dev && ((unsigned char)out[k] & 0xC0) == 0x80)
                k--;
            while (k > dev && (out[k - 1] == '.' || out[k - 1] == ' '))
                k--;
        }
        memmove(out + dev + 1, out + dev, k - dev);
        out[dev] = '_';
        out[++k] = '\0';
    }
    return out;
}

static uint64_t joblist_hash_folded(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        h = (h ^ c) * 1099511628211u;
    }
    return h;
}

/* Names that the batch's own files take. */
static int joblist_reserved(const char *stem)
{
    if (strcasecmp(stem, "summary") == 0)
        return 1;
    const char *p = stem;
    if (strncasecmp(p, "summary-", 8) != 0)
        return 0;
    p += 8;
    size_t a = strspn(p, "0123456789");
    if (!a || strncmp(p + a, "-of-", 4) != 0)
        return 0;
    p += a + 4;
    size_t b = strspn(p, "0123456789");
    return b && p[b] == '\0';
}

/* The names decided so far, case folded: a name taken by a job, and for a base name the
 * next suffix to try, so that n equal names cost n look-ups, not n^2/2. */
typedef struct joblist_name_slot {
    const char *name; /* borrowed: a job's stem, or the base it was made from */
    char *owned;      /* a base that is no job's stem */
    bool taken;       /* a job's stem */
    int next_suffix;  /* as a base: the suffix to try next (0: 2) */
} joblist_name_slot_t;

typedef struct joblist_names {
    joblist_name_slot_t *slots;
    size_t size; /* a power of two, at least twice the entries */
    size_t lookups;
} joblist_names_t;

static joblist_name_slot_t *joblist_names_find(joblist_names_t *t, const char *name)
{
    size_t h = (size_t)joblist_hash_folded(name) & (t->size - 1);
    for (;;) {
        t->lookups++;
        joblist_name_slot_t *slot = &t->slots[h];
        if (!slot->name || strcasecmp(slot->name, name) == 0)
            return slot;
        h = (h + 1) & (t->size - 1);
    }
}

/* Gives every job its stem: unique over the whole list (case folded, as on file systems
 * that fold case), in list order, "-2", "-3" ... after a name already taken. Each name
 * adds at most two entries (its stem, its base), and each suffix tried and found taken is
 * a stem already given, so the work is linear in the number of jobs. */
static void joblist_name_jobs(joblist_t *l)
{
    joblist_names_t t = {NULL, 16, 0};
    while (t.size < l->count * 4 + 16)
        t.size *= 2;
    t.slots = mem_zalloc(t.size, sizeof *t.slots);
    for (size_t i = 0; i < l->count; i++) {
        joblist_job_t *j = &l->jobs[i];
        char *base = NULL;
        if (j->name_source)
            base = joblist_safe_name(j->name_source);
        if (!base) {
            char *stem = joblist_file_stem(j->input);
            base = joblist_safe_name(stem);
            free(stem);
        }
        if (!base)
            base = mem_strdup("agency");
        joblist_name_slot_t *b = joblist_names_find(&t, base);
        if (!b->name) {
            /* A new base: the name itself, unless the batch keeps it. */
            if (!joblist_reserved(base)) {
                j->stem = base;
                b->name = j->stem;
                b->taken = true;
                continue;
            }
            b->name = b->owned = mem_strdup(base);
        }
        int suffix = b->next_suffix ? b->next_suffix : 2;
        for (;; suffix++) {
            char *candidate = mem_printf("%s-%d", base, suffix);
            joblist_name_slot_t *c = joblist_names_find(&t, candidate);
            if (!joblist_reserved(candidate) && !(c->name && c->taken)) {
                free(c->owned);
                c->owned = NULL;
                j->stem = candidate;
                c->name = candidate;
                c->taken = true;
                break;
            }
            free(candidate);
        }
        b->next_suffix = suffix + 1;
        free(base);
    }
    l->name_lookups = t.lookups;
    for (size_t i = 0; i < t.size; i++)
        free(t.slots[i].owned);
    free(t.slots);
}

joblist_t *joblist_build(diag_t *dg, const char *const *inputs, size_t count)
{
    joblist_t *l = mem_zalloc(1, sizeof *l);
    joblist_expand(dg, l, inputs, count);
    joblist_name_jobs(l);
    return l;
}

void joblist_fingerprint(const joblist_t *l, char out[FINGERPRINT_HEX])
{
    fingerprint_t *f = fingerprint_new();
    char count[32];
    snprintf(count, sizeof count, "%zu", l->count);
    fingerprint_add(f, count, strlen(count));
    for (size_t i = 0; i < l->count; i++)
        fingerprint_add(f, l->jobs[i].stem, strlen(l->jobs[i].stem));
    fingerprint_finish(f, out);
}

void joblist_shard(const joblist_t *l, int k, int n, size_t *lo, size_t *hi)
{
    if (n > 0 && k >= 1 && k <= n) {
        *lo = l->count * (size_t)(k - 1) / (size_t)n;
        *hi = l->count * (size_t)k / (size_t)n;
    } else {
        *lo = 0;
        *hi = l->count;
    }
}

/* ---- one job's text ------------------------------------------------------------------------ */

int joblist_open(diag_t *dg, const joblist_job_t *j, joblist_input_t *in)
{
    memset(in, 0, sizeof *in);
    in->job = j;
    switch (j->kind) {
    case JOBLIST_FILE:
        in->name = mem_strdup(j->input);
        in->data = in->owned = joblist_read_input(dg, j->input, &in->size);
        break;
    case JOBLIST_DOC:
    case JOBLIST_CSV_ROW: {
        const char *slash = strrchr(j->input, '/');
        in->name = slash ? mem_printf("%.*s/%s.yaml", (int)(slash - j->input), j->input, j->stem)
                         : mem_printf("%s.yaml", j->stem);
        if (j->kind == JOBLIST_DOC) {
            in->data = j->data;
            in->size = j->size;
        } else {
            in->doc = csvin_row_to_doc(j->table, j->row);
            in->data = in->owned = (unsigned char *)yamldoc_emit(in->doc, &in->size);
        }
        break;
    }
    case JOBLIST_BROKEN:
        break;
    }
    return in->data ? 0 : -1;
}

void joblist_close(joblist_input_t *in)
{
    free(in->name);
    free(in->owned);
    yamldoc_free(in->doc);
    memset(in, 0, sizeof *in);
}

void joblist_locate(const joblist_input_t *in, diag_pos_t *pos)
{
    const joblist_job_t *j = in->job;
    if (!j)
        return;
    if (!pos->file) {
        /* Told at the input: a stream document or CSV row at its first line. */
        pos->file = j->input;
        pos->line = j->kind == JOBLIST_DOC       ? j->first_line
                    : j->kind == JOBLIST_CSV_ROW ? j->table->rows[j->row].line
                                                 : 0;
        pos->column = 0;
        return;
    }
    if (j->kind == JOBLIST_FILE || !in->name || strcmp(pos->file, in->name) != 0)
        return;
    pos->file = j->input;
    if (pos->line <= 0)
        return;
    if (j->kind == JOBLIST_DOC) {
        pos->line += j->first_line - 1;
    } else {
        /* A CSV row's values are told at their cells already; a line of the YAML made from
         * it means nothing in the CSV: the row. */
        pos->line = j->table->rows[j->row].line;
        pos->column = 0;
    }
}
