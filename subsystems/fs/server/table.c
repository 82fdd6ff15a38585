/*
 * The file server's calls (fs_calls.h), each a thin layer over the VFS:
 * fetch the path(s) from the client's buffer, call, and put the result
 * back. A path that leads into a mount another server serves answers
 * ST_REDIRECT with "PORT\0REST" in the buffer.
 */
#include "fsd.h"
#include <fs/bootfs.h>
#include <string.h>

/* Copies of the paths of the call being served (at most two). */
static char paths[2][PFS_PATH_MAX];

/*
 * The NUL-terminated path at offset off of the buffer, copied out of it
 * into paths[slot] (the client may rewrite its buffer while we work), or
 * NULL if the buffer holds none there.
 */
static const char *path_at(srv_req_t *req, size_t off, int slot)
{
    srv_client_t *c = req->client;
    const volatile char *p;
    size_t max;

    if (!c || !c->buffer || off >= c->buffer_size)
        return NULL;
    max = MIN_SIZE(c->buffer_size - off, PFS_PATH_MAX);
    p = (const volatile char *)c->buffer + off;
    for (size_t i = 0; i < max; i++) {
        if (!(paths[slot][i] = p[i]))
            return paths[slot];
    }
    return NULL;
}

/* The path after the first one (at offset 0), copied out of the buffer. */
static const char *second_path(srv_req_t *req, const char *first)
{
    return path_at(req, strlen(first) + 1, 1);
}

/*
 * Is the server of a remote mount there? A port that exists, or existed
 * once (its server is being restarted: the client waits for it). A mount
 * whose server never came up (no disk) is simply not found.
 */
static bool remote_alive(const char *tag)
{
    static char seen[8][VFS_TAG_MAX];
    handle_t h;

    for (unsigned i = 0; i < 8; i++) {
        if (!strcmp(seen[i], tag))
            return true;
    }
    if (sys_port_connect(tag, &h) != ST_OK)
        return false;
    sys_handle_close(h);
    for (unsigned i = 0; i < 8; i++) {
        if (!seen[i][0]) {
            strlcpy(seen[i], tag, sizeof(seen[i]));
            break;
        }
    }
    return true;
}

/*
 * "PORT\0REST\0[REST2\0]MOUNT\0" for the client to call there: the rest
 * of each path below the mount point, and the mount point itself ("" if
 * unknown), which a client may remember to send such paths straight to
 * PORT.
 */
static long redirect(srv_req_t *req, const vfs_remote_t *r, const vfs_remote_t *r2)
{
    size_t tn = strlen(r->tag) + 1, pn = strlen(r->path) + 1, pn2 = r2 ? strlen(r2->path) + 1 : 0;
    const char *mount = "";

    if (!remote_alive(r->tag))
        return ST_NOT_FOUND;
    for (unsigned i = 0; i < fsd.nremotes; i++) {
        if (!strcmp(fsd.remotes[i].tag, r->tag))
            mount = fsd.remotes[i].path;
    }
    size_t mn = strlen(mount) + 1;
    if (tn + pn + pn2 + mn > req->client->buffer_size)
        return ST_NAME_TOO_LONG;
    uint8_t *b = req->client->buffer;
    memcpy(b, r->tag, tn);
    memcpy(b + tn, r->path, pn);
    if (r2)
        memcpy(b + tn + pn, r2->path, pn2);
    memcpy(b + tn + pn + pn2, mount, mn);
    return ST_REDIRECT;
}

static long result(srv_req_t *req, int st, const vfs_remote_t *r)
{
    return st == VFS_REMOTE && r ? redirect(req, r, NULL) : st;
}

static long put_stat(srv_req_t *req, fs_node_t *node)
{
    fs_stat_t st;
    pfs_attr_t a;
    int r = fs_stat(node, &st);

    if (r < 0)
        return r;
    fsd_attr(&st, &a);
    if (!srv_buffer_ok(req->client, 0, sizeof(a)))
        return ST_RANGE;
    memcpy(req->client->buffer, &a, sizeof(a));
    return ST_OK;
}

