/*
 * The DOS server's state and the functions its files share.
 *
 * One record per VDM process. Each keeps the DOS library's dos_server_t
 * over the VDM's memory (a section both map), the VDM's open files and
 * directory listings, and a fiber: DOS calls run on it so that a call can
 * stop at a console operation, which only the VDM can perform (its BIOS
 * keyboard queue and teletype), while the server goes on serving other
 * VDMs. The server is single-threaded; the fibers switch only in the
 * console operations (call.c), never inside a file-client call, which is
 * why one file-client connection can serve every VDM.
 */
#ifndef DOSSRV_H
#define DOSSRV_H

#include "../protocol.h"
#include <dos/dirsnap.h>
#include <dos/server.h>
#include <native/fiber.h>
#include <native/file.h>
#include <native/server.h>
#include <stdbool.h>

#define DSRV_FILES       (DOS_SFT_MAX + 8) /* host files a VDM may have open */
#define DSRV_FIBER_STACK (64ul << 10)

/* Notification bits on the server's port (the framework keeps bit 63). */
#define DSRV_BIT_VDM_EXIT 0x1ull

typedef struct dsrv_file {
    bool used;
    file_t f;
    char path[DOS_HOST_PATH]; /* for the calls that take a path (times) */
} dsrv_file_t;

enum dsrv_state {
    V_SPAWNED,  /* the process runs; it has not said hello */
    V_ATTACHED, /* it has its memory; DOS is not loaded yet */
    V_RUNNING,  /* the program runs: DOS calls come */
};

/* Why the fiber gave the CPU back to the loop. */
enum dsrv_op {
    OP_DONE = DOS_VDM_DONE, /* the DOS call is over */
    OP_READ = DOS_VDM_CON_READ,
    OP_PEEK = DOS_VDM_CON_PEEK,
    OP_FLUSH = DOS_VDM_CON_FLUSH,
};

typedef struct dsrv_vdm {
    struct dsrv_vdm *next;
    uint64_t pid;
    handle_t proc;        /* all rights: we made it */
    handle_t section;     /* its memory */
    uint8_t *mem;         /* the section, mapped here */
    handle_t port;        /* its notification port (connect-only), from HELLO */
    srv_client_t *client; /* its connection: the shared buffer; NULL once gone */
    enum dsrv_state state;
    uint32_t flags; /* DOS_SPAWN_* */
    char name[PROCESS_NAME_MAX];
    char *prog; /* host path of the program */
    char *cwd;  /* the shell's directory */
    char *tail; /* the command line after the name, with its leading space */

    dos_server_t dos;

    /* The DOS call in progress. Only the fiber and the handlers that
     * switch to it touch these; in_call is true from DOS_VDM_CALL until
     * the reply DOS_VDM_DONE. */
    fiber_t fiber;
    bool in_call;
    enum dsrv_op op;
    int answer; /* the VDM's answer to a console callback */
    uint8_t vector;
    dos_regs_t regs;
    int result;     /* enum dos_call_result */
    size_t out_len; /* console output in the buffer, not sent yet */

    dsrv_file_t files[DSRV_FILES];
    dos_dirsnaps_t dirs; /* listings for readdir by index */
    bool attr_warned;
} dsrv_vdm_t;

typedef struct dsrv {
    server_t srv;
    dsrv_vdm_t *vdms;
    char drive_root[26][DOS_HOST_PATH]; /* "" for unmapped, from the arguments */
} dsrv_t;

extern dsrv_t dsrv;
extern const dos_host_ops_t dsrv_ops;

/* vdm.c */
dsrv_vdm_t *dsrv_find(uint64_t pid);
long dsrv_spawn(srv_req_t *req);
long dsrv_interrupt(srv_req_t *req);
void dsrv_reap(void);
void dsrv_client_gone(server_t *srv, srv_client_t *c);
long do_vdm_hello(server_t *srv, srv_req_t *req);
long do_vdm_start(server_t *srv, srv_req_t *req);

/* call.c */
long do_vdm_call(server_t *srv, srv_req_t *req);
long do_vdm_resume(server_t *srv, srv_req_t *req);
void dsrv_fiber_main(void *arg);
int dsrv_con_read(void *ctx);
int dsrv_con_peek(void *ctx);
int dsrv_con_break(void *ctx);
void dsrv_con_write(void *ctx, const char *buf, size_t n);

/* files.c */
void dsrv_files_init(dsrv_vdm_t *v);
void dsrv_files_close_all(dsrv_vdm_t *v);

#endif
