/*
 * Regular files and directories, served by the file server through the
 * native file client; plus open() itself, which also knows the few
 * synthesized files (/dev, /proc) that dev.c provides.
 */
#include "psx.h"
#include <stdlib.h>
#include <string.h>

#define CHUNK 65536

void psx_attr_to_stat(const pfs_attr_t *a, l_stat_t *st)
{
    memset(st, 0, sizeof(*st));
    st->st_dev = a->dev;
    st->st_ino = a->ino;
    st->st_nlink = a->nlink;
    st->st_mode = a->mode;
    st->st_size = (int64_t)a->size;
    st->st_blksize = a->blksize ? a->blksize : 4096;
    st->st_blocks = (int64_t)a->blocks;
    st->st_atime = a->atime_ns / 1000000000;
    st->st_atime_nsec = a->atime_ns % 1000000000;
    st->st_mtime = a->mtime_ns / 1000000000;
    st->st_mtime_nsec = a->mtime_ns % 1000000000;
    st->st_ctime = a->ctime_ns / 1000000000;
    st->st_ctime_nsec = a->ctime_ns % 1000000000;
}

/* Data goes between the client and the file server's shared buffer with
 * no copy of the server's own; a MAP_SHARED section of the file, while
 * there is one, overlays what is read and takes what is written. */
static long file_read_op(psx_file_t *f, psx_thread_t *t, uint64_t buf, size_t len, int64_t off)
{
    size_t done = 0;
    uint64_t pos = off >= 0 ? (uint64_t)off : f->offset;

    if (f->is_dir)
        return -L_EISDIR;
    while (done < len) {
        void *data;
        size_t n = len - done < CHUNK ? len - done : CHUNK;
        long r = file_pread_view(&f->file, pos + done, n, &data);
        if (r < 0)
            return done ? (long)done : psx_errno(r);
        psx_shm_read(f, pos + done, data, (size_t)r);
        if (psx_write(t->proc, buf + done, data, (size_t)r) < 0)
            return done ? (long)done : -L_EFAULT;
        done += (size_t)r;
        if ((size_t)r < n)
            break;
    }
    if (off < 0)
        f->offset += done;
    return (long)done;
}

static long file_write_op(psx_file_t *f, psx_thread_t *t, uint64_t buf, size_t len, int64_t off)
{
    size_t done = 0;
    uint64_t pos;

    if (f->is_dir)
        return -L_EISDIR;
    if (off < 0 && (f->flags & L_O_APPEND)) {
        pfs_attr_t a;
        if (file_fstat(&f->file, &a) == ST_OK)
            f->offset = a.size;
    }
    pos = off >= 0 ? (uint64_t)off : f->offset;
    while (done < len) {
        void *to;
        size_t size;
        long r = file_write_view(&f->file, &to, &size);
        if (r < 0)
            return done ? (long)done : psx_errno(r);
        size_t n = len - done < size ? len - done : size;
        if (psx_read(t->proc, buf + done, to, n) < 0)
            return done ? (long)done : -L_EFAULT;
        r = file_pwrite_view(&f->file, pos + done, n);
        if (r < 0)
            return done ? (long)done : psx_errno(r);
        psx_shm_written(f, pos + done, to, (size_t)r); /* the server left it there */
        done += (size_t)r;
        if ((size_t)r < n)
            break;
    }
    if (off < 0)
        f->offset += done;
    return (long)done;
}

static long file_stat_op(psx_file_t *f, l_stat_t *st)
{
    pfs_attr_t a;
    long r = file_fstat(&f->file, &a);

    if (r < 0)
        return psx_errno(r);
    psx_attr_to_stat(&a, st);
    return 0;
}

static int file_poll_op(psx_file_t *f)
{
    (void)f;
    return L_POLLIN | L_POLLOUT;
}

static void file_close_op(psx_file_t *f)
{
    file_close(&f->file);
}

const psx_file_ops_t psx_file_ops = {
    .name = "file",
    .read = file_read_op,
    .write = file_write_op,
    .stat = file_stat_op,
    .poll = file_poll_op,
    .close = file_close_op,
    .seekable = true,
};

psx_file_t *psx_dev_open(psx_proc_t *p, const char *path, uint32_t flags, long *err);

long psx_open_path(psx_proc_t *p, const char *path, uint32_t flags, uint32_t mode, psx_file_t **out)
{
    uint32_t acc = flags & L_O_ACCMODE;
    uint32_t pfs = 0;
    psx_file_t *f;
    long err = 0;

    if (acc == L_O_ACCMODE)
        return -L_EINVAL;
    f = psx_dev_open(p, path, flags, &err);
    if (f || err) {
        *out = f;
        return err;
    }
    if (acc == L_O_RDONLY || acc == L_O_RDWR || (flags & L_O_PATH))
        pfs |= PFS_O_READ;
    if (acc == L_O_WRONLY || acc == L_O_RDWR)
        pfs |= PFS_O_WRITE;
    if (flags & L_O_CREAT)
        pfs |= PFS_O_CREATE;
    if (flags & L_O_EXCL)
        pfs |= PFS_O_EXCL;
    if ((flags & L_O_TRUNC) && (pfs & PFS_O_WRITE))
        pfs |= PFS_O_TRUNC;
    if (flags & L_O_DIRECTORY)
        pfs |= PFS_O_DIRECTORY;
    if (flags & L_O_NOFOLLOW)
        pfs |= PFS_O_NOFOLLOW;
    f = psx_file_new(&psx_file_ops, flags & (L_O_ACCMODE | L_O_APPEND | L_O_NONBLOCK));
    if (!f)
        return -L_ENOMEM;
    long r = file_open(path, pfs, mode & ~p->umask & 07777, &f->file);
    if (r == ST_INVALID_ARGUMENT && (flags & L_O_NOFOLLOW))
        r = ST_LIMIT; /* a symbolic link met O_NOFOLLOW: ELOOP */
    if (r < 0) {
        free(f);
        return psx_errno(r);
    }
    if ((f->file.attr.mode & PFS_S_IFMT) == PFS_S_IFIFO) {
        /* The node only names a pipe that its openers share. */
        psx_file_t *end;
        r = psx_fifo_open(&f->file, flags, &end);
        file_close(&f->file);
        free(f);
        if (r < 0)
            return r;
        end->path = strdup(path);
        *out = end;
        return 0;
    }
    f->is_dir = (f->file.attr.mode & PFS_S_IFMT) == PFS_S_IFDIR;
    if (f->is_dir && acc != L_O_RDONLY) {
        file_close(&f->file);
        free(f);
        return -L_EISDIR;
    }
    f->path = strdup(path);
    *out = f;
    return 0;
}
