/*
 * In-OS tests of the executive's native API, run as a user program: every
 * call with good and bad arguments (bad, closed and wrong-type handles,
 * missing rights, NULL, unmapped, unaligned and kernel pointers, zero and
 * huge lengths), processes and threads, memory and sections, copy-on-write,
 * ports with deferred replies, server death, timeouts, cancellation,
 * notifications, handle transfer, and exception ports.
 */
#include "check.h"
#include <native/ipc.h>
#include <native/spawn.h>
#include <stdbool.h>
#include <string.h>

int check_failures;
const char *check_prog = "exec";

#define KERNEL_PTR ((void *)0xFFFFFFFF80100000ull)
#define UNMAPPED   ((void *)0x0000500000000000ull)
#define PAGE       4096ul
#define MS         1000000ull

static long raw(long nr, long a, long b, long c, long d, long e, long f)
{
    return native_syscall6(nr, a, b, c, d, e, f);
}

/* ---- handles ---- */

static void test_handles(void)
{
    handle_t port, dup, weak;
    handle_info_t info;
    ipc_msg_t m = {0};

    EXPECT(sys_handle_close(0), ST_INVALID_HANDLE);
    EXPECT(sys_handle_close(12345), ST_INVALID_HANDLE);
    EXPECT(raw(SYS_handle_close, 0x100000001l, 0, 0, 0, 0, 0), ST_INVALID_HANDLE);
    EXPECT(sys_port_create(NULL, &port), ST_OK);
    EXPECT(sys_handle_info(port, &info), ST_OK);
    CHECK(info.type == OBJ_PORT);
    CHECK(info.rights & H_RECEIVE);
    EXPECT(sys_handle_info(port, NULL), ST_BAD_ADDRESS);
    EXPECT(sys_handle_info(port, KERNEL_PTR), ST_BAD_ADDRESS);
    EXPECT(sys_handle_info(port, (handle_info_t *)((char *)&info + 1)), ST_OK); /* unaligned ok */

    /* Wrong type: a process handle where a port is needed. */
    EXPECT(native_ipc_call(HANDLE_SELF_PROCESS, &m, IPC_NO_WAIT), ST_INVALID_HANDLE);
    handle_t self;
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, port, HANDLE_SELF_PROCESS, H_QUERY, &weak),
           ST_OK);
    EXPECT(sys_process_create("h", PERSONALITY_NATIVE, 0, 0, &self), ST_OK);
    EXPECT(native_ipc_call(self, &m, IPC_NO_WAIT), ST_WRONG_TYPE);
    EXPECT(sys_thread_suspend(port), ST_WRONG_TYPE);
    /* Missing rights. */
    EXPECT(native_ipc_call(weak, &m, IPC_NO_WAIT), ST_ACCESS_DENIED);
    EXPECT(native_ipc_recv(weak, &m, IPC_NO_WAIT, NULL), ST_ACCESS_DENIED);
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, weak, HANDLE_SELF_PROCESS, H_QUERY, &dup),
           ST_ACCESS_DENIED); /* no H_DUPLICATE on weak */
    /* More rights than the source: refused. */
    handle_t conn;
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, port, HANDLE_SELF_PROCESS,
                                H_CONNECT | H_DUPLICATE, &conn),
           ST_OK);
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, conn, HANDLE_SELF_PROCESS, H_RECEIVE, &dup),
           ST_ACCESS_DENIED);
    /* Into another process, and a bad output pointer. */
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, port, self, H_CONNECT, &dup), ST_OK);
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, port, self, H_CONNECT, KERNEL_PTR),
           ST_BAD_ADDRESS);
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, 777, self, H_CONNECT, &dup),
           ST_INVALID_HANDLE);

    /* Closed handles stay invalid. */
    EXPECT(sys_handle_close(weak), ST_OK);
    EXPECT(sys_handle_close(weak), ST_INVALID_HANDLE);
    EXPECT(sys_handle_info(weak, &info), ST_INVALID_HANDLE);
    EXPECT(sys_process_terminate(self, 0), ST_OK);
    EXPECT(sys_handle_close(self), ST_OK);
    EXPECT(sys_handle_close(conn), ST_OK);
    EXPECT(sys_handle_close(port), ST_OK);
}

/* ---- processes ---- */

static int child_returns_42(void *arg)
{
    (void)arg;
    return 42;
}

static int child_spins(void *arg)
{
    (void)arg;
    for (;;)
        sys_thread_yield();
    return 0;
}

static void test_process_create_args(void)
{
    handle_t h;
    process_info_t info;
    int64_t status;

    EXPECT(sys_process_create(NULL, PERSONALITY_NATIVE, 0, 0, &h), ST_BAD_ADDRESS);
    EXPECT(sys_process_create(KERNEL_PTR, PERSONALITY_NATIVE, 0, 0, &h), ST_BAD_ADDRESS);
    EXPECT(sys_process_create(UNMAPPED, PERSONALITY_NATIVE, 0, 0, &h), ST_BAD_ADDRESS);
    EXPECT(sys_process_create("p", 0, 0, 0, &h), ST_INVALID_ARGUMENT);
    EXPECT(sys_process_create("p", 99, 0, 0, &h), ST_INVALID_ARGUMENT);
    EXPECT(sys_process_create("p", PERSONALITY_POSIX, 0, 0, &h), ST_INVALID_ARGUMENT);
    EXPECT(sys_process_create("p", PERSONALITY_NATIVE, 0, 0, NULL), ST_BAD_ADDRESS);
    EXPECT(sys_process_create("p", PERSONALITY_NATIVE, 0, 0, KERNEL_PTR), ST_BAD_ADDRESS);
    EXPECT(sys_process_create("p", PERSONALITY_NATIVE, 0, 0x10, &h), ST_INVALID_ARGUMENT);

    /* An empty process: no threads until someone creates one. */
    EXPECT(sys_process_create("empty", PERSONALITY_NATIVE, 0, 0, &h), ST_OK);
    EXPECT(sys_process_info(h, &info), ST_OK);
    CHECK(info.state == PROCESS_ACTIVE && info.threads == 0);
    CHECK(!strcmp(info.name, "empty"));
    EXPECT(sys_process_info(h, KERNEL_PTR), ST_BAD_ADDRESS);
    EXPECT(sys_process_wait(h, 1 * MS, &status), ST_TIMEOUT);
    EXPECT(sys_process_terminate(h, 9), ST_OK);
    EXPECT(sys_process_wait(h, 0, &status), ST_OK);
    CHECK(status == 9);
    EXPECT(sys_process_info(h, &info), ST_OK);
    CHECK(info.state == PROCESS_DEAD);
    EXPECT(sys_thread_create(h, 0x401000, 0x1000, 0, 0, &h), ST_BAD_STATE);
    EXPECT(sys_handle_close(h), ST_OK);
    EXPECT(sys_process_wait(HANDLE_SELF_PROCESS, 1, NULL), ST_INVALID_ARGUMENT);
}

static void test_process_lifecycle(void)
{
    handle_t h;
    int64_t status = -1;
    static process_info_t list[1024];
    process_info_t self;
    size_t total = 0;
    long n;

    EXPECT(native_spawn_clone("forty-two", child_returns_42, NULL, &h), ST_OK);
    EXPECT(sys_process_wait(h, 0, &status), ST_OK);
    CHECK(status == 42);
    EXPECT(sys_process_wait(h, 0, KERNEL_PTR), ST_BAD_ADDRESS);
    EXPECT(sys_handle_close(h), ST_OK);

    EXPECT(native_spawn_clone("spinner", child_spins, NULL, &h), ST_OK);
    EXPECT(sys_process_wait(h, 5 * MS, &status), ST_TIMEOUT);
    EXPECT(sys_process_terminate(h, 77), ST_OK);
    EXPECT(sys_process_wait(h, 0, &status), ST_OK);
    CHECK(status == 77);
    EXPECT(sys_handle_close(h), ST_OK);

    EXPECT(sys_process_info(HANDLE_SELF_PROCESS, &self), ST_OK);
    n = sys_process_list(list, 1024, &total);
    CHECK(n > 0 && (size_t)n <= total);
    bool found = false;
    for (long i = 0; i < n; i++)
        found |= list[i].pid == self.pid && !strcmp(list[i].name, self.name);
    CHECK(found);
    EXPECT(sys_process_list(list, 100000, &total), ST_INVALID_ARGUMENT);
    handle_t again;
    EXPECT(sys_process_open(self.pid, H_QUERY, &again), ST_OK);
    EXPECT(sys_process_info(again, &self), ST_OK);
    EXPECT(sys_process_terminate(again, 1), ST_ACCESS_DENIED);
    sys_handle_close(again);
    EXPECT(sys_process_open(0, H_QUERY, &again), ST_NOT_FOUND);
    EXPECT(sys_process_open(~0ull, H_QUERY, &again), ST_NOT_FOUND);
    EXPECT(sys_process_open(self.pid, 1u << 30, &again), ST_INVALID_ARGUMENT);
    EXPECT(sys_process_list(KERNEL_PTR, 4, &total), ST_BAD_ADDRESS);
    EXPECT(sys_process_list(NULL, 0, &total), 0);
    CHECK(total >= 1);
}

/* A VDM's process: tagged DOS, with no subsystem server, its system
 * calls are native ones (the exit status proves the call was not
 * forwarded anywhere). */
static void vdm_entry(void *arg)
{
    (void)arg;
    sys_process_exit(sys_thread_yield() == ST_OK ? 42 : 1);
}

static void test_vdm_process(void)
{
    handle_t h, t;
    uint64_t stack = 0;
    int64_t status = -1;
    process_info_t info;

    EXPECT(sys_process_create("vdm", PERSONALITY_DOS, 0, 0, &h), ST_OK);
    EXPECT(sys_process_info(h, &info), ST_OK);
    CHECK(info.personality == PERSONALITY_DOS);
    EXPECT(sys_vm_clone(h, HANDLE_SELF_PROCESS), ST_OK);
    EXPECT(sys_vm_map(h, &stack, 64 * 1024, PROT_R | PROT_W, 0, 0, 0), ST_OK);
    EXPECT(sys_thread_create(h, (uintptr_t)vdm_entry, stack + 64 * 1024 - 8, 0, 0, &t), ST_OK);
    EXPECT(sys_process_wait(h, 0, &status), ST_OK);
    CHECK(status == 42);
    sys_handle_close(t);
    sys_handle_close(h);
    EXPECT(sys_process_create("w16", PERSONALITY_WIN16, 0, 0, &h), ST_OK);
    EXPECT(sys_process_terminate(h, 0), ST_OK);
    sys_handle_close(h);
}

/* ---- threads ---- */

static volatile int thread_flag;

static void thread_sets_flag(void *arg)
{
    thread_flag = (int)(uintptr_t)arg;
    sys_thread_exit(5);
}

static void thread_other_entry(void *arg)
{
    (void)arg;
    thread_flag = 99;
    sys_thread_exit(6);
}

static void test_threads(void)
{
    handle_t t;
    thread_context_t ctx;
    int64_t status;
    uint64_t stack = 0;

    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &stack, 64 * 1024, PROT_R | PROT_W, 0, 0, 0), ST_OK);
    EXPECT(
        sys_thread_create(HANDLE_SELF_PROCESS, (uintptr_t)KERNEL_PTR, stack + 65536 - 8, 0, 0, &t),
        ST_BAD_ADDRESS);
    EXPECT(sys_thread_create(HANDLE_SELF_PROCESS, (uintptr_t)thread_sets_flag, stack, 0, 0x80, &t),
           ST_INVALID_ARGUMENT);

    thread_flag = 0;
    EXPECT(sys_thread_create(HANDLE_SELF_PROCESS, (uintptr_t)thread_sets_flag, stack + 65536 - 8, 7,
                             THREAD_CREATE_SUSPENDED, &t),
           ST_OK);
    sys_sleep(2 * MS);
    CHECK(thread_flag == 0); /* suspended: has not run */
    EXPECT(sys_thread_get_context(t, &ctx), ST_OK);
    CHECK(ctx.rip == (uintptr_t)thread_sets_flag);
    CHECK(ctx.rdi == 7);
    ctx.rip = (uintptr_t)KERNEL_PTR;
    EXPECT(sys_thread_set_context(t, &ctx), ST_INVALID_ARGUMENT);
    ctx.rip = (uintptr_t)thread_other_entry;
    ctx.fs_base = 0x0000900000000000ull;
    EXPECT(sys_thread_set_context(t, &ctx), ST_INVALID_ARGUMENT);
    ctx.fs_base = 0;
    EXPECT(sys_thread_set_context(t, &ctx), ST_OK);
    EXPECT(sys_thread_set_context(t, KERNEL_PTR), ST_BAD_ADDRESS);
    EXPECT(sys_thread_get_context(t, UNMAPPED), ST_BAD_ADDRESS);
    EXPECT(sys_thread_resume(t), ST_OK);
    EXPECT(sys_thread_resume(t), ST_BAD_STATE);
    EXPECT(sys_thread_wait(t, 0, &status), ST_OK);
    CHECK(status == 6);
    CHECK(thread_flag == 99);
    EXPECT(sys_thread_get_context(t, &ctx), ST_TERMINATED);
    EXPECT(sys_handle_close(t), ST_OK);
    EXPECT(sys_thread_wait(HANDLE_SELF_THREAD, 1, NULL), ST_INVALID_ARGUMENT);
    EXPECT(sys_vm_unmap(HANDLE_SELF_PROCESS, stack, 64 * 1024), ST_OK);
}

/* A thread blocked in a call to a port nobody serves, to be alerted. */
static handle_t lonely_port;
static volatile long alerted_status = 1;

static void caller_thread(void *arg)
{
    ipc_msg_t m = {0};

    (void)arg;
    alerted_status = native_ipc_call(lonely_port, &m, IPC_WAIT_FOREVER);
    sys_thread_exit(0);
}

static void test_thread_alert_cancels_call(void)
{
    handle_t t;

    EXPECT(sys_port_create(NULL, &lonely_port), ST_OK);
    EXPECT(native_thread_start(caller_thread, NULL, 16384, &t), ST_OK);
    sys_sleep(3 * MS);
    CHECK(alerted_status == 1); /* still blocked */
    EXPECT(sys_thread_alert(t), ST_OK);
    EXPECT(sys_thread_wait(t, 0, NULL), ST_OK);
    EXPECT(alerted_status, ST_CANCELLED);
    sys_handle_close(t);
    sys_handle_close(lonely_port);
}

/* ---- memory ---- */

static volatile uint64_t *target_word;

static int child_touches_target(void *arg)
{
    (void)arg;
    *target_word = 1;
    return 0;
}

static int child_reads_target(void *arg)
{
    (void)arg;
    return (int)*target_word;
}

static void test_vm_map_args(void)
{
    uint64_t a = 0, b;

    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &a, 0, PROT_R, 0, 0, 0), ST_INVALID_ARGUMENT);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, NULL, PAGE, PROT_R, 0, 0, 0), ST_BAD_ADDRESS);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, KERNEL_PTR, PAGE, PROT_R, 0, 0, 0), ST_BAD_ADDRESS);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &a, PAGE, 0x10, 0, 0, 0), ST_INVALID_ARGUMENT);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &a, PAGE, PROT_R, 0x80, 0, 0), ST_INVALID_ARGUMENT);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &a, 1ull << 62, PROT_R, 0, 0, 0), ST_INVALID_ARGUMENT);
    a = 0x600000001000ull + 3;
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &a, PAGE, PROT_R, MAPF_FIXED, 0, 0),
           ST_INVALID_ARGUMENT);
    a = 0xFFFFFFFF80000000ull;
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &a, PAGE, PROT_R, MAPF_FIXED, 0, 0), ST_BAD_ADDRESS);
    a = 0x00007FFFFFFFF000ull - PAGE;
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &a, 4 * PAGE, PROT_R, MAPF_FIXED, 0, 0), ST_BAD_ADDRESS);
    EXPECT(sys_vm_map(77, &a, PAGE, PROT_R, 0, 0, 0), ST_INVALID_HANDLE);

    /* Demand-zero memory, fixed and no-replace placement. (A fixed address
     * far from where clones put their stacks, which matters below.) */
    a = 0x0000600000000000ull;
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &a, 3 * PAGE, PROT_R | PROT_W, MAPF_NOREPLACE, 0, 0),
           ST_OK);
    CHECK(a && (a & (PAGE - 1)) == 0);
    for (int i = 0; i < 3; i++)
        CHECK(((volatile uint8_t *)a)[i * PAGE + 17] == 0);
    ((volatile uint8_t *)a)[PAGE] = 0xab;
    CHECK(((volatile uint8_t *)a)[PAGE] == 0xab);
    b = a + PAGE;
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &b, PAGE, PROT_R, MAPF_NOREPLACE, 0, 0), ST_EXISTS);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &b, PAGE, PROT_R | PROT_W, MAPF_FIXED, 0, 0), ST_OK);
    CHECK(b == a + PAGE);
    CHECK(((volatile uint8_t *)a)[PAGE] == 0); /* replaced by fresh memory */

    EXPECT(sys_vm_protect(HANDLE_SELF_PROCESS, a, 3 * PAGE, PROT_R), ST_OK);
    EXPECT(sys_vm_protect(HANDLE_SELF_PROCESS, a, 3 * PAGE, 0x40), ST_INVALID_ARGUMENT);
    EXPECT(sys_vm_protect(HANDLE_SELF_PROCESS, a + 1, PAGE, PROT_R), ST_INVALID_ARGUMENT);
    EXPECT(sys_vm_protect(HANDLE_SELF_PROCESS, (uint64_t)UNMAPPED, PAGE, PROT_R), ST_BAD_ADDRESS);
    CHECK(((volatile uint8_t *)a)[17] == 0); /* still readable */

    /* A write to read-only memory kills (a clone of) the writer. */
    handle_t h;
    int64_t status;
    target_word = (volatile uint64_t *)a;
    EXPECT(native_spawn_clone("ro-writer", child_touches_target, NULL, &h), ST_OK);
    EXPECT(sys_process_wait(h, 0, &status), ST_OK);
    CHECK(status == EXIT_STATUS_FAULT(14));
    sys_handle_close(h);

    EXPECT(sys_vm_unmap(HANDLE_SELF_PROCESS, a, 3 * PAGE), ST_OK);
    EXPECT(sys_vm_unmap(HANDLE_SELF_PROCESS, a, 0), ST_INVALID_ARGUMENT);
    EXPECT(sys_vm_unmap(HANDLE_SELF_PROCESS, a + 5, PAGE), ST_INVALID_ARGUMENT);
    EXPECT(sys_vm_unmap(HANDLE_SELF_PROCESS, 0xFFFF800000000000ull, PAGE), ST_BAD_ADDRESS);
    EXPECT(native_spawn_clone("unmapped-reader", child_reads_target, NULL, &h), ST_OK);
    EXPECT(sys_process_wait(h, 0, &status), ST_OK);
    EXPECT(status, EXIT_STATUS_FAULT(14));
    sys_handle_close(h);
}

