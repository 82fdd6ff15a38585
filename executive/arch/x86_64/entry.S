/*
 * Kernel entry and exit: interrupt and exception stubs, the syscall
 * instruction's entry point, the common return path and the context switch.
 *
 * The executive runs with interrupts disabled (IF=0) from entry to exit, so
 * the scratch slot syscall_user_rsp and the per-CPU variables need no locks
 * on this uniprocessor kernel. Every entry from user mode builds a
 * trapframe_t (arch/frame.h) at the top of the current thread's kernel stack.
 */
#include "asm.h"
#include <persona/syscalls.h>

/* SYS_COUNT: one past the last number (the list is in ascending order). */
#define SYSCALL_COUNT_ASM(nr, name, nargs) .set SYS_COUNT, nr + 1;
PERSONA_SYSCALLS(SYSCALL_COUNT_ASM)

.macro PUSH_REGS
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro POP_REGS
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
.endm

/* Frame offsets (trapframe_t). */
#define FRAME_SIZE (22 * 8)
#define F_R15    (0 * 8)
#define F_R14    (1 * 8)
#define F_R13    (2 * 8)
#define F_R12    (3 * 8)
#define F_R10    (5 * 8)
#define F_R9     (6 * 8)
#define F_R8     (7 * 8)
#define F_RBP    (8 * 8)
#define F_RDI    (9 * 8)
#define F_RSI    (10 * 8)
#define F_RDX    (11 * 8)
#define F_RCX    (12 * 8)
#define F_RBX    (13 * 8)
#define F_RAX    (14 * 8)
#define F_R11    (4 * 8)
#define F_VECTOR (15 * 8)
#define F_RIP    (17 * 8)
#define F_CS     (18 * 8)
#define F_RFLAGS (19 * 8)
#define F_RSP    (20 * 8)

/* Exceptions that push an error code: 8, 10-14, 17, 21, 29, 30. */
.macro ISR_NOERR n
    .balign 16
    pushq $0
    pushq $\n
    jmp trap_common
.endm
.macro ISR_ERR n
    .balign 16
    pushq $\n
    jmp trap_common
.endm

    .text
    .balign 16
GLOBAL(isr_table)
    ISR_NOERR 0
    ISR_NOERR 1
    ISR_NOERR 2
    ISR_NOERR 3
    ISR_NOERR 4
    ISR_NOERR 5
    ISR_NOERR 6
    ISR_NOERR 7
    ISR_ERR 8
    ISR_NOERR 9
    ISR_ERR 10
    ISR_ERR 11
    ISR_ERR 12
    ISR_ERR 13
    ISR_ERR 14
    ISR_NOERR 15
    ISR_NOERR 16
    ISR_ERR 17
    ISR_NOERR 18
    ISR_NOERR 19
    ISR_NOERR 20
    ISR_ERR 21
    ISR_NOERR 22
    ISR_NOERR 23
    ISR_NOERR 24
    ISR_NOERR 25
    ISR_NOERR 26
    ISR_NOERR 27
    ISR_NOERR 28
    ISR_ERR 29
    ISR_ERR 30
    ISR_NOERR 31
    .set i, 32
    .rept 256 - 32
    ISR_NOERR i
    .set i, i + 1
    .endr

trap_common:
    PUSH_REGS
    cld
    movq %rsp, %rdi
    xorl %ebp, %ebp         /* backtraces continue from the frame's rbp */
    call trap_dispatch
    jmp trap_return

/*
 * Common exit to whatever frame sits at %rsp: user or kernel.
 */
FUNCTION(trap_return)
    POP_REGS
    addq $16, %rsp          /* vector, error */
    iretq

/*
 * syscall: RCX = user RIP, R11 = user RFLAGS, IF and DF cleared by FMASK.
 * A native process's call goes straight to its handler with the argument
 * registers as the syscall instruction left them (r10 becomes rcx); a
 * foreign personality's goes to forward (below: its fast path, or
 * syscall_forward), a number out of range to syscall_dispatch.
 */
