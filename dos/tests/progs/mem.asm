; mem: AH=48h/49h/4Ah on the arena: allocation, the largest-block answer,
; resizing up and down, freeing twice, a bogus segment, and a destroyed
; MCB.
%include "macros.inc"
    org 100h
    mov sp, stack_top
    mov ah, 4Ah
    mov bx, (stack_top - $$ + 100h + 15) / 16
    int 21h
    say 'shrink self '
    call status
    call crlf

    mov ah, 48h                 ; 1000h paragraphs (64 KiB)
    mov bx, 1000h
    int 21h
    say 'alloc 1000 '
    call status
    call crlf
    mov [blk1], ax

    mov ah, 48h                 ; more than there is: 8 and the largest
    mov bx, 0FFFFh
    int 21h
    say 'alloc FFFF '
    call status
    mov [largest], bx
    call crlf

    mov ah, 48h                 ; exactly the largest works
    mov bx, [largest]
    int 21h
    say 'alloc largest '
    call status
    call crlf
    mov [blk2], ax

    mov ah, 48h
    mov bx, 1
    int 21h
    say 'alloc 1 when full '
    call status
    say ' BX='
    mov ax, bx
    call hex4
    call crlf

    mov es, [blk2]              ; free it again
    mov ah, 49h
    int 21h
    say 'free '
    call status
    call crlf

    mov es, [blk1]              ; shrink block 1 to 100h
    mov ah, 4Ah
    mov bx, 100h
    int 21h
    say 'shrink to 100 '
    call status
    call crlf
    mov es, [blk1]              ; grow it back to 800h (there is room after it)
    mov ah, 4Ah
    mov bx, 800h
    int 21h
    say 'grow to 800 '
    call status
    call crlf
    mov es, [blk1]
    mov ah, 4Ah
    mov bx, 0FFFFh
    int 21h
    say 'grow to FFFF '
    call status
    ; Block 1 (800h), its neighbour (1000h - 800h - 1 + 1 + largest) and
    ; the MCB between them.
    say ' max is largest+1001: '
    mov ax, [largest]
    add ax, 1001h
    cmp ax, bx
    je .yes
    say 'no BX='
    mov ax, bx
    call hex4
    jmp .max_done
.yes:
    say 'yes'
.max_done:
    call crlf

    mov es, [blk1]
    mov ah, 49h
    int 21h
    say 'free blk1 '
    call status
    call crlf

    mov ax, cs                  ; a segment that is not a block
    add ax, 5
    mov es, ax
    mov ah, 49h
    int 21h
    say 'free bogus '
    call status
    call crlf

    mov ah, 48h                 ; destroy the MCB of a fresh block
    mov bx, 10h
    int 21h
    mov [blk1], ax
    dec ax
    mov es, ax
    mov byte [es:0], 'X'
    mov ah, 48h
    mov bx, 10h
    int 21h
    say 'alloc after damage '
    call status
    call crlf
    mov es, [blk1]
    mov ah, 49h
    int 21h
    say 'free damaged '
    call status
    call crlf
    ; Repair it, or DOS would halt when the program ends.
    mov ax, [blk1]
    dec ax
    mov es, ax
    mov byte [es:0], 'M'
    exit 0

blk1 dw 0
blk2 dw 0
largest dw 0

%include "lib.inc"

    align 16
    times 256 db 0
stack_top:
