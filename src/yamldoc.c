/* yamldoc — see yamldoc.h. Built on libyaml's event parser: events are turned into nodes
 * on an explicit stack, so nesting never recurses beyond the depth limit. */
#include "yamldoc.h"

#include "fingerprint.h"
#include "mem.h"
#include "textenc.h"
#include "utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

yamldoc_limits_t yamldoc_default_limits(void)
{
    return (yamldoc_limits_t){4u << 20, 64, 100000};
}

/* ---- UTF-8 ---------------------------------------------------------------------------- */

bool yamldoc_check_utf8(diag_t *dg, const char *name, const unsigned char *data, size_t size)
{
    int line, column;
    size_t i = utf8_check((const char *)data, size, &line, &column);
    if (i == size)
        return true;
    diag_pos_t pos = {.file = name, .line = line, .column = column};
    if (i == 0 && size >= 2 &&
        ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)))
        diag_fail(dg, &pos, "yaml-utf16",
                  "the file is not UTF-8: it starts with a UTF-16 byte order "
                  "mark (byte 0x%02X at offset 0); save it as UTF-8",
                  data[0]);
    else
        diag_fail(dg, &pos, "yaml-not-utf8",
                  "the file is not UTF-8: invalid byte 0x%02X at offset %zu; save "
                  "it as UTF-8",
                  data[i], i);
    return false;
}

/* ---- building the tree ---------------------------------------------------------------- */

typedef struct yamldoc_anchor {
    char *name;
    yamldoc_node_t *node;
} yamldoc_anchor_t;

typedef struct yamldoc_builder {
    diag_t *dg;
    yamldoc_t *doc;
    yamldoc_limits_t limits;
    yamldoc_node_t **stack; /* open sequences and mappings */
    yamldoc_node_t **keys;  /* per open mapping, the key waiting for its value */
    size_t depth, stack_cap, keys_cap;
    yamldoc_anchor_t *anchors;
    size_t anchor_count, anchor_cap;
    size_t *anchor_table;     /* open addressing: index + 1 into anchors, 0 empty; the latest
                               * anchor of a name wins, as YAML says */
    size_t anchor_table_size; /* a power of two, over twice anchor_count */
    size_t anchor_probes;     /* every probe */
    size_t alias_probes;      /* the probes made resolving aliases */
    size_t nodes;
    int documents;
    int errors;
    bool over_budget;
    const diag_pos_t *alias_pos; /* while copying an alias: where to report the budget */
} yamldoc_builder_t;

static void yamldoc_free_node(yamldoc_node_t *node)
{
    if (!node)
        return;
    for (size_t i = 0; node->kind == YAMLDOC_KIND_SEQUENCE && i < node->count; i++)
        yamldoc_free_node(node->items[i]);
    for (size_t i = 0; node->kind == YAMLDOC_KIND_MAPPING && i < node->count; i++) {
        yamldoc_free_node(node->pairs[i].key);
        yamldoc_free_node(node->pairs[i].value);
    }
    free(node->items);
    free(node->pairs);
    free(node->text);
    free(node->path);
    free(node);
}

static diag_pos_t yamldoc_pos(const yamldoc_builder_t *b, yaml_mark_t mark)
{
    return (diag_pos_t){
        .file = b->doc->file, .line = (int)mark.line + 1, .column = (int)mark.column + 1};
}

/* The path of a child of parent: after a key ("a.b"), or an item ("a[3]"). */
static char *yamldoc_child_path(const char *parent, const char *key, size_t index)
{
    /* Built by hand: every node has a path, and printf is most of the cost. */
    char digits[24];
    size_t nd = 0;
    if (!key) {
        do
            digits[sizeof digits - 1 - nd++] = (char)('0' + index % 10);
        while ((index /= 10) && nd < sizeof digits - 1);
    }
    size_t np = strlen(parent), nk = key ? strlen(key) : nd + 2;
    char *out = mem_alloc(np + 1 + nk + 1);
    memcpy(out, parent, np);
    size_t k = np;
    if (key) {
        if (np)
            out[k++] = '.';
        memcpy(out + k, key, nk);
        k += nk;
    } else {
        out[k++] = '[';
        memcpy(out + k, digits + sizeof digits - nd, nd);
        k += nd;
        out[k++] = ']';
    }
    out[k] = '\0';
    return out;
}

/* The path of the node about to be made at the builder's place (keys take the path of
 * the value they name; a key's own text is not known yet, so keys get it in
 * yamldoc_scalar). */
static char *yamldoc_place_path(const yamldoc_builder_t *b)
{
    if (b->depth == 0)
        return mem_strdup("");
    const yamldoc_node_t *parent = b->stack[b->depth - 1];
    if (parent->kind == YAMLDOC_KIND_SEQUENCE)
        return yamldoc_child_path(parent->path, NULL, parent->count);
    const yamldoc_node_t *key = b->keys[b->depth - 1];
    if (!key)
        return NULL;
    return yamldoc_child_path(parent->path, key->text ? key->text : "?", 0);
}

/* Gives node and everything under it the paths below `path` (alias copies). */
static void yamldoc_set_paths(yamldoc_node_t *node, const char *path)
{
    free(node->path);
    node->path = mem_strdup(path);
    node->pos.path = node->path;
    for (size_t i = 0; node->kind == YAMLDOC_KIND_SEQUENCE && i < node->count; i++) {
        char *p = yamldoc_child_path(path, NULL, i);
        yamldoc_set_paths(node->items[i], p);
        free(p);
    }
    for (size_t i = 0; node->kind == YAMLDOC_KIND_MAPPING && i < node->count; i++) {
        const char *k = node->pairs[i].key->text ? node->pairs[i].key->text : "?";
        char *p = yamldoc_child_path(path, k, 0);
        yamldoc_set_paths(node->pairs[i].key, p);
        yamldoc_set_paths(node->pairs[i].value, p);
        free(p);
    }
}

