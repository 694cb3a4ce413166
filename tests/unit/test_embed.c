/* Unit tests for embed: CIDs per (glyph, text, advance) in order of first use, copies for
 * MuPDF's pen, and what the font dictionaries get (a subset program, the CIDToGIDMap, the
 * widths, a ToUnicode CMap that gives back each CID's text). */
#include "diag_capture.h"

#include "embed.h"
#include "shape.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void test_cids_and_program(void **state)
{
    (void)state;
    capture_start();
    shape_font_t *font = shape_font_load(test_dg, "fonts/Sarabun-Regular.ttf", 1);
    assert_non_null(font);
    embed_font_t *f = embed_font_new(font, NULL);
    uint32_t a = embed_cid(f, 40, 500, -1, 0, "ก", strlen("ก"));
    uint32_t b = embed_cid(f, 41, 520, -1, 0, "ข", strlen("ข"));
    assert_int_equal(a, 1); /* CID 0 is .notdef; then in order of first use */
    assert_int_equal(b, 2);
    assert_int_equal(embed_cid(f, 40, 500, -1, 0, "ก", strlen("ก")), a); /* same triple */
    assert_int_equal(embed_cid(f, 40, 520, -1, 0, "ก", strlen("ก")), 3); /* another width */
    assert_int_equal(embed_cid(f, 40, 500, -1, 0, "", 0), 4);            /* another text */
    /* A glyph whose pen is where its own advance puts it needs no copy; far off, one. */
    int32_t own = shape_glyph_advance(font, 40);
    assert_int_equal(embed_copy_advance(f, 40, own), -1);
    int32_t copy = embed_copy_advance(f, 40, own + 300);
    assert_true(copy > own);
    uint32_t c = embed_cid(f, 40, 500, copy, 0, "ก", strlen("ก"));

    embed_program_t p;
    assert_int_equal(embed_font_finish(test_dg, f, &p), 0);
    assert_true(p.program_size > 1000);
    assert_int_equal(memcmp(p.program, "\0\1\0\0", 4), 0); /* a TrueType program */
    assert_int_equal(p.cid_to_gid_size, 2 * 6);
    assert_int_equal(p.cid_to_gid[2 * a + 1], 40);                         /* the glyph itself */
    assert_true(p.cid_to_gid[2 * c] * 256 + p.cid_to_gid[2 * c + 1] > 40); /* its copy */
    assert_int_equal(p.width_count, 5);
    assert_true(p.widths[1] > p.widths[0]); /* 520 > 500 units */
    assert_non_null(strstr(p.base_name, "+Sarabun-Regular"));
    assert_int_equal(strlen(p.base_name), 6 + 1 + strlen("Sarabun-Regular"));
    assert_non_null(strstr(p.tounicode, "<0001> <0E01>")); /* ก */
    assert_non_null(strstr(p.tounicode, "<0002> <0E02>")); /* ข */
    assert_null(strstr(p.tounicode, "<0004> "));           /* a CID for no text */
    assert_string_equal(captured, "");
    embed_program_free(&p);
    embed_font_free(f);
    shape_font_free(font);
}

/* The program of a few CIDs, made from the font itself or from a source. */
static embed_program_t program_of(shape_font_t *font, const embed_source_t *source)
{
    embed_font_t *f = embed_font_new(font, source);
    static const uint32_t gids[] = {40, 41, 87, 120, 3};
    for (size_t i = 0; i < sizeof gids / sizeof gids[0]; i++)
        assert_true(embed_cid(f, gids[i], 500, -1, 0, "x", 1) > 0);
    embed_program_t p;
    assert_int_equal(embed_font_finish(test_dg, f, &p), 0);
    embed_font_free(f);
    return p;
}

/* A font made ready for subsetting gives the very program the font itself gives. */
static void test_source_gives_the_same_program(void **state)
{
    (void)state;
    capture_start();
    shape_font_t *fonts[2] = {shape_font_load(test_dg, "fonts/Sarabun-Regular.ttf", 1),
                              shape_font_load(test_dg, "fonts/Sarabun-Bold.ttf", 1)};
    for (int i = 0; i < 2; i++) {
        assert_non_null(fonts[i]);
        embed_source_t *source = embed_source_new(fonts[i]);
        assert_non_null(source);
        embed_program_t plain = program_of(fonts[i], NULL);
        embed_program_t ready = program_of(fonts[i], source);
        embed_program_t again = program_of(fonts[i], source); /* used twice */
        assert_true(plain.program_size > 1000);
        assert_int_equal(ready.program_size, plain.program_size);
        assert_memory_equal(ready.program, plain.program, plain.program_size);
        assert_int_equal(again.program_size, plain.program_size);
        assert_memory_equal(again.program, plain.program, plain.program_size);
        embed_program_free(&plain);
        embed_program_free(&ready);
        embed_program_free(&again);
        embed_source_free(source);
        shape_font_free(fonts[i]);
    }
    assert_string_equal(captured, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cids_and_program),
        cmocka_unit_test(test_source_gives_the_same_program),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
