/*
 * Open files, per client: a table of node references indexed by the ids
 * clients use. A client that ends has its files closed by the framework's
 * client_gone hook, so a crashed program never pins a file.
 */
#include "fsd.h"
#include <stdlib.h>
#include <string.h>

void fsd_client_new(server_t *srv, srv_client_t *c)
{
    (void)srv;
    c->data = calloc(1, sizeof(fsd_client_t));
}

void fsd_client_gone(server_t *srv, srv_client_t *c)
{
    fsd_client_t *fc = c->data;

    (void)srv;
    if (!fc)
        return;
    for (uint32_t i = 0; i < fc->nfiles; i++)
        fs_node_release(fc->files[i].node);
    free(fc->files);
    free(fc);
}

open_file_t *fsd_file(srv_req_t *req, uint64_t id)
{
    fsd_client_t *fc = req->client ? req->client->data : NULL;

    if (!fc || id == 0 || id > fc->nfiles || !fc->files[id - 1].node)
        return NULL;
    return &fc->files[id - 1];
}

long fsd_file_add(srv_req_t *req, fs_node_t *node, uint32_t flags, uint64_t *id)
{
    fsd_client_t *fc = req->client ? req->client->data : NULL;
    uint32_t i;

    if (!fc)
        return ST_NO_MEMORY;
    for (i = 0; i < fc->nfiles && fc->files[i].node; i++)
        ;
    if (i == fc->nfiles) {
        uint32_t n = fc->nfiles ? fc->nfiles * 2 : 16;
        open_file_t *f;
        if (n > FSD_MAX_OPEN)
            n = FSD_MAX_OPEN;
        if (n <= fc->nfiles)
            return ST_LIMIT;
        f = realloc(fc->files, n * sizeof(*f));
        if (!f)
            return ST_NO_MEMORY;
        memset(f + fc->nfiles, 0, (n - fc->nfiles) * sizeof(*f));
        fc->files = f;
        fc->nfiles = n;
    }
    fc->files[i].node = node;
    fc->files[i].flags = flags;
    *id = i + 1;
    return ST_OK;
}

void fsd_attr(const fs_stat_t *st, pfs_attr_t *a)
{
    memset(a, 0, sizeof(*a));
    a->ino = st->ino;
    a->size = st->size;
    a->blocks = st->blocks;
    a->atime_ns = (uint64_t)st->atime;
    a->mtime_ns = (uint64_t)st->mtime;
    a->ctime_ns = (uint64_t)st->ctime;
    a->dev = st->dev;
    a->mode = st->mode;
    a->nlink = st->nlink;
    a->blksize = st->blksize;
}

void fsd_setup(const char *name, const char *port_name)
{
    fsd.srv.name = name;
    fsd.srv.port_name = port_name;
    fsd.srv.table = fsd_table;
    fsd.srv.names = fsd_names;
    fsd.srv.ncalls = fsd_ncalls;
    fsd.srv.client_new = fsd_client_new;
    fsd.srv.client_gone = fsd_client_gone;
}
