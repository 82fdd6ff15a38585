; execbad: EXEC of broken programs; DOS answers 0Bh (invalid format) for
; a corrupt or oversized image and 08h (not enough memory) for one that
; does not fit. The test puts the files in place.
%include "macros.inc"
    org 100h
    mov sp, stack_top
    mov ah, 4Ah
    mov bx, (stack_top - $$ + 100h + 15) / 16
    int 21h
    mov [pb_tail + 2], cs
    mov [pb_fcb + 2], cs
    mov [pb_fcb + 6], cs
    mov si, names
.next:
    cmp byte [si], 0
    je .done
    mov dx, si
.show:
    lodsb
    test al, al
    jz .shown
    push dx
    mov dl, al
    call putc
    pop dx
    jmp .show
.shown:
    mov ax, 4B00h
    mov bx, pblock
    int 21h
    push ax
    mov dl, ' '
    call putc
    pop ax
    call status
    call crlf
    jmp .next
.done:
    exit 0

names:
    db 'SHORT.EXE', 0           ; shorter than an MZ header
    db 'TRUNC.EXE', 0           ; image longer than the file
    db 'BIGHDR.EXE', 0          ; header longer than the file
    db 'RELOC.EXE', 0           ; relocation table outside the file
    db 'BADREL.EXE', 0          ; a relocation outside the load module
    db 'BIG.COM', 0             ; over 65,280 bytes
    db 'HUGE.EXE', 0            ; needs more memory than there is
    db 'GOOD.EXE', 0            ; a valid program, to show the rest is fine
    db 0

tail db 0, 13
fcb times 16 db 0
pblock dw 0
pb_tail dw tail, 0
pb_fcb dw fcb, 0, fcb, 0

%include "lib.inc"

    align 16
    times 256 db 0
stack_top:
