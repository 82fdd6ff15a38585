/*
 * Helpers shared by the file-system library's tests: a clock the tests
 * set, ramfs instances on it, and short forms of the common calls that
 * assert success.
 */
#ifndef FS_TEST_H
#define FS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fs/ramfs.h>
#include <fs/vfs.h>

/* The time every test file system reads; tests move it forward. */
extern int64_t test_clock;
int64_t test_now(void *ctx);

/* A ramfs on test_clock, root mode 0755. */
fs_t *test_ramfs(uint64_t max_bytes, uint64_t max_inodes);

fs_node_t *t_create(fs_node_t *dir, const char *name);
fs_node_t *t_mkdir(fs_node_t *dir, const char *name);
fs_node_t *t_lookup(fs_node_t *dir, const char *name);
void t_write(fs_node_t *node, uint64_t off, const char *text);
/* Reads the whole file into a static buffer, NUL-terminated. */
const char *t_read_all(fs_node_t *node);
fs_stat_t t_stat(fs_node_t *node);
/* ST_OK-or-status of looking a name up, releasing what was found. */
int t_exists(fs_node_t *dir, const char *name);
/* Entries of a directory, "." and ".." excluded. */
size_t t_count(fs_node_t *dir);

#endif
