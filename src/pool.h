/* pool — a set of worker processes that take jobs and give results (wire.h frames).
 *
 * The shape of ninja's Subprocess / SubprocessSet: one worker (a child process, its two
 * pipes, the job it holds, its partial answer) apart from the set that loops over them.
 * The set spawns workers as jobs arrive (at most `workers` at once), hands each idle worker
 * the next queued job, polls their answers, reaps a worker that ends, and starts a new one
 * while jobs are left. A job that takes longer than its time limit has its worker killed
 * (SIGKILL) and is reported as timed out; a job whose worker dies is reported as crashed;
 * an answer that does not decode kills the worker and is reported as garbled. The rest
 * goes on. Nothing in here knows about reports: the batch and (later) the web server
 * submit frames and read results.
 *
 * A worker is either a fork of the calling process running a serve function (fork mode),
 * or a program started with exec that speaks the wire format on its standard input and
 * output (exec mode; such a program runs pool_serve on fds 0 and 1). Either way it gets
 * PR_SET_PDEATHSIG (on Linux), so it ends when the parent dies.
 *
 * Signals: while a pool exists, SIGINT, SIGTERM and SIGHUP are blocked in the parent except
 * inside pool_wait, whose handler only notes the signal; pool_wait then ends every worker
 * (SIGTERM, SIGKILL after two seconds) and returns POOL_WAIT_INTERRUPTED. SIGPIPE is
 * ignored (a dead worker's pipe is an error, not a kill). pool_free restores all of it, so
 * the caller can re-raise the signal (pool_interrupted) to end as it says.
 *
 * The pool owns its workers, queued jobs (copied at submit) and pending results; a result
 * handed out is the caller's (pool_result_free). options->argv and options->user are
 * borrowed until pool_free. */
#ifndef ITAREPORT_POOL_H
#define ITAREPORT_POOL_H

#include "wire.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pool pool_t;

/* A worker's handling of one job: fills result (a WIRE_RESULT frame with the job's id,
 * empty). Runs in the worker process. */
typedef void (*pool_serve_fn)(void *user, const wire_frame_t *job, wire_frame_t *result);

typedef struct pool_options {
    int workers;    /* at most this many at once (at least 1) */
    double timeout; /* seconds a job may spend in its worker; 0: no limit */
    /* Fork mode (argv NULL): the worker is a fork of this process running serve for each
     * job, then worker_exit (may be NULL) when told to end. */
    pool_serve_fn serve;
    void (*worker_exit)(void *user);
    void *user;
    /* Exec mode: the worker is argv[0] (looked up in PATH) run with argv. */
    char *const *argv;
} pool_options_t;

typedef enum pool_outcome {
    POOL_DONE,        /* the worker answered: frame holds its result */
    POOL_CRASHED,     /* the worker ended while it held the job (term_signal, exit_status) */
    POOL_TIMED_OUT,   /* the job exceeded the time limit; its worker was killed */
    POOL_GARBLED,     /* the worker's answer did not decode (reason); its worker was killed */
    POOL_NOT_STARTED, /* no worker could be started for the job (reason) */
    POOL_WORKER_LOST, /* a worker that held no job ended badly (term_signal, exit_status) */
} pool_outcome_t;

typedef struct pool_result {
    pool_outcome_t outcome;
    uint64_t id;        /* the job's id (not meaningful for POOL_WORKER_LOST) */
    int term_signal;    /* the signal that ended the worker, or 0 */
    int exit_status;    /* the worker's exit status when it exited, or -1 */
    const char *reason; /* POOL_GARBLED, POOL_NOT_STARTED: static text, else NULL; also
                         * POOL_WORKER_LOST when a worker could not be started while others
                         * run (told once per pool) */
    int spawn_errno;    /* a worker that could not be started: why (errno), else 0 */
    double seconds;     /* the time the job spent in its worker */
    wire_frame_t frame; /* POOL_DONE: the worker's result frame */
} pool_result_t;

typedef enum pool_wait_status {
    POOL_WAIT_RESULT,      /* *result is filled (pool_result_free) */
    POOL_WAIT_IDLE,        /* no job queued or running (and, once closed, no worker left) */
    POOL_WAIT_TIMEOUT,     /* max_seconds passed without a result */
    POOL_WAIT_INTERRUPTED, /* SIGINT, SIGTERM or SIGHUP arrived; the workers are ended */
    POOL_WAIT_WOKEN,       /* the fd given to pool_watch is readable (it is not read) */
} pool_wait_status_t;

/* A pool with no worker yet; installs the signal handling above. Never fails (out of
 * memory aborts through mem). */
pool_t *pool_new(const pool_options_t *options);

/* Queues a copy of a job (WIRE_JOB, its id the caller's). 0, or -1 when the frame exceeds
 * the wire limits (nothing queued). */
int pool_submit(pool_t *pool, const wire_frame_t *job);

/* No more jobs will come: workers left without a job are told to end (their input is
 * closed), and pool_wait reports any that ends badly (POOL_WORKER_LOST). */
void pool_close(pool_t *pool);

/* An fd (-1: none, the default) that pool_wait also watches: when it is readable,
 * pool_wait returns POOL_WAIT_WOKEN, so that a caller queueing jobs from other threads
 * (itareport serve) hands a new one to an idle worker at once. */
void pool_watch(pool_t *pool, int fd);

/* Runs the pool until a result is ready, nothing is left to do, max_seconds (< 0: no
 * limit) pass, a signal arrives or the watched fd is readable; see pool_wait_status_t. */
pool_wait_status_t pool_wait(pool_t *pool, double max_seconds, pool_result_t *result);

/* The number of jobs queued or in a worker. */
size_t pool_pending(const pool_t *pool);

/* The signal that interrupted the pool, or 0. */
int pool_interrupted(const pool_t *pool);

/* Ends every worker still running (SIGTERM, SIGKILL after two seconds), reaps them, drops
 * queued jobs and unread results, restores the signal handling; NULL is allowed. */
void pool_free(pool_t *pool);

/* Releases a result's frame. */
void pool_result_free(pool_result_t *result);

/* A worker's loop: reads job frames from in_fd until end of file, answers each through
 * serve on out_fd. 0 at end of file, -1 when a frame cannot be read or written. */
int pool_serve(int in_fd, int out_fd, pool_serve_fn serve, void *user);

#endif
