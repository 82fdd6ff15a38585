/*
 * Signals. State: per-process actions, per-thread masks and pending sets.
 * Delivery changes the thread's registers through the executive: the
 * interrupted context (and FPU state) goes into a frame on the user stack
 * laid out as Linux lays out an rt_sigframe, and the thread continues in
 * the handler with rdi = signo, rsi = &siginfo, rdx = &ucontext and the
 * return address sa_restorer, which calls rt_sigreturn.
 *
 * A thread gets a signal at its next stop here: the end of a system call,
 * a fault, or an interrupt upcall (thread_interrupt) if it is running.
 * Calls waiting in the server are cut short with EINTR, or restarted for
 * handlers with SA_RESTART.
 */
#include "psx.h"
#include <stdlib.h>
#include <string.h>
#include <stddef.h>

#define BIT(s)      (1ull << ((s)-1))
#define UNBLOCKABLE (BIT(L_SIGKILL) | BIT(L_SIGSTOP))

typedef struct sigframe {
    uint64_t pretcode;
    l_ucontext_t uc;
    l_siginfo_t info;
    uint8_t fpstate[512] __attribute__((aligned(16)));
} sigframe_t;

enum { ACT_TERM, ACT_IGN, ACT_CORE, ACT_STOP };

static int default_action(int sig)
{
    switch (sig) {
    case L_SIGCHLD:
    case L_SIGCONT:
    case L_SIGWINCH:
    case 23: /* SIGURG */
        return ACT_IGN;
    case L_SIGSTOP:
    case L_SIGTSTP:
    case L_SIGTTIN:
    case L_SIGTTOU:
        return ACT_STOP;
    case L_SIGQUIT:
    case L_SIGILL:
    case L_SIGTRAP:
    case L_SIGABRT:
    case L_SIGBUS:
    case L_SIGFPE:
    case L_SIGSEGV:
        return ACT_CORE;
    default:
        return ACT_TERM;
    }
}

bool psx_signal_pending(psx_thread_t *t)
{
    return t->pending & ~t->sigmask;
}

/* Cuts short t's waiting call so that a signal can be delivered. */
static void interrupt_call(psx_thread_t *t)
{
    if (t->call.token && t->wait != W_NONE) {
        t->interrupted = true;
        long r = psx_dispatch(t);
        if (r == PSX_DEFER)
            r = -L_EINTR; /* a call that does not check: end it anyway */
        psx_complete(t, r);
    } else if (!t->call.token) {
        sys_thread_interrupt(t->th); /* running: stop it at the next boundary */
    }
}

l_siginfo_t psx_siginfo(int sig, int code, uint64_t pid)
{
    l_siginfo_t info;

    memset(&info, 0, sizeof(info));
    info.si_signo = sig;
    info.si_code = code;
    info.kill.pid = (int32_t)pid;
    return info;
}

#define RTQ_MAX 1024 /* queued real-time signals per thread */
#define STOPS   (BIT(L_SIGSTOP) | BIT(L_SIGTSTP) | BIT(L_SIGTTIN) | BIT(L_SIGTTOU))

static void tell_parent(psx_proc_t *p, int code, int status)
{
    psx_proc_t *parent = psx_find_proc(p->ppid);

    if (!parent || parent->state != P_ALIVE)
        return;
    if (!(parent->actions[L_SIGCHLD].flags & L_SA_NOCLDSTOP)) {
        l_siginfo_t info = psx_siginfo(L_SIGCHLD, code, p->pid);
        info.kill.status = status;
        psx_signal_proc(parent, &info);
    }
    psx_wake(W_CHILD, NULL);
}

void psx_proc_stop(psx_proc_t *p, int sig)
{
    if (p->stopped || p->state != P_ALIVE)
        return;
    p->stopped = true;
    p->stop_sig = sig;
    p->stop_unreported = true;
    p->cont_unreported = false;
    for (psx_thread_t *t = p->threads; t; t = t->next)
        sys_thread_suspend(t->th);
    tell_parent(p, L_CLD_STOPPED, sig);
}

void psx_proc_continue(psx_proc_t *p)
{
    if (!p->stopped || p->state != P_ALIVE)
        return;
    p->stopped = false;
    p->stop_unreported = false;
    p->cont_unreported = true;
    for (psx_thread_t *t = p->threads; t; t = t->next)
        sys_thread_resume(t->th);
    tell_parent(p, L_CLD_CONTINUED, L_SIGCONT);
}

