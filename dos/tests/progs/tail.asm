; tail: the command tail at PSP:80h, the two FCBs DOS parsed from it,
; the environment's program name, and the exit code 3.
%include "macros.inc"
    org 100h
    say 'len='
    xor ax, ax
    mov al, [80h]
    call dec16
    say ' tail=['
    mov si, 81h
    xor cx, cx
    mov cl, [80h]
    jcxz .tail_done
.tail:
    lodsb
    mov dl, al
    call putc
    loop .tail
.tail_done:
    say ']'
    mov al, [si]
    call hex2                   ; the CR after the tail
    call crlf

    say 'fcb1='
    mov si, 5Ch
    call fcb_name
    say ' fcb2='
    mov si, 6Ch
    call fcb_name
    call crlf

    ; The program's name follows the environment's double NUL and a word.
    mov es, [2Ch]
    xor di, di
    xor al, al
    mov cx, 8000h
.env:
    repne scasb
    cmp byte [es:di], 0
    jne .env
    add di, 3
    say 'name='
.name:
    mov dl, [es:di]
    test dl, dl
    jz .name_done
    call putc
    inc di
    jmp .name
.name_done:
    call crlf
    exit 3

fcb_name:                       ; drive byte and 11 name bytes at DS:SI
    lodsb
    call hex2
    mov dl, ':'
    call putc
    mov cx, 11
.c:
    lodsb
    mov dl, al
    call putc
    loop .c
    ret

%include "lib.inc"
