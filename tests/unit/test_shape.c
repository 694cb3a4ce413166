/* Unit tests for shape: fonts whose tables are damaged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "diag.h"
#include "shape.h"

#include <stdlib.h>
#include <string.h>

/* Messages go to standard error. */
static diag_t *test_dg;

/* Shapes a Thai and Latin text with the font and checks that every glyph's extent has
 * y_min <= y_max and that some glyphs have ink. */
static void check_extents(const char *path)
{
    shape_font_t *font = shape_font_load(test_dg, path, 0);
    assert_non_null(font);
    static const char text[] = "การประเมิน ITA 2566 ผ่าน 85.50 คะแนน (ก่อน) ฯลฯ";
    shape_buffer_t buf = {0};
    shape_run_t *runs = NULL;
    size_t n = shape_split_runs(text, sizeof text - 1, &runs);
    for (size_t i = 0; i < n; i++)
        shape_text(font, text + runs[i].start, runs[i].end - runs[i].start, runs[i].start, &buf);
    free(runs);
    assert_true(buf.count > 0);
    size_t inked = 0;
    for (size_t i = 0; i < buf.count; i++) {
        int lo = 1, hi = 0;
        shape_glyph_extents(font, buf.glyphs[i].gid, &lo, &hi);
        assert_true(lo <= hi);
        inked += lo < hi;
    }
    assert_true(inked > 0);
    shape_buffer_free(&buf);
    shape_font_free(font);
}

/* Damaged fonts found by fuzz_font, kept as its seeds: outlines that reach past 16 bits
 * (their extents were cut to int16_t and came out with y_min above y_max), and a glyph
 * whose bounding box is upside down (yMin above yMax). Both load; extents are ordered. */
static void test_damaged_extents(void **state)
{
    (void)state;
    check_extents("tests/fuzz/seeds-font/regress-extents-past-16-bits.ttf");
    check_extents("tests/fuzz/seeds-font/regress-upside-down-bbox.ttf");
}

/* The shipped fonts pass the load-time checks (loca, outlines of Thai and Latin letters). */
static void test_shipped_fonts_load(void **state)
{
    (void)state;
    static const char *const fonts[] = {"fonts/Sarabun-Regular.ttf", "fonts/Sarabun-Bold.ttf",
                                        "fonts/Sarabun-Italic.ttf", "fonts/Sarabun-BoldItalic.ttf"};
    for (size_t i = 0; i < 4; i++) {
        shape_font_t *font = shape_font_load(test_dg, fonts[i], 1);
        assert_non_null(font);
        shape_font_free(font);
    }
    assert_int_equal(diag_count(test_dg, DIAG_ERROR), 0);
}

int main(void)
{
    test_dg = diag_new(NULL, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_damaged_extents),
        cmocka_unit_test(test_shipped_fonts_load),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    diag_free(test_dg);
    return rc;
}
