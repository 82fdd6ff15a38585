/*
 * Mappings: each process's list of what mmap put where (psx_vma_t), and
 * the shared sections behind MAP_SHARED mappings (psx_shm_t).
 *
 * The executive keeps the pages; this list keeps what Linux's VMAs say
 * about them and the executive cannot know: which file and offset a range
 * came from, where that file ended when it was mapped (pages past it raise
 * SIGBUS), and which section a shared mapping uses. A file mapped
 * MAP_SHARED has one section for all processes, keyed by its device and
 * inode, filled from the file when made; while it exists, read() and
 * write() of the file go through it (as through Linux's page cache), and
 * msync, munmap and the end of the mapping's process write it back.
 */
#include "psx.h"
#include <stdlib.h>
#include <string.h>

#define PAGE  4096ull
#define CHUNK 65536

static psx_shm_t *file_shms; /* files' shared sections */

psx_proc_t *psx_vm_owner(psx_proc_t *p)
{
    return p->lender ? p->lender : p;
}

unsigned psx_vm_prot(uint64_t prot)
{
    return (prot & L_PROT_READ ? PROT_R : 0) | (prot & L_PROT_WRITE ? PROT_W : 0) |
           (prot & L_PROT_EXEC ? PROT_X : 0);
}

psx_vma_t *psx_vma_find(psx_proc_t *o, uint64_t addr)
{
    for (psx_vma_t *v = o->vmas; v && v->start <= addr; v = v->next) {
        if (addr < v->end)
            return v;
    }
    return NULL;
}

static void vma_ref(psx_vma_t *v)
{
    if (v->file)
        psx_file_ref(v->file);
    if (v->shm)
        v->shm->refs++;
}

static void vma_free(psx_vma_t *v)
{
    psx_file_unref(v->file);
    if (v->shm)
        psx_shm_unref(v->shm);
    free(v);
}

/* Does b continue a, so that the two can be one mapping? */
static bool continues(const psx_vma_t *a, const psx_vma_t *b)
{
    return a->end == b->start && a->prot == b->prot && a->shared == b->shared &&
           a->may_write == b->may_write && a->file == b->file && a->shm == b->shm &&
           a->eof == b->eof && (!(a->file || a->shm) || a->off + (a->end - a->start) == b->off);
}

long psx_vma_insert(psx_proc_t *o, const psx_vma_t *v)
{
    psx_vma_t *n = malloc(sizeof(*n)), **l = &o->vmas, *prev = NULL;

    if (!n)
        return -L_ENOMEM;
    *n = *v;
    vma_ref(n);
    while (*l && (*l)->start < n->start) {
        prev = *l;
        l = &(*l)->next;
    }
    n->next = *l;
    *l = n;
    /* Neighbours that continue each other become one, as on Linux (so
     * that mremap can take a mapping that grew in place as a whole). */
    if (n->next && continues(n, n->next)) {
        psx_vma_t *m = n->next;
        n->end = m->end;
        n->next = m->next;
        vma_free(m);
    }
    if (prev && continues(prev, n)) {
        prev->end = n->end;
        prev->next = n->next;
        vma_free(n);
    }
    return 0;
}

long psx_vma_split(psx_proc_t *o, uint64_t addr)
{
    psx_vma_t *v = psx_vma_find(o, addr);

    if (!v || v->start == addr)
        return 0;
    psx_vma_t *n = malloc(sizeof(*n));
    if (!n)
        return -L_ENOMEM;
    *n = *v;
    vma_ref(n);
    n->start = addr;
    n->off = v->off + (addr - v->start);
    v->end = addr;
    v->next = n;
    return 0;
}

long psx_vma_writeback(psx_vma_t *v, uint64_t start, uint64_t end)
{
    pfs_attr_t a;

    if (!v->shm || !v->file || !v->may_write)
        return 0;
    uint64_t from = v->off + (start - v->start), to = v->off + (end - v->start);
    long r = file_fstat(&v->file->file, &a);
    if (r < 0)
        return psx_errno(r);
    if (to > a.size)
        to = a.size; /* never extends the file */
    if (to > v->shm->size)
        to = v->shm->size;
    while (from < to) {
        size_t n = to - from < CHUNK ? to - from : CHUNK;
        r = file_pwrite(&v->file->file, from, v->shm->view + from, n);
        if (r <= 0)
            return r < 0 ? psx_errno(r) : -L_EIO;
        from += (uint64_t)r;
    }
    return 0;
}

void psx_vma_remove(psx_proc_t *o, uint64_t start, uint64_t end, bool writeback)
{
    /* Splitting can only fail for want of memory; the list then keeps a
     * larger mapping, which errs towards SIGBUS and write-back. */
    psx_vma_split(o, start);
    psx_vma_split(o, end);
    psx_vma_t **l = &o->vmas;
    while (*l && (*l)->start < end) {
        psx_vma_t *v = *l;
        if (v->start < start || v->end > end) {
            l = &v->next;
            continue;
        }
        if (writeback)
            psx_vma_writeback(v, v->start, v->end);
        *l = v->next;
        vma_free(v);
    }
}

void psx_vma_drop_all(psx_proc_t *o)
{
    while (o->vmas) {
        psx_vma_t *v = o->vmas;
        o->vmas = v->next;
        psx_vma_writeback(v, v->start, v->end);
        vma_free(v);
    }
}

long psx_vma_copy(psx_proc_t *to, psx_proc_t *from)
{
    for (psx_vma_t *v = from->vmas; v; v = v->next) {
        if (psx_vma_insert(to, v) < 0)
            return -L_ENOMEM;
    }
    return 0;
}

bool psx_vma_past_eof(psx_proc_t *o, uint64_t addr)
{
    psx_vma_t *v = psx_vma_find(o, addr);

    return v && v->file && v->off + ((addr & ~(PAGE - 1)) - v->start) >= v->eof;
}

/* ---- shared sections ---- */

static long shm_new(uint64_t size, bool view, psx_shm_t **out)
{
    psx_shm_t *s = calloc(1, sizeof(*s));
    long st;

    if (!s)
        return -L_ENOMEM;
    st = sys_section_create(size, &s->section);
    if (st == ST_OK && view) {
        uint64_t va = 0;
        st = sys_vm_map(HANDLE_SELF_PROCESS, &va, size, PROT_R | PROT_W, 0, s->section, 0);
        s->view = (uint8_t *)va;
    }
    if (st < 0) {
        if (s->section)
            sys_handle_close(s->section);
        free(s);
        return psx_errno(st);
    }
    s->size = size;
    s->refs = 1;
    *out = s;
    return 0;
}

static void shm_release(psx_shm_t *s)
{
    if (s->view)
        sys_vm_unmap(HANDLE_SELF_PROCESS, (uint64_t)s->view, s->size);
    sys_handle_close(s->section);
}

long psx_shm_anon(uint64_t size, psx_shm_t **out)
{
    return shm_new(size, false, out);
}

void psx_shm_unref(psx_shm_t *s)
{
    if (--s->refs > 0)
        return;
    for (psx_shm_t **l = &file_shms; *l; l = &(*l)->next) {
        if (*l == s) {
            *l = s->next;
            break;
        }
    }
    shm_release(s);
    free(s);
}

/* Fills view[from, to) from the file (what lies past its end stays zero). */
static long shm_fill(psx_shm_t *s, psx_file_t *f, uint64_t from, uint64_t to)
{
    while (from < to) {
        size_t n = to - from < CHUNK ? to - from : CHUNK;
        long r = file_pread(&f->file, from, s->view + from, n);
        if (r < 0)
            return psx_errno(r);
        if ((size_t)r < n)
            break;
        from += n;
    }
    return 0;
}

/* Every thread running in memory whose mappings use s stops (or goes on). */
static void shm_users_suspend(psx_shm_t *s, bool suspend)
{
    for (psx_proc_t *q = psx.procs; q; q = q->next) {
        psx_proc_t *o = psx_vm_owner(q);
        bool uses = false;
        if (q->state != P_ALIVE)
            continue;
        for (psx_vma_t *v = o->vmas; v && !uses; v = v->next)
            uses = v->shm == s;
        for (psx_thread_t *t = q->threads; uses && t; t = t->next) {
            if (suspend)
                sys_thread_suspend(t->th);
            else
                sys_thread_resume(t->th);
        }
    }
}

/* The file has grown past s since s was made: a larger section takes its
 * place in every mapping, with the processes that use it stopped while
 * their pages move, so that no write is lost. */
static long shm_grow(psx_shm_t *s, psx_file_t *f, uint64_t size)
{
    psx_shm_t *n;
    long st = shm_new(size, true, &n);

    if (st < 0)
        return st;
    st = shm_fill(n, f, s->size, size);
    if (st < 0) {
        shm_release(n);
        free(n);
        return st;
    }
    shm_users_suspend(s, true);
    memcpy(n->view, s->view, s->size);
    for (psx_proc_t *q = psx.procs; q; q = q->next) {
        for (psx_vma_t *v = q->lender ? NULL : q->vmas; v; v = v->next) {
            if (v->shm != s || v->off >= v->eof)
                continue;
            uint64_t a = v->start, len = v->end - v->start;
            if (v->eof - v->off < len)
                len = v->eof - v->off;
            if (sys_vm_map(q->mem, &a, len, psx_vm_prot(v->prot), MAPF_FIXED, n->section, v->off) <
                0)
                printf("posix: %s: could not move a shared mapping to the file's larger "
                       "section\n",
                       q->comm);
        }
    }
    /* The record stays (mappings point to it); its section changes. */
    shm_release(s);
    s->section = n->section;
    s->view = n->view;
    s->size = n->size;
    free(n);
    shm_users_suspend(s, false);
    return 0;
}

long psx_shm_file(psx_file_t *f, uint64_t size, psx_shm_t **out)
{
    uint64_t dev = f->file.attr.dev, ino = f->file.attr.ino;
    psx_shm_t *s;
    long st;

    size = (size + PAGE - 1) & ~(PAGE - 1);
    for (s = file_shms; s; s = s->next) {
        if (s->dev == dev && s->ino == ino)
            break;
    }
    if (s) {
        if (s->size < size && (st = shm_grow(s, f, size)) < 0)
            return st;
        s->refs++;
        *out = s;
        return 0;
    }
    st = shm_new(size, true, &s);
    if (st < 0)
        return st;
    st = shm_fill(s, f, 0, size);
    if (st < 0) {
        shm_release(s);
        free(s);
        return st;
    }
    s->is_file = true;
    s->dev = dev;
    s->ino = ino;
    s->next = file_shms;
    file_shms = s;
    *out = s;
    return 0;
}

static psx_shm_t *shm_of(psx_file_t *f)
{
    if (!file_shms || f->ops != &psx_file_ops)
        return NULL;
    for (psx_shm_t *s = file_shms; s; s = s->next) {
        if (s->dev == f->file.attr.dev && s->ino == f->file.attr.ino)
            return s;
    }
    return NULL;
}

void psx_shm_read(psx_file_t *f, uint64_t off, void *buf, size_t len)
{
    psx_shm_t *s = shm_of(f);

    if (s && off < s->size)
        memcpy(buf, s->view + off, len < s->size - off ? len : s->size - off);
}

void psx_shm_written(psx_file_t *f, uint64_t off, const void *buf, size_t len)
{
    psx_shm_t *s = shm_of(f);

    if (s && off < s->size)
        memcpy(s->view + off, buf, len < s->size - off ? len : s->size - off);
}

static void shm_zero_from(psx_shm_t *s, uint64_t size)
{
    if (s && size < s->size)
        memset(s->view + size, 0, s->size - size);
}

void psx_shm_truncated(psx_file_t *f, uint64_t size)
{
    shm_zero_from(shm_of(f), size);
}

void psx_shm_truncated_path(const char *path, uint64_t size)
{
    pfs_attr_t a;

    if (!file_shms || file_stat(path, &a) != ST_OK)
        return;
    for (psx_shm_t *s = file_shms; s; s = s->next) {
        if (s->dev == a.dev && s->ino == a.ino)
            shm_zero_from(s, size);
    }
}

long psx_file_pread(psx_file_t *f, uint64_t off, void *buf, size_t len)
{
    long r = file_pread(&f->file, off, buf, len);

    if (r > 0)
        psx_shm_read(f, off, buf, (size_t)r);
    return r;
}
