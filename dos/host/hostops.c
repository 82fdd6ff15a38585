/*
 * dos_host_ops_t on POSIX: drives are host directories, handles are file
 * descriptors (pread/pwrite at the DOS position, plain read/write for the
 * redirected standard handles), directory listings are sorted snapshots
 * so that a search and the deletes it drives see a stable order, and the
 * console is the VDM's teletype and BIOS keyboard queue.
 *
 * Attributes: read-only is the owner's write permission; hidden, system
 * and archive live in the extended attribute user.dos.attr where the file
 * system has them (regular files without it show A, as freshly written
 * DOS files do).
 *
 * Entry points: dos_posix_init, dos_posix_ops, dos_posix_vdm_host,
 * dos_posix_errno.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

#define XATTR "user.dos.attr"

static int p_stat(void *ctx, const char *path, dos_stat_t *out);
static int list_dir(void *ctx, const char *path, dos_dirsnap_t *snap);

void dos_posix_init(dos_posix_t *h)
{
    memset(h, 0, sizeof(*h));
    h->out_fd = 1;
    h->stdin_fd = h->stdout_fd = -1;
    h->kbd_fd = -1;
    h->name = "dosrun";
    h->dirs.list = list_dir;
    h->dirs.stat = p_stat;
    h->dirs.ctx = h;
}

int dos_posix_errno(int err)
{
    switch (err) {
    case ENOENT:
        return -DOS_ENOENT;
    case ENOTDIR:
    case ENAMETOOLONG:
    case ELOOP:
        return -DOS_ENOPATH;
    case EMFILE:
    case ENFILE:
        return -DOS_EMFILE;
    case EBADF:
        return -DOS_EBADF;
    case EEXIST:
        return -DOS_EEXIST;
    case EXDEV:
        return -DOS_EXDEV;
    case EACCES:
    case EPERM:
    case EROFS:
    case EISDIR:
    case ENOTEMPTY:
    case EBUSY:
    case ETXTBSY:
        return -DOS_EACCES;
    default:
        return -DOS_EGENERAL;
    }
}

static void pack_time(time_t t, uint16_t *date, uint16_t *tm_out)
{
    struct tm tm;

    if (localtime_r(&t, &tm) == NULL || tm.tm_year < 80) {
        *date = dc_pack_date(1980, 1, 1);
        *tm_out = 0;
        return;
    }
    *date =
        dc_pack_date((unsigned)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
    *tm_out = dc_pack_time((unsigned)tm.tm_hour, (unsigned)tm.tm_min, (unsigned)tm.tm_sec);
}

static void to_dos_stat(const struct stat *st, uint8_t xattr, bool has_xattr, dos_stat_t *out)
{
    memset(out, 0, sizeof(*out));
    if (S_ISDIR(st->st_mode)) {
        out->attr = DOS_ATTR_DIR;
    } else {
        out->attr = has_xattr
                        ? (uint8_t)(xattr & (DOS_ATTR_HIDDEN | DOS_ATTR_SYSTEM | DOS_ATTR_ARCHIVE))
                        : DOS_ATTR_ARCHIVE;
        out->size = st->st_size > 0xFFFFFFFFll ? 0xFFFFFFFFu : (uint32_t)st->st_size;
    }
    if (!(st->st_mode & S_IWUSR))
        out->attr |= DOS_ATTR_READONLY;
    if (has_xattr && S_ISDIR(st->st_mode))
        out->attr |= xattr & (DOS_ATTR_HIDDEN | DOS_ATTR_SYSTEM);
    pack_time(st->st_mtime, &out->date, &out->time);
}

static int p_stat(void *ctx, const char *path, dos_stat_t *out)
{
    struct stat st;
    uint8_t x = 0;

    (void)ctx;
    if (stat(path, &st) != 0)
        return dos_posix_errno(errno);
    bool has = getxattr(path, XATTR, &x, 1) == 1;
    to_dos_stat(&st, x, has, out);
    return 0;
}

static int p_fstat(void *ctx, int fh, dos_stat_t *out)
{
    struct stat st;
    uint8_t x = 0;

    (void)ctx;
    if (fstat(fh, &st) != 0)
        return dos_posix_errno(errno);
    bool has = fgetxattr(fh, XATTR, &x, 1) == 1;
    to_dos_stat(&st, x, has, out);
    return 0;
}

static int p_open(void *ctx, const char *path, unsigned how, int *fh)
{
    int flags = O_CLOEXEC | O_NOCTTY;

    (void)ctx;
    if ((how & DOS_OPEN_READ) && (how & DOS_OPEN_WRITE))
        flags |= O_RDWR;
    else if (how & DOS_OPEN_WRITE)
        flags |= O_WRONLY;
    else
        flags |= O_RDONLY;
    if (how & DOS_OPEN_CREATE)
        flags |= O_CREAT;
    if (how & DOS_OPEN_TRUNC)
        flags |= O_TRUNC;
    if (how & DOS_OPEN_EXCL)
        flags |= O_EXCL;
    int fd = open(path, flags, 0666);
    if (fd < 0)
        return dos_posix_errno(errno);
    *fh = fd;
    return 0;
}

static int p_close(void *ctx, int fh)
{
    (void)ctx;
    return close(fh) == 0 ? 0 : dos_posix_errno(errno);
}

static bool is_stream(const dos_posix_t *h, int fh)
{
    return fh == h->stdin_fd || fh == h->stdout_fd;
}

static int32_t p_read(void *ctx, int fh, uint32_t pos, void *buf, uint32_t n)
{
    dos_posix_t *h = ctx;
    ssize_t got;

    do {
        got = is_stream(h, fh) ? read(fh, buf, n) : pread(fh, buf, n, pos);
        if (got < 0 && errno == ESPIPE)
            got = read(fh, buf, n);
    } while (got < 0 && errno == EINTR && !(h->stop != NULL && *h->stop));
    return got < 0 ? dos_posix_errno(errno) : (int32_t)got;
}

static int32_t p_write(void *ctx, int fh, uint32_t pos, const void *buf, uint32_t n)
{
    dos_posix_t *h = ctx;
    uint32_t done = 0;

    /* The screen and redirected output may share the terminal: keep order. */
    if (fh == h->stdout_fd && h->vdm != NULL)
        vdm_render(h->vdm);
    while (done < n) {
        ssize_t put = is_stream(h, fh) ? write(fh, (const char *)buf + done, n - done)
                                       : pwrite(fh, (const char *)buf + done, n - done, pos + done);
        if (put < 0 && errno == ESPIPE)
            put = write(fh, (const char *)buf + done, n - done);
        if (put < 0 && errno == EINTR)
            continue;
        if (put < 0 && errno == ENOSPC)
            break; /* DOS reports a full disk as a short write */
        if (put < 0)
            return done > 0 ? (int32_t)done : dos_posix_errno(errno);
        if (put == 0)
            break;
        done += (uint32_t)put;
    }
    return (int32_t)done;
}

static int p_set_size(void *ctx, int fh, uint32_t size)
{
    (void)ctx;
    return ftruncate(fh, size) == 0 ? 0 : dos_posix_errno(errno);
}

static int p_set_ftime(void *ctx, int fh, uint16_t date, uint16_t tm_in)
{
    struct tm tm;
    struct timespec ts[2];

    (void)ctx;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = (date >> 9) + 80;
    tm.tm_mon = ((date >> 5) & 15) - 1;
    tm.tm_mday = date & 31;
    tm.tm_hour = tm_in >> 11;
    tm.tm_min = (tm_in >> 5) & 63;
    tm.tm_sec = (tm_in & 31) * 2;
    tm.tm_isdst = -1;
    ts[0].tv_nsec = UTIME_OMIT;
    ts[1].tv_sec = mktime(&tm);
    ts[1].tv_nsec = 0;
    return futimens(fh, ts) == 0 ? 0 : dos_posix_errno(errno);
}

static int p_flush(void *ctx, int fh)
{
    (void)ctx;
    return fsync(fh) == 0 || errno == EINVAL ? 0 : dos_posix_errno(errno);
}

static int p_set_attr(void *ctx, const char *path, uint8_t attr)
{
    dos_posix_t *h = ctx;
    struct stat st;

    if (stat(path, &st) != 0)
        return dos_posix_errno(errno);
    mode_t mode = st.st_mode & 07777;
    mode = (attr & DOS_ATTR_READONLY) ? mode & ~(mode_t)0222 : mode | S_IWUSR;
    if (chmod(path, mode) != 0)
        return dos_posix_errno(errno);
    uint8_t x = attr & (DOS_ATTR_HIDDEN | DOS_ATTR_SYSTEM | DOS_ATTR_ARCHIVE);
    if (setxattr(path, XATTR, &x, 1, 0) != 0 && !h->attr_warned) {
        h->attr_warned = true;
        fprintf(stderr, "%s: %s: this file system keeps no hidden, system or archive bits\n",
                h->name, path);
    }
    return 0;
}

/* ---- directories ---- */

static int list_dir(void *ctx, const char *path, dos_dirsnap_t *snap)
{
    DIR *dir = opendir(path);
    struct dirent *e;
    int rc = 0;

    (void)ctx;
    if (dir == NULL)
        return dos_posix_errno(errno);
    while (rc == 0 && (e = readdir(dir)) != NULL)
        rc = dos_dirsnap_add(snap, e->d_name);
    closedir(dir);
    return rc;
}

static int p_readdir(void *ctx, const char *dir, uint32_t index, dos_dirent_t *ent)
{
    dos_posix_t *h = ctx;
    return dos_dirsnap_readdir(&h->dirs, dir, index, ent);
}

static int p_mkdir(void *ctx, const char *path)
{
    (void)ctx;
    return mkdir(path, 0777) == 0 ? 0 : errno == EEXIST ? -DOS_EACCES : dos_posix_errno(errno);
}

static int p_rmdir(void *ctx, const char *path)
{
    (void)ctx;
    return rmdir(path) == 0 ? 0 : errno == EEXIST ? -DOS_EACCES : dos_posix_errno(errno);
}

static int p_unlink(void *ctx, const char *path)
{
    (void)ctx;
    return unlink(path) == 0 ? 0 : dos_posix_errno(errno);
}

static int p_rename(void *ctx, const char *from, const char *to)
{
    (void)ctx;
    /* DOS never replaces: the target must not exist. */
    if (access(to, F_OK) == 0)
        return -DOS_EACCES;
    return rename(from, to) == 0 ? 0 : dos_posix_errno(errno);
}

static int p_disk_free(void *ctx, const char *root, uint64_t *total, uint64_t *avail)
{
    struct statvfs v;

    (void)ctx;
    if (statvfs(*root ? root : "/", &v) != 0)
        return dos_posix_errno(errno);
    *total = (uint64_t)v.f_blocks * v.f_frsize;
    *avail = (uint64_t)v.f_bavail * v.f_frsize;
    return 0;
}

/* ---- console: the VDM's keyboard queue and teletype ---- */

static int p_con_read(void *ctx)
{
    dos_posix_t *h = ctx;
    return vdm_con_read(h->vdm);
}

static int p_con_peek(void *ctx)
{
    dos_posix_t *h = ctx;
    return vdm_con_peek(h->vdm);
}

static void p_con_write(void *ctx, const char *buf, size_t n)
{
    dos_posix_t *h = ctx;
    vdm_tty_write(h->vdm, buf, n);
}

static void p_now(void *ctx, dos_clock_t *c)
{
    struct timespec ts;
    struct tm tm;

    (void)ctx;
    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    c->year = (uint16_t)(tm.tm_year + 1900);
    c->month = (uint8_t)(tm.tm_mon + 1);
    c->day = (uint8_t)tm.tm_mday;
    c->ms =
        (uint32_t)(((tm.tm_hour * 60 + tm.tm_min) * 60 + tm.tm_sec) * 1000 + ts.tv_nsec / 1000000);
    if (c->year < 1980) {
        c->year = 1980;
        c->month = c->day = 1;
    }
}

static void p_log(void *ctx, const char *msg)
{
    dos_posix_t *h = ctx;
    if (h->vdm != NULL)
        vdm_render(h->vdm);
    fprintf(stderr, "%s: %s\n", h->name, msg);
}

void dos_posix_ops(dos_host_ops_t *o)
{
    memset(o, 0, sizeof(*o));
    o->open = p_open;
    o->close = p_close;
    o->read = p_read;
    o->write = p_write;
    o->set_size = p_set_size;
    o->fstat = p_fstat;
    o->set_ftime = p_set_ftime;
    o->flush = p_flush;
    o->stat = p_stat;
    o->set_attr = p_set_attr;
    o->readdir = p_readdir;
    o->mkdir = p_mkdir;
    o->rmdir = p_rmdir;
    o->unlink = p_unlink;
    o->rename = p_rename;
    o->disk_free = p_disk_free;
    o->con_read = p_con_read;
    o->con_peek = p_con_peek;
    o->con_write = p_con_write;
    o->now = p_now;
    o->log = p_log;
}

/* ---- the VDM's callbacks ---- */

static int v_dos_call(void *ctx, vdm_t *vdm, uint8_t vector, dos_regs_t *regs)
{
    dos_posix_t *h = ctx;
    (void)vdm;
    return dos_server_call(h->dos, vector, regs);
}

static void v_term_write(void *ctx, const char *buf, size_t n)
{
    dos_posix_t *h = ctx;

    while (n > 0) {
        ssize_t put = write(h->out_fd, buf, n);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return; /* the terminal is gone; the program goes on regardless */
        buf += put;
        n -= (size_t)put;
    }
}

static void v_idle(void *ctx, uint32_t usec)
{
    dos_posix_t *h = ctx;
    struct pollfd p = {h->kbd_fd, POLLIN, 0};

    if (h->kbd_fd >= 0 && !h->kbd_eof && h->keys.len == 0)
        poll(&p, 1, (int)(usec / 1000));
    else
        usleep(usec);
}

void dos_posix_vdm_host(vdm_host_t *vh)
{
    memset(vh, 0, sizeof(*vh));
    vh->dos_call = v_dos_call;
    vh->term_write = v_term_write;
    vh->key_read = dos_posix_key_read;
    vh->clock = p_now;
    vh->idle = v_idle;
    vh->log = p_log;
}
