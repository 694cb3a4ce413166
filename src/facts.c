/* facts — see facts.h. */
#include "facts.h"

#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static value_t *figure(const framework_t *fw, const analyse_figure_t *fig)
{
    if (fig->source == ANALYSE_SOURCE_NONE)
        return value_null();
    return value_number(fig->rounded, fw->decimals);
}

static bool below(const framework_t *fw, const analyse_figure_t *fig)
{
    return fig->source != ANALYSE_SOURCE_NONE && fig->rounded < fw->pass_mark;
}

/* A question the analysis calls weak: by the framework's rule (discuss.below) on the
 * question's own score (an EIT question: the mean of its parts), as analyse lists it. */
static bool weak(const framework_t *fw, const analyse_question_t *aq)
{
    return aq->present && aq->score.source != ANALYSE_SOURCE_NONE &&
           aq->score.rounded < fw->discuss_below;
}

/* A change between two rounded figures as data: `change` (its size, never negative),
 * `signed` (with its sign: +1.25, -0.40, 0.00), `up`, `down`, `same`. */
static void set_change(value_t *v, const framework_t *fw, int64_t change)
{
    value_set(v, "change", value_number(change < 0 ? -change : change, fw->decimals));
    char buf[40], num[32];
    decimal_format_scaled(change < 0 ? -change : change, fw->decimals, num, sizeof num);
    snprintf(buf, sizeof buf, "%s%s", change > 0 ? "+" : change < 0 ? "-" : "", num);
    value_set(v, "signed", value_text(buf));
    value_set(v, "up", value_bool(change > 0));
    value_set(v, "down", value_bool(change < 0));
    value_set(v, "same", value_bool(change == 0));
}

static value_t *texts(const model_text_list_t *list)
{
    value_t *v = value_list();
    for (size_t i = 0; i < list->count; i++)
        value_push(v, value_text(list->items[i].text));
    return v;
}

/* The template's wording for a question id (a map), or NULL. */
static const value_t *question_wording(const value_t *wording, const char *id)
{
    const value_t *questions = value_child(wording, "questions", 9);
    const value_t *w = value_child(questions, id, strlen(id));
    return w && w->kind == VALUE_MAP ? w : NULL;
}

/* One question as the tables and the narrative need it. */
static value_t *question(const framework_t *fw, const analyse_findings_t *f, size_t qi,
                         const value_t *wording)
{
    const framework_question_t *q = &fw->questions[qi];
    const analyse_question_t *aq = &f->questions[qi];
    const framework_tool_t *tool = &fw->tools[q->tool];
    value_t *v = value_map();
    value_set(v, "id", value_text(q->id));
    value_set(v, "text", value_wording(q->text));
    value_set(v, "tool", value_text(tool->code));
    value_set(v, "present", value_bool(aq->present));
    value_set(v, "score", figure(fw, &aq->score));
    /* Marked exactly when the analysis calls the question weak; of a weak question's
     * parts, those under the same mark (a part of a question that is not weak is not
     * marked, whatever its own figure: bankhai's e5 part 2, 84.66 of a mean 85.46). */
    bool is_weak = weak(fw, aq);
    value_set(v, "below", value_bool(is_weak));
    value_set(v, "has_parts", value_bool(tool->part_count > 0));
    value_set(v, "item", value_bool(q->sub != FRAMEWORK_NONE));
    value_t *parts = value_set(v, "parts", value_list());
    for (size_t p = 0; p < tool->part_count; p++) {
        value_t *part = value_push(parts, value_map());
        if (aq->present && p < aq->part_count) {
            int64_t r = decimal_round(aq->parts[p], fw->decimals);
            value_set(part, "score", value_number(r, fw->decimals));
            value_set(part, "below", value_bool(is_weak && r < fw->discuss_below));
        } else {
            value_set(part, "score", value_null());
            value_set(part, "below", value_bool(false));
        }
    }
    const value_t *w = question_wording(wording, q->id);
    for (size_t i = 0; w && i < w->count; i++)
        if (!value_child(v, w->entries[i].key, strlen(w->entries[i].key)))
            value_set(v, w->entries[i].key, value_copy(w->entries[i].value));
    return v;
}

