/*
 * The contract between the VDM and the DOS server: the register block of
 * a DOS call, the host-call numbers the VDM traps, what a call may ask the
 * VDM to do next, and the layout of the VDM's real-mode memory.
 *
 * A DOS call travels as (vector, dos_regs_t): one label word and 28 bytes,
 * which fit in one Persona message of 8 machine words. The registers are
 * the program's own at the INT instruction: CS:IP is the return address,
 * SP is above the interrupt frame and FLAGS are the caller's. The server
 * answers by changing the block; the VDM loads all of it back, so a call
 * can switch to another program (EXEC, exit) by changing CS:IP and SS:SP.
 *
 * Entry points: none (types and constants only).
 */
#ifndef DOS_REGS_H
#define DOS_REGS_H

#include <stdint.h>

typedef struct dos_regs {
    union {
        uint16_t ax;
        struct {
            uint8_t al, ah;
        };
    };
    union {
        uint16_t bx;
        struct {
            uint8_t bl, bh;
        };
    };
    union {
        uint16_t cx;
        struct {
            uint8_t cl, ch;
        };
    };
    union {
        uint16_t dx;
        struct {
            uint8_t dl, dh;
        };
    };
    uint16_t si, di, bp, sp;
    uint16_t ds, es, ss, cs;
    uint16_t ip, flags;
} dos_regs_t;

_Static_assert(sizeof(dos_regs_t) == 28, "dos_regs_t must stay 14 words");

#define DOS_FLAG_CF 0x0001u
#define DOS_FLAG_ZF 0x0040u
#define DOS_FLAG_IF 0x0200u

/*
 * Host calls (the 80186 model's 0F FF ib). The stubs the vector table
 * points at are "0F FF ib; IRET".
 *   00h-7Fh  service for INT ib: the VDM pops the IRET frame first, so the
 *            handler sees the caller's registers, and returns to CS:IP of
 *            the block (the caller, unless the handler changed it).
 *   80h-BFh  VDM-private inline calls (the BIOS timer tick, ...): nothing
 *            is popped, CS:IP is just past the host call.
 *   C0h-FFh  DOS-private inline calls, passed to the server like a service
 *            (Ctrl-C restart, CP/M entry, end of the first program).
 */
#define DOS_HC_INLINE    0x80u
#define DOS_HC_DOS_FIRST 0xC0u

/* What a DOS call asks of the VDM: dos_call's return value. */
enum dos_call_result {
    DOS_CALL_DONE = 0,    /* load the block back and continue */
    DOS_CALL_EXIT = 1,    /* the first program ended: AL = code, AH = termination type */
    DOS_CALL_HALT = 2,    /* DOS cannot go on (memory arena destroyed): stop the VDM */
    DOS_CALL_NOINPUT = 3, /* a console read can never be satisfied: stop the VDM */
};

/*
 * Real-mode memory (paragraph segments). The VDM owns the vector table,
 * the BIOS data area, video memory and the BIOS segment; the server owns
 * the DOS segment and the memory arena after it.
 */
#define VDM_MEM_SIZE  0x110000u /* 1 MiB and the 64 KiB above it that FFFF:xxxx reaches */
#define VDM_ADDR_MASK 0xFFFFFu  /* A20 off: addresses wrap at 1 MiB as on an 8086 */
#define VDM_BDA_SEG   0x0040u
#define VDM_DOS_SEG   0x0070u /* DOS stubs and data, up to VDM_ARENA_SEG */
#define VDM_ARENA_SEG 0x0100u /* the first memory control block */
#define VDM_MEM_TOP   0xA000u /* end of conventional memory: 640 KiB */
#define VDM_BIOS_SEG  0xF000u

#endif
