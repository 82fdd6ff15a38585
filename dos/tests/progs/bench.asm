; bench: the loads of `./persona bench dos`. "BENCH C n" runs n passes of
; the cpu86-bench workload (dos/cpu/bench/workload.inc) on a 64 KiB data
; segment above the program; "BENCH D n" makes n DOS calls (INT 21h
; AH=30h, get version: the cheapest round trip to DOS). Each says what it
; did; the return code is 0, or 1 for a bad command line.
%include "macros.inc"
    org 100h
    mov si, 83h                 ; the count, after the letter at 82h
    call number
    mov bp, ax
    test bp, bp
    jz usage
    mov cx, bp
    cmp byte [82h], 'C'
    je run_cpu
    cmp byte [82h], 'D'
    je run_dos
usage:
    say 'usage: BENCH C|D COUNT'
    call crlf
    exit 1

run_cpu:
    push cx
    mov ax, cs
    add ax, 1000h
    mov ds, ax
    mov es, ax
    cld
    call workload_fill
.pass:
    call workload_pass
    dec bp
    jnz .pass
    push cs
    pop ds
    push cs
    pop es
    say 'workload passes: '
    pop ax
    call dec16
    call crlf
    exit 0

run_dos:
    push cx
.call:
    mov ah, 30h
    int 21h
    dec bp
    jnz .call
    say 'DOS calls: '
    pop ax
    call dec16
    call crlf
    exit 0

%include "workload.inc"
%include "lib.inc"
