/*
 * System-call fuzzer. A supervisor runs worker processes (clones of
 * itself) that make random and type-aware system calls: numbers in and out
 * of range; handles that are valid, closed, of the wrong type or made up;
 * pointers that are good, NULL, unmapped, misaligned, in the kernel or
 * running off the end of user space; zero, small and huge lengths. A worker
 * may kill itself by unmapping its own code; the supervisor then starts a
 * new one with the next seed until the requested number of calls is made.
 * The kernel must neither panic nor hang.
 *
 *   fuzz [CALLS] [SEED]      (defaults: 1000000, 1)
 */
#include <native/ipc.h>
#include <native/runtime.h>
#include <native/spawn.h>
#include <stdbool.h>
#include <string.h>

#define MS        1000000ull
#define SCRATCH   0x0000700000000000ull
#define SCRATCH_N (64 * 4096ul)
#define POOL      24

typedef struct shared {
    volatile uint64_t calls;
    volatile uint64_t target;
} shared_t;

static shared_t *shared;
static uint64_t rng;
static handle_t pool[POOL];
static uint8_t *scratch;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t pick(const uint64_t *v, size_t n)
{
    return v[next() % n];
}

static uint64_t any_handle(void)
{
    static const uint64_t odd[] = {0,          1,          0xffff,     0x10000, 0x7fffffff,
                                   0xffffffff, 0xfffffffe, 0x1fffffff, ~0ull,   1ull << 32};

    switch (next() % 8) {
    case 0:
        return pick(odd, sizeof(odd) / sizeof(odd[0]));
    case 1:
        return next() & 0xffffffff;
    case 2:
        return HANDLE_SELF_PROCESS;
    default:
        return pool[next() % POOL];
    }
}

static uint64_t any_pointer(void)
{
    static const uint64_t odd[] = {0,
                                   8,
                                   0x1000,
                                   0xFFFFFFFF80100000ull,
                                   0xFFFF800000000000ull,
                                   0x0000800000000000ull,
                                   0x00007FFFFFFFF000ull - 8,
                                   0x00007FFFFFFFFFF0ull,
                                   0x0000500000000000ull,
                                   ~0ull};

    switch (next() % 6) {
    case 0:
        return pick(odd, sizeof(odd) / sizeof(odd[0]));
    case 1:
        return next();
    default:
        return (uint64_t)scratch + (next() % SCRATCH_N) - (next() % 2 ? 0 : 3);
    }
}

static uint64_t any_length(void)
{
    static const uint64_t odd[] = {0,     1,          7,          4096,       4097,
                                   65536, 1ull << 30, 1ull << 47, 1ull << 63, ~0ull};

    if (next() % 2)
        return next() % 8192;
    return pick(odd, sizeof(odd) / sizeof(odd[0]));
}

static uint64_t any_address(void)
{
    switch (next() % 4) {
    case 0:
        return any_pointer();
    default:
        return SCRATCH + (next() % 256) * 4096 + (next() % 8 == 0 ? next() % 4096 : 0);
    }
}

static uint64_t any_word(void)
{
    switch (next() % 4) {
    case 0:
        return next();
    case 1:
        return next() % 16;
    case 2:
        return any_length();
    default:
        return any_pointer();
    }
}

