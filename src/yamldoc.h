/* yamldoc — YAML text into a plain tree of nodes; the only module that includes <yaml.h>.
 *
 * Every node keeps the line and column (from 1) where it starts, and the file name, so
 * the loaders built on it (the assessment in load, the framework in framework, report
 * templates later) can report any value's position through diag. Parsing enforces limits
 * and reports each violation as "file:line:column: error: ...": the bytes must be UTF-8
 * (checked before libyaml sees them, which would otherwise read FF FE as UTF-16), the
 * size, the nesting depth, alias expansion (an alias is copied, and the copies count
 * against a node budget, so "billion laughs" stops early), duplicate or non-scalar keys,
 * and one document per file.
 *
 * The document owns every node and string in it; yamldoc_free releases all of it. */
#ifndef ITAREPORT_YAMLDOC_H
#define ITAREPORT_YAMLDOC_H

#include "decimal.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum yamldoc_kind {
    YAMLDOC_KIND_SCALAR,
    YAMLDOC_KIND_SEQUENCE,
    YAMLDOC_KIND_MAPPING,
} yamldoc_kind_t;

typedef struct yamldoc_node yamldoc_node_t;

/* One key and its value in a mapping; the key is always a scalar. */
typedef struct yamldoc_pair {
    yamldoc_node_t *key;
    yamldoc_node_t *value;
} yamldoc_pair_t;

struct yamldoc_node {
    yamldoc_kind_t kind;
    diag_pos_t pos; /* pos.file and pos.path point into the document */
    /* Scalars: the text (NUL-terminated; len excludes it, and the text may hold NULs
     * from escapes), whether it was written plain (unquoted, no block style), and
     * whether it is YAML's null (empty or ~ or null, plain). */
    char *text;
    size_t len;
    bool plain;
    bool null;
    /* Sequences: items[0..count); mappings: pairs[0..count), in file order. */
    yamldoc_node_t **items;
    yamldoc_pair_t *pairs;
    size_t count;
    int height; /* nesting depth below this node (0 for a scalar) */
    char *path; /* where the node sits: "scores.questions.i8", "history[0]" ("" for the root) */
};

typedef struct yamldoc {
    char *file;           /* the name used in messages */
    yamldoc_node_t *root; /* NULL for an empty document */
    size_t anchor_probes; /* anchor names compared resolving aliases (a hash table: about
                           * one per alias, whatever the number of anchors) */
} yamldoc_t;

/* Limits; yamldoc_default_limits() gives 4 MiB, depth 64, 100,000 nodes. */
typedef struct yamldoc_limits {
    size_t max_bytes;
    int max_depth;
    size_t max_nodes;
} yamldoc_limits_t;

yamldoc_limits_t yamldoc_default_limits(void);

/* Reads and parses a file ("-": standard input). Returns the document, or NULL after reporting
 * every problem found to dg. limits may be NULL for the defaults. The text is added to dg's sources
 * (for the source line under a message). */
yamldoc_t *yamldoc_parse_file(diag_t *dg, const char *path, const yamldoc_limits_t *limits);

/* Parses size bytes of memory; name is used in messages. Same contract as above. */
yamldoc_t *yamldoc_parse_buffer(diag_t *dg, const char *name, const unsigned char *data,
                                size_t size, const yamldoc_limits_t *limits);

void yamldoc_free(yamldoc_t *doc);

/* ---- documents built without YAML text (a CSV row), and YAML text from a document ---- */

/* An empty document named file whose root is an empty mapping at pos (pos.file is replaced
 * by the document's own copy of file; pos.column_name is borrowed and must outlive it). */
yamldoc_t *yamldoc_new(const char *file, const diag_pos_t *pos);

/* Adds a node to parent, a mapping (under key, which must not be there yet) or a sequence
 * (key NULL, at the end), at pos (as for yamldoc_new); returns it. A scalar gets a copy of
 * text (NULL: YAML's null) and `plain` (false: written quoted, so never a number); a
 * mapping or sequence starts empty (text ignored). Its path follows from parent's. */
yamldoc_node_t *yamldoc_add(yamldoc_t *doc, yamldoc_node_t *parent, const char *key,
                            yamldoc_kind_t kind, const char *text, bool plain,
                            const diag_pos_t *pos);

/* The document as YAML text that parses back to the same tree (block style; plain
 * scalars plain where YAML allows, quoted otherwise; texts double-quoted; UTF-8 kept): a
 * new string of *size bytes (caller frees). */
char *yamldoc_emit(const yamldoc_t *doc, size_t *size);

/* The value under key in a mapping, or NULL (also when node is not a mapping). */
const yamldoc_node_t *yamldoc_get(const yamldoc_node_t *map, const char *key);

/* The key scalar of the pair whose value is node in map, or NULL. */
const yamldoc_node_t *yamldoc_key_of(const yamldoc_node_t *map, const yamldoc_node_t *value);

/* True when node is a scalar equal to text. */
bool yamldoc_is(const yamldoc_node_t *node, const char *text);

/* English word for a node's kind as users see it: "a text or number", "a list",
 * "a mapping" ("nothing" for NULL or a null scalar). */
const char *yamldoc_describe(const yamldoc_node_t *node);

/* ---- typed reading, shared by every loader ----------------------------------------------
 * Each function reports what is wrong at the node's position ("file:line:column: error:
 * ...") and returns false; `what` names the value in the message ("agency", "score of
 * question i8"). A NULL node or a null scalar counts as missing. Reporting stops looking
 * once dg's error limit is reached. */

/* True when node is a kind; else reports "<what> must be <kind>, not <found>". */
bool yamldoc_expect(diag_t *dg, const yamldoc_node_t *node, yamldoc_kind_t kind, const char *what);

/* Reports every key of map not in known (NULL-terminated) as "unknown key 'k' in
 * <where>" plus "(did you mean 'x'?)" when a known key is close; false if any. */
bool yamldoc_check_keys(diag_t *dg, const yamldoc_node_t *map, const char *const *known,
                        const char *where);

/* Reports "missing required key '<key>' in <where>" at map's position when the key is
 * absent, "'<key>' in <where> is empty; it is required" at the value when it is null;
 * returns the value otherwise. */
const yamldoc_node_t *yamldoc_require(diag_t *dg, const yamldoc_node_t *map, const char *key,
                                      const char *where);

/* A non-empty text (a scalar that is not null); *out is a new string (caller frees). */
bool yamldoc_read_text(diag_t *dg, const yamldoc_node_t *node, const char *what, char **out);

/* A whole number in [min, max]. */
bool yamldoc_read_int(diag_t *dg, const yamldoc_node_t *node, const char *what, long min, long max,
                      long *out);

/* A decimal number (plain scalar; Thai digits ๐-๙ count as digits): quoted text, .nan, .inf
 * and a decimal comma (87,64, with the point to write instead) are reported as such. */
bool yamldoc_read_decimal(diag_t *dg, const yamldoc_node_t *node, const char *what, decimal_t *out);

/* true/false (also yes/no). */
bool yamldoc_read_bool(diag_t *dg, const yamldoc_node_t *node, const char *what, bool *out);

/* Levenshtein distance between two strings, capped at 100; exposed for tests. */
int yamldoc_edit_distance(const char *a, const char *b);

/* Checks that data is UTF-8; on failure reports "name:line:column: error: ..." with the
 * byte offset and returns false. Exposed for tests. */
bool yamldoc_check_utf8(diag_t *dg, const char *name, const unsigned char *data, size_t size);

#endif
