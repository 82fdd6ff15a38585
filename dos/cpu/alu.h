/*
 * ALU operations and the flags they produce, inline because the decoder
 * calls them with a constant operation on its hot path.
 *
 * Flags are computed eagerly into cpu86_t.flags. Where the manuals leave a
 * flag undefined these functions produce what the recorded 8086 and 80286
 * do for the common cases (AF cleared by logic operations, OF and AF from
 * the last step of a multi-bit shift); tests mask the rest.
 */
#ifndef PERSONA_CPU86_ALU_H
#define PERSONA_CPU86_ALU_H

#include "cpu86_internal.h"

/* PF for each byte value. */
extern const uint8_t cpu86p_parity[256];

/* The eight operations of opcodes 00-3F and 80-83, in reg-field order. */
enum {
    ALU_ADD = 0,
    ALU_OR = 1,
    ALU_ADC = 2,
    ALU_SBB = 3,
    ALU_AND = 4,
    ALU_SUB = 5,
    ALU_XOR = 6,
    ALU_CMP = 7,
};

CPU86P_INLINE void cpu86p_set_arith(cpu86_t *c, unsigned f)
{
    c->flags = (uint16_t)((c->flags & ~ARITH_FLAGS) | f);
}

/* SF, ZF and PF of a byte or word result. */
CPU86P_INLINE unsigned cpu86p_szp8(uint8_t r)
{
    return (r & 0x80) | (r ? 0 : ZF) | cpu86p_parity[r];
}

CPU86P_INLINE unsigned cpu86p_szp16(uint16_t r)
{
    return ((r >> 8) & 0x80) | (r ? 0 : ZF) | cpu86p_parity[r & 0xFF];
}

CPU86P_INLINE uint8_t cpu86p_add8(cpu86_t *c, unsigned a, unsigned b, unsigned cin)
{
    unsigned r = a + b + cin;
    cpu86p_set_arith(c, ((r >> 8) & CF) | ((a ^ b ^ r) & AF) | cpu86p_szp8((uint8_t)r) |
                            ((((a ^ r) & (b ^ r)) & 0x80) << 4));
    return (uint8_t)r;
}

CPU86P_INLINE uint16_t cpu86p_add16(cpu86_t *c, unsigned a, unsigned b, unsigned cin)
{
    unsigned r = a + b + cin;
    cpu86p_set_arith(c, ((r >> 16) & CF) | ((a ^ b ^ r) & AF) | cpu86p_szp16((uint16_t)r) |
                            ((((a ^ r) & (b ^ r)) & 0x8000) >> 4));
    return (uint16_t)r;
}

CPU86P_INLINE uint8_t cpu86p_sub8(cpu86_t *c, unsigned a, unsigned b, unsigned cin)
{
    unsigned r = a - b - cin;
    cpu86p_set_arith(c, ((r >> 8) & CF) | ((a ^ b ^ r) & AF) | cpu86p_szp8((uint8_t)r) |
                            ((((a ^ b) & (a ^ r)) & 0x80) << 4));
    return (uint8_t)r;
}

CPU86P_INLINE uint16_t cpu86p_sub16(cpu86_t *c, unsigned a, unsigned b, unsigned cin)
{
    unsigned r = a - b - cin;
    cpu86p_set_arith(c, ((r >> 16) & CF) | ((a ^ b ^ r) & AF) | cpu86p_szp16((uint16_t)r) |
                            ((((a ^ b) & (a ^ r)) & 0x8000) >> 4));
    return (uint16_t)r;
}

/* AND, OR, XOR, TEST: CF, OF and AF cleared. */
CPU86P_INLINE uint8_t cpu86p_logic8(cpu86_t *c, uint8_t r)
{
    cpu86p_set_arith(c, cpu86p_szp8(r));
    return r;
}

CPU86P_INLINE uint16_t cpu86p_logic16(cpu86_t *c, uint16_t r)
{
    cpu86p_set_arith(c, cpu86p_szp16(r));
    return r;
}

/* One of the ALU_* operations; for ALU_CMP the result is the difference. */
CPU86P_INLINE uint8_t cpu86p_alu8(cpu86_t *c, int op, uint8_t a, uint8_t b)
{
    switch (op) {
    case ALU_ADD:
        return cpu86p_add8(c, a, b, 0);
    case ALU_OR:
        return cpu86p_logic8(c, a | b);
    case ALU_ADC:
        return cpu86p_add8(c, a, b, c->flags & CF);
    case ALU_SBB:
        return cpu86p_sub8(c, a, b, c->flags & CF);
    case ALU_AND:
        return cpu86p_logic8(c, a & b);
    case ALU_XOR:
        return cpu86p_logic8(c, a ^ b);
    default: /* SUB, CMP */
        return cpu86p_sub8(c, a, b, 0);
    }
}

CPU86P_INLINE uint16_t cpu86p_alu16(cpu86_t *c, int op, uint16_t a, uint16_t b)
{
    switch (op) {
    case ALU_ADD:
        return cpu86p_add16(c, a, b, 0);
    case ALU_OR:
        return cpu86p_logic16(c, a | b);
    case ALU_ADC:
        return cpu86p_add16(c, a, b, c->flags & CF);
    case ALU_SBB:
        return cpu86p_sub16(c, a, b, c->flags & CF);
    case ALU_AND:
        return cpu86p_logic16(c, a & b);
    case ALU_XOR:
        return cpu86p_logic16(c, a ^ b);
    default:
        return cpu86p_sub16(c, a, b, 0);
    }
}

/* INC and DEC keep CF. */
CPU86P_INLINE uint8_t cpu86p_incdec8(cpu86_t *c, uint8_t a, bool dec)
{
    unsigned cf = c->flags & CF;
    uint8_t r = dec ? cpu86p_sub8(c, a, 1, 0) : cpu86p_add8(c, a, 1, 0);
    c->flags = (uint16_t)((c->flags & ~CF) | cf);
    return r;
}

CPU86P_INLINE uint16_t cpu86p_incdec16(cpu86_t *c, uint16_t a, bool dec)
{
    unsigned cf = c->flags & CF;
    uint16_t r = dec ? cpu86p_sub16(c, a, 1, 0) : cpu86p_add16(c, a, 1, 0);
    c->flags = (uint16_t)((c->flags & ~CF) | cf);
    return r;
}

/* Condition n of Jcc (opcode 70+n). */
CPU86P_INLINE bool cpu86p_cond(const cpu86_t *c, int n)
{
    unsigned f = c->flags;
    bool r;

    switch (n >> 1) {
    case 0:
        r = f & OF;
        break;
    case 1:
        r = f & CF;
        break;
    case 2:
        r = f & ZF;
        break;
    case 3:
        r = f & (CF | ZF);
        break;
    case 4:
        r = f & SF;
        break;
    case 5:
        r = f & PF;
        break;
    case 6:
        r = !(f & SF) != !(f & OF);
        break;
    default:
        r = (f & ZF) || (!(f & SF) != !(f & OF));
        break;
    }
    return r != (n & 1);
}

#endif /* PERSONA_CPU86_ALU_H */
