/*
 * Unit tests of ramfs through the node layer (fs_*()): every operation
 * with good and bad input, link counts, files unlinked while referenced,
 * sparse files and truncate, the byte and inode limits, readdir cookies
 * across changes, and rename's edge cases. Each test ends by destroying
 * its instance, which fails if a reference leaked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs_test.h"

static void done_with(fs_t *fs)
{
    assert_int_equal(fs_destroy(fs), ST_OK);
}

static void test_create_lookup_stat(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    test_clock = 5000;
    fs_node_t *f = t_create(fs->root, "file");
    fs_stat_t st = t_stat(f);

    assert_int_equal(st.mode, FS_S_IFREG | 0644);
    assert_int_equal(st.nlink, 1);
    assert_int_equal(st.size, 0);
    assert_int_equal(st.blocks, 0);
    assert_int_equal(st.atime, 5000);
    assert_int_equal(st.mtime, 5000);
    assert_int_equal(st.ctime, 5000);
    assert_true(st.ino > t_stat(fs->root).ino);

    fs_node_t *again = t_lookup(fs->root, "file");
    assert_ptr_equal(again, f);
    assert_int_equal(f->refs, 2);
    fs_node_release(again);

    fs_stat_t rs = t_stat(fs->root);
    assert_int_equal(rs.mode, FS_S_IFDIR | 0755);
    assert_int_equal(rs.nlink, 2);
    assert_int_equal(rs.mtime, 5000);

    fs_node_t *x = NULL;
    assert_int_equal(fs_create(fs->root, "file", 0644, &x), ST_EXISTS);
    assert_null(x);
    assert_int_equal(fs_lookup(fs->root, "nope", &x), ST_NOT_FOUND);
    assert_int_equal(fs_lookup(f, "x", &x), ST_NOT_DIRECTORY);
    assert_int_equal(fs_create(f, "x", 0644, &x), ST_NOT_DIRECTORY);
    fs_node_release(f);
    done_with(fs);
}

static void test_bad_names(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *x = NULL;
    char name[300];

    assert_int_equal(fs_create(fs->root, "", 0644, &x), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_create(fs->root, "a/b", 0644, &x), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_create(fs->root, ".", 0644, &x), ST_EXISTS);
    assert_int_equal(fs_mkdir(fs->root, "..", 0755, &x), ST_EXISTS);
    assert_int_equal(fs_create(fs->root, "m", 0100644, &x), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_mkdir(fs->root, "m", 010000, &x), ST_INVALID_ARGUMENT);
    memset(name, 'n', sizeof(name));
    name[256] = '\0';
    assert_int_equal(fs_create(fs->root, name, 0644, &x), ST_NAME_TOO_LONG);
    assert_int_equal(fs_lookup(fs->root, name, &x), ST_NAME_TOO_LONG);
    name[255] = '\0';
    x = t_create(fs->root, name);
    fs_node_release(x);
    assert_int_equal(t_exists(fs->root, name), ST_OK);
    done_with(fs);
}

static void test_odd_bytes_in_names(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    static const char *names[] = {
        "\x01\x02", "\xff\xfe\x80", " ", "-rf", "...", ".hidden", "tab\tnew\nline", "\\", "*?[",
    };
    size_t n = sizeof(names) / sizeof(names[0]);

    for (size_t i = 0; i < n; i++)
        fs_node_release(t_create(fs->root, names[i]));
    for (size_t i = 0; i < n; i++)
        assert_int_equal(t_exists(fs->root, names[i]), ST_OK);

    bool seen[16] = {false};
    uint64_t cookie = 0;
    fs_dirent_t ent;
    while (fs_readdir(fs->root, &cookie, &ent) == ST_OK) {
        assert_int_equal(strlen(ent.name), ent.namelen);
        for (size_t i = 0; i < n; i++)
            if (strcmp(ent.name, names[i]) == 0) {
                assert_false(seen[i]);
                seen[i] = true;
            }
    }
    for (size_t i = 0; i < n; i++)
        assert_true(seen[i]);
    done_with(fs);
}

static void test_read_write(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *f = t_create(fs->root, "f");
    char buf[64];
    size_t done = 99;

    t_write(f, 0, "hello world");
    assert_string_equal(t_read_all(f), "hello world");
    t_write(f, 6, "there, you");
    assert_string_equal(t_read_all(f), "hello there, you");
    assert_int_equal(t_stat(f).size, 16);
    assert_int_equal(fs_read(f, 16, buf, sizeof(buf), &done), ST_OK);
    assert_int_equal(done, 0);
    assert_int_equal(fs_read(f, 1000, buf, sizeof(buf), &done), ST_OK);
    assert_int_equal(done, 0);
    assert_int_equal(fs_read(f, 12, buf, sizeof(buf), &done), ST_OK);
    assert_int_equal(done, 4);
    assert_memory_equal(buf, " you", 4);
    assert_int_equal(fs_write(f, 0, buf, 0, &done), ST_OK);
    assert_int_equal(done, 0);
    assert_int_equal(fs_write(f, 0, NULL, 5, &done), ST_INVALID_ARGUMENT);

    /* Across page boundaries, in odd pieces. */
    static uint8_t big[3 * RAMFS_PAGE + 123], back[sizeof(big)];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 7 + 3);
    fs_node_t *g = t_create(fs->root, "g");
    for (size_t off = 0; off < sizeof(big); off += 1000) {
        size_t len = sizeof(big) - off < 1000 ? sizeof(big) - off : 1000;
        assert_int_equal(fs_write(g, off, big + off, len, &done), ST_OK);
        assert_int_equal(done, len);
    }
    assert_int_equal(fs_read(g, 0, back, sizeof(back), &done), ST_OK);
    assert_int_equal(done, sizeof(big));
    assert_memory_equal(back, big, sizeof(big));
    assert_int_equal(t_stat(g).blocks, 4 * (RAMFS_PAGE / 512));
    fs_node_release(g);

    fs_node_t *d = t_mkdir(fs->root, "d");
    assert_int_equal(fs_read(d, 0, buf, 1, &done), ST_IS_DIRECTORY);
    assert_int_equal(fs_write(d, 0, "x", 1, &done), ST_IS_DIRECTORY);
    assert_int_equal(fs_truncate(d, 0), ST_IS_DIRECTORY);
    fs_node_t *l = NULL;
    assert_int_equal(fs_symlink(fs->root, "l", "f", &l), ST_OK);
    assert_int_equal(fs_read(l, 0, buf, 1, &done), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_write(l, 0, "x", 1, &done), ST_INVALID_ARGUMENT);
    uint64_t cookie = 0;
    fs_dirent_t ent;
    assert_int_equal(fs_readdir(f, &cookie, &ent), ST_NOT_DIRECTORY);
    fs_node_release(l);
    fs_node_release(d);
    fs_node_release(f);
    done_with(fs);
}

