/*
 * The kernel heap. Objects up to 2 KiB come from slab pages of eight
 * power-of-two size classes, taken from the direct map one frame at a time;
 * the frame's page_t records the class and the free-object list. Larger
 * blocks are whole pages in the kernel virtual area with a small header.
 */
#include "frame_db.h"
#include "mm.h"
#include <string.h>

#define SLAB_MIN_SHIFT 4
#define SLAB_CLASSES   8 /* 16 .. 2048 bytes */
#define LARGE_MAGIC    0x4c41524745424c4bull
#define LARGE_HEADER   16

page_t *mm_page(uint64_t pa);

static page_t *partial[SLAB_CLASSES];
static uint64_t heap_bytes;

void heap_init(void)
{
    for (int i = 0; i < SLAB_CLASSES; i++)
        partial[i] = NULL;
}

static int size_class(size_t n)
{
    int c = 0;

    while (((size_t)1 << (c + SLAB_MIN_SHIFT)) < n)
        c++;
    return c;
}

static page_t *slab_new(int c)
{
    uint64_t pa = frame_alloc();
    size_t size = (size_t)1 << (c + SLAB_MIN_SHIFT);
    page_t *pg;
    char *base;

    if (!pa)
        return NULL;
    pg = mm_page(pa);
    base = phys_to_virt(pa);
    pg->flags = PG_SLAB;
    pg->slab_class = (uint16_t)c;
    pg->slab_inuse = 0;
    pg->slab_free = NULL;
    for (size_t off = PAGE_SIZE; off >= size; off -= size) {
        void **obj = (void **)(base + off - size);
        *obj = pg->slab_free;
        pg->slab_free = obj;
    }
    pg->next = partial[c];
    partial[c] = pg;
    return pg;
}

void *kmalloc(size_t n)
{
    if (n == 0)
        n = 1;
    if (n > ((size_t)1 << (SLAB_CLASSES - 1 + SLAB_MIN_SHIFT))) {
        size_t pages = (n + LARGE_HEADER + PAGE_SIZE - 1) / PAGE_SIZE;
        uint64_t *hdr;
        if (n > (1ull << 32))
            return NULL;
        hdr = kva_alloc(pages);
        if (!hdr)
            return NULL;
        hdr[0] = LARGE_MAGIC;
        hdr[1] = pages;
        heap_bytes += pages * PAGE_SIZE;
        return (char *)hdr + LARGE_HEADER;
    }

    int c = size_class(n);
    page_t *pg = partial[c];
    if (!pg && !(pg = slab_new(c)))
        return NULL;
    void **obj = pg->slab_free;
    pg->slab_free = *obj;
    pg->slab_inuse++;
    if (!pg->slab_free) {
        partial[c] = pg->next; /* full pages leave the partial list */
        pg->next = NULL;
    }
    heap_bytes += (size_t)1 << (c + SLAB_MIN_SHIFT);
    return obj;
}

void *kzalloc(size_t n)
{
    void *p = kmalloc(n);

    if (p)
        memset(p, 0, n);
    return p;
}

char *kstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = kmalloc(n);

    if (d)
        memcpy(d, s, n);
    return d;
}

void kfree(void *p)
{
    uintptr_t va = (uintptr_t)p;

    if (!p)
        return;
    if (va >= KVA_BASE && va < KVA_BASE + KVA_SIZE) {
        uint64_t *hdr = (uint64_t *)(va - LARGE_HEADER);
        if (hdr[0] != LARGE_MAGIC)
            panic("kfree: bad pointer %p", p);
        hdr[0] = 0;
        heap_bytes -= hdr[1] * PAGE_SIZE;
        kva_free(hdr, hdr[1]);
        return;
    }

    page_t *pg = mm_page(virt_to_phys(p));
    if (!pg || !(pg->flags & PG_SLAB) || pg->slab_inuse == 0)
        panic("kfree: bad pointer %p", p);
    int c = pg->slab_class;
    bool was_full = pg->slab_free == NULL;
    *(void **)p = pg->slab_free;
    pg->slab_free = p;
    pg->slab_inuse--;
    heap_bytes -= (size_t)1 << (c + SLAB_MIN_SHIFT);
    if (was_full) {
        pg->next = partial[c];
        partial[c] = pg;
    }
    if (pg->slab_inuse == 0 && partial[c] != pg) {
        /* Empty and not the class's first page: give the frame back. */
        for (page_t **l = &partial[c]; *l; l = &(*l)->next) {
            if (*l == pg) {
                *l = pg->next;
                break;
            }
        }
        pg->flags = 0;
        frame_unref(virt_to_phys(p) & ~(PAGE_SIZE - 1));
    }
}

uint64_t heap_in_use(void)
{
    return heap_bytes;
}
