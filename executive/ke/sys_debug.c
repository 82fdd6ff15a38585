/*
 * debug_write: a process's text to the kernel console. Bounded per call
 * (DEBUG_WRITE_MAX) and copied through a kernel buffer, so a bad pointer or
 * length fails cleanly with ST_BAD_ADDRESS / ST_INVALID_ARGUMENT.
 */
#include "ke.h"
#include "ps.h"
#include "syscall.h"
#include <persona/syscalls.h>
#include <string.h>

SYSCALL(debug_write)
{
    static bool first_output_seen;
    char buf[256];
    size_t len = a1, done = 0;

    if (!first_output_seen && len) {
        /* For the boot-time figure (./persona bench boot): under QEMU's
         * -icount the TSC counts guest instructions since reset. */
        first_output_seen = true;
        kprintf("boot: first user output at TSC %llu\n", (unsigned long long)arch_cycles());
    }
    if (len > DEBUG_WRITE_MAX)
        return ST_INVALID_ARGUMENT;
    if (len && !arch_user_range_ok(a0, len))
        return ST_BAD_ADDRESS;
    while (done < len) {
        size_t n = MIN(len - done, sizeof(buf));
        status_t st = copy_from_user(buf, a0 + done, n);
        if (st != ST_OK)
            return done ? (long)done : st;
        ke_console_write(buf, n);
        ps_capture_output(ps_current_process(), buf, n);
        done += n;
    }
    return (long)done;
}
