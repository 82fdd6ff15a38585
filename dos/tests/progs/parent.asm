; parent: EXEC a child .COM (AH=4Bh AL=00h), get its return code with
; AH=4Dh, exec it again to see the code handed out once, and exec a file
; that does not exist.
%include "macros.inc"
    org 100h
    mov sp, stack_top
    mov ah, 4Ah                 ; give back everything after the stack
    mov bx, (stack_top - $$ + 100h + 15) / 16
    int 21h
    say 'shrink '
    call status
    call crlf

    mov ah, 51h
    int 21h
    mov [my_psp], bx

    mov [pb_tail + 2], cs
    mov [pb_fcb1 + 2], cs
    mov [pb_fcb2 + 2], cs
    mov ax, 4B00h
    mov dx, child
    mov bx, pblock
    int 21h
    say 'exec '
    call status
    call crlf
    mov ah, 4Dh
    int 21h
    say 'child returned AH='
    xchg al, ah
    call hex2
    say ' AL='
    xchg al, ah
    call dec16
    call crlf
    mov ah, 4Dh
    int 21h
    say 'asked again AX='
    call hex4
    call crlf

    mov ah, 51h
    int 21h
    say 'PSP back: '
    cmp bx, [my_psp]
    je .same
    say 'no'
    jmp .psp_done
.same:
    say 'yes'
.psp_done:
    call crlf

    mov ax, 4B00h
    mov dx, missing
    mov bx, pblock
    int 21h
    say 'exec missing '
    call status
    call crlf
    exit 0

child db 'CHILD.COM', 0
missing db 'NOSUCH.COM', 0
tail db 9, ' hello 42', 13
fcb times 16 db 0
pblock:
    dw 0                        ; the parent's environment
pb_tail dw tail, 0
pb_fcb1 dw fcb, 0
pb_fcb2 dw fcb, 0
my_psp dw 0

%include "lib.inc"

    align 16
    times 256 db 0
stack_top:
