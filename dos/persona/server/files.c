/*
 * dos_host_ops_t over Persona's file server (the native file client):
 * each VDM's open files in a table of its own (the host handle is the
 * index), directory listings as sorted snapshots so that a search and the
 * deletes it drives see a stable order, Persona statuses as DOS error
 * codes, times in UTC (Persona keeps no time zone), and the log in the
 * kernel log. The console operations are in call.c.
 *
 * Attributes: read-only is the owner's write permission; the file system
 * keeps no hidden, system or archive bits (files show archive, as freshly
 * written DOS files do; setting the others is logged once).
 *
 * Entry points: dsrv_ops, dsrv_files_init, dsrv_files_close_all.
 */
#include "dossrv.h"
#include <native/runtime.h>
#include <stdlib.h>
#include <string.h>

static int dos_error(long st)
{
    switch (st) {
    case ST_NOT_FOUND:
        return -DOS_ENOENT;
    case ST_NOT_DIRECTORY:
    case ST_NAME_TOO_LONG:
        return -DOS_ENOPATH;
    case ST_EXISTS:
        return -DOS_EEXIST;
    case ST_ACCESS_DENIED:
    case ST_READ_ONLY:
    case ST_IS_DIRECTORY:
    case ST_NOT_EMPTY:
    case ST_BUSY:
    case ST_NOT_SUPPORTED:
        return -DOS_EACCES;
    case ST_INVALID_HANDLE:
        return -DOS_EBADF;
    case ST_LIMIT:
        return -DOS_EMFILE;
    default:
        return -DOS_EGENERAL;
    }
}

/* The library writes the host's root as "": the file server wants "/". */
static const char *host(const char *path)
{
    return *path ? path : "/";
}

static void to_dos_time(int64_t ns, uint16_t *date, uint16_t *time)
{
    dos_clock_t c;

    dc_from_ms(ns / 1000000 - DC_EPOCH_UNIX_MS, &c);
    *date = dc_pack_date(c.year, c.month, c.day);
    *time = dc_pack_time(c.ms / 3600000, c.ms / 60000 % 60, c.ms / 1000 % 60);
}

static void to_dos_stat(const pfs_attr_t *a, dos_stat_t *out)
{
    memset(out, 0, sizeof(*out));
    if ((a->mode & PFS_S_IFMT) == PFS_S_IFDIR) {
        out->attr = DOS_ATTR_DIR;
    } else {
        out->attr = DOS_ATTR_ARCHIVE;
        out->size = a->size > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)a->size;
    }
    if (!(a->mode & 0200))
        out->attr |= DOS_ATTR_READONLY;
    to_dos_time((int64_t)a->mtime_ns, &out->date, &out->time);
}

static dsrv_file_t *slot(dsrv_vdm_t *v, int fh)
{
    return fh >= 0 && fh < DSRV_FILES && v->files[fh].used ? &v->files[fh] : NULL;
}

static int f_open(void *ctx, const char *path, unsigned how, int *fh)
{
    dsrv_vdm_t *v = ctx;
    uint32_t flags = 0;
    int i = 0;

    while (i < DSRV_FILES && v->files[i].used)
        i++;
    if (i == DSRV_FILES)
        return -DOS_EMFILE;
    if (strlen(host(path)) >= sizeof(v->files[i].path))
        return -DOS_ENOPATH;
    flags |= how & DOS_OPEN_READ ? PFS_O_READ : 0;
    flags |= how & DOS_OPEN_WRITE ? PFS_O_WRITE : 0;
    flags |= how & DOS_OPEN_CREATE ? PFS_O_CREATE : 0;
    flags |= how & DOS_OPEN_TRUNC ? PFS_O_TRUNC : 0;
    flags |= how & DOS_OPEN_EXCL ? PFS_O_EXCL : 0;
    long st = file_open(host(path), flags, 0666, &v->files[i].f);
    if (st < 0)
        return dos_error(st);
    v->files[i].used = true;
    strlcpy(v->files[i].path, host(path), sizeof(v->files[i].path));
    *fh = i;
    return 0;
}

static int f_close(void *ctx, int fh)
{
    dsrv_file_t *f = slot(ctx, fh);

    if (!f)
        return -DOS_EBADF;
    f->used = false;
    long st = file_close(&f->f);
    return st < 0 ? dos_error(st) : 0;
}

void dsrv_files_close_all(dsrv_vdm_t *v)
{
    for (int i = 0; i < DSRV_FILES; i++)
        f_close(v, i);
    dos_dirsnap_free(&v->dirs);
}

static int32_t f_read(void *ctx, int fh, uint32_t pos, void *buf, uint32_t n)
{
    dsrv_file_t *f = slot(ctx, fh);

    if (!f)
        return -DOS_EBADF;
    long got = file_pread(&f->f, pos, buf, n);
    return got < 0 ? dos_error(got) : (int32_t)got;
}

static int32_t f_write(void *ctx, int fh, uint32_t pos, const void *buf, uint32_t n)
{
    dsrv_file_t *f = slot(ctx, fh);

    if (!f)
        return -DOS_EBADF;
    long put = file_pwrite(&f->f, pos, buf, n);
    if (put == ST_NO_SPACE)
        return 0; /* DOS reports a full disk as a short write */
    return put < 0 ? dos_error(put) : (int32_t)put;
}

static int f_set_size(void *ctx, int fh, uint32_t size)
{
    dsrv_file_t *f = slot(ctx, fh);

    if (!f)
        return -DOS_EBADF;
    long st = file_ftruncate(&f->f, size);
    return st < 0 ? dos_error(st) : 0;
}

static int f_fstat(void *ctx, int fh, dos_stat_t *out)
{
    dsrv_file_t *f = slot(ctx, fh);
    pfs_attr_t a;

    if (!f)
        return -DOS_EBADF;
    long st = file_fstat(&f->f, &a);
    if (st < 0)
        return dos_error(st);
    to_dos_stat(&a, out);
    return 0;
}

static int f_set_ftime(void *ctx, int fh, uint16_t date, uint16_t time)
{
    dsrv_file_t *f = slot(ctx, fh);
    dos_clock_t c;

    if (!f)
        return -DOS_EBADF;
    c.year = (uint16_t)((date >> 9) + 1980);
    c.month = (uint8_t)((date >> 5) & 15);
    c.day = (uint8_t)(date & 31);
    c.ms = ((uint32_t)(time >> 11) * 3600 + ((time >> 5) & 63) * 60u + (time & 31) * 2u) * 1000;
    if (!dc_valid_date(c.year, c.month, c.day))
        return -DOS_EBADDATA;
    int64_t ns = (dc_to_ms(&c) + DC_EPOCH_UNIX_MS) * 1000000;
    long st = file_utimes(f->path, INT64_MIN, ns);
    return st < 0 ? dos_error(st) : 0;
}

static int f_flush(void *ctx, int fh)
{
    return slot(ctx, fh) ? 0 : -DOS_EBADF; /* the file server writes through */
}

static int f_stat(void *ctx, const char *path, dos_stat_t *out)
{
    pfs_attr_t a;
    long st = file_stat(host(path), &a);

    (void)ctx;
    if (st < 0)
        return dos_error(st);
    to_dos_stat(&a, out);
    return 0;
}

static int f_set_attr(void *ctx, const char *path, uint8_t attr)
{
    dsrv_vdm_t *v = ctx;
    pfs_attr_t a;
    long st = file_stat(host(path), &a);

    if (st < 0)
        return dos_error(st);
    uint32_t mode = a.mode & 07777;
    mode = attr & DOS_ATTR_READONLY ? mode & ~0222u : mode | 0200u;
    st = file_chmod(host(path), mode);
    if (st < 0)
        return dos_error(st);
    if ((attr & (DOS_ATTR_HIDDEN | DOS_ATTR_SYSTEM)) && !v->attr_warned) {
        v->attr_warned = true;
        printf("dos: %s (pid %llu): %s: the file system keeps no hidden or system bits\n", v->name,
               (unsigned long long)v->pid, host(path));
    }
    return 0;
}

