/*
 * File system calls: descriptors, reading and writing, paths, metadata,
 * directories, pipes.
 */
#include "psx.h"
#include <stdlib.h>
#include <native/console.h>
#include <string.h>

#define FD(c, i) ((long)(int)(c)->a[i])
#define USER_END 0x00007FFFFFFFF000ull

/* An open of a FIFO may wait for the other side: the thread keeps the end
 * meanwhile, and the call, run again when the pipe changes, goes on from
 * there. */
static long do_open(psx_thread_t *t, long dirfd, uint64_t upath, uint64_t flags, uint64_t mode)
{
    char path[PSX_PATH_MAX];
    psx_file_t *f = t->pending_open;
    long st;

    t->pending_open = NULL;
    t->wait = W_NONE; /* what the end's release wakes is not this call */
    if (!f) {
        st = psx_path(t->proc, dirfd, upath, path, false);
        if (st < 0)
            return st;
        st = psx_open_path(t->proc, path, (uint32_t)flags, (uint32_t)mode, &f);
        if (st < 0)
            return st;
    }
    if (psx_fifo_must_wait(f)) {
        if (t->interrupted) {
            psx_file_unref(f);
            return -L_EINTR;
        }
        t->pending_open = f;
        t->wait = W_PIPE;
        t->wait_obj = f->pipe;
        return PSX_DEFER;
    }
    st = psx_fd_install(t->proc, f, 0, flags & L_O_CLOEXEC);
    psx_file_unref(f);
    return st;
}

long psx_sys_open(psx_thread_t *t, psx_call_t *c)
{
    return do_open(t, L_AT_FDCWD, c->a[0], c->a[1], c->a[2]);
}

long psx_sys_openat(psx_thread_t *t, psx_call_t *c)
{
    return do_open(t, FD(c, 0), c->a[1], c->a[2], c->a[3]);
}

long psx_sys_creat(psx_thread_t *t, psx_call_t *c)
{
    return do_open(t, L_AT_FDCWD, c->a[0], L_O_CREAT | L_O_WRONLY | L_O_TRUNC, c->a[1]);
}

long psx_sys_close(psx_thread_t *t, psx_call_t *c)
{
    return psx_fd_close(t->proc, FD(c, 0));
}

static long rw(psx_thread_t *t, long fd, uint64_t buf, uint64_t len, int64_t off, bool write)
{
    psx_file_t *f = psx_fd_get(t->proc, fd);
    uint32_t acc;

    if (!f)
        return -L_EBADF;
    acc = f->flags & L_O_ACCMODE;
    if (write ? acc == L_O_RDONLY : acc == L_O_WRONLY)
        return -L_EBADF;
    if ((int64_t)len < 0)
        return -L_EINVAL;
    if (off != -1 && (off < 0 || !f->ops->seekable))
        return off < 0 ? -L_EINVAL : -L_ESPIPE;
    if (write ? !f->ops->write : !f->ops->read)
        return f->is_dir ? -L_EISDIR : -L_EINVAL;
    if (len && (buf >= USER_END || len > USER_END - buf))
        return -L_EFAULT;
    return write ? f->ops->write(f, t, buf, len, off) : f->ops->read(f, t, buf, len, off);
}

long psx_sys_read(psx_thread_t *t, psx_call_t *c)
{
    return rw(t, FD(c, 0), c->a[1], c->a[2], -1, false);
}

long psx_sys_write(psx_thread_t *t, psx_call_t *c)
{
    return rw(t, FD(c, 0), c->a[1], c->a[2], -1, true);
}

long psx_sys_pread64(psx_thread_t *t, psx_call_t *c)
{
    return rw(t, FD(c, 0), c->a[1], c->a[2], (int64_t)c->a[3] < 0 ? -2 : (int64_t)c->a[3], false);
}

long psx_sys_pwrite64(psx_thread_t *t, psx_call_t *c)
{
    return rw(t, FD(c, 0), c->a[1], c->a[2], (int64_t)c->a[3] < 0 ? -2 : (int64_t)c->a[3], true);
}

/* readv/writev and their positional forms: one piece at a time; a piece
 * that would wait makes the whole call wait only if nothing was
 * transferred yet. off is -1 for the file's offset, else where to start
 * (pieces follow each other from there, the offset left alone). */
static long rwv(psx_thread_t *t, psx_call_t *c, int64_t off, bool write)
{
    long fd = FD(c, 0), total = 0;
    uint64_t iovcnt = c->a[2];

    if (iovcnt > 1024)
        return -L_EINVAL;
    if (!psx_fd_get(t->proc, fd))
        return -L_EBADF;
    for (uint64_t i = 0; i < iovcnt; i++) {
        l_iovec_t v;
        if (psx_read(t->proc, c->a[1] + i * sizeof(v), &v, sizeof(v)) < 0)
            return total ? total : -L_EFAULT;
        if (!v.len)
            continue;
        /* Each piece starts afresh; one that has to wait after a part of
         * the call was done ends the call with what was done. */
        uint64_t before = c->progress;
        c->progress = 0;
        long r = rw(t, fd, v.base, v.len, off < 0 ? off : off + total, write);
        if (r == PSX_DEFER && (total || c->progress)) {
            t->wait = W_NONE;
            return total + (long)c->progress;
        }
        if (r == PSX_DEFER) {
            c->progress = before;
            return PSX_DEFER;
        }
        if (r < 0)
            return total ? total : r;
        total += r;
        if ((uint64_t)r < v.len)
            break;
    }
    return total;
}

long psx_sys_readv(psx_thread_t *t, psx_call_t *c)
{
    return rwv(t, c, -1, false);
}

long psx_sys_writev(psx_thread_t *t, psx_call_t *c)
{
    return rwv(t, c, -1, true);
}

/* The offset of preadv/pwritev: a[3] holds all of it on x86_64 (a[4], its
 * high half for 32-bit callers, adds nothing); a negative one is EINVAL. */
static int64_t vec_offset(psx_call_t *c)
{
    return (int64_t)c->a[3] < 0 ? -2 : (int64_t)c->a[3];
}

long psx_sys_preadv(psx_thread_t *t, psx_call_t *c)
{
    return rwv(t, c, vec_offset(c), false);
}

long psx_sys_pwritev(psx_thread_t *t, psx_call_t *c)
{
    return rwv(t, c, vec_offset(c), true);
}

/* preadv2/pwritev2: offset -1 is the file's offset, as readv/writev; no
 * RWF_* flag is supported. */
static long rwv2(psx_thread_t *t, psx_call_t *c, bool write)
{
    static bool logged;

    if (c->a[5]) {
        if (!logged)
            printf("posix: %s: %s flags %#llx are not supported: EOPNOTSUPP\n", t->proc->comm,
                   write ? "pwritev2" : "preadv2", (unsigned long long)c->a[5]);
        logged = true;
        return -L_ENOTSUP;
    }
    return rwv(t, c, (int64_t)c->a[3] == -1 ? -1 : vec_offset(c), write);
}

long psx_sys_preadv2(psx_thread_t *t, psx_call_t *c)
{
    return rwv2(t, c, false);
}

long psx_sys_pwritev2(psx_thread_t *t, psx_call_t *c)
{
    return rwv2(t, c, true);
}

long psx_sys_lseek(psx_thread_t *t, psx_call_t *c)
{
    psx_file_t *f = psx_fd_get(t->proc, FD(c, 0));
    int64_t off = (int64_t)c->a[1], base;

    if (!f)
        return -L_EBADF;
    if (!f->ops->seekable)
        return -L_ESPIPE;
    switch (c->a[2]) {
    case 0:
        base = 0;
        break;
    case 1:
        base = (int64_t)f->offset;
        break;
    case 2: {
        l_stat_t st;
        if (f->ops->stat(f, &st) < 0)
            return -L_EIO;
        base = f->data ? (int64_t)f->size : st.st_size;
        break;
    }
    default:
        return -L_EINVAL;
    }
    if (base + off < 0)
        return -L_EINVAL;
    f->offset = (uint64_t)(base + off);
    if (f->is_dir && f->offset == 0) {
        f->dir_cookie = 0;
        f->dirbuf_len = f->dirbuf_pos = 0;
        f->dir_done = f->dir_extras = false;
    }
    return (long)f->offset;
}

static long do_dup(psx_thread_t *t, long old, long new, uint64_t flags, bool dup3)
{
    psx_proc_t *p = t->proc;
    psx_file_t *f = psx_fd_get(p, old);

    if (!f)
        return -L_EBADF;
    if (flags & ~(uint64_t)L_O_CLOEXEC)
        return -L_EINVAL;
    if (new < 0 || new >= psx_fd_limit(p))
        return -L_EBADF;
    if (old == new)
        return dup3 ? -L_EINVAL : new;
    if (p->fds[new].file)
        psx_fd_close(p, new);
    psx_file_ref(f);
    p->fds[new].file = f;
    p->fds[new].cloexec = flags & L_O_CLOEXEC;
    return new;
}

long psx_sys_dup(psx_thread_t *t, psx_call_t *c)
{
    psx_file_t *f = psx_fd_get(t->proc, FD(c, 0));

    return f ? psx_fd_install(t->proc, f, 0, false) : -L_EBADF;
}

long psx_sys_dup2(psx_thread_t *t, psx_call_t *c)
{
    return do_dup(t, FD(c, 0), FD(c, 1), 0, false);
}

long psx_sys_dup3(psx_thread_t *t, psx_call_t *c)
{
    return do_dup(t, FD(c, 0), FD(c, 1), c->a[2], true);
}

long psx_sys_fcntl(psx_thread_t *t, psx_call_t *c)
{
    psx_proc_t *p = t->proc;
    long fd = FD(c, 0);
    psx_file_t *f = psx_fd_get(p, fd);

    if (!f)
        return -L_EBADF;
    switch (c->a[1]) {
    case L_F_DUPFD:
    case L_F_DUPFD_CLOEXEC:
        if ((long)c->a[2] < 0 || (long)c->a[2] >= psx_fd_limit(p))
            return -L_EINVAL;
        return psx_fd_install(p, f, (long)c->a[2], c->a[1] == L_F_DUPFD_CLOEXEC);
    case L_F_GETFD:
        return p->fds[fd].cloexec ? L_FD_CLOEXEC : 0;
    case L_F_SETFD:
        p->fds[fd].cloexec = c->a[2] & L_FD_CLOEXEC;
        return 0;
    case L_F_GETFL:
        return f->flags;
    case L_F_SETFL:
        f->flags = (f->flags & L_O_ACCMODE) | ((uint32_t)c->a[2] & (L_O_APPEND | L_O_NONBLOCK));
        return 0;
    case L_F_GETLK: {
        /* No other process holds locks here: report the region unlocked. */
        int16_t type = 2; /* F_UNLCK */
        return psx_write(p, c->a[2], &type, sizeof(type));
    }
    case L_F_SETLK:
    case L_F_SETLKW:
        return 0; /* advisory locks always granted: one user, no contention */
    default:
        return -L_EINVAL;
    }
}

