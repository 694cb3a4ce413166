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

value_t *facts_build(const model_t *m, const framework_t *fw, const analyse_findings_t *f);

#endif
