/*
 * ramfs: the instance, the life of its nodes, their attributes, and the
 * ops table that ties in the directory (ramfs_dir.c, ramfs_ns.c) and file
 * (ramfs_file.c) code.
 *
 * Every node sits on the instance's list from creation to freeing, so
 * that destroy frees everything in one linear pass, whatever the depth
 * of the tree and whichever unlinked-but-referenced nodes remain.
 *
 * Entry points: ramfs_create(); ramfsp_node_new(), ramfsp_node_put(),
 * ramfsp_charge() for the other ramfs files.
 */
#include <stdlib.h>
#include <string.h>

#include "ramfs_priv.h"

int64_t ramfsp_now(ramfs_t *rfs)
{
    return rfs->now ? rfs->now(rfs->now_ctx) : 0;
}

int ramfsp_charge(ramfs_t *rfs, uint64_t bytes)
{
    if (bytes > rfs->max_bytes - rfs->used_bytes)
        return ST_NO_SPACE;
    rfs->used_bytes += bytes;
    return ST_OK;
}

void ramfsp_uncharge(ramfs_t *rfs, uint64_t bytes)
{
    rfs->used_bytes -= bytes;
}

void ramfsp_touch(ramfs_node_t *n, int64_t now)
{
    n->mtime = now;
    n->ctime = now;
}

int ramfsp_node_new(ramfs_t *rfs, uint32_t type, uint32_t mode, ramfs_node_t **out)
{
    *out = NULL;
    if (rfs->inodes >= rfs->max_inodes)
        return ST_NO_SPACE;
    ramfs_node_t *n = calloc(1, sizeof(*n));
    if (!n)
        return ST_NO_MEMORY;
    n->node.fs = &rfs->fs;
    n->node.ino = rfs->next_ino++;
    n->node.type = type;
    n->mode = mode;
    int64_t now = ramfsp_now(rfs);
    n->atime = n->mtime = n->ctime = now;
    if (type == FS_TYPE_DIR)
        n->u.dir.next_seq = 3; /* cookies 0..2 stand for the start, "." and ".." */
    n->next = rfs->all;
    if (rfs->all)
        rfs->all->prev = n;
    rfs->all = n;
    rfs->inodes++;
    fs_node_ref(&n->node);
    *out = n;
    return ST_OK;
}

static void node_free(ramfs_t *rfs, ramfs_node_t *n)
{
    switch (n->node.type) {
    case FS_TYPE_REG:
        ramfsp_file_free(rfs, n);
        break;
    case FS_TYPE_DIR:
        ramfsp_dir_free(rfs, n);
        break;
    case FS_TYPE_LNK:
        ramfsp_uncharge(rfs, n->u.link.len);
        free(n->u.link.target);
        break;
    }
    if (n->prev)
        n->prev->next = n->next;
    else
        rfs->all = n->next;
    if (n->next)
        n->next->prev = n->prev;
    rfs->inodes--;
    free(n);
}

void ramfsp_node_put(ramfs_node_t *n)
{
    if (n->nlink == 0 && n->node.refs == 0)
        node_free(ramfsp_fs(n), n);
}

static void ramfsp_release(fs_node_t *node)
{
    ramfsp_node_put(ramfsp_node(node));
}

static void ramfsp_destroy(fs_t *fs)
{
    ramfs_t *rfs = (ramfs_t *)fs;

    while (rfs->all)
        node_free(rfs, rfs->all);
    free(rfs);
}

static int ramfsp_stat(fs_node_t *node, fs_stat_t *st)
{
    ramfs_node_t *n = ramfsp_node(node);

    st->ino = node->ino;
    st->nlink = n->nlink;
    st->blksize = RAMFS_PAGE;
    st->atime = n->atime;
    st->mtime = n->mtime;
    st->ctime = n->ctime;
    switch (node->type) {
    case FS_TYPE_REG:
        st->mode = FS_S_IFREG | n->mode;
        st->size = n->u.file.size;
        st->blocks = (uint64_t)n->u.file.npages * (RAMFS_PAGE / 512);
        break;
    case FS_TYPE_DIR:
        st->mode = FS_S_IFDIR | n->mode;
        st->size = n->u.dir.n; /* entries, "." and ".." aside */
        break;
    case FS_TYPE_FIFO:
        st->mode = FS_S_IFIFO | n->mode;
        break;
    default:
        st->mode = FS_S_IFLNK | n->mode;
        st->size = n->u.link.len;
        break;
    }
    return ST_OK;
}

static int ramfsp_set_times(fs_node_t *node, int64_t atime, int64_t mtime)
{
    ramfs_node_t *n = ramfsp_node(node);
    int64_t now = ramfsp_now(ramfsp_fs(n));

    if (atime != FS_TIME_OMIT)
        n->atime = atime == FS_TIME_NOW ? now : atime;
    if (mtime != FS_TIME_OMIT)
        n->mtime = mtime == FS_TIME_NOW ? now : mtime;
    n->ctime = now;
    return ST_OK;
}

static int ramfsp_chmod(fs_node_t *node, uint32_t mode)
{
    ramfs_node_t *n = ramfsp_node(node);

    n->mode = mode;
    n->ctime = ramfsp_now(ramfsp_fs(n));
    return ST_OK;
}

static int ramfsp_readlink(fs_node_t *node, char *buf, size_t size, size_t *len)
{
    ramfs_node_t *n = ramfsp_node(node);

    memcpy(buf, n->u.link.target, size < n->u.link.len ? size : n->u.link.len);
    *len = n->u.link.len;
    n->atime = ramfsp_now(ramfsp_fs(n));
    return ST_OK;
}

static int ramfsp_statfs(fs_t *fs, fs_statfs_t *st)
{
    ramfs_t *rfs = (ramfs_t *)fs;

    st->total_bytes = rfs->max_bytes;
    st->free_bytes = rfs->max_bytes - rfs->used_bytes;
    st->total_inodes = rfs->max_inodes;
    st->free_inodes = rfs->max_inodes - rfs->inodes;
    st->block_size = RAMFS_PAGE;
    st->name_max = FS_NAME_MAX;
    memcpy(st->type, "ramfs", sizeof("ramfs"));
    return ST_OK;
}

const fs_ops_t ramfsp_ops = {
    .lookup = ramfsp_lookup,
    .create = ramfsp_create,
    .mkdir = ramfsp_mkdir,
    .symlink = ramfsp_symlink,
    .mknod = ramfsp_mknod,
    .readlink = ramfsp_readlink,
    .link = ramfsp_link,
    .unlink = ramfsp_unlink,
    .rmdir = ramfsp_rmdir,
    .rename = ramfsp_rename,
    .read = ramfsp_read,
    .write = ramfsp_write,
    .truncate = ramfsp_truncate,
    .stat = ramfsp_stat,
    .set_times = ramfsp_set_times,
    .chmod = ramfsp_chmod,
    .readdir = ramfsp_readdir,
    .statfs = ramfsp_statfs,
    .release = ramfsp_release,
    .destroy = ramfsp_destroy,
};

int ramfs_create(const ramfs_config_t *cfg, fs_t **out)
{
    *out = NULL;
    if (!cfg || (cfg->root_mode & ~FS_S_PERM))
        return ST_INVALID_ARGUMENT;
    ramfs_t *rfs = calloc(1, sizeof(*rfs));
    if (!rfs)
        return ST_NO_MEMORY;
    rfs->fs.ops = &ramfsp_ops;
    rfs->max_bytes = cfg->max_bytes ? cfg->max_bytes : UINT64_MAX;
    rfs->max_inodes = cfg->max_inodes ? cfg->max_inodes : UINT64_MAX;
    rfs->now = cfg->now;
    rfs->now_ctx = cfg->now_ctx;
    rfs->next_ino = 1;

    ramfs_node_t *root;
    int rc = ramfsp_node_new(rfs, FS_TYPE_DIR, cfg->root_mode, &root);
    if (rc != ST_OK) {
        free(rfs);
        return rc;
    }
    /* The instance holds its root by the root's links, not by a reference,
     * so that fs.refs counts only what others hold. */
    root->nlink = 2;
    root->u.dir.parent = root;
    fs_node_release(&root->node);
    rfs->fs.root = &root->node;
    *out = &rfs->fs;
    return ST_OK;
}
