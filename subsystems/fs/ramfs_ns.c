/*
 * ramfs operations on names: create, mkdir, symlink, mknod, link, unlink,
 * rmdir and rename.
 *
 * Each one first does everything that can fail (checks, the name's entry,
 * room in the directory tables, the node, the charge against the limits)
 * and only then changes the tree, so a failure leaves it untouched.
 *
 * Link counts: a file's nlink is the number of entries naming it; a
 * directory's is 2 (its entry and its ".") plus one per subdirectory
 * (their ".."), as in POSIX file systems.
 *
 * Entry points: the ramfsp_<op>() functions of ramfs_priv.h.
 */
#include <stdlib.h>
#include <string.h>

#include "ramfs_priv.h"

/* The entry for adding `name` to `dir`, with room for it reserved. */
static int prepare(ramfs_node_t *dir, const char *name, ramfs_dirent_t **de)
{
    *de = NULL;
    if (!dir->u.dir.parent)
        return ST_NOT_FOUND; /* removed: nothing can be created in it */
    if (ramfsp_dir_find(dir, name))
        return ST_EXISTS;
    int rc = ramfsp_dir_reserve(dir);
    if (rc != ST_OK)
        return rc;
    return ramfsp_dirent_new(ramfsp_fs(dir), name, de);
}

static int make(fs_node_t *dnode, const char *name, uint32_t type, uint32_t mode,
                const char *target, fs_node_t **out)
{
    ramfs_node_t *dir = ramfsp_node(dnode), *n;
    ramfs_t *rfs = ramfsp_fs(dir);
    ramfs_dirent_t *de;

    if (type == FS_TYPE_DIR && dir->nlink >= FS_LINK_MAX)
        return ST_LIMIT;
    int rc = prepare(dir, name, &de);
    if (rc != ST_OK)
        return rc;
    rc = ramfsp_node_new(rfs, type, mode, &n);
    if (rc != ST_OK) {
        ramfsp_dirent_free(rfs, de);
        return rc;
    }
    if (type == FS_TYPE_LNK) {
        size_t len = strlen(target);
        rc = ramfsp_charge(rfs, len);
        if (rc == ST_OK) {
            n->u.link.target = malloc(len + 1);
            if (n->u.link.target) {
                memcpy(n->u.link.target, target, len + 1);
                n->u.link.len = len;
            } else {
                ramfsp_uncharge(rfs, len);
                rc = ST_NO_MEMORY;
            }
        }
        if (rc != ST_OK) {
            fs_node_release(&n->node); /* no links yet: this frees it */
            ramfsp_dirent_free(rfs, de);
            return rc;
        }
    }

    de->node = n;
    ramfsp_dir_insert(dir, de);
    if (type == FS_TYPE_DIR) {
        n->nlink = 2;
        n->u.dir.parent = dir;
        dir->nlink++;
    } else {
        n->nlink = 1;
    }
    ramfsp_touch(dir, n->ctime);
    *out = &n->node;
    return ST_OK;
}

int ramfsp_create(fs_node_t *dir, const char *name, uint32_t mode, fs_node_t **out)
{
    return make(dir, name, FS_TYPE_REG, mode, NULL, out);
}

int ramfsp_mkdir(fs_node_t *dir, const char *name, uint32_t mode, fs_node_t **out)
{
    return make(dir, name, FS_TYPE_DIR, mode, NULL, out);
}

int ramfsp_symlink(fs_node_t *dir, const char *name, const char *target, fs_node_t **out)
{
    return make(dir, name, FS_TYPE_LNK, 0777, target, out);
}

int ramfsp_mknod(fs_node_t *dir, const char *name, uint32_t type, uint32_t mode, fs_node_t **out)
{
    return make(dir, name, type, mode, NULL, out);
}

int ramfsp_link(fs_node_t *dnode, const char *name, fs_node_t *tnode)
{
    ramfs_node_t *dir = ramfsp_node(dnode), *t = ramfsp_node(tnode);
    ramfs_dirent_t *de;

    /* A file unlinked while open cannot come back (Linux does the same). */
    if (t->nlink == 0)
        return ST_NOT_FOUND;
    if (t->nlink >= FS_LINK_MAX)
        return ST_LIMIT;
    int rc = prepare(dir, name, &de);
    if (rc != ST_OK)
        return rc;
    de->node = t;
    ramfsp_dir_insert(dir, de);
    t->nlink++;
    int64_t now = ramfsp_now(ramfsp_fs(dir));
    t->ctime = now;
    ramfsp_touch(dir, now);
    return ST_OK;
}

