/* model — one agency's assessment as typed data, whatever it was read from.
 *
 * Filled by load from YAML today (a CSV reader can fill it the same way through the
 * model_add_* functions); read by analyse and by the report stages. No libyaml types:
 * every value carries its own source position (diag_pos_t) so later stages can point at
 * it. Question scores are keyed by the framework's ids ("i8", "e13", "o4"), with one value
 * per part of the tool (EIT has two). Totals (indicators, tools and tool parts, overall)
 * are the figures the NACC published, given only where the agency has them.
 *
 * The model owns every string and array in it, and the file name its positions point to;
 * model_free releases all of it. */
#ifndef ITAREPORT_MODEL_H
#define ITAREPORT_MODEL_H

#include "decimal.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

#define MODEL_MAX_PARTS 4

/* A text from the input; text is NULL when absent. */
typedef struct model_text {
    char *text;
    diag_pos_t pos;
} model_text_t;

typedef struct model_text_list {
    model_text_t *items;
    size_t count, capacity;
} model_text_list_t;

/* A score (question: one value per part) or a published total (one value). */
typedef struct model_score {
    char *id; /* question "e1", indicator "8", tool "eit" or tool part "eit_part1" */
    decimal_t values[MODEL_MAX_PARTS];
    size_t value_count;
    int places; /* digits written after the point of values[0]; -1 when not known */
    diag_pos_t pos;
} model_score_t;

typedef struct model_score_list {
    model_score_t *items;
    size_t count, capacity;
} model_score_list_t;

typedef struct model_agency {
    model_text_t name, short_name, type, subdistrict, district, province, logo;
    bool capital; /* the province is the capital (places: Bangkok's เขต and แขวง) */
} model_agency_t;

/* An earlier year's published result: "overall" and tool ids in figures, indicator
 * numbers (as text) in indicators. */
typedef struct model_history {
    int fiscal_year;
    diag_pos_t pos;
    model_score_list_t figures;
    model_score_list_t indicators;
} model_history_t;

/* One measure for the indicator chosen for improvement (the O25 form from 2568 on). */
typedef struct model_focus_measure {
    diag_pos_t pos;
    model_text_t measure, responsible, period;
    model_text_list_t follow_up;
} model_focus_measure_t;

/* The questions an issue area discusses, as the input names them. */
typedef struct model_discuss {
    int area;
    diag_pos_t pos;
    model_text_list_t questions;
} model_discuss_t;

/* One measure of the action plan (Part 2 of the report). */
typedef struct model_measure {
    int area;
    diag_pos_t pos;
    model_text_t title; /* optional: the area's name is used otherwise */
    model_text_list_t approach, steps, follow_up;
    model_text_t responsible;
} model_measure_t;

/* The agency's own analysis of an issue area: printed instead of the generated one. */
typedef struct model_narrative {
    int area;
    model_text_t text;
} model_narrative_t;

typedef struct model_limitation {
    model_text_t topic, detail;
} model_limitation_t;

/* A date the input gives (the report's, a sign-off's): year in พ.ศ.; day 0 when only the
 * month is given; year 0 when no date. */
typedef struct model_date {
    int year, month, day;
    diag_pos_t pos;
} model_date_t;

/* Who signs the report off (prepared by, approved by): any field may be absent. */
typedef struct model_signer {
    model_text_t name, position;
    model_date_t date;
} model_signer_t;

/* The report's own details (input key `report`): the issuing office, the report's date
 * and its sign-off. */
typedef struct model_report {
    model_text_t office;
    model_date_t date;
    model_signer_t prepared_by, approved_by;
} model_report_t;

typedef struct model {
    char *file;  /* positions point to this string */
    char **kept; /* other strings positions point to (paths), see model_keep */
    size_t kept_count, kept_capacity;
    model_text_t framework;
    int fiscal_year;
    diag_pos_t fiscal_year_pos;
    model_agency_t agency;
    diag_pos_t scores_pos; /* where the scores mapping starts */
    model_score_list_t questions;
    model_score_list_t indicators;
    model_score_list_t tools;
    model_score_t overall;     /* value_count 0 when not given */
    model_text_t grade, label; /* as published; text NULL when not given */
    int focus_indicator;       /* the indicator the input chooses for measures; 0: none */
    diag_pos_t focus_pos;
    model_text_t focus_reason;
    model_focus_measure_t *focus_measures;
    size_t focus_measure_count, focus_measure_capacity;
    model_history_t *history;
    size_t history_count, history_capacity;
    model_discuss_t *discuss;
    size_t discuss_count, discuss_capacity;
    model_measure_t *measures;
    size_t measure_count, measure_capacity;
    model_limitation_t *limitations;
    size_t limitation_count, limitation_capacity;
    model_narrative_t *narratives;
    size_t narrative_count, narrative_capacity;
    model_report_t report;
} model_t;

/* A new empty model whose positions will name file. */
model_t *model_new(const char *file);
void model_free(model_t *m);

/* A copy of text owned by the model (for positions' paths); NULL for NULL. */
const char *model_keep(model_t *m, const char *text);

/* Appends a score with value_count values (places -1: full precision); returns it (owned
 * by the list). */
model_score_t *model_add_score(model_score_list_t *list, const char *id, const decimal_t *values,
                               size_t value_count, diag_pos_t pos);
/* The score with id, or NULL. */
const model_score_t *model_find_score(const model_score_list_t *list, const char *id);

/* Appends a copy of text. */
void model_add_text(model_text_list_t *list, const char *text, diag_pos_t pos);

/* Appends a zeroed entry and returns it. */
model_history_t *model_add_history(model_t *m);
model_discuss_t *model_add_discuss(model_t *m);
model_measure_t *model_add_measure(model_t *m);
model_limitation_t *model_add_limitation(model_t *m);
model_narrative_t *model_add_narrative(model_t *m);
model_focus_measure_t *model_add_focus_measure(model_t *m);

/* The input's list of questions to discuss for an area, or NULL. */
const model_discuss_t *model_find_discuss(const model_t *m, int area);

#endif
