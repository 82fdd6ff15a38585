/*
 * The VDM's machine: set-up of memory and the CPU, the run loop with its
 * budget and periodic work (timer, keyboard, screen), and the dispatch of
 * host calls to the BIOS in C or to the embedder's DOS.
 *
 * Entry points: vdm_init, vdm_run, vdm_stop, vdm_get_regs, vdm_set_regs,
 * vdm_log_once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vdmp.h"

/*
 * Instructions per slice: the run loop renders the screen, refills the
 * keyboard queue and raises timer interrupts between slices, so a slice
 * must be short next to a 55 ms tick and long next to that work.
 */
#define SLICE 20000u

int vdm_init(vdm_t *v, uint8_t *mem, uint32_t mem_size, const vdm_host_t *host, void *ctx)
{
    if (mem == NULL || mem_size < VDM_MEM_SIZE || host == NULL || host->dos_call == NULL ||
        host->term_write == NULL || host->key_read == NULL || host->clock == NULL)
        return -1;
    memset(v, 0, sizeof(*v));
    memset(mem, 0, VDM_MEM_SIZE);
    v->mem = mem;
    v->host = *host;
    v->ctx = ctx;
    v->timer_enabled = true;
    v->con_scan = -1;

    cpu86_init(&v->cpu, CPU86_MODEL_80186, mem, VDM_MEM_SIZE);
    v->cpu.addr_mask = VDM_ADDR_MASK;
    v->cpu.hostcall_enabled = true;

    vdmp_bios_init(v);
    vdmp_kbd_init(v);
    vdmp_ports_init(v);
    vdmp_video_set_mode(v, 3, true);
    vdmp_scr_init(v);

    /* Until DOS lays out a program, the CPU idles in the BIOS. */
    cpu86_load_seg(&v->cpu, CPU86_CS, VDM_BIOS_SEG);
    v->cpu.ip = BIOS_IRET_OFF;
    cpu86_set_flags(&v->cpu, DOS_FLAG_IF);
    return 0;
}

void vdm_get_regs(const vdm_t *v, dos_regs_t *r)
{
    const cpu86_t *c = &v->cpu;

    r->ax = c->ax;
    r->bx = c->bx;
    r->cx = c->cx;
    r->dx = c->dx;
    r->si = c->si;
    r->di = c->di;
    r->bp = c->bp;
    r->sp = c->sp;
    r->ds = c->seg[CPU86_DS].sel;
    r->es = c->seg[CPU86_ES].sel;
    r->ss = c->seg[CPU86_SS].sel;
    r->cs = c->seg[CPU86_CS].sel;
    r->ip = c->ip;
    r->flags = cpu86_get_flags(c);
}

void vdm_set_regs(vdm_t *v, const dos_regs_t *r)
{
    cpu86_t *c = &v->cpu;

    c->ax = r->ax;
    c->bx = r->bx;
    c->cx = r->cx;
    c->dx = r->dx;
    c->si = r->si;
    c->di = r->di;
    c->bp = r->bp;
    c->sp = r->sp;
    cpu86_load_seg(c, CPU86_DS, r->ds);
    cpu86_load_seg(c, CPU86_ES, r->es);
    cpu86_load_seg(c, CPU86_SS, r->ss);
    cpu86_load_seg(c, CPU86_CS, r->cs);
    c->ip = r->ip;
    cpu86_set_flags(c, r->flags);
}

void vdm_stop(vdm_t *v)
{
    v->stop_requested = 1;
}

void vdm_log_once(vdm_t *v, uint32_t key, const char *msg)
{
    for (unsigned i = 0; i < v->nlogged; i++)
        if (v->logged[i] == key)
            return;
    if (v->nlogged == sizeof(v->logged) / sizeof(v->logged[0]))
        return;
    v->logged[v->nlogged++] = key;
    if (v->host.log != NULL)
        v->host.log(v->ctx, msg);
}

