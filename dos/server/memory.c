/*
 * The memory calls (AH=48h, 49h, 4Ah, 58h) on top of the arena. Blocks
 * belong to the current PSP; errors are DOS's: 7 when the chain is
 * broken, 8 with BX = the largest block (or the most the block can grow
 * to) when there is not enough, 9 for a segment that is not a block.
 *
 * Entry points: do_alloc, do_free, do_resize, do_strategy.
 */
#include "dosp.h"

int do_alloc(dos_server_t *s, dos_regs_t *r)
{
    uint16_t seg, largest;
    int rc =
        dosp_mem_alloc(s->mem, VDM_ARENA_SEG, r->bx, s->cur_psp, s->alloc_strategy, &seg, &largest);

    if (rc == DOS_ENOMEM)
        r->bx = largest;
    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    r->ax = seg;
    return dosp_ok(r);
}

int do_free(dos_server_t *s, dos_regs_t *r)
{
    int rc = dosp_mem_free(s->mem, VDM_ARENA_SEG, r->es);

    return rc != 0 ? dosp_fail(s, r, (uint16_t)rc) : dosp_ok(r);
}

int do_resize(dos_server_t *s, dos_regs_t *r)
{
    uint16_t max = 0;
    int rc = dosp_mem_resize(s->mem, VDM_ARENA_SEG, r->es, r->bx, &max);

    if (rc == DOS_ENOMEM)
        r->bx = max;
    return rc != 0 ? dosp_fail(s, r, (uint16_t)rc) : dosp_ok(r);
}

int do_strategy(dos_server_t *s, dos_regs_t *r)
{
    if (r->al == 0) {
        r->ax = s->alloc_strategy;
        return dosp_ok(r);
    }
    if (r->al == 1 && r->bx <= DOSP_FIT_LAST) {
        s->alloc_strategy = (uint8_t)r->bx;
        return dosp_ok(r);
    }
    return dosp_fail(s, r, DOS_EINVFN);
}
