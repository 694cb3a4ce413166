/* places — Thailand's places as inputs name them: the 77 provinces and the words a clerk
 * may type before a place's name, from templates/places.yaml.
 *
 * Sits after load (assessment calls it on the model): a prefix typed before a district,
 * subdistrict or province ("อำเภอเมืองขอนแก่น") is taken off, since the report writes the
 * word itself (it printed "อำเภออำเภอเมืองขอนแก่น"), and a province not in the list is an
 * error at its value, with the nearest province suggested ("ขอนเเก่น" typed with two SARA E
 * is ขอนแก่น); the agency of the capital (places.yaml: capital) is marked so, for the
 * templates' เขต and แขวง. Reads the list on each call (a few kilobytes); owns nothing. */
#ifndef ITAREPORT_PLACES_H
#define ITAREPORT_PLACES_H

#include "diag.h"
#include "model.h"

/* Checks and tidies the agency's places of m against data_dir/templates/places.yaml (a data
 * folder without that file: nothing is checked). 0, or -1 after reporting (an unknown
 * province, an unreadable list). */
int places_check_agency(diag_t *dg, const char *data_dir, model_t *m);

#endif
