/* framework — see framework.h. */
#include "framework.h"

#include "filebuf.h"
#include "mem.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    framework_method_t method;
} framework_methods[] = {
    {"mean_of_questions", FRAMEWORK_METHOD_MEAN_OF_QUESTIONS},
    {"mean_of_part_means", FRAMEWORK_METHOD_MEAN_OF_PART_MEANS},
    {"mean_of_sub_indicators", FRAMEWORK_METHOD_MEAN_OF_SUB_INDICATORS},
    {"mean_of_indicators", FRAMEWORK_METHOD_MEAN_OF_INDICATORS},
    {"mean_of_parts", FRAMEWORK_METHOD_MEAN_OF_PARTS},
    {"weighted_mean_of_tools", FRAMEWORK_METHOD_WEIGHTED_MEAN_OF_TOOLS},
};

/* Reading state: the framework being built and whether anything was wrong. */
typedef struct framework_reader {
    diag_t *dg;
    framework_t *fw;
    bool failed;
} framework_reader_t;

static void framework_fail_unless(framework_reader_t *r, bool ok)
{
    if (!ok)
        r->failed = true;
}

/* The length of a list the framework requires (reported, and 0, when it is not a list). */
static size_t framework_list_count(framework_reader_t *r, const yamldoc_node_t *list,
                                   const char *what)
{
    if (yamldoc_expect(r->dg, list, YAMLDOC_KIND_SEQUENCE, what))
        return list->count;
    r->failed = true;
    return 0;
}

/* Item i of a list as a mapping with only the given keys; NULL (reported) when it is not a
 * mapping. Unknown keys are reported and mark the framework failed. */
static const yamldoc_node_t *framework_list_item(framework_reader_t *r, const yamldoc_node_t *list,
                                                 size_t i, const char *const *keys,
                                                 const char *what)
{
    const yamldoc_node_t *node = list->items[i];
    if (!yamldoc_expect(r->dg, node, YAMLDOC_KIND_MAPPING, what)) {
        r->failed = true;
        return NULL;
    }
    framework_fail_unless(r, yamldoc_check_keys(r->dg, node, keys, what));
    return node;
}

/* An optional method (NULL node: FRAMEWORK_METHOD_NONE). */
static framework_method_t framework_read_method(framework_reader_t *r, const yamldoc_node_t *node,
                                                const char *what)
{
    if (!node)
        return FRAMEWORK_METHOD_NONE;
    if (!yamldoc_expect(r->dg, node, YAMLDOC_KIND_SCALAR, what)) {
        r->failed = true;
        return FRAMEWORK_METHOD_NONE;
    }
    for (size_t i = 0; i < sizeof framework_methods / sizeof framework_methods[0]; i++)
        if (yamldoc_is(node, framework_methods[i].name))
            return framework_methods[i].method;
    diag_fail(r->dg, &node->pos, "framework-unknown-method-known-mean",
              "unknown method '%s' for %s (known: mean_of_questions, mean_of_part_means, "
              "mean_of_sub_indicators, mean_of_indicators, mean_of_parts, "
              "weighted_mean_of_tools)",
              node->text, what);
    r->failed = true;
    return FRAMEWORK_METHOD_NONE;
}

/* A threshold within the score range, rounded to the framework's decimals. */
static int64_t framework_read_threshold(framework_reader_t *r, const yamldoc_node_t *node,
                                        const char *what)
{
    decimal_t d;
    if (!yamldoc_read_decimal(r->dg, node, what, &d)) {
        r->failed = true;
        return 0;
    }
    if (decimal_cmp(d, decimal_from_int(r->fw->score_min)) < 0 ||
        decimal_cmp(d, decimal_from_int(r->fw->score_max)) > 0) {
        diag_fail(r->dg, &node->pos, "framework-int-range", "%s %s is outside %ld-%ld", what,
                  node->text, r->fw->score_min, r->fw->score_max);
        r->failed = true;
    }
    return decimal_round(d, r->fw->decimals);
}

static char *framework_read_required_text(framework_reader_t *r, const yamldoc_node_t *map,
                                          const char *key, const char *where)
{
    char *text = NULL;
    const yamldoc_node_t *node = yamldoc_require(r->dg, map, key, where);
    if (!node || !yamldoc_read_text(r->dg, node, key, &text)) {
        r->failed = true;
        return mem_strdup("");
    }
    return text;
}