long psx_sys_ioctl(psx_thread_t *t, psx_call_t *c)
{
    psx_file_t *f = psx_fd_get(t->proc, FD(c, 0));

    if (!f)
        return -L_EBADF;
    if (c->a[1] == L_FIONBIO) {
        int32_t on;
        if (psx_read(t->proc, c->a[2], &on, 4) < 0)
            return -L_EFAULT;
        f->flags = on ? f->flags | L_O_NONBLOCK : f->flags & ~(uint32_t)L_O_NONBLOCK;
        return 0;
    }
    return f->ops->ioctl ? f->ops->ioctl(f, t, c->a[1], c->a[2]) : -L_ENOTTY;
}

/* ---- metadata ---- */

static long stat_path(psx_thread_t *t, const char *path, bool follow, l_stat_t *st)
{
    pfs_attr_t a;
    psx_file_t *f;
    long err;

    /* Made-up files first (/dev, /proc); /proc's links as links. */
    extern psx_file_t *psx_dev_open(psx_proc_t *, const char *, uint32_t, long *);
    char target[PSX_PATH_MAX];
    if (psx_proc_readlink(t->proc, path, target, sizeof(target), &err)) {
        if (err < 0)
            return err;
        if (follow && target[0] == '/' && strncmp(target, "/proc/", 6))
            return stat_path(t, target, true, st);
        if (follow && strcmp(path, "/proc/self"))
            return -L_ENOENT; /* a pipe's "pipe:" names no file */
        if (follow)
            goto made_up; /* /proc/self: the process's directory */
        memset(st, 0, sizeof(*st));
        st->st_mode = 0120777;
        st->st_nlink = 1;
        st->st_size = err;
        return 0;
    }
made_up:
    f = psx_dev_open(t->proc, path, L_O_RDONLY, &err);
    if (f) {
        err = f->ops->stat(f, st);
        psx_file_unref(f);
        return err;
    }
    if (err && strncmp(path, "/proc/", 6))
        return err;
    if (!strcmp(path, "/proc") || !strcmp(path, "/dev") || !strncmp(path, "/proc/", 6)) {
        memset(st, 0, sizeof(*st));
        st->st_mode = 040555;
        st->st_nlink = 2;
        if (!err)
            return 0;
        return err;
    }
    err = follow ? file_stat(path, &a) : file_lstat(path, &a);
    if (err < 0)
        return psx_errno(err);
    psx_attr_to_stat(&a, st);
    return 0;
}

static long do_fstatat(psx_thread_t *t, long dirfd, uint64_t upath, uint64_t ubuf, uint64_t flags)
{
    char path[PSX_PATH_MAX];
    l_stat_t st;
    long r;

    if (flags & ~(uint64_t)(L_AT_SYMLINK_NOFOLLOW | L_AT_EMPTY_PATH | 0x800))
        return -L_EINVAL;
    if (flags & L_AT_EMPTY_PATH) {
        char first = 0;
        if (psx_read(t->proc, upath, &first, 1) < 0)
            return -L_EFAULT;
        if (!first) {
            psx_file_t *f = psx_fd_get(t->proc, dirfd);
            if ((int)dirfd == L_AT_FDCWD)
                r = stat_path(t, t->proc->cwd, true, &st);
            else if (!f)
                return -L_EBADF;
            else
                r = f->ops->stat(f, &st);
            if (r < 0)
                return r;
            return psx_write(t->proc, ubuf, &st, sizeof(st));
        }
    }
    r = psx_path(t->proc, dirfd, upath, path, false);
    if (r < 0)
        return r;
    r = stat_path(t, path, !(flags & L_AT_SYMLINK_NOFOLLOW), &st);
    if (r < 0)
        return r;
    return psx_write(t->proc, ubuf, &st, sizeof(st));
}

long psx_sys_stat(psx_thread_t *t, psx_call_t *c)
{
    return do_fstatat(t, L_AT_FDCWD, c->a[0], c->a[1], 0);
}

long psx_sys_lstat(psx_thread_t *t, psx_call_t *c)
{
    return do_fstatat(t, L_AT_FDCWD, c->a[0], c->a[1], L_AT_SYMLINK_NOFOLLOW);
}

long psx_sys_newfstatat(psx_thread_t *t, psx_call_t *c)
{
    return do_fstatat(t, FD(c, 0), c->a[1], c->a[2], c->a[3]);
}

long psx_sys_fstat(psx_thread_t *t, psx_call_t *c)
{
    psx_file_t *f = psx_fd_get(t->proc, FD(c, 0));
    l_stat_t st;
    long r;

    if (!f)
        return -L_EBADF;
    r = f->ops->stat ? f->ops->stat(f, &st) : -L_EINVAL;
    if (r < 0)
        return r;
    return psx_write(t->proc, c->a[1], &st, sizeof(st));
}

