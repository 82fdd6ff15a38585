/*
 * Shifts and rotates: D0-D3 (by 1 and by CL) and, on the 80186, C0/C1 (by
 * an immediate byte).
 *
 * The chips shift one bit per microcode step, and the undefined flags of a
 * multi-bit shift (OF, AF) are whatever the last step left; the recorded
 * vectors of both chips agree with that. Here the count is first reduced
 * to one that ends in the same state (a rotate is periodic, a shift
 * saturates), the result comes from a closed form, and OF from the last
 * step's rule applied to it.
 *
 * The 8086 uses the full 8-bit count; the 80186 masks it to 5 bits. Reg
 * field 6 is the undocumented SETMO/SETMOC on the 8086 (set the operand to
 * all ones) and an alias of SHL on the 80286.
 *
 * Entry point: cpu86p_grp_shift.
 */
#include "alu.h"

enum { ROL, ROR, RCL, RCR, SHL, SHR, SETMO, SAR };

/* Returns the shifted value and updates the flags; count is not zero. */
static unsigned shift(cpu86_t *c, int op, unsigned v, unsigned count, unsigned bits)
{
    unsigned msb = 1u << (bits - 1), mask = (msb << 1) - 1;
    unsigned cf = c->flags & CF, r, x, of;

    switch (op) {
    case ROL:
    case ROR:
        count = (count - 1) % bits + 1;
        break;
    case RCL:
    case RCR:
        count = (count - 1) % (bits + 1) + 1;
        break;
    case SAR:
        if (count > bits) {
            count = bits;
        }
        break;
    default:
        if (count > bits + 1) {
            count = bits + 1;
        }
        break;
    }

    /* Closed forms of count single-bit steps; the carry joins the value
     * as bit `bits` for RCL/RCR. */
    switch (op) {
    case ROL:
        r = ((v << count) | (v >> (bits - count))) & mask;
        cf = r & 1;
        break;
    case ROR:
        r = ((v >> count) | (v << (bits - count))) & mask;
        cf = r >> (bits - 1);
        break;
    case RCL:
        x = (cf << bits) | v;
        x = ((x << count) | (x >> (bits + 1 - count))) & ((mask << 1) | 1);
        r = x & mask;
        cf = x >> bits;
        break;
    case RCR:
        x = (cf << bits) | v;
        x = ((x >> count) | (x << (bits + 1 - count))) & ((mask << 1) | 1);
        r = x & mask;
        cf = x >> bits;
        break;
    case SHL:
        x = v << count;
        r = x & mask;
        cf = (x >> bits) & 1;
        break;
    case SHR:
        cf = (v >> (count - 1)) & 1;
        r = v >> count;
        break;
    default: /* SAR: sign-extend, then shift */
        x = (v ^ msb) - msb;
        cf = (x >> (count - 1)) & 1;
        r = (x >> count) & mask;
        break;
    }

    /* OF as the last single-bit step defines it. */
    if (op == ROL || op == RCL || op == SHL) {
        of = ((r & msb) != 0) ^ cf;
    } else {
        of = ((r ^ (r << 1)) & msb) != 0;
    }

    if (op < SHL) {
        c->flags = (uint16_t)((c->flags & ~(CF | OF)) | cf | (of ? OF : 0));
    } else {
        unsigned szp = bits == 8 ? cpu86p_szp8((uint8_t)r) : cpu86p_szp16((uint16_t)r);
        /* AF: SHL is an addition to itself on both chips; right shifts
         * clear it on the 8086 and set it on the 80286. */
        unsigned af = op == SHL ? (r & AF) : (cpu86p_is186(c) ? AF : 0);
        cpu86p_set_arith(c, cf | (of ? OF : 0) | szp | af);
    }
    return r;
}

void cpu86p_grp_shift(cpu86_t *c, uint8_t op)
{
    cpu86p_modrm_t m;
    unsigned count, bits = (op & 1) ? 16 : 8;
    unsigned v, r;
    int sop;

    cpu86p_modrm(c, &m);
    v = bits == 8 ? cpu86p_rm_r8(c, &m) : cpu86p_rm_r16(c, &m);
    if (op >= 0xD0) {
        count = op >= 0xD2 ? c->cl : 1;
    } else {
        count = cpu86p_fetch8(c);
    }
    sop = m.reg;
    if (cpu86p_is186(c)) {
        count &= 0x1F;
        if (sop == SETMO) {
            sop = SHL;
        }
    }
    if (count == 0) {
        return;
    }
    if (sop == SETMO) {
        r = (1u << bits) - 1;
        cpu86p_set_arith(c, bits == 8 ? cpu86p_szp8((uint8_t)r) : cpu86p_szp16((uint16_t)r));
    } else {
        r = shift(c, sop, v, count, bits);
    }
    if (bits == 8) {
        cpu86p_rm_w8(c, &m, (uint8_t)r);
    } else {
        cpu86p_rm_w16(c, &m, (uint16_t)r);
    }
}