/* A tool's `items`: id -> name (empty: the name is not known), outside the scoring chain. */
static void framework_read_items(framework_reader_t *r, const yamldoc_node_t *map, size_t tool)
{
    framework_t *fw = r->fw;
    if (!yamldoc_expect(r->dg, map, YAMLDOC_KIND_MAPPING, "items")) {
        r->failed = true;
        return;
    }
    fw->items = mem_realloc(fw->items, (fw->item_count + map->count + 1) * sizeof *fw->items);
    for (size_t i = 0; i < map->count; i++) {
        const yamldoc_node_t *key = map->pairs[i].key, *value = map->pairs[i].value;
        if (key->kind != YAMLDOC_KIND_SCALAR || key->null)
            continue;
        if (framework_find_item(fw, key->text) != FRAMEWORK_NONE) {
            diag_fail(r->dg, &key->pos, "framework-item-twice", "item '%s' is listed twice",
                      key->text);
            r->failed = true;
            continue;
        }
        framework_item_t *item = &fw->items[fw->item_count++];
        item->id = mem_strdup(key->text);
        item->name = NULL;
        item->tool = tool;
        if (!value->null && !yamldoc_read_text(r->dg, value, "an item's name", &item->name))
            r->failed = true;
    }
}

static void framework_read_tools(framework_reader_t *r, const yamldoc_node_t *list)
{
    static const char *const keys[] = {
        "id",         "code",  "name",  "weight", "score", "indicator_score", "question_score",
        "part_score", "parts", "items", "values", NULL};
    framework_t *fw = r->fw;
    size_t count = framework_list_count(r, list, "tools");
    fw->tools = mem_zalloc(count + 1, sizeof *fw->tools);
    for (size_t i = 0; i < count; i++) {
        const yamldoc_node_t *node = framework_list_item(r, list, i, keys, "a tool");
        if (!node)
            continue;
        framework_tool_t *t = &fw->tools[fw->tool_count++];
        t->id = framework_read_required_text(r, node, "id", "a tool");
        t->code = framework_read_required_text(r, node, "code", "a tool");
        t->name = framework_read_required_text(r, node, "name", "a tool");
        const yamldoc_node_t *w = yamldoc_require(r->dg, node, "weight", "a tool");
        if (!w || !yamldoc_read_decimal(r->dg, w, "weight", &t->weight))
            r->failed = true;
        t->score = framework_read_method(r, yamldoc_get(node, "score"), "score");
        t->indicator_score =
            framework_read_method(r, yamldoc_get(node, "indicator_score"), "indicator_score");
        t->question_score =
            framework_read_method(r, yamldoc_get(node, "question_score"), "question_score");
        t->part_score = framework_read_method(r, yamldoc_get(node, "part_score"), "part_score");
        if (t->score == FRAMEWORK_METHOD_NONE)
            t->score = FRAMEWORK_METHOD_MEAN_OF_INDICATORS;
        if (t->indicator_score == FRAMEWORK_METHOD_NONE)
            t->indicator_score = FRAMEWORK_METHOD_MEAN_OF_QUESTIONS;
        const yamldoc_node_t *parts = yamldoc_get(node, "parts");
        if (parts && yamldoc_expect(r->dg, parts, YAMLDOC_KIND_SEQUENCE, "parts")) {
            t->parts = mem_zalloc(parts->count, sizeof *t->parts);
            for (size_t p = 0; p < parts->count; p++) {
                static const char *const part_keys[] = {"id", "name", NULL};
                const yamldoc_node_t *pn = parts->items[p];
                if (!yamldoc_expect(r->dg, pn, YAMLDOC_KIND_MAPPING, "a part")) {
                    r->failed = true;
                    continue;
                }
                framework_fail_unless(r, yamldoc_check_keys(r->dg, pn, part_keys, "a part"));
                framework_part_t *part = &t->parts[t->part_count++];
                part->id = framework_read_required_text(r, pn, "id", "a part");
                part->name = framework_read_required_text(r, pn, "name", "a part");
                part->key = mem_printf("%s_%s", t->id, part->id);
            }
        } else if (parts) {
            r->failed = true;
        }
        const yamldoc_node_t *values = yamldoc_get(node, "values");
        if (values && yamldoc_expect(r->dg, values, YAMLDOC_KIND_SEQUENCE, "values")) {
            t->values = mem_zalloc(values->count + 1, sizeof *t->values);
            for (size_t v = 0; v < values->count; v++)
                if (yamldoc_read_decimal(r->dg, values->items[v], "a value", &t->values[v]))
                    t->value_count++;
                else
                    r->failed = true;
        } else if (values) {
            r->failed = true;
        }
        const yamldoc_node_t *items = yamldoc_get(node, "items");
        if (items && !items->null)
            framework_read_items(r, items, fw->tool_count - 1);
        if (t->indicator_score == FRAMEWORK_METHOD_MEAN_OF_PART_MEANS && t->part_count == 0) {
            diag_fail(r->dg, &node->pos, "framework-tool-uses-mean-part",
                      "tool '%s' uses mean_of_part_means but has no parts", t->id);
            r->failed = true;
        }
        for (size_t j = 0; j + 1 < fw->tool_count; j++)
            if (strcmp(fw->tools[j].id, t->id) == 0) {
                diag_fail(r->dg, &node->pos, "framework-tool-defined-twice",
                          "tool '%s' is defined twice", t->id);
                r->failed = true;
            }
    }
}

/* Reads a mapping of question id -> short text into fw->questions, appending the indices
 * to *out. */
static void framework_read_questions(framework_reader_t *r, const yamldoc_node_t *map,
                                     size_t indicator, size_t sub, size_t **out, size_t *count)
{
    framework_t *fw = r->fw;
    if (!yamldoc_expect(r->dg, map, YAMLDOC_KIND_MAPPING, "questions")) {
        r->failed = true;
        return;
    }
    *out = mem_zalloc(map->count, sizeof **out);
    for (size_t i = 0; i < map->count; i++) {
        const yamldoc_node_t *key = map->pairs[i].key, *value = map->pairs[i].value;
        if (key->kind != YAMLDOC_KIND_SCALAR || key->null)
            continue;
        if (framework_find_question(fw, key->text) != FRAMEWORK_NONE) {
            diag_fail(r->dg, &key->pos, "framework-question-listed-twice",
                      "question '%s' is listed twice", key->text);
            r->failed = true;
            continue;
        }
        size_t cap = fw->question_count; /* grow by doubling from the count */
        if ((cap & (cap - 1)) == 0)
            fw->questions =
                mem_realloc(fw->questions, (cap ? cap * 2 : 1) * sizeof(*fw->questions));
        framework_question_t *q = &fw->questions[fw->question_count];
        q->id = mem_strdup(key->text);
        q->text = NULL;
        if (!value->null && !yamldoc_read_text(r->dg, value, "a question's text", &q->text))
            r->failed = true;
        if (!q->text)
            q->text = mem_strdup("");
        q->indicator = indicator;
        q->tool = fw->indicators[indicator].tool;
        q->sub = sub;
        (*out)[(*count)++] = fw->question_count++;
    }
}