/* Replaces arguments that would only block the worker for ever. */
static long fuzz_one(void)
{
    uint64_t nr = next() % 16 == 0 ? next() % 1000 : next() % SYS_COUNT;
    uint64_t a[6];

    for (int i = 0; i < 6; i++)
        a[i] = any_word();
    switch (nr) {
    case SYS_process_exit:
    case SYS_thread_exit:
        return 0; /* ends the worker, tested elsewhere */
    case SYS_debug_write:
        /* Only bad pointers get a length: good memory would be printed. */
        a[0] = any_pointer();
        a[1] = next() % 4 ? next() % 16 : any_length();
        if (a[0] >= (uint64_t)scratch - 8 && a[0] < (uint64_t)scratch + SCRATCH_N + 8)
            a[1] = 0;
        break;
    case SYS_handle_close:
        a[0] = any_handle();
        break;
    case SYS_handle_duplicate:
        a[0] = any_handle();
        a[1] = any_handle();
        a[2] = any_handle();
        a[4] = any_pointer();
        break;
    case SYS_process_create:
        a[0] = next() % 2 ? (uint64_t) "fz" : any_pointer();
        a[1] = next() % 6;
        a[2] = next() % 4 ? 0 : any_handle();
        a[3] = next() % 4 ? 0 : next() % 4;
        a[4] = next() % 3 ? (uint64_t)&pool[next() % POOL] : any_pointer();
        break;
    case SYS_process_terminate:
    case SYS_thread_terminate:
    case SYS_thread_suspend:
        a[0] = pool[next() % POOL]; /* never ourselves */
        if (a[0] == HANDLE_SELF_PROCESS)
            return 0;
        break;
    case SYS_process_wait:
    case SYS_thread_wait:
        a[0] = pool[next() % POOL];
        a[1] = 1 + next() % 1000; /* never for ever */
        a[2] = any_pointer();
        break;
    case SYS_thread_create:
        a[0] = pool[next() % POOL]; /* not into ourselves: random code */
        a[4] = next() % 2;
        a[5] = next() % 3 ? (uint64_t)&pool[next() % POOL] : any_pointer();
        break;
    case SYS_thread_set_context:
        a[0] = pool[next() % POOL];
        a[1] = any_pointer();
        break;
    case SYS_vm_map:
    case SYS_vm_unmap:
    case SYS_vm_protect:
    case SYS_vm_read:
    case SYS_vm_write:
        a[0] = next() % 3 ? pool[next() % POOL] : HANDLE_SELF_PROCESS;
        if (nr == SYS_vm_map) {
            static uint64_t addr;
            addr = any_address();
            a[1] = next() % 8 ? (uint64_t)&addr : any_pointer();
            a[3] = next() % 4 ? (next() % 8) | ((next() % 4) << 8) : next();
            a[4] = next() % 2 ? 0 : any_handle();
            a[5] = next() % 4 ? 0 : any_length();
        } else {
            a[1] = any_address();
            a[2] = nr == SYS_vm_read || nr == SYS_vm_write ? any_pointer() : any_length();
            a[3] = nr == SYS_vm_protect ? next() % 8 : any_length() % 16384;
        }
        if (a[0] == HANDLE_SELF_PROCESS && nr != SYS_vm_read &&
            (a[1] < SCRATCH || a[1] >= SCRATCH + (1ull << 30)) && next() % 64)
            return 0; /* mostly spare our own code and stack */
        break;
    case SYS_vm_clone:
        a[0] = pool[next() % POOL];
        a[1] = next() % 2 ? HANDLE_SELF_PROCESS : pool[next() % POOL];
        break;
    case SYS_section_create:
        a[0] = any_length();
        a[1] = next() % 2 ? (uint64_t)&pool[next() % POOL] : any_pointer();
        break;
    case SYS_port_create:
    case SYS_port_connect:
        a[0] = next() % 2 ? 0 : next() % 2 ? (uint64_t) "fuzzport" : any_pointer();
        a[1] = next() % 2 ? (uint64_t)&pool[next() % POOL] : any_pointer();
        break;
    case SYS_ipc_call:
    case SYS_ipc_recv:
    case SYS_ipc_reply:
    case SYS_ipc_reply_recv: {
        ipc_msg_t m;
        ipc_recv_info_t info;
        for (int i = 0; i < IPC_WORDS; i++)
            m.w[i] = any_word();
        m.tag = next() % 4 ? next() % 100 : next();
        if (nr == SYS_ipc_call)
            return native_ipc_call((handle_t)any_handle(), &m, 1 + next() % (2 * MS));
        if (nr == SYS_ipc_recv)
            return native_ipc_recv((handle_t)any_handle(), &m, IPC_NO_WAIT, &info);
        if (nr == SYS_ipc_reply)
            return native_ipc_reply(next() % 4 ? next() % 64 : next(), &m);
        return 0; /* reply_recv waits for ever by design */
    }
    case SYS_sleep:
        a[0] = next() % 100000;
        break;
    case SYS_thread_alert:
    case SYS_thread_resume:
    case SYS_thread_get_context:
    case SYS_process_info:
    case SYS_process_set_exception_port:
    case SYS_process_set_quota:
        a[0] = any_handle();
        a[1] = nr == SYS_process_set_exception_port ? any_handle() : any_pointer();
        if (nr == SYS_process_set_quota && a[0] == HANDLE_SELF_PROCESS)
            return 0;
        break;
    default:
        break;
    }
    return native_syscall6((long)nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4],
                           (long)a[5]);
}

