/* Unit tests for the text engine's pure parts: UTF-8, script runs, the glyph-to-text map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "shape.h"
#include "textmap.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

static void test_utf8_validate(void **state)
{
    (void)state;
    const char ok[] = "ก้ำ abc ๑";
    assert_int_equal(utf8_validate(ok, strlen(ok)), strlen(ok));
    assert_int_equal(utf8_validate("ab\xe0\xb8", 4), 2);       /* truncated */
    assert_int_equal(utf8_validate("\xc0\xaf", 2), 0);         /* overlong */
    assert_int_equal(utf8_validate("x\xed\xa0\x80", 4), 1);    /* surrogate */
    assert_int_equal(utf8_validate("\xf4\x90\x80\x80", 4), 0); /* above U+10FFFF */
    assert_int_equal(utf8_validate("\xff\xfe", 2), 0);
    size_t pos = 0;
    assert_int_equal(utf8_decode("\xe0\xb8\x81", 3, &pos), 0x0E01);
    assert_int_equal(pos, 3);
    char out[4];
    assert_int_equal(utf8_encode(0x0E33, out), 3);
    assert_memory_equal(out, "\xe0\xb8\xb3", 3);
    assert_int_equal(utf8_encode(0x1F600, out), 4);
}

static void test_split_runs(void **state)
{
    (void)state;
    const char *text = "ITA 2566 คะแนน 84.14 (ดี) OK";
    shape_run_t *runs = NULL;
    size_t n = shape_split_runs(text, strlen(text), &runs);
    /* "ITA 2566 " Latin, "คะแนน 84.14 (ดี) " Thai, "OK" Latin. */
    assert_int_equal(n, 3);
    assert_int_equal(runs[0].script, SHAPE_SCRIPT_LATIN);
    assert_int_equal(runs[0].start, 0);
    assert_int_equal(runs[1].script, SHAPE_SCRIPT_THAI);
    assert_int_equal(runs[1].start, strlen("ITA 2566 "));
    assert_int_equal(runs[2].script, SHAPE_SCRIPT_LATIN);
    assert_int_equal(runs[2].start, strlen("ITA 2566 คะแนน 84.14 (ดี) "));
    assert_int_equal(runs[2].end, strlen(text));
    free(runs);
    /* Leading digits join the script that follows them. */
    text = "12 ไทย";
    n = shape_split_runs(text, strlen(text), &runs);
    assert_int_equal(n, 1);
    assert_int_equal(runs[0].script, SHAPE_SCRIPT_THAI);
    free(runs);
    /* Only digits and spaces: one common run. */
    n = shape_split_runs("12 34", 5, &runs);
    assert_int_equal(n, 1);
    assert_int_equal(runs[0].script, SHAPE_SCRIPT_COMMON);
    free(runs);
    n = shape_split_runs("", 0, &runs);
    assert_int_equal(n, 0);
    free(runs);
}

/* กำ shaped as ก + NIKHAHIT + SARA AA with the two last glyphs in one cluster. */
static void test_textmap_sara_am(void **state)
{
    (void)state;
    const char *text = "กำ";
    glyph_t glyphs[] = {{10, 0, 576, 0, 0}, {20, 3, 0, -10, 0}, {30, 3, 485, 0, 0}};
    textmap_piece_t pieces[3];
    textmap_span_t *spans = NULL;
    size_t n = textmap_assign(glyphs, 3, text, strlen(text), 0, pieces, &spans);
    assert_int_equal(pieces[0].start, 0);
    assert_int_equal(pieces[0].length, 3);
    assert_int_equal(pieces[1].start, 3); /* NIKHAHIT stands for ำ */
    assert_int_equal(pieces[1].length, 3);
    assert_int_equal(pieces[2].length, 0); /* SARA AA is left with nothing ... */
    assert_int_equal(n, 1);                /* ... so the group gets ActualText */
    assert_int_equal(spans[0].first, 0);
    assert_int_equal(spans[0].count, 3);
    assert_int_equal(spans[0].text_start, 0);
    assert_int_equal(spans[0].text_length, strlen(text));
    free(spans);
}

/* กำ again, with a shift limit of 0.015 em: the NIKHAHIT (10 units left of the SARA AA)
 * is aligned to the SARA AA and both stand for ำ. */
