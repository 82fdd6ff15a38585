/*
 * The namespace a file server starts with: the boot image read-only at
 * "/", a writable ramfs at "/tmp", and at "/run" a writable ramfs holding
 * a copy of the image's /run (so programs start in a writable directory).
 * The image must have /tmp and /run directories to mount on.
 *
 * Entry point: fs_boot_namespace().
 */
#ifndef FS_BOOTNS_H
#define FS_BOOTNS_H

#include <fs/vfs.h>

typedef struct fs_boot_config {
    const void *image; /* must stay mapped while the namespace lives */
    size_t image_size;
    uint64_t tmp_max_bytes, tmp_max_inodes; /* ramfs limits, 0 for none */
    uint64_t run_max_bytes, run_max_inodes;
    int64_t (*now)(void *ctx); /* the ramfs clock, nanoseconds */
    void *now_ctx;
} fs_boot_config_t;

/*
 * Builds the namespace into *out. On failure nothing is left allocated and
 * *why (when why is not NULL) names the problem: ST_BAD_IMAGE for an
 * invalid image, ST_NOT_FOUND or ST_NOT_DIRECTORY when /tmp or /run is
 * missing, ST_NO_SPACE when /run does not fit in its limits, ST_NO_MEMORY.
 */
int fs_boot_namespace(const fs_boot_config_t *cfg, vfs_t **out, const char **why);

#endif
