/* mem — see mem.h. */
#include "mem.h"

#include "diag.h"

#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mem_tune_process(void)
{
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TOP_PAD, 4 << 20);
}

void *mem_alloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        diag_fatal_oom(size);
    return p;
}

void *mem_zalloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        diag_fatal_oom(SIZE_MAX);
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        diag_fatal_oom(count * size);
    return p;
}

void *mem_realloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        diag_fatal_oom(size);
    return p;
}

/* Grows an array so that it holds at least `needed` items, doubling. */
void *mem_array_grow(void *ptr, size_t *capacity, size_t needed, size_t item_size)
{
    if (needed <= *capacity)
        return ptr;
    size_t cap = *capacity ? *capacity : 8;
    while (cap < needed) {
        if (cap > SIZE_MAX / 2 / item_size)
            diag_fatal_oom(SIZE_MAX);
        cap *= 2;
    }
    ptr = mem_realloc(ptr, cap * item_size);
    *capacity = cap;
    return ptr;
}

char *mem_strdup(const char *s)
{
    return mem_strndup(s, strlen(s));
}

char *mem_strndup(const char *s, size_t n)
{
    char *p = mem_alloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *mem_printf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    va_list copy;
    va_copy(copy, args);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        n = 0;
    char *p = mem_alloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, args);
    va_end(args);
    return p;
}

FILE *mem_open_stream(char **text, size_t *len)
{
    FILE *out = open_memstream(text, len);
    if (!out)
        diag_fatal_oom(0);
    return out;
}
