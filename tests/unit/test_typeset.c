/* Unit tests at the back half's boundaries: line breaking (layout), the page flow, tables
 * (spans, repeated header rows, tall rows) and charts (typeset), and report building from a
 * small template (tmpl + report), each built from a small document and checked on its
 * display list: real outcomes (positions, counts, texts) and the whole list as a dump,
 * compared with tests/golden/unit/NAME.dump. ITAREPORT_BLESS=1 (make bless) rewrites
 * those after a change you have looked at. */
#include "diag_capture.h"

#include "brk.h"
#include "dlist.h"
#include "doc.h"
#include "layout.h"
#include "report.h"
#include "shape.h"
#include "tmpl.h"
#include "typeset.h"
#include "value.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define CM (72.0 / 2.54)

static shape_font_t *fonts[4];
static brk_t *breaker;
static layout_t *layout;

static int setup(void **state)
{
    (void)state;
    capture_start();
    const char *paths[4] = {"fonts/Sarabun-Regular.ttf", "fonts/Sarabun-Bold.ttf",
                            "fonts/Sarabun-Italic.ttf", "fonts/Sarabun-BoldItalic.ttf"};
    for (int i = 0; i < 4; i++)
        if (!(fonts[i] = shape_font_load(test_dg, paths[i], 1)))
            return -1;
    breaker = brk_new(test_dg);
    layout = breaker ? layout_new(fonts, 4, breaker) : NULL;
    return layout ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    layout_free(layout);
    brk_free(breaker);
    for (int i = 0; i < 4; i++)
        shape_font_free(fonts[i]);
    return 0;
}

/* The dump of a list compared with (or, blessing, written to) its golden file. */
static void check_golden(const dlist_t *list, const char *name)
{
    char *got = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&got, &len);
    assert_non_null(mem);
    dlist_dump(list, mem);
    fclose(mem);
    char path[256];
    snprintf(path, sizeof path, "tests/golden/unit/%s.dump", name);
    const char *bless = getenv("ITAREPORT_BLESS");
    if (bless && strcmp(bless, "1") == 0) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fwrite(got, 1, len, f);
        fclose(f);
    }
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("no golden dump %s (make bless writes it)", path);
    char *want = calloc(1, len + 2);
    size_t n = fread(want, 1, len + 1, f);
    fclose(f);
    want[n] = '\0';
    if (n != len || memcmp(want, got, len) != 0)
        fail_msg("%s differs from the display list (make bless after looking)", path);
    free(want);
    free(got);
}

static doc_t new_doc(void)
{
    doc_t doc;
    doc_init(&doc);
    doc.page_width = 21 * CM;
    doc.page_height = 29.7 * CM;
    doc.margin_left = 3 * CM;
    doc.margin_right = 2 * CM;
    doc.margin_top = 2.5 * CM;
    doc.margin_bottom = 2 * CM;
    return doc;
}

static const doc_style_t body = {.size = 16, .line_spacing = 1.0};

static void add_text(doc_paragraph_t *p, const char *text, const doc_style_t *style)
{
    p->style = *style;
    doc_paragraph_append(p, text, strlen(text), style->font);
}

/* The text items of a page whose text is `text`. */
static size_t count_text(const dl_page_t *page, const char *text)
{
    size_t n = 0;
    for (size_t i = 0; i < page->count; i++)
        n += page->items[i].kind == DL_TEXT && page->items[i].u.text.text_len == strlen(text) &&
             memcmp(page->items[i].u.text.text, text, strlen(text)) == 0;
    return n;
}

/* ---- line breaking ---- */

static void test_break_fits_the_measure(void **state)
{
    (void)state;
    const char *text = "ผู้รับบริการหรือผู้มาติดต่อราชการกับหน่วยงานบางราย เห็นว่าการปฏิบัติหรือการให้บริการ"
                       "ของเจ้าหน้าที่ไม่ดีขึ้นกว่าที่ผ่านมา";
    layout_paragraph_t para = {.text = text, .len = strlen(text), .size = 16, .line_spacing = 1};
    const layout_line_t *lines = NULL;
    double measure = 8 * CM;
    size_t n = layout_break(layout, &para, measure, &lines);
    assert_true(n >= 3);
    size_t covered = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(lines[i].width <= measure + 0.01);
        assert_true(lines[i].text_start >= covered); /* in order, nothing twice */
        covered = lines[i].text_end;
        assert_int_equal(lines[i].is_last, i + 1 == n);
    }
    assert_int_equal(covered, strlen(text));
    /* The narrowest measure without an emergency break is the widest word. */
    double widest = layout_min_width(layout, &para);
    assert_true(widest > 0 && widest < measure);
    /* Broken again at the same measure: the same lines, not a copy. */
    const layout_line_t *again = NULL;
    assert_int_equal(layout_break(layout, &para, measure, &again), n);
    assert_ptr_equal(again, lines);
}

