/*
 * Interrupt descriptor table: 256 interrupt gates pointing at the stubs in
 * entry.S (16 bytes apart). All gates are ring-0 only except vector 3 (int3)
 * so that a user breakpoint is a user fault rather than a #GP.
 */
#include "x86.h"

typedef struct PACKED idt_gate {
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t reserved;
} idt_gate_t;

static idt_gate_t idt[256] __attribute__((aligned(16)));

static void set_gate(int vec, uint64_t handler, int dpl, int ist)
{
    idt[vec] = (idt_gate_t){
        .off_lo = handler & 0xffff,
        .sel = SEL_KCODE,
        .ist = (uint8_t)ist,
        .type = (uint8_t)(0x8e | (dpl << 5)),
        .off_mid = (handler >> 16) & 0xffff,
        .off_hi = (uint32_t)(handler >> 32),
    };
}

void idt_init(void)
{
    struct PACKED {
        uint16_t limit;
        uint64_t base;
    } idtr = {sizeof(idt) - 1, (uint64_t)idt};

    for (int v = 0; v < 256; v++)
        set_gate(v, (uint64_t)isr_table + 16 * v, v == 3 ? 3 : 0, 0);
    set_gate(2, (uint64_t)isr_table + 16 * 2, 0, 2); /* NMI on its own stack */
    set_gate(8, (uint64_t)isr_table + 16 * 8, 0, 1); /* double fault too */
    __asm__ volatile("lidt %0" : : "m"(idtr));
}
