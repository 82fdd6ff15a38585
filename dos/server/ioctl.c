/*
 * IOCTL (AH=44h): device information (so a program can tell the console
 * from a file and set it to binary), input and output status, and the
 * drive queries. Device drivers' control strings (AL=02h-05h) and the
 * generic block-device requests are refused: there are no drivers.
 *
 * Entry points: do_ioctl.
 */
#include "dosp.h"

/* Device information word: bit 7 set for devices; for files, the drive
 * in bits 0-5 and bit 6 set while the file has not been written. */
static uint16_t dev_info(const dos_server_t *s, const dos_sft_t *f)
{
    uint16_t raw = (f->flags & DOSP_SFT_RAW) ? 0x20 : 0;

    (void)s;
    switch (f->kind) {
    case DOSP_CON:
        return 0x80D3 | raw; /* device, stdin, stdout, INT 29h, not at EOF */
    case DOSP_NUL:
        return 0x80C4 | raw;
    case DOSP_AUX:
        return 0x80C0 | raw;
    case DOSP_PRN:
        return 0xA0C0 | raw;
    default:
        return (uint16_t)((f->drive & 0x3F) | ((f->flags & DOSP_SFT_WRITTEN) ? 0 : 0x40));
    }
}

int do_ioctl(dos_server_t *s, dos_regs_t *r)
{
    dos_sft_t *f = NULL;
    dos_stat_t st;
    int rc = 0;

    if (r->al <= 0x07 || r->al == 0x0A || r->al == 0x0C) {
        rc = dosp_handle(s, r->bx, &f);
        if (rc != 0)
            return dosp_fail(s, r, (uint16_t)rc);
    }
    switch (r->al) {
    case 0x00:
        r->dx = dev_info(s, f);
        r->ax = r->dx;
        return dosp_ok(r);
    case 0x01:
        if (f->kind == DOSP_FILE)
            return dosp_fail(s, r, DOS_EINVFN);
        if (r->dh != 0)
            return dosp_fail(s, r, DOS_EBADDATA);
        if (r->dl & 0x20)
            f->flags |= DOSP_SFT_RAW;
        else
            f->flags &= (uint8_t)~DOSP_SFT_RAW;
        return dosp_ok(r);
    case 0x06:
        if (f->kind == DOSP_CON) {
            r->al = s->line_pos < s->line_len || s->ops.con_peek(s->ctx) >= 0 ? 0xFF : 0;
        } else if (f->kind == DOSP_FILE && !(f->flags & DOSP_SFT_STREAM)) {
            rc = s->ops.fstat(s->ctx, f->fh, &st);
            r->al = rc == 0 && f->pos < st.size ? 0xFF : 0;
        } else {
            r->al = f->kind == DOSP_NUL ? 0 : 0xFF;
        }
        return dosp_ok(r);
    case 0x07:
        r->al = 0xFF; /* output is always ready */
        return dosp_ok(r);
    case 0x08:
    case 0x09: {
        uint8_t d = r->bl == 0 ? s->cur_drive : (uint8_t)(r->bl - 1);
        if (!dosp_drive_ok(s, d))
            return dosp_fail(s, r, DOS_EBADDRV);
        if (r->al == 0x08)
            r->ax = 1; /* fixed */
        else
            r->dx = 0; /* local */
        return dosp_ok(r);
    }
    case 0x0A:
        r->dx = 0; /* a local handle */
        return dosp_ok(r);
    case 0x0B:
        return dosp_ok(r); /* sharing retries: nothing is shared */
    default:
        dosp_logf(s, 0x4400u | r->al, "INT 21h AX=44%02Xh: IOCTL subfunction not supported", r->al);
        return dosp_fail(s, r, DOS_EINVFN);
    }
}
