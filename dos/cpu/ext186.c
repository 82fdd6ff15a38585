/*
 * What the 80186 added to the 8086 in real mode, as the 80286 executes it:
 * PUSHA, POPA, BOUND, PUSH imm, IMUL imm, ENTER, LEAVE (INS/OUTS are in
 * string.c, shifts by imm8 in shift.c), the 0F page (only the VDM's host
 * call trap), and the instruction-length rule.
 *
 * Entry points: cpu86p_op186, cpu86p_op0f, cpu86p_insn_len.
 */
#include "alu.h"

static void pusha(cpu86_t *c)
{
    uint16_t sp = c->sp;
    uint16_t limit = (uint16_t)c->seg[CPU86_SS].limit;
    const uint16_t vals[8] = {c->ax, c->cx, c->dx, c->bx, sp, c->bp, c->si, c->di};

    /* The 80286 refuses the whole instruction if any word would fault. */
    for (int i = 1; i <= 8; i++) {
        if ((uint16_t)(sp - 2 * i) >= limit) {
            cpu86p_fault(c, CPU86P_EXC_GP);
        }
    }
    for (int i = 0; i < 8; i++) {
        cpu86p_ww(c, CPU86_SS, (uint16_t)(sp - 2 * (i + 1)), vals[i]);
    }
    c->sp = (uint16_t)(sp - 16);
}

static void popa(cpu86_t *c)
{
    uint16_t v[8];

    for (int i = 0; i < 8; i++) {
        v[i] = cpu86p_rw(c, CPU86_SS, (uint16_t)(c->sp + 2 * i));
    }
    c->di = v[0];
    c->si = v[1];
    c->bp = v[2];
    c->bx = v[4]; /* v[3] is the pushed SP, discarded */
    c->dx = v[5];
    c->cx = v[6];
    c->ax = v[7];
    c->sp = (uint16_t)(c->sp + 16);
}

static void bound(cpu86_t *c)
{
    cpu86p_modrm_t m;
    int16_t lo, hi, idx;

    cpu86p_modrm(c, &m);
    if (m.mod == 3) {
        cpu86p_exception(c, CPU86P_EXC_UD);
        return;
    }
    lo = (int16_t)cpu86p_rw(c, m.seg, m.off);
    hi = (int16_t)cpu86p_rw(c, m.seg, (uint16_t)(m.off + 2));
    idx = (int16_t)c->regs[m.reg];
    if (idx < lo || idx > hi) {
        cpu86p_exception(c, CPU86P_EXC_BR);
    }
}

static void imul_imm(cpu86_t *c, bool imm8)
{
    cpu86p_modrm_t m;
    int16_t a, b;
    int32_t p;

    cpu86p_modrm(c, &m);
    a = (int16_t)cpu86p_rm_r16(c, &m);
    b = imm8 ? (int8_t)cpu86p_fetch8(c) : (int16_t)cpu86p_fetch16(c);
    p = a * b;
    c->regs[m.reg] = (uint16_t)p;
    /* As recorded on the 80286: SF, ZF, PF from the discarded upper half. */
    cpu86p_set_arith(c, (p != (int16_t)p ? CF | OF : 0) | cpu86p_szp16((uint16_t)(p >> 16)) | AF);
}

/*
 * ENTER size, level: builds the frame in locals and writes it with faulting
 * accesses, so a fault leaves SP and BP untouched.
 */
static void enter(cpu86_t *c)
{
    uint16_t size = cpu86p_fetch16(c);
    uint8_t level = cpu86p_fetch8(c) & 0x1F;
    uint16_t sp = (uint16_t)(c->sp - 2), bp = c->bp, frame;

    cpu86p_ww(c, CPU86_SS, sp, bp);
    frame = sp;
    if (level > 0) {
        for (int i = 1; i < level; i++) {
            bp = (uint16_t)(bp - 2);
            uint16_t v = cpu86p_rw(c, CPU86_SS, bp);
            sp = (uint16_t)(sp - 2);
            cpu86p_ww(c, CPU86_SS, sp, v);
        }
        sp = (uint16_t)(sp - 2);
        cpu86p_ww(c, CPU86_SS, sp, frame);
    }
    c->bp = frame;
    c->sp = (uint16_t)(sp - size);
}

static void leave(cpu86_t *c)
{
    uint16_t v = cpu86p_rw(c, CPU86_SS, c->bp);
    c->sp = (uint16_t)(c->bp + 2);
    c->bp = v;
}

int cpu86p_op186(cpu86_t *c, uint8_t op)
{
    switch (op) {
    case 0x60:
        pusha(c);
        break;
    case 0x61:
        popa(c);
        break;
    case 0x62:
        bound(c);
        break;
    case 0x68:
        cpu86p_push(c, cpu86p_fetch16(c));
        break;
    case 0x69:
        imul_imm(c, false);
        break;
    case 0x6A:
        cpu86p_push(c, (uint16_t)(int8_t)cpu86p_fetch8(c));
        break;
    case 0x6B:
        imul_imm(c, true);
        break;
    case 0xC8:
        enter(c);
        break;
    case 0xC9:
        leave(c);
        break;
    default: /* 63-67 */
        cpu86p_exception(c, CPU86P_EXC_UD);
        break;
    }
    return 0;
}

/*
 * 0F xx. The 80286's system instructions (LMSW, LOADALL, ...) have no use
 * in a VDM and raise #UD. 0F FF is UD0, invalid on every later CPU, which
 * makes 0F FF ib a safe trap into the host.
 */
int cpu86p_op0f(cpu86_t *c)
{
    if (c->hostcall_enabled && cpu86p_fetch8(c) == 0xFF) {
        c->hostcall_num = cpu86p_fetch8(c);
        return CPU86_EXIT_HOSTCALL;
    }
    cpu86p_exception(c, CPU86P_EXC_UD);
    return 0;
}

/* Per opcode: MODRM if a ModR/M byte follows, plus the immediate bytes. */
#define MODRM  0x80
#define PREFIX 0x40

static const uint8_t insn_shape[256] = {
    [0x00 ... 0x03] = MODRM,
    [0x04] = 1,
    [0x05] = 2,
    [0x08 ... 0x0B] = MODRM,
    [0x0C] = 1,
    [0x0D] = 2,
    [0x0F] = 1,
    [0x10 ... 0x13] = MODRM,
    [0x14] = 1,
    [0x15] = 2,
    [0x18 ... 0x1B] = MODRM,
    [0x1C] = 1,
    [0x1D] = 2,
    [0x20 ... 0x23] = MODRM,
    [0x24] = 1,
    [0x25] = 2,
    [0x28 ... 0x2B] = MODRM,
    [0x2C] = 1,
    [0x2D] = 2,
    [0x30 ... 0x33] = MODRM,
    [0x34] = 1,
    [0x35] = 2,
    [0x38 ... 0x3B] = MODRM,
    [0x3C] = 1,
    [0x3D] = 2,
    [0x26] = PREFIX,
    [0x2E] = PREFIX,
    [0x36] = PREFIX,
    [0x3E] = PREFIX,
    [0x62 ... 0x63] = MODRM,
    [0x68] = 2,
    [0x69] = MODRM | 2,
    [0x6A] = 1,
    [0x6B] = MODRM | 1,
    [0x70 ... 0x7F] = 1,
    [0x80] = MODRM | 1,
    [0x81] = MODRM | 2,
    [0x82 ... 0x83] = MODRM | 1,
    [0x84 ... 0x8F] = MODRM,
    [0x9A] = 4,
    [0xA0 ... 0xA3] = 2,
    [0xA8] = 1,
    [0xA9] = 2,
    [0xB0 ... 0xB7] = 1,
    [0xB8 ... 0xBF] = 2,
    [0xC0 ... 0xC1] = MODRM | 1,
    [0xC2] = 2,
    [0xC4 ... 0xC5] = MODRM,
    [0xC6] = MODRM | 1,
    [0xC7] = MODRM | 2,
    [0xC8] = 3,
    [0xCA] = 2,
    [0xCD] = 1,
    [0xD0 ... 0xD3] = MODRM,
    [0xD4 ... 0xD5] = 1,
    [0xD8 ... 0xDF] = MODRM,
    [0xE0 ... 0xE7] = 1,
    [0xE8 ... 0xE9] = 2,
    [0xEA] = 4,
    [0xEB] = 1,
    [0xF0 ... 0xF3] = PREFIX,
    [0xF6 ... 0xF7] = MODRM,
    [0xFE ... 0xFF] = MODRM,
};

static uint8_t peek(const cpu86_t *c, uint16_t ip)
{
    return cpu86p_phys_rb(c, c->seg[CPU86_CS].base + ip);
}

/*
 * Length of the instruction at ip, prefixes included, read without side
 * effects. Stops counting prefixes past the 80286's limit.
 */
int cpu86p_insn_len(cpu86_t *c, uint16_t ip)
{
    int len = 0;
    uint8_t op, shape;

    while (insn_shape[op = peek(c, ip)] & PREFIX) {
        if (++len > CPU86P_MAX_INSN_LEN) {
            return len;
        }
        ip++;
    }
    shape = insn_shape[op];
    len += 1 + (shape & 7);
    if (shape & MODRM) {
        uint8_t b = peek(c, (uint16_t)(ip + 1));
        int mod = b >> 6;
        len += 1;
        if (mod == 1) {
            len += 1;
        } else if (mod == 2 || (mod == 0 && (b & 7) == 6)) {
            len += 2;
        }
        if ((op == 0xF6 || op == 0xF7) && ((b >> 3) & 7) < 2) {
            len += op == 0xF6 ? 1 : 2;
        }
    }
    return len;
}
