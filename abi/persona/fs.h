/*
 * The file service's wire formats, shared by the file server and its
 * clients (the native runtime's fs client, the POSIX and DOS servers).
 *
 * Paths are absolute, '/'-separated, NUL-terminated, at most PFS_PATH_MAX
 * bytes; they and bulk data travel in the client's shared buffer. The
 * calls themselves are listed in subsystems/fs/fs_calls.h.
 */
#ifndef PERSONA_FS_H
#define PERSONA_FS_H

#include <stdint.h>

#define PFS_PATH_MAX 4096
#define PFS_NAME_MAX 255

/* File types and permission bits, as POSIX numbers them. */
#define PFS_S_IFMT   0170000
#define PFS_S_IFSOCK 0140000
#define PFS_S_IFLNK  0120000
#define PFS_S_IFREG  0100000
#define PFS_S_IFBLK  0060000
#define PFS_S_IFDIR  0040000
#define PFS_S_IFCHR  0020000
#define PFS_S_IFIFO  0010000

typedef struct pfs_attr {
    uint64_t ino;
    uint64_t size;
    uint64_t blocks; /* 512-byte units */
    uint64_t atime_ns, mtime_ns, ctime_ns;
    uint64_t dev;
    uint32_t mode; /* PFS_S_IF* | permission bits */
    uint32_t nlink;
    uint32_t uid, gid;
    uint32_t blksize;
    uint32_t rdev;
} pfs_attr_t;

/* Directory entries as FS_READDIR packs them, each 8-byte aligned. */
typedef struct pfs_dirent {
    uint64_t ino;
    uint16_t reclen; /* bytes to the next entry */
    uint8_t type;    /* PFS_DT_* */
    uint8_t namelen;
    char name[]; /* NUL-terminated */
} pfs_dirent_t;

enum pfs_dirent_type {
    PFS_DT_UNKNOWN = 0,
    PFS_DT_FIFO = 1,
    PFS_DT_CHR = 2,
    PFS_DT_DIR = 4,
    PFS_DT_BLK = 6,
    PFS_DT_REG = 8,
    PFS_DT_LNK = 10,
};

typedef struct pfs_statfs {
    uint64_t block_size;
    uint64_t blocks, blocks_free;
    uint64_t files, files_free;
    uint64_t name_max;
    char type[16];  /* "bootfs", "ramfs", "fat12", "fat16", "fat32" */
    uint32_t flags; /* PFS_STATFS_* */
    uint32_t reserved;
} pfs_statfs_t;

#define PFS_STATFS_READ_ONLY 0x1

/* FS_MOUNTS: the server's mount table, packed in the buffer like
 * directory entries, each 8-byte aligned. */
typedef struct pfs_mount {
    uint16_t reclen; /* bytes to the next record */
    uint16_t flags;  /* PFS_MOUNT_* */
    uint32_t reserved;
    char type[16]; /* a file system of this server: its statfs type */
    char port[32]; /* PFS_MOUNT_REMOTE: the port of the server that serves it */
    char path[];   /* the mount point, NUL-terminated */
} pfs_mount_t;

#define PFS_MOUNT_REMOTE    0x1 /* served elsewhere (redirected): ask there */
#define PFS_MOUNT_READ_ONLY 0x2

/* FS_OPEN flags. */
#define PFS_O_READ      0x01
#define PFS_O_WRITE     0x02
#define PFS_O_CREATE    0x04
#define PFS_O_EXCL      0x08
#define PFS_O_TRUNC     0x10
#define PFS_O_DIRECTORY 0x20 /* fail unless a directory */
#define PFS_O_NOFOLLOW  0x40 /* do not follow a final symbolic link */

/* FS_STAT flags. */
#define PFS_STAT_NOFOLLOW 0x1

#endif