/* ---- the page flow ---- */

static void test_flow_breaks_pages_between_lines(void **state)
{
    (void)state;
    doc_t doc = new_doc();
    doc_section_t *s = doc_add_section(&doc);
    for (int i = 0; i < 40; i++) {
        char line[128];
        snprintf(line, sizeof line, "ย่อหน้าที่ %d ของเอกสาร", i + 1);
        add_text(&doc_add_block(s, DOC_PARAGRAPH)->u.paragraph, line, &body);
    }
    dlist_t list;
    dlist_init(&list);
    typeset_document(layout, &doc, &list);
    assert_int_equal(list.page_count, 2);
    /* Every line inside the frame, each page filled from its top. */
    for (size_t p = 0; p < list.page_count; p++) {
        const dl_page_t *page = &list.pages[p];
        double top = page->height, bottom = 0;
        for (size_t i = 0; i < page->count; i++) {
            const dl_text_t *t = &page->items[i].u.text;
            top = fmin(top, page->height - (t->y + t->y_max));
            bottom = fmax(bottom, t->y + t->y_min);
            assert_true(t->y + t->y_min >= 2 * CM - 0.01);
            assert_true(t->y + t->y_max <= page->height - 2.5 * CM + 0.01);
        }
        assert_true(top < 2.5 * CM + 8);
    }
    assert_int_equal(count_text(&list.pages[1], "ย่อหน้าที่ 40 ของเอกสาร"), 1);
    check_golden(&list, "flow");
    dlist_free(&list);
    doc_free(&doc);
}

static void test_heading_keeps_with_next(void **state)
{
    (void)state;
    doc_t doc = new_doc();
    doc_section_t *s = doc_add_section(&doc);
    doc_style_t heading = body;
    heading.font = 1;
    heading.keep_with_next = true;
    for (int i = 0; i < 30; i++)
        add_text(&doc_add_block(s, DOC_PARAGRAPH)->u.paragraph, "บรรทัด", &body);
    add_text(&doc_add_block(s, DOC_PARAGRAPH)->u.paragraph, "หัวข้อ", &heading);
    for (int i = 0; i < 3; i++)
        add_text(&doc_add_block(s, DOC_PARAGRAPH)->u.paragraph, "เนื้อความ", &body);
    dlist_t list;
    dlist_init(&list);
    typeset_document(layout, &doc, &list);
    /* Wherever the page breaks, the heading is never the last item of a page. */
    for (size_t p = 0; p < list.page_count; p++) {
        const dl_page_t *page = &list.pages[p];
        const dl_text_t *last = &page->items[page->count - 1].u.text;
        assert_false(last->text_len == strlen("หัวข้อ") &&
                     memcmp(last->text, "หัวข้อ", last->text_len) == 0);
    }
    dlist_free(&list);
    doc_free(&doc);
}

/* ---- tables ---- */

/* A table of `rows` body rows under two header rows (the first spanning two columns),
 * the first column's cells spanning `group` rows each. */
