/* Small arch operations that portable hot paths inline (via arch.h). */
#ifndef ARCH_INLINE_H
#define ARCH_INLINE_H

#include <stdint.h>

/* A free-running cycle counter (the TSC). */
static inline uint64_t arch_cycles(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* Switches to the page-table root unless it is already current. */
static inline void arch_pt_activate(uint64_t root)
{
    uint64_t cr3;

    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    if (cr3 != root)
        __asm__ volatile("mov %0, %%cr3" : : "r"(root) : "memory");
}

#endif
