/* Declarations private to the x86_64 port. */
#ifndef X86_H
#define X86_H

#include "arch.h"
#include "asm.h"
#include <arch/cpu.h>
#include <arch/mmu.h>

void gdt_init(void);
void idt_init(void);
void tss_set_rsp0(uint64_t rsp0);
void tss_set_io(bool enabled);
void pic_init(void);
void pic_eoi(int irq);
void pic_unmask(int irq);

extern bool cpu_has_smap;
extern bool cpu_has_nx;
extern uint64_t boot_pml4[];

void thread_start(void);
NORETURN void arch_enter_user_frame(trapframe_t *frame);
void syscall_entry(void);
void trap_return(void);
extern char isr_table[];

/* Exception-table entry: a faulting instruction and where to resume. */
typedef struct extable_entry {
    uint64_t insn, fixup;
} extable_entry_t;
const extable_entry_t *extable_find(uint64_t rip);

#endif