static void add_table(doc_section_t *s, size_t rows, size_t group, const char *tall_text)
{
    doc_table_t *t = &doc_add_block(s, DOC_TABLE)->u.table;
    t->column_count = 3;
    t->columns = calloc(3, sizeof *t->columns);
    t->columns[0] = (doc_column_t){DOC_WIDTH_FIXED, 3 * CM};
    t->columns[1] = (doc_column_t){DOC_WIDTH_RELATIVE, 0.5};
    t->columns[2] = (doc_column_t){DOC_WIDTH_AUTO, 0};
    t->border_width = 0.5;
    t->padding = 4;
    t->header_rows = 2;
    doc_cell_t *c = doc_table_add_cell(t, 0, 0, 2, 1);
    add_text(doc_cell_add_paragraph(c, &body), "ลำดับ", &body);
    c = doc_table_add_cell(t, 0, 1, 1, 2);
    add_text(doc_cell_add_paragraph(c, &body), "หัวตาราง", &body);
    c = doc_table_add_cell(t, 1, 1, 1, 1);
    add_text(doc_cell_add_paragraph(c, &body), "ข้อ", &body);
    c = doc_table_add_cell(t, 1, 2, 1, 1);
    add_text(doc_cell_add_paragraph(c, &body), "คะแนน", &body);
    for (size_t r = 0; r < rows; r++) {
        char text[64];
        if (r % group == 0) {
            c = doc_table_add_cell(t, 2 + r, 0, group, 1);
            snprintf(text, sizeof text, "กลุ่ม %zu", r / group + 1);
            add_text(doc_cell_add_paragraph(c, &body), text, &body);
        }
        c = doc_table_add_cell(t, 2 + r, 1, 1, 1);
        snprintf(text, sizeof text, "ข้อ e%zu", r + 1);
        add_text(doc_cell_add_paragraph(c, &body), tall_text && r == 3 ? tall_text : text, &body);
        c = doc_table_add_cell(t, 2 + r, 2, 1, 1);
        snprintf(text, sizeof text, "%zu.00", 80 + r % 20);
        add_text(doc_cell_add_paragraph(c, &body), text, &body);
    }
}

static void test_table_repeats_header_and_keeps_spans(void **state)
{
    (void)state;
    doc_t doc = new_doc();
    add_table(doc_add_section(&doc), 60, 3, NULL);
    dlist_t list;
    dlist_init(&list);
    typeset_document(layout, &doc, &list);
    assert_true(list.page_count >= 3);
    for (size_t p = 0; p < list.page_count; p++) {
        /* the header rows on every page the table spans */
        assert_int_equal(count_text(&list.pages[p], "หัวตาราง"), 1);
        assert_int_equal(count_text(&list.pages[p], "ลำดับ"), 1);
    }
    /* No group of three rows is split: each page starts with a group's first row. */
    for (size_t p = 1; p < list.page_count; p++) {
        const dl_page_t *page = &list.pages[p];
        for (size_t i = 0; i < page->count; i++) {
            const dl_item_t *it = &page->items[i];
            if (it->kind != DL_TEXT || strncmp(it->u.text.text, "ข้อ e", strlen("ข้อ e")) != 0)
                continue;
            int first = atoi(it->u.text.text + strlen("ข้อ e"));
            assert_int_equal((first - 1) % 3, 0);
            break;
        }
    }
    /* The spanning header cell is as wide as its two columns: 0.5 of the frame plus the
     * auto column, so it ends at the frame's right edge. */
    const dl_page_t *page = &list.pages[0];
    double frame_right = page->width - 2 * CM, widest = 0;
    for (size_t i = 0; i < page->count; i++)
        if (page->items[i].kind == DL_RECT)
            widest = fmax(widest, page->items[i].u.rect.x + page->items[i].u.rect.width);
    assert_true(fabs(widest - frame_right) < 0.01);
    check_golden(&list, "table");
    dlist_free(&list);
    doc_free(&doc);
}

/* The height of a table of two columns: the first column's one long text in row 0, and
 * in each of rows 1 to 5 a shorter text of the second column's. */