static int worker(void *arg)
{
    uint64_t seed = (uint64_t)(uintptr_t)arg;
    uint64_t a = SCRATCH;

    rng = seed * 0x9E3779B97F4A7C15ull + 1;
    if (sys_vm_map(HANDLE_SELF_PROCESS, &a, SCRATCH_N, PROT_R | PROT_W, MAPF_FIXED, 0, 0) < 0)
        return 100;
    scratch = (uint8_t *)a;
    for (int i = 0; i < POOL; i++) {
        switch (i % 4) {
        case 0:
            sys_process_create("fz", PERSONALITY_NATIVE, 0, 0, &pool[i]);
            break;
        case 1:
            sys_port_create(NULL, &pool[i]);
            break;
        case 2:
            sys_section_create(4096 * (1 + i), &pool[i]);
            break;
        default:
            pool[i] = (handle_t)(next() & 0xffff);
            break;
        }
    }
    while (shared->calls < shared->target) {
        fuzz_one();
        shared->calls++;
    }
    return 0;
}

/*
 * Ends every process the worker left behind (and theirs): processes with
 * suspended threads live on after their creator, as they should.
 */
static void reap_descendants(uint64_t root_pid)
{
    static process_info_t list[512];
    static uint64_t doomed[512];
    size_t ndoomed = 1, total;
    long n;

    doomed[0] = root_pid;
    for (bool more = true; more;) {
        more = false;
        n = sys_process_list(list, 512, &total);
        for (long i = 0; i < n; i++) {
            bool child = false, known = false;
            for (size_t j = 0; j < ndoomed; j++) {
                child |= list[i].parent_pid == doomed[j];
                known |= list[i].pid == doomed[j];
            }
            if (!child || known || ndoomed == 512)
                continue;
            doomed[ndoomed++] = list[i].pid;
            more = true;
        }
    }
    for (size_t j = 1; j < ndoomed; j++) {
        handle_t h;
        if (sys_process_open(doomed[j], H_TERMINATE | H_WAIT, &h) == ST_OK) {
            sys_process_terminate(h, EXIT_STATUS_KILLED);
            sys_process_wait(h, 1000 * MS, NULL);
            sys_handle_close(h);
        }
    }
}

int main(int argc, char **argv)
{
    uint64_t target = 1000000, seed = 1, addr = 0;
    handle_t sec;
    int workers = 0, deaths = 0;

    if (argc > 1)
        target = strtou64(argv[1]);
    if (argc > 2)
        seed = strtou64(argv[2]);
    if (sys_section_create(4096, &sec) < 0 ||
        sys_vm_map(HANDLE_SELF_PROCESS, &addr, 4096, PROT_R | PROT_W, 0, sec, 0) < 0) {
        printf("fuzz: cannot set up shared memory\n");
        return 1;
    }
    shared = (shared_t *)addr;
    shared->target = target;
    printf("fuzz: %llu calls, seed %llu\n", (unsigned long long)target, (unsigned long long)seed);
    while (shared->calls < target) {
        handle_t h;
        int64_t status = 0;
        uint64_t before = shared->calls;
        long st =
            native_spawn_clone("fuzz-worker", worker, (void *)(uintptr_t)(seed + workers), &h);
        if (st < 0) {
            printf("fuzz: cannot start a worker: %s\n", status_name(st));
            return 1;
        }
        workers++;
        process_info_t info;
        sys_process_info(h, &info);
        st = sys_process_wait(h, 20000 * MS, &status);
        if (st == ST_TIMEOUT) {
            printf("fuzz: worker %d stuck after %llu calls; killing it\n", workers,
                   (unsigned long long)shared->calls);
            sys_process_terminate(h, EXIT_STATUS_KILLED);
            sys_process_wait(h, 0, &status);
        }
        if (status != 0)
            deaths++;
        sys_handle_close(h);
        reap_descendants(info.pid);
        if (shared->calls == before && workers > 50 && deaths == workers) {
            printf("fuzz: workers make no progress\n");
            return 1;
        }
    }
    printf("fuzz: %llu calls in %d workers (%d ended early), kernel still running\n",
           (unsigned long long)shared->calls, workers, deaths);
    return 0;
}
