/*
 * The interface between the portable executive and the CPU port
 * (executive/arch/x86_64). Portable code includes this header and never an
 * arch header directly, except <arch/frame.h> for the saved user registers.
 */
#ifndef ARCH_H
#define ARCH_H

#include "kernel.h"
#include <arch/frame.h>
#include <arch/mmu.h>

/* What the firmware told us at boot, in portable form. */
#define BOOT_MAX_MEM 64
enum boot_mem_type { BOOT_MEM_USABLE = 1, BOOT_MEM_RESERVED = 2 };
typedef struct boot_info {
    struct {
        uint64_t base, len;
        int type;
    } mem[BOOT_MAX_MEM];
    int nmem;
    uint64_t initrd_pa, initrd_size;
    char cmdline[256];
} boot_info_t;

void arch_parse_boot_info(uint64_t start_info_pa, boot_info_t *bi);
void arch_cpu_init(void);   /* GDT, TSS, IDT, CPU features, syscall MSRs */
void arch_timer_init(void); /* interrupt controller and the periodic tick */
uint32_t arch_tick_hz(void);

/* Serial console (16550). */
void arch_serial_init(void);
void arch_serial_putc(char c);
void arch_serial_log_to_com2(void);
void arch_serial_report_status(int64_t status);
int arch_serial_getc(void); /* -1 if no byte is waiting */

/* Interrupt-line handlers, called with interrupts disabled. */
typedef void (*irq_handler_t)(int irq);
void arch_irq_register(int irq, irq_handler_t fn);
void arch_irq_mask(int irq);
void arch_irq_unmask(int irq);
/* Allows user-mode access to ports [first, first+count) for processes whose
 * threads have arch.io set. */
void arch_io_grant(uint16_t first, uint32_t count);
void arch_io_enable_current(void);

void arch_idle(void); /* enable interrupts, wait for one, disable again */
NORETURN void arch_halt(void);
/* Leaves QEMU through isa-debug-exit: QEMU's exit status is 2 * code + 1. */
NORETURN void arch_debug_exit(int code);
NORETURN void arch_poweroff(void);
#include <arch/inline.h> /* arch_cycles() */
uint64_t arch_ns(void);  /* monotonic nanoseconds since boot */

/* Per-thread CPU state kept by the port. */
typedef struct arch_thread {
    uint64_t rsp;     /* saved kernel stack pointer while switched out */
    uint64_t fs_base; /* user FS base (TLS) */
    uint64_t gs_base;
    bool io;                                       /* the process may use the granted I/O ports */
    uint8_t fpu[512] __attribute__((aligned(16))); /* FXSAVE image */
} arch_thread_t;

/*
 * Prepares a new thread's kernel stack so that the first switch to it calls
 * entry(arg) on that stack.
 */
void arch_thread_setup(arch_thread_t *t, uintptr_t kstack_top, void (*entry)(void *), void *arg);
void arch_thread_fpu_init(arch_thread_t *t);
/* Saves the current thread's state in prev and resumes next. */
void arch_switch(arch_thread_t *prev, arch_thread_t *next, uintptr_t next_kstack_top);
/*
 * The ipc fast path's switch from a thread in a system call that keeps
 * nothing on its kernel stack: when switched to again it enters
 * ipc_resume_user with its frame, then returns to user mode. With msg,
 * next returns to user mode at once through the frame at the top of its
 * kernel stack, its message registers taken from msg (another thread's
 * frame, or its own); otherwise it resumes where it switched out. msg |
 * ARCH_MSG_SYSCALL is the frame of a forwarded system call, whose number
 * and arguments become the message words w[0..6] (w[7] is in next's
 * frame already).
 */
#define ARCH_MSG_SYSCALL 1
NORETURN void arch_switch_away(arch_thread_t *prev, arch_thread_t *next, uintptr_t next_kstack_top,
                               uintptr_t prev_kstack_top, const trapframe_t *msg);
/* Leaves the kernel through the user frame at the top of the current stack. */
NORETURN void arch_enter_user(trapframe_t *frame);
void arch_frame_init_user(trapframe_t *f, uintptr_t rip, uintptr_t rsp);
/* Makes the user frame safe to return to (segment selectors, flags). */
void arch_frame_sanitize(trapframe_t *f);

/* Page tables. prot bits are the VM_* bits below. */
typedef uint64_t pte_t;
enum {
    VM_READ = 1,
    VM_WRITE = 2,
    VM_EXEC = 4,
    VM_USER = 8,
    VM_COW = 16, /* mapped read-only; a write fault copies the page */
};
typedef uint64_t (*pt_alloc_fn)(void *ctx); /* returns a zeroed frame's address or 0 */
pte_t *arch_pt_walk(uint64_t root, uintptr_t va, bool create, pt_alloc_fn alloc, void *ctx);
pte_t arch_pte_make(uint64_t pa, unsigned prot);
bool arch_pte_present(pte_t pte);
bool arch_pte_mapped(pte_t pte); /* holds a frame, accessible or not */
uint64_t arch_pte_addr(pte_t pte);
unsigned arch_pte_prot(pte_t pte);
void arch_pt_init_root(uint64_t root); /* copies the kernel half into a new root */
/* Calls free_frame for every user-half page-table page, then for the root. */
void arch_pt_free_user(uint64_t root, void (*free_frame)(uint64_t pa));
uint64_t arch_pt_current(void);
uint64_t arch_pt_kernel_root(void);
void arch_tlb_flush_page(uintptr_t va);
void arch_pt_for_each(uint64_t root, uintptr_t start, uintptr_t end,
                      void (*fn)(void *ctx, uintptr_t va, pte_t *pte), void *ctx);
void arch_tlb_flush_all(void);
bool arch_user_range_ok(uintptr_t addr, size_t len);

/*
 * Copies between kernel and user memory. Faults on the user side are first
 * offered to mm (demand paging, copy-on-write); if mm cannot resolve them the
 * copy stops and ST_BAD_ADDRESS is returned. Ranges outside user space are
 * refused before any access.
 */
status_t copy_from_user(void *dst, uintptr_t usrc, size_t n);
status_t copy_to_user(uintptr_t udst, const void *src, size_t n);
status_t clear_user(uintptr_t udst, size_t n);
/* Copies a string of at most max-1 bytes; ST_NAME_TOO_LONG if longer. */
status_t copy_string_from_user(char *dst, uintptr_t usrc, size_t max);

/* Backtraces for panics and fault reports. */
void arch_backtrace(uint64_t rbp, uint64_t rip);
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

#endif
