/* Unit tests for analyse: the seed's figures, which figure wins (computed, or published
 * filling a gap), cross-check tolerances in whole hundredths, half-up rounding at the grade
 * and label boundaries, the discuss rule, history changes. Models are built both by load
 * and by hand through model_add_score (as a CSV reader would). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analyse.h"
#include "diag_capture.h"
#include "framework.h"
#include "framework_fixture.h"
#include "load.h"
#include "model.h"
#include "yamldoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static model_t *load_seed(void)
{
    capture_start();
    yamldoc_t *doc = yamldoc_parse_file(test_dg, "samples/sepholoe-2566.yaml", NULL);
    assert_non_null(doc);
    model_t *m = load_model(test_dg, doc, fw);
    yamldoc_free(doc);
    assert_non_null(m);
    return m;
}

static decimal_t dec(const char *text)
{
    decimal_t d;
    assert_int_equal(decimal_parse(text, strlen(text), &d), DECIMAL_STATUS_OK);
    return d;
}

static void add(model_score_list_t *list, const char *id, const char *value)
{
    decimal_t d = dec(value);
    model_add_score(list, id, &d, 1, (diag_pos_t){.file = "hand", .line = 1, .column = 1});
}

static char *mem_strdup_for_test(const char *text)
{
    char *copy = malloc(strlen(text) + 1);
    assert_non_null(copy);
    strcpy(copy, text);
    return copy;
}

static size_t q(const char *id)
{
    return framework_find_question(fw, id);
}

static void test_seed(void **state)
{
    (void)state;
    model_t *m = load_seed();
    analyse_findings_t *f = analyse_findings(m, fw);
    assert_int_equal(f->message_count, 0);
    static const int64_t want[] = {9388, 8179, 8650, 8181, 8009, 8011, 7678, 7759, 9250, 8375};
    for (int i = 0; i < 10; i++)
        assert_int_equal(f->indicators[i].score.rounded, want[i]);
    /* Indicators 8 and 9 lack e13 and o4: only the published figures exist. */
    assert_int_equal(f->indicators[7].score.source, ANALYSE_SOURCE_PUBLISHED);
    assert_false(f->indicators[7].score.has_computed);
    assert_int_equal(f->indicators[8].score.source, ANALYSE_SOURCE_PUBLISHED);
    /* Indicator 3: the published 86.50 is the official figure; the questions give exactly
     * 86.495, which rounds half-up to the same. */
    assert_int_equal(f->indicators[2].score.source, ANALYSE_SOURCE_PUBLISHED);
    assert_true(f->indicators[2].score.has_computed);
    assert_int_equal(decimal_cmp(f->indicators[2].score.computed, dec("86.495")), 0);
    assert_int_equal(f->indicators[2].score.computed_rounded, 8650);
    /* Indicator 10 from its sub-indicators (87.5 and 80), not from its 13 items. */
    assert_int_equal(decimal_cmp(f->indicators[9].score.computed, dec("83.75")), 0);
    assert_int_equal(f->indicators[9].subs[0].rounded, 8750);
    assert_int_equal(f->tools[0].score.rounded, 8481);
    assert_int_equal(f->tools[1].score.rounded, 7816);
    assert_int_equal(f->tools[1].score.source, ANALYSE_SOURCE_COMPUTED);
    assert_int_equal(f->tools[1].parts[0].rounded, 7554);
    assert_int_equal(f->tools[1].parts[0].source, ANALYSE_SOURCE_PUBLISHED);
    assert_int_equal(f->tools[1].parts[1].rounded, 8077);
    assert_int_equal(f->tools[2].score.rounded, 8813);
    assert_int_equal(decimal_cmp(f->tools[2].score.computed, dec("88.125")), 0);
    /* The published overall 84.1 is a rounded copy of the computed 84.143: 84.14 is used. */
    assert_int_equal(f->overall.rounded, 8414);
    assert_int_equal(f->overall.source, ANALYSE_SOURCE_COMPUTED);
    assert_true(f->overall.published);
    assert_string_equal(f->grade, "B");
    assert_string_equal(f->label, "ต้องปรับปรุง");
    assert_false(f->passed);
    /* The input names the questions to discuss. */
    assert_true(f->areas[0].discuss_from_input);
    assert_int_equal(f->areas[0].discuss_count, 2);
    assert_int_equal(f->areas[0].discuss[0], q("e11"));
    assert_int_equal(f->areas[0].discuss[1], q("e15"));
    /* Area 5: i7 i8 i9 i10 are below 85; the OIT items are all 100. */
    assert_int_equal(f->areas[4].below_count, 4);
    assert_int_equal(f->areas[4].below[1], q("i8"));
    /* An EIT question's score is the mean of its two parts. */
    assert_int_equal(f->questions[q("e11")].score.rounded, 7385);
    analyse_free_findings(f);
    model_free(m);
}

