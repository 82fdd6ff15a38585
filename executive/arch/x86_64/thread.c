/*
 * Per-thread CPU state: new kernel stacks, FPU/SSE and register context
 * get/set, and the first entry of a thread into user mode (the context
 * switch itself, arch_switch, is in entry.S). Also the machine-level odds
 * and ends: idle, halt, power-off.
 */
#include "ipc.h"
#include "ke.h"
#include "ob.h"
#include "ps.h"
#include "x86.h"
#include <string.h>

void arch_thread_setup(arch_thread_t *t, uintptr_t kstack_top, void (*entry)(void *), void *arg)
{
    /* Matches the pops in arch_switch: r15 r14 r13 r12 rbx rbp ret. */
    uint64_t *sp = (uint64_t *)(kstack_top - sizeof(trapframe_t));

    /* thread_start is entered by ret with rsp 16-byte aligned, as its
     * call then needs. */
    *--sp = (uint64_t)thread_start;
    *--sp = 0;               /* rbp */
    *--sp = 0;               /* rbx */
    *--sp = (uint64_t)entry; /* r12 */
    *--sp = (uint64_t)arg;   /* r13 */
    *--sp = 0;               /* r14 */
    *--sp = 0;               /* r15 */
    t->rsp = (uint64_t)sp;
    t->fs_base = 0;
    t->gs_base = 0;
    arch_thread_fpu_init(t);
}

void arch_thread_fpu_init(arch_thread_t *t)
{
    memset(t->fpu, 0, sizeof(t->fpu));
    t->fpu[0] = 0x7f; /* FCW = 0x037f: all x87 exceptions masked */
    t->fpu[1] = 0x03;
    t->fpu[24] = 0x80; /* MXCSR = 0x1f80: all SSE exceptions masked */
    t->fpu[25] = 0x1f;
}

