/*
 * Unit tests of fs_populate() between two ramfs instances: every kind of
 * node with its mode and times, holes kept, hard links kept, merging into
 * existing directories, conflicts, the depth limit, and bad arguments.
 * (Copying the boot image's /run is covered in test_namespace.c.)
 */
#include <stdio.h>
#include <string.h>

#include "fs_test.h"

static void test_copy_tree(void **state)
{
    (void)state;
    fs_t *a = test_ramfs(0, 0), *b = test_ramfs(0, 0);
    size_t done;

    test_clock = 10;
    fs_node_t *d = t_mkdir(a->root, "d");
    fs_node_t *f = t_create(d, "f");
    t_write(f, 0, "contents");
    assert_int_equal(fs_chmod(f, 0751), ST_OK);
    assert_int_equal(fs_set_times(f, 111, 222), ST_OK);
    assert_int_equal(fs_link(a->root, "f-link", f), ST_OK);
    assert_int_equal(fs_link(d, "f-link2", f), ST_OK);
    fs_node_t *sparse = t_create(a->root, "sparse");
    t_write(sparse, 5 * RAMFS_PAGE + 1, "end");
    assert_int_equal(fs_truncate(sparse, 9 * RAMFS_PAGE), ST_OK);
    fs_node_t *zeros = t_create(a->root, "zeros");
    static uint8_t z[2 * RAMFS_PAGE];
    assert_int_equal(fs_write(zeros, 0, z, sizeof(z), &done), ST_OK);
    assert_int_equal(fs_symlink(d, "sym", "../sparse", NULL), ST_OK);
    fs_node_t *fifo = NULL;
    assert_int_equal(fs_mknod(d, "fifo", FS_TYPE_FIFO, 0604, &fifo), ST_OK);
    assert_int_equal(fs_set_times(fifo, 7, 8), ST_OK);
    fs_node_release(fifo);
    fs_node_t *e = t_mkdir(d, "e");
    assert_int_equal(fs_chmod(e, 0700), ST_OK);
    fs_node_release(t_mkdir(e, "deeper"));
    assert_int_equal(fs_set_times(d, 5, 6), ST_OK);
    assert_int_equal(fs_chmod(a->root, 0711), ST_OK);

    test_clock = 99;
    assert_int_equal(fs_populate(a->root, b->root), ST_OK);

    assert_int_equal(t_stat(b->root).mode, FS_S_IFDIR | 0711);
    fs_node_t *bd = t_lookup(b->root, "d");
    fs_stat_t st = t_stat(bd);
    assert_int_equal(st.mtime, 6);
    assert_int_equal(st.atime, 5);
    assert_int_equal(st.nlink, 3);
    fs_node_t *bf = t_lookup(bd, "f");
    assert_string_equal(t_read_all(bf), "contents");
    st = t_stat(bf);
    assert_int_equal(st.mode, FS_S_IFREG | 0751);
    assert_int_equal(st.mtime, 222);
    assert_int_equal(st.nlink, 3);
    fs_node_t *bl = t_lookup(b->root, "f-link"), *bl2 = t_lookup(bd, "f-link2");
    assert_ptr_equal(bl, bf);
    assert_ptr_equal(bl2, bf);
    fs_node_release(bl);
    fs_node_release(bl2);

    fs_node_t *bs = t_lookup(b->root, "sparse");
    st = t_stat(bs);
    assert_int_equal(st.size, 9 * RAMFS_PAGE);
    assert_int_equal(st.blocks, RAMFS_PAGE / 512);
    char buf[4];
    assert_int_equal(fs_read(bs, 5 * RAMFS_PAGE + 1, buf, 3, &done), ST_OK);
    assert_memory_equal(buf, "end", 3);
    fs_node_t *bz = t_lookup(b->root, "zeros");
    assert_int_equal(t_stat(bz).size, 2 * RAMFS_PAGE);
    assert_int_equal(t_stat(bz).blocks, 0);

    fs_node_t *sym = NULL;
    assert_int_equal(fs_lookup(bd, "sym", &sym), ST_OK);
    char target[16];
    size_t len;
    assert_int_equal(fs_readlink(sym, target, sizeof(target), &len), ST_OK);
    assert_int_equal(len, 9);
    assert_memory_equal(target, "../sparse", 9);
    fs_node_t *bfifo = t_lookup(bd, "fifo");
    assert_int_equal(bfifo->type, FS_TYPE_FIFO);
    assert_int_equal(t_stat(bfifo).mode, FS_S_IFIFO | 0604);
    assert_int_equal(t_stat(bfifo).mtime, 8);
    fs_node_release(bfifo);
    fs_node_t *be = t_lookup(bd, "e");
    assert_int_equal(t_stat(be).mode, FS_S_IFDIR | 0700);
    assert_int_equal(t_exists(be, "deeper"), ST_OK);

    /* The source is untouched. */
    assert_int_equal(t_stat(f).nlink, 3);
    assert_int_equal(t_count(a->root), 4);
    assert_int_equal(t_count(b->root), 4);
    fs_node_release(sym);
    fs_node_release(be);
    fs_node_release(bz);
    fs_node_release(bs);
    fs_node_release(bf);
    fs_node_release(bd);
    fs_node_release(e);
    fs_node_release(zeros);
    fs_node_release(sparse);
    fs_node_release(f);
    fs_node_release(d);
    assert_int_equal(fs_destroy(a), ST_OK);
    assert_int_equal(fs_destroy(b), ST_OK);
}

