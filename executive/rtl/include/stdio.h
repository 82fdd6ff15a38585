/*
 * Formatting without streams: the part of <stdio.h> that both the
 * executive and user programs share (rtl/format.c). User programs get
 * printf-style output from the native runtime's own header.
 */
#ifndef RTL_STDIO_H
#define RTL_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Streaming formatter: calls emit(ctx, c) for every character produced.
 * Supports %c %s %d %i %u %x %X %o %p %% with flags '-', '0', ' ', '+',
 * '#', width and precision ('*' too), and length modifiers hh h l ll z t j.
 * Returns the number of characters produced.
 */
int rtl_vformat(void (*emit)(void *ctx, char c), void *ctx, const char *fmt, va_list ap);

#endif
