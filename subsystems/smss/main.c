/*
 * smss, the session manager and first user process.
 *
 * Reads /etc/smss.conf from the boot image, starts the servers it lists in
 * order (each must create its port before the next starts), then the
 * session program, and supervises them all. A server that crashes or exits
 * is restarted after a back-off that doubles from 100 ms to 5 s; one that
 * crashes SMSS_CRASH_LIMIT times within SMSS_CRASH_WINDOW is left stopped
 * with a clear message. Every restart and its reason go to the console.
 * When the session program ends, smss shuts the system down with its exit
 * status.
 *
 * Entry points: main() (set-up and the loop), and the calls in table.c.
 */
#include "smss_internal.h"
#include <native/console.h>
#include <native/runtime.h>
#include <stdlib.h>
#include <string.h>

smss_t smss;

static uint64_t now_ns(void)
{
    uint64_t t = 0;

    sys_clock_get(CLOCK_MONOTONIC_NS, &t);
    return t;
}

void smss_log(const char *fmt, ...)
{
    va_list ap;

    printf("smss: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

/* Waits until the server's port exists, or it dies, or 5 s pass. */
static long wait_ready(smss_server_t *s)
{
    for (int i = 0; i < 500; i++) {
        handle_t h;
        process_info_t info;
        if (sys_port_connect(s->port_name, &h) == ST_OK) {
            sys_handle_close(h);
            return ST_OK;
        }
        if (sys_process_info(s->proc, &info) == ST_OK && info.state == PROCESS_DEAD)
            return ST_PEER_DIED;
        sys_sleep(10 * MS);
    }
    return ST_TIMEOUT;
}

long smss_start_server(smss_server_t *s)
{
    const void *image;
    size_t size;
    const char *why = "";
    native_spawn_t sp = {0};
    process_info_t info;
    long st = smss_image_file(s->path, &image, &size);

    if (st < 0) {
        smss_log("cannot start %s: %s not in the boot image", s->name, s->path);
        return st;
    }
    sp.name = s->name;
    sp.argv = (const char *const *)s->argv;
    sp.flags = s->privileged ? PROCESS_CREATE_PRIVILEGED : 0;
    sp.bootimg = s->wants_bootimg ? smss.bootimg : 0;
    s->state = SMSS_STARTING;
    st = native_spawn_elf(image, size, &sp, &s->proc, NULL, &why);
    if (st < 0) {
        smss_log("cannot start %s: %s (%s)", s->name, why, status_name(st));
        return st;
    }
    sys_process_info(s->proc, &info);
    s->pid = info.pid;
    sys_process_watch(s->proc, smss.port, 1ull << s->index);
    st = wait_ready(s);
    if (st == ST_PEER_DIED && sys_process_info(s->proc, &info) == ST_OK && info.exit_status == 0 &&
        !strcmp(info.exit_reason, "exit")) {
        /* A driver without its device, say: it said why in the log. */
        smss_log("%s (pid %llu) has nothing to serve and ended; it is not restarted", s->name,
                 (unsigned long long)s->pid);
        snprintf(s->last_failure, sizeof(s->last_failure), "nothing to serve");
        sys_handle_close(s->proc);
        s->proc = 0;
        s->state = SMSS_ABSENT;
        return ST_NOT_FOUND;
    }
    if (st < 0) {
        smss_log("%s (pid %llu) did not come up: %s", s->name, (unsigned long long)s->pid,
                 status_name(st));
        return st;
    }
    s->state = SMSS_RUNNING;
    return ST_OK;
}

/* A server's process has ended: record why, and plan its restart. */
static void server_died(smss_server_t *s)
{
    process_info_t info;
    uint64_t now = now_ns();

    sys_process_info(s->proc, &info);
    sys_handle_close(s->proc);
    s->proc = 0;
    if (s->crash_requested)
        snprintf(s->last_failure, sizeof(s->last_failure), "killed on purpose (crash command)");
    else if (info.exit_reason[0] && strcmp(info.exit_reason, "exit"))
        snprintf(s->last_failure, sizeof(s->last_failure), "%s", info.exit_reason);
    else
        snprintf(s->last_failure, sizeof(s->last_failure), "exited with status %lld",
                 (long long)info.exit_status);
    s->crash_requested = false;
    if (s->crash_count == 0 || now - s->first_crash_ns > SMSS_CRASH_WINDOW) {
        s->first_crash_ns = now;
        s->crash_count = 0;
        s->backoff_ns = SMSS_BACKOFF_MIN;
    }
    s->crash_count++;
    if (s->crash_count >= SMSS_CRASH_LIMIT) {
        s->state = SMSS_STOPPED;
        smss_log("%s (pid %llu) died: %s; it crashed %u times within %llu s, so it is left "
                 "stopped",
                 s->name, (unsigned long long)s->pid, s->last_failure, s->crash_count,
                 (unsigned long long)(SMSS_CRASH_WINDOW / 1000000000ull));
        return;
    }
    s->state = SMSS_RESTARTING;
    s->restart_at_ns = now + s->backoff_ns;
    smss_log("%s (pid %llu) died: %s; restarting in %llu ms", s->name, (unsigned long long)s->pid,
             s->last_failure, (unsigned long long)(s->backoff_ns / MS));
    s->backoff_ns = s->backoff_ns * 2 > SMSS_BACKOFF_MAX ? SMSS_BACKOFF_MAX : s->backoff_ns * 2;
}

static void restart_due(void)
{
    uint64_t now = now_ns();

    for (int i = 0; i < smss.nservers; i++) {
        smss_server_t *s = &smss.servers[i];
        if (s->state != SMSS_RESTARTING || now < s->restart_at_ns)
            continue;
        s->restarts++;
        if (smss_start_server(s) == ST_OK)
            smss_log("%s restarted (pid %llu, restart %u)", s->name, (unsigned long long)s->pid,
                     s->restarts);
        else if (s->proc)
            server_died(s);
        else if (s->state != SMSS_ABSENT) {
            s->state = SMSS_RESTARTING;
            s->restart_at_ns = now + s->backoff_ns;
        }
    }
}

static void session_ended(void)
{
    int64_t status = 0;

    sys_process_wait(smss.session, 0, &status);
    smss_log("session ended with status %lld; shutting down", (long long)status);
    smss_shutdown(status);
}

static void on_notify(server_t *srv, uint64_t bits)
{
    (void)srv;
    for (int i = 0; i < smss.nservers; i++) {
        smss_server_t *s = &smss.servers[i];
        process_info_t info;
        if (!(bits & (1ull << i)) || !s->proc)
            continue;
        if (sys_process_info(s->proc, &info) == ST_OK && info.state == PROCESS_DEAD)
            server_died(s);
    }
    if ((bits & SMSS_SESSION_BIT) && smss.session)
        session_ended();
}

/* Before power-off: every running server writes back what it holds (a
 * file system's cache), the last started first, each given 5 s. */
static void sync_servers(void)
{
    for (int i = smss.nservers - 1; i >= 0; i--) {
        smss_server_t *s = &smss.servers[i];
        handle_t port;
        if (s->state != SMSS_RUNNING || sys_port_connect(s->port_name, &port) != ST_OK)
            continue;
        ipc_msg_t m = {0};
        m.tag = IPC_TAG(SRV_SYNC, 0);
        long st = native_ipc_call(port, &m, 5000ull * MS);
        if (st == ST_OK && (int32_t)IPC_LABEL(m.tag) < 0)
            st = (int32_t)IPC_LABEL(m.tag);
        if (st < 0)
            smss_log("%s could not write back its data before shutdown: %s", s->name,
                     status_name(st));
        sys_handle_close(port);
    }
}

void smss_shutdown(int64_t status)
{
    sync_servers();
    native_flush();
    sys_system_shutdown(status);
    for (;;)
        sys_sleep(1000 * MS);
}

static void start_session(void)
{
    const void *image;
    size_t size;
    const char *why = "";
    native_spawn_t sp = {0};

    if (!smss.session_argv[0])
        return;
    if (smss_image_file(smss.session_argv[0], &image, &size) < 0) {
        smss_log("no session program %s in the boot image", smss.session_argv[0]);
        return;
    }
    sp.name = strrchr(smss.session_argv[0], '/') + 1;
    sp.argv = (const char *const *)smss.session_argv;
    if (native_spawn_elf(image, size, &sp, &smss.session, NULL, &why) < 0) {
        smss_log("cannot start the session %s: %s", smss.session_argv[0], why);
        return;
    }
    sys_process_watch(smss.session, smss.port, SMSS_SESSION_BIT);
}

int main(void)
{
    server_t *srv = &smss.srv;

    native_use_kernel_log(); /* system messages: the kernel log */
    if (smss_open_image() < 0 || smss_read_config() < 0) {
        smss_log("cannot continue without a configuration; shutting down");
        smss_shutdown(1);
    }
    srv->name = "smss";
    srv->port_name = "Smss";
    srv->table = smss_table;
    srv->names = smss_names;
    srv->ncalls = smss_ncalls;
    srv->notify = on_notify;
    if (srv_init(srv) < 0)
        smss_shutdown(1);
    smss.port = srv->port;
    for (int i = 0; i < smss.nservers; i++) {
        smss_server_t *s = &smss.servers[i];
        if (smss_start_server(s) < 0 && s->proc)
            server_died(s);
    }
    start_session();

    /* The loop: calls, notifications, and restarts when their time comes. */
    for (;;) {
        uint64_t next = 0;
        for (int i = 0; i < smss.nservers; i++) {
            smss_server_t *s = &smss.servers[i];
            if (s->state == SMSS_RESTARTING && (!next || s->restart_at_ns < next))
                next = s->restart_at_ns;
        }
        smss_serve_until(next);
        restart_due();
    }
}
