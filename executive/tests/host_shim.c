/*
 * Lets pure executive code (frame database, handle tables, namespace, rtl)
 * run in host unit tests: the heap is malloc (objects report their own
 * destruction, which the tests count), console output is stdout,
 * panic fails the test through cmocka.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel.h"

void *kmalloc(size_t n);
void *kzalloc(size_t n);
void kfree(void *p);
char *kstrdup(const char *s);

void *kmalloc(size_t n)
{
    return malloc(n ? n : 1);
}

void *kzalloc(size_t n)
{
    return calloc(1, n ? n : 1);
}

void kfree(void *p)
{
    if (p)
        free(p);
}

char *kstrdup(const char *s)
{
    char *d = kmalloc(strlen(s) + 1);
    strcpy(d, s);
    return d;
}

void kvprintf(const char *fmt, va_list ap)
{
    vprintf(fmt, ap);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;
    char buf[256];
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    fail_msg("panic: %s", buf);
    abort();
}
