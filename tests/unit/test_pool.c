/* Unit tests for pool: jobs through forked workers and through exec'd ones (this program
 * run again as a worker), a job that crashes its worker, a job over its time limit killed
 * and reported while the others finish, respawning, an unreadable answer, a worker that ends
 * badly between jobs, and SIGTERM stopping the pool with the caller's handler restored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pool.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *self_path; /* this program, for the exec'd workers */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The job's "action" value says what the worker does: "echo" (default) answers the id
 * doubled and its pid, "crash" kills the worker, "hang" sleeps a minute. */
static void serve(void *user, const wire_frame_t *job, wire_frame_t *result)
{
    (void)user;
    const wire_value_t *action = wire_frame_get(job, "action");
    if (action && strcmp(action->value, "crash") == 0)
        raise(SIGKILL);
    if (action && strcmp(action->value, "hang") == 0)
        sleep(60);
    char buf[64];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)job->id * 2);
    wire_frame_add_text(result, "double", buf);
    snprintf(buf, sizeof buf, "%ld", (long)getpid());
    wire_frame_add_text(result, "pid", buf);
    const wire_value_t *text = wire_frame_get(job, "text");
    if (text)
        wire_frame_add_bytes(result, "text", text->value, text->len);
    result->status = 1;
}

static void submit(pool_t *p, uint64_t id, const char *action)
{
    wire_frame_t f;
    wire_frame_init(&f, WIRE_JOB, id);
    if (action)
        wire_frame_add_text(&f, "action", action);
    assert_int_equal(pool_submit(p, &f), 0);
    wire_frame_free(&f);
}

typedef struct outcome {
    pool_outcome_t outcome[64];
    bool seen[64];
    long pids[64];
    size_t pid_count;
    size_t results;
    double seconds[64];
    int term_signal[64];
    int exit_status[64];
} outcome_t;

/* Runs the pool to the end, recording every result (ids below 64). */
static void drain(pool_t *p, outcome_t *o)
{
    memset(o, 0, sizeof *o);
    pool_result_t r;
    pool_wait_status_t st;
    while ((st = pool_wait(p, 30, &r)) == POOL_WAIT_RESULT) {
        assert_true(r.id < 64);
        assert_false(o->seen[r.id] && r.outcome != POOL_WORKER_LOST);
        o->seen[r.id] = true;
        o->outcome[r.id] = r.outcome;
        o->seconds[r.id] = r.seconds;
        o->term_signal[r.id] = r.term_signal;
        o->exit_status[r.id] = r.exit_status;
        o->results++;
        if (r.outcome == POOL_DONE) {
            char want[32];
            snprintf(want, sizeof want, "%llu", (unsigned long long)r.id * 2);
            assert_string_equal(wire_frame_get(&r.frame, "double")->value, want);
            long pid = atol(wire_frame_get(&r.frame, "pid")->value);
            bool known = false;
            for (size_t i = 0; i < o->pid_count; i++)
                known = known || o->pids[i] == pid;
            if (!known && o->pid_count < 64)
                o->pids[o->pid_count++] = pid;
        }
        pool_result_free(&r);
    }
    assert_int_equal(st, POOL_WAIT_IDLE);
}

static void test_jobs_done(void **state)
{
    (void)state;
    pool_options_t po = {.workers = 3, .timeout = 30, .serve = serve};
    pool_t *p = pool_new(&po);
    for (uint64_t i = 0; i < 40; i++)
        submit(p, i, NULL);
    assert_int_equal(pool_pending(p), 40);
    pool_close(p);
    outcome_t o;
    drain(p, &o);
    assert_int_equal(o.results, 40);
    for (int i = 0; i < 40; i++)
        assert_int_equal(o.outcome[i], POOL_DONE);
    assert_true(o.pid_count >= 1 && o.pid_count <= 3); /* workers are kept between jobs */
    assert_int_equal(pool_pending(p), 0);
    pool_free(p);
}

/* A crash fails only its job; a new worker takes the crashed one's place. */
static void test_crash_and_respawn(void **state)
{
    (void)state;
    pool_options_t po = {.workers = 2, .timeout = 30, .serve = serve};
    pool_t *p = pool_new(&po);
    for (uint64_t i = 0; i < 20; i++)
        submit(p, i, i == 3 || i == 11 ? "crash" : NULL);
    pool_close(p);
    outcome_t o;
    drain(p, &o);
    assert_int_equal(o.results, 20);
    for (int i = 0; i < 20; i++)
        assert_int_equal(o.outcome[i], i == 3 || i == 11 ? POOL_CRASHED : POOL_DONE);
    assert_int_equal(o.term_signal[3], SIGKILL);
    assert_int_equal(o.exit_status[3], -1);
    /* Two workers, two of them killed: at least three processes answered. */
    assert_true(o.pid_count >= 3);
    pool_free(p);
}