FUNCTION(syscall_entry)
    movq %rsp, syscall_user_rsp(%rip)
    movq cpu_tss+TSS_RSP0(%rip), %rsp
    pushq $SEL_UDATA
    pushq syscall_user_rsp(%rip)
    pushq %r11
    pushq $SEL_UCODE
    pushq %rcx
    pushq $0
    pushq $0x100
    PUSH_REGS
    xorl %ebp, %ebp         /* backtraces end at the frame */
    movq ke_current_thread(%rip), %r11
    movq T_PROC(%r11), %rcx
    cmpq $0, P_SUBSYSTEM_PORT(%rcx)
    jne forward
    cmpq $SYS_COUNT, %rax
    jae 1f
    movq %r10, %rcx
    call *syscall_table(, %rax, 8)      /* no holes: see ke/syscall.c */
    movq %rax, F_RAX(%rsp)
    jmp syscall_exit
1:  movq %rsp, %rdi
    call syscall_dispatch
    /* fall through */

/*
 * Back to user mode from a syscall frame at %rsp. With no work due (no
 * preemption request, and none of the current thread's exit_work: its
 * termination, suspension, upcall, or a frame changed since it was built)
 * the frame is as syscall_entry built it, and sysret restores it exactly.
 */
FUNCTION(syscall_exit)
    movq ke_current_thread(%rip), %rax
    cmpq $0, T_EXIT_WORK(%rax)
    jne 1f
    cmpb $0, ke_need_resched(%rip)
    jne 1f
    POP_REGS
    movq F_RSP - F_VECTOR(%rsp), %rsp
    sysretq
1:  movq %rsp, %rdi
    call syscall_exit_work
    /* fall through */

/*
 * Back to user mode from a syscall frame that may have changed. sysret is
 * used only when it restores exactly what the frame holds: RCX = RIP, R11 =
 * RFLAGS and a canonical user RIP (sysret with a non-canonical RIP faults
 * in ring 0 on Intel CPUs). Frames changed by set-context or signal
 * delivery take iret.
 */
FUNCTION(syscall_return)
    movq F_RIP(%rsp), %rcx
    cmpq F_RCX(%rsp), %rcx
    jne trap_return
    movq F_RFLAGS(%rsp), %r11
    cmpq F_R11(%rsp), %r11
    jne trap_return
    cmpq $SEL_UCODE, F_CS(%rsp)
    jne trap_return
    movabsq $0x00007FFFFFFFF000, %rax
    cmpq %rax, %rcx
    jae trap_return
    POP_REGS
    movq F_RSP - F_VECTOR(%rsp), %rsp
    sysretq

/*
 * The state every switch changes: saves prev's FPU/SSE state and loads
 * next's, makes next's kernel stack the one the next entry from user mode
 * uses (TSS rsp0, which syscall_entry reads too), and loads next's FS base
 * and I/O permission only when they differ from prev's (user mode cannot
 * change its FS base: no FSGSBASE). rdi = prev, rsi = next, kstack_top
 * (rdx unless given) = next's kernel stack top; clobbers rax, rcx, rdx.
 */
.macro SWITCH_STATE kstack_top=%rdx
    fxsave64 ARCH_T_FPU(%rdi)
    fxrstor64 ARCH_T_FPU(%rsi)
    movq \kstack_top, cpu_tss+TSS_RSP0(%rip)
    movq ARCH_T_FS_BASE(%rsi), %rax
    cmpq ARCH_T_FS_BASE(%rdi), %rax
    je 1f
    movq %rax, %rdx
    shrq $32, %rdx
    movl $MSR_FS_BASE, %ecx
    wrmsr
1:  movzbl ARCH_T_IO(%rsi), %eax
    cmpb ARCH_T_IO(%rdi), %al
    je 2f
    movw $TSS_IOMAP_OFF, cpu_tss+TSS_IOMAP_BASE(%rip)
    testb %al, %al
    jz 2f
    movw $TSS_IOMAP_ON, cpu_tss+TSS_IOMAP_BASE(%rip)
2:
.endm

/*
 * void arch_switch(arch_thread_t *prev, arch_thread_t *next,
 *                  uintptr_t next_kstack_top)
 * Saves the current thread's callee-saved registers on its stack and its
 * stack pointer in prev, and resumes next where it switched out. One
 * function with no calls.
 */
FUNCTION(arch_switch)
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    SWITCH_STATE
    movq %rsp, ARCH_T_RSP(%rdi)
resume_next:                /* rsi: the thread to resume where it switched out */
    movq ARCH_T_RSP(%rsi), %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

/* One word of a forwarded system call (r8 = its frame | 1) into the frame. */
.macro MOVE_WORD from, to
    movq \from - 1(%r8), %rax
    movq %rax, \to(%rsp)
.endm

/*
 * void arch_switch_away(arch_thread_t *prev, arch_thread_t *next,
 *                       uintptr_t next_kstack_top, uintptr_t prev_kstack_top,
 *                       const trapframe_t *msg)
 * The ipc fast path's switch from a thread that waits in a system call
 * with nothing on its kernel stack but the frame: prev keeps no kernel
 * state, and the next switch to it (arch_switch's pops and ret, on the
 * empty stack below its frame) enters ipc_resume_entry. With msg, next
 * leaves for user mode at once through the frame at the top of its stack,
 * its message registers loaded straight from msg (the sender's frame, so
 * the message is never copied; with ARCH_MSG_SYSCALL, a forwarded system
 * call's frame); if work is due before user mode, the message goes into
 * its frame first and syscall_exit does the work.
 * Without msg, next resumes where it switched out.
 */
FUNCTION(arch_switch_away)
    movq %rdx, %r10
    movq %rcx, %r9
arch_switch_away_r10:       /* r10 = next_kstack_top, r9 = prev_kstack_top */
    SWITCH_STATE %r10
    movq $ipc_resume_entry, -FRAME_SIZE - 8(%r9)    /* a kernel address: 32 bits, signed */
    leaq -FRAME_SIZE - 7 * 8(%r9), %rax
    movq %rax, ARCH_T_RSP(%rdi)
    testq %r8, %r8
    jz resume_next
    leaq -FRAME_SIZE(%r10), %rsp
    cmpq $0, T_EXIT_WORK(%rsi)      /* next is current: its arch_thread_t is its thread_t */
    jne 1f
    cmpb $0, ke_need_resched(%rip)
    jne 1f
    testb $ARCH_MSG_SYSCALL, %r8b
    jnz 3f
    /* As syscall_exit, with the message registers from msg (r8 last). */
    movq F_R15(%r8), %r15
    movq F_R14(%r8), %r14
    movq F_R13(%r8), %r13
    movq F_R12(%r8), %r12
    movq F_R10(%r8), %r10
    movq F_R9(%r8), %r9
    movq F_RSI(%r8), %rsi
    movq F_RDX(%r8), %rdx
    movq F_R8(%r8), %r8
4:  movq F_R11(%rsp), %r11
    movq F_RCX(%rsp), %rcx
    movq F_RBP(%rsp), %rbp
    movq F_RDI(%rsp), %rdi
    movq F_RBX(%rsp), %rbx
    movq F_RAX(%rsp), %rax
    movq F_RSP(%rsp), %rsp
    sysretq
    /* msg | ARCH_MSG_SYSCALL: a forwarded system call's registers (rax =
     * number, rdi rsi rdx r10 r8 r9) become the message words w[0..6];
     * the tag is IPC_LABEL_SYSCALL's, and w[7] (r15) is in next's frame. */
3:  movl $ARCH_MSG_SYSCALL_TAG, %esi
    movq F_RAX - 1(%r8), %rdx
    movq F_RDI - 1(%r8), %r10
    movq F_RDX - 1(%r8), %r9
    movq F_R10 - 1(%r8), %r12
    movq F_R8 - 1(%r8), %r13
    movq F_R9 - 1(%r8), %r14
    movq F_RSI - 1(%r8), %r8
    movq F_R15(%rsp), %r15
    jmp 4b
1:  testb $ARCH_MSG_SYSCALL, %r8b
    jnz 5f
    .irp reg, F_R15, F_R14, F_R13, F_R12, F_R10, F_R9, F_RSI, F_RDX, F_R8
    movq \reg(%r8), %rax
    movq %rax, \reg(%rsp)
    .endr
    jmp syscall_exit
5:  MOVE_WORD F_RAX, F_RDX
    MOVE_WORD F_RDI, F_R10
    MOVE_WORD F_RSI, F_R8
    MOVE_WORD F_RDX, F_R9
    MOVE_WORD F_R10, F_R12
    MOVE_WORD F_R8, F_R13
    MOVE_WORD F_R9, F_R14
    movl $ARCH_MSG_SYSCALL_TAG, %eax
    movq %rax, F_RSI(%rsp)
    jmp syscall_exit

/*
 * The fast paths of SYS_ipc_call and SYS_ipc_reply_recv for their commonest
 * case: a native call without a timeout or a handle to a receiver blocked
 * by ipc_reply_recv's fast path, and the reply to the call received last
 * from a caller blocked by ipc_call's, with the next message awaited
 * without a timeout. They do what fast_call and ipc_fastpath_reply_recv
 * (ipc/fastpath.c) do in that case, with the system-call registers still
 * in place (rdi, rsi, rbx: as the caller left them; the frame is at
 * 8(%rsp)); at the first precondition that fails, before anything has
 * changed, they go to the C code (ipc_call_c, ipc_reply_recv_c), which
 * decides again from the frame.
 *
 * LIVE_PORT looks up handle \h (a register; clobbered) of the current
 * thread's process with the rights \rights: r11 = the thread, rcx = its
 * process, rdx = the port, alive; or jumps to \fail.
 */
.macro LIVE_PORT h, h32, h16, rights, fail
    movq ke_current_thread(%rip), %r11
    movq T_PROC(%r11), %rcx
    cmpq $0x7fffffff, \h            /* above 31 bits: no handle */
    ja \fail
    movzwl \h16, %eax               /* the index: below the capacity */
    cmpl P_HANDLE_CAPACITY(%rcx), %eax
    jae \fail                       /* (slot 0, never used, has no object) */
    shlq $HE_SHIFT, %rax
    addq P_HANDLE_ENTRIES(%rcx), %rax
    movq HE_OBJ(%rax), %rdx
    testq %rdx, %rdx
    jz \fail
    shrl $16, \h32                  /* the generation */
    cmpw HE_GEN(%rax), \h16
    jne \fail
    testl $\rights, HE_RIGHTS(%rax)
    jz \fail
    cmpq $port_type, OB_TYPE(%rdx)  /* a kernel address: 32 bits, signed */
    jne \fail
    cmpb $0, PORT_DEAD(%rdx)
    jne \fail
.endm

/* Blocks the current thread (r11) on the wait queue at \wq for a fast-path
 * wait that ends with \how (block_fast in ipc/fastpath.c: no wait_status,
 * which every waker sets). */
.macro BLOCK_FAST wq, how
    movl $TH_BLOCKED_ASM, T_STATE(%r11)
    movq \wq, T_WAITING_ON(%r11)
    movb $1, T_INTERRUPTIBLE(%r11)
    movb $\how, T_IPC + IPC_T_RESUME(%r11)
.endm

/* Jumps to \fail unless a receiver waits on the port at rdx, blocked by
 * ipc_reply_recv's fast path, and the current thread (r11) is not being
 * terminated: r12 = its run_link, r9 = the port's list of receivers. */
.macro RECEIVER_WAITING fail
    movq PORT_RECEIVERS(%rdx), %r12
    leaq PORT_RECEIVERS(%rdx), %r9
    cmpq %r12, %r9
    je \fail
    cmpb $RESUME_RECV_ASM, T_IPC + IPC_T_RESUME - T_RUN_LINK(%r12)
    jne \fail
    cmpb $0, T_TERMINATE(%r11)
    jne \fail
.endm

/* long sys_ipc_call(port, tag, w0, w1, ...): rdi = port handle, rsi = tag,
 * rbx = timeout. */
FUNCTION(sys_ipc_call)
    testq %rbx, %rbx                /* IPC_WAIT_FOREVER */
    jnz ipc_call_c
    btq $32, %rsi                   /* IPC_FLAG_HANDLE */
    jc ipc_call_c
    cmpl $LABEL_KERNEL_ASM, %esi
    jae ipc_call_c
    LIVE_PORT %rdi, %edi, %di, H_CONNECT_ASM, ipc_call_c
    RECEIVER_WAITING ipc_call_c
    /* Point of no return. */
    movb $IPC_MSG_FRAME_ASM, T_IPC + IPC_T_MSG_SRC(%r11)
    leaq 8(%rsp), %r8               /* the message: the caller's frame */
    /*
     * The call (fast_call in ipc/fastpath.c), every precondition checked:
     * r11 = the caller (current), rcx = its process, rdx = the port, r12 =
     * the waiting receiver's run_link, r9 = the port's list of receivers,
     * r8 = the message for arch_switch_away.
     */
fast_call:
    movq ipc_next_token(%rip), %rax
    leaq 1(%rax), %rdi
    movq %rdi, ipc_next_token(%rip)
    movq %rax, T_IPC + IPC_T_TOKEN(%r11)
    movq %rdx, T_IPC + IPC_T_PORT(%r11)
    /* The receiver, off the port's list (its first), its wait finished. */
    movb $RESUME_NONE_ASM, T_IPC + IPC_T_RESUME - T_RUN_LINK(%r12)
    movq T_FRAME - T_RUN_LINK(%r12), %r10
    movq $0, F_RAX(%r10)            /* ST_OK */
    movq (%r12), %rdi
    movq %rdi, (%r9)
    movq %r9, 8(%rdi)
    movq %r12, (%r12)
    movq %r12, 8(%r12)
    movq $0, T_WAITING_ON - T_RUN_LINK(%r12)
    /* In service (ipc_put_in_service): the token and the caller's pid in
     * the receiver's frame, the call first on its process's list. */
    movq %rax, F_RDI(%r10)
    movq P_PID(%rcx), %rax          /* rcx: the caller's process */
    movq %rax, F_RBX(%r10)
    movb $IPC_IN_SERVICE_ASM, T_IPC + IPC_T_STATE(%r11)
    leaq T_IPC + IPC_T_LINK(%r11), %rdi
    movq T_PROC - T_RUN_LINK(%r12), %rax
    leaq P_IN_SERVICE(%rax), %rax
    movq (%rax), %r9
    movq %r9, (%rdi)
    movq %rax, 8(%rdi)
    movq %rdi, 8(%r9)
    movq %rdi, (%rax)
    incq PORT_CALLS(%rdx)
    /* The caller waits for its reply on no queue (block_fast). */
    leaq T_IPC + IPC_T_REPLY_WAIT(%r11), %rax
    BLOCK_FAST %rax, RESUME_CALL_ASM
    leaq -T_RUN_LINK(%r12), %rsi
    movq %r11, %rdi
    jmp switch_away

/*
 * A foreign personality's system call (syscall_entry; r11 = the current
 * thread, rcx = its process, the frame at rsp): as an ipc_call to its
 * subsystem port with the message in its system-call registers, when
 * nothing answers it in the kernel (thread_set_answers) and a receiver
 * waits; otherwise syscall_forward does it.
 */
forward:
    movq T_ANSWER_FILTER(%r11), %r12
    btq %rax, %r12                  /* bit nr % 64 */
    jc 9f
    movq P_SUBSYSTEM_PORT(%rcx), %rdx
    cmpb $0, PORT_DEAD(%rdx)
    jne 9f
    RECEIVER_WAITING 9f
    /* Point of no return. The message: the caller's system-call registers,
     * read from its frame, and its id (w[7]) in the receiver's frame. */
    movb $IPC_MSG_SYSCALL_ASM, T_IPC + IPC_T_MSG_SRC(%r11)
    movq T_FRAME - T_RUN_LINK(%r12), %rax
    movq T_ID(%r11), %rdi
    movq %rdi, F_R15(%rax)
    leaq ARCH_MSG_SYSCALL(%rsp), %r8
    jmp fast_call
9:  movq %rsp, %rdi
    movq %rcx, %rsi
    call syscall_forward
    jmp syscall_exit

/* long sys_ipc_reply_recv(token, tag, w0, ...): rdi = token, rsi = tag,
 * rbx = the port, timeout in the high half. */
FUNCTION(sys_ipc_reply_recv)
    btq $32, %rsi                   /* IPC_FLAG_HANDLE */
    jc 9f
    LIVE_PORT %rbx, %ebx, %bx, H_RECEIVE_ASM, 9f
    cmpq $0, PORT_NOTIFY_BITS(%rdx)
    jne 9f
    leaq PORT_QUEUED(%rdx), %rax
    cmpq %rax, PORT_QUEUED(%rdx)
    jne 9f
    cmpb $0, T_TERMINATE(%r11)
    jne 9f
    /* The call answered: the one received last, first in the list, from
     * a caller blocked by the fast path. */
    leaq P_IN_SERVICE(%rcx), %rax
    movq (%rax), %r8                /* its ipc.link */
    cmpq %rax, %r8
    je 9f
    cmpq %rdi, IPC_T_TOKEN - IPC_T_LINK(%r8)   /* tokens count from 1 */
    jne 9f
    cmpl $TH_BLOCKED_ASM, T_STATE - T_IPC - IPC_T_LINK(%r8)
    jne 9f
    cmpb $RESUME_CALL_ASM, IPC_T_RESUME - IPC_T_LINK(%r8)
    jne 9f
    movzbl IPC_T_MSG_SRC - IPC_T_LINK(%r8), %r9d
    cmpb $IPC_MSG_FRAME_ASM, %r9b
    je 1f
    cmpb $IPC_MSG_SYSCALL_ASM, %r9b
    jne 9f
    /* Point of no return. The call, off the list (its first), ends. */
1:  movq (%r8), %rdi
    movq %rdi, (%rax)
    movq %rax, 8(%rdi)
    movq %r8, (%r8)
    movq %r8, 8(%r8)
    movb $IPC_IDLE_ASM, IPC_T_STATE - IPC_T_LINK(%r8)
    movb $RESUME_NONE_ASM, IPC_T_RESUME - IPC_T_LINK(%r8)
    movq $0, T_WAITING_ON - T_IPC - IPC_T_LINK(%r8)
    /* A native call's reply goes from the server's frame into its
     * registers, ST_OK its status; a forwarded call's rax is w[0], and it
     * leaves through its own frame. */
    movq T_FRAME - T_IPC - IPC_T_LINK(%r8), %r10
    leaq 8(%rsp), %rcx              /* the message: the server's frame */
    testb %r9b, %r9b
    jnz 2f
    movq $0, F_RAX(%r10)            /* ST_OK */
3:
    /* The server waits for the next message, last on the port's list. */
    leaq PORT_RECEIVERS(%rdx), %rax
    BLOCK_FAST %rax, RESUME_RECV_ASM
    leaq T_RUN_LINK(%r11), %rdi
    movq 8(%rax), %r9
    movq %rax, (%rdi)
    movq %r9, 8(%rdi)
    movq %rdi, (%r9)
    movq %rdi, 8(%rax)
    leaq -T_IPC - IPC_T_LINK(%r8), %rsi
    movq %rcx, %r8
    movq %r11, %rdi
    jmp switch_away
9:  jmp ipc_reply_recv_c
2:  movq F_RDX(%rcx), %rax          /* w[0] */
    movq %rax, F_RAX(%r10)
    movq %r10, %rcx
    jmp 3b

/*
 * NORETURN void ke_switch_away(thread_t *next, const trapframe_t *msg)
 * The ipc fast path's switch (ke.h): the scheduler's accounting as
 * switch_to does it (the CPU time of the current thread, the start of
 * next's, next RUNNING and current), next's page tables, then
 * arch_switch_away (thread_t begins with its arch_thread_t).
 */
FUNCTION(ke_switch_away)
    movq %rsi, %r8
    movq %rdi, %rsi
    movq ke_current_thread(%rip), %rdi
switch_away:                /* rdi = current, rsi = next, r8 = msg */
    rdtsc
    shlq $32, %rdx
    orq %rax, %rdx
    movq %rdx, %rax
    subq T_SLICE_START(%rdi), %rax
    addq %rax, T_CPU_CYCLES(%rdi)
    movq %rdx, T_SLICE_START(%rsi)
    movl $TH_RUNNING_ASM, T_STATE(%rsi)
    movq %rsi, ke_current_thread(%rip)
    movq T_PROC(%rsi), %rax
    movq P_VM_ROOT(%rax), %rax
    movq %cr3, %rdx
    cmpq %rdx, %rax
    je 1f
    movq %rax, %cr3
1:  movq T_KSTACK_TOP(%rsi), %r10
    movq T_KSTACK_TOP(%rdi), %r9
    jmp arch_switch_away_r10

/*
 * A thread that arch_switch_away left, when it runs again: rsp is its
 * frame. ipc_resume_user stores the outcome of its wait in the frame.
 */
FUNCTION(ipc_resume_entry)
    movq %rsp, %rdi
    xorl %ebp, %ebp
    call ipc_resume_user
    jmp syscall_return

/*
 * First code a new thread runs: arch_thread_setup() leaves entry in r12 and
 * its argument in r13.
 */
FUNCTION(thread_start)
    movq %r13, %rdi
    xorl %ebp, %ebp
    call *%r12
    ud2

/* void arch_enter_user_frame(trapframe_t *frame): leave through frame. */
FUNCTION(arch_enter_user_frame)
    movq %rdi, %rsp
    jmp trap_return

    .data
    .balign 8
GLOBAL(syscall_user_rsp)
    .quad 0
