/*
 * Path operations of the VFS: what a file server calls for open(O_CREAT),
 * mkdir, symlink, mknod, link, unlink, rmdir and rename. Each resolves its
 * paths with the walker, applies the rules that need the namespace
 * (trailing slashes, mount points are busy, two paths must meet in one
 * file system or one remote mount) and then calls the node layer.
 *
 * Entry points: vfs_create(), vfs_mkdir(), vfs_symlink(), vfs_mknod(),
 * vfs_unlink(), vfs_rmdir(), vfs_link(), vfs_rename().
 */
#include <string.h>

#include "vfs_priv.h"

int vfs_create(vfs_t *vfs, fs_node_t *cwd, const char *path, uint32_t mode, unsigned flags,
               fs_node_t **out, vfs_remote_t *remote)
{
    vfsp_walk_out_t w;

    *out = NULL;
    /* O_EXCL never follows a link in the last component: it must not exist. */
    unsigned wf = VFSP_PARENT | VFSP_CREATE;
    if (flags & (VFS_NOFOLLOW | VFS_EXCL))
        wf |= VFS_NOFOLLOW;
    int rc = vfsp_walk(vfs, cwd, path, wf, &w, remote);
    if (rc != ST_OK)
        return rc;

    if (w.child) {
        if (flags & VFS_EXCL)
            rc = ST_EXISTS;
        else if (w.child->type == FS_TYPE_DIR)
            rc = ST_IS_DIRECTORY;
        else if (w.child->type == FS_TYPE_LNK)
            rc = ST_LIMIT; /* O_NOFOLLOW on a link: POSIX ELOOP */
        else if (w.trailing)
            rc = ST_NOT_DIRECTORY;
        else {
            *out = w.child;
            w.child = NULL;
        }
    } else if (vfsp_is_dot(w.name) || w.trailing) {
        rc = ST_IS_DIRECTORY; /* only a directory can be named so */
    } else {
        rc = fs_create(w.node, w.name, mode, out);
    }
    fs_node_release(w.child);
    fs_node_release(w.node);
    return rc;
}

int vfs_mkdir(vfs_t *vfs, fs_node_t *cwd, const char *path, uint32_t mode, vfs_remote_t *remote)
{
    vfsp_walk_out_t w;
    fs_node_t *dir = NULL;

    int rc = vfsp_walk(vfs, cwd, path, VFSP_PARENT, &w, remote);
    if (rc != ST_OK)
        return rc;
    rc = fs_mkdir(w.node, w.name, mode, &dir);
    fs_node_release(dir);
    fs_node_release(w.node);
    return rc;
}

/* ST_EXISTS when `name` exists in dir, else `otherwise`. */
static int exists_or(fs_node_t *dir, const char *name, int otherwise)
{
    fs_node_t *n;
    int rc = fs_lookup(dir, name, &n);

    fs_node_release(n);
    return rc == ST_OK ? ST_EXISTS : otherwise;
}

int vfs_symlink(vfs_t *vfs, fs_node_t *cwd, const char *target, const char *path,
                vfs_remote_t *remote)
{
    vfsp_walk_out_t w;

    int rc = vfsp_walk(vfs, cwd, path, VFSP_PARENT, &w, remote);
    if (rc != ST_OK)
        return rc;
    if (w.trailing)
        rc = exists_or(w.node, w.name, ST_NOT_DIRECTORY);
    else
        rc = fs_symlink(w.node, w.name, target, NULL);
    fs_node_release(w.node);
    return rc;
}

int vfs_mknod(vfs_t *vfs, fs_node_t *cwd, const char *path, uint32_t type, uint32_t mode,
              vfs_remote_t *remote)
{
    vfsp_walk_out_t w;

    int rc = vfsp_walk(vfs, cwd, path, VFSP_PARENT, &w, remote);
    if (rc != ST_OK)
        return rc;
    rc = exists_or(w.node, w.name, ST_OK);
    if (rc == ST_OK && w.trailing)
        rc = ST_NOT_DIRECTORY;
    if (rc == ST_OK)
        rc = fs_mknod(w.node, w.name, type, mode, NULL);
    fs_node_release(w.node);
    return rc;
}

int vfs_unlink(vfs_t *vfs, fs_node_t *cwd, const char *path, vfs_remote_t *remote)
{
    vfsp_walk_out_t w;
    fs_node_t *child = NULL;

    int rc = vfsp_walk(vfs, cwd, path, VFSP_PARENT, &w, remote);
    if (rc != ST_OK)
        return rc;
    if (vfsp_is_dot(w.name)) {
        rc = ST_IS_DIRECTORY;
    } else {
        rc = fs_lookup(w.node, w.name, &child);
        if (rc == ST_OK) {
            if (child->type == FS_TYPE_DIR)
                rc = ST_IS_DIRECTORY;
            else if (w.trailing)
                rc = ST_NOT_DIRECTORY;
            else
                rc = fs_unlink(w.node, w.name);
        }
    }
    fs_node_release(child);
    fs_node_release(w.node);
    return rc;
}