/* ---- directories ---- */

static int list_dir(void *ctx, const char *path, dos_dirsnap_t *snap)
{
    static uint8_t buf[8192];
    file_t dir;
    uint64_t cookie = 0;
    int rc = 0;
    long st = file_open(path, PFS_O_READ | PFS_O_DIRECTORY, 0, &dir);

    (void)ctx;
    if (st < 0)
        return dos_error(st);
    do {
        long n = file_readdir(&dir, &cookie, buf, sizeof(buf));
        if (n < 0) {
            rc = dos_error(n);
            break;
        }
        for (long off = 0; rc == 0 && off < n;) {
            pfs_dirent_t *e = (pfs_dirent_t *)(buf + off);
            if (e->reclen == 0)
                break;
            rc = dos_dirsnap_add(snap, e->name);
            off += e->reclen;
        }
    } while (rc == 0 && cookie);
    file_close(&dir);
    return rc;
}

static int f_readdir(void *ctx, const char *dir, uint32_t index, dos_dirent_t *ent)
{
    dsrv_vdm_t *v = ctx;
    return dos_dirsnap_readdir(&v->dirs, dir, index, ent);
}

void dsrv_files_init(dsrv_vdm_t *v)
{
    v->dirs.list = list_dir;
    v->dirs.stat = f_stat;
    v->dirs.ctx = v;
}

static int f_mkdir(void *ctx, const char *path)
{
    long st = file_mkdir(host(path), 0777);

    (void)ctx;
    return st == ST_EXISTS ? -DOS_EACCES : st < 0 ? dos_error(st) : 0;
}

static int f_rmdir(void *ctx, const char *path)
{
    long st = file_rmdir(host(path));

    (void)ctx;
    return st < 0 ? dos_error(st) : 0;
}

static int f_unlink(void *ctx, const char *path)
{
    long st = file_unlink(host(path));

    (void)ctx;
    return st < 0 ? dos_error(st) : 0;
}

static int f_rename(void *ctx, const char *from, const char *to)
{
    pfs_attr_t a;

    (void)ctx;
    /* DOS never replaces: the target must not exist. */
    if (file_lstat(host(to), &a) == ST_OK)
        return -DOS_EACCES;
    long st = file_rename(host(from), host(to));
    return st == ST_NOT_SUPPORTED ? -DOS_EXDEV : st < 0 ? dos_error(st) : 0;
}

static int f_disk_free(void *ctx, const char *root, uint64_t *total, uint64_t *avail)
{
    pfs_statfs_t fs;
    long st = file_statfs(host(root), &fs);

    (void)ctx;
    if (st < 0)
        return dos_error(st);
    *total = fs.blocks * fs.block_size;
    *avail = fs.blocks_free * fs.block_size;
    return 0;
}

static void f_now(void *ctx, dos_clock_t *c)
{
    uint64_t ns = 0;

    (void)ctx;
    sys_clock_get(CLOCK_REALTIME_NS, &ns);
    dc_from_ms((int64_t)(ns / 1000000) - DC_EPOCH_UNIX_MS, c);
}

static void f_log(void *ctx, const char *msg)
{
    dsrv_vdm_t *v = ctx;
    printf("dos: %s (pid %llu): %s\n", v->name, (unsigned long long)v->pid, msg);
}

const dos_host_ops_t dsrv_ops = {
    .open = f_open,
    .close = f_close,
    .read = f_read,
    .write = f_write,
    .set_size = f_set_size,
    .fstat = f_fstat,
    .set_ftime = f_set_ftime,
    .flush = f_flush,
    .stat = f_stat,
    .set_attr = f_set_attr,
    .readdir = f_readdir,
    .mkdir = f_mkdir,
    .rmdir = f_rmdir,
    .unlink = f_unlink,
    .rename = f_rename,
    .disk_free = f_disk_free,
    .con_read = dsrv_con_read,
    .con_peek = dsrv_con_peek,
    .con_write = dsrv_con_write,
    .con_break = dsrv_con_break,
    .now = f_now,
    .log = f_log,
};
