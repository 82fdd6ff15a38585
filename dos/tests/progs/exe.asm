; exe: an MZ program with a hand-written header. Three relocations: a
; segment immediate (the data segment), the segment of a far pointer in
; data, and the segment of a far call to a second code segment. It checks
; SS:SP and ES (the PSP) as DOS set them, and exits with code 5.
%include "macros.inc"
    org 0

%define MOD(x) ((x) - module)
%define PARA(x) (MOD(x) / 16)

header:
    db 'MZ'
    dw (file_end - header) % 512        ; bytes in the last page
    dw (file_end - header + 511) / 512  ; pages
    dw (relocs_end - relocs) / 4
    dw (module - header) / 16           ; header paragraphs
    dw 0040h                            ; minimum extra paragraphs
    dw 0FFFFh                           ; maximum: all there is
    dw PARA(stack_seg)                  ; SS
    dw 0100h                            ; SP
    dw 0                                ; checksum
    dw MOD(start)                       ; IP
    dw 0                                ; CS
    dw relocs - header
    dw 0                                ; overlay
relocs:
    dw MOD(fix_ds), 0
    dw fix_far - data, PARA(data)
    dw MOD(fix_call), 0
relocs_end:
    align 16, db 0

module:
start:
    mov ax, PARA(data)
fix_ds equ $ - 2
    mov ds, ax
    mov ah, 09h
    mov dx, msg - data
    int 21h

    push ds                             ; a string through the far pointer
    lds dx, [farptr - data]
    mov ah, 09h
    int 21h
    pop ds

    db 9Ah                              ; CALL far func
    dw func - code2
    dw PARA(code2)
fix_call equ $ - 2

    mov ax, ss                          ; SS = load segment + PARA(stack_seg)
    mov bx, cs
    sub ax, bx
    cmp ax, PARA(stack_seg)
    jne .bad
    cmp sp, 0100h
    jne .bad
    cmp word [es:0], 20CDh              ; ES is the PSP: INT 20h at PSP:0
    jne .bad
    mov ah, 09h
    mov dx, ok - data
    int 21h
    mov ax, 4C05h
    int 21h
.bad:
    mov ah, 09h
    mov dx, bad - data
    int 21h
    mov ax, 4C01h
    int 21h

    align 16, db 0
code2:
func:
    push ds
    push cs
    pop ds
    mov ah, 09h
    mov dx, msg2 - code2
    int 21h
    pop ds
    retf
msg2 db 'far call into the second code segment', 13, 10, '$'

    align 16, db 0
data:
msg db 'MZ program running', 13, 10, '$'
farptr dw msg3 - data3, PARA(data3)
fix_far equ $ - 2
ok db 'SS:SP and ES as DOS set them', 13, 10, '$'
bad db 'registers wrong', 13, 10, '$'

    align 16, db 0
data3:
msg3 db 'string through a relocated far pointer', 13, 10, '$'

    align 16, db 0
stack_seg:
    times 256 db 0
file_end:
