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

#define PERSONA_SYSCALLS(X)                                                                       \
    X(0, debug_write, 2)       /* (buf, len) -> bytes written */                                  \
    X(1, process_exit, 1)      /* (status) -> does not return */                                  \
    X(2, thread_yield, 0)      /* () */                                                           \
    X(3, handle_close, 1)      /* (h) */                                                          \
    X(4, handle_duplicate, 5)  /* (src_proc, h, dst_proc, rights, handle_t *out) */               \
    X(5, handle_info, 2)       /* (h, handle_info_t *out) */                                      \
    X(6, process_create, 4)    /* (name, personality, subsystem port or 0, handle_t *out) */      \
    X(7, process_terminate, 2) /* (proc, status) */                                               \
    X(8, process_wait, 3)      /* (proc, timeout_ns or 0 for ever, int64 *status) */              \
    X(9, process_info, 2)      /* (proc, process_info_t *out) */                                  \
    X(10, process_list, 3)     /* (process_info_t *buf, max, size_t *total) */                    \
    X(11, process_set_exception_port, 2) /* (proc, port or 0) */                                  \
    X(12, thread_create, 6)              /* (proc, rip, rsp, arg, flags, handle_t *out) */        \
    X(13, thread_exit, 1)                /* (status) -> does not return */                        \
    X(14, thread_terminate, 2)           /* (thread, status) */                                   \
    X(15, thread_wait, 3)                /* (thread, timeout_ns, int64 *status) */                \
    X(16, thread_suspend, 1)             /* (thread) */                                           \
    X(17, thread_resume, 1)              /* (thread) */                                           \
    X(18, thread_get_context, 2)         /* (thread, thread_context_t *out) */                    \
    X(19, thread_set_context, 2)         /* (thread, const thread_context_t *) */                 \
    X(20, thread_alert, 1)               /* (thread): its blocked call returns ST_CANCELLED */    \
    X(21, vm_map, 6)         /* (proc, uint64 *addr, len, prot | flags << 8, section, offset) */  \
    X(22, vm_unmap, 3)       /* (proc, addr, len) */                                              \
    X(23, vm_protect, 4)     /* (proc, addr, len, prot) */                                        \
    X(24, vm_read, 4)        /* (proc, addr, buf, len) */                                         \
    X(25, vm_write, 4)       /* (proc, addr, buf, len) */                                         \
    X(26, vm_clone, 2)       /* (dst proc with an empty address space, src proc) */               \
    X(27, section_create, 2) /* (size, handle_t *out) */                                          \
    X(28, port_create, 2)    /* (name or NULL, handle_t *out) */                                  \
    X(29, port_connect, 2)   /* (name, handle_t *out) */                                          \
    X(30, ipc_call, 0)       /* registers: see <persona/ipc.h> */                                 \
    X(31, ipc_recv, 0)                                                                            \
    X(32, ipc_reply, 0)                                                                           \
    X(33, ipc_reply_recv, 0)                                                                      \
    X(34, ipc_notify, 2)        /* (port, bits) */                                                \
    X(35, clock_get, 2)         /* (clock, uint64 *ns) */                                         \
    X(36, sleep, 1)             /* (ns) */                                                        \
    X(37, system_info, 1)       /* (system_info_t *out) */                                        \
    X(38, process_set_quota, 2) /* (proc, bytes): lower only */                                   \
    X(39, process_open, 3)      /* (pid, rights, handle_t *out) */                                \
    X(40, process_watch, 3)     /* (proc, port, bits): notify port when proc ends */              \
    X(41, irq_bind, 3)          /* (irq, port, bits): privileged */                               \
    X(42, irq_ack, 1)           /* (irq): unmask after handling */                                \
    X(43, system_shutdown, 1)   /* (status): privileged; powers off */                            \
    X(44, thread_set_tls, 1)    /* (fs base) for the calling thread */                            \
    X(45, io_grant, 2)          /* (first port, count): privileged; I/O ports for this process */ \
    X(46, system_cmdline, 2)    /* (buf, size): the kernel command line */                        \
    X(47, thread_interrupt, 1)  /* (thread): upcall to its exception port at the next chance */   \
    X(48, thread_get_fpu, 2)    /* (thread, 512-byte FXSAVE image *out) */                        \
    X(49, thread_set_fpu, 2)    /* (thread, const 512-byte FXSAVE image *) */                     \
    X(50, section_create_contiguous, 3) /* (size, handle_t *out, uint64 *phys): privileged */     \
    X(51, vm_read_user, 4)       /* (proc, addr, buf, len): as the process itself could read */   \
    X(52, vm_write_user, 4)      /* (proc, addr, buf, len): as the process itself could write */  \
    X(53, vm_query, 3)           /* (proc, addr, vm_region_info_t *out) */                        \
    X(54, thread_set_answers, 3) /* (thread, const syscall_answer_t *, n) */                      \
    X(55, thread_info, 2)        /* (thread, thread_info_t *out) */                               \
    X(56, section_create_physical, 3) /* (phys, size, handle_t *out): privileged, no RAM */

#ifndef __ASSEMBLER__
enum persona_syscall {
#define PERSONA_SYSCALL_ENUM(nr, name, nargs) SYS_##name = (nr),
    PERSONA_SYSCALLS(PERSONA_SYSCALL_ENUM)
#undef PERSONA_SYSCALL_ENUM
        SYS_COUNT
};
#else
/* In assembly: `PERSONA_SYSCALLS(PERSONA_SYSCALL_ASM)` defines SYS_<name>. */
#define PERSONA_SYSCALL_ASM(nr, name, nargs) .set SYS_##name, nr;
#endif

/* Largest number of bytes one debug_write call accepts. */
#define DEBUG_WRITE_MAX 4096

#endif
