/*
 * Raw native system calls for user programs. The numbers come from the
 * single list in <persona/syscalls.h>; these stubs are the only code that
 * executes the syscall instruction in native programs.
 */
#ifndef NATIVE_SYSCALL_H
#define NATIVE_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#include <persona/handle.h>
#include <persona/process.h>
#include <persona/status.h>
#include <persona/syscalls.h>

static inline long native_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
    long ret;
    register long r10 __asm__("r10") = a3;
    register long r8 __asm__("r8") = a4;
    register long r9 __asm__("r9") = a5;

    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

#define native_syscall0(nr)          native_syscall6((nr), 0, 0, 0, 0, 0, 0)
#define native_syscall1(nr, a)       native_syscall6((nr), (long)(a), 0, 0, 0, 0, 0)
#define native_syscall2(nr, a, b)    native_syscall6((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define native_syscall3(nr, a, b, c) native_syscall6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)

static inline long sys_debug_write(const void *buf, size_t len)
{
    return native_syscall2(SYS_debug_write, buf, len);
}

__attribute__((noreturn)) static inline void sys_process_exit(int64_t status)
{
    native_syscall1(SYS_process_exit, status);
    __builtin_unreachable();
}

static inline long sys_thread_yield(void)
{
    return native_syscall0(SYS_thread_yield);
}

#endif