/* SIGCONT cancels pending stops and a stop cancels a pending SIGCONT. */
static void job_control_on_send(psx_proc_t *p, int sig)
{
    if (sig == L_SIGCONT) {
        for (psx_thread_t *o = p->threads; o; o = o->next) {
            for (int s = L_SIGSTOP; s <= L_SIGTTOU; s++)
                psx_discard_signal(o, s);
        }
        psx_proc_continue(p);
    } else if (BIT(sig) & STOPS) {
        for (psx_thread_t *o = p->threads; o; o = o->next)
            psx_discard_signal(o, L_SIGCONT);
    }
}

long psx_signal_thread(psx_thread_t *t, const l_siginfo_t *info)
{
    psx_proc_t *p = t->proc;
    int sig = info->si_signo;

    if (sig < 1 || sig > L_NSIG || p->state != P_ALIVE)
        return 0;
    l_sigaction_t *a = &p->actions[sig];
    if (sig == L_SIGKILL) {
        psx_proc_exited(p, L_SIGKILL);
        return 0;
    }
    job_control_on_send(p, sig);
    if (sig == L_SIGSTOP) {
        psx_proc_stop(p, sig); /* neither caught nor blocked: at once */
        return 0;
    }
    /* Ignored signals are dropped at once, unless blocked. */
    if (!(t->sigmask & BIT(sig)) &&
        (a->handler == L_SIG_IGN || (a->handler == L_SIG_DFL && default_action(sig) == ACT_IGN)))
        return 0;
    if (sig < L_SIGRTMIN) {
        /* A standard signal is pending once, with its first sender's info. */
        if (!(t->pending & BIT(sig)))
            t->siginfo[sig] = *info;
    } else {
        size_t n = 0;
        psx_sigq_t **l = &t->rtq;
        for (; *l; l = &(*l)->next)
            n++;
        psx_sigq_t *q = n < RTQ_MAX ? calloc(1, sizeof(*q)) : NULL;
        if (!q)
            return -L_EAGAIN;
        q->info = *info;
        *l = q;
    }
    t->pending |= BIT(sig);
    if (!(t->sigmask & BIT(sig)))
        interrupt_call(t);
    else if (t->call.token && t->wait == W_SIGWAIT && (t->call.a[4] & BIT(sig)))
        psx_wake_thread(t); /* sigwaitinfo for it */
    return 0;
}

long psx_signal_proc(psx_proc_t *p, const l_siginfo_t *info)
{
    psx_thread_t *target = p->threads;
    int sig = info->si_signo;

    if (p->state != P_ALIVE || !target)
        return 0;
    for (psx_thread_t *t = p->threads; t; t = t->next) {
        if (t->call.token && t->wait == W_SIGWAIT && (t->call.a[4] & BIT(sig))) {
            target = t;
            break;
        }
        if (!(t->sigmask & BIT(sig)) && target->sigmask & BIT(sig))
            target = t;
    }
    return psx_signal_thread(target, info);
}

void psx_signal_kernel(psx_proc_t *p, int sig)
{
    l_siginfo_t info = psx_siginfo(sig, L_SI_KERNEL, 0);

    psx_signal_proc(p, &info);
}

int psx_dequeue_signal(psx_thread_t *t, uint64_t set, l_siginfo_t *out)
{
    uint64_t ready = t->pending & set;

    if (!ready)
        return 0;
    int sig = __builtin_ctzll(ready) + 1;
    if (sig < L_SIGRTMIN) {
        *out = t->siginfo[sig];
        t->pending &= ~BIT(sig);
        return sig;
    }
    psx_sigq_t **l = &t->rtq;
    while (*l && (*l)->info.si_signo != sig)
        l = &(*l)->next;
    if (*l) {
        psx_sigq_t *q = *l;
        *out = q->info;
        *l = q->next;
        free(q);
    } else {
        *out = psx_siginfo(sig, L_SI_KERNEL, 0);
    }
    bool more = false;
    for (psx_sigq_t *q = t->rtq; q; q = q->next)
        more |= q->info.si_signo == sig;
    if (!more)
        t->pending &= ~BIT(sig);
    return sig;
}

void psx_discard_signal(psx_thread_t *t, int sig)
{
    l_siginfo_t info;

    while (t->pending & BIT(sig))
        psx_dequeue_signal(t, BIT(sig), &info);
}