static long do_open(server_t *srv, srv_req_t *req)
{
    const char *path = path_at(req, 0, 0);
    uint32_t flags = (uint32_t)req->msg.w[0], mode = (uint32_t)req->msg.w[1] & FS_S_PERM;
    unsigned vflags = 0;
    vfs_remote_t r;
    fs_node_t *node;
    uint64_t id;
    int st;

    (void)srv;
    if (!path)
        return ST_BAD_ADDRESS;
    if (flags & ~(uint32_t)(PFS_O_READ | PFS_O_WRITE | PFS_O_CREATE | PFS_O_EXCL | PFS_O_TRUNC |
                            PFS_O_DIRECTORY | PFS_O_NOFOLLOW))
        return ST_INVALID_ARGUMENT;
    if (flags & PFS_O_NOFOLLOW)
        vflags |= VFS_NOFOLLOW;
    if (flags & PFS_O_DIRECTORY)
        vflags |= VFS_DIRECTORY;
    if (flags & PFS_O_CREATE)
        st = vfs_create(fsd.vfs, NULL, path, mode, vflags | (flags & PFS_O_EXCL ? VFS_EXCL : 0),
                        &node, &r);
    else
        st = vfs_resolve(fsd.vfs, NULL, path, vflags, &node, &r);
    if (st < 0)
        return result(req, st, &r);
    if (node->type == FS_TYPE_DIR && (flags & (PFS_O_WRITE | PFS_O_TRUNC))) {
        fs_node_release(node);
        return ST_IS_DIRECTORY;
    }
    if (node->type == FS_TYPE_LNK) {
        fs_node_release(node);
        return ST_INVALID_ARGUMENT; /* O_NOFOLLOW met a link: POSIX ELOOP */
    }
    if ((flags & PFS_O_TRUNC) && (flags & PFS_O_WRITE) && node->type == FS_TYPE_REG &&
        (st = fs_truncate(node, 0)) < 0) {
        fs_node_release(node);
        return st;
    }
    st = (int)fsd_file_add(req, node, flags, &id);
    if (st < 0) {
        fs_node_release(node);
        return st;
    }
    req->msg.w[0] = id;
    return put_stat(req, node);
}

static long do_close(server_t *srv, srv_req_t *req)
{
    open_file_t *f = fsd_file(req, req->msg.w[0]);

    (void)srv;
    if (!f)
        return ST_INVALID_HANDLE;
    fs_node_release(f->node);
    f->node = NULL;
    return ST_OK;
}

static long do_read(server_t *srv, srv_req_t *req)
{
    open_file_t *f = fsd_file(req, req->msg.w[0]);
    uint64_t off = req->msg.w[1], len = req->msg.w[2];
    size_t done = 0;
    int st;

    (void)srv;
    if (!f)
        return ST_INVALID_HANDLE;
    if (!(f->flags & PFS_O_READ))
        return ST_ACCESS_DENIED;
    if (f->node->type == FS_TYPE_DIR)
        return ST_IS_DIRECTORY;
    if (!srv_buffer_ok(req->client, 0, len))
        return ST_RANGE;
    st = fs_read(f->node, off, req->client->buffer, len, &done);
    if (st < 0)
        return st;
    req->msg.w[0] = done;
    return ST_OK;
}

static long do_write(server_t *srv, srv_req_t *req)
{
    open_file_t *f = fsd_file(req, req->msg.w[0]);
    uint64_t off = req->msg.w[1], len = req->msg.w[2];
    size_t done = 0;
    int st;

    (void)srv;
    if (!f)
        return ST_INVALID_HANDLE;
    if (!(f->flags & PFS_O_WRITE))
        return ST_ACCESS_DENIED;
    if (!srv_buffer_ok(req->client, 0, len))
        return ST_RANGE;
    st = fs_write(f->node, off, req->client->buffer, len, &done);
    if (st < 0)
        return st;
    req->msg.w[0] = done;
    return ST_OK;
}

static long do_stat(server_t *srv, srv_req_t *req)
{
    const char *path = path_at(req, 0, 0);
    vfs_remote_t r;
    fs_node_t *node;
    int st;

    (void)srv;
    if (!path)
        return ST_BAD_ADDRESS;
    st = vfs_resolve(fsd.vfs, NULL, path, req->msg.w[0] & PFS_STAT_NOFOLLOW ? VFS_NOFOLLOW : 0,
                     &node, &r);
    if (st < 0)
        return result(req, st, &r);
    st = (int)put_stat(req, node);
    fs_node_release(node);
    return st;
}

static long do_fstat(server_t *srv, srv_req_t *req)
{
    open_file_t *f = fsd_file(req, req->msg.w[0]);

    (void)srv;
    return f ? put_stat(req, f->node) : ST_INVALID_HANDLE;
}

static uint8_t dirent_type(uint32_t t)
{
    return t == FS_TYPE_DIR    ? PFS_DT_DIR
           : t == FS_TYPE_LNK  ? PFS_DT_LNK
           : t == FS_TYPE_FIFO ? PFS_DT_FIFO
                               : PFS_DT_REG;
}

/*
 * Whether a directory entry is the mount point of a remote mount whose
 * server never came up (no disk): such a name would list a directory
 * that cannot be found, so it is left out.
 */
static bool absent_mount(fs_node_t *dir, const char *name)
{
    for (unsigned i = 0; i < fsd.nremotes; i++) {
        char parent[sizeof(fsd.remotes[0].path)];
        char *slash;
        fs_node_t *node;

        strlcpy(parent, fsd.remotes[i].path, sizeof(parent));
        slash = strrchr(parent, '/');
        if (!slash || strcmp(slash + 1, name))
            continue;
        slash[slash == parent ? 1 : 0] = 0;
        if (vfs_resolve(fsd.vfs, NULL, parent, 0, &node, NULL) != ST_OK)
            continue;
        bool here = node == dir;
        fs_node_release(node);
        if (here && !remote_alive(fsd.remotes[i].tag))
            return true;
    }
    return false;
}

static long do_readdir(server_t *srv, srv_req_t *req)
{
    open_file_t *f = fsd_file(req, req->msg.w[0]);
    uint64_t cookie = req->msg.w[1], size = req->msg.w[2], used = 0;
    fs_dirent_t ent;

    (void)srv;
    if (!f)
        return ST_INVALID_HANDLE;
    if (f->node->type != FS_TYPE_DIR)
        return ST_NOT_DIRECTORY;
    if (!srv_buffer_ok(req->client, 0, size))
        return ST_RANGE;
    for (;;) {
        uint64_t next = cookie;
        int st = fs_readdir(f->node, &next, &ent);
        if (st == ST_END_OF_FILE) {
            cookie = 0;
            break;
        }
        if (st < 0)
            return st;
        if (fsd.nremotes && absent_mount(f->node, ent.name)) {
            cookie = next;
            continue;
        }
        size_t reclen = (sizeof(pfs_dirent_t) + ent.namelen + 1 + 7) & ~(size_t)7;
        if (used + reclen > size) {
            if (!used)
                return ST_RANGE; /* not even one entry fits */
            break;
        }
        pfs_dirent_t *d = (pfs_dirent_t *)(req->client->buffer + used);
        d->ino = ent.ino;
        d->reclen = (uint16_t)reclen;
        d->type = dirent_type(ent.type);
        d->namelen = (uint8_t)ent.namelen;
        memcpy(d->name, ent.name, ent.namelen + 1);
        used += reclen;
        cookie = next;
    }
    req->msg.w[0] = used;
    req->msg.w[1] = cookie;
    return ST_OK;
}

static long do_mkdir(server_t *srv, srv_req_t *req)
{
    const char *path = path_at(req, 0, 0);
    vfs_remote_t r;

    (void)srv;
    if (!path)
        return ST_BAD_ADDRESS;
    return result(req, vfs_mkdir(fsd.vfs, NULL, path, (uint32_t)req->msg.w[0] & FS_S_PERM, &r), &r);
}

/* Special files: FIFOs only, which name nothing this server serves (their
 * openers connect to each other). */
static long do_mknod(server_t *srv, srv_req_t *req)
{
    const char *path = path_at(req, 0, 0);
    uint32_t mode = (uint32_t)req->msg.w[0];
    vfs_remote_t r;

    (void)srv;
    if (!path)
        return ST_BAD_ADDRESS;
    if ((mode & PFS_S_IFMT) != PFS_S_IFIFO || (mode & ~(uint32_t)(PFS_S_IFMT | FS_S_PERM)))
        return ST_INVALID_ARGUMENT;
    return result(req, vfs_mknod(fsd.vfs, NULL, path, FS_TYPE_FIFO, mode & FS_S_PERM, &r), &r);
}

static long do_unlink(server_t *srv, srv_req_t *req)
{
    const char *path = path_at(req, 0, 0);
    vfs_remote_t r;

    (void)srv;
    if (!path)
        return ST_BAD_ADDRESS;
    return result(req, vfs_unlink(fsd.vfs, NULL, path, &r), &r);
}

static long do_rmdir(server_t *srv, srv_req_t *req)
{
    const char *path = path_at(req, 0, 0);
    vfs_remote_t r;

    (void)srv;
    if (!path)
        return ST_BAD_ADDRESS;
    return result(req, vfs_rmdir(fsd.vfs, NULL, path, &r), &r);
}

static long do_rename(server_t *srv, srv_req_t *req)
{
    const char *from = path_at(req, 0, 0), *to = from ? second_path(req, from) : NULL;
    vfs_remote_t r1, r2;

    (void)srv;
    if (!to)
        return ST_BAD_ADDRESS;
    int st = vfs_rename(fsd.vfs, NULL, from, to, &r1, &r2);
    return st == VFS_REMOTE ? redirect(req, &r1, &r2) : st;
}

static long do_link(server_t *srv, srv_req_t *req)
{
    const char *from = path_at(req, 0, 0), *to = from ? second_path(req, from) : NULL;
    vfs_remote_t r1, r2;

    (void)srv;
    if (!to)
        return ST_BAD_ADDRESS;
    int st = vfs_link(fsd.vfs, NULL, from, to, 0, &r1, &r2);
    return st == VFS_REMOTE ? redirect(req, &r1, &r2) : st;
}

static long do_symlink(server_t *srv, srv_req_t *req)
{
    const char *target = path_at(req, 0, 0), *path = target ? second_path(req, target) : NULL;
    vfs_remote_t r;

    (void)srv;
    if (!path)
        return ST_BAD_ADDRESS;
    return result(req, vfs_symlink(fsd.vfs, NULL, target, path, &r), &r);
}

static long do_readlink(server_t *srv, srv_req_t *req)
{
    const char *path = path_at(req, 0, 0);
    vfs_remote_t r;
    fs_node_t *node;
    size_t len = 0;
    char target[PFS_PATH_MAX];
    int st;

    (void)srv;
    if (!path)
        return ST_BAD_ADDRESS;
    st = vfs_resolve(fsd.vfs, NULL, path, VFS_NOFOLLOW, &node, &r);
    if (st < 0)
        return result(req, st, &r);
    st = node->type == FS_TYPE_LNK ? fs_readlink(node, target, sizeof(target), &len)
                                   : ST_INVALID_ARGUMENT;
    fs_node_release(node);
    if (st < 0)
        return st;
    len = MIN_SIZE(len, sizeof(target));
    if (!srv_buffer_ok(req->client, 0, len))
        return ST_RANGE;
    memcpy(req->client->buffer, target, len);
    req->msg.w[0] = len;
    return ST_OK;
}

static long do_truncate(server_t *srv, srv_req_t *req)
{
    open_file_t *f = fsd_file(req, req->msg.w[0]);

    (void)srv;
    if (!f)
        return ST_INVALID_HANDLE;
    if (!(f->flags & PFS_O_WRITE))
        return ST_ACCESS_DENIED;
    return fs_truncate(f->node, req->msg.w[1]);
}

static long path_node_op(srv_req_t *req, int (*op)(fs_node_t *, srv_req_t *))
{
    const char *path = path_at(req, 0, 0);
    vfs_remote_t r;
    fs_node_t *node;
    int st;

    if (!path)
        return ST_BAD_ADDRESS;
    st = vfs_resolve(fsd.vfs, NULL, path, 0, &node, &r);
    if (st < 0)
        return result(req, st, &r);
    st = op(node, req);
    fs_node_release(node);
    return st;
}

static int truncate_op(fs_node_t *n, srv_req_t *req)
{
    return fs_truncate(n, req->msg.w[0]);
}

static int chmod_op(fs_node_t *n, srv_req_t *req)
{
    return fs_chmod(n, (uint32_t)req->msg.w[0] & FS_S_PERM);
}

static int utimes_op(fs_node_t *n, srv_req_t *req)
{
    return fs_set_times(n, (int64_t)req->msg.w[0], (int64_t)req->msg.w[1]);
}

static int statfs_op(fs_node_t *n, srv_req_t *req)
{
    fs_statfs_t s;
    pfs_statfs_t o = {0};
    int st = fs_statfs(n->fs, &s);

    if (st < 0)
        return st;
    o.block_size = s.block_size;
    o.blocks = s.block_size ? s.total_bytes / s.block_size : 0;
    o.blocks_free = s.block_size ? s.free_bytes / s.block_size : 0;
    o.files = s.total_inodes;
    o.files_free = s.free_inodes;
    o.name_max = s.name_max;
    o.flags = s.flags & FS_STATFS_READ_ONLY ? PFS_STATFS_READ_ONLY : 0;
    memcpy(o.type, s.type, sizeof(o.type));
    if (!srv_buffer_ok(req->client, 0, sizeof(o)))
        return ST_RANGE;
    memcpy(req->client->buffer, &o, sizeof(o));
    return ST_OK;
}