static void test_vm_read_write_other(void)
{
    handle_t h, weak;
    uint64_t a = 0x0000200000000000ull, v = 0x1122334455667788ull, r = 0;
    char big[PAGE * 2];

    EXPECT(sys_process_create("target", PERSONALITY_NATIVE, 0, 0, &h), ST_OK);
    EXPECT(sys_vm_map(h, &a, 2 * PAGE, PROT_R, MAPF_FIXED, 0, 0), ST_OK);
    EXPECT(sys_vm_write(h, a + PAGE - 4, &v, sizeof(v)), ST_OK); /* spans a page */
    EXPECT(sys_vm_read(h, a + PAGE - 4, &r, sizeof(r)), ST_OK);
    CHECK(r == v);
    EXPECT(sys_vm_read(h, a, NULL, 8), ST_BAD_ADDRESS);
    EXPECT(sys_vm_read(h, a, KERNEL_PTR, 8), ST_BAD_ADDRESS);
    EXPECT(sys_vm_read(h, (uint64_t)UNMAPPED, &r, 8), ST_BAD_ADDRESS);
    EXPECT(sys_vm_read(h, a + PAGE, big, sizeof(big)), ST_BAD_ADDRESS); /* runs off the map */
    EXPECT(sys_vm_write(h, 0xFFFFFFFF80000000ull, &v, 8), ST_BAD_ADDRESS);
    EXPECT(sys_vm_read(h, a, &r, 0), ST_OK);
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, h, HANDLE_SELF_PROCESS, H_QUERY, &weak),
           ST_OK);
    EXPECT(sys_vm_read(weak, a, &r, 8), ST_ACCESS_DENIED);
    EXPECT(sys_vm_write(weak, a, &v, 8), ST_ACCESS_DENIED);
    EXPECT(sys_vm_map(weak, &a, PAGE, PROT_R, 0, 0, 0), ST_ACCESS_DENIED);

    /* Quotas: lowered, never raised; a copy past the limit fails cleanly. */
    uint64_t q = 0x0000300000000000ull;
    EXPECT(sys_vm_map(h, &q, 64 * PAGE, PROT_R | PROT_W, MAPF_FIXED, 0, 0), ST_OK);
    EXPECT(sys_process_set_quota(h, 16 * PAGE), ST_OK);
    EXPECT(sys_process_set_quota(h, 1ull << 40), ST_ACCESS_DENIED);
    long st = ST_OK;
    for (int i = 0; i < 64 && st == ST_OK; i++)
        st = sys_vm_write(h, q + i * PAGE, &v, 8);
    EXPECT(st, ST_QUOTA_EXCEEDED);

    sys_process_terminate(h, 0);
    sys_handle_close(weak);
    sys_handle_close(h);
}

/* Copies that honour the target's protections, as its own threads would. */
static void test_vm_user_copies(void)
{
    handle_t h;
    uint64_t ro = 0x0000200000000000ull, none = ro + PAGE, rw = ro + 2 * PAGE, v = 42, r = 0;

    EXPECT(sys_process_create("target", PERSONALITY_NATIVE, 0, 0, &h), ST_OK);
    EXPECT(sys_vm_map(h, &ro, PAGE, PROT_R, MAPF_FIXED, 0, 0), ST_OK);
    EXPECT(sys_vm_map(h, &none, PAGE, 0, MAPF_FIXED, 0, 0), ST_OK);
    EXPECT(sys_vm_map(h, &rw, PAGE, PROT_R | PROT_W, MAPF_FIXED, 0, 0), ST_OK);
    EXPECT(sys_vm_write_user(h, ro, &v, 8), ST_BAD_ADDRESS);
    EXPECT(sys_vm_write(h, ro, &v, 8), ST_OK); /* the forcing copy still may */
    EXPECT(sys_vm_read_user(h, ro, &r, 8), ST_OK);
    CHECK(r == 42);
    EXPECT(sys_vm_read_user(h, none, &r, 8), ST_BAD_ADDRESS);
    EXPECT(sys_vm_write_user(h, none, &v, 8), ST_BAD_ADDRESS);
    EXPECT(sys_vm_read(h, none, &r, 8), ST_OK);
    EXPECT(sys_vm_read_user(h, none, &r, 8), ST_BAD_ADDRESS); /* still, once it is present */
    EXPECT(sys_vm_write_user(h, rw + PAGE - 4, &v, 8), ST_BAD_ADDRESS); /* runs off the map */
    EXPECT(sys_vm_write_user(h, rw, &v, 8), ST_OK);
    EXPECT(sys_vm_read_user(h, rw, &r, 8), ST_OK);
    EXPECT(sys_vm_write_user(h, rw, KERNEL_PTR, 8), ST_BAD_ADDRESS);
    EXPECT(sys_vm_read_user(h, 0xFFFFFFFF80000000ull, &r, 8), ST_BAD_ADDRESS);
    sys_process_terminate(h, 0);
    sys_handle_close(h);
}

/* vm_query: what is mapped where, and which section backs it. */
static void test_vm_query(void)
{
    handle_t sec;
    uint64_t a = 0, b = 0, c = 0;
    vm_region_info_t qa, qb, qc;

    EXPECT(sys_section_create(4 * PAGE, &sec), ST_OK);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &a, 2 * PAGE, PROT_R | PROT_W, 0, 0, 0), ST_OK);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &b, 2 * PAGE, PROT_R | PROT_W, 0, sec, 2 * PAGE), ST_OK);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &c, 4 * PAGE, PROT_R, 0, sec, 0), ST_OK);
    EXPECT(sys_vm_query(HANDLE_SELF_PROCESS, a + PAGE + 5, &qa), ST_OK);
    CHECK(qa.start == a && qa.end == a + 2 * PAGE && qa.prot == (PROT_R | PROT_W));
    CHECK(qa.section_id == 0 && qa.flags == 0);
    EXPECT(sys_vm_query(HANDLE_SELF_PROCESS, b, &qb), ST_OK);
    EXPECT(sys_vm_query(HANDLE_SELF_PROCESS, c + 3 * PAGE, &qc), ST_OK);
    CHECK(qb.section_id != 0 && qb.section_id == qc.section_id);
    CHECK(qb.offset == 2 * PAGE && qc.offset == 0 && qc.prot == PROT_R);
    EXPECT(sys_vm_query(HANDLE_SELF_PROCESS, (uint64_t)UNMAPPED, &qb), ST_NOT_FOUND);
    EXPECT(sys_vm_query(HANDLE_SELF_PROCESS, a, NULL), ST_BAD_ADDRESS);
    EXPECT(sys_vm_query(HANDLE_SELF_PROCESS, a, KERNEL_PTR), ST_BAD_ADDRESS);
    EXPECT(sys_vm_query(sec, a, &qa), ST_WRONG_TYPE);
    sys_vm_unmap(HANDLE_SELF_PROCESS, a, 2 * PAGE);
    sys_vm_unmap(HANDLE_SELF_PROCESS, b, 2 * PAGE);
    sys_vm_unmap(HANDLE_SELF_PROCESS, c, 4 * PAGE);
    sys_handle_close(sec);
}

static handle_t shared_section;
static uint64_t child_map_addr;

static int child_writes_section(void *arg)
{
    uint64_t a = 0;

    (void)arg;
    if (sys_vm_map(HANDLE_SELF_PROCESS, &a, 2 * PAGE, PROT_R | PROT_W, 0, shared_section, 0) < 0)
        return 1;
    child_map_addr = a;
    ((volatile uint32_t *)a)[0] = 0xC0FFEE;
    ((volatile uint32_t *)(a + PAGE))[1] = (uint32_t)a;
    return 0;
}

static void test_sections(void)
{
    uint64_t a = 0, b = 0;
    handle_t h, ro;
    int64_t status;

    EXPECT(sys_section_create(0, &shared_section), ST_INVALID_ARGUMENT);
    EXPECT(sys_section_create(1ull << 40, &shared_section), ST_INVALID_ARGUMENT);
    EXPECT(sys_section_create(PAGE, KERNEL_PTR), ST_BAD_ADDRESS);
    EXPECT(sys_section_create(2 * PAGE, &shared_section), ST_OK);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &a, 2 * PAGE, PROT_R | PROT_W, 0, shared_section, 0),
           ST_OK);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &b, 3 * PAGE, PROT_R, 0, shared_section, 0), ST_RANGE);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &b, PAGE, PROT_R, 0, shared_section, 3), ST_RANGE);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &b, PAGE, PROT_R, 0, shared_section, PAGE), ST_OK);
    EXPECT(native_spawn_clone("section-writer", child_writes_section, NULL, &h), ST_OK);
    EXPECT(sys_process_wait(h, 0, &status), ST_OK);
    CHECK(status == 0);
    CHECK(((volatile uint32_t *)a)[0] == 0xC0FFEE);
    CHECK(((volatile uint32_t *)b)[1] != 0); /* the second page, seen at b too */
    CHECK(((volatile uint32_t *)b)[1] == ((volatile uint32_t *)(a + PAGE))[1]);
    sys_handle_close(h);
    /* A read-only handle cannot be mapped writable. */
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, shared_section, HANDLE_SELF_PROCESS,
                                H_MAP | H_READ, &ro),
           ST_OK);
    uint64_t c = 0;
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &c, PAGE, PROT_R | PROT_W, 0, ro, 0), ST_ACCESS_DENIED);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &c, PAGE, PROT_R, 0, ro, 0), ST_OK);
    sys_handle_close(ro);
    sys_handle_close(shared_section);
    /* The mappings keep the section alive after its handles are gone. */
    CHECK(((volatile uint32_t *)c)[0] == 0xC0FFEE);
    sys_vm_unmap(HANDLE_SELF_PROCESS, a, 2 * PAGE);
    sys_vm_unmap(HANDLE_SELF_PROCESS, b, PAGE);
    sys_vm_unmap(HANDLE_SELF_PROCESS, c, PAGE);
}

/* ---- copy-on-write ---- */

static volatile uint64_t cow_value = 1;
static handle_t cow_port;

static int cow_child(void *arg)
{
    ipc_msg_t m = {0};
    ipc_recv_info_t info;
    uint64_t seen_before, seen_after;

    (void)arg;
    seen_before = cow_value; /* 1: the value at the clone */
    /* Wait until the parent has written its own value. */
    if (native_ipc_recv(cow_port, &m, IPC_WAIT_FOREVER, &info) != ST_OK)
        return 10;
    seen_after = cow_value; /* still 1: the parent's write is not ours */
    cow_value = 3;          /* ours alone */
    m.tag = 0;
    m.w[0] = seen_before;
    m.w[1] = seen_after;
    m.w[2] = cow_value;
    native_ipc_reply(info.token, &m);
    return 0;
}

