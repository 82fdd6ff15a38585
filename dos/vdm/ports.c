/*
 * I/O ports. A VDM has no devices behind its ports; these are the few
 * that DOS programs poll and would spin on forever if nothing changed: the
 * display status (retrace), the CRT controller's cursor registers, the
 * timer's counter 0, port 61h's refresh bit, and the interrupt mask.
 * Everything else reads as FFh, ignores writes, and is logged once.
 *
 * Entry points: vdmp_ports_init.
 */
#include "vdmp.h"

static void unknown(vdm_t *v, uint16_t port, const char *dir)
{
    vdmp_logf(v, 0x10000u | port, "%s port %04Xh: no device there", dir, port);
}

static uint16_t crtc_cursor(vdm_t *v)
{
    int row, col;

    vdmp_get_cursor(v, bda_rd8(v, BDA_ACTIVE_PAGE), &row, &col);
    return (uint16_t)(bda_rd16(v, BDA_PAGE_START) / 2 + row * vdmp_cols(v) + col);
}

static uint8_t in8(vdm_t *v, uint16_t port)
{
    switch (port) {
    case 0x3DA:
    case 0x3BA:
        /* Alternate between display and retrace so wait loops end. */
        v->retrace ^= 0x09;
        return v->retrace;
    case 0x3D4:
    case 0x3B4:
        return v->crtc_index;
    case 0x3D5:
    case 0x3B5:
        switch (v->crtc_index) {
        case 0x0A:
            return bda_rd8(v, BDA_CURSOR_TYPE + 1);
        case 0x0B:
            return bda_rd8(v, BDA_CURSOR_TYPE);
        case 0x0E:
            return (uint8_t)(crtc_cursor(v) >> 8);
        case 0x0F:
            return (uint8_t)crtc_cursor(v);
        default:
            return 0;
        }
    case 0x40: {
        /* Counter 0 counts down at 1.19 MHz; the instruction count stands in. */
        uint16_t count = (uint16_t)(0xFFFF - (v->cpu.insn_count & 0xFFFF));
        v->pit_flip ^= 1;
        return v->pit_flip ? (uint8_t)count : (uint8_t)(count >> 8);
    }
    case 0x61:
        v->port61 ^= 0x10; /* the refresh toggle that delay loops count */
        return v->port61;
    case 0x21:
        return v->pic_mask;
    case 0x20:
    case 0x43:
        return 0;
    default:
        unknown(v, port, "IN from");
        return 0xFF;
    }
}

static void crtc_write(vdm_t *v, uint8_t val)
{
    uint8_t page = bda_rd8(v, BDA_ACTIVE_PAGE);
    uint16_t at = crtc_cursor(v) - bda_rd16(v, BDA_PAGE_START) / 2;
    int cols = vdmp_cols(v);

    switch (v->crtc_index) {
    case 0x0A:
        bda_wr8(v, BDA_CURSOR_TYPE + 1, val);
        break;
    case 0x0B:
        bda_wr8(v, BDA_CURSOR_TYPE, val);
        break;
    case 0x0E:
        at = (uint16_t)((at & 0xFF) | val << 8);
        break;
    case 0x0F:
        at = (uint16_t)((at & 0xFF00) | val);
        break;
    default:
        return;
    }
    if ((v->crtc_index == 0x0E || v->crtc_index == 0x0F) && at < VDM_TEXT_ROWS * cols)
        vdmp_set_cursor(v, page, at / cols, at % cols);
}

static void out8(vdm_t *v, uint16_t port, uint8_t val)
{
    switch (port) {
    case 0x3D4:
    case 0x3B4:
        v->crtc_index = val;
        break;
    case 0x3D5:
    case 0x3B5:
        crtc_write(v, val);
        break;
    case 0x61:
        v->port61 = val;
        break;
    case 0x21:
        v->pic_mask = val;
        break;
    case 0x20: /* end of interrupt: there is no interrupt controller to tell */
    case 0x40:
    case 0x43:
    case 0x3D8: /* mode control and colour select: nothing to show them on */
    case 0x3D9:
        break;
    default:
        unknown(v, port, "OUT to");
        break;
    }
}

static uint16_t port_in(void *ctx, uint16_t port, int size)
{
    vdm_t *v = ctx;
    uint16_t lo = in8(v, port);
    if (size == 1)
        return lo;
    return (uint16_t)(lo | in8(v, (uint16_t)(port + 1)) << 8);
}

static void port_out(void *ctx, uint16_t port, uint16_t val, int size)
{
    vdm_t *v = ctx;
    out8(v, port, (uint8_t)val);
    if (size == 2)
        out8(v, (uint16_t)(port + 1), (uint8_t)(val >> 8));
}

void vdmp_ports_init(vdm_t *v)
{
    v->cpu.in = port_in;
    v->cpu.out = port_out;
    v->cpu.io_ctx = v;
}
