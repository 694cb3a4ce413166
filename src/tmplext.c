/* tmplext — see tmplext.h. */
#include "tmplext.h"

#include "diag.h"
#include "mem.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define TMPLEXT_MAX_DEPTH 8

struct tmplext {
    diag_t *dg;
    yamldoc_t **docs; /* every document whose nodes the merged tree may hold */
    size_t count, capacity;
    yamldoc_t *trash; /* nodes taken out of the merged tree, freed with it */
};

static void keep(tmplext_t *x, yamldoc_t *doc)
{
    x->docs = mem_array_grow(x->docs, &x->capacity, x->count + 1, sizeof *x->docs);
    x->docs[x->count++] = doc;
}

/* Hands a node no tree holds any more to the trash (freed by tmplext_free). */
static void discard(tmplext_t *x, yamldoc_node_t *node)
{
    if (!node)
        return;
    yamldoc_node_t *root = x->trash->root;
    root->items = mem_realloc(root->items, (root->count + 1) * sizeof *root->items);
    root->items[root->count++] = node;
}

static bool is_map(const yamldoc_node_t *n)
{
    return n && n->kind == YAMLDOC_KIND_MAPPING;
}

static bool is_seq(const yamldoc_node_t *n)
{
    return n && n->kind == YAMLDOC_KIND_SEQUENCE;
}

static size_t find_key(const yamldoc_node_t *map, const char *key)
{
    for (size_t i = 0; i < map->count; i++)
        if (map->pairs[i].key && yamldoc_is(map->pairs[i].key, key))
            return i;
    return SIZE_MAX;
}

/* Removes a key (and its value) from a mapping. */
static void drop_key(tmplext_t *x, yamldoc_node_t *map, const char *key)
{
    size_t i = find_key(map, key);
    if (i == SIZE_MAX)
        return;
    discard(x, map->pairs[i].key);
    discard(x, map->pairs[i].value);
    memmove(&map->pairs[i], &map->pairs[i + 1], (map->count - i - 1) * sizeof *map->pairs);
    map->count--;
}

/* Moves pair i of from (key and value) to the end of map; from's slot is left empty. */
static void move_pair(yamldoc_node_t *map, yamldoc_node_t *from, size_t i)
{
    map->pairs = mem_realloc(map->pairs, (map->count + 1) * sizeof *map->pairs);
    map->pairs[map->count++] = from->pairs[i];
    from->pairs[i].key = NULL;
    from->pairs[i].value = NULL;
}

/* Merges the mapping over into base, key by key: mappings in both are merged, any other
 * value of over replaces base's. over's nodes move into base. Keys listed in skip stay. */
static void merge_map(tmplext_t *x, yamldoc_node_t *base, yamldoc_node_t *over,
                      const char *const *skip)
{
    for (size_t i = 0; i < over->count; i++) {
        const yamldoc_node_t *key = over->pairs[i].key;
        if (!key)
            continue;
        bool skipped = false;
        for (const char *const *s = skip; s && *s; s++)
            skipped |= yamldoc_is(key, *s);
        if (skipped)
            continue;
        size_t j = find_key(base, key->text);
        if (j == SIZE_MAX) {
            move_pair(base, over, i);
        } else if (is_map(base->pairs[j].value) && is_map(over->pairs[i].value)) {
            merge_map(x, base->pairs[j].value, over->pairs[i].value, NULL);
        } else {
            discard(x, base->pairs[j].value);
            base->pairs[j].value = over->pairs[i].value;
            over->pairs[i].value = NULL;
        }
    }
}

static const yamldoc_node_t *section_name(const yamldoc_node_t *section)
{
    const yamldoc_node_t *n = is_map(section) ? yamldoc_get(section, "name") : NULL;
    return n && n->kind == YAMLDOC_KIND_SCALAR && !n->null ? n : NULL;
}

static size_t find_section(const yamldoc_node_t *sections, const char *name)
{
    for (size_t i = 0; i < sections->count; i++) {
        const yamldoc_node_t *n = section_name(sections->items[i]);
        if (n && strcmp(n->text, name) == 0)
            return i;
    }
    return SIZE_MAX;
}

static void insert_item(yamldoc_node_t *seq, size_t at, yamldoc_node_t *node)
{
    seq->items = mem_realloc(seq->items, (seq->count + 1) * sizeof *seq->items);
    memmove(&seq->items[at + 1], &seq->items[at], (seq->count - at) * sizeof *seq->items);
    seq->items[at] = node;
    seq->count++;
}

/* The extending file's sections over the base's (see tmplext.h). */
static bool merge_sections(tmplext_t *x, yamldoc_node_t *base, yamldoc_node_t *over)
{
    bool ok = true;
    for (size_t i = 0; i < over->count; i++) {
        yamldoc_node_t *s = over->items[i];
        const yamldoc_node_t *name = section_name(s);
        if (!name) {
            diag_fail(x->dg, &s->pos, "tmplext-section-name",
                      "a section of a template that extends another needs a name");
            ok = false;
            continue;
        }
        size_t k = find_section(base, name->text);
        const yamldoc_node_t *remove = yamldoc_get(s, "remove");
        if (remove && yamldoc_is(remove, "true")) {
            if (k == SIZE_MAX) {
                diag_fail(x->dg, &name->pos, "tmplext-unknown-section",
                          "the base template has no section '%s'", name->text);
                ok = false;
                continue;
            }
            discard(x, base->items[k]);
            memmove(&base->items[k], &base->items[k + 1],
                    (base->count - k - 1) * sizeof *base->items);
            base->count--;
            continue;
        }
        if (k != SIZE_MAX && !yamldoc_get(s, "blocks")) {
            static const char *const skip[] = {"name", "after", "before", NULL};
            merge_map(x, base->items[k], s, skip);
            continue;
        }
        over->items[i] = NULL;
        if (k != SIZE_MAX) {
            discard(x, base->items[k]);
            base->items[k] = s;
            continue;
        }
        const yamldoc_node_t *after = yamldoc_get(s, "after");
        const yamldoc_node_t *before = yamldoc_get(s, "before");
        const yamldoc_node_t *anchor = after ? after : before;
        size_t at = base->count;
        if (anchor) {
            size_t a = anchor->kind == YAMLDOC_KIND_SCALAR && !anchor->null
                           ? find_section(base, anchor->text)
                           : SIZE_MAX;
            if (a == SIZE_MAX) {
                diag_fail(x->dg, &anchor->pos, "tmplext-unknown-section",
                          "the base template has no section '%s'",
                          anchor->kind == YAMLDOC_KIND_SCALAR ? anchor->text : "");
                ok = false;
            } else {
                at = after ? a + 1 : a;
            }
        }
        insert_item(base, at, s);
    }
    for (size_t i = 0; i < base->count; i++)
        if (is_map(base->items[i])) {
            drop_key(x, base->items[i], "after");
            drop_key(x, base->items[i], "before");
            drop_key(x, base->items[i], "remove");
        }
    return ok;
}

/* The block with `id: name` in a list of blocks (nested groups included), or NULL. */
static yamldoc_node_t *find_block(yamldoc_node_t *blocks, const char *name)
{
    for (size_t i = 0; is_seq(blocks) && i < blocks->count; i++) {
        yamldoc_node_t *b = blocks->items[i];
        if (!is_map(b))
            continue;
        const yamldoc_node_t *id = yamldoc_get(b, "id");
        if (id && yamldoc_is(id, name))
            return b;
        size_t k = find_key(b, "blocks");
        yamldoc_node_t *inner = k == SIZE_MAX ? NULL : find_block(b->pairs[k].value, name);
        if (inner)
            return inner;
    }
    return NULL;
}

static yamldoc_node_t *find_block_in_sections(yamldoc_node_t *sections, const char *name)
{
    for (size_t i = 0; is_seq(sections) && i < sections->count; i++) {
        yamldoc_node_t *s = sections->items[i];
        size_t k = is_map(s) ? find_key(s, "blocks") : SIZE_MAX;
        yamldoc_node_t *b = k == SIZE_MAX ? NULL : find_block(s->pairs[k].value, name);
        if (b)
            return b;
    }
    return NULL;
}