static bool yamldoc_count_node(yamldoc_builder_t *b, const diag_pos_t *pos)
{
    if (++b->nodes <= b->limits.max_nodes)
        return true;
    if (!b->over_budget && b->alias_pos)
        diag_fail(b->dg, pos, "yaml-alias-budget", "aliases expand to more than %zu YAML nodes",
                  b->limits.max_nodes);
    else if (!b->over_budget)
        diag_fail(b->dg, pos, "yaml-node-budget", "the file has more than %zu YAML nodes",
                  b->limits.max_nodes);
    b->over_budget = true;
    b->errors++;
    return false;
}

static yamldoc_node_t *yamldoc_new_node(yamldoc_builder_t *b, yamldoc_kind_t kind, diag_pos_t pos)
{
    if (!yamldoc_count_node(b, b->alias_pos ? b->alias_pos : &pos))
        return NULL;
    yamldoc_node_t *node = mem_zalloc(1, sizeof *node);
    node->kind = kind;
    node->pos = pos;
    node->path = yamldoc_place_path(b);
    if (!node->path && kind != YAMLDOC_KIND_SCALAR &&
        b->depth > 0) /* a list or mapping as a key (an error) */
        node->path = mem_strdup(b->stack[b->depth - 1]->path);
    node->pos.path = node->path;
    return node;
}

/* A deep copy of node (for an alias), counted against the node budget; NULL when over. */
static yamldoc_node_t *yamldoc_copy_node(yamldoc_builder_t *b, const yamldoc_node_t *node,
                                         diag_pos_t pos)
{
    yamldoc_node_t *copy = yamldoc_new_node(b, node->kind, pos);
    if (!copy)
        return NULL;
    copy->plain = node->plain;
    copy->null = node->null;
    copy->height = node->height;
    if (node->text) {
        copy->text = mem_alloc(node->len + 1);
        memcpy(copy->text, node->text, node->len + 1);
        copy->len = node->len;
    }
    if (node->kind == YAMLDOC_KIND_SEQUENCE && node->count) {
        copy->items = mem_zalloc(node->count, sizeof *copy->items);
        for (size_t i = 0; i < node->count; i++, copy->count++)
            if (!(copy->items[i] = yamldoc_copy_node(b, node->items[i], node->items[i]->pos)))
                goto fail;
    } else if (node->kind == YAMLDOC_KIND_MAPPING && node->count) {
        copy->pairs = mem_zalloc(node->count, sizeof *copy->pairs);
        for (size_t i = 0; i < node->count; i++) {
            yamldoc_pair_t *p = &copy->pairs[i];
            p->key = yamldoc_copy_node(b, node->pairs[i].key, node->pairs[i].key->pos);
            p->value = p->key
                           ? yamldoc_copy_node(b, node->pairs[i].value, node->pairs[i].value->pos)
                           : NULL;
            copy->count++;
            if (!p->value)
                goto fail;
        }
    }
    return copy;
fail:
    yamldoc_free_node(copy);
    return NULL;
}

/* The table slot of name: the one holding it, or the empty one where it would go. */
static size_t *yamldoc_anchor_slot(yamldoc_builder_t *b, const char *name)
{
    size_t mask = b->anchor_table_size - 1;
    size_t h = (size_t)fingerprint_hash64(name, strlen(name)) & mask;
    for (;; h = (h + 1) & mask) {
        size_t *slot = &b->anchor_table[h];
        b->anchor_probes++;
        if (!*slot || strcmp(b->anchors[*slot - 1].name, name) == 0)
            return slot;
    }
}

static void yamldoc_remember_anchor(yamldoc_builder_t *b, const yaml_char_t *anchor,
                                    yamldoc_node_t *node)
{
    if (!anchor)
        return;
    b->anchors =
        mem_array_grow(b->anchors, &b->anchor_cap, b->anchor_count + 1, sizeof *b->anchors);
    b->anchors[b->anchor_count++] = (yamldoc_anchor_t){mem_strdup((const char *)anchor), node};
    if (b->anchor_count * 2 > b->anchor_table_size) {
        /* Grow and put every name in again (the latest of a name last, so it wins). */
        free(b->anchor_table);
        b->anchor_table_size = b->anchor_table_size ? b->anchor_table_size * 4 : 64;
        b->anchor_table = mem_zalloc(b->anchor_table_size, sizeof *b->anchor_table);
        for (size_t i = 0; i < b->anchor_count; i++)
            *yamldoc_anchor_slot(b, b->anchors[i].name) = i + 1;
        return;
    }
    *yamldoc_anchor_slot(b, b->anchors[b->anchor_count - 1].name) = b->anchor_count;
}

/* Puts a finished node (scalar, closed container or alias copy) into its parent. */
/* Makes room for one more item or pair in parent: its arrays grow by doubling from the
 * count (so no capacity is kept). */
static void yamldoc_grow(yamldoc_node_t *parent)
{
    size_t cap = parent->count;
    if ((cap & (cap - 1)) != 0)
        return;
    if (parent->kind == YAMLDOC_KIND_SEQUENCE)
        parent->items = mem_realloc(parent->items, (cap ? cap * 2 : 1) * sizeof(void *));
    else
        parent->pairs = mem_realloc(parent->pairs, (cap ? cap * 2 : 1) * sizeof *parent->pairs);
}

