/* Declarations shared by the files of ipc. */
#ifndef IPC_INTERNAL_H
#define IPC_INTERNAL_H

#include "ipc.h"
#include "ps.h"

void ipc_msg_from_frame(const trapframe_t *f, ipc_msg_t *m);
void ipc_msg_to_frame(trapframe_t *f, const ipc_msg_t *m);
void ipc_transfer_handle(process_t *from, process_t *to, ipc_msg_t *m);
extern uint64_t ipc_next_token;
/* The general paths of SYS_ipc_call and SYS_ipc_reply_recv (sys_ipc.c). */
long ipc_call_general(void);
long ipc_reply_recv_general(void);
/* The same with the C fast paths first (fastpath.c), where the assembly
 * ones (entry.S) leave what they do not take. */
long ipc_call_c(void);
long ipc_reply_recv_c(void);

/* Ends a call whose wait ended with st: replied (ST_OK), or timed out,
 * cancelled, terminated, or the server died. Whatever is still linked gets
 * unlinked. Returns the call's status. */
static inline status_t ipc_call_end(ipc_thread_t *c, status_t st)
{
    if (likely(c->state == IPC_REPLIED)) {
        c->state = IPC_IDLE;
        return st;
    }
    if (c->state == IPC_QUEUED || c->state == IPC_IN_SERVICE)
        list_remove(&c->link);
    c->state = IPC_IDLE;
    return st == ST_OK ? ST_PEER_DIED : st;
}

/* Copies the message registers from one frame to another. */
static inline void copy_msg_regs(trapframe_t *to, const trapframe_t *from)
{
    to->rsi = from->rsi;
    to->rdx = from->rdx;
    to->r10 = from->r10;
    to->r8 = from->r8;
    to->r9 = from->r9;
    to->r12 = from->r12;
    to->r13 = from->r13;
    to->r14 = from->r14;
    to->r15 = from->r15;
}

/* A message with a handle in it: through a copy, with the transfer. */
void ipc_move_with_handle(thread_t *from, thread_t *to, bool from_kmsg, bool to_kmsg);

/* A caller's message into the frame of the receiving thread r. */
static inline void ipc_move_call(thread_t *caller, thread_t *r)
{
    trapframe_t *d = r->frame;
    const trapframe_t *s = caller->frame;

    switch (caller->ipc.msg_src) {
    case IPC_MSG_SYSCALL:
        /* Linux's registers: rax = number, rdi rsi rdx r10 r8 r9. */
        d->rsi = IPC_TAG(IPC_LABEL_SYSCALL, 0);
        d->rdx = s->rax;
        d->r10 = s->rdi;
        d->r8 = s->rsi;
        d->r9 = s->rdx;
        d->r12 = s->r10;
        d->r13 = s->r8;
        d->r14 = s->r9;
        d->r15 = caller->id;
        return;
    case IPC_MSG_FRAME:
        if (likely(!(IPC_FLAGS(s->rsi) & IPC_FLAG_HANDLE)))
            copy_msg_regs(d, s);
        else
            ipc_move_with_handle(caller, r, false, false);
        return;
    default:
        if (likely(!(IPC_FLAGS(caller->ipc.kmsg.tag) & IPC_FLAG_HANDLE)))
            ipc_msg_to_frame(d, &caller->ipc.kmsg);
        else
            ipc_move_with_handle(caller, r, true, false);
        return;
    }
}

/* A reply from the frame of the current thread t into the caller. */
static inline void ipc_move_reply(thread_t *t, thread_t *caller)
{
    const trapframe_t *s = t->frame;
    bool handle = IPC_FLAGS(s->rsi) & IPC_FLAG_HANDLE;

    switch (caller->ipc.msg_src) {
    case IPC_MSG_SYSCALL:
        caller->frame->rax = s->rdx; /* w[0]; a handle has nowhere to go */
        return;
    case IPC_MSG_FRAME:
        if (likely(!handle))
            copy_msg_regs(caller->frame, s);
        else
            ipc_move_with_handle(t, caller, false, false);
        return;
    default:
        if (likely(!handle))
            ipc_msg_from_frame(s, &caller->ipc.kmsg);
        else
            ipc_move_with_handle(t, caller, false, true);
        return;
    }
}

/* Puts caller's call in service in the process of receiver r, first on
 * its list (the call most likely to be answered next), and gives r the
 * token and the caller's pid. */
static inline void ipc_put_in_service(thread_t *caller, thread_t *r, uint64_t pid)
{
    r->frame->rdi = caller->ipc.token;
    r->frame->rbx = pid;
    caller->ipc.state = IPC_IN_SERVICE;
    list_push_front(&r->proc->ipc_in_service, &caller->ipc.link);
    caller->ipc.port->calls++;
}

/* Hands caller's message to receiver r (whose frame gets it) and puts the
 * call in service. */
static inline void ipc_deliver(thread_t *caller, thread_t *r)
{
    ipc_move_call(caller, r);
    ipc_put_in_service(caller, r, caller->proc ? caller->proc->pid : 0);
}

#endif
