/* batch — see batch.h. */
#include "batch.h"

#include "analyse.h"
#include "assessment.h"
#include "decimal.h"
#include "diag.h"
#include "fingerprint.h"
#include "joblist.h"
#include "mem.h"
#include "outfile.h"
#include "pool.h"
#include "render.h"
#include "summary.h"
#include "wire.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* A result frame's status. */
enum { BATCH_FAILED = 0, BATCH_MADE = 1, BATCH_UP_TO_DATE = 2 };

/* The summary's figures (SUMMARY_AGENCY .. SUMMARY_OIT), under these keys in a result. */
enum { BATCH_FIGURES = SUMMARY_OIT - SUMMARY_AGENCY + 1 };
static const char *const batch_figure_keys[BATCH_FIGURES] = {
    "agency", "type",  "district", "province", "year", "overall",
    "grade",  "label", "passed",   "IIT",      "EIT",  "OIT",
};

/* ---- the worker ---------------------------------------------------------------------------- */

/* A figure as check --json prints it, or "" when there is none. */
static void batch_figure(const framework_t *fw, const analyse_figure_t *fig, char *buf, size_t size)
{
    if (fig->source == ANALYSE_SOURCE_NONE)
        buf[0] = '\0';
    else
        decimal_format_scaled(fig->rounded, fw->decimals, buf, size);
}

static void batch_add_figures(wire_frame_t *result, const assessment_t *a)
{
    const model_t *m = a->model;
    const analyse_findings_t *f = a->findings;
    const framework_t *fw = a->fw;
    const char *text[BATCH_FIGURES] = {NULL};
    char year[32], overall[64], tools[3][64];
    text[SUMMARY_AGENCY - SUMMARY_AGENCY] = m->agency.name.text;
    text[SUMMARY_TYPE - SUMMARY_AGENCY] = m->agency.type.text;
    text[SUMMARY_DISTRICT - SUMMARY_AGENCY] = m->agency.district.text;
    text[SUMMARY_PROVINCE - SUMMARY_AGENCY] = m->agency.province.text;
    snprintf(year, sizeof year, "%d", m->fiscal_year);
    text[SUMMARY_YEAR - SUMMARY_AGENCY] = year;
    batch_figure(fw, &f->overall, overall, sizeof overall);
    text[SUMMARY_OVERALL - SUMMARY_AGENCY] = overall;
    text[SUMMARY_GRADE - SUMMARY_AGENCY] = f->grade;
    text[SUMMARY_LABEL - SUMMARY_AGENCY] = f->label;
    text[SUMMARY_PASSED - SUMMARY_AGENCY] = f->passed ? "true" : "false";
    static const char *const codes[] = {"IIT", "EIT", "OIT"};
    for (int c = 0; c < 3; c++) {
        tools[c][0] = '\0';
        for (size_t t = 0; t < fw->tool_count; t++)
            if (strcasecmp(fw->tools[t].code, codes[c]) == 0)
                batch_figure(fw, &f->tools[t].score, tools[c], sizeof tools[c]);
        text[SUMMARY_IIT - SUMMARY_AGENCY + c] = tools[c];
    }
    for (int k = 0; k < BATCH_FIGURES; k++)
        wire_frame_add_text(result, batch_figure_keys[k], text[k] ? text[k] : "");
}

typedef struct batch_worker {
    const joblist_t *list;
    const batch_options_t *options;
    const diag_t *parent; /* the batch's context (its language) */
    diag_t *dg;           /* the worker's, made on its first job; records go to result */
    renderer_t *renderer;
    wire_frame_t *result;  /* the frame the job's records go to */
    joblist_input_t input; /* the job's text, for positions */
    bool has_input;
    /* The result's records by content (open addressing: index + 1, 0 empty), so that a
     * record told twice is kept once at a constant cost, however many the job has. */
    size_t *seen;
    size_t seen_size; /* a power of two, over twice the result's records */
} batch_worker_t;

static bool batch_same_pos(const diag_pos_t *a, const diag_pos_t *b)
{
    return a->line == b->line && a->column == b->column &&
           (a->file == b->file || (a->file && b->file && strcmp(a->file, b->file) == 0));
}

