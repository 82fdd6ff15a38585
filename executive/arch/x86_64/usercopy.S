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
FUNCTION(usercopy)
    SMAP_OPEN
    movq %rdx, %rcx
1:  rep movsb
    SMAP_CLOSE
    movq %rcx, %rax
    ret
2:  SMAP_CLOSE
    movq %rcx, %rax
    ret

FUNCTION(userclear)
    SMAP_OPEN
    movq %rsi, %rcx
    xorl %eax, %eax
3:  rep stosb
    SMAP_CLOSE
    movq %rcx, %rax
    ret
4:  SMAP_CLOSE
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
    .quad 1b, 2b
    .quad 3b, 4b
    .quad 6b, 8b
