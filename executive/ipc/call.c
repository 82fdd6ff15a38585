/*
 * The call path: a client's message reaches a server thread that waits in
 * receive, or waits on the port's queue until one does.
 *
 * Fast path (ipc_call with a receiver already waiting): every precondition
 * is checked first — port alive, receiver present, caller not terminating —
 * then the message is copied register to register into the receiver's
 * frame, the caller blocks for its reply and the CPU goes straight to the
 * receiver (ke_wait_switch), without the run queue. The reply side
 * (reply.c) does the same the other way.
 *
 * Lock order: none (see ke.h); every step below runs with interrupts off.
 */
#include "ipc.h"
#include "ipc_internal.h"
#include "ps.h"

static uint64_t next_token = 1;

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

/* Hands caller's message to receiver r (whose frame gets it) and puts the
 * call in service in r's process. */
void ipc_deliver(thread_t *caller, thread_t *r)
{
    ipc_move_msg(caller, r, caller->ipc.kmsg_valid, false);
    r->frame->rdi = caller->ipc.token;
    r->frame->rbx = caller->proc ? caller->proc->pid : 0;
    caller->ipc.state = IPC_IN_SERVICE;
    caller->ipc.server = r->proc;
    list_push_back(&r->proc->ipc_in_service, &caller->ipc.link);
    caller->ipc.port->calls++;
}

status_t ipc_call(port_t *port, ipc_msg_t *kmsg, uint64_t timeout_ns)
{
    thread_t *t = ke_current();
    ipc_thread_t *c = &t->ipc;
    thread_t *r;
    status_t st;

    if (port->dead)
        return ST_PEER_DIED;
    if (t->terminate)
        return ST_TERMINATED;
    ASSERT(c->state == IPC_IDLE);
    c->kmsg_valid = kmsg != NULL;
    if (kmsg && kmsg != &c->kmsg)
        c->kmsg = *kmsg;
    /* The caller holds a reference to port for the whole call. */
    c->token = next_token++;
    c->port = port;
    wait_queue_init(&c->reply_wait);

    r = list_first(&port->receivers.waiters, thread_t, run_link);
    if (r) {
        /* Fast path: point of no return. */
        ipc_deliver(t, r);
        ke_unblock(r, ST_OK);
        st = ke_wait_switch(&c->reply_wait, timeout_ns, r);
    } else {
        c->state = IPC_QUEUED;
        list_push_back(&port->queued, &c->link);
        st = ke_wait(&c->reply_wait, timeout_ns, true);
    }

    /* Woken: replied (ST_OK), or timed out, cancelled, terminated, or the
     * server died. Whatever is still linked gets unlinked. */
    if (c->state == IPC_QUEUED || c->state == IPC_IN_SERVICE)
        list_remove(&c->link);
    if (st == ST_OK && c->state != IPC_REPLIED)
        st = ST_PEER_DIED;
    if (st == ST_OK && kmsg && kmsg != &c->kmsg)
        *kmsg = c->kmsg;
    c->state = IPC_IDLE;
    c->server = NULL;
    c->kmsg_valid = false;
    c->port = NULL;
    return st;
}
