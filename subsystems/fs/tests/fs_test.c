/*
 * Helpers shared by the file-system library's tests (see fs_test.h).
 */
#include <string.h>

#include "fs_test.h"

int64_t test_clock = 1000;

int64_t test_now(void *ctx)
{
    (void)ctx;
    return test_clock;
}

fs_t *test_ramfs(uint64_t max_bytes, uint64_t max_inodes)
{
    ramfs_config_t cfg = {
        .max_bytes = max_bytes,
        .max_inodes = max_inodes,
        .root_mode = 0755,
        .now = test_now,
    };
    fs_t *fs = NULL;

    assert_int_equal(ramfs_create(&cfg, &fs), ST_OK);
    assert_non_null(fs);
    return fs;
}

fs_node_t *t_create(fs_node_t *dir, const char *name)
{
    fs_node_t *n = NULL;

    assert_int_equal(fs_create(dir, name, 0644, &n), ST_OK);
    assert_non_null(n);
    return n;
}

fs_node_t *t_mkdir(fs_node_t *dir, const char *name)
{
    fs_node_t *n = NULL;

    assert_int_equal(fs_mkdir(dir, name, 0755, &n), ST_OK);
    assert_non_null(n);
    return n;
}

fs_node_t *t_lookup(fs_node_t *dir, const char *name)
{
    fs_node_t *n = NULL;

    assert_int_equal(fs_lookup(dir, name, &n), ST_OK);
    assert_non_null(n);
    return n;
}

void t_write(fs_node_t *node, uint64_t off, const char *text)
{
    size_t done = 0, len = strlen(text);

    assert_int_equal(fs_write(node, off, text, len, &done), ST_OK);
    assert_int_equal(done, len);
}

const char *t_read_all(fs_node_t *node)
{
    static char buf[1 << 16];
    size_t done = 0;

    assert_int_equal(fs_read(node, 0, buf, sizeof(buf) - 1, &done), ST_OK);
    buf[done] = '\0';
    return buf;
}

fs_stat_t t_stat(fs_node_t *node)
{
    fs_stat_t st;

    assert_int_equal(fs_stat(node, &st), ST_OK);
    return st;
}

int t_exists(fs_node_t *dir, const char *name)
{
    fs_node_t *n = NULL;
    int rc = fs_lookup(dir, name, &n);

    fs_node_release(n);
    return rc;
}

size_t t_count(fs_node_t *dir)
{
    uint64_t cookie = 0;
    fs_dirent_t ent;
    size_t n = 0;

    while (fs_readdir(dir, &cookie, &ent) == ST_OK)
        if (strcmp(ent.name, ".") != 0 && strcmp(ent.name, "..") != 0)
            n++;
    return n;
}
