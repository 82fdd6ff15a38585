/*
 * Memory calls: brk, mmap, munmap, mprotect, mremap. Anonymous memory is
 * the executive's demand-zero memory; MAP_SHARED anonymous memory is a
 * section (so fork shares it); private file mappings are filled from the
 * file at mmap time.
 */
#include "psx.h"
#include <stdlib.h>
#include <string.h>

#define PAGE     4096ull
#define USER_END 0x00007FFFFFFFF000ull
#define MMAP_TOP 0x00007F0000000000ull

long psx_brk(psx_proc_t *p, uint64_t addr)
{
    uint64_t old_end = (p->brk_end + PAGE - 1) & ~(PAGE - 1);
    uint64_t new_end = (addr + PAGE - 1) & ~(PAGE - 1);

    if (addr == 0 || addr < p->brk_start || addr > p->brk_start + (1ull << 36))
        return (long)p->brk_end;
    if (new_end > old_end) {
        uint64_t a = old_end;
        if (sys_vm_map(p->mem, &a, new_end - old_end, PROT_R | PROT_W, MAPF_NOREPLACE, 0, 0) < 0)
            return (long)p->brk_end;
    } else if (new_end < old_end) {
        sys_vm_unmap(p->mem, new_end, old_end - new_end);
    }
    p->brk_end = addr;
    return (long)addr;
}

static unsigned prot_of(uint64_t prot)
{
    return (prot & L_PROT_READ ? PROT_R : 0) | (prot & L_PROT_WRITE ? PROT_W : 0) |
           (prot & L_PROT_EXEC ? PROT_X : 0);
}

static long fill_from_file(psx_proc_t *p, uint64_t addr, size_t len, psx_file_t *f, uint64_t off)
{
    uint8_t *buf = malloc(65536);
    size_t done = 0;

    if (!buf)
        return -L_ENOMEM;
    while (done < len) {
        size_t n = len - done < 65536 ? len - done : 65536;
        long r = file_pread(&f->file, off + done, buf, n);
        if (r <= 0)
            break; /* past the end of the file the pages stay zero */
        if (psx_write(p, addr + done, buf, (size_t)r) < 0) {
            free(buf);
            return -L_EFAULT;
        }
        done += (size_t)r;
        if ((size_t)r < n)
            break;
    }
    free(buf);
    return 0;
}

long psx_mmap(psx_proc_t *p, uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, long fd,
              uint64_t off)
{
    unsigned mflags = 0;
    handle_t section = 0;
    psx_file_t *f = NULL;
    uint64_t a = addr;
    long st;

    if (!len || (off & (PAGE - 1)) || (prot & ~7ull))
        return -L_EINVAL;
    len = (len + PAGE - 1) & ~(PAGE - 1);
    if (!len || len > USER_END)
        return -L_ENOMEM;
    int type = (int)(flags & 3);
    if (type != L_MAP_SHARED && type != L_MAP_PRIVATE && type != 3)
        return -L_EINVAL;
    if (!(flags & L_MAP_ANONYMOUS)) {
        f = psx_fd_get(p, fd);
        if (!f)
            return -L_EBADF;
        if (f->ops->name[0] != 'f' || f->is_dir)
            return -L_ENODEV; /* only regular files can be mapped */
        if ((f->flags & L_O_ACCMODE) == L_O_WRONLY)
            return -L_EACCES;
        if (type == L_MAP_SHARED && (prot & L_PROT_WRITE)) {
            printf("posix: %s: writable shared file mappings are not supported yet\n", p->comm);
            return -L_ENODEV;
        }
    }
    if (flags & L_MAP_FIXED) {
        if (addr & (PAGE - 1))
            return -L_EINVAL;
        mflags = MAPF_FIXED;
    } else if (flags & L_MAP_FIXED_NOREPLACE) {
        mflags = MAPF_NOREPLACE;
    } else if (!a) {
        a = p->mmap_hint ? p->mmap_hint : 0x00007F0000000000ull - (1ull << 40);
    }
    if ((flags & L_MAP_ANONYMOUS) && type == L_MAP_SHARED) {
        st = sys_section_create(len, &section);
        if (st < 0)
            return psx_errno(st);
    }
    /* File contents are copied in: map writable first, then protect. */
    unsigned first = f ? PROT_R | PROT_W : prot_of(prot);
    st = sys_vm_map(p->mem, &a, len, first, mflags, section, 0);
    if (section)
        sys_handle_close(section);
    if (st == ST_EXISTS)
        return -L_EEXIST;
    if (st < 0)
        return st == ST_BAD_ADDRESS ? -L_ENOMEM : psx_errno(st);
    if (f) {
        st = fill_from_file(p, a, len, f, off);
        if (st == 0)
            st = sys_vm_protect(p->mem, a, len, prot_of(prot)) < 0 ? -L_ENOMEM : 0;
        if (st < 0) {
            sys_vm_unmap(p->mem, a, len);
            return st;
        }
    }
    if (!(mflags & (MAPF_FIXED | MAPF_NOREPLACE)) && a + len > p->mmap_hint && a + len < MMAP_TOP)
        p->mmap_hint = a + len;
    return (long)a;
}

long psx_munmap(psx_proc_t *p, uint64_t addr, uint64_t len)
{
    long st;

    if ((addr & (PAGE - 1)) || !len)
        return -L_EINVAL;
    st = sys_vm_unmap(p->mem, addr, (len + PAGE - 1) & ~(PAGE - 1));
    return st < 0 ? -L_EINVAL : 0;
}

long psx_mprotect(psx_proc_t *p, uint64_t addr, uint64_t len, uint64_t prot)
{
    long st;

    if ((addr & (PAGE - 1)) || (prot & ~7ull))
        return -L_EINVAL;
    if (!len)
        return 0;
    st = sys_vm_protect(p->mem, addr, (len + PAGE - 1) & ~(PAGE - 1), prot_of(prot));
    if (st == ST_BAD_ADDRESS)
        return -L_ENOMEM;
    return st < 0 ? -L_EINVAL : 0;
}

long psx_mremap(psx_proc_t *p, uint64_t old, uint64_t old_len, uint64_t new_len, uint64_t flags)
{
    uint64_t a;
    long st;

    if ((old & (PAGE - 1)) || !new_len || (flags & ~3ull))
        return -L_EINVAL;
    old_len = (old_len + PAGE - 1) & ~(PAGE - 1);
    new_len = (new_len + PAGE - 1) & ~(PAGE - 1);
    if (new_len <= old_len) {
        if (new_len < old_len)
            sys_vm_unmap(p->mem, old + new_len, old_len - new_len);
        return (long)old;
    }
    a = old + old_len;
    if (sys_vm_map(p->mem, &a, new_len - old_len, PROT_R | PROT_W, MAPF_NOREPLACE, 0, 0) == ST_OK)
        return (long)old; /* grown in place */
    if (!(flags & L_MREMAP_MAYMOVE))
        return -L_ENOMEM;
    a = p->mmap_hint ? p->mmap_hint : MMAP_TOP - (1ull << 40);
    st = sys_vm_map(p->mem, &a, new_len, PROT_R | PROT_W, 0, 0, 0);
    if (st < 0)
        return -L_ENOMEM;
    uint8_t *buf = malloc(65536);
    if (!buf) {
        sys_vm_unmap(p->mem, a, new_len);
        return -L_ENOMEM;
    }
    for (uint64_t done = 0; done < old_len; done += 65536) {
        uint64_t n = old_len - done < 65536 ? old_len - done : 65536;
        if (sys_vm_read(p->mem, old + done, buf, n) < 0 ||
            sys_vm_write(p->mem, a + done, buf, n) < 0) {
            free(buf);
            sys_vm_unmap(p->mem, a, new_len);
            return -L_EFAULT;
        }
    }
    free(buf);
    sys_vm_unmap(p->mem, old, old_len);
    if (a + new_len > p->mmap_hint)
        p->mmap_hint = a + new_len;
    return (long)a;
}
