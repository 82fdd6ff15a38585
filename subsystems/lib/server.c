/*
 * The server framework (see native/server.h): the receive loop, dispatch,
 * client records with shared buffers, client-exit tracking, and the client
 * side of connections.
 */
#include <native/runtime.h>
#include <native/server.h>
#include <stdlib.h>
#include <string.h>

long srv_init(server_t *srv)
{
    const char *name = srv->port_name ? srv->port_name : srv->name;
    long st = sys_port_create(name, &srv->port);

    if (st < 0)
        printf("%s: cannot create port %s: %s\n", srv->name, name, status_name(st));
    return st;
}

srv_client_t *srv_find_client(server_t *srv, uint64_t pid)
{
    for (srv_client_t *c = srv->clients; c; c = c->next) {
        if (c->pid == pid)
            return c;
    }
    return NULL;
}

/* The record for pid, made on its first call; NULL if it cannot be made. */
static srv_client_t *client_for(server_t *srv, uint64_t pid)
{
    srv_client_t *c = srv_find_client(srv, pid);

    if (c || !pid)
        return c;
    c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->pid = pid;
    if (sys_process_open(pid, H_QUERY, &c->proc) < 0 ||
        sys_process_watch(c->proc, srv->port, SRV_CLIENT_EXIT_BIT) < 0) {
        if (c->proc)
            sys_handle_close(c->proc);
        free(c);
        return NULL;
    }
    c->next = srv->clients;
    srv->clients = c;
    if (srv->client_new)
        srv->client_new(srv, c);
    return c;
}

static void client_free(server_t *srv, srv_client_t *c)
{
    if (srv->client_gone)
        srv->client_gone(srv, c);
    if (c->buffer)
        sys_vm_unmap(HANDLE_SELF_PROCESS, (uint64_t)c->buffer, c->buffer_size);
    sys_handle_close(c->proc);
    free(c);
}

/* Some client ended: drop the records of every client that has. */
static void reap_clients(server_t *srv)
{
    for (srv_client_t **l = &srv->clients; *l;) {
        process_info_t info;
        srv_client_t *c = *l;
        if (sys_process_info(c->proc, &info) == ST_OK && info.state != PROCESS_DEAD) {
            l = &c->next;
            continue;
        }
        *l = c->next;
        client_free(srv, c);
    }
}

static void handle_notification(server_t *srv, uint64_t bits);

static long do_attach(srv_req_t *req)
{
    srv_client_t *c = req->client;
    handle_t sec = (handle_t)req->msg.w[7];
    uint64_t addr = 0, size = req->msg.w[0];
    long st;

    if (!(IPC_FLAGS(req->msg.tag) & IPC_FLAG_HANDLE) || !c)
        return ST_INVALID_ARGUMENT;
    if (size == 0 || size > (16ul << 20) || (size & (VM_PAGE_SIZE - 1))) {
        sys_handle_close(sec);
        return ST_INVALID_ARGUMENT;
    }
    st = sys_vm_map(HANDLE_SELF_PROCESS, &addr, size, PROT_R | PROT_W, 0, sec, 0);
    sys_handle_close(sec);
    if (st < 0)
        return st;
    if (c->buffer)
        sys_vm_unmap(HANDLE_SELF_PROCESS, (uint64_t)c->buffer, c->buffer_size);
    c->buffer = (uint8_t *)addr;
    c->buffer_size = size;
    return ST_OK;
}

static long dispatch(server_t *srv, srv_req_t *req)
{
    uint32_t label = IPC_LABEL(req->msg.tag);

    req->client = label < IPC_LABEL_KERNEL ? client_for(srv, req->sender_pid) : NULL;
    /* A handle goes only with a call that takes one; any other is closed
     * before a hook or handler sees the call, whatever the call. */
    if (label < IPC_LABEL_KERNEL && (IPC_FLAGS(req->msg.tag) & IPC_FLAG_HANDLE) &&
        label != SRV_ATTACH && !(label < 64 && (srv->takes_handles & (1ull << label)))) {
        if (req->msg.w[7])
            sys_handle_close((handle_t)req->msg.w[7]);
        req->msg.tag = IPC_TAG(label, IPC_FLAGS(req->msg.tag) & ~IPC_FLAG_HANDLE);
        req->msg.w[7] = 0;
    }
    if (srv->intercept) {
        long st = srv->intercept(srv, req);
        if (st != SRV_PASS)
            return st;
    }
    if (label >= IPC_LABEL_KERNEL)
        return ST_NOT_SUPPORTED;
    if (srv->trace && label < srv->ncalls && srv->names[label])
        printf("%s: %s from pid %llu\n", srv->name, srv->names[label],
               (unsigned long long)req->sender_pid);
    if (label == SRV_ATTACH)
        return do_attach(req);
    if (label == SRV_PING)
        return ST_OK;
    if (label == SRV_SYNC)
        return srv->sync ? srv->sync(srv) : ST_OK;
    if (label >= srv->ncalls || !srv->table[label])
        return ST_NOT_SUPPORTED;
    return srv->table[label](srv, req);
}

