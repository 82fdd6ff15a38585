/*
 * Unit tests of the VFS path operations (vfs_create, vfs_mkdir,
 * vfs_symlink, vfs_mknod, vfs_unlink, vfs_rmdir, vfs_link, vfs_rename) across mounts,
 * and of remote mounts: the redirect status, the tag and the normalised
 * rest of the path, ".." climbing back out, two-path operations.
 */
#include <string.h>

#include "fs_test.h"

typedef struct ns {
    vfs_t *vfs;
    fs_t *root, *tmp;
} ns_t;

/* "/" a ramfs holding /tmp, /mnt/fat, /etc; a ramfs at /tmp; "fat0" remote at /mnt/fat. */
static ns_t make_ns(void)
{
    ns_t ns;

    assert_int_equal(vfs_new(&ns.vfs), ST_OK);
    ns.root = test_ramfs(0, 0);
    ns.tmp = test_ramfs(0, 0);
    assert_int_equal(vfs_mount(ns.vfs, "/", ns.root), ST_OK);
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/tmp", 01777, NULL), ST_OK);
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/mnt", 0755, NULL), ST_OK);
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/mnt/fat", 0755, NULL), ST_OK);
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/etc", 0755, NULL), ST_OK);
    assert_int_equal(vfs_mount(ns.vfs, "/tmp", ns.tmp), ST_OK);
    assert_int_equal(vfs_mount_remote(ns.vfs, "/mnt/fat", "fat0"), ST_OK);
    return ns;
}

static void free_ns(ns_t *ns)
{
    assert_int_equal(vfs_free(ns->vfs), ST_OK);
}

static int exists(ns_t *ns, const char *path)
{
    fs_node_t *n = NULL;
    int rc = vfs_resolve(ns->vfs, NULL, path, VFS_NOFOLLOW, &n, NULL);

    fs_node_release(n);
    return rc;
}

static void test_create(void **state)
{
    (void)state;
    ns_t ns = make_ns();
    fs_node_t *f = NULL, *g = NULL;

    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/a", 0600, 0, &f, NULL), ST_OK);
    assert_int_equal(f->fs, ns.tmp);
    assert_int_equal(t_stat(f).mode, FS_S_IFREG | 0600);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/a", 0644, 0, &g, NULL), ST_OK);
    assert_ptr_equal(g, f);
    fs_node_release(g);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/a", 0644, VFS_EXCL, &g, NULL), ST_EXISTS);
    assert_null(g);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/a/", 0644, 0, &g, NULL), ST_NOT_DIRECTORY);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp", 0644, 0, &g, NULL), ST_IS_DIRECTORY);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/", 0644, 0, &g, NULL), ST_IS_DIRECTORY);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/.", 0644, 0, &g, NULL), ST_IS_DIRECTORY);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/new/", 0644, 0, &g, NULL), ST_IS_DIRECTORY);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/no/x", 0644, 0, &g, NULL), ST_NOT_FOUND);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/a/x", 0644, 0, &g, NULL), ST_NOT_DIRECTORY);
    assert_int_equal(vfs_create(ns.vfs, NULL, "", 0644, 0, &g, NULL), ST_NOT_FOUND);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/b", 0100644, 0, &g, NULL), ST_INVALID_ARGUMENT);

    /* Relative to a cwd in the mounted file system. */
    assert_int_equal(vfs_create(ns.vfs, ns.tmp->root, "rel", 0644, 0, &g, NULL), ST_OK);
    assert_int_equal(g->fs, ns.tmp);
    fs_node_release(g);
    assert_int_equal(vfs_create(ns.vfs, ns.tmp->root, "../etc/up", 0644, 0, &g, NULL), ST_OK);
    assert_int_equal(g->fs, ns.root);
    fs_node_release(g);

    /* Through symbolic links: an existing target is opened, a dangling one created. */
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "/tmp/a", "/etc/toa", NULL), ST_OK);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/etc/toa", 0644, 0, &g, NULL), ST_OK);
    assert_ptr_equal(g, f);
    fs_node_release(g);
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "../tmp/made", "/etc/dangling", NULL), ST_OK);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/etc/dangling", 0640, 0, &g, NULL), ST_OK);
    assert_int_equal(g->fs, ns.tmp);
    fs_node_release(g);
    assert_int_equal(exists(&ns, "/tmp/made"), ST_OK);
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "/tmp/other", "/etc/d2", NULL), ST_OK);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/etc/d2", 0644, VFS_EXCL, &g, NULL), ST_EXISTS);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/etc/d2", 0644, VFS_NOFOLLOW, &g, NULL), ST_LIMIT);
    assert_int_equal(exists(&ns, "/tmp/other"), ST_NOT_FOUND);
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "l2", "/etc/l1", NULL), ST_OK);
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "l1", "/etc/l2", NULL), ST_OK);
    assert_int_equal(vfs_create(ns.vfs, NULL, "/etc/l1", 0644, 0, &g, NULL), ST_LIMIT);
    fs_node_release(f);
    free_ns(&ns);
}

static void test_mkdir_symlink(void **state)
{
    (void)state;
    ns_t ns = make_ns();
    fs_node_t *n = NULL;

    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/tmp/d", 0700, NULL), ST_OK);
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/tmp/e/", 0700, NULL), ST_OK);
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/tmp/d", 0700, NULL), ST_EXISTS);
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/tmp", 0700, NULL), ST_EXISTS);
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/", 0700, NULL), ST_EXISTS);
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/tmp/d/..", 0700, NULL), ST_EXISTS);
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/tmp/x/y", 0700, NULL), ST_NOT_FOUND);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/tmp/e", VFS_DIRECTORY, &n, NULL), ST_OK);
    assert_int_equal(t_stat(n).mode, FS_S_IFDIR | 0700);
    fs_node_release(n);

    assert_int_equal(vfs_symlink(ns.vfs, NULL, "d", "/tmp/s", NULL), ST_OK);
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "d", "/tmp/s", NULL), ST_EXISTS);
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "d", "/tmp/d", NULL), ST_EXISTS);
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "d", "/tmp/s2/", NULL), ST_NOT_DIRECTORY);
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "d", "/tmp/s/", NULL), ST_EXISTS);
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "", "/tmp/s3", NULL), ST_NOT_FOUND);
    /* mkdir does not follow a link in the last component. */
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/tmp/s", 0700, NULL), ST_EXISTS);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/tmp/s/", 0, &n, NULL), ST_OK);
    assert_int_equal(n->type, FS_TYPE_DIR);
    fs_node_release(n);
    free_ns(&ns);
}

static void test_mknod(void **state)
{
    (void)state;
    ns_t ns = make_ns();
    fs_node_t *n = NULL;
    uint8_t buf[4];
    size_t done;

    assert_int_equal(vfs_mknod(ns.vfs, NULL, "/tmp/f", FS_TYPE_FIFO, 0640, NULL), ST_OK);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/tmp/f", 0, &n, NULL), ST_OK);
    assert_int_equal(n->type, FS_TYPE_FIFO);
    assert_int_equal(t_stat(n).mode, FS_S_IFIFO | 0640);
    assert_int_equal(t_stat(n).nlink, 1);
    /* A FIFO holds no data of its own. */
    assert_int_equal(fs_read(n, 0, buf, sizeof(buf), &done), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_write(n, 0, buf, sizeof(buf), &done), ST_INVALID_ARGUMENT);
    fs_node_release(n);
    /* open(O_CREAT) of a FIFO opens it */
    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/f", 0644, 0, &n, NULL), ST_OK);
    assert_int_equal(n->type, FS_TYPE_FIFO);
    fs_node_release(n);
    assert_int_equal(vfs_mknod(ns.vfs, NULL, "/tmp/f", FS_TYPE_FIFO, 0640, NULL), ST_EXISTS);
    assert_int_equal(vfs_mknod(ns.vfs, NULL, "/tmp", FS_TYPE_FIFO, 0640, NULL), ST_EXISTS);
    assert_int_equal(vfs_mknod(ns.vfs, NULL, "/tmp/.", FS_TYPE_FIFO, 0640, NULL), ST_EXISTS);
    assert_int_equal(vfs_mknod(ns.vfs, NULL, "/tmp/g/", FS_TYPE_FIFO, 0640, NULL),
                     ST_NOT_DIRECTORY);
    assert_int_equal(vfs_mknod(ns.vfs, NULL, "/tmp/g", FS_TYPE_REG, 0640, NULL),
                     ST_INVALID_ARGUMENT);
    assert_int_equal(vfs_mknod(ns.vfs, NULL, "/tmp/g", FS_TYPE_FIFO, 0100640, NULL),
                     ST_INVALID_ARGUMENT);
    assert_int_equal(vfs_mknod(ns.vfs, NULL, "/tmp/f/x", FS_TYPE_FIFO, 0640, NULL),
                     ST_NOT_DIRECTORY);
    assert_int_equal(vfs_mknod(ns.vfs, NULL, "/mnt/fat/f", FS_TYPE_FIFO, 0640, NULL), VFS_REMOTE);
    /* It goes like any other name. */
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/tmp/f", "/tmp/f2", NULL, NULL), ST_OK);
    assert_int_equal(vfs_unlink(ns.vfs, NULL, "/tmp/f2", NULL), ST_OK);
    assert_int_equal(exists(&ns, "/tmp/f2"), ST_NOT_FOUND);
    free_ns(&ns);
}