static void test_textmap_sara_am_repeat(void **state)
{
    (void)state;
    const char *text = "กำ";
    glyph_t glyphs[] = {{10, 0, 576, 0, 0}, {20, 3, 0, -10, 0}, {30, 3, 485, 0, 0}};
    textmap_piece_t pieces[3];
    textmap_span_t *spans = NULL;
    size_t n = textmap_assign(glyphs, 3, text, strlen(text), 15, pieces, &spans);
    assert_int_equal(pieces[1].start, 3);
    assert_int_equal(pieces[1].length, 3);
    assert_int_equal(pieces[1].align_to_next, 1);
    assert_int_equal(pieces[2].start, 3);
    assert_int_equal(pieces[2].length, 3);
    assert_int_equal(pieces[2].align_to_next, 0);
    assert_int_equal(n, 1); /* poppler still needs the span: the texts repeat */
    assert_int_equal(spans[0].text_length, strlen(text));
    free(spans);
    /* Too far apart (20 units > 15): no repeat. */
    glyphs[1].x_offset = -20;
    n = textmap_assign(glyphs, 3, text, strlen(text), 15, pieces, &spans);
    assert_int_equal(pieces[1].align_to_next, 0);
    assert_int_equal(pieces[2].length, 0);
    free(spans);
}

/* น้ำ: น, the NIKHAHIT+MAI THO ligature and SARA AA; the ligature and AA share a cluster
 * of two characters: each gets one, no span needed. */
static void test_textmap_ligature(void **state)
{
    (void)state;
    const char *text = "น้ำ";
    glyph_t glyphs[] = {{10, 0, 637, 0, 0}, {40, 3, 0, 0, 0}, {30, 3, 485, 0, 0}};
    textmap_piece_t pieces[3];
    textmap_span_t *spans = NULL;
    size_t n = textmap_assign(glyphs, 3, text, strlen(text), 0, pieces, &spans);
    assert_int_equal(n, 0);
    assert_null(spans);
    assert_int_equal(pieces[1].start, 3);
    assert_int_equal(pieces[1].length, 3); /* ้ */
    assert_int_equal(pieces[2].start, 6);
    assert_int_equal(pieces[2].length, 3); /* ำ */
}

/* ปี่บ: the tone mark is shifted left of the vowel before it (out of x order); a mark
 * right of the pen would sit over the next letter. Both need ActualText over their group. */
static void test_textmap_mark_order(void **state)
{
    (void)state;
    const char *text = "ปี่บ";
    glyph_t glyphs[] = {{1, 0, 655, 0, 0}, {2, 3, 0, 0, 0}, {3, 6, 0, -147, 0}, {4, 9, 600, 0, 0}};
    textmap_piece_t pieces[4];
    textmap_span_t *spans = NULL;
    size_t n = textmap_assign(glyphs, 4, text, strlen(text), 15, pieces, &spans);
    assert_int_equal(n, 1);
    assert_int_equal(spans[0].first, 0);
    assert_int_equal(spans[0].count, 3);
    assert_int_equal(spans[0].text_length, 9);
    free(spans);
    glyph_t right[] = {{1, 0, 572, 0, 0}, {2, 3, 0, 1, 0}, {4, 6, 378, 0, 0}};
    n = textmap_assign(right, 3, "ย่ใ", strlen("ย่ใ"), 15, pieces, &spans);
    assert_int_equal(n, 1);
    assert_int_equal(spans[0].count, 2);
    free(spans);
    /* Plain text: one glyph per character, no spans. */
    glyph_t plain[] = {{1, 0, 500, 0, 0}, {2, 1, 500, 0, 0}};
    n = textmap_assign(plain, 2, "ab", 2, 15, pieces, &spans);
    assert_int_equal(n, 0);
    assert_int_equal(pieces[1].start, 1);
    assert_int_equal(pieces[1].length, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_validate),    cmocka_unit_test(test_split_runs),
        cmocka_unit_test(test_textmap_sara_am),  cmocka_unit_test(test_textmap_sara_am_repeat),
        cmocka_unit_test(test_textmap_ligature), cmocka_unit_test(test_textmap_mark_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
