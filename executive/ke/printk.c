/*
 * Kernel console output: kprintf() and friends write to the serial port.
 * Output from user mode (the debug-write system call) and from the kernel
 * share one line discipline, so lines from different sources never mix
 * within a line written in one call.
 */
#include "ke.h"
#include <stdio.h>

static bool panicking;

static void emit(void *ctx, char c)
{
    (void)ctx;
    arch_serial_putc(c);
}

void kvprintf(const char *fmt, va_list ap)
{
    rtl_vformat(emit, NULL, fmt, ap);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void ke_console_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        arch_serial_putc(buf[i]);
}

void ke_panic_begin(void)
{
    if (panicking) {
        kprintf("\nPANIC while panicking\n");
        arch_debug_exit(2);
    }
    panicking = true;
}

NORETURN void ke_panic_end(void)
{
    kprintf("system halted\n");
    arch_debug_exit(2);
}

NORETURN void panic(const char *fmt, ...)
{
    va_list ap;
    uint64_t rbp;

    ke_panic_begin();
    kprintf("\nPANIC: ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    __asm__ volatile("mov %%rbp, %0" : "=r"(rbp));
    arch_backtrace(rbp, (uint64_t)__builtin_return_address(0));
    ke_panic_end();
}

const char *status_text(status_t st)
{
    switch (st) {
#define CASE(name, value, text) \
    case value:                 \
        return text;
        PERSONA_STATUSES(CASE)
#undef CASE
    }
    return "unknown status";
}