long srv_run(server_t *srv)
{
    srv_req_t req;
    uint64_t token = 0;
    long st;

    _Static_assert(offsetof(srv_req_t, info.token) == offsetof(srv_req_t, token) &&
                       offsetof(srv_req_t, info.sender_pid) == offsetof(srv_req_t, sender_pid),
                   "srv_req_t.info");
    for (;;) {
        uint64_t us = srv->next_timeout_us ? srv->next_timeout_us(srv) : 0;
        uint64_t answered = token;
        st = native_ipc_reply_recv(token, IPC_RECV_TIMEOUT(srv->port, us), &req.msg, &req.info);
        token = 0;
        if (__builtin_expect(st < 0, 0)) {
            if (st == ST_TIMEOUT) {
                /* Only the receive can time out: any reply went out. */
                if (srv->timeout)
                    srv->timeout(srv);
                continue;
            }
            if (st == ST_NOT_FOUND)
                continue; /* the caller we answered had gone */
            if (answered) {
                /* The reply failed, so nothing was received: say so, go on. */
                printf("%s: a reply failed: %s\n", srv->name, status_name(st));
                continue;
            }
            printf("%s: receive failed: %s\n", srv->name, status_name(st));
            return st;
        }
        if (IPC_LABEL(req.msg.tag) == IPC_LABEL_NOTIFY) {
            handle_notification(srv, req.msg.w[0]);
            continue;
        }
        req.client = NULL; /* token and sender_pid: stored by the receive */
        /* A message with a handle goes the long way, which closes it. */
        bool plain = !(IPC_FLAGS(req.msg.tag) & IPC_FLAG_HANDLE);
        st = srv->quick && plain ? srv->quick(srv, &req) : SRV_PASS;
        if (st == SRV_PASS)
            st = dispatch(srv, &req);
        if (st == SRV_DEFERRED)
            continue;
        req.msg.tag = IPC_TAG((uint32_t)st, 0);
        token = req.token;
    }
}

static void handle_notification(server_t *srv, uint64_t bits)
{
    if (bits & SRV_CLIENT_EXIT_BIT)
        reap_clients(srv);
    if ((bits & ~SRV_CLIENT_EXIT_BIT) && srv->notify)
        srv->notify(srv, bits & ~SRV_CLIENT_EXIT_BIT);
}

long srv_serve_one(server_t *srv, uint64_t timeout_ns)
{
    srv_req_t req;
    long st = native_ipc_recv(srv->port, &req.msg, timeout_ns, &req.info);

    if (st < 0)
        return st;
    if (IPC_LABEL(req.msg.tag) == IPC_LABEL_NOTIFY) {
        handle_notification(srv, req.msg.w[0]);
        return ST_OK;
    }
    st = dispatch(srv, &req);
    if (st != SRV_DEFERRED) {
        req.msg.tag = IPC_TAG((uint32_t)st, 0);
        native_ipc_reply(req.token, &req.msg);
    }
    return ST_OK;
}

long srv_reply(uint64_t token, long status, ipc_msg_t *msg)
{
    ipc_msg_t m;

    if (!msg) {
        memset(&m, 0, sizeof(m));
        msg = &m;
    }
    msg->tag = IPC_TAG((uint32_t)status, IPC_FLAGS(msg->tag) & IPC_FLAG_HANDLE);
    return native_ipc_reply(token, msg);
}

long srv_connect(const char *port_name, size_t buffer_size, srv_conn_t *conn)
{
    long st;
    ipc_msg_t m = {0};

    memset(conn, 0, sizeof(*conn));
    st = sys_port_connect(port_name, &conn->port);
    if (st < 0 || !buffer_size)
        return st;
    buffer_size = (buffer_size + VM_PAGE_SIZE - 1) & ~(VM_PAGE_SIZE - 1);
    uint64_t addr = 0;
    st = sys_section_create(buffer_size, &conn->section);
    if (st >= 0)
        st = sys_vm_map(HANDLE_SELF_PROCESS, &addr, buffer_size, PROT_R | PROT_W, 0, conn->section,
                        0);
    if (st >= 0) {
        conn->buffer = (uint8_t *)addr;
        conn->buffer_size = buffer_size;
        m.tag = IPC_TAG(SRV_ATTACH, IPC_FLAG_HANDLE);
        m.w[0] = buffer_size;
        m.w[7] = conn->section;
        st = native_ipc_call(conn->port, &m, IPC_WAIT_FOREVER);
        if (st == ST_OK)
            st = (int32_t)IPC_LABEL(m.tag);
    }
    if (st < 0)
        srv_disconnect(conn);
    return st;
}

long srv_call(srv_conn_t *conn, uint32_t label, ipc_msg_t *msg)
{
    long st;

    msg->tag = IPC_TAG(label, IPC_FLAGS(msg->tag) & IPC_FLAG_HANDLE);
    st = native_ipc_call(conn->port, msg, IPC_WAIT_FOREVER);
    if (st != ST_OK)
        return st;
    return (int32_t)IPC_LABEL(msg->tag);
}

void srv_disconnect(srv_conn_t *conn)
{
    if (conn->buffer)
        sys_vm_unmap(HANDLE_SELF_PROCESS, (uint64_t)conn->buffer, conn->buffer_size);
    if (conn->section)
        sys_handle_close(conn->section);
    if (conn->port)
        sys_handle_close(conn->port);
    memset(conn, 0, sizeof(*conn));
}
