/*
 * smss, the session manager: its interface (the calls other programs make
 * on the "Smss" port) and its internal records.
 */
#ifndef SMSS_H
#define SMSS_H

#include <native/server.h>
#include <stdint.h>

#define SMSS_CALLS(X)                                                                        \
    X(SMSS_LIST, 1, do_list)         /* -> server records in the buffer; w0 = count */       \
    X(SMSS_CRASH, 2, do_crash)       /* w0..: name (inline); kills that server on purpose */ \
    X(SMSS_SHUTDOWN, 3, do_shutdown) /* w0 = status; ends the session and powers off */

#define SMSS_NAME_MAX 24

enum smss_server_state {
    SMSS_STARTING = 1,
    SMSS_RUNNING = 2,
    SMSS_RESTARTING = 3, /* waiting out its back-off */
    SMSS_STOPPED = 4,    /* crashed too often: left stopped */
    SMSS_ABSENT = 5,     /* exited 0 before its port existed: nothing to serve (no device) */
};

/* One record per server, as SMSS_LIST returns them. */
typedef struct smss_server_info {
    char name[SMSS_NAME_MAX];
    uint64_t pid;
    uint32_t state;
    uint32_t restarts;
    char last_failure[96];
} smss_server_info_t;

enum smss_call { SMSS_CALLS(SRV_ENUM) };

#endif
