/* Unit tests for memo: entries are found by hash and key (a colliding hash finds only its
 * own entry), the table grows from its first capacity to its maximum keeping every entry,
 * and a table at its maximum and half full is emptied (its entries freed) before the next. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "memo.h"

#include <stdlib.h>

static int freed;

static void free_counted(void *entry)
{
    freed++;
    free(entry);
}

static bool same_int(const void *entry, const void *key)
{
    return *(const int *)entry == *(const int *)key;
}

static int *boxed(int v)
{
    int *p = malloc(sizeof *p);
    *p = v;
    return p;
}

static void test_find_and_collide(void **state)
{
    (void)state;
    memo_t memo;
    memo_init(&memo, 1024, free_counted);
    int one = 1, two = 2, three = 3;
    assert_null(memo_find(&memo, 7, same_int, &one)); /* nothing allocated yet */
    memo_add(&memo, 7, boxed(1));
    memo_add(&memo, 7, boxed(2)); /* the same hash, another key */
    const int *found = memo_find(&memo, 7, same_int, &two);
    assert_non_null(found);
    assert_int_equal(*found, 2);
    assert_int_equal(*(const int *)memo_find(&memo, 7, same_int, &one), 1);
    assert_null(memo_find(&memo, 7, same_int, &three));
    assert_null(memo_find(&memo, 8, same_int, &one));
    freed = 0;
    memo_free(&memo);
    assert_int_equal(freed, 2);
    assert_null(memo_find(&memo, 7, same_int, &one));
}

static void test_grows_then_empties(void **state)
{
    (void)state;
    memo_t memo;
    memo_init(&memo, 256, free_counted);
    freed = 0;
    /* Up to half of the maximum, every entry stays, through each doubling. */
    for (int i = 0; i < 128; i++)
        memo_add(&memo, (uint64_t)i * 0x9E3779B97F4A7C15u, boxed(i));
    assert_int_equal(freed, 0);
    assert_int_equal(memo.capacity, 256);
    for (int i = 0; i < 128; i++) {
        const int *found = memo_find(&memo, (uint64_t)i * 0x9E3779B97F4A7C15u, same_int, &i);
        assert_non_null(found);
        assert_int_equal(*found, i);
    }
    /* The next one empties the table first: only it is kept. */
    int last = 1000;
    memo_add(&memo, 42, boxed(last));
    assert_int_equal(freed, 128);
    assert_int_equal(memo.used, 1);
    assert_non_null(memo_find(&memo, 42, same_int, &last));
    int zero = 0;
    assert_null(memo_find(&memo, 0, same_int, &zero));
    memo_free(&memo);
    assert_int_equal(freed, 129);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_and_collide),
        cmocka_unit_test(test_grows_then_empties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