static void yamldoc_attach(yamldoc_builder_t *b, yamldoc_node_t *node)
{
    if (b->depth == 0) {
        b->doc->root = node;
        return;
    }
    yamldoc_node_t *parent = b->stack[b->depth - 1];
    if (parent->kind == YAMLDOC_KIND_SEQUENCE) {
        yamldoc_grow(parent);
        parent->items[parent->count++] = node;
        return;
    }
    yamldoc_node_t **key = &b->keys[b->depth - 1];
    if (!*key) {
        if (node->kind != YAMLDOC_KIND_SCALAR) {
            diag_fail(b->dg, &node->pos, "yaml-key-not-text",
                      "a mapping key must be a plain text, not %s", yamldoc_describe(node));
            b->errors++;
        }
        *key = node;
        return;
    }
    yamldoc_grow(parent);
    parent->pairs[parent->count++] = (yamldoc_pair_t){*key, node};
    *key = NULL;
}

/* Orders scalar keys by bytes; other keys (already reported) sort first. */
static int yamldoc_compare_keys(const yamldoc_node_t *x, const yamldoc_node_t *y)
{
    if (!x->text || !y->text)
        return (x->text != NULL) - (y->text != NULL);
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->text, y->text, n);
    if (c)
        return c;
    return (x->len > y->len) - (x->len < y->len);
}

static int yamldoc_compare_pairs(const void *a, const void *b)
{
    const yamldoc_pair_t *x = *(const yamldoc_pair_t *const *)a;
    const yamldoc_pair_t *y = *(const yamldoc_pair_t *const *)b;
    int c = yamldoc_compare_keys(x->key, y->key);
    return c ? c : (x > y) - (x < y); /* file order among equal keys */
}

/* Reports keys that appear twice in a mapping (sorted, so large mappings stay fast). */
static void yamldoc_check_duplicates(yamldoc_builder_t *b, yamldoc_node_t *map)
{
    if (map->count < 2)
        return;
    const yamldoc_pair_t **sorted = mem_zalloc(map->count, sizeof *sorted);
    for (size_t i = 0; i < map->count; i++)
        sorted[i] = &map->pairs[i];
    qsort(sorted, map->count, sizeof *sorted, yamldoc_compare_pairs);
    for (size_t i = 1; i < map->count; i++) {
        const yamldoc_node_t *k0 = sorted[i - 1]->key, *k1 = sorted[i]->key;
        if (k0->kind != YAMLDOC_KIND_SCALAR || k1->kind != YAMLDOC_KIND_SCALAR ||
            k0->len != k1->len || memcmp(k0->text, k1->text, k0->len) != 0)
            continue;
        /* Equal keys sort in file order, so the first of a run is the earliest one. */
        size_t first = i - 1;
        while (first > 0 && yamldoc_compare_keys(sorted[first - 1]->key, k1) == 0)
            first--;
        diag_fail(b->dg, &k1->pos, "yaml-duplicate-key",
                  "duplicate key '%s' (first at line %d, column %d)", k1->text,
                  sorted[first]->key->pos.line, sorted[first]->key->pos.column);
        b->errors++;
    }
    free(sorted);
}

static bool yamldoc_push(yamldoc_builder_t *b, yamldoc_node_t *node)
{
    if ((int)b->depth >= b->limits.max_depth) {
        diag_fail(b->dg, &node->pos, "yaml-too-deep", "nesting is deeper than %d levels",
                  b->limits.max_depth);
        b->errors++;
        yamldoc_free_node(node);
        return false;
    }
    b->stack = mem_array_grow(b->stack, &b->stack_cap, b->depth + 1, sizeof *b->stack);
    b->keys = mem_array_grow(b->keys, &b->keys_cap, b->depth + 1, sizeof *b->keys);
    b->stack[b->depth] = node;
    b->keys[b->depth] = NULL;
    b->depth++;
    return true;
}

static void yamldoc_pop(yamldoc_builder_t *b)
{
    yamldoc_node_t *node = b->stack[--b->depth];
    int height = 0;
    for (size_t i = 0; node->kind == YAMLDOC_KIND_SEQUENCE && i < node->count; i++)
        if (node->items[i]->height + 1 > height)
            height = node->items[i]->height + 1;
    for (size_t i = 0; node->kind == YAMLDOC_KIND_MAPPING && i < node->count; i++)
        if (node->pairs[i].value->height + 1 > height)
            height = node->pairs[i].value->height + 1;
    node->height = height ? height : 1;
    if (node->kind == YAMLDOC_KIND_MAPPING)
        yamldoc_check_duplicates(b, node);
    yamldoc_attach(b, node);
}

static bool yamldoc_is_open(const yamldoc_builder_t *b, const yamldoc_node_t *node)
{
    for (size_t i = 0; i < b->depth; i++)
        if (b->stack[i] == node)
            return true;
    return false;
}

static bool yamldoc_alias(yamldoc_builder_t *b, const yaml_event_t *ev)
{
    diag_pos_t pos = yamldoc_pos(b, ev->start_mark);
    const char *name = (const char *)ev->data.alias.anchor;
    yamldoc_node_t *target = NULL;
    size_t before = b->anchor_probes;
    size_t *slot = b->anchor_count ? yamldoc_anchor_slot(b, name) : NULL;
    b->alias_probes += b->anchor_probes - before;
    if (slot && *slot)
        target = b->anchors[*slot - 1].node;
    if (!target) {
        diag_fail(b->dg, &pos, "yaml-alias-unknown", "alias '*%s' refers to no anchor", name);
        b->errors++;
        return false;
    }
    if (yamldoc_is_open(b, target)) {
        diag_fail(b->dg, &pos, "yaml-alias-recursive",
                  "alias '*%s' refers to a node that contains it", name);
        b->errors++;
        return false;
    }
    if ((int)b->depth + target->height > b->limits.max_depth) {
        diag_fail(b->dg, &pos, "yaml-too-deep-alias",
                  "nesting is deeper than %d levels (through alias '*%s')", b->limits.max_depth,
                  name);
        b->errors++;
        return false;
    }
    b->alias_pos = &pos;
    yamldoc_node_t *copy = yamldoc_copy_node(b, target, pos);
    b->alias_pos = NULL;
    if (!copy)
        return false;
    char *path = yamldoc_place_path(b);
    if (!path) { /* an alias as a key */
        const yamldoc_node_t *parent = b->stack[b->depth - 1];
        path = yamldoc_child_path(parent->path, copy->text ? copy->text : "?", 0);
    }
    yamldoc_set_paths(copy, path);
    free(path);
    yamldoc_attach(b, copy);
    return true;
}

static bool yamldoc_scalar(yamldoc_builder_t *b, const yaml_event_t *ev)
{
    yamldoc_node_t *node = yamldoc_new_node(b, YAMLDOC_KIND_SCALAR, yamldoc_pos(b, ev->start_mark));
    if (!node)
        return false;
    size_t len = ev->data.scalar.length;
    node->text = mem_alloc(len + 1);
    memcpy(node->text, ev->data.scalar.value, len);
    node->text[len] = '\0';
    node->len = len;
    node->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag;
    node->null = node->plain &&
                 (len == 0 || strcmp(node->text, "~") == 0 || strcmp(node->text, "null") == 0 ||
                  strcmp(node->text, "Null") == 0 || strcmp(node->text, "NULL") == 0);
    if (!node->path) { /* a key: the path of the value it names */
        const yamldoc_node_t *parent = b->stack[b->depth - 1];
        node->path = yamldoc_child_path(parent->path, node->text, 0);
        node->pos.path = node->path;
    }
    yamldoc_remember_anchor(b, ev->data.scalar.anchor, node);
    yamldoc_attach(b, node);
    return true;
}

/* Handles one event; false stops the parse. */
static bool yamldoc_event(yamldoc_builder_t *b, const yaml_event_t *ev)
{
    diag_pos_t pos = yamldoc_pos(b, ev->start_mark);
    yamldoc_node_t *node;
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++b->documents > 1) {
            diag_fail(b->dg, &pos, "yaml-several-documents",
                      "only one YAML document is allowed in a file");
            b->errors++;
            return false;
        }
        return true;
    case YAML_SCALAR_EVENT:
        return yamldoc_scalar(b, ev);
    case YAML_ALIAS_EVENT:
        return yamldoc_alias(b, ev);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        node = yamldoc_new_node(
            b, ev->type == YAML_SEQUENCE_START_EVENT ? YAMLDOC_KIND_SEQUENCE : YAMLDOC_KIND_MAPPING,
            pos);
        if (!node || !yamldoc_push(b, node))
            return false;
        yamldoc_remember_anchor(b,
                                ev->type == YAML_SEQUENCE_START_EVENT
                                    ? ev->data.sequence_start.anchor
                                    : ev->data.mapping_start.anchor,
                                node);
        return true;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (b->depth > 0)
            yamldoc_pop(b);
        return true;
    default:
        return true;
    }
}

/* ---- libyaml's errors as what to do ------------------------------------------------------ */

/* A line of the text (from 1): its start and length without the line end; false past the end. */
static bool yamldoc_line(const unsigned char *data, size_t size, int line,
                         const unsigned char **start, size_t *len)
{
    const unsigned char *p = data, *end = data + size;
    for (int l = 1; l < line; l++) {
        const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return false;
        p = nl + 1;
    }
    const unsigned char *e = memchr(p, '\n', (size_t)(end - p));
    if (!e)
        e = end;
    if (e > p && e[-1] == '\r')
        e--;
    *start = p;
    *len = (size_t)(e - p);
    return true;
}

/* The number of leading spaces of a line, -1 for a line that is blank or a comment. */
static int yamldoc_indent(const unsigned char *p, size_t len)
{
    size_t i = 0;
    while (i < len && p[i] == ' ')
        i++;
    return i == len || p[i] == '#' ? -1 : (int)i;
}

/* The column (in characters, from 1) of byte offset i of a line. */
static int yamldoc_char_column(const unsigned char *p, size_t i)
{
    int column = 1;
    for (size_t k = 0; k < i; k++)
        column += (p[k] & 0xC0) != 0x80;
    return column;
}

/* "key:value" with no space after the colon, on a line whose key is a plain word: the byte
 * offset of the value, or 0. */
static size_t yamldoc_glued_value(const unsigned char *p, size_t len)
{
    size_t i = 0;
    while (i < len && p[i] == ' ')
        i++;
    if (i < len && p[i] == '-' && i + 1 < len && p[i + 1] == ' ')
        i += 2; /* a list item: "- key:value" */
    size_t key = i;
    while (i < len && p[i] != ':' && p[i] != ' ' && p[i] != '"' && p[i] != '\'' && p[i] != '#' &&
           p[i] != '{' && p[i] != '[')
        i++;
    if (i == key || i + 1 >= len || p[i] != ':')
        return 0;
    unsigned char next = p[i + 1];
    if (next == ' ' || next == ':' || next == '/' || next == '\t')
        return 0;
    return i + 1;
}

/* Says what is wrong in words a clerk can act on, where libyaml's own words would not help:
 * a tab in the indentation, a missing space after ':', an indentation that does not match
 * the lines above. False when none of these applies. */
