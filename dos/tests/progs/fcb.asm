; fcb: file I/O through FCBs: parse a name with AH=29h, create, write
; records sequentially, close, open, read sequentially and at random,
; block reads, a partial record, file size, rename, find and delete.
%include "macros.inc"
    org 100h
    mov ax, 2901h               ; parse "FCBTEST.DAT" into the FCB
    mov si, name
    mov di, fcb
    int 21h
    say 'parse AL='
    call hex2
    call crlf

    mov ah, 16h                 ; create
    mov dx, fcb
    int 21h
    say 'create AL='
    call hex2
    call crlf
    mov word [fcb + 0Eh], 10    ; records of 10 bytes
    mov ah, 1Ah
    mov dx, rec
    int 21h
    mov cx, 3
.write:
    mov ah, 15h
    mov dx, fcb
    int 21h
    say 'write AL='
    call hex2
    call crlf
    inc byte [rec + 7]
    loop .write
    mov ah, 10h
    mov dx, fcb
    int 21h
    say 'close AL='
    call hex2
    call crlf

    mov ah, 0Fh                 ; open: size and record size from DOS
    mov dx, fcb
    int 21h
    say 'open AL='
    call hex2
    say ' size='
    mov ax, [fcb + 10h]
    call dec16
    say ' recsize='
    mov ax, [fcb + 0Eh]
    call dec16
    call crlf
    mov word [fcb + 0Eh], 10
    mov ah, 1Ah
    mov dx, buf
    int 21h

    mov word [fcb + 21h], 1
    mov word [fcb + 23h], 0    ; random read of record 1
    mov ah, 21h
    mov dx, fcb
    int 21h
    say 'random 1 AL='
    call hex2
    call show
    mov word [fcb + 0Ch], 0     ; sequential from the start
    mov byte [fcb + 20h], 0
    mov cx, 4
.read:
    mov ah, 14h
    mov dx, fcb
    int 21h
    say 'seq AL='
    call hex2
    call show
    loop .read

    mov word [fcb + 21h], 0
    mov word [fcb + 23h], 0    ; block read of 5 records: 3 are there
    mov cx, 5
    mov ah, 27h
    mov dx, fcb
    int 21h
    say 'block AL='
    call hex2
    say ' CX='
    mov ax, cx
    call dec16
    say ' next='
    mov ax, [fcb + 21h]
    call dec16
    call crlf

    mov word [fcb + 0Eh], 8     ; 8-byte record 3 holds the last 6 bytes
    mov word [fcb + 21h], 3
    mov word [fcb + 23h], 0
    mov ah, 21h
    mov dx, fcb
    int 21h
    say 'partial AL='
    call hex2
    call show

    mov ah, 10h
    mov dx, fcb
    int 21h
    mov word [fcb + 0Eh], 7     ; file size in 7-byte records: 30 / 7 -> 5
    mov ah, 23h
    mov dx, fcb
    int 21h
    say 'size AL='
    call hex2
    say ' records='
    mov ax, [fcb + 21h]
    call dec16
    call crlf

    mov ah, 17h                 ; rename FCB*.DAT to *.OLD
    mov dx, ren
    int 21h
    say 'rename AL='
    call hex2
    call crlf
    mov ah, 1Ah
    mov dx, buf
    int 21h
    mov ah, 11h                 ; find it under the new name
    mov dx, find
    int 21h
    say 'find AL='
    call hex2
    say ' name='
    mov byte [buf + 12], '$'
    mov dx, buf + 1
    call puts
    call crlf
    mov ah, 13h                 ; delete with a wildcard
    mov dx, find
    int 21h
    say 'delete AL='
    call hex2
    call crlf
    mov ah, 11h
    mov dx, find
    int 21h
    say 'find again AL='
    call hex2
    call crlf
    exit 0

show:                           ; the record in buf, as text
    push cx
    say ' ['
    mov si, buf
    mov cx, [fcb + 0Eh]
.c:
    lodsb
    mov dl, al
    cmp dl, ' '
    jae .p
    mov dl, '.'
.p:
    call putc
    loop .c
    say ']'
    call crlf
    pop cx
    ret

name db 'FCBTEST.DAT', 0
rec db 'record 0!!'
fcb times 37 db 0
ren db 0, 'FCB?????DAT', 0, 0, 0, 0, 0, '????????OLD'
    times 10 db 0
find db 0, '????????OLD'
    times 25 db 0
buf times 64 db 0

%include "lib.inc"