static void framework_read_indicators(framework_reader_t *r, const yamldoc_node_t *list)
{
    static const char *const keys[] = {"number",    "name",           "tool",
                                       "questions", "sub_indicators", NULL};
    static const char *const sub_keys[] = {"number", "name", "questions", NULL};
    framework_t *fw = r->fw;
    size_t count = framework_list_count(r, list, "indicators");
    fw->indicators = mem_zalloc(count + 1, sizeof *fw->indicators);
    for (size_t i = 0; i < count; i++) {
        const yamldoc_node_t *node = framework_list_item(r, list, i, keys, "an indicator");
        if (!node)
            continue;
        size_t index = fw->indicator_count++;
        framework_indicator_t *ind = &fw->indicators[index];
        long number = 0;
        const yamldoc_node_t *num = yamldoc_require(r->dg, node, "number", "an indicator");
        if (!num || !yamldoc_read_int(r->dg, num, "indicator number", 1, 999, &number))
            r->failed = true;
        ind->number = (int)number;
        if (number && framework_find_indicator(fw, ind->number) != index) {
            diag_fail(r->dg, &num->pos, "framework-indicator-defined-twice",
                      "indicator %ld is defined twice", number);
            r->failed = true;
        }
        ind->name = framework_read_required_text(r, node, "name", "an indicator");
        char *tool = framework_read_required_text(r, node, "tool", "an indicator");
        ind->tool = framework_find_tool(fw, tool);
        if (ind->tool == FRAMEWORK_NONE) {
            const yamldoc_node_t *tn = yamldoc_get(node, "tool");
            if (tn && *tool)
                diag_fail(r->dg, &tn->pos, "framework-indicator-names-unknown-tool",
                          "indicator %d names an unknown tool '%s'", ind->number, tool);
            r->failed = true;
            ind->tool = 0;
            free(tool);
            continue;
        }
        free(tool);
        const yamldoc_node_t *qs = yamldoc_get(node, "questions");
        const yamldoc_node_t *subs = yamldoc_get(node, "sub_indicators");
        if (qs && subs) {
            diag_fail(r->dg, &subs->pos, "framework-indicator-either-questions-sub",
                      "an indicator has either questions or sub_indicators");
            r->failed = true;
        } else if (qs && !qs->null) {
            framework_read_questions(r, qs, index, FRAMEWORK_NONE, &ind->questions,
                                     &ind->question_count);
        } else if (subs && yamldoc_expect(r->dg, subs, YAMLDOC_KIND_SEQUENCE, "sub_indicators")) {
            ind->subs = mem_zalloc(subs->count, sizeof *ind->subs);
            size_t total = 0;
            for (size_t s = 0; s < subs->count; s++) {
                const yamldoc_node_t *sn = subs->items[s];
                if (sn->kind == YAMLDOC_KIND_MAPPING) {
                    const yamldoc_node_t *sq = yamldoc_get(sn, "questions");
                    total += sq && sq->kind == YAMLDOC_KIND_MAPPING ? sq->count : 0;
                }
            }
            ind->questions = mem_zalloc(total ? total : 1, sizeof *ind->questions);
            for (size_t s = 0; s < subs->count; s++) {
                const yamldoc_node_t *sn = subs->items[s];
                if (!yamldoc_expect(r->dg, sn, YAMLDOC_KIND_MAPPING, "a sub-indicator")) {
                    r->failed = true;
                    continue;
                }
                framework_fail_unless(r,
                                      yamldoc_check_keys(r->dg, sn, sub_keys, "a sub-indicator"));
                framework_sub_t *sub = &ind->subs[ind->sub_count++];
                sub->number = framework_read_required_text(r, sn, "number", "a sub-indicator");
                sub->name = framework_read_required_text(r, sn, "name", "a sub-indicator");
                const yamldoc_node_t *sq =
                    yamldoc_require(r->dg, sn, "questions", "a sub-indicator");
                if (!sq) {
                    r->failed = true;
                    continue;
                }
                framework_read_questions(r, sq, index, ind->sub_count - 1, &sub->questions,
                                         &sub->question_count);
                for (size_t k = 0; k < sub->question_count && ind->question_count < total; k++)
                    ind->questions[ind->question_count++] = sub->questions[k];
            }
        } else if (subs) {
            r->failed = true;
        }
        framework_method_t m = fw->tools[ind->tool].indicator_score;
        if (m == FRAMEWORK_METHOD_MEAN_OF_SUB_INDICATORS && ind->question_count &&
            !ind->sub_count) {
            diag_fail(r->dg, &node->pos, "framework-indicator-tool-scores-indicators",
                      "indicator %d: tool '%s' scores indicators by sub-indicators, but "
                      "it has none",
                      ind->number, fw->tools[ind->tool].id);
            r->failed = true;
        }
    }
}

static void framework_read_grades(framework_reader_t *r, const yamldoc_node_t *list)
{
    static const char *const keys[] = {"letter", "min", NULL};
    framework_t *fw = r->fw;
    size_t count = framework_list_count(r, list, "grades");
    fw->grades = mem_zalloc(count + 1, sizeof *fw->grades);
    for (size_t i = 0; i < count; i++) {
        const yamldoc_node_t *node = framework_list_item(r, list, i, keys, "a grade");
        if (!node)
            continue;
        framework_grade_t *g = &fw->grades[fw->grade_count++];
        g->letter = framework_read_required_text(r, node, "letter", "a grade");
        const yamldoc_node_t *min = yamldoc_require(r->dg, node, "min", "a grade");
        g->min = min ? framework_read_threshold(r, min, "min") : 0;
        if (!min)
            r->failed = true;
        if (fw->grade_count > 1 && g->min >= fw->grades[fw->grade_count - 2].min && min) {
            diag_fail(r->dg, &min->pos, "framework-grades-listed-highest-band",
                      "grades must be listed from the highest band down");
            r->failed = true;
        }
    }
}

static void framework_read_labels(framework_reader_t *r, const yamldoc_node_t *list)
{
    static const char *const keys[] = {"label", "overall_min", "each_tool_min", NULL};
    framework_t *fw = r->fw;
    size_t count = framework_list_count(r, list, "labels");
    fw->labels = mem_zalloc(count + 1, sizeof *fw->labels);
    for (size_t i = 0; i < count; i++) {
        const yamldoc_node_t *node = framework_list_item(r, list, i, keys, "a label");
        if (!node)
            continue;
        framework_label_t *l = &fw->labels[fw->label_count++];
        l->label = framework_read_required_text(r, node, "label", "a label");
        const yamldoc_node_t *min = yamldoc_get(node, "overall_min");
        l->overall_min = min ? framework_read_threshold(r, min, "overall_min") : 0;
        const yamldoc_node_t *each = yamldoc_get(node, "each_tool_min");
        l->each_tool_min = each ? framework_read_threshold(r, each, "each_tool_min") : -1;
    }
}

