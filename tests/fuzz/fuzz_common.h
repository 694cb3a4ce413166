/* What the fuzz targets share: messages swallowed (crashes, leaks, undefined behaviour and
 * timeouts are what the fuzzer looks for) and data files found in the source tree
 * (FUZZ_DATA_DIR, set by `make fuzz`). Included by one target each; header-only. */
#ifndef ITAREPORT_FUZZ_COMMON_H
#define ITAREPORT_FUZZ_COMMON_H

#include "datadir.h"
#include "diag.h"
#include "shape.h"

#include <stdlib.h>

#ifndef FUZZ_DATA_DIR
#define FUZZ_DATA_DIR "."
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_ignore(void *user, const diag_record_t *record)
{
    (void)user;
    (void)record;
}

/* The run's diagnostics context, whose records are swallowed (made by fuzz_silence). */
static diag_t *test_dg;

/* Silences messages for the whole run (a context whose sink drops them). */
static inline void fuzz_silence(void)
{
    if (!test_dg)
        test_dg = diag_new(fuzz_ignore, NULL);
}

/* A font of the source tree (e.g. "fonts/Sarabun-Regular.ttf"); aborts when missing. */
static inline shape_font_t *fuzz_font(const char *relative)
{
    char *path = datadir_path(FUZZ_DATA_DIR, relative);
    shape_font_t *font = shape_font_load(test_dg, path, 1);
    free(path);
    if (!font)
        abort();
    return font;
}

#endif
