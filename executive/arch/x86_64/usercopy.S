/*
 * Raw copies between kernel and user memory. Each possibly-faulting
 * instruction has an entry in the exception table (.extable): a page fault
 * there is first offered to mm, and if mm cannot resolve it, execution
 * resumes at the fix-up, which returns the number of bytes NOT copied.
 * SMAP is lifted (stac) only for the duration of the copy.
 *
 *   size_t usercopy(void *dst, const void *src, size_t n)
 *   size_t userclear(void *dst, size_t n)
 *   long   userstrcpy(char *dst, const char *usrc, size_t max)
 *          -> length copied without the NUL, -1 on fault, max if too long
 */
#include "asm.h"

.macro SMAP_OPEN
    testb $1, cpu_has_smap(%rip)
    jz 98f
    stac
98:
.endm
.macro SMAP_CLOSE
    testb $1, cpu_has_smap(%rip)
    jz 99f
    clac
99:
.endm

    .text
/*
 * Whole 32-byte blocks through four registers, then 8-byte words, then
 * bytes: plain moves, which QEMU's TCG runs several times faster than
 * rep movsb (one iteration per byte there). A fault counts the block or
 * word it hit, and all after it, as not copied.
 */
FUNCTION(usercopy)
    SMAP_OPEN
    movq %rdx, %rcx
    shrq $5, %rcx
    jz 20f
10: movq (%rsi), %rax
11: movq 8(%rsi), %r8
12: movq 16(%rsi), %r9
13: movq 24(%rsi), %r10
14: movq %rax, (%rdi)
15: movq %r8, 8(%rdi)
16: movq %r9, 16(%rdi)
17: movq %r10, 24(%rdi)
    addq $32, %rsi
    addq $32, %rdi
    decq %rcx
    jnz 10b
20: andq $31, %rdx
    movq %rdx, %rcx
    shrq $3, %rcx
    jz 30f
21: movq (%rsi), %rax
22: movq %rax, (%rdi)
    addq $8, %rsi
    addq $8, %rdi
    decq %rcx
    jnz 21b
30: andq $7, %rdx
    movq %rdx, %rcx
31: rep movsb
    SMAP_CLOSE
    movq %rcx, %rax
    ret
40: SMAP_CLOSE                  /* fault in a block: rcx blocks + rdx & 31 */
    shlq $5, %rcx
    andq $31, %rdx
    leaq (%rcx, %rdx), %rax
    ret
41: SMAP_CLOSE                  /* fault in a word: rcx words + rdx & 7 */
    shlq $3, %rcx
    andq $7, %rdx
    leaq (%rcx, %rdx), %rax
    ret
42: SMAP_CLOSE                  /* fault in the tail: rcx bytes */
    movq %rcx, %rax
    ret

FUNCTION(userclear)
    SMAP_OPEN
    movq %rsi, %rcx
    shrq $3, %rcx
    jz 52f
    xorl %eax, %eax
50: movq %rax, (%rdi)
    addq $8, %rdi
    decq %rcx
    jnz 50b
52: andq $7, %rsi
    movq %rsi, %rcx
    xorl %eax, %eax
53: rep stosb
    SMAP_CLOSE
    movq %rcx, %rax
    ret
54: SMAP_CLOSE                  /* fault in a word: rcx words + rsi & 7 */
    shlq $3, %rcx
    andq $7, %rsi
    leaq (%rcx, %rsi), %rax
    ret
55: SMAP_CLOSE
    movq %rcx, %rax
    ret

FUNCTION(userstrcpy)
    SMAP_OPEN
    xorl %eax, %eax
5:  cmpq %rdx, %rax
    je 7f
6:  movb (%rsi, %rax), %cl
    movb %cl, (%rdi, %rax)
    testb %cl, %cl
    jz 7f
    incq %rax
    jmp 5b
7:  SMAP_CLOSE
    ret
8:  SMAP_CLOSE
    movq $-1, %rax
    ret

    .section .extable, "a"
    .balign 8
    .quad 10b, 40b
    .quad 11b, 40b
    .quad 12b, 40b
    .quad 13b, 40b
    .quad 14b, 40b
    .quad 15b, 40b
    .quad 16b, 40b
    .quad 17b, 40b
    .quad 21b, 41b
    .quad 22b, 41b
    .quad 31b, 42b
    .quad 50b, 54b
    .quad 53b, 55b
    .quad 6b, 8b