static void framework_read_areas(framework_reader_t *r, const yamldoc_node_t *list)
{
    static const char *const keys[] = {"number", "name", "questions", NULL};
    framework_t *fw = r->fw;
    size_t count = framework_list_count(r, list, "areas");
    fw->areas = mem_zalloc(count + 1, sizeof *fw->areas);
    for (size_t i = 0; i < count; i++) {
        const yamldoc_node_t *node = framework_list_item(r, list, i, keys, "an area");
        if (!node)
            continue;
        framework_area_t *a = &fw->areas[fw->area_count++];
        long number = 0;
        const yamldoc_node_t *num = yamldoc_require(r->dg, node, "number", "an area");
        if (!num || !yamldoc_read_int(r->dg, num, "area number", 1, 999, &number))
            r->failed = true;
        a->number = (int)number;
        a->name = framework_read_required_text(r, node, "name", "an area");
        const yamldoc_node_t *qs = yamldoc_require(r->dg, node, "questions", "an area");
        if (!qs || !yamldoc_expect(r->dg, qs, YAMLDOC_KIND_SEQUENCE, "an area's questions")) {
            r->failed = true;
            continue;
        }
        a->questions = mem_zalloc(qs->count, sizeof *a->questions);
        for (size_t q = 0; q < qs->count; q++) {
            const yamldoc_node_t *qn = qs->items[q];
            size_t index = qn->kind == YAMLDOC_KIND_SCALAR ? framework_find_question(fw, qn->text)
                                                           : FRAMEWORK_NONE;
            if (index == FRAMEWORK_NONE) {
                diag_fail(r->dg, &qn->pos, "framework-area-lists-unknown-question",
                          "area %d lists an unknown question '%s'", a->number,
                          qn->text ? qn->text : "");
                r->failed = true;
                continue;
            }
            a->questions[a->question_count++] = index;
        }
    }
}

static void framework_check_weights(framework_reader_t *r, const yamldoc_node_t *root)
{
    framework_t *fw = r->fw;
    if (fw->overall != FRAMEWORK_METHOD_WEIGHTED_MEAN_OF_TOOLS || r->failed)
        return;
    decimal_t sum = decimal_from_int(0);
    for (size_t i = 0; i < fw->tool_count; i++)
        sum = decimal_add(sum, fw->tools[i].weight);
    if (decimal_cmp(sum, decimal_from_int(100)) != 0) {
        const yamldoc_node_t *tools = yamldoc_get(root, "tools");
        diag_fail(r->dg, tools ? &tools->pos : &root->pos, "framework-tools-weights-add-up",
                  "the tools' weights must add up to 100");
        r->failed = true;
    }
}

