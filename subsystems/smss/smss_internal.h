/* smss's internal state and the functions its files share. */
#ifndef SMSS_INTERNAL_H
#define SMSS_INTERNAL_H

#include "smss.h"
#include <loader/bootimg.h>
#include <native/server.h>
#include <native/spawn.h>
#include <stdarg.h>
#include <stdio.h>

#define MS                1000000ull
#define SMSS_MAX_SERVERS  16
#define SMSS_MAX_ARGS     8
#define SMSS_BACKOFF_MIN  (100 * MS)
#define SMSS_BACKOFF_MAX  (5000 * MS)
#define SMSS_CRASH_LIMIT  5
#define SMSS_CRASH_WINDOW (30000 * MS)
#define SMSS_SESSION_BIT  (1ull << 62)

typedef struct smss_server {
    int index;
    char name[SMSS_NAME_MAX];
    char port_name[SMSS_NAME_MAX]; /* the port that says it is ready */
    char path[96];
    char *argv[SMSS_MAX_ARGS + 1];
    bool privileged, wants_bootimg;
    handle_t proc;
    uint64_t pid;
    uint32_t state, restarts, crash_count;
    uint64_t first_crash_ns, backoff_ns, restart_at_ns;
    char last_failure[96];
    bool crash_requested; /* the crash command ended it */
} smss_server_t;

typedef struct smss {
    server_t srv;
    handle_t port;
    handle_t bootimg;
    ldr_bootimg_t image;
    smss_server_t servers[SMSS_MAX_SERVERS];
    int nservers;
    char *session_argv[SMSS_MAX_ARGS + 1];
    handle_t session;
} smss_t;

extern smss_t smss;
extern const srv_handler_t smss_table[];
extern const char *const smss_names[];
extern const unsigned smss_ncalls;

void smss_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
long smss_open_image(void);
long smss_read_config(void);
long smss_image_file(const char *path, const void **data, size_t *size);
long smss_start_server(smss_server_t *s);
void smss_serve_until(uint64_t deadline_ns);
__attribute__((noreturn)) void smss_shutdown(int64_t status);

#endif
