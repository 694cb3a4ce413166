/* cmd_serve — `itareport serve`: the program as a Thai web form and a small API
 * (docs/serve.md), and `itareport serve-worker`, the hidden command its workers run.
 *
 * Three parts, each on its own threads or processes:
 *   - the HTTP side (server.h): libmicrohttpd's threads, one per connection, each turning
 *     an API request into a job and waiting for its answer; files of the page and the
 *     catalogue (read once at start) are answered there directly;
 *   - the dispatcher, on the main thread: the only user of the pool (pool.h), which it
 *     feeds with the jobs the HTTP threads queue, and whose results it hands back;
 *   - the workers: `itareport serve-worker` processes started by exec (forking a threaded
 *     process is unsafe), each with fonts, breaker and templates loaded once; a worker that
 *     crashes or passes the time limit is replaced by the pool, its request answered 500.
 *
 * The server keeps no state between requests and writes no files: a worker renders into
 * memory (a memfd on its standard output) and an uploaded logo is a memfd too. SIGINT and
 * SIGTERM stop accepting connections, let the requests under way finish, and exit 0. */
#define _GNU_SOURCE /* memfd_create */
#include "catalogue.h"
#include "cmd.h"
#include "datadir.h"
#include "diag.h"
#include "filebuf.h"
#include "json.h"
#include "mem.h"
#include "pool.h"
#include "render.h"
#include "assessment.h"
#include "server.h"
#include "wire.h"
#include "yamldoc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The largest request body (an input, with a logo) and the largest name. */
#define SERVE_MAX_BODY ((size_t)4 << 20)
#define SERVE_MAX_NAME 200
/* Seconds a client is told to wait after a 503. */
#define SERVE_RETRY_AFTER 2

void cmd_serve_help(FILE *out)
{
    fputs(_("Usage: itareport serve [--listen ADDR:PORT] [--workers N] [--queue N] [--timeout S]\n"
            "\n"
            "Serves a web page in Thai where an agency's results are typed or pasted, checked\n"
            "as they are typed, and made into the official report PDF; and a small API for\n"
            "scripts (docs/serve.md): GET /api/frameworks, POST /api/check, POST /api/render,\n"
            "GET /healthz. The server has no login: on an address other than the loopback,\n"
            "run it on a trusted network or behind a proxy that adds one.\n"
            "\n"
            "Options:\n"
            "      --listen ADDR:PORT  where to listen (default 127.0.0.1:8080; port 0: any)\n"
            "      --workers N         worker processes (default: one per core)\n"
            "      --queue N           requests waiting for a worker before 503 (default 64)\n"
            "      --timeout S         seconds a request may take in its worker (default 20)\n"
            "      --data-dir DIR      where fonts/, templates/ and web/ are\n"
            "\n"
            "Example:\n"
            "  itareport serve --listen 127.0.0.1:8080\n"),
          out);
}

void cmd_serve_worker_help(FILE *out)
{
    fputs(_("Usage: itareport serve-worker [--data-dir DIR]\n"
            "\n"
            "A worker of 'itareport serve' (started by it): answers check and render jobs in\n"
            "the pool's wire format on standard input and output.\n"),
          out);
}

/* ---- the worker ---------------------------------------------------------------------------- */

typedef struct serve_worker {
    const char *data_dir;
    renderer_t *renderer;
    diag_t *dg;
    diag_record_t **records; /* the job's, for an answer that failed */
    size_t record_count, record_capacity;
    int null_fd; /* /dev/null: the worker's standard output between renders */
} serve_worker_t;

static void worker_keep(void *user, const diag_record_t *r)
{
    serve_worker_t *w = user;
    w->records =
        mem_array_grow(w->records, &w->record_capacity, w->record_count + 1, sizeof *w->records);
    w->records[w->record_count++] = diag_record_copy(r);
}

static void worker_forget(serve_worker_t *w)
{
    for (size_t i = 0; i < w->record_count; i++)
        diag_record_free(w->records[i]);
    w->record_count = 0;
}

/* The whole content of a file descriptor from its start into a new buffer. */
static unsigned char *read_all_fd(int fd, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < 0)
        return NULL;
    unsigned char *buf = mem_alloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = pread(fd, buf + got, (size_t)st.st_size - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            free(buf);
            return NULL;
        }
        got += (size_t)n;
    }
    *len = got;
    return buf;
}

/* A JSON answer: the memory stream `out` (from mem_open_stream over text, len), closed
 * here, as result's body with status. */
static void json_answer(wire_frame_t *result, int status, FILE *out, char **text, size_t *len)
{
    fclose(out);
    result->status = status;
    wire_frame_add_text(result, "type", "application/json; charset=utf-8");
    wire_frame_add_bytes(result, "body", *text, *len);
    free(*text);
}

/* The failure answer (JSON records) into result. */
static void worker_fail_answer(serve_worker_t *w, wire_frame_t *result, int status)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = mem_open_stream(&text, &len);
    cmd_check_json_failure(out, w->records, w->record_count);
    json_answer(result, status, out, &text, &len);
}

/* A YAML node as JSON: mappings as objects (keys in file order), sequences as arrays,
 * scalars as strings exactly as written (a score stays its text), null as null. */
static void node_json(json_writer_t *jw, const yamldoc_node_t *n)
{
    if (!n || (n->kind == YAMLDOC_KIND_SCALAR && n->null)) {
        json_null(jw);
    } else if (n->kind == YAMLDOC_KIND_SCALAR) {
        json_string(jw, n->text);
    } else if (n->kind == YAMLDOC_KIND_SEQUENCE) {
        json_begin_array(jw);
        for (size_t i = 0; i < n->count; i++)
            node_json(jw, n->items[i]);
        json_end_array(jw);
    } else {
        json_begin_object(jw);
        for (size_t i = 0; i < n->count; i++) {
            json_key(jw, n->pairs[i].key->text);
            node_json(jw, n->pairs[i].value);
        }
        json_end_object(jw);
    }
}

/* The input as JSON ({"input": ...}), for the form to be filled from a YAML file; the
 * failure answer when it does not parse. */
static void worker_parse(serve_worker_t *w, const wire_value_t *name, const wire_value_t *input,
                         wire_frame_t *result)
{
    diag_set_sink(w->dg, worker_keep, w);
    yamldoc_t *doc = yamldoc_parse_buffer(w->dg, name->value, (const unsigned char *)input->value,
                                          input->len, NULL);
    diag_set_sink(w->dg, NULL, NULL);
    if (!doc) {
        worker_fail_answer(w, result, 422);
        return;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *out = mem_open_stream(&text, &len);
    json_writer_t *jw = json_writer_new(out);
    json_begin_object(jw);
    json_key(jw, "input");
    node_json(jw, doc->root);
    json_end_object(jw);
    json_writer_free(jw);
    yamldoc_free(doc);
    json_answer(result, 200, out, &text, &len);
}

static void worker_check(serve_worker_t *w, const wire_value_t *name, const wire_value_t *input,
                         wire_frame_t *result)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = mem_open_stream(&text, &len);
    cmd_check_json(w->dg, name->value, (const unsigned char *)input->value, input->len, w->data_dir,
                   out);
    json_answer(result, 200, out, &text, &len);
}

/* Renders into a memfd put on standard output (the back end writes "-" there), so that
 * nothing touches the file system; the uploaded logo, if any, is a memfd the input's
 * agency.logo is pointed at. */
static void worker_render(serve_worker_t *w, const wire_frame_t *job, wire_frame_t *result)
{
    const wire_value_t *name = wire_frame_get(job, "name");
    const wire_value_t *input = wire_frame_get(job, "input");
    const wire_value_t *digits = wire_frame_get(job, "digits");
    const wire_value_t *logo = wire_frame_get(job, "logo");
    render_options_t ro = {.template_dir = NULL, .digits = -1, .dump_layout = false};
    if (digits && strcmp(digits->value, "thai") == 0)
        ro.digits = 1;
    else if (digits && strcmp(digits->value, "arabic") == 0)
        ro.digits = 0;
    diag_set_sink(w->dg, worker_keep, w);
    assessment_t a;
    memset(&a, 0, sizeof a);
    int out_fd = -1, logo_fd = -1;
    bool made = false;
    if (assessment_open_buffer(w->dg, &a, name->value, (const unsigned char *)input->value,
                               input->len, NULL, w->data_dir) != 0)
        goto done;
    model_text_t *lt = &a.model->agency.logo;
    if (lt->text && !logo) {
        diag_fail(w->dg, &lt->pos, "serve-logo-not-uploaded",
                  "the input names a logo ('%s'), but none was uploaded with it: the server "
                  "reads no files; upload the logo with the input, or leave agency.logo out",
                  lt->text);
        goto done;
    }
    if (lt->text && logo) {
        logo_fd = memfd_create("logo", MFD_CLOEXEC);
        if (logo_fd < 0 || write(logo_fd, logo->value, logo->len) != (ssize_t)logo->len) {
            diag_fail(w->dg, NULL, "serve-memory-logo", "cannot hold the logo in memory: %s",
                      strerror(errno));
            goto done;
        }
        free(lt->text);
        lt->text = mem_printf("/proc/self/fd/%d", logo_fd);
    }
    out_fd = memfd_create("report", MFD_CLOEXEC);
    if (out_fd < 0 || dup2(out_fd, STDOUT_FILENO) < 0) {
        diag_fail(w->dg, NULL, "serve-memory-report", "cannot hold the report in memory: %s",
                  strerror(errno));
        goto done;
    }
    int rc = render_assessment(w->renderer, &a, name->value, (const unsigned char *)input->value,
                               input->len, "-", &ro);
    fflush(stdout);
    dup2(w->null_fd, STDOUT_FILENO);
    if (rc == 0) {
        size_t len = 0;
        unsigned char *pdf = read_all_fd(out_fd, &len);
        if (pdf) {
            result->status = 200;
            wire_frame_add_text(result, "type", "application/pdf");
            wire_frame_add_bytes(result, "body", pdf, len);
            free(pdf);
            made = true;
        }
    }
done:
    diag_set_sink(w->dg, NULL, NULL);
    assessment_close(&a);
    if (out_fd >= 0)
        close(out_fd);
    if (logo_fd >= 0)
        close(logo_fd);
    if (!made)
        worker_fail_answer(w, result, 422);
}

static void worker_serve(void *user, const wire_frame_t *job, wire_frame_t *result)
{
    serve_worker_t *w = user;
    const wire_value_t *op = wire_frame_get(job, "op");
    const wire_value_t *lang = wire_frame_get(job, "lang");
    const wire_value_t *name = wire_frame_get(job, "name");
    const wire_value_t *input = wire_frame_get(job, "input");
    diag_reset(w->dg);
    worker_forget(w);
    /* The worker runs in Thai (--lang th); an English job switches the words inside
     * messages too. */
    const char *language = lang && strcmp(lang->value, "en") == 0 ? "en" : "th";
    diag_set_language(w->dg, language);
    diag_switch_language(language);
    if (!op || !name || !input) {
        result->status = 400;
        return;
    }
    if (strcmp(op->value, "check") == 0)
        worker_check(w, name, input, result);
    else if (strcmp(op->value, "parse") == 0)
        worker_parse(w, name, input, result);
    else if (strcmp(op->value, "render") == 0 && w->renderer)
        worker_render(w, job, result);
    else
        result->status = 400;
    diag_clear_sources(w->dg);
}