static void test_sparse(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *f = t_create(fs->root, "sparse");
    uint8_t buf[2 * RAMFS_PAGE];
    size_t done;

    t_write(f, 3 * RAMFS_PAGE + 10, "tail");
    fs_stat_t st = t_stat(f);
    assert_int_equal(st.size, 3 * RAMFS_PAGE + 14);
    assert_int_equal(st.blocks, RAMFS_PAGE / 512);
    memset(buf, 0xaa, sizeof(buf));
    assert_int_equal(fs_read(f, RAMFS_PAGE - 5, buf, sizeof(buf), &done), ST_OK);
    assert_int_equal(done, sizeof(buf));
    for (size_t i = 0; i < sizeof(buf); i++)
        assert_int_equal(buf[i], 0);
    assert_int_equal(fs_read(f, 3 * RAMFS_PAGE, buf, 20, &done), ST_OK);
    assert_int_equal(done, 14);
    assert_memory_equal(buf + 10, "tail", 4);
    assert_int_equal(buf[0], 0);

    /* Fill a hole below the existing page, then one above. */
    t_write(f, RAMFS_PAGE, "mid");
    t_write(f, 0, "head");
    assert_int_equal(t_stat(f).blocks, 3 * (RAMFS_PAGE / 512));
    assert_int_equal(fs_read(f, RAMFS_PAGE, buf, 3, &done), ST_OK);
    assert_memory_equal(buf, "mid", 3);

    /* The last byte a file may have, and one past it. */
    t_write(f, FS_FILE_MAX - 1, "z");
    assert_int_equal(t_stat(f).size, FS_FILE_MAX);
    assert_int_equal(t_stat(f).blocks, 4 * (RAMFS_PAGE / 512));
    assert_int_equal(fs_read(f, FS_FILE_MAX - 1, buf, 10, &done), ST_OK);
    assert_int_equal(done, 1);
    assert_int_equal(buf[0], 'z');
    assert_int_equal(fs_write(f, FS_FILE_MAX, "z", 1, &done), ST_LIMIT);
    assert_int_equal(fs_write(f, UINT64_MAX, "z", 1, &done), ST_LIMIT);
    assert_int_equal(fs_write(f, FS_FILE_MAX - 1, "zz", 2, &done), ST_LIMIT);
    assert_int_equal(fs_read(f, UINT64_MAX, buf, 10, &done), ST_OK);
    assert_int_equal(done, 0);
    fs_node_release(f);
    done_with(fs);
}

static void test_truncate(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *f = t_create(fs->root, "f");
    uint8_t buf[RAMFS_PAGE];
    fs_statfs_t sf;
    size_t done;

    memset(buf, 'x', sizeof(buf));
    assert_int_equal(fs_write(f, 0, buf, sizeof(buf), &done), ST_OK);
    assert_int_equal(fs_write(f, RAMFS_PAGE, buf, sizeof(buf), &done), ST_OK);
    assert_int_equal(fs_statfs(fs, &sf), ST_OK);
    uint64_t used = sf.total_bytes - sf.free_bytes;

    test_clock = 7000;
    assert_int_equal(fs_truncate(f, 100), ST_OK);
    fs_stat_t st = t_stat(f);
    assert_int_equal(st.size, 100);
    assert_int_equal(st.blocks, RAMFS_PAGE / 512);
    assert_int_equal(st.mtime, 7000);
    assert_int_equal(fs_statfs(fs, &sf), ST_OK);
    assert_int_equal(sf.total_bytes - sf.free_bytes, used - RAMFS_PAGE);

    /* Growing again shows zeros where the cut bytes were. */
    assert_int_equal(fs_truncate(f, 2 * RAMFS_PAGE + 7), ST_OK);
    assert_int_equal(t_stat(f).blocks, RAMFS_PAGE / 512);
    assert_int_equal(fs_read(f, 0, buf, sizeof(buf), &done), ST_OK);
    assert_int_equal(done, sizeof(buf));
    for (size_t i = 0; i < sizeof(buf); i++)
        assert_int_equal(buf[i], i < 100 ? 'x' : 0);
    assert_int_equal(fs_read(f, 2 * RAMFS_PAGE, buf, sizeof(buf), &done), ST_OK);
    assert_int_equal(done, 7);

    /* Writing past the end after a shrink in the middle of a page. */
    assert_int_equal(fs_truncate(f, 50), ST_OK);
    t_write(f, 60, "y");
    assert_int_equal(fs_read(f, 0, buf, 61, &done), ST_OK);
    assert_int_equal(done, 61);
    for (size_t i = 50; i < 60; i++)
        assert_int_equal(buf[i], 0);
    assert_int_equal(buf[60], 'y');

    assert_int_equal(fs_truncate(f, 0), ST_OK);
    assert_int_equal(t_stat(f).blocks, 0);
    assert_int_equal(fs_truncate(f, FS_FILE_MAX), ST_OK);
    assert_int_equal(t_stat(f).blocks, 0);
    assert_int_equal(fs_truncate(f, FS_FILE_MAX + 1), ST_LIMIT);
    assert_int_equal(fs_truncate(f, 0), ST_OK);
    assert_int_equal(fs_statfs(fs, &sf), ST_OK);
    assert_int_equal(sf.total_bytes - sf.free_bytes, used - 2 * RAMFS_PAGE);
    fs_node_release(f);
    done_with(fs);
}

static void test_byte_limit(void **state)
{
    (void)state;
    /* Room for three pages and the names "a" and "b". */
    fs_t *fs = test_ramfs(3 * RAMFS_PAGE + 2, 0);
    fs_node_t *a = t_create(fs->root, "a");
    static uint8_t buf[4 * RAMFS_PAGE];
    fs_statfs_t sf;
    size_t done;

    memset(buf, 'q', sizeof(buf));
    assert_int_equal(fs_write(a, 0, buf, 2 * RAMFS_PAGE, &done), ST_OK);
    /* Two more pages do not fit: nothing is written, not even the first. */
    assert_int_equal(fs_write(a, RAMFS_PAGE + 1, "zz", 2, &done), ST_OK);
    assert_int_equal(fs_write(a, 2 * RAMFS_PAGE - 1, buf, RAMFS_PAGE + 2, &done), ST_NO_SPACE);
    assert_int_equal(done, 0);
    fs_stat_t st = t_stat(a);
    assert_int_equal(st.size, 2 * RAMFS_PAGE);
    assert_int_equal(st.blocks, 2 * (RAMFS_PAGE / 512));
    /* Rewriting existing pages needs no space. */
    assert_int_equal(fs_write(a, 0, buf, 2 * RAMFS_PAGE, &done), ST_OK);

    fs_node_t *b = t_create(fs->root, "b");
    fs_node_t *x = NULL;
    assert_int_equal(fs_write(b, 0, buf, RAMFS_PAGE, &done), ST_OK);
    assert_int_equal(fs_create(fs->root, "c", 0644, &x), ST_NO_SPACE);
    assert_null(x);
    assert_int_equal(t_exists(fs->root, "c"), ST_NOT_FOUND);
    assert_int_equal(fs_statfs(fs, &sf), ST_OK);
    assert_int_equal(sf.free_bytes, 0);
    assert_int_equal(sf.total_bytes, 3 * RAMFS_PAGE + 2);
    assert_string_equal(sf.type, "ramfs");
    assert_int_equal(sf.name_max, FS_NAME_MAX);
    assert_int_equal(fs_write(b, RAMFS_PAGE, "x", 1, &done), ST_NO_SPACE);
    assert_int_equal(fs_symlink(fs->root, "l", "a", NULL), ST_NO_SPACE);
    assert_int_equal(fs_truncate(b, 10 * RAMFS_PAGE), ST_OK); /* holes are free */

    /* Freeing makes room again. */
    fs_node_release(b);
    assert_int_equal(fs_unlink(fs->root, "b"), ST_OK);
    assert_int_equal(fs_statfs(fs, &sf), ST_OK);
    assert_int_equal(sf.free_bytes, RAMFS_PAGE + 1);
    assert_int_equal(fs_symlink(fs->root, "l", "a", NULL), ST_OK);
    fs_node_release(a);
    done_with(fs);
}

static void test_inode_limit_and_numbers(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 3);
    fs_node_t *x = NULL;
    fs_statfs_t sf;

    fs_node_t *a = t_create(fs->root, "a");
    fs_node_t *d = t_mkdir(fs->root, "d");
    assert_int_equal(fs_statfs(fs, &sf), ST_OK);
    assert_int_equal(sf.total_inodes, 3);
    assert_int_equal(sf.free_inodes, 0);
    assert_int_equal(fs_create(d, "b", 0644, &x), ST_NO_SPACE);
    assert_int_equal(fs_mkdir(fs->root, "e", 0755, &x), ST_NO_SPACE);
    assert_int_equal(fs_symlink(fs->root, "s", "a", &x), ST_NO_SPACE);
    assert_int_equal(t_count(d), 0);
    /* A hard link needs no inode. */
    assert_int_equal(fs_link(d, "a2", a), ST_OK);

    /* Numbers are never reused, even after the inode is freed. */
    uint64_t seen = a->ino > d->ino ? a->ino : d->ino;
    fs_node_release(a);
    assert_int_equal(fs_unlink(fs->root, "a"), ST_OK);
    assert_int_equal(fs_unlink(d, "a2"), ST_OK);
    for (int i = 0; i < 5; i++) {
        fs_node_t *n = t_create(fs->root, "again");
        assert_true(n->ino > seen);
        seen = n->ino;
        fs_node_release(n);
        assert_int_equal(fs_unlink(fs->root, "again"), ST_OK);
    }
    fs_node_release(d);
    done_with(fs);
}

