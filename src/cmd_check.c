/* cmd_check — `itareport check INPUT.yaml`: load an assessment, analyse it and print the
 * result as a table (or JSON with --json); warnings and errors go to standard error. */
#include "analyse.h"
#include "cmd.h"
#include "assessment.h"
#include "datadir.h"
#include "decimal.h"
#include "diag.h"
#include "framework.h"
#include "json.h"
#include "load.h"
#include "mem.h"
#include "model.h"
#include "yamldoc.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void cmd_check_help(FILE *out)
{
    fputs(_("Usage: itareport check INPUT.yaml [--json] [--template DIR] [--data-dir DIR]\n"
            "\n"
            "Reads one agency's ITA results, checks them against the year's framework and\n"
            "prints the analysis: indicator, tool and overall scores, grade, label, pass or\n"
            "fail, the weak questions per issue area and the change against earlier years.\n"
            "Problems are reported as FILE:LINE:COLUMN: error|warning: ... on standard error.\n"
            "\n"
            "Options:\n"
            "  --json            print the analysis as JSON\n"
            "  --template DIR    use DIR/framework.yaml instead of the input's framework\n"
            "  --data-dir DIR    the folder holding templates/ and fonts/\n"
            "\n"
            "Exit status: 0 valid (warnings allowed), 1 errors in the input, 2 usage error.\n"
            "\n"
            "Example:\n"
            "  itareport check samples/sepholoe-2566.yaml --json\n"),
          out);
}

/* Every record of one check, kept for --json; each also goes to standard error. */
typedef struct check_records {
    diag_record_t **items;
    size_t count, capacity;
    bool quiet; /* kept only (the server's workers), not printed */
} check_records_t;

static void check_keep_record(void *user, const diag_record_t *r)
{
    check_records_t *k = user;
    if (!k->quiet)
        diag_print(stderr, r, false);
    k->items = mem_array_grow(k->items, &k->capacity, k->count + 1, sizeof *k->items);
    k->items[k->count++] = diag_record_copy(r);
}

static void check_json_records(json_writer_t *w, const check_records_t *k)
{
    json_key(w, "diagnostics");
    json_begin_array(w);
    for (size_t i = 0; i < k->count; i++) {
        const diag_record_t *r = k->items[i];
        json_begin_object(w);
        json_key(w, "severity");
        json_string(w, diag_severity_word(r->severity));
        json_key(w, "id");
        json_string(w, r->id);
        json_key(w, "message");
        json_string(w, r->message);
        json_key(w, "file");
        json_string(w, r->pos.file);
        json_key(w, "line");
        json_int(w, r->pos.line);
        json_key(w, "column");
        json_int(w, r->pos.column);
        json_key(w, "path");
        json_string(w, r->pos.path);
        if (r->pos.column_name) {
            json_key(w, "column_name");
            json_string(w, r->pos.column_name);
        }
        json_end_object(w);
    }
    json_end_array(w);
}

static const char *check_fmt(const framework_t *fw, int64_t scaled, char *buf, size_t size)
{
    return decimal_format_scaled(scaled, fw->decimals, buf, size);
}

static const char *check_source_word(const analyse_figure_t *fig)
{
    switch (fig->source) {
    case ANALYSE_SOURCE_COMPUTED:
        return "computed";
    case ANALYSE_SOURCE_PUBLISHED:
        return "published";
    default:
        return "missing";
    }
}

static void check_json_figure(json_writer_t *w, const framework_t *fw, const analyse_figure_t *fig)
{
    char buf[32];
    if (fig->source == ANALYSE_SOURCE_NONE)
        json_null(w);
    else
        json_number_text(w, check_fmt(fw, fig->rounded, buf, sizeof buf));
}

static void check_json_questions(json_writer_t *w, const analyse_findings_t *f,
                                 const size_t *questions, size_t count)
{
    json_begin_array(w);
    for (size_t i = 0; i < count; i++)
        json_string(w, f->fw->questions[questions[i]].id);
    json_end_array(w);
}

static void check_print_json(FILE *out, const model_t *m, const analyse_findings_t *f,
                             const check_records_t *records)
{
    const framework_t *fw = f->fw;
    char buf[32];
    json_writer_t *w = json_writer_new(out);
    json_begin_object(w);
    json_key(w, "agency");
    json_string(w, m->agency.name.text);
    json_key(w, "agency_type");
    json_string(w, m->agency.type.text);
    json_key(w, "district");
    json_string(w, m->agency.district.text);
    json_key(w, "province");
    json_string(w, m->agency.province.text);
    json_key(w, "framework");
    json_string(w, fw->id);
    json_key(w, "provisional");
    json_bool(w, fw->provisional);
    json_key(w, "fiscal_year");
    json_int(w, m->fiscal_year);
    json_key(w, "overall");
    check_json_figure(w, fw, &f->overall);
    json_key(w, "grade");
    json_string(w, f->grade);
    json_key(w, "label");
    json_string(w, f->label);
    json_key(w, "passed");
    json_bool(w, f->passed);
    json_key(w, "overall_computed");
    if (f->overall.has_computed)
        json_number_text(w, check_fmt(fw, f->overall.computed_rounded, buf, sizeof buf));
    else
        json_null(w);
    json_key(w, "grade_source");
    json_string(w, f->grade_published ? "published" : f->grade ? "computed" : NULL);
    json_key(w, "label_source");
    json_string(w, f->label_published ? "published" : f->label ? "computed" : NULL);
    json_key(w, "label_undetermined");
    json_bool(w, f->label_undetermined);
    json_key(w, "focus");
    if (f->focus != FRAMEWORK_NONE)
        json_int(w, fw->indicators[f->focus].number);
    else
        json_null(w);
    json_key(w, "focus_from");
    json_string(w, f->focus == FRAMEWORK_NONE ? NULL : f->focus_from_input ? "input" : "rule");
    json_key(w, "items");
    json_begin_object(w);
    for (size_t i = 0; i < fw->item_count; i++) {
        const model_score_t *sc = model_find_score(&m->questions, fw->items[i].id);
        if (!sc)
            continue;
        json_key(w, fw->items[i].id);
        json_number_text(
            w, check_fmt(fw, decimal_round(sc->values[0], fw->decimals), buf, sizeof buf));
    }
    json_end_object(w);
    json_key(w, "pass_mark");
    json_number_text(w, check_fmt(fw, fw->pass_mark, buf, sizeof buf));

    json_key(w, "tools");
    json_begin_object(w);
    for (size_t t = 0; t < fw->tool_count; t++) {
        json_key(w, fw->tools[t].id);
        check_json_figure(w, fw, &f->tools[t].score);
        for (size_t p = 0; p < fw->tools[t].part_count && p < MODEL_MAX_PARTS; p++) {
            const char *key = fw->tools[t].parts[p].key;
            json_key(w, key);
            check_json_figure(w, fw, &f->tools[t].parts[p]);
        }
    }
    json_end_object(w);

    json_key(w, "indicators");
    json_begin_array(w);
    for (size_t i = 0; i < fw->indicator_count; i++) {
        const framework_indicator_t *ind = &fw->indicators[i];
        json_begin_object(w);
        json_key(w, "number");
        json_int(w, ind->number);
        json_key(w, "name");
        json_string(w, ind->name);
        json_key(w, "tool");
        json_string(w, fw->tools[ind->tool].id);
        json_key(w, "score");
        check_json_figure(w, fw, &f->indicators[i].score);
        json_key(w, "source");
        json_string(w, check_source_word(&f->indicators[i].score));
        json_end_object(w);
    }
    json_end_array(w);

    json_key(w, "areas");
    json_begin_array(w);
    for (size_t a = 0; a < fw->area_count; a++) {
        const analyse_area_t *area = &f->areas[a];
        json_begin_object(w);
        json_key(w, "number");
        json_int(w, fw->areas[a].number);
        json_key(w, "name");
        json_string(w, fw->areas[a].name);
        json_key(w, "below");
        json_begin_array(w);
        for (size_t i = 0; i < area->below_count; i++) {
            json_begin_object(w);
            json_key(w, "question");
            json_string(w, fw->questions[area->below[i]].id);
            json_key(w, "score");
            check_json_figure(w, fw, &f->questions[area->below[i]].score);
            json_end_object(w);
        }
        json_end_array(w);
        json_key(w, "discuss");
        check_json_questions(w, f, area->discuss, area->discuss_count);
        json_key(w, "discuss_from");
        json_string(w, area->discuss_from_input ? "input" : "rule");
        json_end_object(w);
    }
    json_end_array(w);

    json_key(w, "history");
    json_begin_array(w);
    for (size_t i = 0; i < f->change_count; i++) {
        const analyse_change_t *ch = &f->changes[i];
        json_begin_object(w);
        json_key(w, "fiscal_year");
        json_int(w, ch->fiscal_year);
        if (ch->has_overall) {
            json_key(w, "overall");
            json_number_text(w, check_fmt(fw, ch->overall_then, buf, sizeof buf));
        }
        for (size_t t = 0; t < fw->tool_count; t++)
            if (ch->has_tool[t]) {
                json_key(w, fw->tools[t].id);
                json_number_text(w, check_fmt(fw, ch->tool_then[t], buf, sizeof buf));
            }
        bool any_indicator = false;
        for (size_t k = 0; k < fw->indicator_count; k++)
            any_indicator |= ch->has_indicator[k];
        if (any_indicator) {
            json_key(w, "indicators");
            json_begin_object(w);
            for (size_t k = 0; k < fw->indicator_count; k++)
                if (ch->has_indicator[k]) {
                    char key[16];
                    snprintf(key, sizeof key, "%d", fw->indicators[k].number);
                    json_key(w, key);
                    json_number_text(w, check_fmt(fw, ch->indicator_then[k], buf, sizeof buf));
                }
            json_end_object(w);
        }
        json_key(w, "change");
        json_begin_object(w);
        if (ch->has_overall && f->overall.source != ANALYSE_SOURCE_NONE) {
            json_key(w, "overall");
            json_number_text(w, check_fmt(fw, ch->overall_change, buf, sizeof buf));
        }
        for (size_t t = 0; t < fw->tool_count; t++)
            if (ch->has_tool[t] && f->tools[t].score.source != ANALYSE_SOURCE_NONE) {
                json_key(w, fw->tools[t].id);
                json_number_text(w, check_fmt(fw, ch->tool_change[t], buf, sizeof buf));
            }
        for (size_t k = 0; k < fw->indicator_count; k++)
            if (ch->has_indicator[k] && f->indicators[k].score.source != ANALYSE_SOURCE_NONE) {
                char key[32];
                snprintf(key, sizeof key, "indicator_%d", fw->indicators[k].number);
                json_key(w, key);
                json_number_text(w, check_fmt(fw, ch->indicator_change[k], buf, sizeof buf));
            }
        json_end_object(w);
        json_end_object(w);
    }
    json_end_array(w);

    json_key(w, "published_used");
    json_begin_array(w);
    for (size_t i = 0; i < fw->indicator_count; i++)
        if (f->indicators[i].score.source == ANALYSE_SOURCE_PUBLISHED) {
            char *what = mem_printf("indicator %d", fw->indicators[i].number);
            json_string(w, what);
            free(what);
        }
    for (size_t t = 0; t < fw->tool_count; t++) {
        if (f->tools[t].score.source == ANALYSE_SOURCE_PUBLISHED)
            json_string(w, fw->tools[t].id);
        for (size_t p = 0; p < fw->tools[t].part_count && p < MODEL_MAX_PARTS; p++)
            if (f->tools[t].parts[p].source == ANALYSE_SOURCE_PUBLISHED) {
                const char *key = fw->tools[t].parts[p].key;
                json_string(w, key);
            }
    }
    if (f->overall.source == ANALYSE_SOURCE_PUBLISHED)
        json_string(w, "overall");
    json_end_array(w);

    json_key(w, "warnings");
    json_begin_array(w);
    for (size_t i = 0; i < records->count; i++) {
        if (records->items[i]->severity != DIAG_WARNING)
            continue;
        char line[2048];
        diag_format_line(line, sizeof line, records->items[i]);
        json_string(w, line);
    }
    json_end_array(w);
    check_json_records(w, records);
    json_end_object(w);
    json_writer_free(w);
}