/* A job over the time limit is killed and reported; the others finish meanwhile. */
static void test_timeout(void **state)
{
    (void)state;
    pool_options_t po = {.workers = 2, .timeout = 2, .serve = serve};
    pool_t *p = pool_new(&po);
    double start = now();
    for (uint64_t i = 0; i < 12; i++)
        submit(p, i, i == 1 ? "hang" : NULL);
    pool_close(p);
    outcome_t o;
    drain(p, &o);
    double took = now() - start;
    assert_int_equal(o.results, 12);
    assert_int_equal(o.outcome[1], POOL_TIMED_OUT);
    assert_int_equal(o.term_signal[1], SIGKILL);
    assert_true(o.seconds[1] >= 2.0 && o.seconds[1] < 10.0);
    for (int i = 0; i < 12; i++)
        if (i != 1)
            assert_int_equal(o.outcome[i], POOL_DONE);
    assert_true(took < 20.0); /* not the hanging job's minute */
    pool_free(p);
}

/* A watched fd that becomes readable ends pool_wait (POOL_WAIT_WOKEN, the fd left
 * unread) while a job is still running; the job's result comes after. */
static void test_watched_fd_wakes(void **state)
{
    (void)state;
    pool_options_t po = {.workers = 1, .timeout = 3, .serve = serve};
    pool_t *p = pool_new(&po);
    int wake[2];
    assert_int_equal(pipe(wake), 0);
    pool_watch(p, wake[0]);
    submit(p, 1, "hang"); /* ended by the time limit, 3 s */
    pool_result_t r;
    assert_int_equal(pool_wait(p, 0.3, &r), POOL_WAIT_TIMEOUT); /* nothing written yet */
    assert_int_equal(write(wake[1], "j", 1), 1);
    double start = now();
    assert_int_equal(pool_wait(p, 10, &r), POOL_WAIT_WOKEN);
    assert_true(now() - start < 1.0);
    assert_int_equal(pool_wait(p, 0.5, &r), POOL_WAIT_WOKEN); /* still readable */
    char byte;
    assert_int_equal(read(wake[0], &byte, 1), 1);
    assert_int_equal(pool_wait(p, 10, &r), POOL_WAIT_RESULT);
    assert_int_equal(r.outcome, POOL_TIMED_OUT);
    pool_result_free(&r);
    pool_free(p);
    close(wake[0]);
    close(wake[1]);
}

static void bad_exit(void *user)
{
    (void)user;
    _exit(3);
}

/* A worker that ends badly after its jobs (a sanitizer's report at exit) is reported. */
static void test_worker_lost(void **state)
{
    (void)state;
    pool_options_t po = {.workers = 1, .timeout = 30, .serve = serve, .worker_exit = bad_exit};
    pool_t *p = pool_new(&po);
    submit(p, 5, NULL);
    pool_close(p);
    pool_result_t r;
    assert_int_equal(pool_wait(p, 30, &r), POOL_WAIT_RESULT);
    assert_int_equal(r.outcome, POOL_DONE);
    pool_result_free(&r);
    assert_int_equal(pool_wait(p, 30, &r), POOL_WAIT_RESULT);
    assert_int_equal(r.outcome, POOL_WORKER_LOST);
    assert_int_equal(r.exit_status, 3);
    pool_result_free(&r);
    assert_int_equal(pool_wait(p, 30, &r), POOL_WAIT_IDLE);
    pool_free(p);
}

/* Exec mode: this program run as a worker, hostile bytes through both ways. */
static void test_exec_workers(void **state)
{
    (void)state;
    char *argv[] = {(char *)self_path, "--serve", NULL};
    pool_options_t po = {.workers = 2, .timeout = 30, .argv = argv};
    pool_t *p = pool_new(&po);
    static const char bytes[] = "a\n\nb\x01\x1B\xFF\0tail";
    for (uint64_t i = 0; i < 10; i++) {
        wire_frame_t f;
        wire_frame_init(&f, WIRE_JOB, i);
        wire_frame_add_bytes(&f, "text", bytes, sizeof bytes);
        if (i == 4)
            wire_frame_add_text(&f, "action", "crash");
        assert_int_equal(pool_submit(p, &f), 0);
        wire_frame_free(&f);
    }
    pool_close(p);
    pool_result_t r;
    size_t done = 0, crashed = 0;
    while (pool_wait(p, 30, &r) == POOL_WAIT_RESULT) {
        if (r.outcome == POOL_DONE) {
            const wire_value_t *v = wire_frame_get(&r.frame, "text");
            assert_non_null(v);
            assert_int_equal(v->len, sizeof bytes);
            assert_memory_equal(v->value, bytes, sizeof bytes);
            done++;
        } else {
            assert_int_equal(r.outcome, POOL_CRASHED);
            assert_true(r.id == 4);
            crashed++;
        }
        pool_result_free(&r);
    }
    assert_int_equal(done, 9);
    assert_int_equal(crashed, 1);
    pool_free(p);
}

