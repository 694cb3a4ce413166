/* analyse — the assessment's numbers: pure computation, no I/O.
 *
 * From a model and its framework it computes, following the framework's scoring chain,
 * question scores, OIT sub-indicators, indicators, tool parts (EIT ส่วนที่ 1/2), tools and
 * the overall, then the letter grade, the Thai label and pass/fail from the rounded
 * overall; per issue area the questions below the threshold and those to discuss (the
 * input's list, else the framework's rule); the change against each earlier year.
 *
 * Which figure is used: a figure the input gives (as the NACC published it) is the official
 * one, and the grade, label and pass/fail follow it; the figure computed from the data
 * below it, where that data is complete, checks it. Both are compared in whole
 * 10^-decimals: within the framework's tolerance nothing is said, beyond it a warning,
 * beyond its error_tolerance an error, each naming both figures and positioned at the
 * published value. A published figure written with fewer decimals than the framework's is
 * a rounded copy: when the computed figure rounds to it, the computed one is used in full
 * (the seed's 84.1 is 84.14). Nothing is computed from what is absent: a figure without
 * data below it and without a published value stays unknown; only a missing overall is an
 * error. The Thai label needs every tool's score when its rule names the tools: then the
 * published label (scores.label) is used, or the label stays unknown (label NULL with
 * label_undetermined set). Problems are collected as messages for the caller to report;
 * nothing is printed here.
 *
 * The findings own their arrays and message texts (analyse_free_findings); they point
 * into the framework (names, letters) and the model (positions), which must outlive them. */
#ifndef ITAREPORT_ANALYSE_H
#define ITAREPORT_ANALYSE_H

#include "decimal.h"
#include "diag.h"
#include "framework.h"
#include "model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum analyse_source {
    ANALYSE_SOURCE_NONE,      /* no figure: data and published value both missing */
    ANALYSE_SOURCE_COMPUTED,  /* from the data below */
    ANALYSE_SOURCE_PUBLISHED, /* the input's published figure fills a gap */
} analyse_source_t;

typedef struct analyse_figure {
    analyse_source_t source;
    decimal_t exact;   /* valid unless source is NONE */
    int64_t rounded;   /* exact rounded half-up to the framework's decimals, scaled */
    diag_pos_t pos;    /* the published value's position when one was given */
    bool published;    /* the input gave this figure */
    bool has_computed; /* the data below it was complete: */
    decimal_t computed;
    int64_t computed_rounded;
} analyse_figure_t;

typedef struct analyse_question {
    bool present;
    decimal_t parts[MODEL_MAX_PARTS];
    size_t part_count;
    analyse_figure_t score; /* one figure per question (EIT: the framework's question_score) */
} analyse_question_t;

typedef struct analyse_indicator {
    analyse_figure_t score;
    analyse_figure_t *subs; /* per framework sub-indicator */
} analyse_indicator_t;

typedef struct analyse_tool {
    analyse_figure_t score;
    analyse_figure_t *parts; /* per framework part */
} analyse_tool_t;

typedef struct analyse_area {
    size_t *below; /* framework question indices scoring below the threshold, area order */
    size_t below_count;
    size_t *discuss; /* the questions to discuss */
    size_t discuss_count;
    bool discuss_from_input;
} analyse_area_t;

/* Change against an earlier year, per figure ("overall" and each tool). */
typedef struct analyse_change {
    int fiscal_year;
    bool has_overall;
    int64_t overall_then, overall_change; /* scaled */
    bool *has_tool;                       /* per framework tool */
    int64_t *tool_then, *tool_change;
    bool *has_indicator; /* per framework indicator */
    int64_t *indicator_then, *indicator_change;
} analyse_change_t;

typedef struct analyse_findings {
    const framework_t *fw;
    analyse_figure_t overall;
    const char *grade;       /* NULL when the overall is unknown */
    const char *label;       /* NULL when the overall is unknown or the label undetermined */
    bool label_undetermined; /* a tool's score is needed and neither it nor scores.label given */
    bool grade_published, label_published; /* taken from scores.grade / scores.label */
    bool passed;
    size_t focus; /* the indicator chosen for measures (framework index), or FRAMEWORK_NONE */
    bool plan_only_defaults; /* issue areas but no action plan: Part 2 is the defaults */
    bool focus_from_input;
    analyse_question_t *questions;   /* per framework question */
    analyse_indicator_t *indicators; /* per framework indicator */
    analyse_tool_t *tools;           /* per framework tool */
    analyse_area_t *areas;           /* per framework area */
    analyse_change_t *changes;       /* most recent earlier year first */
    size_t change_count;
    diag_record_t **messages; /* in English; passed on with diag_forward */
    size_t message_count, message_capacity;
} analyse_findings_t;

/* Computes everything; never fails (problems become messages). Caller frees. */
analyse_findings_t *analyse_findings(const model_t *m, const framework_t *fw);
void analyse_free_findings(analyse_findings_t *f);

/* Number of messages of a severity. */
size_t analyse_count(const analyse_findings_t *f, diag_severity_t severity);

#endif
