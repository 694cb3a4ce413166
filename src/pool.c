/* pool — see pool.h. */
#define _GNU_SOURCE /* ppoll: poll with the signal mask swapped atomically */
#include "pool.h"

#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* The signal that arrived while the pool waited; set by the handler only. */
static volatile sig_atomic_t pool_signal;

static const int pool_signals[] = {SIGINT, SIGTERM, SIGHUP};
enum { POOL_SIGNAL_COUNT = sizeof pool_signals / sizeof pool_signals[0] };

/* Seconds a worker told to end (SIGTERM) gets before SIGKILL. */
#define POOL_GRACE_SECONDS 2.0

typedef struct pool_job {
    uint64_t id;
    unsigned char *data; /* the encoded frame */
    size_t len;
} pool_job_t;

/* One worker process: the Subprocess of ninja's shape. */
typedef struct pool_worker {
    pid_t pid;   /* 0: no process in this slot */
    int to_fd;   /* its input (jobs), -1 once closed */
    int from_fd; /* its output (results) */
    bool busy;   /* holds job */
    uint64_t job;
    double started;          /* when it got the job */
    pool_outcome_t fate;     /* POOL_CRASHED, or why the pool killed it */
    const char *fate_reason; /* POOL_GARBLED: the decoder's reason */
    unsigned char *buf;      /* bytes of an answer not complete yet */
    size_t len, cap;
} pool_worker_t;

struct pool {
    pool_options_t opt;
    pool_worker_t *workers;
    int worker_count;
    pool_job_t *queue; /* FIFO: [head, count) */
    size_t head, count, capacity;
    pool_result_t *ready; /* results not handed out yet: [ready_head, ready_count) */
    size_t ready_head, ready_count, ready_capacity;
    bool closed;
    bool spawn_failed; /* told once (POOL_WORKER_LOST with a reason) */
    int watched;       /* pool_watch's fd, or -1 */
    int interrupted;
    sigset_t old_mask;
    struct sigaction old_actions[POOL_SIGNAL_COUNT];
    struct sigaction old_pipe;
};

static double pool_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void pool_on_signal(int signo)
{
    pool_signal = signo;
}

pool_t *pool_new(const pool_options_t *options)
{
    pool_t *p = mem_zalloc(1, sizeof *p);
    p->opt = *options;
    if (p->opt.workers < 1)
        p->opt.workers = 1;
    p->worker_count = p->opt.workers;
    p->workers = mem_zalloc((size_t)p->worker_count, sizeof *p->workers);
    for (int i = 0; i < p->worker_count; i++)
        p->workers[i].to_fd = p->workers[i].from_fd = -1;
    p->watched = -1;
    pool_signal = 0;

    /* The signals are blocked except inside ppoll (ninja's SubprocessSet does the same):
     * a signal is then seen exactly where the loop can act on it. */
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < POOL_SIGNAL_COUNT; i++)
        sigaddset(&set, pool_signals[i]);
    sigprocmask(SIG_BLOCK, &set, &p->old_mask);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = pool_on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < POOL_SIGNAL_COUNT; i++)
        sigaction(pool_signals[i], &sa, &p->old_actions[i]);
    struct sigaction ignore;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, &p->old_pipe);
    return p;
}

/* The signal handling as it was before pool_new (in the parent at pool_free, in a new
 * worker at its start). */
static void pool_restore_signals(const pool_t *p)
{
    for (int i = 0; i < POOL_SIGNAL_COUNT; i++)
        sigaction(pool_signals[i], &p->old_actions[i], NULL);
    sigaction(SIGPIPE, &p->old_pipe, NULL);
    sigprocmask(SIG_SETMASK, &p->old_mask, NULL);
}

int pool_submit(pool_t *p, const wire_frame_t *job)
{
    size_t len = 0;
    const char *why = NULL;
    unsigned char *data = wire_encode(job, &len, &why);
    if (!data)
        return -1;
    if (p->head > 0 && p->head == p->count) {
        p->head = p->count = 0;
    } else if (p->head > 64 && p->head * 2 > p->count) {
        memmove(p->queue, p->queue + p->head, (p->count - p->head) * sizeof *p->queue);
        p->count -= p->head;
        p->head = 0;
    }
    p->queue = mem_array_grow(p->queue, &p->capacity, p->count + 1, sizeof *p->queue);
    p->queue[p->count++] = (pool_job_t){job->id, data, len};
    return 0;
}

void pool_close(pool_t *p)
{
    p->closed = true;
}

size_t pool_pending(const pool_t *p)
{
    size_t n = p->count - p->head;
    for (int i = 0; i < p->worker_count; i++)
        n += p->workers[i].busy;
    return n;
}

int pool_interrupted(const pool_t *p)
{
    return p->interrupted;
}

static pool_result_t *pool_add_result(pool_t *p, pool_outcome_t outcome, uint64_t id)
{
    if (p->ready_head > 0 && p->ready_head == p->ready_count)
        p->ready_head = p->ready_count = 0;
    p->ready = mem_array_grow(p->ready, &p->ready_capacity, p->ready_count + 1, sizeof *p->ready);
    pool_result_t *r = &p->ready[p->ready_count++];
    memset(r, 0, sizeof *r);
    r->outcome = outcome;
    r->id = id;
    r->exit_status = -1;
    wire_frame_init(&r->frame, WIRE_RESULT, id);
    return r;
}

/* ---- one worker ------------------------------------------------------------------------- */

static _Noreturn void pool_child(const pool_t *p, const pool_worker_t *self, int in_fd, int out_fd,
                                 pid_t parent)
{
    pool_restore_signals(p);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
    if (getppid() != parent) /* the parent died before PR_SET_PDEATHSIG took hold */
        _exit(1);
    /* The parent's ends of the other workers' pipes stay with the parent only: a worker
     * holding them would keep a dead sibling's pipe from reading as closed. */
    for (int i = 0; i < p->worker_count; i++) {
        const pool_worker_t *w = &p->workers[i];
        if (w == self || !w->pid)
            continue;
        if (w->to_fd >= 0)
            close(w->to_fd);
        close(w->from_fd);
    }
    if (p->opt.argv) {
        if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0)
            _exit(127);
        if (in_fd != STDIN_FILENO)
            close(in_fd);
        if (out_fd != STDOUT_FILENO)
            close(out_fd);
        execvp(p->opt.argv[0], p->opt.argv);
        _exit(127);
    }
    int rc = pool_serve(in_fd, out_fd, p->opt.serve, p->opt.user);
    if (p->opt.worker_exit)
        p->opt.worker_exit(p->opt.user);
    close(in_fd);
    close(out_fd);
    exit(rc == 0 ? 0 : 1);
}

static int pool_spawn(pool_t *p, pool_worker_t *w)
{
    int to[2], from[2];
    if (pipe(to) != 0)
        return -1;
    if (pipe(from) != 0) {
        close(to[0]);
        close(to[1]);
        return -1;
    }
    fflush(NULL); /* nothing buffered is written twice */
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(to[0]);
        close(to[1]);
        close(from[0]);
        close(from[1]);
        errno = e;
        return -1;
    }
    if (pid == 0) {
        close(to[1]);
        close(from[0]);
        pool_child(p, w, to[0], from[1], parent);
    }
    close(to[0]);
    close(from[1]);
    fcntl(to[1], F_SETFD, FD_CLOEXEC);
    fcntl(to[1], F_SETFL, fcntl(to[1], F_GETFL) | O_NONBLOCK); /* writes bounded in time */
    fcntl(from[0], F_SETFD, FD_CLOEXEC);
    w->pid = pid;
    w->to_fd = to[1];
    w->from_fd = from[0];
    w->busy = false;
    w->fate = POOL_CRASHED;
    w->fate_reason = NULL;
    w->len = 0;
    return 0;
}

static void pool_close_input(pool_worker_t *w)
{
    if (w->to_fd >= 0)
        close(w->to_fd);
    w->to_fd = -1;
}

/* Waits for a child until deadline (pool_now() time), then kills it (SIGKILL) and waits for
 * it; returns its wait status. */
static int pool_reap_child(pid_t pid, double deadline)
{
    int status = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            return status;
        if (pool_now() > deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return status;
        }
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* Kills a worker for a reason (its end is seen as end of file on its output). */
static void pool_kill(pool_worker_t *w, pool_outcome_t fate, const char *reason)
{
    if (w->fate == POOL_CRASHED) {
        w->fate = fate;
        w->fate_reason = reason;
    }
    pool_close_input(w);
    kill(w->pid, SIGKILL);
}

/* The worker's output closed: reap it and say what came of its job. */
static void pool_reap(pool_t *p, pool_worker_t *w)
{
    pool_close_input(w);
    close(w->from_fd);
    w->from_fd = -1;
    /* Its output closed because it ended, or is ending; one that closed its output and goes
     * on (an exec'd program gone wrong) is killed after the grace time. */
    int status = pool_reap_child(w->pid, pool_now() + POOL_GRACE_SECONDS);
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (w->busy) {
        pool_result_t *r = pool_add_result(p, w->fate, w->job);
        r->term_signal = sig;
        r->exit_status = code;
        r->reason = w->fate_reason;
        r->seconds = pool_now() - w->started;
    } else if (sig || code != 0) {
        pool_result_t *r = pool_add_result(p, POOL_WORKER_LOST, 0);
        r->term_signal = sig;
        r->exit_status = code;
    }
    w->pid = 0;
    w->busy = false;
    w->len = 0;
}

/* Complete answers in a worker's buffer become results. */
static void pool_take_answers(pool_t *p, pool_worker_t *w)
{
    size_t at = 0;
    while (w->pid && at < w->len) {
        wire_frame_t f;
        size_t used = 0;
        const char *why = NULL;
        wire_status_t st = wire_decode(w->buf + at, w->len - at, &f, &used, &why);
        if (st == WIRE_INCOMPLETE)
            break;
        if (st == WIRE_OK && (!w->busy || f.kind != WIRE_RESULT || f.id != w->job)) {
            wire_frame_free(&f);
            st = WIRE_INVALID;
            why = "an answer to no job it held";
        }
        if (st == WIRE_INVALID) {
            pool_kill(w, POOL_GARBLED, why);
            at = w->len;
            break;
        }
        pool_result_t *r = pool_add_result(p, POOL_DONE, w->job);
        wire_frame_free(&r->frame);
        r->frame = f;
        r->seconds = pool_now() - w->started;
        w->busy = false;
        at += used;
    }
    memmove(w->buf, w->buf + at, w->len - at);
    w->len -= at;
}

/* ---- the set ---------------------------------------------------------------------------- */

static int pool_live(const pool_t *p)
{
    int n = 0;
    for (int i = 0; i < p->worker_count; i++)
        n += p->workers[i].pid != 0;
    return n;
}

/* Writes a job to its worker. An idle worker is reading, so this is quick; one that does
 * not read (an exec'd program gone wrong) is given until the job's time limit, and a signal
 * stops the wait. 0, or -1 (the caller closes the worker's input; its end is seen next). */
static int pool_send(pool_t *p, pool_worker_t *w, const unsigned char *d, size_t n)
{
    while (n) {
        ssize_t wr = write(w->to_fd, d, n);
        if (wr > 0) {
            d += wr;
            n -= (size_t)wr;
            continue;
        }
        if (wr < 0 && errno == EINTR)
            continue;
        if (wr < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = {w->to_fd, POLLOUT, 0};
            double left = p->opt.timeout > 0 ? w->started + p->opt.timeout - pool_now() : -1;
            if (p->opt.timeout > 0 && left <= 0)
                return -1;
            struct timespec ts, *tsp = NULL;
            if (left >= 0) {
                ts.tv_sec = (time_t)left;
                ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
                tsp = &ts;
            }
            if (ppoll(&pfd, 1, tsp, &p->old_mask) < 0 && pool_signal)
                return -1;
            continue;
        }
        return -1; /* EPIPE: the worker is gone */
    }
    return 0;
}

/* Gives queued jobs to idle workers, starting workers as needed. */
static void pool_dispatch(pool_t *p)
{
    while (p->head < p->count) {
        pool_worker_t *idle = NULL, *free_slot = NULL;
        for (int i = 0; i < p->worker_count && !idle; i++) {
            pool_worker_t *w = &p->workers[i];
            if (w->pid && !w->busy && w->to_fd >= 0 && w->fate == POOL_CRASHED)
                idle = w;
            else if (!w->pid && !free_slot)
                free_slot = w;
        }
        if (!idle && free_slot) {
            if (pool_spawn(p, free_slot) == 0) {
                idle = free_slot;
            } else if (!p->spawn_failed && pool_live(p) > 0) {
                /* The others go on with the jobs; the caller is told once, so that a run
                 * short of its workers does not pass for a clean one. */
                p->spawn_failed = true;
                pool_result_t *r = pool_add_result(p, POOL_WORKER_LOST, 0);
                r->reason = "a worker process could not be started";
                r->spawn_errno = errno;
            } else if (pool_live(p) == 0) {
                /* Not one worker: the job cannot be done (the next may, if it was a
                 * passing shortage). */
                pool_job_t *j = &p->queue[p->head++];
                pool_result_t *r = pool_add_result(p, POOL_NOT_STARTED, j->id);
                r->reason = "a worker process could not be started";
                r->spawn_errno = errno;
                free(j->data);
                continue;
            }
        }
        if (!idle)
            return;
        pool_job_t *j = &p->queue[p->head++];
        idle->busy = true;
        idle->job = j->id;
        idle->started = pool_now();
        /* A worker that died meanwhile gives EPIPE, and its end of file is seen next (the
         * job fails as crashed); one that does not read is killed as over its time. */
        if (pool_send(p, idle, j->data, j->len) != 0) {
            if (p->opt.timeout > 0 && pool_now() >= idle->started + p->opt.timeout)
                pool_kill(idle, POOL_TIMED_OUT, NULL);
            else
                pool_close_input(idle);
        }
        free(j->data);
    }
    if (p->closed)
        for (int i = 0; i < p->worker_count; i++) {
            pool_worker_t *w = &p->workers[i];
            if (w->pid && !w->busy && w->to_fd >= 0)
                pool_close_input(w);
        }
}

/* Ends every worker: SIGTERM (each removes what it was writing), SIGKILL to those still
 * there after the grace time; reaps them all. Their jobs are dropped. */
static void pool_end_workers(pool_t *p)
{
    for (int i = 0; i < p->worker_count; i++) {
        pool_worker_t *w = &p->workers[i];
        if (!w->pid)
            continue;
        pool_close_input(w);
        kill(w->pid, SIGTERM);
    }
    double deadline = pool_now() + POOL_GRACE_SECONDS;
    for (int i = 0; i < p->worker_count; i++) {
        pool_worker_t *w = &p->workers[i];
        if (!w->pid)
            continue;
        pool_reap_child(w->pid, deadline);
        if (w->from_fd >= 0)
            close(w->from_fd);
        w->from_fd = -1;
        w->pid = 0;
        w->busy = false;
    }
}

void pool_watch(pool_t *p, int fd)
{
    p->watched = fd;
}

pool_wait_status_t pool_wait(pool_t *p, double max_seconds, pool_result_t *result)
{
    double until = max_seconds >= 0 ? pool_now() + max_seconds : -1;
    struct pollfd *fds = mem_zalloc((size_t)p->worker_count + 1, sizeof *fds);
    int *which = mem_zalloc((size_t)p->worker_count + 1, sizeof *which);
    pool_wait_status_t status;
    for (;;) {
        if (pool_signal && !p->interrupted) {
            p->interrupted = pool_signal;
            pool_end_workers(p);
        }
        if (p->interrupted) {
            status = POOL_WAIT_INTERRUPTED;
            break;
        }
        if (p->ready_head < p->ready_count) {
            *result = p->ready[p->ready_head++];
            status = POOL_WAIT_RESULT;
            break;
        }
        pool_dispatch(p);
        if (p->ready_head < p->ready_count)
            continue;
        int live = pool_live(p);
        if (p->head == p->count && pool_pending(p) == 0 && (!p->closed || live == 0)) {
            status = POOL_WAIT_IDLE;
            break;
        }

        /* Poll until an answer, an end, the nearest time limit or the caller's limit. */
        double now = pool_now();
        double wait = until >= 0 ? until - now : -1;
        int n = 0;
        for (int i = 0; i < p->worker_count; i++) {
            pool_worker_t *w = &p->workers[i];
            if (!w->pid)
                continue;
            if (w->busy && p->opt.timeout > 0 && w->fate == POOL_CRASHED) {
                double left = w->started + p->opt.timeout - now;
                if (left <= 0) {
                    pool_kill(w, POOL_TIMED_OUT, NULL);
                    left = 0;
                }
                if (wait < 0 || left < wait)
                    wait = left;
            }
            fds[n].fd = w->from_fd;
            fds[n].events = POLLIN;
            fds[n].revents = 0;
            which[n++] = i;
        }
        if (until >= 0 && now >= until) {
            status = POOL_WAIT_TIMEOUT;
            break;
        }
        int workers_polled = n;
        if (p->watched >= 0) {
            fds[n].fd = p->watched;
            fds[n].events = POLLIN;
            fds[n].revents = 0;
            which[n++] = -1;
        }
        struct timespec ts, *tsp = NULL;
        if (wait >= 0) {
            ts.tv_sec = (time_t)wait;
            ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
            tsp = &ts;
        }
        int ready = ppoll(fds, (nfds_t)n, tsp, &p->old_mask);
        if (ready < 0 || pool_signal)
            continue; /* a signal (looked at above) before any worker's news: a Ctrl-C
                       * reaches the workers too, and their ends are not crashes */
        for (int k = 0; k < workers_polled && ready > 0; k++) {
            if (!fds[k].revents)
                continue;
            pool_worker_t *w = &p->workers[which[k]];
            if (w->len + 65536 > w->cap) {
                w->cap = w->len + 65536;
                w->buf = mem_realloc(w->buf, w->cap);
            }
            ssize_t r = read(w->from_fd, w->buf + w->len, w->cap - w->len);
            if (r < 0 && errno == EINTR)
                continue;
            if (r > 0) {
                w->len += (size_t)r;
                pool_take_answers(p, w);
                continue;
            }
            if (w->busy && w->len && w->fate == POOL_CRASHED)
                w->fate_reason = NULL; /* a cut answer: the worker crashed while writing */
            pool_reap(p, w);
        }
        if (workers_polled < n && fds[workers_polled].revents && p->ready_head == p->ready_count) {
            status = POOL_WAIT_WOKEN; /* (a result just read goes out first) */
            break;
        }
    }
    free(fds);
    free(which);
    return status;
}

void pool_result_free(pool_result_t *result)
{
    wire_frame_free(&result->frame);
}

void pool_free(pool_t *p)
{
    if (!p)
        return;
    pool_end_workers(p);
    for (size_t i = p->head; i < p->count; i++)
        free(p->queue[i].data);
    free(p->queue);
    for (size_t i = p->ready_head; i < p->ready_count; i++)
        pool_result_free(&p->ready[i]);
    free(p->ready);
    for (int i = 0; i < p->worker_count; i++)
        free(p->workers[i].buf);
    free(p->workers);
    pool_restore_signals(p);
    free(p);
}

int pool_serve(int in_fd, int out_fd, pool_serve_fn serve, void *user)
{
    for (;;) {
        wire_frame_t job;
        const char *why = NULL;
        int rc = wire_read(in_fd, &job, &why);
        if (rc <= 0)
            return rc == 0 ? 0 : -1;
        wire_frame_t result;
        wire_frame_init(&result, WIRE_RESULT, job.id);
        serve(user, &job, &result);
        rc = wire_write(out_fd, &result);
        wire_frame_free(&job);
        wire_frame_free(&result);
        if (rc != 0)
            return -1;
    }
}