static value_t *tool_value(const framework_t *fw, const analyse_findings_t *f, size_t ti)
{
    const framework_tool_t *tool = &fw->tools[ti];
    value_t *v = value_map();
    value_set(v, "id", value_text(tool->id));
    value_set(v, "code", value_text(tool->code));
    value_set(v, "name", value_wording(tool->name));
    value_set(v, "score", figure(fw, &f->tools[ti].score));
    value_set(v, "below", value_bool(below(fw, &f->tools[ti].score)));
    value_set(v, "has_score", value_bool(f->tools[ti].score.source != ANALYSE_SOURCE_NONE));
    value_set(v, "has_parts", value_bool(tool->part_count > 0));
    value_t *parts = value_set(v, "parts", value_list());
    for (size_t p = 0; p < tool->part_count; p++) {
        value_t *part = value_push(parts, value_map());
        value_set(part, "id", value_text(tool->parts[p].id));
        value_set(part, "name", value_wording(tool->parts[p].name));
        value_set(part, "score", figure(fw, &f->tools[ti].parts[p]));
        value_set(part, "below", value_bool(below(fw, &f->tools[ti].parts[p])));
    }
    return v;
}

static const char *area_narrative(const model_t *m, int number)
{
    const char *narrative = NULL;
    for (size_t i = 0; i < m->narrative_count; i++)
        if (m->narratives[i].area == number)
            narrative = m->narratives[i].text.text;
    return narrative;
}

/* An area the report calls in good order: question scores given, nothing to discuss and
 * no narrative of the agency's own. */
static bool is_ok_area(const model_t *m, const analyse_findings_t *f, size_t ai)
{
    const framework_area_t *area = &f->fw->areas[ai];
    bool has_scores = false;
    for (size_t k = 0; k < area->question_count; k++)
        has_scores |= f->questions[area->questions[k]].present;
    return has_scores && f->areas[ai].discuss_count == 0 && !area_narrative(m, area->number);
}

/* An issue area: its questions grouped by tool (framework order), the questions below
 * the pass mark and those to discuss; first_ok is the first area in good order (or
 * FRAMEWORK_NONE). */
static value_t *area_value(const model_t *m, const framework_t *fw, const analyse_findings_t *f,
                           size_t ai, size_t first_ok, const value_t *wording)
{
    const framework_area_t *area = &fw->areas[ai];
    const analyse_area_t *aa = &f->areas[ai];
    value_t *v = value_map();
    value_set(v, "number", value_int(area->number));
    value_set(v, "name", value_wording(area->name));
    value_set(v, "narrative", value_text(area_narrative(m, area->number)));
    bool has_scores = false;
    for (size_t k = 0; k < area->question_count; k++)
        has_scores |= f->questions[area->questions[k]].present;
    value_set(v, "has_scores", value_bool(has_scores));
    value_t *tools = value_set(v, "tools", value_list());
    for (size_t t = 0; t < fw->tool_count; t++) {
        value_t *questions = NULL;
        for (size_t k = 0; k < area->question_count; k++) {
            size_t qi = area->questions[k];
            if (fw->questions[qi].tool != t)
                continue;
            if (!questions) {
                value_t *group = value_push(tools, tool_value(fw, f, t));
                questions = value_set(group, "questions", value_list());
            }
            value_push(questions, question(fw, f, qi, wording));
        }
    }
    value_t *discuss = value_set(v, "discuss", value_list());
    value_t *discuss_ids = value_set(v, "discuss_ids", value_list());
    value_t *question_ids = value_set(v, "discuss_question_ids", value_list());
    value_t *item_ids = value_set(v, "discuss_item_ids", value_list());
    for (size_t k = 0; k < aa->discuss_count; k++) {
        const framework_question_t *q = &fw->questions[aa->discuss[k]];
        value_push(discuss, question(fw, f, aa->discuss[k], wording));
        value_push(discuss_ids, value_text(q->id));
        value_push(q->sub != FRAMEWORK_NONE ? item_ids : question_ids, value_text(q->id));
    }
    /* An area with scores and nothing to discuss says so once in full; the later ones
     * name the first (the same paragraph is not printed area after area). */
    bool ok = is_ok_area(m, f, ai);
    value_set(v, "ok", value_bool(ok));
    value_set(v, "ok_first", value_bool(ok && first_ok == ai));
    value_set(v, "ok_first_number",
              first_ok != FRAMEWORK_NONE ? value_int(fw->areas[first_ok].number) : value_null());
    value_set(v, "discuss_from_input", value_bool(aa->discuss_from_input));
    value_t *low = value_set(v, "below", value_list());
    value_t *low_ids = value_set(v, "below_ids", value_list());
    for (size_t k = 0; k < aa->below_count; k++) {
        value_push(low, question(fw, f, aa->below[k], wording));
        value_push(low_ids, value_text(fw->questions[aa->below[k]].id));
    }
    return v;
}

