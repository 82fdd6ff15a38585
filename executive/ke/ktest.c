/*
 * The in-kernel test runner (see ktest.h). Runs every registered test in
 * the init thread, prints "test NAME: ok" or "test NAME: FAILED" lines and
 * a summary, checks that the tests left no process or memory behind, and
 * leaves QEMU with the result.
 */
#include "ktest.h"
#include "bootfs.h"
#include <string.h>

extern const ktest_t __ktests_start[], __ktests_end[];

void ktest_fail(const char *file, int line, const char *cond)
{
    kprintf("    check failed at %s:%d: %s\n", file, line, cond);
}

status_t ktest_start_program(const char *path, int argc, const char *const argv[], process_t **out)
{
    return ps_spawn_boot_program(path, argc, argv, out);
}

status_t ktest_wait(process_t *p, uint64_t timeout_ms)
{
    uint64_t deadline = ke_now_ns() + timeout_ms * 1000000ull;

    while (p->state != PROCESS_DEAD) {
        uint64_t now = ke_now_ns();
        if (now >= deadline)
            return ST_TIMEOUT;
        ke_wait(&p->exit_waiters, deadline - now, false);
    }
    return ST_OK;
}

status_t ktest_run_program(const char *path, int argc, const char *const argv[],
                           uint64_t timeout_ms, ktest_run_t *run)
{
    process_t *p;
    status_t st;

    memset(run, 0, sizeof(*run));
    st = ps_spawn_boot_program(path, argc, argv, &p);
    if (st != ST_OK)
        return st;
    p->capture = kmalloc(sizeof(run->output) - 1);
    p->capture_cap = p->capture ? sizeof(run->output) - 1 : 0;
    st = ktest_wait(p, timeout_ms);
    if (st != ST_OK) {
        ps_process_terminate(p, EXIT_STATUS_KILLED, "test timeout");
        ktest_wait(p, 5000);
    }
    run->exit_status = p->exit_status;
    if (p->capture) {
        memcpy(run->output, p->capture, p->capture_len);
        run->output_len = p->capture_len;
    }
    ob_unref(OB(p));
    return st;
}

static size_t count_processes(void)
{
    size_t n = 0;

    list_for_each(it, &ps_all_processes) n++;
    return n;
}

void ktest_run_all(void)
{
    int passed = 0, failed = 0;
    size_t procs0 = count_processes();
    uint64_t free0 = mm_free_frames();

    kprintf("ktest: running %d tests\n", (int)(__ktests_end - __ktests_start));
    for (const ktest_t *t = __ktests_start; t < __ktests_end; t++) {
        uint64_t t0 = ke_now_ns();
        bool ok = t->fn();
        kprintf("test %s: %s (%llu ms)\n", t->name, ok ? "ok" : "FAILED",
                (unsigned long long)((ke_now_ns() - t0) / 1000000));
        if (ok)
            passed++;
        else
            failed++;
    }
    /* Give exiting threads a moment to be reaped, then look for leaks. */
    ke_sleep_ns(20 * 1000000ull);
    size_t procs1 = count_processes();
    uint64_t free1 = mm_free_frames();
    bool leak_ok = procs1 == procs0 && free1 + 64 >= free0;
    kprintf("test no_leaks: %s (processes %zu -> %zu, free frames %llu -> %llu)\n",
            leak_ok ? "ok" : "FAILED", procs0, procs1, (unsigned long long)free0,
            (unsigned long long)free1);
    if (leak_ok)
        passed++;
    else
        failed++;
    kprintf("%d passed, %d failed\n", passed, failed);
    arch_debug_exit(failed ? 1 : 0);
}
