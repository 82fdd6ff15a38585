/* Declarations shared by the files of ipc. */
#ifndef IPC_INTERNAL_H
#define IPC_INTERNAL_H

#include "ipc.h"
#include "ps.h"

void ipc_msg_from_frame(const trapframe_t *f, ipc_msg_t *m);
void ipc_msg_to_frame(trapframe_t *f, const ipc_msg_t *m);
void ipc_transfer_handle(process_t *from, process_t *to, ipc_msg_t *m);
void ipc_deliver(thread_t *caller, thread_t *receiver);

#endif
