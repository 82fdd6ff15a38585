/*
 * Process, thread and signal system calls.
 */
#include "psx.h"
#include <stdlib.h>
#include <string.h>

#define BIT(s) (1ull << ((s)-1))

void psx_set_cmdline(psx_proc_t *p, char *const *argv);

/* The calling thread's registers, as they will be when its call returns. */
static long caller_context(psx_thread_t *t, thread_context_t *ctx)
{
    return sys_thread_get_context(t->th, ctx) < 0 ? -L_EFAULT : 0;
}

/* A new process started at the caller's return address with rax = 0:
 * with a copy of the caller's memory (fork), or, with CLONE_VM, on a
 * thread borrowed from the caller's process, in the same memory (vfork;
 * its own process stays empty until it execs). */
static long do_fork(psx_thread_t *t, uint64_t flags, uint64_t stack, uint64_t ptid, uint64_t ctid,
                    uint64_t tls)
{
    psx_proc_t *p = t->proc, *c;
    thread_context_t ctx;
    process_info_t info;
    handle_t proc, th, mem = 0;
    uint8_t fpu[512];
    long st;

    if (caller_context(t, &ctx) < 0)
        return -L_EFAULT;
    st = sys_process_create(p->comm, PERSONALITY_POSIX, psx.port, 0, &proc);
    if (st < 0)
        return -L_EAGAIN;
    if (flags & L_CLONE_VM)
        st = sys_handle_duplicate(HANDLE_SELF_PROCESS, p->mem, HANDLE_SELF_PROCESS, H_ALL, &mem);
    else
        st = sys_vm_clone(proc, p->mem);
    if (st < 0) {
        sys_process_terminate(proc, EXIT_STATUS_KILLED);
        sys_handle_close(proc);
        return -L_ENOMEM;
    }
    sys_process_info(proc, &info);
    c = psx_proc_new(info.pid, proc);
    if (!c) {
        sys_process_terminate(proc, EXIT_STATUS_KILLED);
        sys_handle_close(proc);
        if (mem)
            sys_handle_close(mem);
        return -L_ENOMEM;
    }
    if (mem) {
        c->mem = mem;
        c->mem_id = p->mem_id;
        c->lender = p->lender ? p->lender : p;
    }
    c->ppid = (flags & L_CLONE_PARENT) ? p->ppid : p->pid;
    c->pgid = p->pgid;
    c->sid = p->sid;
    strlcpy(c->cwd, p->cwd, sizeof(c->cwd));
    strlcpy(c->exe, p->exe, sizeof(c->exe));
    strlcpy(c->comm, p->comm, sizeof(c->comm));
    if (p->cmdline) {
        c->cmdline = malloc(p->cmdline_len);
        if (c->cmdline) {
            memcpy(c->cmdline, p->cmdline, p->cmdline_len);
            c->cmdline_len = p->cmdline_len;
        }
    }
    c->umask = p->umask;
    c->nice = p->nice;
    c->no_ctty = p->no_ctty;
    c->persona = p->persona;
    memcpy(c->actions, p->actions, sizeof(c->actions));
    memcpy(c->rlimits, p->rlimits, sizeof(c->rlimits));
    c->brk_start = p->brk_start;
    c->brk_end = p->brk_end;
    c->mmap_hint = p->mmap_hint;
    psx_fds_copy(c, p);
    if (!mem && psx_vma_copy(c, psx_vm_owner(p)) < 0) {
        psx_proc_exited(c, L_SIGKILL);
        psx_reap(c);
        return -L_ENOMEM;
    }
    sys_process_set_exception_port(proc, psx.port);

    ctx.rax = 0;
    if (stack)
        ctx.rsp = stack;
    if (flags & L_CLONE_SETTLS)
        ctx.fs_base = tls;
    st = sys_thread_create(c->mem, ctx.rip, ctx.rsp, 0, THREAD_CREATE_SUSPENDED, &th);
    if (st < 0) {
        psx_proc_exited(c, L_SIGKILL);
        psx_reap(c);
        return -L_EAGAIN;
    }
    sys_thread_set_context(th, &ctx);
    if (sys_thread_get_fpu(t->th, fpu) == ST_OK)
        sys_thread_set_fpu(th, fpu);
    psx_thread_t *ct = psx_thread_new(c, th, true);
    if (!ct) {
        sys_thread_terminate(th, 0);
        sys_handle_close(th);
        psx_proc_exited(c, L_SIGKILL);
        psx_reap(c);
        return -L_ENOMEM;
    }
    ct->sigmask = t->sigmask;
    ct->altstack = t->altstack;
    if (flags & L_CLONE_CHILD_CLEARTID)
        ct->clear_child_tid = ctid;
    if (flags & L_CLONE_CHILD_SETTID) {
        int32_t tid = (int32_t)ct->tid;
        psx_write(c, ctid, &tid, sizeof(tid));
    }
    if (flags & L_CLONE_PARENT_SETTID) {
        int32_t pid = (int32_t)c->pid;
        psx_write(p, ptid, &pid, sizeof(pid));
    }
    sys_thread_resume(th);
    if (flags & L_CLONE_VFORK) {
        /* The parent waits until the child execs or exits. */
        c->vfork_parent = t;
        t->wait = W_VFORK;
        return PSX_DEFER;
    }
    return (long)c->pid;
}

/* A new thread in the caller's process (pthread_create). */
static long do_thread(psx_thread_t *t, uint64_t flags, uint64_t stack, uint64_t ptid, uint64_t ctid,
                      uint64_t tls)
{
    psx_proc_t *p = t->proc;
    thread_context_t ctx;
    handle_t th;
    long st;

    if (!(flags & L_CLONE_VM) || !(flags & L_CLONE_SIGHAND))
        return -L_EINVAL;
    if (caller_context(t, &ctx) < 0)
        return -L_EFAULT;
    ctx.rax = 0;
    ctx.rsp = stack ? stack : ctx.rsp;
    if (flags & L_CLONE_SETTLS)
        ctx.fs_base = tls;
    st = sys_thread_create(p->mem, ctx.rip, ctx.rsp, 0, THREAD_CREATE_SUSPENDED, &th);
    if (st < 0)
        return -L_EAGAIN;
    sys_thread_set_context(th, &ctx);
    psx_thread_t *nt = psx_thread_new(p, th, false);
    if (!nt) {
        sys_thread_terminate(th, 0);
        sys_handle_close(th);
        return -L_ENOMEM;
    }
    nt->sigmask = t->sigmask;
    if (flags & L_CLONE_CHILD_CLEARTID)
        nt->clear_child_tid = ctid;
    int32_t tid = (int32_t)nt->tid;
    if (flags & L_CLONE_PARENT_SETTID)
        psx_write(p, ptid, &tid, sizeof(tid));
    if (flags & L_CLONE_CHILD_SETTID)
        psx_write(p, ctid, &tid, sizeof(tid));
    sys_thread_resume(th);
    return tid;
}

long psx_sys_clone(psx_thread_t *t, psx_call_t *c)
{
    uint64_t flags = c->a[0];

    if (flags & L_CLONE_THREAD)
        return do_thread(t, flags, c->a[1], c->a[2], c->a[3], c->a[4]);
    return do_fork(t, flags, c->a[1], c->a[2], c->a[3], c->a[4]);
}

long psx_sys_fork(psx_thread_t *t, psx_call_t *c)
{
    (void)c;
    return do_fork(t, 0, 0, 0, 0, 0);
}

long psx_sys_vfork(psx_thread_t *t, psx_call_t *c)
{
    (void)c;
    return do_fork(t, L_CLONE_VM | L_CLONE_VFORK, 0, 0, 0, 0);
}

/* Reads a NULL-terminated vector of strings from user memory. */
static char **read_vector(psx_proc_t *p, uint64_t uvec, long *err)
{
    size_t n = 0, cap = 16, total = 0;
    char **v = calloc(cap, sizeof(char *));

    *err = 0;
    if (!v) {
        *err = -L_ENOMEM;
        return NULL;
    }
    for (; uvec; n++) {
        uint64_t ptr;
        if (psx_read(p, uvec + n * 8, &ptr, 8) < 0) {
            *err = -L_EFAULT;
            break;
        }
        if (!ptr)
            break;
        if (n + 2 >= cap) {
            cap *= 2;
            char **g = realloc(v, cap * sizeof(char *));
            if (!g) {
                *err = -L_ENOMEM;
                break;
            }
            v = g;
        }
        char buf[PSX_PATH_MAX];
        long len = psx_read_string(p, ptr, buf, sizeof(buf));
        if (len < 0) {
            *err = len == -L_ENAMETOOLONG ? -L_E2BIG : len;
            break;
        }
        total += (size_t)len + 1;
        if (total > 60000) {
            *err = -L_E2BIG; /* the start-up block must fit */
            break;
        }
        v[n] = strdup(buf);
        v[n + 1] = NULL;
    }
    if (*err) {
        for (size_t i = 0; i < n && v[i]; i++)
            free(v[i]);
        free(v);
        return NULL;
    }
    return v;
}

