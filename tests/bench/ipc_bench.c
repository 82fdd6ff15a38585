/*
 * IPC benchmark: a null system call, a call + reply between two processes
 * (round trip), and the one-way time from the client's call to the server
 * seeing the message. Prints one line per figure.
 *
 *   ipc_bench [icount]
 *
 * With "icount" (QEMU -icount shift=0) the time stamp counter counts guest
 * instructions exactly, and the figures are printed as instructions;
 * otherwise they are converted to nanoseconds with the kernel's TSC rate.
 */
#include <native/ipc.h>
#include <native/runtime.h>
#include <native/spawn.h>
#include <stdbool.h>
#include <string.h>

#define ROUNDS_DEFAULT 20000

static int ROUNDS = ROUNDS_DEFAULT;

static handle_t port;
static bool icount;
static uint64_t tsc_khz;

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static void report(const char *what, uint64_t total, uint64_t n)
{
    uint64_t per = total / n;

    if (icount)
        printf("%s: %llu instructions\n", what, (unsigned long long)per);
    else
        printf("%s: %llu ns\n", what, (unsigned long long)(per * 1000000 / tsc_khz));
}

static int server(void *arg)
{
    ipc_msg_t m;
    ipc_recv_info_t info = {0};

    (void)arg;
    if (native_ipc_recv(port, &m, IPC_WAIT_FOREVER, &info) != ST_OK)
        return 1;
    for (;;) {
        uint64_t now = rdtsc();
        if (IPC_LABEL(m.tag) == 2)
            return 0;
        m.w[1] = now;
        m.tag = 0;
        if (native_ipc_reply_recv(info.token, port, &m, &info) != ST_OK)
            return 2;
    }
}

int main(int argc, char **argv)
{
    system_info_t si;
    handle_t child;
    ipc_msg_t m = {0};
    uint64_t t0, total, one_way = 0;

    icount = argc > 1 && !strcmp(argv[1], "icount");
    if (argc > 2)
        ROUNDS = (int)strtou64(argv[2]); /* fewer rounds, e.g. for tracing */
    sys_system_info(&si);
    tsc_khz = si.tsc_khz ? si.tsc_khz : 1000000;

    /* Warm up, then time. */
    for (int i = 0; i < (ROUNDS < 1000 ? 10 : 1000); i++)
        sys_debug_write(NULL, 0);
    t0 = rdtsc();
    for (int i = 0; i < ROUNDS; i++)
        sys_debug_write(NULL, 0);
    report("null system call", rdtsc() - t0, ROUNDS);

    if (sys_port_create(NULL, &port) < 0 ||
        native_spawn_clone("ipc-server", server, NULL, &child) < 0) {
        printf("ipc_bench: cannot start the server\n");
        return 1;
    }
    m.tag = 1;
    for (int i = 0; i < (ROUNDS < 1000 ? 10 : 1000); i++)
        native_ipc_call(port, &m, 0);
    total = 0;
    for (int i = 0; i < ROUNDS; i++) {
        m.tag = 1;
        t0 = rdtsc();
        if (native_ipc_call(port, &m, 0) != ST_OK) {
            printf("ipc_bench: call failed\n");
            return 1;
        }
        uint64_t t1 = rdtsc();
        total += t1 - t0;
        one_way += m.w[1] - t0;
    }
    report("ipc round trip", total, ROUNDS);
    report("ipc one way (call to server)", one_way, ROUNDS);
    m.tag = 2;
    native_ipc_call(port, &m, 0);
    sys_process_wait(child, 0, NULL);
    return 0;
}
