/*
 * The keyboard: the BIOS queue in the data area (40:1Eh by default, or
 * wherever 40:80h/82h put it) filled from the embedder's key source, and
 * INT 16h on top of it. DOS's CON device reads through vdm_kbd_read, so
 * a key seen by INT 16h AH=01h is the key DOS gets next.
 *
 * Entry points: vdmp_kbd_init, vdmp_kbd_fill, vdmp_int16, vdm_kbd_read,
 * vdm_kbd_peek, vdm_kbd_push, vdm_con_read, vdm_con_peek.
 */
#include "vdmp.h"

void vdmp_kbd_init(vdm_t *v)
{
    bda_wr16(v, BDA_KBD_START, BDA_KBD_BUF);
    bda_wr16(v, BDA_KBD_END, BDA_KBD_BUF + 32);
    bda_wr16(v, BDA_KBD_HEAD, BDA_KBD_BUF);
    bda_wr16(v, BDA_KBD_TAIL, BDA_KBD_BUF);
}

/* The queue's bounds, repaired if a program has scribbled on them. */
static void bounds(vdm_t *v, uint16_t *start, uint16_t *end)
{
    *start = bda_rd16(v, BDA_KBD_START);
    *end = bda_rd16(v, BDA_KBD_END);
    if ((*start & 1) || (*end & 1) || *start < BDA_KBD_BUF || *end > 0x100 || *end < *start + 4) {
        vdmp_kbd_init(v);
        *start = BDA_KBD_BUF;
        *end = BDA_KBD_BUF + 32;
    }
    uint16_t head = bda_rd16(v, BDA_KBD_HEAD), tail = bda_rd16(v, BDA_KBD_TAIL);
    if ((head & 1) || (tail & 1) || head < *start || head >= *end || tail < *start ||
        tail >= *end) {
        bda_wr16(v, BDA_KBD_HEAD, *start);
        bda_wr16(v, BDA_KBD_TAIL, *start);
    }
}

static uint16_t next(uint16_t at, uint16_t start, uint16_t end)
{
    return at + 2 >= end ? start : (uint16_t)(at + 2);
}

static bool full(vdm_t *v)
{
    uint16_t start, end;

    bounds(v, &start, &end);
    return next(bda_rd16(v, BDA_KBD_TAIL), start, end) == bda_rd16(v, BDA_KBD_HEAD);
}

bool vdm_kbd_push(vdm_t *v, uint16_t key)
{
    uint16_t start, end;

    bounds(v, &start, &end);
    uint16_t tail = bda_rd16(v, BDA_KBD_TAIL), n = next(tail, start, end);
    if (n == bda_rd16(v, BDA_KBD_HEAD))
        return false;
    bda_wr16(v, tail, key);
    bda_wr16(v, BDA_KBD_TAIL, n);
    return true;
}

/* The key at the head of the queue, or VDM_KEY_NONE; pop removes it. */
static int queue_head(vdm_t *v, bool pop)
{
    uint16_t start, end;

    bounds(v, &start, &end);
    uint16_t h = bda_rd16(v, BDA_KBD_HEAD);
    if (h == bda_rd16(v, BDA_KBD_TAIL))
        return VDM_KEY_NONE;
    int key = bda_rd16(v, h);
    if (pop)
        bda_wr16(v, BDA_KBD_HEAD, next(h, start, end));
    return key;
}

void vdmp_kbd_fill(vdm_t *v)
{
    while (!full(v)) {
        int key = v->host.key_read(v->ctx, false);
        if (key < 0)
            break;
        vdm_kbd_push(v, (uint16_t)key);
    }
}

int vdm_kbd_peek(vdm_t *v)
{
    vdmp_kbd_fill(v);
    return queue_head(v, false);
}

int vdm_kbd_read(vdm_t *v, bool wait)
{
    vdmp_kbd_fill(v);
    int key = queue_head(v, true);
    if (key != VDM_KEY_NONE || !wait)
        return key;
    /* Whatever the program has shown must be on the terminal before we block. */
    vdm_render(v);
    return v->host.key_read(v->ctx, true);
}

int vdm_con_read(vdm_t *v)
{
    if (v->con_scan >= 0) {
        int c = v->con_scan;
        v->con_scan = -1;
        return c;
    }
    int key = vdm_kbd_read(v, true);
    if (key < 0)
        return -1;
    if ((key & 0xFF) == 0 || (key & 0xFF) == 0xE0) {
        v->con_scan = key >> 8;
        return 0;
    }
    return key & 0xFF;
}

int vdm_con_peek(vdm_t *v)
{
    if (v->con_scan >= 0)
        return v->con_scan;
    int key = vdm_kbd_peek(v);
    if (key < 0)
        return -1;
    return (key & 0xFF) == 0xE0 ? 0 : key & 0xFF;
}

void vdmp_int16(vdm_t *v, dos_regs_t *r)
{
    int key;

    switch (r->ah) {
    case 0x00:
    case 0x10:
        key = vdm_kbd_read(v, true);
        if (key < 0) {
            vdmp_halt(v, VDM_INPUT_ENDED, "INT 16h at %04X:%04X waits for a key after input ended",
                      r->cs, r->ip);
            break;
        }
        r->ax = (uint16_t)key;
        break;
    case 0x01:
    case 0x11:
        key = vdm_kbd_peek(v);
        if (key < 0) {
            r->flags |= DOS_FLAG_ZF;
            break;
        }
        r->flags &= ~DOS_FLAG_ZF;
        r->ax = (uint16_t)key;
        break;
    case 0x02:
        r->al = bda_rd8(v, BDA_KBD_FLAGS);
        break;
    case 0x12:
        r->al = bda_rd8(v, BDA_KBD_FLAGS);
        r->ah = bda_rd8(v, BDA_KBD_FLAGS + 1);
        break;
    case 0x03: /* typematic rate: the host terminal's own */
        break;
    case 0x05:
        r->al = vdm_kbd_push(v, r->cx) ? 0 : 1;
        break;
    default:
        vdmp_logf(v, 0x1600u | r->ah, "INT 16h AH=%02Xh is not supported", r->ah);
        break;
    }
}
