/*
 * ipc system calls. The register-message calls read and write the caller's
 * frame directly (see <persona/ipc.h> for the register assignment).
 */
#include "obcall.h"
#include "syscall.h"
#include <string.h>

#define PORT_NAME_MAX 64

/* IPC_WAIT_FOREVER / IPC_NO_WAIT / a time in ns, as ke_wait counts it. */
static uint64_t ipc_timeout(uint64_t t)
{
    if (t == IPC_WAIT_FOREVER)
        return KE_FOREVER;
    if (t == IPC_NO_WAIT)
        return 0;
    return t;
}

SYSCALL(port_create)
{
    char name[PORT_NAME_MAX];
    port_t *p;
    status_t st;

    if (a0) {
        st = copy_string_from_user(name, a0, sizeof(name));
        if (st != ST_OK)
            return st;
    }
    if (!arch_user_range_ok(a1, sizeof(handle_t)))
        return ST_BAD_ADDRESS;
    st = port_create(a0 ? name : NULL, &p);
    if (st != ST_OK)
        return st;
    st = ob_return_handle(OB(p), H_QUERY | H_CONNECT | H_RECEIVE | H_DUPLICATE, a1);
    ob_unref(OB(p)); /* the handle (if any) keeps it, and its name with it */
    return st;
}

SYSCALL(port_connect)
{
    char name[PORT_NAME_MAX], path[PORT_NAME_MAX + 8] = "\\Ports\\";
    ob_header_t *o;
    status_t st = copy_string_from_user(name, a0, sizeof(name));

    if (st != ST_OK)
        return st;
    if (!name[0] || strchr(name, '\\'))
        return ST_INVALID_ARGUMENT;
    strlcat(path, name, sizeof(path));
    st = ob_lookup(path, &o);
    if (st != ST_OK)
        return st;
    if (o->type != &port_type)
        st = ST_WRONG_TYPE;
    else if (container_of(o, port_t, hdr)->dead)
        st = ST_PEER_DIED;
    else
        st = ob_return_handle(o, H_QUERY | H_CONNECT | H_DUPLICATE, a1);
    ob_unref(o);
    return st;
}

/* The general paths of ipc_call and ipc_reply_recv: their system calls
 * (fastpath.c) try the fast path first and tail-call these. */
long ipc_call_general(void)
{
    trapframe_t *f = ke_current()->frame;
    port_t *port;
    status_t st;

    if (IPC_LABEL(f->rsi) >= IPC_LABEL_KERNEL)
        return ST_INVALID_ARGUMENT;
    st = ipc_ref_port(f->rdi, H_CONNECT, &port);
    if (st != ST_OK)
        return st;
    st = ipc_call_src(port, IPC_MSG_FRAME, ipc_timeout(f->rbx));
    ob_unref(OB(port));
    return st;
}

SYSCALL(ipc_recv)
{
    trapframe_t *f = ke_current()->frame;
    port_t *port;
    status_t st;

    st = ipc_ref_port(f->rdi, H_RECEIVE, &port);
    if (st != ST_OK)
        return st;
    st = ipc_receive(port, ipc_timeout(f->rbx));
    ob_unref(OB(port));
    return st;
}

SYSCALL(ipc_reply)
{
    thread_t *woken;

    return ipc_reply(ke_current()->frame->rdi, false, &woken);
}

long ipc_reply_recv_general(void)
{
    trapframe_t *f = ke_current()->frame;
    port_t *port;
    status_t st;

    /* rbx: the port in the low half, a receive timeout in microseconds in
     * the high half (0: none). */
    st = ipc_ref_port(f->rbx & 0xffffffffu, H_RECEIVE, &port);
    if (st != ST_OK)
        return st;
    st = ipc_reply_receive(f->rdi, port, f->rbx >> 32 ? (f->rbx >> 32) * 1000 : KE_FOREVER);
    ob_unref(OB(port));
    return st;
}

SYSCALL(ipc_notify)
{
    port_t *port;
    status_t st;

    if (a1 == 0)
        return ST_INVALID_ARGUMENT;
    st = ipc_ref_port(a0, H_CONNECT, &port);
    if (st != ST_OK)
        return st;
    st = ipc_notify(port, a1);
    ob_unref(OB(port));
    return st;
}
