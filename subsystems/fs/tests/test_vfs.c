/*
 * Unit tests of the VFS namespace on ramfs instances: the mount table,
 * vfs_resolve() (".", "..", mounts, symbolic links, trailing slashes,
 * limits), vfs_resolve_parent(), unmounting while busy, and cwd checks.
 * The path operations have their own file (test_pathops.c).
 */
#include <stdio.h>
#include <string.h>

#include "fs_test.h"

typedef struct ns {
    vfs_t *vfs;
    fs_t *root, *tmp;
} ns_t;

/* "/" a ramfs with /tmp, /run, /etc/passwd; a second ramfs at /tmp. */
static ns_t make_ns(void)
{
    ns_t ns;

    assert_int_equal(vfs_new(&ns.vfs), ST_OK);
    ns.root = test_ramfs(0, 0);
    ns.tmp = test_ramfs(0, 0);
    fs_node_release(t_mkdir(ns.root->root, "tmp"));
    fs_node_release(t_mkdir(ns.root->root, "run"));
    fs_node_t *etc = t_mkdir(ns.root->root, "etc");
    fs_node_t *pw = t_create(etc, "passwd");
    t_write(pw, 0, "root");
    fs_node_release(pw);
    fs_node_release(etc);
    assert_int_equal(vfs_mount(ns.vfs, "/", ns.root), ST_OK);
    assert_int_equal(vfs_mount(ns.vfs, "/tmp", ns.tmp), ST_OK);
    return ns;
}

static void free_ns(ns_t *ns)
{
    assert_int_equal(vfs_free(ns->vfs), ST_OK);
}

/* The node at path, or the failure status as a fake pointer for comparison. */
static fs_node_t *at(ns_t *ns, fs_node_t *cwd, const char *path, unsigned flags, int *rc)
{
    fs_node_t *n = NULL;

    *rc = vfs_resolve(ns->vfs, cwd, path, flags, &n, NULL);
    if (n)
        fs_node_release(n); /* the namespace still holds it */
    return n;
}

#define assert_at(ns, cwd, path, flags, node)           \
    do {                                                \
        int rc_;                                        \
        fs_node_t *n_ = at(ns, cwd, path, flags, &rc_); \
        assert_int_equal(rc_, ST_OK);                   \
        assert_ptr_equal(n_, node);                     \
    } while (0)

#define assert_fails(ns, cwd, path, flags, status)      \
    do {                                                \
        int rc_;                                        \
        fs_node_t *n_ = at(ns, cwd, path, flags, &rc_); \
        assert_int_equal(rc_, status);                  \
        assert_null(n_);                                \
    } while (0)

static fs_node_t *get(ns_t *ns, const char *path)
{
    fs_node_t *n = NULL;

    assert_int_equal(vfs_resolve(ns->vfs, NULL, path, 0, &n, NULL), ST_OK);
    return n;
}

static void test_mount_table(void **state)
{
    (void)state;
    vfs_t *vfs;
    fs_node_t *n;
    fs_t *a = test_ramfs(0, 0), *b = test_ramfs(0, 0);

    assert_int_equal(vfs_new(&vfs), ST_OK);
    assert_int_equal(vfs_resolve(vfs, NULL, "/", 0, &n, NULL), ST_NOT_FOUND);
    assert_int_equal(vfs_mount(vfs, "/x", a), ST_NOT_FOUND);
    assert_int_equal(vfs_mount(vfs, "/", a), ST_OK);
    assert_int_equal(vfs_mount(vfs, "/", a), ST_BUSY);
    assert_int_equal(vfs_mount(vfs, "/", b), ST_BUSY);
    assert_int_equal(vfs_mount(vfs, "/missing", b), ST_NOT_FOUND);
    fs_node_release(t_create(a->root, "file"));
    fs_node_release(t_mkdir(a->root, "dir"));
    assert_int_equal(vfs_mount(vfs, "/file", b), ST_NOT_DIRECTORY);
    assert_int_equal(vfs_mount(vfs, "/dir", NULL), ST_INVALID_ARGUMENT);
    assert_int_equal(vfs_mount(vfs, "/dir", b), ST_OK);
    assert_int_equal(vfs_mount(vfs, "/dir", b), ST_BUSY);
    fs_t *c = test_ramfs(0, 0);
    assert_int_equal(vfs_mount(vfs, "/dir", c), ST_BUSY);
    assert_int_equal(vfs_mount(vfs, "/dir/.", c), ST_BUSY);

    /* Device ids tell the file systems apart. */
    n = NULL;
    assert_int_equal(vfs_resolve(vfs, NULL, "/dir", 0, &n, NULL), ST_OK);
    assert_ptr_equal(n, b->root);
    fs_stat_t sb = t_stat(n), sa = t_stat(a->root);
    assert_int_not_equal(sb.dev, sa.dev);
    assert_int_not_equal(sb.dev, 0);
    fs_node_release(n);

    /* The table is bounded. */
    char name[16];
    int mounted = 2;
    fs_node_release(t_mkdir(a->root, "m"));
    fs_node_t *m = t_lookup(a->root, "m");
    for (int i = 0; mounted < VFS_MOUNT_MAX; i++, mounted++) {
        snprintf(name, sizeof(name), "%d", i);
        fs_node_release(t_mkdir(m, name));
        snprintf(name, sizeof(name), "/m/%d", i);
        assert_int_equal(vfs_mount_remote(vfs, name, "r"), ST_OK);
    }
    fs_node_release(t_mkdir(m, "last"));
    fs_node_release(m);
    assert_int_equal(vfs_mount(vfs, "/m/last", c), ST_LIMIT);
    assert_int_equal(vfs_mount_remote(vfs, "/m/last", "r"), ST_LIMIT);
    assert_int_equal(fs_destroy(c), ST_OK);
    assert_int_equal(vfs_free(vfs), ST_OK);
}

static void test_resolve_basics(void **state)
{
    (void)state;
    ns_t ns = make_ns();
    fs_node_t *etc = get(&ns, "/etc"), *pw = get(&ns, "/etc/passwd");
    fs_node_t *root = ns.root->root;

    assert_at(&ns, NULL, "/", 0, root);
    assert_at(&ns, NULL, "///", 0, root);
    assert_at(&ns, NULL, "/etc", 0, etc);
    assert_at(&ns, NULL, "//etc//passwd", 0, pw);
    assert_at(&ns, NULL, "/etc/", 0, etc);
    assert_at(&ns, NULL, "/etc/.", 0, etc);
    assert_at(&ns, NULL, "/./etc/./passwd", 0, pw);
    assert_at(&ns, NULL, "etc/passwd", 0, pw); /* no cwd: from the root */
    assert_at(&ns, etc, "passwd", 0, pw);
    assert_at(&ns, etc, "./passwd", 0, pw);
    assert_at(&ns, etc, ".", 0, etc);
    assert_at(&ns, etc, "/etc/passwd", 0, pw);
    assert_at(&ns, NULL, "/etc", VFS_DIRECTORY, etc);

    assert_fails(&ns, NULL, "", 0, ST_NOT_FOUND);
    assert_fails(&ns, etc, "", 0, ST_NOT_FOUND);
    assert_fails(&ns, NULL, "/nope", 0, ST_NOT_FOUND);
    assert_fails(&ns, NULL, "/nope/x", 0, ST_NOT_FOUND);
    assert_fails(&ns, NULL, "/etc/passwd/", 0, ST_NOT_DIRECTORY);
    assert_fails(&ns, NULL, "/etc/passwd/.", 0, ST_NOT_DIRECTORY);
    assert_fails(&ns, NULL, "/etc/passwd/..", 0, ST_NOT_DIRECTORY);
    assert_fails(&ns, NULL, "/etc/passwd/x", 0, ST_NOT_DIRECTORY);
    assert_fails(&ns, NULL, "/etc/passwd", VFS_DIRECTORY, ST_NOT_DIRECTORY);
    assert_fails(&ns, pw, "x", 0, ST_NOT_DIRECTORY);
    fs_node_t *n;
    assert_int_equal(vfs_resolve(ns.vfs, NULL, NULL, 0, &n, NULL), ST_INVALID_ARGUMENT);

    /* A cwd from another namespace is refused. */
    fs_t *stray = test_ramfs(0, 0);
    assert_fails(&ns, stray->root, "x", 0, ST_INVALID_ARGUMENT);
    assert_int_equal(fs_destroy(stray), ST_OK);
    fs_node_release(etc);
    fs_node_release(pw);
    free_ns(&ns);
}

