/*
 * Frame database (see frame_db.h). The free list is LIFO so recently freed,
 * cache-warm frames are reused first. Misuse (freeing a free or reserved
 * frame, counting past 2^32) is reported by returning without change and is
 * caught by the kernel's callers through assertions.
 */
#include "frame_db.h"

#include <stddef.h>
#include <string.h>

void frame_db_init(frame_db_t *db, page_t *pages, uint64_t base_pfn, uint64_t npages)
{
    db->pages = pages;
    db->base_pfn = base_pfn;
    db->npages = npages;
    db->free_list = NULL;
    db->nfree = 0;
    db->nusable = 0;
    memset(pages, 0, npages * sizeof(page_t));
    for (uint64_t i = 0; i < npages; i++)
        pages[i].flags = PG_RESERVED;
}

page_t *frame_db_page(frame_db_t *db, uint64_t pfn)
{
    if (pfn < db->base_pfn || pfn - db->base_pfn >= db->npages)
        return NULL;
    return &db->pages[pfn - db->base_pfn];
}

static uint64_t page_pfn(frame_db_t *db, page_t *p)
{
    return db->base_pfn + (uint64_t)(p - db->pages);
}

void frame_db_release(frame_db_t *db, uint64_t pfn, uint64_t count)
{
    /* Walk downwards so the lowest frames end up at the head of the list. */
    for (uint64_t i = count; i-- > 0;) {
        page_t *p = frame_db_page(db, pfn + i);
        if (!p || !(p->flags & PG_RESERVED))
            continue;
        p->flags = 0;
        p->refcount = 0;
        p->next = db->free_list;
        db->free_list = p;
        db->nfree++;
        db->nusable++;
    }
}

void frame_db_reserve(frame_db_t *db, uint64_t pfn, uint64_t count)
{
    page_t **link = &db->free_list;

    while (*link) {
        page_t *p = *link;
        uint64_t n = page_pfn(db, p);
        if (n >= pfn && n - pfn < count) {
            *link = p->next;
            p->next = NULL;
            p->flags = PG_RESERVED;
            db->nfree--;
            db->nusable--;
        } else {
            link = &p->next;
        }
    }
    for (uint64_t i = 0; i < count; i++) {
        page_t *p = frame_db_page(db, pfn + i);
        if (p && p->refcount == 0)
            p->flags = PG_RESERVED;
    }
}

uint64_t frame_db_alloc(frame_db_t *db)
{
    page_t *p = db->free_list;

    if (!p)
        return 0;
    db->free_list = p->next;
    db->nfree--;
    p->next = NULL;
    p->refcount = 1;
    p->flags = 0;
    return page_pfn(db, p);
}

static bool is_free(const page_t *p)
{
    return p->refcount == 0 && !(p->flags & (PG_RESERVED | PG_SLAB));
}

uint64_t frame_db_alloc_run(frame_db_t *db, uint64_t count, uint64_t limit_pfn)
{
    uint64_t end = db->npages, run = 0, first = 0;

    if (!count)
        return 0;
    if (limit_pfn < db->base_pfn)
        return 0;
    if (limit_pfn - db->base_pfn < end)
        end = limit_pfn - db->base_pfn;
    /* Frame 0 is never handed out: 0 means failure. */
    for (uint64_t i = db->base_pfn ? 0 : 1; i < end && run < count; i++) {
        if (!is_free(&db->pages[i])) {
            run = 0;
            continue;
        }
        if (!run)
            first = i;
        run++;
    }
    if (run < count)
        return 0;
    /* Take them off the free list, which is in no order. */
    page_t **link = &db->free_list;
    uint64_t taken = 0;
    while (*link && taken < count) {
        page_t *p = *link;
        uint64_t i = (uint64_t)(p - db->pages);
        if (i >= first && i - first < count) {
            *link = p->next;
            p->next = NULL;
            p->refcount = 1;
            p->flags = 0;
            taken++;
        } else {
            link = &p->next;
        }
    }
    db->nfree -= taken;
    return db->base_pfn + first;
}

void frame_db_ref(frame_db_t *db, uint64_t pfn)
{
    page_t *p = frame_db_page(db, pfn);

    if (p && p->refcount > 0 && p->refcount < UINT32_MAX)
        p->refcount++;
}

bool frame_db_unref(frame_db_t *db, uint64_t pfn)
{
    page_t *p = frame_db_page(db, pfn);

    if (!p || p->refcount == 0 || (p->flags & PG_RESERVED))
        return false;
    if (--p->refcount > 0)
        return false;
    p->flags = 0;
    p->slab_class = 0;
    p->slab_inuse = 0;
    p->slab_free = NULL;
    p->next = db->free_list;
    db->free_list = p;
    db->nfree++;
    return true;
}
