/*
 * The server framework every Persona server uses (MINIX 3's server shape):
 * a receive loop that dispatches each call through a table built from the
 * server's one list of calls, deferred replies, per-client records with a
 * shared buffer for bulk data, and notification handling.
 *
 * A server's interface header lists its calls once:
 *
 *   #define CONSOLE_CALLS(X)  X(CON_WRITE, 1, do_write)  X(CON_READ, 2, do_read)
 *
 * and expands them with SRV_ENUM (the call numbers, in the header),
 * SRV_TABLE_ENTRY and SRV_NAME_ENTRY (in the server's table.c).
 *
 * A handler returns a status (>= 0 results are allowed) that becomes the
 * reply's label, after filling req->msg.w[] with its results; or it returns
 * SRV_DEFERRED after keeping req->token to answer later with srv_reply().
 */
#ifndef NATIVE_SERVER_H
#define NATIVE_SERVER_H

#include <native/ipc.h>
#include <stdbool.h>

#define SRV_ENUM(name, nr, fn)        name = (nr),
#define SRV_TABLE_ENTRY(name, nr, fn) [nr] = fn,
#define SRV_NAME_ENTRY(name, nr, fn)  [nr] = #name,

/* Calls the framework itself answers; server calls use 1..SRV_CALL_MAX. */
#define SRV_CALL_MAX 0xff00u
#define SRV_ATTACH   0xff01u /* w[7]: section handle (IPC_FLAG_HANDLE) = the client's buffer */
#define SRV_PING     0xff02u /* liveness check: replies ST_OK */
#define SRV_SYNC     0xff03u /* write back everything held in memory (smss, before shutdown) */

#define SRV_DEFERRED 0x7fffffffl
#define SRV_PASS     0x7ffffffel

/* Notification bit the framework keeps for client exits. */
#define SRV_CLIENT_EXIT_BIT (1ull << 63)

typedef struct srv_client {
    struct srv_client *next;
    uint64_t pid;
    handle_t proc;   /* H_QUERY handle, for exit detection */
    uint8_t *buffer; /* the client's shared buffer, mapped here (or NULL) */
    size_t buffer_size;
    void *data; /* the server's per-client state */
} srv_client_t;

typedef struct srv_req {
    ipc_msg_t msg; /* the call; handlers write their results into it */
    union {
        struct {
            uint64_t token;
            uint64_t sender_pid;
        };
        ipc_recv_info_t info; /* the same, as the receive stubs store it */
    };
    srv_client_t *client;
} srv_req_t;

struct server;
typedef long (*srv_handler_t)(struct server *srv, srv_req_t *req);

typedef struct server {
    const char *name; /* for messages; also the port name unless port_name */
    const char *port_name;
    handle_t port;
    const srv_handler_t *table;
    const char *const *names;
    unsigned ncalls;
    /* Optional hooks. */
    void (*notify)(struct server *srv, uint64_t bits);
    void (*client_new)(struct server *srv, srv_client_t *c);
    void (*client_gone)(struct server *srv, srv_client_t *c);
    srv_client_t *clients;
    /* bit n: call n may carry a handle (IPC_FLAG_HANDLE); a handle sent with
     * any other call (SRV_ATTACH aside) is closed before intercept and the
     * handlers see the call */
    uint64_t takes_handles;
    /* In srv_run's loop, sees every call before anything else, the client
     * record included (req->client is NULL): answers at once what it can
     * (a status, as a handler does) or returns SRV_PASS to go on as
     * without it. For the server's hottest calls. */
    long (*quick)(struct server *srv, srv_req_t *req);
    /* Sees every message first (kernel labels too; client is NULL for
     * those); returns SRV_PASS to let the table dispatch it. */
    long (*intercept)(struct server *srv, srv_req_t *req);
    /* Microseconds until the server next needs to act (0: no deadline),
     * and what to do when that time comes. */
    uint64_t (*next_timeout_us)(struct server *srv);
    void (*timeout)(struct server *srv);
    /* SRV_SYNC: make what clients wrote durable; a status. */
    long (*sync)(struct server *srv);
    bool trace; /* print every call */
} server_t;

/* Creates the server's port (named port_name or name). */
long srv_init(server_t *srv);
/* The receive loop; returns only if the port fails. */
long srv_run(server_t *srv);
/* Serves one message (call or notification), waiting at most timeout_ns
 * (IPC_WAIT_FOREVER: no limit); ST_TIMEOUT if none came. */
long srv_serve_one(server_t *srv, uint64_t timeout_ns);
/* Answers a deferred call. status becomes the reply label. */
long srv_reply(uint64_t token, long status, ipc_msg_t *msg);
srv_client_t *srv_find_client(server_t *srv, uint64_t pid);

/* Checks that [off, off+len) lies in the client's buffer. */
static inline bool srv_buffer_ok(const srv_client_t *c, uint64_t off, uint64_t len)
{
    return c && c->buffer && off <= c->buffer_size && len <= c->buffer_size - off;
}

/*
 * Client side. A connection is a port handle plus, optionally, a buffer
 * shared with the server for data that does not fit in a message.
 */
typedef struct srv_conn {
    handle_t port;
    handle_t section;
    uint8_t *buffer;
    size_t buffer_size;
} srv_conn_t;

/* Connects to the named server; buffer_size 0: no shared buffer. */
long srv_connect(const char *port_name, size_t buffer_size, srv_conn_t *conn);
/* Calls with label; returns the kernel status if the call failed, else the
 * server's status (the reply label, sign-extended). msg->w in/out. */
long srv_call(srv_conn_t *conn, uint32_t label, ipc_msg_t *msg);
void srv_disconnect(srv_conn_t *conn);

#endif
