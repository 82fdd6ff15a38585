/*
 * ipc: ports, the only way to reach a server.
 *
 * A server creates a port (optionally named under \Ports) and receives on
 * it; clients connect by name and call. A call's message travels in
 * registers; the caller blocks until the reply, which a server may defer
 * (it keeps the reply token and answers later, from any of its threads).
 * Notifications are asynchronous bits on a port. When the last handle that
 * can receive on a port is closed, the port dies: every caller waiting on
 * it, and every call its server process held, ends with ST_PEER_DIED.
 *
 * Kernel memory per port is constant: queued callers are blocked threads
 * (bounded per process), notifications are bits.
 */
#ifndef IPC_H
#define IPC_H

#include "ke.h"
#include "ob.h"
#include <persona/ipc.h>

struct process;

typedef struct port {
    ob_header_t hdr;
    list_t queued;          /* callers not yet received (ipc_thread_t.link) */
    wait_queue_t receivers; /* server threads blocked in receive */
    uint64_t notify_bits;
    uint32_t receive_handles; /* handles holding H_RECEIVE */
    bool dead;
    uint64_t calls; /* statistics */
} port_t;

extern const ob_type_t port_type;

void ipc_init(void);
status_t port_create(const char *name, port_t **out);
/* Marks the port dead and fails everyone waiting on it. */
void port_kill(port_t *p);

/* Calls port from the current thread, with the message where src says
 * (enum ipc_msg_src; IPC_MSG_KMSG: already in the thread's ipc.kmsg). */
status_t ipc_call_src(port_t *port, enum ipc_msg_src src, uint64_t timeout_ns);
/*
 * Calls port from the current thread. kmsg == NULL: the message is in the
 * thread's user frame, and the reply goes back there; otherwise both go
 * through *kmsg (kernel-made calls: exceptions).
 */
status_t ipc_call(port_t *port, ipc_msg_t *kmsg, uint64_t timeout_ns);
/*
 * The current thread's system call as an IPC_LABEL_SYSCALL call to its
 * subsystem's port: the number and six arguments are taken from the
 * frame's system-call registers, the reply's w[0] is stored in its rax.
 */
static inline status_t ipc_call_syscall(port_t *port)
{
    return ipc_call_src(port, IPC_MSG_SYSCALL, KE_FOREVER);
}
/* The fast path (fastpath.c) of a forwarded system call (t's subsystem
 * port): it returns only when it does not apply, and the general path
 * follows. SYS_ipc_call and SYS_ipc_reply_recv (fastpath.c too) try theirs
 * the same way. */
void ipc_fastpath_syscall(thread_t *t, port_t *port);
/* Finishes the system call of a thread the fast path blocked (entry.S). */
void ipc_resume_user(trapframe_t *f);
/* Receives on port into the current thread's frame. */
status_t ipc_receive(port_t *port, uint64_t timeout_ns);
/* Replies to the call with token (msg from the current thread's frame). */
status_t ipc_reply(uint64_t token, bool direct, thread_t **woken);
status_t ipc_reply_receive(uint64_t token, port_t *port, uint64_t timeout_ns);
status_t ipc_notify(port_t *port, uint64_t bits);
/* A process is going away: calls it held in service fail. */
void ipc_process_died(struct process *p);

#endif
