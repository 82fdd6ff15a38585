/*
 * Far transfers of control and the FE/FF group (INC, DEC, CALL, JMP, PUSH
 * on a ModR/M operand).
 *
 * Far calls and returns move several words; they check or read all of them
 * before changing SP, CS or IP so that a fault leaves the instruction
 * restartable.
 *
 * Entry points: cpu86p_far_call, cpu86p_far_return, cpu86p_grp45.
 */
#include "alu.h"

void cpu86p_far_call(cpu86_t *c, uint16_t sel, uint16_t off)
{
    uint16_t sp = c->sp;

    if (cpu86p_is186(c) && ((uint16_t)(sp - 2) >= c->seg[CPU86_SS].limit ||
                            (uint16_t)(sp - 4) >= c->seg[CPU86_SS].limit)) {
        cpu86p_fault(c, CPU86P_EXC_GP);
    }
    cpu86p_ww(c, CPU86_SS, (uint16_t)(sp - 2), c->seg[CPU86_CS].sel);
    cpu86p_ww(c, CPU86_SS, (uint16_t)(sp - 4), c->ip);
    c->sp = (uint16_t)(sp - 4);
    cpu86p_load_seg(c, CPU86_CS, sel);
    c->ip = off;
}

/* RETF [imm16] and IRET. */
void cpu86p_far_return(cpu86_t *c, uint16_t extra, bool iret)
{
    uint16_t sp = c->sp;
    uint16_t ip = cpu86p_rw(c, CPU86_SS, sp);
    uint16_t cs = cpu86p_rw(c, CPU86_SS, (uint16_t)(sp + 2));
    uint16_t fl = iret ? cpu86p_rw(c, CPU86_SS, (uint16_t)(sp + 4)) : 0;

    c->sp = (uint16_t)(sp + (iret ? 6 : 4) + extra);
    cpu86p_load_seg(c, CPU86_CS, cs);
    c->ip = ip;
    if (iret) {
        c->flags = cpu86p_norm_flags(c, fl);
    }
}

/*
 * A far pointer operand (offset, then selector) of CALL/JMP m16:16. Like
 * LES, LDS and BOUND, it is two word accesses, the second at offset + 2
 * modulo 64K; each is checked on its own.
 */
static void read_far_ptr(cpu86_t *c, const cpu86p_modrm_t *m, uint16_t *sel, uint16_t *off)
{
    *off = cpu86p_rw(c, m->seg, m->off);
    *sel = cpu86p_rw(c, m->seg, (uint16_t)(m->off + 2));
}

void cpu86p_grp45(cpu86_t *c, uint8_t op)
{
    cpu86p_modrm_t m;
    uint16_t v, sel, off;

    cpu86p_modrm(c, &m);
    if (op == 0xFE && m.reg < 2) {
        cpu86p_rm_w8(c, &m, cpu86p_incdec8(c, cpu86p_rm_r8(c, &m), m.reg == 1));
        return;
    }
    if (cpu86p_is186(c)) {
        /* FE /2-7, FF /7 and the register forms of far CALL/JMP. */
        if (op == 0xFE || m.reg == 7 || (m.mod == 3 && (m.reg == 3 || m.reg == 5))) {
            cpu86p_exception(c, CPU86P_EXC_UD);
            return;
        }
    } else if (m.mod == 3 && (m.reg == 3 || m.reg == 5)) {
        /* Undefined on the 8086 (stale address); use the register as an
         * offset in the data segment. FE /2-7 act as FF /2-7 here. */
        m.mod = 0;
        m.seg = (uint8_t)cpu86p_dseg(c, CPU86_DS);
        m.off = c->regs[m.rm];
    }

    switch (m.reg) {
    case 0:
    case 1:
        cpu86p_rm_w16(c, &m, cpu86p_incdec16(c, cpu86p_rm_r16(c, &m), m.reg == 1));
        break;
    case 2: /* CALL near r/m16 */
        v = cpu86p_rm_r16(c, &m);
        cpu86p_push(c, c->ip);
        c->ip = v;
        break;
    case 3: /* CALL far m16:16 */
        read_far_ptr(c, &m, &sel, &off);
        cpu86p_far_call(c, sel, off);
        break;
    case 4: /* JMP near r/m16 */
        c->ip = cpu86p_rm_r16(c, &m);
        break;
    case 5: /* JMP far m16:16 */
        read_far_ptr(c, &m, &sel, &off);
        cpu86p_load_seg(c, CPU86_CS, sel);
        c->ip = off;
        break;
    default: /* PUSH r/m16, and its 8086 alias /7 */
        v = cpu86p_rm_r16(c, &m);
        if (m.mod == 3 && m.rm == 4 && !cpu86p_is186(c)) {
            v = (uint16_t)(v - 2); /* like PUSH SP, the 8086 pushes SP - 2 */
        }
        cpu86p_push(c, v);
        break;
    }
}
