/*
 * The BIOS apart from video and keyboard: the vector table and data area
 * at power-on, the service dispatch, equipment and memory size, the clock
 * (INT 1Ah and the timer interrupt that keeps the tick count), and honest
 * refusals for what a VDM has no hardware for (disks, serial ports,
 * printers, extended memory, ROM BASIC).
 *
 * Entry points: vdmp_bios_init, vdmp_bios_service, vdmp_timer,
 * vdmp_timer_tick.
 */
#include <string.h>

#include "vdmp.h"

static void set_vector(vdm_t *v, uint8_t n, uint16_t seg, uint16_t off)
{
    vm_wr16(v->mem, 0, (uint16_t)(n * 4), off);
    vm_wr16(v->mem, 0, (uint16_t)(n * 4 + 2), seg);
}

static void bios_code(vdm_t *v, uint16_t off, const uint8_t *code, size_t n)
{
    vm_write(v->mem, VDM_BIOS_SEG, off, code, n);
}

/* Vectors the BIOS services in C. */
static const uint8_t serviced[] = {0x06, 0x10, 0x11, 0x12, 0x13, 0x14,
                                   0x15, 0x16, 0x17, 0x18, 0x19, 0x1A};

void vdmp_bios_init(vdm_t *v)
{
    static const uint8_t iret[] = {0xCF};
    static const uint8_t timer[] = {0x0F, 0xFF, HC_TIMER_TICK, 0xCD, 0x1C, 0xCF};
    static const uint8_t reset[] = {0x0F, 0xFF, HC_RESET}; /* JMP FFFF:0 lands here */
    static const char date[] = "01/10/92";

    bios_code(v, BIOS_IRET_OFF, iret, sizeof(iret));
    bios_code(v, BIOS_TIMER_OFF, timer, sizeof(timer));
    bios_code(v, 0xFFF0, reset, sizeof(reset));
    bios_code(v, 0xFFF5, (const uint8_t *)date, 8);
    vm_wr8(v->mem, VDM_BIOS_SEG, 0xFFFE, 0xFC); /* model byte: an AT */

    /*
     * Interrupts and the software vectors DOS programs call blindly go to
     * the dummy IRET; data pointers (1Dh-1Fh, 41h, 43h...) and the user
     * vectors stay 0 as on a real machine, where programs test for that.
     */
    for (unsigned n = 0; n < 256; n++) {
        bool dummy = n <= 0x1C || (n >= 0x20 && n <= 0x3F) || n == 0x40 || n == 0x42 || n == 0x4A ||
                     (n >= 0x70 && n <= 0x77);
        set_vector(v, (uint8_t)n, dummy ? VDM_BIOS_SEG : 0, dummy ? BIOS_IRET_OFF : 0);
    }
    for (size_t i = 0; i < sizeof(serviced); i++) {
        uint8_t n = serviced[i];
        uint16_t off = (uint16_t)(BIOS_STUB_BASE + 4 * n);
        const uint8_t stub[] = {0x0F, 0xFF, n, 0xCF};
        bios_code(v, off, stub, sizeof(stub));
        set_vector(v, n, VDM_BIOS_SEG, off);
    }
    set_vector(v, 0x08, VDM_BIOS_SEG, BIOS_TIMER_OFF);

    bda_wr16(v, BDA_EQUIPMENT, 0x0020); /* no floppy, no FPU, 80x25 colour */
    bda_wr16(v, BDA_MEMSIZE, VDM_MEM_TOP / 64);
    vdmp_timer_tick(v);
}

/* ---- the clock ---- */

static int64_t now_ms(vdm_t *v)
{
    dos_clock_t c;

    v->host.clock(v->ctx, &c);
    return dc_to_ms(&c) + v->clock_offset_ms;
}

static uint32_t ticks_of(int64_t ms)
{
    return (uint32_t)((uint64_t)(ms % DC_MS_PER_DAY) * TICKS_PER_DAY / DC_MS_PER_DAY);
}

/* Moves the BIOS clock to `want` (ms since 1980) without touching the host's. */
static void set_clock(vdm_t *v, int64_t want)
{
    v->clock_offset_ms += want - now_ms(v);
    v->last_tick = ticks_of(want);
    vm_wr32(v->mem, VDM_BDA_SEG, BDA_TICKS, v->last_tick);
}

/* Raises IRQ 0 when the tick count has moved since the last one. */
void vdmp_timer(vdm_t *v)
{
    if (!v->timer_enabled || cpu86_irq_pending(&v->cpu))
        return;
    uint32_t t = ticks_of(now_ms(v));
    if (t != v->last_tick) {
        v->last_tick = t;
        cpu86_irq(&v->cpu, 0x08);
    }
}

/* The BIOS part of INT 08h: bring the tick count up to date. */
void vdmp_timer_tick(vdm_t *v)
{
    uint32_t t = ticks_of(now_ms(v));

    if (t < vm_rd32(v->mem, VDM_BDA_SEG, BDA_TICKS))
        bda_wr8(v, BDA_MIDNIGHT, 1);
    vm_wr32(v->mem, VDM_BDA_SEG, BDA_TICKS, t);
}

static uint8_t bcd(unsigned x)
{
    return (uint8_t)((x / 10 % 10) << 4 | x % 10);
}

static bool from_bcd(uint8_t b, unsigned *x)
{
    if ((b & 0xF) > 9 || (b >> 4) > 9)
        return false;
    *x = (b >> 4) * 10u + (b & 0xF);
    return true;
}