long psx_sys_statx(psx_thread_t *t, psx_call_t *c)
{
    l_stat_t st;
    l_statx_t sx;
    long dirfd = FD(c, 0), r;
    char path[PSX_PATH_MAX];
    char first = 0;

    if (c->a[2] & ~(uint64_t)(L_AT_SYMLINK_NOFOLLOW | L_AT_EMPTY_PATH | 0x800 | 0x6000))
        return -L_EINVAL;
    if (psx_read(t->proc, c->a[1], &first, 1) < 0)
        return -L_EFAULT;
    if (!first && (c->a[2] & L_AT_EMPTY_PATH)) {
        psx_file_t *f = psx_fd_get(t->proc, dirfd);
        if (!f)
            return -L_EBADF;
        r = f->ops->stat(f, &st);
    } else {
        r = psx_path(t->proc, dirfd, c->a[1], path, false);
        if (r == 0)
            r = stat_path(t, path, !(c->a[2] & L_AT_SYMLINK_NOFOLLOW), &st);
    }
    if (r < 0)
        return r;
    memset(&sx, 0, sizeof(sx));
    sx.stx_mask = 0x7ff; /* STATX_BASIC_STATS */
    sx.stx_blksize = (uint32_t)st.st_blksize;
    sx.stx_nlink = (uint32_t)st.st_nlink;
    sx.stx_mode = (uint16_t)st.st_mode;
    sx.stx_ino = st.st_ino;
    sx.stx_size = (uint64_t)st.st_size;
    sx.stx_blocks = (uint64_t)st.st_blocks;
    sx.stx_atime.tv_sec = (int64_t)st.st_atime;
    sx.stx_atime.tv_nsec = (uint32_t)st.st_atime_nsec;
    sx.stx_mtime.tv_sec = (int64_t)st.st_mtime;
    sx.stx_mtime.tv_nsec = (uint32_t)st.st_mtime_nsec;
    sx.stx_ctime.tv_sec = (int64_t)st.st_ctime;
    sx.stx_ctime.tv_nsec = (uint32_t)st.st_ctime_nsec;
    sx.stx_dev_minor = (uint32_t)st.st_dev;
    sx.stx_rdev_major = (uint32_t)(st.st_rdev >> 8);
    sx.stx_rdev_minor = (uint32_t)(st.st_rdev & 0xff);
    return psx_write(t->proc, c->a[4], &sx, sizeof(sx));
}

static long do_access(psx_thread_t *t, long dirfd, uint64_t upath, uint64_t mode, uint64_t flags)
{
    char path[PSX_PATH_MAX];
    l_stat_t st;
    long r;

    if (mode & ~7ull)
        return -L_EINVAL;
    if (flags & ~(uint64_t)(L_AT_SYMLINK_NOFOLLOW | 0x200 /* AT_EACCESS */ | L_AT_EMPTY_PATH))
        return -L_EINVAL;
    r = psx_path(t->proc, dirfd, upath, path, flags & L_AT_EMPTY_PATH);
    if (r < 0)
        return r;
    r = stat_path(t, path, !(flags & L_AT_SYMLINK_NOFOLLOW), &st);
    if (r < 0)
        return r;
    /* One user, who owns everything: only the x bit can be missing. */
    if ((mode & 1) && !(st.st_mode & 0111) && (st.st_mode & 0170000) != 040000)
        return -L_EACCES;
    if ((mode & 2) && !strncmp(path, "/proc", 5))
        return -L_EROFS;
    return 0;
}

long psx_sys_access(psx_thread_t *t, psx_call_t *c)
{
    return do_access(t, L_AT_FDCWD, c->a[0], c->a[1], 0);
}

long psx_sys_faccessat(psx_thread_t *t, psx_call_t *c)
{
    return do_access(t, FD(c, 0), c->a[1], c->a[2], 0);
}

long psx_sys_faccessat2(psx_thread_t *t, psx_call_t *c)
{
    return do_access(t, FD(c, 0), c->a[1], c->a[2], c->a[3]);
}

/* ---- directories ---- */

/* Entries go out only from the file server's batch in hand (a new batch
 * is fetched only before the first), so that a copy that fails leaves the
 * directory where it was: every entry is given out again next time. */
long psx_sys_getdents64(psx_thread_t *t, psx_call_t *c)
{
    psx_file_t *f = psx_fd_get(t->proc, FD(c, 0));
    uint64_t ubuf = c->a[1], size = c->a[2], used = 0, offset;
    size_t first = 0;
    uint8_t *out;

    if (!f)
        return -L_EBADF;
    if (!f->is_dir)
        return -L_ENOTDIR;
    if (size > (1u << 20))
        size = 1u << 20;
    if (ubuf >= USER_END || size > USER_END - ubuf)
        return -L_EFAULT;
    out = malloc(size ? size : 1);
    if (!out)
        return -L_ENOMEM;
    if (!f->dirbuf && !(f->dirbuf = malloc(PSX_DIRBUF))) {
        free(out);
        return -L_ENOMEM;
    }
    offset = f->offset;
    for (;;) {
        if (f->dirbuf_pos >= f->dirbuf_len) {
            if (f->dir_done || used)
                break;
            long n = psx_dir_fetch(f);
            if (n < 0) {
                free(out);
                return n;
            }
            f->dirbuf_len = (size_t)n;
            f->dirbuf_pos = 0;
            if (!n)
                break;
        }
        pfs_dirent_t *d = (pfs_dirent_t *)(f->dirbuf + f->dirbuf_pos);
        size_t reclen = (19 + d->namelen + 1 + 7) & ~(size_t)7;
        if (used + reclen > size) {
            if (!used) {
                free(out);
                return -L_EINVAL; /* the buffer is too small for one entry */
            }
            break;
        }
        if (!used)
            first = f->dirbuf_pos;
        uint8_t *e = out + used;
        uint64_t off = ++f->offset;
        memcpy(e, &d->ino, 8);
        memcpy(e + 8, &off, 8);
        uint16_t rl = (uint16_t)reclen;
        memcpy(e + 16, &rl, 2);
        e[18] = d->type;
        memcpy(e + 19, d->name, d->namelen + 1);
        memset(e + 19 + d->namelen + 1, 0, reclen - 19 - d->namelen - 1);
        used += reclen;
        f->dirbuf_pos += d->reclen ? d->reclen : f->dirbuf_len;
    }
    long r = psx_write(t->proc, ubuf, out, used);
    free(out);
    if (r < 0) {
        f->dirbuf_pos = first;
        f->offset = offset;
        return r;
    }
    return (long)used;
}

long psx_sys_getcwd(psx_thread_t *t, psx_call_t *c)
{
    size_t n = strlen(t->proc->cwd) + 1;
    l_stat_t st;

    if (stat_path(t, t->proc->cwd, true, &st) < 0)
        return -L_ENOENT; /* the directory was removed */
    if (c->a[1] < n)
        return -L_ERANGE;
    if (psx_write(t->proc, c->a[0], t->proc->cwd, n) < 0)
        return -L_EFAULT;
    return (long)n;
}

static long chdir_to(psx_thread_t *t, const char *path)
{
    l_stat_t st;
    long r = stat_path(t, path, true, &st);

    if (r < 0)
        return r;
    if ((st.st_mode & 0170000) != 040000)
        return -L_ENOTDIR;
    strlcpy(t->proc->cwd, path, sizeof(t->proc->cwd));
    size_t n = strlen(t->proc->cwd);
    if (n > 1 && t->proc->cwd[n - 1] == '/')
        t->proc->cwd[n - 1] = 0;
    return 0;
}

long psx_sys_chdir(psx_thread_t *t, psx_call_t *c)
{
    char path[PSX_PATH_MAX];
    long r = psx_path(t->proc, L_AT_FDCWD, c->a[0], path, false);

    return r < 0 ? r : chdir_to(t, path);
}

long psx_sys_fchdir(psx_thread_t *t, psx_call_t *c)
{
    psx_file_t *f = psx_fd_get(t->proc, FD(c, 0));

    if (!f)
        return -L_EBADF;
    if (!f->is_dir || !f->path)
        return -L_ENOTDIR;
    return chdir_to(t, f->path);
}

static long path_op(psx_thread_t *t, long dirfd, uint64_t upath,
                    long (*op)(const char *path, uint64_t arg), uint64_t arg)
{
    char path[PSX_PATH_MAX];
    long r = psx_path(t->proc, dirfd, upath, path, false);

    if (r < 0)
        return r;
    if (!strncmp(path, "/proc", 5) || !strncmp(path, "/dev/", 5))
        return -L_EROFS;
    r = op(path, arg);
    return r < 0 ? psx_errno(r) : 0;
}

static long op_mkdir(const char *path, uint64_t mode)
{
    return file_mkdir(path, (uint32_t)mode);
}

static long op_unlink(const char *path, uint64_t arg)
{
    (void)arg;
    return file_unlink(path);
}

static long op_rmdir(const char *path, uint64_t arg)
{
    size_t n = strlen(path);

    (void)arg;
    if (n >= 2 && path[n - 1] == '.' && path[n - 2] == '/')
        return ST_INVALID_ARGUMENT;
    return file_rmdir(path);
}

long psx_sys_mkdir(psx_thread_t *t, psx_call_t *c)
{
    return path_op(t, L_AT_FDCWD, c->a[0], op_mkdir, c->a[1] & ~t->proc->umask & 07777);
}

long psx_sys_mkdirat(psx_thread_t *t, psx_call_t *c)
{
    return path_op(t, FD(c, 0), c->a[1], op_mkdir, c->a[2] & ~t->proc->umask & 07777);
}

/* mknod: regular files and FIFOs; devices and sockets are not ours to
 * make (EPERM, as for a process without CAP_MKNOD). */
static long op_mknod(const char *path, uint64_t mode)
{
    file_t f;
    long r;

    switch (mode & PFS_S_IFMT) {
    case 0:
    case PFS_S_IFREG:
        r = file_open(path, PFS_O_CREATE | PFS_O_EXCL, (uint32_t)mode & 07777, &f);
        if (r == ST_OK)
            file_close(&f);
        return r;
    case PFS_S_IFIFO:
        return file_mknod(path, (uint32_t)mode);
    default:
        return ST_NOT_SUPPORTED;
    }
}

static long do_mknod(psx_thread_t *t, long dirfd, uint64_t upath, uint64_t mode)
{
    uint64_t type = mode & PFS_S_IFMT;

    if (type != 0 && type != PFS_S_IFREG && type != PFS_S_IFIFO && type != PFS_S_IFCHR &&
        type != PFS_S_IFBLK && type != PFS_S_IFSOCK)
        return -L_EINVAL;
    long r = path_op(t, dirfd, upath, op_mknod, type | (mode & ~t->proc->umask & 07777));
    /* ST_NOT_SUPPORTED: what this file system cannot store (a FIFO on FAT). */
    return r == -L_EXDEV ? -L_EPERM : r;
}

long psx_sys_mknod(psx_thread_t *t, psx_call_t *c)
{
    return do_mknod(t, L_AT_FDCWD, c->a[0], c->a[1]);
}

long psx_sys_mknodat(psx_thread_t *t, psx_call_t *c)
{
    return do_mknod(t, FD(c, 0), c->a[1], c->a[2]);
}

long psx_sys_unlink(psx_thread_t *t, psx_call_t *c)
{
    return path_op(t, L_AT_FDCWD, c->a[0], op_unlink, 0);
}

/* 1 if the path as given ends in ".", 2 if in "..", else 0 (the joined
 * path has lost such a last name). */
static long last_name_dots(psx_thread_t *t, uint64_t upath)
{
    char path[PSX_PATH_MAX];
    long n = psx_read_string(t->proc, upath, path, sizeof(path));

    if (n < 0)
        return n;
    while (n > 1 && path[n - 1] == '/')
        path[--n] = 0;
    const char *last = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    return !strcmp(last, ".") ? 1 : !strcmp(last, "..") ? 2 : 0;
}

