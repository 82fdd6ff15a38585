/*
 * In-kernel test runner (ke/ktest.c). Tests are registered in a table with
 * KTEST(name) and run in link order when the kernel command line says
 * "test"; each prints one line, and a closing "N passed, N failed" line is
 * followed by QEMU's exit through isa-debug-exit (0 = all passed).
 *
 * Tests may start programs from the boot image and inspect how they ended.
 */
#ifndef KTEST_H
#define KTEST_H

#include "ps.h"

/* 16 bytes, 16-aligned: the linker packs the table with no gaps. */
typedef struct ktest {
    const char *name;
    bool (*fn)(void);
} ktest_t;

#define KTEST(fn)                                                                                  \
    static bool fn(void);                                                                          \
    __attribute__((section(".ktests"), used, aligned(16))) static const ktest_t ktest_##fn = {#fn, \
                                                                                              fn}; \
    static bool fn(void)

/* Fails the current test with a message. */
#define KT_CHECK(cond, ...)                        \
    do {                                           \
        if (!(cond)) {                             \
            ktest_fail(__FILE__, __LINE__, #cond); \
            kprintf("    " __VA_ARGS__);           \
            kprintf("\n");                         \
            return false;                          \
        }                                          \
    } while (0)

void ktest_fail(const char *file, int line, const char *cond);

typedef struct ktest_run {
    int64_t exit_status;
    char output[2048]; /* what the program wrote, NUL-terminated */
    size_t output_len;
    process_t *proc; /* still referenced when keep is set */
} ktest_run_t;

/* Starts path with argv and waits up to timeout_ms for it to end. */
status_t ktest_run_program(const char *path, int argc, const char *const argv[],
                           uint64_t timeout_ms, ktest_run_t *run);
/* Starts path and returns without waiting (the caller must end it). */
status_t ktest_start_program(const char *path, int argc, const char *const argv[], process_t **out);
status_t ktest_wait(process_t *p, uint64_t timeout_ms);

#endif
