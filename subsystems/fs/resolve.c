/*
 * Path resolution: the one walker behind vfs_resolve(), vfs_resolve_parent()
 * and every path operation.
 *
 * The path is copied into a working buffer and consumed component by
 * component from `pos`, holding a reference on the current directory.
 * Following a symbolic link rewrites the buffer as the link's target
 * followed by what was left of the path, and restarts at the root when the
 * target is absolute. This keeps the walk iterative: no recursion, and a
 * bound on every loop (FS_SYMLINK_MAX links, each adding at most
 * FS_PATH_MAX bytes to walk).
 *
 * Mounts: after each lookup, a covered directory is replaced by the root
 * mounted on it; ".." at a mounted root first steps back to the directory
 * it covers, so it leaves through the mount point, and ".." at "/" stays.
 * A remote mount ends the walk with VFS_REMOTE and the rest of the path
 * (see <fs/vfs.h>), unless a ".." in that rest climbs back out.
 *
 * Entry points: vfsp_walk(), vfs_resolve(), vfs_resolve_parent().
 */
#include <stdlib.h>
#include <string.h>

#include "vfs_priv.h"

typedef struct walk {
    vfs_t *vfs;
    char *buf, *tmp; /* FS_PATH_MAX bytes each: the path left to walk, a spare */
    size_t pos, len;
    fs_node_t *cur; /* referenced */
    unsigned links;
} walk_t;

/* Each step consumes a component or follows a link; this can never be reached. */
#define WALK_STEPS_MAX ((FS_SYMLINK_MAX + 1) * (FS_PATH_MAX / 2 + 1))

static void set_cur(walk_t *w, fs_node_t *node)
{
    fs_node_release(w->cur);
    w->cur = node;
}

/* Replaces `link` (whose component ends at buf[end]) by its target. */
static int follow(walk_t *w, fs_node_t *link, size_t end)
{
    size_t tlen, rlen = w->len - end;

    if (++w->links > FS_SYMLINK_MAX)
        return ST_LIMIT;
    int rc = fs_readlink(link, w->tmp, FS_PATH_MAX, &tlen);
    if (rc != ST_OK)
        return rc;
    if (tlen == 0)
        return ST_NOT_FOUND;
    if (tlen >= FS_PATH_MAX || rlen >= FS_PATH_MAX - tlen)
        return ST_NAME_TOO_LONG;
    /* A NUL would silently cut the path short: no file system should store one. */
    if (memchr(w->tmp, '\0', tlen))
        return ST_NOT_FOUND;
    memcpy(w->tmp + tlen, w->buf + end, rlen);
    w->tmp[tlen + rlen] = '\0';
    char *swap = w->buf;
    w->buf = w->tmp;
    w->tmp = swap;
    w->pos = 0;
    w->len = tlen + rlen;
    if (w->buf[0] == '/') {
        fs_node_ref(w->vfs->root);
        set_cur(w, w->vfs->root);
    }
    return ST_OK;
}

/* "..": out of a mounted file system through its mount point, never above "/". */
static int step_up(walk_t *w)
{
    for (int i = 0; i <= VFS_MOUNT_MAX; i++) {
        if (w->cur == w->vfs->root)
            return ST_OK;
        vfsp_mount_t *m = vfsp_mount_rooted(w->vfs, w->cur);
        if (!m || !m->covered)
            break;
        fs_node_ref(m->covered);
        set_cur(w, m->covered);
    }
    fs_node_t *parent;
    int rc = fs_lookup(w->cur, "..", &parent);
    if (rc != ST_OK)
        return rc;
    set_cur(w, parent);
    return ST_OK;
}

/* Replaces a covered directory by what is mounted on it; returns the mount
 * when it is remote (then *node is left as it was). */
static vfsp_mount_t *cross(walk_t *w, fs_node_t **node)
{
    vfsp_mount_t *m = vfsp_mount_covering(w->vfs, *node);

    if (!m)
        return NULL;
    if (!m->root)
        return m;
    fs_node_ref(m->root);
    fs_node_release(*node);
    *node = m->root;
    return NULL;
}