/* arch_switch (entry.S) reads these fields. */
_Static_assert(offsetof(arch_thread_t, rsp) == ARCH_T_RSP, "ARCH_T_RSP");
_Static_assert(offsetof(arch_thread_t, fs_base) == ARCH_T_FS_BASE, "ARCH_T_FS_BASE");
_Static_assert(offsetof(arch_thread_t, io) == ARCH_T_IO, "ARCH_T_IO");
_Static_assert(offsetof(arch_thread_t, fpu) == ARCH_T_FPU, "ARCH_T_FPU");
_Static_assert(sizeof(((arch_thread_t *)0)->io) == 1, "ARCH_T_IO is a byte");
/* syscall_entry and syscall_exit (entry.S) read these. */
_Static_assert(offsetof(thread_t, arch) == 0, "thread_t starts with arch_thread_t");
_Static_assert(offsetof(thread_t, state) == T_STATE, "T_STATE");
_Static_assert(sizeof(((thread_t *)0)->state) == 4, "T_STATE is 32 bits");
_Static_assert(offsetof(thread_t, kstack_top) == T_KSTACK_TOP, "T_KSTACK_TOP");
_Static_assert(offsetof(thread_t, cpu_cycles) == T_CPU_CYCLES, "T_CPU_CYCLES");
_Static_assert(offsetof(thread_t, slice_start) == T_SLICE_START, "T_SLICE_START");
_Static_assert(TH_RUNNING == TH_RUNNING_ASM, "TH_RUNNING_ASM");
_Static_assert(offsetof(process_t, vm.root) == P_VM_ROOT, "P_VM_ROOT");
_Static_assert(offsetof(thread_t, proc) == T_PROC, "T_PROC");
_Static_assert(offsetof(thread_t, exit_work) == T_EXIT_WORK, "T_EXIT_WORK");
_Static_assert(offsetof(process_t, subsystem_port) == P_SUBSYSTEM_PORT, "P_SUBSYSTEM_PORT");
_Static_assert(ARCH_MSG_SYSCALL_TAG == IPC_TAG(IPC_LABEL_SYSCALL, 0), "ARCH_MSG_SYSCALL_TAG");
/* The ipc fast paths in assembly (entry.S) read and write these. */
_Static_assert(offsetof(thread_t, id) == T_ID, "T_ID");
_Static_assert(offsetof(thread_t, frame) == T_FRAME, "T_FRAME");
_Static_assert(offsetof(thread_t, run_link) == T_RUN_LINK, "T_RUN_LINK");
_Static_assert(offsetof(thread_t, waiting_on) == T_WAITING_ON, "T_WAITING_ON");
_Static_assert(offsetof(thread_t, interruptible) == T_INTERRUPTIBLE, "T_INTERRUPTIBLE");
_Static_assert(offsetof(thread_t, terminate) == T_TERMINATE, "T_TERMINATE");
_Static_assert(offsetof(thread_t, ipc) == T_IPC, "T_IPC");
_Static_assert(offsetof(thread_t, answer_filter) == T_ANSWER_FILTER, "T_ANSWER_FILTER");
_Static_assert(offsetof(ipc_thread_t, port) == IPC_T_PORT, "IPC_T_PORT");
_Static_assert(offsetof(ipc_thread_t, token) == IPC_T_TOKEN, "IPC_T_TOKEN");
_Static_assert(offsetof(ipc_thread_t, link) == IPC_T_LINK, "IPC_T_LINK");
_Static_assert(offsetof(ipc_thread_t, state) == IPC_T_STATE, "IPC_T_STATE");
_Static_assert(sizeof(((ipc_thread_t *)0)->state) == 1, "IPC_T_STATE is a byte");
_Static_assert(offsetof(ipc_thread_t, msg_src) == IPC_T_MSG_SRC, "IPC_T_MSG_SRC");
_Static_assert(offsetof(ipc_thread_t, resume) == IPC_T_RESUME, "IPC_T_RESUME");
_Static_assert(offsetof(ipc_thread_t, reply_wait) == IPC_T_REPLY_WAIT, "IPC_T_REPLY_WAIT");
_Static_assert(offsetof(process_t, pid) == P_PID, "P_PID");
_Static_assert(offsetof(process_t, handles.entries) == P_HANDLE_ENTRIES, "P_HANDLE_ENTRIES");
_Static_assert(offsetof(process_t, handles.capacity) == P_HANDLE_CAPACITY, "P_HANDLE_CAPACITY");
_Static_assert(offsetof(process_t, ipc_in_service) == P_IN_SERVICE, "P_IN_SERVICE");
_Static_assert(sizeof(handle_entry_t) == 1 << HE_SHIFT, "HE_SHIFT");
_Static_assert(offsetof(handle_entry_t, obj) == HE_OBJ, "HE_OBJ");
_Static_assert(offsetof(handle_entry_t, rights) == HE_RIGHTS, "HE_RIGHTS");
_Static_assert(offsetof(handle_entry_t, gen) == HE_GEN, "HE_GEN");
_Static_assert(offsetof(ob_header_t, type) == OB_TYPE, "OB_TYPE");
_Static_assert(offsetof(port_t, hdr) == 0, "port_t starts with its header");
_Static_assert(offsetof(port_t, queued) == PORT_QUEUED, "PORT_QUEUED");
_Static_assert(offsetof(port_t, receivers.waiters) == PORT_RECEIVERS, "PORT_RECEIVERS");
_Static_assert(offsetof(port_t, notify_bits) == PORT_NOTIFY_BITS, "PORT_NOTIFY_BITS");
_Static_assert(offsetof(port_t, dead) == PORT_DEAD, "PORT_DEAD");
_Static_assert(offsetof(port_t, calls) == PORT_CALLS, "PORT_CALLS");
_Static_assert(sizeof(((port_t *)0)->calls) == 8, "PORT_CALLS is 64 bits");
_Static_assert(offsetof(list_node_t, next) == 0 && offsetof(list_node_t, prev) == 8, "list_node_t");
_Static_assert(TH_BLOCKED == TH_BLOCKED_ASM, "TH_BLOCKED_ASM");
_Static_assert(IPC_IDLE == IPC_IDLE_ASM && IPC_IN_SERVICE == IPC_IN_SERVICE_ASM, "IPC states");
_Static_assert(IPC_MSG_FRAME == IPC_MSG_FRAME_ASM && IPC_MSG_SYSCALL == IPC_MSG_SYSCALL_ASM,
               "IPC_MSG_FRAME_ASM, IPC_MSG_SYSCALL_ASM");
_Static_assert(IPC_RESUME_NONE == RESUME_NONE_ASM && IPC_RESUME_CALL == RESUME_CALL_ASM &&
                   IPC_RESUME_RECV == RESUME_RECV_ASM,
               "IPC_RESUME");
_Static_assert(H_CONNECT == H_CONNECT_ASM && H_RECEIVE == H_RECEIVE_ASM, "H_CONNECT, H_RECEIVE");
_Static_assert(IPC_LABEL_KERNEL == LABEL_KERNEL_ASM, "LABEL_KERNEL_ASM");
_Static_assert(IPC_WAIT_FOREVER == 0 && IPC_FLAG_HANDLE == 1, "IPC_WAIT_FOREVER, IPC_FLAG_HANDLE");

void arch_set_kernel_stack(uintptr_t kstack_top)
{
    tss_set_rsp0(kstack_top);
}

void arch_frame_init_user(trapframe_t *f, uintptr_t rip, uintptr_t rsp)
{
    memset(f, 0, sizeof(*f));
    f->rip = rip;
    f->rsp = rsp;
    f->cs = SEL_UCODE;
    f->ss = SEL_UDATA;
    f->rflags = RFLAGS_IF;
}

void arch_frame_sanitize(trapframe_t *f)
{
    f->cs = SEL_UCODE;
    f->ss = SEL_UDATA;
    f->rflags = (f->rflags & (RFLAGS_USER_MASK | RFLAGS_TF | RFLAGS_AC)) | RFLAGS_IF | 2;
}

NORETURN void arch_enter_user(trapframe_t *frame)
{
    arch_enter_user_frame(frame);
}

void arch_idle(void)
{
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}

NORETURN void arch_halt(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

NORETURN void arch_debug_exit(int code)
{
    outl(0xf4, (uint32_t)code);
    arch_halt();
}

NORETURN void arch_poweroff(void)
{
    /* QEMU's PIIX4 ACPI PM1a control block: SLP_TYP 0 | SLP_EN. */
    outw(0x604, 0x2000);
    outw(0xb004, 0x2000);
    arch_debug_exit(0);
}

static bool canonical(uint64_t v)
{
    return v < 0x0000800000000000ull || v >= 0xFFFF800000000000ull;
}

void arch_thread_get_context(thread_t *t, thread_context_t *c)
{
    const trapframe_t *f = t->frame;

    c->rax = f->rax;
    c->rbx = f->rbx;
    c->rcx = f->rcx;
    c->rdx = f->rdx;
    c->rsi = f->rsi;
    c->rdi = f->rdi;
    c->rbp = f->rbp;
    c->rsp = f->rsp;
    c->r8 = f->r8;
    c->r9 = f->r9;
    c->r10 = f->r10;
    c->r11 = f->r11;
    c->r12 = f->r12;
    c->r13 = f->r13;
    c->r14 = f->r14;
    c->r15 = f->r15;
    c->rip = f->rip;
    c->rflags = f->rflags;
    c->fs_base = t->arch.fs_base;
    c->gs_base = t->arch.gs_base;
}

status_t arch_thread_set_context(thread_t *t, const thread_context_t *c)
{
    trapframe_t *f = t->frame;

    if (c->rip >= USER_TOP || !canonical(c->fs_base) || !canonical(c->gs_base))
        return ST_INVALID_ARGUMENT;
    f->rax = c->rax;
    f->rbx = c->rbx;
    f->rcx = c->rcx;
    f->rdx = c->rdx;
    f->rsi = c->rsi;
    f->rdi = c->rdi;
    f->rbp = c->rbp;
    f->rsp = c->rsp;
    f->r8 = c->r8;
    f->r9 = c->r9;
    f->r10 = c->r10;
    f->r11 = c->r11;
    f->r12 = c->r12;
    f->r13 = c->r13;
    f->r14 = c->r14;
    f->r15 = c->r15;
    f->rip = c->rip;
    f->rflags = c->rflags;
    arch_frame_sanitize(f);
    t->frame_changed = true; /* sysret may not restore it: see entry.S */
    arch_thread_set_fs_base(t, c->fs_base);
    t->arch.gs_base = c->gs_base;
    return ST_OK;
}

void arch_thread_set_fs_base(thread_t *t, uint64_t base)
{
    t->arch.fs_base = base;
    if (t == ke_current())
        wrmsr(MSR_FS_BASE, base);
}

void arch_io_enable_current(void)
{
    tss_set_io(true);
}
