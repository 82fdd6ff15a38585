/*
 * The decoder and the run loop: the interpreter's hot path.
 *
 * cpu86p_loop() executes instructions until the budget in cpu86_t runs out
 * or one of them stops the CPU (HLT, host call). Between instructions it
 * looks at cpu86_t.pending only when something is pending or TF is set, so
 * the common path is: fetch, switch, execute. Frequent, simple opcodes are
 * handled inline here; the groups (shifts, F6/F7, FE/FF, strings, BCD,
 * 80186 additions) live in their own files.
 *
 * Entry point: cpu86p_loop(), called by cpu86_run and cpu86_step under the
 * fault handler (cpu86.c).
 */
#include "alu.h"

int cpu86p_loop(cpu86_t *c);

/*
 * A load of SS holds off interrupts for one instruction so that SS:SP can
 * be switched with two MOVs. The 8086 does this for every segment register.
 */
static void load_sreg(cpu86_t *c, int seg, uint16_t sel)
{
    cpu86p_load_seg(c, seg, sel);
    if (seg == CPU86_SS || !cpu86p_is186(c)) {
        c->pending |= CPU86P_PEND_SHADOW;
    }
}

/*
 * The 80286 rejects instructions longer than 10 bytes. Checked only when
 * an instruction has five prefixes or more, the only way to get there.
 */
static void check_length(cpu86_t *c)
{
    uint16_t len = (uint16_t)(c->ip - c->insn_ip);
    if (len + cpu86p_insn_len(c, c->ip) > CPU86P_MAX_INSN_LEN) {
        cpu86p_fault(c, CPU86P_EXC_GP);
    }
}

#define ALU_BLOCK(base, aop)                                                          \
    case base + 0: {                                                                  \
        cpu86p_modrm(c, &m);                                                          \
        uint8_t r = cpu86p_alu8(c, aop, cpu86p_rm_r8(c, &m), *cpu86p_reg8(c, m.reg)); \
        if (aop != ALU_CMP) {                                                         \
            cpu86p_rm_w8(c, &m, r);                                                   \
        }                                                                             \
        break;                                                                        \
    }                                                                                 \
    case base + 1: {                                                                  \
        cpu86p_modrm(c, &m);                                                          \
        uint16_t r = cpu86p_alu16(c, aop, cpu86p_rm_r16(c, &m), c->regs[m.reg]);      \
        if (aop != ALU_CMP) {                                                         \
            cpu86p_rm_w16(c, &m, r);                                                  \
        }                                                                             \
        break;                                                                        \
    }                                                                                 \
    case base + 2: {                                                                  \
        cpu86p_modrm(c, &m);                                                          \
        uint8_t *d = cpu86p_reg8(c, m.reg);                                           \
        uint8_t r = cpu86p_alu8(c, aop, *d, cpu86p_rm_r8(c, &m));                     \
        if (aop != ALU_CMP) {                                                         \
            *d = r;                                                                   \
        }                                                                             \
        break;                                                                        \
    }                                                                                 \
    case base + 3: {                                                                  \
        cpu86p_modrm(c, &m);                                                          \
        uint16_t r = cpu86p_alu16(c, aop, c->regs[m.reg], cpu86p_rm_r16(c, &m));      \
        if (aop != ALU_CMP) {                                                         \
            c->regs[m.reg] = r;                                                       \
        }                                                                             \
        break;                                                                        \
    }                                                                                 \
    case base + 4: {                                                                  \
        uint8_t r = cpu86p_alu8(c, aop, c->al, cpu86p_fetch8(c));                     \
        if (aop != ALU_CMP) {                                                         \
            c->al = r;                                                                \
        }                                                                             \
        break;                                                                        \
    }                                                                                 \
    case base + 5: {                                                                  \
        uint16_t r = cpu86p_alu16(c, aop, c->ax, cpu86p_fetch16(c));                  \
        if (aop != ALU_CMP) {                                                         \
            c->ax = r;                                                                \
        }                                                                             \
        break;                                                                        \
    }

