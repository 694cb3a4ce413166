/* load — see load.h. */
#include "load.h"

#include "mem.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* Reading state. */
typedef struct load_ctx {
    diag_t *dg;
    const framework_t *fw;
    model_t *m;
    size_t errors_before; /* the context's error count when loading began */
} load_ctx_t;

static size_t load_errors(const load_ctx_t *c)
{
    return diag_count(c->dg, DIAG_ERROR) - c->errors_before;
}

/* True when the context's error limit is reached (it says so once): callers stop walking. */
static bool load_too_many(const load_ctx_t *c)
{
    return diag_stopped(c->dg);
}

/* A node's position, naming the model's copies of the file name and the path (the
 * document goes away). */
static diag_pos_t load_pos(const load_ctx_t *c, const yamldoc_node_t *node)
{
    diag_pos_t pos = node->pos;
    pos.file = c->m->file;
    pos.path = model_keep(c->m, node->pos.path);
    return pos;
}

static bool load_is_null(const yamldoc_node_t *node)
{
    return !node || (node->kind == YAMLDOC_KIND_SCALAR && node->null);
}

/* An optional text field; absent or null leaves out->text NULL. */
static void load_text(const load_ctx_t *c, const yamldoc_node_t *map, const char *key,
                      const char *what, model_text_t *out)
{
    const yamldoc_node_t *node = yamldoc_get(map, key);
    if (load_is_null(node))
        return;
    if (yamldoc_read_text(c->dg, node, what, &out->text))
        out->pos = load_pos(c, node);
}

static void load_required_text(const load_ctx_t *c, const yamldoc_node_t *map, const char *key,
                               const char *where, const char *what, model_text_t *out)
{
    if (yamldoc_require(c->dg, map, key, where))
        load_text(c, map, key, what, out);
}

/* A text or a list of texts into list (e.g. the steps of a measure). */
static void load_text_list(const load_ctx_t *c, const yamldoc_node_t *node, const char *what,
                           model_text_list_t *list)
{
    if (load_is_null(node))
        return;
    if (node->kind == YAMLDOC_KIND_SCALAR) {
        char *text;
        if (yamldoc_read_text(c->dg, node, what, &text)) {
            model_add_text(list, text, load_pos(c, node));
            free(text);
        }
        return;
    }
    if (!yamldoc_expect(c->dg, node, YAMLDOC_KIND_SEQUENCE, what))
        return;
    for (size_t i = 0; i < node->count; i++) {
        char *text;
        if (yamldoc_read_text(c->dg, node->items[i], what, &text)) {
            model_add_text(list, text, load_pos(c, node->items[i]));
            free(text);
        }
    }
}

/* A score within the framework's range; `what` names it for messages ("question i8"). */
static bool load_score(const load_ctx_t *c, const yamldoc_node_t *node, const char *what,
                       decimal_t *out)
{
    char *full = mem_printf(_("the score of %s"), what);
    bool ok = yamldoc_read_decimal(c->dg, node, full, out);
    free(full);
    if (!ok)
        return false;
    if (decimal_cmp(*out, decimal_from_int(c->fw->score_min)) < 0 ||
        decimal_cmp(*out, decimal_from_int(c->fw->score_max)) > 0) {
        diag_fail(c->dg, &node->pos, "load-score-outside", "score %s is outside %ld-%ld (%s)",
                  node->text, c->fw->score_min, c->fw->score_max, what);
        return false;
    }
    return true;
}

/* A score of a tool whose questions take only some values (`values:` in the framework,
 * OIT: 0 or 100): true when value is one of them, else reports and returns false. */
static bool load_allowed_value(const load_ctx_t *c, const framework_tool_t *tool,
                               const yamldoc_node_t *node, decimal_t value, const char *what)
{
    if (tool->value_count == 0)
        return true;
    char *list = mem_strdup("");
    for (size_t i = 0; i < tool->value_count; i++) {
        if (decimal_cmp(value, tool->values[i]) == 0) {
            free(list);
            return true;
        }
        char buf[32];
        int places =
            decimal_cmp(tool->values[i], decimal_from_int(decimal_round(tool->values[i], 0))) == 0
                ? 0
                : c->fw->decimals;
        decimal_format_scaled(decimal_round(tool->values[i], places), places, buf, sizeof buf);
        char *next = mem_printf("%s%s%s", list, i ? ", " : "", buf);
        free(list);
        list = next;
    }
    diag_fail(c->dg, &node->pos, "load-score-not-allowed",
              "score %s is not one of the values %s takes in framework %s: %s (%s)", node->text,
              tool->code, c->fw->id, list, what);
    free(list);
    return false;
}

/* Digits written after the point of a number's text (a published figure with fewer than
 * the framework's decimals is a rounded copy). */
