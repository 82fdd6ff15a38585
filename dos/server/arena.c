/*
 * The memory arena: DOS's chain of memory control blocks in conventional
 * memory. Each block starts with a one-paragraph MCB: 'M' (another block
 * follows) or 'Z' (the last), the owner's PSP (0 = free, 8 = DOS), and the
 * size in paragraphs not counting the MCB. Programs can and do write over
 * MCBs, so every walk checks each signature and that the chain moves
 * forward and stays below the top of memory; a broken chain gives error 7
 * as in DOS, never a loop or an access outside memory.
 *
 * Free neighbours are merged while walking, as DOS does, so that freeing
 * never needs to look backwards.
 *
 * Entry points: dosp_arena_init, dosp_arena_check, dosp_mem_alloc,
 * dosp_mem_free, dosp_mem_resize, dosp_mem_free_owner, dosp_mcb_size,
 * dosp_mcb_set_owner, dosp_mem_largest.
 */
#include "dosp.h"

#define MCB_SIG   0
#define MCB_OWNER 1
#define MCB_SIZE  3

static uint8_t sig(const uint8_t *mem, uint16_t mcb)
{
    return vm_rd8(mem, mcb, MCB_SIG);
}

static uint16_t owner(const uint8_t *mem, uint16_t mcb)
{
    return vm_rd16(mem, mcb, MCB_OWNER);
}

uint16_t dosp_mcb_size(const uint8_t *mem, uint16_t mcb)
{
    return vm_rd16(mem, mcb, MCB_SIZE);
}

static void set_mcb(uint8_t *mem, uint16_t mcb, uint8_t s, uint16_t own, uint16_t size)
{
    vm_wr8(mem, mcb, MCB_SIG, s);
    vm_wr16(mem, mcb, MCB_OWNER, own);
    vm_wr16(mem, mcb, MCB_SIZE, size);
    vm_fill(mem, mcb, 5, 0, 11);
}

void dosp_mcb_set_owner(uint8_t *mem, uint16_t mcb, uint16_t own)
{
    vm_wr16(mem, mcb, MCB_OWNER, own);
}

void dosp_arena_init(uint8_t *mem, uint16_t first, uint16_t end)
{
    set_mcb(mem, first, 'Z', 0, (uint16_t)(end - first - 1));
}

/* The MCB after mcb, or 0 at the end; -1 when the chain is broken. */
static int32_t next_mcb(const uint8_t *mem, uint16_t mcb)
{
    uint8_t s = sig(mem, mcb);
    uint32_t next = (uint32_t)mcb + 1 + dosp_mcb_size(mem, mcb);

    if (s == 'Z')
        return next <= VDM_MEM_TOP ? 0 : -1;
    if (s != 'M' || next >= VDM_MEM_TOP)
        return -1;
    return (int32_t)next;
}

int dosp_arena_check(const uint8_t *mem, uint16_t first)
{
    int32_t m = first;

    while (m > 0)
        m = next_mcb(mem, (uint16_t)m);
    return m < 0 ? DOS_EMCB : 0;
}

/* Merges the free blocks that follow the free block mcb into it. */
static int merge_free(uint8_t *mem, uint16_t mcb)
{
    for (;;) {
        int32_t n = next_mcb(mem, mcb);
        if (n < 0)
            return DOS_EMCB;
        if (n == 0 || owner(mem, (uint16_t)n) != 0)
            return 0;
        /* n is a valid 'M' or 'Z' block: its signature becomes ours. */
        uint32_t size = (uint32_t)dosp_mcb_size(mem, mcb) + 1 + dosp_mcb_size(mem, (uint16_t)n);
        if (next_mcb(mem, (uint16_t)n) < 0)
            return DOS_EMCB;
        set_mcb(mem, mcb, sig(mem, (uint16_t)n), 0, (uint16_t)size);
    }
}

/* Splits block mcb so that it keeps paras paragraphs; the rest becomes a
 * free block (when there is room for its MCB). */
static void split(uint8_t *mem, uint16_t mcb, uint16_t paras)
{
    uint16_t size = dosp_mcb_size(mem, mcb);

    if (size <= paras)
        return;
    uint16_t rest = (uint16_t)(mcb + 1 + paras);
    set_mcb(mem, rest, sig(mem, mcb), 0, (uint16_t)(size - paras - 1));
    vm_wr8(mem, mcb, MCB_SIG, 'M');
    vm_wr16(mem, mcb, MCB_SIZE, paras);
}

