/* bench_text — times `itareport text`'s engine in one process: fonts and the breaker are
 * loaded once, then a text is laid out (with an empty shaping cache each time) and
 * written as a PDF (to memory) N times.
 * Usage: bench_text DATA_DIR INPUT.txt [ITERATIONS]. Prints pages, bytes, ms per page. */
#include "diag.h"
#include "brk.h"
#include "datadir.h"
#include "dlist.h"
#include "layout.h"
#include "pdf.h"
#include "shape.h"
#include "textdoc.h"
#include "typeset.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Messages go to standard error. */
static diag_t *test_dg;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    test_dg = diag_new(NULL, NULL);
    if (argc < 3) {
        fputs("usage: bench_text DATA_DIR INPUT.txt [ITERATIONS]\n", stderr);
        return 2;
    }
    int iterations = argc > 3 ? atoi(argv[3]) : 20;
    FILE *f = fopen(argv[2], "rb");
    if (!f)
        return 1;
    static char text[1 << 22];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    char *regular = datadir_path(argv[1], "fonts/Sarabun-Regular.ttf");
    char *bold = datadir_path(argv[1], "fonts/Sarabun-Bold.ttf");
    shape_font_t *fonts[2] = {shape_font_load(test_dg, regular, 1),
                              shape_font_load(test_dg, bold, 1)};
    brk_t *brk = brk_new(test_dg);
    if (!fonts[0] || !fonts[1] || !brk)
        return 1;
    textdoc_options_t options = {16, 1.0, LAYOUT_ALIGN_LEFT};
    if (argc > 4)
        options.align = (layout_align_t)layout_align_parse(argv[4]);
    size_t pages = 0, bytes = 0;
    double layout_ms = 0, pdf_ms = 0;
    for (int i = 0; i < iterations; i++) {
        dlist_t list;
        dlist_init(&list);
        double t0 = now_ms();
        /* A new layout each time: its shaping cache starts empty, as for a new text. */
        layout_t *layout = layout_new(fonts, 2, brk);
        doc_t doc;
        doc_init(&doc);
        textdoc_build(text, len, &options, &doc);
        typeset_document(layout, &doc, &list);
        doc_free(&doc);
        layout_free(layout);
        double t1 = now_ms();
        char *buf = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&buf, &size);
        if (pdf_write(test_dg, &list, fonts, NULL, 2, NULL, out) != 0)
            return 1;
        fclose(out);
        double t2 = now_ms();
        layout_ms += t1 - t0;
        pdf_ms += t2 - t1;
        pages = list.page_count;
        bytes = size;
        free(buf);
        dlist_free(&list);
    }
    printf("text: %zu bytes of input, %zu pages, %zu bytes (%.0f bytes per page)\n", len, pages,
           bytes, (double)bytes / pages);
    printf("per page: %.3f ms (layout %.3f ms, PDF %.3f ms), mean of %d runs\n",
           (layout_ms + pdf_ms) / iterations / pages, layout_ms / iterations / pages,
           pdf_ms / iterations / pages, iterations);
    brk_free(brk);
    shape_font_free(fonts[0]);
    shape_font_free(fonts[1]);
    free(regular);
    free(bold);
    return 0;
}
