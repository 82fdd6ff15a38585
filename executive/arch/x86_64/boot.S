/*
 * First instructions of the executive.
 *
 * QEMU's PVH boot enters pvh_start32 in 32-bit protected mode, paging off,
 * with %ebx = physical address of the hvm_start_info block. This file builds
 * just enough page tables to reach long mode in the higher half:
 *   - identity map of the first 1 GiB (needed while the jump happens),
 *   - the same 1 GiB at KERNEL_VMA (-2 GiB), where the kernel is linked,
 *   - the same 1 GiB at the start of the direct map (PHYS_MAP_BASE),
 * all with 2 MiB pages. mm_init() replaces these tables with the real ones.
 */
#include "asm.h"

#define BOOT_PHYS(x) ((x) - KERNEL_VMA)

    .section .note.pvh, "a"
    .balign 4
    .long 4                 /* name size: "Xen\0" */
    .long 4                 /* descriptor size */
    .long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .long BOOT_PHYS(pvh_start32)

    .section .boot.bss, "aw", @nobits
    .balign 4096
GLOBAL(boot_pml4)
    .skip 4096
boot_pdpt_low:
    .skip 4096
boot_pdpt_high:
    .skip 4096
boot_pd:
    .skip 4096
GLOBAL(boot_stack_bottom)
    .skip 16384
GLOBAL(boot_stack_top)

    .section .boot.data, "aw"
    .balign 16
boot_gdt:
    .quad 0
    .quad 0x00209a0000000000    /* 0x08: 64-bit code, ring 0 */
    .quad 0x0000920000000000    /* 0x10: data, ring 0 */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .quad BOOT_PHYS(boot_gdt)
GLOBAL(boot_start_info)
    .quad 0

    .section .boot.text, "ax"
    .code32
GLOBAL(pvh_start32)
    cli
    cld
    movl %ebx, BOOT_PHYS(boot_start_info)

    /* One page directory of 512 x 2 MiB pages covering 0..1 GiB. */
    movl $BOOT_PHYS(boot_pd), %edi
    movl $0x83, %eax                 /* present, writable, 2 MiB */
    xorl %ecx, %ecx
1:  movl %eax, (%edi, %ecx, 8)
    movl $0, 4(%edi, %ecx, 8)
    addl $0x200000, %eax
    incl %ecx
    cmpl $512, %ecx
    jne 1b

    movl $BOOT_PHYS(boot_pd) + 3, %eax
    movl %eax, BOOT_PHYS(boot_pdpt_low)
    movl %eax, BOOT_PHYS(boot_pdpt_high) + 510 * 8

    movl $BOOT_PHYS(boot_pdpt_low) + 3, %eax
    movl %eax, BOOT_PHYS(boot_pml4)
    movl %eax, BOOT_PHYS(boot_pml4) + 256 * 8
    movl $BOOT_PHYS(boot_pdpt_high) + 3, %eax
    movl %eax, BOOT_PHYS(boot_pml4) + 511 * 8

    movl %cr4, %eax
    orl $(CR4_PAE | CR4_PGE), %eax
    movl %eax, %cr4
    movl $BOOT_PHYS(boot_pml4), %eax
    movl %eax, %cr3

    movl $MSR_EFER, %ecx
    rdmsr
    orl $(EFER_LME | EFER_SCE), %eax
    /* NX only if the CPU has it: CPUID 0x80000001 EDX bit 20. */
    movl %eax, %esi
    movl $0x80000001, %eax
    cpuid
    movl %esi, %eax
    testl $(1 << 20), %edx
    jz 2f
    orl $EFER_NXE, %eax
2:  movl $MSR_EFER, %ecx
    wrmsr

    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP | CR0_PE), %eax
    movl %eax, %cr0

    lgdt BOOT_PHYS(boot_gdt_ptr)
    ljmp $0x08, $BOOT_PHYS(long_mode_low)

    .code64
long_mode_low:
    movabsq $long_mode_high, %rax
    jmp *%rax

long_mode_high:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $boot_stack_top, %rsp
    xorl %ebp, %ebp
    movq boot_start_info(%rip), %rdi
    call kmain
3:  cli
    hlt
    jmp 3b