int dosp_mem_alloc(uint8_t *mem, uint16_t first, uint16_t paras, uint16_t own, int strategy,
                   uint16_t *seg, uint16_t *largest)
{
    int32_t m = first, pick = -1;
    uint16_t best = 0;

    *largest = 0;
    while (m > 0) {
        if (owner(mem, (uint16_t)m) == 0) {
            if (merge_free(mem, (uint16_t)m) != 0)
                return DOS_EMCB;
            uint16_t size = dosp_mcb_size(mem, (uint16_t)m);
            if (size > *largest)
                *largest = size;
            if (size >= paras) {
                bool better = pick < 0 || strategy == DOSP_FIT_LAST ||
                              (strategy == DOSP_FIT_BEST && size < best);
                if (better && !(strategy == DOSP_FIT_FIRST && pick >= 0)) {
                    pick = m;
                    best = size;
                }
            }
        }
        m = next_mcb(mem, (uint16_t)m);
    }
    if (m < 0)
        return DOS_EMCB;
    if (pick < 0)
        return DOS_ENOMEM;

    uint16_t mcb = (uint16_t)pick;
    if (strategy == DOSP_FIT_LAST && best > paras) {
        /* Take the top of the block; the bottom stays free. */
        uint16_t low = (uint16_t)(best - paras - 1);
        split(mem, mcb, low);
        mcb = (uint16_t)(mcb + 1 + low);
    } else {
        split(mem, mcb, paras);
    }
    vm_wr16(mem, mcb, MCB_OWNER, own);
    *seg = (uint16_t)(mcb + 1);
    return 0;
}

/* Finds the MCB of the block at seg in the chain, which must be whole:
 * 0, DOS_EMCB or DOS_EBADMCB. */
static int find_block(const uint8_t *mem, uint16_t first, uint16_t seg)
{
    int32_t m = first;
    bool found = false;

    while (m > 0) {
        found |= m + 1 == seg;
        m = next_mcb(mem, (uint16_t)m);
    }
    if (m < 0)
        return DOS_EMCB;
    return found ? 0 : DOS_EBADMCB;
}

int dosp_mem_free(uint8_t *mem, uint16_t first, uint16_t seg)
{
    int rc = find_block(mem, first, seg);

    if (rc == 0)
        vm_wr16(mem, (uint16_t)(seg - 1), MCB_OWNER, 0);
    return rc;
}

int dosp_mem_resize(uint8_t *mem, uint16_t first, uint16_t seg, uint16_t paras, uint16_t *max)
{
    uint16_t mcb = (uint16_t)(seg - 1);
    int rc = find_block(mem, first, seg);

    if (rc != 0)
        return rc;
    uint16_t size = dosp_mcb_size(mem, mcb);
    if (paras <= size) {
        split(mem, mcb, paras);
        return 0;
    }
    /* Growing: take in the free blocks that follow. */
    uint32_t avail = size;
    int32_t n = next_mcb(mem, mcb);
    if (n < 0)
        return DOS_EMCB;
    if (n > 0 && owner(mem, (uint16_t)n) == 0) {
        if (merge_free(mem, (uint16_t)n) != 0)
            return DOS_EMCB;
        avail += 1u + dosp_mcb_size(mem, (uint16_t)n);
    }
    if (avail > 0xFFFF)
        avail = 0xFFFF;
    if (avail > size) {
        /* Absorb the free neighbour, then give back what is not wanted. */
        set_mcb(mem, mcb, sig(mem, (uint16_t)n), owner(mem, mcb), (uint16_t)avail);
        split(mem, mcb, paras < avail ? paras : (uint16_t)avail);
    }
    if (paras > avail) {
        /* DOS 2.1-6.0 leave the block as large as it could be made. */
        *max = (uint16_t)avail;
        return DOS_ENOMEM;
    }
    return 0;
}

int dosp_mem_free_owner(uint8_t *mem, uint16_t first, uint16_t own)
{
    int32_t m = first;

    while (m > 0) {
        if (owner(mem, (uint16_t)m) == own)
            vm_wr16(mem, (uint16_t)m, MCB_OWNER, 0);
        m = next_mcb(mem, (uint16_t)m);
    }
    return m < 0 ? DOS_EMCB : 0;
}

/* The largest free block (after merging): its MCB's segment and size. */
int dosp_mem_largest(uint8_t *mem, uint16_t first, uint16_t *seg, uint16_t *paras)
{
    int32_t m = first;

    *seg = 0;
    *paras = 0;
    while (m > 0) {
        if (owner(mem, (uint16_t)m) == 0) {
            if (merge_free(mem, (uint16_t)m) != 0)
                return DOS_EMCB;
            if (dosp_mcb_size(mem, (uint16_t)m) > *paras || *seg == 0) {
                *seg = (uint16_t)m;
                *paras = dosp_mcb_size(mem, (uint16_t)m);
            }
        }
        m = next_mcb(mem, (uint16_t)m);
    }
    return m < 0 ? DOS_EMCB : 0;
}