static const char *check_mark(const analyse_figure_t *fig)
{
    return fig->source == ANALYSE_SOURCE_PUBLISHED ? "  (published)" : "";
}

static void check_print_figure(FILE *out, const framework_t *fw, const analyse_figure_t *fig)
{
    char buf[32];
    if (fig->source == ANALYSE_SOURCE_NONE)
        fprintf(out, "%8s", "-");
    else
        fprintf(out, "%8s", check_fmt(fw, fig->rounded, buf, sizeof buf));
}

static void check_print_table(FILE *out, const model_t *m, const analyse_findings_t *f)
{
    const framework_t *fw = f->fw;
    char buf[32], buf2[32];
    fprintf(out, "%s", m->agency.name.text ? m->agency.name.text : "");
    if (m->agency.district.text)
        fprintf(out, ", %s", m->agency.district.text);
    if (m->agency.province.text)
        fprintf(out, ", %s", m->agency.province.text);
    fprintf(out, "\n%s (%s%s)\n\n", fw->title, fw->id, fw->provisional ? ", provisional" : "");

    fprintf(out, "%-9s", "Overall");
    check_print_figure(out, fw, &f->overall);
    fprintf(out, "  grade %s  %s  %s (pass mark %s)%s\n", f->grade ? f->grade : "-",
            f->label ? f->label : "-", f->passed ? "passed" : "not passed",
            check_fmt(fw, fw->pass_mark, buf, sizeof buf), check_mark(&f->overall));
    if (f->label_undetermined)
        fputs("  The Thai label cannot be determined from the data given: it needs every tool's\n"
              "  score; give them (scores.tools) or the published label (scores.label).\n",
              out);
    if (f->grade_published || f->label_published)
        fprintf(out, "  %s%s%s as published\n", f->grade_published ? "grade" : "",
                f->grade_published && f->label_published ? " and " : "",
                f->label_published ? "label" : "");
    fputs("\n", out);

    fputs("Tool        Score\n", out);
    for (size_t t = 0; t < fw->tool_count; t++) {
        fprintf(out, "%-9s", fw->tools[t].code);
        check_print_figure(out, fw, &f->tools[t].score);
        fprintf(out, "  %s%s\n", fw->tools[t].name, check_mark(&f->tools[t].score));
        for (size_t p = 0; p < fw->tools[t].part_count && p < MODEL_MAX_PARTS; p++) {
            fprintf(out, "%-9s", "");
            check_print_figure(out, fw, &f->tools[t].parts[p]);
            fprintf(out, "  %s%s\n", fw->tools[t].parts[p].name, check_mark(&f->tools[t].parts[p]));
        }
    }

    fputs("\n  # Tool    Score  Indicator\n", out);
    for (size_t i = 0; i < fw->indicator_count; i++) {
        const framework_indicator_t *ind = &fw->indicators[i];
        fprintf(out, "%3d %-5s", ind->number, fw->tools[ind->tool].code);
        check_print_figure(out, fw, &f->indicators[i].score);
        fprintf(out, "  %s%s\n", ind->name, check_mark(&f->indicators[i].score));
    }

    bool items_header = false;
    for (size_t i = 0; i < fw->item_count; i++) {
        const model_score_t *sc = model_find_score(&m->questions, fw->items[i].id);
        if (!sc)
            continue;
        if (!items_header)
            fputs("\nItems outside the scoring chain (not used in any figure)\n", out);
        items_header = true;
        fprintf(out, "  %-6s %8s  %s\n", fw->items[i].id,
                check_fmt(fw, decimal_round(sc->values[0], fw->decimals), buf, sizeof buf),
                fw->items[i].name ? fw->items[i].name : "(name not known)");
    }
    if (f->focus != FRAMEWORK_NONE)
        fprintf(out, "\nIndicator chosen for measures: %d %s (%s)\n",
                fw->indicators[f->focus].number, fw->indicators[f->focus].name,
                f->focus_from_input ? "from the input" : "the lowest score");

    for (size_t a = 0; a < fw->area_count; a++) {
        const analyse_area_t *area = &f->areas[a];
        fprintf(out, "\nArea %d  %s\n", fw->areas[a].number, fw->areas[a].name);
        fprintf(out, "  below %s:", check_fmt(fw, fw->discuss_below, buf, sizeof buf));
        for (size_t i = 0; i < area->below_count; i++)
            fprintf(out, " %s %s", fw->questions[area->below[i]].id,
                    check_fmt(fw, f->questions[area->below[i]].score.rounded, buf2, sizeof buf2));
        fputs(area->below_count ? "\n" : " none\n", out);
        fputs("  discuss:", out);
        for (size_t i = 0; i < area->discuss_count; i++)
            fprintf(out, " %s", fw->questions[area->discuss[i]].id);
        fprintf(out, "%s (%s)\n", area->discuss_count ? "" : " none",
                area->discuss_from_input ? "from the input" : "by the framework's rule");
    }

    if (f->change_count)
        fputs("\nYear        Score  Change\n", out);
    for (size_t i = 0; i < f->change_count; i++) {
        const analyse_change_t *ch = &f->changes[i];
        if (!ch->has_overall) {
            fprintf(out, "%-9d%8s\n", ch->fiscal_year, "-");
            continue;
        }
        fprintf(out, "%-9d%8s  %s%s\n", ch->fiscal_year,
                check_fmt(fw, ch->overall_then, buf, sizeof buf), ch->overall_change > 0 ? "+" : "",
                check_fmt(fw, ch->overall_change, buf2, sizeof buf2));
    }
}