static void test_unlink_rmdir(void **state)
{
    (void)state;
    ns_t ns = make_ns();
    fs_node_t *f = NULL;

    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/f", 0644, 0, &f, NULL), ST_OK);
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/tmp/d", 0755, NULL), ST_OK);
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "d", "/tmp/s", NULL), ST_OK);

    assert_int_equal(vfs_unlink(ns.vfs, NULL, "/tmp/d", NULL), ST_IS_DIRECTORY);
    assert_int_equal(vfs_unlink(ns.vfs, NULL, "/tmp/f/", NULL), ST_NOT_DIRECTORY);
    assert_int_equal(vfs_unlink(ns.vfs, NULL, "/tmp", NULL), ST_IS_DIRECTORY);
    assert_int_equal(vfs_unlink(ns.vfs, NULL, "/tmp/.", NULL), ST_IS_DIRECTORY);
    assert_int_equal(vfs_unlink(ns.vfs, NULL, "/tmp/none", NULL), ST_NOT_FOUND);
    assert_int_equal(vfs_rmdir(ns.vfs, NULL, "/tmp/f", NULL), ST_NOT_DIRECTORY);
    assert_int_equal(vfs_rmdir(ns.vfs, NULL, "/tmp/s", NULL), ST_NOT_DIRECTORY);
    assert_int_equal(vfs_rmdir(ns.vfs, NULL, "/tmp", NULL), ST_BUSY);
    assert_int_equal(vfs_rmdir(ns.vfs, NULL, "/tmp/", NULL), ST_BUSY);
    assert_int_equal(vfs_rmdir(ns.vfs, NULL, "/", NULL), ST_BUSY);
    assert_int_equal(vfs_rmdir(ns.vfs, NULL, "/tmp/.", NULL), ST_BUSY);
    assert_int_equal(vfs_rmdir(ns.vfs, NULL, "/tmp/d/.", NULL), ST_INVALID_ARGUMENT);
    assert_int_equal(vfs_rmdir(ns.vfs, NULL, "/tmp/d/..", NULL), ST_NOT_EMPTY);
    assert_int_equal(vfs_rmdir(ns.vfs, NULL, "/mnt", NULL), ST_NOT_EMPTY);
    assert_int_equal(vfs_rmdir(ns.vfs, NULL, "/mnt/fat", NULL), ST_BUSY);

    /* The symbolic link goes, not what it points to. */
    assert_int_equal(vfs_unlink(ns.vfs, NULL, "/tmp/s", NULL), ST_OK);
    assert_int_equal(exists(&ns, "/tmp/d"), ST_OK);
    assert_int_equal(vfs_rmdir(ns.vfs, NULL, "/tmp/d/", NULL), ST_OK);
    assert_int_equal(vfs_unlink(ns.vfs, NULL, "/tmp/f", NULL), ST_OK);
    assert_int_equal(exists(&ns, "/tmp/f"), ST_NOT_FOUND);
    t_write(f, 0, "still here");
    assert_string_equal(t_read_all(f), "still here");
    assert_int_equal(vfs_free(ns.vfs), ST_BUSY);
    fs_node_release(f);
    free_ns(&ns);
}

