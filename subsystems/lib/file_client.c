/*
 * The file client (see native/file.h): paths made absolute against the
 * current directory, connections to the file servers with a 64 KiB
 * shared buffer each, reads and writes split into buffer-sized pieces, and
 * reconnection after a server restarts (open files of the old server are
 * gone: their calls fail with ST_INVALID_HANDLE).
 *
 * Every path goes to the file server ("Fs") first. A path that leads into
 * a mount another server serves (the FAT server's /c) comes back as
 * ST_REDIRECT with "PORT\0REST[\0REST2]" in the buffer: the rest of each
 * path below the mount point. The call is made again there, and an open
 * file remembers which server it belongs to, and over which connection:
 * after the server restarts, the files opened before are gone (ST_IO_ERROR,
 * never another file that happens to get the same number), while path
 * calls are simply made again on a new connection (a call the dead server
 * never answered left nothing durable behind).
 */
#include "../fs/fs_calls.h"
#include <native/file.h>
#include <native/runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVERS             4
#define PORT_MAX            24
#define MAX_HOPS            4
#define FILE_DEV_PER_SERVER 256

typedef struct fs_server {
    char port[PORT_MAX]; /* "" : a free slot */
    srv_conn_t conn;
    bool connected;
    uint32_t gen; /* connections made so far: files remember theirs */
} fs_server_t;

static fs_server_t servers[SERVERS] = {{.port = "Fs"}};
static char cwd[PFS_PATH_MAX] = "/";
static bool cwd_loaded;

extern char **environ;

/*
 * Connects on first use. If the server is away (being restarted by smss
 * after a crash), waits for it a little: a restart takes a few hundred
 * milliseconds, and a program should not fail for that.
 */
static long ensure(unsigned i)
{
    fs_server_t *s = &servers[i];
    long st = ST_NOT_FOUND;

    if (s->connected)
        return ST_OK;
    for (int n = 0; n < 150 && st == ST_NOT_FOUND; n++) {
        st = srv_connect(s->port, FS_BUFFER_SIZE, &s->conn);
        if (st == ST_NOT_FOUND)
            sys_sleep(20000000);
    }
    if (st == ST_OK) {
        s->connected = true;
        s->gen++;
    }
    return st == ST_NOT_FOUND ? ST_PEER_DIED : st;
}

static long call(unsigned i, uint32_t label, ipc_msg_t *m)
{
    long st = ensure(i);

    if (st < 0)
        return st;
    st = srv_call(&servers[i].conn, label, m);
    if (st == ST_PEER_DIED) {
        srv_disconnect(&servers[i].conn);
        servers[i].connected = false;
    }
    return st;
}

static uint8_t *buffer(unsigned i)
{
    return servers[i].conn.buffer;
}

/* The slot of the server on port, added if new; -1 when all are taken. */
static int server_slot(const char *port)
{
    int free_slot = -1;

    for (int i = 0; i < SERVERS; i++) {
        if (!strcmp(servers[i].port, port))
            return i;
        if (!servers[i].port[0] && free_slot < 0)
            free_slot = i;
    }
    if (free_slot >= 0 && strlen(port) < PORT_MAX)
        strlcpy(servers[free_slot].port, port, PORT_MAX);
    else
        free_slot = -1;
    return free_slot;
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

/*
 * Makes path absolute in out, without empty or "." components; with
 * lexical set, "x/.." pairs cancel out too, which only a path already
 * known to name a directory may have done to it.
 */
static long absolute(const char *path, char *out, size_t size, bool lexical)
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
        bool dotdot = len == 2 && p[0] == '.' && p[1] == '.';
        if (len == 1 && p[0] == '.') {
        } else if (dotdot && o == 1) {
            /* the root is its own parent */
        } else if (dotdot && lexical) {
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

/* Mount points learnt from redirects: paths below one go straight to its
 * server. Only the boot file server's remote mounts are learnt, and only
 * when the path reached them without a symbolic link. */
#define MOUNTS 4
static struct {
    char path[64]; /* "" : free */
    unsigned server;
} mounts[MOUNTS];

/* The length of the mount point path lies under, or 0. */
static size_t under(const char *path, const char *mount)
{
    size_t n = strlen(mount);

    if (!n || strncmp(path, mount, n) || (path[n] != '/' && path[n] != 0))
        return 0;
    return n;
}

/* Whether path has a ".." component. */
static bool has_dotdot(const char *path)
{
    for (const char *s = strstr(path, ".."); s; s = strstr(s + 1, ".."))
        if ((s == path || s[-1] == '/') && (s[2] == '/' || s[2] == 0))
            return true;
    return false;
}

/* Rewrites p (an absolute path) relative to a learnt mount point; the
 * server slot, or -1 when p lies under none. A path with ".." is left to
 * the boot file server: it may climb back out of the mount. */
static int learnt(char *p, size_t size)
{
    if (has_dotdot(p))
        return -1;
    for (unsigned k = 0; k < MOUNTS; k++) {
        size_t n = under(p, mounts[k].path);
        if (!n)
            continue;
        if (!p[n])
            strlcpy(p, "/", size);
        else
            memmove(p, p + n, strlen(p + n) + 1);
        return (int)mounts[k].server;
    }
    return -1;
}

/* After a redirect of p to server: remember the mount point if p is it or
 * lies lexically below it with exactly rest left (no symbolic link). */
static void learn(const char *p, const char *rest, const char *mount, unsigned server)
{
    size_t n = under(p, mount);
    unsigned free_slot = MOUNTS;

    if (!n || n >= sizeof(mounts[0].path) || strcmp(p[n] ? p + n + 1 : p + n, rest))
        return;
    for (unsigned k = 0; k < MOUNTS; k++) {
        if (!strcmp(mounts[k].path, mount))
            return;
        if (!mounts[k].path[0] && free_slot == MOUNTS)
            free_slot = k;
    }
    if (free_slot < MOUNTS) {
        strlcpy(mounts[free_slot].path, mount, sizeof(mounts[0].path));
        mounts[free_slot].server = server;
    }
}

long file_abspath(const char *path, char *out, size_t size)
{
    return absolute(path, out, size, false);
}

/*
 * A call naming paths, following redirects. lit is a string passed as it
 * is (a symbolic link's target), put first; path and path2 are resolved
 * paths (path2 may be NULL). *srv says which server answered.
 */
static long paths_call(uint32_t label, const char *lit, const char *path, const char *path2,
                       ipc_msg_t *m, unsigned *srv)
{
    char p1[PFS_PATH_MAX], p2[PFS_PATH_MAX];
    ipc_msg_t in = *m;
    unsigned i = 0;
    int retries = 0;
    long st;

    st = file_abspath(path, p1, sizeof(p1));
    if (st == ST_OK && path2)
        st = file_abspath(path2, p2, sizeof(p2));
    if (st < 0)
        return st;
    /* Both paths under the same learnt mount: straight there. */
    char q1[PFS_PATH_MAX], q2[PFS_PATH_MAX];
    strlcpy(q1, p1, sizeof(q1));
    strlcpy(q2, path2 ? p2 : "", sizeof(q2));
    int s1 = learnt(q1, sizeof(q1)), s2 = path2 ? learnt(q2, sizeof(q2)) : s1;
    if (s1 >= 0 && s1 == s2) {
        i = (unsigned)s1;
        strlcpy(p1, q1, sizeof(p1));
        if (path2)
            strlcpy(p2, q2, sizeof(p2));
    }
    for (int hop = 0; hop < MAX_HOPS; hop++) {
        size_t n1 = strlen(p1) + 1, n2 = path2 ? strlen(p2) + 1 : 0, nl = lit ? strlen(lit) + 1 : 0;
        st = ensure(i);
        if (st < 0)
            return st;
        if (nl + n1 + n2 > FS_BUFFER_SIZE)
            return ST_NAME_TOO_LONG;
        uint8_t *b = buffer(i);
        memcpy(b, lit, nl);
        memcpy(b + nl, p1, n1);
        memcpy(b + nl + n1, p2, n2);
        *m = in;
        st = call(i, label, m);
        if (st == ST_PEER_DIED && retries++ == 0) {
            hop--; /* the server went away (restarted?): once more, afresh */
            continue;
        }
        *srv = i;
        if (st != ST_REDIRECT)
            return st;
        /* "PORT\0REST\0[REST2\0]MOUNT\0": the same call, there, on "/REST". */
        b = buffer(i);
        const char *port = (const char *)b;
        size_t pn = strnlen(port, PORT_MAX);
        if (pn == 0 || pn >= PORT_MAX)
            return ST_IO_ERROR;
        const char *rest = port + pn + 1;
        size_t rn = strnlen(rest, PFS_PATH_MAX - 1);
        const char *after = rest + rn + 1, *rest2 = NULL;
        if (path2) {
            rest2 = after;
            after = rest2 + strnlen(rest2, PFS_PATH_MAX - 1) + 1;
        }
        int next = server_slot(port);
        if (next < 0)
            return ST_LIMIT;
        if (i == 0 && !path2)
            learn(p1, rest, after, (unsigned)next);
        snprintf(p1, sizeof(p1), "/%.*s", (int)rn, rest);
        if (path2)
            snprintf(p2, sizeof(p2), "/%.*s", (int)strnlen(rest2, PFS_PATH_MAX - 1), rest2);
        i = (unsigned)next;
    }
    return ST_LIMIT; /* a loop of redirects */
}

/* The attributes a server answered with. Each server numbers its own
 * devices from 1: the server's slot makes them unique here, so that two
 * files are on one file system exactly when their dev is the same. */
static void get_attr(unsigned srv, pfs_attr_t *a)
{
    memcpy(a, buffer(srv), sizeof(*a));
    a->dev += (uint64_t)srv * FILE_DEV_PER_SERVER;
}

static long path_call(uint32_t label, const char *path, const char *path2, ipc_msg_t *m,
                      unsigned *srv)
{
    return paths_call(label, NULL, path, path2, m, srv);
}

long file_open(const char *path, uint32_t flags, uint32_t mode, file_t *f)
{
    ipc_msg_t m = {0};
    unsigned srv;
    long st;

    m.w[0] = flags;
    m.w[1] = mode;
    st = path_call(FS_OPEN, path, NULL, &m, &srv);
    if (st < 0)
        return st;
    f->id = m.w[0];
    f->server = srv;
    f->gen = servers[srv].gen;
    f->offset = 0;
    get_attr(srv, &f->attr);
    return ST_OK;
}

/* A call about an open file, to its server; ST_IO_ERROR if the server
 * that opened it is gone. */
static long file_call(file_t *f, uint32_t label, ipc_msg_t *m)
{
    fs_server_t *s = &servers[f->server < SERVERS ? f->server : 0];

    if (f->server >= SERVERS || !s->port[0])
        return ST_INVALID_HANDLE;
    if (!s->connected || s->gen != f->gen)
        return ST_IO_ERROR;
    m->w[0] = f->id;
    long st = call(f->server, label, m);
    return st == ST_PEER_DIED ? ST_IO_ERROR : st;
}

long file_close(file_t *f)
{
    ipc_msg_t m = {0};

    return file_call(f, FS_CLOSE, &m);
}

long file_pread(file_t *f, uint64_t off, void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        void *data;
        size_t want = MIN_SIZE(len - done, FS_BUFFER_SIZE);
        long got = file_pread_view(f, off + done, want, &data);
        if (got < 0)
            return done ? (long)done : got;
        memcpy((char *)buf + done, data, (size_t)got);
        done += (size_t)got;
        if ((size_t)got < want)
            break; /* end of file */
    }
    return (long)done;
}

long file_pread_view(file_t *f, uint64_t off, size_t len, void **data)
{
    ipc_msg_t m = {0};

    m.w[1] = off;
    m.w[2] = MIN_SIZE(len, FS_BUFFER_SIZE);
    long st = file_call(f, FS_READ, &m);
    if (st < 0)
        return st;
    *data = buffer(f->server);
    return (long)MIN_SIZE(m.w[0], m.w[2]);
}

long file_write_view(file_t *f, void **buf, size_t *size)
{
    if (f->server >= SERVERS || !servers[f->server].port[0])
        return ST_INVALID_HANDLE;
    if (!servers[f->server].connected || servers[f->server].gen != f->gen)
        return ST_IO_ERROR;
    *buf = buffer(f->server);
    *size = FS_BUFFER_SIZE;
    return ST_OK;
}

long file_pwrite_view(file_t *f, uint64_t off, size_t n)
{
    ipc_msg_t m = {0};

    m.w[1] = off;
    m.w[2] = MIN_SIZE(n, FS_BUFFER_SIZE);
    long st = file_call(f, FS_WRITE, &m);
    return st < 0 ? st : (long)MIN_SIZE(m.w[0], m.w[2]);
}

long file_pwrite(file_t *f, uint64_t off, const void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        void *to;
        size_t size;
        long st = file_write_view(f, &to, &size);
        if (st < 0)
            return done ? (long)done : st;
        size_t n = MIN_SIZE(len - done, size);
        memcpy(to, (const char *)buf + done, n);
        long put = file_pwrite_view(f, off + done, n);
        if (put < 0)
            return done ? (long)done : put;
        done += (size_t)put;
        if ((size_t)put < n)
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
    long st = file_call(f, FS_FSTAT, &m);

    if (st >= 0)
        get_attr(f->server, a);
    return st;
}

long file_fsync(file_t *f)
{
    ipc_msg_t m = {0};

    return file_call(f, FS_FSYNC, &m);
}

static long stat_common(const char *path, pfs_attr_t *a, uint32_t flags)
{
    ipc_msg_t m = {0};
    unsigned srv;
    long st;

    m.w[0] = flags;
    st = path_call(FS_STAT, path, NULL, &m, &srv);
    if (st >= 0)
        get_attr(srv, a);
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

    m.w[1] = *cookie;
    m.w[2] = MIN_SIZE(size, FS_BUFFER_SIZE);
    st = file_call(dir, FS_READDIR, &m);
    if (st < 0)
        return st;
    size_t n = MIN_SIZE(m.w[0], m.w[2]);
    memcpy(buf, buffer(dir->server), n);
    *cookie = m.w[1];
    return (long)n;
}

/* A path call whose answer is only a status. */
static long path_op(uint32_t label, const char *path, const char *path2, uint64_t w0, uint64_t w1)
{
    ipc_msg_t m = {0};
    unsigned srv;

    m.w[0] = w0;
    m.w[1] = w1;
    return path_call(label, path, path2, &m, &srv);
}

long file_unlink(const char *path)
{
    return path_op(FS_UNLINK, path, NULL, 0, 0);
}

long file_rmdir(const char *path)
{
    return path_op(FS_RMDIR, path, NULL, 0, 0);
}

long file_mkdir(const char *path, uint32_t mode)
{
    return path_op(FS_MKDIR, path, NULL, mode, 0);
}

long file_mknod(const char *path, uint32_t mode)
{
    return path_op(FS_MKNOD, path, NULL, mode, 0);
}

long file_rename(const char *from, const char *to)
{
    return path_op(FS_RENAME, from, to, 0, 0);
}

long file_link(const char *from, const char *to)
{
    return path_op(FS_LINK, from, to, 0, 0);
}

long file_symlink(const char *target, const char *path)
{
    ipc_msg_t m = {0};
    unsigned srv;

    /* The target is stored as given, not made absolute. */
    if (strlen(target) + 1 > PFS_PATH_MAX)
        return ST_NAME_TOO_LONG;
    return paths_call(FS_SYMLINK, target, path, NULL, &m, &srv);
}

long file_readlink(const char *path, char *buf, size_t size)
{
    ipc_msg_t m = {0};
    unsigned srv;
    long st = path_call(FS_READLINK, path, NULL, &m, &srv);

    if (st < 0)
        return st;
    size_t n = MIN_SIZE(MIN_SIZE(m.w[0], size), FS_BUFFER_SIZE);
    memcpy(buf, buffer(srv), n);
    return (long)n;
}

long file_truncate(const char *path, uint64_t size)
{
    return path_op(FS_TRUNCATE_PATH, path, NULL, size, 0);
}

long file_ftruncate(file_t *f, uint64_t size)
{
    ipc_msg_t m = {0};

    m.w[1] = size;
    return file_call(f, FS_TRUNCATE, &m);
}

long file_chmod(const char *path, uint32_t mode)
{
    return path_op(FS_CHMOD, path, NULL, mode, 0);
}

long file_map(file_t *f, handle_t *section, uint64_t *offset, uint64_t *size)
{
    ipc_msg_t m = {0};
    long st = file_call(f, FS_MAP, &m);

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
    return path_op(FS_UTIMES, path, NULL, (uint64_t)atime_ns, (uint64_t)mtime_ns);
}

long file_statfs(const char *path, pfs_statfs_t *out)
{
    ipc_msg_t m = {0};
    unsigned srv;
    long st = path_call(FS_STATFS, path, NULL, &m, &srv);

    if (st >= 0)
        memcpy(out, buffer(srv), sizeof(*out));
    return st;
}

long file_mounts(void *buf, size_t size)
{
    ipc_msg_t m = {0};
    long st;

    m.w[0] = MIN_SIZE(size, FS_BUFFER_SIZE);
    st = call(0, FS_MOUNTS, &m);
    if (st == ST_PEER_DIED) { /* restarted: once more, afresh */
        m.w[0] = MIN_SIZE(size, FS_BUFFER_SIZE);
        st = call(0, FS_MOUNTS, &m);
    }
    if (st < 0)
        return st;
    size_t n = MIN_SIZE(m.w[0], MIN_SIZE(size, FS_BUFFER_SIZE));
    memcpy(buf, buffer(0), n);
    return (long)n;
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

/* The directory is found by the server (so "file/.." fails); the name
 * kept is then the lexical one, as a shell's logical "cd" keeps it. */
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
    char name[PFS_PATH_MAX];
    st = absolute(abs, name, sizeof(name), true);
    if (st < 0)
        return st;
    size_t n = strlen(name);
    if (n > 1 && name[n - 1] == '/')
        name[n - 1] = 0;
    file_getcwd();
    strlcpy(cwd, name, sizeof(cwd));
    return ST_OK;
}
