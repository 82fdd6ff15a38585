; cpu86-bench workload: workload.inc's passes for ever; the benchmark
; stops it with the instruction budget. It uses only 8086 instructions so
; that both models run the same program. Loaded at 1000:0000 with a 64 KiB
; data segment at 2000:0000 and the stack at 3000:0000.

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

        call workload_fill
outer:
        call workload_pass
        jmp outer

%include "workload.inc"
