/*
 * The fast paths of ipc_call (native or forwarded) and ipc_reply_recv, for
 * the common case of a server that waits in reply-and-receive and clients
 * that call it without a timeout.
 *
 * Every precondition is checked first, and the path returns (to the
 * general code) if one fails: the handle names a port with the right, no
 * timeout, no handle in the message, the port alive with nothing queued
 * or pending, the other thread blocked (a receiver waiting; the caller
 * answered first in the server's list). Then the current thread blocks
 * keeping nothing on its kernel stack (its system call is finished when it
 * runs again, below), and ke_switch_away goes to the other thread. If that
 * one was blocked by a fast path too, it leaves for user mode at once
 * through its frame, its message registers loaded straight from the
 * sender's frame (arch_switch_away; the message is copied into its frame
 * only if preemption, termination, suspension or an upcall is due first,
 * which syscall_exit then honours): one kernel entry and one exit per
 * message, no scheduler, no run queue, no unwinding of kernel stacks.
 * Otherwise the message goes frame to frame.
 *
 * A thread blocked here is woken like any other (a reply or a message
 * through the general paths, a timeout is never armed, cancel, terminate,
 * the peer's death); when it runs, ipc_resume_user finishes its system
 * call from ipc.resume and the state the waker left.
 */
#include "ipc_internal.h"
#include "syscall.h"

/* The port a handle of the current process names, if it has the rights. */
static inline port_t *port_of(thread_t *t, uint64_t h, uint32_t rights)
{
    handle_entry_t *e = handle_entry(&t->proc->handles, (handle_t)h);

    if (unlikely(!e) || unlikely(e->obj->type != &port_type) ||
        unlikely((e->rights & rights) != rights))
        return NULL;
    return container_of(e->obj, port_t, hdr);
}

/* Blocks t on wq, to be finished by ipc_resume_user. A caller waiting for
 * its reply (IPC_RESUME_CALL) is not put on its reply_wait queue, which
 * nobody reads: its run_link stays unlinked (as on every running thread),
 * and the wakers' list_remove leaves it so. wait_status is not set: every
 * waker sets it (ke_unblock_waiter, ke_wake_thread), and a thread the fast
 * paths take off has its call finished without it. */
static inline void block_fast(thread_t *t, wait_queue_t *wq, enum ipc_resume how)
{
    t->state = TH_BLOCKED;
    t->waiting_on = wq;
    t->interruptible = true;
    t->ipc.resume = how;
    if (how == IPC_RESUME_RECV)
        list_push_back(&wq->waiters, &t->run_link);
}

/* Takes t, blocked by block_fast, off its wait queue (receivers; a caller
 * is on none) to run it at once: no timer was armed, and its wait status
 * is not read (its call is finished here); ke_switch_away makes it
 * RUNNING. */
static inline void unblock_fast(thread_t *t, bool receiver)
{
    if (receiver)
        list_remove(&t->run_link);
    t->waiting_on = NULL;
}

/* A call from t to port, with the message where src says (a constant:
 * inlined, each caller gets its own). */
static inline __attribute__((always_inline)) void fast_call(thread_t *t, port_t *port,
                                                            enum ipc_msg_src src)
{
    thread_t *r = list_first(&port->receivers.waiters, thread_t, run_link);
    const trapframe_t *msg = NULL;

    if (unlikely(!r) || unlikely(port->dead) || unlikely(t->terminate))
        return;
    /* Point of no return. */
    t->ipc.msg_src = src;
    t->ipc.token = ipc_next_token++;
    t->ipc.port = port; /* no reference: the call is in service at once */
    /* A receiver the general path blocked returns ST_OK from its wait; one
     * blocked here has its call finished now and leaves for user mode at
     * once (arch_switch_away, then syscall_exit for whatever else is due),
     * the message going from t's frame straight into its registers (a
     * forwarded call's w[7], the thread id, through its frame). */
    if (r->ipc.resume == IPC_RESUME_RECV) {
        r->ipc.resume = IPC_RESUME_NONE;
        r->frame->rax = ST_OK;
        unblock_fast(r, true);
        if (src == IPC_MSG_FRAME) {
            msg = t->frame;
        } else {
            r->frame->r15 = t->id;
            msg = (const trapframe_t *)((uintptr_t)t->frame | ARCH_MSG_SYSCALL);
        }
    } else {
        ke_unblock_waiter(r, ST_OK);
        ipc_move_call(t, r);
    }
    ipc_put_in_service(t, r, t->proc->pid); /* t: a user thread */
    block_fast(t, &t->ipc.reply_wait, IPC_RESUME_CALL);
    ke_switch_away(r, msg);
}

