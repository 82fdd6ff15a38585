/*
 * Ports and messages for native programs (stubs in ipc.S). A server
 * creates a port and loops on native_ipc_reply_recv; a client connects by
 * name and calls. See <persona/ipc.h> for the message format.
 */
#ifndef NATIVE_IPC_H
#define NATIVE_IPC_H

#include <native/syscall.h>
#include <persona/ipc.h>

typedef struct ipc_recv_info {
    uint64_t token;      /* pass to native_ipc_reply; 0 for notifications */
    uint64_t sender_pid; /* 0 for notifications */
} ipc_recv_info_t;

long native_ipc_call(handle_t port, ipc_msg_t *msg, uint64_t timeout_ns);
long native_ipc_recv(handle_t port, ipc_msg_t *msg, uint64_t timeout_ns, ipc_recv_info_t *info);
long native_ipc_reply(uint64_t token, const ipc_msg_t *msg);
/* port_and_timeout: the port, or IPC_RECV_TIMEOUT(port, us) to stop waiting
 * (ST_TIMEOUT) after us microseconds. */
long native_ipc_reply_recv(uint64_t token, uint64_t port_and_timeout, ipc_msg_t *msg,
                           ipc_recv_info_t *info);
#define IPC_RECV_TIMEOUT(port, us)                                                                 \
    ((uint64_t)(port) | ((uint64_t)((us) > 0xffffffffull ? 0xffffffffull : (us)) << 32))

static inline long sys_port_create(const char *name, handle_t *out)
{
    return native_syscall2(SYS_port_create, name, out);
}

static inline long sys_port_connect(const char *name, handle_t *out)
{
    return native_syscall2(SYS_port_connect, name, out);
}

static inline long sys_ipc_notify(handle_t port, uint64_t bits)
{
    return native_syscall2(SYS_ipc_notify, port, bits);
}

#endif