int ramfsp_unlink(fs_node_t *dnode, const char *name)
{
    ramfs_node_t *dir = ramfsp_node(dnode);
    ramfs_dirent_t *de = ramfsp_dir_find(dir, name);

    if (!de)
        return ST_NOT_FOUND;
    ramfs_node_t *n = de->node;
    if (n->node.type == FS_TYPE_DIR)
        return ST_IS_DIRECTORY;
    ramfsp_dir_remove(dir, de);
    ramfsp_dirent_free(ramfsp_fs(dir), de);
    n->nlink--;
    int64_t now = ramfsp_now(ramfsp_fs(dir));
    n->ctime = now;
    ramfsp_touch(dir, now);
    ramfsp_node_put(n);
    return ST_OK;
}

/* The last link of directory `n` went (rmdir, or replaced by rename). */
static void dir_gone(ramfs_node_t *parent, ramfs_node_t *n, int64_t now)
{
    n->nlink = 0;
    n->u.dir.parent = NULL;
    n->ctime = now;
    parent->nlink--;
}

int ramfsp_rmdir(fs_node_t *dnode, const char *name)
{
    ramfs_node_t *dir = ramfsp_node(dnode);
    ramfs_dirent_t *de = ramfsp_dir_find(dir, name);

    if (!de)
        return ST_NOT_FOUND;
    ramfs_node_t *n = de->node;
    if (n->node.type != FS_TYPE_DIR)
        return ST_NOT_DIRECTORY;
    if (n->u.dir.n)
        return ST_NOT_EMPTY;
    ramfsp_dir_remove(dir, de);
    ramfsp_dirent_free(ramfsp_fs(dir), de);
    int64_t now = ramfsp_now(ramfsp_fs(dir));
    dir_gone(dir, n, now);
    ramfsp_touch(dir, now);
    ramfsp_node_put(n);
    return ST_OK;
}

/* ST_INVALID_ARGUMENT when `dir` is `n` or lies below it. */
static int check_not_below(ramfs_t *rfs, ramfs_node_t *dir, ramfs_node_t *n)
{
    /* Parents form a tree, so the walk ends at the root; the bound only
     * guards against a corrupted tree. */
    for (uint64_t hops = 0; hops <= rfs->inodes; hops++) {
        if (dir == n)
            return ST_INVALID_ARGUMENT;
        if (!dir->u.dir.parent || dir->u.dir.parent == dir)
            return ST_OK;
        dir = dir->u.dir.parent;
    }
    return ST_INVALID_ARGUMENT;
}

int ramfsp_rename(fs_node_t *onode, const char *oname, fs_node_t *nnode, const char *nname)
{
    ramfs_node_t *odir = ramfsp_node(onode), *ndir = ramfsp_node(nnode);
    ramfs_t *rfs = ramfsp_fs(odir);
    ramfs_dirent_t *ode = ramfsp_dir_find(odir, oname), *nde, *fresh = NULL;

    if (!ode)
        return ST_NOT_FOUND;
    if (!ndir->u.dir.parent)
        return ST_NOT_FOUND;
    ramfs_node_t *n = ode->node;
    nde = ramfsp_dir_find(ndir, nname);
    ramfs_node_t *victim = nde ? nde->node : NULL;
    /* POSIX: two links to the same file, or the same name: nothing to do. */
    if (victim == n)
        return ST_OK;

    bool isdir = n->node.type == FS_TYPE_DIR;
    if (victim) {
        bool vdir = victim->node.type == FS_TYPE_DIR;
        if (isdir && !vdir)
            return ST_NOT_DIRECTORY;
        if (!isdir && vdir)
            return ST_IS_DIRECTORY;
        if (vdir && victim->u.dir.n)
            return ST_NOT_EMPTY;
    }
    if (isdir) {
        int rc = check_not_below(rfs, ndir, n);
        if (rc != ST_OK)
            return rc;
        if (ndir != odir && !victim && ndir->nlink >= FS_LINK_MAX)
            return ST_LIMIT;
    }
    if (!victim) {
        int rc = ramfsp_dir_reserve(ndir);
        if (rc == ST_OK)
            rc = ramfsp_dirent_new(rfs, nname, &fresh);
        if (rc != ST_OK)
            return rc;
    }

    /* Nothing can fail from here on. */
    int64_t now = ramfsp_now(rfs);
    ramfsp_dir_remove(odir, ode);
    ramfsp_dirent_free(rfs, ode);
    if (victim) {
        nde->node = n; /* the target's entry keeps its name and place */
    } else {
        fresh->node = n;
        ramfsp_dir_insert(ndir, fresh);
    }
    if (isdir && odir != ndir) {
        odir->nlink--;
        ndir->nlink++;
        n->u.dir.parent = ndir;
    }
    if (victim) {
        if (victim->node.type == FS_TYPE_DIR) {
            dir_gone(ndir, victim, now);
        } else {
            victim->nlink--;
            victim->ctime = now;
        }
    }
    n->ctime = now;
    ramfsp_touch(odir, now);
    ramfsp_touch(ndir, now);
    if (victim)
        ramfsp_node_put(victim);
    return ST_OK;
}