static void test_discuss_rule(void **state)
{
    (void)state;
    model_t *m = load_seed();
    m->discuss_count = 0; /* forget the input's lists (the model still frees them) */
    analyse_findings_t *f = analyse_findings(m, fw);
    /* Area 1: lowest EIT below 85 is e11; the OIT item o14 is 0; no IIT below 85. */
    assert_false(f->areas[0].discuss_from_input);
    assert_int_equal(f->areas[0].discuss_count, 2);
    assert_int_equal(f->areas[0].discuss[0], q("e11"));
    assert_int_equal(f->areas[0].discuss[1], q("o14"));
    /* Area 3: e10 (70.34) is the lowest; the seed also discussed e7, which the rule misses. */
    assert_int_equal(f->areas[2].discuss_count, 1);
    assert_int_equal(f->areas[2].discuss[0], q("e10"));
    /* Area 6: i27 (77.87) just under i13 (77.91); o24 and o40 tie at 0: the first wins. */
    assert_int_equal(f->areas[5].discuss_count, 2);
    assert_int_equal(f->areas[5].discuss[0], q("i27"));
    assert_int_equal(f->areas[5].discuss[1], q("o24"));
    m->discuss_count = 7;
    analyse_free_findings(f);
    model_free(m);
}

/* A model with only indicator-level scores, as published. */
static model_t *indicator_model(const char *const values[10])
{
    model_t *m = model_new("hand");
    m->fiscal_year = 2566;
    for (int i = 0; i < 10; i++) {
        char id[16];
        snprintf(id, sizeof id, "%d", i + 1);
        add(&m->indicators, id, values[i]);
    }
    return m;
}

static void test_indicator_level_reproduces_overall(void **state)
{
    (void)state;
    static const char *const seed[10] = {"93.88", "81.79", "86.50", "81.81", "80.09",
                                         "80.11", "76.78", "77.59", "92.50", "83.75"};
    model_t *m = indicator_model(seed);
    analyse_findings_t *f = analyse_findings(m, fw);
    assert_int_equal(f->message_count, 0);
    /* no action plan: Part 2 would hold only default measures (check says so) */
    assert_true(f->plan_only_defaults);
    assert_int_equal(f->overall.rounded, 8414);
    assert_int_equal(decimal_cmp(f->overall.exact, dec("84.1422")), 0);
    assert_int_equal(f->tools[1].parts[0].source, ANALYSE_SOURCE_NONE);
    analyse_free_findings(f);
    model_free(m);
}

