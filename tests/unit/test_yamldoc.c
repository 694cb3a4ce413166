/* Unit tests for yamldoc: the tree and positions, and every limit with its message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "diag_capture.h"
#include "mem.h"
#include "yamldoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static yamldoc_t *parse(const char *text)
{
    capture_start();
    return yamldoc_parse_buffer(test_dg, "t.yaml", (const unsigned char *)text, strlen(text), NULL);
}

static void test_tree_and_positions(void **state)
{
    (void)state;
    yamldoc_t *doc = parse("agency:\n  name: อบต.เสอเพลอ\n  year: 2566\nlist: [a, 'b', ~]\n");
    assert_non_null(doc);
    const yamldoc_node_t *root = doc->root;
    assert_int_equal(root->kind, YAMLDOC_KIND_MAPPING);
    const yamldoc_node_t *agency = yamldoc_get(root, "agency");
    const yamldoc_node_t *year = yamldoc_get(agency, "year");
    assert_string_equal(year->text, "2566");
    assert_int_equal(year->pos.line, 3);
    assert_int_equal(year->pos.column, 9);
    const yamldoc_node_t *name = yamldoc_get(agency, "name");
    assert_string_equal(name->text, "อบต.เสอเพลอ");
    const yamldoc_node_t *list = yamldoc_get(root, "list");
    assert_int_equal(list->count, 3);
    assert_true(list->items[0]->plain);
    assert_false(list->items[1]->plain);
    assert_true(list->items[2]->null);
    assert_int_equal(list->items[1]->pos.column, 11);
    assert_string_equal(yamldoc_key_of(agency, year)->text, "year");
    assert_null(yamldoc_get(root, "missing"));
    assert_string_equal(yamldoc_describe(list), "a list");
    assert_string_equal(captured, "");
    yamldoc_free(doc);
}

/* Every node knows its place in the input ("a.b[1].c"), keys that of the value they name,
 * alias copies that of where they are copied to; messages carry it. */
static void test_paths(void **state)
{
    (void)state;
    yamldoc_t *doc = parse("a:\n  b: [1, {c: &x {d: 2}}]\ne: *x\n");
    assert_non_null(doc);
    const yamldoc_node_t *a = yamldoc_get(doc->root, "a");
    const yamldoc_node_t *b = yamldoc_get(a, "b");
    assert_string_equal(doc->root->path, "");
    assert_string_equal(a->path, "a");
    assert_string_equal(b->path, "a.b");
    assert_string_equal(b->items[0]->path, "a.b[0]");
    assert_string_equal(b->items[1]->path, "a.b[1]");
    assert_string_equal(b->items[1]->pairs[0].key->path, "a.b[1].c");
    assert_string_equal(yamldoc_get(yamldoc_get(b->items[1], "c"), "d")->path, "a.b[1].c.d");
    const yamldoc_node_t *e = yamldoc_get(doc->root, "e");
    assert_string_equal(e->path, "e");
    assert_string_equal(yamldoc_get(e, "d")->path, "e.d");
    assert_string_equal(yamldoc_get(e, "d")->pos.path, "e.d");
    /* A reader's message names the path. */
    assert_false(yamldoc_read_bool(test_dg, yamldoc_get(e, "d"), "d", &(bool){false}));
    assert_string_equal(captured_path, "e.d");
    assert_string_equal(captured_id, "yaml-not-bool");
    yamldoc_free(doc);
}

static void test_column_counts_characters(void **state)
{
    (void)state;
    /* Thai letters are 3 bytes each; columns count characters, as libyaml does. */
    yamldoc_t *doc = parse("ชื่อ: [ก, ข]\n");
    assert_non_null(doc);
    const yamldoc_node_t *v = doc->root->pairs[0].value;
    assert_int_equal(v->pos.column, 7);
    assert_int_equal(v->items[1]->pos.column, 11);
    yamldoc_free(doc);
}

static void test_empty_document(void **state)
{
    (void)state;
    yamldoc_t *doc = parse("");
    assert_non_null(doc);
    assert_null(doc->root);
    yamldoc_free(doc);
    doc = parse("# only a comment\n");
    assert_non_null(doc);
    assert_null(doc->root);
    yamldoc_free(doc);
}

static void test_syntax_error(void **state)
{
    (void)state;
    assert_null(parse("a: 1\nb: [1, 2\nc: 3\n"));
    assert_string_equal(captured, "t.yaml:3:2: error: YAML syntax: did not find expected ',' "
                                  "or ']' while parsing a flow sequence\n");
    assert_int_equal(diag_count(test_dg, DIAG_ERROR), 1);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    assert_null(parse("a: 1\nb: 2\na: 3\nb: 4\na: 5\n"));
    assert_string_equal(captured,
                        "t.yaml:3:1: error: duplicate key 'a' (first at line 1, column 1)\n"
                        "t.yaml:5:1: error: duplicate key 'a' (first at line 1, column 1)\n"
                        "t.yaml:4:1: error: duplicate key 'b' (first at line 2, column 1)\n");
}