static void test_link_rename(void **state)
{
    (void)state;
    ns_t ns = make_ns();
    fs_node_t *f = NULL, *n = NULL;

    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/f", 0644, 0, &f, NULL), ST_OK);
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "f", "/tmp/s", NULL), ST_OK);
    assert_int_equal(vfs_link(ns.vfs, NULL, "/tmp/f", "/tmp/g", 0, NULL, NULL), ST_OK);
    assert_int_equal(t_stat(f).nlink, 2);
    assert_int_equal(vfs_link(ns.vfs, NULL, "/tmp/f", "/tmp/g", 0, NULL, NULL), ST_EXISTS);
    assert_int_equal(vfs_link(ns.vfs, NULL, "/tmp/f", "/tmp/.", 0, NULL, NULL), ST_EXISTS);
    assert_int_equal(vfs_link(ns.vfs, NULL, "/tmp/f", "/tmp/h/", 0, NULL, NULL), ST_NOT_DIRECTORY);
    assert_int_equal(vfs_link(ns.vfs, NULL, "/tmp/f", "/etc/f", 0, NULL, NULL), ST_NOT_SUPPORTED);
    assert_int_equal(vfs_link(ns.vfs, NULL, "/tmp", "/tmp/d", 0, NULL, NULL), ST_IS_DIRECTORY);
    assert_int_equal(vfs_link(ns.vfs, NULL, "/tmp/none", "/tmp/x", 0, NULL, NULL), ST_NOT_FOUND);
    /* Without VFS_FOLLOW the link itself gets the new name. */
    assert_int_equal(vfs_link(ns.vfs, NULL, "/tmp/s", "/tmp/s2", 0, NULL, NULL), ST_OK);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/tmp/s2", VFS_NOFOLLOW, &n, NULL), ST_OK);
    assert_int_equal(n->type, FS_TYPE_LNK);
    fs_node_release(n);
    assert_int_equal(vfs_link(ns.vfs, NULL, "/tmp/s", "/tmp/f3", VFS_FOLLOW, NULL, NULL), ST_OK);
    assert_int_equal(t_stat(f).nlink, 3);

    assert_int_equal(vfs_rename(ns.vfs, NULL, "/tmp/g", "/tmp/g2", NULL, NULL), ST_OK);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/tmp/g2", "/etc/g", NULL, NULL), ST_NOT_SUPPORTED);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/tmp/g2/", "/tmp/g3", NULL, NULL), ST_NOT_DIRECTORY);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/tmp/g2", "/tmp/g3/", NULL, NULL), ST_NOT_DIRECTORY);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/tmp/none", "/tmp/g3", NULL, NULL), ST_NOT_FOUND);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/tmp/.", "/tmp/g3", NULL, NULL),
                     ST_INVALID_ARGUMENT);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/tmp/g2", "/tmp/..", NULL, NULL),
                     ST_INVALID_ARGUMENT);
    /* Mount points are busy, as sources and as targets. */
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/tmp", "/tmp2", NULL, NULL), ST_BUSY);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/mnt/fat", "/mnt/fat2", NULL, NULL), ST_BUSY);
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/etc/empty", 0755, NULL), ST_OK);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/etc/empty", "/tmp", NULL, NULL), ST_BUSY);

    /* Directories: trailing slashes allowed, no moving into oneself. */
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/tmp/a", 0755, NULL), ST_OK);
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/tmp/a/b", 0755, NULL), ST_OK);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/tmp/a", "/tmp/a/b/c", NULL, NULL),
                     ST_INVALID_ARGUMENT);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/tmp/a/", "/tmp/z/", NULL, NULL), ST_OK);
    assert_int_equal(exists(&ns, "/tmp/z/b"), ST_OK);
    assert_int_equal(vfs_rename(ns.vfs, ns.tmp->root, "z/b", "b", NULL, NULL), ST_OK);
    assert_int_equal(exists(&ns, "/tmp/b"), ST_OK);
    fs_node_release(f);
    free_ns(&ns);
}

static void test_remote_resolve(void **state)
{
    (void)state;
    ns_t ns = make_ns();
    static vfs_remote_t r;
    fs_node_t *n = NULL;

    memset(&r, 0x55, sizeof(r));
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/mnt/fat/dir/file", 0, &n, &r), VFS_REMOTE);
    assert_null(n);
    assert_string_equal(r.tag, "fat0");
    assert_string_equal(r.path, "dir/file");
    assert_false(r.dir);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/mnt/fat", 0, &n, &r), VFS_REMOTE);
    assert_string_equal(r.path, "");
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/mnt/fat/", 0, &n, &r), VFS_REMOTE);
    assert_string_equal(r.path, "");
    assert_true(r.dir);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/mnt/fat//./a//b/../c/", 0, &n, &r), VFS_REMOTE);
    assert_string_equal(r.path, "a/b/../c");
    assert_true(r.dir);
    /* ".." inside the mount is the other server's to resolve. */
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/mnt/fat/a/..", 0, &n, &r), VFS_REMOTE);
    assert_string_equal(r.path, "a/..");
    assert_true(r.dir);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/mnt/fat/a/../b", 0, &n, &r), VFS_REMOTE);
    assert_string_equal(r.path, "a/../b");
    assert_false(r.dir);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/mnt/fat/x", VFS_DIRECTORY, &n, &r), VFS_REMOTE);
    assert_string_equal(r.path, "x");
    assert_true(r.dir);
    /* Without a vfs_remote_t the status is the same. */
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/mnt/fat/x", 0, &n, NULL), VFS_REMOTE);

    /* ".." out of the remote mount is resolved locally. */
    fs_node_t *mnt = NULL, *etc = NULL;
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/mnt", 0, &mnt, NULL), ST_OK);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/etc", 0, &etc, NULL), ST_OK);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/mnt/fat/..", 0, &n, &r), ST_OK);
    assert_ptr_equal(n, mnt);
    fs_node_release(n);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/mnt/fat/a/b/../../../../etc", 0, &n, &r), ST_OK);
    assert_ptr_equal(n, etc);
    fs_node_release(n);
    assert_int_equal(vfs_resolve(ns.vfs, mnt, "fat/../fat/q", 0, &n, &r), VFS_REMOTE);
    assert_string_equal(r.path, "q");

    /* Symbolic links into the remote mount redirect with their target's rest. */
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "/mnt/fat/games", "/etc/games", NULL), ST_OK);
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "../mnt/fat", "/etc/fat", NULL), ST_OK);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/etc/games/doom", 0, &n, &r), VFS_REMOTE);
    assert_string_equal(r.path, "games/doom");
    assert_int_equal(vfs_resolve(ns.vfs, etc, "fat/x/y", 0, &n, &r), VFS_REMOTE);
    assert_string_equal(r.path, "x/y");
    assert_string_equal(r.tag, "fat0");

    /* The remote directory can be unmounted; then the local one shows. */
    assert_int_equal(vfs_unmount(ns.vfs, "/mnt/fat"), ST_OK);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/mnt/fat", 0, &n, &r), ST_OK);
    assert_int_equal(n->fs, ns.root);
    fs_node_release(n);
    assert_int_equal(vfs_mount_remote(ns.vfs, "/mnt/fat", ""), ST_INVALID_ARGUMENT);
    assert_int_equal(vfs_mount_remote(ns.vfs, "/mnt/fat", "a-tag-that-is-far-too-long-to-fit"),
                     ST_INVALID_ARGUMENT);
    assert_int_equal(vfs_mount_remote(ns.vfs, "/", "root"), ST_BUSY);
    assert_int_equal(vfs_mount_remote(ns.vfs, "/tmp", "t"), ST_BUSY);
    assert_int_equal(vfs_mount_remote(ns.vfs, "/etc/games", "g"), ST_NOT_FOUND);
    assert_int_equal(vfs_mount_remote(ns.vfs, "/mnt/fat", "fat1"), ST_OK);
    assert_int_equal(vfs_mount_remote(ns.vfs, "/etc/games", "g"), VFS_REMOTE);
    assert_int_equal(vfs_mount_remote(ns.vfs, "/mnt/fat", "fat2"), VFS_REMOTE);
    assert_int_equal(vfs_resolve(ns.vfs, NULL, "/mnt/fat/z", 0, &n, &r), VFS_REMOTE);
    assert_string_equal(r.tag, "fat1");
    fs_node_release(mnt);
    fs_node_release(etc);
    free_ns(&ns);
}

