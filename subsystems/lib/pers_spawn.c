/*
 * The personality calls, both sides (see native/personality.h).
 */
#include <native/personality.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STRINGS 1024

/* Appends the n strings of v (n < 0: up to NULL) at *off; false when full. */
static bool put_strings(srv_conn_t *conn, size_t *off, const char *const *v, int n, uint32_t *count)
{
    *count = 0;
    for (int i = 0; v && (n < 0 ? v[i] != NULL : i < n); i++) {
        size_t len = strlen(v[i]) + 1;
        if (*off + len > conn->buffer_size)
            return false;
        memcpy(conn->buffer + *off, v[i], len);
        *off += len;
        (*count)++;
    }
    return true;
}

long pers_spawn(srv_conn_t *conn, const char *path, const char *cwd, const char *const *argv,
                const char *const *envp, uint32_t flags, uint64_t *pid, handle_t *proc)
{
    pers_spawn_t *req = (pers_spawn_t *)conn->buffer;
    size_t off = sizeof(*req);
    uint32_t n;
    ipc_msg_t m = {0};

    if (!conn->buffer || conn->buffer_size < sizeof(*req))
        return ST_INVALID_ARGUMENT;
    memset(req, 0, sizeof(*req));
    req->flags = flags;
    req->path_off = (uint32_t)off;
    if (!put_strings(conn, &off, &path, 1, &n))
        return ST_NAME_TOO_LONG;
    req->cwd_off = (uint32_t)off;
    if (!put_strings(conn, &off, &cwd, 1, &n))
        return ST_NAME_TOO_LONG;
    req->argv_off = (uint32_t)off;
    if (!put_strings(conn, &off, argv, -1, &req->argc))
        return ST_NAME_TOO_LONG;
    req->envp_off = (uint32_t)off;
    if (!put_strings(conn, &off, envp, -1, &req->envc))
        return ST_NAME_TOO_LONG;
    req->total = (uint32_t)off;
    long st = srv_call(conn, PERS_SPAWN, &m);
    if (st < 0)
        return st;
    if (!(IPC_FLAGS(m.tag) & IPC_FLAG_HANDLE) || !m.w[7])
        return ST_BAD_STATE;
    *pid = m.w[0];
    *proc = (handle_t)m.w[7];
    return ST_OK;
}

long pers_interrupt(srv_conn_t *conn, uint64_t pid)
{
    ipc_msg_t m = {0};

    m.w[0] = pid;
    return srv_call(conn, PERS_INTERRUPT, &m);
}

/* n strings one after another from off, all inside [0, total) of rec. */
static char **strings(char *rec, uint32_t off, uint32_t n, uint32_t total)
{
    char **v = calloc(n + 1, sizeof(char *));
    char *q = rec + off, *end = rec + total;

    for (uint32_t i = 0; v && i < n && q < end; i++, q += strlen(q) + 1)
        v[i] = q;
    return v;
}

/*
 * The record is checked and read from a copy: the client may rewrite its
 * buffer (from another thread) while we look at it.
 */
long pers_spawn_parse(srv_req_t *req, pers_spawn_args_t *a)
{
    srv_client_t *c = req->client;
    pers_spawn_t s;

    memset(a, 0, sizeof(*a));
    if (!c || !srv_buffer_ok(c, 0, sizeof(s)))
        return ST_INVALID_ARGUMENT;
    memcpy(&s, c->buffer, sizeof(s));
    if (s.total > c->buffer_size || s.total <= sizeof(s) || s.argc > MAX_STRINGS ||
        s.envc > MAX_STRINGS || s.path_off >= s.total || s.cwd_off >= s.total ||
        s.argv_off > s.total || s.envp_off > s.total)
        return ST_INVALID_ARGUMENT;
    a->record = malloc(s.total);
    if (!a->record)
        return ST_NO_MEMORY;
    memcpy(a->record, c->buffer, s.total);
    a->record[s.total - 1] = 0; /* every string ends inside the record */
    a->path = a->record + s.path_off;
    a->cwd = a->record + s.cwd_off;
    a->flags = s.flags;
    a->argv = strings(a->record, s.argv_off, s.argc, s.total);
    a->envp = strings(a->record, s.envp_off, s.envc, s.total);
    if (!a->argv || !a->envp) {
        pers_spawn_free(a);
        return ST_NO_MEMORY;
    }
    while (a->argc < s.argc && a->argv[a->argc])
        a->argc++;
    while (a->envc < s.envc && a->envp[a->envc])
        a->envc++;
    return ST_OK;
}

void pers_spawn_free(pers_spawn_args_t *a)
{
    free(a->argv);
    free(a->envp);
    free(a->record);
    a->argv = a->envp = NULL;
    a->record = NULL;
}

long pers_spawn_reply(srv_req_t *req, handle_t proc, uint64_t pid)
{
    handle_t h;
    long st = sys_handle_duplicate(HANDLE_SELF_PROCESS, proc, HANDLE_SELF_PROCESS,
                                   H_QUERY | H_WAIT | H_TERMINATE | H_DUPLICATE, &h);

    if (st < 0)
        return st;
    req->msg.tag = IPC_TAG(0, IPC_FLAG_HANDLE);
    req->msg.w[0] = pid;
    req->msg.w[7] = h;
    /* The handle goes to the shell with the reply; ours goes after. */
    srv_reply(req->token, ST_OK, &req->msg);
    sys_handle_close(h);
    return SRV_DEFERRED;
}
