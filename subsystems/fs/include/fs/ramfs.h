/*
 * ramfs: a writable file system kept in memory (for /tmp and /run).
 *
 * Files are stored in page-sized chunks allocated as they are written, so
 * files may be sparse (holes read as zeros). Directories are sorted arrays.
 * Inode numbers are never reused within an instance. Times come from the
 * instance's clock.
 *
 * Space: an instance charges its byte limit for every data page
 * (RAMFS_PAGE bytes), every symbolic link target and every directory
 * entry's name, and its inode limit for every node. Exceeding either is
 * ST_NO_SPACE, and the failing call changes nothing. The data of a file
 * unlinked while referenced stays charged until its last release.
 *
 * Entry point: ramfs_create(); the instance is then driven through the
 * fs_*() and vfs_*() calls of <fs/vfs.h>.
 */
#ifndef FS_RAMFS_H
#define FS_RAMFS_H

#include <fs/vfs.h>

#define RAMFS_PAGE 4096u

typedef struct ramfs_config {
    /* 0: no limit but memory (statfs then reports UINT64_MAX). */
    uint64_t max_bytes;
    uint64_t max_inodes; /* likewise; the root counts as one */
    uint32_t root_mode;  /* permission bits of the root directory */
    /* Nanoseconds since the epoch; NULL leaves every time at 0. */
    int64_t (*now)(void *ctx);
    void *now_ctx;
} ramfs_config_t;

/* ST_INVALID_ARGUMENT for a bad root_mode, ST_NO_MEMORY. */
int ramfs_create(const ramfs_config_t *cfg, fs_t **out);

#endif
