/* Unit tests for load: the seed sample into the model (values and positions), every error
 * collected in one pass, empty values counted as missing, the error limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "diag_capture.h"
#include "framework.h"
#include "framework_fixture.h"
#include "load.h"
#include "model.h"
#include "yamldoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static model_t *load_text(const char *text)
{
    capture_start();
    yamldoc_t *doc =
        yamldoc_parse_buffer(test_dg, "in.yaml", (const unsigned char *)text, strlen(text), NULL);
    assert_non_null(doc);
    model_t *m = load_model(test_dg, doc, fw);
    yamldoc_free(doc);
    return m;
}

#define HEAD                                                                                       \
    "framework: ita-2566\nfiscal_year: 2566\n"                                                     \
    "agency: {name: อบต.ทดสอบ, type: เทศบาล, district: เมือง, province: น่าน}\n"

static void test_seed(void **state)
{
    (void)state;
    capture_start();
    yamldoc_t *doc = yamldoc_parse_file(test_dg, "samples/sepholoe-2566.yaml", NULL);
    assert_non_null(doc);
    model_t *m = load_model(test_dg, doc, fw);
    yamldoc_free(doc); /* the model keeps its own file name for positions */
    assert_non_null(m);
    assert_string_equal(captured, "");
    assert_string_equal(m->agency.district.text, "กุมภวาปี");
    assert_int_equal(m->fiscal_year, 2566);
    assert_int_equal(m->questions.count, 30 + 14 + 42);
    const model_score_t *e1 = model_find_score(&m->questions, "e1");
    assert_non_null(e1);
    assert_int_equal(e1->value_count, 2);
    assert_int_equal(decimal_round(e1->values[1], 2), 8114);
    assert_string_equal(e1->pos.file, "samples/sepholoe-2566.yaml");
    assert_int_equal(e1->pos.line, 50);
    assert_int_equal(e1->pos.column, 9);
    assert_null(model_find_score(&m->questions, "e13"));
    assert_null(model_find_score(&m->questions, "o4"));
    assert_int_equal(m->indicators.count, 10);
    assert_int_equal(decimal_round(model_find_score(&m->indicators, "3")->values[0], 2), 8650);
    assert_int_equal(m->tools.count, 4);
    assert_int_equal(m->overall.value_count, 1);
    assert_int_equal(decimal_round(m->overall.values[0], 2), 8410);
    assert_int_equal(m->discuss_count, 7);
    assert_string_equal(model_find_discuss(m, 7)->questions.items[1].text, "i29");
    assert_int_equal(m->measure_count, 7);
    assert_int_equal(m->measures[1].follow_up.count, 4);
    assert_string_equal(m->measures[4].responsible.text, "กองคลัง");
    assert_int_equal(m->limitation_count, 5);
    assert_string_equal(m->limitations[4].detail.text, "เศรษฐกิจมีเพียงการทำไร่นา ไม่มีอุตสาหกรรมขนาดใหญ่");
    assert_int_equal(m->history_count, 0);
    model_free(m);
}

static void test_all_errors_in_one_pass(void **state)
{
    (void)state;
    model_t *m = load_text(HEAD "scores:\n"
                                "  questions: {i1: 101, e1: [1, 2, 3], zz: 5, o1: .NaN}\n"
                                "  indicators: {11: 5, x: 5}\n"
                                "  tools: {eit_part3: 5, oit: '88'}\n"
                                "histroy: []\n");
    assert_null(m);
    assert_string_equal(
        captured,
        "in.yaml:8:1: error: unknown key 'histroy' in the input (did you mean 'history'?)\n"
        "in.yaml:5:19: error: score 101 is outside 0-100 (question i1)\n"
        "in.yaml:5:28: error: question e1 needs a list of 2 scores (ส่วนที่ 1, ส่วนที่ 2), not a "
        "list of another length\n"
        "in.yaml:5:39: error: framework ita-2566 has no question 'zz'\n"
        "in.yaml:5:50: error: the score of question o1 is not a number (.NaN)\n"
        "in.yaml:6:16: error: framework ita-2566 has no indicator 11\n"
        "in.yaml:6:23: error: an indicator number must be a whole number, not \"x\"\n"
        "in.yaml:7:11: error: unknown key 'eit_part3' in scores.tools (did you mean "
        "'eit_part1'?)\n"
        "in.yaml:7:30: error: the score of scores.tools oit must be a number, not \"88\"\n");
    assert_int_equal(diag_count(test_dg, DIAG_ERROR), 9);
}

static void test_empty_values_are_missing(void **state)
{
    (void)state;
    model_t *m = load_text(HEAD "scores:\n  questions:\n    i1:\n    i2: ~\n    i3: 50\n"
                                "  indicators:\n    1:\n  overall:\n"
                                "history:\ndiscuss:\n  1:\n");
    assert_non_null(m);
    assert_string_equal(captured, "");
    assert_int_equal(m->questions.count, 1);
    assert_int_equal(m->indicators.count, 0);
    assert_int_equal(m->overall.value_count, 0);
    assert_int_equal(m->discuss_count, 0);
    assert_string_equal(m->agency.type.text, "เทศบาล");
    model_free(m);
}

static void test_error_limit(void **state)
{
    (void)state;
    char text[4096] = HEAD "scores:\n  questions:\n";
    for (int i = 1; i <= 30; i++) {
        char line[32];
        snprintf(line, sizeof line, "    i%d: 500\n", i);
        strcat(text, line);
    }
    assert_null(load_text(text));
    /* Twenty errors are shown, the 21st stops the walk and one note says so. */
    assert_int_equal(diag_count(test_dg, DIAG_ERROR), DIAG_DEFAULT_ERROR_LIMIT + 1);
    assert_non_null(
        strstr(captured, "itareport: note: too many errors; stopped after the first 20\n"));
    assert_null(strstr(captured, "question i21"));
    size_t lines = 0;
    for (const char *p = captured; (p = strstr(p, ": error: ")); p++)
        lines++;
    assert_int_equal(lines, DIAG_DEFAULT_ERROR_LIMIT);
}

static void test_framework_id(void **state)
{
    (void)state;
    capture_start();
    const char *text = "- a\n- b\n";
    yamldoc_t *doc =
        yamldoc_parse_buffer(test_dg, "in.yaml", (const unsigned char *)text, strlen(text), NULL);
    assert_null(load_framework_id(test_dg, doc));
    assert_string_equal(captured, "in.yaml:1:1: error: the input must be a mapping, not a list\n");
    yamldoc_free(doc);
    capture_start();
    text = "framework: [a]\n";
    doc = yamldoc_parse_buffer(test_dg, "in.yaml", (const unsigned char *)text, strlen(text), NULL);
    assert_null(load_framework_id(test_dg, doc));
    assert_string_equal(captured,
                        "in.yaml:1:12: error: framework must be a text or number, not a list\n");
    yamldoc_free(doc);
}

static void test_history_and_plan(void **state)
{
    (void)state;
    model_t *m = load_text(HEAD "scores: {}\n"
                                "history:\n"
                                "  - {fiscal_year: 2564, overall: 70.5, iit: 80}\n"
                                "  - {fiscal_year: 2565, overall: 75}\n"
                                "action_plan:\n"
                                "  - {area: 3, steps: one step, follow_up: [a, b]}\n"
                                "limitations: [ข้อจำกัดด้านงบประมาณ]\n");
    assert_non_null(m);
    assert_int_equal(m->history_count, 2);
    assert_int_equal(m->history[0].figures.count, 2);
    assert_int_equal(
        decimal_round(model_find_score(&m->history[0].figures, "overall")->values[0], 2), 7050);
    assert_int_equal(m->measures[0].area, 3);
    assert_int_equal(m->measures[0].steps.count, 1);
    assert_string_equal(m->measures[0].steps.items[0].text, "one step");
    assert_int_equal(m->measures[0].follow_up.count, 2);
    assert_string_equal(m->limitations[0].topic.text, "ข้อจำกัดด้านงบประมาณ");
    model_free(m);
}

/* What later years need: the places a published figure is written with (a rounded copy),
 * the published grade and label, indicator scores in history, the focus, OIT items outside
 * the scoring chain. */
