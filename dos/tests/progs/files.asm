; files: create, write, seek, read back, size, dup, attributes, rename,
; delete, and the results DOS gives at each step.
%include "macros.inc"
    org 100h
    mov ah, 3Ch                 ; create TEST.DAT
    xor cx, cx
    mov dx, name1
    int 21h
    jnc created
    jmp fail
created:
    mov [handle], ax
    say 'create handle='
    call hex4
    call crlf

    mov ah, 40h                 ; write 26 letters
    mov bx, [handle]
    mov cx, 26
    mov dx, alpha
    int 21h
    say 'write '
    call result
    call crlf

    mov ax, 4200h               ; seek to offset 10
    mov bx, [handle]
    xor cx, cx
    mov dx, 10
    int 21h
    say 'seek '
    call result
    call crlf

    mov ah, 3Fh                 ; read 5 bytes: KLMNO
    mov bx, [handle]
    mov cx, 5
    mov dx, buf
    int 21h
    say 'read '
    call result
    say ' ['
    mov byte [buf + 5], '$'
    mov dx, buf
    call puts
    say ']'
    call crlf

    mov ax, 4202h               ; seek to the end: the size
    mov bx, [handle]
    xor cx, cx
    xor dx, dx
    int 21h
    say 'size '
    call result
    call crlf

    mov ax, 4201h               ; seek before the start: DOS allows it
    mov bx, [handle]
    mov cx, 0FFFFh
    mov dx, 0FFC0h
    int 21h
    say 'seek back '
    call result
    say ' DX='
    mov ax, dx
    call hex4
    call crlf

    mov ah, 45h                 ; dup shares the position
    mov bx, [handle]
    int 21h
    mov [handle2], ax
    mov ax, 4200h
    mov bx, [handle2]
    xor cx, cx
    mov dx, 24
    int 21h
    mov ah, 3Fh
    mov bx, [handle]
    mov cx, 10
    mov dx, buf
    int 21h
    say 'read via dup position '
    call result
    mov byte [buf + 2], '$'
    say ' ['
    mov dx, buf
    call puts
    say ']'
    call crlf

    mov ah, 40h                 ; zero-byte write at 4: truncate
    mov bx, [handle]
    xor cx, cx
    push cx
    mov ax, 4200h
    mov dx, 4
    int 21h
    pop cx
    mov ah, 40h
    int 21h
    mov ax, 4202h
    xor cx, cx
    xor dx, dx
    int 21h
    say 'truncated size '
    call result
    call crlf

    mov ah, 3Eh
    mov bx, [handle]
    int 21h
    mov ah, 3Eh
    mov bx, [handle2]
    int 21h
    mov ah, 3Eh                 ; closed twice: invalid handle
    mov bx, [handle2]
    int 21h
    say 'close again '
    call status
    call crlf

    mov ax, 4301h               ; read-only, then open for writing fails
    mov cx, 1
    mov dx, name1
    int 21h
    mov ax, 4300h
    mov dx, name1
    int 21h
    say 'attr CX='
    mov ax, cx
    call hex4
    call crlf
    mov ax, 3D01h
    mov dx, name1
    int 21h
    say 'open r/o for write '
    call status
    call crlf
    mov ah, 41h
    mov dx, name1
    int 21h
    say 'delete r/o '
    call status
    call crlf
    mov ax, 4301h
    xor cx, cx
    mov dx, name1
    int 21h

    mov ah, 56h                 ; rename TEST.DAT to NEW.DAT
    mov dx, name1
    mov di, name2
    int 21h
    say 'rename '
    call status
    call crlf
    mov ax, 3D00h
    mov dx, name1
    int 21h
    say 'open old name '
    call status
    call crlf

    mov ah, 41h
    mov dx, name2
    int 21h
    say 'delete '
    call status
    call crlf
    mov ah, 41h
    mov dx, name2
    int 21h
    say 'delete again '
    call status
    call crlf
    exit 0

fail:
    say 'create failed '
    call result
    call crlf
    exit 1

name1 db 'test.dat', 0
name2 db 'NEW.DAT', 0
alpha db 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
handle dw 0
handle2 dw 0
buf times 16 db 0

%include "lib.inc"
