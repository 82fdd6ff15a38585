/*
 * The POSIX server: set-up and the message loop.
 *
 * Messages: forwarded system calls of POSIX processes (IPC_LABEL_SYSCALL),
 * their faults and interrupt upcalls (IPC_LABEL_EXCEPTION), the shell's
 * PERS_SPAWN and PERS_INTERRUPT, and notifications (a POSIX process ended;
 * terminal input is ready). Calls that wait keep their token in the thread
 * record; psx_wake() re-runs them when what they wait on changes, and the
 * loop's timeout ends those whose deadline passed.
 */
#include "psx.h"
#include <native/console.h>
#include <native/personality.h>
#include <stdlib.h>
#include <string.h>

#define BIT_PROC_EXIT 0x1ull
#define BIT_TTY_INPUT 0x2ull

psx_t psx;

uint64_t psx_now(void)
{
    uint64_t t = 0;

    sys_clock_get(CLOCK_MONOTONIC_NS, &t);
    return t;
}

long psx_dispatch(psx_thread_t *t)
{
    uint64_t nr = t->call.nr;
    static uint8_t logged[512];

    if (nr < psx_nsyscalls && psx_syscalls[nr]) {
        long r = psx_syscalls[nr](t, &t->call);
        /* A call that waits may have a deadline (t itself may be gone:
         * exit); the loop looks. */
        if (r == PSX_DEFER)
            psx.timed_waits = true;
        return r;
    }
    /* Unimplemented: -ENOSYS, logged once per call; numbers beyond the
     * table once for all of them, so that no program can flood the log. */
    uint64_t slot = nr < sizeof(logged) ? nr : sizeof(logged) - 1;
    if (!logged[slot]) {
        logged[slot] = 1;
        printf("posix: %s (pid %llu): system call %s (%llu) is not implemented: ENOSYS\n",
               t->proc->comm, (unsigned long long)t->proc->pid,
               nr < psx_nsyscalls && psx_syscall_names[nr] ? psx_syscall_names[nr] : "unknown",
               (unsigned long long)nr);
    }
    return -L_ENOSYS;
}

/* Calls that a handler with SA_RESTART makes start again when a signal
 * ended their wait (Linux's ERESTARTSYS); sleeps, poll and select and the
 * signal waits end with EINTR whatever the handler says. */
static bool restartable(uint64_t nr)
{
    switch (nr) {
    case 0:   /* read */
    case 1:   /* write */
    case 2:   /* open */
    case 16:  /* ioctl */
    case 17:  /* pread64 */
    case 18:  /* pwrite64 */
    case 19:  /* readv */
    case 20:  /* writev */
    case 61:  /* wait4 */
    case 72:  /* fcntl */
    case 202: /* futex */
    case 247: /* waitid */
    case 257: /* openat */
        return true;
    default:
        return false;
    }
}

/*
 * Ends t's call with value: delivers a pending signal first (the handler
 * may change what the caller sees), restores a mask rt_sigsuspend set, and
 * fills *m with the reply. Returns the token to answer, or 0 when nobody
 * waits for this reply any more.
 */
static uint64_t finish(psx_thread_t *t, long value, ipc_msg_t *m)
{
    uint64_t token = t->call.token;

    if (!token)
        return 0;
    t->call.token = 0;
    t->wait = W_NONE;
    t->deadline = 0;
    t->restart = t->interrupted && value == -L_EINTR && restartable(t->call.nr);
    t->interrupted = false;
    if (psx_signal_pending(t)) {
        thread_context_t ctx;
        if (sys_thread_get_context(t->th, &ctx) == ST_OK) {
            ctx.rax = (uint64_t)value;
            if (psx_deliver(t, &ctx))
                value = (long)ctx.rax; /* what the handler starts with */
        }
    }
    t->restart = false;
    if (t->has_restore_mask) {
        t->sigmask = t->restore_mask; /* rt_sigsuspend ended without a handler */
        t->has_restore_mask = false;
    }
    if (t->proc->state != P_ALIVE)
        return 0; /* the process is gone; nobody waits for this reply */
    *m = (ipc_msg_t){.w[0] = (uint64_t)value};
    return token;
}

void psx_complete(psx_thread_t *t, long value)
{
    ipc_msg_t m;
    uint64_t token = finish(t, value, &m);

    if (token)
        native_ipc_reply(token, &m);
}

/*
 * Re-runs waiting calls. The waiters are collected first and looked up
 * again one by one, because finishing a call may reap processes (wait4)
 * or wake others, which changes the lists being walked.
 */
