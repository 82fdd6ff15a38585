/*
 * Files for native programs, through the file server. Relative paths are
 * resolved against the process's current directory (fs_chdir), which
 * native programs inherit through the PWD environment variable.
 */
#ifndef NATIVE_FILE_H
#define NATIVE_FILE_H

#include <persona/fs.h>
#include <stdbool.h>
#include <stddef.h>
#include <persona/handle.h>
#include <stdint.h>

typedef struct file {
    uint64_t id;     /* the server's number for the open file */
    uint32_t server; /* which file server has it (the client's slot) */
    uint32_t gen;    /* and over which connection to it */
    uint64_t offset;
    pfs_attr_t attr; /* as it was at open; dev unique among all servers */
} file_t;

long file_open(const char *path, uint32_t flags, uint32_t mode, file_t *f);
long file_close(file_t *f);
/* Reads/writes at the file's offset and advances it; returns bytes. */
long file_read(file_t *f, void *buf, size_t len);
long file_write(file_t *f, const void *buf, size_t len);
long file_pread(file_t *f, uint64_t off, void *buf, size_t len);
long file_pwrite(file_t *f, uint64_t off, const void *buf, size_t len);
/*
 * The same without a copy of one's own, for a caller that passes the
 * data on (a server reading for its client): file_pread_view reads up to
 * len bytes (at most FS_BUFFER_SIZE) at off into the connection's shared
 * buffer and points *data at them, valid until the next call to that file
 * server. file_write_view gives the buffer to fill (*size bytes at most),
 * and file_pwrite_view writes n bytes of it at off.
 */
long file_pread_view(file_t *f, uint64_t off, size_t len, void **data);
long file_write_view(file_t *f, void **buf, size_t *size);
long file_pwrite_view(file_t *f, uint64_t off, size_t n);
long file_fstat(file_t *f, pfs_attr_t *a);
/* Returns once the file's data and entry are on stable storage. */
long file_fsync(file_t *f);
long file_stat(const char *path, pfs_attr_t *a);
long file_lstat(const char *path, pfs_attr_t *a);
/* Fills buf with packed pfs_dirent_t records; *cookie 0 starts, and is 0
 * again after the last entry. Returns the bytes used. */
long file_readdir(file_t *dir, uint64_t *cookie, void *buf, size_t size);
long file_mkdir(const char *path, uint32_t mode);
/* A FIFO: mode is PFS_S_IFIFO | permission bits. ST_NOT_SUPPORTED where
 * the file system cannot store one (FAT). */
long file_mknod(const char *path, uint32_t mode);
long file_unlink(const char *path);
long file_rmdir(const char *path);
long file_rename(const char *from, const char *to);
long file_link(const char *from, const char *to);
long file_symlink(const char *target, const char *path);
long file_readlink(const char *path, char *buf, size_t size);
long file_truncate(const char *path, uint64_t size);
long file_ftruncate(file_t *f, uint64_t size);
long file_chmod(const char *path, uint32_t mode);
long file_statfs(const char *path, pfs_statfs_t *out);
/* Times in ns since the epoch; INT64_MIN + 1: now; INT64_MIN: leave. */
long file_utimes(const char *path, int64_t atime_ns, int64_t mtime_ns);
/* A read-only section holding the file's bytes at *offset (page-aligned),
 * for files that live in the boot image; ST_NOT_SUPPORTED otherwise. The
 * caller owns *section. */
long file_map(file_t *f, handle_t *section, uint64_t *offset, uint64_t *size);
/* The mount table of the file server ("Fs") as pfs_mount_t records;
 * returns the bytes used. A remote mount's own file system is found by a
 * file_statfs() of its path. */
long file_mounts(void *buf, size_t size);
/* A whole file into a malloc'd buffer. */
long file_read_all(const char *path, void **data, size_t *size);

long file_chdir(const char *path);
const char *file_getcwd(void);
/* Makes path absolute and removes empty and "." components; ".." stays
 * for the file server, which resolves it ("file/.." is not a directory,
 * "link/.." is the parent of the link's target), except at the root. */
long file_abspath(const char *path, char *out, size_t size);

#endif
