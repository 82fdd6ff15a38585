/*
 * The fiber switch (see <native/fiber.h>).
 *
 *   void fiber_switch(fiber_t *from, fiber_t *to)
 *
 * Pushes the callee-saved registers on the running stack, stores the stack
 * pointer in from->rsp (offset 0), loads to->rsp and pops to's registers:
 * the `ret` returns into to's own fiber_switch call, or, for a new fiber,
 * into fiber_entry with fn in r12 and arg in r13 (fiber_create lays out
 * that first frame).
 */
    .text
    .globl fiber_switch
    .type fiber_switch, @function
fiber_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, 0(%rdi)
    movq 0(%rsi), %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size fiber_switch, . - fiber_switch

/* A new fiber's first instruction: fn(arg), which must not return. */
    .globl fiber_entry
    .type fiber_entry, @function
fiber_entry:
    movq %r13, %rdi
    callq *%r12
    ud2
    .size fiber_entry, . - fiber_entry

    .section .note.GNU-stack, "", @progbits
