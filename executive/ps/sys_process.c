/*
 * Process and thread system calls: create, terminate, wait, list, and the
 * thread controls a user-mode loader or debugger needs (create suspended,
 * get and set context, suspend, resume, alert).
 */
#include "bootfs.h"
#include "obcall.h"
#include "syscall.h"
#include <stdio.h>
#include <string.h>

#define NAME_MAX_LEN PROCESS_NAME_MAX

static void fill_info(process_t *p, process_info_t *info)
{
    memset(info, 0, sizeof(*info));
    info->pid = p->pid;
    info->parent_pid = p->parent_pid;
    info->personality = p->personality;
    info->state = p->state;
    info->threads = p->nthreads;
    info->handles = p->handles.count;
    info->exit_status = p->exit_status;
    info->memory_pages = p->quota ? p->quota->used : 0;
    info->cpu_ns = p->exited_cycles;
    list_for_each(it, &p->threads) info->cpu_ns += list_entry(it, thread_t, proc_link)->cpu_cycles;
    info->cpu_ns = ke_cycles_to_ns(info->cpu_ns);
    strlcpy(info->name, p->name, sizeof(info->name));
    info->flags = p->privileged ? PROCESS_INFO_PRIVILEGED : 0;
    strlcpy(info->exit_reason, p->exit_reason, sizeof(info->exit_reason));
}

SYSCALL(process_exit)
{
    ps_process_terminate(ps_current_process(), (int64_t)a0, "exit");
    return ST_OK; /* not seen: the thread leaves at the user boundary */
}

SYSCALL(thread_yield)
{
    ke_yield();
    return ST_OK;
}

SYSCALL(process_create)
{
    char name[NAME_MAX_LEN];
    process_t *p, *self = ps_current_process();
    port_t *subsystem = NULL;
    status_t st = copy_string_from_user(name, a0, sizeof(name));

    if (st == ST_NAME_TOO_LONG)
        st = ST_OK; /* names are truncated, like the listing shows them */
    if (st != ST_OK)
        return st;
    if (a1 < PERSONALITY_NATIVE || a1 > PERSONALITY_WIN16)
        return ST_INVALID_ARGUMENT;
    /* A POSIX program makes Linux system calls: its process needs its
     * server. DOS and Win16 programs run on a software CPU inside a native
     * process (a VDM), so such a process may have no server: it makes
     * native calls, and the tag is what listings show. */
    if (a1 == PERSONALITY_POSIX && !a2)
        return ST_INVALID_ARGUMENT;
    if (a3 & ~(uint64_t)(PROCESS_CREATE_INHERIT_HANDLES | PROCESS_CREATE_PRIVILEGED))
        return ST_INVALID_ARGUMENT;
    if ((a3 & PROCESS_CREATE_PRIVILEGED) && !self->privileged)
        return ST_ACCESS_DENIED;
    if (!arch_user_range_ok(a4, sizeof(handle_t)))
        return ST_BAD_ADDRESS;
    if (a2) {
        st = ipc_ref_port(a2, H_CONNECT, &subsystem);
        if (st != ST_OK)
            return st;
    }
    st = ps_process_create(name, (uint32_t)a1, self, &p);
    if (st != ST_OK) {
        ob_unref(OB(subsystem));
        return st;
    }
    p->subsystem_port = subsystem;
    p->privileged = a3 & PROCESS_CREATE_PRIVILEGED;
    if (a3 & PROCESS_CREATE_INHERIT_HANDLES)
        st = handle_table_clone(&p->handles, &self->handles);
    if (st == ST_OK)
        st = ob_return_handle(OB(p), H_ALL, a4);
    if (st != ST_OK)
        ps_process_terminate(p, EXIT_STATUS_KILLED, "creation failed");
    ob_unref(OB(p));
    return st;
}

SYSCALL(process_terminate)
{
    process_t *p;
    status_t st = ps_ref_process(a0, H_TERMINATE, &p);

    if (st != ST_OK)
        return st;
    char why[48];
    snprintf(why, sizeof(why), "terminated by %s (pid %llu)", ps_current_process()->name,
             (unsigned long long)ps_current_process()->pid);
    ps_process_terminate(p, (int64_t)a1, why);
    ob_unref(OB(p));
    return ST_OK;
}

static uint64_t wait_timeout(uint64_t t)
{
    return t == 0 ? KE_FOREVER : t;
}