/* Removes the `id` of every block (the loader does not know the key). */
static void strip_ids(tmplext_t *x, yamldoc_node_t *blocks)
{
    for (size_t i = 0; is_seq(blocks) && i < blocks->count; i++) {
        yamldoc_node_t *b = blocks->items[i];
        if (!is_map(b))
            continue;
        drop_key(x, b, "id");
        size_t k = find_key(b, "blocks");
        if (k != SIZE_MAX)
            strip_ids(x, b->pairs[k].value);
    }
}

/* The folder of path ("." when it has none), as a new string. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? mem_strndup(path, (size_t)(slash - path)) : mem_strdup(".");
}

/* A wording file named by the template is read and its tree put in place of the name. */
static bool inline_wording(tmplext_t *x, yamldoc_t *doc, const char *path)
{
    size_t k = find_key(doc->root, "wording");
    if (k == SIZE_MAX)
        return true;
    yamldoc_node_t *w = doc->root->pairs[k].value;
    if (w->kind != YAMLDOC_KIND_SCALAR || w->null)
        return true;
    char *folder = folder_of(path);
    char *file = mem_printf("%s/%s", folder, w->text);
    free(folder);
    yamldoc_t *words = yamldoc_parse_file(x->dg, file, NULL);
    free(file);
    if (!words)
        return false;
    keep(x, words);
    if (!words->root)
        return true; /* an empty wording file: the name stays, read as no wording */
    discard(x, w);
    doc->root->pairs[k].value = words->root;
    words->root = NULL;
    return true;
}

static bool name_is_folder(const char *name)
{
    if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return false;
    return true;
}

/* The path of the report.yaml that `extends: name` in the template at path names. */
static char *base_path(const char *path, const char *name)
{
    char *folder = folder_of(path);
    char *base = mem_printf("%s/../%s/report.yaml", folder, name);
    free(folder);
    return base;
}

static yamldoc_t *resolve(tmplext_t *x, yamldoc_t *doc, const char *path, int depth)
{
    if (!is_map(doc->root))
        return doc; /* the loader says what is wrong */
    size_t k = find_key(doc->root, "extends");
    /* A template on its own keeps its wording file's name for the loader to read; in a
     * chain each file's wording is read beside it and merged. */
    if ((k != SIZE_MAX || depth > 0) && !inline_wording(x, doc, path)) {
        yamldoc_free(doc);
        return NULL;
    }
    if (k == SIZE_MAX)
        return doc;
    const yamldoc_node_t *ext = doc->root->pairs[k].value;
    if (ext->kind != YAMLDOC_KIND_SCALAR || ext->null || !name_is_folder(ext->text)) {
        diag_fail(x->dg, &ext->pos, "tmplext-bad-extends",
                  "extends must name a folder of templates/, like ita-2566");
        yamldoc_free(doc);
        return NULL;
    }
    if (depth >= TMPLEXT_MAX_DEPTH) {
        diag_fail(x->dg, &ext->pos, "tmplext-too-deep",
                  "templates extend each other more than %d deep (a loop?)", TMPLEXT_MAX_DEPTH);
        yamldoc_free(doc);
        return NULL;
    }
    char *bpath = base_path(path, ext->text);
    yamldoc_t *base = yamldoc_parse_file(x->dg, bpath, NULL);
    if (base)
        base = resolve(x, base, bpath, depth + 1);
    free(bpath);
    if (!base || !is_map(base->root)) {
        diag_fail(x->dg, &ext->pos, "tmplext-base-unreadable",
                  "cannot use the template '%s' that this one extends", ext->text);
        yamldoc_free(base);
        yamldoc_free(doc);
        return NULL;
    }
    keep(x, doc); /* its nodes move into base's tree */
    yamldoc_node_t *root = base->root, *over = doc->root;
    bool ok = true;
    for (size_t i = 0; i < over->count; i++) {
        const yamldoc_node_t *key = over->pairs[i].key;
        yamldoc_node_t *value = over->pairs[i].value;
        if (yamldoc_is(key, "extends"))
            continue;
        size_t j = find_key(root, key->text);
        yamldoc_node_t *mine = j == SIZE_MAX ? NULL : root->pairs[j].value;
        if (yamldoc_is(key, "blocks") && is_map(value)) {
            size_t sj = find_key(root, "sections");
            for (size_t b = 0; b < value->count; b++) {
                const yamldoc_node_t *id = value->pairs[b].key;
                yamldoc_node_t *target =
                    sj == SIZE_MAX ? NULL : find_block_in_sections(root->pairs[sj].value, id->text);
                if (!target || !is_map(value->pairs[b].value)) {
                    diag_fail(x->dg, &id->pos, "tmplext-unknown-block",
                              "the base template has no block with id '%s'", id->text);
                    ok = false;
                    continue;
                }
                merge_map(x, target, value->pairs[b].value, NULL);
            }
        } else if (yamldoc_is(key, "sections") && is_seq(mine) && is_seq(value)) {
            ok &= merge_sections(x, mine, value);
        } else if (yamldoc_is(key, "keep_together") && is_seq(mine) && is_seq(value)) {
            for (size_t w = 0; w < value->count; w++) {
                insert_item(mine, mine->count, value->items[w]);
                value->items[w] = NULL;
            }
        } else if ((yamldoc_is(key, "styles") || yamldoc_is(key, "wording")) && is_map(mine) &&
                   is_map(value)) {
            merge_map(x, mine, value, NULL);
        } else if (mine) {
            discard(x, mine);
            root->pairs[j].value = value;
            over->pairs[i].value = NULL;
        } else {
            move_pair(root, over, i);
        }
    }
    if (!ok) {
        yamldoc_free(base);
        return NULL;
    }
    return base;
}

