/*
 * Port objects: creation (optionally named under \Ports), the count of
 * handles that may receive, and death when that count reaches zero.
 */
#include "ipc.h"
#include "mm.h"
#include <stdio.h>
#include <string.h>

static void port_destroy(ob_header_t *obj)
{
    port_t *p = container_of(obj, port_t, hdr);

    ASSERT(list_empty(&p->queued) && list_empty(&p->receivers.waiters));
    kfree(p);
}

static void port_handle_opened(ob_header_t *obj, uint32_t rights)
{
    if (rights & H_RECEIVE)
        container_of(obj, port_t, hdr)->receive_handles++;
}

static void port_handle_closed(ob_header_t *obj, uint32_t rights)
{
    port_t *p = container_of(obj, port_t, hdr);

    if ((rights & H_RECEIVE) && --p->receive_handles == 0)
        port_kill(p);
}

const ob_type_t port_type = {
    .name = "Port",
    .valid_rights = H_QUERY | H_CONNECT | H_RECEIVE | H_DUPLICATE,
    .destroy = port_destroy,
    .handle_opened = port_handle_opened,
    .handle_closed = port_handle_closed,
    .id = OBJ_PORT,
};

void ipc_init(void)
{
    if (ob_create_directory("\\Ports") != ST_OK)
        panic("ipc: cannot create \\Ports");
}

status_t port_create(const char *name, port_t **out)
{
    port_t *p = kzalloc(sizeof(*p));
    status_t st;

    if (!p)
        return ST_NO_MEMORY;
    ob_init(&p->hdr, &port_type);
    list_init(&p->queued);
    wait_queue_init(&p->receivers);
    if (name) {
        char path[96];
        if (!name[0] || strchr(name, '\\') || strlen(name) > 63) {
            kfree(p);
            return ST_INVALID_ARGUMENT;
        }
        snprintf(path, sizeof(path), "\\Ports\\%s", name);
        st = ob_insert(path, &p->hdr);
        if (st != ST_OK) {
            kfree(p);
            return st;
        }
    }
    *out = p;
    return ST_OK;
}

void port_kill(port_t *p)
{
    if (p->dead)
        return;
    p->dead = true;
    ob_remove_name(&p->hdr);
    /* Queued callers: their wake-up path takes them off the queue. */
    list_for_each_safe(it, &p->queued)
    {
        thread_t *t = container_of(it, thread_t, ipc.link);
        ke_wake_thread(t, ST_PEER_DIED);
    }
    ke_wake_all(&p->receivers, ST_PEER_DIED);
}