static inline void ipc_fastpath_call(thread_t *t)
{
    const trapframe_t *f = t->frame;
    port_t *port;

    if (unlikely(f->rbx != IPC_WAIT_FOREVER) || unlikely(f->rdi > UINT32_MAX) ||
        unlikely(IPC_LABEL(f->rsi) >= IPC_LABEL_KERNEL) ||
        unlikely(IPC_FLAGS(f->rsi) & IPC_FLAG_HANDLE))
        return;
    port = port_of(t, f->rdi, H_CONNECT);
    if (likely(port))
        fast_call(t, port, IPC_MSG_FRAME);
}

void ipc_fastpath_syscall(thread_t *t, port_t *port)
{
    fast_call(t, port, IPC_MSG_SYSCALL);
}

static inline void ipc_fastpath_reply_recv(thread_t *t)
{
    const trapframe_t *f = t->frame;
    ipc_thread_t *c;
    thread_t *caller;
    port_t *port;
    const trapframe_t *msg = NULL;

    /* rbx: the port, and no receive timeout (high half 0). */
    if (unlikely(f->rbx > UINT32_MAX) || unlikely(!f->rdi) ||
        unlikely(IPC_FLAGS(f->rsi) & IPC_FLAG_HANDLE))
        return;
    port = port_of(t, f->rbx, H_RECEIVE);
    if (unlikely(!port) || unlikely(port->dead) || unlikely(port->notify_bits) ||
        unlikely(!list_empty(&port->queued)) || unlikely(t->terminate))
        return;
    /* The call answered: the one received last, first in the list. */
    c = list_first(&t->proc->ipc_in_service, ipc_thread_t, link);
    if (unlikely(!c) || unlikely(c->token != f->rdi))
        return;
    caller = container_of(c, thread_t, ipc);
    if (unlikely(caller->state != TH_BLOCKED))
        return;
    /* Point of no return. */
    list_remove(&c->link);
    /* As in fast_call: a caller blocked here is finished now (a native
     * call's reply goes from f straight into its registers; a forwarded
     * call's rax is the reply), any other one ends its call as replied. */
    if (c->resume == IPC_RESUME_CALL) {
        c->state = IPC_IDLE;
        c->resume = IPC_RESUME_NONE;
        if (c->msg_src == IPC_MSG_FRAME) {
            caller->frame->rax = ST_OK;
            msg = f;
        } else {
            ipc_move_reply(t, caller);
            msg = caller->frame;
        }
        unblock_fast(caller, false);
    } else {
        ipc_move_reply(t, caller);
        c->state = IPC_REPLIED;
        ke_unblock_waiter(caller, ST_OK);
    }
    block_fast(t, &port->receivers, IPC_RESUME_RECV);
    ke_switch_away(caller, msg);
}

/* SYS_ipc_call and SYS_ipc_reply_recv enter in assembly (entry.S), whose
 * fast paths take the commonest cases: a native call to a receiver blocked
 * by ipc_fastpath_reply_recv, and the reply to a native or forwarded call
 * whose caller is blocked by fast_call (forwarded calls have their own
 * there, before syscall_forward). Anything else comes here. */
long ipc_call_c(void)
{
    ipc_fastpath_call(ke_current());
    return ipc_call_general();
}

long ipc_reply_recv_c(void)
{
    ipc_fastpath_reply_recv(ke_current());
    return ipc_reply_recv_general();
}

/*
 * A thread blocked by a fast path runs again, woken by anything: finishes
 * its system call (f is its frame) before it returns to user mode.
 */
void ipc_resume_user(trapframe_t *f)
{
    thread_t *t = ke_current();
    enum ipc_resume how = t->ipc.resume;
    status_t st;

    ke_reap_dead();
    t->ipc.resume = IPC_RESUME_NONE;
    if (how == IPC_RESUME_RECV) {
        f->rax = (uint64_t)(long)t->wait_status;
    } else {
        st = ipc_call_end(&t->ipc, t->wait_status);
        if (t->ipc.msg_src == IPC_MSG_SYSCALL) {
            if (st != ST_OK)
                syscall_forward_failed(st);
        } else {
            f->rax = (uint64_t)(long)st;
        }
    }
    ke_return_to_user(f);
}