static bool yamldoc_explain(const yamldoc_builder_t *b, const yaml_parser_t *parser,
                            const unsigned char *data, size_t size)
{
    int line = (int)parser->problem_mark.line + 1;
    const unsigned char *p;
    size_t len;
    if (!yamldoc_line(data, size, line, &p, &len))
        return false;
    diag_pos_t pos = {.file = b->doc->file, .line = line, .column = 1};
    /* A tab among the leading blanks. */
    for (size_t i = 0; i < len && (p[i] == ' ' || p[i] == '\t'); i++)
        if (p[i] == '\t') {
            pos.column = (int)i + 1;
            diag_fail(b->dg, &pos, "yaml-tab-indent",
                      "line %d is indented with a tab; YAML indents with spaces only: replace "
                      "the tab with spaces",
                      line);
            return true;
        }
    /* "key:value" on this line or the two above it. */
    for (int l = line; l >= 1 && l >= line - 2; l--) {
        const unsigned char *q;
        size_t qlen;
        if (!yamldoc_line(data, size, l, &q, &qlen))
            continue;
        size_t at = yamldoc_glued_value(q, qlen);
        if (at) {
            size_t key = 0;
            while (key < at && q[key] == ' ')
                key++;
            pos.line = l;
            pos.column = yamldoc_char_column(q, at);
            diag_fail(b->dg, &pos, "yaml-colon-space",
                      "a space is needed after ':' (write '%.*s %.*s')", (int)(at - key),
                      (const char *)q + key, (int)(qlen - at), (const char *)q + at);
            return true;
        }
    }
    /* An indentation unlike the line above. */
    int here = yamldoc_indent(p, len);
    int above = -1, above_line = line - 1;
    for (; above_line >= 1 && above < 0; above_line--) {
        const unsigned char *q;
        size_t qlen;
        if (yamldoc_line(data, size, above_line, &q, &qlen))
            above = yamldoc_indent(q, qlen);
        if (above >= 0)
            break;
    }
    if (here >= 0 && above >= 0 && here != above &&
        (strstr(parser->problem ? parser->problem : "", "mapping values") ||
         strstr(parser->problem ? parser->problem : "", "did not find expected"))) {
        pos.column = here + 1;
        diag_fail(b->dg, &pos, "yaml-indent",
                  "line %d starts after %d spaces, line %d after %d: the keys of one level must "
                  "start in the same column",
                  line, here, above_line, above);
        return true;
    }
    return false;
}

/* A no-break space (U+00A0, which word processors and web pages put in) among a line's
 * leading blanks: libyaml takes it for text. Reported at the first such line; false then. */
static bool yamldoc_check_indent_spaces(diag_t *dg, const char *name, const unsigned char *data,
                                        size_t size)
{
    int line = 1;
    for (size_t i = 0; i < size;) {
        size_t k = i;
        while (k < size &&
               (data[k] == ' ' || (data[k] == 0xC2 && k + 1 < size && data[k + 1] == 0xA0)))
            k += data[k] == ' ' ? 1 : 2;
        for (size_t j = i; j < k; j++)
            if (data[j] == 0xC2 && k < size && data[k] != '\n' && data[k] != '\r') {
                diag_pos_t pos = {
                    .file = name, .line = line, .column = yamldoc_char_column(data + i, j - i)};
                diag_fail(dg, &pos, "yaml-nbsp-indent",
                          "line %d is indented with a no-break space (U+00A0); YAML indents with "
                          "ordinary spaces only: retype the spaces at the start of the line",
                          line);
                return false;
            }
        const unsigned char *nl = memchr(data + k, '\n', size - k);
        if (!nl)
            break;
        i = (size_t)(nl - data) + 1;
        line++;
    }
    return true;
}

static void yamldoc_report_parser(const yamldoc_builder_t *b, const yaml_parser_t *parser,
                                  const unsigned char *data, size_t size)
{
    if (parser->error != YAML_READER_ERROR && yamldoc_explain(b, parser, data, size))
        return;
    diag_pos_t pos = yamldoc_pos(b, parser->problem_mark);
    if (parser->error == YAML_READER_ERROR) {
        /* The reader gives a byte offset, not a mark: count lines and characters. */
        pos.line = pos.column = 1;
        for (size_t i = 0; i < parser->problem_offset && i < size; i++) {
            if (data[i] == '\n')
                pos.line++, pos.column = 1;
            else if ((data[i] & 0xC0) != 0x80)
                pos.column++;
        }
        if (parser->problem_value >= 0)
            diag_fail(b->dg, &pos, "yaml-syntax-character", "YAML syntax: %s (character U+%04X)",
                      parser->problem ? parser->problem : "cannot read",
                      (unsigned)parser->problem_value);
        else
            diag_fail(b->dg, &pos, "yaml-syntax", "YAML syntax: %s",
                      parser->problem ? parser->problem : "cannot read");
        return;
    }
    const char *problem = parser->problem ? parser->problem : "cannot parse";
    if (parser->context)
        diag_fail(b->dg, &pos, "yaml-syntax-context", "YAML syntax: %s %s", problem,
                  parser->context);
    else
        diag_fail(b->dg, &pos, "yaml-syntax", "YAML syntax: %s", problem);
}

static yamldoc_t *yamldoc_parse_utf8(diag_t *dg, const char *name, const unsigned char *data,
                                     size_t size, const yamldoc_limits_t *limits);

yamldoc_t *yamldoc_parse_buffer(diag_t *dg, const char *name, const unsigned char *data,
                                size_t size, const yamldoc_limits_t *limits)
{
    /* What Windows editors write is read too, with a word about it. */
    const unsigned char *text;
    size_t text_size;
    unsigned char *owned;
    textenc_read(dg, name, data, size, &text, &text_size, &owned);
    yamldoc_t *doc = yamldoc_parse_utf8(dg, name, text, text_size, limits);
    free(owned);
    return doc;
}

