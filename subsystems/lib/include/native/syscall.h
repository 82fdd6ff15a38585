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
#include <persona/object.h>
#include <persona/process.h>
#include <persona/status.h>
#include <persona/syscalls.h>
#include <persona/vm.h>

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

#define native_syscall4(nr, a, b, c, d) \
    native_syscall6((nr), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define native_syscall5(nr, a, b, c, d, e) \
    native_syscall6((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

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

static inline long sys_handle_close(handle_t h)
{
    return native_syscall1(SYS_handle_close, h);
}

static inline long sys_handle_duplicate(handle_t src_proc, handle_t h, handle_t dst_proc,
                                        uint32_t rights, handle_t *out)
{
    return native_syscall5(SYS_handle_duplicate, src_proc, h, dst_proc, rights, out);
}

static inline long sys_handle_info(handle_t h, handle_info_t *out)
{
    return native_syscall2(SYS_handle_info, h, out);
}

static inline long sys_process_create(const char *name, uint32_t personality, handle_t subsystem,
                                      uint32_t flags, handle_t *out)
{
    return native_syscall5(SYS_process_create, name, personality, subsystem, flags, out);
}

static inline long sys_process_terminate(handle_t proc, int64_t status)
{
    return native_syscall2(SYS_process_terminate, proc, status);
}

/* timeout_ns 0 waits for ever. */
static inline long sys_process_wait(handle_t proc, uint64_t timeout_ns, int64_t *status)
{
    return native_syscall3(SYS_process_wait, proc, timeout_ns, status);
}

static inline long sys_process_info(handle_t proc, process_info_t *out)
{
    return native_syscall2(SYS_process_info, proc, out);
}

/* Returns the number of records written; *total gets the number of processes. */
static inline long sys_process_list(process_info_t *buf, size_t max, size_t *total)
{
    return native_syscall3(SYS_process_list, buf, max, total);
}

static inline long sys_process_set_exception_port(handle_t proc, handle_t port)
{
    return native_syscall2(SYS_process_set_exception_port, proc, port);
}

static inline long sys_process_open(uint64_t pid, uint32_t rights, handle_t *out)
{
    return native_syscall3(SYS_process_open, pid, rights, out);
}

static inline long sys_process_watch(handle_t proc, handle_t port, uint64_t bits)
{
    return native_syscall3(SYS_process_watch, proc, port, bits);
}

static inline long sys_irq_bind(int irq, handle_t port, uint64_t bits)
{
    return native_syscall3(SYS_irq_bind, irq, port, bits);
}

static inline long sys_irq_ack(int irq)
{
    return native_syscall1(SYS_irq_ack, irq);
}

/* Privileged: device memory, physically consecutive, at *phys. */
static inline long sys_section_create_contiguous(uint64_t size, handle_t *out, uint64_t *phys)
{
    return native_syscall3(SYS_section_create_contiguous, size, out, phys);
}

/* Privileged: device memory at a physical address that is not RAM. */
static inline long sys_section_create_physical(uint64_t phys, uint64_t size, handle_t *out)
{
    return native_syscall3(SYS_section_create_physical, phys, size, out);
}

static inline long sys_io_grant(uint16_t first, uint32_t count)
{
    return native_syscall2(SYS_io_grant, first, count);
}

static inline long sys_system_shutdown(int64_t status)
{
    return native_syscall1(SYS_system_shutdown, status);
}

static inline long sys_system_cmdline(char *buf, size_t size)
{
    return native_syscall2(SYS_system_cmdline, buf, size);
}

static inline long sys_thread_set_tls(uint64_t base)
{
    return native_syscall1(SYS_thread_set_tls, base);
}

static inline long sys_thread_interrupt(handle_t t)
{
    return native_syscall1(SYS_thread_interrupt, t);
}

static inline long sys_thread_get_fpu(handle_t t, void *image512)
{
    return native_syscall2(SYS_thread_get_fpu, t, image512);
}

static inline long sys_thread_set_fpu(handle_t t, const void *image512)
{
    return native_syscall2(SYS_thread_set_fpu, t, image512);
}

static inline long sys_process_set_quota(handle_t proc, uint64_t bytes)
{
    return native_syscall2(SYS_process_set_quota, proc, bytes);
}

static inline long sys_thread_create(handle_t proc, uintptr_t rip, uintptr_t rsp, uintptr_t arg,
                                     uint32_t flags, handle_t *out)
{
    return native_syscall6(SYS_thread_create, (long)proc, (long)rip, (long)rsp, (long)arg,
                           (long)flags, (long)out);
}

__attribute__((noreturn)) static inline void sys_thread_exit(int64_t status)
{
    native_syscall1(SYS_thread_exit, status);
    __builtin_unreachable();
}

static inline long sys_thread_terminate(handle_t t, int64_t status)
{
    return native_syscall2(SYS_thread_terminate, t, status);
}

static inline long sys_thread_wait(handle_t t, uint64_t timeout_ns, int64_t *status)
{
    return native_syscall3(SYS_thread_wait, t, timeout_ns, status);
}

static inline long sys_thread_suspend(handle_t t)
{
    return native_syscall1(SYS_thread_suspend, t);
}

static inline long sys_thread_resume(handle_t t)
{
    return native_syscall1(SYS_thread_resume, t);
}

static inline long sys_thread_get_context(handle_t t, thread_context_t *ctx)
{
    return native_syscall2(SYS_thread_get_context, t, ctx);
}

static inline long sys_thread_set_context(handle_t t, const thread_context_t *ctx)
{
    return native_syscall2(SYS_thread_set_context, t, ctx);
}

static inline long sys_thread_alert(handle_t t)
{
    return native_syscall1(SYS_thread_alert, t);
}

static inline long sys_vm_map(handle_t proc, uint64_t *addr, size_t len, unsigned prot,
                              unsigned flags, handle_t section, uint64_t offset)
{
    return native_syscall6(SYS_vm_map, (long)proc, (long)addr, (long)len,
                           (long)VM_PROT_FLAGS(prot, flags), (long)section, (long)offset);
}

static inline long sys_vm_unmap(handle_t proc, uint64_t addr, size_t len)
{
    return native_syscall3(SYS_vm_unmap, proc, addr, len);
}

static inline long sys_vm_protect(handle_t proc, uint64_t addr, size_t len, unsigned prot)
{
    return native_syscall4(SYS_vm_protect, proc, addr, len, prot);
}

static inline long sys_vm_read(handle_t proc, uint64_t addr, void *buf, size_t len)
{
    return native_syscall4(SYS_vm_read, proc, addr, buf, len);
}

static inline long sys_vm_write(handle_t proc, uint64_t addr, const void *buf, size_t len)
{
    return native_syscall4(SYS_vm_write, proc, addr, buf, len);
}

static inline long sys_vm_read_user(handle_t proc, uint64_t addr, void *buf, size_t len)
{
    return native_syscall4(SYS_vm_read_user, proc, addr, buf, len);
}

static inline long sys_vm_write_user(handle_t proc, uint64_t addr, const void *buf, size_t len)
{
    return native_syscall4(SYS_vm_write_user, proc, addr, buf, len);
}

static inline long sys_vm_query(handle_t proc, uint64_t addr, vm_region_info_t *out)
{
    return native_syscall3(SYS_vm_query, proc, addr, out);
}

static inline long sys_thread_set_answers(handle_t t, const syscall_answer_t *tab, size_t n)
{
    return native_syscall3(SYS_thread_set_answers, t, tab, n);
}

static inline long sys_thread_info(handle_t t, thread_info_t *out)
{
    return native_syscall2(SYS_thread_info, t, out);
}

static inline long sys_vm_clone(handle_t dst, handle_t src)
{
    return native_syscall2(SYS_vm_clone, dst, src);
}

static inline long sys_section_create(uint64_t size, handle_t *out)
{
    return native_syscall2(SYS_section_create, size, out);
}

static inline long sys_clock_get(int clock, uint64_t *ns)
{
    return native_syscall2(SYS_clock_get, clock, ns);
}

static inline long sys_sleep(uint64_t ns)
{
    return native_syscall1(SYS_sleep, ns);
}

static inline long sys_system_info(system_info_t *out)
{
    return native_syscall1(SYS_system_info, out);
}

#endif
