; lines: reads lines from standard input with AH=0Ah until an empty one
; and writes each back in capitals after "> "; the return code is the
; number of lines. Standard input may be the keyboard or a file.
%include "macros.inc"
    org 100h
    xor bp, bp
.next:
    mov ah, 0Ah
    mov dx, line
    int 21h
    mov dl, 10                  ; AH=0Ah echoes CR only
    call putc
    xor bx, bx
    mov bl, [line + 1]
    test bx, bx
    jz .done
    inc bp
    mov byte [line + 2 + bx], '$'
    mov si, line + 2
.upper:
    mov al, [si]
    cmp al, '$'
    je .show
    cmp al, 'a'
    jb .keep
    cmp al, 'z'
    ja .keep
    sub byte [si], 'a' - 'A'
.keep:
    inc si
    jmp .upper
.show:
    say '> '
    mov dx, line + 2
    call puts
    call crlf
    jmp .next
.done:
    mov ax, bp
    mov ah, 4Ch
    int 21h

line db 80, 0
    times 82 db 0

%include "lib.inc"
