/* analyse — see analyse.h. */
#include "analyse.h"

#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Computation state. */
typedef struct analyse_ctx {
    const model_t *m;
    const framework_t *fw;
    analyse_findings_t *f;
} analyse_ctx_t;

static void analyse_add_message(analyse_findings_t *f, diag_severity_t severity,
                                const diag_pos_t *pos, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void analyse_add_message(analyse_findings_t *f, diag_severity_t severity,
                                const diag_pos_t *pos, const char *id, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    diag_record_t *r = diag_record_vmake(severity, pos, id, fmt, args);
    va_end(args);
    f->messages = mem_array_grow(f->messages, &f->message_capacity, f->message_count + 1,
                                 sizeof *f->messages);
    f->messages[f->message_count++] = r;
}

static analyse_figure_t analyse_make(const analyse_ctx_t *c, decimal_t exact,
                                     analyse_source_t source)
{
    analyse_figure_t fig = {0};
    if (!decimal_is_valid(exact))
        return fig; /* arithmetic overflow: treated as no figure */
    fig.source = source;
    fig.exact = exact;
    fig.rounded = decimal_round(exact, c->fw->decimals);
    return fig;
}

/* Settles a figure from what was computed (source NONE when data below is missing) and
 * the published value (NULL when not given): the published one is the official figure and
 * the computed one checks it (a rounded copy gives way to the computed figure it rounds
 * from). `what` names the figure and `from` the data it is computed from, in messages. */
static analyse_figure_t analyse_settle(analyse_ctx_t *c, analyse_figure_t computed,
                                       const model_score_t *published, const char *what,
                                       const char *from)
{
    if (computed.source != ANALYSE_SOURCE_NONE) {
        computed.has_computed = true;
        computed.computed = computed.exact;
        computed.computed_rounded = computed.rounded;
    }
    if (!published)
        return computed;
    analyse_figure_t given = analyse_make(c, published->values[0], ANALYSE_SOURCE_PUBLISHED);
    given.pos = published->pos;
    given.published = true;
    if (computed.source == ANALYSE_SOURCE_NONE)
        return given;
    given.has_computed = true;
    given.computed = computed.exact;
    given.computed_rounded = computed.rounded;
    int places = c->fw->decimals;
    if (published->places >= 0 && published->places < places &&
        decimal_round(computed.exact, published->places) ==
            decimal_round(published->values[0], published->places)) {
        computed.pos = published->pos;
        computed.published = true;
        return computed; /* a rounded copy of the computed figure */
    }
    int64_t diff = given.rounded - computed.rounded;
    if (diff < 0)
        diff = -diff;
    if (diff > c->fw->tolerance) {
        char a[32], b[32], d[32];
        decimal_format_scaled(given.rounded, places, a, sizeof a);
        decimal_format_scaled(computed.rounded, places, b, sizeof b);
        decimal_format_scaled(diff, places, d, sizeof d);
        if (diff > c->fw->error_tolerance)
            /* id: analyse-published-far */
            analyse_add_message(c->f, DIAG_ERROR, &published->pos, "analyse-published-far",
                                "published %s %s differs from %s, computed from %s, by %s: "
                                "one of them is mistyped",
                                what, a, b, from, d);
        else
            /* id: analyse-published-differs */
            analyse_add_message(c->f, DIAG_WARNING, &published->pos, "analyse-published-differs",
                                "published %s %s differs from %s, computed from %s, by %s; "
                                "the published figure is used",
                                what, a, b, from, d);
    }
    return given;
}

/* "a, b and c" of the ids of questions[0..count) (at most 8 named). A new string. */
static char *analyse_list_questions(const framework_t *fw, const size_t *questions, size_t count)
{
    char *list = mem_strdup("");
    for (size_t i = 0; i < count; i++) {
        char *next = i >= 8 && i + 1 < count ? NULL
                                             : mem_printf("%s%s%s", list,
                                                          i == 0           ? ""
                                                          : i + 1 == count ? " and "
                                                                           : ", ",
                                                          fw->questions[questions[i]].id);
        if (!next) {
            next = mem_printf("%s, ... and %s", list, fw->questions[questions[count - 1]].id);
            free(list);
            return next;
        }
        free(list);
        list = next;
    }
    return list;
}

static void analyse_questions(analyse_ctx_t *c)
{
    const framework_t *fw = c->fw;
    for (size_t q = 0; q < fw->question_count; q++) {
        const model_score_t *s = model_find_score(&c->m->questions, fw->questions[q].id);
        const framework_tool_t *tool = &fw->tools[fw->questions[q].tool];
        size_t parts = tool->part_count ? tool->part_count : 1;
        if (!s || s->value_count != parts)
            continue;
        analyse_question_t *aq = &c->f->questions[q];
        aq->present = true;
        aq->part_count = s->value_count;
        memcpy(aq->parts, s->values, s->value_count * sizeof *s->values);
        /* mean_of_parts is the only way to make one figure of several parts. */
        aq->score =
            analyse_make(c, decimal_mean(s->values, s->value_count), ANALYSE_SOURCE_COMPUTED);
        aq->score.pos = s->pos;
    }
}

/* Mean over questions[0..count) of part `part` (SIZE_MAX: the question's own score); NONE
 * when any is missing or count is 0. */
static analyse_figure_t analyse_mean_questions(const analyse_ctx_t *c, const size_t *questions,
                                               size_t count, size_t part)
{
    if (count == 0)
        return (analyse_figure_t){0};
    decimal_t *values = mem_zalloc(count, sizeof *values);
    bool complete = true;
    for (size_t i = 0; i < count && complete; i++) {
        const analyse_question_t *q = &c->f->questions[questions[i]];
        complete = q->present && q->score.source != ANALYSE_SOURCE_NONE &&
                   (part == SIZE_MAX || part < q->part_count);
        if (complete)
            values[i] = part == SIZE_MAX ? q->score.exact : q->parts[part];
    }
    analyse_figure_t fig =
        complete ? analyse_make(c, decimal_mean(values, count), ANALYSE_SOURCE_COMPUTED)
                 : (analyse_figure_t){0};
    free(values);
    return fig;
}

/* Mean of figures that must all be known; NONE otherwise. */
static analyse_figure_t analyse_mean_figures(const analyse_ctx_t *c,
                                             const analyse_figure_t *const *figs, size_t count)
{
    if (count == 0)
        return (analyse_figure_t){0};
    decimal_t *values = mem_zalloc(count, sizeof *values);
    bool complete = true;
    for (size_t i = 0; i < count && complete; i++) {
        complete = figs[i]->source != ANALYSE_SOURCE_NONE;
        values[i] = figs[i]->exact;
    }
    analyse_figure_t fig =
        complete ? analyse_make(c, decimal_mean(values, count), ANALYSE_SOURCE_COMPUTED)
                 : (analyse_figure_t){0};
    free(values);
    return fig;
}

static void analyse_indicators(analyse_ctx_t *c)
{
    const framework_t *fw = c->fw;
    for (size_t i = 0; i < fw->indicator_count; i++) {
        const framework_indicator_t *ind = &fw->indicators[i];
        const framework_tool_t *tool = &fw->tools[ind->tool];
        analyse_indicator_t *ai = &c->f->indicators[i];
        ai->subs = mem_zalloc(ind->sub_count ? ind->sub_count : 1, sizeof *ai->subs);
        for (size_t s = 0; s < ind->sub_count; s++)
            ai->subs[s] = analyse_mean_questions(c, ind->subs[s].questions,
                                                 ind->subs[s].question_count, SIZE_MAX);
        analyse_figure_t computed; /* every branch below sets it */
        switch (tool->indicator_score) {
        case FRAMEWORK_METHOD_MEAN_OF_PART_MEANS: {
            analyse_figure_t part_means[MODEL_MAX_PARTS];
            const analyse_figure_t *ptrs[MODEL_MAX_PARTS];
            size_t parts = tool->part_count < MODEL_MAX_PARTS ? tool->part_count : MODEL_MAX_PARTS;
            for (size_t p = 0; p < parts; p++) {
                part_means[p] = analyse_mean_questions(c, ind->questions, ind->question_count, p);
                ptrs[p] = &part_means[p];
            }
            computed = analyse_mean_figures(c, ptrs, parts);
            break;
        }
        case FRAMEWORK_METHOD_MEAN_OF_SUB_INDICATORS: {
            const analyse_figure_t **ptrs = mem_zalloc(ind->sub_count + 1, sizeof *ptrs);
            for (size_t s = 0; s < ind->sub_count; s++)
                ptrs[s] = &ai->subs[s];
            computed = analyse_mean_figures(c, ptrs, ind->sub_count);
            free(ptrs);
            break;
        }
        default:
            computed = analyse_mean_questions(c, ind->questions, ind->question_count, SIZE_MAX);
            break;
        }
        char key[32], what[48];
        snprintf(key, sizeof key, "%d", ind->number);
        snprintf(what, sizeof what, "indicator %d", ind->number);
        char *list = analyse_list_questions(fw, ind->questions, ind->question_count);
        char *from = mem_printf("questions %s", list);
        ai->score =
            analyse_settle(c, computed, model_find_score(&c->m->indicators, key), what, from);
        free(from);
        free(list);
    }
}

static void analyse_tools(analyse_ctx_t *c)
{
    const framework_t *fw = c->fw;
    for (size_t t = 0; t < fw->tool_count; t++) {
        const framework_tool_t *tool = &fw->tools[t];
        analyse_tool_t *at = &c->f->tools[t];
        /* The tool's questions, for part totals. */
        size_t count = 0;
        size_t *questions = mem_zalloc(fw->question_count + 1, sizeof *questions);
        for (size_t q = 0; q < fw->question_count; q++)
            if (fw->questions[q].tool == t)
                questions[count++] = q;
        at->parts = mem_zalloc(tool->part_count + 1, sizeof *at->parts);
        for (size_t p = 0; p < tool->part_count && p < MODEL_MAX_PARTS; p++) {
            const char *key = tool->parts[p].key;
            analyse_figure_t computed = tool->part_score == FRAMEWORK_METHOD_MEAN_OF_QUESTIONS
                                            ? analyse_mean_questions(c, questions, count, p)
                                            : (analyse_figure_t){0};
            char *list = analyse_list_questions(fw, questions, count);
            char *from = mem_printf("the %s scores of questions %s", tool->parts[p].name, list);
            at->parts[p] =
                analyse_settle(c, computed, model_find_score(&c->m->tools, key), key, from);
            free(from);
            free(list);
        }
        free(questions);
        /* The tool's score: the mean of its indicators. */
        const analyse_figure_t **ptrs = mem_zalloc(fw->indicator_count + 1, sizeof *ptrs);
        size_t n = 0, total = 0;
        for (size_t i = 0; i < fw->indicator_count; i++)
            total += fw->indicators[i].tool == t;
        char *from = mem_strdup(total == 1 ? "indicator" : "indicators");
        for (size_t i = 0; i < fw->indicator_count; i++)
            if (fw->indicators[i].tool == t) {
                ptrs[n++] = &c->f->indicators[i].score;
                char *next = mem_printf("%s%s%d", from,
                                        n == 1       ? " "
                                        : n == total ? " and "
                                                     : ", ",
                                        fw->indicators[i].number);
                free(from);
                from = next;
            }
        analyse_figure_t computed = analyse_mean_figures(c, ptrs, n);
        free(ptrs);
        at->score =
            analyse_settle(c, computed, model_find_score(&c->m->tools, tool->id), tool->id, from);
        free(from);
    }
}

/* The Thai label from the rounded overall and tools: the first whose conditions hold.
 * NULL with *undetermined set when a label's condition needs a tool score that is unknown
 * and its other conditions do not already rule it out. */
static const char *analyse_label(const analyse_ctx_t *c, int64_t overall, bool *undetermined)
{
    const framework_t *fw = c->fw;
    *undetermined = false;
    for (size_t l = 0; l < fw->label_count; l++) {
        const framework_label_t *label = &fw->labels[l];
        if (overall < label->overall_min)
            continue;
        bool unknown = false, fails = false;
        for (size_t t = 0; label->each_tool_min >= 0 && t < fw->tool_count; t++) {
            const analyse_figure_t *tool = &c->f->tools[t].score;
            if (tool->source == ANALYSE_SOURCE_NONE)
                unknown = true;
            else if (tool->rounded < label->each_tool_min)
                fails = true;
        }
        if (fails)
            continue;
        if (unknown) {
            *undetermined = true;
            return NULL;
        }
        return label->label;
    }
    return NULL;
}

static void analyse_overall(analyse_ctx_t *c)
{
    const framework_t *fw = c->fw;
    analyse_findings_t *f = c->f;
    /* weighted_mean_of_tools: sum of weight% x tool. */
    decimal_t sum = decimal_from_int(0);
    bool complete = fw->tool_count > 0;
    char *from = mem_strdup("the tools");
    for (size_t t = 0; t < fw->tool_count && complete; t++) {
        complete = f->tools[t].score.source != ANALYSE_SOURCE_NONE;
        sum = decimal_add(sum, decimal_mul(fw->tools[t].weight, f->tools[t].score.exact));
        char *next = mem_printf("%s%s%s", from,
                                t == 0                    ? " "
                                : t + 1 == fw->tool_count ? " and "
                                                          : ", ",
                                fw->tools[t].id);
        free(from);
        from = next;
    }
    analyse_figure_t computed =
        complete ? analyse_make(c, decimal_div_int(sum, 100), ANALYSE_SOURCE_COMPUTED)
                 : (analyse_figure_t){0};
    const model_score_t *published = c->m->overall.value_count ? &c->m->overall : NULL;
    f->overall = analyse_settle(c, computed, published, "overall", from);
    free(from);
    if (f->overall.source == ANALYSE_SOURCE_NONE) {
        /* id: analyse-no-overall */
        analyse_add_message(f, DIAG_ERROR, &c->m->scores_pos, "analyse-no-overall",
                            "no overall score: give scores.overall, or the scores of every "
                            "tool, indicator or question");
        return;
    }
    int64_t overall = f->overall.rounded;
    for (size_t g = 0; g < fw->grade_count && !f->grade; g++)
        if (overall >= fw->grades[g].min)
            f->grade = fw->grades[g].letter;
    f->label = analyse_label(c, overall, &f->label_undetermined);
    /* Published grade and label: the official ones; a computed one that differs is said. */
    const model_text_t *pub[2] = {&c->m->grade, &c->m->label};
    const char **mine[2] = {&f->grade, &f->label};
    bool *flags[2] = {&f->grade_published, &f->label_published};
    static const char *const names[2] = {"grade", "label"};
    for (int k = 0; k < 2; k++) {
        if (!pub[k]->text)
            continue;
        if (*mine[k] && strcmp(*mine[k], pub[k]->text) != 0) {
            char a[32];
            /* id: analyse-published-word-differs */
            analyse_add_message(f, DIAG_WARNING, &pub[k]->pos, "analyse-published-word-differs",
                                "published %s %s differs from %s, computed from the overall %s; "
                                "the published %s is used",
                                names[k], pub[k]->text, *mine[k],
                                decimal_format_scaled(overall, fw->decimals, a, sizeof a),
                                names[k]);
        }
        *mine[k] = pub[k]->text;
        *flags[k] = true;
    }
    if (f->label)
        f->label_undetermined = false;
    f->passed = overall >= fw->pass_mark;
}

/* The indicator chosen for measures: the input's, else (when the framework asks for one)
 * the lowest-scoring indicator with a score, the first of equals. */
static void analyse_focus(analyse_ctx_t *c)
{
    const framework_t *fw = c->fw;
    analyse_findings_t *f = c->f;
    f->focus = FRAMEWORK_NONE;
    if (c->m->focus_indicator) {
        f->focus = framework_find_indicator(fw, c->m->focus_indicator);
        f->focus_from_input = f->focus != FRAMEWORK_NONE;
        return;
    }
    if (!fw->focus_lowest)
        return;
    for (size_t i = 0; i < fw->indicator_count; i++) {
        const analyse_figure_t *s = &f->indicators[i].score;
        if (s->source != ANALYSE_SOURCE_NONE &&
            (f->focus == FRAMEWORK_NONE || s->rounded < f->indicators[f->focus].score.rounded))
            f->focus = i;
    }
    diag_pos_t file = {.file = c->m->file}; /* about the whole input: no line */
    if (f->focus == FRAMEWORK_NONE)
        /* id: analyse-focus-none */
        analyse_add_message(f, DIAG_WARNING, &file, "analyse-focus-none",
                            "no indicator scores and no focus.indicator: the report cannot "
                            "name the indicator chosen for measures");
}

static void analyse_areas(analyse_ctx_t *c)
{
    const framework_t *fw = c->fw;
    for (size_t a = 0; a < fw->area_count; a++) {
        const framework_area_t *area = &fw->areas[a];
        analyse_area_t *aa = &c->f->areas[a];
        aa->below = mem_zalloc(area->question_count + 1, sizeof *aa->below);
        aa->discuss = mem_zalloc(area->question_count + 1, sizeof *aa->discuss);
        for (size_t i = 0; i < area->question_count; i++) {
            const analyse_question_t *q = &c->f->questions[area->questions[i]];
            if (q->present && q->score.rounded < fw->discuss_below)
                aa->below[aa->below_count++] = area->questions[i];
        }
        const model_discuss_t *given = model_find_discuss(c->m, area->number);
        if (given) {
            aa->discuss_from_input = true;
            for (size_t i = 0; i < given->questions.count; i++) {
                size_t q = framework_find_question(fw, given->questions.items[i].text);
                if (q != FRAMEWORK_NONE && aa->discuss_count < area->question_count)
                    aa->discuss[aa->discuss_count++] = q;
            }
            continue;
        }
        /* The rule: per tool, the per_tool lowest of the questions below the threshold
         * (ties keep the area's order); listed tool by tool. */
        for (size_t t = 0; t < fw->tool_count; t++) {
            size_t start = aa->discuss_count;
            for (size_t i = 0; i < aa->below_count; i++) {
                size_t q = aa->below[i];
                if (fw->questions[q].tool != t)
                    continue;
                /* Insert by score into this tool's run, keeping at most per_tool. */
                size_t run = aa->discuss_count - start, pos = run;
                while (pos > 0 && c->f->questions[q].score.rounded <
                                      c->f->questions[aa->discuss[start + pos - 1]].score.rounded)
                    pos--;
                if (pos >= fw->discuss_per_tool)
                    continue;
                if (run == fw->discuss_per_tool)
                    run--;
                memmove(&aa->discuss[start + pos + 1], &aa->discuss[start + pos],
                        (run - pos) * sizeof *aa->discuss);
                aa->discuss[start + pos] = q;
                aa->discuss_count = start + run + 1;
            }
        }
    }
}

/* An input without an action plan gets, in Part 2, only the template's default measures
 * (the same for every agency): `check` says so (render and batch do not: a CSV row cannot
 * give a plan). Years that choose an indicator for measures (focus) have their own
 * warning. */
static void check_plan(analyse_ctx_t *c)
{
    c->f->plan_only_defaults = c->fw->area_count > 0 && !c->fw->focus_lowest &&
                               c->m->measure_count == 0 && analyse_count(c->f, DIAG_ERROR) == 0;
}

static int analyse_compare_years(const void *a, const void *b)
{
    const model_history_t *x = *(const model_history_t *const *)a;
    const model_history_t *y = *(const model_history_t *const *)b;
    return (y->fiscal_year > x->fiscal_year) - (y->fiscal_year < x->fiscal_year);
}

static void analyse_history(analyse_ctx_t *c)
{
    const framework_t *fw = c->fw;
    const model_t *m = c->m;
    analyse_findings_t *f = c->f;
    if (m->history_count == 0)
        return;
    const model_history_t **sorted = mem_zalloc(m->history_count, sizeof *sorted);
    for (size_t i = 0; i < m->history_count; i++)
        sorted[i] = &m->history[i];
    qsort(sorted, m->history_count, sizeof *sorted, analyse_compare_years);
    f->changes = mem_zalloc(m->history_count, sizeof *f->changes);
    for (size_t i = 0; i < m->history_count; i++) {
        const model_history_t *h = sorted[i];
        analyse_change_t *ch = &f->changes[f->change_count++];
        ch->fiscal_year = h->fiscal_year;
        ch->has_tool = mem_zalloc(fw->tool_count + 1, sizeof *ch->has_tool);
        ch->tool_then = mem_zalloc(fw->tool_count + 1, sizeof *ch->tool_then);
        ch->tool_change = mem_zalloc(fw->tool_count + 1, sizeof *ch->tool_change);
        ch->has_indicator = mem_zalloc(fw->indicator_count + 1, sizeof *ch->has_indicator);
        ch->indicator_then = mem_zalloc(fw->indicator_count + 1, sizeof *ch->indicator_then);
        ch->indicator_change = mem_zalloc(fw->indicator_count + 1, sizeof *ch->indicator_change);
        for (size_t k = 0; k < fw->indicator_count; k++) {
            char key[32];
            snprintf(key, sizeof key, "%d", fw->indicators[k].number);
            const model_score_t *s = model_find_score(&h->indicators, key);
            if (!s)
                continue;
            ch->has_indicator[k] = true;
            ch->indicator_then[k] = decimal_round(s->values[0], fw->decimals);
            ch->indicator_change[k] = f->indicators[k].score.source != ANALYSE_SOURCE_NONE
                                          ? f->indicators[k].score.rounded - ch->indicator_then[k]
                                          : 0;
        }
        const model_score_t *o = model_find_score(&h->figures, "overall");
        if (o) {
            ch->has_overall = true;
            ch->overall_then = decimal_round(o->values[0], fw->decimals);
            ch->overall_change = f->overall.source != ANALYSE_SOURCE_NONE
                                     ? f->overall.rounded - ch->overall_then
                                     : 0;
        }
        for (size_t t = 0; t < fw->tool_count; t++) {
            const model_score_t *s = model_find_score(&h->figures, fw->tools[t].id);
            if (!s)
                continue;
            ch->has_tool[t] = true;
            ch->tool_then[t] = decimal_round(s->values[0], fw->decimals);
            ch->tool_change[t] = f->tools[t].score.source != ANALYSE_SOURCE_NONE
                                     ? f->tools[t].score.rounded - ch->tool_then[t]
                                     : 0;
        }
    }
    free(sorted);
}

analyse_findings_t *analyse_findings(const model_t *m, const framework_t *fw)
{
    analyse_findings_t *f = mem_zalloc(1, sizeof *f);
    f->fw = fw;
    f->questions = mem_zalloc(fw->question_count + 1, sizeof *f->questions);
    f->indicators = mem_zalloc(fw->indicator_count + 1, sizeof *f->indicators);
    f->tools = mem_zalloc(fw->tool_count + 1, sizeof *f->tools);
    f->areas = mem_zalloc(fw->area_count + 1, sizeof *f->areas);
    analyse_ctx_t c = {m, fw, f};
    analyse_questions(&c);
    analyse_indicators(&c);
    analyse_tools(&c);
    analyse_overall(&c);
    analyse_areas(&c);
    check_plan(&c);
    analyse_focus(&c);
    analyse_history(&c);
    return f;
}

void analyse_free_findings(analyse_findings_t *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->fw->indicator_count; i++)
        free(f->indicators[i].subs);
    for (size_t t = 0; t < f->fw->tool_count; t++)
        free(f->tools[t].parts);
    for (size_t a = 0; a < f->fw->area_count; a++) {
        free(f->areas[a].below);
        free(f->areas[a].discuss);
    }
    for (size_t i = 0; i < f->change_count; i++) {
        free(f->changes[i].has_tool);
        free(f->changes[i].tool_then);
        free(f->changes[i].tool_change);
        free(f->changes[i].has_indicator);
        free(f->changes[i].indicator_then);
        free(f->changes[i].indicator_change);
    }
    for (size_t i = 0; i < f->message_count; i++)
        diag_record_free(f->messages[i]);
    free(f->questions);
    free(f->indicators);
    free(f->tools);
    free(f->areas);
    free(f->changes);
    free(f->messages);
    free(f);
}

size_t analyse_count(const analyse_findings_t *f, diag_severity_t severity)
{
    size_t n = 0;
    for (size_t i = 0; i < f->message_count; i++)
        n += f->messages[i]->severity == severity;
    return n;
}
