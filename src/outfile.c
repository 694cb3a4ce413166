/* outfile — see outfile.h. */
#include "outfile.h"

#include "diag.h"
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct outfile {
    struct outfile *next; /* in the list of files with a temporary name */
    FILE *stream;
    char *path;      /* the target */
    char *temp_path; /* NULL when writing directly */
    int is_stdout;
};

/* Files being written under a temporary name, for the signal handler. The list is only
 * changed with the cleanup signals blocked. */
static outfile_t *volatile active;
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++)
        sigaddset(&set, cleanup_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void track(outfile_t *out)
{
    sigset_t old;
    block_signals(&old);
    out->next = active;
    active = out;
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static void untrack(outfile_t *out)
{
    sigset_t old;
    block_signals(&old);
    for (outfile_t *volatile *p = &active; *p; p = &(*p)->next) {
        if (*p == out) {
            *p = out->next;
            break;
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static void on_signal(int signo)
{
    for (outfile_t *out = active; out; out = out->next)
        if (out->temp_path)
            unlink(out->temp_path);
    signal(signo, SIG_DFL);
    raise(signo);
}

void outfile_handle_signals(void)
{
    for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t k = 0; k < sizeof cleanup_signals / sizeof cleanup_signals[0]; k++)
            sigaddset(&sa.sa_mask, cleanup_signals[k]);
        sigaction(cleanup_signals[i], &sa, NULL);
    }
    signal(SIGXFSZ, SIG_IGN);
}

char *outfile_sibling(const char *path, const char *ext)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    size_t stem = dot && (!slash || dot > slash) && dot != path && (!slash || dot > slash + 1)
                      ? (size_t)(dot - path)
                      : strlen(path);
    return mem_printf("%.*s%s", (int)stem, path, ext);
}

/* True when path still names the file open as fd. */
static bool outfile_same_file(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* mkstemp on templ (…XXXXXX), holding an exclusive flock on the file for as long as it
 * is open: the proof, for outfile_remove_abandoned in any other process or run, that
 * its writer is alive. A cleaner that took the file between its creation and the lock
 * has removed it: then another name is made. The fd, or -1 (errno set). */
static int outfile_make_temp(char *templ)
{
    size_t n = strlen(templ);
    for (int attempt = 0; attempt < 100; attempt++) {
        memcpy(templ + n - 6, "XXXXXX", 6);
        int fd = mkstemp(templ);
        if (fd < 0)
            return -1;
        if (flock(fd, LOCK_EX) == 0 && outfile_same_file(fd, templ))
            return fd;
        if (errno == ENOLCK || errno == EINVAL || errno == EOPNOTSUPP)
            return fd; /* a file system without locks: as before */
        close(fd);
    }
    errno = EEXIST;
    return -1;
}

int outfile_remove_abandoned(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    int removed = 0;
    /* Unlocked: no process has it open for writing any more. */
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
        outfile_same_file(fd, path))
        removed = unlink(path) == 0;
    close(fd);
    return removed;
}

outfile_t *outfile_open(diag_t *dg, const char *path)
{
    outfile_t *out = mem_zalloc(1, sizeof *out);
    out->path = mem_strdup(path);
    if (strcmp(path, "-") == 0) {
        out->stream = stdout;
        out->is_stdout = 1;
        return out;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            diag_fail(dg, NULL, "outfile-cannot-write-directory",
                      "cannot write '%s': it is a directory", path);
            outfile_abort(out);
            return NULL;
        }
        out->stream = fopen(path, "wb");
        if (!out->stream) {
            diag_fail(dg, NULL, "outfile-cannot-write", "cannot write '%s': %s", path,
                      strerror(errno));
            outfile_abort(out);
            return NULL;
        }
        return out;
    }
    /* Temporary file beside the target: same file system, so rename is atomic. */
    out->temp_path = mem_printf("%s.tmp.XXXXXX", path);
    /* The file is created and registered for cleanup with the cleanup signals blocked:
     * a signal in between would leave it behind. */
    sigset_t old;
    block_signals(&old);
    int fd = outfile_make_temp(out->temp_path);
    int saved = errno;
    if (fd >= 0)
        track(out);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        diag_fail(dg, NULL, "outfile-cannot-write", "cannot write '%s': %s", path, strerror(saved));
        free(out->temp_path);
        out->temp_path = NULL;
        outfile_abort(out);
        return NULL;
    }
    /* mkstemp creates 0600; give the file the mode a plain fopen would have. */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    out->stream = fdopen(fd, "wb");
    if (!out->stream) {
        diag_fail(dg, NULL, "outfile-cannot-write", "cannot write '%s': %s", path, strerror(errno));
        close(fd);
        outfile_abort(out);
        return NULL;
    }
    return out;
}

FILE *outfile_stream(outfile_t *out)
{
    return out->stream;
}

static void free_outfile(outfile_t *out)
{
    if (out->temp_path)
        untrack(out);
    free(out->path);
    free(out->temp_path);
    free(out);
}

int outfile_commit(diag_t *dg, outfile_t *out)
{
    int failed = 0;
    if (fflush(out->stream) != 0 || ferror(out->stream)) {
        diag_fail(dg, NULL, "outfile-cannot-write", "cannot write '%s': %s", out->path,
                  strerror(errno ? errno : EIO));
        failed = 1;
    }
    if (!out->is_stdout && fclose(out->stream) != 0 && !failed) {
        diag_fail(dg, NULL, "outfile-cannot-write", "cannot write '%s': %s", out->path,
                  strerror(errno));
        failed = 1;
    }
    out->stream = NULL;
    if (out->temp_path) {
        if (!failed && rename(out->temp_path, out->path) != 0) {
            diag_fail(dg, NULL, "outfile-cannot-write", "cannot write '%s': %s", out->path,
                      strerror(errno));
            failed = 1;
        }
        if (failed)
            unlink(out->temp_path);
    }
    free_outfile(out);
    return failed ? -1 : 0;
}

void outfile_abort(outfile_t *out)
{
    if (!out)
        return;
    if (out->stream && !out->is_stdout)
        fclose(out->stream);
    if (out->temp_path)
        unlink(out->temp_path);
    free_outfile(out);
}

int outfile_check_plain(diag_t *dg, const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0
                               : (diag_fail(dg, NULL, "outfile-cannot-write",
                                            "cannot write '%s': %s", path, strerror(errno)),
                                  -1);
    if (S_ISREG(st.st_mode))
        return 0;
    const char *what = S_ISLNK(st.st_mode)    ? _("a symbolic link")
                       : S_ISDIR(st.st_mode)  ? _("a folder")
                       : S_ISFIFO(st.st_mode) ? _("a named pipe")
                       : S_ISSOCK(st.st_mode) ? _("a socket")
                                              : _("a device");
    diag_fail(dg, NULL, "outfile-not-plain-file",
              "will not write '%s': it exists as %s, not as a plain file (remove it to "
              "make the file)",
              path, what);
    return -1;
}

int outfile_exists(const char *path)
{
    struct stat st;
    return strcmp(path, "-") != 0 && stat(path, &st) == 0;
}

int outfile_is_same(const char *output, const char *input)
{
    struct stat a, b;
    if (strcmp(output, "-") == 0 || strcmp(input, "-") == 0)
        return 0;
    return stat(output, &a) == 0 && stat(input, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}
