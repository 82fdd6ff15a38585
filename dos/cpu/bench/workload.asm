; cpu86-bench workload: a mixed real-mode loop meant to look like the inner
; loops of DOS programs. It never ends; the benchmark stops it with the
; instruction budget. It uses only 8086 instructions so that both models
; run the same program. Loaded at 1000:0000 with a 64 KiB data segment at
; 2000:0000 and the stack at 3000:0000.

        bits 16
        cpu 8086

start:
        mov ax, 0x2000
        mov ds, ax
        mov es, ax
        mov ax, 0x3000
        mov ss, ax
        xor sp, sp
        cld

        ; fill a 4 KiB table with a pattern
        xor di, di
        mov cx, 2048
        mov ax, 0x1234
.fill:  stosw
        add ax, 0x0101
        loop .fill

outer:
        ; integer arithmetic and flags-driven branches
        mov cx, 200
        mov ax, 1
        mov bx, 3
        xor dx, dx
.arith: add ax, bx
        adc dx, 0
        xor bx, ax
        shl bx, 1
        rcr dx, 1
        cmp ax, 0x8000
        jb .small
        sub ax, 0x4000
.small: test bl, 1
        jz .even
        inc bx
.even:  dec cx
        jnz .arith

        ; memory: read-modify-write walk over the table with ModR/M forms
        xor si, si
        mov cx, 256
.mem:   mov ax, [si]
        add ax, [si+2]
        mov [si+4096], ax
        xor [bx+si+8], al
        add si, 4
        and si, 0x0FFF
        loop .mem

        ; near calls with stack traffic
        mov cx, 100
.calls: push cx
        mov ax, cx
        call mix
        pop cx
        loop .calls

        ; string moves and a scan
        mov si, 0
        mov di, 0x2000
        mov cx, 256
        rep movsw
        mov di, 0x2000
        mov cx, 512
        mov al, 0xFF
        repne scasb

        ; multiplication and division
        mov cx, 64
        mov bx, 12345
.muldiv:
        mov ax, cx
        mul bx
        mov si, cx
        or si, 1
        div si
        mov ax, dx
        mov dx, 7
        imul dx
        loop .muldiv

        ; byte-sized table lookups
        mov bx, 0
        mov cx, 128
.xlat:  mov al, cl
        xlatb
        mov [bx+0x3000], al
        inc bx
        loop .xlat

        jmp outer

; a small leaf function with a frame
mix:
        push bp
        mov bp, sp
        push si
        mov si, ax
        shl si, 1
        shl si, 1
        add si, ax
        xor si, [bp+2]
        mov ax, si
        pop si
        pop bp
        ret
