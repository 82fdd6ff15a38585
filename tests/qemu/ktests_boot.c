/*
 * In-OS tests of the boot foundation: user programs run, faults end only
 * the faulting process, bad system call arguments get error statuses, and
 * the timer preempts a program that never gives up the CPU.
 */
#include "ktest.h"
#include <stdio.h>
#include <string.h>

static bool output_has(const ktest_run_t *r, const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0; i + n <= r->output_len; i++) {
        if (!memcmp(r->output + i, s, n))
            return true;
    }
    return false;
}

KTEST(user_hello)
{
    const char *argv[] = {"hello", "one", "two"};
    ktest_run_t r;
    status_t st = ktest_run_program("/tests/hello", 3, argv, 5000, &r);

    KT_CHECK(st == ST_OK, "run: %s", status_text(st));
    KT_CHECK(r.exit_status == 0, "exit status %lld", (long long)r.exit_status);
    KT_CHECK(output_has(&r, "hello from user mode: hello one two"), "output: %s", r.output);
    return true;
}

static bool expect_fault(const char *kind, unsigned vector)
{
    const char *argv[] = {"fault", kind};
    ktest_run_t r;
    status_t st = ktest_run_program("/tests/fault", 2, argv, 5000, &r);

    KT_CHECK(st == ST_OK, "%s: run: %s", kind, status_text(st));
    KT_CHECK(r.exit_status == EXIT_STATUS_FAULT(vector), "%s: exit status %#llx, want %#x", kind,
             (long long)r.exit_status, EXIT_STATUS_FAULT(vector));
    KT_CHECK(!output_has(&r, "survived"), "%s: the program carried on", kind);
    return true;
}

KTEST(fault_null_write)
{
    return expect_fault("null", 14) && expect_fault("read-null", 14);
}

KTEST(fault_kernel_memory)
{
    return expect_fault("kernel-write", 14) && expect_fault("kernel-read", 14);
}

KTEST(fault_privileged_instruction)
{
    return expect_fault("privileged", 13) && expect_fault("cr3", 13);
}

KTEST(fault_jump_to_kernel)
{
    return expect_fault("jump-kernel", 14);
}

KTEST(fault_invalid_opcode_and_divide)
{
    return expect_fault("ud", 6) && expect_fault("divide", 0) && expect_fault("int3", 3);
}

KTEST(fault_no_execute_and_read_only)
{
    return expect_fault("exec-stack", 14) && expect_fault("write-text", 14);
}

KTEST(fault_non_canonical)
{
    return expect_fault("noncanonical", 13);
}

KTEST(fault_stack_overflow)
{
    return expect_fault("stack-overflow", 14);
}

/* Runs /tests/NAME, a program of checks that exits with its failure count. */
static bool checks_pass(const char *name, uint64_t timeout_ms)
{
    ktest_run_t r;
    char path[64];
    const char *argv[] = {name};

    snprintf(path, sizeof(path), "/tests/%s", name);
    status_t st = ktest_run_program(path, 1, argv, timeout_ms, &r);
    KT_CHECK(st == ST_OK, "run %s: %s", path, status_text(st));
    KT_CHECK(r.exit_status == 0, "%lld checks failed: %s", (long long)r.exit_status, r.output);
    return true;
}

KTEST(syscall_bad_arguments)
{
    return checks_pass("syscall_bad", 5000);
}

KTEST(preemption_of_spinning_program)
{
    const char *spin_argv[] = {"spin"}, *hello_argv[] = {"hello"};
    process_t *spin;
    ktest_run_t r;
    status_t st = ktest_start_program("/tests/spin", 1, spin_argv, &spin);

    KT_CHECK(st == ST_OK, "start spin: %s", status_text(st));
    ke_sleep_ns(30 * 1000000ull); /* let it take the CPU */
    st = ktest_run_program("/tests/hello", 1, hello_argv, 5000, &r);
    bool spin_alive = spin->state == PROCESS_ACTIVE;
    ps_process_terminate(spin, EXIT_STATUS_KILLED, "test over");
    status_t wst = ktest_wait(spin, 5000);
    int64_t spin_status = spin->exit_status;
    ob_unref(OB(spin));
    KT_CHECK(st == ST_OK && r.exit_status == 0, "hello did not run beside spin: %s",
             status_text(st));
    KT_CHECK(spin_alive, "spin ended by itself");
    KT_CHECK(wst == ST_OK, "spin could not be killed: %s", status_text(wst));
    KT_CHECK(spin_status == EXIT_STATUS_KILLED, "spin status %#llx", (long long)spin_status);
    return true;
}

KTEST(missing_program)
{
    ktest_run_t r;
    const char *argv[] = {"nothing"};

    KT_CHECK(ktest_run_program("/tests/nothing", 1, argv, 1000, &r) == ST_NOT_FOUND,
             "a missing program was found");
    KT_CHECK(ktest_run_program("/tests", 1, argv, 1000, &r) == ST_IS_DIRECTORY,
             "a directory was run");
    return true;
}

KTEST(executive_api)
{
    return checks_pass("exec_tests", 60000);
}

KTEST(runtime_fibers)
{
    return checks_pass("fiber_tests", 20000);
}

/* The full million runs in `./persona bench fuzz`; CI runs a share of it. */
KTEST(syscall_fuzzer)
{
    ktest_run_t r;
    const char *count = ke_option_value("fuzz");
    char count_buf[24], seed_buf[24];
    const char *seed = ke_option_value("fuzzseed");

    strlcpy(count_buf, count ? count : "200000", sizeof(count_buf));
    strlcpy(seed_buf, seed ? seed : "7", sizeof(seed_buf));
    const char *argv[] = {"fuzz", count_buf, seed_buf};
    status_t st = ktest_run_program("/tests/fuzz", 3, argv, 600000, &r);

    KT_CHECK(st == ST_OK, "run: %s", status_text(st));
    KT_CHECK(r.exit_status == 0, "fuzzer status %lld: %s", (long long)r.exit_status, r.output);
    return true;
}
