; fuzz: random file-system calls: INT 21h functions that take names and
; handles, with random subfunctions, counts, positions and attributes, over
; a table of good and bad names, file handles 5-20 and buffers of its own,
; in a directory FZ it makes in the current one. Every answer is taken as
; it comes: the point is that nothing such a program does hurts DOS or
; what is behind it (the DOS server in Persona). Console and device names
; and handles 0-4 are left out, so that it never waits for a key.
;   FUZZ [CALLS [SEED]]   (default 2000 calls, seed 1)
; Prints the number of calls made; return code 0.
%include "macros.inc"
    org 100h
    mov sp, stack_top
    mov si, 81h
    call number
    mov [count], ax
    test ax, ax
    jnz .seeded
    mov word [count], 2000
.seeded:
    call number
    or ax, 1
    mov [seed], ax
    mov ah, 1Ah                 ; the DTA: for find first/next and the FCB calls
    mov dx, dta
    int 21h
    mov ah, 39h
    mov dx, dir_fz
    int 21h
    mov ah, 3Bh
    mov dx, dir_fz
    int 21h
    mov ah, 47h                 ; where to come back to
    xor dl, dl
    mov si, home + 3
    int 21h
    xor bp, bp
.call:
    test bp, 3Fh                ; now and then, back home
    jnz .pick
    mov ah, 3Bh
    mov dx, home
    int 21h
.pick:
    call random
    xor dx, dx
    mov bx, ncalls
    div bx
    mov bx, dx
    mov ah, [calls + bx]
    push ax
    call random
    mov cl, al                  ; AL: a subfunction, small
    and cl, 0Fh
    call name
    mov dx, ax                  ; DS:DX: a name
    call name
    mov di, ax                  ; ES:DI: another (rename), or a buffer below
    call random
    and ax, 0Fh                 ; BX: a file handle 5-20
    add ax, 5
    mov bx, ax
    call random
    mov si, ax                  ; CX: count, attributes, position high
    and si, 0FFFh
    pop ax
    mov al, cl
    mov cx, si
    cmp ah, 46h
    jne .not46
    and cx, 0Fh                 ; 46h: the handle replaced is a file's too
    add cx, 5
.not46:
    cmp ah, 47h
    je .path_out
    cmp ah, 60h
    je .path_out
    cmp ah, 5Ah
    je .temp
    cmp ah, 3Fh
    je .data
    cmp ah, 40h
    je .data
    cmp ah, 42h
    je .seek
    cmp ah, 0Fh
    jb .go
    cmp ah, 17h
    ja .go
    mov dx, fcb                 ; FCB calls: an FCB holding random bytes
    push ax
    call random
    mov [fcb + 1], ax
    call random
    mov [fcb + 5], ax
    call random
    mov [fcb + 9], ax
    pop ax
    jmp .go
.path_out:
    mov si, dx                  ; 60h: DS:SI name, ES:DI buffer; 47h: DL drive, DS:SI buffer
    mov di, buf
    cmp ah, 47h
    jne .go
    mov si, buf
    and dl, 3
    jmp .go
.temp:
    mov dx, tempdir
    mov byte [tempdir + 2], 0
    jmp .go
.data:
    mov dx, buf
    and cx, 3FFh
    jmp .go
.seek:
    and al, 3
    push ax
    call random
    mov dx, ax
    pop ax
.go:
    int 21h
    inc bp
    cmp bp, [count]
    jb .call

    mov ah, 3Bh
    mov dx, home
    int 21h
    say 'fuzz: '
    mov ax, bp
    call dec16
    say ' calls'
    call crlf
    exit 0

; xorshift on 16 bits: AX = the next value.
random:
    mov ax, [seed]
    push cx
    push dx
    mov dx, ax
    mov cl, 7
    shl dx, cl
    xor ax, dx
    mov dx, ax
    mov cl, 9
    shr dx, cl
    xor ax, dx
    mov dx, ax
    mov cl, 8
    shl dx, cl
    xor ax, dx
    pop dx
    pop cx
    mov [seed], ax
    ret

; AX = one of the names, at random.
name:
    call random
    push bx
    push dx
    xor dx, dx
    mov bx, nnames
    div bx
    mov bx, dx
    shl bx, 1
    mov ax, [names + bx]
    pop dx
    pop bx
    ret

calls db 19h, 36h, 39h, 3Ah, 3Bh, 3Ch, 3Dh, 3Eh, 3Fh, 40h, 41h, 42h, 43h, 44h, 45h
      db 46h, 47h, 4Eh, 4Fh, 56h, 57h, 5Ah, 5Bh, 60h, 0Fh, 10h, 11h, 12h, 13h, 14h
      db 15h, 16h, 17h, 3Ch, 3Dh, 40h, 41h
ncalls equ $ - calls

n0 db 'A.TXT', 0
n1 db 'B.DAT', 0
n2 db 'SUB', 0
n3 db 'SUB\X.TXT', 0
n4 db '..', 0
n5 db '*.*', 0
n6 db 'SUB\*.T?T', 0
n7 db 'NUL', 0
n8 db 'C:\TMP', 0
n9 db 'Z:\NODRIVE', 0
n10 db 'TOOLONGNAME.TEXT', 0
n11 db 'BAD|NAME', 0
n12 db '\', 0
n13 db 0
n14 db 'SUB\..\..\..\..\A.TXT', 0
n15 db 'C.', 0
names dw n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10, n11, n12, n13, n14, n15
nnames equ ($ - names) / 2

dir_fz db 'FZ', 0
home db 'C:\'
    times 68 db 0
tempdir db '.\', 0
    times 16 db 0
fcb times 40 db 0
count dw 0
seed dw 0

%include "lib.inc"

dta times 128 db 0
buf times 1024 db 0
    times 256 db 0
stack_top:
