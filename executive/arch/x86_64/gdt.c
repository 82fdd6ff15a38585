/*
 * Global descriptor table and task state segment.
 *
 * Selector order is fixed by syscall/sysret: STAR[47:32] = kernel CS, with
 * kernel SS at +8; STAR[63:48] + 8 = user SS and + 16 = user CS. Hence:
 * 0x08 kernel code, 0x10 kernel data, 0x18 user data, 0x20 user code,
 * 0x28 TSS (two slots). The TSS holds RSP0 (the current thread's kernel
 * stack) and IST stacks for double faults and NMIs, which must work even
 * when the kernel stack is unusable.
 */
#include "x86.h"

typedef struct PACKED tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
    /* I/O permission bitmap (0 = allowed), one for the ports granted to
     * all driver processes; enabled only while one of them runs. */
    uint8_t iomap[8192];
    uint8_t iomap_end; /* must be 0xff */
} tss_t;

#define IOMAP_ON  offsetof(tss_t, iomap)
#define IOMAP_OFF sizeof(tss_t) /* beyond the limit: every port refused */
/* arch_switch (entry.S) writes these fields itself. */
_Static_assert(offsetof(tss_t, rsp) == TSS_RSP0, "TSS_RSP0");
_Static_assert(offsetof(tss_t, iomap_base) == TSS_IOMAP_BASE, "TSS_IOMAP_BASE");
_Static_assert(IOMAP_ON == TSS_IOMAP_ON && IOMAP_OFF == TSS_IOMAP_OFF, "TSS_IOMAP_*");

tss_t cpu_tss __attribute__((aligned(16)));
static uint64_t gdt[7] __attribute__((aligned(16)));
static uint8_t ist_df_stack[8192] __attribute__((aligned(16)));
static uint8_t ist_nmi_stack[8192] __attribute__((aligned(16)));

enum { IST_DOUBLE_FAULT = 1, IST_NMI = 2 };

void tss_set_rsp0(uint64_t rsp0)
{
    cpu_tss.rsp[0] = rsp0;
}

void gdt_init(void)
{
    uint64_t base = (uint64_t)&cpu_tss;
    uint64_t limit = sizeof(cpu_tss) - 1;
    struct PACKED {
        uint16_t limit;
        uint64_t base;
    } gdtr = {sizeof(gdt) - 1, (uint64_t)gdt};

    gdt[0] = 0;
    gdt[1] = 0x00209a0000000000ull; /* kernel code: P, DPL0, L */
    gdt[2] = 0x0000920000000000ull; /* kernel data */
    gdt[3] = 0x0000f20000000000ull; /* user data: DPL3 */
    gdt[4] = 0x0020fa0000000000ull; /* user code: DPL3, L */
    gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[6] = base >> 32;

    cpu_tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(ist_df_stack + sizeof(ist_df_stack));
    cpu_tss.ist[IST_NMI - 1] = (uint64_t)(ist_nmi_stack + sizeof(ist_nmi_stack));
    for (size_t i = 0; i < sizeof(cpu_tss.iomap); i++)
        cpu_tss.iomap[i] = 0xff;
    cpu_tss.iomap_end = 0xff;
    cpu_tss.iomap_base = IOMAP_OFF;

    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w2, %%ds\n\t"
                     "movw %w2, %%es\n\t"
                     "movw %w2, %%ss\n\t"
                     "ltr %w3"
                     :
                     : "m"(gdtr), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS)
                     : "rax", "memory");
}

void tss_set_io(bool enabled)
{
    cpu_tss.iomap_base = enabled ? IOMAP_ON : IOMAP_OFF;
}

void arch_io_grant(uint16_t first, uint32_t count)
{
    for (uint32_t p = first; p < (uint32_t)first + count && p < 65536; p++)
        cpu_tss.iomap[p / 8] &= (uint8_t) ~(1u << (p % 8));
}