framework_t *framework_from_doc(diag_t *dg, const yamldoc_t *doc)
{
    static const char *const keys[] = {
        "id",      "fiscal_year", "title",       "provisional",  "decimals", "pass_mark",
        "overall", "tools",       "indicators",  "grades",       "labels",   "areas",
        "discuss", "cross_check", "score_range", "agency_types", "focus",    NULL};
    static const char *const range_keys[] = {"min", "max", NULL};
    static const char *const discuss_keys[] = {"below", "per_tool", NULL};
    static const char *const check_keys[] = {"tolerance", "error_tolerance", NULL};
    framework_reader_t r = {dg, mem_zalloc(1, sizeof(framework_t)), false};
    framework_t *fw = r.fw;
    fw->path = mem_strdup(doc->file);
    fw->decimals = 2;
    const yamldoc_node_t *root = doc->root;
    if (!root) {
        diag_pos_t pos = {.file = doc->file, .line = 0, .column = 0};
        diag_fail(dg, &pos, "framework-empty", "the framework file is empty");
        framework_free(fw);
        return NULL;
    }
    if (!yamldoc_expect(dg, root, YAMLDOC_KIND_MAPPING, "a framework")) {
        framework_free(fw);
        return NULL;
    }
    framework_fail_unless(&r, yamldoc_check_keys(dg, root, keys, "the framework"));
    fw->id = framework_read_required_text(&r, root, "id", "the framework");
    fw->title = framework_read_required_text(&r, root, "title", "the framework");
    long value = 0;
    const yamldoc_node_t *node = yamldoc_require(dg, root, "fiscal_year", "the framework");
    framework_fail_unless(&r,
                          node && yamldoc_read_int(dg, node, "fiscal_year", 2500, 2700, &value));
    fw->fiscal_year = (int)value;
    if ((node = yamldoc_get(root, "decimals"))) {
        framework_fail_unless(&r, yamldoc_read_int(dg, node, "decimals", 0, 4, &value));
        fw->decimals = (int)value;
    }
    if ((node = yamldoc_get(root, "provisional")))
        framework_fail_unless(&r, yamldoc_read_bool(dg, node, "provisional", &fw->provisional));
    /* The score range first: thresholds are checked against it. */
    fw->score_max = 100;
    if ((node = yamldoc_require(dg, root, "score_range", "the framework")) &&
        yamldoc_expect(dg, node, YAMLDOC_KIND_MAPPING, "score_range")) {
        framework_fail_unless(&r, yamldoc_check_keys(dg, node, range_keys, "score_range"));
        const yamldoc_node_t *lo = yamldoc_require(dg, node, "min", "score_range");
        const yamldoc_node_t *hi = yamldoc_require(dg, node, "max", "score_range");
        framework_fail_unless(&r,
                              lo && yamldoc_read_int(dg, lo, "min", 0, 1000000, &fw->score_min));
        framework_fail_unless(&r,
                              hi && yamldoc_read_int(dg, hi, "max", 0, 1000000, &fw->score_max));
        if (fw->score_min >= fw->score_max) {
            diag_fail(dg, &node->pos, "framework-score-range-min-below",
                      "score_range: min must be below max");
            r.failed = true;
        }
    } else {
        r.failed = true;
    }
    node = yamldoc_require(dg, root, "pass_mark", "the framework");
    framework_fail_unless(&r, node != NULL);
    fw->pass_mark = node ? framework_read_threshold(&r, node, "pass_mark") : 0;
    fw->overall =
        framework_read_method(&r, yamldoc_require(dg, root, "overall", "the framework"), "overall");
    framework_fail_unless(&r, fw->overall == FRAMEWORK_METHOD_WEIGHTED_MEAN_OF_TOOLS);
    framework_read_tools(&r, yamldoc_require(dg, root, "tools", "the framework"));
    if (!r.failed)
        framework_read_indicators(&r, yamldoc_require(dg, root, "indicators", "the framework"));
    for (size_t i = 0; i < fw->item_count; i++)
        if (framework_find_question(fw, fw->items[i].id) != FRAMEWORK_NONE) {
            diag_fail(dg, &root->pos, "framework-item-is-question",
                      "item '%s' is also a question of an indicator", fw->items[i].id);
            r.failed = true;
        }
    framework_read_grades(&r, yamldoc_require(dg, root, "grades", "the framework"));
    framework_read_labels(&r, yamldoc_require(dg, root, "labels", "the framework"));
    if ((node = yamldoc_get(root, "areas")) && !r.failed)
        framework_read_areas(&r, node);
    if ((node = yamldoc_get(root, "focus")) && !node->null) {
        if (yamldoc_is(node, "lowest_indicator"))
            fw->focus_lowest = true;
        else {
            diag_fail(dg, &node->pos, "framework-focus-unknown", "focus must be lowest_indicator");
            r.failed = true;
        }
    }
    fw->discuss_below = fw->pass_mark;
    fw->discuss_per_tool = 1;
    if ((node = yamldoc_get(root, "discuss")) &&
        yamldoc_expect(dg, node, YAMLDOC_KIND_MAPPING, "discuss")) {
        framework_fail_unless(&r, yamldoc_check_keys(dg, node, discuss_keys, "discuss"));
        const yamldoc_node_t *below = yamldoc_get(node, "below");
        if (below)
            fw->discuss_below = framework_read_threshold(&r, below, "below");
        const yamldoc_node_t *per = yamldoc_get(node, "per_tool");
        if (per) {
            framework_fail_unless(&r, yamldoc_read_int(dg, per, "per_tool", 0, 1000, &value));
            fw->discuss_per_tool = (size_t)value;
        }
    }
    if ((node = yamldoc_require(dg, root, "cross_check", "the framework")) &&
        yamldoc_expect(dg, node, YAMLDOC_KIND_MAPPING, "cross_check")) {
        framework_fail_unless(&r, yamldoc_check_keys(dg, node, check_keys, "cross_check"));
        const yamldoc_node_t *t = yamldoc_require(dg, node, "tolerance", "cross_check");
        const yamldoc_node_t *e = yamldoc_require(dg, node, "error_tolerance", "cross_check");
        framework_fail_unless(&r, t && e);
        fw->tolerance = t ? framework_read_threshold(&r, t, "tolerance") : 0;
        fw->error_tolerance = e ? framework_read_threshold(&r, e, "error_tolerance") : 0;
        if (t && e && fw->error_tolerance < fw->tolerance) {
            diag_fail(dg, &e->pos, "framework-tolerance-order",
                      "error_tolerance must not be below tolerance");
            r.failed = true;
        }
    } else {
        r.failed = true;
    }
    if ((node = yamldoc_require(dg, root, "agency_types", "the framework"))) {
        size_t count = framework_list_count(&r, node, "agency_types");
        fw->agency_types = mem_zalloc(count + 1, sizeof *fw->agency_types);
        for (size_t i = 0; i < count; i++)
            framework_fail_unless(
                &r, yamldoc_read_text(dg, node->items[i], "an agency type", &fw->agency_types[i]));
        fw->agency_type_count = count;
    } else {
        r.failed = true;
    }
    framework_check_weights(&r, root);
    if (r.failed) {
        framework_free(fw);
        return NULL;
    }
    return fw;
}

