/*
 * Fibers: stacks of their own inside one thread, switched explicitly. A
 * server runs a long call on a fiber so that the call can stop in the
 * middle (to ask its client for something), the server can serve other
 * messages meanwhile, and the call resumes where it stopped. No thread
 * runs two fibers at once, so state shared between fibers needs no lock,
 * only care about what may change across a switch.
 *
 * A switch keeps the callee-saved registers (rbx, rbp, r12-r15) and the
 * stack pointer: to the compiler it is an ordinary call. The x87 control
 * word and MXCSR are not switched; fibers must leave them alone.
 *
 * Entry points: fiber_create, fiber_switch, fiber_destroy.
 */
#ifndef NATIVE_FIBER_H
#define NATIVE_FIBER_H

#include <stddef.h>
#include <stdint.h>

typedef struct fiber {
    uint64_t rsp;      /* while switched out: its stack pointer, registers below it */
    uint64_t stack;    /* the mapping, guard page included; 0 for a thread's own stack */
    size_t stack_size; /* bytes usable, without the guard page */
} fiber_t;

/*
 * Makes f ready to run fn(arg) on a fresh stack of stack_size bytes (a
 * multiple of the page size) with an unmapped guard page below it, so an
 * overflow faults instead of writing over other memory. fn runs at the
 * first switch to f and must never return: it switches away for good.
 */
long fiber_create(fiber_t *f, size_t stack_size, void (*fn)(void *), void *arg);

/* Saves the running context in from and continues to. from may be a
 * zeroed fiber_t standing for the thread's own stack. */
void fiber_switch(fiber_t *from, fiber_t *to);

/* Frees f's stack. f must not be running, and whatever it was doing is
 * abandoned where it stopped. */
void fiber_destroy(fiber_t *f);

#endif
