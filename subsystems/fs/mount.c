/*
 * The VFS mount table: a fixed array of mounts, each hiding one directory
 * (the covered node) behind the root of another file system, or, for a
 * remote mount, behind nothing the VFS serves.
 *
 * The table holds references: on each covered node and on each mounted
 * root. That makes "is this file system busy?" a plain count: a mounted
 * file system is idle when its only referenced node is its root, held once
 * by its mount. Covered nodes of other mounts count too, so a file system
 * that holds mount points cannot be unmounted before them.
 *
 * Mount points are marked in the nodes' vfs_flags, so the walker only
 * searches the table for nodes that are mount points or mounted roots.
 *
 * Entry points: vfs_new(), vfs_free(), vfs_mount(), vfs_mount_remote(),
 * vfs_unmount(), vfs_mount_info(); vfsp_mount_covering(), vfsp_mount_rooted() for the walker.
 */
#include <stdlib.h>
#include <string.h>

#include "vfs_priv.h"

int vfs_new(vfs_t **out)
{
    *out = calloc(1, sizeof(vfs_t));
    return *out ? ST_OK : ST_NO_MEMORY;
}

vfsp_mount_t *vfsp_mount_covering(vfs_t *vfs, const fs_node_t *node)
{
    if (!(node->vfs_flags & VFSP_COVERED))
        return NULL;
    for (int i = 0; i < VFS_MOUNT_MAX; i++)
        if (vfs->mounts[i].used && vfs->mounts[i].covered == node)
            return &vfs->mounts[i];
    return NULL;
}

vfsp_mount_t *vfsp_mount_rooted(vfs_t *vfs, const fs_node_t *node)
{
    if (!(node->vfs_flags & VFSP_MOUNT_ROOT))
        return NULL;
    for (int i = 0; i < VFS_MOUNT_MAX; i++)
        if (vfs->mounts[i].used && vfs->mounts[i].root == node)
            return &vfs->mounts[i];
    return NULL;
}

static vfsp_mount_t *free_slot(vfs_t *vfs)
{
    for (int i = 0; i < VFS_MOUNT_MAX; i++)
        if (!vfs->mounts[i].used)
            return &vfs->mounts[i];
    return NULL;
}

/* The directory at `path` that a new mount may cover, referenced. */
static int mount_point(vfs_t *vfs, const char *path, fs_node_t **out)
{
    vfsp_walk_out_t w;

    *out = NULL;
    int rc = vfsp_walk(vfs, NULL, path, VFS_DIRECTORY, &w, NULL);
    if (rc != ST_OK)
        return rc;
    if (w.node->vfs_flags & (VFSP_COVERED | VFSP_MOUNT_ROOT)) {
        fs_node_release(w.node);
        return ST_BUSY;
    }
    *out = w.node;
    return ST_OK;
}

int vfs_mount(vfs_t *vfs, const char *path, fs_t *fs)
{
    if (!fs || !path || !fs->root)
        return ST_INVALID_ARGUMENT;
    if (fs->vfs)
        return ST_BUSY;
    vfsp_mount_t *m = free_slot(vfs);
    if (!m)
        return ST_LIMIT;

    fs_node_t *covered = NULL;
    if (!vfs->root) {
        if (strcmp(path, "/") != 0)
            return ST_NOT_FOUND; /* nothing exists before "/" */
    } else {
        int rc = mount_point(vfs, path, &covered);
        if (rc != ST_OK)
            return rc;
    }
    char *copy = strdup(path);
    if (!copy) {
        fs_node_release(covered);
        return ST_NO_MEMORY;
    }
    if (covered)
        covered->vfs_flags |= VFSP_COVERED;
    memset(m, 0, sizeof(*m));
    m->used = true;
    m->path = copy;
    m->fs = fs;
    m->covered = covered;
    m->root = fs->root;
    fs_node_ref(fs->root);
    fs->root->vfs_flags |= VFSP_MOUNT_ROOT;
    fs->vfs = vfs;
    fs->dev = ++vfs->next_dev;
    if (!vfs->root)
        vfs->root = fs->root;
    return ST_OK;
}

int vfs_mount_remote(vfs_t *vfs, const char *path, const char *tag)
{
    if (!path || !tag)
        return ST_INVALID_ARGUMENT;
    size_t len = strnlen(tag, VFS_TAG_MAX);
    if (len == 0 || len >= VFS_TAG_MAX)
        return ST_INVALID_ARGUMENT;
    if (!vfs->root)
        return ST_NOT_FOUND;
    vfsp_mount_t *m = free_slot(vfs);
    if (!m)
        return ST_LIMIT;
    fs_node_t *covered;
    int rc = mount_point(vfs, path, &covered);
    if (rc != ST_OK)
        return rc;
    /* "/" is always a mounted root, so mount_point() refused it already. */
    char *copy = strdup(path);
    if (!copy) {
        fs_node_release(covered);
        return ST_NO_MEMORY;
    }
    memset(m, 0, sizeof(*m));
    m->used = true;
    m->path = copy;
    m->covered = covered;
    covered->vfs_flags |= VFSP_COVERED;
    memcpy(m->tag, tag, len + 1);
    return ST_OK;
}

/* Takes a mount out of the table, dropping its references. */
static void detach(vfs_t *vfs, vfsp_mount_t *m)
{
    if (m->covered) {
        m->covered->vfs_flags &= ~VFSP_COVERED;
        fs_node_release(m->covered);
    }
    if (m->root) {
        m->root->vfs_flags &= ~VFSP_MOUNT_ROOT;
        fs_node_release(m->root);
        if (vfs->root == m->root)
            vfs->root = NULL;
    }
    if (m->fs) {
        m->fs->vfs = NULL;
        m->fs->dev = 0;
    }
    free(m->path);
    memset(m, 0, sizeof(*m));
}

int vfs_mount_info(vfs_t *vfs, unsigned index, vfs_mount_info_t *out)
{
    for (int i = 0; i < VFS_MOUNT_MAX; i++) {
        const vfsp_mount_t *m = &vfs->mounts[i];
        if (!m->used || index--)
            continue;
        out->path = m->path;
        out->fs = m->fs;
        out->tag = m->tag;
        return ST_OK;
    }
    return ST_END_OF_FILE;
}

/* References on fs's nodes that the mount table itself holds. */
static uint64_t table_refs(const vfs_t *vfs, const fs_t *fs)
{
    uint64_t n = 0;

    for (int i = 0; i < VFS_MOUNT_MAX; i++) {
        const vfsp_mount_t *m = &vfs->mounts[i];
        if (!m->used)
            continue;
        if (m->root && m->root->fs == fs)
            n++;
        if (m->covered && m->covered->fs == fs)
            n++;
    }
    return n;
}

int vfs_unmount(vfs_t *vfs, const char *path)
{
    vfsp_walk_out_t w;

    int rc = vfsp_walk(vfs, NULL, path, VFSP_STOP_REMOTE, &w, NULL);
    if (rc != ST_OK)
        return rc;
    vfsp_mount_t *m = w.remote ? w.remote : vfsp_mount_rooted(vfs, w.node);
    fs_node_release(w.node);
    if (!m)
        return ST_INVALID_ARGUMENT;
    if (m->fs) {
        /* Busy: someone holds one of its nodes, or it holds mount points. */
        if (m->fs->refs != 1)
            return ST_BUSY;
        fs_t *fs = m->fs;
        detach(vfs, m);
        fs_destroy(fs);
    } else {
        detach(vfs, m);
    }
    return ST_OK;
}

int vfs_free(vfs_t *vfs)
{
    if (!vfs)
        return ST_OK;
    for (int i = 0; i < VFS_MOUNT_MAX; i++) {
        fs_t *fs = vfs->mounts[i].fs;
        if (vfs->mounts[i].used && fs && fs->refs != table_refs(vfs, fs))
            return ST_BUSY;
    }
    /* Only the table's references remain: drop them all, then destroy. */
    fs_t *doomed[VFS_MOUNT_MAX];
    int n = 0;
    for (int i = 0; i < VFS_MOUNT_MAX; i++) {
        if (!vfs->mounts[i].used)
            continue;
        if (vfs->mounts[i].fs)
            doomed[n++] = vfs->mounts[i].fs;
        detach(vfs, &vfs->mounts[i]);
    }
    for (int i = 0; i < n; i++)
        fs_destroy(doomed[i]);
    free(vfs);
    return ST_OK;
}
