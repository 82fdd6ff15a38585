/*
 * Messages between processes. A message is a tag and eight machine words,
 * carried in registers from the sender's saved frame to the receiver's; no
 * kernel buffer holds it. Register assignment for the ipc system calls:
 *
 *   tag  rsi      w[0] rdx   w[1] r10   w[2] r8   w[3] r9
 *   w[4] r12      w[5] r13   w[6] r14   w[7] r15
 *
 * ipc_call:       rdi = port handle, rbx = timeout in ns (0: wait for ever);
 *                  returns rax = status and the reply in the message
 *                  registers. The reply's tag label is the server's own
 *                  result, apart from rax, which says whether a reply came.
 * ipc_recv:        rdi = port handle, rbx = timeout; returns rax = status,
 *                  rdi = reply token, rbx = sender's pid, and the message.
 * ipc_reply:       rdi = token, the reply in the message registers.
 * ipc_reply_recv:  rdi = token (0: nothing to reply), rbx = port handle in
 *                  the low 32 bits and a receive timeout in microseconds in
 *                  the high 32 (0: none); replies, then receives as
 *                  ipc_recv does.
 *
 * The native runtime's stubs (subsystems/lib/include/native/ipc.h) are the
 * only code that builds these register images.
 */
#ifndef PERSONA_IPC_H
#define PERSONA_IPC_H

#include <stdint.h>

#define IPC_WORDS 8

/* Timeouts (rbx of ipc_call and ipc_recv). */
#define IPC_WAIT_FOREVER 0ull
#define IPC_NO_WAIT      (~0ull)

typedef struct ipc_msg {
    uint64_t tag;
    uint64_t w[IPC_WORDS];
} ipc_msg_t;

/* tag = label | flags. Labels at or above IPC_LABEL_KERNEL are generated
 * by the executive only, so a server can trust them. */
#define IPC_LABEL(tag)        ((uint32_t)(tag))
#define IPC_FLAGS(tag)        ((uint32_t)((tag) >> 32))
#define IPC_TAG(label, flags) ((uint64_t)(uint32_t)(label) | ((uint64_t)(flags) << 32))

#define IPC_LABEL_KERNEL    0xFFFF0000u
#define IPC_LABEL_NOTIFY    0xFFFF0001u /* w[0] = the notification bits */
#define IPC_LABEL_EXCEPTION 0xFFFF0002u /* see ipc_exception words below */
#define IPC_LABEL_SYSCALL   0xFFFF0003u /* a foreign personality's system call */

/* Flags. */
#define IPC_FLAG_HANDLE 0x1u /* w[7] is a handle: duplicated into the receiver */

/* Exception message words (IPC_LABEL_EXCEPTION). */
enum {
    IPC_EXC_VECTOR = 0,
    IPC_EXC_ERROR = 1,
    IPC_EXC_ADDRESS = 2,
    IPC_EXC_RIP = 3,
    IPC_EXC_RSP = 4,
    IPC_EXC_TID = 5,
    IPC_EXC_PID = 6,
};
/* Pseudo-vector of an exception message caused by thread_interrupt: the
 * thread was stopped between two instructions so that its exception port
 * can change its context (POSIX signal delivery). */
#define IPC_EXC_INTERRUPT 0x100

/* Reply labels the faulting thread understands. */
#define IPC_EXC_RESUME 0 /* retry the instruction (context may be changed) */
#define IPC_EXC_KILL   1 /* end the process with the fault's exit status */

/* Forwarded system call words (IPC_LABEL_SYSCALL): the number and six
 * arguments; the reply's w[0] becomes the caller's rax. */
enum {
    IPC_SC_NR = 0,
    IPC_SC_ARG0 = 1, /* ... IPC_SC_ARG0 + 5 */
    IPC_SC_TID = 7,
};

#endif
