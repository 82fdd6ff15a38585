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
CPU86P_INLINE void iterate(cpu86_t *c, uint8_t op, int src, uint16_t delta)
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

/*
 * REP MOVS and REP STOS going up, done as one block copy or fill when the
 * result is the same as iterating: no offset wraps or meets a limit, the
 * linear ranges lie in memory without an address-mask wrap, and a copy
 * does not overlap its source (byte-by-byte copying forward over an
 * overlap replicates a pattern, which programs use). Returns the
 * iterations done (possibly 0).
 */
static uint32_t rep_block(cpu86_t *c, uint8_t op, int src, uint32_t count)
{
    uint32_t size = (op & 1) + 1, len = count * size;
    const cpu86_seg_t *ds = &c->seg[CPU86_ES], *ss = &c->seg[src];
    uint32_t dst = ds->base + c->di, from = ss->base + c->si;

    if ((uint32_t)c->di + len - 1 > ds->limit || dst + len - 1 > c->addr_mask ||
        dst + len > c->phys_end) {
        return 0;
    }
    if (op <= 0xA5) {
        if ((uint32_t)c->si + len - 1 > ss->limit || from + len - 1 > c->addr_mask ||
            from + len > c->phys_end || (dst < from + len && from < dst + len)) {
            return 0;
        }
        memcpy(c->mem + dst, c->mem + from, len);
        c->si = (uint16_t)(c->si + len);
    } else if (op == 0xAA) {
        memset(c->mem + dst, c->al, len);
    } else {
        for (uint32_t i = 0; i < len; i += 2) {
            c->mem[dst + i] = c->al;
            c->mem[dst + i + 1] = c->ah;
        }
    }
    c->di = (uint16_t)(c->di + len);
    c->cx = (uint16_t)(c->cx - count);
    return count;
}

/* The first iteration is counted by the run loop, the others here. */
CPU86P_INLINE void count_iterations(cpu86_t *c, uint64_t n)
{
    if (c->step_mode) {
        c->insn_count += n;
    } else {
        c->budget -= n;
    }
}

/*
 * Repeats op at most lim times, or until CX is 0 or a CMPS/SCAS condition
 * ends it; leaves IP on the instruction if it must be resumed.
 */
CPU86P_INLINE void rep_loop(cpu86_t *c, uint8_t op, int src, uint16_t delta, uint64_t lim)
{
    bool compares = (op & 0xF6) == 0xA6; /* CMPS, SCAS */
    uint64_t n = 0;

    if ((op == 0xA4 || op == 0xA5 || op == 0xAA || op == 0xAB) && !(c->flags & DF) && c->cx != 0) {
        n = rep_block(c, op, src, (uint32_t)(lim < c->cx ? lim : c->cx));
        if (n > 1) {
            count_iterations(c, n - 1);
        }
    }
    while (c->cx != 0) {
        if (n == lim) {
            c->ip = c->insn_ip; /* resume here in the next run */
            break;
        }
        if (n != 0) {
            count_iterations(c, 1);
        }
        iterate(c, op, src, delta);
        c->cx--;
        n++;
        if (compares && !(c->flags & ZF) == (c->rep == 0xF3)) {
            break;
        }
    }
}

int cpu86p_string(cpu86_t *c, uint8_t op)
{
    uint16_t size = (op & 1) + 1;
    uint16_t delta = (c->flags & DF) ? (uint16_t)-size : size;
    int src = cpu86p_dseg(c, CPU86_DS);
    uint64_t lim;

    if (!c->rep) {
        iterate(c, op, src, delta);
        return 0;
    }

    lim = c->step_mode ? UINT64_MAX : c->budget;
    if (c->flags & TF) {
        lim = 1; /* trap after every iteration */
    }
    /* One loop per instruction, so the compiler specialises each. */
    switch (op) {
#define REP_CASE(o)                      \
    case o:                              \
        rep_loop(c, o, src, delta, lim); \
        break;
        REP_CASE(0xA4)
        REP_CASE(0xA5)
        REP_CASE(0xA6)
        REP_CASE(0xA7)
        REP_CASE(0xAA)
        REP_CASE(0xAB)
        REP_CASE(0xAC)
        REP_CASE(0xAD)
        REP_CASE(0xAE)
        REP_CASE(0xAF)
        REP_CASE(0x6C)
        REP_CASE(0x6D)
        REP_CASE(0x6E)
        REP_CASE(0x6F)
#undef REP_CASE
    }
    return 0;
}
