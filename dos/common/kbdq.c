/*
 * The BIOS keyboard queue in the data area (see <dos/kbdq.h>), shared by
 * the VDM's BIOS and the DOS server.
 *
 * Entry points: dos_kbdq_init, dos_kbdq_head, dos_kbdq_push, dos_kbdq_full,
 * dos_kbdq_taken.
 */
#include <dos/kbdq.h>
#include <dos/vmem.h>

#define KBD_HEAD  0x1A /* BDA words: offsets from 40:0 */
#define KBD_TAIL  0x1C
#define KBD_BUF   0x1E /* the default ring, 16 words up to 3Eh */
#define KBD_START 0x80 /* where the ring starts */
#define KBD_END   0x82 /* one past where it ends */

static uint16_t rd(const uint8_t *mem, uint16_t off)
{
    return vm_rd16(mem, VDM_BDA_SEG, off);
}

static void wr(uint8_t *mem, uint16_t off, uint16_t x)
{
    vm_wr16(mem, VDM_BDA_SEG, off, x);
}

void dos_kbdq_init(uint8_t *mem)
{
    wr(mem, KBD_START, KBD_BUF);
    wr(mem, KBD_END, KBD_BUF + 32);
    wr(mem, KBD_HEAD, KBD_BUF);
    wr(mem, KBD_TAIL, KBD_BUF);
}

/* The queue's bounds, repaired if a program has scribbled on them. */
static void bounds(uint8_t *mem, uint16_t *start, uint16_t *end)
{
    *start = rd(mem, KBD_START);
    *end = rd(mem, KBD_END);
    if ((*start & 1) || (*end & 1) || *start < KBD_BUF || *end > 0x100 || *end < *start + 4) {
        dos_kbdq_init(mem);
        *start = KBD_BUF;
        *end = KBD_BUF + 32;
    }
    uint16_t head = rd(mem, KBD_HEAD), tail = rd(mem, KBD_TAIL);
    if ((head & 1) || (tail & 1) || head < *start || head >= *end || tail < *start ||
        tail >= *end) {
        wr(mem, KBD_HEAD, *start);
        wr(mem, KBD_TAIL, *start);
    }
}

static uint16_t next(uint16_t at, uint16_t start, uint16_t end)
{
    return at + 2 >= end ? start : (uint16_t)(at + 2);
}

bool dos_kbdq_full(uint8_t *mem)
{
    uint16_t start, end;

    bounds(mem, &start, &end);
    return next(rd(mem, KBD_TAIL), start, end) == rd(mem, KBD_HEAD);
}

bool dos_kbdq_push(uint8_t *mem, uint16_t key)
{
    uint16_t start, end;

    bounds(mem, &start, &end);
    uint16_t tail = rd(mem, KBD_TAIL), n = next(tail, start, end);
    if (n == rd(mem, KBD_HEAD))
        return false;
    wr(mem, tail, key);
    wr(mem, KBD_TAIL, n);
    return true;
}

int dos_kbdq_head(uint8_t *mem, bool pop)
{
    uint16_t start, end;

    bounds(mem, &start, &end);
    uint16_t h = rd(mem, KBD_HEAD);
    if (h == rd(mem, KBD_TAIL))
        return DOS_KBDQ_EMPTY;
    int key = rd(mem, h);
    if (pop)
        wr(mem, KBD_HEAD, next(h, start, end));
    return key;
}

uint16_t dos_kbdq_taken(const uint8_t *mem)
{
    return rd(mem, KBD_HEAD);
}