static void rerun(enum psx_wait_kind kind, const void *object, bool expired_only)
{
    struct {
        uint64_t pid, tid;
    } *todo = NULL;
    size_t n = 0, cap = 0;
    uint64_t now = expired_only ? psx_now() : 0;

    for (psx_proc_t *p = psx.procs; p; p = p->next) {
        for (psx_thread_t *t = p->threads; t; t = t->next) {
            if (!t->call.token)
                continue;
            if (expired_only ? (!t->deadline || t->deadline > now) : t->wait != kind)
                continue;
            if (!expired_only && object && t->wait_obj != object)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                void *grown = realloc(todo, cap * sizeof(*todo));
                if (!grown)
                    break;
                todo = grown;
            }
            todo[n].pid = p->pid;
            todo[n].tid = t->tid;
            n++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        psx_proc_t *p = psx_find_proc(todo[i].pid);
        psx_thread_t *t = p && p->state == P_ALIVE ? psx_find_thread(p, todo[i].tid) : NULL;
        if (!t || !t->call.token)
            continue;
        if (!expired_only && kind == W_PIPE)
            t->wait = W_NONE; /* it waits again if it still must */
        long r = psx_dispatch(t);
        if (r != PSX_DEFER)
            psx_complete(t, r);
    }
    free(todo);
}

void psx_wake_thread(psx_thread_t *t)
{
    if (!t->call.token)
        return;
    long r = psx_dispatch(t);
    if (r != PSX_DEFER)
        psx_complete(t, r);
}

void psx_wake(enum psx_wait_kind kind, const void *object)
{
    rerun(kind, object, false);
}

/*
 * A forwarded system call. One that completes now is answered through the
 * framework's reply-and-receive (one kernel entry, and the kernel switches
 * straight back to the caller); one that waits keeps its token.
 */
static long on_syscall(srv_req_t *req)
{
    psx_thread_t *t = psx_thread_by_ktid(req->msg.w[IPC_SC_TID]);
    uint64_t nr;
    long r;

    if (!t || t->call.token) {
        /* Not ours (created without this server), or a second call from a
         * thread we think is waiting: refuse rather than guess. */
        memset(&req->msg, 0, sizeof(req->msg));
        req->msg.w[0] = (uint64_t)-L_ENOSYS;
        return ST_OK;
    }
    nr = req->msg.w[IPC_SC_NR];
    t->call.nr = nr;
    for (int i = 0; i < 6; i++)
        t->call.a[i] = req->msg.w[IPC_SC_ARG0 + i];
    t->call.token = req->token;
    t->call.progress = 0;
    t->wait = W_NONE;
    t->interrupted = false;
    r = psx_dispatch(t);
    if (r == PSX_DEFER)
        return SRV_DEFERRED;
    if (t->call.token != req->token) {
        /* The handler answered already (exec, vfork), or the call is gone. */
        psx_complete(t, r);
        return SRV_DEFERRED;
    }
    if (!finish(t, r, &req->msg))
        return SRV_DEFERRED; /* nobody to answer */
    return ST_OK;
}

/*
 * The calls answered from our records (table.c, psx_syscall_quick), before
 * the framework's dispatch: with no signal to deliver, there is nothing of
 * a call in progress to keep or to undo.
 */
static long quick(server_t *srv, srv_req_t *req)
{
    uint64_t nr = req->msg.w[IPC_SC_NR];
    psx_thread_t *t;

    (void)srv;
    if (IPC_LABEL(req->msg.tag) != IPC_LABEL_SYSCALL || nr >= psx_nsyscalls ||
        !psx_syscall_quick[nr])
        return SRV_PASS;
    t = psx_thread_by_ktid(req->msg.w[IPC_SC_TID]);
    if (!t || t->call.token || psx_signal_pending(t))
        return SRV_PASS;
    psx_call_t c = {.nr = nr,
                    .a = {req->msg.w[IPC_SC_ARG0], req->msg.w[IPC_SC_ARG0 + 1],
                          req->msg.w[IPC_SC_ARG0 + 2], req->msg.w[IPC_SC_ARG0 + 3],
                          req->msg.w[IPC_SC_ARG0 + 4], req->msg.w[IPC_SC_ARG0 + 5]}};
    req->msg.w[0] = (uint64_t)psx_syscalls[nr](t, &c);
    return ST_OK;
}

