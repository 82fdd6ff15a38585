/*
 * The file client (see native/fs.h): paths made absolute against the
 * current directory, one connection to the file server with a 64 KiB
 * shared buffer, reads and writes split into buffer-sized pieces, and
 * reconnection after the server restarts (open files of the old server are
 * gone: their calls fail with ST_INVALID_HANDLE).
 */
#include "../fs/fs_calls.h"
#include <native/file.h>
#include <native/runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static srv_conn_t conn;
static bool connected;
static char cwd[PFS_PATH_MAX] = "/";
static bool cwd_loaded;

extern char **environ;

/*
 * Connects on first use. If the file server is away (being restarted by
 * smss after a crash), waits for it a little: a restart takes a few
 * hundred milliseconds, and a program should not fail for that.
 */
static long ensure(void)
{
    long st = ST_NOT_FOUND;

    if (connected)
        return ST_OK;
    for (int i = 0; i < 150 && st == ST_NOT_FOUND; i++) {
        st = srv_connect("Fs", FS_BUFFER_SIZE, &conn);
        if (st == ST_NOT_FOUND)
            sys_sleep(20000000);
    }
    if (st == ST_OK)
        connected = true;
    return st == ST_NOT_FOUND ? ST_PEER_DIED : st;
}

static long call(uint32_t label, ipc_msg_t *m)
{
    long st = ensure();

    if (st < 0)
        return st;
    st = srv_call(&conn, label, m);
    if (st == ST_PEER_DIED || st == ST_INVALID_HANDLE) {
        srv_disconnect(&conn);
        connected = false;
    }
    return st;
}

const char *file_getcwd(void)
{
    if (!cwd_loaded) {
        cwd_loaded = true;
        for (char **e = environ; e && *e; e++) {
            if (!strncmp(*e, "PWD=/", 5))
                strlcpy(cwd, *e + 4, sizeof(cwd));
        }
    }
    return cwd;
}

long file_abspath(const char *path, char *out, size_t size)
{
    char tmp[PFS_PATH_MAX];
    size_t n = 0;

    if (!path || !*path)
        return ST_NOT_FOUND;
    if (path[0] == '/')
        n = strlcpy(tmp, path, sizeof(tmp));
    else
        n = (size_t)snprintf(tmp, sizeof(tmp), "%s/%s", file_getcwd(), path);
    if (n >= sizeof(tmp))
        return ST_NAME_TOO_LONG;
    /* Lexical clean-up: components "." vanish, "x/.." cancel out. The file
     * server resolves symbolic links itself. */
    size_t o = 0;
    out[o++] = '/';
    for (char *p = tmp; *p;) {
        while (*p == '/')
            p++;
        char *end = p;
        while (*end && *end != '/')
            end++;
        size_t len = (size_t)(end - p);
        if (len == 0)
            break;
        if (len == 1 && p[0] == '.') {
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            while (o > 1 && out[o - 1] != '/')
                o--;
            if (o > 1)
                o--;
            while (o > 1 && out[o - 1] != '/')
                o--;
        } else {
            if (o + len + 2 > size)
                return ST_NAME_TOO_LONG;
            memcpy(out + o, p, len);
            o += len;
            out[o++] = '/';
        }
        p = end;
    }
    if (o > 1)
        o--; /* no trailing '/' */
    out[o] = 0;
    /* A trailing '/' in the request means "a directory": keep it. */
    if (o > 1 && path[strlen(path) - 1] == '/' && o + 1 < size) {
        out[o++] = '/';
        out[o] = 0;
    }
    return ST_OK;
}

/* Puts the absolute form of path (and of path2, after its NUL) in the buffer. */
static long put_paths(const char *path, const char *path2)
{
    char abs[PFS_PATH_MAX];
    size_t n;
    long st = ensure();

    if (st < 0)
        return st;
    st = file_abspath(path, abs, sizeof(abs));
    if (st < 0)
        return st;
    n = strlen(abs) + 1;
    memcpy(conn.buffer, abs, n);
    if (path2) {
        st = file_abspath(path2, abs, sizeof(abs));
        if (st < 0)
            return st;
        memcpy(conn.buffer + n, abs, strlen(abs) + 1);
    }
    return ST_OK;
}

static long path_call(uint32_t label, const char *path, const char *path2, ipc_msg_t *m)
{
    long st = put_paths(path, path2);

    return st < 0 ? st : call(label, m);
}