static void test_mkdir_rmdir(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *d = t_mkdir(fs->root, "d");
    fs_node_t *x = NULL;

    assert_int_equal(t_stat(fs->root).nlink, 3);
    assert_int_equal(t_stat(d).nlink, 2);
    fs_node_t *sub = t_mkdir(d, "sub");
    assert_int_equal(t_stat(d).nlink, 3);
    fs_node_t *f = t_create(d, "f");
    assert_int_equal(t_stat(d).size, 2);

    /* "." and ".." inside the file system. */
    x = t_lookup(sub, "..");
    assert_ptr_equal(x, d);
    fs_node_release(x);
    x = t_lookup(sub, ".");
    assert_ptr_equal(x, sub);
    fs_node_release(x);
    x = t_lookup(fs->root, "..");
    assert_ptr_equal(x, fs->root);
    fs_node_release(x);

    assert_int_equal(fs_mkdir(d, "sub", 0755, &x), ST_EXISTS);
    assert_int_equal(fs_mkdir(d, "f", 0755, &x), ST_EXISTS);
    assert_int_equal(fs_rmdir(fs->root, "d"), ST_NOT_EMPTY);
    assert_int_equal(fs_rmdir(d, "f"), ST_NOT_DIRECTORY);
    assert_int_equal(fs_unlink(d, "sub"), ST_IS_DIRECTORY);
    assert_int_equal(fs_rmdir(d, "."), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_rmdir(d, ".."), ST_NOT_EMPTY);
    assert_int_equal(fs_unlink(d, "."), ST_IS_DIRECTORY);
    assert_int_equal(fs_rmdir(d, "nope"), ST_NOT_FOUND);
    assert_int_equal(fs_unlink(d, "nope"), ST_NOT_FOUND);
    assert_int_equal(fs_rmdir(f, "x"), ST_NOT_DIRECTORY);

    assert_int_equal(fs_rmdir(d, "sub"), ST_OK);
    assert_int_equal(t_stat(d).nlink, 2);
    assert_int_equal(t_stat(sub).nlink, 0);
    assert_int_equal(fs_unlink(d, "f"), ST_OK);
    assert_int_equal(fs_rmdir(fs->root, "d"), ST_OK);
    assert_int_equal(t_stat(fs->root).nlink, 2);

    /* A removed directory still referenced: empty for good. */
    uint64_t cookie = 0;
    fs_dirent_t ent;
    assert_int_equal(fs_lookup(d, "..", &x), ST_NOT_FOUND);
    assert_int_equal(fs_create(d, "new", 0644, &x), ST_NOT_FOUND);
    assert_int_equal(fs_mkdir(d, "new", 0755, &x), ST_NOT_FOUND);
    assert_int_equal(fs_readdir(d, &cookie, &ent), ST_END_OF_FILE);
    assert_int_equal(t_stat(d).nlink, 0);
    fs_node_release(f);
    fs_node_release(sub);
    fs_node_release(d);
    done_with(fs);
}

