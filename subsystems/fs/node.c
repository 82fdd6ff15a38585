/*
 * The node layer of the VFS: reference counting, and the fs_*() wrappers
 * that check what every file system would otherwise check for itself
 * (node types, names, offsets, modes, same file system) before calling
 * its ops. The contract they establish is written next to fs_ops_t in
 * <fs/vfs.h>.
 *
 * Entry points: fs_node_ref(), fs_node_release(), fs_destroy(), and one
 * fs_<op>() per operation.
 */
#include <string.h>

#include "vfs_priv.h"

int vfsp_check_name(const char *name)
{
    if (!name || name[0] == '\0')
        return ST_INVALID_ARGUMENT;
    size_t len = strnlen(name, FS_NAME_MAX + 1);
    if (len > FS_NAME_MAX)
        return ST_NAME_TOO_LONG;
    if (memchr(name, '/', len))
        return ST_INVALID_ARGUMENT;
    return ST_OK;
}

bool vfsp_is_dot(const char *name)
{
    return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

void fs_node_ref(fs_node_t *node)
{
    node->refs++;
    node->fs->refs++;
}

void fs_node_release(fs_node_t *node)
{
    /* A release without a reference is a caller's bug; ignoring it keeps
     * the counts sane instead of wrapping them. */
    if (!node || node->refs == 0)
        return;
    node->fs->refs--;
    if (--node->refs == 0)
        node->fs->ops->release(node); /* may free the node */
}

int fs_destroy(fs_t *fs)
{
    if (!fs)
        return ST_INVALID_ARGUMENT;
    if (fs->vfs || fs->refs)
        return ST_BUSY;
    fs->ops->destroy(fs);
    return ST_OK;
}

/* Checks shared by the calls that add a name to a directory. */
static int check_new_name(fs_node_t *dir, const char *name)
{
    if (dir->type != FS_TYPE_DIR)
        return ST_NOT_DIRECTORY;
    int rc = vfsp_check_name(name);
    if (rc != ST_OK)
        return rc;
    return vfsp_is_dot(name) ? ST_EXISTS : ST_OK;
}

int fs_lookup(fs_node_t *dir, const char *name, fs_node_t **out)
{
    *out = NULL;
    if (dir->type != FS_TYPE_DIR)
        return ST_NOT_DIRECTORY;
    int rc = vfsp_check_name(name);
    if (rc != ST_OK)
        return rc;
    return dir->fs->ops->lookup(dir, name, out);
}

int fs_create(fs_node_t *dir, const char *name, uint32_t mode, fs_node_t **out)
{
    *out = NULL;
    int rc = check_new_name(dir, name);
    if (rc != ST_OK)
        return rc;
    if (mode & ~FS_S_PERM)
        return ST_INVALID_ARGUMENT;
    return dir->fs->ops->create(dir, name, mode, out);
}

int fs_mkdir(fs_node_t *dir, const char *name, uint32_t mode, fs_node_t **out)
{
    *out = NULL;
    int rc = check_new_name(dir, name);
    if (rc != ST_OK)
        return rc;
    if (mode & ~FS_S_PERM)
        return ST_INVALID_ARGUMENT;
    return dir->fs->ops->mkdir(dir, name, mode, out);
}

/* Hands a new node to a caller whose out may be NULL (then it is dropped). */
static int hand_out(int rc, fs_node_t *node, fs_node_t **out)
{
    if (rc == ST_OK) {
        if (out)
            *out = node;
        else
            fs_node_release(node);
    }
    return rc;
}

int fs_symlink(fs_node_t *dir, const char *name, const char *target, fs_node_t **out)
{
    fs_node_t *node = NULL;

    if (out)
        *out = NULL;
    int rc = check_new_name(dir, name);
    if (rc != ST_OK)
        return rc;
    if (!target || target[0] == '\0')
        return ST_NOT_FOUND;
    if (strnlen(target, FS_PATH_MAX) >= FS_PATH_MAX)
        return ST_NAME_TOO_LONG;
    rc = dir->fs->ops->symlink(dir, name, target, &node);
    return hand_out(rc, node, out);
}

int fs_mknod(fs_node_t *dir, const char *name, uint32_t type, uint32_t mode, fs_node_t **out)
{
    fs_node_t *node = NULL;

    if (out)
        *out = NULL;
    int rc = check_new_name(dir, name);
    if (rc != ST_OK)
        return rc;
    if (type != FS_TYPE_FIFO || (mode & ~FS_S_PERM))
        return ST_INVALID_ARGUMENT;
    rc = dir->fs->ops->mknod(dir, name, type, mode, &node);
    return hand_out(rc, node, out);
}

int fs_readlink(fs_node_t *node, char *buf, size_t size, size_t *len)
{
    *len = 0;
    if (node->type != FS_TYPE_LNK)
        return ST_INVALID_ARGUMENT;
    if (!buf && size)
        return ST_INVALID_ARGUMENT;
    return node->fs->ops->readlink(node, buf, size, len);
}

int fs_link(fs_node_t *dir, const char *name, fs_node_t *target)
{
    int rc = check_new_name(dir, name);
    if (rc != ST_OK)
        return rc;
    if (target->type == FS_TYPE_DIR)
        return ST_IS_DIRECTORY;
    if (target->fs != dir->fs)
        return ST_NOT_SUPPORTED;
    return dir->fs->ops->link(dir, name, target);
}

int fs_unlink(fs_node_t *dir, const char *name)
{
    if (dir->type != FS_TYPE_DIR)
        return ST_NOT_DIRECTORY;
    int rc = vfsp_check_name(name);
    if (rc != ST_OK)
        return rc;
    if (vfsp_is_dot(name))
        return ST_IS_DIRECTORY;
    return dir->fs->ops->unlink(dir, name);
}

int fs_rmdir(fs_node_t *dir, const char *name)
{
    if (dir->type != FS_TYPE_DIR)
        return ST_NOT_DIRECTORY;
    int rc = vfsp_check_name(name);
    if (rc != ST_OK)
        return rc;
    /* POSIX: EINVAL for ".", and ".." names a directory that is not empty. */
    if (strcmp(name, ".") == 0)
        return ST_INVALID_ARGUMENT;
    if (strcmp(name, "..") == 0)
        return ST_NOT_EMPTY;
    return dir->fs->ops->rmdir(dir, name);
}

int fs_rename(fs_node_t *odir, const char *oname, fs_node_t *ndir, const char *nname)
{
    if (odir->type != FS_TYPE_DIR || ndir->type != FS_TYPE_DIR)
        return ST_NOT_DIRECTORY;
    int rc = vfsp_check_name(oname);
    if (rc == ST_OK)
        rc = vfsp_check_name(nname);
    if (rc != ST_OK)
        return rc;
    if (vfsp_is_dot(oname) || vfsp_is_dot(nname))
        return ST_INVALID_ARGUMENT;
    if (odir->fs != ndir->fs)
        return ST_NOT_SUPPORTED;
    return odir->fs->ops->rename(odir, oname, ndir, nname);
}

static int check_file(const fs_node_t *node)
{
    if (node->type == FS_TYPE_DIR)
        return ST_IS_DIRECTORY;
    if (node->type != FS_TYPE_REG)
        return ST_INVALID_ARGUMENT;
    return ST_OK;
}

int fs_read(fs_node_t *node, uint64_t off, void *buf, size_t len, size_t *done)
{
    *done = 0;
    int rc = check_file(node);
    if (rc != ST_OK)
        return rc;
    if (!buf && len)
        return ST_INVALID_ARGUMENT;
    /* Nothing lies past FS_FILE_MAX; clamping also keeps off + len from wrapping. */
    if (len == 0 || off >= FS_FILE_MAX)
        return ST_OK;
    if (len > FS_FILE_MAX - off)
        len = (size_t)(FS_FILE_MAX - off);
    return node->fs->ops->read(node, off, buf, len, done);
}

int fs_write(fs_node_t *node, uint64_t off, const void *buf, size_t len, size_t *done)
{
    *done = 0;
    int rc = check_file(node);
    if (rc != ST_OK)
        return rc;
    if (!buf && len)
        return ST_INVALID_ARGUMENT;
    if (off > FS_FILE_MAX || len > FS_FILE_MAX - off)
        return ST_LIMIT;
    if (len == 0)
        return ST_OK;
    return node->fs->ops->write(node, off, buf, len, done);
}

int fs_truncate(fs_node_t *node, uint64_t size)
{
    int rc = check_file(node);
    if (rc != ST_OK)
        return rc;
    if (size > FS_FILE_MAX)
        return ST_LIMIT;
    return node->fs->ops->truncate(node, size);
}

int fs_stat(fs_node_t *node, fs_stat_t *st)
{
    memset(st, 0, sizeof(*st));
    int rc = node->fs->ops->stat(node, st);
    st->dev = node->fs->dev;
    return rc;
}

int fs_set_times(fs_node_t *node, int64_t atime, int64_t mtime)
{
    return node->fs->ops->set_times(node, atime, mtime);
}

int fs_chmod(fs_node_t *node, uint32_t mode)
{
    if (mode & ~FS_S_PERM)
        return ST_INVALID_ARGUMENT;
    return node->fs->ops->chmod(node, mode);
}

int fs_readdir(fs_node_t *dir, uint64_t *cookie, fs_dirent_t *ent)
{
    memset(ent, 0, sizeof(*ent));
    if (dir->type != FS_TYPE_DIR)
        return ST_NOT_DIRECTORY;
    return dir->fs->ops->readdir(dir, cookie, ent);
}

int fs_statfs(fs_t *fs, fs_statfs_t *st)
{
    memset(st, 0, sizeof(*st));
    return fs->ops->statfs(fs, st);
}