/* ---- frameworks kept for the process ---- */

typedef struct kept_framework {
    char *path;
    filebuf_stamp_t stamp;
    framework_t *fw; /* holds one reference */
} kept_framework_t;

/* Every framework file read in this process, by path (a handful: one per year). A forked
 * batch worker inherits its parent's. */
static kept_framework_t *kept;
static size_t kept_count, kept_capacity;

static framework_t *kept_lookup(const char *path, const filebuf_stamp_t *stamp)
{
    for (size_t i = 0; i < kept_count; i++)
        if (strcmp(kept[i].path, path) == 0) {
            if (filebuf_stamp_equal(&kept[i].stamp, stamp)) {
                kept[i].fw->refs++;
                return kept[i].fw;
            }
            /* The file changed: forget what was read from it. */
            framework_free(kept[i].fw);
            free(kept[i].path);
            kept[i] = kept[--kept_count];
            return NULL;
        }
    return NULL;
}

static void keep(const char *path, const filebuf_stamp_t *stamp, framework_t *fw)
{
    kept = mem_array_grow(kept, &kept_capacity, kept_count + 1, sizeof *kept);
    fw->refs = 2; /* the cache's and the caller's */
    kept[kept_count++] = (kept_framework_t){mem_strdup(path), *stamp, fw};
}

void framework_cache_clear(void)
{
    for (size_t i = 0; i < kept_count; i++) {
        framework_free(kept[i].fw);
        free(kept[i].path);
    }
    free(kept);
    kept = NULL;
    kept_count = kept_capacity = 0;
}

framework_t *framework_load_file(diag_t *dg, const char *path)
{
    filebuf_stamp_t stamp;
    bool stamped = filebuf_stamp(path, &stamp) == 0;
    framework_t *fw = stamped ? kept_lookup(path, &stamp) : NULL;
    if (fw)
        return fw;
    size_t before =
        diag_count(dg, DIAG_ERROR) + diag_count(dg, DIAG_WARNING) + diag_count(dg, DIAG_NOTE);
    yamldoc_t *doc = yamldoc_parse_file(dg, path, NULL);
    if (!doc)
        return NULL;
    fw = framework_from_doc(dg, doc);
    yamldoc_free(doc);
    /* Kept only when reading it said nothing: a later caller would miss the messages. */
    if (fw && stamped &&
        diag_count(dg, DIAG_ERROR) + diag_count(dg, DIAG_WARNING) + diag_count(dg, DIAG_NOTE) ==
            before)
        keep(path, &stamp, fw);
    return fw;
}