static int load_places(const yamldoc_node_t *node)
{
    const char *dot = node->text ? strchr(node->text, '.') : NULL;
    if (!dot)
        return 0;
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)dot + 1;; n++) {
        if (*p >= '0' && *p <= '9')
            p++;
        else if (utf8_thai_digit((const char *)p, strlen((const char *)p)) >= 0)
            p += 3; /* a Thai digit */
        else
            break;
    }
    return n;
}

/* Appends a published figure (one value) with the places it was written with. */
static void load_add_figure(const load_ctx_t *c, model_score_list_t *list, const char *id,
                            decimal_t v, const yamldoc_node_t *node)
{
    model_add_score(list, id, &v, 1, load_pos(c, node))->places = load_places(node);
}

static void load_agency(load_ctx_t *c, const yamldoc_node_t *node)
{
    static const char *const keys[] = {"name",     "short_name", "type", "subdistrict",
                                       "district", "province",   "logo", NULL};
    if (!yamldoc_expect(c->dg, node, YAMLDOC_KIND_MAPPING, _("agency")))
        return;
    yamldoc_check_keys(c->dg, node, keys, "agency");
    model_agency_t *a = &c->m->agency;
    load_required_text(c, node, "name", "agency", _("agency name"), &a->name);
    load_text(c, node, "short_name", "agency short_name", &a->short_name);
    load_required_text(c, node, "type", "agency", _("agency type"), &a->type);
    load_text(c, node, "subdistrict", "agency subdistrict", &a->subdistrict);
    load_required_text(c, node, "district", "agency", _("agency district"), &a->district);
    load_required_text(c, node, "province", "agency", _("agency province"), &a->province);
    load_text(c, node, "logo", "agency logo", &a->logo);
    if (a->type.text) {
        /* The types are the framework's (framework.yaml: agency_types). */
        bool known = false;
        size_t len = 0;
        for (size_t i = 0; i < c->fw->agency_type_count; i++) {
            known |= strcmp(a->type.text, c->fw->agency_types[i]) == 0;
            len += strlen(c->fw->agency_types[i]) + 2;
        }
        if (!known) {
            char *list = mem_zalloc(len + 1, 1);
            for (size_t i = 0; i < c->fw->agency_type_count; i++) {
                if (i)
                    strcat(list, ", ");
                strcat(list, c->fw->agency_types[i]);
            }
            diag_fail(c->dg, &a->type.pos, "load-agency-type-one-other",
                      "agency type '%s' is not one of: %s", a->type.text, list);
            free(list);
        }
    }
}

/* A question id as the framework writes it: ASCII letters in lower case (the NACC's forms
 * and the seed write I13, E5, O14). A new string. */
static char *question_id(const char *text)
{
    char *id = mem_strdup(text);
    for (char *p = id; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return id;
}

/* True (after reporting) when question id was given already, under another spelling. */
static bool question_again(load_ctx_t *c, const yamldoc_node_t *key, const char *id)
{
    const model_score_t *first = model_find_score(&c->m->questions, id);
    if (!first)
        return false;
    diag_fail(c->dg, &key->pos, "load-question-given-twice",
              "question %s is given twice (as '%s' and as '%s' at line %d; ids are read without "
              "regard to case)",
              id, key->text, first->id, first->pos.line);
    return true;
}

static void load_question(load_ctx_t *c, const yamldoc_node_t *key, const yamldoc_node_t *value);

/* scores.questions: id -> number, or a list with one number per part of the tool. */
static void load_questions(load_ctx_t *c, const yamldoc_node_t *map)
{
    if (!yamldoc_expect(c->dg, map, YAMLDOC_KIND_MAPPING, "scores.questions"))
        return;
    for (size_t i = 0; i < map->count && !load_too_many(c); i++) {
        const yamldoc_node_t *key = map->pairs[i].key;
        if (key->kind != YAMLDOC_KIND_SCALAR)
            continue;
        /* Ids in any case (I13 is i13); the model keeps the framework's spelling. */
        char *id = question_id(key->text);
        yamldoc_node_t lowered = *key;
        lowered.text = id;
        if (!question_again(c, key, id))
            load_question(c, &lowered, map->pairs[i].value);
        free(id);
    }
}

/* One question's scores, its key's text already in the framework's spelling. */
static void load_question(load_ctx_t *c, const yamldoc_node_t *key, const yamldoc_node_t *value)
{
    const framework_t *fw = c->fw;
    {
        size_t q = framework_find_question(fw, key->text);
        if (q == FRAMEWORK_NONE && framework_find_item(fw, key->text) != FRAMEWORK_NONE) {
            /* An item outside the scoring chain: one score, kept for check to show. */
            decimal_t v;
            char *what = mem_printf("item %s", key->text);
            const framework_tool_t *tool =
                &fw->tools[fw->items[framework_find_item(fw, key->text)].tool];
            if (!load_is_null(value) && load_score(c, value, what, &v) &&
                load_allowed_value(c, tool, value, v, what))
                model_add_score(&c->m->questions, key->text, &v, 1, load_pos(c, value));
            free(what);
            return;
        }
        if (q == FRAMEWORK_NONE) {
            diag_fail(c->dg, &key->pos, "load-framework-question",
                      "framework %s has no question '%s'", fw->id, key->text);
            return;
        }
        if (load_is_null(value))
            return; /* not filled in: missing */
        const framework_tool_t *tool = &fw->tools[fw->questions[q].tool];
        char *what = mem_printf(_("question %s"), key->text);
        decimal_t values[MODEL_MAX_PARTS];
        size_t parts = tool->part_count, got = 0;
        bool ok = true;
        if (parts == 0) {
            if (value->kind != YAMLDOC_KIND_SCALAR) {
                diag_fail(c->dg, &value->pos, "load-question-needs-one-score",
                          "question %s needs one score, not %s", key->text,
                          yamldoc_describe(value));
                ok = false;
            } else {
                ok = load_score(c, value, what, &values[0]) &&
                     load_allowed_value(c, tool, value, values[0], what);
                got = 1;
            }
        } else if (value->kind != YAMLDOC_KIND_SEQUENCE || value->count != parts) {
            char *names = mem_strdup("");
            for (size_t p = 0; p < parts; p++) {
                char *next = mem_printf("%s%s%s", names, p ? ", " : "", tool->parts[p].name);
                free(names);
                names = next;
            }
            diag_fail(c->dg, &value->pos, "load-question-needs-list-scores",
                      "question %s needs a list of %zu scores (%s), not %s", key->text, parts,
                      names,
                      value->kind == YAMLDOC_KIND_SEQUENCE
                          ? (value->count == 1 ? "a list of 1" : "a list of another length")
                          : yamldoc_describe(value));
            free(names);
            ok = false;
        } else if (parts > MODEL_MAX_PARTS) {
            ok = false;
        } else {
            for (size_t p = 0; p < parts; p++) {
                char *part_what = mem_printf(_("question %s (%s)"), key->text, tool->parts[p].name);
                if (load_is_null(value->items[p])) {
                    /* A CSV part's empty or "-" cell among given ones. */
                    diag_fail(c->dg, &value->items[p]->pos, "load-part-not-given",
                              "the score of %s is not given: a question with parts needs a "
                              "score for each part (or none at all)",
                              part_what);
                    ok = false;
                } else {
                    ok &= load_score(c, value->items[p], part_what, &values[p]);
                }
                free(part_what);
            }
            got = parts;
        }
        free(what);
        if (ok)
            model_add_score(&c->m->questions, key->text, values, got, load_pos(c, value));
    }
}

static void load_indicators(load_ctx_t *c, const yamldoc_node_t *map, const char *where,
                            model_score_list_t *list)
{
    if (!yamldoc_expect(c->dg, map, YAMLDOC_KIND_MAPPING, where))
        return;
    for (size_t i = 0; i < map->count && !load_too_many(c); i++) {
        const yamldoc_node_t *key = map->pairs[i].key, *value = map->pairs[i].value;
        long number;
        if (!yamldoc_read_int(c->dg, key, "an indicator number", 1, 999, &number))
            continue;
        if (framework_find_indicator(c->fw, (int)number) == FRAMEWORK_NONE) {
            diag_fail(c->dg, &key->pos, "load-framework-indicator",
                      "framework %s has no indicator %ld", c->fw->id, number);
            continue;
        }
        if (load_is_null(value))
            continue;
        char *what = mem_printf(_("indicator %ld"), number);
        char *id = mem_printf("%ld", number); /* "08" and "8" are the same indicator */
        decimal_t v;
        if (model_find_score(list, id))
            diag_fail(c->dg, &key->pos, "load-indicator-given-twice",
                      "indicator %ld is given twice", number);
        else if (load_score(c, value, what, &v))
            load_add_figure(c, list, id, v, value);
        free(id);
        free(what);
    }
}

/* The keys a tool total may have: each tool id, and <tool>_<part> for each part. A new
 * NULL-terminated array of new strings. */
static char **load_tool_keys(const framework_t *fw)
{
    size_t n = 0;
    for (size_t t = 0; t < fw->tool_count; t++)
        n += 1 + fw->tools[t].part_count;
    char **keys = mem_zalloc(n + 1, sizeof *keys);
    n = 0;
    for (size_t t = 0; t < fw->tool_count; t++) {
        keys[n++] = mem_strdup(fw->tools[t].id);
        for (size_t p = 0; p < fw->tools[t].part_count; p++)
            keys[n++] = mem_strdup(fw->tools[t].parts[p].key);
    }
    return keys;
}

static void load_free_keys(char **keys)
{
    for (char **k = keys; *k; k++)
        free(*k);
    free(keys);
}

/* A mapping of tool (and tool part) totals into list; extra keys (e.g. a history entry's
 * "fiscal_year") are skipped when listed in also. */
static void load_tool_figures(load_ctx_t *c, const yamldoc_node_t *map, const char *where,
                              const char *const *also, model_score_list_t *list)
{
    char **keys = load_tool_keys(c->fw);
    size_t n = 0;
    while (keys[n])
        n++;
    for (const char *const *a = also; a && *a; a++)
        n++;
    const char **known = mem_zalloc(n + 1, sizeof *known);
    n = 0;
    for (char **k = keys; *k; k++)
        known[n++] = *k;
    for (const char *const *a = also; a && *a; a++)
        known[n++] = *a;
    yamldoc_check_keys(c->dg, map, known, where);
    for (char **k = keys; *k && !load_too_many(c); k++) {
        const yamldoc_node_t *value = yamldoc_get(map, *k);
        if (load_is_null(value))
            continue;
        decimal_t v;
        char *what = mem_printf("%s %s", where, *k);
        if (load_score(c, value, what, &v))
            load_add_figure(c, list, *k, v, value);
        free(what);
    }
    free(known);
    load_free_keys(keys);
}

/* A published grade or label: one of the framework's (names the known ones otherwise). */
static void load_published_word(load_ctx_t *c, const yamldoc_node_t *node, const char *key,
                                model_text_t *out)
{
    const yamldoc_node_t *v = yamldoc_get(node, key);
    if (load_is_null(v))
        return;
    char *text = NULL;
    if (!yamldoc_read_text(c->dg, v, key, &text))
        return;
    const framework_t *fw = c->fw;
    bool grade = strcmp(key, "grade") == 0;
    size_t n = grade ? fw->grade_count : fw->label_count;
    char *known = mem_strdup("");
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        const char *word = grade ? fw->grades[i].letter : fw->labels[i].label;
        found |= strcmp(word, text) == 0;
        char *next = mem_printf("%s%s%s", known, i ? ", " : "", word);
        free(known);
        known = next;
    }
    if (found) {
        out->text = text;
        out->pos = load_pos(c, v);
    } else {
        diag_fail(c->dg, &v->pos, "load-published-word-unknown",
                  "%s '%s' is not one of framework %s's (%s)", key, text, fw->id, known);
        free(text);
    }
    free(known);
}

static void load_scores(load_ctx_t *c, const yamldoc_node_t *node)
{
    static const char *const keys[] = {"questions", "indicators", "tools", "overall",
                                       "grade",     "label",      NULL};
    if (!yamldoc_expect(c->dg, node, YAMLDOC_KIND_MAPPING, "scores"))
        return;
    yamldoc_check_keys(c->dg, node, keys, "scores");
    const yamldoc_node_t *v;
    if (!load_is_null(v = yamldoc_get(node, "questions")))
        load_questions(c, v);
    if (!load_is_null(v = yamldoc_get(node, "indicators")))
        load_indicators(c, v, "scores.indicators", &c->m->indicators);
    if (!load_is_null(v = yamldoc_get(node, "tools")) &&
        yamldoc_expect(c->dg, v, YAMLDOC_KIND_MAPPING, "scores.tools"))
        load_tool_figures(c, v, "scores.tools", NULL, &c->m->tools);
    if (!load_is_null(v = yamldoc_get(node, "overall"))) {
        decimal_t d;
        if (load_score(c, v, "the overall score", &d)) {
            c->m->overall.values[0] = d;
            c->m->overall.value_count = 1;
            c->m->overall.places = load_places(v);
            c->m->overall.pos = load_pos(c, v);
            c->m->overall.id = mem_strdup("overall");
        }
    }
    load_published_word(c, node, "grade", &c->m->grade);
    load_published_word(c, node, "label", &c->m->label);
}

static void load_history(load_ctx_t *c, const yamldoc_node_t *list)
{
    static const char *const also[] = {"fiscal_year", "overall", "indicators", NULL};
    if (!yamldoc_expect(c->dg, list, YAMLDOC_KIND_SEQUENCE, "history"))
        return;
    for (size_t i = 0; i < list->count && !load_too_many(c); i++) {
        const yamldoc_node_t *node = list->items[i];
        if (!yamldoc_expect(c->dg, node, YAMLDOC_KIND_MAPPING, "a history entry"))
            continue;
        long year;
        const yamldoc_node_t *y = yamldoc_require(c->dg, node, "fiscal_year", "a history entry");
        if (!y || !yamldoc_read_int(c->dg, y, "fiscal_year", 2500, 2700, &year))
            continue;
        if (c->m->fiscal_year && year >= c->m->fiscal_year) {
            diag_fail(c->dg, &y->pos, "load-history-year-before-assessed",
                      "history year %ld is not before the assessed year %d", year,
                      c->m->fiscal_year);
            continue;
        }
        bool twice = false;
        for (size_t k = 0; k < c->m->history_count; k++)
            twice |= c->m->history[k].fiscal_year == year;
        if (twice) {
            diag_fail(c->dg, &y->pos, "load-history-year-listed-twice",
                      "history year %ld is listed twice", year);
            continue;
        }
        model_history_t *h = model_add_history(c->m);
        h->fiscal_year = (int)year;
        h->pos = load_pos(c, node);
        load_tool_figures(c, node, "history", also, &h->figures);
        const yamldoc_node_t *overall = yamldoc_get(node, "overall");
        decimal_t d;
        if (!load_is_null(overall) && load_score(c, overall, "the history overall score", &d))
            load_add_figure(c, &h->figures, "overall", d, overall);
        const yamldoc_node_t *inds = yamldoc_get(node, "indicators");
        if (!load_is_null(inds))
            load_indicators(c, inds, "a history entry's indicators", &h->indicators);
    }
}

