/*
 * bootfs: the boot image (<persona/bootimg.h>) served as a read-only file
 * system, on top of the loader's reader (<loader/bootimg.h>).
 *
 * The image stays where it is: file data is read from it in place and
 * never copied at mount, and bootfs_file_info() hands out the bytes
 * themselves (for mapping a program without a copy). Entries sharing their
 * data are hard links of one node, with one inode number. Inode numbers
 * are stable: the root is 1, the entry at index i of the image is i + 2
 * (a set of hard links takes the number of its first entry). Modes come
 * from the image; times are all 0 (the image records none).
 *
 * Every modifying call fails: ST_READ_ONLY, or ST_EXISTS when asked to
 * create a name that exists and ST_NOT_FOUND to remove one that does not,
 * which is what callers such as "mkdir -p" expect.
 *
 * Entry points: bootfs_create(), bootfs_file_info().
 */
#ifndef FS_BOOTFS_H
#define FS_BOOTFS_H

#include <fs/vfs.h>

/*
 * Validates the image (it must stay mapped while the file system lives)
 * and builds the file system. ST_BAD_IMAGE with *why naming the problem
 * when the image is not valid; ST_NO_MEMORY. why may be NULL.
 */
int bootfs_create(const void *image, size_t size, fs_t **out, const char **why);

/*
 * A bootfs regular file's bytes inside the image, its size and the
 * personality the image records for it (enum bootimg_personality).
 * *data is NULL for an empty file. ST_INVALID_ARGUMENT for a node that is
 * not a bootfs regular file. Any output pointer may be NULL.
 */
int bootfs_file_info(fs_node_t *node, const void **data, uint64_t *size, uint16_t *personality);

#endif