static void on_exception(srv_req_t *req)
{
    psx_thread_t *t = psx_thread_by_ktid(req->msg.w[IPC_EXC_TID]);
    psx_proc_t *p = t ? t->proc : NULL;
    ipc_msg_t m = {0};

    if (!t) {
        m.tag = IPC_TAG(IPC_EXC_KILL, 0);
        native_ipc_reply(req->token, &m);
        return;
    }
    if (req->msg.w[IPC_EXC_VECTOR] == IPC_EXC_INTERRUPT) {
        /* Stopped between two instructions for a signal. */
        thread_context_t ctx;
        if (sys_thread_get_context(t->th, &ctx) == ST_OK)
            psx_deliver(t, &ctx);
        m.tag = IPC_TAG(IPC_EXC_RESUME, 0);
        if (p->state == P_ALIVE)
            native_ipc_reply(req->token, &m);
        return;
    }
    psx_fault(t, (unsigned)req->msg.w[IPC_EXC_VECTOR], req->msg.w[IPC_EXC_ERROR],
              req->msg.w[IPC_EXC_ADDRESS], req->token);
}

/* The shell starts a POSIX program. */
static long on_spawn(srv_req_t *req)
{
    pers_spawn_args_t a;
    psx_proc_t *p;
    long st = pers_spawn_parse(req, &a);

    if (st < 0)
        return st;
    st = psx_spawn(a.path, a.cwd, a.argv, a.envp, req->sender_pid, &p);
    pers_spawn_free(&a);
    if (st < 0)
        return st;
    return pers_spawn_reply(req, p->proc, p->pid);
}

static long on_interrupt(srv_req_t *req)
{
    psx_proc_t *p = psx_find_proc(req->msg.w[0]);

    if (!p)
        return ST_NOT_FOUND;
    /* Ctrl-C: SIGINT to the terminal's foreground process group (a job
     * shell moves it to each job), else to the program's own group. */
    uint64_t pgid = p->pgid, fg = psx_tty_foreground();
    for (psx_proc_t *q = psx.procs; q && fg; q = q->next) {
        if (q->state == P_ALIVE && q->pgid == fg && q->sid == p->sid)
            pgid = fg;
    }
    for (psx_proc_t *q = psx.procs; q; q = q->next) {
        if (q->state == P_ALIVE && q->pgid == pgid)
            psx_signal_kernel(q, L_SIGINT);
    }
    return ST_OK;
}

static long intercept(server_t *srv, srv_req_t *req)
{
    uint32_t label = IPC_LABEL(req->msg.tag);

    (void)srv;
    if (label == IPC_LABEL_SYSCALL)
        return on_syscall(req);
    if (label == IPC_LABEL_EXCEPTION) {
        on_exception(req);
        return SRV_DEFERRED;
    }
    if (label == PERS_SPAWN)
        return on_spawn(req);
    if (label == PERS_INTERRUPT)
        return on_interrupt(req);
    return SRV_PASS;
}

static void on_notify(server_t *srv, uint64_t bits)
{
    (void)srv;
    if (bits & BIT_PROC_EXIT)
        psx_check_dead();
    if (bits & BIT_TTY_INPUT) {
        psx.tty_watched = false;
        psx_tty_input_ready();
    }
}

static uint64_t next_timeout_us(server_t *srv)
{
    uint64_t next = 0, now;

    (void)srv;
    psx_collect_garbage(); /* between two messages nobody holds a record */
    next = psx.alarms_armed ? psx_run_alarms() : 0;
    if (psx.timed_waits) {
        bool any = false;
        for (psx_proc_t *p = psx.procs; p; p = p->next) {
            for (psx_thread_t *t = p->threads; t; t = t->next) {
                if (!t->call.token || !t->deadline)
                    continue;
                any = true;
                if (!next || t->deadline < next)
                    next = t->deadline;
            }
        }
        psx.timed_waits = any;
    }
    if (!next)
        return 0;
    now = psx_now();
    return next > now ? (next - now + 999) / 1000 : 1;
}

static void on_timeout(server_t *srv)
{
    (void)srv;
    rerun(W_NONE, NULL, true); /* the handlers see their deadline passed */
}

int main(void)
{
    native_use_kernel_log();
    psx.boot_ns = psx_now();
    psx.srv.name = "posix";
    psx.srv.port_name = "Posix";
    psx.srv.quick = quick;
    psx.srv.intercept = intercept;
    psx.srv.notify = on_notify;
    psx.srv.next_timeout_us = next_timeout_us;
    psx.srv.timeout = on_timeout;
    if (srv_init(&psx.srv) < 0)
        return 1;
    psx.port = psx.srv.port;
    srv_run(&psx.srv);
    return 1;
}