/* The JSON answer of an input that does not check: what was wrong, as records. */
static void check_print_failure(FILE *out, const check_records_t *records)
{
    json_writer_t *w = json_writer_new(out);
    json_begin_object(w);
    json_key(w, "valid");
    json_bool(w, false);
    check_json_records(w, records);
    json_end_object(w);
    json_writer_free(w);
}

void cmd_check_json_failure(FILE *out, diag_record_t *const *records, size_t count)
{
    check_records_t k = {.items = (diag_record_t **)(uintptr_t)records, .count = count};
    check_print_failure(out, &k);
}

int cmd_check_json(diag_t *dg, const char *name, const unsigned char *data, size_t size,
                   const char *data_dir, FILE *out)
{
    int status = DIAG_EXIT_FAILURE;
    assessment_t a;
    memset(&a, 0, sizeof a);
    check_records_t records = {.quiet = true};
    diag_set_sink(dg, check_keep_record, &records);
    if (assessment_open_buffer(dg, &a, name, data, size, NULL, data_dir) == 0) {
        check_print_json(out, a.model, a.findings, &records);
        status = DIAG_EXIT_OK;
    } else {
        check_print_failure(out, &records);
    }
    diag_set_sink(dg, NULL, NULL);
    for (size_t i = 0; i < records.count; i++)
        diag_record_free(records.items[i]);
    free(records.items);
    assessment_close(&a);
    return status;
}