static void test_copy_on_write(void)
{
    handle_t h;
    ipc_msg_t m = {0};
    int64_t status;
    static uint8_t big[64 * 1024];

    for (size_t i = 0; i < sizeof(big); i += PAGE)
        big[i] = (uint8_t)i;
    cow_value = 1;
    EXPECT(sys_port_create(NULL, &cow_port), ST_OK);
    EXPECT(native_spawn_clone("cow-child", cow_child, NULL, &h), ST_OK);
    cow_value = 2;
    EXPECT(native_ipc_call(cow_port, &m, 0), ST_OK);
    CHECK(m.w[0] == 1 && m.w[1] == 1 && m.w[2] == 3);
    CHECK(cow_value == 2);
    for (size_t i = 0; i < sizeof(big); i += PAGE)
        CHECK(big[i] == (uint8_t)i);
    EXPECT(sys_process_wait(h, 0, &status), ST_OK);
    CHECK(status == 0);
    sys_handle_close(h);
    sys_handle_close(cow_port);
}

/* ---- ports ---- */

static handle_t echo_port;

static int echo_server(void *arg)
{
    ipc_msg_t m;
    ipc_recv_info_t info = {0};
    long st;

    (void)arg;
    for (st = native_ipc_recv(echo_port, &m, IPC_WAIT_FOREVER, &info); st == ST_OK;
         st = native_ipc_reply_recv(info.token, echo_port, &m, &info)) {
        if (IPC_LABEL(m.tag) == 99)
            return 0;
        for (int i = 0; i < IPC_WORDS; i++)
            m.w[i] += 1;
        m.tag = IPC_TAG(IPC_LABEL(m.tag) + 1000, 0);
    }
    return 1;
}

static void test_ports_basic(void)
{
    handle_t p2, conn, h;
    ipc_msg_t m;
    int64_t status;

    EXPECT(sys_port_create("exectest", &echo_port), ST_OK);
    EXPECT(sys_port_create("exectest", &p2), ST_EXISTS);
    EXPECT(sys_port_create("bad\\name", &p2), ST_INVALID_ARGUMENT);
    EXPECT(sys_port_create("", &p2), ST_INVALID_ARGUMENT);
    EXPECT(sys_port_create(KERNEL_PTR, &p2), ST_BAD_ADDRESS);
    EXPECT(sys_port_create(NULL, NULL), ST_BAD_ADDRESS);
    EXPECT(sys_port_connect("no-such-port", &conn), ST_NOT_FOUND);
    EXPECT(sys_port_connect(UNMAPPED, &conn), ST_BAD_ADDRESS);
    EXPECT(sys_port_connect("exectest", &conn), ST_OK);
    EXPECT(native_ipc_recv(conn, &m, IPC_NO_WAIT, NULL), ST_ACCESS_DENIED);

    EXPECT(native_spawn_clone("echo", echo_server, NULL, &h), ST_OK);
    for (int round = 0; round < 3; round++) {
        m.tag = IPC_TAG(5 + round, 0);
        for (int i = 0; i < IPC_WORDS; i++)
            m.w[i] = i * 100 + round;
        EXPECT(native_ipc_call(conn, &m, 0), ST_OK);
        CHECK(IPC_LABEL(m.tag) == 1005u + round);
        for (int i = 0; i < IPC_WORDS; i++)
            CHECK(m.w[i] == (uint64_t)(i * 100 + round + 1));
    }
    /* With the server waiting in ipc_reply_recv (the fast paths' case),
     * every check still holds: a stale handle (its slot reused), one out of
     * the table, one without H_CONNECT, one of another type. */
    handle_t d, d2;
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, conn, HANDLE_SELF_PROCESS, H_CONNECT, &d),
           ST_OK);
    EXPECT(sys_handle_close(d), ST_OK);
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, conn, HANDLE_SELF_PROCESS, H_CONNECT, &d2),
           ST_OK);
    m.tag = IPC_TAG(1, 0);
    EXPECT(native_ipc_call(d, &m, 0), ST_INVALID_HANDLE);
    EXPECT(native_ipc_call(0xfff0, &m, 0), ST_INVALID_HANDLE);
    EXPECT(native_ipc_call(0, &m, 0), ST_INVALID_HANDLE);
    EXPECT(native_ipc_call(h, &m, 0), ST_WRONG_TYPE);
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, conn, HANDLE_SELF_PROCESS, H_QUERY, &d),
           ST_OK);
    EXPECT(native_ipc_call(d, &m, 0), ST_ACCESS_DENIED);
    sys_handle_close(d);
    m.w[0] = 7;
    EXPECT(native_ipc_call(d2, &m, 0), ST_OK);
    CHECK(IPC_LABEL(m.tag) == 1001u && m.w[0] == 8);
    sys_handle_close(d2);
    /* A call with a timeout (the general path) to a server waiting on the
     * fast path, its reply, then a fast call again. */
    m.tag = IPC_TAG(2, 0);
    EXPECT(native_ipc_call(conn, &m, 1000 * MS), ST_OK);
    CHECK(IPC_LABEL(m.tag) == 1002u && m.w[0] == 9);
    m.tag = IPC_TAG(3, 0);
    EXPECT(native_ipc_call(conn, &m, 0), ST_OK);
    CHECK(IPC_LABEL(m.tag) == 1003u && m.w[0] == 10);
    m.tag = IPC_TAG(IPC_LABEL_NOTIFY, 0);
    EXPECT(native_ipc_call(conn, &m, 0), ST_INVALID_ARGUMENT); /* kernel labels */
    m.tag = IPC_TAG(99, 0);
    EXPECT(native_ipc_call(conn, &m, 0), ST_PEER_DIED); /* server left without reply */
    EXPECT(sys_process_wait(h, 0, &status), ST_OK);
    CHECK(status == 0);
    sys_handle_close(h);

    /* The port is still ours: no receiver, so a bounded call times out. */
    m.tag = 1;
    EXPECT(native_ipc_call(conn, &m, 2 * MS), ST_TIMEOUT);
    EXPECT(native_ipc_recv(echo_port, &m, IPC_NO_WAIT, NULL), ST_TIMEOUT);
    EXPECT(native_ipc_reply(12345, &m), ST_NOT_FOUND); /* ipc_reply with a kernel label too */
    EXPECT(native_ipc_reply(0, &m), ST_INVALID_ARGUMENT);

    /* Notifications collect bits until received. */
    EXPECT(sys_ipc_notify(conn, 0x5), ST_OK);
    EXPECT(sys_ipc_notify(conn, 0x2), ST_OK);
    EXPECT(sys_ipc_notify(conn, 0), ST_INVALID_ARGUMENT);
    ipc_recv_info_t info;
    EXPECT(native_ipc_recv(echo_port, &m, IPC_NO_WAIT, &info), ST_OK);
    CHECK(IPC_LABEL(m.tag) == IPC_LABEL_NOTIFY && m.w[0] == 7 && info.token == 0);

    /* Closing the receive handle kills the port and its name. */
    EXPECT(sys_handle_close(echo_port), ST_OK);
    m.tag = 1;
    EXPECT(native_ipc_call(conn, &m, 0), ST_PEER_DIED);
    EXPECT(sys_port_connect("exectest", &p2), ST_NOT_FOUND);
    sys_handle_close(conn);
}

/* 100 clients held by one server in deferred calls. */
#define NCLIENTS 100
static handle_t defer_port;
static volatile uint64_t client_result[NCLIENTS];
static volatile long client_status[NCLIENTS];

static void defer_client(void *arg)
{
    uintptr_t i = (uintptr_t)arg;
    ipc_msg_t m = {0};

    m.tag = IPC_TAG(1, 0);
    m.w[0] = i;
    client_status[i] = native_ipc_call(defer_port, &m, 0);
    client_result[i] = m.w[0];
    sys_thread_exit(0);
}

static int defer_server(void *arg)
{
    uint64_t tokens[NCLIENTS], values[NCLIENTS];
    ipc_msg_t m;
    ipc_recv_info_t info;

    (void)arg;
    for (int i = 0; i < NCLIENTS; i++) {
        if (native_ipc_recv(defer_port, &m, IPC_WAIT_FOREVER, &info) != ST_OK)
            return 1;
        tokens[i] = info.token;
        values[i] = m.w[0];
    }
    /* All 100 are blocked in their calls now; answer in reverse order. */
    for (int i = NCLIENTS - 1; i >= 0; i--) {
        m.tag = 0;
        m.w[0] = values[i] * 2 + 1;
        if (native_ipc_reply(tokens[i], &m) != ST_OK)
            return 2;
    }
    if (native_ipc_reply(tokens[0], &m) != ST_NOT_FOUND)
        return 3; /* a token is good for one reply */
    return 0;
}

static void test_deferred_replies(void)
{
    handle_t server, threads[NCLIENTS];
    int64_t status;

    EXPECT(sys_port_create(NULL, &defer_port), ST_OK);
    EXPECT(native_spawn_clone("defer-server", defer_server, NULL, &server), ST_OK);
    for (uintptr_t i = 0; i < NCLIENTS; i++) {
        client_status[i] = 1;
        EXPECT(native_thread_start(defer_client, (void *)i, 8192, &threads[i]), ST_OK);
    }
    EXPECT(sys_process_wait(server, 0, &status), ST_OK);
    CHECK(status == 0);
    for (int i = 0; i < NCLIENTS; i++) {
        EXPECT(sys_thread_wait(threads[i], 0, NULL), ST_OK);
        sys_handle_close(threads[i]);
        EXPECT(client_status[i], ST_OK);
        CHECK(client_result[i] == (uint64_t)i * 2 + 1);
    }
    sys_handle_close(server);
    sys_handle_close(defer_port);
}

/* A server killed while clients wait: every one gets ST_PEER_DIED. */
static handle_t doomed_port;
static volatile long doomed_status[4];

