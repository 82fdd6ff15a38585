; readin: standard input redirected from a file: a line with AH=0Ah, two
; characters with AH=01h, the rest with AH=3Fh until it reads 0 bytes,
; then AH=0Bh and AH=01h at the end of the input.
%include "macros.inc"
    org 100h
    mov ah, 0Ah
    mov dx, line
    int 21h
    say '<line len='
    xor ax, ax
    mov al, [line + 1]
    call dec16
    say ' ['
    xor bx, bx
    mov bl, [line + 1]
    mov byte [line + 2 + bx], '$'
    mov dx, line + 2
    call puts
    say ']>'
    call crlf
    mov cx, 2
.chars:
    mov ah, 01h
    int 21h
    say '<char '
    call hex2
    say '>'
    call crlf
    loop .chars
.read:
    mov ah, 3Fh
    xor bx, bx
    mov cx, 8
    mov dx, buf
    int 21h
    jc .err
    say '<read '
    call dec16
    say '>'
    test ax, ax
    jz .eof
    mov cx, ax
    mov si, buf
.show:
    lodsb
    mov dl, al
    cmp dl, ' '
    jae .p
    mov dl, '.'
.p:
    call putc
    loop .show
    call crlf
    jmp .read
.eof:
    call crlf
    mov ah, 0Bh
    int 21h
    say '<status '
    call hex2
    say '>'
    mov ah, 01h
    int 21h
    say '<char at end '
    call hex2
    say '>'
    call crlf
    exit 0
.err:
    say 'read failed '
    call result
    exit 1

line db 20, 0
    times 22 db 0
buf times 8 db 0

%include "lib.inc"
