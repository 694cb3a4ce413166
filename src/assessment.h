/* assessment — one input read, checked and analysed: the steps every command shares
 * (yamldoc -> framework -> load -> analyse). The framework comes from a template folder
 * given by the caller, or from the data folder by the input's framework id. Messages of
 * the analysis are reported through diag.
 *
 * An assessment owns its document, framework, model and findings; assessment_close
 * releases them (and tolerates a half-opened one). */
#ifndef ITAREPORT_ASSESSMENT_H
#define ITAREPORT_ASSESSMENT_H

#include "diag.h"

#include "analyse.h"
#include "framework.h"
#include "model.h"
#include "yamldoc.h"

typedef struct assessment {
    yamldoc_t *doc;
    framework_t *fw;
    model_t *model;
    analyse_findings_t *findings;
    char *template_dir; /* the folder the framework came from */
} assessment_t;

/* Opens input; template_dir may be NULL (then data_dir/templates/<framework id>), data_dir
 * is the program's data folder. Returns 0 when the assessment can be used (warnings
 * allowed), -1 after reporting errors; close it either way. */
int assessment_open(diag_t *dg, assessment_t *a, const char *input, const char *template_dir,
                    const char *data_dir);

/* The same for an input held in memory; name is used in messages and as the file name. */
int assessment_open_buffer(diag_t *dg, assessment_t *a, const char *name, const unsigned char *data,
                           size_t size, const char *template_dir, const char *data_dir);

/* The same for an input document already built (a CSV row: csvin_row_to_doc), which a
 * owns from now on, whatever it returns. */
int assessment_open_doc(diag_t *dg, assessment_t *a, yamldoc_t *doc, const char *template_dir,
                        const char *data_dir);

void assessment_close(assessment_t *a);

#endif
