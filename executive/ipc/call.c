/*
 * The call path: a client's message reaches a server thread that waits in
 * receive, or waits on the port's queue until one does.
 *
 * Fast path (a receiver already waiting): every precondition is checked
 * first — port alive, receiver present, caller not terminating — then the
 * message is copied register to register into the receiver's frame (a
 * forwarded system call straight from the caller's system-call registers),
 * the caller blocks for its reply and the CPU goes straight to the receiver
 * (ke_wait_switch), without the run queue. The reply side (receive.c) does
 * the same the other way.
 *
 * Lock order: none (see ke.h); every step below runs with interrupts off.
 */
#include "ipc.h"
#include "ipc_internal.h"
#include "ps.h"

uint64_t ipc_next_token = 1;

void ipc_msg_from_frame(const trapframe_t *f, ipc_msg_t *m)
{
    m->tag = f->rsi;
    m->w[0] = f->rdx;
    m->w[1] = f->r10;
    m->w[2] = f->r8;
    m->w[3] = f->r9;
    m->w[4] = f->r12;
    m->w[5] = f->r13;
    m->w[6] = f->r14;
    m->w[7] = f->r15;
}

void ipc_msg_to_frame(trapframe_t *f, const ipc_msg_t *m)
{
    f->rsi = m->tag;
    f->rdx = m->w[0];
    f->r10 = m->w[1];
    f->r8 = m->w[2];
    f->r9 = m->w[3];
    f->r12 = m->w[4];
    f->r13 = m->w[5];
    f->r14 = m->w[6];
    f->r15 = m->w[7];
}

/*
 * Moves a handle named in w[7] from one process to another (IPC_FLAG_HANDLE).
 * On any failure the receiver gets no handle and the flag is cleared.
 */
void ipc_transfer_handle(process_t *from, process_t *to, ipc_msg_t *m)
{
    ob_header_t *obj;
    uint32_t rights;
    handle_t h;

    if (!(IPC_FLAGS(m->tag) & IPC_FLAG_HANDLE))
        return;
    if (!from || !to || handle_rights(&from->handles, (handle_t)m->w[7], &rights) != ST_OK ||
        handle_lookup(&from->handles, (handle_t)m->w[7], NULL, H_DUPLICATE, &obj) != ST_OK) {
        m->tag &= ~((uint64_t)IPC_FLAG_HANDLE << 32);
        m->w[7] = HANDLE_NONE;
        return;
    }
    if (handle_create(&to->handles, obj, rights, &h) != ST_OK) {
        m->tag &= ~((uint64_t)IPC_FLAG_HANDLE << 32);
        h = HANDLE_NONE;
    }
    ob_unref(obj);
    m->w[7] = h;
}

void ipc_move_with_handle(thread_t *from, thread_t *to, bool from_kmsg, bool to_kmsg)
{
    ipc_msg_t m;

    if (from_kmsg)
        m = from->ipc.kmsg;
    else
        ipc_msg_from_frame(from->frame, &m);
    ipc_transfer_handle(from->proc, to->proc, &m);
    if (to_kmsg)
        to->ipc.kmsg = m;
    else
        ipc_msg_to_frame(to->frame, &m);
}

status_t ipc_call_src(port_t *port, enum ipc_msg_src src, uint64_t timeout_ns)
{
    thread_t *t = ke_current();
    ipc_thread_t *c = &t->ipc;
    thread_t *r;
    status_t st;

    if (unlikely(port->dead))
        return ST_PEER_DIED;
    if (unlikely(t->terminate))
        return ST_TERMINATED;
    ASSERT(c->state == IPC_IDLE);
    c->msg_src = src;
    /* The caller holds a reference to port for the whole call. */
    c->token = ipc_next_token++;
    c->port = port;

    r = list_first(&port->receivers.waiters, thread_t, run_link);
    if (likely(r)) {
        /* Fast path: point of no return. */
        ipc_deliver(t, r);
        ke_unblock(r, ST_OK);
        st = ke_wait_switch(&c->reply_wait, timeout_ns, r);
    } else {
        c->state = IPC_QUEUED;
        list_push_back(&port->queued, &c->link);
        st = ke_wait(&c->reply_wait, timeout_ns, true);
    }

    return ipc_call_end(c, st);
}

status_t ipc_call(port_t *port, ipc_msg_t *kmsg, uint64_t timeout_ns)
{
    ipc_thread_t *c = &ke_current()->ipc;
    status_t st;

    if (!kmsg)
        return ipc_call_src(port, IPC_MSG_FRAME, timeout_ns);
    c->kmsg = *kmsg;
    st = ipc_call_src(port, IPC_MSG_KMSG, timeout_ns);
    if (st == ST_OK)
        *kmsg = c->kmsg;
    return st;
}