static bool batch_same_record(const diag_record_t *a, const diag_record_t *b)
{
    return a->severity == b->severity && batch_same_pos(&a->pos, &b->pos) && a->message &&
           b->message && strcmp(a->message, b->message) == 0;
}

/* What batch_same_record compares, hashed. */
static uint64_t batch_record_hash(const diag_record_t *r)
{
    int head[3] = {(int)r->severity, r->pos.line, r->pos.column};
    uint64_t h = fingerprint_hash64(head, sizeof head);
    if (r->pos.file)
        h = h * 31 + fingerprint_hash64(r->pos.file, strlen(r->pos.file));
    if (r->message)
        h = h * 31 + fingerprint_hash64(r->message, strlen(r->message));
    return h;
}

/* The slot of record r in w->seen: where an equal record of the result is, or the empty
 * slot where it goes. */
static size_t *batch_seen_slot(batch_worker_t *w, const diag_record_t *r)
{
    size_t mask = w->seen_size - 1, k = (size_t)batch_record_hash(r) & mask;
    while (w->seen[k] && !batch_same_record(w->result->records[w->seen[k] - 1], r))
        k = (k + 1) & mask;
    return &w->seen[k];
}

/* Keeps w->seen over twice the result's records (rebuilt from them when it grows; emptied
 * for a new result). */
static void batch_seen_fit(batch_worker_t *w, size_t records)
{
    if (w->seen_size > 2 * records)
        return;
    size_t size = w->seen_size ? w->seen_size : 64;
    while (size <= 2 * records)
        size *= 2;
    free(w->seen);
    w->seen = mem_zalloc(size, sizeof *w->seen);
    w->seen_size = size;
    for (size_t i = 0; i < w->result->record_count; i++)
        *batch_seen_slot(w, w->result->records[i]) = i + 1;
}

/* A record reported while a job runs: told in the input given, kept once in the result
 * (the same message twice in one job, from the analysis run twice, is told once). */
static void batch_worker_sink(void *user, const diag_record_t *record)
{
    batch_worker_t *w = user;
    if (!w->result)
        return;
    diag_record_t r = *record;
    if (w->has_input) {
        joblist_locate(&w->input, &r.pos);
        if (w->input.job && w->input.job->kind == JOBLIST_CSV_ROW)
            r.source_line = NULL; /* no row shown: a row can be thousands of characters */
    }
    batch_seen_fit(w, w->result->record_count + 1);
    size_t *slot = batch_seen_slot(w, &r);
    if (*slot)
        return;
    wire_frame_add_record(w->result, &r);
    *slot = w->result->record_count;
}

/* Runs one job: its figures, then its report unless up to date. */
static void batch_do_job(batch_worker_t *w, const joblist_job_t *j, wire_frame_t *result)
{
    const batch_options_t *opt = w->options;
    char *out = mem_printf("%s/%s.pdf", opt->outdir, j->stem);
    assessment_t a;
    memset(&a, 0, sizeof a);
    joblist_input_t *in = &w->input;
    w->has_input = true;
    if (joblist_open(w->dg, j, in) != 0)
        goto done;
    int opened;
    if (in->doc) {
        opened = assessment_open_doc(w->dg, &a, in->doc, opt->template_dir, opt->data_dir);
        in->doc = NULL; /* the assessment's now */
    } else {
        opened = assessment_open_buffer(w->dg, &a, in->name, in->data, in->size, opt->template_dir,
                                        opt->data_dir);
    }
    if (opened != 0)
        goto done;
    batch_add_figures(result, &a);
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
    /* A link, device, FIFO or folder under the report's name is neither read (the
     * up-to-date check) nor written through. */
    if (outfile_check_plain(w->dg, out) != 0)
        goto done;
    render_options_t ro = {.template_dir = opt->template_dir, .digits = -1, .dump_layout = false};
    char want[FINGERPRINT_HEX], have[FINGERPRINT_HEX];
    if (!opt->force && fingerprint_read_pdf(out, have) == 0) {
        if (render_fingerprint(w->renderer, &a, in->name, in->data, in->size, &ro, want) != 0)
            goto done;
        if (strcmp(want, have) == 0) {
            result->status = BATCH_UP_TO_DATE;
            goto done;
        }
    }
    if (render_assessment(w->renderer, &a, in->name, in->data, in->size, out, &ro) == 0) {
        result->status = BATCH_MADE;
        if (stat(out, &st) == 0) {
            char bytes[32];
            snprintf(bytes, sizeof bytes, "%lld", (long long)st.st_size);
            wire_frame_add_text(result, "bytes", bytes);
        }
    }
done:
    assessment_close(&a);
    joblist_close(in);
    w->has_input = false;
    free(out);
}

/* The pool's serve function: a job frame names a job of the list by its index. The
 * renderer (fonts, shapers, breaker) is made on the first job and kept. */
static void batch_serve(void *user, const wire_frame_t *job, wire_frame_t *result)
{
    batch_worker_t *w = user;
    result->status = BATCH_FAILED;
    w->result = result;
    if (w->seen)
        memset(w->seen, 0, w->seen_size * sizeof *w->seen);
    if (!w->dg) {
        w->dg = diag_new(batch_worker_sink, w);
        diag_set_language(w->dg, diag_language(w->parent));
    }
    diag_reset(w->dg); /* the error limit counts per report */
    if (!w->renderer)
        w->renderer = render_new(w->dg, w->options->data_dir);
    if (w->renderer && job->id < w->list->count)
        batch_do_job(w, &w->list->jobs[job->id], result);
    diag_clear_sources(w->dg);
    w->result = NULL;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    char kb[32];
    snprintf(kb, sizeof kb, "%ld", (long)ru.ru_maxrss);
    wire_frame_add_text(result, "peak_kb", kb);
}

static void batch_worker_exit(void *user)
{
    batch_worker_t *w = user;
    render_free(w->renderer);
    w->renderer = NULL;
    diag_free(w->dg);
    w->dg = NULL;
    free(w->seen);
    w->seen = NULL;
    w->seen_size = 0;
}

/* ---- the parent ------------------------------------------------------------------------------ */

typedef struct batch_result {
    bool done, ok, skipped;
    char *figures[BATCH_FIGURES];
    char *error;   /* the summary's error cell */
    char *warning; /* the summary's warning cell */
} batch_result_t;

typedef struct batch_state {
    diag_t *dg;   /* where every record is told */
    diag_t *made; /* the parent's own records about a job, kept in made_record */
    diag_record_t *made_record;
    const joblist_t *list;
    const batch_options_t *opt;
    batch_result_t *results; /* per job of the list */
    size_t lo, hi;           /* the slice */
    size_t done, failed, skipped, rendered;
    size_t worker_errors; /* workers that ended badly between jobs */
    long long bytes;
    long peak_kb;
    double started;
    double last_live;
    bool live_shown;
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
    const joblist_job_t *j = &s->list->jobs[index];
    fprintf(o->log, "[%zu/%zu] %s %s -> %s.pdf\n", s->done, s->hi - s->lo, what, j->input, j->stem);
    fflush(o->log);
}

/* A record with every text escaped (wire_escape), so that it prints on one line; the
 * texts are owned by *shown's holder and released by batch_unescaped. */
typedef struct batch_shown {
    diag_record_t record;
    char *texts[4 + DIAG_MAX_ARGS];
    size_t count;
} batch_shown_t;

static const char *batch_escape_into(batch_shown_t *sh, const char *text)
{
    if (!text)
        return NULL;
    return sh->texts[sh->count++] = wire_escape(text);
}

static void batch_escaped(batch_shown_t *sh, const diag_record_t *r)
{
    sh->count = 0;
    sh->record = *r;
    sh->record.pos.file = batch_escape_into(sh, r->pos.file);
    sh->record.message = batch_escape_into(sh, r->message);
    sh->record.source_line = batch_escape_into(sh, r->source_line);
    sh->record.pos.column_name = batch_escape_into(sh, r->pos.column_name);
    for (size_t i = 0; i < r->arg_count && i < DIAG_MAX_ARGS; i++)
        sh->record.args[i] = batch_escape_into(sh, r->args[i]);
}

static void batch_unescaped(batch_shown_t *sh)
{
    for (size_t i = 0; i < sh->count; i++)
        free(sh->texts[i]);
    sh->count = 0;
}

/* What one summary cell keeps of a job's messages: each message up to
 * BATCH_CELL_MESSAGE bytes, the cell up to BATCH_CELL_MAX bytes (then "..."), so that the
 * summary of a failed input stays small whatever the input quotes. */
enum { BATCH_CELL_MESSAGE = 1000, BATCH_CELL_MAX = 4000 };

/* Appends a message line to a summary cell (" | " between), within the bounds above; a
 * message cut short, or the first one left out, ends in "...". */
static void batch_cell_add(char **cell, const char *line)
{
    size_t have = strlen(*cell), sep = have ? 3 : 0;
    if (have + sep + 3 >= BATCH_CELL_MAX) {
        if (have < 3 || strcmp(*cell + have - 3, "...") != 0) {
            char *full = mem_printf("%s...", *cell);
            free(*cell);
            *cell = full;
        }
        return;
    }
    size_t n = strlen(line), room = BATCH_CELL_MAX - have - sep - 3;
    bool cut = n > BATCH_CELL_MESSAGE || n > room;
    if (n > BATCH_CELL_MESSAGE)
        n = BATCH_CELL_MESSAGE;
    if (n > room)
        n = room;
    while (cut && n > 0 && ((unsigned char)line[n] & 0xC0) == 0x80)
        n--; /* not inside a UTF-8 sequence */
    char *joined =
        mem_printf("%s%s%.*s%s", *cell, sep ? " | " : "", (int)n, line, cut ? "..." : "");
    free(*cell);
    *cell = joined;
}

/* True for a warning that a published figure differs from the one computed: it belongs
 * in the summary, and --quiet does not hide it. */
static bool batch_published_warning(const diag_record_t *r)
{
    return r->severity == DIAG_WARNING && r->id && strncmp(r->id, "analyse-published-", 18) == 0;
}

/* Passes a job's record on to diag, escaped (a log line stays one line); with quiet only
 * errors and published figures' warnings. Its line goes to the result's summary cells:
 * errors to error, published figures' warnings to warning. */
static void batch_tell(batch_state_t *s, const diag_record_t *r, batch_result_t *res)
{
    batch_shown_t sh;
    batch_escaped(&sh, r);
    bool published = batch_published_warning(r);
    if (r->severity == DIAG_ERROR || published) {
        size_t n = diag_format_line(NULL, 0, &sh.record);
        char *line = mem_alloc(n + 1);
        diag_format_line(line, n + 1, &sh.record);
        batch_cell_add(published ? &res->warning : &res->error, line);
        free(line);
    }
    if (!s->opt->quiet || r->severity == DIAG_ERROR || published)
        diag_forward(s->dg, &sh.record);
    batch_unescaped(&sh);
}

/* Keeps the last record reported to the parent's own context (batch_state_t.made). */
static void batch_keep_record(void *user, const diag_record_t *record)
{
    diag_record_t **slot = user;
    diag_record_free(*slot);
    *slot = diag_record_copy(record);
}

/* The record just made in s->made (the caller's, diag_record_free). */
static diag_record_t *batch_take_made(batch_state_t *s)
{
    diag_record_t *r = s->made_record;
    s->made_record = NULL;
    return r;
}

/* Records a finished job: its status, its result frame (figures, records; NULL when the
 * worker gave none) and records the parent made (NULL-terminated count). */
static void batch_finish(batch_state_t *s, size_t index, int status, const wire_frame_t *frame,
                         diag_record_t *const *records, size_t record_count)
{
    batch_result_t *r = &s->results[index];
    if (r->done)
        return;
    const joblist_job_t *j = &s->list->jobs[index];
    r->done = true;
    r->ok = status != BATCH_FAILED;
    r->skipped = status == BATCH_UP_TO_DATE;
    for (int f = 0; f < BATCH_FIGURES; f++) {
        const wire_value_t *v = frame ? wire_frame_get(frame, batch_figure_keys[f]) : NULL;
        r->figures[f] = mem_strdup(v ? v->value : "");
    }
    if (frame) {
        const wire_value_t *v = wire_frame_get(frame, "bytes");
        if (v)
            s->bytes += atoll(v->value);
        v = wire_frame_get(frame, "peak_kb");
        if (v && atol(v->value) > s->peak_kb)
            s->peak_kb = atol(v->value);
    }
    s->done++;
    batch_live_clear(s);
    r->error = mem_strdup("");
    r->warning = mem_strdup("");
    size_t errors = 0;
    for (size_t i = 0; frame && i < frame->record_count; i++) {
        batch_tell(s, frame->records[i], r);
        errors += frame->records[i]->severity == DIAG_ERROR;
    }
    for (size_t i = 0; i < record_count; i++) {
        batch_tell(s, records[i], r);
        errors += records[i]->severity == DIAG_ERROR;
    }
    if (!r->ok && !errors) {
        diag_pos_t at = {.file = j->input};
        diag_fail(s->made, &at, "batch-failed-silently", "failed without a message");
        diag_record_t *e = batch_take_made(s);
        batch_tell(s, e, r);
        diag_record_free(e);
    }
    if (!r->ok)
        s->failed++;
    else if (r->skipped)
        s->skipped++;
    else
        s->rendered++;
    batch_log(s, index, !r->ok ? "FAILED" : r->skipped ? "up to date" : "rendered");
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
            outfile_remove_abandoned(path); /* not another run's, still being written */
            free(path);
        }
    free(prefix);
    closedir(d);
}

/* Stale temporary files of the slice's reports (a run killed outright leaves them); one
 * still being written by any process, of this run or another, is left alone. */
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
                outfile_remove_abandoned(path);
                free(path);
                break;
            }
        }
    }
    closedir(d);
}
/* What came of a job the pool gave back. */
static void batch_take_result(batch_state_t *s, const pool_result_t *pr)
{
    size_t index = (size_t)pr->id;
    if (pr->outcome == POOL_WORKER_LOST) {
        /* Between jobs: nothing is lost, but something is wrong (a sanitizer's report at
         * exit, a kill from outside); the batch says so and fails. */
        batch_live_clear(s);
        if (pr->reason)
            diag_fail(s->dg, NULL, "batch-worker-not-started",
                      "a worker process could not be started (%s); the other workers go on, "
                      "the batch fails",
                      strerror(pr->spawn_errno ? pr->spawn_errno : EAGAIN));
        else if (pr->term_signal)
            diag_fail(s->dg, NULL, "batch-worker-killed-signal-between",
                      "a worker was killed by signal %d (%s) between reports", pr->term_signal,
                      strsignal(pr->term_signal));
        else
            diag_fail(s->dg, NULL, "batch-worker-ended-status", "a worker ended with status %d",
                      pr->exit_status);
        s->worker_errors++;
        return;
    }
    if (index < s->lo || index >= s->hi)
        return;
    const joblist_job_t *j = &s->list->jobs[index];
    if (pr->outcome == POOL_DONE) {
        batch_finish(s, index, pr->frame.status, &pr->frame, NULL, 0);
        return;
    }
    diag_pos_t at = {.file = j->input};
    switch (pr->outcome) {
    case POOL_CRASHED:
        if (pr->term_signal)
            diag_fail(s->made, &at, "batch-worker-killed",
                      "the worker rendering it was killed by signal %d (%s); the batch goes on",
                      pr->term_signal, strsignal(pr->term_signal));
        else
            diag_fail(s->made, &at, "batch-worker-exited",
                      "the worker rendering it ended unexpectedly (exit %d)", pr->exit_status);
        break;
    case POOL_TIMED_OUT:
        diag_fail(s->made, &at, "batch-timeout",
                  "rendering it took longer than %g s (--timeout); its worker was stopped and "
                  "the batch goes on",
                  s->opt->timeout);
        break;
    case POOL_GARBLED:
        diag_fail(s->made, &at, "batch-worker-garbled",
                  "the worker rendering it sent an unreadable answer (%s); the batch goes on",
                  pr->reason ? pr->reason : "?");
        break;
    default:
        diag_fail(s->made, &at, "batch-no-worker", "no worker could render it (%s)",
                  pr->reason ? pr->reason : "?");
        break;
    }
    diag_record_t *e = batch_take_made(s);
    batch_remove_temps(s->opt->outdir, j->stem);
    batch_finish(s, index, BATCH_FAILED, NULL, &e, 1);
    diag_record_free(e);
}

