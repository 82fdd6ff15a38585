/* Unit tests for the physical frame database (mm/frame_db.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "../mm/frame_db.h"

#define BASE 0x100
#define N    64

static page_t pages[N];

static void test_all_reserved_at_start(void **state)
{
    frame_db_t db;

    (void)state;
    frame_db_init(&db, pages, BASE, N);
    assert_int_equal(db.nfree, 0);
    assert_int_equal(frame_db_alloc(&db), 0);
}

static void test_release_and_alloc_lowest_first(void **state)
{
    frame_db_t db;

    (void)state;
    frame_db_init(&db, pages, BASE, N);
    frame_db_release(&db, BASE + 10, 5);
    assert_int_equal(db.nfree, 5);
    assert_int_equal(db.nusable, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(frame_db_alloc(&db), BASE + 10 + i);
    assert_int_equal(frame_db_alloc(&db), 0);
    assert_int_equal(db.nfree, 0);
}

static void test_release_is_clipped(void **state)
{
    frame_db_t db;

    (void)state;
    frame_db_init(&db, pages, BASE, N);
    frame_db_release(&db, BASE - 10, 20); /* half below the database */
    assert_int_equal(db.nfree, 10);
    frame_db_release(&db, BASE + N - 2, 100); /* runs past the end */
    assert_int_equal(db.nfree, 12);
    frame_db_release(&db, BASE, 4); /* already free: no double count */
    assert_int_equal(db.nfree, 12);
    assert_null(frame_db_page(&db, BASE - 1));
    assert_null(frame_db_page(&db, BASE + N));
}

static void test_reserve_removes_from_free_list(void **state)
{
    frame_db_t db;

    (void)state;
    frame_db_init(&db, pages, BASE, N);
    frame_db_release(&db, BASE, N);
    frame_db_reserve(&db, BASE, 8);
    assert_int_equal(db.nfree, N - 8);
    for (uint64_t pfn; (pfn = frame_db_alloc(&db));)
        assert_true(pfn >= BASE + 8);
}

static void test_refcounts(void **state)
{
    frame_db_t db;
    uint64_t pfn;

    (void)state;
    frame_db_init(&db, pages, BASE, N);
    frame_db_release(&db, BASE, 2);
    pfn = frame_db_alloc(&db);
    assert_int_equal(frame_db_page(&db, pfn)->refcount, 1);
    frame_db_ref(&db, pfn);
    frame_db_ref(&db, pfn);
    assert_int_equal(frame_db_page(&db, pfn)->refcount, 3);
    assert_false(frame_db_unref(&db, pfn));
    assert_false(frame_db_unref(&db, pfn));
    assert_int_equal(db.nfree, 1);
    assert_true(frame_db_unref(&db, pfn));
    assert_int_equal(db.nfree, 2);
    /* Freeing a free frame, or a reserved one, changes nothing. */
    assert_false(frame_db_unref(&db, pfn));
    assert_false(frame_db_unref(&db, BASE + 20));
    assert_int_equal(db.nfree, 2);
    /* The frame comes back first (LIFO). */
    assert_int_equal(frame_db_alloc(&db), pfn);
}

static void test_ref_of_free_frame_ignored(void **state)
{
    frame_db_t db;

    (void)state;
    frame_db_init(&db, pages, BASE, N);
    frame_db_release(&db, BASE, 1);
    frame_db_ref(&db, BASE);
    assert_int_equal(frame_db_page(&db, BASE)->refcount, 0);
    assert_int_equal(frame_db_alloc(&db), BASE);
}

static void test_alloc_run(void **state)
{
    frame_db_t db;
    uint64_t single[4];

    (void)state;
    frame_db_init(&db, pages, BASE, N);
    frame_db_release(&db, BASE, N);
    for (int i = 0; i < 4; i++)
        single[i] = frame_db_alloc(&db); /* BASE .. BASE+3 */
    /* A hole at BASE+10 splits the rest: the first run of 20 starts after it. */
    frame_db_reserve(&db, BASE + 10, 1);
    uint64_t run = frame_db_alloc_run(&db, 20, BASE + N);
    assert_int_equal(run, BASE + 11);
    assert_int_equal(db.nfree, N - 4 - 1 - 20);
    for (uint64_t i = 0; i < 20; i++)
        assert_int_equal(frame_db_page(&db, run + i)->refcount, 1);
    /* None of them comes out of the free list again. */
    for (uint64_t n = db.nfree; n > 0; n--) {
        uint64_t f = frame_db_alloc(&db);
        assert_true(f && (f < run || f >= run + 20));
    }
    assert_int_equal(frame_db_alloc_run(&db, 1, BASE + N), 0);
    /* Freed frames make a run again; the limit is respected. */
    for (uint64_t i = 0; i < 20; i++)
        frame_db_unref(&db, run + i);
    assert_int_equal(frame_db_alloc_run(&db, 21, BASE + N), 0);
    assert_int_equal(frame_db_alloc_run(&db, 5, BASE + 14), 0);
    assert_int_equal(frame_db_alloc_run(&db, 5, BASE + 16), BASE + 11);
    assert_int_equal(frame_db_alloc_run(&db, 0, BASE + N), 0);
    assert_int_equal(frame_db_alloc_run(&db, 1, BASE - 1), 0);
    (void)single;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_reserved_at_start),
        cmocka_unit_test(test_release_and_alloc_lowest_first),
        cmocka_unit_test(test_release_is_clipped),
        cmocka_unit_test(test_reserve_removes_from_free_list),
        cmocka_unit_test(test_refcounts),
        cmocka_unit_test(test_ref_of_free_frame_ignored),
        cmocka_unit_test(test_alloc_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
