/*
 * The message system calls. A message travels in eleven registers (see
 * <persona/ipc.h>), more than inline assembly can juggle around a frame
 * pointer, so these stubs move it between an ipc_msg_t in memory and the
 * registers, saving the callee-saved ones they borrow.
 *
 *   long native_ipc_call(handle_t port, ipc_msg_t *msg, uint64_t timeout)
 *   long native_ipc_recv(handle_t port, ipc_msg_t *msg, uint64_t timeout,
 *                        ipc_recv_info_t *info)
 *   long native_ipc_reply(uint64_t token, const ipc_msg_t *msg)
 *   long native_ipc_reply_recv(uint64_t token, uint64_t port_and_timeout,
 *                              ipc_msg_t *msg, ipc_recv_info_t *info)
 *
 * ipc_recv_info_t is { uint64_t token; uint64_t sender_pid; }.
 */
#include <persona/syscalls.h>

PERSONA_SYSCALLS(PERSONA_SYSCALL_ASM)

.macro SAVE
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro RESTORE
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
.endm

/* Loads w[1..7] of the message at (\base) into their registers. */
.macro LOAD_WORDS base
    movq 16(\base), %r10
    movq 24(\base), %r8
    movq 32(\base), %r9
    movq 40(\base), %r12
    movq 48(\base), %r13
    movq 56(\base), %r14
    movq 64(\base), %r15
.endm

/* Loads the message at (%rsi) into the message registers, rsi (the tag)
 * last. */
.macro LOAD_MSG_RSI
    LOAD_WORDS %rsi
    movq 8(%rsi), %rdx
    movq 0(%rsi), %rsi
.endm

/* Loads the message at (%rdx) into the message registers, rdx (w[0]) last. */
.macro LOAD_MSG_RDX
    LOAD_WORDS %rdx
    movq 0(%rdx), %rsi
    movq 8(%rdx), %rdx
.endm

/* Stores the message registers at (%r11). */
.macro STORE_MSG
    movq %rsi, 0(%r11)
    movq %rdx, 8(%r11)
    movq %r10, 16(%r11)
    movq %r8, 24(%r11)
    movq %r9, 32(%r11)
    movq %r12, 40(%r11)
    movq %r13, 48(%r11)
    movq %r14, 56(%r11)
    movq %r15, 64(%r11)
.endm

    .text
    .globl native_ipc_call
    .type native_ipc_call, @function
native_ipc_call:
    SAVE
    pushq %rsi              /* msg */
    movq %rdx, %rbx         /* timeout */
    LOAD_MSG_RSI
    movl $SYS_ipc_call, %eax
    syscall
    popq %r11
    STORE_MSG
    RESTORE
    ret

    .globl native_ipc_recv
    .type native_ipc_recv, @function
native_ipc_recv:
    SAVE
    pushq %rcx              /* info */
    pushq %rsi              /* msg */
    movq %rdx, %rbx         /* timeout */
    movl $SYS_ipc_recv, %eax
    syscall
    popq %r11
    STORE_MSG
    popq %r11
    testq %r11, %r11
    jz 1f
    movq %rdi, 0(%r11)
    movq %rbx, 8(%r11)
1:  RESTORE
    ret

    .globl native_ipc_reply
    .type native_ipc_reply, @function
native_ipc_reply:
    SAVE
    LOAD_MSG_RSI
    movl $SYS_ipc_reply, %eax
    syscall
    RESTORE
    ret

    .globl native_ipc_reply_recv
    .type native_ipc_reply_recv, @function
native_ipc_reply_recv:
    SAVE
    pushq %rcx              /* info */
    pushq %rdx              /* msg */
    movq %rsi, %rbx         /* port | timeout_us << 32 */
    LOAD_MSG_RDX
    movl $SYS_ipc_reply_recv, %eax
    syscall
    popq %r11
    STORE_MSG
    popq %r11
    testq %r11, %r11
    jz 1f
    movq %rdi, 0(%r11)
    movq %rbx, 8(%r11)
1:  RESTORE
    ret

    .section .note.GNU-stack, "", @progbits
