/* value — a small generic data tree (null, text, number, boolean, list, map): the data a
 * report template reads through placeholders like {{agency.name}} or {{area.questions}}.
 * The report stage and the template know paths, not ITA structures; facts.c fills the tree.
 *
 * Numbers are exact: a count of 10^-places (8414 with 2 places is 84.14), printed with
 * their places. A tree owns all of its children and strings; value_free releases it. */
#ifndef ITAREPORT_VALUE_H
#define ITAREPORT_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum value_kind {
    VALUE_NULL,
    VALUE_TEXT,
    VALUE_NUMBER,
    VALUE_BOOL,
    VALUE_LIST,
    VALUE_MAP,
} value_kind_t;

typedef struct value value_t;

typedef struct value_entry {
    char *key;
    value_t *value;
} value_entry_t;

struct value {
    value_kind_t kind;
    char *text;             /* TEXT: in the value's own block */
    int64_t scaled;         /* NUMBER */
    int places;             /* NUMBER */
    bool boolean;           /* BOOL */
    bool wording;           /* TEXT: the template's or framework's words, not the input's */
    value_t **items;        /* LIST */
    value_entry_t *entries; /* MAP, in insertion order */
    size_t count, capacity;
};

value_t *value_null(void);
value_t *value_text(const char *text); /* NULL text gives a null value */
/* A text of the template's or the framework's own (a name, a finding, a default measure):
 * its digits follow the report's digits (--digits thai), unlike the input's texts. */
value_t *value_wording(const char *text);
value_t *value_number(int64_t scaled, int places);
value_t *value_int(int64_t v);
value_t *value_bool(bool b);
value_t *value_list(void);
value_t *value_map(void);
void value_free(value_t *v);

/* Appends to a list / sets a key of a map (replacing); the container takes ownership of
 * item and returns it. */
value_t *value_push(value_t *list, value_t *item);
value_t *value_set(value_t *map, const char *key, value_t *item);

/* The child at key of a map (or index of a list, given as digits), NULL when absent. */
const value_t *value_child(const value_t *v, const char *key, size_t key_len);

/* Follows a dotted path ("agency.name", "tools.0.score") from root; NULL when any step is
 * missing. A null value found on the way is returned as it is. */
const value_t *value_lookup(const value_t *root, const char *path, size_t len);

/* Truth for conditions: non-null, non-empty text or list or map, true, nonzero. */
bool value_truthy(const value_t *v);

/* The value as text (numbers with their places, booleans as "true"/"false", null as "",
 * lists joined by sep) in a new string (caller frees). */
char *value_to_text(const value_t *v, const char *sep);

/* A deep copy. */
value_t *value_copy(const value_t *v);

#endif
