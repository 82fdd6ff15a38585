/* Constants and macros shared by the assembly files of the x86_64 port. */
#ifndef ARCH_ASM_H
#define ARCH_ASM_H

#ifdef __ASSEMBLER__
#define KERNEL_VMA 0xFFFFFFFF80000000 /* C code: <arch/mmu.h> */
#endif

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_TS (1 << 3)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)

#define CR4_PAE        (1 << 5)
#define CR4_PGE        (1 << 7)
#define CR4_OSFXSR     (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define CR4_UMIP       (1 << 11)
#define CR4_FSGSBASE   (1 << 16)
#define CR4_SMEP       (1 << 20)
#define CR4_SMAP       (1 << 21)

#define MSR_EFER           0xC0000080
#define MSR_STAR           0xC0000081
#define MSR_LSTAR          0xC0000082
#define MSR_FMASK          0xC0000084
#define MSR_FS_BASE        0xC0000100
#define MSR_GS_BASE        0xC0000101
#define MSR_KERNEL_GS_BASE 0xC0000102

#define EFER_SCE (1 << 0)
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

/* Segment selectors; the order is fixed by syscall/sysret (see gdt.c). */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1b
#define SEL_UCODE 0x23
#define SEL_TSS   0x28

/* The TSS (gdt.c): where rsp0 and the I/O bitmap offset are, and the two
 * bitmap offsets (inside the limit: granted ports usable; beyond it: none). */
#define TSS_RSP0       4
#define TSS_IOMAP_BASE 102
#define TSS_IOMAP_ON   104
#define TSS_IOMAP_OFF  (104 + 8192 + 1)

/* arch_thread_t (arch.h). */
#define ARCH_T_RSP     0
#define ARCH_T_FS_BASE 8
#define ARCH_T_IO      24
#define ARCH_T_FPU     32

/* arch_switch_away's msg | ARCH_MSG_SYSCALL: a forwarded system call, whose
 * message has this tag (IPC_TAG(IPC_LABEL_SYSCALL, 0); checked in
 * thread.c). */
#define ARCH_MSG_SYSCALL     1 /* as in arch.h */
#define ARCH_MSG_SYSCALL_TAG 0xFFFF0003

/* Fields the system-call entry and exit and ke_switch_away use (checked in
 * thread.c). */
#define T_STATE          0x248
#define T_PROC           0x250
#define T_KSTACK_TOP     0x260
#define T_EXIT_WORK      0x2e0
#define T_CPU_CYCLES     0x2f0
#define T_SLICE_START    0x2f8
#define TH_RUNNING_ASM   2
#define P_SUBSYSTEM_PORT 0x60
#define P_VM_ROOT        0x78

/* Fields the ipc fast paths in assembly use (entry.S; checked in thread.c). */
#define T_ID               0x220
#define T_FRAME            0x268
#define T_RUN_LINK         0x270
#define T_WAITING_ON       0x2a0
#define T_INTERRUPTIBLE    0x2d8
#define T_TERMINATE        0x2e0
#define T_IPC              0x300
#define T_ANSWER_FILTER    0x398
#define IPC_T_PORT         0x00
#define IPC_T_TOKEN        0x08
#define IPC_T_LINK         0x10
#define IPC_T_STATE        0x20
#define IPC_T_MSG_SRC      0x21
#define IPC_T_RESUME       0x22
#define IPC_T_REPLY_WAIT   0x70
#define P_PID              0x28
#define P_HANDLE_ENTRIES   0xa8
#define P_HANDLE_CAPACITY  0xb0
#define P_IN_SERVICE       0x190
#define HE_SHIFT           4 /* sizeof(handle_entry_t) == 1 << HE_SHIFT */
#define HE_OBJ             0
#define HE_RIGHTS          8
#define HE_GEN             12
#define OB_TYPE            0
#define PORT_QUEUED        0x28
#define PORT_RECEIVERS     0x38
#define PORT_NOTIFY_BITS   0x48
#define PORT_DEAD          0x54
#define PORT_CALLS         0x58
#define TH_BLOCKED_ASM     3
#define IPC_IDLE_ASM       0
#define IPC_IN_SERVICE_ASM 2
#define IPC_MSG_FRAME_ASM  0
#define IPC_MSG_SYSCALL_ASM 2
#define RESUME_NONE_ASM    0
#define RESUME_CALL_ASM    1
#define RESUME_RECV_ASM    2
#define H_CONNECT_ASM      0x80
#define H_RECEIVE_ASM      0x100
#define LABEL_KERNEL_ASM   0xFFFF0000

#ifdef __ASSEMBLER__
#define GLOBAL(name) \
    .globl name;     \
    name:
#define FUNCTION(name)     \
    .globl name;           \
    .type name, @function; \
    name:
#endif

#endif