/* Next component of s[i..len): its bounds, or false at the end. */
static bool next_comp(const char *s, size_t len, size_t *i, size_t *start, size_t *clen)
{
    while (*i < len && s[*i] == '/')
        (*i)++;
    if (*i == len)
        return false;
    *start = *i;
    while (*i < len && s[*i] != '/')
        (*i)++;
    *clen = *i - *start;
    return true;
}

static bool is_dotdot(const char *s, size_t clen)
{
    return clen == 2 && s[0] == '.' && s[1] == '.';
}

/*
 * The path below a remote mount point, buf[from..len). If a ".." in it
 * climbs out of the mount, returns true with *resume just past that "..";
 * otherwise writes the rest into out (< FS_PATH_MAX bytes, as it is never
 * longer than the input) without empty or "." components. ".." stays: the
 * remote server resolves it, so that "file/.." is not a directory there
 * either.
 */
static bool remote_rest(const walk_t *w, size_t from, char *out, bool *dir, size_t *resume)
{
    size_t i = from, s, n, depth = 0;

    while (next_comp(w->buf, w->len, &i, &s, &n)) {
        if (n == 1 && w->buf[s] == '.')
            continue;
        if (is_dotdot(w->buf + s, n)) {
            if (depth == 0) {
                *resume = i;
                return true;
            }
            depth--;
        } else {
            depth++;
        }
    }

    size_t o = 0;
    *dir = w->len > from && w->buf[w->len - 1] == '/';
    i = from;
    while (next_comp(w->buf, w->len, &i, &s, &n)) {
        if (n == 1 && w->buf[s] == '.') {
            *dir = true;
            continue;
        }
        if (o > 0)
            out[o++] = '/';
        memcpy(out + o, w->buf + s, n);
        o += n;
        *dir = is_dotdot(w->buf + s, n);
    }
    if (w->len > from && w->buf[w->len - 1] == '/')
        *dir = true;
    out[o] = '\0';
    return false;
}

/* Hands the current directory over to the caller as the result. */
static int give_cur(walk_t *w, vfsp_walk_out_t *out)
{
    out->node = w->cur;
    w->cur = NULL;
    return ST_OK;
}

static int walk(walk_t *w, unsigned flags, vfsp_walk_out_t *out, vfs_remote_t *remote)
{
    bool parent = flags & VFSP_PARENT;
    bool create = parent && (flags & VFSP_CREATE);

    for (unsigned step = 0; step < WALK_STEPS_MAX; step++) {
        size_t s, n, e = w->pos;
        if (!next_comp(w->buf, w->len, &e, &s, &n)) {
            /* Only slashes left: the path names the current directory. */
            if (parent)
                memcpy(out->name, ".", 2);
            out->trailing = true;
            return give_cur(w, out);
        }
        size_t next = e;
        while (next < w->len && w->buf[next] == '/')
            next++;
        bool last = next == w->len;
        bool trailing = last && e < w->len;

        if (n > FS_NAME_MAX)
            return ST_NAME_TOO_LONG;
        if (w->cur->type != FS_TYPE_DIR)
            return ST_NOT_DIRECTORY;
        memcpy(out->name, w->buf + s, n);
        out->name[n] = '\0';
        bool dot = n == 1 && out->name[0] == '.';
        bool dotdot = is_dotdot(out->name, n);

        if (last && parent && (!create || dot || dotdot)) {
            out->trailing = trailing;
            return give_cur(w, out);
        }
        if (dot || dotdot) {
            if (dotdot) {
                int rc = step_up(w);
                if (rc != ST_OK)
                    return rc;
            }
            w->pos = next;
            if (last)
                return give_cur(w, out);
            continue;
        }

        fs_node_t *child;
        int rc = fs_lookup(w->cur, out->name, &child);
        if (rc == ST_NOT_FOUND && last && create) {
            out->trailing = trailing;
            return give_cur(w, out);
        }
        if (rc != ST_OK)
            return rc;

        vfsp_mount_t *m = cross(w, &child);
        if (m) {
            if (last && (flags & VFSP_STOP_REMOTE)) {
                out->remote = m;
                out->node = child;
                return ST_OK;
            }
            size_t resume;
            bool dir = false;
            char *rest = remote ? remote->path : w->tmp;
            fs_node_release(child);
            if (remote_rest(w, e, rest, &dir, &resume)) {
                w->pos = resume; /* climbed back out: go on from cur */
                continue;
            }
            if (remote) {
                memcpy(remote->tag, m->tag, VFS_TAG_MAX);
                remote->dir = dir || (flags & VFS_DIRECTORY);
            }
            out->remote = m;
            return VFS_REMOTE;
        }

        if (child->type == FS_TYPE_LNK && (!last || trailing || !(flags & VFS_NOFOLLOW))) {
            rc = follow(w, child, e);
            fs_node_release(child);
            if (rc != ST_OK)
                return rc;
            continue;
        }
        if (last) {
            out->trailing = trailing;
            if (create) {
                out->child = child;
                return give_cur(w, out);
            }
            if ((trailing || (flags & VFS_DIRECTORY)) && child->type != FS_TYPE_DIR) {
                fs_node_release(child);
                return ST_NOT_DIRECTORY;
            }
            out->node = child;
            return ST_OK;
        }
        set_cur(w, child);
        w->pos = next;
    }
    return ST_LIMIT;
}

int vfsp_walk(vfs_t *vfs, fs_node_t *cwd, const char *path, unsigned flags, vfsp_walk_out_t *out,
              vfs_remote_t *remote)
{
    walk_t w = {.vfs = vfs};

    memset(out, 0, sizeof(*out));
    if (!path)
        return ST_INVALID_ARGUMENT;
    if (!vfs->root)
        return ST_NOT_FOUND;
    size_t len = strnlen(path, FS_PATH_MAX);
    if (len == 0)
        return ST_NOT_FOUND;
    if (len >= FS_PATH_MAX)
        return ST_NAME_TOO_LONG;
    if (cwd && cwd->fs->vfs != vfs)
        return ST_INVALID_ARGUMENT;

    w.buf = malloc(2 * FS_PATH_MAX);
    if (!w.buf)
        return ST_NO_MEMORY;
    w.tmp = w.buf + FS_PATH_MAX;
    char *block = w.buf; /* follow() swaps the halves */
    memcpy(w.buf, path, len);
    w.buf[len] = '\0';
    w.len = len;
    w.cur = (path[0] == '/' || !cwd) ? vfs->root : cwd;
    fs_node_ref(w.cur);

    int rc = walk(&w, flags, out, remote);
    fs_node_release(w.cur);
    if (rc != ST_OK && rc != VFS_REMOTE) {
        fs_node_release(out->node);
        out->node = NULL;
    }
    free(block);
    return rc;
}

int vfs_resolve(vfs_t *vfs, fs_node_t *cwd, const char *path, unsigned flags, fs_node_t **out,
                vfs_remote_t *remote)
{
    vfsp_walk_out_t w;

    *out = NULL;
    int rc = vfsp_walk(vfs, cwd, path, flags & (VFS_NOFOLLOW | VFS_DIRECTORY), &w, remote);
    if (rc == ST_OK)
        *out = w.node;
    return rc;
}

int vfs_resolve_parent(vfs_t *vfs, fs_node_t *cwd, const char *path, fs_node_t **dir,
                       char name[FS_NAME_MAX + 1], bool *trailing, vfs_remote_t *remote)
{
    vfsp_walk_out_t w;

    *dir = NULL;
    name[0] = '\0';
    int rc = vfsp_walk(vfs, cwd, path, VFSP_PARENT, &w, remote);
    if (rc != ST_OK)
        return rc;
    *dir = w.node;
    memcpy(name, w.name, sizeof(w.name));
    if (trailing)
        *trailing = w.trailing;
    return ST_OK;
}