/* rmdir of a path ending in "." is EINVAL, in ".." ENOTEMPTY. */
static long rmdir_name_check(psx_thread_t *t, uint64_t upath)
{
    long r = last_name_dots(t, upath);

    return r <= 0 ? r : r == 1 ? -L_EINVAL : -L_ENOTEMPTY;
}

long psx_sys_rmdir(psx_thread_t *t, psx_call_t *c)
{
    long r = rmdir_name_check(t, c->a[0]);

    return r < 0 ? r : path_op(t, L_AT_FDCWD, c->a[0], op_rmdir, 0);
}

long psx_sys_unlinkat(psx_thread_t *t, psx_call_t *c)
{
    if (c->a[2] & ~(uint64_t)L_AT_REMOVEDIR)
        return -L_EINVAL;
    if (c->a[2] & L_AT_REMOVEDIR) {
        long r = rmdir_name_check(t, c->a[1]);
        return r < 0 ? r : path_op(t, FD(c, 0), c->a[1], op_rmdir, 0);
    }
    return path_op(t, FD(c, 0), c->a[1], op_unlink, 0);
}

static long two_paths(psx_thread_t *t, long d1, uint64_t p1, long d2, uint64_t p2,
                      long (*op)(const char *, const char *))
{
    char a[PSX_PATH_MAX], b[PSX_PATH_MAX];
    long r = psx_path(t->proc, d1, p1, a, false);

    if (r == 0)
        r = psx_path(t->proc, d2, p2, b, false);
    if (r < 0)
        return r;
    r = op(a, b);
    return r < 0 ? psx_errno(r) : 0;
}

/* Neither side of a rename may end in "." or "..": EBUSY, as Linux says. */
static long do_rename(psx_thread_t *t, long d1, uint64_t p1, long d2, uint64_t p2)
{
    long r = last_name_dots(t, p1);

    if (r == 0)
        r = last_name_dots(t, p2);
    if (r != 0)
        return r < 0 ? r : -L_EBUSY;
    return two_paths(t, d1, p1, d2, p2, file_rename);
}

long psx_sys_rename(psx_thread_t *t, psx_call_t *c)
{
    return do_rename(t, L_AT_FDCWD, c->a[0], L_AT_FDCWD, c->a[1]);
}

long psx_sys_renameat(psx_thread_t *t, psx_call_t *c)
{
    return do_rename(t, FD(c, 0), c->a[1], FD(c, 2), c->a[3]);
}

long psx_sys_renameat2(psx_thread_t *t, psx_call_t *c)
{
    if (c->a[4]) {
        /* RENAME_NOREPLACE: refuse an existing target; others unsupported. */
        if (c->a[4] != 1)
            return -L_EINVAL;
        char b[PSX_PATH_MAX];
        l_stat_t st;
        long r = psx_path(t->proc, FD(c, 2), c->a[3], b, false);
        if (r < 0)
            return r;
        if (stat_path(t, b, false, &st) == 0)
            return -L_EEXIST;
    }
    return do_rename(t, FD(c, 0), c->a[1], FD(c, 2), c->a[3]);
}

/* Hard links to directories are refused (EPERM), as Linux does. */
static long do_link(psx_thread_t *t, long d1, uint64_t p1, long d2, uint64_t p2)
{
    char a[PSX_PATH_MAX];
    pfs_attr_t attr;
    long r = psx_path(t->proc, d1, p1, a, false);

    if (r < 0)
        return r;
    if (file_lstat(a, &attr) == ST_OK && (attr.mode & PFS_S_IFMT) == PFS_S_IFDIR)
        return -L_EPERM;
    return two_paths(t, d1, p1, d2, p2, file_link);
}

long psx_sys_link(psx_thread_t *t, psx_call_t *c)
{
    return do_link(t, L_AT_FDCWD, c->a[0], L_AT_FDCWD, c->a[1]);
}

long psx_sys_linkat(psx_thread_t *t, psx_call_t *c)
{
    if (c->a[4] & ~(uint64_t)(L_AT_SYMLINK_FOLLOW | L_AT_EMPTY_PATH))
        return -L_EINVAL;
    return do_link(t, FD(c, 0), c->a[1], FD(c, 2), c->a[3]);
}

static long do_symlink(psx_thread_t *t, uint64_t utarget, long dirfd, uint64_t upath)
{
    char target[PSX_PATH_MAX], path[PSX_PATH_MAX];
    long r = psx_read_string(t->proc, utarget, target, sizeof(target));

    if (r < 0)
        return r;
    if (r == 0)
        return -L_ENOENT;
    r = psx_path(t->proc, dirfd, upath, path, false);
    if (r < 0)
        return r;
    r = file_symlink(target, path);
    return r < 0 ? psx_errno(r) : 0;
}

long psx_sys_symlink(psx_thread_t *t, psx_call_t *c)
{
    return do_symlink(t, c->a[0], L_AT_FDCWD, c->a[1]);
}

long psx_sys_symlinkat(psx_thread_t *t, psx_call_t *c)
{
    return do_symlink(t, c->a[0], FD(c, 1), c->a[2]);
}

static long do_readlink(psx_thread_t *t, long dirfd, uint64_t upath, uint64_t ubuf, uint64_t size)
{
    char path[PSX_PATH_MAX], target[PSX_PATH_MAX];
    long r = psx_path(t->proc, dirfd, upath, path, false), len;

    if (r < 0)
        return r;
    if ((int64_t)size <= 0)
        return -L_EINVAL;
    if (psx_proc_readlink(t->proc, path, target, sizeof(target), &len)) {
        if (len < 0)
            return len;
    } else {
        len = file_readlink(path, target, sizeof(target));
        if (len == ST_INVALID_ARGUMENT)
            return -L_EINVAL; /* not a symbolic link */
        if (len < 0)
            return psx_errno(len);
    }
    if ((uint64_t)len > size)
        len = (long)size;
    return psx_write(t->proc, ubuf, target, (size_t)len) < 0 ? -L_EFAULT : len;
}

