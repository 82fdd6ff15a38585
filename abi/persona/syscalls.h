/*
 * The native system calls, written once. PERSONA_SYSCALLS(X) expands
 * X(number, name, argument count) for every call; the executive builds its
 * dispatch table and trace names from it, the native runtime its numbers.
 *
 * Calling convention (x86_64 `syscall`): number in rax, arguments in rdi,
 * rsi, rdx, r10, r8, r9; the status (or a non-negative result) comes back
 * in rax. rcx and r11 are clobbered.
 */
#ifndef PERSONA_SYSCALLS_H
#define PERSONA_SYSCALLS_H

#define PERSONA_SYSCALLS(X)                                                    \
    X(0, debug_write, 2)  /* (const char *buf, size_t len) -> bytes written */ \
    X(1, process_exit, 1) /* (int64 status) -> does not return */              \
    X(2, thread_yield, 0) /* () -> ST_OK */

enum persona_syscall {
#define PERSONA_SYSCALL_ENUM(nr, name, nargs) SYS_##name = (nr),
    PERSONA_SYSCALLS(PERSONA_SYSCALL_ENUM)
#undef PERSONA_SYSCALL_ENUM
        SYS_COUNT
};

/* Largest number of bytes one debug_write call accepts. */
#define DEBUG_WRITE_MAX 4096

#endif
