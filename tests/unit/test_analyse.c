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
    /* Indicators 8 and 9 lack e13 and o4: the published figures fill the gap. */
    assert_int_equal(f->indicators[7].score.source, ANALYSE_SOURCE_PUBLISHED);
    assert_int_equal(f->indicators[8].score.source, ANALYSE_SOURCE_PUBLISHED);
    assert_int_equal(f->indicators[2].score.source, ANALYSE_SOURCE_COMPUTED);
    assert_int_equal(decimal_cmp(f->indicators[2].score.exact, dec("86.495")), 0);
    /* Indicator 10 from its sub-indicators (87.5 and 80), not from its 13 items. */
    assert_int_equal(decimal_cmp(f->indicators[9].score.exact, dec("83.75")), 0);
    assert_int_equal(f->indicators[9].subs[0].rounded, 8750);
    assert_int_equal(f->tools[0].score.rounded, 8481);
    assert_int_equal(f->tools[1].score.rounded, 7816);
    assert_int_equal(f->tools[1].score.source, ANALYSE_SOURCE_COMPUTED);
    assert_int_equal(f->tools[1].parts[0].rounded, 7554);
    assert_int_equal(f->tools[1].parts[0].source, ANALYSE_SOURCE_PUBLISHED);
    assert_int_equal(f->tools[1].parts[1].rounded, 8077);
    assert_int_equal(f->tools[2].score.rounded, 8813);
    assert_int_equal(decimal_cmp(f->tools[2].score.exact, dec("88.125")), 0);
    assert_int_equal(f->overall.rounded, 8414);
    assert_int_equal(f->overall.source, ANALYSE_SOURCE_COMPUTED);
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
    /* IIT is computed as 84.814 (84.81): 84.82 is within 0.01, 84.83 is not. */
    for (size_t i = 0; i < m->tools.count; i++)
        if (strcmp(m->tools.items[i].id, "iit") == 0)
            m->tools.items[i].values[0] = dec("84.82");
    analyse_findings_t *f = analyse_findings(m, fw);
    assert_int_equal(f->message_count, 0);
    assert_int_equal(f->tools[0].score.rounded, 8481); /* the computed figure is kept */
    analyse_free_findings(f);
    for (size_t i = 0; i < m->tools.count; i++)
        if (strcmp(m->tools.items[i].id, "iit") == 0)
            m->tools.items[i].values[0] = dec("84.83");
    /* The overall 84.1 is within 0.05 of 84.14; 84.08 is not. */
    m->overall.values[0] = dec("84.08");
    f = analyse_findings(m, fw);
    assert_int_equal(f->message_count, 2);
    assert_int_equal(f->messages[0]->severity, DIAG_WARNING);
    assert_string_equal(f->messages[0]->message,
                        "published iit 84.83 differs from the computed 84.81 by 0.02");
    assert_int_equal(f->messages[0]->pos.line, m->tools.items[0].pos.line);
    assert_string_equal(f->messages[1]->message,
                        "published overall 84.08 differs from the computed 84.14 by 0.06");
    assert_int_equal(f->overall.rounded, 8414);
    analyse_free_findings(f);
    model_free(m);
}

static void test_missing_figures_are_errors(void **state)
{
    (void)state;
    model_t *m = model_new("hand");
    m->scores_pos = (diag_pos_t){.file = m->file, .line = 9, .column = 1};
    add(&m->indicators, "1", "90");
    add(&m->tools, "eit", "80");
    add(&m->tools, "oit", "70");
    analyse_findings_t *f = analyse_findings(m, fw);
    /* Indicators 2-10 have nothing; EIT and OIT are given, IIT cannot be had. */
    assert_int_equal(analyse_count(f, DIAG_ERROR), 9 + 1);
    assert_string_equal(f->messages[0]->message, "indicator 2 has no score: question i7 is missing "
                                                 "and no published figure is given "
                                                 "(scores.indicators.2)");
    assert_int_equal(f->messages[0]->pos.line, 9);
    assert_int_equal(f->tools[1].score.source, ANALYSE_SOURCE_PUBLISHED);
    assert_int_equal(f->overall.source, ANALYSE_SOURCE_NONE);
    assert_null(f->grade);
    analyse_free_findings(f);
    /* With the IIT total given, the three tools are known and the overall is computed. */
    add(&m->tools, "iit", "90");
    f = analyse_findings(m, fw);
    assert_int_equal(f->overall.source, ANALYSE_SOURCE_COMPUTED);
    assert_int_equal(f->overall.rounded, 7900); /* 27 + 24 + 28 */
    analyse_free_findings(f);
    model_free(m);
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
    analyse_findings_t *f = analyse_findings(m, fw);
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
        cmocka_unit_test(test_missing_figures_are_errors),
        cmocka_unit_test(test_history_changes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