static void free_vector(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static long sys_execve_common(psx_thread_t *t, long dirfd, uint64_t upath, uint64_t uargv,
                              uint64_t uenvp, uint64_t flags)
{
    char path[PSX_PATH_MAX];
    long err, st = psx_path(t->proc, dirfd, upath, path, flags & L_AT_EMPTY_PATH);
    char **argv, **envp;

    if (st < 0)
        return st;
    /* /proc/<pid>/exe and /proc/self/fd/N name files by their paths. */
    char link[PSX_PATH_MAX];
    long n;
    if (psx_proc_readlink(t->proc, path, link, sizeof(link), &n) && n > 0 && link[0] == '/')
        strlcpy(path, link, sizeof(path));
    argv = read_vector(t->proc, uargv, &err);
    if (!argv)
        return err;
    envp = read_vector(t->proc, uenvp, &err);
    if (!envp) {
        free_vector(argv);
        return err;
    }
    st = psx_exec(t, path, argv, envp);
    free_vector(argv);
    free_vector(envp);
    return st;
}

long psx_sys_execve(psx_thread_t *t, psx_call_t *c)
{
    return sys_execve_common(t, L_AT_FDCWD, c->a[0], c->a[1], c->a[2], 0);
}

long psx_sys_execveat(psx_thread_t *t, psx_call_t *c)
{
    return sys_execve_common(t, (long)(int)c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
}

/* A thread ends: its clear_child_tid word is zeroed and woken (pthread_join). */
static void thread_exit(psx_thread_t *t)
{
    if (t->clear_child_tid) {
        int32_t zero = 0;
        if (psx_write(t->proc, t->clear_child_tid, &zero, 4) == 0)
            psx_futex_wake(t->proc, t->clear_child_tid, false, 1);
    }
}

long psx_sys_exit(psx_thread_t *t, psx_call_t *c)
{
    psx_proc_t *p = t->proc;
    int alive = 0;

    for (psx_thread_t *o = p->threads; o; o = o->next)
        alive += !o->exiting;
    if (alive <= 1) {
        thread_exit(t);
        psx_proc_exited(p, (int)(c->a[0] & 0xff) << 8);
        return PSX_DEFER;
    }
    thread_exit(t);
    t->exiting = true;
    t->call.token = 0; /* no reply: the thread ends */
    sys_thread_terminate(t->th, 0);
    psx_thread_free(t);
    return PSX_DEFER;
}

long psx_sys_exit_group(psx_thread_t *t, psx_call_t *c)
{
    for (psx_thread_t *o = t->proc->threads; o; o = o->next)
        thread_exit(o);
    psx_proc_exited(t->proc, (int)(c->a[0] & 0xff) << 8);
    return PSX_DEFER;
}

/* Does child c match wait4's pid argument for parent p? */
static bool wait_match(psx_proc_t *p, psx_proc_t *c, long pid)
{
    if (c->ppid != p->pid)
        return false;
    if (pid > 0)
        return c->pid == (uint64_t)pid;
    if (pid == 0)
        return c->pgid == p->pgid;
    if (pid < -1)
        return c->pgid == (uint64_t)-pid;
    return true;
}

/* The parent has been told: a stop or a continuation once, an end by
 * reaping the zombie. */
static void consume_report(psx_proc_t *q, bool stop, bool cont)
{
    if (stop)
        q->stop_unreported = false;
    else if (cont)
        q->cont_unreported = false;
    else
        psx_reap(q);
}

long psx_sys_wait4(psx_thread_t *t, psx_call_t *c)
{
    psx_proc_t *p = t->proc;
    long pid = (long)(int)c->a[0];
    uint64_t options = c->a[2];
    bool any = false;

    if (options & ~(uint64_t)(L_WNOHANG | L_WUNTRACED | L_WCONTINUED | 0x40000000))
        return -L_EINVAL;
    for (psx_proc_t *q = psx.procs; q; q = q->next) {
        if (!wait_match(p, q, pid))
            continue;
        any = true;
        int32_t status;
        bool stop = (options & L_WUNTRACED) && q->state == P_ALIVE && q->stop_unreported;
        bool cont = (options & L_WCONTINUED) && q->state == P_ALIVE && q->cont_unreported;
        if (stop)
            status = (q->stop_sig << 8) | 0x7f;
        else if (cont)
            status = 0xffff;
        else if (q->state == P_ZOMBIE)
            status = q->wait_status;
        else
            continue;
        uint64_t qpid = q->pid;
        if (c->a[1] && psx_write(p, c->a[1], &status, 4) < 0)
            return -L_EFAULT;
        if (c->a[3]) {
            uint8_t ru[144] = {0};
            if (q->state == P_ZOMBIE) {
                /* ru_utime: the child's CPU time (all of it, as user time) */
                int64_t tv[2] = {(int64_t)(q->cpu_ns / 1000000000),
                                 (int64_t)(q->cpu_ns % 1000000000 / 1000)};
                memcpy(ru, tv, sizeof(tv));
            }
            if (psx_write(p, c->a[3], ru, sizeof(ru)) < 0)
                return -L_EFAULT;
        }
        consume_report(q, stop, cont);
        return (long)qpid;
    }
    if (!any)
        return -L_ECHILD;
    if (options & L_WNOHANG)
        return 0;
    if (t->interrupted)
        return -L_EINTR;
    t->wait = W_CHILD;
    t->wait_obj = NULL;
    return PSX_DEFER;
}

long psx_sys_waitid(psx_thread_t *t, psx_call_t *c)
{
    psx_proc_t *p = t->proc;
    uint64_t idtype = c->a[0], id = c->a[1], options = c->a[3];
    long pid;
    bool any = false;

    if (idtype == L_P_ALL)
        pid = -1;
    else if (idtype == L_P_PID)
        pid = (long)id;
    else if (idtype == L_P_PGID)
        pid = id ? -(long)id : 0;
    else
        return -L_EINVAL;
    if (!(options & (L_WEXITED | L_WSTOPPED | L_WCONTINUED)))
        return -L_EINVAL;
    for (psx_proc_t *q = psx.procs; q; q = q->next) {
        if (!wait_match(p, q, pid))
            continue;
        any = true;
        l_siginfo_t info = psx_siginfo(L_SIGCHLD, 0, q->pid);
        bool stop = (options & L_WSTOPPED) && q->state == P_ALIVE && q->stop_unreported;
        bool cont = (options & L_WCONTINUED) && q->state == P_ALIVE && q->cont_unreported;
        if (stop) {
            info.si_code = L_CLD_STOPPED;
            info.kill.status = q->stop_sig;
        } else if (cont) {
            info.si_code = L_CLD_CONTINUED;
            info.kill.status = L_SIGCONT;
        } else if (q->state == P_ZOMBIE && (options & L_WEXITED)) {
            if (q->wait_status & 0x7f) {
                info.si_code = q->wait_status & 0x80 ? L_CLD_DUMPED : L_CLD_KILLED;
                info.kill.status = q->wait_status & 0x7f;
            } else {
                info.si_code = L_CLD_EXITED;
                info.kill.status = (q->wait_status >> 8) & 0xff;
            }
        } else {
            continue;
        }
        if (c->a[2] && psx_write(p, c->a[2], &info, sizeof(info)) < 0)
            return -L_EFAULT;
        if (!(options & L_WNOWAIT))
            consume_report(q, stop, cont);
        return 0;
    }
    if (!any)
        return -L_ECHILD;
    if (options & L_WNOHANG) {
        if (c->a[2]) {
            l_siginfo_t info;
            memset(&info, 0, sizeof(info));
            psx_write(p, c->a[2], &info, sizeof(info));
        }
        return 0;
    }
    if (t->interrupted)
        return -L_EINTR;
    t->wait = W_CHILD;
    t->wait_obj = NULL;
    return PSX_DEFER;
}

long psx_sys_getpid(psx_thread_t *t, psx_call_t *c)
{
    (void)c;
    return (long)t->proc->pid;
}

long psx_sys_getppid(psx_thread_t *t, psx_call_t *c)
{
    (void)c;
    return (long)t->proc->ppid;
}

long psx_sys_gettid(psx_thread_t *t, psx_call_t *c)
{
    (void)c;
    return (long)t->tid;
}

long psx_sys_set_tid_address(psx_thread_t *t, psx_call_t *c)
{
    t->clear_child_tid = c->a[0];
    return (long)t->tid;
}

long psx_sys_getpgid(psx_thread_t *t, psx_call_t *c)
{
    psx_proc_t *q = c->a[0] ? psx_find_proc(c->a[0]) : t->proc;

    return q ? (long)q->pgid : -L_ESRCH;
}

long psx_sys_getpgrp(psx_thread_t *t, psx_call_t *c)
{
    (void)c;
    return (long)t->proc->pgid;
}

long psx_sys_setpgid(psx_thread_t *t, psx_call_t *c)
{
    psx_proc_t *q = c->a[0] ? psx_find_proc(c->a[0]) : t->proc;
    long pgid = (long)c->a[1];

    if (pgid < 0)
        return -L_EINVAL;
    if (!q || (q != t->proc && q->ppid != t->proc->pid))
        return -L_ESRCH;
    if (q->sid != t->proc->sid || q->pid == q->sid)
        return -L_EPERM;
    if (q != t->proc && q->execed)
        return -L_EACCES;
    q->pgid = pgid ? (uint64_t)pgid : q->pid;
    psx_publish_ids(q);
    return 0;
}

long psx_sys_getsid(psx_thread_t *t, psx_call_t *c)
{
    psx_proc_t *q = c->a[0] ? psx_find_proc(c->a[0]) : t->proc;

    return q ? (long)q->sid : -L_ESRCH;
}

long psx_sys_setsid(psx_thread_t *t, psx_call_t *c)
{
    psx_proc_t *p = t->proc;

    (void)c;
    if (p->pgid == p->pid)
        return -L_EPERM; /* already a group leader */
    p->sid = p->pgid = p->pid;
    p->no_ctty = true;
    psx_publish_ids(p);
    return (long)p->sid;
}

static long send_to(psx_thread_t *t, psx_proc_t *q, int sig)
{
    l_siginfo_t info = psx_siginfo(sig, L_SI_USER, t->proc->pid);

    if (q->state != P_ALIVE)
        return 0; /* a zombie takes signals without effect */
    if (sig)
        psx_signal_proc(q, &info);
    return 0;
}

long psx_sys_kill(psx_thread_t *t, psx_call_t *c)
{
    long pid = (long)(int)c->a[0];
    int sig = (int)c->a[1];
    bool found = false;

    if (sig < 0 || sig > L_NSIG)
        return -L_EINVAL;
    if (pid > 0) {
        psx_proc_t *q = psx_find_proc((uint64_t)pid);
        return q ? send_to(t, q, sig) : -L_ESRCH;
    }
    for (psx_proc_t *q = psx.procs; q; q = q->next) {
        bool m = pid == 0    ? q->pgid == t->proc->pgid
                 : pid == -1 ? q->pid != 1
                             : q->pgid == (uint64_t)-pid;
        if (m && q->state == P_ALIVE) {
            found = true;
            send_to(t, q, sig);
        }
    }
    return found ? 0 : -L_ESRCH;
}

long psx_sys_tgkill(psx_thread_t *t, psx_call_t *c)
{
    psx_proc_t *q = psx_find_proc(c->a[0]);
    int sig = (int)c->a[2];
    l_siginfo_t info = psx_siginfo(sig, L_SI_TKILL, t->proc->pid);
    psx_thread_t *target;

    if (sig < 0 || sig > L_NSIG)
        return -L_EINVAL;
    if (!q || q->state != P_ALIVE || !(target = psx_find_thread(q, c->a[1])))
        return -L_ESRCH;
    if (sig)
        psx_signal_thread(target, &info);
    return 0;
}

long psx_sys_tkill(psx_thread_t *t, psx_call_t *c)
{
    int sig = (int)c->a[1];
    l_siginfo_t info = psx_siginfo(sig, L_SI_TKILL, t->proc->pid);

    if (sig < 0 || sig > L_NSIG)
        return -L_EINVAL;
    for (psx_proc_t *q = psx.procs; q; q = q->next) {
        psx_thread_t *target = q->state == P_ALIVE ? psx_find_thread(q, c->a[0]) : NULL;
        if (target) {
            if (sig)
                psx_signal_thread(target, &info);
            return 0;
        }
    }
    return -L_ESRCH;
}

long psx_sys_rt_sigaction(psx_thread_t *t, psx_call_t *c)
{
    int sig = (int)c->a[0];
    l_sigaction_t *a = &t->proc->actions[sig >= 1 && sig <= L_NSIG ? sig : 0];

    if (sig < 1 || sig > L_NSIG || c->a[3] != 8)
        return -L_EINVAL;
    if (c->a[2] && psx_write(t->proc, c->a[2], a, sizeof(*a)) < 0)
        return -L_EFAULT;
    if (c->a[1]) {
        l_sigaction_t n;
        if (sig == L_SIGKILL || sig == L_SIGSTOP)
            return -L_EINVAL;
        if (psx_read(t->proc, c->a[1], &n, sizeof(n)) < 0)
            return -L_EFAULT;
        *a = n;
        if (n.handler == L_SIG_IGN) {
            for (psx_thread_t *o = t->proc->threads; o; o = o->next)
                psx_discard_signal(o, sig);
        }
    }
    return 0;
}

long psx_sys_rt_sigprocmask(psx_thread_t *t, psx_call_t *c)
{
    uint64_t set, old = t->sigmask;

    if (c->a[3] != 8)
        return -L_EINVAL;
    if (c->a[1]) {
        if (psx_read(t->proc, c->a[1], &set, 8) < 0)
            return -L_EFAULT;
        switch (c->a[0]) {
        case L_SIG_BLOCK:
            t->sigmask |= set;
            break;
        case L_SIG_UNBLOCK:
            t->sigmask &= ~set;
            break;
        case L_SIG_SETMASK:
            t->sigmask = set;
            break;
        default:
            return -L_EINVAL;
        }
        t->sigmask &= ~(BIT(L_SIGKILL) | BIT(L_SIGSTOP));
    }
    if (c->a[2] && psx_write(t->proc, c->a[2], &old, 8) < 0) {
        t->sigmask = old;
        return -L_EFAULT;
    }
    return 0;
}

long psx_sys_rt_sigpending(psx_thread_t *t, psx_call_t *c)
{
    if (c->a[1] != 8)
        return -L_EINVAL;
    return psx_write(t->proc, c->a[0], &t->pending, 8);
}

long psx_sys_rt_sigreturn(psx_thread_t *t, psx_call_t *c)
{
    (void)c;
    return psx_sigreturn(t);
}

long psx_sys_sigaltstack(psx_thread_t *t, psx_call_t *c)
{
    l_stack_t ss, cur = t->altstack;
    thread_context_t ctx;
    bool on = false;

    if (cur.flags != L_SS_DISABLE && caller_context(t, &ctx) == 0)
        on = ctx.rsp > cur.sp && ctx.rsp <= cur.sp + cur.size;
    if (on)
        cur.flags = L_SS_ONSTACK;
    if (c->a[1] && psx_write(t->proc, c->a[1], &cur, sizeof(ss)) < 0)
        return -L_EFAULT;
    if (c->a[0]) {
        if (psx_read(t->proc, c->a[0], &ss, sizeof(ss)) < 0)
            return -L_EFAULT;
        if (on)
            return -L_EPERM; /* not while running on it */
        if (ss.flags & ~L_SS_DISABLE)
            return -L_EINVAL;
        if (!(ss.flags & L_SS_DISABLE) && ss.size < 2048)
            return -L_ENOMEM;
        t->altstack = ss;
    }
    return 0;
}

long psx_sys_rt_sigsuspend(psx_thread_t *t, psx_call_t *c)
{
    uint64_t mask;

    if (t->wait != W_SIGNAL) {
        if (c->a[1] != 8)
            return -L_EINVAL;
        if (psx_read(t->proc, c->a[0], &mask, 8) < 0)
            return -L_EFAULT;
        /* The handler's frame must record the mask from before the call. */
        t->restore_mask = t->sigmask;
        t->has_restore_mask = true;
        t->sigmask = mask & ~(BIT(L_SIGKILL) | BIT(L_SIGSTOP));
    }
    if (t->interrupted || psx_signal_pending(t))
        return -L_EINTR;
    t->wait = W_SIGNAL;
    return PSX_DEFER;
}

long psx_sys_pause(psx_thread_t *t, psx_call_t *c)
{
    (void)c;
    if (t->interrupted || psx_signal_pending(t))
        return -L_EINTR;
    t->wait = W_SIGNAL;
    return PSX_DEFER;
}

long psx_sys_arch_prctl(psx_thread_t *t, psx_call_t *c)
{
    thread_context_t ctx;

    switch (c->a[0]) {
    case 0x1002: /* ARCH_SET_FS */
        if (c->a[1] >= 0x00007FFFFFFFF000ull)
            return -L_EPERM;
        if (caller_context(t, &ctx) < 0)
            return -L_EFAULT;
        ctx.fs_base = c->a[1];
        return sys_thread_set_context(t->th, &ctx) < 0 ? -L_EINVAL : 0;
    case 0x1003: /* ARCH_GET_FS */
        if (caller_context(t, &ctx) < 0)
            return -L_EFAULT;
        return psx_write(t->proc, c->a[1], &ctx.fs_base, 8);
    case 0x1001: /* ARCH_SET_GS */
    case 0x1004: /* ARCH_GET_GS */
        return -L_EINVAL;
    default:
        return -L_EINVAL;
    }
}

long psx_sys_sched_yield(psx_thread_t *t, psx_call_t *c)
{
    (void)t;
    (void)c;
    return 0;
}

/* sigqueue: a signal with a value; others than the sender itself may not
 * claim to be the system (si_code >= 0). */
static long queue_info(psx_thread_t *t, psx_proc_t *q, psx_thread_t *target, int sig,
                       uint64_t uinfo)
{
    l_siginfo_t info;

    if (sig < 0 || sig > L_NSIG)
        return -L_EINVAL;
    if (psx_read(t->proc, uinfo, &info, sizeof(info)) < 0)
        return -L_EFAULT;
    if (!q || q->state != P_ALIVE)
        return q ? 0 : -L_ESRCH;
    if (info.si_code >= 0 && q != t->proc)
        return -L_EPERM;
    if (!sig)
        return 0;
    info.si_signo = sig;
    return target ? psx_signal_thread(target, &info) : psx_signal_proc(q, &info);
}

long psx_sys_rt_sigqueueinfo(psx_thread_t *t, psx_call_t *c)
{
    return queue_info(t, psx_find_proc(c->a[0]), NULL, (int)c->a[1], c->a[2]);
}

long psx_sys_rt_tgsigqueueinfo(psx_thread_t *t, psx_call_t *c)
{
    psx_proc_t *q = psx_find_proc(c->a[0]);
    psx_thread_t *target = q ? psx_find_thread(q, c->a[1]) : NULL;

    if (!target)
        return (int)c->a[2] < 0 || (int)c->a[2] > L_NSIG ? -L_EINVAL : -L_ESRCH;
    return queue_info(t, q, target, (int)c->a[2], c->a[3]);
}

/* sigtimedwait: the set is kept in a[4], the deadline in a[5]. */
long psx_sys_rt_sigtimedwait(psx_thread_t *t, psx_call_t *c)
{
    l_siginfo_t info;

    if (t->wait != W_SIGWAIT) {
        uint64_t set;
        if (c->a[3] != 8)
            return -L_EINVAL;
        if (psx_read(t->proc, c->a[0], &set, 8) < 0)
            return -L_EFAULT;
        c->a[4] = set & ~(BIT(L_SIGKILL) | BIT(L_SIGSTOP));
        c->a[5] = 0;
        if (c->a[2]) {
            l_timespec_t ts;
            if (psx_read(t->proc, c->a[2], &ts, sizeof(ts)) < 0)
                return -L_EFAULT;
            if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
                return -L_EINVAL;
            c->a[5] = psx_now() + (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
        }
    }
    int sig = psx_dequeue_signal(t, c->a[4], &info);
    if (sig) {
        t->wait = W_NONE;
        if (c->a[1] && psx_write(t->proc, c->a[1], &info, sizeof(info)) < 0)
            return -L_EFAULT;
        return sig;
    }
    if (t->interrupted)
        return -L_EINTR;
    if (c->a[2] && psx_now() >= c->a[5])
        return -L_EAGAIN;
    t->wait = W_SIGWAIT;
    t->deadline = c->a[2] ? c->a[5] : 0;
    return PSX_DEFER;
}
