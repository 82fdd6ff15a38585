/*
 * smss's calls: the server listing (for the shell's `servers`), crashing a
 * server on purpose (`crash`), and shutdown.
 */
#include "smss_internal.h"
#include <native/runtime.h>
#include <string.h>

static long do_list(server_t *srv, srv_req_t *req)
{
    srv_client_t *c = req->client;
    size_t n = (size_t)smss.nservers;

    (void)srv;
    if (!srv_buffer_ok(c, 0, n * sizeof(smss_server_info_t)))
        return ST_RANGE;
    for (size_t i = 0; i < n; i++) {
        smss_server_t *s = &smss.servers[i];
        smss_server_info_t *info = (smss_server_info_t *)c->buffer + i;
        memset(info, 0, sizeof(*info));
        strlcpy(info->name, s->name, sizeof(info->name));
        info->pid = s->proc ? s->pid : 0;
        info->state = s->state;
        info->restarts = s->restarts;
        strlcpy(info->last_failure, s->last_failure, sizeof(info->last_failure));
    }
    req->msg.w[0] = n;
    return ST_OK;
}

static long do_crash(server_t *srv, srv_req_t *req)
{
    char name[SMSS_NAME_MAX];

    (void)srv;
    memcpy(name, &req->msg.w[0], sizeof(name) - 1);
    name[sizeof(name) - 1] = 0;
    for (int i = 0; i < smss.nservers; i++) {
        smss_server_t *s = &smss.servers[i];
        if (strcmp(s->name, name))
            continue;
        if (s->state != SMSS_RUNNING || !s->proc)
            return ST_BAD_STATE;
        smss_log("crashing %s (pid %llu) on request from pid %llu", s->name,
                 (unsigned long long)s->pid, (unsigned long long)req->sender_pid);
        s->crash_requested = true;
        return sys_process_terminate(s->proc, EXIT_STATUS_KILLED);
    }
    return ST_NOT_FOUND;
}

static long do_shutdown(server_t *srv, srv_req_t *req)
{
    (void)srv;
    smss_log("shutdown requested by pid %llu", (unsigned long long)req->sender_pid);
    smss_shutdown((int64_t)req->msg.w[0]);
}

const srv_handler_t smss_table[] = {SMSS_CALLS(SRV_TABLE_ENTRY)};
const char *const smss_names[] = {SMSS_CALLS(SRV_NAME_ENTRY)};
const unsigned smss_ncalls = sizeof(smss_table) / sizeof(smss_table[0]);

void smss_serve_until(uint64_t deadline_ns)
{
    uint64_t now = 0, timeout = IPC_WAIT_FOREVER;

    if (deadline_ns) {
        sys_clock_get(CLOCK_MONOTONIC_NS, &now);
        timeout = deadline_ns > now ? deadline_ns - now : 1;
    }
    srv_serve_one(&smss.srv, timeout);
}
