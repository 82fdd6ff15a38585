/*
 * Memory quotas: each process has one, shared with the sections it creates
 * (which may outlive it). Charging never sleeps; a request over the limit
 * fails at once with ST_QUOTA_EXCEEDED.
 */
#include "mm.h"

/*
 * System-wide commit: the pages all quotas together have been charged. It
 * may not exceed the usable frames minus a share kept for the kernel's own
 * allocations (heap, stacks, page tables of the kernel half), so a charged
 * page can always be backed by a frame.
 */
static uint64_t commit_used;

static uint64_t commit_limit(void)
{
    uint64_t total = mm_total_frames();
    uint64_t keep = MAX(total / 8, 1024);

    return total > keep ? total - keep : 0;
}

quota_t *quota_create(uint64_t limit_pages)
{
    quota_t *q = kzalloc(sizeof(*q));

    if (!q)
        return NULL;
    q->refcount = 1;
    q->limit = limit_pages;
    return q;
}

void quota_ref(quota_t *q)
{
    q->refcount++;
}

void quota_unref(quota_t *q)
{
    if (q && --q->refcount == 0)
        kfree(q);
}

status_t quota_charge(quota_t *q, uint64_t pages)
{
    if (!q)
        return ST_OK;
    if (pages > q->limit || q->used > q->limit - pages)
        return ST_QUOTA_EXCEEDED;
    if (commit_used + pages > commit_limit())
        return ST_NO_MEMORY;
    commit_used += pages;
    q->used += pages;
    if (q->used > q->peak)
        q->peak = q->used;
    return ST_OK;
}

void quota_uncharge(quota_t *q, uint64_t pages)
{
    if (!q)
        return;
    ASSERT(q->used >= pages && commit_used >= pages);
    q->used -= pages;
    commit_used -= pages;
}
