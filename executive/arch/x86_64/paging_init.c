/*
 * Builds the kernel's final address space at boot (see mmu.h for the
 * layout): the direct map of all RAM with large pages, no-execute; the
 * kernel image with 4 KiB pages, text read-only + executable, rodata
 * read-only, data and bss no-execute; an empty page-directory-pointer table
 * for the kernel virtual area so that later mappings there never touch the
 * top level, which every process shares.
 */
#include "x86.h"

extern char __kernel_start[], __rodata_start[], __data_start[], __kernel_end[];
void arch_pt_set_kernel_root(uint64_t root);

static uint64_t (*alloc_frame)(void);

static uint64_t *table_at(uint64_t *parent, int index)
{
    if (!(parent[index] & PTE_P))
        parent[index] = alloc_frame() | PTE_P | PTE_W;
    return phys_to_virt(parent[index] & PTE_ADDR);
}

static void map_direct(uint64_t *pml4, uint64_t max_phys, bool gbpages)
{
    uint64_t nx = cpu_has_nx ? PTE_NX : 0;

    for (uint64_t pa = 0; pa < max_phys;) {
        uint64_t va = PHYS_MAP_BASE + pa;
        uint64_t *pdpt = table_at(pml4, PML4_INDEX(va));
        if (gbpages && IS_ALIGNED(pa, 1ull << 30)) {
            pdpt[PDPT_INDEX(va)] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | nx;
            pa += 1ull << 30;
            continue;
        }
        uint64_t *pd = table_at(pdpt, PDPT_INDEX(va));
        pd[PD_INDEX(va)] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | nx;
        pa += 2ull << 20;
    }
}

static void map_kernel(uint64_t *pml4)
{
    uint64_t nx = cpu_has_nx ? PTE_NX : 0;

    for (uintptr_t va = (uintptr_t)__kernel_start; va < (uintptr_t)__kernel_end; va += PAGE_SIZE) {
        uint64_t *pdpt = table_at(pml4, PML4_INDEX(va));
        uint64_t *pd = table_at(pdpt, PDPT_INDEX(va));
        uint64_t *pt = table_at(pd, PD_INDEX(va));
        uint64_t flags = PTE_P | PTE_G;
        if (va >= (uintptr_t)__data_start)
            flags |= PTE_W | nx;
        else if (va >= (uintptr_t)__rodata_start)
            flags |= nx;
        pt[PT_INDEX(va)] = (va - KERNEL_VMA) | flags;
    }
}

void arch_mm_init(uint64_t max_phys, uint64_t (*early_alloc)(void))
{
    uint32_t a, b, c, d;
    uint64_t root;
    uint64_t *pml4;

    alloc_frame = early_alloc;
    cpuid(0x80000001, 0, &a, &b, &c, &d);
    root = alloc_frame();
    pml4 = phys_to_virt(root);

    map_direct(pml4, max_phys, d & (1u << 26));
    map_kernel(pml4);
    (void)table_at(pml4, PML4_INDEX(KVA_BASE));

    arch_pt_set_kernel_root(root);
    write_cr3(root);
}
