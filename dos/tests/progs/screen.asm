; screen: text through DOS first (the terminal gets it as a stream), then
; characters and attributes poked into B800:0 and a BIOS scroll, which
; turn the terminal into a cursor-addressed copy of the screen.
%include "macros.inc"
    org 100h
    say 'hi', 13, 10
    mov ax, 0B800h
    mov es, ax
    mov word [es:10 * 2], 1F41h         ; row 0, column 10: 'A' white on blue
    mov word [es:11 * 2], 1F42h         ; 'B'
    mov word [es:(2 * 80 + 5) * 2], 4EC9h   ; row 2, column 5: box corner, yellow on red
    mov ah, 02h                         ; cursor to row 3, column 0
    xor bh, bh
    mov dx, 0300h
    int 10h
    mov ax, 0E2Ah                       ; teletype '*'
    int 10h
    exit 0

%include "lib.inc"
