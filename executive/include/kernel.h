/*
 * Basic definitions every executive file uses: fixed-width types, common
 * macros, the status codes and the kernel's printing and panic entry points.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <persona/status.h>

#define ARRAY_SIZE(a)         (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)        (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a)      ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a)      (((x) & ((__typeof__(x))(a)-1)) == 0)
#define MIN(a, b)             ((a) < (b) ? (a) : (b))
#define MAX(a, b)             ((a) > (b) ? (a) : (b))
#define container_of(p, T, m) ((T *)((char *)(p)-offsetof(T, m)))
#define likely(x)             __builtin_expect(!!(x), 1)
#define unlikely(x)           __builtin_expect(!!(x), 0)
#define NORETURN              __attribute__((noreturn))
#define UNUSED                __attribute__((unused))
#define PACKED                __attribute__((packed))

#define PAGE_SIZE  4096ul
#define PAGE_SHIFT 12

typedef int status_t;

/* The English text of a status code, from <persona/status.h>. */
const char *status_text(status_t st);

/* Formatted output to the kernel console (serial port). */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);

/* Stops the system with a register dump and backtrace; never returns. */
NORETURN void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define ASSERT(cond)                                                           \
    do {                                                                       \
        if (unlikely(!(cond)))                                                 \
            panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); \
    } while (0)

#endif