static void doomed_client(void *arg)
{
    uintptr_t i = (uintptr_t)arg;
    ipc_msg_t m = {0};

    m.tag = 1;
    doomed_status[i] = native_ipc_call(doomed_port, &m, 0);
    sys_thread_exit(0);
}

static int doomed_server(void *arg)
{
    ipc_msg_t m;

    (void)arg;
    native_ipc_recv(doomed_port, &m, IPC_WAIT_FOREVER, NULL); /* takes one call... */
    for (;;)
        sys_sleep(1000 * MS); /* ...and never answers */
    return 0;
}

static void test_server_death(void)
{
    handle_t server, conn, t[4];

    EXPECT(sys_port_create(NULL, &doomed_port), ST_OK);
    EXPECT(native_spawn_clone("doomed", doomed_server, NULL, &server), ST_OK);
    /* Give the server our receive right and drop ours: its death kills the port. */
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, doomed_port, HANDLE_SELF_PROCESS,
                                H_CONNECT | H_DUPLICATE, &conn),
           ST_OK);
    for (uintptr_t i = 0; i < 4; i++) {
        doomed_status[i] = 1;
        EXPECT(native_thread_start(doomed_client, (void *)i, 8192, &t[i]), ST_OK);
    }
    sys_sleep(5 * MS);
    EXPECT(sys_handle_close(doomed_port), ST_OK); /* the clone still holds the receive handle */
    for (int i = 0; i < 4; i++)
        CHECK(doomed_status[i] == 1); /* all still waiting */
    EXPECT(sys_process_terminate(server, 1), ST_OK);
    for (int i = 0; i < 4; i++) {
        EXPECT(sys_thread_wait(t[i], 0, NULL), ST_OK);
        EXPECT(doomed_status[i], ST_PEER_DIED);
        sys_handle_close(t[i]);
    }
    ipc_msg_t m = {0};
    EXPECT(native_ipc_call(conn, &m, 0), ST_PEER_DIED);
    sys_process_wait(server, 0, NULL);
    sys_handle_close(server);
    sys_handle_close(conn);
}

/* A client and a server calling each other without end switch directly
 * (the fast path): they must still leave the CPU to others when their
 * slice ends. */
static handle_t pair_port;

static int pair_server(void *arg)
{
    ipc_msg_t m;
    ipc_recv_info_t info;

    (void)arg;
    if (native_ipc_recv(pair_port, &m, IPC_WAIT_FOREVER, &info) != ST_OK)
        return 1;
    for (;;) {
        m.tag = 0;
        if (native_ipc_reply_recv(info.token, pair_port, &m, &info) != ST_OK)
            return 2;
    }
}

static int pair_client(void *arg)
{
    ipc_msg_t m = {0};

    (void)arg;
    while (native_ipc_call(pair_port, &m, IPC_WAIT_FOREVER) == ST_OK)
        m.tag = 0;
    return 3;
}

static void test_ipc_pair_shares_the_cpu(void)
{
    handle_t server, client;
    uint64_t t0, t1;

    EXPECT(sys_port_create(NULL, &pair_port), ST_OK);
    EXPECT(native_spawn_clone("pair-server", pair_server, NULL, &server), ST_OK);
    EXPECT(native_spawn_clone("pair-client", pair_client, NULL, &client), ST_OK);
    sys_sleep(5 * MS); /* now they call each other */
    EXPECT(sys_clock_get(CLOCK_MONOTONIC_NS, &t0), ST_OK);
    EXPECT(sys_sleep(20 * MS), ST_OK);
    EXPECT(sys_clock_get(CLOCK_MONOTONIC_NS, &t1), ST_OK);
    CHECK(t1 - t0 < 500 * MS); /* woken after a slice or two, not starved */
    EXPECT(sys_process_terminate(client, 0), ST_OK);
    EXPECT(sys_process_terminate(server, 0), ST_OK);
    sys_process_wait(client, 0, NULL);
    sys_process_wait(server, 0, NULL);
    sys_handle_close(client);
    sys_handle_close(server);
    sys_handle_close(pair_port);
}

/*
 * Waits the ipc fast path began end like any other: a call held by the
 * server is cancelled by an alert, and a server waiting in reply-and-
 * receive after a direct switch is woken by a notification.
 */
static handle_t held_port;
static volatile long held_status = 1;

static void held_caller(void *arg)
{
    ipc_msg_t m = {0};

    (void)arg;
    m.tag = IPC_TAG(2, 0);
    held_status = native_ipc_call(held_port, &m, IPC_WAIT_FOREVER);
    sys_thread_exit(0);
}

static int held_server(void *arg)
{
    uint64_t token[3] = {0};
    ipc_msg_t m;
    ipc_recv_info_t info;

    (void)arg;
    while (!token[1] || !token[2]) {
        if (native_ipc_recv(held_port, &m, IPC_WAIT_FOREVER, &info) != ST_OK)
            return 1;
        if (IPC_LABEL(m.tag) != 1 && IPC_LABEL(m.tag) != 2)
            return 2;
        token[IPC_LABEL(m.tag)] = info.token;
    }
    /* Answers the main thread, keeps the other call, and waits. */
    m.tag = IPC_TAG(7, 0);
    if (native_ipc_reply_recv(token[1], held_port, &m, &info) != ST_OK)
        return 3;
    if (IPC_LABEL(m.tag) != IPC_LABEL_NOTIFY || m.w[0] != 0x10)
        return 4;
    m.tag = 0;
    if (native_ipc_reply(token[2], &m) != ST_NOT_FOUND)
        return 5; /* the alert ended that call */
    return 0;
}

static void test_fast_path_waits_end(void)
{
    handle_t server, t;
    ipc_msg_t m = {0};
    int64_t status;

    EXPECT(sys_port_create(NULL, &held_port), ST_OK);
    EXPECT(native_spawn_clone("held-server", held_server, NULL, &server), ST_OK);
    EXPECT(native_thread_start(held_caller, NULL, 16384, &t), ST_OK);
    m.tag = IPC_TAG(1, 0);
    EXPECT(native_ipc_call(held_port, &m, IPC_WAIT_FOREVER), ST_OK);
    CHECK(IPC_LABEL(m.tag) == 7);
    CHECK(held_status == 1); /* held by the server */
    EXPECT(sys_thread_alert(t), ST_OK);
    EXPECT(sys_thread_wait(t, 0, NULL), ST_OK);
    EXPECT(held_status, ST_CANCELLED);
    EXPECT(sys_ipc_notify(held_port, 0x10), ST_OK);
    EXPECT(sys_process_wait(server, 0, &status), ST_OK);
    CHECK(status == 0);
    sys_handle_close(t);
    sys_handle_close(server);
    sys_handle_close(held_port);
}

/*
 * A context set on a thread blocked in a call: when the call ends, the
 * thread goes on where the new context says, here through the fast path's
 * direct exit (the server waits when the call comes, and answers it in
 * reply-and-receive), which must not restore the old frame with sysret.
 */
static handle_t ctx_port;

static void ctx_caller(void *arg)
{
    ipc_msg_t m = {0};

    (void)arg;
    m.tag = IPC_TAG(1, 0);
    native_ipc_call(ctx_port, &m, IPC_WAIT_FOREVER);
    sys_thread_exit(1); /* the old context */
}

static void ctx_server(void *arg)
{
    uint64_t token[3] = {0};
    ipc_msg_t m;
    ipc_recv_info_t info;

    (void)arg;
    while (!token[1] || !token[2]) {
        if (native_ipc_recv(ctx_port, &m, IPC_WAIT_FOREVER, &info) != ST_OK)
            sys_thread_exit(2);
        if (IPC_LABEL(m.tag) == 1 || IPC_LABEL(m.tag) == 2)
            token[IPC_LABEL(m.tag)] = info.token;
    }
    m.tag = 0;
    native_ipc_reply(token[2], &m); /* the main thread: the caller is held */
    if (native_ipc_recv(ctx_port, &m, IPC_WAIT_FOREVER, &info) != ST_OK ||
        IPC_LABEL(m.tag) != IPC_LABEL_NOTIFY)
        sys_thread_exit(3);
    m.tag = 0;
    native_ipc_reply_recv(token[1], ctx_port, &m, &info); /* waits until terminated */
    sys_thread_exit(4);
}

static void test_set_context_of_blocked_call(void)
{
    handle_t server, t;
    ipc_msg_t m = {0};
    thread_context_t ctx;
    int64_t status;

    EXPECT(sys_port_create(NULL, &ctx_port), ST_OK);
    EXPECT(native_thread_start(ctx_server, NULL, 16384, &server), ST_OK);
    m.tag = IPC_TAG(2, 0);
    thread_flag = 0;
    EXPECT(native_thread_start(ctx_caller, NULL, 16384, &t), ST_OK);
    EXPECT(native_ipc_call(ctx_port, &m, IPC_WAIT_FOREVER), ST_OK);
    EXPECT(sys_thread_get_context(t, &ctx), ST_OK);
    ctx.rip = (uintptr_t)thread_other_entry;
    ctx.rsp = (ctx.rsp & ~15ull) - 8;
    EXPECT(sys_thread_set_context(t, &ctx), ST_OK);
    EXPECT(sys_ipc_notify(ctx_port, 1), ST_OK);
    EXPECT(sys_thread_wait(t, 0, &status), ST_OK);
    CHECK(status == 6);
    CHECK(thread_flag == 99);
    EXPECT(sys_thread_terminate(server, 0), ST_OK);
    EXPECT(sys_thread_wait(server, 0, &status), ST_OK);
    CHECK(status == 0);
    sys_handle_close(t);
    sys_handle_close(server);
    sys_handle_close(ctx_port);
}

/*
 * A message the fast path hands straight to a thread that leaves for user
 * mode arrives whole even when that thread has work due first (here a
 * suspension): a reply to a suspended caller, then a call to a suspended
 * server. The sleeps only order the steps; the checks hold either way.
 */
static handle_t susp_port;

static bool susp_words_are(const ipc_msg_t *m, uint64_t base)
{
    for (int i = 0; i < IPC_WORDS; i++) {
        if (m->w[i] != base + (uint64_t)i)
            return false;
    }
    return true;
}

static void susp_fill(ipc_msg_t *m, uint32_t label, uint64_t base)
{
    m->tag = IPC_TAG(label, 0);
    for (int i = 0; i < IPC_WORDS; i++)
        m->w[i] = base + (uint64_t)i;
}

static void susp_caller(void *arg)
{
    ipc_msg_t m;

    (void)arg;
    susp_fill(&m, 1, 10);
    if (native_ipc_call(susp_port, &m, IPC_WAIT_FOREVER) != ST_OK || IPC_LABEL(m.tag) != 2 ||
        !susp_words_are(&m, 110))
        sys_thread_exit(1);
    susp_fill(&m, 3, 30);
    if (native_ipc_call(susp_port, &m, IPC_WAIT_FOREVER) != ST_OK || IPC_LABEL(m.tag) != 4 ||
        !susp_words_are(&m, 130))
        sys_thread_exit(2);
    sys_thread_exit(0);
}

static void susp_server(void *arg)
{
    ipc_msg_t m;
    ipc_recv_info_t info;
    uint64_t token;

    (void)arg;
    if (native_ipc_recv(susp_port, &m, IPC_WAIT_FOREVER, &info) != ST_OK || IPC_LABEL(m.tag) != 1 ||
        !susp_words_are(&m, 10))
        sys_thread_exit(1);
    token = info.token;
    if (native_ipc_recv(susp_port, &m, IPC_WAIT_FOREVER, &info) != ST_OK ||
        IPC_LABEL(m.tag) != IPC_LABEL_NOTIFY)
        sys_thread_exit(2);
    susp_fill(&m, 2, 110);
    if (native_ipc_reply_recv(token, susp_port, &m, &info) != ST_OK || IPC_LABEL(m.tag) != 3 ||
        !susp_words_are(&m, 30))
        sys_thread_exit(3);
    susp_fill(&m, 4, 130);
    native_ipc_reply(info.token, &m);
    sys_thread_exit(0);
}

static void test_fast_path_message_to_suspended(void)
{
    handle_t server, caller;
    int64_t status;

    EXPECT(sys_port_create(NULL, &susp_port), ST_OK);
    EXPECT(native_thread_start(susp_server, NULL, 16384, &server), ST_OK);
    sys_sleep(2 * MS); /* the server waits */
    EXPECT(native_thread_start(susp_caller, NULL, 16384, &caller), ST_OK);
    sys_sleep(2 * MS); /* the call is held */
    EXPECT(sys_thread_suspend(caller), ST_OK);
    EXPECT(sys_ipc_notify(susp_port, 1), ST_OK); /* the server replies */
    sys_sleep(2 * MS);
    EXPECT(sys_thread_suspend(server), ST_OK);
    EXPECT(sys_thread_resume(caller), ST_OK); /* checks the reply, calls */
    sys_sleep(2 * MS);
    EXPECT(sys_thread_resume(server), ST_OK);
    EXPECT(sys_thread_wait(caller, 0, &status), ST_OK);
    CHECK(status == 0);
    EXPECT(sys_thread_wait(server, 0, &status), ST_OK);
    CHECK(status == 0);
    sys_handle_close(caller);
    sys_handle_close(server);
    sys_handle_close(susp_port);
}

/* Handle transfer: the client sends a section; the server maps it. */
static handle_t xfer_port;

static int xfer_server(void *arg)
{
    ipc_msg_t m;
    ipc_recv_info_t info;
    uint64_t a = 0;

    (void)arg;
    if (native_ipc_recv(xfer_port, &m, IPC_WAIT_FOREVER, &info) != ST_OK)
        return 1;
    if (!(IPC_FLAGS(m.tag) & IPC_FLAG_HANDLE))
        return 2;
    if (sys_vm_map(HANDLE_SELF_PROCESS, &a, PAGE, PROT_R | PROT_W, 0, (handle_t)m.w[7], 0) < 0)
        return 3;
    ((volatile uint64_t *)a)[0] = ((volatile uint64_t *)a)[1] + 1;
    m.tag = 0;
    native_ipc_reply(info.token, &m);
    return 0;
}

static void test_handle_transfer(void)
{
    handle_t server, sec;
    uint64_t a = 0;
    ipc_msg_t m = {0};
    int64_t status;

    EXPECT(sys_port_create(NULL, &xfer_port), ST_OK);
    EXPECT(sys_section_create(PAGE, &sec), ST_OK);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &a, PAGE, PROT_R | PROT_W, 0, sec, 0), ST_OK);
    ((volatile uint64_t *)a)[1] = 41;
    EXPECT(native_spawn_clone("xfer", xfer_server, NULL, &server), ST_OK);
    m.tag = IPC_TAG(1, IPC_FLAG_HANDLE);
    m.w[7] = sec;
    EXPECT(native_ipc_call(xfer_port, &m, 0), ST_OK);
    CHECK(((volatile uint64_t *)a)[0] == 42);
    EXPECT(sys_process_wait(server, 0, &status), ST_OK);
    CHECK(status == 0);
    sys_handle_close(server);
    sys_handle_close(sec);
    sys_handle_close(xfer_port);
    sys_vm_unmap(HANDLE_SELF_PROCESS, a, PAGE);
}

/* ---- exception ports ---- */

#define FAULT_ADDR 0x0000400000000000ull

static int faulting_child(void *arg)
{
    (void)arg;
    *(volatile uint64_t *)FAULT_ADDR = 1234; /* faults: nothing mapped there */
    return (int)(*(volatile uint64_t *)FAULT_ADDR / 2);
}

static void test_exception_port(void)
{
    handle_t port, child;
    ipc_msg_t m;
    ipc_recv_info_t info;
    int64_t status;
    uint64_t a = FAULT_ADDR;

    EXPECT(sys_port_create(NULL, &port), ST_OK);
    EXPECT(sys_process_set_exception_port(HANDLE_SELF_PROCESS, 777), ST_INVALID_HANDLE);

    /* Resume after mapping the page: the child carries on. */
    EXPECT(native_spawn_clone("faulter", faulting_child, NULL, &child), ST_OK);
    EXPECT(sys_process_set_exception_port(child, port), ST_OK);
    EXPECT(native_ipc_recv(port, &m, 1000 * MS, &info), ST_OK);
    CHECK(IPC_LABEL(m.tag) == IPC_LABEL_EXCEPTION);
    CHECK(m.w[IPC_EXC_VECTOR] == 14 && m.w[IPC_EXC_ADDRESS] == FAULT_ADDR);
    EXPECT(sys_vm_map(child, &a, PAGE, PROT_R | PROT_W, MAPF_FIXED, 0, 0), ST_OK);
    m.tag = IPC_TAG(IPC_EXC_RESUME, 0);
    EXPECT(native_ipc_reply(info.token, &m), ST_OK);
    EXPECT(sys_process_wait(child, 0, &status), ST_OK);
    CHECK(status == 617);
    sys_handle_close(child);

    /* Kill: the child ends with the fault's status. */
    EXPECT(native_spawn_clone("faulter2", faulting_child, NULL, &child), ST_OK);
    EXPECT(sys_process_set_exception_port(child, port), ST_OK);
    EXPECT(native_ipc_recv(port, &m, 1000 * MS, &info), ST_OK);
    m.tag = IPC_TAG(IPC_EXC_KILL, 0);
    EXPECT(native_ipc_reply(info.token, &m), ST_OK);
    EXPECT(sys_process_wait(child, 0, &status), ST_OK);
    CHECK(status == EXIT_STATUS_FAULT(14));
    sys_handle_close(child);
    sys_handle_close(port);
}

/* An interrupt upcall: the spinning child is stopped between two
 * instructions, and its exception port points it somewhere else. */
static volatile int spin_forever = 1;

static int spinning_child(void *arg)
{
    (void)arg;
    while (spin_forever)
        ;
    return 1;
}

static void exit_with_55(void)
{
    sys_process_exit(55);
}

static void test_thread_interrupt(void)
{
    handle_t port, child, thread;
    ipc_msg_t m;
    ipc_recv_info_t info;
    thread_context_t ctx;
    int64_t status;

    EXPECT(sys_port_create(NULL, &port), ST_OK);
    EXPECT(native_spawn_clone_thread("spinner", spinning_child, NULL, &child, &thread), ST_OK);
    EXPECT(sys_thread_interrupt(thread), ST_BAD_STATE); /* no exception port yet */
    EXPECT(sys_process_set_exception_port(child, port), ST_OK);
    EXPECT(sys_thread_interrupt(thread), ST_OK);
    EXPECT(native_ipc_recv(port, &m, 2000 * MS, &info), ST_OK);
    CHECK(IPC_LABEL(m.tag) == IPC_LABEL_EXCEPTION && m.w[IPC_EXC_VECTOR] == IPC_EXC_INTERRUPT);
    EXPECT(sys_thread_get_context(thread, &ctx), ST_OK);
    CHECK(ctx.rip == m.w[IPC_EXC_RIP]);
    ctx.rip = (uintptr_t)exit_with_55;
    EXPECT(sys_thread_set_context(thread, &ctx), ST_OK);
    m.tag = IPC_TAG(IPC_EXC_RESUME, 0);
    EXPECT(native_ipc_reply(info.token, &m), ST_OK);
    EXPECT(sys_process_wait(child, 0, &status), ST_OK);
    CHECK(status == 55);
    EXPECT(sys_thread_interrupt(thread), ST_TERMINATED);
    EXPECT(sys_thread_interrupt(port), ST_WRONG_TYPE);
    sys_handle_close(thread);
    sys_handle_close(child);
    sys_handle_close(port);
}

/* A foreign-personality thread: its system calls are messages to the
 * subsystem port, except those the thread's answer table covers. */
