/* assessment — see assessment.h. */
#include "assessment.h"

#include "datadir.h"
#include "load.h"
#include "mem.h"
#include "places.h"

#include <stdlib.h>
#include <string.h>

static int open_doc(diag_t *dg, assessment_t *a, const char *template_dir, const char *data_dir);

int assessment_open(diag_t *dg, assessment_t *a, const char *input, const char *template_dir,
                    const char *data_dir)
{
    memset(a, 0, sizeof *a);
    a->doc = yamldoc_parse_file(dg, input, NULL);
    if (!a->doc)
        return -1;
    return open_doc(dg, a, template_dir, data_dir);
}

int assessment_open_buffer(diag_t *dg, assessment_t *a, const char *name, const unsigned char *data,
                           size_t size, const char *template_dir, const char *data_dir)
{
    memset(a, 0, sizeof *a);
    a->doc = yamldoc_parse_buffer(dg, name, data, size, NULL);
    if (!a->doc)
        return -1;
    return open_doc(dg, a, template_dir, data_dir);
}

int assessment_open_doc(diag_t *dg, assessment_t *a, yamldoc_t *doc, const char *template_dir,
                        const char *data_dir)
{
    memset(a, 0, sizeof *a);
    a->doc = doc;
    return open_doc(dg, a, template_dir, data_dir);
}

/* Framework, model and findings for a parsed input. */
static int open_doc(diag_t *dg, assessment_t *a, const char *template_dir, const char *data_dir)
{
    const yamldoc_node_t *id = load_framework_id(dg, a->doc);
    if (!id)
        return -1;
    if (template_dir) {
        char *path = datadir_path(template_dir, "framework.yaml");
        a->fw = framework_load_file(dg, path);
        free(path);
        if (a->fw && !yamldoc_is(id, a->fw->id)) {
            diag_fail(dg, &id->pos, "assessment-framework-mismatch",
                      "the input is for framework '%s', but %s is '%s'", id->text, template_dir,
                      a->fw->id);
            return -1;
        }
        a->template_dir = mem_strdup(template_dir);
    } else {
        a->fw = framework_open(dg, data_dir, id->text, &id->pos);
        if (a->fw) {
            char *templates = datadir_path(data_dir, "templates");
            a->template_dir = datadir_path(templates, a->fw->id);
            free(templates);
        }
    }
    if (!a->fw || !(a->model = load_model(dg, a->doc, a->fw)))
        return -1;
    /* The agency's places against Thailand's (templates/places.yaml). */
    if (data_dir && places_check_agency(dg, data_dir, a->model) != 0)
        return -1;
    a->findings = analyse_findings(a->model, a->fw);
    for (size_t i = 0; i < a->findings->message_count; i++)
        diag_forward(dg, a->findings->messages[i]);
    return analyse_count(a->findings, DIAG_ERROR) == 0 ? 0 : -1;
}

void assessment_close(assessment_t *a)
{
    analyse_free_findings(a->findings);
    model_free(a->model);
    framework_free(a->fw);
    yamldoc_free(a->doc);
    free(a->template_dir);
    memset(a, 0, sizeof *a);
}
