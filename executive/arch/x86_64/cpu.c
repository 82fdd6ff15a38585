/*
 * CPU set-up: descriptor tables, protection features (NX, SMEP, SMAP, UMIP,
 * write protection in ring 0), the FPU/SSE state, and the syscall MSRs.
 * Entry point: arch_cpu_init(), called once early in kmain().
 */
#include "x86.h"

bool cpu_has_smap;
bool cpu_has_nx;

void arch_cpu_init(void)
{
    uint32_t a, b, c, d;
    uint64_t cr4;

    gdt_init();
    idt_init();

    cpuid(0x80000001, 0, &a, &b, &c, &d);
    cpu_has_nx = d & (1u << 20);
    cpuid(7, 0, &a, &b, &c, &d);

    cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
    if (b & (1u << 7))
        cr4 |= CR4_SMEP;
    if (b & (1u << 20)) {
        cr4 |= CR4_SMAP;
        cpu_has_smap = true;
    }
    if (c & (1u << 2))
        cr4 |= CR4_UMIP; /* no sgdt/sidt/smsw/str from user mode */
    write_cr4(cr4);

    /* FPU: native exceptions, no emulation, no lazy switching. */
    write_cr0((read_cr0() | CR0_MP | CR0_NE | CR0_WP) & ~(uint64_t)(CR0_EM | CR0_TS));
    __asm__ volatile("fninit");

    wrmsr(MSR_STAR, ((uint64_t)(SEL_UDATA - 3 - 8) << 48) | ((uint64_t)SEL_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    /* Cleared on syscall entry: IF, TF, DF, AC, NT. */
    wrmsr(MSR_FMASK, 0x200 | 0x100 | 0x400 | 0x40000 | 0x4000);

    kprintf("cpu: nx=%d smep=%d smap=%d umip=%d\n", cpu_has_nx, !!(cr4 & CR4_SMEP), cpu_has_smap,
            !!(cr4 & CR4_UMIP));
}
