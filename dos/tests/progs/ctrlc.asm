; ctrlc: Ctrl-C read by AH=01h runs INT 23h. The first tail letter picks
; the handler: H (returns with IRET: DOS restarts the read), F (returns
; with RETF and CF set: DOS ends the program), D (DOS's own: ends it).
; P runs "CTRLC F" and "CTRLC D" as children and shows their AH=4Dh
; results (termination type 1). Its own messages go through the BIOS, which
; does not look for Ctrl-C, so that Ctrl-C typed ahead reaches AH=01h.
%define BIOS_OUTPUT
%include "macros.inc"
    org 100h
    mov sp, stack_top
    mov al, [82h]
    cmp al, 'P'
    je parent
    cmp al, 'D'
    je .read
    mov dx, handler_iret
    cmp al, 'H'
    je .hook
    mov dx, handler_retf
.hook:
    mov ax, 2523h
    int 21h
.read:
    say 'press a key: '
    mov ah, 01h
    int 21h
    push ax
    say ' got '
    pop ax
    call hex2
    call crlf
    exit 11h

; DOS restarts the call with the registers a handler returns: say keeps
; them all.
handler_iret:
    push ds
    push cs
    pop ds
    say '[handler]'
    pop ds
    iret

handler_retf:
    push cs
    pop ds
    say '[abort]'
    stc
    retf

parent:
    mov ah, 4Ah
    mov bx, (stack_top - $$ + 100h + 15) / 16
    int 21h
    mov [pb_tail + 2], cs
    mov [pb_fcb + 2], cs
    mov [pb_fcb + 6], cs
    mov dx, tail_f
    call run
    mov dx, tail_d
    call run
    exit 0

run:                            ; exec CTRLC.COM with the tail at DX
    mov [pb_tail], dx
    mov ax, 4B00h
    mov dx, self
    mov bx, pblock
    int 21h
    say 'exec '
    call status
    mov ah, 4Dh
    int 21h
    say ' child AX='
    call hex4
    call crlf
    ret

self db 'CTRLC.COM', 0
tail_f db 2, ' F', 13
tail_d db 2, ' D', 13
fcb times 16 db 0
pblock dw 0
pb_tail dw 0, 0
pb_fcb dw fcb, 0, fcb, 0

%include "lib.inc"

    align 16
    times 256 db 0
stack_top:
