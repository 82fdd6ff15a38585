/*
 * The volume: mounting (fat_create), the ops table that plugs FAT into
 * the VFS, sync and unmount, statfs. Links and FIFOs are refused here:
 * FAT can store neither. The DOS-side helpers are in dos.c.
 *
 * Entry points: fat_create(), fat_sync(), fat_flush(), fat_is_fat().
 */
#include <stdlib.h>
#include <string.h>

#include "fat_priv.h"

static int fatp_symlink(fs_node_t *dir, const char *name, const char *target, fs_node_t **out)
{
    (void)dir, (void)name, (void)target, (void)out;
    return ST_NOT_SUPPORTED;
}

/* Nor a FIFO: as Linux's vfat, the caller is not permitted to make one. */
static int fatp_mknod(fs_node_t *dir, const char *name, uint32_t type, uint32_t mode,
                      fs_node_t **out)
{
    (void)dir, (void)name, (void)type, (void)mode, (void)out;
    return ST_NOT_SUPPORTED;
}

static int fatp_readlink(fs_node_t *node, char *buf, size_t size, size_t *len)
{
    (void)node, (void)buf, (void)size, (void)len;
    return ST_NOT_SUPPORTED; /* never reached: FAT has no link nodes */
}

static int fatp_link(fs_node_t *dir, const char *name, fs_node_t *target)
{
    (void)dir, (void)name, (void)target;
    return ST_NOT_SUPPORTED;
}

static int fatp_statfs(fs_t *fs, fs_statfs_t *st)
{
    fat_vol_t *v = (fat_vol_t *)fs;

    st->total_bytes = (uint64_t)v->clusters * v->cluster_bytes;
    st->free_bytes = (uint64_t)v->free_count * v->cluster_bytes;
    /* No inode table: as on Linux, nothing to report. */
    st->total_inodes = 0;
    st->free_inodes = 0;
    st->block_size = v->cluster_bytes;
    st->name_max = FS_NAME_MAX;
    st->flags = v->read_only ? FS_STATFS_READ_ONLY : 0;
    memcpy(st->type, v->type == 12 ? "fat12" : v->type == 16 ? "fat16" : "fat32", 6);
    return ST_OK;
}

static void fatp_destroy(fs_t *fs)
{
    fat_vol_t *v = (fat_vol_t *)fs;

    fatp_sync(v); /* fat_sync() first for a status: destroy cannot fail */
    fatp_node_free_all(v);
    fatp_cache_free(v);
    free(v->pending);
    free(v);
}

static const fs_ops_t fatp_ops = {
    .lookup = fatp_lookup,
    .create = fatp_create,
    .mkdir = fatp_mkdir,
    .symlink = fatp_symlink,
    .mknod = fatp_mknod,
    .readlink = fatp_readlink,
    .link = fatp_link,
    .unlink = fatp_unlink,
    .rmdir = fatp_rmdir,
    .rename = fatp_rename,
    .read = fatp_read,
    .write = fatp_write,
    .truncate = fatp_truncate,
    .stat = fatp_stat,
    .set_times = fatp_set_times,
    .chmod = fatp_chmod,
    .readdir = fatp_readdir,
    .statfs = fatp_statfs,
    .release = fatp_release,
    .destroy = fatp_destroy,
};

bool fat_is_fat(const fs_t *fs)
{
    return fs && fs->ops == &fatp_ops;
}

/* Reads FSInfo; an invalid one is ignored (and never written). */
static void load_fsinfo(fat_vol_t *v)
{
    fatp_buf_t *b;

    if (!v->fsinfo)
        return;
    if (fatp_bget(v, v->fsinfo, FATP_K_META, false, &b) != ST_OK) {
        v->fsinfo = 0;
        return;
    }
    if (!fatp_bpb_fsinfo(b->data)) {
        v->fsinfo = 0;
    } else {
        uint32_t hint = fatp_rd32(b->data + 492);
        if (fatp_valid_clus(v, hint))
            v->next_free = hint;
        /* Keep the summary true: it is rewritten at the first sync. */
        if (fatp_rd32(b->data + 488) != v->free_count)
            v->fsinfo_dirty = !v->read_only;
    }
    fatp_bput(b);
}

int fat_create(const fat_config_t *cfg, fs_t **out, const char **why)
{
    const char *dummy;
    uint8_t bs[FAT_SECTOR];

    if (!why)
        why = &dummy;
    *why = NULL;
    if (!out)
        return ST_INVALID_ARGUMENT;
    *out = NULL;
    if (!cfg || !cfg->dev.read || (!cfg->dev.write && !cfg->read_only)) {
        *why = "no block device";
        return ST_INVALID_ARGUMENT;
    }
    fat_vol_t *v = calloc(1, sizeof(*v));
    if (!v)
        return ST_NO_MEMORY;
    v->fs.ops = &fatp_ops;
    v->dev = cfg->dev;
    v->read_only = cfg->read_only;
    v->now = cfg->now;
    v->now_ctx = cfg->now_ctx;
    int rc = ST_IO_ERROR;
    if (v->dev.sectors == 0 || v->dev.read(v->dev.ctx, 0, 1, bs) != ST_OK) {
        *why = "cannot read the boot sector";
        goto fail;
    }
    rc = fatp_bpb_parse(v, bs, why);
    if (rc != ST_OK)
        goto fail;
    uint32_t nbufs = cfg->cache_sectors ? cfg->cache_sectors : FAT_CACHE_DEFAULT;
    rc = fatp_cache_init(v, nbufs < FAT_CACHE_MIN ? FAT_CACHE_MIN : nbufs);
    if (rc != ST_OK)
        goto fail;
    rc = fatp_count_free(v);
    if (rc != ST_OK) {
        *why = "cannot read the FAT";
        goto fail;
    }
    load_fsinfo(v);
    if (!v->read_only) {
        v->pending = calloc(((size_t)v->clusters + 2 + 7) / 8, 1);
        if (!v->pending) {
            rc = ST_NO_MEMORY;
            goto fail;
        }
    }
    fat_node_t *root = fatp_node_alloc(v);
    if (!root) {
        rc = ST_NO_MEMORY;
        goto fail;
    }
    root->node.ino = FATP_ROOT_INO;
    root->node.type = FS_TYPE_DIR;
    root->first = v->type == 32 ? v->root_cluster : 0;
    root->ent[11] = FAT_ATTR_DIRECTORY;
    memset(root->ent, ' ', 11);
    /* The instance holds the root without a reference, like ramfs, so
     * that fs.refs counts only what others hold. */
    v->root = root;
    v->fs.root = &root->node;
    *out = &v->fs;
    return ST_OK;

fail:
    free(v->pending);
    fatp_node_free_all(v);
    fatp_cache_free(v);
    free(v);
    return rc;
}

int fat_sync(fs_t *fs)
{
    if (!fat_is_fat(fs))
        return ST_INVALID_ARGUMENT;
    return fatp_sync((fat_vol_t *)fs);
}

int fat_flush(fs_node_t *node)
{
    if (!node || !fat_is_fat(node->fs))
        return ST_INVALID_ARGUMENT;
    return fatp_sync((fat_vol_t *)node->fs);
}