void vdmp_logf(vdm_t *v, uint32_t key, const char *fmt, ...)
{
    char msg[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    vdm_log_once(v, key, msg);
}

/* Ends the run with status and a reason for the embedder. */
void vdmp_halt(vdm_t *v, int status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(v->why, sizeof(v->why), fmt, ap);
    va_end(ap);
    v->status = status;
}

static void dos_result(vdm_t *v, int rc, const dos_regs_t *r)
{
    switch (rc) {
    case DOS_CALL_DONE:
        break;
    case DOS_CALL_EXIT:
        v->exit_code = r->al;
        v->exit_type = r->ah;
        v->status = VDM_EXITED;
        break;
    case DOS_CALL_NOINPUT:
        vdmp_halt(v, VDM_INPUT_ENDED, "console input ended while the program waits for it");
        break;
    default:
        vdmp_halt(v, VDM_HALTED, "DOS stopped the machine (see its log)");
        break;
    }
}

static uint16_t pop16(vdm_t *v, dos_regs_t *r)
{
    uint16_t x = vm_rd16(v->mem, r->ss, r->sp);
    r->sp = (uint16_t)(r->sp + 2);
    return x;
}

/*
 * INT v reached its stub: drop the interrupt frame so the handler sees the
 * caller's registers, run it, and resume wherever the block now says.
 */
static void service(vdm_t *v, uint8_t vec)
{
    dos_regs_t r;

    vdm_get_regs(v, &r);
    r.ip = pop16(v, &r);
    r.cs = pop16(v, &r);
    r.flags = pop16(v, &r);
    if (!vdmp_bios_service(v, vec, &r))
        dos_result(v, v->host.dos_call(v->ctx, v, vec, &r), &r);
    vdm_set_regs(v, &r);
}

static void hostcall(vdm_t *v, uint8_t num)
{
    if (num < DOS_HC_INLINE) {
        service(v, num);
    } else if (num == HC_TIMER_TICK) {
        vdmp_timer_tick(v);
    } else if (num == HC_RESET) {
        vdmp_halt(v, VDM_HALTED, "the program jumped to the reset vector");
    } else if (num >= DOS_HC_DOS_FIRST) {
        dos_regs_t r;
        vdm_get_regs(v, &r);
        dos_result(v, v->host.dos_call(v->ctx, v, num, &r), &r);
        vdm_set_regs(v, &r);
    } else {
        vdmp_halt(v, VDM_HALTED, "unknown host call %02Xh at %04X:%04X", num,
                  v->cpu.seg[CPU86_CS].sel, v->cpu.ip);
    }
}

/* HLT: with interrupts off nothing can wake the CPU; with them on, the
 * next timer tick will. */
static void halted(vdm_t *v)
{
    if (!(v->cpu.flags & CPU86_FLAG_IF) || !v->timer_enabled) {
        vdmp_halt(v, VDM_HALTED, "HLT at %04X:%04X with no interrupt to wake it",
                  v->cpu.seg[CPU86_CS].sel, (uint16_t)(v->cpu.ip - 1));
        return;
    }
    vdm_render(v);
    if (v->host.idle != NULL)
        v->host.idle(v->ctx, 10000);
}

int vdm_run(vdm_t *v, uint64_t max_insns)
{
    uint64_t left = max_insns;

    v->status = VDM_RUNNING;
    while (left > 0 && v->status == VDM_RUNNING) {
        if (v->stop_requested) {
            v->stop_requested = 0;
            v->status = VDM_STOPPED;
            break;
        }
        uint64_t before = v->cpu.insn_count;
        int e = cpu86_run(&v->cpu, left < SLICE ? left : SLICE);
        uint64_t done = v->cpu.insn_count - before;
        /* Every pass uses budget, so a stream of host calls ends too. */
        left -= done == 0 ? 1 : (done < left ? done : left);

        if (e == CPU86_EXIT_HOSTCALL)
            hostcall(v, v->cpu.hostcall_num);
        else if (e == CPU86_EXIT_HALT)
            halted(v);
        /* A program that calls DOS in a tight loop still gets its ticks. */
        if (e != CPU86_EXIT_HOSTCALL || v->cpu.insn_count - v->last_periodic >= SLICE) {
            v->last_periodic = v->cpu.insn_count;
            vdmp_kbd_fill(v);
            vdmp_timer(v);
            vdm_render(v);
        }
    }
    vdm_render(v);
    return v->status;
}