static void fill_mcontext(l_sigcontext_t *m, const thread_context_t *c)
{
    memset(m, 0, sizeof(*m));
    m->r8 = c->r8, m->r9 = c->r9, m->r10 = c->r10, m->r11 = c->r11;
    m->r12 = c->r12, m->r13 = c->r13, m->r14 = c->r14, m->r15 = c->r15;
    m->rdi = c->rdi, m->rsi = c->rsi, m->rbp = c->rbp, m->rbx = c->rbx;
    m->rdx = c->rdx, m->rax = c->rax, m->rcx = c->rcx, m->rsp = c->rsp;
    m->rip = c->rip, m->eflags = c->rflags;
    m->cs = 0x33;
}

/* Puts the frame on the stack and points t at the handler. */
static bool enter_handler(psx_thread_t *t, int sig, thread_context_t *ctx, const l_siginfo_t *info,
                          uint64_t fault_addr)
{
    psx_proc_t *p = t->proc;
    l_sigaction_t *a = &p->actions[sig];
    sigframe_t *f = calloc(1, sizeof(*f));
    uint64_t sp = ctx->rsp;

    if (!f)
        return false;
    bool on_alt = t->altstack.flags != L_SS_DISABLE && sp > t->altstack.sp &&
                  sp <= t->altstack.sp + t->altstack.size;
    if ((a->flags & L_SA_ONSTACK) && t->altstack.flags != L_SS_DISABLE && !on_alt)
        sp = t->altstack.sp + t->altstack.size;
    else
        sp -= 128;                         /* the red zone */
    sp = ((sp - sizeof(*f)) & ~15ull) - 8; /* as after a call */

    if (t->restart && (a->flags & L_SA_RESTART)) {
        /* back to the syscall instruction, to make the call again */
        ctx->rip -= 2;
        ctx->rax = t->call.nr;
    }
    t->restart = false;
    f->pretcode = a->restorer;
    f->uc.uc_stack = t->altstack;
    f->uc.uc_stack.flags = on_alt ? L_SS_ONSTACK : t->altstack.flags;
    fill_mcontext(&f->uc.uc_mcontext, ctx);
    f->uc.uc_mcontext.cr2 = fault_addr;
    f->uc.uc_mcontext.fpstate = sp + offsetof(sigframe_t, fpstate);
    uint64_t base = t->has_restore_mask ? t->restore_mask : t->sigmask;
    f->uc.uc_sigmask = base;
    f->info = *info;
    sys_thread_get_fpu(t->th, f->fpstate);
    if (psx_write(p, sp, f, sizeof(*f)) < 0) {
        free(f);
        return false; /* no room for the frame: the caller kills */
    }
    free(f);

    ctx->rip = a->handler;
    ctx->rsp = sp;
    ctx->rdi = (uint64_t)sig;
    ctx->rsi = sp + offsetof(sigframe_t, info);
    ctx->rdx = sp + offsetof(sigframe_t, uc);
    ctx->rax = 0;
    ctx->rflags &= ~0x400ull; /* DF clear, as the ABI wants */
    t->sigmask = base | a->mask | (a->flags & L_SA_NODEFER ? 0 : BIT(sig));
    t->sigmask &= ~UNBLOCKABLE;
    t->has_restore_mask = false;
    if (a->flags & L_SA_RESETHAND)
        a->handler = L_SIG_DFL;
    return sys_thread_set_context(t->th, ctx) == ST_OK;
}

bool psx_deliver(psx_thread_t *t, thread_context_t *ctx)
{
    psx_proc_t *p = t->proc;

    while (p->state == P_ALIVE && psx_signal_pending(t)) {
        l_siginfo_t info;
        int sig = psx_dequeue_signal(t, ~t->sigmask, &info);
        l_sigaction_t *a = &p->actions[sig];

        if (a->handler == L_SIG_IGN)
            continue;
        if (a->handler == L_SIG_DFL) {
            int act = default_action(sig);
            if (act == ACT_STOP)
                psx_proc_stop(p, sig);
            if (act == ACT_IGN || act == ACT_STOP)
                continue;
            psx_proc_exited(p, sig | (act == ACT_CORE ? 0x80 : 0));
            return false;
        }
        if (!enter_handler(t, sig, ctx, &info, 0)) {
            psx_proc_exited(p, L_SIGSEGV);
            return false;
        }
        return true;
    }
    return false;
}

