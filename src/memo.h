/* memo — a table of things worked out before, found by a 64-bit hash: the per-process
 * caches of shaped words (shape) and of libthai's breaks (brk). Open addressing over a
 * capacity that starts small and doubles as it fills, up to a maximum; a table at its
 * maximum and half full is emptied (every entry freed) before the next is added. A fresh
 * process therefore touches memory in proportion to what it keeps, and a long batch keeps
 * at most the maximum.
 *
 * The memo owns its entries once they are added (it frees them with the function it was
 * made with, when it is emptied or freed); the caller owns the memo_t (memo_free). */
#ifndef ITAREPORT_MEMO_H
#define ITAREPORT_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct memo {
    uint64_t *hashes;
    void **entries; /* NULL: an empty slot */
    size_t capacity, used, max;
    void (*free_entry)(void *entry);
} memo_t;

/* An empty memo of at most max slots (a power of two); nothing is allocated yet. */
void memo_init(memo_t *memo, size_t max, void (*free_entry)(void *entry));

/* Frees every entry and the table. */
void memo_free(memo_t *memo);

/* The entry added with hash h for which same(entry, key) holds, or NULL. */
void *memo_find(const memo_t *memo, uint64_t h, bool (*same)(const void *entry, const void *key),
                const void *key);

/* Adds an entry (not already there) under hash h; the memo owns it from now on, and it
 * stays valid until the memo is emptied: by a later memo_add or by memo_free. */
void memo_add(memo_t *memo, uint64_t h, void *entry);

#endif
