/* The file server's state and the functions its files share. */
#ifndef FSD_H
#define FSD_H

#include "../fs_calls.h"
#include <fs/vfs.h>
#include <native/runtime.h>

#define FSD_MAX_OPEN 1024 /* open files per client */
#define FSD_REMOTES  8

typedef struct open_file {
    fs_node_t *node; /* NULL: free slot */
    uint32_t flags;  /* PFS_O_* */
} open_file_t;

typedef struct fsd_client {
    open_file_t *files;
    uint32_t nfiles; /* slots allocated */
} fsd_client_t;

/*
 * One file server: the protocol (table.c, files.c) over a VFS. The boot
 * file server (main.c) serves the boot namespace; the FAT server serves a
 * disk with the same calls, setting the hooks.
 */
typedef struct fsd {
    server_t srv;
    vfs_t *vfs;
    handle_t bootimg;     /* the boot image section, for FS_MAP (0: none) */
    const uint8_t *image; /* where it is mapped here */
    /* FS_FSYNC: make a file durable; NULL when nothing is ever cached. */
    int (*fsync)(fs_node_t *node);
    /* Remote mounts (the boot file server's arguments), so that redirects
     * can name the mount point and clients can go straight there next time. */
    struct {
        char tag[VFS_TAG_MAX];
        char path[64];
    } remotes[FSD_REMOTES];
    unsigned nremotes;
} fsd_t;

extern fsd_t fsd;
extern const srv_handler_t fsd_table[];
extern const char *const fsd_names[];
extern const unsigned fsd_ncalls;

/* Fills fsd.srv with the protocol's table and client hooks; the caller
 * adds its own hooks, then srv_init and srv_run. */
void fsd_setup(const char *name, const char *port_name);
void fsd_client_new(server_t *srv, srv_client_t *c);
void fsd_client_gone(server_t *srv, srv_client_t *c);
/* The open file with id in the calling client, or NULL. */
open_file_t *fsd_file(srv_req_t *req, uint64_t id);
/* A new id for node (which the table then owns a reference to). */
long fsd_file_add(srv_req_t *req, fs_node_t *node, uint32_t flags, uint64_t *id);
void fsd_attr(const fs_stat_t *st, pfs_attr_t *a);

#endif
