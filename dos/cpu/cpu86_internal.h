/*
 * Internal interface of the cpu86 core, shared by its source files:
 * memory and I/O access through segments, instruction fetch, the stack,
 * ModR/M decoding, and the entry points of each group of instructions.
 *
 * The accessors are inline because they are the interpreter's hot path.
 * Every access to mem[] is either through cpu86p_phys_* or behind an
 * explicit check against mem_size/phys_end, so no guest address can reach
 * outside mem[0..mem_size).
 *
 * Faults: in the 80186 model an access beyond a segment limit raises #GP
 * by unwinding to cpu86_run/cpu86_step with __builtin_longjmp (see
 * cpu86p_fault). Instruction code therefore does every access that can
 * fault before it changes any register, so a faulting instruction leaves
 * the registers as they were and can be restarted. (INSW/OUTSW are the
 * exception, on purpose: see string.c.)
 */
#ifndef PERSONA_CPU86_INTERNAL_H
#define PERSONA_CPU86_INTERNAL_H

#include <string.h>

#include "cpu86.h"

/* The accessors below are the hot path: always inline them. */
#define CPU86P_INLINE static inline __attribute__((always_inline))

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define CF CPU86_FLAG_CF
#define PF CPU86_FLAG_PF
#define AF CPU86_FLAG_AF
#define ZF CPU86_FLAG_ZF
#define SF CPU86_FLAG_SF
#define TF CPU86_FLAG_TF
#define IF CPU86_FLAG_IF
#define DF CPU86_FLAG_DF
#define OF CPU86_FLAG_OF

/* The six flags the ALU writes. */
#define ARITH_FLAGS (CF | PF | AF | ZF | SF | OF)

#define CPU86P_SEG_NONE 0xFF

/* cpu86_t.pending bits: anything that needs attention between instructions. */
#define CPU86P_PEND_IRQ    0x01 /* interrupt request line raised */
#define CPU86P_PEND_SHADOW 0x02 /* no interrupt before the next instruction */
#define CPU86P_PEND_HALT   0x04 /* halted until an interrupt */

/* Exception vectors. */
#define CPU86P_EXC_DE 0  /* divide error */
#define CPU86P_EXC_DB 1  /* single step */
#define CPU86P_EXC_OF 4  /* INTO */
#define CPU86P_EXC_BR 5  /* BOUND range */
#define CPU86P_EXC_UD 6  /* invalid opcode */
#define CPU86P_EXC_GP 13 /* segment limit, instruction too long */

/* Longest instruction the 80286 accepts, prefixes included. */
#define CPU86P_MAX_INSN_LEN 10

CPU86P_INLINE bool cpu86p_is186(const cpu86_t *c)
{
    return c->model != CPU86_MODEL_8086;
}

/* ---- Faults (cpu86.c) --------------------------------------------------- */

/*
 * Aborts the current instruction and raises exception vec with the IP of
 * the instruction's first prefix; registers keep their values from before
 * the instruction as long as the instruction obeyed the rule in the header
 * comment. Only called in the 80186 model.
 */
__attribute__((noreturn)) void cpu86p_fault(cpu86_t *c, uint8_t vec);

/*
 * Raises an exception detected before the instruction changed anything:
 * #UD, #DE, BOUND. The 8086 pushes the IP after a divide error, later
 * CPUs the IP of the instruction. Returns normally: the caller must then
 * end the instruction without further effect.
 */
void cpu86p_exception(cpu86_t *c, uint8_t vec);

/* Pushes FLAGS, CS and ret_ip and enters the handler of vector vec. */
void cpu86p_interrupt(cpu86_t *c, uint8_t vec, uint16_t ret_ip);

/* ---- Physical memory ---------------------------------------------------- */

CPU86P_INLINE uint8_t cpu86p_phys_rb(const cpu86_t *c, uint32_t lin)
{
    uint32_t a = lin & c->addr_mask;
    return likely(a < c->mem_size) ? c->mem[a] : 0xFF;
}

CPU86P_INLINE void cpu86p_phys_wb(cpu86_t *c, uint32_t lin, uint8_t v)
{
    uint32_t a = lin & c->addr_mask;
    if (likely(a < c->mem_size)) {
        c->mem[a] = v;
    }
}

/* ---- Segmented memory --------------------------------------------------- */

uint16_t cpu86p_rw_slow(cpu86_t *c, int seg, uint16_t off);
void cpu86p_ww_slow(cpu86_t *c, int seg, uint16_t off, uint16_t v);

CPU86P_INLINE uint8_t cpu86p_rb(cpu86_t *c, int seg, uint16_t off)
{
    const cpu86_seg_t *s = &c->seg[seg];
    if (unlikely(off > s->limit)) {
        cpu86p_fault(c, CPU86P_EXC_GP);
    }
    return cpu86p_phys_rb(c, s->base + off);
}

CPU86P_INLINE void cpu86p_wb(cpu86_t *c, int seg, uint16_t off, uint8_t v)
{
    const cpu86_seg_t *s = &c->seg[seg];
    if (unlikely(off > s->limit)) {
        cpu86p_fault(c, CPU86P_EXC_GP);
    }
    cpu86p_phys_wb(c, s->base + off, v);
}

/*
 * Words: the fast path covers both bytes inside the limit and inside
 * memory without an address-mask wrap; the slow path handles offset FFFFh
 * (wrap to offset 0 on the 8086, #GP on the 80286) and the edges of memory.
 */
CPU86P_INLINE uint16_t cpu86p_rw(cpu86_t *c, int seg, uint16_t off)
{
    const cpu86_seg_t *s = &c->seg[seg];
    uint32_t a = (s->base + off) & c->addr_mask;
    if (likely(off < s->limit && a + 1 < c->phys_end)) {
        return (uint16_t)(c->mem[a] | c->mem[a + 1] << 8);
    }
    return cpu86p_rw_slow(c, seg, off);
}

CPU86P_INLINE void cpu86p_ww(cpu86_t *c, int seg, uint16_t off, uint16_t v)
{
    const cpu86_seg_t *s = &c->seg[seg];
    uint32_t a = (s->base + off) & c->addr_mask;
    if (likely(off < s->limit && a + 1 < c->phys_end)) {
        c->mem[a] = (uint8_t)v;
        c->mem[a + 1] = (uint8_t)(v >> 8);
        return;
    }
    cpu86p_ww_slow(c, seg, off, v);
}

/* ---- Segment registers -------------------------------------------------- */

CPU86P_INLINE void cpu86p_load_seg(cpu86_t *c, int seg, uint16_t sel)
{
    cpu86_seg_t *s = &c->seg[seg];
    s->sel = sel;
    s->base = (uint32_t)sel << 4;
    s->limit = 0xFFFF;
    s->attr = 0;
}

/* Segment for a data access whose default is def: an override wins. */
CPU86P_INLINE int cpu86p_dseg(const cpu86_t *c, int def)
{
    return c->seg_ovr != CPU86P_SEG_NONE ? c->seg_ovr : def;
}

/* ---- Instruction fetch -------------------------------------------------- */

CPU86P_INLINE uint8_t cpu86p_fetch8(cpu86_t *c)
{
    uint32_t a = (c->seg[CPU86_CS].base + c->ip) & c->addr_mask;
    c->ip++;
    return likely(a < c->mem_size) ? c->mem[a] : 0xFF;
}

CPU86P_INLINE uint16_t cpu86p_fetch16(cpu86_t *c)
{
    uint16_t lo = cpu86p_fetch8(c);
    return (uint16_t)(lo | cpu86p_fetch8(c) << 8);
}

/* ---- Stack -------------------------------------------------------------- */

/* The write happens before SP moves, so a faulting push changes nothing. */
CPU86P_INLINE void cpu86p_push(cpu86_t *c, uint16_t v)
{
    uint16_t sp = (uint16_t)(c->sp - 2);
    cpu86p_ww(c, CPU86_SS, sp, v);
    c->sp = sp;
}

CPU86P_INLINE uint16_t cpu86p_pop(cpu86_t *c)
{
    uint16_t v = cpu86p_rw(c, CPU86_SS, c->sp);
    c->sp = (uint16_t)(c->sp + 2);
    return v;
}

/* ---- Registers ---------------------------------------------------------- */

/* Byte register n in ModR/M encoding: AL CL DL BL AH CH DH BH. */
CPU86P_INLINE uint8_t *cpu86p_reg8(cpu86_t *c, int n)
{
    return &c->regs8[((n & 3) << 1) | (n >> 2)];
}

/* ---- ModR/M ------------------------------------------------------------- */

typedef struct cpu86p_modrm {
    uint8_t mod, reg, rm;
    uint8_t seg;  /* segment of the memory operand (override applied) */
    uint16_t off; /* effective address */
} cpu86p_modrm_t;

