/*
 * The register frame saved on a thread's kernel stack on every entry from
 * user mode (interrupt, exception or syscall) and restored on the way out.
 * entry.S builds it; the field order is its push order, reversed.
 */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include <stdint.h>

typedef struct trapframe {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector; /* TRAP_SYSCALL for the syscall instruction */
    uint64_t error;
    uint64_t rip, cs, rflags, rsp, ss;
} trapframe_t;
_Static_assert(sizeof(trapframe_t) == 22 * 8, "trapframe layout is fixed by entry.S");

#define TRAP_SYSCALL 0x100

/* Bits of RFLAGS a user thread may control. */
#define RFLAGS_USER_MASK 0x0000000000000CD5ull /* CF PF AF ZF SF DF OF */
#define RFLAGS_TF        0x100ull
#define RFLAGS_IF        0x200ull
#define RFLAGS_AC        0x40000ull

static inline int frame_from_user(const trapframe_t *f)
{
    return (f->cs & 3) == 3;
}

#endif