/* A framework id is a plain folder name: letters, digits, '-', '_', '.'; not "." or "..". */
static bool framework_id_is_safe(const char *id)
{
    if (!*id || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return false;
    return true;
}

static int framework_compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *framework_list_ids(const char *data_dir)
{
    char *templates = mem_printf("%s/templates", data_dir);
    DIR *dir = opendir(templates);
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *entry;
    while (dir && (entry = readdir(dir))) {
        if (entry->d_name[0] == '.')
            continue;
        char *probe = mem_printf("%s/%s/framework.yaml", templates, entry->d_name);
        FILE *f = fopen(probe, "rb");
        free(probe);
        if (!f)
            continue;
        fclose(f);
        names = mem_array_grow(names, &cap, count + 1, sizeof *names);
        names[count++] = mem_strdup(entry->d_name);
    }
    if (dir)
        closedir(dir);
    free(templates);
    if (count)
        qsort(names, count, sizeof *names, framework_compare_names);
    char *list = mem_strdup("");
    for (size_t i = 0; i < count; i++) {
        char *next = mem_printf("%s%s%s", list, i ? ", " : "", names[i]);
        free(list);
        free(names[i]);
        list = next;
    }
    free(names);
    return list;
}

framework_t *framework_open(diag_t *dg, const char *data_dir, const char *id, const diag_pos_t *at)
{
    char *path = framework_id_is_safe(id)
                     ? mem_printf("%s/templates/%s/framework.yaml", data_dir, id)
                     : NULL;
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        char *known = framework_list_ids(data_dir);
        diag_fail(dg, at, "framework-unknown-framework-known", "unknown framework '%s' (known: %s)",
                  id, *known ? known : "none");
        free(known);
        free(path);
        return NULL;
    }
    fclose(f);
    framework_t *fw = framework_load_file(dg, path);
    free(path);
    if (fw && strcmp(fw->id, id) != 0) {
        diag_fail(dg, NULL, "framework-id-mismatch", "framework file '%s' has id '%s', not '%s'",
                  fw->path, fw->id, id);
        framework_free(fw);
        return NULL;
    }
    return fw;
}

void framework_free(framework_t *fw)
{
    if (!fw)
        return;
    if (fw->refs > 1) { /* shared: another holder frees it */
        fw->refs--;
        return;
    }
    for (size_t i = 0; i < fw->agency_type_count; i++)
        free(fw->agency_types[i]);
    free(fw->agency_types);
    for (size_t i = 0; i < fw->tool_count; i++) {
        framework_tool_t *t = &fw->tools[i];
        free(t->id);
        free(t->code);
        free(t->name);
        for (size_t p = 0; p < t->part_count; p++) {
            free(t->parts[p].id);
            free(t->parts[p].name);
            free(t->parts[p].key);
        }
        free(t->parts);
        free(t->values);
    }
    for (size_t i = 0; i < fw->indicator_count; i++) {
        framework_indicator_t *ind = &fw->indicators[i];
        free(ind->name);
        free(ind->questions);
        for (size_t s = 0; s < ind->sub_count; s++) {
            free(ind->subs[s].number);
            free(ind->subs[s].name);
            free(ind->subs[s].questions);
        }
        free(ind->subs);
    }
    for (size_t i = 0; i < fw->question_count; i++) {
        free(fw->questions[i].id);
        free(fw->questions[i].text);
    }
    for (size_t i = 0; i < fw->item_count; i++) {
        free(fw->items[i].id);
        free(fw->items[i].name);
    }
    free(fw->items);
    for (size_t i = 0; i < fw->grade_count; i++)
        free(fw->grades[i].letter);
    for (size_t i = 0; i < fw->label_count; i++)
        free(fw->labels[i].label);
    for (size_t i = 0; i < fw->area_count; i++) {
        free(fw->areas[i].name);
        free(fw->areas[i].questions);
    }
    free(fw->tools);
    free(fw->indicators);
    free(fw->questions);
    free(fw->grades);
    free(fw->labels);
    free(fw->areas);
    free(fw->id);
    free(fw->title);
    free(fw->path);
    free(fw);
}

size_t framework_find_question(const framework_t *fw, const char *id)
{
    for (size_t i = 0; i < fw->question_count; i++)
        if (strcmp(fw->questions[i].id, id) == 0)
            return i;
    return FRAMEWORK_NONE;
}

size_t framework_find_item(const framework_t *fw, const char *id)
{
    for (size_t i = 0; i < fw->item_count; i++)
        if (strcmp(fw->items[i].id, id) == 0)
            return i;
    return FRAMEWORK_NONE;
}

size_t framework_find_tool(const framework_t *fw, const char *id)
{
    for (size_t i = 0; i < fw->tool_count; i++)
        if (strcmp(fw->tools[i].id, id) == 0)
            return i;
    return FRAMEWORK_NONE;
}

size_t framework_find_indicator(const framework_t *fw, int number)
{
    for (size_t i = 0; i < fw->indicator_count; i++)
        if (fw->indicators[i].number == number)
            return i;
    return FRAMEWORK_NONE;
}

size_t framework_find_area(const framework_t *fw, int number)
{
    for (size_t i = 0; i < fw->area_count; i++)
        if (fw->areas[i].number == number)
            return i;
    return FRAMEWORK_NONE;
}
