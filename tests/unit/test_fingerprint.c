/* Unit tests for fingerprint: the same bytes give the same digits, a file is hashed through
 * the cache while unchanged and again once it is rewritten, a missing file is reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "diag_capture.h"
#include "filebuf.h"
#include "fingerprint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The fingerprint of the bytes "x" and of the file, through cache. */
static int of_file(fingerprint_cache_t *cache, const char *path, char out[FINGERPRINT_HEX])
{
    fingerprint_t *f = fingerprint_new();
    fingerprint_add(f, "x", 1);
    int rc = fingerprint_add_file(test_dg, f, cache, path);
    fingerprint_finish(f, out);
    return rc;
}

/* Rewrites the file with text: cache must then give the new bytes' fingerprint (what a new
 * cache gives), not before's. */
static void expect_rewritten(fingerprint_cache_t *cache, const char *path, const char *text,
                             const char *before)
{
    char after[FINGERPRINT_HEX], fresh[FINGERPRINT_HEX];
    write_file(path, text);
    assert_int_equal(of_file(cache, path, after), 0);
    assert_string_not_equal(before, after);
    fingerprint_cache_t *other = fingerprint_cache_new();
    assert_int_equal(of_file(other, path, fresh), 0);
    assert_string_equal(after, fresh);
    fingerprint_cache_free(other);
}

/* A new folder under /tmp (dir, at least 32 bytes) holding name with text, its path in path
 * (64 bytes); capturing starts. */
static void make_file(char *dir, char *path, const char *name, const char *text)
{
    strcpy(dir, "/tmp/test_fingerprint_XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, 64, "%s/%s", dir, name);
    write_file(path, text);
    capture_start();
}

static void test_file_through_cache(void **state)
{
    (void)state;
    char dir[32], path[64];
    make_file(dir, path, "wording.yaml", "a: 1\n");
    fingerprint_cache_t *cache = fingerprint_cache_new();
    char first[FINGERPRINT_HEX], again[FINGERPRINT_HEX];
    assert_int_equal(of_file(cache, path, first), 0);
    assert_int_equal(of_file(cache, path, again), 0);
    assert_string_equal(first, again);
    assert_int_equal(strlen(first), 32);

    /* Rewritten: the same cache hashes the new bytes, as a new cache does. */
    expect_rewritten(cache, path, "a: 22\n", first);

    /* Gone: reported, -1, also after it was cached. */
    remove(path);
    assert_int_equal(of_file(cache, path, again), -1);
    assert_non_null(strstr(captured, "cannot open"));
    fingerprint_cache_free(cache);
    rmdir(dir);
}

/* Bytes noted as a file's (a font the renderer holds) count as its contents while the file
 * is unchanged: the same fingerprint as reading it, without reading; once the file
 * changes, it is read. */
static void test_noted_bytes(void **state)
{
    (void)state;
    char dir[32], path[64];
    make_file(dir, path, "font.ttf", "font bytes");
    char read[FINGERPRINT_HEX], noted[FINGERPRINT_HEX], stale[FINGERPRINT_HEX];
    fingerprint_cache_t *reader = fingerprint_cache_new();
    assert_int_equal(of_file(reader, path, read), 0);
    fingerprint_cache_free(reader);

    filebuf_stamp_t stamp;
    assert_int_equal(filebuf_stamp(path, &stamp), 0);
    fingerprint_cache_t *cache = fingerprint_cache_new();
    fingerprint_cache_note(cache, path, &stamp, "font bytes", 10);
    assert_int_equal(of_file(cache, path, noted), 0);
    assert_string_equal(read, noted);
    /* Not read: other bytes noted for the same stamp are what counts. */
    fingerprint_cache_note(cache, path, &stamp, "other", 5);
    assert_int_equal(of_file(cache, path, stale), 0);
    assert_string_not_equal(read, stale);
    /* Changed on disk: read again. */
    expect_rewritten(cache, path, "new font bytes", read);
    fingerprint_cache_free(cache);
    remove(path);
    rmdir(dir);
}

static void test_bytes(void **state)
{
    (void)state;
    char a[FINGERPRINT_HEX], b[FINGERPRINT_HEX];
    fingerprint_t *f = fingerprint_new();
    fingerprint_add(f, "ab", 2);
    fingerprint_add(f, "c", 1);
    fingerprint_finish(f, a);
    f = fingerprint_new();
    fingerprint_add(f, "a", 1);
    fingerprint_add(f, "bc", 2);
    fingerprint_finish(f, b);
    assert_string_not_equal(a, b); /* lengths keep the parts apart */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_through_cache),
        cmocka_unit_test(test_noted_bytes),
        cmocka_unit_test(test_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
