/* catalogue — what the web form is built from, as JSON: the installed framework years
 * (tools, EIT parts, indicators and their questions, items outside the scoring chain,
 * agency types, score range, issue areas) and the provinces (templates/places.yaml). Read once
 * when the server starts; the form lays its fields out from it, so that a new year's folder is a
 * new year in the form without changing the page.
 *
 * The texts returned are new strings (caller frees). */
#ifndef ITAREPORT_CATALOGUE_H
#define ITAREPORT_CATALOGUE_H

#include "diag.h"

/* {"frameworks": [...]} for every framework under data_dir/templates, newest first; NULL
 * after reporting a framework that does not load. */
char *catalogue_frameworks_json(diag_t *dg, const char *data_dir);

/* {"provinces": ["กระบี่", ...]} from data_dir/templates/places.yaml (a list of names);
 * NULL after reporting. */
char *catalogue_provinces_json(diag_t *dg, const char *data_dir);

#endif
