/* Helpers for defining system call handlers (ke/syscall.c dispatches). */
#ifndef SYSCALL_H
#define SYSCALL_H

#include "kernel.h"

typedef uint64_t sysarg_t;

#define SYSCALL(name)                                                           \
    long sys_##name(UNUSED sysarg_t a0, UNUSED sysarg_t a1, UNUSED sysarg_t a2, \
                    UNUSED sysarg_t a3, UNUSED sysarg_t a4, UNUSED sysarg_t a5)

extern const char *const syscall_names[];

/* A forwarded system call failed with st (rax keeps the number): the
 * process is killed if its subsystem server is gone. */
void syscall_forward_failed(status_t st);

#endif
