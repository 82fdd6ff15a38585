/* Time and system information system calls. */
#include "ke.h"
#include "mm.h"
#include "ps.h"
#include "syscall.h"
#include <string.h>

uint64_t heap_in_use(void);
uint64_t arch_tsc_khz(void);
uint64_t arch_realtime_base_ns(void);

SYSCALL(clock_get)
{
    uint64_t ns;

    if (a0 == CLOCK_MONOTONIC_NS)
        ns = ke_now_ns();
    else if (a0 == CLOCK_REALTIME_NS)
        ns = arch_realtime_base_ns() + ke_now_ns();
    else
        return ST_INVALID_ARGUMENT;
    return copy_to_user(a1, &ns, sizeof(ns));
}

SYSCALL(sleep)
{
    return ke_sleep_ns(a0);
}

SYSCALL(system_info)
{
    system_info_t si = {0};

    si.total_pages = mm_total_frames();
    si.free_pages = mm_free_frames();
    si.kernel_heap_bytes = heap_in_use();
    list_for_each(it, &ps_all_processes) si.processes++;
    list_for_each(it, &ke_all_threads) si.threads++;
    si.uptime_ns = ke_now_ns();
    si.tsc_khz = arch_tsc_khz();
    return copy_to_user(a0, &si, sizeof(si));
}

const char *ke_cmdline(void);

SYSCALL(system_cmdline)
{
    const char *c = ke_cmdline();
    size_t n = strlen(c) + 1;

    if (a1 < n)
        return ST_RANGE;
    return copy_to_user(a0, c, n) == ST_OK ? (long)(n - 1) : ST_BAD_ADDRESS;
}
