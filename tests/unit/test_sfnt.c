/* Unit tests for sfnt: glyph copies appended to a real font program (Sarabun). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "diag.h"
#include "sfnt.h"
#include "shape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Messages go to standard error. */
static diag_t *test_dg;

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)n);
    *len = fread(data, 1, (size_t)n, f);
    fclose(f);
    return data;
}

static void test_append_copies(void **state)
{
    (void)state;
    size_t len = 0;
    unsigned char *font = read_file("fonts/Sarabun-Regular.ttf", &len);
    assert_non_null(font);
    shape_font_t *original = shape_font_load(test_dg, "fonts/Sarabun-Regular.ttf", 1);
    assert_non_null(original);
    unsigned glyphs = shape_font_info(original)->glyph_count;
    int32_t own = shape_glyph_advance(original, 736);

    sfnt_copy_t copies[] = {{736, 100, 0}, {488, 485, 0}, {3, 500, 0}};
    unsigned char *out = NULL;
    size_t out_len = 0;
    uint16_t first = 0;
    assert_int_equal(sfnt_append_copies(font, len, copies, 3, &out, &out_len, &first), 0);
    assert_int_equal(first, glyphs);
    assert_int_equal(sfnt_advance(out, out_len, first), 100);
    assert_int_equal(sfnt_advance(out, out_len, first + 2), 500);
    assert_int_equal(sfnt_advance(out, out_len, 736), own); /* originals keep theirs */

    /* The result loads as a font with the copies, whose ink equals the original's. */
    char path[] = "/tmp/test-sfnt-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, out, out_len), (ssize_t)out_len);
    close(fd);
    shape_font_t *edited = shape_font_load(test_dg, path, 1);
    unlink(path);
    assert_non_null(edited);
    assert_int_equal(shape_font_info(edited)->glyph_count, glyphs + 3);
    assert_int_equal(shape_glyph_advance(edited, first), 100);
    int a_min, a_max, b_min, b_max;
    shape_glyph_extents(original, 736, &a_min, &a_max);
    shape_glyph_extents(edited, first, &b_min, &b_max);
    assert_int_equal(a_min, b_min);
    assert_int_equal(a_max, b_max);
    assert_true(a_max > a_min);

    /* Refusals: a glyph that does not exist, a truncated font. */
    sfnt_copy_t bad = {60000, 10, 0};
    unsigned char *none = NULL;
    assert_int_equal(sfnt_append_copies(font, len, &bad, 1, &none, &out_len, &first), -1);
    assert_null(none);
    assert_int_equal(sfnt_append_copies(font, 100, copies, 1, &none, &out_len, &first), -1);
    assert_int_equal(sfnt_append_copies(font, 5, copies, 1, &none, &out_len, &first), -1);

    shape_font_free(edited);
    shape_font_free(original);
    free(out);
    free(font);
}

int main(void)
{
    test_dg = diag_new(NULL, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_copies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