yamldoc_t *tmplext_resolve(diag_t *dg, yamldoc_t *doc, const char *path, tmplext_t **ext)
{
    tmplext_t *x = mem_zalloc(1, sizeof *x);
    x->dg = dg;
    x->trash = mem_zalloc(1, sizeof *x->trash);
    x->trash->file = mem_strdup("");
    x->trash->root = mem_zalloc(1, sizeof *x->trash->root);
    x->trash->root->kind = YAMLDOC_KIND_SEQUENCE;
    *ext = x;
    doc = resolve(x, doc, path, 0);
    /* Block ids served the chain's patches; the loader does not know them. */
    size_t s = doc && is_map(doc->root) ? find_key(doc->root, "sections") : SIZE_MAX;
    yamldoc_node_t *sections = s == SIZE_MAX ? NULL : doc->root->pairs[s].value;
    for (size_t i = 0; is_seq(sections) && i < sections->count; i++) {
        yamldoc_node_t *sec = sections->items[i];
        size_t b = is_map(sec) ? find_key(sec, "blocks") : SIZE_MAX;
        if (b != SIZE_MAX)
            strip_ids(x, sec->pairs[b].value);
    }
    return doc;
}

void tmplext_free(tmplext_t *ext)
{
    if (!ext)
        return;
    for (size_t i = 0; i < ext->count; i++)
        yamldoc_free(ext->docs[i]);
    free(ext->docs);
    yamldoc_free(ext->trash);
    free(ext);
}

char *tmplext_base_folder(diag_t *dg, const char *template_dir)
{
    char *path = mem_printf("%s/report.yaml", template_dir);
    yamldoc_t *doc = yamldoc_parse_file(dg, path, NULL);
    char *base = NULL;
    const yamldoc_node_t *ext = doc && is_map(doc->root) ? yamldoc_get(doc->root, "extends") : NULL;
    if (ext && ext->kind == YAMLDOC_KIND_SCALAR && !ext->null && name_is_folder(ext->text))
        base = mem_printf("%s/../%s", template_dir, ext->text);
    yamldoc_free(doc);
    free(path);
    return base;
}

size_t tmplext_file_count(const tmplext_t *ext)
{
    return ext ? ext->count : 0;
}

const char *tmplext_file(const tmplext_t *ext, size_t i)
{
    return ext->docs[i]->file;
}