static void test_remote_operations(void **state)
{
    (void)state;
    ns_t ns = make_ns();
    static vfs_remote_t r, r2;
    fs_node_t *n = NULL;

    assert_int_equal(vfs_create(ns.vfs, NULL, "/mnt/fat/new.txt", 0644, 0, &n, &r), VFS_REMOTE);
    assert_null(n);
    assert_string_equal(r.path, "new.txt");
    assert_int_equal(vfs_create(ns.vfs, NULL, "/mnt/fat", 0644, 0, &n, &r), VFS_REMOTE);
    assert_string_equal(r.path, "");
    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/mnt/fat/d/e", 0755, &r), VFS_REMOTE);
    assert_string_equal(r.path, "d/e");
    assert_int_equal(vfs_unlink(ns.vfs, NULL, "/mnt/fat/f", &r), VFS_REMOTE);
    assert_string_equal(r.path, "f");
    assert_int_equal(vfs_rmdir(ns.vfs, NULL, "/mnt/fat/d/", &r), VFS_REMOTE);
    assert_string_equal(r.path, "d");
    assert_true(r.dir);
    assert_int_equal(vfs_symlink(ns.vfs, NULL, "x", "/mnt/fat/l", &r), VFS_REMOTE);
    assert_string_equal(r.path, "l");

    /* Two paths: both in the remote mount, or not allowed. */
    memset(&r, 0, sizeof(r));
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/mnt/fat/a", "/mnt/fat/sub/b", &r, &r2), VFS_REMOTE);
    assert_string_equal(r.path, "a");
    assert_string_equal(r2.path, "sub/b");
    assert_string_equal(r2.tag, "fat0");
    assert_int_equal(vfs_link(ns.vfs, NULL, "/mnt/fat/a", "/mnt/fat/c", 0, &r, &r2), VFS_REMOTE);
    assert_string_equal(r2.path, "c");
    assert_int_equal(vfs_create(ns.vfs, NULL, "/tmp/local", 0644, 0, &n, NULL), ST_OK);
    fs_node_release(n);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/tmp/local", "/mnt/fat/x", &r, &r2),
                     ST_NOT_SUPPORTED);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/mnt/fat/x", "/tmp/local", NULL, NULL),
                     ST_NOT_SUPPORTED);
    assert_int_equal(vfs_link(ns.vfs, NULL, "/tmp/local", "/mnt/fat/x", 0, NULL, NULL),
                     ST_NOT_SUPPORTED);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/tmp/none", "/mnt/fat/x", NULL, NULL),
                     ST_NOT_SUPPORTED);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/none/x", "/mnt/fat/x", NULL, NULL), ST_NOT_FOUND);

    assert_int_equal(vfs_mkdir(ns.vfs, NULL, "/mnt/usb", 0755, NULL), ST_OK);
    assert_int_equal(vfs_mount_remote(ns.vfs, "/mnt/usb", "usb0"), ST_OK);
    assert_int_equal(vfs_rename(ns.vfs, NULL, "/mnt/fat/a", "/mnt/usb/a", &r, &r2),
                     ST_NOT_SUPPORTED);
    free_ns(&ns);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_mkdir_symlink),
        cmocka_unit_test(test_mknod),
        cmocka_unit_test(test_unlink_rmdir),
        cmocka_unit_test(test_link_rename),
        cmocka_unit_test(test_remote_resolve),
        cmocka_unit_test(test_remote_operations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