SYSCALL(process_wait)
{
    process_t *p;
    uint64_t deadline, timeout = wait_timeout(a1);
    status_t st;

    if (a2 && !arch_user_range_ok(a2, sizeof(int64_t)))
        return ST_BAD_ADDRESS;
    st = ps_ref_process(a0, H_WAIT, &p);
    if (st != ST_OK)
        return st;
    if (p == ps_current_process()) {
        ob_unref(OB(p));
        return ST_INVALID_ARGUMENT; /* would wait for ever */
    }
    deadline = timeout == KE_FOREVER ? KE_FOREVER : ke_now_ns() + timeout;
    while (p->state != PROCESS_DEAD && st == ST_OK) {
        uint64_t now = ke_now_ns();
        if (deadline != KE_FOREVER && now >= deadline)
            st = ST_TIMEOUT;
        else
            st = ke_wait(&p->exit_waiters, deadline == KE_FOREVER ? KE_FOREVER : deadline - now,
                         true);
    }
    if (st == ST_OK && a2)
        st = copy_to_user(a2, &p->exit_status, sizeof(p->exit_status));
    ob_unref(OB(p));
    return st;
}

SYSCALL(process_info)
{
    process_info_t info;
    process_t *p;
    status_t st = ps_ref_process(a0, H_QUERY, &p);

    if (st != ST_OK)
        return st;
    fill_info(p, &info);
    ob_unref(OB(p));
    return copy_to_user(a1, &info, sizeof(info));
}

SYSCALL(process_list)
{
    size_t max = a1, n = 0;
    process_info_t info;
    status_t st = ST_OK;

    if (max > 4096)
        return ST_INVALID_ARGUMENT;
    if (max && !arch_user_range_ok(a0, max * sizeof(info)))
        return ST_BAD_ADDRESS;
    list_for_each(it, &ps_all_processes)
    {
        if (n < max && st == ST_OK) {
            fill_info(list_entry(it, process_t, all_link), &info);
            st = copy_to_user(a0 + n * sizeof(info), &info, sizeof(info));
        }
        n++;
    }
    if (st == ST_OK && a2)
        st = copy_to_user(a2, &n, sizeof(n));
    return st == ST_OK ? (long)MIN(n, max) : st;
}

SYSCALL(process_set_exception_port)
{
    process_t *p;
    port_t *port = NULL;
    status_t st = ps_ref_process(a0, H_CONTROL, &p);

    if (st != ST_OK)
        return st;
    if (a1)
        st = ipc_ref_port(a1, H_CONNECT, &port);
    if (st == ST_OK) {
        if (p->exception_port)
            ob_unref(OB(p->exception_port));
        p->exception_port = port; /* the reference moves here */
    }
    ob_unref(OB(p));
    return st;
}

SYSCALL(process_set_quota)
{
    process_t *p;
    status_t st = ps_ref_process(a0, H_CONTROL, &p);
    uint64_t pages = a1 / PAGE_SIZE;

    if (st != ST_OK)
        return st;
    if (pages > p->quota->limit)
        st = ST_ACCESS_DENIED; /* quotas can only be lowered */
    else
        p->quota->limit = pages;
    ob_unref(OB(p));
    return st;
}

SYSCALL(thread_create)
{
    process_t *p;
    ps_thread_t *t;
    status_t st;

    if (a4 & ~(uint64_t)THREAD_CREATE_SUSPENDED)
        return ST_INVALID_ARGUMENT;
    if (a1 >= USER_TOP || a2 >= USER_TOP)
        return ST_BAD_ADDRESS;
    if (!arch_user_range_ok(a5, sizeof(handle_t)))
        return ST_BAD_ADDRESS;
    st = ps_ref_process(a0, H_CONTROL, &p);
    if (st != ST_OK)
        return st;
    st = ps_thread_create(p, a1, a2, a3, &t);
    ob_unref(OB(p));
    if (st != ST_OK)
        return st;
    if (a4 & THREAD_CREATE_SUSPENDED)
        t->kt.suspend_count = 1;
    st = ob_return_handle(OB(t), H_QUERY | H_WAIT | H_TERMINATE | H_DUPLICATE | H_CONTROL, a5);
    if (st != ST_OK)
        t->kt.terminate = true;
    ke_thread_start(&t->kt);
    return st;
}