/* An answer that is not a frame kills its worker and is reported as garbled. */
static void test_garbled(void **state)
{
    (void)state;
    char *argv[] = {(char *)self_path, "--garble", NULL};
    pool_options_t po = {.workers = 1, .timeout = 30, .argv = argv};
    pool_t *p = pool_new(&po);
    submit(p, 7, NULL);
    pool_close(p);
    pool_result_t r;
    assert_int_equal(pool_wait(p, 30, &r), POOL_WAIT_RESULT);
    assert_int_equal(r.outcome, POOL_GARBLED);
    assert_true(r.id == 7);
    assert_non_null(r.reason);
    pool_result_free(&r);
    assert_int_equal(pool_wait(p, 30, &r), POOL_WAIT_IDLE);
    pool_free(p);
}

/* A worker that does not read a large job: the write to it is bounded by the time limit. */
static void test_deaf_worker(void **state)
{
    (void)state;
    char *argv[] = {(char *)self_path, "--deaf", NULL};
    pool_options_t po = {.workers = 1, .timeout = 2, .argv = argv};
    pool_t *p = pool_new(&po);
    wire_frame_t f;
    wire_frame_init(&f, WIRE_JOB, 9);
    size_t big = (size_t)4 << 20;
    char *bytes = calloc(big, 1);
    wire_frame_add_bytes(&f, "input", bytes, big);
    free(bytes);
    assert_int_equal(pool_submit(p, &f), 0);
    wire_frame_free(&f);
    pool_close(p);
    double start = now();
    pool_result_t r;
    assert_int_equal(pool_wait(p, 30, &r), POOL_WAIT_RESULT);
    assert_int_equal(r.outcome, POOL_TIMED_OUT);
    assert_true(r.id == 9);
    pool_result_free(&r);
    assert_true(now() - start < 15.0);
    assert_int_equal(pool_wait(p, 30, &r), POOL_WAIT_IDLE);
    pool_free(p);
}

static volatile sig_atomic_t caller_saw;
static void caller_handler(int signo)
{
    caller_saw = signo;
}

/* SIGTERM while a job runs: the pool stops, its workers end, the caller's handling of the
 * signal is back afterwards. */
static void test_interrupted(void **state)
{
    (void)state;
    struct sigaction sa, before;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = caller_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, &before);
    pool_options_t po = {.workers = 2, .timeout = 30, .serve = serve};
    pool_t *p = pool_new(&po);
    submit(p, 0, "hang");
    submit(p, 1, "hang");
    pool_result_t r;
    assert_int_equal(pool_wait(p, 0.3, &r), POOL_WAIT_TIMEOUT); /* both running now */
    double start = now();
    raise(SIGTERM); /* blocked outside pool_wait: taken inside it */
    assert_int_equal(caller_saw, 0);
    assert_int_equal(pool_wait(p, 30, &r), POOL_WAIT_INTERRUPTED);
    assert_true(now() - start < 10.0);
    assert_int_equal(pool_interrupted(p), SIGTERM);
    pool_free(p);
    struct sigaction after;
    sigaction(SIGTERM, NULL, &after);
    assert_ptr_equal(after.sa_handler, caller_handler);
    raise(SIGTERM);
    assert_int_equal(caller_saw, SIGTERM);
    sigaction(SIGTERM, &before, NULL);
}

/* A program that cannot be started: every job fails as crashed (exit 127). */
static void test_exec_missing(void **state)
{
    (void)state;
    char *argv[] = {"/nonexistent/itareport-worker", NULL};
    pool_options_t po = {.workers = 2, .timeout = 30, .argv = argv};
    pool_t *p = pool_new(&po);
    for (uint64_t i = 0; i < 3; i++)
        submit(p, i, NULL);
    pool_close(p);
    outcome_t o;
    drain(p, &o);
    assert_int_equal(o.results, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(o.outcome[i], POOL_CRASHED);
        assert_int_equal(o.exit_status[i], 127);
    }
    pool_free(p);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--serve") == 0)
        return pool_serve(0, 1, serve, NULL) == 0 ? 0 : 1;
    if (argc == 2 && strcmp(argv[1], "--garble") == 0) {
        wire_frame_t job;
        const char *why = NULL;
        if (wire_read(0, &job, &why) == 1) {
            (void)!write(1, "\x08\0\0\0garbage!", 12);
            wire_frame_free(&job);
        }
        sleep(30);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--deaf") == 0) {
        sleep(30);
        return 0;
    }
    self_path = argv[0];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs_done),    cmocka_unit_test(test_crash_and_respawn),
        cmocka_unit_test(test_timeout),      cmocka_unit_test(test_worker_lost),
        cmocka_unit_test(test_exec_workers), cmocka_unit_test(test_garbled),
        cmocka_unit_test(test_interrupted),  cmocka_unit_test(test_exec_missing),
        cmocka_unit_test(test_deaf_worker),  cmocka_unit_test(test_watched_fd_wakes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
