/*
 * The 16550 UART on COM1, driven from user mode through the I/O ports the
 * executive granted this server. Received bytes raise IRQ 4, which arrives
 * as a notification on the console port.
 */
#include "console_internal.h"
#include <portio.h>

#define COM1 0x3f8

void uart_init(void)
{
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x80);
    outb(COM1 + 0, 0x01);
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);
    /* FCR untouched: toggling the FIFO would drop input already received. */
    outb(COM1 + 4, 0x0b);
    outb(COM1 + 1, 0x01); /* interrupt on received data */
}

void uart_putc(char c)
{
    for (int spin = 0; spin < 100000 && !(inb(COM1 + 5) & 0x20); spin++)
        ;
    outb(COM1, (uint8_t)c);
}

int uart_getc(void)
{
    if (!(inb(COM1 + 5) & 0x01))
        return -1;
    return inb(COM1);
}