/* Executes one instruction. Returns 0 or a CPU86_EXIT_* code. */
static inline __attribute__((always_inline)) int exec_insn(cpu86_t *c)
{
    cpu86p_modrm_t m;
    unsigned nprefix = 0;
    uint8_t op;

    c->insn_ip = c->ip;
    c->seg_ovr = CPU86P_SEG_NONE;
    c->rep = 0;
next:
    op = cpu86p_fetch8(c);
    switch (op) {
        ALU_BLOCK(0x00, ALU_ADD)
        ALU_BLOCK(0x08, ALU_OR)
        ALU_BLOCK(0x10, ALU_ADC)
        ALU_BLOCK(0x18, ALU_SBB)
        ALU_BLOCK(0x20, ALU_AND)
        ALU_BLOCK(0x28, ALU_SUB)
        ALU_BLOCK(0x30, ALU_XOR)
        ALU_BLOCK(0x38, ALU_CMP)

    case 0x06: /* PUSH ES/CS/SS/DS */
    case 0x0E:
    case 0x16:
    case 0x1E:
        cpu86p_push(c, c->seg[op >> 3].sel);
        break;
    case 0x0F:
        if (cpu86p_is186(c)) {
            return cpu86p_op0f(c);
        }
        /* POP CS: the 8086 allows it. */
        /* fall through */
    case 0x07: /* POP ES/SS/DS */
    case 0x17:
    case 0x1F: {
        uint16_t v = cpu86p_rw(c, CPU86_SS, c->sp);
        c->sp = (uint16_t)(c->sp + 2);
        load_sreg(c, op >> 3, v);
        break;
    }

    case 0x26: /* segment overrides */
    case 0x2E:
    case 0x36:
    case 0x3E:
        c->seg_ovr = (op >> 3) & 3;
        goto prefix;
    case 0xF0: /* LOCK, and its 8086 alias */
    case 0xF1:
        goto prefix;
    case 0xF2: /* REPNE, REP/REPE */
    case 0xF3:
        c->rep = op;
    prefix:
        nprefix++;
        if (cpu86p_is186(c)) {
            if (nprefix == 5) {
                check_length(c);
            }
        } else if (nprefix > 255) {
            /* A segment full of prefixes must not hold the loop forever:
             * drop them, as an 8086 loses prefixes when interrupted. */
            return 0;
        }
        goto next;

    case 0x27: /* DAA DAS AAA AAS */
    case 0x2F:
    case 0x37:
    case 0x3F:
        cpu86p_bcd(c, op);
        break;

    case 0x40 ... 0x47:
        c->regs[op & 7] = cpu86p_incdec16(c, c->regs[op & 7], false);
        break;
    case 0x48 ... 0x4F:
        c->regs[op & 7] = cpu86p_incdec16(c, c->regs[op & 7], true);
        break;
    case 0x50 ... 0x57: {
        uint16_t v = c->regs[op & 7];
        if (op == 0x54 && !cpu86p_is186(c)) {
            v = (uint16_t)(v - 2); /* the 8086 pushes the decremented SP */
        }
        cpu86p_push(c, v);
        break;
    }
    case 0x58 ... 0x5F: {
        uint16_t v = cpu86p_pop(c);
        c->regs[op & 7] = v;
        break;
    }

    case 0x60 ... 0x6F:
        if (cpu86p_is186(c)) {
            if (op >= 0x6C) {
                return cpu86p_string(c, op);
            }
            return cpu86p_op186(c, op);
        }
        /* On the 8086, 60-6F decode as 70-7F. */
        /* fall through */
    case 0x70 ... 0x7F: {
        int8_t d = (int8_t)cpu86p_fetch8(c);
        if (cpu86p_cond(c, op & 15)) {
            c->ip = (uint16_t)(c->ip + d);
        }
        break;
    }

    case 0x80:
    case 0x82: { /* 82 is an alias of 80 */
        cpu86p_modrm(c, &m);
        uint8_t a = cpu86p_rm_r8(c, &m);
        uint8_t r = cpu86p_alu8(c, m.reg, a, cpu86p_fetch8(c));
        if (m.reg != ALU_CMP) {
            cpu86p_rm_w8(c, &m, r);
        }
        break;
    }
    case 0x81:
    case 0x83: {
        cpu86p_modrm(c, &m);
        uint16_t a = cpu86p_rm_r16(c, &m);
        uint16_t b = op == 0x81 ? cpu86p_fetch16(c) : (uint16_t)(int8_t)cpu86p_fetch8(c);
        uint16_t r = cpu86p_alu16(c, m.reg, a, b);
        if (m.reg != ALU_CMP) {
            cpu86p_rm_w16(c, &m, r);
        }
        break;
    }
    case 0x84:
        cpu86p_modrm(c, &m);
        cpu86p_logic8(c, cpu86p_rm_r8(c, &m) & *cpu86p_reg8(c, m.reg));
        break;
    case 0x85:
        cpu86p_modrm(c, &m);
        cpu86p_logic16(c, cpu86p_rm_r16(c, &m) & c->regs[m.reg]);
        break;
    case 0x86: {
        cpu86p_modrm(c, &m);
        uint8_t *r = cpu86p_reg8(c, m.reg);
        uint8_t v = cpu86p_rm_r8(c, &m);
        cpu86p_rm_w8(c, &m, *r);
        *r = v;
        break;
    }
    case 0x87: {
        cpu86p_modrm(c, &m);
        uint16_t v = cpu86p_rm_r16(c, &m);
        cpu86p_rm_w16(c, &m, c->regs[m.reg]);
        c->regs[m.reg] = v;
        break;
    }
    case 0x88:
        cpu86p_modrm(c, &m);
        cpu86p_rm_w8(c, &m, *cpu86p_reg8(c, m.reg));
        break;
    case 0x89:
        cpu86p_modrm(c, &m);
        cpu86p_rm_w16(c, &m, c->regs[m.reg]);
        break;
    case 0x8A:
        cpu86p_modrm(c, &m);
        *cpu86p_reg8(c, m.reg) = cpu86p_rm_r8(c, &m);
        break;
    case 0x8B:
        cpu86p_modrm(c, &m);
        c->regs[m.reg] = cpu86p_rm_r16(c, &m);
        break;
    case 0x8C: /* MOV r/m16, sreg: the 8086 decodes only two reg bits */
        cpu86p_modrm(c, &m);
        if (cpu86p_is186(c) && m.reg > 3) {
            goto invalid;
        }
        cpu86p_rm_w16(c, &m, c->seg[m.reg & 3].sel);
        break;
    case 0x8D: /* LEA */
        cpu86p_modrm(c, &m);
        if (m.mod == 3) {
            if (cpu86p_is186(c)) {
                goto invalid;
            }
            /* Undefined on the 8086 (it yields a stale address). */
            m.off = c->regs[m.rm];
        }
        c->regs[m.reg] = m.off;
        break;
    case 0x8E: { /* MOV sreg, r/m16; the 8086 even loads CS */
        cpu86p_modrm(c, &m);
        if (cpu86p_is186(c) && (m.reg > 3 || m.reg == CPU86_CS)) {
            goto invalid;
        }
        load_sreg(c, m.reg & 3, cpu86p_rm_r16(c, &m));
        break;
    }
    case 0x8F: { /* POP r/m16 */
        cpu86p_modrm(c, &m);
        if (m.reg != 0 && cpu86p_is186(c)) {
            goto invalid;
        }
        uint16_t v = cpu86p_rw(c, CPU86_SS, c->sp);
        if (m.mod == 3) {
            c->sp = (uint16_t)(c->sp + 2);
            c->regs[m.rm] = v;
        } else {
            cpu86p_ww(c, m.seg, m.off, v);
            c->sp = (uint16_t)(c->sp + 2);
        }
        break;
    }

    case 0x90:
        break;
    case 0x91 ... 0x97: {
        uint16_t v = c->regs[op & 7];
        c->regs[op & 7] = c->ax;
        c->ax = v;
        break;
    }
    case 0x98:
        c->ax = (uint16_t)(int8_t)c->al;
        break;
    case 0x99:
        c->dx = (c->ax & 0x8000) ? 0xFFFF : 0;
        break;
    case 0x9A: {
        uint16_t off = cpu86p_fetch16(c);
        uint16_t sel = cpu86p_fetch16(c);
        cpu86p_far_call(c, sel, off);
        break;
    }
    case 0x9B: /* WAIT: there is no coprocessor to wait for */
        break;
    case 0x9C:
        cpu86p_push(c, c->flags);
        break;
    case 0x9D:
        c->flags = cpu86p_norm_flags(c, cpu86p_pop(c));
        break;
    case 0x9E: /* SAHF */
        c->flags = cpu86p_norm_flags(c, (uint16_t)((c->flags & 0xFF00) | c->ah));
        break;
    case 0x9F: /* LAHF */
        c->ah = (uint8_t)c->flags;
        break;

    case 0xA0:
        c->al = cpu86p_rb(c, cpu86p_dseg(c, CPU86_DS), cpu86p_fetch16(c));
        break;
    case 0xA1:
        c->ax = cpu86p_rw(c, cpu86p_dseg(c, CPU86_DS), cpu86p_fetch16(c));
        break;
    case 0xA2:
        cpu86p_wb(c, cpu86p_dseg(c, CPU86_DS), cpu86p_fetch16(c), c->al);
        break;
    case 0xA3:
        cpu86p_ww(c, cpu86p_dseg(c, CPU86_DS), cpu86p_fetch16(c), c->ax);
        break;
    case 0xA4 ... 0xA7:
    case 0xAA ... 0xAF:
        return cpu86p_string(c, op);
    case 0xA8:
        cpu86p_logic8(c, c->al & cpu86p_fetch8(c));
        break;
    case 0xA9:
        cpu86p_logic16(c, c->ax & cpu86p_fetch16(c));
        break;

    case 0xB0 ... 0xB7:
        *cpu86p_reg8(c, op & 7) = cpu86p_fetch8(c);
        break;
    case 0xB8 ... 0xBF:
        c->regs[op & 7] = cpu86p_fetch16(c);
        break;

    case 0xC0:
    case 0xC1:
        if (cpu86p_is186(c)) {
            cpu86p_grp_shift(c, op);
            break;
        }
        /* The 8086 decodes C0/C1 as C2/C3. */
        op |= 2;
        /* fall through */
    case 0xC2:
    case 0xC3: {
        uint16_t extra = (op & 1) ? 0 : cpu86p_fetch16(c);
        c->ip = cpu86p_pop(c);
        c->sp = (uint16_t)(c->sp + extra);
        break;
    }
    case 0xC4: /* LES, LDS */
    case 0xC5: {
        cpu86p_modrm(c, &m);
        if (m.mod == 3) {
            if (cpu86p_is186(c)) {
                goto invalid;
            }
            /* Undefined on the 8086; use the register as an offset. */
            m.seg = (uint8_t)cpu86p_dseg(c, CPU86_DS);
            m.off = c->regs[m.rm];
        }
        uint16_t off = cpu86p_rw(c, m.seg, m.off);
        uint16_t sel = cpu86p_rw(c, m.seg, (uint16_t)(m.off + 2));
        c->regs[m.reg] = off;
        cpu86p_load_seg(c, op == 0xC4 ? CPU86_ES : CPU86_DS, sel);
        break;
    }
    case 0xC6: /* MOV r/m, imm: the 8086 ignores the reg field */
        cpu86p_modrm(c, &m);
        if (m.reg != 0 && cpu86p_is186(c)) {
            goto invalid;
        }
        cpu86p_rm_w8(c, &m, cpu86p_fetch8(c));
        break;
    case 0xC7:
        cpu86p_modrm(c, &m);
        if (m.reg != 0 && cpu86p_is186(c)) {
            goto invalid;
        }
        cpu86p_rm_w16(c, &m, cpu86p_fetch16(c));
        break;
    case 0xC8:
    case 0xC9:
        if (cpu86p_is186(c)) {
            return cpu86p_op186(c, op);
        }
        /* The 8086 decodes C8/C9 as CA/CB. */
        op |= 2;
        /* fall through */
    case 0xCA:
    case 0xCB: {
        uint16_t extra = (op & 1) ? 0 : cpu86p_fetch16(c);
        cpu86p_far_return(c, extra, false);
        break;
    }
    case 0xCC:
        cpu86p_interrupt(c, 3, c->ip);
        break;
    case 0xCD: {
        uint8_t n = cpu86p_fetch8(c);
        cpu86p_interrupt(c, n, c->ip);
        break;
    }
    case 0xCE:
        if (c->flags & OF) {
            cpu86p_interrupt(c, CPU86P_EXC_OF, c->ip);
        }
        break;
    case 0xCF:
        cpu86p_far_return(c, 0, true);
        break;

    case 0xD0 ... 0xD3:
        cpu86p_grp_shift(c, op);
        break;
    case 0xD4:
    case 0xD5:
        cpu86p_bcd(c, op);
        break;
    case 0xD6: /* SALC */
        c->al = (c->flags & CF) ? 0xFF : 0;
        break;
    case 0xD7: /* XLAT */
        c->al = cpu86p_rb(c, cpu86p_dseg(c, CPU86_DS), (uint16_t)(c->bx + c->al));
        break;
    case 0xD8 ... 0xDF: /* ESC: no coprocessor, so only the operand is decoded */
        cpu86p_modrm(c, &m);
        break;

    case 0xE0 ... 0xE2: { /* LOOPNE, LOOPE, LOOP */
        int8_t d = (int8_t)cpu86p_fetch8(c);
        c->cx--;
        bool take = c->cx != 0;
        if (op == 0xE0) {
            take = take && !(c->flags & ZF);
        } else if (op == 0xE1) {
            take = take && (c->flags & ZF);
        }
        if (take) {
            c->ip = (uint16_t)(c->ip + d);
        }
        break;
    }
    case 0xE3: {
        int8_t d = (int8_t)cpu86p_fetch8(c);
        if (c->cx == 0) {
            c->ip = (uint16_t)(c->ip + d);
        }
        break;
    }
    case 0xE4:
        c->al = (uint8_t)cpu86p_in(c, cpu86p_fetch8(c), 1);
        break;
    case 0xE5:
        c->ax = cpu86p_in(c, cpu86p_fetch8(c), 2);
        break;
    case 0xE6:
        cpu86p_out(c, cpu86p_fetch8(c), c->al, 1);
        break;
    case 0xE7:
        cpu86p_out(c, cpu86p_fetch8(c), c->ax, 2);
        break;
    case 0xE8: {
        uint16_t d = cpu86p_fetch16(c);
        cpu86p_push(c, c->ip);
        c->ip = (uint16_t)(c->ip + d);
        break;
    }
    case 0xE9: {
        uint16_t d = cpu86p_fetch16(c);
        c->ip = (uint16_t)(c->ip + d);
        break;
    }
    case 0xEA: {
        uint16_t off = cpu86p_fetch16(c);
        uint16_t sel = cpu86p_fetch16(c);
        cpu86p_load_seg(c, CPU86_CS, sel);
        c->ip = off;
        break;
    }
    case 0xEB: {
        int8_t d = (int8_t)cpu86p_fetch8(c);
        c->ip = (uint16_t)(c->ip + d);
        break;
    }
    case 0xEC:
        c->al = (uint8_t)cpu86p_in(c, c->dx, 1);
        break;
    case 0xED:
        c->ax = cpu86p_in(c, c->dx, 2);
        break;
    case 0xEE:
        cpu86p_out(c, c->dx, c->al, 1);
        break;
    case 0xEF:
        cpu86p_out(c, c->dx, c->ax, 2);
        break;

    case 0xF4:
        c->pending |= CPU86P_PEND_HALT;
        return CPU86_EXIT_HALT;
    case 0xF5:
        c->flags ^= CF;
        break;
    case 0xF6:
    case 0xF7:
        cpu86p_grp3(c, op);
        break;
    case 0xF8:
        c->flags &= (uint16_t)~CF;
        break;
    case 0xF9:
        c->flags |= CF;
        break;
    case 0xFA:
        c->flags &= (uint16_t)~IF;
        break;
    case 0xFB:
        /* Interrupts stay off for one more instruction (STI; RET). */
        if (!(c->flags & IF)) {
            c->pending |= CPU86P_PEND_SHADOW;
        }
        c->flags |= IF;
        break;
    case 0xFC:
        c->flags &= (uint16_t)~DF;
        break;
    case 0xFD:
        c->flags |= DF;
        break;
    case 0xFE:
    case 0xFF:
        cpu86p_grp45(c, op);
        break;

    default: /* every opcode has a case; kept for the compiler */
    invalid:
        cpu86p_exception(c, CPU86P_EXC_UD);
        break;
    }
    return 0;
}

int cpu86p_loop(cpu86_t *c)
{
    for (;;) {
        bool trap = false;
        int r;

        if (unlikely(c->pending | (c->flags & TF))) {
            if (c->pending & CPU86P_PEND_SHADOW) {
                /* This instruction runs before any interrupt or trap. */
                c->pending &= (uint8_t)~CPU86P_PEND_SHADOW;
            } else if ((c->pending & CPU86P_PEND_IRQ) && (c->flags & IF)) {
                c->pending &= (uint8_t)~CPU86P_PEND_IRQ;
                cpu86p_interrupt(c, c->irq_vector, c->ip);
            }
            trap = c->flags & TF;
            if (c->pending & CPU86P_PEND_HALT) {
                return CPU86_EXIT_HALT;
            }
        }

        r = exec_insn(c);

        /*
         * Single step: TF set before and after, and no shadow started. Not
         * after a host call: the host must see the registers first, and
         * the trap is lost (a debugger under the VDM steps over it).
         */
        if (unlikely(trap) && (c->flags & TF) && !(c->pending & CPU86P_PEND_SHADOW) &&
            r != CPU86_EXIT_HOSTCALL) {
            cpu86p_interrupt(c, CPU86P_EXC_DB, c->ip);
            if (r == CPU86_EXIT_HALT) {
                r = 0; /* the trap handler woke it */
            }
        }
        if (unlikely(r != 0)) {
            c->budget--;
            return r;
        }
        if (unlikely(--c->budget == 0)) {
            return c->step_mode ? CPU86_EXIT_OK : CPU86_EXIT_BUDGET;
        }
    }
}
