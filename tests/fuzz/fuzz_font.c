/* libFuzzer target over font files: bytes -> a temporary file -> shape_font_load (FreeType's
 * checks, ours of loca and of a few glyphs' outlines), then, for a font it accepts, shaping
 * a Thai and Latin text, every glyph's extents and advance, and sfnt_append_copies (the
 * PDF writer's edit of the font program). Messages are swallowed. Built and run by
 * `make fuzz`, seeds (small subsets of the Sarabun fonts) in tests/fuzz/seeds-font. */
#include "sfnt.h"
#include "shape.h"

#include "fuzz_common.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char font_path[] = "/tmp/itareport-fuzz-font-XXXXXX";

static void remove_font(void)
{
    unlink(font_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_silence();
    int fd = mkstemp(font_path);
    if (fd < 0)
        abort();
    close(fd);
    atexit(remove_font);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(font_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    size_t errors = diag_count(test_dg, DIAG_ERROR);
    shape_font_t *font = shape_font_load(test_dg, font_path, 0);
    if (!font) {
        if (diag_count(test_dg, DIAG_ERROR) == errors)
            abort(); /* refused without a message */
        return 0;
    }
    const shape_font_info_t *info = shape_font_info(font);
    if (info->size != size || memcmp(info->data, data, size) != 0 || !info->postscript_name)
        abort();
    static const char text[] = "การประเมิน ITA 2566 ผ่าน 85.50 คะแนน (ก่อน) ฯลฯ";
    shape_buffer_t buf = {0};
    shape_run_t *runs = NULL;
    size_t n = shape_split_runs(text, sizeof text - 1, &runs);
    for (size_t i = 0; i < n; i++)
        shape_text(font, text + runs[i].start, runs[i].end - runs[i].start, runs[i].start, &buf);
    free(runs);
    sfnt_copy_t copies[4];
    size_t ncopies = 0;
    for (size_t i = 0; i < buf.count; i++) {
        int lo, hi;
        shape_glyph_extents(font, buf.glyphs[i].gid, &lo, &hi);
        if (lo > hi)
            abort();
        (void)shape_glyph_advance(font, buf.glyphs[i].gid);
        if (ncopies < 4 && buf.glyphs[i].gid < info->glyph_count)
            copies[ncopies++] = (sfnt_copy_t){(uint16_t)buf.glyphs[i].gid, 500, 0};
    }
    shape_buffer_free(&buf);
    unsigned char *out = NULL;
    size_t out_len = 0;
    uint16_t first = 0;
    if (sfnt_append_copies(info->data, info->size, copies, ncopies, &out, &out_len, &first) == 0) {
        for (size_t i = 0; i < ncopies; i++)
            if (sfnt_advance(out, out_len, (uint16_t)(first + i)) != 500)
                abort();
        free(out);
    }
    shape_font_free(font);
    return 0;
}