/* Loads, analyses and prints; returns the exit code. */
static int check_run(diag_t *dg, const char *input, bool as_json, const char *template_dir,
                     const char *data_dir)
{
    int status = DIAG_EXIT_FAILURE;
    char *data = NULL;
    assessment_t a;
    memset(&a, 0, sizeof a);
    check_records_t records = {0};
    if (as_json)
        diag_set_sink(dg, check_keep_record, &records);
    if (!template_dir && !(data = datadir_find(dg, data_dir)))
        goto done;
    if (assessment_open(dg, &a, input, template_dir, data) == 0) {
        if (a.findings->plan_only_defaults) {
            diag_pos_t file = {.file = a.model->file};
            diag_warn(dg, &file, "check-plan-only-defaults",
                      "no action_plan: Part 2 of the report will list only the template's "
                      "default measures, the same for every agency");
        }
        if (as_json)
            check_print_json(stdout, a.model, a.findings, &records);
        else
            check_print_table(stdout, a.model, a.findings);
        status = fflush(stdout) == 0 ? DIAG_EXIT_OK : DIAG_EXIT_FAILURE;
    }
done:
    if (as_json && status != DIAG_EXIT_OK)
        check_print_failure(stdout, &records); /* still a JSON answer: what was wrong */
    if (as_json)
        diag_set_sink(dg, NULL, NULL);
    for (size_t i = 0; i < records.count; i++)
        diag_record_free(records.items[i]);
    free(records.items);
    assessment_close(&a);
    free(data);
    return status;
}

int cmd_check_run(diag_t *dg, int argc, char **argv)
{
    const char *input = NULL, *template_dir = NULL, *data_dir = NULL;
    bool as_json = false;
    enum { OPT_JSON = 256, OPT_TEMPLATE, OPT_DATA };
    static const struct option longs[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"data-dir", required_argument, NULL, OPT_DATA},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", longs, NULL)) != -1) {
        switch (c) {
        case OPT_JSON:
            as_json = true;
            break;
        case OPT_TEMPLATE:
            template_dir = optarg;
            break;
        case OPT_DATA:
            data_dir = optarg;
            break;
        default:
            return cmd_option_error(dg, "check", c, argv);
        }
    }
    int usage = cmd_one_input(dg, "check", argc, argv, &input);
    if (usage != DIAG_EXIT_OK)
        return usage;
    return check_run(dg, input, as_json, template_dir, data_dir);
}