static void test_hard_links(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *f = t_create(fs->root, "f");
    fs_node_t *d = t_mkdir(fs->root, "d");

    t_write(f, 0, "shared");
    test_clock = 9000;
    assert_int_equal(fs_link(d, "g", f), ST_OK);
    assert_int_equal(t_stat(f).nlink, 2);
    assert_int_equal(t_stat(f).ctime, 9000);
    assert_int_equal(t_stat(d).mtime, 9000);
    fs_node_t *g = t_lookup(d, "g");
    assert_ptr_equal(g, f);
    assert_int_equal(t_stat(g).ino, t_stat(f).ino);
    fs_node_release(g);

    assert_int_equal(fs_link(d, "g", f), ST_EXISTS);
    assert_int_equal(fs_link(d, ".", f), ST_EXISTS);
    assert_int_equal(fs_link(fs->root, "d2", d), ST_IS_DIRECTORY);
    assert_int_equal(fs_link(f, "x", f), ST_NOT_DIRECTORY);
    fs_t *other = test_ramfs(0, 0);
    assert_int_equal(fs_link(other->root, "x", f), ST_NOT_SUPPORTED);
    done_with(other);

    assert_int_equal(fs_unlink(fs->root, "f"), ST_OK);
    assert_int_equal(t_stat(f).nlink, 1);
    g = t_lookup(d, "g");
    assert_string_equal(t_read_all(g), "shared");
    fs_node_release(g);
    assert_int_equal(fs_unlink(d, "g"), ST_OK);
    assert_int_equal(t_stat(f).nlink, 0);
    /* Unlinked while referenced: it cannot get a name back. */
    assert_int_equal(fs_link(d, "back", f), ST_NOT_FOUND);
    fs_node_release(f);
    fs_node_release(d);
    done_with(fs);
}

static void test_link_limit(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *f = t_create(fs->root, "f");
    fs_node_t *d = t_mkdir(fs->root, "d");
    char name[16];

    /* Ascending names keep every insertion at the end of the table. */
    for (unsigned i = 1; i < FS_LINK_MAX; i++) {
        snprintf(name, sizeof(name), "l%05u", i);
        assert_int_equal(fs_link(d, name, f), ST_OK);
    }
    assert_int_equal(t_stat(f).nlink, FS_LINK_MAX);
    assert_int_equal(fs_link(d, "one-more", f), ST_LIMIT);
    assert_int_equal(t_count(d), FS_LINK_MAX - 1);
    fs_node_release(f);
    fs_node_release(d);
    done_with(fs);
}

static void test_unlink_while_open(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *f = t_create(fs->root, "f");
    static uint8_t page[RAMFS_PAGE];
    fs_statfs_t sf;
    size_t done;

    assert_int_equal(fs_statfs(fs, &sf), ST_OK);
    uint64_t free0 = sf.free_bytes, inodes0 = sf.free_inodes;
    assert_int_equal(fs_write(f, 0, page, sizeof(page), &done), ST_OK);
    assert_int_equal(fs_unlink(fs->root, "f"), ST_OK);
    assert_int_equal(t_exists(fs->root, "f"), ST_NOT_FOUND);
    assert_int_equal(t_stat(f).nlink, 0);
    /* Still usable, and still using its space. */
    t_write(f, 5, "alive");
    char buf[8];
    assert_int_equal(fs_read(f, 5, buf, 5, &done), ST_OK);
    assert_memory_equal(buf, "alive", 5);
    assert_int_equal(fs_statfs(fs, &sf), ST_OK);
    assert_int_equal(sf.free_bytes, free0 + 1 - RAMFS_PAGE); /* the name went */
    /* A new file may take the name meanwhile. */
    fs_node_t *g = t_create(fs->root, "f");
    assert_ptr_not_equal(g, f);
    fs_node_release(g);
    assert_int_equal(fs_unlink(fs->root, "f"), ST_OK);
    assert_int_equal(fs_destroy(fs), ST_BUSY);
    fs_node_release(f);
    assert_int_equal(fs_statfs(fs, &sf), ST_OK);
    assert_int_equal(sf.free_bytes, free0 + 1);
    assert_int_equal(sf.free_inodes, inodes0 + 1);
    done_with(fs);
}

static void test_symlinks(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *l = NULL, *x = NULL;
    char buf[FS_PATH_MAX + 8];
    size_t len;

    assert_int_equal(fs_symlink(fs->root, "l", "../some/where", &l), ST_OK);
    fs_stat_t st = t_stat(l);
    assert_int_equal(st.mode, FS_S_IFLNK | 0777);
    assert_int_equal(st.size, 13);
    assert_int_equal(st.nlink, 1);
    assert_int_equal(fs_readlink(l, buf, sizeof(buf), &len), ST_OK);
    assert_int_equal(len, 13);
    assert_memory_equal(buf, "../some/where", 13);
    assert_int_equal(fs_readlink(l, buf, 4, &len), ST_OK);
    assert_int_equal(len, 13);
    assert_memory_equal(buf, "../s", 4);

    fs_node_t *f = t_create(fs->root, "f");
    assert_int_equal(fs_readlink(f, buf, sizeof(buf), &len), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_readlink(fs->root, buf, sizeof(buf), &len), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_symlink(fs->root, "l", "x", &x), ST_EXISTS);
    assert_int_equal(fs_symlink(fs->root, "e", "", &x), ST_NOT_FOUND);
    memset(buf, 'a', FS_PATH_MAX);
    buf[FS_PATH_MAX] = '\0';
    assert_int_equal(fs_symlink(fs->root, "long", buf, &x), ST_NAME_TOO_LONG);
    buf[FS_PATH_MAX - 1] = '\0';
    assert_int_equal(fs_symlink(fs->root, "long", buf, NULL), ST_OK);
    x = t_lookup(fs->root, "long");
    assert_int_equal(t_stat(x).size, FS_PATH_MAX - 1);
    fs_node_release(x);
    /* A link to a symbolic link is a second name for it. */
    assert_int_equal(fs_link(fs->root, "l2", l), ST_OK);
    assert_int_equal(t_stat(l).nlink, 2);
    assert_int_equal(fs_unlink(fs->root, "l"), ST_OK);
    assert_int_equal(fs_unlink(fs->root, "l2"), ST_OK);
    fs_node_release(l);
    fs_node_release(f);
    done_with(fs);
}

static void test_readdir(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *d = t_mkdir(fs->root, "d");
    fs_dirent_t ent;
    uint64_t cookie = 0;
    char name[16];

    assert_int_equal(fs_readdir(d, &cookie, &ent), ST_OK);
    assert_string_equal(ent.name, ".");
    assert_int_equal(ent.ino, d->ino);
    assert_int_equal(ent.type, FS_TYPE_DIR);
    assert_int_equal(fs_readdir(d, &cookie, &ent), ST_OK);
    assert_string_equal(ent.name, "..");
    assert_int_equal(ent.ino, fs->root->ino);
    assert_int_equal(fs_readdir(d, &cookie, &ent), ST_END_OF_FILE);
    assert_int_equal(fs_readdir(d, &cookie, &ent), ST_END_OF_FILE);

    cookie = 0;
    assert_int_equal(fs_readdir(fs->root, &cookie, &ent), ST_OK);
    assert_int_equal(fs_readdir(fs->root, &cookie, &ent), ST_OK);
    assert_string_equal(ent.name, "..");
    assert_int_equal(ent.ino, fs->root->ino);

    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof(name), "e%02d", (i * 17) % 40);
        fs_node_release(t_create(d, name));
    }
    fs_node_release(t_mkdir(d, "zdir"));
    assert_int_equal(fs_symlink(d, "zlink", "e00", NULL), ST_OK);

    /* List 20, then remove some seen and unseen entries and add others. */
    bool seen[40] = {false};
    int got = 0;
    cookie = 2;
    while (got < 20 && fs_readdir(d, &cookie, &ent) == ST_OK) {
        int i = atoi(ent.name + 1);
        assert_false(seen[i]);
        seen[i] = true;
        assert_int_equal(ent.type, FS_TYPE_REG);
        got++;
    }
    int removed_unseen = -1;
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof(name), "e%02d", i);
        if (seen[i] && i % 3 == 0)
            assert_int_equal(fs_unlink(d, name), ST_OK);
        if (!seen[i] && removed_unseen < 0) {
            assert_int_equal(fs_unlink(d, name), ST_OK);
            removed_unseen = i;
        }
    }
    fs_node_release(t_create(d, "added"));
    bool zdir = false, zlink = false, added = false;
    while (fs_readdir(d, &cookie, &ent) == ST_OK) {
        if (strcmp(ent.name, "zdir") == 0) {
            assert_int_equal(ent.type, FS_TYPE_DIR);
            zdir = true;
        } else if (strcmp(ent.name, "zlink") == 0) {
            assert_int_equal(ent.type, FS_TYPE_LNK);
            zlink = true;
        } else if (strcmp(ent.name, "added") == 0) {
            added = true;
        } else {
            int i = atoi(ent.name + 1);
            assert_false(seen[i]);
            assert_int_not_equal(i, removed_unseen);
            seen[i] = true;
        }
    }
    assert_true(zdir && zlink && added);
    for (int i = 0; i < 40; i++)
        assert_true(seen[i] || i == removed_unseen);
    fs_node_release(d);
    done_with(fs);
}