static value_t *measures(const model_t *m, const framework_t *fw)
{
    value_t *list = value_list();
    for (size_t i = 0; i < m->measure_count; i++) {
        const model_measure_t *ms = &m->measures[i];
        value_t *v = value_push(list, value_map());
        value_set(v, "area", value_int(ms->area));
        size_t ai = framework_find_area(fw, ms->area);
        const char *title = ms->title.text         ? ms->title.text
                            : ai != FRAMEWORK_NONE ? fw->areas[ai].name
                                                   : NULL;
        value_set(v, "title", value_text(title));
        value_set(v, "approach", texts(&ms->approach));
        value_set(v, "steps", texts(&ms->steps));
        value_set(v, "responsible", value_text(ms->responsible.text));
        value_set(v, "follow_up", texts(&ms->follow_up));
    }
    return list;
}

/* The plan: per issue area, the input's measures, else the template's default one. */
static value_t *plan(const framework_t *fw, const value_t *measures, const value_t *wording)
{
    value_t *list = value_list();
    const value_t *defaults = value_child(wording, "default_measures", 16);
    for (size_t a = 0; a < fw->area_count; a++) {
        bool given = false;
        for (size_t i = 0; i < measures->count; i++) {
            const value_t *area = value_child(measures->items[i], "area", 4);
            if (area && area->scaled == fw->areas[a].number) {
                value_push(list, value_copy(measures->items[i]));
                given = true;
            }
        }
        char key[16];
        snprintf(key, sizeof key, "%d", fw->areas[a].number);
        const value_t *d = value_child(defaults, key, strlen(key));
        if (given || !d || d->kind != VALUE_MAP)
            continue;
        value_t *v = value_push(list, value_copy(d));
        value_set(v, "area", value_int(fw->areas[a].number));
        if (!value_child(v, "title", 5))
            value_set(v, "title", value_text(fw->areas[a].name));
        value_set(v, "from_template", value_bool(true));
    }
    return list;
}

static value_t *history(const model_t *m, const framework_t *fw, const analyse_findings_t *f,
                        value_t *root)
{
    value_t *list = value_list();
    for (size_t i = 0; i < m->history_count; i++) {
        const model_history_t *h = &m->history[i];
        value_t *v = value_push(list, value_map());
        value_set(v, "fiscal_year", value_int(h->fiscal_year));
        const model_score_t *overall = model_find_score(&h->figures, "overall");
        value_set(v, "overall",
                  overall && overall->value_count
                      ? value_number(decimal_round(overall->values[0], fw->decimals), fw->decimals)
                      : value_null());
        value_t *tools = value_set(v, "tools", value_map());
        for (size_t t = 0; t < fw->tool_count; t++) {
            const model_score_t *s = model_find_score(&h->figures, fw->tools[t].id);
            value_set(tools, fw->tools[t].id,
                      s && s->value_count
                          ? value_number(decimal_round(s->values[0], fw->decimals), fw->decimals)
                          : value_null());
        }
        value_t *inds = value_set(v, "indicators", value_map());
        for (size_t k = 0; k < h->indicators.count; k++)
            value_set(inds, h->indicators.items[k].id,
                      value_number(decimal_round(h->indicators.items[k].values[0], fw->decimals),
                                   fw->decimals));
    }
    value_t *changes = value_set(root, "changes", value_list());
    for (size_t i = 0; i < f->change_count; i++) {
        const analyse_change_t *c = &f->changes[i];
        value_t *v = value_push(changes, value_map());
        value_set(v, "fiscal_year", value_int(c->fiscal_year));
        value_set(v, "overall_then",
                  c->has_overall ? value_number(c->overall_then, fw->decimals) : value_null());
        value_set(v, "overall_change",
                  c->has_overall ? value_number(c->overall_change, fw->decimals) : value_null());
        value_set(v, "improved", value_bool(c->has_overall && c->overall_change > 0));
        value_set(v, "has_overall",
                  value_bool(c->has_overall && f->overall.source != ANALYSE_SOURCE_NONE));
        if (c->has_overall && f->overall.source != ANALYSE_SOURCE_NONE)
            set_change(v, fw, c->overall_change);
        value_t *tools = value_set(v, "tools", value_list());
        for (size_t t = 0; t < fw->tool_count; t++) {
            if (!c->has_tool[t] || f->tools[t].score.source == ANALYSE_SOURCE_NONE)
                continue;
            value_t *tv = value_push(tools, value_map());
            value_set(tv, "id", value_text(fw->tools[t].id));
            value_set(tv, "code", value_text(fw->tools[t].code));
            value_set(tv, "name", value_wording(fw->tools[t].name));
            value_set(tv, "then", value_number(c->tool_then[t], fw->decimals));
            value_set(tv, "now", figure(fw, &f->tools[t].score));
            set_change(tv, fw, c->tool_change[t]);
        }
    }
    /* The previous year in the input, the one the report compares with. */
    value_set(root, "previous", f->change_count ? value_copy(changes->items[0]) : value_null());
    return list;
}

