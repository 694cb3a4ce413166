/* Unit tests for brk: the hand-written hard cases of tests/data/breaks.txt (every '|' point
 * allowed, every '#' point forbidden; the file's header describes the format), grapheme
 * starts, and names. The data file is $ITAREPORT_TESTDATA/breaks.txt, or
 * tests/data/breaks.txt relative to the working directory (tests/run.sh runs from the
 * repository root). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "diag.h"
#include "brk.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages go to standard error. */
static diag_t *test_dg;

enum { MAX_NAMES = 16 };

/* What a case expects at byte offset i of its text. */
enum expect { EXPECT_ANY, EXPECT_ALLOWED, EXPECT_FORBIDDEN, EXPECT_DISCOURAGED };

typedef struct test_case {
    int line;   /* in the data file */
    char *text; /* the case without marks, escapes decoded */
    size_t len;
    unsigned char *expect; /* len + 1 entries of enum expect */
} test_case_t;

typedef struct case_file {
    char *path;
    test_case_t *cases;
    size_t count;
    char *names_buf[64]; /* every @names line's copy, freed at the end */
    size_t names_buf_count;
    const char *names[64][MAX_NAMES]; /* names in force for cases[k]: names[names_of[k]] */
    size_t name_count[64];
    size_t *names_of;
} case_file_t;

static brk_t *the_brk;

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses one case line into text and expectations; returns 0 on a malformed line. */
static int parse_case(const char *line, size_t n, test_case_t *c)
{
    c->text = malloc(n * 4 + 1);
    c->expect = calloc(n * 4 + 1, 1);
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        char ch = line[i];
        if (ch == '|' || ch == '#' || ch == '~') {
            if (c->expect[out] != EXPECT_ANY)
                return 0; /* two marks at one point */
            c->expect[out] = ch == '|'   ? EXPECT_ALLOWED
                             : ch == '#' ? EXPECT_FORBIDDEN
                                         : EXPECT_DISCOURAGED;
            i++;
            continue;
        }
        if (ch == '\\' && i + 1 < n && line[i + 1] == 'u') {
            if (i + 6 > n)
                return 0;
            uint32_t cp = 0;
            for (size_t k = i + 2; k < i + 6; k++) {
                int v = hex_value(line[k]);
                if (v < 0)
                    return 0;
                cp = cp * 16 + (uint32_t)v;
            }
            out += utf8_encode(cp, c->text + out);
            i += 6;
            continue;
        }
        if (ch == '\\') {
            if (i + 1 >= n)
                return 0;
            c->text[out++] = line[i + 1];
            i += 2;
            continue;
        }
        c->text[out++] = ch;
        i++;
    }
    c->text[out] = '\0';
    c->len = out;
    return 1;
}

static const char *data_path(char *buf, size_t size)
{
    const char *dir = getenv("ITAREPORT_TESTDATA");
    if (dir && *dir)
        snprintf(buf, size, "%s/breaks.txt", dir);
    else
        snprintf(buf, size, "tests/data/breaks.txt");
    return buf;
}

static void load_cases(case_file_t *f)
{
    char path[4096];
    memset(f, 0, sizeof *f);
    f->path = strdup(data_path(path, sizeof path));
    FILE *in = fopen(f->path, "r");
    if (!in)
        fail_msg("cannot open %s (set ITAREPORT_TESTDATA or run from the repository root)",
                 f->path);
    char *line = NULL;
    size_t cap = 0, capacity = 0;
    ssize_t got;
    int lineno = 0;
    size_t current = 0; /* names set in force; set 0 is empty */
    f->names_buf_count = 0;
    f->name_count[0] = 0;
    size_t sets = 1;
    while ((got = getline(&line, &cap, in)) >= 0) {
        lineno++;
        size_t n = (size_t)got;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        line[n] = '\0';
        if (n == 0 || line[0] == ';')
            continue;
        if (strncmp(line, "@names", 6) == 0) {
            if (sets == 64)
                fail_msg("%s:%d: too many @names lines", f->path, lineno);
            char *copy = strdup(line + 6);
            f->names_buf[f->names_buf_count++] = copy;
            size_t count = 0;
            for (char *save = NULL, *tok = strtok_r(copy, " \t", &save); tok;
                 tok = strtok_r(NULL, " \t", &save)) {
                if (count == MAX_NAMES)
                    fail_msg("%s:%d: more than %d names", f->path, lineno, MAX_NAMES);
                f->names[sets][count++] = tok;
            }
            f->name_count[sets] = count;
            current = sets++;
            continue;
        }
        if (f->count == capacity) {
            capacity = capacity ? capacity * 2 : 64;
            f->cases = realloc(f->cases, capacity * sizeof *f->cases);
            f->names_of = realloc(f->names_of, capacity * sizeof *f->names_of);
        }
        test_case_t *c = &f->cases[f->count];
        memset(c, 0, sizeof *c);
        c->line = lineno;
        if (!parse_case(line, n, c))
            fail_msg("%s:%d: malformed case: %s", f->path, lineno, line);
        if (utf8_validate(c->text, c->len) != c->len)
            fail_msg("%s:%d: not valid UTF-8", f->path, lineno);
        f->names_of[f->count++] = current;
    }
    free(line);
    fclose(in);
}

