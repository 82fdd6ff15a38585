/* Declarations shared by the files of ipc. */
#ifndef IPC_INTERNAL_H
#define IPC_INTERNAL_H

#include "ipc.h"
#include "ps.h"

void ipc_msg_from_frame(const trapframe_t *f, ipc_msg_t *m);
void ipc_msg_to_frame(trapframe_t *f, const ipc_msg_t *m);
void ipc_transfer_handle(process_t *from, process_t *to, ipc_msg_t *m);
void ipc_deliver(thread_t *caller, thread_t *receiver);

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

/* Moves a message between threads: from the sender's frame or kmsg to the
 * receiver's frame or kmsg, with handle transfer if the tag asks for it. */
static inline void ipc_move_msg(thread_t *from, thread_t *to, bool from_kmsg, bool to_kmsg)
{
    ipc_msg_t m;

    uint64_t tag = from_kmsg ? from->ipc.kmsg.tag : from->frame->rsi;

    if (!(IPC_FLAGS(tag) & IPC_FLAG_HANDLE)) {
        /* The common cases: no handle, one copy. */
        if (!from_kmsg && !to_kmsg)
            copy_msg_regs(to->frame, from->frame);
        else if (from_kmsg && !to_kmsg)
            ipc_msg_to_frame(to->frame, &from->ipc.kmsg);
        else if (!from_kmsg)
            ipc_msg_from_frame(from->frame, &to->ipc.kmsg);
        else
            to->ipc.kmsg = from->ipc.kmsg;
        return;
    }
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

#endif