/* The bars of the per-tool chart: each tool, or each part of a tool that has parts,
 * then the overall (labelled wording.overall_label, else "ITA"). */
static value_t *score_bars(const framework_t *fw, const analyse_findings_t *f,
                           const value_t *wording)
{
    value_t *list = value_list();
    for (size_t t = 0; t < fw->tool_count; t++) {
        const framework_tool_t *tool = &fw->tools[t];
        /* A tool's parts when any of them has a score, else the tool itself (an input that
         * gives EIT as one published figure still shows its bar). */
        bool by_parts = false;
        for (size_t p = 0; p < tool->part_count && p < MODEL_MAX_PARTS; p++)
            by_parts |= f->tools[t].parts[p].source != ANALYSE_SOURCE_NONE;
        for (size_t p = 0; p < (by_parts ? tool->part_count : 1); p++) {
            value_t *v = value_push(list, value_map());
            const analyse_figure_t *fig = by_parts ? &f->tools[t].parts[p] : &f->tools[t].score;
            char *label = by_parts ? mem_printf("%s %s", tool->code, tool->parts[p].name)
                                   : mem_strdup(tool->code);
            value_set(v, "label", value_wording(label));
            free(label);
            value_set(v, "score", figure(fw, fig));
            value_set(v, "below", value_bool(below(fw, fig)));
        }
    }
    value_t *v = value_push(list, value_map());
    const value_t *label = value_child(wording, "overall_label", 13);
    value_set(v, "label",
              label && label->kind == VALUE_TEXT ? value_copy(label) : value_text("ITA"));
    value_set(v, "score", figure(fw, &f->overall));
    value_set(v, "below", value_bool(below(fw, &f->overall)));
    return list;
}

/* Earlier years (oldest first) and this one: fiscal_year, overall, tools.<id>. */
static value_t *years(const framework_t *fw, const analyse_findings_t *f, const model_t *m,
                      const value_t *history_list)
{
    value_t *list = value_list();
    size_t n = history_list->count;
    for (size_t done = 0; done < n; done++) {
        /* the oldest not yet taken */
        size_t pick = SIZE_MAX;
        for (size_t i = 0; i < n; i++) {
            const value_t *y = value_child(history_list->items[i], "fiscal_year", 11);
            bool taken = false;
            for (size_t k = 0; k < list->count; k++)
                taken |= value_child(list->items[k], "fiscal_year", 11)->scaled == y->scaled;
            if (!taken &&
                (pick == SIZE_MAX ||
                 y->scaled < value_child(history_list->items[pick], "fiscal_year", 11)->scaled))
                pick = i;
        }
        if (pick != SIZE_MAX)
            value_push(list, value_copy(history_list->items[pick]));
    }
    value_t *now = value_push(list, value_map());
    value_set(now, "fiscal_year", value_int(m->fiscal_year));
    value_set(now, "overall", figure(fw, &f->overall));
    value_t *tools = value_set(now, "tools", value_map());
    for (size_t t = 0; t < fw->tool_count; t++)
        value_set(tools, fw->tools[t].id, figure(fw, &f->tools[t].score));
    return list;
}

