/*
 * The server side: receive (a notification first, then the oldest queued
 * call, else wait), reply (to any call the process holds in service,
 * identified by its token), reply-and-receive in one system call with the
 * fast path back to the caller, and notifications.
 */
#include "ipc.h"
#include "ipc_internal.h"
#include "ps.h"

/* Gives pending notification bits to thread r; false if there were none. */
static bool take_notification(port_t *port, thread_t *r)
{
    ipc_msg_t m = {0};

    if (!port->notify_bits)
        return false;
    m.tag = IPC_TAG(IPC_LABEL_NOTIFY, 0);
    m.w[0] = port->notify_bits;
    port->notify_bits = 0;
    ipc_msg_to_frame(r->frame, &m);
    r->frame->rdi = 0;
    r->frame->rbx = 0;
    return true;
}

/* Takes the oldest queued call, if any, into thread r. */
static bool take_queued(port_t *port, thread_t *r)
{
    ipc_thread_t *c = list_first(&port->queued, ipc_thread_t, link);
    thread_t *caller;

    if (!c)
        return false;
    caller = container_of(c, thread_t, ipc);
    list_remove(&c->link);
    ipc_deliver(caller, r);
    return true;
}

status_t ipc_receive(port_t *port, uint64_t timeout_ns)
{
    thread_t *t = ke_current();

    if (port->dead)
        return ST_PEER_DIED;
    if (take_notification(port, t) || take_queued(port, t))
        return ST_OK;
    return ke_wait(&port->receivers, timeout_ns, true);
}

/* The call with this token in service in p; the one received last is
 * first on the list. */
static inline thread_t *find_in_service(process_t *p, uint64_t token)
{
    list_for_each(it, &p->ipc_in_service)
    {
        ipc_thread_t *c = container_of(it, ipc_thread_t, link);
        if (likely(c->token == token))
            return container_of(c, thread_t, ipc);
    }
    return NULL;
}

/*
 * Writes the reply from the current thread's frame into the caller. With
 * direct set, the caller is unblocked but not queued: the current thread
 * will switch to it. *woken receives the caller.
 */
static inline status_t reply(uint64_t token, bool direct, thread_t **woken)
{
    thread_t *t = ke_current();
    thread_t *caller = likely(token) ? find_in_service(t->proc, token) : NULL;

    if (unlikely(!caller))
        return token ? ST_NOT_FOUND : ST_INVALID_ARGUMENT;
    /* Any label is fine in a reply (servers answer statuses, which are
     * negative): only calls are kept clear of the kernel's labels. */
    list_remove(&caller->ipc.link);
    ipc_move_reply(t, caller);
    caller->ipc.state = IPC_REPLIED;
    if (likely(direct && caller->state == TH_BLOCKED)) {
        ke_unblock(caller, ST_OK);
        *woken = caller;
    } else {
        ke_wake_thread(caller, ST_OK);
        *woken = NULL;
    }
    return ST_OK;
}

status_t ipc_reply(uint64_t token, bool direct, thread_t **woken)
{
    return reply(token, direct, woken);
}

status_t ipc_reply_receive(uint64_t token, port_t *port, uint64_t timeout_ns)
{
    thread_t *t = ke_current();
    thread_t *caller = NULL;
    status_t st;

    if (unlikely(port->dead))
        return ST_PEER_DIED;
    if (likely(token)) {
        st = reply(token, true, &caller);
        if (unlikely(st != ST_OK))
            return st;
    }
    if (port->notify_bits || !list_empty(&port->queued)) {
        if (!take_notification(port, t))
            take_queued(port, t);
        if (caller)
            ke_ready(caller);
        return ST_OK;
    }
    if (likely(caller))
        return ke_wait_switch(&port->receivers, timeout_ns, caller); /* fast path */
    return ke_wait(&port->receivers, timeout_ns, true);
}

status_t ipc_notify(port_t *port, uint64_t bits)
{
    thread_t *r;

    if (port->dead)
        return ST_PEER_DIED;
    port->notify_bits |= bits;
    r = list_first(&port->receivers.waiters, thread_t, run_link);
    if (r && take_notification(port, r))
        ke_wake_thread(r, ST_OK);
    return ST_OK;
}

void ipc_process_died(process_t *p)
{
    list_for_each_safe(it, &p->ipc_in_service)
    {
        ipc_thread_t *c = container_of(it, ipc_thread_t, link);
        list_remove(&c->link);
        c->state = IPC_IDLE; /* not replied: the caller sees ST_PEER_DIED */
        ke_wake_thread(container_of(c, thread_t, ipc), ST_PEER_DIED);
    }
}
