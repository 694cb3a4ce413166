/* value — see value.h. */
#include "value.h"

#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A value with `extra` bytes after it in the same block (a text's characters: a report's
 * data tree holds thousands of them, and one allocation each instead of two is a tenth of
 * building and freeing it). */
static value_t *make_with(value_kind_t kind, size_t extra)
{
    value_t *v = mem_alloc(sizeof *v + extra);
    memset(v, 0, sizeof *v);
    v->kind = kind;
    return v;
}

static value_t *make(value_kind_t kind)
{
    return make_with(kind, 0);
}

value_t *value_null(void)
{
    return make(VALUE_NULL);
}

value_t *value_text(const char *text)
{
    if (!text)
        return value_null();
    size_t len = strlen(text);
    value_t *v = make_with(VALUE_TEXT, len + 1);
    v->text = (char *)(v + 1);
    memcpy(v->text, text, len + 1);
    return v;
}

value_t *value_number(int64_t scaled, int places)
{
    value_t *v = make(VALUE_NUMBER);
    v->scaled = scaled;
    v->places = places;
    return v;
}

value_t *value_int(int64_t n)
{
    return value_number(n, 0);
}

value_t *value_bool(bool b)
{
    value_t *v = make(VALUE_BOOL);
    v->boolean = b;
    return v;
}

value_t *value_list(void)
{
    return make(VALUE_LIST);
}

value_t *value_map(void)
{
    return make(VALUE_MAP);
}

void value_free(value_t *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->count; i++) {
        if (v->kind == VALUE_LIST) {
            value_free(v->items[i]);
        } else {
            free(v->entries[i].key);
            value_free(v->entries[i].value);
        }
    }
    free(v->items);
    free(v->entries);
    free(v); /* and the text, in the same block */
}

value_t *value_push(value_t *list, value_t *item)
{
    list->items =
        mem_array_grow(list->items, &list->capacity, list->count + 1, sizeof *list->items);
    list->items[list->count++] = item;
    return item;
}

value_t *value_set(value_t *map, const char *key, value_t *item)
{
    for (size_t i = 0; i < map->count; i++) {
        if (strcmp(map->entries[i].key, key) == 0) {
            value_free(map->entries[i].value);
            map->entries[i].value = item;
            return item;
        }
    }
    map->entries =
        mem_array_grow(map->entries, &map->capacity, map->count + 1, sizeof *map->entries);
    map->entries[map->count++] = (value_entry_t){mem_strdup(key), item};
    return item;
}

const value_t *value_child(const value_t *v, const char *key, size_t key_len)
{
    if (!v)
        return NULL;
    if (v->kind == VALUE_MAP) {
        for (size_t i = 0; i < v->count; i++)
            if (strlen(v->entries[i].key) == key_len &&
                memcmp(v->entries[i].key, key, key_len) == 0)
                return v->entries[i].value;
        return NULL;
    }
    if (v->kind == VALUE_LIST && key_len > 0 && key_len < 10) {
        size_t index = 0;
        for (size_t i = 0; i < key_len; i++) {
            if (key[i] < '0' || key[i] > '9')
                return NULL;
            index = index * 10 + (size_t)(key[i] - '0');
        }
        return index < v->count ? v->items[index] : NULL;
    }
    return NULL;
}

const value_t *value_lookup(const value_t *root, const char *path, size_t len)
{
    const value_t *v = root;
    size_t start = 0;
    while (v && start <= len) {
        size_t end = start;
        while (end < len && path[end] != '.')
            end++;
        v = value_child(v, path + start, end - start);
        if (end >= len)
            return v;
        start = end + 1;
    }
    return v;
}

bool value_truthy(const value_t *v)
{
    if (!v)
        return false;
    switch (v->kind) {
    case VALUE_NULL:
        return false;
    case VALUE_TEXT:
        return v->text[0] != '\0';
    case VALUE_NUMBER:
        return v->scaled != 0;
    case VALUE_BOOL:
        return v->boolean;
    case VALUE_LIST:
    case VALUE_MAP:
        return v->count > 0;
    }
    return false;
}

static void format_number(const value_t *v, char *buf, size_t size)
{
    int64_t s = v->scaled;
    int64_t unit = 1;
    for (int i = 0; i < v->places; i++)
        unit *= 10;
    const char *sign = s < 0 ? "-" : "";
    uint64_t a = s < 0 ? (uint64_t)0 - (uint64_t)s : (uint64_t)s;
    if (v->places == 0)
        snprintf(buf, size, "%s%llu", sign, (unsigned long long)a);
    else
        snprintf(buf, size, "%s%llu.%0*llu", sign, (unsigned long long)(a / (uint64_t)unit),
                 v->places, (unsigned long long)(a % (uint64_t)unit));
}

char *value_to_text(const value_t *v, const char *sep)
{
    char buf[64];
    if (!v)
        return mem_strdup("");
    switch (v->kind) {
    case VALUE_NULL:
    case VALUE_MAP:
        return mem_strdup("");
    case VALUE_TEXT:
        return mem_strdup(v->text);
    case VALUE_NUMBER:
        format_number(v, buf, sizeof buf);
        return mem_strdup(buf);
    case VALUE_BOOL:
        return mem_strdup(v->boolean ? "true" : "false");
    case VALUE_LIST: {
        size_t sep_len = sep ? strlen(sep) : 0, len = 0;
        char *out = mem_strdup("");
        for (size_t i = 0; i < v->count; i++) {
            char *item = value_to_text(v->items[i], sep);
            size_t n = strlen(item);
            out = mem_realloc(out, len + sep_len + n + 1);
            if (i > 0 && sep_len) {
                memcpy(out + len, sep, sep_len);
                len += sep_len;
            }
            memcpy(out + len, item, n + 1);
            len += n;
            free(item);
        }
        return out;
    }
    }
    return mem_strdup("");
}

value_t *value_wording(const char *text)
{
    value_t *v = value_text(text);
    v->wording = v->kind == VALUE_TEXT;
    return v;
}

value_t *value_copy(const value_t *v)
{
    value_t *c = v->kind == VALUE_TEXT ? value_text(v->text) : make(v->kind);
    c->wording = v->wording;
    c->scaled = v->scaled;
    c->places = v->places;
    c->boolean = v->boolean;
    for (size_t i = 0; i < v->count; i++) {
        if (v->kind == VALUE_LIST)
            value_push(c, value_copy(v->items[i]));
        else
            value_set(c, v->entries[i].key, value_copy(v->entries[i].value));
    }
    return c;
}