static yamldoc_t *yamldoc_parse_utf8(diag_t *dg, const char *name, const unsigned char *data,
                                     size_t size, const yamldoc_limits_t *limits)
{
    yamldoc_builder_t b = {0};
    b.dg = dg;
    b.limits = limits ? *limits : yamldoc_default_limits();
    b.doc = mem_zalloc(1, sizeof *b.doc);
    b.doc->file = mem_strdup(name);
    if (size > b.limits.max_bytes) {
        diag_pos_t pos = {.file = b.doc->file, .line = 0, .column = 0};
        diag_fail(dg, &pos, "yaml-too-large", "the file is too large (%zu bytes; the limit is %zu)",
                  size, b.limits.max_bytes);
        yamldoc_free(b.doc);
        return NULL;
    }
    diag_add_source(dg, b.doc->file, (const char *)data, size);
    if (!yamldoc_check_utf8(dg, b.doc->file, data, size) ||
        !yamldoc_check_indent_spaces(dg, b.doc->file, data, size)) {
        yamldoc_free(b.doc);
        return NULL;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        diag_fatal_oom(sizeof parser);
    yaml_parser_set_input_string(&parser, data, size);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            yamldoc_report_parser(&b, &parser, data, size);
            b.errors++;
            break;
        }
        bool go_on = yamldoc_event(&b, &ev);
        bool end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (!go_on || end)
            break;
    }
    yaml_parser_delete(&parser);
    /* Containers left open after an error belong to nobody yet. */
    while (b.depth > 0) {
        yamldoc_node_t *open = b.stack[--b.depth];
        yamldoc_free_node(b.keys[b.depth]);
        yamldoc_free_node(open);
    }
    for (size_t i = 0; i < b.anchor_count; i++)
        free(b.anchors[i].name);
    free(b.anchors);
    free(b.anchor_table);
    if (b.doc)
        b.doc->anchor_probes = b.alias_probes;
    free(b.stack);
    free(b.keys);
    if (b.errors) {
        yamldoc_free(b.doc);
        return NULL;
    }
    return b.doc;
}

yamldoc_t *yamldoc_parse_file(diag_t *dg, const char *path, const yamldoc_limits_t *limits)
{
    yamldoc_limits_t lim = limits ? *limits : yamldoc_default_limits();
    bool from_stdin = strcmp(path, "-") == 0;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        diag_fail(dg, NULL, "yaml-cannot-read", "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 64 * 1024, size = 0;
    unsigned char *data = mem_alloc(cap);
    for (;;) {
        if (size == cap) {
            if (cap > lim.max_bytes)
                break; /* already over the limit: enough to say so */
            cap *= 2;
            data = mem_realloc(data, cap);
        }
        size_t n = fread(data + size, 1, cap - size, f);
        size += n;
        if (n == 0)
            break;
    }
    bool failed = ferror(f) != 0;
    int saved = errno;
    if (!from_stdin)
        fclose(f);
    if (failed) {
        diag_fail(dg, NULL, "yaml-cannot-read", "cannot read '%s': %s", path, strerror(saved));
        free(data);
        return NULL;
    }
    yamldoc_t *doc = yamldoc_parse_buffer(dg, path, data, size, &lim);
    free(data);
    return doc;
}

void yamldoc_free(yamldoc_t *doc)
{
    if (!doc)
        return;
    yamldoc_free_node(doc->root);
    free(doc->file);
    free(doc);
}

/* ---- built documents ---------------------------------------------------------------------- */

static yamldoc_node_t *yamldoc_built_node(yamldoc_t *doc, yamldoc_kind_t kind, const char *text,
                                          bool plain, const diag_pos_t *pos, char *path)
{
    yamldoc_node_t *node = mem_zalloc(1, sizeof *node);
    node->kind = kind;
    node->pos = *pos;
    node->pos.file = doc->file;
    node->path = path;
    node->pos.path = node->path;
    if (kind == YAMLDOC_KIND_SCALAR) {
        node->text = mem_strdup(text ? text : "");
        node->len = strlen(node->text);
        node->plain = plain || !text;
        node->null = !text;
    } else {
        node->height = 1;
    }
    return node;
}

yamldoc_t *yamldoc_new(const char *file, const diag_pos_t *pos)
{
    yamldoc_t *doc = mem_zalloc(1, sizeof *doc);
    doc->file = mem_strdup(file);
    doc->root = yamldoc_built_node(doc, YAMLDOC_KIND_MAPPING, NULL, false, pos, mem_strdup(""));
    return doc;
}

yamldoc_node_t *yamldoc_add(yamldoc_t *doc, yamldoc_node_t *parent, const char *key,
                            yamldoc_kind_t kind, const char *text, bool plain,
                            const diag_pos_t *pos)
{
    yamldoc_grow(parent);
    if (parent->kind == YAMLDOC_KIND_SEQUENCE) {
        yamldoc_node_t *node = yamldoc_built_node(
            doc, kind, text, plain, pos, yamldoc_child_path(parent->path, NULL, parent->count));
        parent->items[parent->count++] = node;
        return node;
    }
    char *path = yamldoc_child_path(parent->path, key, 0);
    yamldoc_node_t *k = yamldoc_built_node(doc, YAMLDOC_KIND_SCALAR, key, true, pos, path);
    yamldoc_node_t *node = yamldoc_built_node(doc, kind, text, plain, pos, mem_strdup(path));
    parent->pairs[parent->count++] = (yamldoc_pair_t){k, node};
    return node;
}

typedef struct yamldoc_text {
    char *buf;
    size_t len, cap;
} yamldoc_text_t;

static int yamldoc_write_text(void *data, unsigned char *buffer, size_t size)
{
    yamldoc_text_t *t = data;
    t->buf = mem_array_grow(t->buf, &t->cap, t->len + size + 1, 1);
    memcpy(t->buf + t->len, buffer, size);
    t->len += size;
    t->buf[t->len] = '\0';
    return 1;
}

/* Emits one event; libyaml fails only on events out of order or out of memory. */
static void yamldoc_put_event(yaml_emitter_t *e, yaml_event_t *ev, int made)
{
    if (!made || !yaml_emitter_emit(e, ev))
        diag_fatal_oom(sizeof *ev);
}

static void yamldoc_emit_node(yaml_emitter_t *e, const yamldoc_node_t *node, bool in_list)
{
    yaml_event_t ev;
    switch (node->kind) {
    case YAMLDOC_KIND_SCALAR: {
        yaml_scalar_style_t style =
            node->plain ? YAML_PLAIN_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        /* null as nothing after a key ("logo:"), as "~" for a list's item */
        const char *text = !node->null ? node->text : in_list ? "~" : "";
        size_t len = !node->null ? node->len : strlen(text);
        yamldoc_put_event(e, &ev,
                          yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text,
                                                       (int)len, 1, 1, style));
        break;
    }
    case YAMLDOC_KIND_SEQUENCE:
        yamldoc_put_event(
            e, &ev,
            yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE));
        for (size_t i = 0; i < node->count; i++)
            yamldoc_emit_node(e, node->items[i], true);
        yamldoc_put_event(e, &ev, yaml_sequence_end_event_initialize(&ev));
        break;
    case YAMLDOC_KIND_MAPPING:
        yamldoc_put_event(
            e, &ev,
            yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE));
        for (size_t i = 0; i < node->count; i++) {
            yamldoc_emit_node(e, node->pairs[i].key, false);
            yamldoc_emit_node(e, node->pairs[i].value, false);
        }
        yamldoc_put_event(e, &ev, yaml_mapping_end_event_initialize(&ev));
        break;
    }
}

