/*
 * dos-unit-arena: the MCB arena on its own (server/arena.c): allocation
 * with each strategy, splitting and merging, resizing in both directions
 * and DOS's "as large as possible" on failure, and the error codes for a
 * segment that is not a block (9) and a broken chain (7), including
 * chains built to loop or run off the end of memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dosp.h"

#define FIRST 0x0100
#define TOP   VDM_MEM_TOP

static uint8_t mem[VDM_MEM_SIZE];

static uint8_t sig(uint16_t mcb)
{
    return vm_rd8(mem, mcb, 0);
}

static uint16_t owner(uint16_t mcb)
{
    return vm_rd16(mem, mcb, 1);
}

static int setup(void **state)
{
    (void)state;
    memset(mem, 0, sizeof(mem));
    dosp_arena_init(mem, FIRST, TOP);
    return 0;
}

static void init_makes_one_free_block(void **state)
{
    (void)state;
    assert_int_equal(sig(FIRST), 'Z');
    assert_int_equal(owner(FIRST), 0);
    assert_int_equal(dosp_mcb_size(mem, FIRST), TOP - FIRST - 1);
    assert_int_equal(dosp_arena_check(mem, FIRST), 0);
}

static void first_fit_splits_from_the_bottom(void **state)
{
    uint16_t a, b, largest;

    (void)state;
    assert_int_equal(dosp_mem_alloc(mem, FIRST, 0x10, 0x50, DOSP_FIT_FIRST, &a, &largest), 0);
    assert_int_equal(a, FIRST + 1);
    assert_int_equal(sig(FIRST), 'M');
    assert_int_equal(owner(FIRST), 0x50);
    assert_int_equal(sig(FIRST + 0x11), 'Z');
    assert_int_equal(dosp_mem_alloc(mem, FIRST, 0x20, 0x50, DOSP_FIT_FIRST, &b, &largest), 0);
    assert_int_equal(b, FIRST + 0x12);
    assert_int_equal(dosp_arena_check(mem, FIRST), 0);
}

static void too_big_gives_8_and_the_largest(void **state)
{
    uint16_t a, largest;

    (void)state;
    assert_int_equal(dosp_mem_alloc(mem, FIRST, 0x100, 1, DOSP_FIT_FIRST, &a, &largest), 0);
    assert_int_equal(dosp_mem_alloc(mem, FIRST, 0xFFFF, 1, DOSP_FIT_FIRST, &a, &largest),
                     DOS_ENOMEM);
    assert_int_equal(largest, TOP - FIRST - 1 - 0x101);
}

static void freed_neighbours_merge(void **state)
{
    uint16_t a, b, c, largest;

    (void)state;
    dosp_mem_alloc(mem, FIRST, 0x10, 1, DOSP_FIT_FIRST, &a, &largest);
    dosp_mem_alloc(mem, FIRST, 0x10, 1, DOSP_FIT_FIRST, &b, &largest);
    dosp_mem_alloc(mem, FIRST, 0x10, 1, DOSP_FIT_FIRST, &c, &largest);
    assert_int_equal(dosp_mem_free(mem, FIRST, a), 0);
    assert_int_equal(dosp_mem_free(mem, FIRST, b), 0);
    /* 0x21 paragraphs: both blocks and the MCB between them. */
    uint16_t d;
    assert_int_equal(dosp_mem_alloc(mem, FIRST, 0x21, 2, DOSP_FIT_FIRST, &d, &largest), 0);
    assert_int_equal(d, a);
    assert_int_equal(dosp_mcb_size(mem, (uint16_t)(d - 1)), 0x21);
}

static void best_fit_takes_the_smallest_hole(void **state)
{
    uint16_t s[5], got, largest;

    (void)state;
    /* Holes of 0x30 and 0x10 paragraphs, kept apart by used blocks. */
    dosp_mem_alloc(mem, FIRST, 0x30, 1, DOSP_FIT_FIRST, &s[0], &largest);
    dosp_mem_alloc(mem, FIRST, 0x01, 1, DOSP_FIT_FIRST, &s[1], &largest);
    dosp_mem_alloc(mem, FIRST, 0x10, 1, DOSP_FIT_FIRST, &s[2], &largest);
    dosp_mem_alloc(mem, FIRST, 0x01, 1, DOSP_FIT_FIRST, &s[3], &largest);
    dosp_mem_free(mem, FIRST, s[0]);
    dosp_mem_free(mem, FIRST, s[2]);
    assert_int_equal(dosp_mem_alloc(mem, FIRST, 0x08, 2, DOSP_FIT_BEST, &got, &largest), 0);
    assert_int_equal(got, s[2]);
    assert_int_equal(dosp_mem_alloc(mem, FIRST, 0x08, 2, DOSP_FIT_FIRST, &got, &largest), 0);
    assert_int_equal(got, s[0]);
}

static void last_fit_takes_the_top(void **state)
{
    uint16_t got, largest;

    (void)state;
    assert_int_equal(dosp_mem_alloc(mem, FIRST, 0x40, 3, DOSP_FIT_LAST, &got, &largest), 0);
    assert_int_equal(got, TOP - 0x40);
    assert_int_equal(sig((uint16_t)(got - 1)), 'Z');
    assert_int_equal(owner(FIRST), 0);
    assert_int_equal(sig(FIRST), 'M');
    assert_int_equal(dosp_arena_check(mem, FIRST), 0);
}

