/*
 * 16550 UART on COM1: the kernel console. Output is polled (the kernel never
 * waits for an interrupt to print, so a panic always gets out); input is
 * read by the IRQ 4 handler that the console path registers.
 */
#include "x86.h"

#define COM1 0x3f8

enum {
    UART_DATA = 0,
    UART_IER = 1,
    UART_FCR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
};

void arch_serial_init(void)
{
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, 0x80); /* divisor latch */
    outb(COM1 + 0, 0x01);        /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + UART_LCR, 0x03); /* 8N1 */
    outb(COM1 + UART_FCR, 0xc7); /* FIFO on, cleared, 14-byte threshold */
    outb(COM1 + UART_MCR, 0x0b); /* DTR, RTS, OUT2 (IRQ line enabled) */
    outb(COM1 + UART_IER, 0x01); /* interrupt on received data */
}

void arch_serial_putc(char c)
{
    if (c == '\n')
        arch_serial_putc('\r');
    for (int spin = 0; spin < 100000 && !(inb(COM1 + UART_LSR) & 0x20); spin++)
        ;
    outb(COM1 + UART_DATA, (uint8_t)c);
}

int arch_serial_getc(void)
{
    if (!(inb(COM1 + UART_LSR) & 0x01))
        return -1;
    return inb(COM1 + UART_DATA);
}