static double two_text_table_height(doc_column_t first, doc_column_t second)
{
    doc_t doc = new_doc();
    doc_table_t *t = &doc_add_block(doc_add_section(&doc), DOC_TABLE)->u.table;
    t->column_count = 2;
    t->columns = calloc(2, sizeof *t->columns);
    t->columns[0] = first;
    t->columns[1] = second;
    t->border_width = 0.5;
    t->padding = 4;
    char longer[4096] = "";
    for (int i = 0; i < 8; i++)
        strcat(longer, "การประเมินคุณธรรมและความโปร่งใส ");
    add_text(doc_cell_add_paragraph(doc_table_add_cell(t, 0, 0, 1, 1), &body), longer, &body);
    add_text(doc_cell_add_paragraph(doc_table_add_cell(t, 0, 1, 1, 1), &body), "ก", &body);
    for (size_t r = 1; r <= 5; r++) {
        add_text(doc_cell_add_paragraph(doc_table_add_cell(t, r, 0, 1, 1), &body), "ข", &body);
        add_text(doc_cell_add_paragraph(doc_table_add_cell(t, r, 1, 1, 1), &body),
                 "ผู้รับบริการ ผู้มาติดต่อ และผู้มีส่วนได้ส่วนเสีย", &body);
    }
    dlist_t list;
    dlist_init(&list);
    typeset_document(layout, &doc, &list);
    if (list.page_count != 1) { /* more pages: not a contender */
        dlist_free(&list);
        doc_free(&doc);
        return 1e9;
    }
    double top = 0, bottom = 1e9;
    for (size_t i = 0; i < list.pages[0].count; i++) {
        const dl_item_t *it = &list.pages[0].items[i];
        if (it->kind != DL_RECT)
            continue;
        top = fmax(top, it->u.rect.y + it->u.rect.height);
        bottom = fmin(bottom, it->u.rect.y);
    }
    dlist_free(&list);
    doc_free(&doc);
    return top - bottom;
}

/* Auto columns whose texts wrap are balanced: the table is about as short as the best of
 * the fixed splits from 10 % to 90 % (the balancing estimates lines from the texts'
 * widths, so it may miss the best by a line, not by more). Widths in proportion to the
 * longest texts (what auto columns had before) give the first column nearly all the width
 * for its one row, and each of the five rows of the second column wraps. */
static void test_table_auto_columns_balanced(void **state)
{
    (void)state;
    const doc_column_t auto_column = {DOC_WIDTH_AUTO, 0};
    double balanced = two_text_table_height(auto_column, auto_column), best = 1e9;
    for (int percent = 10; percent <= 90; percent += 5)
        best = fmin(best,
                    two_text_table_height((doc_column_t){DOC_WIDTH_RELATIVE, percent / 100.0},
                                          (doc_column_t){DOC_WIDTH_RELATIVE, 1 - percent / 100.0}));
    print_message("balanced %.1f pt, best split %.1f pt\n", balanced, best);
    assert_true(balanced < best + 1.5 * 16 * 1.65); /* a line: 16 pt on a 1.65 em pitch */
}

/* A table of 16 auto columns by 300 rows whose texts wrap is balanced (each move tries
 * 1,200 width changes over 4,800 cells, so the search stops at its budget) and set over
 * several pages. */
static void test_table_many_auto_columns(void **state)
{
    (void)state;
    doc_t doc = new_doc();
    doc_table_t *t = &doc_add_block(doc_add_section(&doc), DOC_TABLE)->u.table;
    t->column_count = 16;
    t->columns = calloc(16, sizeof *t->columns);
    for (size_t c = 0; c < 16; c++)
        t->columns[c] = (doc_column_t){DOC_WIDTH_AUTO, 0};
    t->padding = 1;
    for (size_t r = 0; r < 300; r++)
        for (size_t c = 0; c < 16; c++)
            add_text(doc_cell_add_paragraph(doc_table_add_cell(t, r, c, 1, 1), &body),
                     (r + c) % 3 ? "ก ข" : "ก ข ค ง จ ฉ ช ซ ฌ ญ ฎ ฏ ฐ ฑ", &body);
    dlist_t list;
    dlist_init(&list);
    typeset_document(layout, &doc, &list);
    assert_true(list.page_count > 1);
    dlist_free(&list);
    doc_free(&doc);
}

static void test_table_row_taller_than_a_page(void **state)
{
    (void)state;
    char *tall = calloc(1, 40000);
    for (int i = 0; i < 300; i++)
        strcat(tall, "ข้อความยาวมากในแถวเดียว ");
    doc_t doc = new_doc();
    add_table(doc_add_section(&doc), 6, 1, tall);
    dlist_t list;
    dlist_init(&list);
    typeset_document(layout, &doc, &list);
    assert_true(list.page_count >= 3);
    /* The tall row is split over pages, each part inside the frame, header repeated. */
    for (size_t p = 0; p < list.page_count; p++) {
        const dl_page_t *page = &list.pages[p];
        assert_int_equal(count_text(page, "หัวตาราง"), 1);
        for (size_t i = 0; i < page->count; i++)
            if (page->items[i].kind == DL_TEXT) {
                const dl_text_t *t = &page->items[i].u.text;
                assert_true(t->y + t->y_min >= 2 * CM - 0.01);
            }
    }
    assert_int_equal(count_text(&list.pages[list.page_count - 1], "ข้อ e6"), 1);
    /* Its last part is as tall as its lines, not the rest of the page: the next row
     * follows on the same page, just below the last of its text. */
    const dl_page_t *last = &list.pages[list.page_count - 1];
    double tall_bottom = 1e9, next_top = -1e9;
    for (size_t i = 0; i < last->count; i++) {
        if (last->items[i].kind != DL_TEXT)
            continue;
        const dl_text_t *t = &last->items[i].u.text;
        if (t->text_len > 3 && memcmp(t->text, "ข", 3) == 0 && strstr(t->text, "ยาวมาก"))
            tall_bottom = fmin(tall_bottom, t->y);
        if (t->text_len == strlen("ข้อ e5") && memcmp(t->text, "ข้อ e5", t->text_len) == 0)
            next_top = t->y;
    }
    assert_true(tall_bottom < 1e9 && next_top > -1e9);
    assert_true(next_top < tall_bottom && tall_bottom - next_top < 3 * 16);
    check_golden(&list, "table-tall");
    dlist_free(&list);
    doc_free(&doc);
    free(tall);
}

/* ---- pitch, total fit, page breaks (issue 14) ---- */

/* Lines of one style sit on one pitch, the same in every paragraph whatever their marks,
 * and the ink of a line keeps 0.04 em from the line above. */
static void test_lines_on_one_pitch(void **state)
{
    (void)state;
    doc_t doc = new_doc();
    doc_section_t *s = doc_add_section(&doc);
    doc_style_t narrow = body;
    narrow.indent = 11 * CM; /* a measure of 5 cm: many lines */
    const char *texts[] = {"ปั้น ฝั่ง ฟื้น ปี๊บ ญู ฐู ฎีกา ปฏิบัติ กตัญญู ป่า ปี่ ก้ำ ฤๅ ขึ้น ตั้ง ปั้น",
                           "ทดสอบ ข้อความ ธรรมดา ไม่มี วรรณยุกต์ ซ้อน ในบรรทัด ใด เลย ครับ",
                           "ปั้น ญู ปั้น ญู ปั้น ญู ปั้น ญู ปั้น ญู ปั้น ญู ปั้น ญู ปั้น ญู"};
    for (size_t i = 0; i < 3; i++)
        add_text(&doc_add_block(s, DOC_PARAGRAPH)->u.paragraph, texts[i], &narrow);
    dlist_t list;
    dlist_init(&list);
    typeset_document(layout, &doc, &list);
    layout_paragraph_t lp = {.text = "", .size = 16, .line_spacing = 1.0};
    layout_box_t box = layout_line_box(layout, &lp);
    /* About 1.65 em on Sarabun (issue 14): the stacks need more than the font's 1.3 em. */
    assert_true(box.pitch > 1.6 * 16 && box.pitch < 1.7 * 16);
    const dl_page_t *page = &list.pages[0];
    size_t steps = 0;
    for (size_t i = 1; i < page->count; i++) {
        const dl_text_t *a = &page->items[i - 1].u.text, *b = &page->items[i].u.text;
        double d = a->y - b->y;
        if (d > box.pitch + 1)
            continue; /* the next paragraph (no space between them here) */
        assert_true(fabs(d - box.pitch) < 0.01);
        assert_true((a->y + a->y_min) - (b->y + b->y_max) >= 0.04 * 16 - 0.01);
        steps++;
    }
    print_message("%zu steps of %.2f pt\n", steps, box.pitch);
    assert_true(steps >= 8);
    dlist_free(&list);
    doc_free(&doc);
}

/* Total fit: the squared added space summed over a thai-distributed paragraph's lines (its
 * last free) is less than first fit's (the same breaker, align left) at the same measure. */
static void test_total_fit_evens_lines(void **state)
{
    (void)state;
    FILE *f = fopen("tests/data/bench-thai.txt", "rb");
    assert_non_null(f);
    static char text[65536];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    char *end = memchr(text, '\n', len);
    double total_fit = 0, first_fit = 0, widest_fit = 0, widest_first = 0;
    size_t paragraphs = 0;
    for (char *p = text; p < text + len && paragraphs < 12; p = end + 1, paragraphs++) {
        end = memchr(p, '\n', (size_t)(text + len - p));
        if (!end)
            end = text + len;
        for (int mode = 0; mode < 2; mode++) {
            layout_paragraph_t lp = {.text = p,
                                     .len = (size_t)(end - p),
                                     .size = 16,
                                     .line_spacing = 1.0,
                                     .align =
                                         mode ? LAYOUT_ALIGN_THAI_DISTRIBUTED : LAYOUT_ALIGN_LEFT};
            const layout_line_t *lines = NULL;
            double measure = 16 * CM;
            size_t n = layout_break(layout, &lp, measure, &lines);
            for (size_t i = 0; i + 1 < n; i++) {
                double added = (measure - lines[i].width) / 16;
                assert_true(added >= -1e-6);
                if (mode) {
                    assert_true(fabs(layout_added_space(&lp, &lines[i], measure) - added) < 1e-9);
                    total_fit += added * added;
                    widest_fit = fmax(widest_fit, added);
                } else {
                    first_fit += added * added;
                    widest_first = fmax(widest_first, added);
                }
            }
        }
    }
    print_message("squared added space: total fit %.2f, first fit %.2f em^2\n", total_fit,
                  first_fit);
    assert_true(total_fit < 0.95 * first_fit);
    assert_true(widest_fit <= widest_first + 1e-9);
}

/* Paragraph p's lines are "pP.L" (one per line at a narrow measure). Wherever the pages
 * break, a paragraph split over two pages has at least two lines on each; a heading is
 * followed on its page by two lines of the paragraph after it. */
static void test_no_lone_lines_at_page_breaks(void **state)
{
    (void)state;
    doc_t doc = new_doc();
    doc_section_t *s = doc_add_section(&doc);
    doc_style_t narrow = body;
    narrow.indent = 14 * CM;
    doc_style_t heading = narrow;
    heading.font = 1;
    heading.keep_with_next = true;
    size_t lengths[60];
    for (size_t p = 0; p < 60; p++) {
        lengths[p] = 1 + (p * 5) % 7;
        char buf[1024] = "";
        for (size_t l = 0; l < lengths[p]; l++) {
            char word[32];
            snprintf(word, sizeof word, "%sp%zu.%zu", l ? " " : "", p, l);
            strcat(buf, word);
        }
        if (p % 9 == 4)
            add_text(&doc_add_block(s, DOC_PARAGRAPH)->u.paragraph, "หัวข้อ", &heading);
        add_text(&doc_add_block(s, DOC_PARAGRAPH)->u.paragraph, buf, &narrow);
    }
    dlist_t list;
    dlist_init(&list);
    typeset_document(layout, &doc, &list);
    assert_true(list.page_count >= 3);
    size_t splits = 0;
    for (size_t pg = 0; pg + 1 < list.page_count; pg++) {
        const dl_page_t *a = &list.pages[pg], *b = &list.pages[pg + 1];
        const dl_text_t *last = &a->items[a->count - 1].u.text, *first = &b->items[0].u.text;
        size_t pa, la, pb, lb;
        assert_int_equal(sscanf(last->text, "p%zu.%zu", &pa, &la), 2);
        if (sscanf(first->text, "p%zu.%zu", &pb, &lb) != 2)
            continue;
        if (pa != pb)
            continue; /* the break falls between paragraphs */
        splits++;
        assert_true(la >= 1);               /* two lines or more at the bottom */
        assert_true(lengths[pa] - lb >= 2); /* two lines or more at the top */
    }
    assert_true(splits >= 1);
    /* Headings: never last on a page, and two lines of what follows on its page. */
    for (size_t pg = 0; pg < list.page_count; pg++) {
        const dl_page_t *page = &list.pages[pg];
        for (size_t i = 0; i < page->count; i++) {
            const dl_text_t *t = &page->items[i].u.text;
            if (t->text_len != strlen("หัวข้อ") || memcmp(t->text, "หัวข้อ", t->text_len) != 0)
                continue;
            assert_true(i + 1 < page->count);
            size_t p, l;
            assert_int_equal(sscanf(page->items[i + 1].u.text.text, "p%zu.%zu", &p, &l), 2);
            assert_true(lengths[p] == 1 || i + 2 < page->count);
        }
    }
    dlist_free(&list);
    doc_free(&doc);
}

/* A long table continues with its header, the sub-header of the rows it is in and the
 * merged cells' text marked "(ต่อ)"; no page holds one row alone; a table that fits on a
 * page is not split. */
static void test_table_continues_with_sub_header(void **state)
{
    (void)state;
    doc_t doc = new_doc();
    doc_section_t *s = doc_add_section(&doc);
    for (int i = 0; i < 12; i++)
        add_text(&doc_add_block(s, DOC_PARAGRAPH)->u.paragraph, "บรรทัด", &body);
    add_table(s, 8, 8, NULL); /* fits on a page, not in what is left of this one */
    add_table(s, 61, 61, NULL);
    doc_table_t *t = &s->blocks[s->block_count - 1].u.table;
    t->continued = strdup(" (ต่อ)");
    /* Its first body row is a sub-header of the others. */
    doc_cell_t *sub = NULL;
    for (size_t k = 0; k < t->cell_count; k++)
        if (t->cells[k].row == 2 && t->cells[k].col == 1)
            sub = &t->cells[k];
    assert_non_null(sub);
    doc_paragraph_free(&sub->paragraphs[0]);
    memset(&sub->paragraphs[0], 0, sizeof sub->paragraphs[0]);
    add_text(&sub->paragraphs[0], "ส่วนที่", &body);
    doc_table_set_sub_header(t, 2, t->row_count);
    dlist_t list;
    dlist_init(&list);
    typeset_document(layout, &doc, &list);
    /* The small table: all its rows on one page. */
    size_t small_page = SIZE_MAX, big_pages = 0;
    for (size_t pg = 0; pg < list.page_count; pg++)
        if (count_text(&list.pages[pg], "ข้อ e8") && count_text(&list.pages[pg], "ข้อ e1")) {
            if (small_page == SIZE_MAX)
                small_page = pg;
        }
    assert_true(small_page != SIZE_MAX);
    assert_int_equal(count_text(&list.pages[small_page], "80.00"), 1);
    for (size_t pg = small_page + 1; pg < list.page_count; pg++) {
        const dl_page_t *page = &list.pages[pg];
        if (!count_text(page, "หัวตาราง"))
            continue;
        big_pages++;
        size_t rows = 0;
        for (size_t i = 0; i < page->count; i++)
            rows += page->items[i].kind == DL_TEXT &&
                    strncmp(page->items[i].u.text.text, "ข้อ e", strlen("ข้อ e")) == 0;
        assert_true(rows >= 2);
        assert_int_equal(count_text(page, "ส่วนที่"), 1);
        if (big_pages > 1)
            assert_int_equal(count_text(page, "กลุ่ม 1 (ต่อ)"), 1);
        else
            assert_int_equal(count_text(page, "กลุ่ม 1"), 1);
    }
    assert_true(big_pages >= 2);
    dlist_free(&list);
    doc_free(&doc);
}

/* A row that does not fit on what is left of a page, with a quarter of a page or more
 * left, is split between its lines there instead of leaving the page half empty; the
 * part on the next page shows the row's first cell again, marked "(ต่อ)", and every
 * paragraph keeps two lines on either side. */
static void test_table_row_split_to_fill_the_page(void **state)
{
    (void)state;
    char *text = calloc(1, 8000);
    for (int i = 0; i < 40; i++)
        strcat(text, "ข้อความยาวในแถวเดียว ");
    doc_t doc = new_doc();
    doc_section_t *s = doc_add_section(&doc);
    for (int i = 0; i < 10; i++)
        add_text(&doc_add_block(s, DOC_PARAGRAPH)->u.paragraph, "บรรทัด", &body);
    add_table(s, 6, 1, text);
    doc_table_t *t = &s->blocks[s->block_count - 1].u.table;
    t->continued = strdup(" (ต่อ)");
    dlist_t list;
    dlist_init(&list);
    typeset_document(layout, &doc, &list);
    /* The long row (row 4, "กลุ่ม 4") starts on the page of the rows before it. */
    size_t starts = SIZE_MAX, pages_with_text = 0;
    for (size_t pg = 0; pg < list.page_count; pg++) {
        const dl_page_t *page = &list.pages[pg];
        size_t lines = 0;
        for (size_t i = 0; i < page->count; i++)
            lines += page->items[i].kind == DL_TEXT && strstr(page->items[i].u.text.text, "ยาวใน");
        if (lines == 0)
            continue;
        pages_with_text++;
        assert_true(lines >= 2);
        if (starts == SIZE_MAX) {
            starts = pg;
            assert_int_equal(count_text(page, "ข้อ e3"), 1);
            assert_int_equal(count_text(page, "กลุ่ม 4"), 1);
        } else {
            assert_int_equal(count_text(page, "กลุ่ม 4 (ต่อ)"), 1);
            assert_int_equal(count_text(page, "หัวตาราง"), 1);
            assert_int_equal(count_text(page, "ข้อ e5"), 1); /* the next row follows */
        }
    }
    assert_int_equal(pages_with_text, 2);
    dlist_free(&list);
    doc_free(&doc);
    free(text);
}

