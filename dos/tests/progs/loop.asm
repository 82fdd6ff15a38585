; loop: never ends by itself. With tail "H" it halts with interrupts off;
; with "B" it turns BREAK on and calls DOS (AH=2Ch) for ever, so that
; only a Ctrl-C (DOS's check, then INT 23h) or the embedder ends it;
; otherwise it spins: the embedder's budget or time limit must stop it.
%include "macros.inc"
    org 100h
    cmp byte [82h], 'H'
    je .halt
    cmp byte [82h], 'B'
    je .calls
.spin:
    jmp .spin
.halt:
    cli
    hlt
    jmp .halt
.calls:
    mov ax, 3301h
    mov dl, 1
    int 21h
.again:
    mov ah, 2Ch
    int 21h
    jmp .again
