/*
 * Address spaces: the sorted region list of a process and its page tables.
 * Entry points: vm_space_init/destroy, vm_map, vm_unmap, vm_protect,
 * vm_find. Faults and copy-on-write are in fault.c, cloning in clone.c.
 *
 * Accounting: a space's quota is charged one page for every private page it
 * maps (including pages shared copy-on-write with another space) and for
 * every page-table page. Section pages are charged to the section's creator.
 */
#include "section.h"
#include "vm_internal.h"
#include <string.h>

#define MMAP_BASE 0x0000100000000000ull /* first address for non-fixed maps */

uint64_t vm_pt_alloc(void *ctx)
{
    vm_space_t *s = ctx;
    uint64_t pa;

    if (frame_alloc_charged(s->quota, &pa) != ST_OK)
        return 0;
    s->pt_pages++;
    return pa;
}

status_t vm_space_init(vm_space_t *s, quota_t *q)
{
    uint64_t root;
    status_t st;

    memset(s, 0, sizeof(*s));
    s->quota = q;
    quota_ref(q);
    st = frame_alloc_charged(q, &root);
    if (st != ST_OK) {
        quota_unref(q);
        s->quota = NULL;
        return st;
    }
    s->pt_pages = 1;
    s->root = root;
    s->hint = MMAP_BASE;
    arch_pt_init_root(root);
    return ST_OK;
}

static vm_space_t *freeing_space;

static void free_pt_frame(uint64_t pa)
{
    frame_unref(pa);
    quota_uncharge(freeing_space->quota, 1);
    freeing_space->pt_pages--;
}

void vm_space_destroy(vm_space_t *s)
{
    if (!s->root)
        return;
    vm_unmap(s, USER_BASE, USER_TOP - USER_BASE);
    if (arch_pt_current() == s->root)
        arch_pt_activate(arch_pt_kernel_root());
    freeing_space = s;
    arch_pt_free_user(s->root, free_pt_frame);
    freeing_space = NULL;
    s->root = 0;
    quota_unref(s->quota);
    s->quota = NULL;
}

vm_region_t *vm_find(vm_space_t *s, uintptr_t addr)
{
    for (vm_region_t *r = s->regions; r && r->start <= addr; r = r->next) {
        if (addr < r->end)
            return r;
    }
    return NULL;
}

static size_t region_count(vm_space_t *s)
{
    size_t n = 0;

    for (vm_region_t *r = s->regions; r; r = r->next)
        n++;
    return n;
}

static void insert_region(vm_space_t *s, vm_region_t *nr)
{
    vm_region_t **l = &s->regions;

    while (*l && (*l)->start < nr->start)
        l = &(*l)->next;
    nr->next = *l;
    *l = nr;
}

static bool range_free(vm_space_t *s, uintptr_t start, uintptr_t end)
{
    for (vm_region_t *r = s->regions; r && r->start < end; r = r->next) {
        if (r->end > start)
            return false;
    }
    return true;
}

static status_t find_gap(vm_space_t *s, size_t len, uintptr_t hint, uintptr_t *out)
{
    for (int pass = 0; pass < 2; pass++) {
        uintptr_t cand = pass == 0 ? ALIGN_UP(MAX(hint, USER_BASE), PAGE_SIZE) : MMAP_BASE;
        for (vm_region_t *r = s->regions; cand <= USER_TOP && len <= USER_TOP - cand; r = r->next) {
            while (r && r->end <= cand)
                r = r->next;
            if (!r || r->start >= cand + len) {
                *out = cand;
                return ST_OK;
            }
            cand = r->end;
        }
    }
    return ST_NO_MEMORY;
}

bool vm_page_is_private(const vm_region_t *r, uintptr_t va, uint64_t pa)
{
    if (!r->section)
        return true;
    if (!r->private_copy)
        return false;
    uint64_t idx = (r->offset + va - r->start) / PAGE_SIZE;
    return idx >= r->section->npages || r->section->pages[idx] != pa;
}

/* Removes the PTE for one page of region r, releasing what it held. */
static void drop_page(vm_space_t *s, vm_region_t *r, uintptr_t va, pte_t *pte)
{
    uint64_t pa = arch_pte_addr(*pte);

    *pte = 0;
    if (arch_pt_current() == s->root)
        arch_tlb_flush_page(va);
    if (vm_page_is_private(r, va, pa)) {
        frame_unref(pa);
        quota_uncharge(s->quota, 1);
        s->resident--;
    }
}

typedef struct unmap_ctx {
    vm_space_t *s;
    vm_region_t *r;
} unmap_ctx_t;

static void unmap_one(void *ctx, uintptr_t va, pte_t *pte)
{
    unmap_ctx_t *u = ctx;

    drop_page(u->s, u->r, va, pte);
}

static void release_region(vm_region_t *r)
{
    if (r->section)
        ob_unref(&r->section->hdr);
    kfree(r);
}

/*
 * Splits the region containing addr so that a region starts exactly at
 * addr. Fails only when out of memory.
 */
static status_t split_at(vm_space_t *s, uintptr_t addr)
{
    vm_region_t *r = vm_find(s, addr), *n;

    if (!r || r->start == addr)
        return ST_OK;
    if (region_count(s) >= VM_MAX_REGIONS)
        return ST_LIMIT;
    n = kmalloc(sizeof(*n));
    if (!n)
        return ST_NO_MEMORY;
    *n = *r;
    n->start = addr;
    if (n->section) {
        n->offset += addr - r->start;
        ob_ref(&n->section->hdr);
    }
    r->end = addr;
    n->next = r->next;
    r->next = n;
    return ST_OK;
}

static status_t check_range(uintptr_t addr, size_t len)
{
    if (!IS_ALIGNED(addr, PAGE_SIZE) || len == 0)
        return ST_INVALID_ARGUMENT;
    if (!arch_user_range_ok(addr, len))
        return ST_BAD_ADDRESS;
    return ST_OK;
}

status_t vm_unmap(vm_space_t *s, uintptr_t addr, size_t len)
{
    status_t st;
    uintptr_t end;

    len = ALIGN_UP(len, PAGE_SIZE);
    st = check_range(addr, len);
    if (st != ST_OK)
        return st;
    end = addr + len;
    if ((st = split_at(s, addr)) != ST_OK || (st = split_at(s, end)) != ST_OK)
        return st;

    vm_region_t **l = &s->regions;
    while (*l) {
        vm_region_t *r = *l;
        if (r->start >= end)
            break;
        if (r->start < addr) {
            l = &r->next;
            continue;
        }
        unmap_ctx_t u = {s, r};
        arch_pt_for_each(s->root, r->start, r->end, unmap_one, &u);
        *l = r->next;
        release_region(r);
    }
    return ST_OK;
}

status_t vm_map(vm_space_t *s, uintptr_t *addr, size_t len, unsigned prot, unsigned flags,
                section_t *sec, uint64_t offset)
{
    uintptr_t start;
    vm_region_t *r;
    status_t st;

    if (len == 0 || len > USER_TOP || (prot & ~(VM_READ | VM_WRITE | VM_EXEC)))
        return ST_INVALID_ARGUMENT;
    if ((flags & VMF_NO_WRITE) && !(flags & VMF_PRIVATE) && (prot & VM_WRITE))
        return ST_ACCESS_DENIED;
    len = ALIGN_UP(len, PAGE_SIZE);
    if (sec) {
        if (!IS_ALIGNED(offset, PAGE_SIZE) || offset > sec->size || len > sec->size - offset)
            return ST_RANGE;
    }
    if (flags & (VMF_FIXED | VMF_NOREPLACE)) {
        start = *addr;
        st = check_range(start, len);
        if (st != ST_OK)
            return st;
        if (flags & VMF_NOREPLACE) {
            if (!range_free(s, start, start + len))
                return ST_EXISTS;
        }
    } else {
        st = find_gap(s, len, *addr ? *addr : s->hint, &start);
        if (st != ST_OK)
            return st;
    }
    if (region_count(s) + 2 >= VM_MAX_REGIONS)
        return ST_LIMIT;
    r = kzalloc(sizeof(*r));
    if (!r)
        return ST_NO_MEMORY;
    if (flags & VMF_FIXED) {
        st = vm_unmap(s, start, len);
        if (st != ST_OK) {
            kfree(r);
            return st;
        }
    }
    r->start = start;
    r->end = start + len;
    r->prot = prot;
    r->section = sec;
    r->offset = offset;
    r->private_copy = sec && (flags & VMF_PRIVATE);
    r->no_write = (flags & VMF_NO_WRITE) && !r->private_copy;
    if (sec)
        ob_ref(&sec->hdr);
    insert_region(s, r);
    *addr = start;
    return ST_OK;
}

typedef struct protect_ctx {
    vm_space_t *s;
    unsigned prot;
    vm_region_t *r;
} protect_ctx_t;

static void protect_one(void *ctx, uintptr_t va, pte_t *pte)
{
    protect_ctx_t *p = ctx;
    uint64_t pa = arch_pte_addr(*pte);
    unsigned prot = p->prot | VM_USER;
    bool private = vm_page_is_private(p->r, va, pa);

    /* A private page shared with another space stays copy-on-write, and
     * so does a section page in a private mapping. */
    if ((prot & VM_WRITE) &&
        ((private && frame_refcount(pa) > 1) || (!private && p->r->private_copy)))
        prot |= VM_COW;
    *pte = arch_pte_make(pa, prot);
    if (arch_pt_current() == p->s->root)
        arch_tlb_flush_page(va);
}

status_t vm_protect(vm_space_t *s, uintptr_t addr, size_t len, unsigned prot)
{
    status_t st;
    uintptr_t end;

    if (prot & ~(VM_READ | VM_WRITE | VM_EXEC))
        return ST_INVALID_ARGUMENT;
    len = ALIGN_UP(len, PAGE_SIZE);
    st = check_range(addr, len);
    if (st != ST_OK)
        return st;
    end = addr + len;
    /* The whole range must be mapped, and may get write only if allowed. */
    for (uintptr_t a = addr; a < end;) {
        vm_region_t *r = vm_find(s, a);
        if (!r)
            return ST_BAD_ADDRESS;
        if ((prot & VM_WRITE) && r->no_write)
            return ST_ACCESS_DENIED;
        a = r->end;
    }
    if ((st = split_at(s, addr)) != ST_OK || (st = split_at(s, end)) != ST_OK)
        return st;
    for (vm_region_t *r = s->regions; r && r->start < end; r = r->next) {
        if (r->start < addr)
            continue;
        r->prot = prot;
        protect_ctx_t p = {s, prot, r};
        arch_pt_for_each(s->root, r->start, r->end, protect_one, &p);
    }
    return ST_OK;
}
