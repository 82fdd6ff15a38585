; errors: calls with bad handles, bad paths and bad arguments, and the
; exact DOS error codes (CF set, AX = code), plus AH=59h after one.
%include "macros.inc"
    org 100h
%macro try 2-*                  ; label, then the instructions of the call
    %rep %0 - 1
        %rotate 1
        %1
    %endrep
    %rotate 1
    say %1, ' '
    call result
    call crlf
%endmacro
    try 'close 99', {mov ah, 3Eh}, {mov bx, 99}, {int 21h}
    try 'read 200', {mov ah, 3Fh}, {mov bx, 200}, {mov cx, 1}, {mov dx, buf}, {int 21h}
    try 'write 15', {mov ah, 40h}, {mov bx, 15}, {mov cx, 1}, {mov dx, buf}, {int 21h}
    try 'seek 7', {mov ax, 4200h}, {mov bx, 7}, {xor cx, cx}, {xor dx, dx}, {int 21h}
    try 'open missing file', {mov ax, 3D00h}, {mov dx, nofile}, {int 21h}
    try 'open missing dir', {mov ax, 3D00h}, {mov dx, nodir}, {int 21h}
    try 'open access 3', {mov ax, 3D03h}, {mov dx, exists}, {int 21h}
    try 'open directory', {mov ax, 3D00h}, {mov dx, subdir}, {int 21h}
    try 'create in missing dir', {mov ah, 3Ch}, {xor cx, cx}, {mov dx, nodir}, {int 21h}
    try 'create new on existing', {mov ah, 5Bh}, {xor cx, cx}, {mov dx, exists}, {int 21h}
    try 'chdir missing', {mov ah, 3Bh}, {mov dx, nodirname}, {int 21h}
    try 'chdir to a file', {mov ah, 3Bh}, {mov dx, exists}, {int 21h}
    try 'rmdir missing', {mov ah, 3Ah}, {mov dx, nodirname}, {int 21h}
    try 'delete missing', {mov ah, 41h}, {mov dx, nofile}, {int 21h}
    try 'delete directory', {mov ah, 41h}, {mov dx, subdir}, {int 21h}
    try 'attrib AL=5', {mov ax, 4305h}, {mov dx, exists}, {int 21h}
    try 'set attrib D', {mov ax, 4301h}, {mov cx, 10h}, {mov dx, exists}, {int 21h}
    try 'seek AL=3', {mov ax, 4203h}, {mov bx, 1}, {xor cx, cx}, {xor dx, dx}, {int 21h}
    try 'getcwd Z:', {mov ah, 47h}, {mov dl, 26}, {mov si, buf}, {int 21h}
    try 'rename missing', {mov ah, 56h}, {mov dx, nofile}, {mov di, newname}, {int 21h}
    try 'rename onto existing', {mov ah, 56h}, {mov dx, exists}, {mov di, exists}, {int 21h}
    try 'exec AL=7', {mov ax, 4B07h}, {mov dx, exists}, {mov bx, buf}, {int 21h}
    try 'free PSP+1', {mov ah, 49h}, {mov ax, cs}, {inc ax}, {mov es, ax}, {mov ah, 49h}, {int 21h}
    try 'IOCTL AL=2', {mov ax, 4402h}, {mov bx, 0}, {int 21h}
    try 'function 63h', {mov ax, 6300h}, {int 21h}

    ; Read from a handle opened write-only.
    mov ax, 3D01h
    mov dx, exists
    int 21h
    mov bx, ax
    try 'read write-only', {mov ah, 3Fh}, {mov cx, 1}, {mov dx, buf}, {int 21h}
    ; AH=59h reports the last error with its class, action and locus.
    mov ah, 59h
    xor bx, bx
    int 21h
    say 'extended error AX='
    call hex4
    say ' BH='
    mov al, bh
    call hex2
    say ' BL='
    mov al, bl
    call hex2
    say ' CH='
    mov al, ch
    call hex2
    call crlf
    mov ah, 3Eh
    int 21h
    exit 0

nofile db 'NOFILE.TXT', 0
nodir db 'NODIR\FILE.TXT', 0
nodirname db 'NODIR', 0
exists db 'EXISTS.TXT', 0
subdir db 'SUBDIR', 0
newname db 'OTHER.TXT', 0
buf times 64 db 0

%include "lib.inc"