/* A key naming an issue area of the framework; reports and returns false otherwise. */
static bool load_area_number(const load_ctx_t *c, const yamldoc_node_t *key, long *number)
{
    if (!yamldoc_read_int(c->dg, key, "an area number", 1, 999, number))
        return false;
    if (framework_find_area(c->fw, (int)*number) == FRAMEWORK_NONE) {
        diag_fail(c->dg, &key->pos, "load-framework-area", "framework %s has no area %ld",
                  c->fw->id, *number);
        return false;
    }
    return true;
}

/* An area given a second time in a section (`discuss`, `narrative`): keys such as 3 and
 * 03 name the same area, which YAML's own check of repeated keys does not see. True
 * (after reporting) when number is already at earlier (a line, or 0 when none). */
static bool load_area_twice(const load_ctx_t *c, const yamldoc_node_t *key, long number,
                            const char *section, int earlier)
{
    if (!earlier)
        return false;
    diag_fail(c->dg, &key->pos, "load-area-given-twice",
              "area %ld is given twice in %s (also on line %d): which one counts would be a "
              "guess",
              number, section, earlier);
    return true;
}

/* The line of area's earlier entry in discuss (0: none). */
static int load_discuss_line(const load_ctx_t *c, int area)
{
    const model_discuss_t *d = model_find_discuss(c->m, area);
    return d ? (d->pos.line > 0 ? d->pos.line : 1) : 0;
}

/* A question of a discuss list: once per list, and worth discussing: one that scores at
 * or above the framework's threshold (85 in 2566) is discussed as the input asks, with a
 * warning. False (after reporting) when it must not be added. */
static bool load_discuss_question(const load_ctx_t *c, const model_discuss_t *d,
                                  const yamldoc_node_t *qn, const char *id, long number)
{
    for (size_t i = 0; i < d->questions.count; i++)
        if (strcmp(d->questions.items[i].text, id) == 0) {
            diag_fail(c->dg, &qn->pos, "load-question-discussed-twice",
                      "question %s is listed twice for area %ld (also on line %d)", id, number,
                      d->questions.items[i].pos.line);
            return false;
        }
    const framework_t *fw = c->fw;
    size_t q = framework_find_question(fw, id);
    const model_score_t *sc = model_find_score(&c->m->questions, id);
    const framework_tool_t *tool = &fw->tools[fw->questions[q].tool];
    size_t parts = tool->part_count ? tool->part_count : 1;
    if (sc && sc->value_count == parts) {
        int64_t score = decimal_round(decimal_mean(sc->values, sc->value_count), fw->decimals);
        if (score >= fw->discuss_below) {
            char have[32], below[32];
            decimal_format_scaled(score, fw->decimals, have, sizeof have);
            decimal_format_scaled(fw->discuss_below, fw->decimals, below, sizeof below);
            diag_warn(c->dg, &qn->pos, "load-discussed-not-weak",
                      "question %s is discussed for area %ld, but it scores %s, at or above "
                      "the threshold %s",
                      id, number, have, below);
        }
    }
    return true;
}

static void load_discuss(load_ctx_t *c, const yamldoc_node_t *map)
{
    const framework_t *fw = c->fw;
    if (!yamldoc_expect(c->dg, map, YAMLDOC_KIND_MAPPING, "discuss"))
        return;
    for (size_t i = 0; i < map->count && !load_too_many(c); i++) {
        const yamldoc_node_t *key = map->pairs[i].key, *value = map->pairs[i].value;
        long number;
        if (!load_area_number(c, key, &number))
            continue;
        size_t a = framework_find_area(fw, (int)number);
        if (load_area_twice(c, key, number, "discuss", load_discuss_line(c, (int)number)))
            continue;
        if (load_is_null(value))
            continue; /* not given: the framework's rule picks */
        if (!yamldoc_expect(c->dg, value, YAMLDOC_KIND_SEQUENCE, "the questions to discuss"))
            continue;
        model_discuss_t *d = model_add_discuss(c->m);
        d->area = (int)number;
        d->pos = load_pos(c, value);
        for (size_t k = 0; k < value->count; k++) {
            const yamldoc_node_t *qn = value->items[k];
            char *text;
            if (!yamldoc_read_text(c->dg, qn, "a question id", &text))
                continue;
            char *id = question_id(text); /* I13 is i13 */
            free(text);
            size_t q = framework_find_question(fw, id);
            bool in_area = false;
            for (size_t j = 0; q != FRAMEWORK_NONE && j < fw->areas[a].question_count; j++)
                in_area |= fw->areas[a].questions[j] == q;
            if (q == FRAMEWORK_NONE)
                diag_fail(c->dg, &qn->pos, "load-framework-question",
                          "framework %s has no question '%s'", fw->id, id);
            else if (!in_area)
                diag_fail(c->dg, &qn->pos, "load-question-one-area-questions",
                          "question %s is not one of area %ld's questions", id, number);
            else if (load_discuss_question(c, d, qn, id, number))
                model_add_text(&d->questions, id, load_pos(c, qn));
            free(id);
        }
    }
}

