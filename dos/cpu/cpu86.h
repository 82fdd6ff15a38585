/*
 * cpu86: a software x86 real-mode CPU, the engine of the DOS VDM.
 *
 * Long mode has no virtual-8086 mode, so a DOS program runs on this
 * interpreter inside a native process that owns the program's real-mode
 * memory. The same code runs on the build host for tests and benchmarks, so
 * it is freestanding: it uses no allocator and no stdio, only the caller's
 * memory and the I/O callbacks below.
 *
 * Two models:
 *   CPU86_MODEL_8086   the 8086/8088, undocumented aliases included
 *                      (POP CS, SALC, SETMO, 60-6F = Jcc, C0/C1/C8/C9 = RET
 *                      forms, REP negating IMUL/IDIV, ...). No invalid opcodes.
 *   CPU86_MODEL_80186  the real-mode instruction set of the 80186/80286
 *                      (PUSHA/POPA, BOUND, ENTER/LEAVE, PUSH/IMUL immediate,
 *                      INS/OUTS, shifts by imm8), with the 80286's real-mode
 *                      behaviour: #UD (INT 6) for invalid opcodes, #GP (INT 13)
 *                      for a word at segment offset FFFFh or an instruction
 *                      longer than 10 bytes, faults pushing the IP of the
 *                      faulting instruction, FLAGS bits 12-15 always clear.
 *
 * Segment registers hold a selector and a descriptor cache (base, limit,
 * attributes) and every memory access goes through base + offset, so 286
 * protected-mode selectors can be added later without touching the decoder.
 * Real mode loads base = selector << 4, limit = FFFFh.
 *
 * Entry points: cpu86_init, cpu86_reset, cpu86_step, cpu86_run, cpu86_irq,
 * cpu86_int, cpu86_load_seg, cpu86_get_flags, cpu86_set_flags.
 *
 * Not thread-safe: one thread drives a CPU at a time. The I/O callbacks run
 * on that thread, inside cpu86_step/cpu86_run.
 */
#ifndef PERSONA_CPU86_H
#define PERSONA_CPU86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "cpu86: the byte-register aliases assume a little-endian host"
#endif

enum cpu86_model {
    CPU86_MODEL_8086 = 0,
    CPU86_MODEL_80186 = 1,
};

/* Why cpu86_step/cpu86_run returned. */
enum cpu86_exit {
    CPU86_EXIT_OK = 0,       /* cpu86_step: the instruction completed */
    CPU86_EXIT_BUDGET = 1,   /* cpu86_run: max_insns instructions retired */
    CPU86_EXIT_HALT = 2,     /* HLT executed, no interrupt to wake it */
    CPU86_EXIT_HOSTCALL = 3, /* 0F FF ib trapped, see hostcall_num */
};

/* Segment register numbers, in the ModR/M encoding order. */
enum cpu86_sreg {
    CPU86_ES = 0,
    CPU86_CS = 1,
    CPU86_SS = 2,
    CPU86_DS = 3,
};

#define CPU86_FLAG_CF 0x0001u
#define CPU86_FLAG_PF 0x0004u
#define CPU86_FLAG_AF 0x0010u
#define CPU86_FLAG_ZF 0x0040u
#define CPU86_FLAG_SF 0x0080u
#define CPU86_FLAG_TF 0x0100u
#define CPU86_FLAG_IF 0x0200u
#define CPU86_FLAG_DF 0x0400u
#define CPU86_FLAG_OF 0x0800u

/* A segment register: the visible selector and its descriptor cache. */
typedef struct cpu86_seg {
    uint16_t sel;
    uint16_t attr; /* access rights; 0 in real mode */
    uint32_t base;
    uint32_t limit; /* highest valid offset */
} cpu86_seg_t;

typedef struct cpu86 {
    /*
     * General registers. regs[] follows the ModR/M encoding
     * (AX CX DX BX SP BP SI DI); the byte registers alias their halves.
     */
    union {
        uint16_t regs[8];
        uint8_t regs8[16];
        struct {
            uint16_t ax, cx, dx, bx, sp, bp, si, di;
        };
        struct {
            uint8_t al, ah, cl, ch, dl, dh, bl, bh;
        };
    };
    uint16_t ip;
    uint16_t flags;     /* write through cpu86_set_flags to keep fixed bits right */
    cpu86_seg_t seg[4]; /* indexed by enum cpu86_sreg */

    /*
     * Physical memory: mem[0..mem_size). Linear addresses are ANDed with
     * addr_mask (0xFFFFF wraps at 1 MiB like the 8086; wider masks model a
     * 286 with A20 enabled). Reads beyond mem_size return FFh, writes there
     * are dropped: the CPU never touches anything outside mem.
     */
    uint8_t *mem;
    uint32_t mem_size;
    uint32_t addr_mask;

    /* I/O ports; size is 1 or 2. With no handler IN reads all ones. */
    uint16_t (*in)(void *ctx, uint16_t port, int size);
    void (*out)(void *ctx, uint16_t port, uint16_t val, int size);
    void *io_ctx;

    /*
     * Host calls (80186 model only): with hostcall_enabled, the sequence
     * 0F FF ib stops the CPU with CPU86_EXIT_HOSTCALL, hostcall_num = ib and
     * IP after the sequence, so the VDM can service a DOS call and resume.
     */
    bool hostcall_enabled;
    uint8_t hostcall_num;

    int model;           /* enum cpu86_model, fixed by cpu86_init */
    uint64_t insn_count; /* retired instructions (each REP iteration counts) */

    /* Private to the core from here on. */
    uint32_t phys_end;  /* min(mem_size, addr_mask + 1), refreshed by run/step */
    uint16_t insn_ip;   /* IP of the current instruction's first prefix */
    uint8_t seg_ovr;    /* segment override prefix, or CPU86P_SEG_NONE */
    uint8_t rep;        /* 0, 0xF2 or 0xF3: the last REP prefix seen */
    uint8_t pending;    /* CPU86P_PEND_* bits, tested once per instruction */
    uint8_t irq_vector; /* vector of the interrupt request held by cpu86_irq */
    uint8_t fault_vec;  /* exception being raised through abort_jb */
    bool step_mode;     /* in cpu86_step: REP runs to completion */
    uint64_t budget;    /* instructions left in this cpu86_run */
    void *abort_jb[5];  /* __builtin_setjmp buffer for faults */
} cpu86_t;

/*
 * Sets up a CPU in the given model over mem[0..mem_size) and resets it.
 * I/O handlers, hostcall_enabled and addr_mask can be changed afterwards.
 */
void cpu86_init(cpu86_t *c, int model, uint8_t *mem, uint32_t mem_size);

/* Processor reset: CS:IP = FFFF:0000, other registers and flags cleared. */
void cpu86_reset(cpu86_t *c);

/*
 * Executes one instruction with its prefixes (a REP string instruction runs
 * to completion), then delivers a pending single-step trap. A pending
 * external interrupt is taken first if IF allows it. Returns an exit code.
 */
int cpu86_step(cpu86_t *c);

/*
 * Runs until max_insns instructions have retired (CPU86_EXIT_BUDGET), or
 * HLT or a host call stops the CPU. A REP string instruction is split
 * across calls if the budget runs out, with IP left on the instruction.
 * After HLT the CPU stays halted (both calls return CPU86_EXIT_HALT at
 * once) until it takes an interrupt, or cpu86_int or cpu86_reset is called.
 */
int cpu86_run(cpu86_t *c, uint64_t max_insns);

/*
 * Raises the interrupt request line with a vector, like an 8259 would. The
 * CPU takes it at the next instruction boundary where IF = 1 and no
 * interrupt shadow (after MOV SS, POP SS, STI) is in force; until then it
 * stays pending, and a later call replaces the vector. HLT wakes on it.
 */
void cpu86_irq(cpu86_t *c, uint8_t vector);

/* True while an interrupt request raised with cpu86_irq is not yet taken. */
bool cpu86_irq_pending(const cpu86_t *c);

/*
 * Enters an interrupt handler now, as INT vector would: pushes FLAGS, CS
 * and IP, clears IF and TF, and loads CS:IP from the vector table. For the
 * VDM to reflect an event into real-mode code.
 */
void cpu86_int(cpu86_t *c, uint8_t vector);

/* Loads a segment register (enum cpu86_sreg) with real-mode semantics. */
void cpu86_load_seg(cpu86_t *c, int seg, uint16_t sel);

/* FLAGS as PUSHF would store it, and FLAGS as POPF would load it. */
uint16_t cpu86_get_flags(const cpu86_t *c);
void cpu86_set_flags(cpu86_t *c, uint16_t flags);

#endif /* PERSONA_CPU86_H */
