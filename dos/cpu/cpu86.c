/*
 * The public face of the core: set-up, the run and step entry points with
 * their fault handler, interrupt delivery, and the slow paths of memory
 * access that the inline accessors fall back to.
 *
 * Faults work like this: an accessor that finds a limit violation calls
 * cpu86p_fault(), which records the vector and unwinds with
 * __builtin_longjmp to run_guarded(). That frame resets IP to the start of
 * the faulting instruction, delivers the exception and re-enters the loop.
 * Unwinding skips no cleanup because instruction code holds no state
 * outside cpu86_t.
 *
 * Entry points: cpu86_init, cpu86_reset, cpu86_step, cpu86_run, cpu86_irq,
 * cpu86_irq_pending, cpu86_int, cpu86_load_seg, cpu86_get_flags,
 * cpu86_set_flags.
 */
#include "alu.h"

int cpu86p_loop(cpu86_t *c);

const uint8_t cpu86p_parity[256] = {
#define P1(n)  ((0x6996 >> ((n)&15) ^ 0x6996 >> ((n) >> 4)) & 1 ? 0 : PF)
#define P4(n)  P1(n), P1(n + 1), P1(n + 2), P1(n + 3)
#define P16(n) P4(n), P4(n + 4), P4(n + 8), P4(n + 12)
#define P64(n) P16(n), P16(n + 16), P16(n + 32), P16(n + 48)
    P64(0),
    P64(64),
    P64(128),
    P64(192),
#undef P64
#undef P16
#undef P4
#undef P1
};

void cpu86_init(cpu86_t *c, int model, uint8_t *mem, uint32_t mem_size)
{
    memset(c, 0, sizeof(*c));
    c->model = model == CPU86_MODEL_8086 ? CPU86_MODEL_8086 : CPU86_MODEL_80186;
    c->mem = mem;
    c->mem_size = mem_size;
    c->addr_mask = 0xFFFFF;
    cpu86_reset(c);
}

void cpu86_reset(cpu86_t *c)
{
    memset(c->regs, 0, sizeof(c->regs));
    for (int i = 0; i < 4; i++) {
        cpu86p_load_seg(c, i, 0);
    }
    cpu86p_load_seg(c, CPU86_CS, 0xFFFF);
    c->ip = 0;
    c->flags = cpu86p_norm_flags(c, 0);
    c->pending = 0;
    c->insn_count = 0;
}

/* Memory beyond the smaller of mem_size and the address space is absent. */
static void refresh_phys_end(cpu86_t *c)
{
    if (c->mem_size == 0 || c->addr_mask < c->mem_size - 1) {
        c->phys_end = c->mem_size == 0 ? 0 : c->addr_mask + 1;
    } else {
        c->phys_end = c->mem_size;
    }
}

/*
 * Retired instructions are counted by what they take from the budget:
 * the loop and the fault path only decrement c->budget.
 */
static int run_guarded(cpu86_t *c)
{
    uint64_t start = c->budget;
    int r;

    for (;;) {
        if (__builtin_setjmp(c->abort_jb) == 0) {
            r = cpu86p_loop(c);
            break;
        }
        /* A fault unwound the instruction at insn_ip. It counts as one, so
         * a handler that faults again cannot spin without using budget. */
        cpu86p_interrupt(c, c->fault_vec, c->insn_ip);
        if (--c->budget == 0) {
            r = c->step_mode ? CPU86_EXIT_OK : CPU86_EXIT_BUDGET;
            break;
        }
    }
    c->insn_count += start - c->budget;
    return r;
}

int cpu86_step(cpu86_t *c)
{
    refresh_phys_end(c);
    c->step_mode = true;
    c->budget = 1;
    return run_guarded(c);
}

int cpu86_run(cpu86_t *c, uint64_t max_insns)
{
    if (max_insns == 0) {
        return CPU86_EXIT_BUDGET;
    }
    refresh_phys_end(c);
    c->step_mode = false;
    c->budget = max_insns;
    return run_guarded(c);
}

void cpu86_irq(cpu86_t *c, uint8_t vector)
{
    c->irq_vector = vector;
    c->pending |= CPU86P_PEND_IRQ;
}

bool cpu86_irq_pending(const cpu86_t *c)
{
    return c->pending & CPU86P_PEND_IRQ;
}

void cpu86_int(cpu86_t *c, uint8_t vector)
{
    cpu86p_interrupt(c, vector, c->ip);
}

void cpu86_load_seg(cpu86_t *c, int seg, uint16_t sel)
{
    cpu86p_load_seg(c, seg & 3, sel);
}

uint16_t cpu86_get_flags(const cpu86_t *c)
{
    return c->flags;
}

void cpu86_set_flags(cpu86_t *c, uint16_t flags)
{
    c->flags = cpu86p_norm_flags(c, flags);
}

void cpu86p_fault(cpu86_t *c, uint8_t vec)
{
    c->fault_vec = vec;
    __builtin_longjmp(c->abort_jb, 1);
}

void cpu86p_exception(cpu86_t *c, uint8_t vec)
{
    uint16_t ret = c->insn_ip;

    if (vec == CPU86P_EXC_DE && !cpu86p_is186(c)) {
        ret = c->ip;
    }
    cpu86p_interrupt(c, vec, ret);
}

/*
 * The frame is written with plain wrap-around at offset FFFFh and no limit
 * check: a stack too small for it is the 286's shutdown case, which a VDM
 * has no use for.
 */
static void push_frame_word(cpu86_t *c, uint16_t v)
{
    uint32_t base = c->seg[CPU86_SS].base;

    c->sp = (uint16_t)(c->sp - 2);
    cpu86p_phys_wb(c, base + c->sp, (uint8_t)v);
    cpu86p_phys_wb(c, base + (uint16_t)(c->sp + 1), (uint8_t)(v >> 8));
}

void cpu86p_interrupt(cpu86_t *c, uint8_t vec, uint16_t ret_ip)
{
    uint32_t ivt = (uint32_t)vec * 4;
    uint16_t ip, cs;

    push_frame_word(c, c->flags);
    c->flags &= (uint16_t) ~(IF | TF);
    push_frame_word(c, c->seg[CPU86_CS].sel);
    push_frame_word(c, ret_ip);
    ip = (uint16_t)(cpu86p_phys_rb(c, ivt) | cpu86p_phys_rb(c, ivt + 1) << 8);
    cs = (uint16_t)(cpu86p_phys_rb(c, ivt + 2) | cpu86p_phys_rb(c, ivt + 3) << 8);
    cpu86p_load_seg(c, CPU86_CS, cs);
    c->ip = ip;
    c->pending &= (uint8_t)~CPU86P_PEND_HALT;
}

/*
 * A word the fast path refused: at the segment limit (offset FFFFh in real
 * mode), where the 8086 wraps to offset 0 and the 80286 faults, or at the
 * end of memory or of the address space, where each byte goes its own way.
 */
uint16_t cpu86p_rw_slow(cpu86_t *c, int seg, uint16_t off)
{
    const cpu86_seg_t *s = &c->seg[seg];
    uint16_t hi_off = (uint16_t)(off + 1);

    if (off >= s->limit && cpu86p_is186(c)) {
        cpu86p_fault(c, CPU86P_EXC_GP);
    }
    return (uint16_t)(cpu86p_phys_rb(c, s->base + off) | cpu86p_phys_rb(c, s->base + hi_off) << 8);
}

void cpu86p_ww_slow(cpu86_t *c, int seg, uint16_t off, uint16_t v)
{
    const cpu86_seg_t *s = &c->seg[seg];
    uint16_t hi_off = (uint16_t)(off + 1);

    if (off >= s->limit && cpu86p_is186(c)) {
        cpu86p_fault(c, CPU86P_EXC_GP);
    }
    cpu86p_phys_wb(c, s->base + off, (uint8_t)v);
    cpu86p_phys_wb(c, s->base + hi_off, (uint8_t)(v >> 8));
}