long psx_sigreturn(psx_thread_t *t)
{
    thread_context_t ctx;
    sigframe_t *f = malloc(sizeof(*f));
    l_sigcontext_t *m;

    if (!f || sys_thread_get_context(t->th, &ctx) < 0) {
        free(f);
        return -L_EFAULT;
    }
    if (psx_read(t->proc, ctx.rsp - 8, f, sizeof(*f)) < 0) {
        free(f);
        psx_proc_exited(t->proc, L_SIGSEGV);
        return PSX_DEFER; /* the process is gone: no reply */
    }
    m = &f->uc.uc_mcontext;
    ctx.r8 = m->r8, ctx.r9 = m->r9, ctx.r10 = m->r10, ctx.r11 = m->r11;
    ctx.r12 = m->r12, ctx.r13 = m->r13, ctx.r14 = m->r14, ctx.r15 = m->r15;
    ctx.rdi = m->rdi, ctx.rsi = m->rsi, ctx.rbp = m->rbp, ctx.rbx = m->rbx;
    ctx.rdx = m->rdx, ctx.rax = m->rax, ctx.rcx = m->rcx, ctx.rsp = m->rsp;
    ctx.rip = m->rip, ctx.rflags = m->eflags;
    t->sigmask = f->uc.uc_sigmask & ~UNBLOCKABLE;
    if (m->fpstate == ctx.rsp - 8 + offsetof(sigframe_t, fpstate) || !m->fpstate)
        sys_thread_set_fpu(t->th, f->fpstate);
    free(f);
    if (sys_thread_set_context(t->th, &ctx) < 0) {
        psx_proc_exited(t->proc, L_SIGSEGV);
        return PSX_DEFER;
    }
    return (long)ctx.rax; /* the reply sets rax: give back the saved one */
}

static int fault_signal(unsigned vector)
{
    switch (vector) {
    case 0:
    case 16:
    case 19:
        return L_SIGFPE;
    case 1:
    case 3:
        return L_SIGTRAP;
    case 6:
        return L_SIGILL;
    case 17:
        return L_SIGBUS;
    default:
        return L_SIGSEGV;
    }
}

void psx_fault(psx_thread_t *t, unsigned vector, uint64_t error, uint64_t addr, uint64_t token)
{
    psx_proc_t *p = t->proc;
    /* A page of a file mapping past the file's end: SIGBUS (BUS_ADRERR). */
    int sig =
        vector == 14 && psx_vma_past_eof(psx_vm_owner(p), addr) ? L_SIGBUS : fault_signal(vector);
    l_sigaction_t *a = &p->actions[sig];
    thread_context_t ctx;
    ipc_msg_t m = {0};
    l_siginfo_t info;

    memset(&info, 0, sizeof(info));
    info.si_signo = sig;
    /* SEGV_MAPERR, or SEGV_ACCERR inside a mapping (its protection said no);
     * FPE_INTDIV; BUS_ADRERR */
    vm_region_info_t r;
    bool mapped = vector == 14 && ((error & 1) || sys_vm_query(p->mem, addr, &r) == ST_OK);
    info.si_code = sig == L_SIGSEGV ? (mapped ? 2 : 1) : sig == L_SIGFPE ? 1 : 2;
    info.fault.addr = sig == L_SIGSEGV || sig == L_SIGBUS ? addr : 0;
    if (a->handler > L_SIG_IGN && !(t->sigmask & BIT(sig)) &&
        sys_thread_get_context(t->th, &ctx) == ST_OK) {
        info.fault.addr = sig == L_SIGSEGV || sig == L_SIGBUS ? addr : ctx.rip;
        if (enter_handler(t, sig, &ctx, &info, addr)) {
            m.tag = IPC_TAG(IPC_EXC_RESUME, 0);
            native_ipc_reply(token, &m);
            return;
        }
    }
    /* Blocked, ignored or default: a fault cannot be ignored; it kills. A
     * borrowed thread is ended alone: the process it runs in is the lender. */
    bool borrowed = p->lender != NULL;
    psx_proc_exited(p, sig | 0x80);
    m.tag = IPC_TAG(borrowed ? IPC_EXC_RESUME : IPC_EXC_KILL, 0);
    native_ipc_reply(token, &m);
}
