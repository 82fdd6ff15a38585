/*
 * Memory calls: brk, mmap, munmap, mprotect, mremap, msync, madvise.
 * Anonymous memory is the executive's demand-zero memory; MAP_SHARED
 * memory is a section (so fork shares it): an anonymous one, or the
 * mapped file's (vma.c); private file mappings are filled from the file at
 * mmap time. A file mapping's pages past the file's end are mapped without
 * access, and a fault there is SIGBUS. Every mmap is recorded in the
 * process's mapping list (vma.c), which the other calls keep up to date.
 */
#include "psx.h"
#include <stdlib.h>
#include <string.h>

#define PAGE               4096ull
#define USER_END           0x00007FFFFFFFF000ull
#define MMAP_TOP           0x00007F0000000000ull
#define CHUNK              65536
#define L_MREMAP_DONTUNMAP 4
#define L_MS_ASYNC         1
#define L_MS_INVALIDATE    2
#define L_MS_SYNC          4

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

static uint64_t page_up(uint64_t n)
{
    return (n + PAGE - 1) & ~(PAGE - 1);
}

static long fill_from_file(psx_proc_t *o, uint64_t addr, size_t len, psx_file_t *f, uint64_t off)
{
    uint8_t *buf = malloc(CHUNK);
    size_t done = 0;

    if (!buf)
        return -L_ENOMEM;
    while (done < len) {
        size_t n = len - done < CHUNK ? len - done : CHUNK;
        long r = psx_file_pread(f, off + done, buf, n);
        if (r <= 0)
            break; /* the rest of the last page stays zero */
        if (sys_vm_write(o->mem, addr + done, buf, (size_t)r) < 0) {
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

/* Where the file's data ends in mapping v: the pages from there on lie
 * past the end the file had when it was mapped. */
static uint64_t data_end(const psx_vma_t *v)
{
    if (!v->file)
        return v->end;
    if (v->eof <= v->off)
        return v->start;
    return v->eof - v->off < v->end - v->start ? v->start + (v->eof - v->off) : v->end;
}

/* Gives [from, to) of mapping v its pages, replacing what is there: fresh
 * zero pages, its section's pages, or a copy of the file's data; pages
 * past the file's end get no access (a fault there is SIGBUS). */
static long populate(psx_proc_t *o, const psx_vma_t *v, uint64_t from, uint64_t to)
{
    uint64_t de = data_end(v), a = from, off = v->off + (from - v->start);
    unsigned prot = psx_vm_prot(v->prot);
    long st = ST_OK;

    de = de < from ? from : de > to ? to : de;
    if (from < de && v->shm) {
        st = sys_vm_map(o->mem, &a, de - from, prot, MAPF_FIXED, v->shm->section, off);
    } else if (from < de && !v->file) {
        st = sys_vm_map(o->mem, &a, de - from, prot, MAPF_FIXED, 0, 0);
    } else if (from < de) {
        st = sys_vm_map(o->mem, &a, de - from, PROT_R | PROT_W, MAPF_FIXED, 0, 0);
        if (st == ST_OK) {
            long r = fill_from_file(o, from, de - from, v->file, off);
            if (r < 0)
                return r;
            st = sys_vm_protect(o->mem, from, de - from, prot);
        }
    }
    if (st == ST_OK && de < to) {
        a = de;
        st = sys_vm_map(o->mem, &a, to - de, PROT_NONE_, MAPF_FIXED, 0, 0);
    }
    return st < 0 ? psx_errno(st) : 0;
}

/* The section of shared mapping v must reach its end (a file's section
 * grows when the file has since grown). */
static long shm_cover(psx_proc_t *p, const psx_vma_t *v)
{
    uint64_t need = v->off + (v->end - v->start);
    psx_shm_t *s;

    if (!v->shm)
        return 0;
    if (v->file) {
        need = need < v->eof ? need : v->eof;
        if (need <= v->shm->size)
            return 0;
        long st = psx_shm_file(v->file, need, &s);
        if (st == 0)
            psx_shm_unref(s);
        return st;
    }
    if (need <= v->shm->size)
        return 0;
    PSX_SAY_ONCE("posix: %s: mremap: growing a shared anonymous mapping is not supported\n",
                 p->comm);
    return -L_ENOMEM;
}

/* Every page of [start, end) is mapped (-ENOMEM otherwise). */
static long check_mapped(psx_proc_t *o, uint64_t start, uint64_t end)
{
    vm_region_info_t r;

    for (uint64_t a = start; a < end; a = r.end) {
        if (sys_vm_query(o->mem, a, &r) != ST_OK)
            return -L_ENOMEM;
    }
    return 0;
}

long psx_mmap(psx_proc_t *p, uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, long fd,
              uint64_t off)
{
    psx_proc_t *o = psx_vm_owner(p);
    psx_vma_t v;
    unsigned mflags = 0;
    uint64_t a = addr;
    long st;

    if (!len || (off & (PAGE - 1)) || (prot & ~7ull))
        return -L_EINVAL;
    len = page_up(len);
    if (!len || len > USER_END)
        return -L_ENOMEM;
    int type = (int)(flags & 3);
    if (type != L_MAP_SHARED && type != L_MAP_PRIVATE && type != 3)
        return -L_EINVAL;
    memset(&v, 0, sizeof(v));
    v.prot = (uint32_t)prot;
    v.shared = type != L_MAP_PRIVATE;
    if (!(flags & L_MAP_ANONYMOUS)) {
        psx_file_t *f = psx_fd_get(p, fd);
        if (!f)
            return -L_EBADF;
        uint32_t acc = f->flags & L_O_ACCMODE;
        if (f->ops == &psx_file_ops && !f->is_dir) {
            bool rw = acc == L_O_RDWR && !(f->flags & L_O_APPEND);
            pfs_attr_t at;
            if (acc == L_O_WRONLY || (v.shared && (prot & L_PROT_WRITE) && !rw))
                return -L_EACCES;
            if (off + len < off)
                return -L_EOVERFLOW;
            st = file_fstat(&f->file, &at);
            if (st < 0)
                return psx_errno(st);
            v.file = f;
            v.off = off;
            v.eof = page_up(at.size);
            v.may_write = v.shared && rw;
        } else if (strcmp(f->ops->name, "zero") != 0) {
            return -L_ENODEV; /* /dev/zero maps as anonymous memory; other devices not */
        }
    }
    if (flags & L_MAP_FIXED) {
        if (addr & (PAGE - 1))
            return -L_EINVAL;
        mflags = MAPF_FIXED;
    } else if (flags & L_MAP_FIXED_NOREPLACE) {
        mflags = MAPF_NOREPLACE;
    } else if (!a) {
        a = p->mmap_hint ? p->mmap_hint : MMAP_TOP - (1ull << 40);
    }
    if (v.shared && !v.file)
        st = psx_shm_anon(len, &v.shm);
    else if (v.shared && v.eof > off)
        st = psx_shm_file(v.file, off + len < v.eof ? off + len : v.eof, &v.shm);
    else
        st = 0;
    if (st < 0)
        return st;
    /* Private anonymous memory is mapped as it is; the rest is reserved
     * first and then given its pages. */
    bool plain = !v.shm && !v.file;
    st = sys_vm_map(o->mem, &a, len, plain ? psx_vm_prot(prot) : PROT_NONE_, mflags, 0, 0);
    if (st < 0) {
        if (v.shm)
            psx_shm_unref(v.shm);
        /* Too many mappings (the executive's ST_LIMIT) is ENOMEM, as Linux
         * says past vm.max_map_count. */
        if (st == ST_EXISTS)
            return -L_EEXIST;
        return st == ST_BAD_ADDRESS || st == ST_LIMIT ? -L_ENOMEM : psx_errno(st);
    }
    v.start = a;
    v.end = a + len;
    st = plain ? 0 : populate(o, &v, a, a + len);
    if (st == 0) {
        psx_vma_remove(o, a, a + len, true); /* what MAP_FIXED replaced */
        st = psx_vma_insert(o, &v);
    }
    if (v.shm)
        psx_shm_unref(v.shm); /* the list holds its own reference */
    if (st < 0) {
        sys_vm_unmap(o->mem, a, len);
        return st;
    }
    if (!(mflags & (MAPF_FIXED | MAPF_NOREPLACE)) && a + len > p->mmap_hint && a + len < MMAP_TOP)
        p->mmap_hint = a + len;
    return (long)a;
}

long psx_munmap(psx_proc_t *p, uint64_t addr, uint64_t len)
{
    psx_proc_t *o = psx_vm_owner(p);

    if ((addr & (PAGE - 1)) || !len)
        return -L_EINVAL;
    len = page_up(len);
    if (sys_vm_unmap(o->mem, addr, len) < 0)
        return -L_EINVAL;
    psx_vma_remove(o, addr, addr + len, true);
    return 0;
}

long psx_mprotect(psx_proc_t *p, uint64_t addr, uint64_t len, uint64_t prot)
{
    psx_proc_t *o = psx_vm_owner(p);
    uint64_t end;
    long st;

    if ((addr & (PAGE - 1)) || (prot & ~7ull))
        return -L_EINVAL;
    if (!len)
        return 0;
    end = addr + page_up(len);
    for (psx_vma_t *v = o->vmas; v && v->start < end; v = v->next) {
        /* A shared file mapping is writable only if its file was opened so. */
        if (v->end > addr && v->shared && v->file && !v->may_write && (prot & L_PROT_WRITE))
            return -L_EACCES;
    }
    st = sys_vm_protect(o->mem, addr, end - addr, psx_vm_prot(prot));
    if (st == ST_BAD_ADDRESS)
        return -L_ENOMEM;
    if (st < 0)
        return -L_EINVAL;
    if (psx_vma_split(o, addr) < 0 || psx_vma_split(o, end) < 0)
        return -L_ENOMEM;
    for (psx_vma_t *v = o->vmas; v && v->start < end; v = v->next) {
        if (v->start < addr)
            continue;
        v->prot = (uint32_t)prot;
        uint64_t de = data_end(v);
        if (de < v->end) /* past the file's end nothing is accessible */
            sys_vm_protect(o->mem, de, v->end - de, PROT_NONE_);
    }
    return 0;
}

static long copy_pages(psx_proc_t *o, uint64_t from, uint64_t to, uint64_t len)
{
    uint8_t *buf = malloc(CHUNK);

    if (!buf)
        return -L_ENOMEM;
    for (uint64_t done = 0; done < len; done += CHUNK) {
        uint64_t n = len - done < CHUNK ? len - done : CHUNK;
        if (sys_vm_read(o->mem, from + done, buf, n) < 0 ||
            sys_vm_write(o->mem, to + done, buf, n) < 0) {
            free(buf);
            return -L_EFAULT;
        }
    }
    free(buf);
    return 0;
}

/* Gives the new place [v->start, v->end) of a mapping the pages of
 * [old, old + old_len): the same section pages for shared memory, a copy
 * for private memory, which grows by fresh pages (or the file's). */
static long move_pages(psx_proc_t *p, psx_proc_t *o, const psx_vma_t *v, uint64_t old,
                       uint64_t old_len)
{
    uint64_t len = v->end - v->start, keep = old_len < len ? old_len : len, a = v->start;
    long st = shm_cover(p, v);

    if (st < 0 || v->shm)
        return st < 0 ? st : populate(o, v, v->start, v->end);
    st = sys_vm_map(o->mem, &a, keep, PROT_R | PROT_W, MAPF_FIXED, 0, 0);
    if (st < 0)
        return psx_errno(st);
    st = copy_pages(o, old, v->start, keep);
    if (st == 0 && sys_vm_protect(o->mem, v->start, keep, psx_vm_prot(v->prot)) < 0)
        st = -L_ENOMEM;
    uint64_t de = data_end(v);
    if (st == 0 && de < v->start + keep)
        sys_vm_protect(o->mem, de, v->start + keep - de, PROT_NONE_);
    if (st == 0 && keep < len)
        st = populate(o, v, v->start + keep, v->end);
    return st;
}

long psx_mremap(psx_proc_t *p, uint64_t old, uint64_t old_len, uint64_t new_len, uint64_t flags,
                uint64_t new_addr)
{
    psx_proc_t *o = psx_vm_owner(p);
    psx_vma_t t, *v;
    vm_region_info_t r;
    uint64_t a;
    long st;

    if ((old & (PAGE - 1)) || !new_len || (flags & ~7ull))
        return -L_EINVAL;
    if ((flags & (L_MREMAP_FIXED | L_MREMAP_DONTUNMAP)) && !(flags & L_MREMAP_MAYMOVE))
        return -L_EINVAL;
    if (flags & L_MREMAP_DONTUNMAP) {
        PSX_SAY_ONCE("posix: %s: mremap: MREMAP_DONTUNMAP is not supported\n", p->comm);
        return -L_EINVAL;
    }
    old_len = page_up(old_len);
    new_len = page_up(new_len);
    if (!old_len) {
        PSX_SAY_ONCE("posix: %s: mremap: a second mapping of the same pages (old size 0) is not "
                     "supported\n",
                     p->comm);
        return -L_EINVAL;
    }
    if ((flags & L_MREMAP_FIXED) &&
        ((new_addr & (PAGE - 1)) || (new_addr < old + old_len && old < new_addr + new_len)))
        return -L_EINVAL;
    if (check_mapped(o, old, old + old_len) < 0)
        return -L_EFAULT;
    /* What the range is: a recorded mapping, or the program's own
     * (anonymous) memory: its stack, its break, its image. */
    v = psx_vma_find(o, old);
    if (v) {
        t = *v;
    } else if (sys_vm_query(o->mem, old, &r) == ST_OK) {
        memset(&t, 0, sizeof(t));
        t.start = r.start;
        t.end = r.end;
        t.prot = (r.prot & PROT_R ? L_PROT_READ : 0) | (r.prot & PROT_W ? L_PROT_WRITE : 0) |
                 (r.prot & PROT_X ? L_PROT_EXEC : 0);
    } else {
        return -L_EFAULT;
    }
    if (old + old_len > t.end)
        return -L_EFAULT; /* it must lie in one mapping */
    t.off += old - t.start;
    t.start = old;
    t.next = NULL;

    if (!(flags & L_MREMAP_FIXED) && new_len <= old_len) {
        if (new_len < old_len) {
            sys_vm_unmap(o->mem, old + new_len, old_len - new_len);
            psx_vma_remove(o, old + new_len, old + old_len, true);
        }
        return (long)old;
    }
    if (!(flags & L_MREMAP_FIXED)) {
        psx_vma_t tail = t;
        tail.start = old + old_len;
        tail.end = old + new_len;
        tail.off = t.off + old_len;
        a = tail.start;
        if (sys_vm_map(o->mem, &a, new_len - old_len, PROT_NONE_, MAPF_NOREPLACE, 0, 0) == ST_OK) {
            st = shm_cover(p, &tail);
            if (st == 0)
                st = populate(o, &tail, tail.start, tail.end);
            if (st == 0)
                st = psx_vma_insert(o, &tail);
            if (st < 0) {
                sys_vm_unmap(o->mem, tail.start, new_len - old_len);
                return st;
            }
            return (long)old; /* grown in place */
        }
        if (!(flags & L_MREMAP_MAYMOVE))
            return -L_ENOMEM;
    }
    /* Moved: to the given address (replacing what is there) or a free one. */
    if (flags & L_MREMAP_FIXED) {
        a = new_addr;
        st = sys_vm_map(o->mem, &a, new_len, PROT_NONE_, MAPF_FIXED, 0, 0);
        if (st == 0)
            psx_vma_remove(o, a, a + new_len, true);
    } else {
        a = p->mmap_hint ? p->mmap_hint : MMAP_TOP - (1ull << 40);
        st = sys_vm_map(o->mem, &a, new_len, PROT_NONE_, 0, 0, 0);
    }
    if (st < 0)
        return -L_ENOMEM;
    t.start = a;
    t.end = a + new_len;
    st = move_pages(p, o, &t, old, old_len);
    if (st == 0)
        st = psx_vma_insert(o, &t);
    if (st < 0) {
        sys_vm_unmap(o->mem, a, new_len);
        return st;
    }
    sys_vm_unmap(o->mem, old, old_len);
    psx_vma_remove(o, old, old + old_len, false);
    if (!(flags & L_MREMAP_FIXED) && a + new_len > p->mmap_hint && a + new_len < MMAP_TOP)
        p->mmap_hint = a + new_len;
    return (long)a;
}

long psx_msync(psx_proc_t *p, uint64_t addr, uint64_t len, uint64_t flags)
{
    psx_proc_t *o = psx_vm_owner(p);
    uint64_t end = addr + page_up(len);
    long st;

    if ((addr & (PAGE - 1)) || (flags & ~(uint64_t)(L_MS_ASYNC | L_MS_INVALIDATE | L_MS_SYNC)) ||
        ((flags & L_MS_ASYNC) && (flags & L_MS_SYNC)))
        return -L_EINVAL;
    st = check_mapped(o, addr, end);
    if (st < 0)
        return st;
    /* Shared pages are coherent with read() and write() already:
     * MS_INVALIDATE has nothing to do; the rest is writing back. */
    for (psx_vma_t *v = o->vmas; v && v->start < end; v = v->next) {
        if (v->end <= addr || !v->may_write)
            continue;
        st = psx_vma_writeback(v, v->start > addr ? v->start : addr, v->end < end ? v->end : end);
        if (st == 0 && (flags & L_MS_SYNC))
            st = psx_errno(file_fsync(&v->file->file));
        if (st < 0)
            return st;
    }
    return 0;
}

/* MADV_DONTNEED: private pages start again, zero or from their file;
 * shared pages stay as they are. */
static long dont_need(psx_proc_t *o, uint64_t start, uint64_t end)
{
    vm_region_info_t r;
    long st = 0;

    for (uint64_t a = start, to; a < end && st == 0; a = to) {
        psx_vma_t *v = psx_vma_find(o, a);
        if (v) {
            to = v->end < end ? v->end : end;
            if (!v->shared)
                st = populate(o, v, a, to);
            continue;
        }
        if (sys_vm_query(o->mem, a, &r) != ST_OK)
            return -L_ENOMEM;
        to = r.end < end ? r.end : end;
        for (psx_vma_t *n = o->vmas; n; n = n->next) {
            if (n->start > a && n->start < to)
                to = n->start;
        }
        /* Memory outside mmap's records: anonymous (the stack, the break)
         * starts again as zero; the program's image is left as it is. */
        uint64_t b = a;
        if (r.section_id == 0)
            st = psx_errno(sys_vm_map(o->mem, &b, to - a, r.prot, MAPF_FIXED, 0, 0));
    }
    return st;
}

long psx_madvise(psx_proc_t *p, uint64_t addr, uint64_t len, uint64_t advice)
{
    psx_proc_t *o = psx_vm_owner(p);
    uint64_t end = addr + page_up(len);
    long st;

    if (addr & (PAGE - 1))
        return -L_EINVAL;
    switch (advice) {
    case 0:  /* MADV_NORMAL */
    case 1:  /* MADV_RANDOM */
    case 2:  /* MADV_SEQUENTIAL */
    case 3:  /* MADV_WILLNEED */
    case 4:  /* MADV_DONTNEED */
    case 8:  /* MADV_FREE: the pages may keep their contents */
    case 10: /* MADV_DONTFORK */
    case 11: /* MADV_DOFORK */
    case 12: /* MADV_MERGEABLE */
    case 13: /* MADV_UNMERGEABLE */
    case 14: /* MADV_HUGEPAGE */
    case 15: /* MADV_NOHUGEPAGE */
    case 16: /* MADV_DONTDUMP */
    case 17: /* MADV_DODUMP */
    case 20: /* MADV_COLD */
    case 21: /* MADV_PAGEOUT */
    case 22: /* MADV_POPULATE_READ */
    case 23: /* MADV_POPULATE_WRITE */
        break;
    case 9:  /* MADV_REMOVE */
    case 18: /* MADV_WIPEONFORK */
    case 19: /* MADV_KEEPONFORK */
        PSX_SAY_ONCE("posix: %s: madvise advice %llu is not supported\n", p->comm,
                     (unsigned long long)advice);
        return -L_EINVAL;
    default:
        return -L_EINVAL;
    }
    if (end == addr)
        return 0;
    st = check_mapped(o, addr, end);
    if (st == 0 && advice == 4)
        st = dont_need(o, addr, end);
    return st;
}
