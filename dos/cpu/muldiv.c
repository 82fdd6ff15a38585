/*
 * Group 3 (F6/F7): TEST, NOT, NEG, MUL, IMUL, DIV, IDIV.
 *
 * Division checks for overflow before it writes anything, so a divide
 * error leaves AX/DX as they were. The two models differ in the details:
 *   - the 8086 computes signed products and quotients on magnitudes and
 *     fixes the sign afterwards with an internal flag that a REP prefix
 *     also toggles, so REP negates the result of IMUL and IDIV; its IDIV
 *     accepts quotients of magnitude up to 7Fh/7FFFh only;
 *   - the 80286 accepts the full range (-80h, -8000h) and ignores REP.
 *
 * Entry point: cpu86p_grp3.
 */
#include "alu.h"

static bool rep_negates(const cpu86_t *c)
{
    return c->rep != 0 && !cpu86p_is186(c);
}

/*
 * MUL and IMUL: CF = OF = the upper half carries significance. SF, ZF and
 * PF follow the upper half on both chips; AF is clear on the 8086 and set
 * on the 80286 (as its IMUL-immediate vectors show).
 */
static void mul_flags(cpu86_t *c, bool wide, unsigned hi_szp)
{
    cpu86p_set_arith(c, (wide ? CF | OF : 0) | hi_szp | (cpu86p_is186(c) ? AF : 0));
}

static void mul8(cpu86_t *c, uint8_t v, bool sign)
{
    uint16_t r;
    bool wide;

    if (sign) {
        int32_t p = (int8_t)c->al * (int8_t)v;
        if (rep_negates(c)) {
            p = -p;
        }
        r = (uint16_t)p;
        wide = p != (int8_t)p;
    } else {
        r = (uint16_t)(c->al * v);
        wide = r > 0xFF;
    }
    c->ax = r;
    mul_flags(c, wide, cpu86p_szp8(c->ah));
}

static void mul16(cpu86_t *c, uint16_t v, bool sign)
{
    uint32_t r;
    bool wide;

    if (sign) {
        int32_t p = (int16_t)c->ax * (int16_t)v;
        if (rep_negates(c)) {
            p = (int32_t)(0u - (uint32_t)p);
        }
        r = (uint32_t)p;
        wide = p != (int16_t)p;
    } else {
        r = (uint32_t)c->ax * v;
        wide = r > 0xFFFF;
    }
    c->ax = (uint16_t)r;
    c->dx = (uint16_t)(r >> 16);
    mul_flags(c, wide, cpu86p_szp16(c->dx));
}

/* Returns false on a divide error, with nothing changed. */
static bool div8(cpu86_t *c, uint8_t v, bool sign)
{
    if (v == 0) {
        return false;
    }
    if (!sign) {
        unsigned q = c->ax / v;
        if (q > 0xFF) {
            return false;
        }
        c->ah = (uint8_t)(c->ax % v);
        c->al = (uint8_t)q;
        return true;
    }

    int32_t n = (int16_t)c->ax, d = (int8_t)v;
    uint32_t un = n < 0 ? (uint32_t)-n : (uint32_t)n;
    uint32_t ud = d < 0 ? (uint32_t)-d : (uint32_t)d;
    uint32_t uq = un / ud, ur = un % ud;
    bool neg = (n < 0) != (d < 0);

    if (rep_negates(c)) {
        neg = !neg;
    }
    if (uq > 0x7F && !(cpu86p_is186(c) && neg && uq == 0x80)) {
        return false;
    }
    c->al = (uint8_t)(neg ? 0u - uq : uq);
    c->ah = (uint8_t)(n < 0 ? 0u - ur : ur);
    return true;
}

static bool div16(cpu86_t *c, uint16_t v, bool sign)
{
    uint32_t n32 = (uint32_t)c->dx << 16 | c->ax;

    if (v == 0) {
        return false;
    }
    if (!sign) {
        uint32_t q = n32 / v;
        if (q > 0xFFFF) {
            return false;
        }
        c->dx = (uint16_t)(n32 % v);
        c->ax = (uint16_t)q;
        return true;
    }

    int64_t n = (int32_t)n32, d = (int16_t)v;
    uint64_t un = n < 0 ? (uint64_t)-n : (uint64_t)n;
    uint64_t ud = d < 0 ? (uint64_t)-d : (uint64_t)d;
    uint64_t uq = un / ud, ur = un % ud;
    bool neg = (n < 0) != (d < 0);

    if (rep_negates(c)) {
        neg = !neg;
    }
    if (uq > 0x7FFF && !(cpu86p_is186(c) && neg && uq == 0x8000)) {
        return false;
    }
    c->ax = (uint16_t)(neg ? 0u - uq : uq);
    c->dx = (uint16_t)(n < 0 ? 0u - ur : ur);
    return true;
}

void cpu86p_grp3(cpu86_t *c, uint8_t op)
{
    cpu86p_modrm_t m;
    bool ok = true;

    cpu86p_modrm(c, &m);
    if (op == 0xF6) {
        uint8_t v = cpu86p_rm_r8(c, &m);
        switch (m.reg) {
        case 0:
        case 1: /* TEST, and its alias /1 */
            cpu86p_logic8(c, v & cpu86p_fetch8(c));
            break;
        case 2:
            cpu86p_rm_w8(c, &m, (uint8_t)~v);
            break;
        case 3:
            cpu86p_rm_w8(c, &m, cpu86p_sub8(c, 0, v, 0));
            break;
        case 4:
        case 5:
            mul8(c, v, m.reg == 5);
            break;
        default:
            ok = div8(c, v, m.reg == 7);
            break;
        }
    } else {
        uint16_t v = cpu86p_rm_r16(c, &m);
        switch (m.reg) {
        case 0:
        case 1:
            cpu86p_logic16(c, v & cpu86p_fetch16(c));
            break;
        case 2:
            cpu86p_rm_w16(c, &m, (uint16_t)~v);
            break;
        case 3:
            cpu86p_rm_w16(c, &m, cpu86p_sub16(c, 0, v, 0));
            break;
        case 4:
        case 5:
            mul16(c, v, m.reg == 5);
            break;
        default:
            ok = div16(c, v, m.reg == 7);
            break;
        }
    }
    if (!ok) {
        cpu86p_exception(c, CPU86P_EXC_DE);
    }
}