static void test_not_utf8(void **state)
{
    (void)state;
    capture_start();
    /* UTF-16 with its byte-order mark is read, with a warning; a broken one is not UTF-8. */
    const unsigned char utf16[] = {0xFF, 0xFE, 'a', 0, ':', 0, ' ', 0, '1', 0};
    yamldoc_t *doc = yamldoc_parse_buffer(test_dg, "u.yaml", utf16, sizeof utf16, NULL);
    assert_non_null(doc);
    assert_true(yamldoc_is(yamldoc_get(doc->root, "a"), "1"));
    assert_string_equal(captured_id, "text-encoding");
    assert_non_null(strstr(captured, "u.yaml: warning: the file is in UTF-16LE, not UTF-8"));
    yamldoc_free(doc);
    capture_start();
    const unsigned char odd[] = {0xFF, 0xFE, 'a', 0, ':'};
    assert_null(yamldoc_parse_buffer(test_dg, "u.yaml", odd, sizeof odd, NULL));
    assert_string_equal(captured, "u.yaml:1:1: error: the file is not UTF-8: it starts with a "
                                  "UTF-16 byte order mark (byte 0xFF at offset 0); save it as "
                                  "UTF-8\n");
    /* Windows-874 Thai ("ก: ข" in TIS-620) is read as such. */
    capture_start();
    const unsigned char tis[] = {0xA1, ':', ' ', 0xA2, '\n'};
    doc = yamldoc_parse_buffer(test_dg, "w.yaml", tis, sizeof tis, NULL);
    assert_non_null(doc);
    assert_true(yamldoc_is(yamldoc_get(doc->root, "ก"), "ข"));
    assert_non_null(strstr(captured, "warning: the file is in Windows-874 (TIS-620)"));
    yamldoc_free(doc);
    capture_start();
    assert_null(parse("a: 1\nb: ก\xE0\x80x\n"));
    assert_string_equal(captured, "t.yaml:2:5: error: the file is not UTF-8: invalid byte 0xE0 "
                                  "at offset 11; save it as UTF-8\n");
    /* Overlong encodings and surrogates are not UTF-8 either (the check itself: as a whole
     * file, such bytes read as Windows-874 Thai). */
    capture_start();
    assert_false(yamldoc_check_utf8(test_dg, "t.yaml", (const unsigned char *)"a: \xC0\xAF\n", 6));
    assert_false(
        yamldoc_check_utf8(test_dg, "t.yaml", (const unsigned char *)"a: \xED\xA0\x80\n", 7));
    /* A UTF-8 file with a broken sequence stays a UTF-8 error, not Windows-874. */
    assert_null(parse("a: กขค\nb: ง\xE0\xB8\n"));
    assert_non_null(strstr(captured, "t.yaml:2:5: error: the file is not UTF-8"));
}

static void test_depth_limit(void **state)
{
    (void)state;
    char deep[300];
    memset(deep, '[', 100);
    deep[100] = '\0';
    assert_null(parse(deep));
    assert_string_equal(captured, "t.yaml:1:65: error: nesting is deeper than 64 levels\n");
    yamldoc_limits_t lim = yamldoc_default_limits();
    lim.max_depth = 3;
    capture_start();
    const char *ok = "a:\n  b:\n    c: 1\n";
    yamldoc_t *doc =
        yamldoc_parse_buffer(test_dg, "t.yaml", (const unsigned char *)ok, strlen(ok), &lim);
    assert_non_null(doc);
    yamldoc_free(doc);
    const char *no = "a:\n  b:\n    c:\n      d: 1\n";
    assert_null(
        yamldoc_parse_buffer(test_dg, "t.yaml", (const unsigned char *)no, strlen(no), &lim));
    assert_string_equal(captured, "t.yaml:4:7: error: nesting is deeper than 3 levels\n");
}

static void test_aliases(void **state)
{
    (void)state;
    yamldoc_t *doc = parse("base: &r [3 months, 6 months]\nplan: *r\n");
    assert_non_null(doc);
    const yamldoc_node_t *plan = yamldoc_get(doc->root, "plan");
    assert_int_equal(plan->count, 2);
    assert_string_equal(plan->items[1]->text, "6 months");
    assert_int_equal(plan->pos.line, 2);
    yamldoc_free(doc);
    assert_null(parse("a: *nowhere\n"));
    assert_string_equal(captured, "t.yaml:1:4: error: alias '*nowhere' refers to no anchor\n");
    assert_null(parse("a: &x [1, *x]\n"));
    assert_string_equal(captured,
                        "t.yaml:1:11: error: alias '*x' refers to a node that contains it\n");
}

