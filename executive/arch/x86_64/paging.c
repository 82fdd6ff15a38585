/*
 * Page-table primitives for mm: walk (creating intermediate tables on
 * demand), build and decode entries, TLB maintenance, and teardown of the
 * user half. Policy (what is mapped where, who pays for the frames) lives in
 * executive/mm; this file only knows the x86_64 four-level format.
 */
#include "x86.h"

static uint64_t kernel_root;

pte_t *arch_pt_walk(uint64_t root, uintptr_t va, bool create, pt_alloc_fn alloc, void *ctx)
{
    uint64_t *table = phys_to_virt(root);
    const int shifts[3] = {39, 30, 21};

    for (int level = 0; level < 3; level++) {
        uint64_t *e = &table[(va >> shifts[level]) & 511];
        if (!(*e & PTE_P)) {
            if (!create || !alloc)
                return NULL;
            uint64_t pa = alloc(ctx);
            if (!pa)
                return NULL;
            /* Intermediate levels grant everything; leaves restrict. */
            *e = pa | PTE_P | PTE_W | (va < USER_TOP ? PTE_U : 0);
        } else if (*e & PTE_PS) {
            return NULL; /* a large page: not something mm walks into */
        }
        table = phys_to_virt(*e & PTE_ADDR);
    }
    return &table[PT_INDEX(va)];
}

pte_t arch_pte_make(uint64_t pa, unsigned prot)
{
    pte_t pte = (pa & PTE_ADDR) | PTE_P;

    /* No access at all: keep the frame in a not-present entry, so the page
     * survives until access is granted again. */
    if (!(prot & (VM_READ | VM_WRITE | VM_EXEC)))
        return (pa & PTE_ADDR) | PTE_NOACCESS;

    if ((prot & VM_WRITE) && !(prot & VM_COW))
        pte |= PTE_W;
    if (prot & VM_USER)
        pte |= PTE_U;
    else
        pte |= PTE_G;
    if (prot & VM_COW)
        pte |= PTE_COW;
    if (!(prot & VM_EXEC) && cpu_has_nx)
        pte |= PTE_NX;
    return pte;
}

bool arch_pte_present(pte_t pte)
{
    return pte & PTE_P;
}

bool arch_pte_mapped(pte_t pte)
{
    return pte & (PTE_P | PTE_NOACCESS);
}

uint64_t arch_pte_addr(pte_t pte)
{
    return pte & PTE_ADDR;
}

unsigned arch_pte_prot(pte_t pte)
{
    unsigned prot = VM_READ;

    if (!(pte & PTE_P))
        return 0;

    if (pte & PTE_W)
        prot |= VM_WRITE;
    if (pte & PTE_U)
        prot |= VM_USER;
    if (pte & PTE_COW)
        prot |= VM_COW | VM_WRITE;
    if (!(pte & PTE_NX))
        prot |= VM_EXEC;
    return prot;
}

void arch_pt_set_kernel_root(uint64_t root)
{
    kernel_root = root;
}

uint64_t arch_pt_kernel_root(void)
{
    return kernel_root;
}

void arch_pt_init_root(uint64_t root)
{
    uint64_t *dst = phys_to_virt(root);
    const uint64_t *src = phys_to_virt(kernel_root);

    for (int i = 0; i < 256; i++)
        dst[i] = 0;
    for (int i = 256; i < 512; i++)
        dst[i] = src[i];
}

static void free_level(uint64_t table_pa, int level, void (*free_frame)(uint64_t pa))
{
    uint64_t *t = phys_to_virt(table_pa);

    if (level < 3) {
        for (int i = 0; i < 512; i++) {
            if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
                free_level(t[i] & PTE_ADDR, level + 1, free_frame);
        }
    }
    free_frame(table_pa);
}

void arch_pt_free_user(uint64_t root, void (*free_frame)(uint64_t pa))
{
    uint64_t *t = phys_to_virt(root);

    for (int i = 0; i < 256; i++) {
        if (t[i] & PTE_P)
            free_level(t[i] & PTE_ADDR, 1, free_frame);
        t[i] = 0;
    }
    free_frame(root);
}

uint64_t arch_pt_current(void)
{
    return read_cr3() & PTE_ADDR;
}

void arch_tlb_flush_page(uintptr_t va)
{
    invlpg(va);
}

void arch_tlb_flush_all(void)
{
    write_cr3(read_cr3());
}

bool arch_user_range_ok(uintptr_t addr, size_t len)
{
    return addr >= USER_BASE && addr <= USER_TOP && len <= USER_TOP - addr;
}

/*
 * Calls fn for every leaf entry holding a frame (present or no-access) mapping a page in [start,
 * end), skipping empty subtrees, so sparse ranges cost little.
 */
void arch_pt_for_each(uint64_t root, uintptr_t start, uintptr_t end,
                      void (*fn)(void *ctx, uintptr_t va, pte_t *pte), void *ctx)
{
    uintptr_t va = start;

    while (va < end) {
        uint64_t *t = phys_to_virt(root);
        uint64_t e = t[PML4_INDEX(va)];
        if (!(e & PTE_P)) {
            va = ALIGN_DOWN(va, 1ull << 39) + (1ull << 39);
            continue;
        }
        t = phys_to_virt(e & PTE_ADDR);
        e = t[PDPT_INDEX(va)];
        if (!(e & PTE_P) || (e & PTE_PS)) {
            va = ALIGN_DOWN(va, 1ull << 30) + (1ull << 30);
            continue;
        }
        t = phys_to_virt(e & PTE_ADDR);
        e = t[PD_INDEX(va)];
        if (!(e & PTE_P) || (e & PTE_PS)) {
            va = ALIGN_DOWN(va, 1ull << 21) + (1ull << 21);
            continue;
        }
        t = phys_to_virt(e & PTE_ADDR);
        uintptr_t table_end = ALIGN_DOWN(va, 1ull << 21) + (1ull << 21);
        for (; va < end && va < table_end; va += PAGE_SIZE) {
            pte_t *pte = &t[PT_INDEX(va)];
            if (*pte & (PTE_P | PTE_NOACCESS))
                fn(ctx, va, pte);
        }
    }
}
