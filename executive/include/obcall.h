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
/* Every ipc call comes through here: inline, without the generic lookup. */
static inline status_t ipc_ref_port(uint64_t h, uint32_t rights, port_t **out)
{
    handle_entry_t *e;

    if (unlikely(h > UINT32_MAX) ||
        unlikely(!(e = handle_entry(&ps_current_process()->handles, (handle_t)h))))
        return ST_INVALID_HANDLE;
    if (unlikely(e->obj->type != &port_type))
        return ST_WRONG_TYPE;
    if (unlikely((e->rights & rights) != rights))
        return ST_ACCESS_DENIED;
    ob_ref(e->obj);
    *out = container_of(e->obj, port_t, hdr);
    return ST_OK;
}
/* Makes a handle for obj in the current process and stores it at uout; on
 * a bad uout the handle is closed again and ST_BAD_ADDRESS returned. */
status_t ob_return_handle(ob_header_t *obj, uint32_t rights, uintptr_t uout);

#endif
