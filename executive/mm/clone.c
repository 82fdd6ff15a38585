/*
 * Copy-on-write clone of an address space (fork). Every private page
 * present in the source is shared with the destination read-only, its frame
 * reference count raised; the first write on either side copies it
 * (fault.c). Section regions are shared as they are: the destination maps
 * the same section and faults its pages in on first touch.
 */
#include "section.h"
#include "vm_internal.h"

typedef struct clone_ctx {
    vm_space_t *dst, *src;
    vm_region_t *r;
    status_t st;
} clone_ctx_t;

static void clone_page(void *ctx, uintptr_t va, pte_t *pte)
{
    clone_ctx_t *c = ctx;
    uint64_t pa = arch_pte_addr(*pte);
    unsigned prot = c->r->prot | VM_USER;
    pte_t *dpte;

    if (c->st != ST_OK || !vm_page_is_private(c->r, va, pa))
        return; /* a section's own page: the clone faults it in */
    if (quota_charge(c->dst->quota, 1) != ST_OK) {
        c->st = ST_QUOTA_EXCEEDED;
        return;
    }
    dpte = arch_pt_walk(c->dst->root, va, true, vm_pt_alloc, c->dst);
    if (!dpte) {
        quota_uncharge(c->dst->quota, 1);
        c->st = ST_NO_MEMORY;
        return;
    }
    if (prot & VM_WRITE)
        prot |= VM_COW;
    frame_ref(pa);
    *pte = arch_pte_make(pa, prot);
    *dpte = arch_pte_make(pa, prot);
    c->dst->resident++;
}

status_t vm_clone(vm_space_t *dst, vm_space_t *src)
{
    vm_region_t **tail = &dst->regions;

    for (vm_region_t *r = src->regions; r; r = r->next) {
        vm_region_t *n = kmalloc(sizeof(*n));
        if (!n)
            return ST_NO_MEMORY; /* the caller destroys dst */
        *n = *r;
        n->next = NULL;
        if (n->section)
            ob_ref(&n->section->hdr);
        *tail = n;
        tail = &n->next;
        if (r->section && !r->private_copy)
            continue;
        clone_ctx_t c = {dst, src, r, ST_OK};
        arch_pt_for_each(src->root, r->start, r->end, clone_page, &c);
        if (c.st != ST_OK)
            return c.st;
    }
    dst->hint = src->hint;
    if (arch_pt_current() == src->root)
        arch_tlb_flush_all();
    return ST_OK;
}