static void test_times_and_modes(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    test_clock = 100;
    fs_node_t *f = t_create(fs->root, "f");
    char buf[4];
    size_t done;

    test_clock = 200;
    t_write(f, 0, "abc");
    fs_stat_t st = t_stat(f);
    assert_int_equal(st.mtime, 200);
    assert_int_equal(st.ctime, 200);
    assert_int_equal(st.atime, 100);
    test_clock = 300;
    assert_int_equal(fs_read(f, 0, buf, 3, &done), ST_OK);
    assert_int_equal(t_stat(f).atime, 300);
    assert_int_equal(t_stat(f).mtime, 200);

    test_clock = 400;
    assert_int_equal(fs_set_times(f, -5, 123456789012345), ST_OK);
    st = t_stat(f);
    assert_int_equal(st.atime, -5);
    assert_int_equal(st.mtime, 123456789012345);
    assert_int_equal(st.ctime, 400);
    test_clock = 500;
    assert_int_equal(fs_set_times(f, FS_TIME_OMIT, FS_TIME_NOW), ST_OK);
    st = t_stat(f);
    assert_int_equal(st.atime, -5);
    assert_int_equal(st.mtime, 500);
    assert_int_equal(fs_set_times(f, FS_TIME_NOW, FS_TIME_OMIT), ST_OK);
    assert_int_equal(t_stat(f).atime, 500);

    test_clock = 600;
    assert_int_equal(fs_chmod(f, 04711), ST_OK);
    st = t_stat(f);
    assert_int_equal(st.mode, FS_S_IFREG | 04711);
    assert_int_equal(st.ctime, 600);
    assert_int_equal(st.mtime, 500);
    assert_int_equal(fs_chmod(f, 0100644), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_chmod(fs->root, 01777), ST_OK);
    assert_int_equal(t_stat(fs->root).mode, FS_S_IFDIR | 01777);

    test_clock = 700;
    assert_int_equal(fs_unlink(fs->root, "f"), ST_OK);
    assert_int_equal(t_stat(f).ctime, 700);
    assert_int_equal(t_stat(fs->root).mtime, 700);
    fs_node_release(f);

    ramfs_config_t bad = {.root_mode = 0170755};
    fs_t *x = NULL;
    assert_int_equal(ramfs_create(&bad, &x), ST_INVALID_ARGUMENT);
    assert_int_equal(ramfs_create(NULL, &x), ST_INVALID_ARGUMENT);
    ramfs_config_t noclock = {.root_mode = 0700};
    assert_int_equal(ramfs_create(&noclock, &x), ST_OK);
    assert_int_equal(t_stat(x->root).mtime, 0);
    done_with(x);
    done_with(fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_lookup_stat),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_odd_bytes_in_names),
        cmocka_unit_test(test_read_write),
        cmocka_unit_test(test_sparse),
        cmocka_unit_test(test_truncate),
        cmocka_unit_test(test_byte_limit),
        cmocka_unit_test(test_inode_limit_and_numbers),
        cmocka_unit_test(test_mkdir_rmdir),
        cmocka_unit_test(test_hard_links),
        cmocka_unit_test(test_link_limit),
        cmocka_unit_test(test_unlink_while_open),
        cmocka_unit_test(test_symlinks),
        cmocka_unit_test(test_readdir),
        cmocka_unit_test(test_times_and_modes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