int vfs_rmdir(vfs_t *vfs, fs_node_t *cwd, const char *path, vfs_remote_t *remote)
{
    vfsp_walk_out_t w;
    fs_node_t *child = NULL;

    int rc = vfsp_walk(vfs, cwd, path, VFSP_PARENT, &w, remote);
    if (rc != ST_OK)
        return rc;
    if (strcmp(w.name, ".") == 0 && (w.node->vfs_flags & VFSP_MOUNT_ROOT)) {
        rc = ST_BUSY; /* "/" or "/tmp/": a root cannot go */
    } else if (vfsp_is_dot(w.name)) {
        rc = fs_rmdir(w.node, w.name);
    } else {
        rc = fs_lookup(w.node, w.name, &child);
        if (rc == ST_OK) {
            if (child->type != FS_TYPE_DIR)
                rc = ST_NOT_DIRECTORY;
            else if (child->vfs_flags & VFSP_COVERED)
                rc = ST_BUSY;
            else
                rc = fs_rmdir(w.node, w.name);
        }
    }
    fs_node_release(child);
    fs_node_release(w.node);
    return rc;
}

/*
 * Two walks that each reached a local directory or a remote mount: ST_OK
 * when both are local, VFS_REMOTE when both are in the same remote mount,
 * ST_NOT_SUPPORTED (POSIX EXDEV) otherwise.
 */
static int pair(int rc_old, const vfsp_walk_out_t *o, int rc_new, const vfsp_walk_out_t *n)
{
    if (rc_old != ST_OK && rc_old != VFS_REMOTE)
        return rc_old;
    if (rc_new != ST_OK && rc_new != VFS_REMOTE)
        return rc_new;
    if (rc_old == ST_OK && rc_new == ST_OK)
        return ST_OK;
    if (rc_old == VFS_REMOTE && rc_new == VFS_REMOTE && o->remote == n->remote)
        return VFS_REMOTE;
    return ST_NOT_SUPPORTED;
}

int vfs_link(vfs_t *vfs, fs_node_t *cwd, const char *oldpath, const char *newpath, unsigned flags,
             vfs_remote_t *old_remote, vfs_remote_t *new_remote)
{
    vfsp_walk_out_t o, n;

    unsigned of = (flags & VFS_FOLLOW) ? 0 : VFS_NOFOLLOW;
    int rc_old = vfsp_walk(vfs, cwd, oldpath, of, &o, old_remote);
    int rc_new = vfsp_walk(vfs, cwd, newpath, VFSP_PARENT, &n, new_remote);
    int rc = pair(rc_old, &o, rc_new, &n);
    if (rc == ST_OK) {
        if (o.node->type == FS_TYPE_DIR)
            rc = ST_IS_DIRECTORY;
        else if (vfsp_is_dot(n.name))
            rc = ST_EXISTS;
        else if (n.trailing)
            rc = exists_or(n.node, n.name, ST_NOT_DIRECTORY);
        else
            rc = fs_link(n.node, n.name, o.node);
    }
    fs_node_release(o.node);
    fs_node_release(n.node);
    return rc;
}

/* The entry `name` of dir for rename: ST_BUSY if it is a mount point. */
static int rename_side(fs_node_t *dir, const char *name, fs_node_t **child)
{
    int rc = fs_lookup(dir, name, child);

    if (rc == ST_OK && ((*child)->vfs_flags & (VFSP_COVERED | VFSP_MOUNT_ROOT)))
        return ST_BUSY;
    return rc;
}

int vfs_rename(vfs_t *vfs, fs_node_t *cwd, const char *oldpath, const char *newpath,
               vfs_remote_t *old_remote, vfs_remote_t *new_remote)
{
    vfsp_walk_out_t o, n;
    fs_node_t *oc = NULL, *nc = NULL;

    int rc_old = vfsp_walk(vfs, cwd, oldpath, VFSP_PARENT, &o, old_remote);
    int rc_new = vfsp_walk(vfs, cwd, newpath, VFSP_PARENT, &n, new_remote);
    int rc = pair(rc_old, &o, rc_new, &n);
    if (rc != ST_OK)
        goto out;
    if (vfsp_is_dot(o.name) || vfsp_is_dot(n.name)) {
        rc = ST_INVALID_ARGUMENT;
        goto out;
    }
    rc = rename_side(o.node, o.name, &oc);
    if (rc != ST_OK)
        goto out;
    if ((o.trailing || n.trailing) && oc->type != FS_TYPE_DIR) {
        rc = ST_NOT_DIRECTORY;
        goto out;
    }
    rc = rename_side(n.node, n.name, &nc);
    if (rc == ST_NOT_FOUND)
        rc = ST_OK;
    if (rc != ST_OK)
        goto out;
    if (o.node->fs != n.node->fs)
        rc = ST_NOT_SUPPORTED;
    else
        rc = fs_rename(o.node, o.name, n.node, n.name);
out:
    fs_node_release(oc);
    fs_node_release(nc);
    fs_node_release(o.node);
    fs_node_release(n.node);
    return rc;
}