long psx_sys_readlink(psx_thread_t *t, psx_call_t *c)
{
    return do_readlink(t, L_AT_FDCWD, c->a[0], c->a[1], c->a[2]);
}

long psx_sys_readlinkat(psx_thread_t *t, psx_call_t *c)
{
    return do_readlink(t, FD(c, 0), c->a[1], c->a[2], c->a[3]);
}

static long op_chmod(const char *path, uint64_t mode)
{
    return file_chmod(path, (uint32_t)mode & 07777);
}

long psx_sys_chmod(psx_thread_t *t, psx_call_t *c)
{
    return path_op(t, L_AT_FDCWD, c->a[0], op_chmod, c->a[1]);
}

long psx_sys_fchmodat(psx_thread_t *t, psx_call_t *c)
{
    return path_op(t, FD(c, 0), c->a[1], op_chmod, c->a[2]);
}

long psx_sys_fchmod(psx_thread_t *t, psx_call_t *c)
{
    psx_file_t *f = psx_fd_get(t->proc, FD(c, 0));
    long r;

    if (!f)
        return -L_EBADF;
    if (!f->path)
        return -L_EINVAL;
    r = file_chmod(f->path, (uint32_t)c->a[1] & 07777);
    return r < 0 ? psx_errno(r) : 0;
}

long psx_sys_umask(psx_thread_t *t, psx_call_t *c)
{
    uint32_t old = t->proc->umask;

    t->proc->umask = (uint32_t)c->a[0] & 0777;
    return old;
}

static long op_truncate(const char *path, uint64_t size)
{
    long r = file_truncate(path, size);

    if (r == ST_OK)
        psx_shm_truncated_path(path, size);
    return r;
}

long psx_sys_truncate(psx_thread_t *t, psx_call_t *c)
{
    if ((int64_t)c->a[1] < 0)
        return -L_EINVAL;
    return path_op(t, L_AT_FDCWD, c->a[0], op_truncate, c->a[1]);
}

long psx_sys_ftruncate(psx_thread_t *t, psx_call_t *c)
{
    psx_file_t *f = psx_fd_get(t->proc, FD(c, 0));
    long r;

    if (!f)
        return -L_EBADF;
    if ((int64_t)c->a[1] < 0)
        return -L_EINVAL;
    if (f->ops->name[0] != 'f' || f->is_dir || (f->flags & L_O_ACCMODE) == L_O_RDONLY)
        return -L_EINVAL;
    r = file_ftruncate(&f->file, c->a[1]);
    if (r < 0)
        return psx_errno(r);
    psx_shm_truncated(f, c->a[1]);
    return 0;
}

long psx_sys_fsync(psx_thread_t *t, psx_call_t *c)
{
    psx_file_t *f = psx_fd_get(t->proc, FD(c, 0));
    long r;

    if (!f)
        return -L_EBADF;
    if (f->ops->name[0] != 'f')
        return -L_EINVAL; /* pipes, terminals: nothing to make durable */
    r = file_fsync(&f->file);
    return r < 0 ? psx_errno(r) : 0;
}

/* statfs: what the file server says, with Linux's magic for its type; the
 * trees made up here (/proc, /dev) hold no blocks. */
static long do_statfs(psx_thread_t *t, const char *path, const char *made_up, uint64_t ubuf)
{
    pfs_statfs_t s;
    l_statfs_t o;

    memset(&s, 0, sizeof(s));
    if (!made_up && psx_made_up_path(path))
        made_up = path[1] == 'p' ? "proc" : "devtmpfs";
    if (made_up) {
        strlcpy(s.type, made_up, sizeof(s.type));
        s.block_size = 4096;
        s.name_max = 255;
    } else {
        long r = file_statfs(path, &s);
        if (r < 0)
            return psx_errno(r);
    }
    memset(&o, 0, sizeof(o));
    o.f_type = psx_fs_kind(s.type)->magic;
    o.f_bsize = o.f_frsize = (int64_t)s.block_size;
    o.f_blocks = s.blocks;
    o.f_bfree = o.f_bavail = s.blocks_free;
    o.f_files = s.files;
    o.f_ffree = s.files_free;
    o.f_namelen = (int64_t)s.name_max;
    o.f_flags = 0x20 /* ST_VALID */ | (s.flags & PFS_STATFS_READ_ONLY ? 1 /* ST_RDONLY */ : 0);
    return psx_write(t->proc, ubuf, &o, sizeof(o));
}

long psx_sys_statfs(psx_thread_t *t, psx_call_t *c)
{
    char path[PSX_PATH_MAX];
    long r = psx_path(t->proc, L_AT_FDCWD, c->a[0], path, false);

    return r < 0 ? r : do_statfs(t, path, NULL, c->a[1]);
}

long psx_sys_fstatfs(psx_thread_t *t, psx_call_t *c)
{
    psx_file_t *f = psx_fd_get(t->proc, FD(c, 0));

    if (!f)
        return -L_EBADF;
    /* Files and FIFOs by their path; what is made up here by its kind. */
    if ((f->ops->name[0] == 'f' || f->pipe) && f->path)
        return do_statfs(t, f->path, NULL, c->a[1]);
    return do_statfs(t, "", f->pipe ? "pipefs" : f->data ? "proc" : "devtmpfs", c->a[1]);
}