static void test_merge_and_conflicts(void **state)
{
    (void)state;
    fs_t *a = test_ramfs(0, 0), *b = test_ramfs(0, 0);

    fs_node_t *d = t_mkdir(a->root, "d");
    fs_node_release(t_create(d, "new"));
    fs_node_t *bd = t_mkdir(b->root, "d");
    fs_node_release(t_create(bd, "kept"));
    assert_int_equal(fs_populate(a->root, b->root), ST_OK);
    assert_int_equal(t_exists(bd, "new"), ST_OK);
    assert_int_equal(t_exists(bd, "kept"), ST_OK);

    /* The same copy again: the file exists now. */
    assert_int_equal(fs_populate(a->root, b->root), ST_EXISTS);
    /* A file where the source has a directory. */
    fs_t *c = test_ramfs(0, 0);
    fs_node_release(t_create(c->root, "d"));
    assert_int_equal(fs_populate(a->root, c->root), ST_EXISTS);

    assert_int_equal(fs_populate(a->root, a->root), ST_INVALID_ARGUMENT);
    fs_node_t *file = t_create(a->root, "file");
    assert_int_equal(fs_populate(file, b->root), ST_NOT_DIRECTORY);
    assert_int_equal(fs_populate(a->root, file), ST_NOT_DIRECTORY);

    /* A destination too small fails part way, releasing everything. */
    fs_t *small = test_ramfs(1, 0);
    assert_int_equal(fs_populate(a->root, small->root), ST_NO_SPACE);
    fs_node_release(file);
    fs_node_release(d);
    fs_node_release(bd);
    assert_int_equal(fs_destroy(small), ST_OK);
    assert_int_equal(fs_destroy(a), ST_OK);
    assert_int_equal(fs_destroy(b), ST_OK);
    assert_int_equal(fs_destroy(c), ST_OK);
}

static void test_depth_limit(void **state)
{
    (void)state;
    fs_t *a = test_ramfs(0, 0), *b = test_ramfs(0, 0), *c = test_ramfs(0, 0);
    fs_node_t *cur = a->root;

    /* 255 levels below the top fit in the 256 frames. */
    fs_node_ref(cur);
    for (int i = 0; i < 255; i++) {
        fs_node_t *next = t_mkdir(cur, "n");
        fs_node_release(cur);
        cur = next;
    }
    assert_int_equal(fs_populate(a->root, b->root), ST_OK);
    fs_node_release(t_mkdir(cur, "n"));
    assert_int_equal(fs_populate(a->root, c->root), ST_LIMIT);
    fs_node_release(cur);
    assert_int_equal(fs_destroy(a), ST_OK);
    assert_int_equal(fs_destroy(b), ST_OK);
    assert_int_equal(fs_destroy(c), ST_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_tree),
        cmocka_unit_test(test_merge_and_conflicts),
        cmocka_unit_test(test_depth_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
