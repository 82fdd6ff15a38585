/*
 * In-OS tests of the runtime's fibers (<native/fiber.h>): switching back
 * and forth with values kept across switches, several fibers interleaved,
 * a deep stack, and the guard page that turns an overflow into a fault.
 */
#include "check.h"
#include <native/fiber.h>
#include <native/spawn.h>
#include <string.h>

int check_failures;
const char *check_prog = "fiber";

#define STACK (64ul << 10)

static fiber_t main_fiber, a, b;
static int trace[16], ntrace;

static void note(int x)
{
    if (ntrace < 16)
        trace[ntrace++] = x;
}

/* Counts up across switches: locals must survive them. */
static void counter(void *arg)
{
    int base = (int)(uintptr_t)arg;
    fiber_t *self = base == 10 ? &a : &b;

    for (int i = 0;; i++) {
        note(base + i);
        fiber_switch(self, &main_fiber);
    }
}

static void test_ping_pong(void)
{
    ntrace = 0;
    EXPECT(fiber_create(&a, STACK, counter, (void *)10), ST_OK);
    EXPECT(fiber_create(&b, STACK, counter, (void *)20), ST_OK);
    fiber_switch(&main_fiber, &a);
    fiber_switch(&main_fiber, &b);
    fiber_switch(&main_fiber, &a);
    fiber_switch(&main_fiber, &a);
    fiber_switch(&main_fiber, &b);
    static const int want[] = {10, 20, 11, 12, 21};
    CHECK(ntrace == 5 && !memcmp(trace, want, sizeof(want)));
    fiber_destroy(&a);
    fiber_destroy(&b);
    CHECK(a.stack == 0 && b.stack == 0);
    EXPECT(fiber_create(&a, 1000, counter, NULL), ST_INVALID_ARGUMENT);
}

static int depth_sum(int n)
{
    volatile char pad[512];

    pad[0] = (char)n;
    return n == 0 ? 0 : n + depth_sum(n - 1) + pad[0] - (char)n;
}

static void deep(void *arg)
{
    *(int *)arg = depth_sum(80); /* about 45 KiB of stack */
    fiber_switch(&a, &main_fiber);
}

static void test_deep_stack(void)
{
    int sum = 0;

    EXPECT(fiber_create(&a, STACK, deep, &sum), ST_OK);
    fiber_switch(&main_fiber, &a);
    CHECK(sum == 80 * 81 / 2);
    fiber_destroy(&a);
}

static void overflow(void *arg)
{
    *(int *)arg = depth_sum(1000);
    fiber_switch(&a, &main_fiber);
}

static int overflow_child(void *arg)
{
    int sum = 0;

    (void)arg;
    if (fiber_create(&a, 16 << 10, overflow, &sum) < 0)
        return 1;
    fiber_switch(&main_fiber, &a);
    return 2; /* the guard page was not there */
}

/* The page below the stack is there, and inaccessible. */
static int touch_guard(void *arg)
{
    (void)arg;
    if (fiber_create(&a, STACK, counter, NULL) < 0)
        return 1;
    *(volatile char *)(a.stack + VM_PAGE_SIZE) = 1;
    return *(volatile char *)a.stack;
}

static void test_guard_page(void)
{
    handle_t h;
    int64_t status = 0;

    EXPECT(native_spawn_clone("guard", touch_guard, NULL, &h), ST_OK);
    EXPECT(sys_process_wait(h, 0, &status), ST_OK);
    CHECK(status == EXIT_STATUS_FAULT(14));
    sys_handle_close(h);
    EXPECT(native_spawn_clone("overflow", overflow_child, NULL, &h), ST_OK);
    EXPECT(sys_process_wait(h, 0, &status), ST_OK);
    CHECK(status == EXIT_STATUS_FAULT(14));
    sys_handle_close(h);
}

int main(void)
{
    RUN(test_ping_pong);
    RUN(test_deep_stack);
    RUN(test_guard_page);
    printf("fiber: %d failures\n", check_failures);
    return check_failures;
}
