/* Handle system calls, and the helpers other components' calls use. */
#include "obcall.h"
#include "syscall.h"

status_t ob_ref_handle(uint64_t h, const ob_type_t *type, uint32_t rights, ob_header_t **out)
{
    if (h > UINT32_MAX)
        return ST_INVALID_HANDLE;
    return handle_lookup(&ps_current_process()->handles, (handle_t)h, type, rights, out);
}

status_t ps_ref_process(uint64_t h, uint32_t rights, process_t **out)
{
    ob_header_t *o;
    status_t st;

    if (h == HANDLE_SELF_PROCESS) {
        *out = ps_current_process();
        ob_ref(OB(*out));
        return ST_OK;
    }
    st = ob_ref_handle(h, &process_type, rights, &o);
    if (st == ST_OK)
        *out = container_of(o, process_t, hdr);
    return st;
}

status_t ps_ref_thread(uint64_t h, uint32_t rights, ps_thread_t **out)
{
    ob_header_t *o;
    status_t st;

    if (h == HANDLE_SELF_THREAD) {
        *out = ke_current()->owner;
        ob_ref(OB(*out));
        return ST_OK;
    }
    st = ob_ref_handle(h, &thread_type, rights, &o);
    if (st == ST_OK)
        *out = container_of(o, ps_thread_t, hdr);
    return st;
}

status_t ob_return_handle(ob_header_t *obj, uint32_t rights, uintptr_t uout)
{
    handle_table_t *ht = &ps_current_process()->handles;
    handle_t h;
    status_t st;

    if (!arch_user_range_ok(uout, sizeof(h)) || !IS_ALIGNED(uout, sizeof(h)))
        return ST_BAD_ADDRESS;
    st = handle_create(ht, obj, rights, &h);
    if (st != ST_OK)
        return st;
    st = copy_to_user(uout, &h, sizeof(h));
    if (st != ST_OK)
        handle_close(ht, h);
    return st;
}

SYSCALL(handle_close)
{
    if (a0 > UINT32_MAX)
        return ST_INVALID_HANDLE; /* not a truncated alias of a real handle */
    return handle_close(&ps_current_process()->handles, (handle_t)a0);
}

SYSCALL(handle_duplicate)
{
    process_t *src, *dst;
    handle_t out;
    status_t st;

    if (a0 > UINT32_MAX || a1 > UINT32_MAX || a2 > UINT32_MAX || a3 > UINT32_MAX)
        return ST_INVALID_ARGUMENT;
    if (!arch_user_range_ok(a4, sizeof(out)))
        return ST_BAD_ADDRESS;
    st = ps_ref_process(a0, H_DUPLICATE, &src);
    if (st != ST_OK)
        return st;
    st = ps_ref_process(a2, H_DUPLICATE, &dst);
    if (st != ST_OK) {
        ob_unref(OB(src));
        return st;
    }
    if (src->state != PROCESS_ACTIVE || dst->state != PROCESS_ACTIVE)
        st = ST_BAD_STATE;
    else
        st = handle_duplicate(&src->handles, (handle_t)a1, &dst->handles, (uint32_t)a3, &out);
    if (st == ST_OK) {
        st = copy_to_user(a4, &out, sizeof(out));
        if (st != ST_OK)
            handle_close(&dst->handles, out);
    }
    ob_unref(OB(src));
    ob_unref(OB(dst));
    return st;
}

SYSCALL(handle_info)
{
    handle_table_t *ht = &ps_current_process()->handles;
    handle_info_t info = {0};
    ob_header_t *o;
    status_t st;

    if (a0 > UINT32_MAX)
        return ST_INVALID_HANDLE;
    st = handle_lookup(ht, (handle_t)a0, NULL, 0, &o);
    if (st != ST_OK)
        return st;
    handle_rights(ht, (handle_t)a0, &info.rights);
    info.type = o->type->id;
    if (o->type == &process_type)
        info.object_id = container_of(o, process_t, hdr)->pid;
    else if (o->type == &thread_type)
        info.object_id = container_of(o, ps_thread_t, hdr)->kt.id;
    ob_unref(o);
    return copy_to_user(a1, &info, sizeof(info));
}
