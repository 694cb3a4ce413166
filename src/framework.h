/* framework — one fiscal year's ITA rules, read from templates/<id>/framework.yaml.
 *
 * Holds every fact the analysis needs and nothing of it is written in C: tools with their
 * weights and parts (EIT's ส่วนที่ 1 and 2), the scoring chain as named methods, the
 * indicators with their questions and short texts, OIT sub-indicators, letter grades,
 * Thai labels and their conditions, the pass mark, the issue areas of the report and the
 * rule that picks the questions to discuss. Sits beside load in the pipeline: load checks
 * an input against it, analyse computes with it.
 *
 * Thresholds are kept as rounded counts of 10^-decimals (hundredths for 2 decimals), the
 * unit in which the analysis compares figures. A framework_t owns all its memory;
 * framework_free releases it. Indices (tool, indicator, question) refer to its arrays.
 *
 * A framework read from a file is kept for the process and handed out again while the file
 * is unchanged (filebuf_stamp): a batch worker or a bench reads each framework.yaml once.
 * Such a framework is shared, so nobody changes one after loading; framework_free drops
 * the caller's reference. */
#ifndef ITAREPORT_FRAMEWORK_H
#define ITAREPORT_FRAMEWORK_H

#include "decimal.h"
#include "diag.h"
#include "yamldoc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRAMEWORK_NONE SIZE_MAX /* "no such index" */

/* The scoring chain's steps; the YAML names them (e.g. "mean_of_part_means"). */
typedef enum framework_method {
    FRAMEWORK_METHOD_NONE,
    FRAMEWORK_METHOD_MEAN_OF_QUESTIONS,
    FRAMEWORK_METHOD_MEAN_OF_PART_MEANS,
    FRAMEWORK_METHOD_MEAN_OF_SUB_INDICATORS,
    FRAMEWORK_METHOD_MEAN_OF_INDICATORS,
    FRAMEWORK_METHOD_MEAN_OF_PARTS,
    FRAMEWORK_METHOD_WEIGHTED_MEAN_OF_TOOLS,
} framework_method_t;

typedef struct framework_part {
    char *id;   /* "part1" */
    char *name; /* "ส่วนที่ 1" */
    char *key;  /* "<tool id>_<part id>" ("eit_part1"): its total's key in inputs and JSON */
} framework_part_t;

typedef struct framework_tool {
    char *id;   /* "eit": the key in inputs and JSON */
    char *code; /* "EIT": as printed */
    char *name;
    decimal_t weight; /* percent */
    framework_method_t score, indicator_score, question_score, part_score;
    framework_part_t *parts; /* none: one score per question */
    size_t part_count;
    decimal_t *values;  /* `values:` the only scores its questions take (OIT: 0 and 100); */
    size_t value_count; /* none: any score in the range */
} framework_tool_t;

typedef struct framework_question {
    char *id;                    /* "e13" */
    char *text;                  /* short wording */
    size_t tool, indicator, sub; /* sub is FRAMEWORK_NONE outside OIT sub-indicators */
} framework_question_t;

typedef struct framework_sub {
    char *number; /* "9.1" */
    char *name;
    size_t *questions;
    size_t question_count;
} framework_sub_t;

typedef struct framework_indicator {
    int number;
    char *name;
    size_t tool;
    size_t *questions; /* every question of the indicator, sub-indicators included */
    size_t question_count;
    framework_sub_t *subs;
    size_t sub_count;
} framework_indicator_t;

/* An item of a tool listed outside the scoring chain: its place among the indicators is not
 * known (the OIT items of 2568 and 2569). Inputs may give it a score (check shows it), the
 * skeleton lists it; no figure is computed from it. */
typedef struct framework_item {
    char *id;   /* "o25" */
    char *name; /* NULL when the name is not known */
    size_t tool;
} framework_item_t;

typedef struct framework_grade {
    char *letter;
    int64_t min; /* scaled */
} framework_grade_t;

typedef struct framework_label {
    char *label;
    int64_t overall_min;   /* scaled */
    int64_t each_tool_min; /* scaled; -1 when no condition on the tools */
} framework_label_t;

typedef struct framework_area {
    int number;
    char *name;
    size_t *questions;
    size_t question_count;
} framework_area_t;

typedef struct framework {
    char *id;
    char *title;
    char *path; /* the file it was read from */
    int fiscal_year;
    bool provisional;
    int decimals;
    long score_min, score_max; /* every score lies in [score_min, score_max] (0-100) */
    int64_t pass_mark;         /* scaled */
    framework_method_t overall;
    framework_tool_t *tools;
    size_t tool_count;
    framework_indicator_t *indicators;
    size_t indicator_count;
    framework_question_t *questions;
    size_t question_count;
    framework_item_t *items; /* outside the scoring chain, tool by tool */
    size_t item_count;
    framework_grade_t *grades; /* highest first */
    size_t grade_count;
    framework_label_t *labels; /* first match wins */
    size_t label_count;
    framework_area_t *areas;
    size_t area_count;
    int64_t tolerance; /* scaled: a published figure this close to the computed one is silent */
    int64_t error_tolerance; /* scaled: further than this is an error (else a warning) */
    bool focus_lowest;       /* `focus: lowest_indicator`: choose an indicator for measures */
    int64_t discuss_below;   /* scaled */
    size_t discuss_per_tool;
    char **agency_types; /* what an input's agency.type may be ("อบต.", "เทศบาล", "other") */
    size_t agency_type_count;
    unsigned refs; /* references while shared (framework.c's cache); 0: the caller's alone */
} framework_t;

/* Builds a framework from a parsed document; NULL after reporting every problem. */
framework_t *framework_from_doc(diag_t *dg, const yamldoc_t *doc);

/* Reads a framework file, or hands out the one read from it before when the file is
 * unchanged and its reading reported nothing; NULL after reporting. framework_free it. */
framework_t *framework_load_file(diag_t *dg, const char *path);

/* Reads data_dir/templates/<id>/framework.yaml. An id that is not a folder there is
 * reported at `at` (the input's value) with the list of known ids; NULL then. */
framework_t *framework_open(diag_t *dg, const char *data_dir, const char *id, const diag_pos_t *at);

/* The known framework ids under data_dir/templates, comma-separated, as a new string. */
char *framework_list_ids(const char *data_dir);

/* Drops a reference: a framework the cache shares stays for the next caller. */
void framework_free(framework_t *fw);

/* Releases the frameworks kept for the process (those still referenced stay until their
 * framework_free). For leak checkers and long-lived processes; loading works after it. */
void framework_cache_clear(void);

size_t framework_find_question(const framework_t *fw, const char *id);
size_t framework_find_tool(const framework_t *fw, const char *id);
size_t framework_find_indicator(const framework_t *fw, int number);
size_t framework_find_area(const framework_t *fw, int number);
size_t framework_find_item(const framework_t *fw, const char *id);

#endif
