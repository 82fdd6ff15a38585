/*
 * Helpers for system calls that take or return handles, in the current
 * process's handle table. Pseudo-handles (HANDLE_SELF_PROCESS/THREAD) are
 * accepted by the process and thread variants.
 */
#ifndef OBCALL_H
#define OBCALL_H

#include "ipc.h"
#include "ps.h"
#include "section.h"

/* A new reference to the object behind h, checked for type and rights.
 * h is a raw system-call argument: values above 32 bits are invalid. */
status_t ob_ref_handle(uint64_t h, const ob_type_t *type, uint32_t rights, ob_header_t **out);
status_t ps_ref_process(uint64_t h, uint32_t rights, process_t **out);
status_t ps_ref_thread(uint64_t h, uint32_t rights, ps_thread_t **out);
status_t ipc_ref_port(uint64_t h, uint32_t rights, port_t **out);
/* Makes a handle for obj in the current process and stores it at uout; on
 * a bad uout the handle is closed again and ST_BAD_ADDRESS returned. */
status_t ob_return_handle(ob_header_t *obj, uint32_t rights, uintptr_t uout);

#endif
