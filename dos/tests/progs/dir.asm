; dir: find first / find next over the current directory with a pattern
; and attributes from the command line's first FCB, then a directory
; made, entered, listed and removed.
%include "macros.inc"
    org 100h
    mov ah, 1Ah
    mov dx, dta
    int 21h

    mov dx, all
    mov cx, 0
    call list
    say '-- with directories:'
    call crlf
    mov dx, all
    mov cx, 10h
    call list
    say '-- *.TXT:'
    call crlf
    mov dx, txt
    mov cx, 0
    call list
    say '-- SUB\*.*:'
    call crlf
    mov dx, sub_all
    mov cx, 10h
    call list
    say '-- none:'
    call crlf
    mov dx, none
    mov cx, 0
    call list
    say '-- bad path:'
    call crlf
    mov dx, badpath
    mov cx, 0
    call list

    mov ah, 39h                 ; mkdir NEWDIR, chdir there, getcwd
    mov dx, newdir
    int 21h
    say 'mkdir '
    call status
    call crlf
    mov ah, 39h
    mov dx, newdir
    int 21h
    say 'mkdir again '
    call status
    call crlf
    mov ah, 3Bh
    mov dx, newdir
    int 21h
    mov ah, 47h
    xor dl, dl
    mov si, cwdbuf
    int 21h
    say 'cwd=\'
    mov si, cwdbuf
.cwd:
    lodsb
    test al, al
    jz .cwd_done
    mov dl, al
    call putc
    jmp .cwd
.cwd_done:
    call crlf
    mov ah, 3Ah
    mov dx, dotdot_newdir       ; the current directory cannot go
    int 21h
    say 'rmdir current '
    call status
    call crlf
    mov ah, 3Bh
    mov dx, dotdot
    int 21h
    mov ah, 3Ah
    mov dx, newdir
    int 21h
    say 'rmdir '
    call status
    call crlf
    mov ah, 3Ah
    mov dx, subname
    int 21h
    say 'rmdir non-empty '
    call status
    call crlf
    exit 0

list:                           ; find first DX with attributes CX, then next
    mov ah, 4Eh
    int 21h
.loop:
    jc .end
    mov al, [dta + 15h]
    call hex2
    mov dl, ' '
    call putc
    mov ax, [dta + 1Ah]
    call dec16
    mov dl, ' '
    call putc
    mov si, dta + 1Eh
.name:
    lodsb
    test al, al
    jz .name_done
    mov dl, al
    call putc
    jmp .name
.name_done:
    call crlf
    mov ah, 4Fh
    int 21h
    jmp .loop
.end:
    say 'end AX='
    call hex4
    call crlf
    ret

all db '*.*', 0
txt db '*.txt', 0
sub_all db 'sub\*.*', 0
none db '*.xyz', 0
badpath db 'nodir\*.*', 0
newdir db 'NEWDIR', 0
dotdot_newdir db '..\NEWDIR', 0
dotdot db '..', 0
subname db 'SUB', 0
dta times 43 db 0
cwdbuf times 64 db 0

%include "lib.inc"
