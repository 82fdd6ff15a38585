; child: run by PARENT; prints its tail and parent, exits with the number
; at the end of its tail.
%include "macros.inc"
    org 100h
    say 'child: tail=['
    mov si, 81h
    xor cx, cx
    mov cl, [80h]
.t:
    jcxz .t_done
    lodsb
    mov dl, al
    call putc
    dec cx
    jmp .t
.t_done:
    say '] parent is caller: '
    mov ax, [16h]
    push ax
    mov ah, 51h
    int 21h
    pop ax
    cmp ax, bx
    je .no                      ; its own PSP is not its parent
    say 'yes'
    jmp .p_done
.no:
    say 'no'
.p_done:
    call crlf
    ; Return code: the decimal number at the end of the tail.
    mov si, 81h
    xor cx, cx
    mov cl, [80h]
    xor bx, bx
.n:
    jcxz .n_done
    lodsb
    dec cx
    cmp al, '0'
    jb .n
    cmp al, '9'
    ja .n
    sub al, '0'
    xchg ax, bx
    mov dl, 10
    mul dl
    add al, bl
    mov bl, al
    jmp .n
.n_done:
    mov al, bl
    mov ah, 4Ch
    int 21h

%include "lib.inc"
