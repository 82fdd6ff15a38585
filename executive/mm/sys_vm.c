/*
 * Memory system calls. All take a process handle (or HANDLE_SELF_PROCESS),
 * so a loader can build another process's address space: H_MAP to change
 * mappings, H_READ / H_WRITE to copy memory in and out.
 */
#include "obcall.h"
#include "section.h"
#include "syscall.h"
#include <persona/vm.h>
#include <string.h>

SYSCALL(vm_map)
{
    process_t *p;
    section_t *sec = NULL;
    uint64_t addr;
    unsigned prot = a3 & 0xff, flags = (a3 >> 8) & 0xff;
    status_t st;

    if ((a3 & ~0xffffull) || (prot & ~(PROT_R | PROT_W | PROT_X)) ||
        (flags & ~(MAPF_FIXED | MAPF_NOREPLACE | MAPF_PRIVATE)))
        return ST_INVALID_ARGUMENT;
    st = copy_from_user(&addr, a1, sizeof(addr));
    if (st != ST_OK)
        return st;
    st = ps_ref_process(a0, H_MAP, &p);
    if (st != ST_OK)
        return st;
    unsigned vmf = (flags & MAPF_FIXED ? VMF_FIXED : 0) |
                   (flags & MAPF_NOREPLACE ? VMF_NOREPLACE : 0) |
                   (flags & MAPF_PRIVATE ? VMF_PRIVATE : 0);
    if (a4) {
        ob_header_t *o;
        bool shared_write = (prot & PROT_W) && !(flags & MAPF_PRIVATE);
        uint32_t rights;
        st = ob_ref_handle(a4, &section_type, H_MAP | H_READ | (shared_write ? H_WRITE : 0), &o);
        if (st == ST_OK) {
            sec = container_of(o, section_t, hdr);
            /* Without H_WRITE the pages may never become writable here. */
            if (handle_rights(&ps_current_process()->handles, (handle_t)a4, &rights) == ST_OK &&
                !(rights & H_WRITE))
                vmf |= VMF_NO_WRITE;
        }
    } else if (flags & MAPF_PRIVATE) {
        st = ST_INVALID_ARGUMENT; /* private only means something for a section */
    }
    if (st == ST_OK && p->state != PROCESS_ACTIVE)
        st = ST_BAD_STATE;
    if (st == ST_OK)
        st = vm_map(&p->vm, &addr, a2, prot, vmf, sec, a5);
    if (st == ST_OK) {
        st = copy_to_user(a1, &addr, sizeof(addr));
        if (st != ST_OK)
            vm_unmap(&p->vm, addr, a2);
    }
    if (sec)
        ob_unref(OB(sec));
    ob_unref(OB(p));
    return st;
}

SYSCALL(vm_unmap)
{
    process_t *p;
    status_t st = ps_ref_process(a0, H_MAP, &p);

    if (st != ST_OK)
        return st;
    st = vm_unmap(&p->vm, a1, a2);
    ob_unref(OB(p));
    return st;
}

SYSCALL(vm_protect)
{
    process_t *p;
    status_t st;

    if (a3 & ~(uint64_t)(PROT_R | PROT_W | PROT_X))
        return ST_INVALID_ARGUMENT;
    st = ps_ref_process(a0, H_MAP, &p);
    if (st != ST_OK)
        return st;
    st = vm_protect(&p->vm, a1, a2, (unsigned)a3);
    ob_unref(OB(p));
    return st;
}

/* Copies between the caller and process p, straight from page to page. */
static status_t copy_between(uint64_t proc, uintptr_t addr, uintptr_t ubuf, size_t len,
                             bool to_target, bool as_user)
{
    process_t *p;
    status_t st;

    if (len == 0)
        return ST_OK;
    if (!arch_user_range_ok(ubuf, len) || !arch_user_range_ok(addr, len))
        return ST_BAD_ADDRESS;
    st = ps_ref_process(proc, to_target ? H_WRITE : H_READ, &p);
    if (st != ST_OK)
        return st;
    if (p->state != PROCESS_ACTIVE)
        st = ST_BAD_STATE;
    else
        st = vm_copy_user(&p->vm, addr, ubuf, len, to_target, as_user);
    ob_unref(OB(p));
    return st;
}

SYSCALL(vm_read)
{
    return copy_between(a0, a1, a2, a3, false, false);
}

SYSCALL(vm_write)
{
    return copy_between(a0, a1, a2, a3, true, false);
}

/* A subsystem copying for a system call of its client: the client's
 * protections apply (read() into a read-only page is EFAULT). */
SYSCALL(vm_read_user)
{
    return copy_between(a0, a1, a2, a3, false, true);
}

SYSCALL(vm_write_user)
{
    return copy_between(a0, a1, a2, a3, true, true);
}

SYSCALL(vm_query)
{
    vm_region_info_t info;
    process_t *p;
    vm_region_t *r;
    status_t st = ps_ref_process(a0, H_QUERY, &p);

    if (st != ST_OK)
        return st;
    memset(&info, 0, sizeof(info));
    r = p->state == PROCESS_ACTIVE ? vm_find(&p->vm, a1) : NULL;
    if (!r) {
        st = ST_NOT_FOUND;
    } else {
        info.start = r->start;
        info.end = r->end;
        info.prot = (r->prot & VM_READ ? PROT_R : 0) | (r->prot & VM_WRITE ? PROT_W : 0) |
                    (r->prot & VM_EXEC ? PROT_X : 0);
        info.flags = r->private_copy ? VMQ_PRIVATE : 0;
        info.section_id = r->section ? r->section->hdr.serial : 0;
        info.offset = r->offset;
    }
    ob_unref(OB(p));
    return st == ST_OK ? copy_to_user(a2, &info, sizeof(info)) : st;
}

SYSCALL(vm_clone)
{
    process_t *dst, *src;
    status_t st = ps_ref_process(a0, H_MAP | H_WRITE, &dst);

    if (st != ST_OK)
        return st;
    st = ps_ref_process(a1, H_READ, &src);
    if (st != ST_OK) {
        ob_unref(OB(dst));
        return st;
    }
    if (dst == src || dst->vm.regions || dst->state != PROCESS_ACTIVE ||
        src->state != PROCESS_ACTIVE)
        st = ST_BAD_STATE;
    else
        st = vm_clone(&dst->vm, &src->vm);
    if (st != ST_OK && dst != src)
        vm_unmap(&dst->vm, USER_BASE, USER_TOP - USER_BASE);
    ob_unref(OB(src));
    ob_unref(OB(dst));
    return st;
}

/* Device memory for a privileged driver: physically consecutive, its
 * physical address returned so the device can be told where it is. */
SYSCALL(section_create_contiguous)
{
    process_t *p = ps_current_process();
    section_t *s;
    uint64_t pa;
    status_t st;

    if (!p->privileged)
        return ST_ACCESS_DENIED;
    if (!arch_user_range_ok(a1, sizeof(handle_t)) || !arch_user_range_ok(a2, sizeof(uint64_t)))
        return ST_BAD_ADDRESS;
    st = section_create_contiguous(a0, p->quota, &s, &pa);
    if (st != ST_OK)
        return st;
    st = copy_to_user(a2, &pa, sizeof(pa));
    if (st == ST_OK)
        st = ob_return_handle(OB(s), H_QUERY | H_READ | H_WRITE | H_MAP | H_DUPLICATE, a1);
    ob_unref(OB(s));
    return st;
}

/* Device memory at a fixed physical address (VGA text memory, a PCI BAR)
 * for a privileged driver; never RAM, which belongs to the allocator. */
#define PHYSICAL_SECTION_MAX (16ull << 20)

SYSCALL(section_create_physical)
{
    section_t *s;
    status_t st;

    if (!ps_current_process()->privileged)
        return ST_ACCESS_DENIED;
    if (!arch_user_range_ok(a2, sizeof(handle_t)))
        return ST_BAD_ADDRESS;
    if ((a0 & (PAGE_SIZE - 1)) || a1 == 0 || a1 > PHYSICAL_SECTION_MAX || a0 > (1ull << 52) - a1)
        return ST_INVALID_ARGUMENT;
    if (mm_is_ram(a0, a0 + ALIGN_UP(a1, PAGE_SIZE)))
        return ST_ACCESS_DENIED;
    st = section_create_phys(a0, a1, &s);
    if (st != ST_OK)
        return st;
    st = ob_return_handle(OB(s), H_QUERY | H_READ | H_WRITE | H_MAP | H_DUPLICATE, a2);
    ob_unref(OB(s));
    return st;
}

SYSCALL(section_create)
{
    section_t *s;
    status_t st;

    if (!arch_user_range_ok(a1, sizeof(handle_t)))
        return ST_BAD_ADDRESS;
    st = section_create(a0, ps_current_process()->quota, &s);
    if (st != ST_OK)
        return st;
    st = ob_return_handle(OB(s), H_QUERY | H_READ | H_WRITE | H_MAP | H_DUPLICATE, a1);
    ob_unref(OB(s));
    return st;
}