/* A date as data: has_date, has_day, day, month, month_name (wording.months, the Thai
 * month names, else the number), year (พ.ศ.). */
static void set_date(value_t *v, const model_date_t *d, const value_t *wording)
{
    bool has = d->year > 0;
    value_set(v, "has_date", value_bool(has));
    value_set(v, "has_day", value_bool(has && d->day > 0));
    value_set(v, "day", has && d->day > 0 ? value_int(d->day) : value_null());
    value_set(v, "month", has ? value_int(d->month) : value_null());
    value_set(v, "year", has ? value_int(d->year) : value_null());
    const value_t *months = value_child(wording, "months", 6);
    const value_t *name =
        has && months && months->kind == VALUE_LIST && (size_t)d->month <= months->count
            ? months->items[d->month - 1]
            : NULL;
    value_set(v, "month_name",
              name && name->kind == VALUE_TEXT ? value_copy(name)
              : has                            ? value_int(d->month)
                                               : value_null());
}

/* The date of a moment (seconds since 1970) in Thai time (UTC+7), the year in พ.ศ. */
static model_date_t thai_date(long long seconds)
{
    long long days = (seconds + 7 * 3600) / 86400;
    /* civil from days (H. Hinnant's algorithm) */
    long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    int day = (int)(doy - (153 * mp + 2) / 5 + 1);
    int month = (int)(mp < 10 ? mp + 3 : mp - 9);
    int year = (int)(yoe + era * 400 + (month <= 2));
    return (model_date_t){year + 543, month, day, {0}};
}

static value_t *signer(const model_signer_t *s, const value_t *wording)
{
    value_t *v = value_map();
    value_set(v, "given", value_bool(s->name.text || s->position.text || s->date.year));
    value_set(v, "name", value_text(s->name.text));
    value_set(v, "position", value_text(s->position.text));
    set_date(v, &s->date, wording);
    return v;
}

/* The report's own details: the issuing office (the input's; null: the agency), the month
 * and year of the report (the input's date, else SOURCE_DATE_EPOCH's; never the clock),
 * the sign-off. */
static void report_details(value_t *root, const model_t *m, const value_t *wording,
                           long long source_date)
{
    const model_report_t *r = &m->report;
    value_t *v = value_set(root, "report", value_map());
    value_set(v, "office", value_text(r->office.text));
    model_date_t date = r->date;
    if (!date.year && source_date >= 0)
        date = thai_date(source_date);
    set_date(v, &date, wording);
    value_set(v, "date_from_input", value_bool(r->date.year > 0));
    value_t *p = value_set(v, "prepared_by", signer(&r->prepared_by, wording));
    value_t *a = value_set(v, "approved_by", signer(&r->approved_by, wording));
    value_set(root, "signoff",
              value_bool(value_truthy(value_child(p, "given", 5)) ||
                         value_truthy(value_child(a, "given", 5))));
}

