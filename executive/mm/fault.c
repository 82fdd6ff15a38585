/*
 * Page faults in user address spaces: demand-zero allocation, section pages
 * on first touch, and copy-on-write. Also the cross-space copies
 * (vm_copy_in/out) that process-memory system calls use, which fault pages
 * in the same way.
 */
#include "ke.h"
#include "ps.h"
#include "section.h"
#include "vm_internal.h"
#include <string.h>

/* Internal access bit: ignore the region's protection (cross-space writes). */
#define FAULT_FORCE 0x100

static bool access_allowed(const vm_region_t *r, unsigned access)
{
    if (access & FAULT_FORCE)
        return true;
    if ((access & FAULT_WRITE) && !(r->prot & VM_WRITE))
        return false;
    if ((access & FAULT_EXEC) && !(r->prot & VM_EXEC))
        return false;
    return r->prot & (VM_READ | VM_WRITE | VM_EXEC);
}

static unsigned region_pte_prot(const vm_region_t *r, unsigned access)
{
    unsigned prot = r->prot | VM_USER;

    /* A forced access to a no-access page maps it readable meanwhile. */
    if ((access & FAULT_FORCE) && !(prot & (VM_READ | VM_WRITE | VM_EXEC)))
        prot |= VM_READ;
    return prot;
}

/* A private mapping's first write: the space gets (and pays for) a copy
 * of the section's page. */
static status_t copy_into_private(vm_space_t *s, pte_t *pte, uint64_t section_pa, unsigned prot)
{
    uint64_t pa;
    status_t st = frame_alloc_charged(s->quota, &pa);

    if (st != ST_OK)
        return st;
    memcpy(phys_to_virt(pa), phys_to_virt(section_pa), PAGE_SIZE);
    s->resident++;
    *pte = arch_pte_make(pa, prot);
    return ST_OK;
}

status_t vm_fault(vm_space_t *s, uintptr_t addr, unsigned access)
{
    vm_region_t *r;
    pte_t *pte;
    uintptr_t va = ALIGN_DOWN(addr, PAGE_SIZE);
    status_t st;

    if (addr >= USER_TOP)
        return ST_BAD_ADDRESS;
    r = vm_find(s, addr);
    if (!r || !access_allowed(r, access))
        return ST_BAD_ADDRESS;
    pte = arch_pt_walk(s->root, va, true, vm_pt_alloc, s);
    if (!pte)
        return ST_NO_MEMORY;

    unsigned prot = region_pte_prot(r, access);
    bool write = access & FAULT_WRITE;

    if (!arch_pte_mapped(*pte)) {
        uint64_t pa;
        if (r->section) {
            st = section_page(r->section, (r->offset + va - r->start) / PAGE_SIZE, &pa);
            if (st != ST_OK)
                return st;
            if (r->private_copy && write)
                return copy_into_private(s, pte, pa, prot);
            if (r->private_copy && (prot & VM_WRITE))
                prot |= VM_COW; /* the section's page, until a write copies it */
        } else {
            st = frame_alloc_charged(s->quota, &pa);
            if (st != ST_OK)
                return st;
            s->resident++;
        }
        *pte = arch_pte_make(pa, prot);
        return ST_OK;
    }

    uint64_t pa = arch_pte_addr(*pte);
    bool private = vm_page_is_private(r, va, pa);
    if (!private && r->private_copy && write) {
        st = copy_into_private(s, pte, pa, prot); /* first write to a section page */
        if (st == ST_OK && arch_pt_current() == s->root)
            arch_tlb_flush_page(va);
        return st;
    }
    if (private && write && frame_refcount(pa) > 1) {
        /* Copy-on-write break: this space gets its own copy. The charge for
         * the page is already ours, so only the frame changes. */
        uint64_t copy = frame_alloc();
        if (!copy)
            return ST_NO_MEMORY;
        memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
        frame_unref(pa);
        pa = copy;
    } else if ((private && !write && frame_refcount(pa) > 1) || (!private && r->private_copy)) {
        prot |= VM_COW;
    }
    *pte = arch_pte_make(pa, prot);
    if (arch_pt_current() == s->root)
        arch_tlb_flush_page(va);
    return ST_OK;
}

vm_space_t *mm_current_space(void)
{
    thread_t *t = ke_current();

    return t && t->proc ? &t->proc->vm : NULL;
}

status_t mm_handle_fault(uintptr_t addr, unsigned access)
{
    vm_space_t *s = mm_current_space();

    if (!s)
        return ST_BAD_ADDRESS;
    return vm_fault(s, addr, access);
}

/* Finds (faulting in if needed) the frame behind addr for a cross-space
 * copy. A forced copy needs the page mapped at all; otherwise the region
 * must allow the access, as for the space's own threads. */
static status_t page_for_copy(vm_space_t *s, uintptr_t addr, bool write, bool force, uint64_t *pa)
{
    pte_t *pte = arch_pt_walk(s->root, ALIGN_DOWN(addr, PAGE_SIZE), false, NULL, NULL);
    unsigned access = (force ? FAULT_FORCE : 0) | (write ? FAULT_WRITE : 0);

    if (!force) {
        vm_region_t *r = vm_find(s, addr);
        if (!r || !access_allowed(r, access))
            return ST_BAD_ADDRESS;
    }
    if (!pte || !arch_pte_present(*pte) || (write && !(arch_pte_prot(*pte) & VM_WRITE)) ||
        (write && (arch_pte_prot(*pte) & VM_COW))) {
        status_t st = vm_fault(s, addr, access);
        if (st != ST_OK)
            return st;
        pte = arch_pt_walk(s->root, ALIGN_DOWN(addr, PAGE_SIZE), false, NULL, NULL);
        if (!pte || !arch_pte_mapped(*pte))
            return ST_BAD_ADDRESS;
    }
    *pa = arch_pte_addr(*pte);
    return ST_OK;
}

/*
 * Copies between space s at addr and buf, a page of s at a time through
 * the direct map. With user_buf, buf is an address in the current space,
 * reached with fault recovery: a fault there is resolved on the spot (the
 * kernel is not preempted and demand paging never sleeps), so the frame
 * found in s stays valid for the whole copy.
 */
static status_t copy_space(vm_space_t *s, uintptr_t addr, void *buf, size_t len, bool write,
                           bool force, bool user_buf)
{
    if (len == 0)
        return ST_OK;
    if (!arch_user_range_ok(addr, len))
        return ST_BAD_ADDRESS;
    while (len) {
        uint64_t pa;
        size_t off = addr & (PAGE_SIZE - 1);
        size_t n = MIN(len, PAGE_SIZE - off);
        status_t st = page_for_copy(s, addr, write, force, &pa);
        if (st != ST_OK)
            return st;
        char *page = (char *)phys_to_virt(pa) + off;
        if (user_buf)
            st = write ? copy_from_user(page, (uintptr_t)buf, n)
                       : copy_to_user((uintptr_t)buf, page, n);
        else if (write)
            memcpy(page, buf, n);
        else
            memcpy(buf, page, n);
        if (st != ST_OK)
            return st;
        addr += n;
        buf = (char *)buf + n;
        len -= n;
    }
    return ST_OK;
}

status_t vm_copy_in(vm_space_t *s, uintptr_t addr, void *buf, size_t len, bool as_user)
{
    return copy_space(s, addr, buf, len, false, !as_user, false);
}

status_t vm_copy_out(vm_space_t *s, uintptr_t addr, const void *buf, size_t len, bool as_user)
{
    return copy_space(s, addr, (void *)buf, len, true, !as_user, false);
}

status_t vm_copy_user(vm_space_t *s, uintptr_t addr, uintptr_t ubuf, size_t len, bool to_space,
                      bool as_user)
{
    if (!arch_user_range_ok(ubuf, len))
        return ST_BAD_ADDRESS;
    return copy_space(s, addr, (void *)ubuf, len, to_space, !as_user, true);
}