static void test_years_fields(void **state)
{
    (void)state;
    model_t *m =
        load_text(HEAD "scores:\n"
                       "  indicators: {3: 86.5, 4: 81.81}\n"
                       "  tools: {iit: 84}\n"
                       "  overall: 84.1\n"
                       "  grade: B\n"
                       "  label: ต้องปรับปรุง\n"
                       "history:\n"
                       "  - {fiscal_year: 2565, overall: 80, indicators: {7: 86.75}}\n"
                       "focus:\n"
                       "  indicator: 7\n"
                       "  measures:\n"
                       "    - {measure: m1, responsible: r, period: p, follow_up: [a, b]}\n");
    assert_non_null(m);
    assert_string_equal(captured, "");
    assert_int_equal(m->overall.places, 1);
    assert_int_equal(model_find_score(&m->indicators, "3")->places, 1);
    assert_int_equal(model_find_score(&m->indicators, "4")->places, 2);
    assert_int_equal(model_find_score(&m->tools, "iit")->places, 0);
    assert_string_equal(m->grade.text, "B");
    assert_string_equal(m->label.text, "ต้องปรับปรุง");
    assert_int_equal(m->label.pos.line, 9);
    assert_int_equal(m->history[0].indicators.count, 1);
    assert_int_equal(decimal_round(model_find_score(&m->history[0].indicators, "7")->values[0], 2),
                     8675);
    assert_int_equal(m->focus_indicator, 7);
    assert_int_equal(m->focus_measure_count, 1);
    assert_string_equal(m->focus_measures[0].period.text, "p");
    assert_int_equal(m->focus_measures[0].follow_up.count, 2);
    model_free(m);
    /* A label or grade the framework does not have, a focus on no indicator. */
    m = load_text(HEAD "scores: {overall: 90, label: ผ่านมาก, grade: Z}\nfocus: {indicator: 12}\n");
    assert_null(m);
    assert_string_equal(captured,
                        "in.yaml:4:46: error: grade 'Z' is not one of framework ita-2566's "
                        "(AA, A, B, C, D, E, F)\n"
                        "in.yaml:4:30: error: label 'ผ่านมาก' is not one of framework ita-2566's "
                        "(ผ่านดีเยี่ยม, ผ่านดี, ผ่าน, ต้องปรับปรุง, ต้องปรับปรุงโดยด่วน)\n"
                        "in.yaml:5:20: error: framework ita-2566 has no indicator 12\n");
    /* 2568: its OIT items take a score, outside the chain; an unknown id is still an error. */
    framework_t *y = framework_load_file(test_dg, "templates/ita-2568/framework.yaml");
    assert_non_null(y);
    const char *text = "framework: ita-2568\nfiscal_year: 2568\n"
                       "agency: {name: ก, type: อบต., district: ข, province: ค}\n"
                       "scores: {questions: {o25: 100, o27: 100}, overall: 90}\n";
    capture_start();
    yamldoc_t *doc =
        yamldoc_parse_buffer(test_dg, "in.yaml", (const unsigned char *)text, strlen(text), NULL);
    assert_null(load_model(test_dg, doc, y));
    assert_string_equal(captured,
                        "in.yaml:4:32: error: framework ita-2568 has no question 'o27'\n");
    yamldoc_free(doc);
    text = "framework: ita-2568\nfiscal_year: 2568\n"
           "agency: {name: ก, type: อบต., district: ข, province: ค}\n"
           "scores: {questions: {o25: 100, o7: 0}, overall: 90}\n";
    capture_start();
    doc = yamldoc_parse_buffer(test_dg, "in.yaml", (const unsigned char *)text, strlen(text), NULL);
    m = load_model(test_dg, doc, y);
    assert_non_null(m);
    assert_int_equal(m->questions.count, 2);
    model_free(m);
    yamldoc_free(doc);
    framework_free(y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_all_errors_in_one_pass),
        cmocka_unit_test(test_empty_values_are_missing),
        cmocka_unit_test(test_error_limit),
        cmocka_unit_test(test_framework_id),
        cmocka_unit_test(test_history_and_plan),
        cmocka_unit_test(test_years_fields),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