/* Takes the lock of OUTDIR and the shard (OUTDIR/.itareport-lock, or
 * .itareport-lock-K-of-N), so that two runs of one shard never work in one folder at once;
 * shards of one list take different locks and run together. A run that finds the lock
 * taken says who holds it (the pid and host written in the file) and waits. The lock's
 * fd (closed at the end, which releases it), or -1 when the folder does not lock (then
 * the run goes on without). */
static int batch_lock(diag_t *dg, const batch_options_t *opt)
{
    char *path = opt->shard_count > 0 ? mem_printf("%s/.itareport-lock-%d-of-%d", opt->outdir,
                                                   opt->shard, opt->shard_count)
                                      : mem_printf("%s/.itareport-lock", opt->outdir);
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            char holder[256] = "";
            ssize_t n = pread(fd, holder, sizeof holder - 1, 0);
            holder[n > 0 ? n : 0] = '\0';
            holder[strcspn(holder, "\r\n")] = '\0';
            diag_note(dg, NULL, "batch-waiting-for-lock",
                      "another run of the same shard is writing into '%s' (%s); waiting for it "
                      "to end",
                      opt->outdir, holder[0] ? holder : "?");
            while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
                ;
        } else {
            close(fd);
            fd = -1;
        }
    }
    if (fd >= 0) {
        char host[128] = "";
        gethostname(host, sizeof host - 1);
        char *who = mem_printf("pid %ld on %s\n", (long)getpid(), host[0] ? host : "?");
        bool written = ftruncate(fd, 0) == 0 && pwrite(fd, who, strlen(who), 0) > 0;
        (void)written; /* only the message of a run that waits reads it */
        free(who);
    }
    free(path);
    return fd;
}

/* Runs the slice's jobs through a pool; returns the signal that stopped it, or 0. */
static int batch_run_pool(batch_state_t *s, joblist_t *list, int workers)
{
    batch_worker_t w;
    memset(&w, 0, sizeof w);
    w.list = list;
    w.options = s->opt;
    w.parent = s->dg;
    pool_options_t po = {.workers = workers,
                         .timeout = s->opt->timeout,
                         .serve = batch_serve,
                         .worker_exit = batch_worker_exit,
                         .user = &w};
    pool_t *pool = pool_new(&po);
    for (size_t i = s->lo; i < s->hi; i++) {
        const joblist_job_t *j = &list->jobs[i];
        if (j->kind == JOBLIST_BROKEN) {
            batch_finish(s, i, BATCH_FAILED, NULL, j->records, j->record_count);
            continue;
        }
        wire_frame_t job;
        wire_frame_init(&job, WIRE_JOB, (uint64_t)i);
        pool_submit(pool, &job); /* an empty job frame is always within the limits */
        wire_frame_free(&job);
    }
    pool_close(pool);
    int interrupted = 0;
    for (;;) {
        pool_result_t r;
        pool_wait_status_t st = pool_wait(pool, 0.2, &r);
        if (st == POOL_WAIT_RESULT) {
            batch_take_result(s, &r);
            pool_result_free(&r);
        } else if (st == POOL_WAIT_TIMEOUT) {
            batch_live_draw(s, false);
        } else if (st == POOL_WAIT_INTERRUPTED) {
            interrupted = pool_interrupted(pool);
            break;
        } else {
            break;
        }
    }
    pool_free(pool);
    return interrupted;
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
    joblist_t *list = joblist_build(dg, inputs, input_count);
    /* Every job's errors are told (its worker limits each report to the usual 20). */
    diag_set_error_limit(dg, 0);

    batch_state_t s;
    memset(&s, 0, sizeof s);
    s.dg = dg;
    s.made = diag_new(batch_keep_record, &s.made_record);
    diag_set_language(s.made, diag_language(dg));
    diag_set_error_limit(s.made, 0);
    s.list = list;
    s.opt = &opt;
    s.results = mem_zalloc(list->count + 1, sizeof *s.results);
    joblist_shard(list, opt.shard, opt.shard_count, &s.lo, &s.hi);
    s.started = batch_now();
    int status = DIAG_EXIT_FAILURE, lock_fd = -1;
    if (batch_mkdirs(dg, opt.outdir) != 0)
        goto done;
    lock_fd = batch_lock(dg, &opt);
    batch_remove_stale(&s);

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int workers = opt.workers > 0 ? opt.workers : (cores > 0 ? (int)cores : 1);
    size_t todo = s.hi - s.lo;
    if ((size_t)workers > todo)
        workers = (int)(todo ? todo : 1);
    int interrupted = todo ? batch_run_pool(&s, list, workers) : 0;
    batch_live_clear(&s);
    if (interrupted) {
        /* No summary of an interrupted run; what the stopped workers were writing goes. */
        batch_remove_stale(&s);
        status = BATCH_EXIT_SIGNAL + interrupted;
        goto done;
    }
    double elapsed = batch_now() - s.started;

    /* The summary of the slice, in list order; each row names its place in the whole
     * list and the list's fingerprint, so that `summary` merges only whole sets. */
    summary_t *sum = summary_new();
    char list_id[FINGERPRINT_HEX];
    joblist_fingerprint(list, list_id);
    for (size_t i = s.lo; i < s.hi; i++) {
        const batch_result_t *r = &s.results[i];
        summary_row_t *row = summary_add_row(sum);
        char *file = mem_printf("%s.pdf", list->jobs[i].stem);
        summary_set(row, SUMMARY_FILE, file);
        free(file);
        for (int f = 0; f < BATCH_FIGURES; f++)
            summary_set(row, (summary_field_t)(SUMMARY_AGENCY + f), r->figures[f]);
        summary_set(row, SUMMARY_STATUS, r->ok ? "ok" : "failed");
        summary_set(row, SUMMARY_ERROR, r->error);
        summary_set(row, SUMMARY_WARNING, r->warning);
        char job[64];
        snprintf(job, sizeof job, "%zu/%zu", i + 1, list->count);
        summary_set(row, SUMMARY_JOB, job);
        summary_set(row, SUMMARY_JOB_LIST, list_id);
    }
    char *stem = opt.shard_count > 0 ? mem_printf("summary-%d-of-%d", opt.shard, opt.shard_count)
                                     : mem_strdup("summary");
    char *csv = mem_printf("%s/%s.csv", opt.outdir, stem);
    char *pdf = mem_printf("%s/%s.pdf", opt.outdir, stem);
    int summary_rc = outfile_check_plain(dg, csv) == 0 && outfile_check_plain(dg, pdf) == 0
                         ? summary_write_csv(dg, sum, csv)
                         : -1;
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
        if (summary_rc == 0) /* said only when both files were written */
            fprintf(opt.log, "batch: summary in %s and %s\n", csv, pdf);
        fflush(opt.log);
    }
    free(stem);
    free(csv);
    free(pdf);
    summary_free(sum);
done:
    if (lock_fd >= 0)
        close(lock_fd);
    for (size_t i = 0; i < list->count; i++) {
        for (int f = 0; f < BATCH_FIGURES; f++)
            free(s.results[i].figures[f]);
        free(s.results[i].error);
        free(s.results[i].warning);
    }
    free(s.results);
    diag_free(s.made);
    diag_record_free(s.made_record);
    joblist_free(list);
    return status;
}