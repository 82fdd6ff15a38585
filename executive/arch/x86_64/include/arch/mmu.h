/*
 * x86_64 paging: page-table entry bits and the executive's virtual memory
 * layout.
 *
 *   0000_0000_0000_1000 .. 0000_7fff_ffff_f000   user space (per process)
 *   ffff_8000_0000_0000 .. (+ RAM size)          direct map of physical RAM
 *   ffff_c000_0000_0000 .. (+ 64 GiB)            kernel virtual area: stacks
 *                                                with guard pages, large
 *                                                heap blocks
 *   ffff_ffff_8000_0000 ..                       the kernel image
 *
 * The kernel half (PML4 slots 256..511) is built once at boot and copied
 * into every address space, so it never has to be updated per process.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdint.h>

#define PTE_P        (1ull << 0)
#define PTE_W        (1ull << 1)
#define PTE_U        (1ull << 2)
#define PTE_PWT      (1ull << 3)
#define PTE_PCD      (1ull << 4)
#define PTE_A        (1ull << 5)
#define PTE_D        (1ull << 6)
#define PTE_PS       (1ull << 7)
#define PTE_G        (1ull << 8)
#define PTE_COW      (1ull << 9)  /* software: write fault copies the page */
#define PTE_NOACCESS (1ull << 10) /* software: frame kept, no access (P clear) */
#define PTE_NX       (1ull << 63)
#define PTE_ADDR     0x000FFFFFFFFFF000ull

#define USER_BASE     0x0000000000001000ull
#define USER_TOP      0x00007FFFFFFFF000ull
#define PHYS_MAP_BASE 0xFFFF800000000000ull
#define KVA_BASE      0xFFFFC00000000000ull
#define KVA_SIZE      (64ull << 30)
#define KERNEL_VMA    0xFFFFFFFF80000000ull

#define PML4_INDEX(va) (((va) >> 39) & 511)
#define PDPT_INDEX(va) (((va) >> 30) & 511)
#define PD_INDEX(va)   (((va) >> 21) & 511)
#define PT_INDEX(va)   (((va) >> 12) & 511)

static inline void *phys_to_virt(uint64_t pa)
{
    return (void *)(uintptr_t)(pa + PHYS_MAP_BASE);
}

static inline uint64_t virt_to_phys(const void *va)
{
    uintptr_t v = (uintptr_t)va;

    if (v >= KERNEL_VMA)
        return v - KERNEL_VMA;
    return v - PHYS_MAP_BASE;
}

#endif
