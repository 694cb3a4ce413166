/* libFuzzer target over report templates: bytes -> yamldoc -> tmpl (every key checked) ->
 * report (placeholders, conditions, repetition, merged cells, charts) with the seed
 * sample's data -> typeset (tables, pages). The data, fonts and breaker are made once from
 * the source tree (FUZZ_DATA_DIR). Messages are swallowed. Built and run by `make fuzz`. */
#include "assessment.h"
#include "brk.h"
#include "datadir.h"
#include "diag.h"
#include "dlist.h"
#include "doc.h"
#include "facts.h"
#include "layout.h"
#include "report.h"
#include "shape.h"
#include "tmpl.h"
#include "typeset.h"

#include "fuzz_common.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static assessment_t seed;
static shape_font_t *fonts[4];
static brk_t *breaker;
static layout_t *layout;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_silence();
    char *input = datadir_path(FUZZ_DATA_DIR, "samples/sepholoe-2566.yaml");
    if (assessment_open(test_dg, &seed, input, NULL, FUZZ_DATA_DIR) != 0)
        abort();
    free(input);
    static const char *const files[] = {"fonts/Sarabun-Regular.ttf", "fonts/Sarabun-Bold.ttf",
                                        "fonts/Sarabun-Italic.ttf", "fonts/Sarabun-BoldItalic.ttf"};
    for (int i = 0; i < 4; i++)
        fonts[i] = fuzz_font(files[i]);
    breaker = brk_new(test_dg);
    layout = layout_new(fonts, 4, breaker);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tmpl_t *t = tmpl_load_buffer(test_dg, FUZZ_DATA_DIR "/templates/ita-2566/report.yaml", data,
                                 size, facts_names);
    if (!t)
        return 0;
    value_t *facts = facts_build(seed.model, seed.fw, seed.findings, t->wording, -1);
    doc_t doc;
    doc_init(&doc);
    if (report_build(test_dg, t, facts, size % 2 == 0, &doc) == 0) {
        dlist_t list;
        dlist_init(&list);
        typeset_document(layout, &doc, &list);
        dlist_free(&list);
    }
    doc_free(&doc);
    value_free(facts);
    tmpl_free(t);
    return 0;
}