long file_open(const char *path, uint32_t flags, uint32_t mode, file_t *f)
{
    ipc_msg_t m = {0};
    long st;

    m.w[0] = flags;
    m.w[1] = mode;
    st = path_call(FS_OPEN, path, NULL, &m);
    if (st < 0)
        return st;
    f->id = m.w[0];
    f->offset = 0;
    memcpy(&f->attr, conn.buffer, sizeof(f->attr));
    return ST_OK;
}

long file_close(file_t *f)
{
    ipc_msg_t m = {0};

    m.w[0] = f->id;
    return call(FS_CLOSE, &m);
}

long file_pread(file_t *f, uint64_t off, void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ipc_msg_t m = {0};
        m.w[0] = f->id;
        m.w[1] = off + done;
        m.w[2] = MIN_SIZE(len - done, FS_BUFFER_SIZE);
        long st = call(FS_READ, &m);
        if (st < 0)
            return done ? (long)done : st;
        memcpy((char *)buf + done, conn.buffer, m.w[0]);
        done += m.w[0];
        if (m.w[0] < m.w[2])
            break; /* end of file */
    }
    return (long)done;
}

long file_pwrite(file_t *f, uint64_t off, const void *buf, size_t len)
{
    size_t done = 0;

    if (ensure() < 0)
        return ST_PEER_DIED;
    while (done < len) {
        ipc_msg_t m = {0};
        size_t n = MIN_SIZE(len - done, FS_BUFFER_SIZE);
        memcpy(conn.buffer, (const char *)buf + done, n);
        m.w[0] = f->id;
        m.w[1] = off + done;
        m.w[2] = n;
        long st = call(FS_WRITE, &m);
        if (st < 0)
            return done ? (long)done : st;
        done += m.w[0];
        if (m.w[0] < n)
            break;
    }
    return (long)done;
}

long file_read(file_t *f, void *buf, size_t len)
{
    long n = file_pread(f, f->offset, buf, len);

    if (n > 0)
        f->offset += (uint64_t)n;
    return n;
}

long file_write(file_t *f, const void *buf, size_t len)
{
    long n = file_pwrite(f, f->offset, buf, len);

    if (n > 0)
        f->offset += (uint64_t)n;
    return n;
}

long file_fstat(file_t *f, pfs_attr_t *a)
{
    ipc_msg_t m = {0};
    long st;

    m.w[0] = f->id;
    st = call(FS_FSTAT, &m);
    if (st >= 0)
        memcpy(a, conn.buffer, sizeof(*a));
    return st;
}

static long stat_common(const char *path, pfs_attr_t *a, uint32_t flags)
{
    ipc_msg_t m = {0};
    long st;

    m.w[0] = flags;
    st = path_call(FS_STAT, path, NULL, &m);
    if (st >= 0)
        memcpy(a, conn.buffer, sizeof(*a));
    return st;
}

long file_stat(const char *path, pfs_attr_t *a)
{
    return stat_common(path, a, 0);
}

long file_lstat(const char *path, pfs_attr_t *a)
{
    return stat_common(path, a, PFS_STAT_NOFOLLOW);
}

long file_readdir(file_t *dir, uint64_t *cookie, void *buf, size_t size)
{
    ipc_msg_t m = {0};
    long st;

    m.w[0] = dir->id;
    m.w[1] = *cookie;
    m.w[2] = MIN_SIZE(size, FS_BUFFER_SIZE);
    st = call(FS_READDIR, &m);
    if (st < 0)
        return st;
    memcpy(buf, conn.buffer, m.w[0]);
    *cookie = m.w[1];
    return (long)m.w[0];
}

#define PATH_OP(fn, label, argname)                 \
    long fn(const char *argname)                    \
    {                                               \
        ipc_msg_t m = {0};                          \
        return path_call(label, argname, NULL, &m); \
    }

PATH_OP(file_unlink, FS_UNLINK, path)
PATH_OP(file_rmdir, FS_RMDIR, path)

long file_mkdir(const char *path, uint32_t mode)
{
    ipc_msg_t m = {0};

    m.w[0] = mode;
    return path_call(FS_MKDIR, path, NULL, &m);
}

long file_rename(const char *from, const char *to)
{
    ipc_msg_t m = {0};

    return path_call(FS_RENAME, from, to, &m);
}

