/*
 * The small calls: DTA, interrupt vectors, date and time, version,
 * verify, Ctrl-Break, InDOS, switch character, country information, list
 * of lists, extended error and code page.
 *
 * Setting the date or time (2Bh, 2Dh) cannot change the host's clock: the
 * server keeps an offset from it instead, so the program sees the time it
 * set move on from there, and the host's clock stays as it is.
 *
 * Entry points: dosp_now; do_cpm_null, do_set_dta, do_get_dta,
 * do_set_vector, do_get_vector, do_get_date, do_set_date, do_get_time,
 * do_set_time, do_set_verify, do_get_verify, do_get_version,
 * do_ctrl_break, do_indos, do_switchar, do_country, do_list_of_lists,
 * do_ext_error, do_code_page.
 */
#include <string.h>

#include "dosp.h"

void dosp_now(dos_server_t *s, dos_clock_t *c)
{
    s->ops.now(s->ctx, c);
    if (s->clock_offset_ms != 0)
        dc_from_ms(dc_to_ms(c) + s->clock_offset_ms, c);
}

static void set_clock(dos_server_t *s, const dos_clock_t *want)
{
    dos_clock_t host;

    s->ops.now(s->ctx, &host);
    s->clock_offset_ms = dc_to_ms(want) - dc_to_ms(&host);
}

int do_cpm_null(dos_server_t *s, dos_regs_t *r)
{
    (void)s;
    r->al = 0;
    return DOS_CALL_DONE;
}

int do_set_dta(dos_server_t *s, dos_regs_t *r)
{
    s->dta_seg = r->ds;
    s->dta_off = r->dx;
    return DOS_CALL_DONE;
}

int do_get_dta(dos_server_t *s, dos_regs_t *r)
{
    r->es = s->dta_seg;
    r->bx = s->dta_off;
    return DOS_CALL_DONE;
}

int do_set_vector(dos_server_t *s, dos_regs_t *r)
{
    vm_wr16(s->mem, 0, (uint16_t)(r->al * 4), r->dx);
    vm_wr16(s->mem, 0, (uint16_t)(r->al * 4 + 2), r->ds);
    return DOS_CALL_DONE;
}

int do_get_vector(dos_server_t *s, dos_regs_t *r)
{
    r->bx = vm_rd16(s->mem, 0, (uint16_t)(r->al * 4));
    r->es = vm_rd16(s->mem, 0, (uint16_t)(r->al * 4 + 2));
    return DOS_CALL_DONE;
}

int do_get_date(dos_server_t *s, dos_regs_t *r)
{
    dos_clock_t c;

    dosp_now(s, &c);
    r->cx = c.year;
    r->dh = c.month;
    r->dl = c.day;
    r->al = (uint8_t)dc_weekday(&c);
    return DOS_CALL_DONE;
}

int do_set_date(dos_server_t *s, dos_regs_t *r)
{
    dos_clock_t c;

    /* DOS accepts 1980-2099 here. */
    if (r->cx > 2099 || !dc_valid_date(r->cx, r->dh, r->dl)) {
        r->al = 0xFF;
        return DOS_CALL_DONE;
    }
    dosp_now(s, &c);
    c.year = r->cx;
    c.month = r->dh;
    c.day = r->dl;
    set_clock(s, &c);
    r->al = 0;
    return DOS_CALL_DONE;
}

int do_get_time(dos_server_t *s, dos_regs_t *r)
{
    dos_clock_t c;

    dosp_now(s, &c);
    r->ch = (uint8_t)(c.ms / 3600000);
    r->cl = (uint8_t)(c.ms / 60000 % 60);
    r->dh = (uint8_t)(c.ms / 1000 % 60);
    r->dl = (uint8_t)(c.ms / 10 % 100);
    return DOS_CALL_DONE;
}

int do_set_time(dos_server_t *s, dos_regs_t *r)
{
    dos_clock_t c;

    if (r->ch > 23 || r->cl > 59 || r->dh > 59 || r->dl > 99) {
        r->al = 0xFF;
        return DOS_CALL_DONE;
    }
    dosp_now(s, &c);
    c.ms = ((r->ch * 60u + r->cl) * 60u + r->dh) * 1000u + r->dl * 10u;
    set_clock(s, &c);
    r->al = 0;
    return DOS_CALL_DONE;
}

int do_set_verify(dos_server_t *s, dos_regs_t *r)
{
    s->verify = r->al != 0;
    return DOS_CALL_DONE;
}

int do_get_verify(dos_server_t *s, dos_regs_t *r)
{
    r->al = s->verify;
    return DOS_CALL_DONE;
}

int do_get_version(dos_server_t *s, dos_regs_t *r)
{
    (void)s;
    r->al = 3; /* 3.30 */
    r->ah = 30;
    r->bx = 0; /* OEM 00h (IBM), no serial number */
    r->cx = 0;
    return DOS_CALL_DONE;
}

int do_ctrl_break(dos_server_t *s, dos_regs_t *r)
{
    switch (r->al) {
    case 0x00:
        r->dl = s->brk;
        break;
    case 0x01:
        s->brk = r->dl != 0;
        break;
    case 0x02: {
        uint8_t old = s->brk;
        s->brk = r->dl != 0;
        r->dl = old;
        break;
    }
    case 0x05:
        r->dl = 3; /* booted from C: */
        break;
    default:
        r->al = 0xFF;
        break;
    }
    return DOS_CALL_DONE;
}

int do_indos(dos_server_t *s, dos_regs_t *r)
{
    (void)s;
    /* DOS is never "busy" while a program runs: the server works between
     * instructions, so the flag stays 0. */
    r->es = VDM_DOS_SEG;
    r->bx = DOSSEG_INDOS;
    return DOS_CALL_DONE;
}

int do_switchar(dos_server_t *s, dos_regs_t *r)
{
    switch (r->al) {
    case 0x00:
        r->dl = s->switchar;
        r->al = 0;
        break;
    case 0x01:
        s->switchar = r->dl;
        r->al = 0;
        break;
    case 0x02: /* devices are available with and without \DEV */
        r->dl = 0xFF;
        r->al = 0;
        break;
    default:
        r->al = 0xFF;
        break;
    }
    return DOS_CALL_DONE;
}

/* Country 001 (United States), as DOS 3.3 describes it. */
int do_country(dos_server_t *s, dos_regs_t *r)
{
    uint8_t info[34];

    if (r->al == 0xFF ? r->bx != 1 && r->bx != 0 : r->al > 1)
        return dosp_fail(s, r, DOS_ENOENT);
    if (r->dx == 0xFFFF)
        return dosp_ok(r); /* setting country 1: it already is */
    memset(info, 0, sizeof(info));
    info[0] = 0;                     /* date format: m d y */
    info[2] = '$';                   /* currency symbol */
    info[7] = ',';                   /* thousands separator */
    info[9] = '.';                   /* decimal separator */
    info[11] = '-';                  /* date separator */
    info[13] = ':';                  /* time separator */
    info[15] = 0;                    /* currency before, no space */
    info[16] = 2;                    /* digits after the decimal separator */
    info[17] = 0;                    /* 12-hour clock */
    info[18] = (uint8_t)DOSSEG_RETF; /* case map routine (far) */
    info[19] = (uint8_t)(DOSSEG_RETF >> 8);
    info[20] = (uint8_t)VDM_DOS_SEG;
    info[21] = (uint8_t)(VDM_DOS_SEG >> 8);
    info[22] = ','; /* data list separator */
    vm_write(s->mem, r->ds, r->dx, info, sizeof(info));
    r->bx = 1;
    return dosp_ok(r);
}

int do_list_of_lists(dos_server_t *s, dos_regs_t *r)
{
    dosp_logf(s, 0x2152, "INT 21h AH=52h: only the first MCB, LASTDRIVE and NUL are filled in");
    r->es = VDM_DOS_SEG;
    r->bx = DOSSEG_LOL;
    return DOS_CALL_DONE;
}

int do_ext_error(dos_server_t *s, dos_regs_t *r)
{
    r->ax = s->err_code;
    r->bh = s->err_class;
    r->bl = s->err_action;
    r->ch = s->err_locus;
    return DOS_CALL_DONE;
}

int do_code_page(dos_server_t *s, dos_regs_t *r)
{
    if (r->al == 0x01) {
        r->bx = r->dx = 437;
        return dosp_ok(r);
    }
    if (r->al == 0x02)
        return r->bx == 437 ? dosp_ok(r) : dosp_fail(s, r, DOS_ENOENT);
    return dosp_fail(s, r, DOS_EINVFN);
}