static long do_truncate_path(server_t *srv, srv_req_t *req)
{
    (void)srv;
    return path_node_op(req, truncate_op);
}

static long do_chmod(server_t *srv, srv_req_t *req)
{
    (void)srv;
    return path_node_op(req, chmod_op);
}

static long do_utimes(server_t *srv, srv_req_t *req)
{
    (void)srv;
    return path_node_op(req, utimes_op);
}

static long do_statfs(server_t *srv, srv_req_t *req)
{
    (void)srv;
    return path_node_op(req, statfs_op);
}

static long do_fsync(server_t *srv, srv_req_t *req)
{
    open_file_t *f = fsd_file(req, req->msg.w[0]);

    (void)srv;
    if (!f)
        return ST_INVALID_HANDLE;
    /* The RAM and boot file systems keep nothing to flush. */
    return fsd.fsync ? fsd.fsync(f->node) : ST_OK;
}

/* Hands out the boot image section with the file's place in it, so that
 * loaders map programs instead of reading them (a read-only section:
 * mapped privately, writes copy pages). */
static long do_map(server_t *srv, srv_req_t *req)
{
    open_file_t *f = fsd_file(req, req->msg.w[0]);
    const void *data;
    uint64_t size;
    uint16_t pers;
    handle_t h;

    (void)srv;
    if (!f)
        return ST_INVALID_HANDLE;
    if (!fsd.bootimg || bootfs_file_info(f->node, &data, &size, &pers) != ST_OK || !data)
        return ST_NOT_SUPPORTED;
    if (sys_handle_duplicate(HANDLE_SELF_PROCESS, fsd.bootimg, HANDLE_SELF_PROCESS,
                             H_QUERY | H_READ | H_MAP | H_DUPLICATE, &h) < 0)
        return ST_NO_MEMORY;
    req->msg.tag = IPC_TAG(0, IPC_FLAG_HANDLE);
    req->msg.w[0] = (uint64_t)((const uint8_t *)data - fsd.image);
    req->msg.w[1] = size;
    req->msg.w[7] = h;
    /* The handle goes with the reply; ours is closed after. */
    srv_reply(req->token, ST_OK, &req->msg);
    sys_handle_close(h);
    return SRV_DEFERRED;
}

/* The mount table: what each mount point holds, local (its statfs type)
 * or served elsewhere (the port the client is sent to). */
static long do_mounts(server_t *srv, srv_req_t *req)
{
    uint64_t size = MIN_SIZE(req->msg.w[0], req->client ? req->client->buffer_size : 0);
    vfs_mount_info_t mi;
    size_t used = 0;

    (void)srv;
    if (!srv_buffer_ok(req->client, 0, size))
        return ST_RANGE;
    for (unsigned i = 0; vfs_mount_info(fsd.vfs, i, &mi) == ST_OK; i++) {
        size_t reclen = (sizeof(pfs_mount_t) + strlen(mi.path) + 1 + 7) & ~(size_t)7;
        if (used + reclen > size) {
            if (!used)
                return ST_RANGE;
            break;
        }
        pfs_mount_t *m = (pfs_mount_t *)(req->client->buffer + used);
        memset(m, 0, reclen);
        m->reclen = (uint16_t)reclen;
        if (mi.fs) {
            fs_statfs_t s;
            if (fs_statfs(mi.fs, &s) == ST_OK) {
                memcpy(m->type, s.type, sizeof(m->type) - 1);
                m->flags = s.flags & FS_STATFS_READ_ONLY ? PFS_MOUNT_READ_ONLY : 0;
            }
        } else {
            m->flags = PFS_MOUNT_REMOTE;
            strlcpy(m->port, mi.tag, sizeof(m->port));
        }
        memcpy(m->path, mi.path, strlen(mi.path) + 1);
        used += reclen;
    }
    req->msg.w[0] = used;
    return ST_OK;
}

const srv_handler_t fsd_table[] = {FS_CALLS(SRV_TABLE_ENTRY)};
const char *const fsd_names[] = {FS_CALLS(SRV_NAME_ENTRY)};
const unsigned fsd_ncalls = sizeof(fsd_table) / sizeof(fsd_table[0]);