SYSCALL(thread_exit)
{
    thread_t *t = ke_current();
    ps_thread_t *pt = t->owner;

    pt->exit_status = (int64_t)a0;
    t->terminate = true;
    return ST_OK;
}

SYSCALL(thread_terminate)
{
    ps_thread_t *pt;
    status_t st = ps_ref_thread(a0, H_TERMINATE, &pt);

    if (st != ST_OK)
        return st;
    ps_thread_terminate(pt, (int64_t)a1);
    ob_unref(OB(pt));
    return ST_OK;
}

SYSCALL(thread_wait)
{
    ps_thread_t *pt;
    status_t st;

    if (a2 && !arch_user_range_ok(a2, sizeof(int64_t)))
        return ST_BAD_ADDRESS;
    st = ps_ref_thread(a0, H_WAIT, &pt);
    if (st != ST_OK)
        return st;
    if (&pt->kt == ke_current())
        st = ST_INVALID_ARGUMENT;
    while (st == ST_OK && !pt->exited)
        st = ke_wait(&pt->exit_waiters, wait_timeout(a1), true);
    if (st == ST_OK && a2)
        st = copy_to_user(a2, &pt->exit_status, sizeof(pt->exit_status));
    ob_unref(OB(pt));
    return st;
}

SYSCALL(thread_suspend)
{
    ps_thread_t *pt;
    status_t st = ps_ref_thread(a0, H_CONTROL, &pt);

    if (st != ST_OK)
        return st;
    if (pt->kt.suspend_count >= 127)
        st = ST_LIMIT;
    else if (!pt->exited)
        pt->kt.suspend_count++;
    ob_unref(OB(pt));
    return st;
}

SYSCALL(thread_resume)
{
    ps_thread_t *pt;
    status_t st = ps_ref_thread(a0, H_CONTROL, &pt);

    if (st != ST_OK)
        return st;
    if (pt->kt.suspend_count == 0)
        st = ST_BAD_STATE;
    else
        ps_thread_resume(&pt->kt);
    ob_unref(OB(pt));
    return st;
}

SYSCALL(thread_get_context)
{
    thread_context_t ctx;
    ps_thread_t *pt;
    status_t st = ps_ref_thread(a0, H_CONTROL, &pt);

    if (st != ST_OK)
        return st;
    if (pt->exited)
        st = ST_TERMINATED;
    else
        arch_thread_get_context(&pt->kt, &ctx);
    ob_unref(OB(pt));
    return st == ST_OK ? copy_to_user(a1, &ctx, sizeof(ctx)) : st;
}

SYSCALL(thread_set_context)
{
    thread_context_t ctx;
    ps_thread_t *pt;
    status_t st = copy_from_user(&ctx, a1, sizeof(ctx));

    if (st != ST_OK)
        return st;
    st = ps_ref_thread(a0, H_CONTROL, &pt);
    if (st != ST_OK)
        return st;
    if (pt->exited)
        st = ST_TERMINATED;
    else
        st = arch_thread_set_context(&pt->kt, &ctx);
    ob_unref(OB(pt));
    return st;
}

SYSCALL(thread_alert)
{
    ps_thread_t *pt;
    status_t st = ps_ref_thread(a0, H_CONTROL, &pt);

    if (st != ST_OK)
        return st;
    if (pt->kt.state == TH_BLOCKED && pt->kt.interruptible)
        ke_wake_thread(&pt->kt, ST_CANCELLED);
    ob_unref(OB(pt));
    return ST_OK;
}

SYSCALL(process_open)
{
    process_t *p = a0 ? ps_find(a0) : NULL;

    if (!p)
        return ST_NOT_FOUND;
    if (a1 & ~(uint64_t)H_ALL)
        return ST_INVALID_ARGUMENT;
    return ob_return_handle(OB(p), (uint32_t)a1, a2);
}

SYSCALL(process_watch)
{
    process_t *p;
    port_t *port;
    status_t st;

    if (a2 == 0)
        return ST_INVALID_ARGUMENT;
    st = ps_ref_process(a0, H_QUERY, &p);
    if (st != ST_OK)
        return st;
    st = ipc_ref_port(a1, H_CONNECT, &port);
    if (st == ST_OK) {
        st = ps_watch(p, port, a2);
        ob_unref(OB(port));
    }
    ob_unref(OB(p));
    return st;
}

SYSCALL(system_shutdown)
{
    if (!ps_current_process()->privileged)
        return ST_ACCESS_DENIED;
    kprintf("persona: shutdown, status %lld\n", (long long)(int64_t)a0);
    arch_serial_report_status((int64_t)a0);
    arch_poweroff();
}

SYSCALL(thread_set_tls)
{
    if (a0 >= USER_TOP)
        return ST_INVALID_ARGUMENT;
    arch_thread_set_fs_base(ke_current(), a0);
    return ST_OK;
}

SYSCALL(thread_interrupt)
{
    ps_thread_t *pt;
    status_t st = ps_ref_thread(a0, H_CONTROL, &pt);

    if (st != ST_OK)
        return st;
    if (pt->exited)
        st = ST_TERMINATED;
    else if (!pt->proc->exception_port)
        st = ST_BAD_STATE; /* nobody would receive the upcall */
    else
        pt->kt.upcall_pending = true;
    ob_unref(OB(pt));
    return st;
}

SYSCALL(thread_get_fpu)
{
    ps_thread_t *pt;
    status_t st = ps_ref_thread(a0, H_CONTROL, &pt);

    if (st != ST_OK)
        return st;
    if (&pt->kt == ke_current())
        st = ST_INVALID_ARGUMENT; /* our own registers are live, not saved */
    else
        st = copy_to_user(a1, pt->kt.arch.fpu, sizeof(pt->kt.arch.fpu));
    ob_unref(OB(pt));
    return st;
}

SYSCALL(thread_set_fpu)
{
    uint8_t image[512];
    uint32_t mxcsr;
    ps_thread_t *pt;
    status_t st = copy_from_user(image, a1, sizeof(image));

    if (st != ST_OK)
        return st;
    memcpy(&mxcsr, image + 24, sizeof(mxcsr));
    if (mxcsr & ~0xffffu)
        return ST_INVALID_ARGUMENT; /* reserved MXCSR bits would fault in FXRSTOR */
    st = ps_ref_thread(a0, H_CONTROL, &pt);
    if (st != ST_OK)
        return st;
    if (&pt->kt == ke_current())
        st = ST_INVALID_ARGUMENT;
    else
        memcpy(pt->kt.arch.fpu, image, sizeof(image));
    ob_unref(OB(pt));
    return st;
}

/* The executive answers these forwarded calls of the thread itself. The
 * table replaces the previous one; n == 0 clears it. */
SYSCALL(thread_set_answers)
{
    syscall_answer_t tab[THREAD_ANSWERS_MAX];
    ps_thread_t *pt;
    status_t st;

    if (a2 > THREAD_ANSWERS_MAX)
        return ST_INVALID_ARGUMENT;
    st = copy_from_user(tab, a1, a2 * sizeof(tab[0]));
    if (st != ST_OK)
        return st;
    st = ps_ref_thread(a0, H_CONTROL, &pt);
    if (st != ST_OK)
        return st;
    if (pt->exited)
        st = ST_TERMINATED;
    else if (!pt->kt.answers && a2)
        pt->kt.answers = kmalloc(sizeof(tab));
    if (st == ST_OK && a2 && !pt->kt.answers)
        st = ST_NO_MEMORY;
    if (st == ST_OK) {
        uint64_t filter = 0;
        pt->kt.nanswers = 0; /* the thread may be running: no torn table */
        if (a2)
            memcpy(pt->kt.answers, tab, a2 * sizeof(tab[0]));
        for (uint64_t i = 0; i < a2; i++)
            filter |= 1ull << (tab[i].nr % 64);
        pt->kt.answer_filter = filter;
        pt->kt.nanswers = (uint32_t)a2;
    }
    ob_unref(OB(pt));
    return st;
}

SYSCALL(thread_info)
{
    thread_info_t info;
    ps_thread_t *pt;
    status_t st = ps_ref_thread(a0, H_QUERY, &pt);

    if (st != ST_OK)
        return st;
    memset(&info, 0, sizeof(info));
    info.tid = pt->kt.id;
    info.pid = pt->proc->pid;
    info.cpu_ns = pt->kt.cpu_cycles;
    if (&pt->kt == ke_current())
        info.cpu_ns += arch_cycles() - pt->kt.slice_start;
    info.cpu_ns = ke_cycles_to_ns(info.cpu_ns);
    info.exited = pt->exited;
    ob_unref(OB(pt));
    return copy_to_user(a1, &info, sizeof(info));
}