static void __attribute__((noreturn)) foreign_child(void)
{
    long pid, other;

    __asm__ volatile("syscall" : "=a"(pid) : "a"(39l) : "rcx", "r11", "memory");
    __asm__ volatile("syscall" : "=a"(other) : "a"(1000l), "D"(pid) : "rcx", "r11", "memory");
    __asm__ volatile("syscall" : "=a"(pid) : "a"(39l) : "rcx", "r11", "memory");
    __asm__ volatile("syscall" : : "a"(1001l), "D"(pid), "S"(other) : "rcx", "r11", "memory");
    for (;;)
        __asm__ volatile("syscall" : : "a"(60l) : "rcx", "r11", "memory");
}

/*
 * A forwarded system call the fast path hands to a server thread that has
 * work due before user mode (a suspension) arrives whole: the number, the
 * six arguments and the thread id.
 */
static void __attribute__((noreturn)) foreign_caller(void)
{
    register long r10 __asm__("r10") = 44;
    register long r8 __asm__("r8") = 55;
    register long r9 __asm__("r9") = 66;

    __asm__ volatile("syscall"
                     :
                     : "a"(1002l), "D"(11l), "S"(22l), "d"(33l), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    for (;;)
        __asm__ volatile("syscall" : : "a"(60l) : "rcx", "r11", "memory");
}

static handle_t fwd_port;
static volatile uint64_t fwd_tid;

static void fwd_server(void *arg)
{
    ipc_msg_t m = {0};
    ipc_recv_info_t info;

    (void)arg;
    if (native_ipc_recv(fwd_port, &m, IPC_WAIT_FOREVER, &info) != ST_OK || IPC_LABEL(m.tag) != 1)
        sys_thread_exit(1);
    /* Answers the main thread, then waits (suspended) for the call. */
    m.tag = 0;
    if (native_ipc_reply_recv(info.token, fwd_port, &m, &info) != ST_OK)
        sys_thread_exit(2);
    if (m.tag != IPC_TAG(IPC_LABEL_SYSCALL, 0) || m.w[IPC_SC_NR] != 1002 ||
        m.w[IPC_SC_ARG0] != 11 || m.w[IPC_SC_ARG0 + 1] != 22 || m.w[IPC_SC_ARG0 + 2] != 33 ||
        m.w[IPC_SC_ARG0 + 3] != 44 || m.w[IPC_SC_ARG0 + 4] != 55 || m.w[IPC_SC_ARG0 + 5] != 66 ||
        m.w[IPC_SC_TID] != fwd_tid)
        sys_thread_exit(3);
    sys_thread_exit(0);
}

/* A POSIX-personality copy of this process whose system calls go to port,
 * with one suspended thread at entry. */
static void foreign_start(const char *name, handle_t port, void (*entry)(void), handle_t *child,
                          handle_t *th)
{
    uint64_t stack = 0;

    EXPECT(sys_process_create(name, PERSONALITY_POSIX, port, 0, child), ST_OK);
    EXPECT(sys_vm_clone(*child, HANDLE_SELF_PROCESS), ST_OK);
    EXPECT(sys_vm_map(*child, &stack, 4 * PAGE, PROT_R | PROT_W, 0, 0, 0), ST_OK);
    EXPECT(sys_thread_create(*child, (uint64_t)entry, stack + 4 * PAGE - 8, 0,
                             THREAD_CREATE_SUSPENDED, th),
           ST_OK);
}

static void test_forwarded_call_to_suspended(void)
{
    handle_t child, th, server;
    ipc_msg_t m = {0};
    thread_info_t ti;
    int64_t status;

    EXPECT(sys_port_create(NULL, &fwd_port), ST_OK);
    foreign_start("foreign2", fwd_port, foreign_caller, &child, &th);
    EXPECT(sys_thread_info(th, &ti), ST_OK);
    fwd_tid = ti.tid;
    EXPECT(native_thread_start(fwd_server, NULL, 16384, &server), ST_OK);
    m.tag = IPC_TAG(1, 0);
    EXPECT(native_ipc_call(fwd_port, &m, IPC_WAIT_FOREVER), ST_OK);
    EXPECT(sys_thread_suspend(server), ST_OK);
    EXPECT(sys_thread_resume(th), ST_OK);
    sys_sleep(2 * MS); /* the call reaches the suspended server */
    EXPECT(sys_thread_resume(server), ST_OK);
    EXPECT(sys_thread_wait(server, 0, &status), ST_OK);
    CHECK(status == 0);
    EXPECT(sys_process_terminate(child, 0), ST_OK);
    EXPECT(sys_process_wait(child, 0, &status), ST_OK);
    sys_handle_close(th);
    sys_handle_close(child);
    sys_handle_close(server);
    sys_handle_close(fwd_port);
}

static void test_thread_answers(void)
{
    handle_t port, child, th;
    ipc_msg_t m;
    ipc_recv_info_t info;
    syscall_answer_t tab[THREAD_ANSWERS_MAX + 1] = {{39, 4242}, {102, 0}};
    thread_info_t ti;
    handle_info_t hi;
    int64_t status;

    EXPECT(sys_port_create(NULL, &port), ST_OK);
    foreign_start("foreign", port, foreign_child, &child, &th);
    EXPECT(sys_thread_set_answers(th, tab, THREAD_ANSWERS_MAX + 1), ST_INVALID_ARGUMENT);
    EXPECT(sys_thread_set_answers(th, KERNEL_PTR, 1), ST_BAD_ADDRESS);
    EXPECT(sys_thread_set_answers(port, tab, 1), ST_WRONG_TYPE);
    EXPECT(sys_thread_set_answers(th, tab, 2), ST_OK);
    EXPECT(sys_thread_info(th, &ti), ST_OK);
    EXPECT(sys_handle_info(th, &hi), ST_OK);
    CHECK(ti.tid == hi.object_id && ti.exited == 0);
    EXPECT(sys_handle_info(child, &hi), ST_OK);
    CHECK(ti.pid == hi.object_id && ti.pid != ti.tid); /* one numbering for both */
    EXPECT(sys_thread_info(th, KERNEL_PTR), ST_BAD_ADDRESS);
    EXPECT(sys_thread_resume(th), ST_OK);
    /* getpid was answered in the kernel: the first message is call 1000. */
    EXPECT(native_ipc_recv(port, &m, 2000 * MS, &info), ST_OK);
    CHECK(IPC_LABEL(m.tag) == IPC_LABEL_SYSCALL && m.w[IPC_SC_NR] == 1000);
    CHECK(m.w[IPC_SC_ARG0] == 4242 && m.w[IPC_SC_TID] == ti.tid);
    /* A new table replaces the old one: now getpid is forwarded. */
    EXPECT(sys_thread_set_answers(th, NULL, 0), ST_OK);
    m.tag = 0;
    m.w[0] = 7;
    EXPECT(native_ipc_reply(info.token, &m), ST_OK);
    EXPECT(native_ipc_recv(port, &m, 2000 * MS, &info), ST_OK);
    CHECK(m.w[IPC_SC_NR] == 39);
    m.w[0] = 99;
    EXPECT(native_ipc_reply(info.token, &m), ST_OK);
    EXPECT(native_ipc_recv(port, &m, 2000 * MS, &info), ST_OK);
    CHECK(m.w[IPC_SC_NR] == 1001 && m.w[IPC_SC_ARG0] == 99 && m.w[IPC_SC_ARG0 + 1] == 7);
    EXPECT(native_ipc_reply(info.token, &m), ST_OK);
    EXPECT(native_ipc_recv(port, &m, 2000 * MS, &info), ST_OK);
    CHECK(m.w[IPC_SC_NR] == 60);
    EXPECT(sys_process_terminate(child, 0), ST_OK);
    EXPECT(native_ipc_reply(info.token, &m), ST_OK);
    EXPECT(sys_process_wait(child, 0, &status), ST_OK);
    EXPECT(sys_thread_set_answers(th, tab, 1), ST_TERMINATED);
    EXPECT(sys_thread_info(th, &ti), ST_OK);
    CHECK(ti.exited == 1);
    EXPECT(sys_thread_info(HANDLE_SELF_THREAD, &ti), ST_OK);
    CHECK(ti.cpu_ns > 0);
    sys_handle_close(th);
    sys_handle_close(child);
    sys_handle_close(port);
}

/* Calls 103 (sharing getpid's bit of the answer filter, so forwarded),
 * getpid (answered), then reports both results in call 1003. */
static void __attribute__((noreturn)) foreign_reporter(void)
{
    long a, b;

    __asm__ volatile("syscall" : "=a"(a) : "a"(103l) : "rcx", "r11", "memory");
    __asm__ volatile("syscall" : "=a"(b) : "a"(39l) : "rcx", "r11", "memory");
    __asm__ volatile("syscall" : : "a"(1003l), "D"(a), "S"(b) : "rcx", "r11", "memory");
    for (;;)
        __asm__ volatile("syscall" : : "a"(60l) : "rcx", "r11", "memory");
}

/* Forwarded calls and their replies between a thread and a server waiting
 * in ipc_reply_recv (the fast paths), with an answer table. */
static void test_forwarded_fast(void)
{
    handle_t port, child, th;
    ipc_msg_t m = {0};
    ipc_recv_info_t info;
    syscall_answer_t tab[1] = {{39, 4242}};
    int64_t status;

    EXPECT(sys_port_create(NULL, &port), ST_OK);
    foreign_start("foreign3", port, foreign_reporter, &child, &th);
    EXPECT(sys_thread_set_answers(th, tab, 1), ST_OK);
    EXPECT(sys_thread_resume(th), ST_OK);
    EXPECT(native_ipc_recv(port, &m, 2000 * MS, &info), ST_OK);
    CHECK(IPC_LABEL(m.tag) == IPC_LABEL_SYSCALL && m.w[IPC_SC_NR] == 103);
    m.tag = 0;
    m.w[0] = 77;
    EXPECT(native_ipc_reply_recv(info.token, port, &m, &info), ST_OK);
    CHECK(IPC_LABEL(m.tag) == IPC_LABEL_SYSCALL && m.w[IPC_SC_NR] == 1003);
    CHECK(m.w[IPC_SC_ARG0] == 77 && m.w[IPC_SC_ARG0 + 1] == 4242);
    m.tag = 0;
    EXPECT(native_ipc_reply_recv(info.token, port, &m, &info), ST_OK);
    CHECK(m.w[IPC_SC_NR] == 60);
    EXPECT(sys_process_terminate(child, 0), ST_OK);
    EXPECT(native_ipc_reply(info.token, &m), ST_OK);
    EXPECT(sys_process_wait(child, 0, &status), ST_OK);
    sys_handle_close(th);
    sys_handle_close(child);
    sys_handle_close(port);
}

/* Private (copy-on-write) mappings of a section, and shared mappings that
 * may never become writable. */
static int private_child(void *arg)
{
    volatile uint32_t *p = arg;

    if (p[0] != 0xAAAA)
        return 1;  /* the parent's private copy, inherited */
    p[0] = 0xCCCC; /* the child's own copy now */
    return 0;
}

static void test_private_sections(void)
{
    handle_t sec, ro, child;
    uint64_t shared = 0, priv = 0, ropriv = 0, roshared = 0;
    int64_t status;

    EXPECT(sys_section_create(2 * PAGE, &sec), ST_OK);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &shared, 2 * PAGE, PROT_R | PROT_W, 0, sec, 0), ST_OK);
    ((volatile uint32_t *)shared)[0] = 0x1111;
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &priv, 2 * PAGE, PROT_R | PROT_W, MAPF_PRIVATE, sec, 0),
           ST_OK);
    CHECK(((volatile uint32_t *)priv)[0] == 0x1111); /* reads see the section */
    ((volatile uint32_t *)priv)[0] = 0xAAAA;         /* a write copies the page */
    CHECK(((volatile uint32_t *)shared)[0] == 0x1111);
    ((volatile uint32_t *)shared)[1024] = 0x2222; /* second page, never written privately */
    CHECK(((volatile uint32_t *)priv)[1024] == 0x2222);
    EXPECT(native_spawn_clone("private", private_child, (void *)priv, &child), ST_OK);
    EXPECT(sys_process_wait(child, 0, &status), ST_OK);
    CHECK(status == 0);
    CHECK(((volatile uint32_t *)priv)[0] == 0xAAAA); /* the child wrote its own copy */
    sys_handle_close(child);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &priv, PAGE, PROT_R, MAPF_PRIVATE, 0, 0),
           ST_INVALID_ARGUMENT);

    /* A read-only handle: privately writable, never shared-writable. */
    EXPECT(sys_handle_duplicate(HANDLE_SELF_PROCESS, sec, HANDLE_SELF_PROCESS, H_MAP | H_READ, &ro),
           ST_OK);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &ropriv, PAGE, PROT_R | PROT_W, MAPF_PRIVATE, ro, 0),
           ST_OK);
    ((volatile uint32_t *)ropriv)[0] = 0xBBBB;
    CHECK(((volatile uint32_t *)shared)[0] == 0x1111);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &roshared, PAGE, PROT_R, 0, ro, 0), ST_OK);
    EXPECT(sys_vm_protect(HANDLE_SELF_PROCESS, roshared, PAGE, PROT_R | PROT_W), ST_ACCESS_DENIED);
    EXPECT(sys_vm_protect(HANDLE_SELF_PROCESS, ropriv, PAGE, PROT_R), ST_OK);
    EXPECT(sys_vm_protect(HANDLE_SELF_PROCESS, ropriv, PAGE, PROT_R | PROT_W), ST_OK);
    CHECK(((volatile uint32_t *)ropriv)[0] == 0xBBBB);
    sys_vm_unmap(HANDLE_SELF_PROCESS, shared, 2 * PAGE);
    sys_vm_unmap(HANDLE_SELF_PROCESS, priv, 2 * PAGE);
    sys_vm_unmap(HANDLE_SELF_PROCESS, ropriv, PAGE);
    sys_vm_unmap(HANDLE_SELF_PROCESS, roshared, PAGE);
    sys_handle_close(ro);
    sys_handle_close(sec);
}

