/*
 * Entry point of every native program. The kernel (or a user-mode loader)
 * starts a program with the System V stack: argc, argv[], NULL, envp[],
 * NULL, auxv. __native_start() finds them and calls main().
 */
    .text
    .globl _start
    .type _start, @function
_start:
    xorl %ebp, %ebp
    movq %rsp, %rdi
    andq $-16, %rsp
    call __native_start
    ud2
    .section .note.GNU-stack, "", @progbits