static void int1a(vdm_t *v, dos_regs_t *r)
{
    int64_t ms = now_ms(v);
    dos_clock_t c;
    unsigned h, m, s, cent, y, mon, d;

    dc_from_ms(ms, &c);
    r->flags &= ~DOS_FLAG_CF;
    switch (r->ah) {
    case 0x00:
        vdmp_timer_tick(v);
        r->cx = (uint16_t)(vm_rd32(v->mem, VDM_BDA_SEG, BDA_TICKS) >> 16);
        r->dx = (uint16_t)vm_rd32(v->mem, VDM_BDA_SEG, BDA_TICKS);
        r->al = bda_rd8(v, BDA_MIDNIGHT);
        bda_wr8(v, BDA_MIDNIGHT, 0);
        break;
    case 0x01: {
        uint32_t t = (uint32_t)r->cx << 16 | r->dx;
        if (t >= TICKS_PER_DAY)
            t = TICKS_PER_DAY - 1;
        set_clock(v, ms - c.ms + (int64_t)((uint64_t)t * DC_MS_PER_DAY / TICKS_PER_DAY));
        break;
    }
    case 0x02:
        r->ch = bcd(c.ms / 3600000);
        r->cl = bcd(c.ms / 60000 % 60);
        r->dh = bcd(c.ms / 1000 % 60);
        r->dl = 0;
        break;
    case 0x03:
        if (!from_bcd(r->ch, &h) || !from_bcd(r->cl, &m) || !from_bcd(r->dh, &s) || h > 23 ||
            m > 59 || s > 59) {
            r->flags |= DOS_FLAG_CF;
            break;
        }
        set_clock(v, ms - c.ms + (int64_t)(h * 3600 + m * 60 + s) * 1000);
        break;
    case 0x04:
        r->ch = bcd(c.year / 100);
        r->cl = bcd(c.year % 100);
        r->dh = bcd(c.month);
        r->dl = bcd(c.day);
        break;
    case 0x05:
        if (!from_bcd(r->ch, &cent) || !from_bcd(r->cl, &y) || !from_bcd(r->dh, &mon) ||
            !from_bcd(r->dl, &d) || !dc_valid_date(cent * 100 + y, mon, d)) {
            r->flags |= DOS_FLAG_CF;
            break;
        }
        c.year = (uint16_t)(cent * 100 + y);
        c.month = (uint8_t)mon;
        c.day = (uint8_t)d;
        set_clock(v, dc_to_ms(&c));
        break;
    default:
        /* The RTC alarm (06h, 07h) and later additions: no such hardware. */
        vdmp_logf(v, 0x1A00u | r->ah, "INT 1Ah AH=%02Xh is not supported", r->ah);
        r->flags |= DOS_FLAG_CF;
        break;
    }
}

/* ---- system services ---- */

static void wait_us(vdm_t *v, uint32_t us)
{
    if (us > 60000000u)
        us = 60000000u;
    int64_t end = now_ms(v) + us / 1000;

    while (now_ms(v) < end && !v->stop_requested && v->host.idle != NULL)
        v->host.idle(v->ctx, 10000);
}

static void int15(vdm_t *v, dos_regs_t *r)
{
    r->flags &= ~DOS_FLAG_CF;
    switch (r->ah) {
    case 0x4F: /* keyboard intercept: let the key through */
        r->flags |= DOS_FLAG_CF;
        break;
    case 0x86:
        wait_us(v, (uint32_t)r->cx << 16 | r->dx);
        break;
    case 0x88: /* extended memory above 1 MiB: a VDM has none */
        r->ax = 0;
        break;
    case 0x90: /* device busy / interrupt complete: OS hooks, nothing to do */
    case 0x91:
        r->ah = 0;
        break;
    default:
        vdmp_logf(v, 0x1500u | r->ah, "INT 15h AH=%02Xh is not supported", r->ah);
        r->ah = 0x86;
        r->flags |= DOS_FLAG_CF;
        break;
    }
}

/* Returns false for vectors that are not the BIOS's: DOS gets those. */
bool vdmp_bios_service(vdm_t *v, uint8_t vec, dos_regs_t *r)
{
    uint8_t code[4];

    switch (vec) {
    case 0x06:
        vm_read(v->mem, r->cs, r->ip, code, sizeof(code));
        vdmp_halt(v, VDM_HALTED, "invalid opcode %02X %02X %02X %02X at %04X:%04X", code[0],
                  code[1], code[2], code[3], r->cs, r->ip);
        break;
    case 0x10:
        vdmp_int10(v, r);
        break;
    case 0x11:
        r->ax = bda_rd16(v, BDA_EQUIPMENT);
        break;
    case 0x12:
        r->ax = bda_rd16(v, BDA_MEMSIZE);
        break;
    case 0x13:
        vdmp_logf(v, 0x1300u | r->ah, "INT 13h AH=%02Xh: the VDM has no BIOS disks", r->ah);
        r->ah = 0x01;
        bda_wr8(v, BDA_DISK_STATUS, 0x01);
        r->flags |= DOS_FLAG_CF;
        break;
    case 0x14:
        vdmp_logf(v, 0x1400u | r->ah, "INT 14h AH=%02Xh: the VDM has no serial ports", r->ah);
        r->ah = 0x80; /* timeout */
        break;
    case 0x15:
        int15(v, r);
        break;
    case 0x16:
        vdmp_int16(v, r);
        break;
    case 0x17:
        vdmp_logf(v, 0x1700u | r->ah, "INT 17h AH=%02Xh: the VDM has no printer", r->ah);
        r->ah = 0x09; /* timeout, I/O error */
        break;
    case 0x18:
        vdmp_halt(v, VDM_HALTED, "INT 18h at %04X:%04X: no ROM BASIC", r->cs, r->ip);
        break;
    case 0x19:
        vdmp_halt(v, VDM_HALTED, "the program at %04X:%04X asked to reboot", r->cs, r->ip);
        break;
    case 0x1A:
        int1a(v, r);
        break;
    default:
        return false;
    }
    return true;
}
