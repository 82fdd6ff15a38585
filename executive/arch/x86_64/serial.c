/*
 * 16550 UARTs. The kernel log goes to COM1, or to COM2 with the command
 * line option klog=com2 (so that `./persona run` can keep a program's
 * output on COM1 apart from system messages). Output is polled: the kernel
 * never waits for an interrupt to print, so a panic always gets out. COM1's
 * input belongs to the user-mode console server.
 */
#include "x86.h"
#include <stdio.h>

#define COM1 0x3f8
#define COM2 0x2f8

static uint16_t log_port = COM1;

enum {
    UART_DATA = 0,
    UART_IER = 1,
    UART_FCR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
};

static void uart_init(uint16_t base)
{
    outb(base + UART_IER, 0x00);
    outb(base + UART_LCR, 0x80);
    outb(base + 0, 0x01);
    outb(base + 1, 0x00);
    outb(base + UART_LCR, 0x03);
    outb(base + UART_FCR, 0xc7);
    outb(base + UART_MCR, 0x0b);
}

void arch_serial_log_to_com2(void)
{
    uart_init(COM2);
    log_port = COM2;
}

void arch_serial_init(void)
{
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, 0x80); /* divisor latch */
    outb(COM1 + 0, 0x01);        /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + UART_LCR, 0x03); /* 8N1 */
    /* FCR is left alone: switching the FIFO on or off empties it, and the
     * host may have sent input already (a pipe into ./persona run). */
    outb(COM1 + UART_MCR, 0x0b); /* DTR, RTS, OUT2 (IRQ line enabled) */
    outb(COM1 + UART_IER, 0x01); /* interrupt on received data */
}

void arch_serial_putc(char c)
{
    if (c == '\n' && log_port == COM1)
        arch_serial_putc('\r');
    for (int spin = 0; spin < 100000 && !(inb(log_port + UART_LSR) & 0x20); spin++)
        ;
    outb(log_port + UART_DATA, (uint8_t)c);
}

int arch_serial_getc(void)
{
    if (!(inb(COM1 + UART_LSR) & 0x01))
        return -1;
    return inb(COM1 + UART_DATA);
}

/* The exit status for the launcher, on COM3 (absent unless QEMU has it). */
void arch_serial_report_status(int64_t status)
{
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "exit %lld\n", (long long)status);

    for (int i = 0; i < n; i++) {
        for (int spin = 0; spin < 100000 && !(inb(0x3e8 + UART_LSR) & 0x20); spin++)
            ;
        outb(0x3e8, (uint8_t)buf[i]);
    }
}
