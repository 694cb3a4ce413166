/* Unit tests for framework: the 2566 catalogue as read from templates/, and the checks
 * that keep a hand-edited framework file consistent. Run from the source tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "diag_capture.h"
#include "framework.h"
#include "yamldoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static framework_t *from_text(const char *text)
{
    capture_start();
    yamldoc_t *doc =
        yamldoc_parse_buffer(test_dg, "fw.yaml", (const unsigned char *)text, strlen(text), NULL);
    assert_non_null(doc);
    framework_t *fw = framework_from_doc(test_dg, doc);
    yamldoc_free(doc);
    return fw;
}

/* A small valid framework; tests replace pieces of it. */
static const char *const small =
    "id: t\nfiscal_year: 2566\ntitle: T\npass_mark: 85\noverall: weighted_mean_of_tools\n"
    "score_range: {min: 0, max: 100}\n"
    "cross_check: {tolerance: 0.01, error_tolerance: 0.5}\n"
    "tools:\n"
    "  - {id: a, code: A, name: AA, weight: 60}\n"
    "  - {id: b, code: B, name: BB, weight: 40, indicator_score: mean_of_part_means,\n"
    "     parts: [{id: p1, name: P1}, {id: p2, name: P2}]}\n"
    "indicators:\n"
    "  - {number: 1, name: one, tool: a, questions: {a1: x, a2: y}}\n"
    "  - {number: 2, name: two, tool: b, questions: {b1: x, b2: y}}\n"
    "grades: [{letter: G, min: 50}, {letter: H, min: 0}]\n"
    "labels: [{label: L, overall_min: 85, each_tool_min: 85}, {label: M}]\n"
    "areas: [{number: 1, name: area, questions: [a1, b2]}]\n"
    "agency_types: [a, b]\n";

static char *replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    char *out = malloc(strlen(text) + strlen(to) + 1);
    memcpy(out, text, (size_t)(at - text));
    strcpy(out + (at - text), to);
    strcat(out, at + strlen(from));
    return out;
}

static void test_ita_2566(void **state)
{
    (void)state;
    capture_start();
    framework_t *fw = framework_load_file(test_dg, "templates/ita-2566/framework.yaml");
    assert_non_null(fw);
    assert_string_equal(captured, "");
    assert_string_equal(fw->id, "ita-2566");
    assert_false(fw->provisional);
    assert_int_equal(fw->tool_count, 3);
    assert_int_equal(fw->indicator_count, 10);
    assert_int_equal(fw->question_count, 30 + 15 + 43);
    assert_int_equal(fw->pass_mark, 8500);
    assert_int_equal(fw->tools[1].part_count, 2);
    assert_int_equal(fw->indicators[2].number, 3);
    assert_string_equal(fw->indicators[2].name, "การใช้อำนาจ");
    assert_int_equal(fw->indicators[8].sub_count, 5);
    assert_int_equal(fw->indicators[8].question_count, 30);
    assert_string_equal(fw->indicators[9].subs[1].number, "10.2");
    assert_int_equal(fw->indicators[9].subs[1].question_count, 5);
    size_t q = framework_find_question(fw, "o40");
    assert_int_equal(fw->questions[q].indicator, 9);
    assert_int_equal(fw->questions[q].sub, 1);
    assert_int_equal(fw->area_count, 7);
    assert_int_equal(fw->areas[6].question_count, 24);
    assert_int_equal(fw->grade_count, 7);
    assert_string_equal(fw->labels[3].label, "ต้องปรับปรุง");
    assert_int_equal(fw->labels[3].overall_min, 7000);
    assert_int_equal(fw->labels[3].each_tool_min, -1);
    assert_int_equal(fw->discuss_below, 8500);
    assert_int_equal(fw->discuss_per_tool, 1);
    assert_int_equal(fw->tolerance, 1);
    assert_int_equal(fw->error_tolerance, 50);
    assert_int_equal(fw->item_count, 0);
    assert_false(fw->focus_lowest);
    assert_int_equal(framework_find_tool(fw, "zz"), FRAMEWORK_NONE);
    framework_free(fw);
}

static void test_provisional_years(void **state)
{
    (void)state;
    const char *paths[] = {"templates/ita-2567/framework.yaml", "templates/ita-2568/framework.yaml",
                           "templates/ita-2569/framework.yaml"};
    /* 2567: no OIT item list; 2568 and 2569: 26 items each, outside the scoring chain. */
    static const size_t items[] = {0, 26, 26};
    for (int i = 0; i < 3; i++) {
        capture_start();
        framework_t *fw = framework_load_file(test_dg, paths[i]);
        assert_non_null(fw);
        assert_true(fw->provisional);
        assert_int_equal(fw->fiscal_year, 2567 + i);
        assert_int_equal(fw->indicator_count, 10);
        assert_int_equal(fw->question_count, 0);
        assert_int_equal(fw->item_count, items[i]);
        assert_int_equal(fw->pass_mark, 8500);
        assert_int_equal(fw->tool_count, 3);
        assert_int_equal(decimal_cmp(fw->tools[2].weight, decimal_from_int(40)), 0);
        assert_int_equal(fw->labels[1].each_tool_min, 8500); /* ผ่านดี: every tool 85 */
        assert_int_equal(fw->focus_lowest, i > 0);
        if (items[i]) {
            assert_string_equal(fw->items[0].id, "o1");
            assert_int_equal(fw->items[0].tool, 2);
            assert_string_equal(fw->items[25].id, "o26");
        }
        if (i == 1) {
            assert_null(fw->items[6].name);  /* O7 of 2568: not known, not invented */
            assert_null(fw->items[24].name); /* O25 of 2568 */
            assert_string_equal(fw->items[0].name, "โครงสร้างและอำนาจหน้าที่");
        }
        if (i == 2) {
            assert_null(fw->items[5].name); /* O6 of 2569 */
            assert_string_equal(fw->items[24].name, "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร");
        }
        framework_free(fw);
    }
}

/* Every folder of templates/ holds a framework that reads without a message. */
static void test_every_template_reads(void **state)
{
    (void)state;
    char *ids = framework_list_ids(".");
    char *save = NULL;
    int count = 0;
    for (char *id = strtok_r(ids, ", ", &save); id; id = strtok_r(NULL, ", ", &save)) {
        capture_start();
        diag_pos_t at = {.file = "test", .line = 1, .column = 1};
        framework_t *f = framework_open(test_dg, ".", id, &at);
        assert_non_null(f);
        assert_string_equal(captured, "");
        assert_string_equal(f->id, id);
        framework_free(f);
        count++;
    }
    assert_true(count >= 3);
    free(ids);
}

static void test_small_is_valid(void **state)
{
    (void)state;
    framework_t *fw = from_text(small);
    assert_string_equal(captured, "");
    assert_non_null(fw);
    assert_int_equal(fw->tools[1].indicator_score, FRAMEWORK_METHOD_MEAN_OF_PART_MEANS);
    assert_int_equal(fw->tools[0].indicator_score, FRAMEWORK_METHOD_MEAN_OF_QUESTIONS);
    framework_free(fw);
}

/* Each broken variant of the small framework and the message it must give. */
static void test_inconsistencies(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to, *message;
    } cases[] = {
        {"weight: 40,", "weight: 30,",
         "fw.yaml:9:3: error: the tools' weights must add up to 100\n"},
        {"mean_of_part_means", "mean_of_parts_means",
         "fw.yaml:10:61: error: unknown method 'mean_of_parts_means' for indicator_score "
         "(known: mean_of_questions, mean_of_part_means, mean_of_sub_indicators, "
         "mean_of_indicators, mean_of_parts, weighted_mean_of_tools)\n"},
        {"tool: b,", "tool: c,", "fw.yaml:14:34: error: indicator 2 names an unknown tool 'c'\n"},
        {"b1: x", "a1: x", "fw.yaml:14:49: error: question 'a1' is listed twice\n"},
        {"[a1, b2]", "[a1, b9]", "fw.yaml:17:49: error: area 1 lists an unknown question 'b9'\n"},
        {"min: 0}", "min: 60}",
         "fw.yaml:15:49: error: grades must be listed from the highest band down\n"},
        {"pass_mark: 85", "pass_mark: 185",
         "fw.yaml:4:12: error: pass_mark 185 is outside 0-100\n"},
        {"title: T\n", "titel: T\n",
         "fw.yaml:3:1: error: unknown key 'titel' in the framework (did you mean 'title'?)\n"
         "fw.yaml:1:1: error: missing required key 'title' in the framework\n"},
        {"number: 2,", "number: 1,", "fw.yaml:14:14: error: indicator 1 is defined twice\n"},
        {"error_tolerance: 0.5}", "error_tolerance: 0}",
         "fw.yaml:7:49: error: error_tolerance must not be below tolerance\n"},
        {"weight: 60}", "weight: 60, items: {a1: a}}",
         "fw.yaml:1:1: error: item 'a1' is also a question of an indicator\n"},
        {"max: 100}", "max: 60}",
         "fw.yaml:4:12: error: pass_mark 85 is outside 0-60\n"
         "fw.yaml:16:34: error: overall_min 85 is outside 0-60\n"
         "fw.yaml:16:53: error: each_tool_min 85 is outside 0-60\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = replace(small, cases[i].from, cases[i].to);
        framework_t *fw = from_text(text);
        assert_null(fw);
        assert_string_equal(captured, cases[i].message);
        free(text);
    }
}

static void test_open_and_list(void **state)
{
    (void)state;
    char *ids = framework_list_ids(".");
    assert_string_equal(ids, "ita-2566, ita-2567, ita-2568, ita-2569");
    free(ids);
    capture_start();
    diag_pos_t at = {.file = "in.yaml", .line = 1, .column = 12};
    assert_null(framework_open(test_dg, ".", "../templates/ita-2566", &at));
    assert_string_equal(captured, "in.yaml:1:12: error: unknown framework '../templates/ita-2566' "
                                  "(known: ita-2566, ita-2567, ita-2568, ita-2569)\n");
    framework_t *fw = framework_open(test_dg, ".", "ita-2567", &at);
    assert_non_null(fw);
    framework_free(fw);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A framework file is read once while it is unchanged: the second load hands out the same
 * framework; a rewritten file is read again; a file that does not read is never kept. */
static void test_kept_while_unchanged(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_framework_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/framework.yaml", dir);
    write_file(path, small);
    capture_start();
    framework_t *a = framework_load_file(test_dg, path);
    framework_t *b = framework_load_file(test_dg, path);
    assert_non_null(a);
    assert_ptr_equal(a, b);
    assert_string_equal(b->title, "T");
    framework_free(a);
    assert_string_equal(b->title, "T"); /* still held by b */
    framework_free(b);

    /* Rewritten (another size, so another stamp even within one clock tick). */
    char *changed = replace(small, "title: T\n", "title: Changed\n");
    write_file(path, changed);
    framework_t *c = framework_load_file(test_dg, path);
    assert_non_null(c);
    assert_string_equal(c->title, "Changed");
    framework_free(c);

    /* Broken: reported on every load, not only the first. */
    char *broken = replace(small, "weight: 40,", "weight: 30,");
    write_file(path, broken);
    for (int i = 0; i < 2; i++) {
        capture_start();
        assert_null(framework_load_file(test_dg, path));
        assert_non_null(strstr(captured, "the tools' weights must add up to 100"));
    }
    framework_cache_clear();
    remove(path);
    rmdir(dir);
    free(changed);
    free(broken);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ita_2566),
        cmocka_unit_test(test_provisional_years),
        cmocka_unit_test(test_every_template_reads),
        cmocka_unit_test(test_small_is_valid),
        cmocka_unit_test(test_inconsistencies),
        cmocka_unit_test(test_open_and_list),
        cmocka_unit_test(test_kept_while_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
