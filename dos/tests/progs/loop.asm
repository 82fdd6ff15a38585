; loop: never ends by itself. With tail "H" it halts with interrupts off,
; otherwise it spins: the embedder's budget or time limit must stop it.
%include "macros.inc"
    org 100h
    cmp byte [82h], 'H'
    je .halt
.spin:
    jmp .spin
.halt:
    cli
    hlt
    jmp .halt