static void test_dotdot_and_mounts(void **state)
{
    (void)state;
    ns_t ns = make_ns();
    fs_node_t *root = ns.root->root, *tmp = ns.tmp->root;
    fs_node_t *etc = get(&ns, "/etc");

    assert_at(&ns, NULL, "/..", 0, root);
    assert_at(&ns, NULL, "/../../..", 0, root);
    assert_at(&ns, NULL, "/../etc", 0, etc);
    assert_at(&ns, root, "..", 0, root);
    assert_at(&ns, etc, "..", 0, root);
    assert_at(&ns, etc, "../..", 0, root);

    /* Into the mounted file system and back out through its mount point. */
    assert_at(&ns, NULL, "/tmp", 0, tmp);
    assert_at(&ns, NULL, "/tmp/", 0, tmp);
    assert_at(&ns, NULL, "/tmp/..", 0, root);
    assert_at(&ns, NULL, "/tmp/../etc", 0, etc);
    assert_at(&ns, tmp, "..", 0, root);
    assert_at(&ns, tmp, "../tmp", 0, tmp);
    fs_node_t *sub = t_mkdir(tmp, "sub");
    assert_at(&ns, NULL, "/tmp/sub/..", 0, tmp);
    assert_at(&ns, NULL, "/tmp/sub/../..", 0, root);
    assert_at(&ns, sub, "../../etc", 0, etc);

    /* A mount inside a mounted file system, two levels deep. */
    fs_t *deep = test_ramfs(0, 0);
    assert_int_equal(vfs_mount(ns.vfs, "/tmp/sub", deep), ST_OK);
    assert_at(&ns, NULL, "/tmp/sub", 0, deep->root);
    assert_at(&ns, NULL, "/tmp/sub/..", 0, tmp);
    assert_at(&ns, NULL, "/tmp/sub/../../tmp/sub", 0, deep->root);
    assert_at(&ns, deep->root, "../..", 0, root);
    /* The covered directory is still reachable by a reference taken before. */
    fs_node_t *x = NULL;
    assert_int_equal(fs_lookup(sub, ".", &x), ST_OK);
    assert_ptr_equal(x, sub);
    fs_node_release(x);
    assert_int_equal(vfs_unmount(ns.vfs, "/tmp/sub"), ST_OK);
    assert_at(&ns, NULL, "/tmp/sub", 0, sub);
    fs_node_release(sub);
    fs_node_release(etc);
    free_ns(&ns);
}