static void test_rounding_at_boundaries(void **state)
{
    (void)state;
    /* IIT 84.99, EIT 85, OIT (84.99 + 85) / 2 = 84.995 -> overall 25.497 + 25.5 + 33.998 =
     * 84.995 exactly -> 85.00: passes, grade A; ผ่านดี needs every tool >= 85 after rounding
     * (OIT 85.00 yes, IIT 84.99 no), so the label is ผ่าน. */
    static const char *const v[10] = {"84.99", "84.99", "84.99", "84.99", "84.99",
                                      "85",    "85",    "85",    "84.99", "85"};
    model_t *m = indicator_model(v);
    analyse_findings_t *f = analyse_findings(m, fw);
    assert_int_equal(decimal_cmp(f->tools[2].score.exact, dec("84.995")), 0);
    assert_int_equal(f->tools[2].score.rounded, 8500);
    assert_int_equal(decimal_cmp(f->overall.exact, dec("84.995")), 0);
    assert_int_equal(f->overall.rounded, 8500);
    assert_true(f->passed);
    assert_string_equal(f->grade, "A");
    assert_string_equal(f->label, "ผ่าน");
    analyse_free_findings(f);
    model_free(m);
    /* All 95: ผ่านดีเยี่ยม and AA. */
    static const char *const top[10] = {"95", "95", "95", "95", "95", "95", "95", "95", "95", "95"};
    m = indicator_model(top);
    f = analyse_findings(m, fw);
    assert_string_equal(f->grade, "AA");
    assert_string_equal(f->label, "ผ่านดีเยี่ยม");
    analyse_free_findings(f);
    model_free(m);
    static const char *const low[10] = {"60", "60", "60", "60", "60",
                                        "60", "60", "60", "60", "69.99"};
    m = indicator_model(low);
    f = analyse_findings(m, fw);
    assert_string_equal(f->grade, "D");
    assert_string_equal(f->label, "ต้องปรับปรุงโดยด่วน");
    assert_false(f->passed);
    analyse_free_findings(f);
    model_free(m);
}

static void test_cross_check_tolerance(void **state)
{
    (void)state;
    model_t *m = load_seed();
    /* IIT is computed as 84.814 (84.81): the published 84.82 is within 0.01, silent, and the
     * official figure. */
    for (size_t i = 0; i < m->tools.count; i++)
        if (strcmp(m->tools.items[i].id, "iit") == 0)
            m->tools.items[i].values[0] = dec("84.82");
    analyse_findings_t *f = analyse_findings(m, fw);
    assert_int_equal(f->message_count, 0);
    assert_int_equal(f->tools[0].score.rounded, 8482);
    assert_int_equal(f->tools[0].score.source, ANALYSE_SOURCE_PUBLISHED);
    assert_int_equal(f->tools[0].score.computed_rounded, 8481);
    analyse_free_findings(f);
    for (size_t i = 0; i < m->tools.count; i++)
        if (strcmp(m->tools.items[i].id, "iit") == 0)
            m->tools.items[i].values[0] = dec("84.83");
    /* The overall is now 0.3 x 84.83 + 0.3 x 78.16 + 0.4 x 88.13 = 84.149; the published
     * 84.08 (two places: not a rounded copy) is 0.07 away: a warning, and it is used. */
    m->overall.values[0] = dec("84.08");
    m->overall.places = 2;
    f = analyse_findings(m, fw);
    assert_int_equal(f->message_count, 2);
    assert_int_equal(f->messages[0]->severity, DIAG_WARNING);
    assert_string_equal(f->messages[0]->message,
                        "published iit 84.83 differs from 84.81, computed from indicators 1, 2, "
                        "3, 4 and 5, by 0.02; the published figure is used");
    assert_int_equal(f->messages[0]->pos.line, m->tools.items[0].pos.line);
    assert_string_equal(f->messages[1]->message,
                        "published overall 84.08 differs from 84.15, computed from the tools iit, "
                        "eit and oit, by 0.07; the published figure is used");
    assert_int_equal(f->overall.rounded, 8408);
    analyse_free_findings(f);
    model_free(m);
}

/* A published figure far from the computed one: an error naming both (no report then). */
static void test_published_far_is_error(void **state)
{
    (void)state;
    model_t *m = load_seed();
    m->overall.values[0] = dec("84.84"); /* 0.70 above the computed 84.14 */
    m->overall.places = 2;
    analyse_findings_t *f = analyse_findings(m, fw);
    assert_int_equal(analyse_count(f, DIAG_ERROR), 1);
    assert_int_equal(f->messages[0]->severity, DIAG_ERROR);
    assert_string_equal(f->messages[0]->message,
                        "published overall 84.84 differs from 84.14, computed from the tools iit, "
                        "eit and oit, by 0.70: one of them is mistyped");
    assert_int_equal(f->messages[0]->pos.line, m->overall.pos.line);
    analyse_free_findings(f);
    /* 0.50 away is still a warning; 0.51 an error. */
    m->overall.values[0] = dec("84.64");
    f = analyse_findings(m, fw);
    assert_int_equal(analyse_count(f, DIAG_ERROR), 0);
    assert_int_equal(analyse_count(f, DIAG_WARNING), 1);
    analyse_free_findings(f);
    m->overall.values[0] = dec("84.65");
    f = analyse_findings(m, fw);
    assert_int_equal(analyse_count(f, DIAG_ERROR), 1);
    analyse_free_findings(f);
    /* A one-place copy that the computed figure does not round to is compared in full:
     * 84.2 against 84.14 is 0.06 away, a warning, and 84.2 (84.20) is used. */
    m->overall.values[0] = dec("84.2");
    m->overall.places = 1;
    f = analyse_findings(m, fw);
    assert_int_equal(analyse_count(f, DIAG_WARNING), 1);
    assert_int_equal(f->overall.rounded, 8420);
    analyse_free_findings(f);
    model_free(m);
}