long psx_sys_utimensat(psx_thread_t *t, psx_call_t *c)
{
    char path[PSX_PATH_MAX];
    l_timespec_t ts[2];
    int64_t at = INT64_MIN + 1, mt = INT64_MIN + 1; /* "now" */
    long r;

    if (c->a[2]) {
        if (psx_read(t->proc, c->a[2], ts, sizeof(ts)) < 0)
            return -L_EFAULT;
        for (int i = 0; i < 2; i++) {
            int64_t *v = i ? &mt : &at;
            if (ts[i].tv_nsec == (1 << 30) - 1)
                *v = INT64_MIN + 1; /* UTIME_NOW */
            else if (ts[i].tv_nsec == (1 << 30) - 2)
                *v = INT64_MIN; /* UTIME_OMIT */
            else if (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000)
                return -L_EINVAL;
            else
                *v = ts[i].tv_sec * 1000000000 + ts[i].tv_nsec;
        }
    }
    if (!c->a[1]) {
        psx_file_t *f = psx_fd_get(t->proc, FD(c, 0));
        if (!f)
            return -L_EBADF;
        if (!f->path)
            return 0;
        strlcpy(path, f->path, sizeof(path));
    } else {
        r = psx_path(t->proc, FD(c, 0), c->a[1], path, false);
        if (r < 0)
            return r;
    }
    r = file_utimes(path, at, mt);
    return r < 0 ? psx_errno(r) : 0;
}

/* ---- pipes ---- */

static long do_pipe(psx_thread_t *t, uint64_t ufds, uint64_t flags)
{
    psx_file_t *r, *w;
    int32_t fds[2];
    long st;

    if (flags & ~(uint64_t)(L_O_CLOEXEC | L_O_NONBLOCK))
        return -L_EINVAL;
    st = psx_pipe_create(&r, &w, (uint32_t)flags);
    if (st < 0)
        return st;
    fds[0] = (int32_t)psx_fd_install(t->proc, r, 0, flags & L_O_CLOEXEC);
    fds[1] = fds[0] < 0 ? -1 : (int32_t)psx_fd_install(t->proc, w, 0, flags & L_O_CLOEXEC);
    psx_file_unref(r);
    psx_file_unref(w);
    if (fds[0] < 0 || fds[1] < 0) {
        if (fds[0] >= 0)
            psx_fd_close(t->proc, fds[0]);
        return -L_EMFILE;
    }
    if (psx_write(t->proc, ufds, fds, sizeof(fds)) < 0) {
        psx_fd_close(t->proc, fds[0]);
        psx_fd_close(t->proc, fds[1]);
        return -L_EFAULT;
    }
    return 0;
}

long psx_sys_pipe(psx_thread_t *t, psx_call_t *c)
{
    return do_pipe(t, c->a[0], 0);
}

long psx_sys_pipe2(psx_thread_t *t, psx_call_t *c)
{
    return do_pipe(t, c->a[0], c->a[1]);
}

long psx_pipe_write_buf(psx_file_t *f, const uint8_t *buf, size_t len);

/* sendfile's output side, from a server buffer. */
static long psx_sendfile_out(psx_file_t *out, psx_thread_t *t, const uint8_t *buf, size_t len)
{
    (void)t;
    if ((out->flags & L_O_ACCMODE) == L_O_RDONLY)
        return -L_EBADF;
    if (out->pipe)
        return psx_pipe_write_buf(out, buf, len);
    if (out->ops->name[0] == 't') {
        long w = con_write(buf, len);
        return w < 0 ? -L_EIO : w;
    }
    if (out->ops->name[0] == 'f' && !out->is_dir) {
        long w = file_pwrite(&out->file, out->offset, buf, len);
        if (w < 0)
            return psx_errno(w);
        psx_shm_written(out, out->offset, buf, (size_t)w);
        out->offset += (uint64_t)w;
        return w;
    }
    return -L_EINVAL;
}

long psx_sys_sendfile(psx_thread_t *t, psx_call_t *c)
{
    psx_file_t *out = psx_fd_get(t->proc, FD(c, 0)), *in = psx_fd_get(t->proc, FD(c, 1));
    uint64_t count = c->a[3], done = 0;
    int64_t off = -1;

    if (!out || !in)
        return -L_EBADF;
    if (c->a[2]) {
        if (psx_read(t->proc, c->a[2], &off, 8) < 0)
            return -L_EFAULT;
        if (off < 0)
            return -L_EINVAL;
    }
    if (in->ops->name[0] != 'f' || in->is_dir)
        return -L_EINVAL;
    /* Through a scratch page in the caller's stack is not ours to use;
     * read into the server and write out from here. */
    uint8_t *buf = malloc(65536);
    if (!buf)
        return -L_ENOMEM;
    while (done < count) {
        size_t n = count - done < 65536 ? count - done : 65536;
        uint64_t pos = off >= 0 ? (uint64_t)off + done : in->offset;
        long r = psx_file_pread(in, pos, buf, n);
        if (r < 0) {
            free(buf);
            return done ? (long)done : psx_errno(r);
        }
        if (r == 0)
            break;
        long w = psx_sendfile_out(out, t, buf, (size_t)r);
        if (w < 0) {
            free(buf);
            return done ? (long)done : w;
        }
        done += (uint64_t)w;
        if (off < 0)
            in->offset += (uint64_t)w;
        if (w < r)
            break;
    }
    free(buf);
    if (c->a[2]) {
        off += (int64_t)done;
        psx_write(t->proc, c->a[2], &off, 8);
    }
    return (long)done;
}
