/* libFuzzer target over the text engine: random (mostly Thai) UTF-8 through script runs,
 * shaping, libthai breaking and the rules, line layout in every alignment, pagination and
 * the PDF writer (CIDs, ToUnicode, ActualText, glyph copies, subsetting) into memory.
 * The first byte picks the alignment and size. Invalid UTF-8 is refused as `itareport
 * text` refuses it. Built and run by `make fuzz`. */
#include "brk.h"
#include "datadir.h"
#include "diag.h"
#include "dlist.h"
#include "layout.h"
#include "pdf.h"
#include "shape.h"
#include "textdoc.h"
#include "typeset.h"
#include "utf8.h"

#include "fuzz_common.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static shape_font_t *fonts[2];
static brk_t *breaker;
static layout_t *layout;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_silence();
    fonts[0] = fuzz_font("fonts/Sarabun-Regular.ttf");
    fonts[1] = fuzz_font("fonts/Sarabun-Bold.ttf");
    breaker = brk_new(test_dg);
    if (!breaker)
        abort();
    layout = layout_new(fonts, 2, breaker);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 20000)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    if (utf8_validate(text, len) != len)
        return 0;
    textdoc_options_t options = {6 + (data[0] >> 3) % 30, 1.0, (layout_align_t)(data[0] % 5)};
    dlist_t list;
    dlist_init(&list);
    doc_t doc;
    doc_init(&doc);
    textdoc_build(text, len, &options, &doc);
    typeset_document(layout, &doc, &list);
    doc_free(&doc);
    char *buf = NULL;
    size_t out_size = 0;
    FILE *out = open_memstream(&buf, &out_size);
    if (out) {
        pdf_write(test_dg, &list, fonts, NULL, 2, NULL, out);
        fclose(out);
    }
    free(buf);
    dlist_free(&list);
    return 0;
}