static void free_cases(case_file_t *f)
{
    for (size_t k = 0; k < f->count; k++) {
        free(f->cases[k].text);
        free(f->cases[k].expect);
    }
    for (size_t k = 0; k < f->names_buf_count; k++)
        free(f->names_buf[k]);
    free(f->cases);
    free(f->names_of);
    free(f->path);
}

/* Prints a case with the point at byte i shown as mark. */
static void print_point(const test_case_t *c, size_t i, const char *mark)
{
    fprintf(stderr, "%.*s%s%s", (int)i, c->text, mark, c->text + i);
}

static int check_case(const case_file_t *f, size_t k)
{
    const test_case_t *c = &f->cases[k];
    unsigned char *flags = malloc(c->len + 1);
    size_t set = f->names_of[k];
    brk_find(the_brk, c->text, c->len, f->names[set], f->name_count[set], flags);
    int failures = 0;
    for (size_t i = 0; i <= c->len; i++) {
        int allowed = (flags[i] & BRK_ALLOWED) != 0;
        if (c->expect[i] == EXPECT_FORBIDDEN && allowed) {
            fprintf(stderr, "%s:%d: break allowed at a forbidden point: ", f->path, c->line);
            print_point(c, i, " >|< ");
            fputc('\n', stderr);
            failures++;
        } else if (c->expect[i] == EXPECT_ALLOWED && !allowed) {
            fprintf(stderr, "%s:%d: no break at a required point: ", f->path, c->line);
            print_point(c, i, " >|< ");
            fputc('\n', stderr);
            failures++;
        } else if (c->expect[i] == EXPECT_ALLOWED && (flags[i] & BRK_DISCOURAGED)) {
            fprintf(stderr, "%s:%d: a discouraged break at a plain one: ", f->path, c->line);
            print_point(c, i, " >|< ");
            fputc('\n', stderr);
            failures++;
        } else if (c->expect[i] == EXPECT_DISCOURAGED &&
                   (flags[i] & (BRK_ALLOWED | BRK_DISCOURAGED)) !=
                       (BRK_ALLOWED | BRK_DISCOURAGED)) {
            fprintf(stderr, "%s:%d: not a discouraged break: ", f->path, c->line);
            print_point(c, i, " >~< ");
            fputc('\n', stderr);
            failures++;
        }
    }
    free(flags);
    return failures;
}

static void test_hard_cases(void **state)
{
    (void)state;
    case_file_t f;
    load_cases(&f);
    size_t allowed = 0, forbidden = 0, failing = 0;
    for (size_t k = 0; k < f.count; k++) {
        for (size_t i = 0; i <= f.cases[k].len; i++) {
            allowed += f.cases[k].expect[i] == EXPECT_ALLOWED;
            forbidden += f.cases[k].expect[i] == EXPECT_FORBIDDEN;
        }
        failing += check_case(&f, k) != 0;
    }
    fprintf(stderr, "breaks.txt: %zu cases, %zu allowed and %zu forbidden points, %zu failing\n",
            f.count, allowed, forbidden, failing);
    size_t count = f.count;
    free_cases(&f);
    assert_true(count >= 80);
    assert_int_equal(failing, 0);
}

/* Byte offsets in text where BRK_GRAPHEME is set, as a string of '^' and '.' per byte
 * that starts a code point. */
static void grapheme_pattern(const char *text, char *out)
{
    size_t len = strlen(text);
    unsigned char flags[256];
    assert_true(len < sizeof flags);
    brk_find(the_brk, text, len, NULL, 0, flags);
    size_t o = 0;
    for (size_t pos = 0; pos < len;) {
        out[o++] = (flags[pos] & BRK_GRAPHEME) ? '^' : '.';
        utf8_decode(text, len, &pos);
    }
    out[o] = '\0';
    assert_true(flags[len] & BRK_GRAPHEME);
    assert_false(flags[0] & BRK_ALLOWED);
    assert_false(flags[len] & BRK_ALLOWED);
}

static void test_grapheme_starts(void **state)
{
    (void)state;
    char p[256];
    grapheme_pattern("ก้ำ", p); /* base, MAI THO, SARA AM */
    assert_string_equal(p, "^..");
    grapheme_pattern("น้ำใจ", p); /* ... and SARA AI MAIMALAI joins JO JAN */
    assert_string_equal(p, "^..^.");
    grapheme_pattern("ศักดิ์", p);
    assert_string_equal(p, "^.^^..");
    grapheme_pattern("ฤๅษี", p);
    assert_string_equal(p, "^.^.");
    grapheme_pattern("การ", p); /* SARA AA is a letter of its own */
    assert_string_equal(p, "^^^");
    /* A leading vowel is one cluster with the letter it is written before. */
    grapheme_pattern("เรื่อง", p);
    assert_string_equal(p, "^...^^");
    grapheme_pattern("ไม่ แผน", p);
    assert_string_equal(p, "^..^^.^");
    grapheme_pattern("cafe\xcc\x81 e", p); /* e + COMBINING ACUTE */
    assert_string_equal(p, "^^^^.^^");
    grapheme_pattern("a\xe2\x80\x8b"
                     "b",
                     p); /* ZERO WIDTH SPACE */
    assert_string_equal(p, "^^^");
    /* No emergency break that a rule forbids: next to brackets, hyphens, inside numbers,
     * ฯลฯ, or at the spaces before ฯลฯ. */
    grapheme_pattern("(ดี)", p);
    assert_string_equal(p, "^...");
    grapheme_pattern("E-Service", p);
    assert_string_equal(p, "^..^^^^^^");
    grapheme_pattern("84.14", p);
    assert_string_equal(p, "^^..^");
    grapheme_pattern("ก ฯลฯ", p);
    assert_string_equal(p, "^....");
    grapheme_pattern("x", p);
    assert_string_equal(p, "^");
}

static void test_is_extending(void **state)
{
    (void)state;
    assert_true(brk_is_extending(0x0E31));  /* MAI HAN-AKAT */
    assert_true(brk_is_extending(0x0E33));  /* SARA AM */
    assert_true(brk_is_extending(0x0E38));  /* SARA U */
    assert_true(brk_is_extending(0x0E48));  /* MAI EK */
    assert_true(brk_is_extending(0x0E4C));  /* THANTHAKHAT */
    assert_true(brk_is_extending(0x0E45));  /* LAKKHANGYAO */
    assert_true(brk_is_extending(0x0301));  /* COMBINING ACUTE */
    assert_false(brk_is_extending(0x0E01)); /* KO KAI */
    assert_false(brk_is_extending(0x0E32)); /* SARA AA */
    assert_false(brk_is_extending(0x0E40)); /* SARA E */
    assert_false(brk_is_extending(0x0E46)); /* MAIYAMOK */
    assert_false(brk_is_extending(' '));
}

static void test_empty_and_names(void **state)
{
    (void)state;
    unsigned char flags[64];
    brk_find(the_brk, "", 0, NULL, 0, flags);
    assert_int_equal(flags[0], BRK_GRAPHEME);
    /* Names absent from the text change nothing; empty or NULL names are ignored. */
    const char *text = "ITA 2566";
    unsigned char with[16], without[16];
    const char *names[] = {"เสอเพลอ", "", NULL};
    brk_find(the_brk, text, strlen(text), NULL, 0, without);
    brk_find(the_brk, text, strlen(text), names, 3, with);
    assert_memory_equal(with, without, strlen(text) + 1);
    assert_true(with[4] & BRK_ALLOWED);
    /* A name covering the whole text leaves no break inside it. */
    const char *whole[] = {"ITA 2566"};
    brk_find(the_brk, text, strlen(text), whole, 1, flags);
    for (size_t i = 0; i <= strlen(text); i++)
        assert_false(flags[i] & BRK_ALLOWED);
}

/* Whether any break is allowed strictly inside [from, to) of flags. */
static int broken_inside(const unsigned char *flags, size_t from, size_t to)
{
    for (size_t i = from + 1; i < to; i++)
        if (flags[i] & BRK_ALLOWED)
            return 1;
    return 0;
}

