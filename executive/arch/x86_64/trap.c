/*
 * Trap dispatch: every interrupt and exception stub in entry.S lands in
 * trap_dispatch(). Hardware interrupts go to their handlers; exceptions from
 * user mode go to the portable fault path (ke_user_fault), which resolves
 * page faults through mm or ends the thread's process; exceptions in kernel
 * mode are either a user-memory access with a fix-up (copy_from_user and
 * friends) or a kernel bug, which panics.
 */
#include "ke.h"
#include "mm.h"
#include "x86.h"

void arch_irq_dispatch(int irq);

static const char *const exception_names[32] = {
    "divide error",
    "debug trap",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor segment overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection fault",
    "page fault",
    "reserved exception 15",
    "x87 floating-point error",
    "alignment check",
    "machine check",
    "SIMD floating-point error",
    "virtualization exception",
    "control protection fault",
};

const char *arch_exception_name(unsigned vector)
{
    if (vector < 32 && exception_names[vector])
        return exception_names[vector];
    return "unknown exception";
}

extern const extable_entry_t __extable_start[], __extable_end[];

const extable_entry_t *extable_find(uint64_t rip)
{
    for (const extable_entry_t *e = __extable_start; e < __extable_end; e++) {
        if (e->insn == rip)
            return e;
    }
    return NULL;
}

static void dump_frame(const trapframe_t *f)
{
    kprintf("  rip %016llx  rsp %016llx  rflags %08llx  cs %llx ss %llx\n",
            (unsigned long long)f->rip, (unsigned long long)f->rsp, (unsigned long long)f->rflags,
            (unsigned long long)f->cs, (unsigned long long)f->ss);
    kprintf("  rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx\n", (unsigned long long)f->rax,
            (unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
    kprintf("  rsi %016llx  rdi %016llx  rbp %016llx  r8  %016llx\n", (unsigned long long)f->rsi,
            (unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->r8);
    kprintf("  r9  %016llx  r10 %016llx  r11 %016llx  r12 %016llx\n", (unsigned long long)f->r9,
            (unsigned long long)f->r10, (unsigned long long)f->r11, (unsigned long long)f->r12);
    kprintf("  r13 %016llx  r14 %016llx  r15 %016llx\n", (unsigned long long)f->r13,
            (unsigned long long)f->r14, (unsigned long long)f->r15);
    kprintf("  cr0 %016llx  cr2 %016llx  cr3 %016llx  cr4 %016llx\n",
            (unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
            (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
}

NORETURN static void kernel_fault(trapframe_t *f, unsigned vector, uint64_t addr)
{
    ke_panic_begin();
    kprintf("\nPANIC: %s in kernel mode (vector %u, error %#llx", arch_exception_name(vector),
            vector, (unsigned long long)f->error);
    if (vector == 14)
        kprintf(", address %#llx", (unsigned long long)addr);
    kprintf(")\n");
    dump_frame(f);
    arch_backtrace(f->rbp, f->rip);
    ke_panic_end();
}

static unsigned fault_access(uint64_t error)
{
    unsigned access = 0;

    if (error & 1)
        access |= FAULT_PRESENT;
    if (error & 2)
        access |= FAULT_WRITE;
    if (error & 4)
        access |= FAULT_USER;
    if (error & 16)
        access |= FAULT_EXEC;
    return access;
}

void trap_dispatch(trapframe_t *f)
{
    unsigned vector = (unsigned)f->vector;

    if (vector >= 32 && vector < 48) {
        arch_irq_dispatch((int)vector - 32);
        if (frame_from_user(f))
            ke_return_to_user(f);
        return;
    }
    if (vector >= 48) {
        /* Only reachable by a spurious or misrouted interrupt: ignore. */
        return;
    }

    uint64_t addr = vector == 14 ? read_cr2() : 0;

    if (frame_from_user(f)) {
        ke_user_fault(f, vector, arch_exception_name(vector), addr,
                      vector == 14 ? fault_access(f->error) : 0);
        ke_return_to_user(f);
        return;
    }

    if (vector == 14) {
        /* A kernel access to user memory: demand paging or copy-on-write. */
        if (addr < USER_TOP && extable_find(f->rip)) {
            if (mm_handle_fault(addr, fault_access(f->error)) == ST_OK)
                return;
            f->rip = extable_find(f->rip)->fixup;
            return;
        }
    }
    if (vector == 2) {
        kprintf("NMI received\n");
        return;
    }
    kernel_fault(f, vector, addr);
}

void arch_frame_dump(const trapframe_t *f)
{
    dump_frame(f);
}