char *yamldoc_emit(const yamldoc_t *doc, size_t *size)
{
    yamldoc_text_t out = {0};
    yaml_emitter_t e;
    if (!yaml_emitter_initialize(&e))
        diag_fatal_oom(sizeof e);
    yaml_emitter_set_output(&e, yamldoc_write_text, &out);
    yaml_emitter_set_unicode(&e, 1);
    yaml_emitter_set_width(&e, -1);
    yaml_event_t ev;
    yamldoc_put_event(&e, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
    yamldoc_put_event(&e, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
    if (doc->root)
        yamldoc_emit_node(&e, doc->root, false);
    else
        yamldoc_put_event(&e, &ev,
                          yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)"~", 1, 1, 1,
                                                       YAML_PLAIN_SCALAR_STYLE));
    yamldoc_put_event(&e, &ev, yaml_document_end_event_initialize(&ev, 1));
    yamldoc_put_event(&e, &ev, yaml_stream_end_event_initialize(&ev));
    yaml_emitter_delete(&e);
    if (!out.buf)
        out.buf = mem_strdup("");
    *size = out.len;
    return out.buf;
}

const yamldoc_node_t *yamldoc_get(const yamldoc_node_t *map, const char *key)
{
    if (!map || map->kind != YAMLDOC_KIND_MAPPING)
        return NULL;
    for (size_t i = 0; i < map->count; i++)
        if (yamldoc_is(map->pairs[i].key, key))
            return map->pairs[i].value;
    return NULL;
}

const yamldoc_node_t *yamldoc_key_of(const yamldoc_node_t *map, const yamldoc_node_t *value)
{
    if (!map || map->kind != YAMLDOC_KIND_MAPPING)
        return NULL;
    for (size_t i = 0; i < map->count; i++)
        if (map->pairs[i].value == value)
            return map->pairs[i].key;
    return NULL;
}

bool yamldoc_is(const yamldoc_node_t *node, const char *text)
{
    return node && node->kind == YAMLDOC_KIND_SCALAR && strlen(text) == node->len &&
           memcmp(node->text, text, node->len) == 0;
}

static const char *yamldoc_kind_word(yamldoc_kind_t kind)
{
    switch (kind) {
    case YAMLDOC_KIND_SEQUENCE:
        return _("a list");
    case YAMLDOC_KIND_MAPPING:
        return _("a mapping");
    default:
        return _("a text or number");
    }
}

const char *yamldoc_describe(const yamldoc_node_t *node)
{
    if (!node || (node->kind == YAMLDOC_KIND_SCALAR && node->null))
        return _("nothing");
    return yamldoc_kind_word(node->kind);
}

/* ---- typed reading -------------------------------------------------------------------- */

bool yamldoc_expect(diag_t *dg, const yamldoc_node_t *node, yamldoc_kind_t kind, const char *what)
{
    if (node && node->kind == kind && !(kind == YAMLDOC_KIND_SCALAR && node->null))
        return true;
    if (node)
        diag_fail(dg, &node->pos, "yaml-wrong-kind", "%s must be %s, not %s", what,
                  yamldoc_kind_word(kind), yamldoc_describe(node));
    return false;
}

