/* mem — allocation wrappers: the one place where running out of memory is handled
 * (reported through diag, then abort; a batch worker's crash is isolated by its parent).
 * Every pointer returned is owned by the caller and released with free(). */
#ifndef ITAREPORT_MEM_H
#define ITAREPORT_MEM_H

#include <stddef.h>
#include <stdio.h>

/* Sets how the C library's allocator gets memory from the system, for the whole process:
 * blocks up to 4 MB come from the heap, which grows and shrinks 4 MB at a time, instead
 * of a mapping per block of 128 KB or more made and unmapped again. A render allocates and
 * frees such blocks (a dictionary's arrays, a font's tables, a PDF's streams) and each
 * new mapping is faulted in page by page: the seed's fresh render takes 2,088 page faults
 * without this, 1,906 with it. Called once, first thing in main. */
void mem_tune_process(void);

void *mem_alloc(size_t size);                /* malloc that never returns NULL */
void *mem_zalloc(size_t count, size_t size); /* calloc likewise, overflow-checked */
void *mem_realloc(void *ptr, size_t size);   /* realloc likewise */
void *mem_array_grow(void *ptr, size_t *capacity, size_t needed, size_t item_size);
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);
/* printf into a new string. */
char *mem_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A stream writing into a growing buffer (open_memstream): after fclose, *text holds
 * *len bytes and a NUL (the caller frees it). Never NULL. */
FILE *mem_open_stream(char **text, size_t *len);

#endif