/* ---- report building: a small template and data into pages ---- */

static void test_report_from_template(void **state)
{
    (void)state;
    static const char *const names[] = {"title", "items[].name", "items[].score", NULL};
    const char *yaml =
        "styles:\n"
        "  body: {size: 16}\n"
        "  h1: {size: 20, bold: true, keep_with_next: true, outline: 1}\n"
        "footer: {text: \"หน้า {{page}} / {{pages}}\", style: body}\n"
        "sections:\n"
        "  - blocks:\n"
        "      - {paragraph: \"{{title}}\", style: h1}\n"
        "      - paragraph: \"คะแนน **{{items.0.score}}** ของ {{items.0.name}}\"\n"
        "      - table:\n"
        "          columns: [{width: auto}, {width: 3cm}]\n"
        "          border: 0.5pt\n"
        "          header: [[\"ชื่อ\", \"คะแนน\"]]\n"
        "          body: {each: items, as: i, cells: [{col: 0, text: \"{{i.name}}\"}, "
        "{col: 1, text: \"{{i.score|or:-}}\"}]}\n";
    tmpl_t *t =
        tmpl_load_buffer(test_dg, "unit.yaml", (const unsigned char *)yaml, strlen(yaml), names);
    assert_non_null(t);
    value_t *data = value_map();
    value_set(data, "title", value_text("รายงานทดสอบ"));
    value_t *items = value_set(data, "items", value_list());
    const char *item_names[] = {"ก", "ข", "ค"};
    for (int i = 0; i < 3; i++) {
        value_t *it = value_push(items, value_map());
        value_set(it, "name", value_text(item_names[i]));
        value_set(it, "score", i == 2 ? value_null() : value_number(8550 + i, 2));
    }
    doc_t doc;
    doc_init(&doc);
    assert_int_equal(report_build(test_dg, t, data, true, &doc), 0);
    assert_string_equal(captured, "");
    dlist_t list;
    dlist_init(&list);
    typeset_document(layout, &doc, &list);
    assert_int_equal(list.page_count, 1);
    assert_int_equal(list.outline_count, 1);
    const dl_page_t *page = &list.pages[0];
    assert_int_equal(count_text(page, "รายงานทดสอบ"), 1);
    assert_int_equal(count_text(page, "๘๕.๕๑"), 1); /* Thai digits, from the data */
    assert_int_equal(count_text(page, "-"), 1);     /* or: for the null score */
    assert_int_equal(count_text(page, "หน้า ๑ / ๑"), 1);
    check_golden(&list, "report");
    dlist_free(&list);
    doc_free(&doc);
    value_free(data);
    tmpl_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_break_fits_the_measure),
        cmocka_unit_test(test_flow_breaks_pages_between_lines),
        cmocka_unit_test(test_heading_keeps_with_next),
        cmocka_unit_test(test_table_repeats_header_and_keeps_spans),
        cmocka_unit_test(test_table_row_taller_than_a_page),
        cmocka_unit_test(test_table_row_split_to_fill_the_page),
        cmocka_unit_test(test_table_auto_columns_balanced),
        cmocka_unit_test(test_table_many_auto_columns),
        cmocka_unit_test(test_report_from_template),
        cmocka_unit_test(test_lines_on_one_pitch),
        cmocka_unit_test(test_total_fit_evens_lines),
        cmocka_unit_test(test_no_lone_lines_at_page_breaks),
        cmocka_unit_test(test_table_continues_with_sub_header),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
