/* filebuf — see filebuf.h. */
#include "filebuf.h"

#include "diag.h"
#include "mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (!from_stdin)
        fclose(f);
    if (too_large || failed) {
        if (too_large)
            diag_fail(dg, NULL, "filebuf-larger-mib", "%s'%s' is larger than %zu MiB", what, path,
                      max >> 20);
        else
            diag_fail(dg, NULL, "filebuf-cannot-read", "cannot read %s'%s': %s", what, path,
                      strerror(saved ? saved : EIO));
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *data = buf;
    *size = n;
    return 0;
}