/* True when a measure says nothing to do: approach, steps, responsible and follow_up all
 * absent, empty or empty lists (as `itareport new` writes them, the title alone filled). */
static bool measure_left_empty(const yamldoc_node_t *node)
{
    static const char *const fields[] = {"approach", "steps", "responsible", "follow_up", NULL};
    for (size_t i = 0; fields[i]; i++) {
        const yamldoc_node_t *v = yamldoc_get(node, fields[i]);
        if (v && !load_is_null(v) && !(v->kind == YAMLDOC_KIND_SEQUENCE && v->count == 0))
            return false;
    }
    return true;
}

static void load_action_plan(load_ctx_t *c, const yamldoc_node_t *list)
{
    static const char *const keys[] = {"area",        "measure",   "approach", "steps",
                                       "responsible", "follow_up", NULL};
    if (!yamldoc_expect(c->dg, list, YAMLDOC_KIND_SEQUENCE, "action_plan"))
        return;
    for (size_t i = 0; i < list->count && !load_too_many(c); i++) {
        const yamldoc_node_t *node = list->items[i];
        if (!yamldoc_expect(c->dg, node, YAMLDOC_KIND_MAPPING, "a measure"))
            continue;
        yamldoc_check_keys(c->dg, node, keys, "a measure");
        if (measure_left_empty(node)) {
            /* Left as the skeleton wrote it: Part 2 keeps the template's measures for it. */
            diag_warn(c->dg, &node->pos, "load-measure-left-empty",
                      "measure %zu of the action plan is left empty (no approach, steps, "
                      "responsible or follow_up); it is left out of Part 2",
                      i + 1);
            continue;
        }
        model_measure_t *ms = model_add_measure(c->m);
        ms->pos = load_pos(c, node);
        long number = 0;
        const yamldoc_node_t *a = yamldoc_require(c->dg, node, "area", "a measure");
        if (a && yamldoc_read_int(c->dg, a, "area", 1, 999, &number)) {
            if (framework_find_area(c->fw, (int)number) == FRAMEWORK_NONE)
                diag_fail(c->dg, &a->pos, "load-framework-area", "framework %s has no area %ld",
                          c->fw->id, number);
            ms->area = (int)number;
        }
        load_text(c, node, "measure", "measure", &ms->title);
        load_text_list(c, yamldoc_get(node, "approach"), "approach", &ms->approach);
        load_text_list(c, yamldoc_get(node, "steps"), "steps", &ms->steps);
        load_text(c, node, "responsible", "responsible", &ms->responsible);
        load_text_list(c, yamldoc_get(node, "follow_up"), "follow_up", &ms->follow_up);
    }
}

/* focus: the indicator chosen for measures (from 2568: item O25) and its measures. */
static void load_focus(load_ctx_t *c, const yamldoc_node_t *node)
{
    static const char *const keys[] = {"indicator", "reason", "measures", NULL};
    static const char *const measure_keys[] = {"measure", "responsible", "period", "follow_up",
                                               NULL};
    if (!yamldoc_expect(c->dg, node, YAMLDOC_KIND_MAPPING, "focus"))
        return;
    yamldoc_check_keys(c->dg, node, keys, "focus");
    const yamldoc_node_t *ind = yamldoc_get(node, "indicator");
    long number;
    if (!load_is_null(ind) && yamldoc_read_int(c->dg, ind, "focus indicator", 1, 999, &number)) {
        if (framework_find_indicator(c->fw, (int)number) == FRAMEWORK_NONE)
            diag_fail(c->dg, &ind->pos, "load-framework-indicator",
                      "framework %s has no indicator %ld", c->fw->id, number);
        else {
            c->m->focus_indicator = (int)number;
            c->m->focus_pos = load_pos(c, ind);
        }
    }
    load_text(c, node, "reason", "focus reason", &c->m->focus_reason);
    const yamldoc_node_t *list = yamldoc_get(node, "measures");
    if (load_is_null(list) || !yamldoc_expect(c->dg, list, YAMLDOC_KIND_SEQUENCE, "focus measures"))
        return;
    for (size_t i = 0; i < list->count && !load_too_many(c); i++) {
        const yamldoc_node_t *m = list->items[i];
        if (!yamldoc_expect(c->dg, m, YAMLDOC_KIND_MAPPING, "a focus measure"))
            continue;
        yamldoc_check_keys(c->dg, m, measure_keys, "a focus measure");
        model_focus_measure_t *fm = model_add_focus_measure(c->m);
        fm->pos = load_pos(c, m);
        load_required_text(c, m, "measure", "a focus measure", "measure", &fm->measure);
        load_text(c, m, "responsible", "responsible", &fm->responsible);
        load_text(c, m, "period", "period", &fm->period);
        load_text_list(c, yamldoc_get(m, "follow_up"), "follow_up", &fm->follow_up);
    }
}

static void load_limitations(load_ctx_t *c, const yamldoc_node_t *list)
{
    static const char *const keys[] = {"topic", "detail", NULL};
    if (!yamldoc_expect(c->dg, list, YAMLDOC_KIND_SEQUENCE, "limitations"))
        return;
    for (size_t i = 0; i < list->count && !load_too_many(c); i++) {
        const yamldoc_node_t *node = list->items[i];
        if (node->kind == YAMLDOC_KIND_SCALAR) {
            model_limitation_t *l = model_add_limitation(c->m);
            if (yamldoc_read_text(c->dg, node, _("a limitation"), &l->topic.text))
                l->topic.pos = load_pos(c, node);
            continue;
        }
        if (!yamldoc_expect(c->dg, node, YAMLDOC_KIND_MAPPING, _("a limitation")))
            continue;
        yamldoc_check_keys(c->dg, node, keys, _("a limitation"));
        model_limitation_t *l = model_add_limitation(c->m);
        load_required_text(c, node, "topic", _("a limitation"), "topic", &l->topic);
        load_text(c, node, "detail", "detail", &l->detail);
    }
}

/* A date as YYYY-MM or YYYY-MM-DD, the year in พ.ศ. (2400-2800): the report's date and
 * the sign-off's. An error at the value otherwise. */
static void read_date(const load_ctx_t *c, const yamldoc_node_t *map, const char *key,
                      model_date_t *out)
{
    const yamldoc_node_t *node = yamldoc_get(map, key);
    if (load_is_null(node))
        return;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *t = node->kind == YAMLDOC_KIND_SCALAR ? node->text : "";
    /* digits at fixed places: YYYY-MM, optionally -DD */
    size_t len = strlen(t);
    bool shape = len == 7 || len == 10;
    for (size_t i = 0; shape && i < len; i++)
        shape = (i == 4 || i == 7) ? t[i] == '-' : (t[i] >= '0' && t[i] <= '9');
    int year = 0, month = 0, day = 0;
    if (shape) {
        year = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
        month = (t[5] - '0') * 10 + (t[6] - '0');
        day = len == 10 ? (t[8] - '0') * 10 + (t[9] - '0') : 0;
    }
    bool ok = shape && year >= 2400 && year <= 2800 && month >= 1 && month <= 12 &&
              (len == 7 || (day >= 1 && day <= days[month - 1]));
    int ce = year - 543; /* 29 February only in a leap year */
    if (ok && month == 2 && day == 29 && !(ce % 4 == 0 && (ce % 100 != 0 || ce % 400 == 0)))
        ok = false;
    if (!ok) {
        diag_fail(c->dg, &node->pos, "load-report-date",
                  "%s: '%s' is not a date YYYY-MM or YYYY-MM-DD with the year in พ.ศ. "
                  "(2567-03 or 2567-03-15)",
                  key, t);
        return;
    }
    *out = (model_date_t){year, month, day, load_pos(c, node)};
}

/* A sign-off: name, position, date (each optional). */
static void read_signer(const load_ctx_t *c, const yamldoc_node_t *map, const char *key,
                        model_signer_t *out)
{
    static const char *const keys[] = {"name", "position", "date", NULL};
    const yamldoc_node_t *node = yamldoc_get(map, key);
    if (load_is_null(node) || !yamldoc_expect(c->dg, node, YAMLDOC_KIND_MAPPING, key))
        return;
    yamldoc_check_keys(c->dg, node, keys, key);
    load_text(c, node, "name", "name", &out->name);
    load_text(c, node, "position", "position", &out->position);
    read_date(c, node, "date", &out->date);
}

/* report: the issuing office, the report's date, and who prepared and approved it. */
static void read_report(const load_ctx_t *c, const yamldoc_node_t *node)
{
    static const char *const keys[] = {"office", "date", "prepared_by", "approved_by", NULL};
    if (!yamldoc_expect(c->dg, node, YAMLDOC_KIND_MAPPING, "report"))
        return;
    yamldoc_check_keys(c->dg, node, keys, "report");
    model_report_t *r = &c->m->report;
    load_text(c, node, "office", "office", &r->office);
    read_date(c, node, "date", &r->date);
    read_signer(c, node, "prepared_by", &r->prepared_by);
    read_signer(c, node, "approved_by", &r->approved_by);
}