long file_link(const char *from, const char *to)
{
    ipc_msg_t m = {0};

    return path_call(FS_LINK, from, to, &m);
}

long file_symlink(const char *target, const char *path)
{
    ipc_msg_t m = {0};
    char abs[PFS_PATH_MAX];
    size_t tn = strlen(target) + 1;
    long st = ensure();

    /* The target is stored as given, not made absolute. */
    if (st < 0)
        return st;
    if (tn > PFS_PATH_MAX)
        return ST_NAME_TOO_LONG;
    st = file_abspath(path, abs, sizeof(abs));
    if (st < 0)
        return st;
    memcpy(conn.buffer, target, tn);
    memcpy(conn.buffer + tn, abs, strlen(abs) + 1);
    return call(FS_SYMLINK, &m);
}

long file_readlink(const char *path, char *buf, size_t size)
{
    ipc_msg_t m = {0};
    long st = path_call(FS_READLINK, path, NULL, &m);

    if (st < 0)
        return st;
    size_t n = MIN_SIZE(m.w[0], size);
    memcpy(buf, conn.buffer, n);
    return (long)n;
}

long file_truncate(const char *path, uint64_t size)
{
    ipc_msg_t m = {0};

    m.w[0] = size;
    return path_call(FS_TRUNCATE_PATH, path, NULL, &m);
}

long file_ftruncate(file_t *f, uint64_t size)
{
    ipc_msg_t m = {0};

    m.w[0] = f->id;
    m.w[1] = size;
    return call(FS_TRUNCATE, &m);
}

long file_chmod(const char *path, uint32_t mode)
{
    ipc_msg_t m = {0};

    m.w[0] = mode;
    return path_call(FS_CHMOD, path, NULL, &m);
}

long file_map(file_t *f, handle_t *section, uint64_t *offset, uint64_t *size)
{
    ipc_msg_t m = {0};
    long st;

    m.w[0] = f->id;
    st = call(FS_MAP, &m);
    if (st < 0)
        return st;
    if (!(IPC_FLAGS(m.tag) & IPC_FLAG_HANDLE) || !m.w[7])
        return ST_NOT_SUPPORTED;
    *section = (handle_t)m.w[7];
    *offset = m.w[0];
    *size = m.w[1];
    return ST_OK;
}

long file_utimes(const char *path, int64_t atime_ns, int64_t mtime_ns)
{
    ipc_msg_t m = {0};

    m.w[0] = (uint64_t)atime_ns;
    m.w[1] = (uint64_t)mtime_ns;
    return path_call(FS_UTIMES, path, NULL, &m);
}

long file_statfs(const char *path, pfs_statfs_t *out)
{
    ipc_msg_t m = {0};
    long st = path_call(FS_STATFS, path, NULL, &m);

    if (st >= 0)
        memcpy(out, conn.buffer, sizeof(*out));
    return st;
}

long file_read_all(const char *path, void **data, size_t *size)
{
    file_t f;
    long st = file_open(path, PFS_O_READ, 0, &f);
    uint8_t *buf;

    if (st < 0)
        return st;
    if ((f.attr.mode & PFS_S_IFMT) == PFS_S_IFDIR) {
        file_close(&f);
        return ST_IS_DIRECTORY;
    }
    if (f.attr.size > (256ul << 20)) {
        file_close(&f);
        return ST_RANGE;
    }
    buf = malloc(f.attr.size ? f.attr.size : 1);
    if (!buf) {
        file_close(&f);
        return ST_NO_MEMORY;
    }
    st = file_pread(&f, 0, buf, f.attr.size);
    file_close(&f);
    if (st < 0) {
        free(buf);
        return st;
    }
    *data = buf;
    *size = (size_t)st;
    return ST_OK;
}

long file_chdir(const char *path)
{
    char abs[PFS_PATH_MAX];
    pfs_attr_t a;
    long st = file_abspath(path, abs, sizeof(abs));

    if (st < 0)
        return st;
    st = file_stat(abs, &a);
    if (st < 0)
        return st;
    if ((a.mode & PFS_S_IFMT) != PFS_S_IFDIR)
        return ST_NOT_DIRECTORY;
    file_getcwd();
    strlcpy(cwd, abs, sizeof(cwd));
    return ST_OK;
}