/* The NACC computes from unrounded values: a published 85.00 whose two-decimal tools give
 * 84.99 is the official result, A, passed. */
static void test_published_overall_wins(void **state)
{
    (void)state;
    model_t *m = model_new("hand");
    add(&m->tools, "iit", "84.99");
    add(&m->tools, "eit", "84.99");
    add(&m->tools, "oit", "84.99");
    add(&m->indicators, "1", "84.99"); /* an indicator alone computes nothing above it */
    analyse_findings_t *f = analyse_findings(m, fw);
    assert_int_equal(f->overall.rounded, 8499);
    assert_string_equal(f->grade, "B");
    assert_false(f->passed);
    analyse_free_findings(f);
    decimal_t v = dec("85.00");
    m->overall = (model_score_t){
        mem_strdup_for_test("overall"), {v}, 1, 2, {.file = "hand", .line = 5, .column = 3}};
    f = analyse_findings(m, fw);
    assert_int_equal(f->message_count, 0); /* 0.01 away: silent */
    assert_int_equal(f->overall.rounded, 8500);
    assert_int_equal(f->overall.source, ANALYSE_SOURCE_PUBLISHED);
    assert_int_equal(f->overall.computed_rounded, 8499);
    assert_string_equal(f->grade, "A");
    assert_true(f->passed);
    assert_string_equal(f->label, "ผ่าน"); /* every tool below 85: not ผ่านดี */
    analyse_free_findings(f);
    model_free(m);
}

static framework_t *load_year(const char *id)
{
    char path[128];
    snprintf(path, sizeof path, "templates/%s/framework.yaml", id);
    capture_start();
    framework_t *y = framework_load_file(test_dg, path);
    assert_non_null(y);
    return y;
}

/* Scores at any level: overall only, tools only, and the Thai label that needs every tool. */
static void test_any_level(void **state)
{
    (void)state;
    framework_t *y = load_year("ita-2568");
    /* The State Audit Office, FY2568: 94.64 with EIT 84.80 and IIT, OIT above 97: ผ่าน. */
    model_t *m = model_new("hand");
    add(&m->tools, "iit", "97.50");
    add(&m->tools, "eit", "84.80");
    add(&m->tools, "oit", "99.88");
    analyse_findings_t *f = analyse_findings(m, y);
    /* The one message: no indicator to choose for the measures (O25), a warning. */
    assert_int_equal(f->message_count, 1);
    assert_int_equal(f->messages[0]->severity, DIAG_WARNING);
    assert_non_null(strstr(f->messages[0]->message, "focus.indicator"));
    assert_int_equal(f->overall.rounded, 9464); /* 29.25 + 25.44 + 39.952 = 94.642 */
    assert_string_equal(f->grade, "A");
    assert_string_equal(f->label, "ผ่าน");
    assert_true(f->passed);
    assert_int_equal(f->indicators[0].score.source, ANALYSE_SOURCE_NONE);
    assert_int_equal(f->focus, FRAMEWORK_NONE);
    analyse_free_findings(f);
    model_free(m);

    /* Overall only: the grade follows from it, the label cannot be determined (ผ่านดี and
     * ผ่านดีเยี่ยม need the tools) unless the published label is given. */
    m = model_new("hand");
    decimal_t v = dec("94.64");
    m->overall = (model_score_t){
        mem_strdup_for_test("overall"), {v}, 1, 2, {.file = "hand", .line = 3, .column = 3}};
    f = analyse_findings(m, y);
    assert_int_equal(f->overall.rounded, 9464);
    assert_string_equal(f->grade, "A");
    assert_null(f->label);
    assert_true(f->label_undetermined);
    assert_true(f->passed);
    assert_int_equal(f->tools[1].score.source, ANALYSE_SOURCE_NONE);
    analyse_free_findings(f);
    m->label = (model_text_t){mem_strdup_for_test("ผ่าน"), {.file = "hand", .line = 4, .column = 8}};
    f = analyse_findings(m, y);
    assert_string_equal(f->label, "ผ่าน");
    assert_true(f->label_published);
    assert_false(f->label_undetermined);
    analyse_free_findings(f);
    /* Below 85 the label needs no tool: ต้องปรับปรุง from the overall alone. */
    m->overall.values[0] = dec("80");
    free(m->label.text);
    m->label.text = NULL;
    f = analyse_findings(m, y);
    assert_string_equal(f->label, "ต้องปรับปรุง");
    analyse_free_findings(f);
    model_free(m);

    /* Nothing at all: the only error. */
    m = model_new("hand");
    m->scores_pos = (diag_pos_t){.file = m->file, .line = 9, .column = 1};
    f = analyse_findings(m, y);
    assert_int_equal(analyse_count(f, DIAG_ERROR), 1);
    assert_string_equal(f->messages[0]->message,
                        "no overall score: give scores.overall, or the scores of every tool, "
                        "indicator or question");
    assert_int_equal(f->messages[0]->pos.line, 9);
    analyse_free_findings(f);
    model_free(m);
    framework_free(y);
}