const yamldoc_node_t *load_framework_id(diag_t *dg, const yamldoc_t *doc)
{
    if (!doc->root) {
        diag_pos_t pos = {.file = doc->file, .line = 0, .column = 0};
        diag_fail(dg, &pos, "load-empty-file",
                  "the file is empty; 'itareport new' writes a skeleton to fill in");
        return NULL;
    }
    if (!yamldoc_expect(dg, doc->root, YAMLDOC_KIND_MAPPING, _("the input")))
        return NULL;
    const yamldoc_node_t *id = yamldoc_require(dg, doc->root, "framework", _("the input"));
    if (id && !yamldoc_expect(dg, id, YAMLDOC_KIND_SCALAR, "framework"))
        return NULL;
    return id;
}

/* The line of area's earlier entry in narrative (0: none). */
static int load_narrative_line(const load_ctx_t *c, int area)
{
    for (size_t i = 0; i < c->m->narrative_count; i++)
        if (c->m->narratives[i].area == area)
            return c->m->narratives[i].text.pos.line > 0 ? c->m->narratives[i].text.pos.line : 1;
    return 0;
}

/* narrative: {area number: text}: the agency's own analysis of an area. */
static void load_narrative(load_ctx_t *c, const yamldoc_node_t *map)
{
    if (!yamldoc_expect(c->dg, map, YAMLDOC_KIND_MAPPING, "narrative"))
        return;
    for (size_t i = 0; i < map->count && !load_too_many(c); i++) {
        const yamldoc_node_t *key = map->pairs[i].key, *value = map->pairs[i].value;
        long number;
        if (!load_area_number(c, key, &number) ||
            load_area_twice(c, key, number, "narrative", load_narrative_line(c, (int)number)) ||
            load_is_null(value))
            continue;
        model_narrative_t *n = model_add_narrative(c->m);
        n->area = (int)number;
        load_text(c, map, key->text, "the area's narrative", &n->text);
    }
}

model_t *load_model(diag_t *dg, const yamldoc_t *doc, const framework_t *fw)
{
    static const char *const keys[] = {"framework",   "fiscal_year", "agency",    "scores",
                                       "history",     "discuss",     "narrative", "action_plan",
                                       "limitations", "focus",       "report",    NULL};
    const yamldoc_node_t *id = load_framework_id(dg, doc);
    if (!id)
        return NULL;
    const yamldoc_node_t *root = doc->root;
    load_ctx_t c = {dg, fw, model_new(doc->file), diag_count(dg, DIAG_ERROR)};
    model_t *m = c.m;
    /* Positions point into the model's own copy of the file name. */
    diag_pos_t pos = id->pos;
    pos.file = m->file;
    m->framework = (model_text_t){mem_strdup(id->text), pos};
    yamldoc_check_keys(dg, root, keys, _("the input"));
    long year;
    const yamldoc_node_t *y = yamldoc_require(dg, root, "fiscal_year", _("the input"));
    if (y && yamldoc_read_int(dg, y, "fiscal_year", 2500, 2700, &year)) {
        m->fiscal_year = (int)year;
        m->fiscal_year_pos = load_pos(&c, y);
        if (year != fw->fiscal_year)
            diag_fail(dg, &y->pos, "load-fiscal-year-mismatch",
                      "fiscal_year %ld does not match framework %s (fiscal year %d)", year, fw->id,
                      fw->fiscal_year);
    }
    const yamldoc_node_t *v;
    if ((v = yamldoc_require(dg, root, "agency", _("the input"))))
        load_agency(&c, v);
    if ((v = yamldoc_require(dg, root, "scores", _("the input")))) {
        m->scores_pos = load_pos(&c, v);
        load_scores(&c, v);
    }
    if (!load_is_null(v = yamldoc_get(root, "history")) && !load_too_many(&c))
        load_history(&c, v);
    if (!load_is_null(v = yamldoc_get(root, "discuss")) && !load_too_many(&c))
        load_discuss(&c, v);
    if (!load_is_null(v = yamldoc_get(root, "narrative")) && !load_too_many(&c))
        load_narrative(&c, v);
    if (!load_is_null(v = yamldoc_get(root, "action_plan")) && !load_too_many(&c))
        load_action_plan(&c, v);
    if (!load_is_null(v = yamldoc_get(root, "limitations")) && !load_too_many(&c))
        load_limitations(&c, v);
    if (!load_is_null(v = yamldoc_get(root, "focus")) && !load_too_many(&c))
        load_focus(&c, v);
    if (!load_is_null(v = yamldoc_get(root, "report")) && !load_too_many(&c))
        read_report(&c, v);
    if (load_errors(&c) > 0) {
        model_free(m);
        return NULL;
    }
    return m;
}
