/*
 * String instructions: MOVS, CMPS, STOS, LODS, SCAS and the 80186's INS
 * and OUTS, with their REP/REPE/REPNE forms.
 *
 * The source segment (DS) takes overrides, the destination (ES) never.
 * A repeated instruction is restartable, as on the chip: each iteration
 * commits SI, DI and CX, and when the run budget (or single-stepping) cuts
 * the repetition short, IP goes back to the first prefix so the next
 * cpu86_run continues it. Every iteration counts as one instruction, which
 * is what bounds a single call however large CX is.
 *
 * Entry point: cpu86p_string.
 */
#include "alu.h"

/*
 * The 80286 is not restartable when INSW or OUTSW meets a word at the
 * segment limit: it has already stepped the index register and, under
 * REP, counted CX down (twice for INS) when the #GP arrives. The recorded
 * vectors show this, so it is reproduced.
 */
__attribute__((noreturn)) static void ins_outs_fault(cpu86_t *c, uint16_t rep_count)
{
    if (c->rep) {
        c->cx = (uint16_t)(c->cx - rep_count);
    }
    cpu86p_fault(c, CPU86P_EXC_GP);
}

/* One iteration of op. */
static inline void iterate(cpu86_t *c, uint8_t op, int src, uint16_t delta)
{
    uint16_t a, b;

    switch (op) {
    case 0xA4: /* MOVSB */
        cpu86p_wb(c, CPU86_ES, c->di, cpu86p_rb(c, src, c->si));
        c->si = (uint16_t)(c->si + delta);
        c->di = (uint16_t)(c->di + delta);
        break;
    case 0xA5: /* MOVSW */
        cpu86p_ww(c, CPU86_ES, c->di, cpu86p_rw(c, src, c->si));
        c->si = (uint16_t)(c->si + delta);
        c->di = (uint16_t)(c->di + delta);
        break;
    case 0xA6: /* CMPSB */
        a = cpu86p_rb(c, src, c->si);
        b = cpu86p_rb(c, CPU86_ES, c->di);
        cpu86p_sub8(c, a, b, 0);
        c->si = (uint16_t)(c->si + delta);
        c->di = (uint16_t)(c->di + delta);
        break;
    case 0xA7: /* CMPSW */
        a = cpu86p_rw(c, src, c->si);
        b = cpu86p_rw(c, CPU86_ES, c->di);
        cpu86p_sub16(c, a, b, 0);
        c->si = (uint16_t)(c->si + delta);
        c->di = (uint16_t)(c->di + delta);
        break;
    case 0xAA: /* STOSB */
        cpu86p_wb(c, CPU86_ES, c->di, c->al);
        c->di = (uint16_t)(c->di + delta);
        break;
    case 0xAB: /* STOSW */
        cpu86p_ww(c, CPU86_ES, c->di, c->ax);
        c->di = (uint16_t)(c->di + delta);
        break;
    case 0xAC: /* LODSB */
        c->al = cpu86p_rb(c, src, c->si);
        c->si = (uint16_t)(c->si + delta);
        break;
    case 0xAD: /* LODSW */
        c->ax = cpu86p_rw(c, src, c->si);
        c->si = (uint16_t)(c->si + delta);
        break;
    case 0xAE: /* SCASB */
        cpu86p_sub8(c, c->al, cpu86p_rb(c, CPU86_ES, c->di), 0);
        c->di = (uint16_t)(c->di + delta);
        break;
    case 0xAF: /* SCASW */
        cpu86p_sub16(c, c->ax, cpu86p_rw(c, CPU86_ES, c->di), 0);
        c->di = (uint16_t)(c->di + delta);
        break;
    case 0x6C: /* INSB */
        a = cpu86p_in(c, c->dx, 1);
        cpu86p_wb(c, CPU86_ES, c->di, (uint8_t)a);
        c->di = (uint16_t)(c->di + delta);
        break;
    case 0x6D: /* INSW */
        a = cpu86p_in(c, c->dx, 2);
        if (c->di >= c->seg[CPU86_ES].limit) {
            c->di = (uint16_t)(c->di + delta);
            ins_outs_fault(c, 2);
        }
        cpu86p_ww(c, CPU86_ES, c->di, a);
        c->di = (uint16_t)(c->di + delta);
        break;
    case 0x6E: /* OUTSB */
        cpu86p_out(c, c->dx, cpu86p_rb(c, src, c->si), 1);
        c->si = (uint16_t)(c->si + delta);
        break;
    default: /* 6F: OUTSW */
        if (c->si >= c->seg[src].limit) {
            c->si = (uint16_t)(c->si + delta);
            ins_outs_fault(c, 1);
        }
        cpu86p_out(c, c->dx, cpu86p_rw(c, src, c->si), 2);
        c->si = (uint16_t)(c->si + delta);
        break;
    }
}

int cpu86p_string(cpu86_t *c, uint8_t op)
{
    uint16_t size = (op & 1) + 1;
    uint16_t delta = (c->flags & DF) ? (uint16_t)-size : size;
    int src = cpu86p_dseg(c, CPU86_DS);
    bool compares = (op & 0xF6) == 0xA6; /* CMPS, SCAS */
    uint64_t lim, n = 0;

    if (!c->rep) {
        iterate(c, op, src, delta);
        return 0;
    }

    lim = c->step_mode ? UINT64_MAX : c->budget;
    if (c->flags & TF) {
        lim = 1; /* trap after every iteration */
    }
    while (c->cx != 0) {
        if (n == lim) {
            c->ip = c->insn_ip; /* resume here in the next run */
            break;
        }
        if (n != 0) {
            /* The first iteration is counted by the run loop. */
            c->insn_count++;
            if (!c->step_mode) {
                c->budget--;
            }
        }
        iterate(c, op, src, delta);
        c->cx--;
        n++;
        if (compares && !(c->flags & ZF) == (c->rep == 0xF3)) {
            break;
        }
    }
    return 0;
}
