/*
 * The periodic tick and the legacy interrupt controller: the 8259 PICs are
 * remapped to vectors 32..47 and the PIT's channel 0 interrupts at TICK_HZ.
 * The TSC is calibrated against the PIT so that arch_ns() gives a fine
 * monotonic clock. Under QEMU with -icount the TSC counts instructions and
 * virtual time follows it, so the calibration stays consistent.
 */
#include "x86.h"

#define TICK_HZ  1000
#define PIT_HZ   1193182
#define PIC1     0x20
#define PIC2     0xa0
#define IRQ_BASE 32

void arch_rtc_init(void);

static irq_handler_t irq_handlers[16];
static uint16_t pic_mask = 0xffff & ~(1 << 2); /* cascade line open */
static uint64_t tsc_per_ms = 1000000;
static uint64_t tsc_at_boot;

static void pic_write_mask(void)
{
    outb(PIC1 + 1, pic_mask & 0xff);
    outb(PIC2 + 1, pic_mask >> 8);
}

void pic_init(void)
{
    outb(PIC1, 0x11);
    outb(PIC2, 0x11);
    outb(PIC1 + 1, IRQ_BASE);
    outb(PIC2 + 1, IRQ_BASE + 8);
    outb(PIC1 + 1, 4);
    outb(PIC2 + 1, 2);
    outb(PIC1 + 1, 1);
    outb(PIC2 + 1, 1);
    pic_write_mask();
}

void pic_unmask(int irq)
{
    pic_mask &= (uint16_t) ~(1u << irq);
    pic_write_mask();
}

void pic_eoi(int irq)
{
    if (irq >= 8)
        outb(PIC2, 0x20);
    outb(PIC1, 0x20);
}

void arch_irq_register(int irq, irq_handler_t fn)
{
    if (irq < 0 || irq >= 16)
        return;
    irq_handlers[irq] = fn;
    pic_unmask(irq);
}

void arch_irq_mask(int irq)
{
    pic_mask |= (uint16_t)(1u << irq);
    pic_write_mask();
}

void arch_irq_unmask(int irq)
{
    pic_unmask(irq);
}

/* Called by trap_dispatch for vectors 32..47. */
void arch_irq_dispatch(int irq)
{
    /* Spurious IRQ 7/15: the PIC's in-service bit is clear. */
    if (irq == 7 || irq == 15) {
        uint16_t port = irq == 7 ? PIC1 : PIC2;
        outb(port, 0x0b);
        if (!(inb(port) & 0x80)) {
            if (irq == 15)
                outb(PIC1, 0x20);
            return;
        }
    }
    pic_eoi(irq);
    if (irq_handlers[irq])
        irq_handlers[irq](irq);
}

static void calibrate_tsc(void)
{
    /* PIT channel 2, gated by port 0x61, counting down 2 ms once (long
     * enough for a 0.1% estimate, short enough not to slow the boot). */
    uint16_t count = PIT_HZ / 500;
    uint8_t gate = inb(0x61);
    uint64_t t0, t1;

    outb(0x61, (gate & ~0x02) | 0x01);
    outb(0x43, 0xb0); /* channel 2, lo/hi, mode 0 */
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    t0 = rdtsc();
    while (!(inb(0x61) & 0x20))
        ;
    t1 = rdtsc();
    outb(0x61, gate);
    if (t1 > t0)
        tsc_per_ms = (t1 - t0) / 2;
    if (tsc_per_ms == 0)
        tsc_per_ms = 1;
}

void arch_timer_init(void)
{
    uint16_t div = PIT_HZ / TICK_HZ;

    pic_init();
    tsc_at_boot = rdtsc();
    calibrate_tsc();
    outb(0x43, 0x34); /* channel 0, lo/hi, rate generator */
    outb(0x40, div & 0xff);
    outb(0x40, div >> 8);
    kprintf("timer: PIT at %d Hz, TSC %llu kHz\n", TICK_HZ, (unsigned long long)tsc_per_ms);
    arch_rtc_init();
}

uint32_t arch_tick_hz(void)
{
    return TICK_HZ;
}

uint64_t arch_ns(void)
{
    uint64_t t = rdtsc() - tsc_at_boot;

    /* t / tsc_per_ms ms, without overflowing t * 1e6 */
    return (t / tsc_per_ms) * 1000000 + (t % tsc_per_ms) * 1000000 / tsc_per_ms;
}

uint64_t arch_tsc_khz(void)
{
    return tsc_per_ms;
}

/* ---- CMOS real-time clock, read once at boot for the wall clock ---- */

static uint64_t realtime_at_boot_ns;

static uint8_t cmos_read(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static unsigned from_bcd(uint8_t v, bool bcd)
{
    return bcd ? (v & 0x0f) + (v >> 4) * 10 : v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_from_civil(unsigned y, unsigned m, unsigned d)
{
    y -= m <= 2;
    uint64_t era = y / 400;
    unsigned yoe = y - era * 400;
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void arch_rtc_init(void)
{
    uint8_t sec, min, hour, day, mon, year, regb;

    for (int spin = 0; spin < 1000000 && (cmos_read(0x0a) & 0x80); spin++)
        ;
    sec = cmos_read(0x00);
    min = cmos_read(0x02);
    hour = cmos_read(0x04);
    day = cmos_read(0x07);
    mon = cmos_read(0x08);
    year = cmos_read(0x09);
    regb = cmos_read(0x0b);
    bool bcd = !(regb & 0x04);
    bool pm = !(regb & 0x02) && (hour & 0x80);
    unsigned h = from_bcd(hour & 0x7f, bcd);
    if (!(regb & 0x02))
        h = (h % 12) + (pm ? 12 : 0);
    uint64_t days =
        days_from_civil(2000 + from_bcd(year, bcd), from_bcd(mon, bcd), from_bcd(day, bcd));
    uint64_t secs = days * 86400 + h * 3600 + from_bcd(min, bcd) * 60 + from_bcd(sec, bcd);
    realtime_at_boot_ns = secs * 1000000000ull - arch_ns();
}

uint64_t arch_realtime_base_ns(void)
{
    return realtime_at_boot_ns;
}