/* Aliases are looked up in a hash table: 20,000 anchors and 20,000 aliases to the first
 * of them cost about one name comparison each (a list searched from the end cost 20,000
 * each, 400 million in all); an anchor defined again is the one later aliases mean. */
static void test_anchor_lookups_constant(void **state)
{
    (void)state;
    enum { N = 20000 };
    size_t cap = (size_t)N * 40 + 64, n = 0;
    char *text = mem_alloc(cap);
    n += (size_t)snprintf(text + n, cap - n, "a:\n");
    for (int i = 0; i < N; i++)
        n += (size_t)snprintf(text + n, cap - n, "  - &a%d %d\n", i, i);
    n += (size_t)snprintf(text + n, cap - n, "b:\n");
    for (int i = 0; i < N; i++)
        n += (size_t)snprintf(text + n, cap - n, "  - *a%d\n", i % 7);
    yamldoc_t *doc = parse(text);
    assert_non_null(doc);
    const yamldoc_node_t *b = yamldoc_get(doc->root, "b");
    assert_int_equal(b->count, N);
    assert_string_equal(b->items[N - 1]->text, "0"); /* (N - 1) % 7 */
    assert_true(doc->anchor_probes <= 3 * (size_t)N);
    yamldoc_free(doc);
    free(text);
    doc = parse("x: &k 1\ny: &k 2\nz: *k\n");
    assert_non_null(doc);
    assert_string_equal(yamldoc_get(doc->root, "z")->text, "2");
    yamldoc_free(doc);
}

static void test_billion_laughs(void **state)
{
    (void)state;
    const char *bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                       "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                       "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                       "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                       "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    assert_null(parse(bomb));
    assert_string_equal(captured, "t.yaml:6:8: error: aliases expand to more than 100000 YAML "
                                  "nodes\n");
    assert_int_equal(diag_count(test_dg, DIAG_ERROR), 1);
}

static void test_node_limit(void **state)
{
    (void)state;
    yamldoc_limits_t lim = yamldoc_default_limits();
    lim.max_nodes = 5; /* the sixth node is "3": map, key, list, 1, 2, 3 */
    capture_start();
    const char *text = "a: [1, 2, 3]\nb: 4\n";
    assert_null(
        yamldoc_parse_buffer(test_dg, "t.yaml", (const unsigned char *)text, strlen(text), &lim));
    assert_string_equal(captured, "t.yaml:1:11: error: the file has more than 5 YAML nodes\n");
}

static void test_size_limit_and_documents(void **state)
{
    (void)state;
    yamldoc_limits_t lim = yamldoc_default_limits();
    lim.max_bytes = 8;
    capture_start();
    assert_null(
        yamldoc_parse_buffer(test_dg, "t.yaml", (const unsigned char *)"a: 123456\n", 10, &lim));
    assert_string_equal(captured,
                        "t.yaml: error: the file is too large (10 bytes; the limit is 8)\n");
    assert_null(parse("a: 1\n---\nb: 2\n"));
    assert_string_equal(captured,
                        "t.yaml:2:1: error: only one YAML document is allowed in a file\n");
    assert_null(parse("[1]: x\n"));
    assert_string_equal(captured,
                        "t.yaml:1:1: error: a mapping key must be a plain text, not a list\n");
}

static void test_parse_file(void **state)
{
    (void)state;
    capture_start();
    assert_null(yamldoc_parse_file(test_dg, "/nonexistent/x.yaml", NULL));
    assert_string_equal(captured,
                        "itareport: error: cannot read '/nonexistent/x.yaml': No such file or "
                        "directory\n");
    char path[] = "/tmp/yamldoc-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("x: 1\n", f);
    fclose(f);
    yamldoc_t *doc = yamldoc_parse_file(test_dg, path, NULL);
    assert_non_null(doc);
    assert_string_equal(doc->root->pairs[0].value->pos.file, path);
    yamldoc_free(doc);
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_and_positions),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_column_counts_characters),
        cmocka_unit_test(test_empty_document),
        cmocka_unit_test(test_syntax_error),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_not_utf8),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_anchor_lookups_constant),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_node_limit),
        cmocka_unit_test(test_size_limit_and_documents),
        cmocka_unit_test(test_parse_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
