/*
 * The kernel virtual area: page-granular allocations backed by fresh frames
 * and preceded by an unmapped guard page, for kernel stacks (a stack
 * overflow faults instead of silently corrupting memory) and large heap
 * blocks. Freed ranges are kept on a first-fit list and reused.
 */
#include "mm.h"

typedef struct kva_hole {
    struct kva_hole *next;
    uintptr_t start;
    size_t pages; /* including the guard page */
} kva_hole_t;

static uintptr_t kva_next;
static kva_hole_t *holes;

void kva_init(void)
{
    kva_next = KVA_BASE;
}

static uint64_t kva_pt_alloc(void *ctx)
{
    (void)ctx;
    return frame_alloc();
}

static void unmap_range(uintptr_t va, size_t pages)
{
    uint64_t root = arch_pt_kernel_root();

    for (size_t i = 0; i < pages; i++) {
        pte_t *pte = arch_pt_walk(root, va + i * PAGE_SIZE, false, NULL, NULL);
        if (pte && arch_pte_present(*pte)) {
            frame_unref(arch_pte_addr(*pte));
            *pte = 0;
            arch_tlb_flush_page(va + i * PAGE_SIZE);
        }
    }
}

void *kva_alloc(size_t pages)
{
    size_t total = pages + 1;
    uintptr_t base = 0;
    uint64_t root = arch_pt_kernel_root();

    if (pages == 0 || pages > KVA_SIZE / PAGE_SIZE)
        return NULL;
    for (kva_hole_t **h = &holes; *h; h = &(*h)->next) {
        if ((*h)->pages == total) {
            kva_hole_t *hole = *h;
            base = hole->start;
            *h = hole->next;
            kfree(hole);
            break;
        }
    }
    if (!base) {
        if (total > (KVA_BASE + KVA_SIZE - kva_next) / PAGE_SIZE)
            return NULL;
        base = kva_next;
        kva_next += total * PAGE_SIZE;
    }

    uintptr_t va = base + PAGE_SIZE;
    for (size_t i = 0; i < pages; i++) {
        uint64_t pa = frame_alloc();
        pte_t *pte = pa ? arch_pt_walk(root, va + i * PAGE_SIZE, true, kva_pt_alloc, NULL) : NULL;
        if (!pte) {
            if (pa)
                frame_unref(pa);
            unmap_range(va, i);
            kva_free((void *)va, 0);
            return NULL;
        }
        *pte = arch_pte_make(pa, VM_READ | VM_WRITE);
    }
    return (void *)va;
}

/* pages == 0 returns only the address range (used on a failed allocation). */
void kva_free(void *p, size_t pages)
{
    uintptr_t va = (uintptr_t)p;
    kva_hole_t *hole;

    if (!p)
        return;
    unmap_range(va, pages);
    hole = kmalloc(sizeof(*hole));
    if (!hole)
        return; /* the range leaks, the frames do not */
    hole->start = va - PAGE_SIZE;
    hole->pages = pages + 1;
    hole->next = holes;
    holes = hole;
}
