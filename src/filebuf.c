/* filebuf — see filebuf.h. */
#include "filebuf.h"

#include "diag.h"
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads all of f (closed here unless it is stdin). */
static int read_stream(diag_t *dg, const diag_pos_t *pos, FILE *f, const char *path,
                       const char *what, size_t max, unsigned char **data, size_t *size)
{
    size_t cap = 1 << 14, n = 0, got;
    unsigned char *buf = mem_alloc(cap + 1);
    int too_large = 0;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n > max) {
            too_large = 1;
            break;
        }
        if (n == cap)
            buf = mem_realloc(buf, (cap *= 2) + 1);
    }
    int saved = errno, failed = ferror(f);
    if (f != stdin)
        fclose(f);
    if (too_large || failed) {
        if (too_large)
            diag_fail(dg, pos, "filebuf-larger-mib", "%s'%s' is larger than %zu MiB", what, path,
                      max >> 20);
        else
            diag_fail(dg, pos, "filebuf-cannot-read", "cannot read %s'%s': %s", what, path,
                      strerror(saved ? saved : EIO));
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *data = buf;
    *size = n;
    return 0;
}

int filebuf_read(diag_t *dg, const char *path, const char *what, size_t max, unsigned char **data,
                 size_t *size)
{
    int from_stdin = strcmp(path, "-") == 0;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        diag_fail(dg, NULL, "filebuf-cannot-open", "cannot open %s'%s': %s", what, path,
                  strerror(errno));
        return -1;
    }
    return read_stream(dg, NULL, f, path, what, max, data, size);
}

static int not_regular(diag_t *dg, const diag_pos_t *pos, const char *path, const char *what)
{
    diag_fail(dg, pos, "filebuf-not-regular",
              "%s'%s' is not a regular file (a FIFO, a device or a folder cannot be read here)",
              what, path);
    return -1;
}

int filebuf_read_regular(diag_t *dg, const diag_pos_t *pos, const char *path, const char *what,
                         size_t max, unsigned char **data, size_t *size)
{
    if (strcmp(path, "-") == 0) {
        diag_fail(dg, pos, "filebuf-not-stdin",
                  "%s'-' would be standard input, which cannot be read here: name a file", what);
        return -1;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_fail(dg, pos, "filebuf-cannot-open", "cannot open %s'%s': %s", what, path,
                  strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode))
        return not_regular(dg, pos, path, what);
    /* Non-blocking: should a FIFO have replaced the file since stat, open does not wait
     * for a writer, and fstat below refuses it. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        diag_fail(dg, pos, "filebuf-cannot-open", "cannot open %s'%s': %s", what, path,
                  strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return not_regular(dg, pos, path, what);
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        int saved = errno;
        close(fd);
        diag_fail(dg, pos, "filebuf-cannot-read", "cannot read %s'%s': %s", what, path,
                  strerror(saved));
        return -1;
    }
    return read_stream(dg, pos, f, path, what, max, data, size);
}

int filebuf_stamp(const char *path, filebuf_stamp_t *out)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    *out = (filebuf_stamp_t){(unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
                             (unsigned long long)st.st_size,
                             st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
                             st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec};
    return 0;
}

bool filebuf_stamp_equal(const filebuf_stamp_t *a, const filebuf_stamp_t *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}
