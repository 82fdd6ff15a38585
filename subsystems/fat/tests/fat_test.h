/*
 * Helpers shared by the FAT tests: images made with mkfs.fat in a
 * temporary directory, a block device over an image file (which can
 * fail reads or drop writes, to simulate bad sectors and crashes), and
 * running mtools and fsck.fat on the result.
 */
#ifndef FAT_TEST_H
#define FAT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fat/fat.h>

/* A block device over a file. */
typedef struct tdev {
    int fd;
    uint64_t sectors;
    uint64_t writes;                  /* sector writes that reached the file */
    uint64_t read_calls, write_calls; /* device calls, of any size */
    int64_t write_budget;             /* writes allowed before the "crash"; -1: no limit */
    uint64_t dropped;                 /* writes lost after the crash */
    /* Lost writes, still seen by reads: the program runs on after the
     * power cut as if nothing happened, and only the disk misses them. */
    uint64_t *lost_sector;
    uint8_t *lost_data;
    size_t nlost, caplost;
    int64_t fail_read;  /* a sector whose reads fail; -1: none */
    int64_t fail_read2; /* another */
    int64_t fail_write; /* likewise for writes */
} tdev_t;

extern int64_t test_clock; /* nanoseconds; the volume's clock */

/* A fresh temporary directory for the test program (removed at exit). */
const char *t_tmpdir(void);
/* Path of a file in the temporary directory (a static buffer per call slot). */
const char *t_path(const char *name);
/* mkfs.fat -F type of size_kb KiB into t_path(name); returns the path. */
const char *t_mkfs(const char *name, int type, unsigned size_kb, const char *extra);
/* Runs a shell command (printf format); returns its exit status. */
int t_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Runs it and returns its standard output (a static buffer). */
const char *t_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* fsck.fat -n: 0 when clean. Prints the report otherwise. */
int t_fsck(const char *img);

void tdev_open(tdev_t *d, const char *path);
void tdev_close(tdev_t *d);
fat_blockdev_t tdev_blockdev(tdev_t *d);

/* Mounts an image (asserting success); t_umount syncs (asserting
 * success), destroys and closes. */
fs_t *t_mount(const char *img, tdev_t *d);
/* The same with a cache of `sectors` buffers. */
fs_t *t_mount_cache(const char *img, tdev_t *d, uint32_t sectors);
void t_umount(fs_t *fs, tdev_t *d);

fs_node_t *t_create(fs_node_t *dir, const char *name);
fs_node_t *t_mkdir(fs_node_t *dir, const char *name);
fs_node_t *t_lookup(fs_node_t *dir, const char *name);
void t_write(fs_node_t *node, uint64_t off, const void *data, size_t len);
/* The whole file, NUL-terminated, in a malloc'd buffer; *len its size. */
char *t_read_all(fs_node_t *node, size_t *len);
/* ST_OK-or-status of looking a name up, releasing what was found. */
int t_exists(fs_node_t *dir, const char *name);
/* Names of a directory, "." and ".." excluded, joined by '\n', sorted. */
const char *t_list(fs_node_t *dir);

#endif
