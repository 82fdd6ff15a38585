; type: prints the file named in the command tail to standard output, as
; DOS's TYPE does, up to the end of the file or a ^Z (1Ah). Exit code 0,
; or 2 when the file cannot be opened (the DOS error is printed), 1 without
; a name.
%include "macros.inc"
    org 100h
    mov si, 81h                 ; the command tail
.skip:
    lodsb
    cmp al, ' '
    je .skip
    cmp al, 13
    jne .name
    say 'usage: TYPE file', 13, 10
    exit 1
.name:
    lea dx, [si-1]              ; the name starts here
.end:
    lodsb
    cmp al, ' '
    je .terminate
    cmp al, 13
    jne .end
.terminate:
    mov byte [si-1], 0
    mov ax, 3D00h               ; open for reading
    int 21h
    jnc .opened
    push ax
    say 'cannot open: error '
    pop ax
    call hex4
    call crlf
    exit 2
.opened:
    mov bx, ax
.copy:
    mov ah, 3Fh
    mov cx, 512
    mov dx, buffer
    int 21h
    jc .fail
    or ax, ax
    jz .done
    mov cx, ax                  ; up to a ^Z, if there is one
    push cx
    mov di, buffer
    mov al, 1Ah
    cld
    repne scasb
    pop ax
    jne .whole
    mov cx, di
    sub cx, buffer+1            ; the bytes before the ^Z
    mov byte [eof], 1
    jmp .write
.whole:
    mov cx, ax
.write:
    push bx
    mov bx, 1
    mov ah, 40h
    int 21h
    pop bx
    cmp byte [eof], 0
    je .copy
    jmp .done
.fail:
    push ax
    say 'read failed: error '
    pop ax
    call hex4
    call crlf
    exit 2
.done:
    mov ah, 3Eh
    int 21h
    exit 0

eof db 0

%include "lib.inc"

buffer:
