/* Unit tests for csvin: quoting, byte-order mark, separators, header checks with positions,
 * rows as documents with every value at its cell, and safe output names (batch). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "joblist.h"
#include "csvin.h"
#include "diag_capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static csvin_table_t *parse(const char *text)
{
    return csvin_parse_buffer(test_dg, "t.csv", (const unsigned char *)text, strlen(text));
}

static void test_quoting_and_positions(void **state)
{
    (void)state;
    capture_start();
    csvin_table_t *t = parse("\xEF\xBB\xBFname,province,i1\r\n"
                             "\"อบต.ก, \"\"ข\"\"\",อุดรธานี,84.5\r\n"
                             "\r\n"
                             "\"สอง\nบรรทัด\",จ,\n");
    assert_non_null(t);
    assert_int_equal(t->count, 2);
    assert_string_equal(t->rows[0].cells[0].text, "อบต.ก, \"ข\"");
    assert_int_equal(t->rows[0].line, 2);
    /* Columns count characters: the Thai cell before is 13 characters plus quotes. */
    assert_int_equal(t->rows[0].cells[1].column, 16);
    assert_string_equal(t->rows[1].cells[0].text, "สอง\nบรรทัด");
    assert_int_equal(t->rows[1].line, 4);
    assert_int_equal(t->rows[1].cells[1].line, 5);
    assert_string_equal(csvin_row_get(t, 0, "province"), "อุดรธานี");
    assert_null(csvin_row_get(t, 1, "i1"));
    csvin_free(t);
    assert_string_equal(captured, "");
}

static void test_separators(void **state)
{
    (void)state;
    csvin_table_t *t = parse("name;province\nก;ข\n");
    assert_non_null(t);
    assert_string_equal(t->rows[0].cells[1].text, "ข");
    csvin_free(t);
    t = parse("name\tprovince\nก\tข\n");
    assert_non_null(t);
    assert_string_equal(t->rows[0].cells[1].text, "ข");
    csvin_free(t);
}

static void test_header_errors(void **state)
{
    (void)state;
    capture_start();
    assert_null(parse("name,จังหวัด,name\nx,y,z\n"));
    assert_string_equal(captured,
                        "t.csv:1:6: error: unknown column 'จังหวัด' (see \"CSV columns\" in "
                        "docs/input-format.md)\n"
                        "t.csv:1:14: error: column 'name' is given twice (first in column 1)\n");
    capture_start();
    assert_null(parse("name,\"i1\nx,1\n"));
    assert_string_equal(captured, "t.csv:1:6: error: this quoted cell is never closed\n");
    capture_start();
    assert_null(parse("name\nx,y\n"));
    assert_string_equal(captured,
                        "t.csv:2:3: error: this row has 2 cells, the header names 1 columns\n");
    /* A question whole beside a part of it (fuzz_csv: the document had e1 twice). */
    capture_start();
    assert_null(parse("e1,e1_2\n1,2\n"));
    assert_string_equal(captured, "t.csv:1:4: error: column 'e1_2' gives what column 'e1' "
                                  "(column 1) gives: keep one of them\n");
    capture_start();
    assert_null(parse(""));
    assert_non_null(strstr(captured, "the CSV file is empty"));
}

/* A row as a document: every value at its cell, told by its column's header; the structure
 * at the row's start; and the YAML text it gives (embedded in the report). */
