; misc: the smaller calls and the less common EXEC modes: version, date
; and time (with invalid values refused), Ctrl-Break flag, switch
; character, IOCTL device information, handle count, extended open,
; temporary files, PSP and InDOS, drives and free space, country, vectors,
; the CP/M-style CALL 5, AH=29h's invalid drive, EXEC AL=03h (overlay)
; and AL=01h (load, then start the child ourselves).
%include "macros.inc"
    org 100h
    mov sp, stack_top
    mov ah, 4Ah
    mov bx, (stack_top - $$ + 100h + 15) / 16
    int 21h

    mov ah, 30h
    int 21h
    mov cx, ax
    say 'version '
    mov al, cl
    xor ah, ah
    call dec16
    say '.'
    mov al, ch
    call dec16
    call crlf

    mov ah, 2Bh                 ; 2023-02-29 does not exist
    mov cx, 2023
    mov dx, 021Dh
    int 21h
    say 'set date 2023-02-29 AL='
    call hex2
    mov ah, 2Bh
    mov cx, 2001
    mov dx, 0203h
    int 21h
    say ' set date 2001-02-03 AL='
    call hex2
    mov ah, 2Ah
    int 21h
    say ' now '
    mov ax, cx
    call dec16
    say '-'
    mov al, dh
    xor ah, ah
    call dec16
    say '-'
    mov al, dl
    call dec16
    say ' weekday '
    mov ah, 2Ah
    int 21h
    xor ah, ah
    call dec16
    call crlf

    mov ah, 2Dh
    mov cx, 1900h               ; 25:00
    xor dx, dx
    int 21h
    say 'set time 25:00 AL='
    call hex2
    mov ah, 2Dh
    mov cx, 0A14h               ; 10:20:30
    mov dx, 1E00h
    int 21h
    say ' set time 10:20:30 AL='
    call hex2
    mov ah, 2Ch
    int 21h
    say ' now '
    mov al, ch
    xor ah, ah
    call dec16
    say ':'
    mov al, cl
    call dec16
    call crlf

    mov ax, 3300h
    int 21h
    say 'break '
    mov al, dl
    call hex2
    mov ax, 3301h
    mov dl, 1
    int 21h
    mov ax, 3300h
    int 21h
    say ' after set '
    mov al, dl
    call hex2
    mov ax, 3301h
    xor dl, dl
    int 21h
    mov ax, 3700h
    int 21h
    say ' switch char '
    call putc
    call crlf

    ; IOCTL device information: CON, PRN, NUL, a file before and after writing.
    mov bx, 2
    call devinfo
    mov bx, 4
    call devinfo
    mov ax, 3D02h
    mov dx, nul_name
    int 21h
    mov bx, ax
    call devinfo
    mov ah, 3Eh
    int 21h
    mov ah, 3Ch
    xor cx, cx
    mov dx, file_name
    int 21h
    mov bx, ax
    mov ax, 4400h
    int 21h
    say 'new file '
    mov ax, dx
    call hex4
    mov ah, 40h
    mov cx, 1
    mov dx, file_name
    int 21h
    mov ax, 4400h
    int 21h
    say ' written '
    mov ax, dx
    call hex4
    mov ax, 4401h               ; files cannot be set raw
    xor dx, dx
    int 21h
    say ' set raw on a file '
    call status
    call crlf
    mov ah, 3Eh
    int 21h
    mov ax, 4401h               ; the console can
    mov bx, 2
    mov dx, 00A0h
    int 21h
    mov bx, 2
    call devinfo
    mov ax, 4401h
    mov bx, 2
    mov dx, 0080h
    int 21h

    ; 30 handles, then 25 opens of one file.
    mov ah, 67h
    mov bx, 30
    int 21h
    say 'handle count 30 '
    call status
    xor si, si
.open:
    mov ax, 3D00h
    mov dx, file_name
    int 21h
    jc .opened
    inc si
    cmp si, 25
    jb .open
.opened:
    say ' opened '
    mov ax, si
    call dec16
    call crlf
    mov bx, 5
.close:
    mov ah, 3Eh
    int 21h
    inc bx
    cmp bx, 30
    jb .close

    ; Extended open: create, refuse to create twice, open, replace.
    mov dx, 0010h
    call extopen
    mov dx, 0010h
    call extopen
    mov dx, 0001h
    call extopen
    mov dx, 0012h
    call extopen
    call crlf

    mov ah, 5Ah                 ; a temporary file in the current directory
    xor cx, cx
    mov dx, temp_name
    int 21h
    say 'temp '
    call status
    mov bx, ax
    mov ah, 3Eh
    int 21h
    mov si, temp_name
    xor cx, cx
.len:
    lodsb
    test al, al
    jz .len_done
    inc cx
    jmp .len
.len_done:
    say ' name length '
    mov ax, cx
    call dec16
    mov ah, 41h
    mov dx, temp_name
    int 21h
    say ' deleted '
    call status
    call crlf

    mov ah, 62h
    int 21h
    mov dx, bx
    mov ah, 51h
    int 21h
    say 'PSP 62h=51h '
    cmp dx, bx
    je .psp_ok
    say 'no'
    jmp .psp_done
.psp_ok:
    say 'yes'
.psp_done:
    mov ah, 34h
    int 21h
    say ' InDOS '
    mov al, [es:bx]
    call hex2
    push cs
    pop es
    mov ah, 19h
    int 21h
    say ' drive '
    call hex2
    mov ah, 0Eh
    mov dl, 2
    int 21h
    say ' drives '
    call hex2
    mov ah, 36h
    xor dl, dl
    int 21h
    say ' free space '
    cmp ax, 0FFFFh
    je .nospace
    say 'known'
.nospace:
    mov ah, 36h
    mov dl, 20
    int 21h
    say ' T: '
    call hex4
    call crlf

    mov ax, 3800h
    mov dx, buf
    int 21h
    say 'country '
    call status
    say ' BX='
    mov ax, bx
    call hex4
    say ' currency '
    mov dl, [buf + 2]
    call putc
    mov ax, 2560h
    mov dx, 5678h
    push ds
    mov bx, 1234h
    mov ds, bx
    int 21h
    pop ds
    mov ax, 3560h
    int 21h
    say ' vector 60h '
    mov ax, es
    call hex4
    say ':'
    mov ax, bx
    call hex4
    push cs
    pop es
    call crlf

    say 'CALL 5: '
    mov cl, 02h
    mov dl, 'Z'
    call 5
    mov ax, 2900h
    mov si, bad_drive
    mov di, buf
    int 21h
    say ' parse b:x AL='
    call hex2
    call crlf

    mov si, tn1                 ; AH=60h: canonical names
    call truename
    mov si, tn2
    call truename
    call crlf

    ; EXEC AL=03h: CHILD.COM's bytes at a segment of our own.
    mov ah, 48h
    mov bx, 40h
    int 21h
    mov [ovl], ax
    mov [ovl_seg], ax
    mov ax, 4B03h
    mov dx, child
    mov bx, ovl_seg
    int 21h
    say 'overlay '
    call status
    push ds
    mov ds, [ovl]
    mov al, [0]
    pop ds
    say ' first byte '
    call hex2
    call crlf

    ; EXEC AL=01h: DOS loads the child, we start it; it comes back here.
    mov [pb_tail + 2], cs
    mov [pb_fcb + 2], cs
    mov [pb_fcb + 6], cs
    mov ax, 4B01h
    mov dx, child
    mov bx, pblock
    int 21h
    cmp byte [cs:started], 0
    jne .child_done
    mov byte [started], 1
    say 'load '
    call status
    say ' entry IP='
    mov ax, [pb_ip]
    call hex4
    call crlf
    mov ah, 62h                 ; the child is the current PSP now
    int 21h
    cli
    mov ss, [pb_ss]
    mov sp, [pb_sp]
    sti
    pop ax                      ; the child's AX, as DOS left it on its stack
    mov ds, bx
    mov es, bx
    jmp far [cs:pb_ip]
.child_done:
    push cs
    pop ds
    push cs
    pop es
    mov ah, 4Dh
    int 21h
    say 'child code '
    call dec16
    call crlf
    exit 0

truename:                       ; "[name]" for the name at SI
    push es
    push cs
    pop es
    mov ah, 60h
    mov di, buf
    int 21h
    say 'truename ['
    mov si, buf
.c:
    lodsb
    test al, al
    jz .done
    mov dl, al
    call putc
    jmp .c
.done:
    say '] '
    pop es
    ret

devinfo:                        ; "handle N: DX" for handle BX
    push ax
    push dx
    say 'handle '
    mov ax, bx
    call dec16
    mov ax, 4400h
    int 21h
    say ': '
    mov ax, dx
    call hex4
    call crlf
    pop dx
    pop ax
    ret

extopen:                        ; AH=6Ch on EXT.DAT with action DX
    push dx
    mov ax, 6C00h
    mov bx, 0002h
    xor cx, cx
    mov si, ext_name
    int 21h
    say 'ext '
    call status
    jc .out
    mov bx, ax
    say ' CX='
    mov ax, cx
    call dec16
    mov ah, 3Eh
    int 21h
.out:
    say '; '
    pop dx
    ret

nul_name db 'NUL', 0
file_name db 'MISC.DAT', 0
ext_name db 'EXT.DAT', 0
temp_name db 0
    times 20 db 0
bad_drive db 'b:x', 0
tn1 db 'sub/../Some.Txt', 0
tn2 db 'con', 0
child db 'CHILD.COM', 0
started db 0
ovl dw 0
ovl_seg dw 0, 0
tail db 2, ' 7', 13
fcb times 16 db 0
pblock dw 0
pb_tail dw tail, 0
pb_fcb dw fcb, 0, fcb, 0
pb_sp dw 0
pb_ss dw 0
pb_ip dw 0
pb_cs dw 0
buf times 64 db 0

%include "lib.inc"

    align 16
    times 512 db 0
stack_top:
