/* libFuzzer target over the input path of `itareport check`: bytes -> yamldoc (UTF-8 check,
 * limits, libyaml) -> load (typed model against a framework) -> analyse. The frameworks are
 * read once from the source tree's templates/ (FUZZ_DATA_DIR); the input picks one by its
 * `framework:` id, falling back to ita-2566 so that every input reaches the loader.
 * Messages are swallowed; crashes, leaks, UB and timeouts are what the fuzzer looks for.
 * Built and run by `make fuzz`. */
#include "analyse.h"
#include "diag.h"
#include "framework.h"
#include "load.h"
#include "model.h"
#include "yamldoc.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef FUZZ_DATA_DIR
#define FUZZ_DATA_DIR "."
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static framework_t *frameworks[3];

static diag_t *test_dg;

static void fuzz_ignore(void *user, const diag_record_t *record)
{
    (void)user;
    (void)record;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const ids[] = {"ita-2566", "ita-2567", "ita-2568"};
    test_dg = diag_new(NULL, NULL);
    for (int i = 0; i < 3; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/templates/%s/framework.yaml", FUZZ_DATA_DIR, ids[i]);
        frameworks[i] = framework_load_file(test_dg, path);
        if (!frameworks[i])
            return 1;
    }
    diag_set_sink(test_dg, fuzz_ignore, NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_reset(test_dg);
    yamldoc_t *doc = yamldoc_parse_buffer(test_dg, "fuzz.yaml", data, size, NULL);
    if (!doc)
        return 0;
    const yamldoc_node_t *id = load_framework_id(test_dg, doc);
    const framework_t *fw = frameworks[0];
    for (int i = 0; id && i < 3; i++)
        if (yamldoc_is(id, frameworks[i]->id))
            fw = frameworks[i];
    model_t *m = id ? load_model(test_dg, doc, fw) : NULL;
    /* The framework loader reads the same trees: feed it every document too. */
    framework_t *other = framework_from_doc(test_dg, doc);
    framework_free(other);
    yamldoc_free(doc);
    if (m) {
        analyse_findings_t *f = analyse_findings(m, fw);
        analyse_free_findings(f);
        model_free(m);
    }
    return 0;
}
