/* facts — the analysis as data for report templates: model, framework and findings turned
 * into a value tree (value.h) with stable names, documented in docs/templates.md:
 * agency.*, fiscal_year, overall, grade, label, passed, pass_mark, tools[], tool.<id>,
 * indicators[], areas[] (with tools[], questions, discuss[], below[]), measures[],
 * limitations[], history[], changes[]. Scores are exact decimals rounded half-up to the
 * framework's places. No wording or layout here: templates decide what to print.
 *
 * The caller owns the returned tree (value_free). Nothing is reported. */
#ifndef ITAREPORT_FACTS_H
#define ITAREPORT_FACTS_H

#include "analyse.h"
#include "framework.h"
#include "model.h"
#include "value.h"

/* wording (the template's, may be NULL) adds texts by question id (wording.questions.<id>:
 * its keys, e.g. finding and recommendation, join every question's data) and the default
 * measure of each issue area (wording.default_measures.<area number>): `plan` lists, area
 * by area, the input's measures or, where the input has none, the default one. */
/* source_date: SOURCE_DATE_EPOCH's seconds (-1: none), the report's month and year when
 * the input gives no report.date; the clock is never read. */
value_t *facts_build(const model_t *m, const framework_t *fw, const analyse_findings_t *f,
                     const value_t *wording, long long source_date);

/* The names facts_build provides, as the template loader's patterns (tmpl_names_t):
 * a report template is checked against them when it is loaded. NULL-terminated. */
extern const char *const facts_names[];

#endif
