/* memo — see memo.h. */
#include "memo.h"

#include "mem.h"

#include <stdlib.h>

#define MEMO_FIRST_CAPACITY 64

void memo_init(memo_t *memo, size_t max, void (*free_entry)(void *entry))
{
    *memo = (memo_t){.max = max < MEMO_FIRST_CAPACITY ? MEMO_FIRST_CAPACITY : max,
                     .free_entry = free_entry};
}

static void empty(memo_t *memo)
{
    for (size_t i = 0; i < memo->capacity; i++)
        if (memo->entries[i]) {
            memo->free_entry(memo->entries[i]);
            memo->entries[i] = NULL;
        }
    memo->used = 0;
}

void memo_free(memo_t *memo)
{
    empty(memo);
    free(memo->hashes);
    free(memo->entries);
    memo->hashes = NULL;
    memo->entries = NULL;
    memo->capacity = memo->used = 0;
}

void *memo_find(const memo_t *memo, uint64_t h, bool (*same)(const void *entry, const void *key),
                const void *key)
{
    if (!memo->capacity)
        return NULL;
    size_t mask = memo->capacity - 1;
    for (size_t slot = h & mask; memo->entries[slot]; slot = (slot + 1) & mask)
        if (memo->hashes[slot] == h && same(memo->entries[slot], key))
            return memo->entries[slot];
    return NULL;
}

static void place(memo_t *memo, uint64_t h, void *entry)
{
    size_t mask = memo->capacity - 1, slot = h & mask;
    while (memo->entries[slot])
        slot = (slot + 1) & mask;
    memo->hashes[slot] = h;
    memo->entries[slot] = entry;
    memo->used++;
}

static void resize(memo_t *memo, size_t capacity)
{
    uint64_t *hashes = memo->hashes;
    void **entries = memo->entries;
    size_t old = memo->capacity;
    memo->hashes = mem_alloc(capacity * sizeof *memo->hashes);
    memo->entries = mem_zalloc(capacity, sizeof *memo->entries);
    memo->capacity = capacity;
    memo->used = 0;
    for (size_t i = 0; i < old; i++)
        if (entries[i])
            place(memo, hashes[i], entries[i]);
    free(hashes);
    free(entries);
}

void memo_add(memo_t *memo, uint64_t h, void *entry)
{
    if (!memo->capacity)
        resize(memo, MEMO_FIRST_CAPACITY);
    else if (memo->used * 2 >= memo->capacity) {
        if (memo->capacity < memo->max)
            resize(memo, memo->capacity * 2);
        else
            empty(memo);
    }
    place(memo, h, entry);
}
