/*
 * The file server's calls (port "Fs"). Paths and data travel in the
 * client's shared buffer (srv_connect with a buffer); see <persona/fs.h>
 * for the records. A path under a mount point served by another server
 * answers ST_REDIRECT with "PORT\0REST-OF-PATH" in the buffer.
 */
#ifndef FS_CALLS_H
#define FS_CALLS_H

#include <native/server.h>
#include <persona/fs.h>

#define FS_CALLS(X)                                                                               \
    X(FS_OPEN, 1, do_open)          /* path; w0 flags, w1 mode -> w0 id; attr in buffer */        \
    X(FS_CLOSE, 2, do_close)        /* w0 id */                                                   \
    X(FS_READ, 3, do_read)          /* w0 id, w1 offset, w2 len -> data in buffer, w0 bytes */    \
    X(FS_WRITE, 4, do_write)        /* w0 id, w1 offset, w2 len, data in buffer -> w0 bytes */    \
    X(FS_STAT, 5, do_stat)          /* path; w0 FS_STAT_* -> attr in buffer */                    \
    X(FS_FSTAT, 6, do_fstat)        /* w0 id -> attr in buffer */                                 \
    X(FS_READDIR, 7, do_readdir)    /* w0 id, w1 cookie, w2 size -> entries; w0 bytes, w1 next */ \
    X(FS_MKDIR, 8, do_mkdir)        /* path; w0 mode */                                           \
    X(FS_UNLINK, 9, do_unlink)      /* path */                                                    \
    X(FS_RMDIR, 10, do_rmdir)       /* path */                                                    \
    X(FS_RENAME, 11, do_rename)     /* from \0 to */                                              \
    X(FS_LINK, 12, do_link)         /* existing \0 new */                                         \
    X(FS_SYMLINK, 13, do_symlink)   /* target \0 path */                                          \
    X(FS_READLINK, 14, do_readlink) /* path -> target in buffer, w0 length */                     \
    X(FS_TRUNCATE, 15, do_truncate) /* w0 id, w1 size */                                          \
    X(FS_CHMOD, 16, do_chmod)       /* path; w0 mode */                                           \
    X(FS_UTIMES, 17, do_utimes)     /* path; w0 atime ns, w1 mtime ns, w2 flags */                \
    X(FS_STATFS, 18, do_statfs)     /* path -> pfs_statfs_t in buffer */                          \
    X(FS_FSYNC, 19, do_fsync)       /* w0 id */                                                   \
    X(FS_TRUNCATE_PATH, 20, do_truncate_path) /* path; w0 size */                                 \
    X(FS_MAP, 21, do_map)       /* w0 id -> w7 section (read-only), w0 offset, w1 size; */        \
                                /* ST_NOT_SUPPORTED unless the file can be mapped in place */     \
    X(FS_MKNOD, 22, do_mknod)   /* path; w0 mode: PFS_S_IFIFO | permission bits */                \
    X(FS_MOUNTS, 23, do_mounts) /* w0 size -> pfs_mount_t records in buffer, w0 bytes */

enum fs_call { FS_CALLS(SRV_ENUM) };

#define FS_BUFFER_SIZE (64u << 10)

#endif
