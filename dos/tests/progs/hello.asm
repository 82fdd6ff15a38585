; hello: output through INT 21h AH=09h and AH=40h to handle 1, exit code 0.
%include "macros.inc"
    org 100h
    mov ah, 09h
    mov dx, msg
    int 21h
    mov ah, 40h
    mov bx, 1
    mov cx, msg2_len
    mov dx, msg2
    int 21h
    exit 0

msg db 'Hello from DOS', 13, 10, '$'
msg2 db 'Written to handle 1', 13, 10
msg2_len equ $ - msg2

%include "lib.inc"