int cmd_serve_worker_run(diag_t *dg, int argc, char **argv)
{
    static const struct option longs[] = {
        {"data-dir", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0},
    };
    const char *data_dir = NULL;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", longs, NULL)) != -1) {
        if (c == 'd')
            data_dir = optarg;
        else
            return cmd_option_error(dg, "serve-worker", c, argv);
    }
    char *data = datadir_find(dg, data_dir);
    if (!data)
        return DIAG_EXIT_FAILURE;
    serve_worker_t w;
    memset(&w, 0, sizeof w);
    w.data_dir = data;
    /* The wire moves off fds 0 and 1: standard output is where each render goes. */
    int in_fd = dup(STDIN_FILENO), out_fd = dup(STDOUT_FILENO);
    w.null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (in_fd < 0 || out_fd < 0 || w.null_fd < 0) {
        free(data);
        return DIAG_EXIT_FAILURE;
    }
    dup2(w.null_fd, STDIN_FILENO);
    dup2(w.null_fd, STDOUT_FILENO);
    w.renderer = render_new(dg, data);
    w.dg = diag_new(NULL, NULL);
    int rc = pool_serve(in_fd, out_fd, worker_serve, &w);
    worker_forget(&w);
    free(w.records);
    diag_free(w.dg);
    render_free(w.renderer);
    close(in_fd);
    close(out_fd);
    close(w.null_fd);
    free(data);
    return rc == 0 ? DIAG_EXIT_OK : DIAG_EXIT_FAILURE;
}

/* ---- the dispatcher ------------------------------------------------------------------------ */

/* A request's job, from the HTTP thread that made it to the dispatcher and back. */
typedef struct serve_job {
    uint64_t id;
    wire_frame_t frame; /* the job, until the dispatcher submits it */
    const char *lang;
    bool done;
    int status;
    char *type; /* the answer's content type */
    unsigned char *body;
    size_t len;
    pthread_cond_t cond;
    struct serve_job *next;
} serve_job_t;

typedef struct serve_state {
    pthread_mutex_t lock;
    serve_job_t *incoming, **incoming_tail; /* made, not yet submitted */
    serve_job_t *running;                   /* submitted to the pool */
    size_t outstanding, limit;              /* jobs not answered yet; at most limit */
    uint64_t next_id;
    int wake[2]; /* a byte written here wakes the dispatcher */
    /* what is answered without a worker (read once at start) */
    struct serve_asset {
        const char *path, *type;
        unsigned char *data;
        size_t len;
    } assets[8];
    size_t asset_count;
    char *frameworks, *provinces;
} serve_state_t;

static volatile sig_atomic_t serve_signal;

static void serve_on_signal(int signo)
{
    serve_signal = signo;
}

/* The dispatcher's own answers (a worker lost, a time limit) are records made through a
 * context of their own, in the request's language. */
static void take_record(void *user, const diag_record_t *r)
{
    diag_record_t **keep = user;
    diag_record_free(*keep);
    *keep = diag_record_copy(r);
}

/* Answers a job whose worker did not: a 500 with the reason as a JSON record. */
static void answer_lost(serve_job_t *job, const pool_result_t *r)
{
    diag_record_t *record = NULL;
    diag_t *dg = diag_new(take_record, &record);
    diag_set_language(dg, job->lang);
    if (r->outcome == POOL_TIMED_OUT)
        diag_fail(dg, NULL, "serve-worker-timed-out",
                  "the request took longer than the time limit (%.0f s) and was stopped; "
                  "nothing was made, try again",
                  r->seconds);
    else if (r->outcome == POOL_CRASHED)
        diag_fail(dg, NULL, "serve-worker-crashed",
                  "the worker handling the request ended (signal %d, status %d) and was "
                  "replaced; nothing was made, try again",
                  r->term_signal, r->exit_status);
    else
        diag_fail(dg, NULL, "serve-worker-failed",
                  "no worker could handle the request (%s); try again",
                  r->reason ? r->reason : "?");
    diag_free(dg);
    char *text = NULL;
    size_t len = 0;
    FILE *out = mem_open_stream(&text, &len);
    cmd_check_json_failure(out, &record, record ? 1 : 0);
    fclose(out);
    diag_record_free(record);
    job->status = 500;
    job->type = mem_strdup("application/json; charset=utf-8");
    job->body = (unsigned char *)text;
    job->len = len;
}

static void take_result(serve_state_t *st, pool_result_t *r)
{
    pthread_mutex_lock(&st->lock);
    serve_job_t **pp = &st->running, *job = NULL;
    for (; *pp; pp = &(*pp)->next)
        if ((*pp)->id == r->id) {
            job = *pp;
            *pp = job->next;
            break;
        }
    pthread_mutex_unlock(&st->lock);
    if (!job)
        return;
    if (r->outcome == POOL_DONE) {
        const wire_value_t *type = wire_frame_get(&r->frame, "type");
        const wire_value_t *body = wire_frame_get(&r->frame, "body");
        job->status = r->frame.status ? r->frame.status : 500;
        job->type = mem_strdup(type ? type->value : "text/plain; charset=utf-8");
        if (body) {
            job->body = mem_alloc(body->len + 1);
            memcpy(job->body, body->value, body->len);
            job->len = body->len;
        }
    } else {
        answer_lost(job, r);
    }
    pthread_mutex_lock(&st->lock);
    job->done = true;
    st->outstanding--;
    pthread_cond_signal(&job->cond);
    pthread_mutex_unlock(&st->lock);
}

/* Submits what the HTTP threads queued. */
static void submit_incoming(serve_state_t *st, pool_t *pool)
{
    pthread_mutex_lock(&st->lock);
    serve_job_t *list = st->incoming;
    st->incoming = NULL;
    st->incoming_tail = &st->incoming;
    for (serve_job_t *j = list; j;) {
        serve_job_t *next = j->next;
        j->next = st->running;
        st->running = j;
        j = next;
    }
    pthread_mutex_unlock(&st->lock);
    /* The jobs are in running now; the frames are only the dispatcher's. */
    for (serve_job_t *j = st->running; j; j = j->next) {
        if (j->frame.kind != WIRE_JOB)
            continue;
        if (pool_submit(pool, &j->frame) != 0) {
            pool_result_t r = {.outcome = POOL_NOT_STARTED, .id = j->id, .reason = "too large"};
            wire_frame_free(&j->frame);
            j->frame.kind = 0;
            take_result(st, &r);
            return; /* the list changed under us; the rest next time round */
        }
        wire_frame_free(&j->frame);
        j->frame.kind = 0;
    }
}

static void drain_wake(serve_state_t *st)
{
    char buf[256];
    while (read(st->wake[0], buf, sizeof buf) > 0) {
    }
}

/* The main thread's loop until a stop signal and the end of the requests under way. */
static void dispatch(serve_state_t *st, pool_t *pool, server_t *server)
{
    sigset_t open_mask;
    pthread_sigmask(SIG_SETMASK, NULL, &open_mask);
    sigdelset(&open_mask, SIGINT);
    sigdelset(&open_mask, SIGTERM);
    sigdelset(&open_mask, SIGHUP);
    bool quiet = false;
    for (;;) {
        submit_incoming(st, pool);
        if (serve_signal && !quiet) {
            server_quiesce(server);
            quiet = true;
        }
        if (pool_pending(pool) > 0) {
            pool_result_t r;
            /* New jobs from the HTTP threads wake the wait (pool_watch), and are submitted
             * at once; the time limit only bounds how long a stop signal may wait. */
            pool_wait_status_t ws = pool_wait(pool, 0.1, &r);
            if (ws == POOL_WAIT_RESULT) {
                take_result(st, &r);
                pool_result_free(&r);
            } else if (ws == POOL_WAIT_WOKEN) {
                drain_wake(st);
            }
            continue;
        }
        if (quiet) {
            pthread_mutex_lock(&st->lock);
            size_t left = st->outstanding;
            pthread_mutex_unlock(&st->lock);
            if (left == 0 && server_active(server) == 0)
                return;
        }
        struct pollfd pfd = {.fd = st->wake[0], .events = POLLIN};
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 100 * 1000 * 1000};
        if (ppoll(&pfd, 1, &ts, &open_mask) > 0)
            drain_wake(st);
    }
}

/* ---- the HTTP side ------------------------------------------------------------------------- */

static void answer_text(server_response_t *resp, int status, const char *type, const char *text)
{
    resp->status = status;
    resp->content_type = type;
    resp->body = (unsigned char *)mem_strdup(text);
    resp->len = strlen(text);
}

/* A name a request gives its input: a file name alone (no folder), printable. */
static bool name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > SERVE_MAX_NAME || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\' || *p == '"')
            return false;
    return true;
}

/* Content-Disposition for the PDF of name (FILE.yaml -> FILE.pdf), RFC 6266 with the
 * UTF-8 form for Thai names. */
static char *disposition_for(const char *name)
{
    size_t n = strlen(name);
    const char *dot = strrchr(name, '.');
    if (dot && dot != name)
        n = (size_t)(dot - name);
    char *enc = mem_alloc(n * 3 + 5);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_' || ch == '.')
            enc[k++] = (char)ch;
        else
            k += (size_t)sprintf(enc + k, "%%%02X", ch);
    }
    enc[k] = '\0';
    char *d = mem_printf("attachment; filename=\"report.pdf\"; filename*=UTF-8''%s.pdf", enc);
    free(enc);
    return d;
}

/* Makes a job of the request, waits for its answer. */
static void answer_job(serve_state_t *st, const server_request_t *rq, const char *op,
                       server_response_t *resp)
{
    const char *lang_q = server_query(rq, "lang");
    const char *lang = lang_q && strcmp(lang_q, "en") == 0 ? "en" : "th";
    const char *name = server_query(rq, "name");
    if (!name || !*name)
        name = "input.yaml";
    if (!name_ok(name)) {
        answer_text(resp, 400, "text/plain; charset=utf-8",
                    "400 name must be a file name alone (no folder, no control characters)\n");
        return;
    }
    const char *digits = server_query(rq, "digits");
    if (digits && strcmp(digits, "thai") != 0 && strcmp(digits, "arabic") != 0) {
        answer_text(resp, 400, "text/plain; charset=utf-8", "400 digits must be thai or arabic\n");
        return;
    }
    size_t len = 0;
    const unsigned char *body = server_body(rq, &len);
    /* A logo travels in front of the input: logo_size bytes, then the YAML. */
    const char *logo_q = strcmp(op, "render") == 0 ? server_query(rq, "logo_size") : NULL;
    size_t logo_len = 0;
    if (logo_q) {
        char *end = NULL;
        unsigned long long n = strtoull(logo_q, &end, 10);
        if (!*logo_q || *end || n == 0 || n > len) {
            answer_text(resp, 400, "text/plain; charset=utf-8",
                        "400 logo_size must be the number of the body's first bytes that are "
                        "the logo\n");
            return;
        }
        logo_len = (size_t)n;
    }
    serve_job_t *job = mem_zalloc(1, sizeof *job);
    pthread_cond_init(&job->cond, NULL);
    job->lang = lang;
    pthread_mutex_lock(&st->lock);
    if (st->outstanding >= st->limit) {
        pthread_mutex_unlock(&st->lock);
        pthread_cond_destroy(&job->cond);
        free(job);
        answer_text(resp, 503, "text/plain; charset=utf-8",
                    "503 every worker is busy and the queue is full; try again shortly\n");
        resp->retry_after = SERVE_RETRY_AFTER;
        return;
    }
    job->id = ++st->next_id;
    st->outstanding++;
    pthread_mutex_unlock(&st->lock);
    wire_frame_init(&job->frame, WIRE_JOB, job->id);
    wire_frame_add_text(&job->frame, "op", op);
    wire_frame_add_text(&job->frame, "lang", lang);
    wire_frame_add_text(&job->frame, "name", name);
    if (digits)
        wire_frame_add_text(&job->frame, "digits", digits);
    if (logo_len)
        wire_frame_add_bytes(&job->frame, "logo", body, logo_len);
    wire_frame_add_bytes(&job->frame, "input", body ? body + logo_len : (const unsigned char *)"",
                         len - logo_len);
    pthread_mutex_lock(&st->lock);
    *st->incoming_tail = job;
    st->incoming_tail = &job->next;
    pthread_mutex_unlock(&st->lock);
    ssize_t w = write(st->wake[1], "j", 1);
    (void)w; /* a full pipe already wakes the dispatcher */
    pthread_mutex_lock(&st->lock);
    while (!job->done)
        pthread_cond_wait(&job->cond, &st->lock);
    pthread_mutex_unlock(&st->lock);
    resp->status = job->status;
    resp->content_type = strcmp(job->type, "application/pdf") == 0 ? "application/pdf"
                         : strncmp(job->type, "application/json", 16) == 0
                             ? "application/json; charset=utf-8"
                             : "text/plain; charset=utf-8";
    resp->body = job->body ? job->body : (unsigned char *)mem_strdup("");
    resp->len = job->len;
    if (job->status == 200 && strcmp(op, "render") == 0)
        resp->disposition = disposition_for(name);
    free(job->type);
    pthread_cond_destroy(&job->cond);
    free(job);
}

static void handle(void *user, const server_request_t *rq, server_response_t *resp)
{
    serve_state_t *st = user;
    const char *method = server_method(rq), *path = server_path(rq);
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    bool post = strcmp(method, "POST") == 0;
    static const char *const ops[] = {"check", "render", "parse"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strncmp(path, "/api/", 5) == 0 && strcmp(path + 5, ops[i]) == 0) {
            if (!post)
                answer_text(resp, 405, "text/plain; charset=utf-8", "405 use POST\n");
            else
                answer_job(st, rq, ops[i], resp);
            return;
        }
    if (!get) {
        answer_text(resp, 405, "text/plain; charset=utf-8", "405 use GET\n");
        return;
    }
    const char *json = strcmp(path, "/api/frameworks") == 0  ? st->frameworks
                       : strcmp(path, "/api/provinces") == 0 ? st->provinces
                                                             : NULL;
    if (json) {
        resp->status = 200;
        resp->content_type = "application/json; charset=utf-8";
        resp->body = (unsigned char *)(uintptr_t)json;
        resp->len = strlen(json);
        resp->is_static = true;
        return;
    }
    if (strcmp(path, "/healthz") == 0) {
        answer_text(resp, 200, "text/plain; charset=utf-8", "ok\n");
        return;
    }
    for (size_t i = 0; i < st->asset_count; i++)
        if (strcmp(path, st->assets[i].path) == 0) {
            resp->status = 200;
            resp->content_type = st->assets[i].type;
            resp->body = st->assets[i].data;
            resp->len = st->assets[i].len;
            resp->is_static = true;
            return;
        }
    answer_text(resp, 404, "text/plain; charset=utf-8", "404 not found\n");
}

/* ---- the command --------------------------------------------------------------------------- */

static int load_assets(diag_t *dg, serve_state_t *st, const char *data_dir)
{
    static const struct {
        const char *path, *file, *type;
    } files[] = {
        {"/", "web/index.html", "text/html; charset=utf-8"},
        {"/style.css", "web/style.css", "text/css; charset=utf-8"},
        {"/app.js", "web/app.js", "text/javascript; charset=utf-8"},
        {"/fonts/Sarabun-Regular.ttf", "fonts/Sarabun-Regular.ttf", "font/ttf"},
        {"/fonts/Sarabun-Bold.ttf", "fonts/Sarabun-Bold.ttf", "font/ttf"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *path = datadir_path(data_dir, files[i].file);
        struct serve_asset *a = &st->assets[st->asset_count];
        int rc = filebuf_read_regular(dg, NULL, path, "", SERVE_MAX_BODY, &a->data, &a->len);
        free(path);
        if (rc != 0)
            return -1;
        a->path = files[i].path;
        a->type = files[i].type;
        st->asset_count++;
    }
    return 0;
}

static int parse_count(diag_t *dg, const char *option, const char *value, long min, long max,
                       long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < min || v > max)
        return cmd_usage_error(dg, "serve", "usage-serve-number",
                               "%s wants a whole number from %ld to %ld, not '%s'", option, min,
                               max, value);
    *out = v;
    return 0;
}

/* The program to exec for workers: this one. */
static char *self_path(void)
{
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    return mem_strdup(buf);
}

int cmd_serve_run(diag_t *dg, int argc, char **argv)
{
    enum { OPT_LISTEN = 256, OPT_WORKERS, OPT_QUEUE, OPT_TIMEOUT, OPT_DATA };
    static const struct option longs[] = {
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"workers", required_argument, NULL, OPT_WORKERS},
        {"queue", required_argument, NULL, OPT_QUEUE},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"data-dir", required_argument, NULL, OPT_DATA},
        {NULL, 0, NULL, 0},
    };
    const char *listen = "127.0.0.1:8080", *data_dir = NULL;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long workers = cores > 0 ? cores : 1, queue = 64, timeout = 20;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", longs, NULL)) != -1) {
        switch (c) {
        case OPT_LISTEN:
            listen = optarg;
            break;
        case OPT_WORKERS:
            if (parse_count(dg, "--workers", optarg, 1, 256, &workers) != 0)
                return DIAG_EXIT_USAGE;
            break;
        case OPT_QUEUE:
            if (parse_count(dg, "--queue", optarg, 0, 100000, &queue) != 0)
                return DIAG_EXIT_USAGE;
            break;
        case OPT_TIMEOUT:
            if (parse_count(dg, "--timeout", optarg, 1, 3600, &timeout) != 0)
                return DIAG_EXIT_USAGE;
            break;
        case OPT_DATA:
            data_dir = optarg;
            break;
        default:
            return cmd_option_error(dg, "serve", c, argv);
        }
    }
    if (optind < argc)
        return cmd_usage_error(dg, "serve", "usage-serve-no-arguments",
                               "serve takes no file arguments (got '%s')", argv[optind]);

    int status = DIAG_EXIT_FAILURE;
    serve_state_t st;
    memset(&st, 0, sizeof st);
    st.wake[0] = st.wake[1] = -1;
    pool_t *pool = NULL;
    server_t *server = NULL;
    char *self = NULL;
    char *data = datadir_find(dg, data_dir);
    if (!data || load_assets(dg, &st, data) != 0)
        goto done;
    if (!(st.frameworks = catalogue_frameworks_json(dg, data)) ||
        !(st.provinces = catalogue_provinces_json(dg, data)))
        goto done;
    if (!(self = self_path())) {
        diag_fail(dg, NULL, "serve-no-self",
                  "cannot find this program's own file to start "
                  "workers (/proc/self/exe)");
        goto done;
    }
    if (pipe2(st.wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        diag_fail(dg, NULL, "serve-no-pipe", "cannot make a pipe: %s", strerror(errno));
        goto done;
    }
    pthread_mutex_init(&st.lock, NULL);
    st.incoming_tail = &st.incoming;
    st.limit = (size_t)workers + (size_t)queue;

    /* Workers by exec, in the program's language: Thai unless a job asks for English. */
    char *wargv[] = {self, "--lang", "th", "serve-worker", "--data-dir", data, NULL};
    pool_options_t po = {.workers = (int)workers, .timeout = (double)timeout, .argv = wargv};
    pool = pool_new(&po); /* blocks the stop signals: the server's threads inherit that */
    pool_watch(pool, st.wake[0]);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = serve_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    serve_signal = 0;

    server_options_t so = {.listen = listen,
                           .max_body = SERVE_MAX_BODY,
                           .idle_limit = 60,
                           .handler = handle,
                           .user = &st};
    if (!(server = server_start(dg, &so)))
        goto done;
    if (!server_is_loopback(server))
        diag_warn(dg, NULL, "serve-not-loopback",
                  "listening on %s: the server has no login; keep it on a trusted network or "
                  "behind a proxy that adds one (docs/serve.md)",
                  listen);
    const char *colon = strrchr(listen, ':');
    diag_note(dg, NULL, "serve-listening",
              "serving on http://%.*s:%d/ with %ld workers (queue %ld, time limit %ld s); "
              "Ctrl-C stops",
              (int)(colon - listen), listen, server_port(server), workers, queue, timeout);
    dispatch(&st, pool, server);
    diag_note(dg, NULL, "serve-stopped", "stopped (signal %d) after the requests under way",
              (int)serve_signal);
    status = DIAG_EXIT_OK;
done:
    server_stop(server);
    pool_free(pool);
    if (st.wake[0] >= 0) {
        close(st.wake[0]);
        close(st.wake[1]);
        pthread_mutex_destroy(&st.lock);
    }
    for (size_t i = 0; i < st.asset_count; i++)
        free(st.assets[i].data);
    free(st.frameworks);
    free(st.provinces);
    free(self);
    free(data);
    return status;
}