static void resize_shrinks_and_grows(void **state)
{
    uint16_t a, b, largest, max = 0;

    (void)state;
    dosp_mem_alloc(mem, FIRST, 0x100, 1, DOSP_FIT_FIRST, &a, &largest);
    dosp_mem_alloc(mem, FIRST, 0x10, 1, DOSP_FIT_FIRST, &b, &largest);
    assert_int_equal(dosp_mem_resize(mem, FIRST, a, 0x80, &max), 0);
    assert_int_equal(dosp_mcb_size(mem, (uint16_t)(a - 1)), 0x80);
    assert_int_equal(dosp_mem_resize(mem, FIRST, a, 0x100, &max), 0);
    assert_int_equal(dosp_mcb_size(mem, (uint16_t)(a - 1)), 0x100);
    /* b is in the way: the block becomes as large as it can, and 8. */
    assert_int_equal(dosp_mem_resize(mem, FIRST, a, 0x200, &max), DOS_ENOMEM);
    assert_int_equal(max, 0x100);
    assert_int_equal(dosp_arena_check(mem, FIRST), 0);
}

static void failed_grow_keeps_what_it_could_get(void **state)
{
    uint16_t a, b, largest, max = 0;

    (void)state;
    dosp_mem_alloc(mem, FIRST, 0x100, 1, DOSP_FIT_FIRST, &a, &largest);
    dosp_mem_alloc(mem, FIRST, 0x10, 1, DOSP_FIT_FIRST, &b, &largest);
    dosp_mem_resize(mem, FIRST, a, 0x40, &max);
    assert_int_equal(dosp_mem_resize(mem, FIRST, a, 0x1000, &max), DOS_ENOMEM);
    assert_int_equal(max, 0x100);
    assert_int_equal(dosp_mcb_size(mem, (uint16_t)(a - 1)), 0x100);
}

static void not_a_block_is_9(void **state)
{
    uint16_t a, largest, max;

    (void)state;
    dosp_mem_alloc(mem, FIRST, 0x10, 1, DOSP_FIT_FIRST, &a, &largest);
    assert_int_equal(dosp_mem_free(mem, FIRST, (uint16_t)(a + 1)), DOS_EBADMCB);
    assert_int_equal(dosp_mem_resize(mem, FIRST, 0x5000, 1, &max), DOS_EBADMCB);
}

static void broken_chain_is_7(void **state)
{
    uint16_t a, b, largest, max;

    (void)state;
    dosp_mem_alloc(mem, FIRST, 0x10, 1, DOSP_FIT_FIRST, &a, &largest);
    dosp_mem_alloc(mem, FIRST, 0x10, 1, DOSP_FIT_FIRST, &b, &largest);
    vm_wr8(mem, (uint16_t)(b - 1), 0, 'X');
    assert_int_equal(dosp_arena_check(mem, FIRST), DOS_EMCB);
    assert_int_equal(dosp_mem_alloc(mem, FIRST, 1, 1, DOSP_FIT_FIRST, &a, &largest), DOS_EMCB);
    assert_int_equal(dosp_mem_free(mem, FIRST, b), DOS_EMCB);
    assert_int_equal(dosp_mem_resize(mem, FIRST, a, 2, &max), DOS_EMCB);
    assert_int_equal(dosp_mem_free_owner(mem, FIRST, 1), DOS_EMCB);
    assert_int_equal(dosp_mem_largest(mem, FIRST, &a, &max), DOS_EMCB);
}

static void chain_past_the_top_is_7(void **state)
{
    (void)state;
    /* An 'M' whose size runs past conventional memory, and a 'Z' that does. */
    vm_wr8(mem, FIRST, 0, 'M');
    vm_wr16(mem, FIRST, 3, 0xFFF0);
    assert_int_equal(dosp_arena_check(mem, FIRST), DOS_EMCB);
    vm_wr8(mem, FIRST, 0, 'Z');
    assert_int_equal(dosp_arena_check(mem, FIRST), DOS_EMCB);
}

static void free_owner_releases_all_its_blocks(void **state)
{
    uint16_t a, b, c, largest, seg, paras;

    (void)state;
    dosp_mem_alloc(mem, FIRST, 0x10, 7, DOSP_FIT_FIRST, &a, &largest);
    dosp_mem_alloc(mem, FIRST, 0x10, 8, DOSP_FIT_FIRST, &b, &largest);
    dosp_mem_alloc(mem, FIRST, 0x10, 7, DOSP_FIT_FIRST, &c, &largest);
    assert_int_equal(dosp_mem_free_owner(mem, FIRST, 7), 0);
    assert_int_equal(owner((uint16_t)(a - 1)), 0);
    assert_int_equal(owner((uint16_t)(b - 1)), 8);
    assert_int_equal(owner((uint16_t)(c - 1)), 0);
    assert_int_equal(dosp_mem_largest(mem, FIRST, &seg, &paras), 0);
    assert_int_equal(seg, c - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(init_makes_one_free_block, setup),
        cmocka_unit_test_setup(first_fit_splits_from_the_bottom, setup),
        cmocka_unit_test_setup(too_big_gives_8_and_the_largest, setup),
        cmocka_unit_test_setup(freed_neighbours_merge, setup),
        cmocka_unit_test_setup(best_fit_takes_the_smallest_hole, setup),
        cmocka_unit_test_setup(last_fit_takes_the_top, setup),
        cmocka_unit_test_setup(resize_shrinks_and_grows, setup),
        cmocka_unit_test_setup(failed_grow_keeps_what_it_could_get, setup),
        cmocka_unit_test_setup(not_a_block_is_9, setup),
        cmocka_unit_test_setup(broken_chain_is_7, setup),
        cmocka_unit_test_setup(chain_past_the_top_is_7, setup),
        cmocka_unit_test_setup(free_owner_releases_all_its_blocks, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
