/*
 * Decimal adjustment: DAA, DAS, AAA, AAS, AAM, AAD.
 *
 * These follow the 8086's microcode rather than the later pseudo-code in
 * the Intel manuals where the two differ (AAA/AAS adjust AL alone and
 * carry into AH separately).
 *
 * Entry point: cpu86p_bcd.
 */
#include "alu.h"

/*
 * The 8086 decides the high-digit adjustment against 9Fh instead of 99h
 * when AF was set on entry; later CPUs always use 99h. The undefined OF is
 * that of adding (subtracting) the whole adjustment to AL, as recorded.
 */
static void daa(cpu86_t *c, bool sub)
{
    uint8_t al = c->al;
    unsigned cf = c->flags & CF, af = c->flags & AF;
    unsigned high = (af && !cpu86p_is186(c)) ? 0x9F : 0x99;
    unsigned adj = 0, f = 0;

    if ((al & 0x0F) > 9 || af) {
        adj = 6;
        f |= AF;
    }
    if (al > high || cf) {
        adj += 0x60;
        f |= CF;
    }
    /* The ALU helpers give SF, ZF, PF and OF of the adjustment. */
    c->al = sub ? cpu86p_sub8(c, al, adj, 0) : cpu86p_add8(c, al, adj, 0);
    cpu86p_set_arith(c, (c->flags & (SF | ZF | PF | OF)) | f);
}

/*
 * AAA/AAS: SF, ZF, PF and OF (undefined) come from the +-6 step when it
 * happens, from AL as it was otherwise.
 */
static void aaa(cpu86_t *c, bool sub)
{
    uint8_t al = c->al;
    unsigned f;

    if ((al & 0x0F) > 9 || (c->flags & AF)) {
        al = sub ? cpu86p_sub8(c, al, 6, 0) : cpu86p_add8(c, al, 6, 0);
        c->ah = sub ? (uint8_t)(c->ah - 1) : (uint8_t)(c->ah + 1);
        f = (c->flags & (SF | ZF | PF | OF)) | AF | CF;
    } else {
        f = cpu86p_szp8(al);
    }
    c->al = al & 0x0F;
    cpu86p_set_arith(c, f);
}

void cpu86p_bcd(cpu86_t *c, uint8_t op)
{
    uint8_t base;

    switch (op) {
    case 0x27:
        daa(c, false);
        break;
    case 0x2F:
        daa(c, true);
        break;
    case 0x37:
        aaa(c, false);
        break;
    case 0x3F:
        aaa(c, true);
        break;
    case 0xD4: /* AAM imm8 */
        base = cpu86p_fetch8(c);
        if (base == 0) {
            /* The 8086's microcode leaves the flags of a zero result
             * behind when it gives up. */
            if (!cpu86p_is186(c)) {
                cpu86p_set_arith(c, cpu86p_szp8(0));
            }
            cpu86p_exception(c, CPU86P_EXC_DE);
            return;
        }
        c->ah = c->al / base;
        c->al = c->al % base;
        cpu86p_set_arith(c, cpu86p_szp8(c->al));
        break;
    default: /* D5: AAD imm8 */
        base = cpu86p_fetch8(c);
        c->al = cpu86p_add8(c, c->al, (uint8_t)(c->ah * base), 0);
        c->ah = 0;
        break;
    }
}
