/*
 * User-mode faults. A page fault is first offered to mm (demand paging,
 * copy-on-write). A page that cannot be had for want of memory ends the
 * process as "out of memory". Anything else mm cannot resolve goes to the
 * process's exception port; unhandled, it ends the process with one line
 * on the console naming the process, the fault, RIP and the address, and an
 * exit status that names the exception (EXIT_STATUS_FAULT).
 */
#include "ipc.h"
#include "ps.h"
#include <stdio.h>

/*
 * Offers the fault to the process's exception port (its subsystem server
 * or a debugger): the thread blocks in a call until the handler replies.
 * Returns true if the handler asked to resume the thread.
 */
static bool offer_to_exception_port(process_t *p, trapframe_t *f, unsigned vector, uint64_t addr)
{
    thread_t *t = ke_current();
    ipc_msg_t m = {0};

    if (!p->exception_port || p->exception_port->dead)
        return false;
    m.tag = IPC_TAG(IPC_LABEL_EXCEPTION, 0);
    m.w[IPC_EXC_VECTOR] = vector;
    m.w[IPC_EXC_ERROR] = f->error;
    m.w[IPC_EXC_ADDRESS] = addr;
    m.w[IPC_EXC_RIP] = f->rip;
    m.w[IPC_EXC_RSP] = f->rsp;
    m.w[IPC_EXC_TID] = t->id;
    m.w[IPC_EXC_PID] = p->pid;
    port_t *port = p->exception_port; /* may be replaced while we wait */
    ob_ref(OB(port));
    status_t st = ipc_call(port, &m, KE_FOREVER);
    ob_unref(OB(port));
    return st == ST_OK && IPC_LABEL(m.tag) == IPC_EXC_RESUME;
}

void ps_thread_upcall(trapframe_t *f)
{
    process_t *p = ps_current_process();

    /* Whatever the reply, the thread carries on from its (maybe new)
     * context: an interrupt is not a fault. */
    offer_to_exception_port(p, f, IPC_EXC_INTERRUPT, 0);
}

static bool t_terminating(void)
{
    return ke_current()->terminate;
}

void ke_user_fault(trapframe_t *f, unsigned vector, const char *what, uint64_t addr,
                   unsigned access)
{
    process_t *p = ps_current_process();
    status_t st = vector == 14 ? vm_fault(&p->vm, addr, access) : ST_OK;
    bool no_memory = st == ST_NO_MEMORY || st == ST_QUOTA_EXCEEDED;
    char reason[128];

    if (vector == 14 && st == ST_OK)
        return;
    /* A page that cannot be had is no fault a handler could mend. */
    if (!no_memory && offer_to_exception_port(p, f, vector, addr))
        return;
    if (t_terminating())
        return;

    if (no_memory)
        snprintf(reason, sizeof(reason), "out of memory (%s) at rip %#llx, address %#llx",
                 st == ST_QUOTA_EXCEEDED ? "over its quota" : "no free page",
                 (unsigned long long)f->rip, (unsigned long long)addr);
    else if (vector == 14)
        snprintf(reason, sizeof(reason), "%s (%s%s) at rip %#llx, address %#llx", what,
                 access & FAULT_WRITE  ? "write"
                 : access & FAULT_EXEC ? "execute"
                                       : "read",
                 access & FAULT_PRESENT ? ", protection" : ", not mapped",
                 (unsigned long long)f->rip, (unsigned long long)addr);
    else
        snprintf(reason, sizeof(reason), "%s at rip %#llx", what, (unsigned long long)f->rip);
    kprintf("process %s (pid %llu) killed: %s\n", p->name, (unsigned long long)p->pid, reason);
    ps_process_terminate(p, EXIT_STATUS_FAULT(vector), reason);
}

void ps_notify_exit(process_t *p)
{
    for (int i = 0; i < PS_MAX_WATCHERS; i++) {
        port_t *port = p->watchers[i].port;
        if (!port)
            continue;
        p->watchers[i].port = NULL;
        if (!port->dead)
            ipc_notify(port, p->watchers[i].bits);
        ob_unref(OB(port));
    }
}

status_t ps_watch(process_t *p, port_t *port, uint64_t bits)
{
    if (p->state == PROCESS_DEAD)
        return ipc_notify(port, bits); /* already over: tell at once */
    for (int i = 0; i < PS_MAX_WATCHERS; i++) {
        if (p->watchers[i].port)
            continue;
        ob_ref(OB(port));
        p->watchers[i].port = port;
        p->watchers[i].bits = bits;
        return ST_OK;
    }
    return ST_LIMIT;
}