/* Device memory: privileged only, physically consecutive, bounded. */
static int contiguous_child(void *arg)
{
    handle_t h;
    uint64_t pa;

    (void)arg;
    if (sys_section_create_physical(0xb8000, PAGE, &h) != ST_ACCESS_DENIED)
        return 2;
    return sys_section_create_contiguous(PAGE, &h, &pa) == ST_ACCESS_DENIED ? 0 : 1;
}

static void test_contiguous_sections(void)
{
    handle_t h, child;
    uint64_t pa = 0, addr = 0;
    int64_t status = -1;

    EXPECT(sys_section_create_contiguous(3 * PAGE, &h, &pa), ST_OK);
    CHECK(pa && !(pa & (PAGE - 1)) && pa < (4ull << 30));
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &addr, 3 * PAGE, PROT_R | PROT_W, 0, h, 0), ST_OK);
    CHECK(((volatile uint64_t *)addr)[0] == 0 && ((volatile uint64_t *)addr)[1000] == 0);
    ((volatile uint64_t *)addr)[1000] = 42;
    CHECK(((volatile uint64_t *)addr)[1000] == 42);
    sys_vm_unmap(HANDLE_SELF_PROCESS, addr, 3 * PAGE);
    sys_handle_close(h);
    EXPECT(sys_section_create_contiguous(0, &h, &pa), ST_INVALID_ARGUMENT);
    EXPECT(sys_section_create_contiguous(64ull << 20, &h, &pa), ST_INVALID_ARGUMENT);
    EXPECT(sys_section_create_contiguous(PAGE, (handle_t *)8, &pa), ST_BAD_ADDRESS);
    EXPECT(sys_section_create_contiguous(PAGE, &h, (uint64_t *)0xffff800000000000ull),
           ST_BAD_ADDRESS);
    /* Device memory at a physical address: the VGA text buffer, never RAM. */
    addr = 0;
    EXPECT(sys_section_create_physical(0xb8000, 2 * PAGE, &h), ST_OK);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &addr, 2 * PAGE, PROT_R | PROT_W, 0, h, 0), ST_OK);
    volatile uint16_t *cell = (volatile uint16_t *)addr + 80 * 24 + 79;
    uint16_t saved = *cell;
    *cell = 0x0741;
    CHECK(*cell == 0x0741);
    *cell = saved;
    sys_vm_unmap(HANDLE_SELF_PROCESS, addr, 2 * PAGE);
    sys_handle_close(h);
    EXPECT(sys_section_create_physical(0x200000, PAGE, &h), ST_ACCESS_DENIED); /* RAM */
    EXPECT(sys_section_create_physical(0x9f000, 4 * PAGE, &h), ST_ACCESS_DENIED);
    EXPECT(sys_section_create_physical(0xb8001, PAGE, &h), ST_INVALID_ARGUMENT);
    EXPECT(sys_section_create_physical(0xb8000, 0, &h), ST_INVALID_ARGUMENT);
    EXPECT(sys_section_create_physical(~0ull & ~(PAGE - 1), PAGE, &h), ST_INVALID_ARGUMENT);
    EXPECT(sys_section_create_physical(0xb8000, PAGE, (handle_t *)8), ST_BAD_ADDRESS);
    EXPECT(native_spawn_clone("contiguous", contiguous_child, NULL, &child), ST_OK);
    EXPECT(sys_process_wait(child, 0, &status), ST_OK);
    CHECK(status == 0);
    sys_handle_close(child);
}

static void test_misc(void)
{
    uint64_t t0, t1;
    system_info_t si;

    EXPECT(sys_clock_get(CLOCK_MONOTONIC_NS, &t0), ST_OK);
    EXPECT(sys_sleep(2 * MS), ST_OK);
    EXPECT(sys_clock_get(CLOCK_MONOTONIC_NS, &t1), ST_OK);
    CHECK(t1 >= t0 + 2 * MS);
    EXPECT(sys_clock_get(7, &t0), ST_INVALID_ARGUMENT);
    EXPECT(sys_clock_get(CLOCK_REALTIME_NS, KERNEL_PTR), ST_BAD_ADDRESS);
    EXPECT(sys_clock_get(CLOCK_REALTIME_NS, &t0), ST_OK);
    CHECK(t0 > 1600000000ull * 1000000000ull); /* after 2020 */
    EXPECT(sys_system_info(&si), ST_OK);
    CHECK(si.total_pages > si.free_pages && si.processes >= 1 && si.threads >= 2);
    EXPECT(sys_system_info(NULL), ST_BAD_ADDRESS);
}

int main(void)
{
    RUN(test_handles);
    RUN(test_process_create_args);
    RUN(test_process_lifecycle);
    RUN(test_vdm_process);
    RUN(test_threads);
    RUN(test_thread_alert_cancels_call);
    RUN(test_vm_map_args);
    RUN(test_vm_read_write_other);
    RUN(test_vm_user_copies);
    RUN(test_vm_query);
    RUN(test_sections);
    RUN(test_private_sections);
    RUN(test_contiguous_sections);
    RUN(test_copy_on_write);
    RUN(test_ports_basic);
    RUN(test_deferred_replies);
    RUN(test_server_death);
    RUN(test_ipc_pair_shares_the_cpu);
    RUN(test_fast_path_waits_end);
    RUN(test_handle_transfer);
    RUN(test_exception_port);
    RUN(test_thread_interrupt);
    RUN(test_set_context_of_blocked_call);
    RUN(test_fast_path_message_to_suspended);
    RUN(test_forwarded_call_to_suspended);
    RUN(test_thread_answers);
    RUN(test_forwarded_fast);
    RUN(test_misc);
    printf("exec: %d failures\n", check_failures);
    return check_failures;
}