CPU86P_INLINE void cpu86p_modrm(cpu86_t *c, cpu86p_modrm_t *m)
{
    uint8_t b = cpu86p_fetch8(c);
    uint16_t off;
    int seg = CPU86_DS;

    m->mod = b >> 6;
    m->reg = (b >> 3) & 7;
    m->rm = b & 7;
    if (m->mod == 3) {
        m->seg = CPU86_DS; /* unused; keeps the compiler's flow analysis quiet */
        m->off = 0;
        return;
    }
    switch (m->rm) {
    case 0:
        off = (uint16_t)(c->bx + c->si);
        break;
    case 1:
        off = (uint16_t)(c->bx + c->di);
        break;
    case 2:
        off = (uint16_t)(c->bp + c->si);
        seg = CPU86_SS;
        break;
    case 3:
        off = (uint16_t)(c->bp + c->di);
        seg = CPU86_SS;
        break;
    case 4:
        off = c->si;
        break;
    case 5:
        off = c->di;
        break;
    case 6:
        if (m->mod == 0) {
            off = cpu86p_fetch16(c);
        } else {
            off = c->bp;
            seg = CPU86_SS;
        }
        break;
    default:
        off = c->bx;
        break;
    }
    if (m->mod == 1) {
        off = (uint16_t)(off + (int8_t)cpu86p_fetch8(c));
    } else if (m->mod == 2) {
        off = (uint16_t)(off + cpu86p_fetch16(c));
    }
    m->seg = (uint8_t)cpu86p_dseg(c, seg);
    m->off = off;
}

CPU86P_INLINE uint8_t cpu86p_rm_r8(cpu86_t *c, const cpu86p_modrm_t *m)
{
    if (m->mod == 3) {
        return *cpu86p_reg8(c, m->rm);
    }
    return cpu86p_rb(c, m->seg, m->off);
}

CPU86P_INLINE void cpu86p_rm_w8(cpu86_t *c, const cpu86p_modrm_t *m, uint8_t v)
{
    if (m->mod == 3) {
        *cpu86p_reg8(c, m->rm) = v;
    } else {
        cpu86p_wb(c, m->seg, m->off, v);
    }
}

CPU86P_INLINE uint16_t cpu86p_rm_r16(cpu86_t *c, const cpu86p_modrm_t *m)
{
    if (m->mod == 3) {
        return c->regs[m->rm];
    }
    return cpu86p_rw(c, m->seg, m->off);
}

CPU86P_INLINE void cpu86p_rm_w16(cpu86_t *c, const cpu86p_modrm_t *m, uint16_t v)
{
    if (m->mod == 3) {
        c->regs[m->rm] = v;
    } else {
        cpu86p_ww(c, m->seg, m->off, v);
    }
}

/* ---- I/O ---------------------------------------------------------------- */

CPU86P_INLINE uint16_t cpu86p_in(cpu86_t *c, uint16_t port, int size)
{
    if (c->in) {
        uint16_t v = c->in(c->io_ctx, port, size);
        return size == 1 ? (uint8_t)v : v;
    }
    return size == 1 ? 0xFF : 0xFFFF;
}

CPU86P_INLINE void cpu86p_out(cpu86_t *c, uint16_t port, uint16_t v, int size)
{
    if (c->out) {
        c->out(c->io_ctx, port, v, size);
    }
}

/* ---- FLAGS -------------------------------------------------------------- */

/* Applies the bits FLAGS cannot hold in this model (POPF, IRET, SAHF). */
CPU86P_INLINE uint16_t cpu86p_norm_flags(const cpu86_t *c, uint16_t f)
{
    f = (uint16_t)((f & 0x0FD5) | 0x0002);
    return cpu86p_is186(c) ? f : (uint16_t)(f | 0xF000);
}

/* ---- Instruction groups ------------------------------------------------- */

/* Each executes an instruction whose opcode (and prefixes) are consumed. */
void cpu86p_grp_shift(cpu86_t *c, uint8_t op); /* D0-D3, C0-C1 */
void cpu86p_grp3(cpu86_t *c, uint8_t op);      /* F6, F7 */
void cpu86p_grp45(cpu86_t *c, uint8_t op);     /* FE, FF */
void cpu86p_far_call(cpu86_t *c, uint16_t sel, uint16_t off);
void cpu86p_far_return(cpu86_t *c, uint16_t extra, bool iret);
void cpu86p_bcd(cpu86_t *c, uint8_t op);      /* DAA DAS AAA AAS AAM AAD */
int cpu86p_string(cpu86_t *c, uint8_t op);    /* A4-A7, AA-AF, 6C-6F */
int cpu86p_op186(cpu86_t *c, uint8_t op);     /* 60-6B, C8, C9 in 186 mode */
int cpu86p_op0f(cpu86_t *c);                  /* 0F in 186 mode */
int cpu86p_insn_len(cpu86_t *c, uint16_t ip); /* bytes of opcode+operands */

#endif /* PERSONA_CPU86_INTERNAL_H */
