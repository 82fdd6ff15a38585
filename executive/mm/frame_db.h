/*
 * The physical frame database: one page_t per frame of RAM, a free list and
 * reference counts (for copy-on-write and shared sections). Pure bookkeeping
 * with no hardware access, so it is unit-tested on the host
 * (tests/unit/test_frame_db.c); frame.c wraps it for the kernel.
 */
#ifndef MM_FRAME_DB_H
#define MM_FRAME_DB_H

#include <stdbool.h>
#include <stdint.h>

enum page_flags {
    PG_RESERVED = 1, /* never allocatable (firmware, kernel image, holes) */
    PG_SLAB = 2,     /* holds kernel heap objects (heap.c) */
};

typedef struct page {
    uint32_t refcount; /* 0: free or reserved */
    uint16_t flags;
    uint16_t slab_class;
    uint32_t slab_inuse;
    uint32_t reserved;
    void *slab_free;   /* first free object in a slab page */
    struct page *next; /* free list, or the slab's partial list */
} page_t;

typedef struct frame_db {
    page_t *pages;
    uint64_t base_pfn, npages;
    page_t *free_list;
    uint64_t nfree;
    uint64_t nusable; /* frames ever released to the allocator */
} frame_db_t;

/* Every frame starts reserved; frame_db_release() makes ranges usable. */
void frame_db_init(frame_db_t *db, page_t *pages, uint64_t base_pfn, uint64_t npages);
/* Marks [pfn, pfn+count) free, clipped to the database; reserved pages
 * inside stay reserved if keep_reserved is set by frame_db_reserve later. */
void frame_db_release(frame_db_t *db, uint64_t pfn, uint64_t count);
/* Takes [pfn, pfn+count) out of the free list again (boot allocations). */
void frame_db_reserve(frame_db_t *db, uint64_t pfn, uint64_t count);
/* Returns a frame number with refcount 1, or 0 when none is free. */
uint64_t frame_db_alloc(frame_db_t *db);
/* count physically consecutive frames, all below limit_pfn, each with
 * refcount 1; returns the first frame number, or 0 when no run is free.
 * Walks the database (first fit), so it is for rare allocations (device
 * memory), not the page-fault path. */
uint64_t frame_db_alloc_run(frame_db_t *db, uint64_t count, uint64_t limit_pfn);
page_t *frame_db_page(frame_db_t *db, uint64_t pfn); /* NULL if outside */
void frame_db_ref(frame_db_t *db, uint64_t pfn);
/* Drops a reference; returns true when the frame went back to the free list. */
bool frame_db_unref(frame_db_t *db, uint64_t pfn);

#endif