value_t *facts_build(const model_t *m, const framework_t *fw, const analyse_findings_t *f,
                     const value_t *wording, long long source_date)
{
    value_t *root = value_map();
    value_t *framework = value_set(root, "framework", value_map());
    value_set(framework, "id", value_text(fw->id));
    value_set(framework, "title", value_wording(fw->title));
    value_set(framework, "provisional", value_bool(fw->provisional));
    value_set(root, "fiscal_year", value_int(m->fiscal_year));
    value_set(root, "next_fiscal_year", value_int(m->fiscal_year + 1));

    value_t *agency = value_set(root, "agency", value_map());
    value_set(agency, "name", value_text(m->agency.name.text));
    value_set(agency, "short_name", value_text(m->agency.short_name.text));
    value_set(agency, "type", value_text(m->agency.type.text));
    value_set(agency, "subdistrict", value_text(m->agency.subdistrict.text));
    value_set(agency, "district", value_text(m->agency.district.text));
    value_set(agency, "province", value_text(m->agency.province.text));
    value_set(agency, "logo", value_text(m->agency.logo.text));
    value_set(agency, "capital", value_bool(m->agency.capital));

    value_set(root, "overall", figure(fw, &f->overall));
    value_set(root, "grade", value_text(f->grade));
    value_set(root, "label", value_text(f->label));
    value_set(root, "label_undetermined", value_bool(f->label_undetermined));
    value_set(root, "label_published", value_bool(f->label_published));
    value_set(root, "overall_published", value_bool(f->overall.source == ANALYSE_SOURCE_PUBLISHED));
    value_set(root, "passed", value_bool(f->passed));
    value_set(root, "overall_below", value_bool(below(fw, &f->overall)));
    value_set(root, "pass_mark", value_number(fw->pass_mark, fw->decimals));

    value_t *tools = value_set(root, "tools", value_list());
    value_t *tool_map = value_set(root, "tool", value_map());
    for (size_t t = 0; t < fw->tool_count; t++) {
        value_push(tools, tool_value(fw, f, t));
        value_set(tool_map, fw->tools[t].id, tool_value(fw, f, t));
    }
    value_t *indicators = value_set(root, "indicators", value_list());
    for (size_t i = 0; i < fw->indicator_count; i++) {
        value_t *v = value_push(indicators, value_map());
        value_set(v, "number", value_int(fw->indicators[i].number));
        value_set(v, "name", value_wording(fw->indicators[i].name));
        value_set(v, "tool", value_text(fw->tools[fw->indicators[i].tool].code));
        value_set(v, "score", figure(fw, &f->indicators[i].score));
        value_set(v, "below", value_bool(below(fw, &f->indicators[i].score)));
        bool scored = f->indicators[i].score.source != ANALYSE_SOURCE_NONE;
        value_set(v, "has_score", value_bool(scored));
        value_set(v, "passed", value_bool(scored && !below(fw, &f->indicators[i].score)));
        value_set(v, "is_focus", value_bool(f->focus == i));
        /* Against the most recent earlier year that has this indicator. */
        const analyse_change_t *prev = NULL;
        for (size_t k = 0; k < f->change_count && !prev; k++)
            if (f->changes[k].has_indicator[i])
                prev = &f->changes[k];
        value_set(v, "has_previous", value_bool(prev && scored));
        value_set(v, "up", value_bool(false));
        value_set(v, "down", value_bool(false));
        value_set(v, "same", value_bool(false));
        if (prev && scored) {
            value_set(v, "previous_year", value_int(prev->fiscal_year));
            value_set(v, "previous", value_number(prev->indicator_then[i], fw->decimals));
            set_change(v, fw, prev->indicator_change[i]);
        }
    }
    value_set(root, "has_indicator_scores", value_bool(false));
    for (size_t i = 0; i < fw->indicator_count; i++)
        if (f->indicators[i].score.source != ANALYSE_SOURCE_NONE)
            value_set(root, "has_indicator_scores", value_bool(true));
    bool any_question = false;
    for (size_t q = 0; q < fw->question_count; q++)
        any_question |= f->questions[q].present;
    value_set(root, "has_question_scores", value_bool(any_question));
    value_set(root, "has_areas", value_bool(fw->area_count > 0));
    bool any_tool = false;
    for (size_t t = 0; t < fw->tool_count; t++)
        any_tool |= f->tools[t].score.source != ANALYSE_SOURCE_NONE;
    value_set(root, "has_tool_scores", value_bool(any_tool));
    /* The indicator chosen for measures, and the measures. */
    if (f->focus != FRAMEWORK_NONE) {
        value_t *fv = value_set(root, "focus", value_copy(indicators->items[f->focus]));
        value_set(fv, "from_input", value_bool(f->focus_from_input));
        value_set(fv, "lowest", value_bool(!f->focus_from_input));
        value_set(fv, "reason", value_text(m->focus_reason.text));
    } else {
        value_set(root, "focus", value_null());
    }
    value_set(root, "focus_lowest", value_bool(f->focus != FRAMEWORK_NONE && !f->focus_from_input));
    value_t *fms = value_set(root, "focus_measures", value_list());
    for (size_t i = 0; i < m->focus_measure_count; i++) {
        const model_focus_measure_t *fm = &m->focus_measures[i];
        value_t *v = value_push(fms, value_map());
        value_set(v, "measure", value_text(fm->measure.text));
        value_set(v, "responsible", value_text(fm->responsible.text));
        value_set(v, "period", value_text(fm->period.text));
        value_set(v, "follow_up", texts(&fm->follow_up));
    }
    value_t *areas = value_set(root, "areas", value_list());
    size_t first_ok = FRAMEWORK_NONE;
    for (size_t a = fw->area_count; a-- > 0;)
        if (is_ok_area(m, f, a))
            first_ok = a;
    for (size_t a = 0; a < fw->area_count; a++)
        value_push(areas, area_value(m, fw, f, a, first_ok, wording));
    value_t *given = value_set(root, "measures", measures(m, fw));
    value_set(root, "plan", plan(fw, given, wording));
    value_t *limits = value_set(root, "limitations", value_list());
    for (size_t i = 0; i < m->limitation_count; i++) {
        value_t *v = value_push(limits, value_map());
        value_set(v, "topic", value_text(m->limitations[i].topic.text));
        value_set(v, "detail", value_text(m->limitations[i].detail.text));
    }
    value_t *hist = history(m, fw, f, root);
    value_set(root, "has_history", value_bool(hist->count > 0));
    value_set(root, "years", years(fw, f, m, hist));
    value_set(root, "history", hist);
    value_set(root, "score_bars", score_bars(fw, f, wording));
    report_details(root, m, wording, source_date);
    return root;
}

