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
 * when AF was set on entry; later CPUs always use 99h.
 */
static void daa(cpu86_t *c, bool sub)
{
    uint8_t al = c->al, old = al;
    unsigned cf = c->flags & CF, af = c->flags & AF;
    unsigned high = (af && !cpu86p_is186(c)) ? 0x9F : 0x99;
    unsigned f = 0;

    if ((al & 0x0F) > 9 || af) {
        al = sub ? (uint8_t)(al - 6) : (uint8_t)(al + 6);
        f |= AF;
    }
    if (old > high || cf) {
        al = sub ? (uint8_t)(al - 0x60) : (uint8_t)(al + 0x60);
        f |= CF;
    }
    c->al = al;
    cpu86p_set_arith(c, f | cpu86p_szp8(al));
}

static void aaa(cpu86_t *c, bool sub)
{
    uint8_t al = c->al;
    unsigned f = 0;

    if ((al & 0x0F) > 9 || (c->flags & AF)) {
        al = sub ? (uint8_t)(al - 6) : (uint8_t)(al + 6);
        c->ah = sub ? (uint8_t)(c->ah - 1) : (uint8_t)(c->ah + 1);
        f = AF | CF;
    }
    c->al = al & 0x0F;
    cpu86p_set_arith(c, f | cpu86p_szp8(c->al));
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
            /* The 8086's microcode sets SF, ZF and PF for a zero AL
             * before it gives up. */
            if (!cpu86p_is186(c)) {
                cpu86p_set_arith(c, (c->flags & (CF | AF | OF)) | cpu86p_szp8(0));
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
