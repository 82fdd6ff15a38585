/*
 * Unit tests of rename on ramfs (fs_rename()): the POSIX cases one by
 * one, with the link counts and times they must leave behind, and the
 * guarantee that a refused rename changes nothing.
 */
#include <string.h>

#include "fs_test.h"

static void test_rename_file(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *f = t_create(fs->root, "a");
    fs_node_t *d = t_mkdir(fs->root, "d");

    t_write(f, 0, "data");
    test_clock = 2000;
    assert_int_equal(fs_rename(fs->root, "a", fs->root, "b"), ST_OK);
    assert_int_equal(t_exists(fs->root, "a"), ST_NOT_FOUND);
    fs_node_t *b = t_lookup(fs->root, "b");
    assert_ptr_equal(b, f);
    fs_node_release(b);
    assert_int_equal(t_stat(f).ctime, 2000);
    assert_int_equal(t_stat(fs->root).mtime, 2000);

    test_clock = 3000;
    assert_int_equal(fs_rename(fs->root, "b", d, "c"), ST_OK);
    assert_int_equal(t_exists(fs->root, "b"), ST_NOT_FOUND);
    assert_int_equal(t_exists(d, "c"), ST_OK);
    assert_int_equal(t_stat(d).mtime, 3000);
    assert_int_equal(t_stat(fs->root).mtime, 3000);
    assert_int_equal(t_stat(f).nlink, 1);
    assert_string_equal(t_read_all(f), "data");

    /* Same name: nothing happens. */
    assert_int_equal(fs_rename(d, "c", d, "c"), ST_OK);
    assert_int_equal(t_exists(d, "c"), ST_OK);

    assert_int_equal(fs_rename(d, "missing", d, "x"), ST_NOT_FOUND);
    assert_int_equal(fs_rename(d, ".", d, "x"), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_rename(d, "c", d, ".."), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_rename(d, "c", d, ""), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_rename(d, "c", d, "a/b"), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_rename(f, "c", d, "x"), ST_NOT_DIRECTORY);
    fs_t *other = test_ramfs(0, 0);
    assert_int_equal(fs_rename(d, "c", other->root, "x"), ST_NOT_SUPPORTED);
    assert_int_equal(fs_destroy(other), ST_OK);
    assert_int_equal(t_exists(d, "c"), ST_OK);
    fs_node_release(f);
    fs_node_release(d);
    assert_int_equal(fs_destroy(fs), ST_OK);
}

static void test_rename_replaces_file(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *a = t_create(fs->root, "a");
    fs_node_t *b = t_create(fs->root, "b");

    t_write(a, 0, "new");
    t_write(b, 0, "old");
    assert_int_equal(fs_rename(fs->root, "a", fs->root, "b"), ST_OK);
    assert_int_equal(t_exists(fs->root, "a"), ST_NOT_FOUND);
    fs_node_t *now_b = t_lookup(fs->root, "b");
    assert_ptr_equal(now_b, a);
    assert_string_equal(t_read_all(now_b), "new");
    fs_node_release(now_b);
    /* The replaced file lives on while referenced. */
    assert_int_equal(t_stat(b).nlink, 0);
    assert_string_equal(t_read_all(b), "old");
    assert_int_equal(t_count(fs->root), 1);

    /* Replacing one link of a file with two keeps the other. */
    fs_node_t *c = t_create(fs->root, "c");
    assert_int_equal(fs_link(fs->root, "c2", c), ST_OK);
    assert_int_equal(fs_rename(fs->root, "b", fs->root, "c"), ST_OK);
    assert_int_equal(t_stat(c).nlink, 1);
    assert_int_equal(t_exists(fs->root, "c2"), ST_OK);

    /* A symbolic link replaces a file and the other way round. */
    assert_int_equal(fs_symlink(fs->root, "s", "target", NULL), ST_OK);
    assert_int_equal(fs_rename(fs->root, "s", fs->root, "c2"), ST_OK);
    fs_node_t *s = t_lookup(fs->root, "c2");
    assert_int_equal(s->type, FS_TYPE_LNK);
    fs_node_release(s);
    assert_int_equal(t_stat(c).nlink, 0);
    fs_node_release(a);
    fs_node_release(b);
    fs_node_release(c);
    assert_int_equal(fs_destroy(fs), ST_OK);
}

static void test_rename_hard_links_same_file(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *a = t_create(fs->root, "a");

    assert_int_equal(fs_link(fs->root, "b", a), ST_OK);
    /* POSIX: both names refer to the same file, so nothing is done. */
    assert_int_equal(fs_rename(fs->root, "a", fs->root, "b"), ST_OK);
    assert_int_equal(t_exists(fs->root, "a"), ST_OK);
    assert_int_equal(t_exists(fs->root, "b"), ST_OK);
    assert_int_equal(t_stat(a).nlink, 2);
    fs_node_release(a);
    assert_int_equal(fs_destroy(fs), ST_OK);
}

static void test_rename_kinds(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *f = t_create(fs->root, "f");
    fs_node_t *d = t_mkdir(fs->root, "d");
    fs_node_t *e = t_mkdir(fs->root, "e");
    fs_node_t *full = t_mkdir(fs->root, "full");
    fs_node_release(t_create(full, "x"));

    assert_int_equal(fs_rename(fs->root, "f", fs->root, "d"), ST_IS_DIRECTORY);
    assert_int_equal(fs_rename(fs->root, "d", fs->root, "f"), ST_NOT_DIRECTORY);
    assert_int_equal(fs_rename(fs->root, "d", fs->root, "full"), ST_NOT_EMPTY);
    assert_int_equal(t_count(fs->root), 4);

    /* A directory replaces an empty one. */
    fs_node_release(t_create(d, "inside"));
    assert_int_equal(t_stat(fs->root).nlink, 5);
    assert_int_equal(fs_rename(fs->root, "d", fs->root, "e"), ST_OK);
    assert_int_equal(t_stat(fs->root).nlink, 4);
    assert_int_equal(t_stat(e).nlink, 0);
    fs_node_t *x = NULL;
    assert_int_equal(fs_create(e, "y", 0644, &x), ST_NOT_FOUND);
    fs_node_t *now_e = t_lookup(fs->root, "e");
    assert_ptr_equal(now_e, d);
    assert_int_equal(t_exists(now_e, "inside"), ST_OK);
    fs_node_release(now_e);
    fs_node_release(f);
    fs_node_release(d);
    fs_node_release(e);
    fs_node_release(full);
    assert_int_equal(fs_destroy(fs), ST_OK);
}

static void test_rename_directory_moves(void **state)
{
    (void)state;
    fs_t *fs = test_ramfs(0, 0);
    fs_node_t *a = t_mkdir(fs->root, "a");
    fs_node_t *b = t_mkdir(a, "b");
    fs_node_t *c = t_mkdir(b, "c");
    fs_node_t *z = t_mkdir(fs->root, "z");

    /* Into itself or below itself. */
    assert_int_equal(fs_rename(fs->root, "a", a, "x"), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_rename(fs->root, "a", b, "x"), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_rename(fs->root, "a", c, "x"), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_rename(a, "b", c, "b"), ST_INVALID_ARGUMENT);
    /* Onto its own ancestor: that one is not empty. */
    assert_int_equal(fs_rename(b, "c", fs->root, "a"), ST_NOT_EMPTY);
    assert_int_equal(t_exists(b, "c"), ST_OK);

    /* Across directories: the link counts of both parents follow. */
    assert_int_equal(t_stat(a).nlink, 3);
    assert_int_equal(t_stat(z).nlink, 2);
    assert_int_equal(fs_rename(a, "b", z, "b2"), ST_OK);
    assert_int_equal(t_stat(a).nlink, 2);
    assert_int_equal(t_stat(z).nlink, 3);
    fs_node_t *up = t_lookup(b, "..");
    assert_ptr_equal(up, z);
    fs_node_release(up);
    /* Now a may go below its former child. */
    assert_int_equal(fs_rename(fs->root, "a", c, "a"), ST_OK);
    up = t_lookup(a, "..");
    assert_ptr_equal(up, c);
    fs_node_release(up);
    assert_int_equal(t_stat(fs->root).nlink, 3);
    assert_int_equal(t_stat(c).nlink, 3);

    /* Renaming a removed directory's child: there is none. */
    assert_int_equal(fs_rmdir(c, "a"), ST_OK);
    assert_int_equal(fs_rename(a, "q", fs->root, "q"), ST_NOT_FOUND);
    fs_node_release(t_create(fs->root, "q"));
    assert_int_equal(fs_rename(fs->root, "q", a, "q"), ST_NOT_FOUND);
    assert_int_equal(t_exists(fs->root, "q"), ST_OK);
    fs_node_release(a);
    fs_node_release(b);
    fs_node_release(c);
    fs_node_release(z);
    assert_int_equal(fs_destroy(fs), ST_OK);
}

static void test_rename_no_space_changes_nothing(void **state)
{
    (void)state;
    /* Room for the names "a", "d" and one more byte. */
    fs_t *fs = test_ramfs(3, 0);
    fs_node_t *a = t_create(fs->root, "a");
    fs_node_t *d = t_mkdir(fs->root, "d");

    assert_int_equal(fs_rename(fs->root, "a", d, "longer"), ST_NO_SPACE);
    assert_int_equal(t_exists(fs->root, "a"), ST_OK);
    assert_int_equal(t_count(d), 0);
    /* Replacing an existing name needs no new one. */
    fs_node_release(t_create(d, "b"));
    assert_int_equal(fs_rename(fs->root, "a", d, "b"), ST_OK);
    assert_int_equal(t_count(fs->root), 1);
    assert_int_equal(t_count(d), 1);
    fs_node_release(a);
    fs_node_release(d);
    assert_int_equal(fs_destroy(fs), ST_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rename_file),
        cmocka_unit_test(test_rename_replaces_file),
        cmocka_unit_test(test_rename_hard_links_same_file),
        cmocka_unit_test(test_rename_kinds),
        cmocka_unit_test(test_rename_directory_moves),
        cmocka_unit_test(test_rename_no_space_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