/* Every name facts_build provides, as template patterns (tmpl.h); docs/templates.md lists
 * the same (tests/unit/test_names.c compares them). */
const char *const facts_names[] = {
    "framework.id",
    "framework.title",
    "framework.provisional",
    "fiscal_year",
    "next_fiscal_year",
    "agency.name",
    "agency.short_name",
    "agency.type",
    "agency.subdistrict",
    "agency.district",
    "agency.province",
    "agency.logo",
    "agency.capital",
    "overall",
    "grade",
    "label",
    "passed",
    "overall_below",
    "pass_mark",
    "tools[].id",
    "tools[].code",
    "tools[].name",
    "tools[].score",
    "tools[].below",
    "tools[].has_parts",
    "tools[].parts[].id",
    "tools[].parts[].name",
    "tools[].parts[].score",
    "tools[].parts[].below",
    "tool.*.id",
    "tool.*.code",
    "tool.*.name",
    "tool.*.score",
    "tool.*.below",
    "tool.*.has_parts",
    "tool.*.parts[].id",
    "tool.*.parts[].name",
    "tool.*.parts[].score",
    "tool.*.parts[].below",
    "indicators[].number",
    "indicators[].name",
    "indicators[].tool",
    "indicators[].score",
    "indicators[].below",
    "areas[].number",
    "areas[].name",
    "areas[].narrative",
    "areas[].tools[].id",
    "areas[].tools[].code",
    "areas[].tools[].name",
    "areas[].tools[].score",
    "areas[].tools[].below",
    "areas[].tools[].has_parts",
    "areas[].tools[].parts[].id",
    "areas[].tools[].parts[].name",
    "areas[].tools[].parts[].score",
    "areas[].tools[].parts[].below",
    "areas[].tools[].questions[].id",
    "areas[].tools[].questions[].text",
    "areas[].tools[].questions[].tool",
    "areas[].tools[].questions[].present",
    "areas[].tools[].questions[].score",
    "areas[].tools[].questions[].below",
    "areas[].tools[].questions[].parts[].score",
    "areas[].tools[].questions[].parts[].below",
    "areas[].tools[].questions[].@questions",
    "areas[].discuss[].id",
    "areas[].discuss[].text",
    "areas[].discuss[].tool",
    "areas[].discuss[].present",
    "areas[].discuss[].score",
    "areas[].discuss[].below",
    "areas[].discuss[].parts[].score",
    "areas[].discuss[].parts[].below",
    "areas[].discuss[].@questions",
    "areas[].discuss_ids[]",
    "areas[].discuss_from_input",
    "areas[].below[].id",
    "areas[].below[].text",
    "areas[].below[].tool",
    "areas[].below[].present",
    "areas[].below[].score",
    "areas[].below[].below",
    "areas[].below[].parts[].score",
    "areas[].below[].parts[].below",
    "areas[].below[].@questions",
    "areas[].below_ids[]",
    "measures[].area",
    "measures[].title",
    "measures[].approach[]",
    "measures[].steps[]",
    "measures[].responsible",
    "measures[].follow_up[]",
    "plan[].area",
    "plan[].title",
    "plan[].approach[]",
    "plan[].steps[]",
    "plan[].responsible",
    "plan[].follow_up[]",
    "plan[].from_template",
    "plan[].@default_measures",
    "limitations[].topic",
    "limitations[].detail",
    "has_history",
    "history[].fiscal_year",
    "history[].overall",
    "history[].tools.*",
    "years[].fiscal_year",
    "years[].overall",
    "years[].tools.*",
    "changes[].fiscal_year",
    "changes[].overall_then",
    "changes[].overall_change",
    "changes[].improved",
    "score_bars[].label",
    "score_bars[].score",
    "score_bars[].below",
    "label_undetermined",
    "label_published",
    "overall_published",
    "has_question_scores",
    "has_indicator_scores",
    "has_areas",
    "focus_lowest",
    "focus.number",
    "focus.name",
    "focus.tool",
    "focus.score",
    "focus.below",
    "focus.has_score",
    "focus.passed",
    "focus.is_focus",
    "focus.has_previous",
    "focus.previous_year",
    "focus.previous",
    "focus.change",
    "focus.signed",
    "focus.up",
    "focus.down",
    "focus.same",
    "focus.from_input",
    "focus.lowest",
    "focus.reason",
    "focus_measures[].measure",
    "focus_measures[].responsible",
    "focus_measures[].period",
    "focus_measures[].follow_up[]",
    "previous.fiscal_year",
    "previous.has_overall",
    "previous.overall_then",
    "previous.overall_change",
    "previous.improved",
    "previous.change",
    "previous.signed",
    "previous.up",
    "previous.down",
    "previous.same",
    "previous.tools[].id",
    "previous.tools[].code",
    "previous.tools[].name",
    "previous.tools[].then",
    "previous.tools[].now",
    "previous.tools[].change",
    "previous.tools[].signed",
    "previous.tools[].up",
    "previous.tools[].down",
    "previous.tools[].same",
    "tools[].has_score",
    "tool.*.has_score",
    "indicators[].has_score",
    "indicators[].passed",
    "indicators[].is_focus",
    "indicators[].has_previous",
    "indicators[].previous_year",
    "indicators[].previous",
    "indicators[].change",
    "indicators[].signed",
    "indicators[].up",
    "indicators[].down",
    "indicators[].same",
    "areas[].has_scores",
    "areas[].tools[].has_score",
    "history[].indicators.*",
    "years[].indicators.*",
    "changes[].has_overall",
    "changes[].change",
    "changes[].signed",
    "changes[].up",
    "changes[].down",
    "changes[].same",
    "changes[].tools[].id",
    "changes[].tools[].code",
    "changes[].tools[].name",
    "changes[].tools[].then",
    "changes[].tools[].now",
    "changes[].tools[].change",
    "changes[].tools[].signed",
    "changes[].tools[].up",
    "changes[].tools[].down",
    "changes[].tools[].same",
    "has_tool_scores",
    "areas[].tools[].questions[].has_parts",
    "areas[].tools[].questions[].item",
    "areas[].discuss[].has_parts",
    "areas[].discuss[].item",
    "areas[].below[].has_parts",
    "areas[].below[].item",
    "areas[].discuss_question_ids[]",
    "areas[].discuss_item_ids[]",
    "areas[].ok",
    "areas[].ok_first",
    "areas[].ok_first_number",
    "report.office",
    "report.has_date",
    "report.has_day",
    "report.day",
    "report.month",
    "report.month_name",
    "report.year",
    "report.date_from_input",
    "report.prepared_by.given",
    "report.prepared_by.name",
    "report.prepared_by.position",
    "report.prepared_by.has_date",
    "report.prepared_by.has_day",
    "report.prepared_by.day",
    "report.prepared_by.month",
    "report.prepared_by.month_name",
    "report.prepared_by.year",
    "report.approved_by.given",
    "report.approved_by.name",
    "report.approved_by.position",
    "report.approved_by.has_date",
    "report.approved_by.has_day",
    "report.approved_by.day",
    "report.approved_by.month",
    "report.approved_by.month_name",
    "report.approved_by.year",
    "signoff",
    NULL,
};