static void test_row_to_doc(void **state)
{
    (void)state;
    csvin_table_t *t =
        parse("framework,fiscal_year,name,district,i1,e1_2,e1_1,indicator_8,"
              "eit_part1,overall,overall_2565,iit_2565\n"
              "ita-2566,2566,\"อบต.\"\"ก\"\"\",เมือง,84.5,2,1,77.59,75.54,84.1,80,81\n");
    assert_non_null(t);
    yamldoc_t *doc = csvin_row_to_doc(t, 0);
    size_t size = 0;
    char *yaml = yamldoc_emit(doc, &size);
    assert_string_equal(yaml, "framework: \"ita-2566\"\n"
                              "fiscal_year: 2566\n"
                              "agency:\n"
                              "  name: \"อบต.\\\"ก\\\"\"\n"
                              "  district: \"เมือง\"\n"
                              "scores:\n"
                              "  questions:\n"
                              "    i1: 84.5\n"
                              "    e1:\n"
                              "    - 1\n"
                              "    - 2\n"
                              "  indicators:\n"
                              "    8: 77.59\n"
                              "  tools:\n"
                              "    eit_part1: 75.54\n"
                              "  overall: 84.1\n"
                              "history:\n"
                              "- fiscal_year: 2565\n"
                              "  overall: 80\n"
                              "  iit: 81\n");
    assert_int_equal(size, strlen(yaml));
    const yamldoc_node_t *scores = yamldoc_get(doc->root, "scores");
    const yamldoc_node_t *e1 = yamldoc_get(yamldoc_get(scores, "questions"), "e1");
    /* The list comes from the question's first column (e1_2, column 38), each part from
     * its own cell. */
    assert_int_equal(e1->pos.line, 2);
    assert_int_equal(e1->pos.column, 38);
    assert_string_equal(e1->pos.column_name, "e1_2");
    assert_int_equal(e1->items[0]->pos.column, 40); /* part 1: the e1_1 cell */
    assert_string_equal(e1->items[0]->pos.column_name, "e1_1");
    assert_string_equal(e1->items[0]->path, "scores.questions.e1[0]");
    assert_string_equal(e1->items[0]->pos.file, "t.csv");
    assert_int_equal(scores->pos.column, 1); /* structure: the row's start */
    assert_null(scores->pos.column_name);
    const yamldoc_node_t *name = yamldoc_get(yamldoc_get(doc->root, "agency"), "name");
    assert_string_equal(name->text, "อบต.\"ก\"");
    assert_false(name->plain);
    /* The text parses back to the same values. */
    yamldoc_t *back =
        yamldoc_parse_buffer(test_dg, "back.yaml", (const unsigned char *)yaml, size, NULL);
    assert_non_null(back);
    const yamldoc_node_t *again =
        yamldoc_get(yamldoc_get(yamldoc_get(back->root, "scores"), "questions"), "e1");
    assert_string_equal(again->items[1]->text, "2");
    yamldoc_free(back);
    free(yaml);
    yamldoc_free(doc);
    csvin_free(t);
}

/* A cell is never read as YAML: texts stay texts, a number's cell stays what it says (",5"
 * made YAML text fail to parse: "found character that cannot start any token"). */
static void test_cells_are_not_yaml(void **state)
{
    (void)state;
    csvin_table_t *t = parse("i1,name,i2,i3\nabc,\"x: [y]\",\",5\",- \n");
    yamldoc_t *doc = csvin_row_to_doc(t, 0);
    const yamldoc_node_t *questions = yamldoc_get(yamldoc_get(doc->root, "scores"), "questions");
    assert_string_equal(yamldoc_get(yamldoc_get(doc->root, "agency"), "name")->text, "x: [y]");
    assert_string_equal(yamldoc_get(questions, "i1")->text, "abc");
    assert_true(yamldoc_get(questions, "i1")->plain); /* a number's column: "not a number" */
    assert_string_equal(yamldoc_get(questions, "i2")->text, ",5");
    assert_null(yamldoc_get(questions, "i3")); /* "-": not given */
    size_t size = 0;
    char *yaml = yamldoc_emit(doc, &size);
    assert_non_null(strstr(yaml, "  name: \"x: [y]\"\n"));
    yamldoc_t *back =
        yamldoc_parse_buffer(test_dg, "back.yaml", (const unsigned char *)yaml, size, NULL);
    assert_non_null(back); /* quoted where YAML needs it */
    yamldoc_free(back);
    free(yaml);
    yamldoc_free(doc);
    csvin_free(t);
}

static void test_safe_names(void **state)
{
    (void)state;
    char *s = joblist_safe_name("อบต.ทด/สอบ: ชื่อ*แปลก");
    assert_string_equal(s, "อบต.ทด-สอบ- ชื่อ-แปลก");
    free(s);
    s = joblist_safe_name("../..//x\n");
    assert_string_equal(s, "x"); /* control characters are dropped */
    free(s);
    assert_null(joblist_safe_name(" .. "));
    char long_name[400] = "";
    for (int i = 0; i < 60; i++)
        strcat(long_name, "กข");
    s = joblist_safe_name(long_name);
    assert_true(strlen(s) <= 180 && strlen(s) % 3 == 0);
    free(s);
}

/* Names safe on Windows: bidi controls and invisible characters dropped (a name that reads
 * backwards, or looks like another), device names avoided, no trailing dot or space. */
static void test_windows_names(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"abc\xE2\x80\xAE"
         "fdp.exe",
         "abcfdp.exe"}, /* U+202E RLO */
        {"a\xE2\x80\x8B"
         "b\xE2\x81\xA6"
         "c\xEF\xBB\xBF",
         "abc"},                                      /* ZWSP, LRI, BOM */
        {"soft\xC2\xADhyphen\xC2\x85", "softhyphen"}, /* U+00AD, C1 NEL */
        {"CON", "CON_"},
        {"con", "con_"},
        {"nul.x", "nul_.x"},
        {"COM1", "COM1_"},
        {"lpt9.txt", "lpt9_.txt"},
        {"COM\xC2\xB9", "COM\xC2\xB9_"},
        {"COM10", "COM10"},
        {"CONSOLE", "CONSOLE"},
        {"trailing. . .", "trailing"},
        {"อบต.ดอน", "อบต.ดอน"},
        /* Bytes that are not UTF-8 become '_': kept, they made a ZWSP (E2 80 8B) once the
         * control character between them was dropped (fuzz_names). */
        {"zero\xE2\x1E\x80\x8Bx", "zero___x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = joblist_safe_name(cases[i][0]);
        assert_non_null(s);
        assert_string_equal(s, cases[i][1]);
        free(s);
    }
    assert_null(joblist_safe_name("\xE2\x80\x8B\xE2\x80\x8C"));
}

/* 40,000 rows of one name: every job named ("-2" ... "-40000"), with a number of table
 * look-ups linear in the rows (the old search tried every suffix again: 800 million). */
static void test_equal_names_linear(void **state)
{
    (void)state;
    enum { N = 40000 };
    char dir[] = "/tmp/test_csvin_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/same.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("framework,fiscal_year,name,type,district,province\n", f);
    for (int i = 0; i < N; i++)
        fputs(i == 5 ? "ita-2566,2566,same-2,อบต.,a,b\n" : "ita-2566,2566,Same,อบต.,a,b\n", f);
    fclose(f);
    capture_start();
    const char *inputs[] = {path};
    joblist_t *l = joblist_build(test_dg, inputs, 1);
    unlink(path);
    rmdir(dir);
    assert_int_equal(l->count, N);
    assert_string_equal(l->jobs[0].stem, "Same");
    assert_string_equal(l->jobs[1].stem, "Same-2");
    assert_string_equal(l->jobs[5].stem, "same-2-2"); /* "Same-2" taken, folded */
    assert_string_equal(l->jobs[6].stem, "Same-6");
    assert_string_equal(l->jobs[N - 1].stem, "Same-39999"); /* one row is same-2 */
    assert_true(l->name_lookups <= 4 * (size_t)N);
    joblist_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting_and_positions), cmocka_unit_test(test_separators),
        cmocka_unit_test(test_header_errors),         cmocka_unit_test(test_row_to_doc),
        cmocka_unit_test(test_cells_are_not_yaml),    cmocka_unit_test(test_safe_names),
        cmocka_unit_test(test_windows_names),         cmocka_unit_test(test_equal_names_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
