/*
 * The console's calls: write, read (deferred until input is ready), mode,
 * interrupt target, window size.
 */
#include "console_internal.h"
#include <native/runtime.h>
#include <string.h>

static long do_write(server_t *srv, srv_req_t *req)
{
    uint64_t len = req->msg.w[0] & CON_LEN_MASK;
    bool translate = !(con.mode & (CON_MODE_PIPE | CON_MODE_RAWOUT));

    (void)srv;
    if (req->msg.w[0] & CON_DATA_IN_BUFFER) {
        if (!srv_buffer_ok(req->client, 0, len))
            return ST_RANGE;
        con_output((const char *)req->client->buffer, len, translate);
    } else {
        if (len > CON_INLINE_MAX)
            return ST_RANGE;
        con_output((const char *)&req->msg.w[1], len, translate);
    }
    req->msg.w[0] = len;
    return ST_OK;
}

/* Gives queued input to r; false if there is none yet. */
static bool serve(reader_t *r)
{
    ipc_msg_t m = {0};
    uint64_t n = 0, limit = r->max;
    uint8_t *dst;

    if (!con.qlen && !con.eof_pending)
        return false;
    if (r->to_buffer) {
        if (!srv_buffer_ok(r->client, 0, limit))
            limit = r->client && r->client->buffer ? r->client->buffer_size : 0;
        dst = r->client ? r->client->buffer : NULL;
    } else {
        limit = limit > CON_INLINE_MAX ? CON_INLINE_MAX : limit;
        dst = (uint8_t *)&m.w[1];
    }
    /* Cooked input is handed out a line at a time, as a terminal does. */
    while (dst && n < limit && con.qlen) {
        uint8_t b = con.queue[con.qhead];
        dst[n++] = b;
        con.qhead = (con.qhead + 1) % INPUT_QUEUE;
        con.qlen--;
        if (b == '\n' && !(con.mode & CON_MODE_RAW))
            break;
    }
    if (n == 0 && con.eof_pending)
        con.eof_pending = false;
    m.w[0] = n;
    srv_reply(r->token, ST_OK, &m);
    return true;
}

void con_serve_readers(void)
{
    while (con.nreaders && serve(&con.readers[0])) {
        memmove(&con.readers[0], &con.readers[1], sizeof(reader_t) * (size_t)(con.nreaders - 1));
        con.nreaders--;
    }
}

static long do_read(server_t *srv, srv_req_t *req)
{
    reader_t r = {req->token, req->msg.w[0] & CON_LEN_MASK,
                  (req->msg.w[0] & CON_DATA_IN_BUFFER) != 0, req->client};

    (void)srv;
    if (r.max == 0)
        return ST_INVALID_ARGUMENT;
    if (r.to_buffer && !srv_buffer_ok(req->client, 0, 1))
        return ST_RANGE;
    if ((req->msg.w[0] & CON_NOWAIT) && (con.nreaders || (!con.qlen && !con.eof_pending)))
        return ST_WOULD_BLOCK;
    if (con.nreaders == 0 && serve(&r))
        return SRV_DEFERRED; /* answered already */
    if (con.nreaders == MAX_READERS)
        return ST_BUSY;
    con.readers[con.nreaders++] = r;
    return SRV_DEFERRED;
}

static long do_set_mode(server_t *srv, srv_req_t *req)
{
    uint32_t old = con.mode;

    (void)srv;
    if (req->msg.w[0] &
        ~(uint64_t)(CON_MODE_RAW | CON_MODE_ECHO | CON_MODE_PIPE | CON_MODE_ISIG | CON_MODE_RAWOUT))
        return ST_INVALID_ARGUMENT;
    con.mode = (uint32_t)req->msg.w[0] | (old & CON_MODE_PIPE); /* pipe mode stays */
    if (!(old & (CON_MODE_RAW | CON_MODE_PIPE)) && (con.mode & CON_MODE_RAW) && con.len) {
        con_release_line(); /* typed ahead before the program went raw */
        con_serve_readers();
        con_notify_watchers();
    }
    req->msg.w[0] = old;
    return ST_OK;
}

static long do_get_mode(server_t *srv, srv_req_t *req)
{
    (void)srv;
    req->msg.w[0] = con.mode;
    return ST_OK;
}

static long do_set_intr(server_t *srv, srv_req_t *req)
{
    (void)srv;
    if (con.intr_port)
        sys_handle_close(con.intr_port);
    con.intr_port = 0;
    if (IPC_FLAGS(req->msg.tag) & IPC_FLAG_HANDLE) {
        con.intr_port = (handle_t)req->msg.w[7];
        con.intr_bits = req->msg.w[0] ? req->msg.w[0] : 1;
    }
    return ST_OK;
}

static long do_winsize(server_t *srv, srv_req_t *req)
{
    (void)srv;
    req->msg.w[0] = 24;
    req->msg.w[1] = 80;
    return ST_OK;
}

void con_notify_watchers(void)
{
    if (!con.qlen && !con.eof_pending)
        return;
    for (int i = 0; i < 8; i++) {
        if (!con.watchers[i].port)
            continue;
        sys_ipc_notify(con.watchers[i].port, con.watchers[i].bits);
        sys_handle_close(con.watchers[i].port);
        con.watchers[i].port = 0;
    }
}

static long do_watch_input(server_t *srv, srv_req_t *req)
{
    (void)srv;
    if (!(IPC_FLAGS(req->msg.tag) & IPC_FLAG_HANDLE) || !req->msg.w[7])
        return ST_INVALID_ARGUMENT;
    for (int i = 0; i < 8; i++) {
        if (con.watchers[i].port)
            continue;
        con.watchers[i].port = (handle_t)req->msg.w[7];
        con.watchers[i].bits = req->msg.w[0] ? req->msg.w[0] : 1;
        con.watchers[i].pid = req->sender_pid;
        con_notify_watchers();
        return ST_OK;
    }
    sys_handle_close((handle_t)req->msg.w[7]);
    return ST_BUSY;
}

/*
 * A client ended: its reads waiting for input go (their reply could reach
 * nobody, and the input they would take belongs to whoever reads next),
 * and so do its input watchers (their ports would fill the table).
 */
void con_client_gone(server_t *srv, srv_client_t *c)
{
    int n = 0;

    (void)srv;
    for (int i = 0; i < con.nreaders; i++) {
        if (con.readers[i].client != c)
            con.readers[n++] = con.readers[i];
    }
    con.nreaders = n;
    for (int i = 0; i < 8; i++) {
        if (con.watchers[i].port && con.watchers[i].pid == c->pid) {
            sys_handle_close(con.watchers[i].port);
            con.watchers[i].port = 0;
        }
    }
}

const srv_handler_t console_table[] = {CONSOLE_CALLS(SRV_TABLE_ENTRY)};
const char *const console_names[] = {CONSOLE_CALLS(SRV_NAME_ENTRY)};
const unsigned console_ncalls = sizeof(console_table) / sizeof(console_table[0]);