/* Every word of dict/words.txt stays whole, alone and in a sentence of the report. */
static void test_project_words(void **state)
{
    (void)state;
    FILE *f = fopen("dict/words.txt", "r");
    assert_non_null(f);
    char line[512], text[1024];
    size_t words = 0, cut = 0;
    const char *before = "ผลการประเมินตาม", *after = "ของหน่วยงานควรปรับปรุง";
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        words++;
        size_t len = strlen(line);
        unsigned char flags[1024];
        brk_find(the_brk, line, len, NULL, 0, flags);
        int whole = !broken_inside(flags, 0, len);
        snprintf(text, sizeof text, "%s%s%s", before, line, after);
        brk_find(the_brk, text, strlen(text), NULL, 0, flags);
        whole = whole && !broken_inside(flags, strlen(before), strlen(before) + len);
        if (!whole) {
            fprintf(stderr, "dict/words.txt: '%s' is cut\n", line);
            cut++;
        }
    }
    fclose(f);
    fprintf(stderr, "dict/words.txt: %zu words, %zu cut\n", words, cut);
    assert_true(words >= 9);
    assert_int_equal(cut, 0);
}

/* The last opportunity is marked when fewer than two words and eight characters follow. */
static void test_last_line(void **state)
{
    (void)state;
    unsigned char flags[256];
    /* "...ได้ดี": the last word ดี (2 characters) after a plain opportunity. */
    const char *text = "หน่วยงานดำเนินการได้ดี";
    size_t len = strlen(text), last = strlen("หน่วยงานดำเนินการได้");
    brk_find(the_brk, text, len, NULL, 0, flags);
    assert_true(flags[last] & BRK_ALLOWED);
    assert_true(flags[last] & BRK_LAST_LINE);
    for (size_t i = 0; i < last; i++)
        assert_false(flags[i] & BRK_LAST_LINE);
    /* Eight characters or more after it: nothing marked. */
    const char *long_tail = "ผลการประเมิน ประชาสัมพันธ์";
    brk_find(the_brk, long_tail, strlen(long_tail), NULL, 0, flags);
    for (size_t i = 0; i <= strlen(long_tail); i++)
        assert_false(flags[i] & BRK_LAST_LINE);
    /* One word: no opportunity, nothing marked. */
    brk_find(the_brk, "ดี", strlen("ดี"), NULL, 0, flags);
    assert_false(flags[0] & (BRK_ALLOWED | BRK_LAST_LINE));
}

/* brk_find with names gives what brk_find without them and brk_finish give; the names
 * trie follows a change of names. */
static void test_finish_and_names(void **state)
{
    (void)state;
    const char *text = "องค์การบริหารส่วนตำบลเสอเพลออำเภอกุมภวาปีจังหวัดอุดรธานี ได้ดี";
    size_t len = strlen(text);
    const char *names[] = {"เสอเพลอ", "กุมภวาปี", "อุดรธานี"};
    unsigned char once[256], twice[256];
    brk_find(the_brk, text, len, names, 3, once);
    brk_find(the_brk, text, len, NULL, 0, twice);
    brk_finish(the_brk, text, len, names, 3, twice);
    assert_memory_equal(once, twice, len + 1);
    const char *at = strstr(text, "เสอเพลอ");
    size_t from = (size_t)(at - text);
    assert_false(broken_inside(once, from, from + strlen("เสอเพลอ")));
    /* After ตำบล, the name's start is a last resort only. */
    assert_int_equal(once[from] & (BRK_ALLOWED | BRK_DISCOURAGED), BRK_ALLOWED | BRK_DISCOURAGED);
    /* Other names: เสอเพลอ is no longer protected; the new one is. */
    const char *other[] = {"เพลออำเภอ"};
    brk_find(the_brk, text, len, other, 1, twice);
    at = strstr(text, "เพลออำเภอ");
    from = (size_t)(at - text);
    assert_false(broken_inside(twice, from, from + strlen("เพลออำเภอ")));
    brk_find(the_brk, text, len, NULL, 0, twice);
    brk_finish(the_brk, text, len, NULL, 0, twice);
    unsigned char plain[256];
    brk_find(the_brk, text, len, NULL, 0, plain);
    assert_memory_equal(plain, twice, len + 1);
}

static int setup(void **state)
{
    (void)state;
    the_brk = brk_new(test_dg);
    return the_brk ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    brk_free(the_brk);
    return 0;
}

int main(void)
{
    test_dg = diag_new(NULL, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hard_cases),       cmocka_unit_test(test_grapheme_starts),
        cmocka_unit_test(test_is_extending),     cmocka_unit_test(test_empty_and_names),
        cmocka_unit_test(test_project_words),    cmocka_unit_test(test_last_line),
        cmocka_unit_test(test_finish_and_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
