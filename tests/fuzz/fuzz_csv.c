/* libFuzzer target over the CSV input of `itareport batch`: bytes -> csvin (quoting, the
 * header's columns, UTF-8) -> each row as a document -> load -> analyse against the
 * 2566 framework (read once from the source tree, FUZZ_DATA_DIR), and the YAML text the row
 * gives must parse back whenever the row loads. Messages are swallowed.
 * Built and run by `make fuzz`. */
#include "analyse.h"
#include "csvin.h"
#include "datadir.h"
#include "diag.h"
#include "framework.h"
#include "load.h"
#include "yamldoc.h"

#include "fuzz_common.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static framework_t *fw;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_silence();
    char *path = datadir_path(FUZZ_DATA_DIR, "templates/ita-2566/framework.yaml");
    fw = framework_load_file(test_dg, path);
    free(path);
    if (!fw)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csvin_table_t *t = csvin_parse_buffer(test_dg, "fuzz.csv", data, size);
    if (!t)
        return 0;
    for (size_t r = 0; r < t->count && r < 8; r++) {
        yamldoc_t *doc = csvin_row_to_doc(t, r);
        model_t *m = load_model(test_dg, doc, fw);
        if (m) {
            analyse_findings_t *f = analyse_findings(m, fw);
            analyse_free_findings(f);
            model_free(m);
        }
        /* The YAML the report embeds parses back. */
        size_t yaml_size = 0;
        char *yaml = yamldoc_emit(doc, &yaml_size);
        yamldoc_t *back = yamldoc_parse_buffer(test_dg, "fuzz.yaml", (const unsigned char *)yaml,
                                               yaml_size, NULL);
        if (!back && m)
            abort();
        yamldoc_free(back);
        free(yaml);
        yamldoc_free(doc);
    }
    csvin_free(t);
    return 0;
}