static void test_symlinks(void **state)
{
    (void)state;
    ns_t ns = make_ns();
    fs_node_t *root = ns.root->root, *tmp = ns.tmp->root;
    fs_node_t *etc = get(&ns, "/etc"), *pw = get(&ns, "/etc/passwd");

    assert_int_equal(fs_symlink(root, "rel", "etc/passwd", NULL), ST_OK);
    assert_int_equal(fs_symlink(root, "abs", "/etc/passwd", NULL), ST_OK);
    assert_int_equal(fs_symlink(root, "dirlink", "etc", NULL), ST_OK);
    assert_int_equal(fs_symlink(root, "chain", "dirlink/../abs", NULL), ST_OK);
    assert_int_equal(fs_symlink(root, "dangling", "/nowhere", NULL), ST_OK);
    assert_int_equal(fs_symlink(tmp, "up", "../etc", NULL), ST_OK);
    assert_int_equal(fs_symlink(tmp, "slash", "/", NULL), ST_OK);
    assert_int_equal(fs_symlink(root, "intotmp", "tmp/up/passwd", NULL), ST_OK);

    fs_node_t *rel = get(&ns, "/rel");
    assert_ptr_equal(rel, pw);
    fs_node_release(rel);
    assert_at(&ns, NULL, "/abs", 0, pw);
    assert_at(&ns, NULL, "/dirlink", 0, etc);
    assert_at(&ns, NULL, "/dirlink/passwd", 0, pw);
    assert_at(&ns, NULL, "/dirlink/", 0, etc);
    assert_at(&ns, NULL, "/chain", 0, pw);
    assert_at(&ns, NULL, "/tmp/up/passwd", 0, pw);
    assert_at(&ns, NULL, "/intotmp", 0, pw);
    assert_at(&ns, NULL, "/tmp/slash", 0, root);
    assert_at(&ns, NULL, "/tmp/slash/tmp/slash/etc", 0, etc);
    assert_at(&ns, tmp, "up/../tmp", 0, tmp);
    assert_fails(&ns, NULL, "/dangling", 0, ST_NOT_FOUND);
    assert_fails(&ns, NULL, "/abs/", 0, ST_NOT_DIRECTORY);

    /* Not following the last component, unless a trailing '/' asks for it. */
    int rc;
    fs_node_t *l = at(&ns, NULL, "/dirlink", VFS_NOFOLLOW, &rc);
    assert_int_equal(rc, ST_OK);
    assert_int_equal(l->type, FS_TYPE_LNK);
    assert_at(&ns, NULL, "/dirlink/", VFS_NOFOLLOW, etc);
    assert_at(&ns, NULL, "/dirlink/passwd", VFS_NOFOLLOW, pw);
    l = at(&ns, NULL, "/dangling", VFS_NOFOLLOW, &rc);
    assert_int_equal(rc, ST_OK);
    assert_int_equal(l->type, FS_TYPE_LNK);
    assert_fails(&ns, NULL, "/dirlink", VFS_NOFOLLOW | VFS_DIRECTORY, ST_NOT_DIRECTORY);

    /* Loops, and the limit of 40 links in one resolution. */
    assert_int_equal(fs_symlink(root, "loop1", "loop2", NULL), ST_OK);
    assert_int_equal(fs_symlink(root, "loop2", "/loop1", NULL), ST_OK);
    assert_int_equal(fs_symlink(root, "self", "self/x", NULL), ST_OK);
    assert_fails(&ns, NULL, "/loop1", 0, ST_LIMIT);
    assert_fails(&ns, NULL, "/self", 0, ST_LIMIT);
    assert_fails(&ns, NULL, "/loop1/x", VFS_NOFOLLOW, ST_LIMIT);
    char name[16], target[16];
    for (int i = 1; i <= FS_SYMLINK_MAX + 1; i++) {
        snprintf(name, sizeof(name), "c%d", i);
        snprintf(target, sizeof(target), i == 1 ? "etc" : "c%d", i - 1);
        assert_int_equal(fs_symlink(root, name, target, NULL), ST_OK);
    }
    snprintf(name, sizeof(name), "/c%d", FS_SYMLINK_MAX);
    assert_at(&ns, NULL, name, 0, etc);
    snprintf(name, sizeof(name), "/c%d", FS_SYMLINK_MAX + 1);
    assert_fails(&ns, NULL, name, 0, ST_LIMIT);
    snprintf(name, sizeof(name), "/c%d/", FS_SYMLINK_MAX);
    assert_at(&ns, NULL, name, VFS_NOFOLLOW, etc);

    /* Links that make the path grow past FS_PATH_MAX. */
    static char big[FS_PATH_MAX];
    memset(big, 0, sizeof(big));
    for (size_t i = 0; i + 2 < 3000; i += 2)
        memcpy(big + i, "./", 2);
    memcpy(big + 2998, "etc", 4);
    assert_int_equal(fs_symlink(root, "big", big, NULL), ST_OK);
    assert_at(&ns, NULL, "/big", 0, etc);
    static char grow[1300] = "/big";
    for (size_t i = 4; i < 1204; i += 2)
        memcpy(grow + i, "/.", 2);
    assert_fails(&ns, NULL, grow, 0, ST_NAME_TOO_LONG);
    grow[1000] = '\0';
    assert_at(&ns, NULL, grow, 0, etc);
    fs_node_release(etc);
    fs_node_release(pw);
    free_ns(&ns);
}

static void test_name_and_path_limits(void **state)
{
    (void)state;
    ns_t ns = make_ns();
    static char path[FS_PATH_MAX + 16];
    fs_node_t *root = ns.root->root;

    path[0] = '/';
    memset(path + 1, 'n', 255);
    path[256] = '\0';
    assert_fails(&ns, NULL, path, 0, ST_NOT_FOUND);
    fs_node_release(t_create(root, path + 1));
    fs_node_t *f = get(&ns, path);
    assert_int_equal(f->type, FS_TYPE_REG);
    fs_node_release(f);
    path[256] = 'n';
    path[257] = '\0';
    assert_fails(&ns, NULL, path, 0, ST_NAME_TOO_LONG);
    assert_fails(&ns, NULL, path + 1, 0, ST_NAME_TOO_LONG);

    /* 4095 bytes resolve; 4096 do not. */
    memset(path, '/', FS_PATH_MAX + 1);
    memcpy(path + FS_PATH_MAX - 1 - 3, "etc", 3);
    path[FS_PATH_MAX - 1] = '\0';
    assert_int_equal(strlen(path), FS_PATH_MAX - 1);
    fs_node_t *etc = get(&ns, path);
    fs_node_release(etc);
    memcpy(path + FS_PATH_MAX - 1 - 3, "/etc", 4);
    path[FS_PATH_MAX] = '\0';
    assert_fails(&ns, NULL, path, 0, ST_NAME_TOO_LONG);
    free_ns(&ns);
}

static void test_resolve_parent(void **state)
{
    (void)state;
    ns_t ns = make_ns();
    fs_node_t *dir = NULL, *etc = get(&ns, "/etc");
    char name[FS_NAME_MAX + 1];
    bool trailing;

    assert_int_equal(vfs_resolve_parent(ns.vfs, NULL, "/etc/passwd", &dir, name, &trailing, NULL),
                     ST_OK);
    assert_ptr_equal(dir, etc);
    assert_string_equal(name, "passwd");
    assert_false(trailing);
    fs_node_release(dir);
    assert_int_equal(vfs_resolve_parent(ns.vfs, NULL, "/etc/new/", &dir, name, &trailing, NULL),
                     ST_OK);
    assert_ptr_equal(dir, etc);
    assert_string_equal(name, "new");
    assert_true(trailing);
    fs_node_release(dir);
    assert_int_equal(vfs_resolve_parent(ns.vfs, etc, "x", &dir, name, NULL, NULL), ST_OK);
    assert_ptr_equal(dir, etc);
    assert_string_equal(name, "x");
    fs_node_release(dir);
    assert_int_equal(vfs_resolve_parent(ns.vfs, NULL, "/", &dir, name, &trailing, NULL), ST_OK);
    assert_ptr_equal(dir, ns.root->root);
    assert_string_equal(name, ".");
    fs_node_release(dir);
    assert_int_equal(vfs_resolve_parent(ns.vfs, NULL, "/etc/..", &dir, name, NULL, NULL), ST_OK);
    assert_ptr_equal(dir, etc);
    assert_string_equal(name, "..");
    fs_node_release(dir);
    /* The last component is not looked up: a mount point stays itself. */
    assert_int_equal(vfs_resolve_parent(ns.vfs, NULL, "/tmp", &dir, name, NULL, NULL), ST_OK);
    assert_ptr_equal(dir, ns.root->root);
    assert_string_equal(name, "tmp");
    fs_node_release(dir);
    /* Symbolic links before the last component are followed. */
    assert_int_equal(fs_symlink(ns.root->root, "e", "etc", NULL), ST_OK);
    assert_int_equal(vfs_resolve_parent(ns.vfs, NULL, "/e/x", &dir, name, NULL, NULL), ST_OK);
    assert_ptr_equal(dir, etc);
    fs_node_release(dir);
    assert_int_equal(vfs_resolve_parent(ns.vfs, NULL, "/nope/x", &dir, name, NULL, NULL),
                     ST_NOT_FOUND);
    assert_null(dir);
    assert_int_equal(vfs_resolve_parent(ns.vfs, NULL, "/etc/passwd/x", &dir, name, NULL, NULL),
                     ST_NOT_DIRECTORY);
    assert_int_equal(vfs_resolve_parent(ns.vfs, NULL, "", &dir, name, NULL, NULL), ST_NOT_FOUND);
    fs_node_release(etc);
    free_ns(&ns);
}

static void test_unmount(void **state)
{
    (void)state;
    ns_t ns = make_ns();
    fs_node_t *tmp = ns.tmp->root;
    fs_node_t *f = t_create(tmp, "f");
    fs_node_t *run = get(&ns, "/run");
    fs_node_release(t_create(run, "x"));
    fs_node_release(run);

    assert_int_equal(vfs_unmount(ns.vfs, "/tmp"), ST_BUSY);
    assert_int_equal(vfs_free(ns.vfs), ST_BUSY);
    fs_node_release(f);
    fs_node_t *cwd = get(&ns, "/tmp");
    assert_int_equal(vfs_unmount(ns.vfs, "/tmp"), ST_BUSY);
    fs_node_release(cwd);
    assert_int_equal(vfs_unmount(ns.vfs, "/etc"), ST_INVALID_ARGUMENT);
    assert_int_equal(vfs_unmount(ns.vfs, "/nope"), ST_NOT_FOUND);
    /* "/" holds a mount point: not before /tmp goes. */
    assert_int_equal(vfs_unmount(ns.vfs, "/"), ST_BUSY);
    assert_int_equal(vfs_unmount(ns.vfs, "/tmp/"), ST_OK);
    fs_node_t *covered = get(&ns, "/tmp");
    assert_int_equal(covered->fs, ns.root);
    assert_int_equal(t_count(covered), 0);
    fs_node_release(covered);
    assert_int_equal(vfs_unmount(ns.vfs, "/"), ST_OK);
    fs_node_t *n;
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/", 0, &n, NULL), ST_NOT_FOUND);
    free_ns(&ns);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mount_table),
        cmocka_unit_test(test_resolve_basics),
        cmocka_unit_test(test_dotdot_and_mounts),
        cmocka_unit_test(test_symlinks),
        cmocka_unit_test(test_name_and_path_limits),
        cmocka_unit_test(test_resolve_parent),
        cmocka_unit_test(test_unmount),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
