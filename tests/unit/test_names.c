/* Unit tests for the data names templates are checked against: the program's tables
 * (facts_names, summary_data_names) are the ones docs/templates.md lists, and the loader
 * rejects an unknown name wherever it is, with its position. */
#include "diag_capture.h"
#include "facts.h"
#include "summary.h"
#include "tmpl.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The backquoted first column of the table between "<!-- names: KIND -->" and
 * "<!-- end names -->" in docs/templates.md, one name a line, in a new string. */
static char *doc_names(const char *kind)
{
    FILE *f = fopen("docs/templates.md", "r");
    assert_non_null(f);
    char marker[64], line[1024];
    snprintf(marker, sizeof marker, "<!-- names: %s -->", kind);
    size_t cap = 1 << 16, len = 0;
    char *out = calloc(1, cap);
    bool inside = false;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, marker, strlen(marker)) == 0)
            inside = true;
        else if (inside && strncmp(line, "<!-- end names -->", 18) == 0)
            break;
        else if (inside && strncmp(line, "| `", 3) == 0) {
            char *end = strchr(line + 3, '`');
            assert_non_null(end);
            len +=
                (size_t)snprintf(out + len, cap - len, "%.*s\n", (int)(end - line - 3), line + 3);
        }
    }
    fclose(f);
    return out;
}

static char *table_names(const char *const *names)
{
    size_t cap = 1 << 16, len = 0;
    char *out = calloc(1, cap);
    for (size_t i = 0; names[i]; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s\n", names[i]);
    return out;
}

/* The program's table and the documented one are the same names in the same order. */
static void check_documented(const char *kind, const char *const *names)
{
    char *docs = doc_names(kind), *program = table_names(names);
    assert_true(strlen(program) > 100);
    assert_string_equal(docs, program);
    free(docs);
    free(program);
}

static void test_report_names_are_documented(void **state)
{
    (void)state;
    check_documented("report", facts_names);
}

static void test_summary_names_are_documented(void **state)
{
    (void)state;
    check_documented("summary", summary_data_names);
}

static tmpl_t *load(const char *text, tmpl_names_t names)
{
    return tmpl_load_buffer(test_dg, "t.yaml", (const unsigned char *)text, strlen(text), names);
}

static const char *const names[] = {"passed",       "areas[].name",   "areas[].tools[].code",
                                    "tool.*.score", "q[].@questions", NULL};

static void test_every_branch_is_checked(void **state)
{
    (void)state;
    capture_start();
    tmpl_t *t = load(
        "styles: {body: {size: 16}}\n"
        "wording: {questions: {e1: {finding: a}, e2: {advice: b}}, ok: x}\n"
        "sections:\n"
        "  - blocks:\n"
        "      - paragraph:\n"
        "          - {text: \"{{aeras}}\", when: passed}\n"
        "          - {text: \"x\", unless: pased}\n"
        "      - each: areas\n"
        "        as: a\n"
        "        blocks:\n"
        "          - paragraph: \"{{index}} {{a.name}} {{a.nmae}} {{wording.ok}} {{wording.no}}\"\n"
        "          - list: a.tools\n"
        "            as: t\n"
        "            item: \"{{t.code}} {{tool.iit.score}} {{tool.iit.scroe}}\"\n"
        "      - list: q\n"
        "        as: x\n"
        "        item: \"{{x.finding}} {{x.advice}} {{x.other}}\"\n"
        "      - each: passed\n"
        "        as: y\n"
        "        blocks: []\n",
        names);
    assert_null(t);
    const char *expected[] = {
        "t.yaml:6:21: error: unknown placeholder '{{aeras}}'",
        "t.yaml:7:33: error: unknown data 'pased' in a condition",
        "t.yaml:11:46: error: unknown placeholder '{{a.nmae}}'",
        "t.yaml:11:72: error: unknown placeholder '{{wording.no}}'",
        "t.yaml:14:50: error: unknown placeholder '{{tool.iit.scroe}}'",
        "t.yaml:17:43: error: unknown placeholder '{{x.other}}'",
        "t.yaml:18:15: error: 'passed' is not a list",
    };
    char all[2048] = "";
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        strcat(all, expected[i]);
        strcat(all, "\n");
    }
    assert_string_equal(captured, all);
}

static void test_known_names_load(void **state)
{
    (void)state;
    capture_start();
    tmpl_t *t = load("styles: {body: {size: 16}}\n"
                     "footer: {text: \"{{page}} / {{pages}}\"}\n"
                     "sections:\n"
                     "  - blocks:\n"
                     "      - each: areas\n"
                     "        as: a\n"
                     "        when: passed\n"
                     "        blocks:\n"
                     "          - paragraph: \"{{a.name|or:-}} {{a.tools.0.code}} {{index}}\"\n",
                     names);
    assert_non_null(t);
    assert_string_equal(captured, "");
    assert_int_equal(t->sections[0].blocks[0].blocks[0].pieces[0].text.compiled.count, 5);
    tmpl_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_names_are_documented),
        cmocka_unit_test(test_summary_names_are_documented),
        cmocka_unit_test(test_every_branch_is_checked),
        cmocka_unit_test(test_known_names_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