int yamldoc_edit_distance(const char *a, const char *b)
{
    /* Optimal string alignment: insertions, deletions, substitutions and transpositions of
     * neighbours ("nmae" -> "name") each cost 1. Three rows of at most 100 cells. */
    size_t la = strlen(a), lb = strlen(b);
    if (la > 99 || lb > 99)
        return 100;
    int rows[3][100];
    int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

bool yamldoc_check_keys(diag_t *dg, const yamldoc_node_t *map, const char *const *known,
                        const char *where)
{
    bool ok = true;
    for (size_t i = 0; map && map->kind == YAMLDOC_KIND_MAPPING && i < map->count; i++) {
        if (diag_stopped(dg))
            return false;
        const yamldoc_node_t *key = map->pairs[i].key;
        if (key->kind != YAMLDOC_KIND_SCALAR)
            continue;
        bool found = false;
        for (const char *const *k = known; *k && !found; k++)
            found = yamldoc_is(key, *k);
        if (found)
            continue;
        /* Distances only for a key that is not known (they were most of the check). */
        const char *best = NULL;
        int best_distance = 100;
        for (const char *const *k = known; *k; k++) {
            int d = yamldoc_edit_distance(key->text, *k);
            if (d < best_distance)
                best_distance = d, best = *k;
        }
        ok = false;
        /* A suggestion is worth making when at most a third of the key differs. */
        if (best && best_distance <= 2 && (size_t)best_distance * 3 <= strlen(best))
            diag_fail(dg, &key->pos, "yaml-unknown-key-suggest",
                      "unknown key '%s' in %s (did you mean '%s'?)", key->text, where, best);
        else
            diag_fail(dg, &key->pos, "yaml-unknown-key", "unknown key '%s' in %s", key->text,
                      where);
    }
    return ok;
}

const yamldoc_node_t *yamldoc_require(diag_t *dg, const yamldoc_node_t *map, const char *key,
                                      const char *where)
{
    const yamldoc_node_t *value = yamldoc_get(map, key);
    if (value && !(value->kind == YAMLDOC_KIND_SCALAR && value->null))
        return value;
    if (map && value)
        diag_fail(dg, &value->pos, "yaml-required-empty", "'%s' in %s is empty; it is required",
                  key, where);
    else if (map)
        diag_fail(dg, &map->pos, "yaml-required-missing", "missing required key '%s' in %s", key,
                  where);
    return NULL;
}

bool yamldoc_read_text(diag_t *dg, const yamldoc_node_t *node, const char *what, char **out)
{
    if (!yamldoc_expect(dg, node, YAMLDOC_KIND_SCALAR, what))
        return false;
    if (memchr(node->text, '\0', node->len)) {
        diag_fail(dg, &node->pos, "yaml-text-nul", "%s must not contain a NUL character", what);
        return false;
    }
    *out = mem_strdup(node->text);
    return true;
}

bool yamldoc_read_int(diag_t *dg, const yamldoc_node_t *node, const char *what, long min, long max,
                      long *out)
{
    if (!yamldoc_expect(dg, node, YAMLDOC_KIND_SCALAR, what))
        return false;
    decimal_t d;
    if (!node->plain || decimal_parse(node->text, node->len, &d) != DECIMAL_STATUS_OK ||
        d.den != 1) {
        diag_fail(dg, &node->pos, "yaml-not-whole-number", "%s must be a whole number, not \"%s\"",
                  what, node->text);
        return false;
    }
    if (d.num < min || d.num > max) {
        diag_fail(dg, &node->pos, "yaml-int-range", "%s %s is outside %ld-%ld", what, node->text,
                  min, max);
        return false;
    }
    *out = (long)d.num;
    return true;
}

/* text with Thai digits (๐-๙) made ASCII: a new string of *out_len bytes. */
static char *ascii_digits(const char *text, size_t len, size_t *out_len)
{
    char *out = mem_alloc(len + 1);
    memcpy(out, text, len);
    *out_len = utf8_ascii_digits(out, len);
    return out;
}

/* True for digits, a comma and digits (87,64): a number written with a decimal comma. */
static bool decimal_comma(const char *s)
{
    size_t i = *s == '-' || *s == '+' ? 1 : 0, before = 0, after = 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++)
        before++;
    if (s[i++] != ',')
        return false;
    for (; s[i] >= '0' && s[i] <= '9'; i++)
        after++;
    return before && after && !s[i];
}

bool yamldoc_read_decimal(diag_t *dg, const yamldoc_node_t *node, const char *what, decimal_t *out)
{
    if (!yamldoc_expect(dg, node, YAMLDOC_KIND_SCALAR, what))
        return false;
    /* Thai digits read as the digits they are (๘๔.๑๔ is 84.14). */
    size_t len = 0;
    char *text = ascii_digits(node->text, node->len, &len);
    decimal_status_t status = decimal_parse(text, len, out);
    if (!node->plain)
        status = DECIMAL_STATUS_NOT_NUMBER;
    if (status == DECIMAL_STATUS_NOT_NUMBER && node->plain && decimal_comma(text)) {
        *strchr(text, ',') = '.';
        diag_fail(dg, &node->pos, "yaml-decimal-comma",
                  "%s is written with a decimal comma (%s): write it with a point, %s", what,
                  node->text, text);
        free(text);
        return false;
    }
    free(text);
    switch (status) {
    case DECIMAL_STATUS_OK:
        return true;
    case DECIMAL_STATUS_NAN:
        diag_fail(dg, &node->pos, "yaml-number-nan", "%s is not a number (%s)", what, node->text);
        return false;
    case DECIMAL_STATUS_INFINITE:
        diag_fail(dg, &node->pos, "yaml-number-infinite", "%s is infinite (%s)", what, node->text);
        return false;
    case DECIMAL_STATUS_TOO_LONG:
        diag_fail(dg, &node->pos, "yaml-number-too-long",
                  "%s has too many digits (at most 9 before and 9 after the "
                  "point)",
                  what);
        return false;
    default:
        diag_fail(dg, &node->pos, "yaml-not-number", "%s must be a number, not \"%s\"", what,
                  memchr(node->text, '\0', node->len) ? "(text with NUL)" : node->text);
        return false;
    }
}

bool yamldoc_read_bool(diag_t *dg, const yamldoc_node_t *node, const char *what, bool *out)
{
    if (!yamldoc_expect(dg, node, YAMLDOC_KIND_SCALAR, what))
        return false;
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", NULL};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", NULL};
    for (int i = 0; node->plain && yes[i]; i++)
        if (yamldoc_is(node, yes[i]) || yamldoc_is(node, no[i])) {
            *out = yamldoc_is(node, yes[i]);
            return true;
        }
    diag_fail(dg, &node->pos, "yaml-not-bool", "%s must be true or false, not \"%s\"", what,
              node->text);
    return false;
}
