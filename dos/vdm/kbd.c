/*
 * The keyboard: the BIOS queue in the data area (<dos/kbdq.h>) filled
 * from the embedder's key source, and INT 16h on top of it. DOS's CON
 * device reads through vdm_kbd_read, so a key seen by INT 16h AH=01h is
 * the key DOS gets next. Normally the run loop refills the queue between
 * slices; with kbd_on_demand, keys are taken from the source only when
 * the program reads or looks at the keyboard and the queue is empty.
 *
 * Entry points: vdmp_kbd_init, vdmp_kbd_fill, vdmp_int16, vdm_kbd_read,
 * vdm_kbd_peek, vdm_kbd_push, vdm_con_read, vdm_con_peek.
 */
#include <dos/kbdq.h>

#include "vdmp.h"

void vdmp_kbd_init(vdm_t *v)
{
    dos_kbdq_init(v->mem);
}

bool vdm_kbd_push(vdm_t *v, uint16_t key)
{
    return dos_kbdq_push(v->mem, key);
}

void vdmp_kbd_fill(vdm_t *v)
{
    if (v->kbd_on_demand)
        return;
    while (!dos_kbdq_full(v->mem)) {
        int key = v->host.key_read(v->ctx, false);
        if (key < 0)
            break;
        dos_kbdq_push(v->mem, (uint16_t)key);
    }
}

/* A program looks at the keyboard: on demand, one key if none is queued. */
static void fill_for_program(vdm_t *v)
{
    if (!v->kbd_on_demand) {
        vdmp_kbd_fill(v);
        return;
    }
    if (dos_kbdq_head(v->mem, false) != DOS_KBDQ_EMPTY)
        return;
    int key = v->host.key_read(v->ctx, false);
    if (key >= 0)
        dos_kbdq_push(v->mem, (uint16_t)key);
}

int vdm_kbd_peek(vdm_t *v)
{
    fill_for_program(v);
    return dos_kbdq_head(v->mem, false);
}

int vdm_kbd_read(vdm_t *v, bool wait)
{
    fill_for_program(v);
    int key = dos_kbdq_head(v->mem, true);
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