/* The indicator chosen for measures: the lowest, or the input's. */
static void test_focus(void **state)
{
    (void)state;
    framework_t *y = load_year("ita-2568");
    static const char *const v[10] = {"97.12", "92.45", "94.08", "93.67", "95.30",
                                      "91.26", "89.94", "90.38", "100",   "96.25"};
    model_t *m = indicator_model(v);
    analyse_findings_t *f = analyse_findings(m, y);
    assert_int_equal(f->focus, 6); /* indicator 7, 89.94 */
    assert_false(f->focus_from_input);
    analyse_free_findings(f);
    m->focus_indicator = 2;
    f = analyse_findings(m, y);
    assert_int_equal(f->focus, 1);
    assert_true(f->focus_from_input);
    analyse_free_findings(f);
    model_free(m);
    framework_free(y);
}

static void test_history_changes(void **state)
{
    (void)state;
    model_t *m = load_seed();
    model_history_t *h = model_add_history(m);
    h->fiscal_year = 2564;
    add(&h->figures, "overall", "80.5");
    h = model_add_history(m);
    h->fiscal_year = 2565;
    add(&h->figures, "overall", "86");
    add(&h->figures, "oit", "90.125");
    add(&h->indicators, "3", "88.00");
    analyse_findings_t *f = analyse_findings(m, fw);
    assert_true(f->changes[0].has_indicator[2]);
    assert_false(f->changes[0].has_indicator[1]);
    assert_int_equal(f->changes[0].indicator_change[2], 8650 - 8800);
    assert_int_equal(f->change_count, 2);
    assert_int_equal(f->changes[0].fiscal_year, 2565); /* most recent first */
    assert_int_equal(f->changes[0].overall_change, 8414 - 8600);
    assert_true(f->changes[0].has_tool[2]);
    assert_false(f->changes[0].has_tool[0]);
    assert_int_equal(f->changes[0].tool_then[2], 9013);
    assert_int_equal(f->changes[0].tool_change[2], 8813 - 9013);
    assert_int_equal(f->changes[1].overall_change, 8414 - 8050);
    analyse_free_findings(f);
    model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_discuss_rule),
        cmocka_unit_test(test_indicator_level_reproduces_overall),
        cmocka_unit_test(test_rounding_at_boundaries),
        cmocka_unit_test(test_cross_check_tolerance),
        cmocka_unit_test(test_published_far_is_error),
        cmocka_unit_test(test_published_overall_wins),
        cmocka_unit_test(test_any_level),
        cmocka_unit_test(test_focus),
        cmocka_unit_test(test_history_changes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
