/*
 * Unit tests of the boot namespace (fs_boot_namespace): bootfs at "/",
 * ramfs at "/tmp", a populated ramfs at "/run", resolved through
 * vfs_resolve() and changed through the path operations, with a remote
 * mount on the image's /mnt/fat; and its failures (no /tmp, bad image,
 * /run too big for its limit).
 *
 * Usage: test_fs_namespace IMAGE IMAGE_WITHOUT_TMP
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fs/bootfs.h>
#include <fs/bootns.h>

#include "fs_test.h"

static uint8_t *image, *image_notmp;
static size_t image_size, image_notmp_size;

static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    rewind(f);
    uint8_t *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

static vfs_t *boot(void)
{
    fs_boot_config_t cfg = {
        .image = image,
        .image_size = image_size,
        .tmp_max_bytes = 1 << 20,
        .run_max_bytes = 1 << 20,
        .now = test_now,
    };
    vfs_t *vfs = NULL;
    const char *why = NULL;

    assert_int_equal(fs_boot_namespace(&cfg, &vfs, &why), ST_OK);
    assert_non_null(vfs);
    return vfs;
}

static fs_node_t *get(vfs_t *vfs, const char *path)
{
    fs_node_t *n = NULL;

    assert_int_equal(vfs_resolve(vfs, NULL, path, 0, &n, NULL), ST_OK);
    return n;
}

static void test_layout(void **state)
{
    (void)state;
    test_clock = 77;
    vfs_t *vfs = boot();
    fs_statfs_t sf;

    fs_node_t *root = get(vfs, "/"), *tmp = get(vfs, "/tmp"), *run = get(vfs, "/run");
    assert_int_equal(fs_statfs(root->fs, &sf), ST_OK);
    assert_string_equal(sf.type, "bootfs");
    assert_int_equal(fs_statfs(tmp->fs, &sf), ST_OK);
    assert_string_equal(sf.type, "ramfs");
    assert_int_equal(sf.total_bytes, 1 << 20);
    assert_ptr_not_equal(tmp->fs, run->fs);
    assert_int_equal(t_stat(tmp).mode, FS_S_IFDIR | 01777);
    assert_int_equal(t_stat(run).mode, FS_S_IFDIR | 0755);
    assert_int_not_equal(t_stat(tmp).dev, t_stat(run).dev);
    assert_int_not_equal(t_stat(root).dev, t_stat(run).dev);

    /* /run is a writable copy of the image's /run. */
    assert_int_equal(fs_statfs(run->fs, &sf), ST_OK);
    assert_string_equal(sf.type, "ramfs");
    fs_node_t *conf = get(vfs, "/run/service.conf");
    assert_int_equal(conf->fs, run->fs);
    assert_string_equal(t_read_all(conf),
                        "# a service configuration, copied into the writable /run at boot\n"
                        "name=console\nrestart=yes\n");
    fs_node_t *link = get(vfs, "/run/service.link");
    assert_ptr_equal(link, conf);
    assert_int_equal(t_stat(conf).nlink, 2);
    assert_int_equal(t_stat(conf).mtime, 0); /* the image's time, kept */
    fs_node_t *pid = get(vfs, "/run/current");
    assert_string_equal(t_read_all(pid), "1\n");
    fs_node_t *empty = get(vfs, "/run/empty-dir");
    assert_int_equal(t_count(empty), 0);
    assert_int_equal(t_count(run), 5);

    /* Writing works in /run and /tmp, not in the image. */
    t_write(conf, 0, "X");
    fs_node_t *n = NULL;
    assert_int_equal(vfs_create(vfs, NULL, "/run/new.pid", 0644, 0, &n, NULL), ST_OK);
    fs_node_release(n);
    assert_int_equal(vfs_create(vfs, NULL, "/tmp/scratch", 0600, 0, &n, NULL), ST_OK);
    fs_node_release(n);
    assert_int_equal(vfs_create(vfs, NULL, "/etc/new", 0644, 0, &n, NULL), ST_READ_ONLY);
    assert_int_equal(vfs_mkdir(vfs, NULL, "/etc", 0755, NULL), ST_EXISTS);
    assert_int_equal(vfs_mkdir(vfs, NULL, "/etc/x", 0755, NULL), ST_READ_ONLY);
    assert_int_equal(vfs_unlink(vfs, NULL, "/etc/motd", NULL), ST_READ_ONLY);
    assert_int_equal(vfs_rmdir(vfs, NULL, "/run", NULL), ST_BUSY);
    assert_int_equal(vfs_rmdir(vfs, NULL, "/tmp", NULL), ST_BUSY);

    /* The image's own /run still holds the original, hidden by the mount. */
    fs_node_t *old = NULL;
    assert_int_equal(fs_lookup(root, "run", &old), ST_OK);
    fs_node_t *old_conf = t_lookup(old, "service.conf");
    assert_int_equal(old_conf->fs, root->fs);
    assert_int_equal(t_read_all(old_conf)[0], '#');
    assert_int_equal(t_read_all(conf)[0], 'X');
    fs_node_release(old_conf);
    fs_node_release(old);

    fs_node_release(pid);
    fs_node_release(empty);
    fs_node_release(link);
    fs_node_release(conf);
    fs_node_release(root);
    fs_node_release(tmp);
    fs_node_release(run);
    assert_int_equal(vfs_free(vfs), ST_OK);
}

static void test_mixed_resolution(void **state)
{
    (void)state;
    vfs_t *vfs = boot();
    fs_node_t *hello = get(vfs, "/etc/hello.txt"), *tmp = get(vfs, "/tmp");
    fs_node_t *n = NULL;
    static vfs_remote_t r;

    /* Across mounts in both directions, through links of both kinds. */
    fs_node_t *x = get(vfs, "/tmp/../run/../etc/link");
    assert_ptr_equal(x, hello);
    fs_node_release(x);
    assert_int_equal(vfs_symlink(vfs, NULL, "../etc/subdir/nested.txt", "/tmp/nested", NULL),
                     ST_OK);
    x = get(vfs, "/tmp/nested");
    assert_string_equal(t_read_all(x), "nested file\n");
    fs_node_release(x);
    x = get(vfs, "/etc/subdir/../hello.txt");
    assert_ptr_equal(x, hello);
    fs_node_release(x);
    assert_int_equal(vfs_resolve(vfs, tmp, "../etc/loop", 0, &n, NULL), ST_LIMIT);
    assert_int_equal(vfs_resolve(vfs, tmp, "../etc/loop", VFS_NOFOLLOW, &n, NULL), ST_OK);
    fs_node_release(n);
    x = get(vfs, "/bin/hello");
    assert_ptr_equal(x, hello);
    fs_node_release(x);

    /* Links and renames stay inside one file system. */
    assert_int_equal(vfs_link(vfs, NULL, "/etc/hello.txt", "/tmp/h", 0, NULL, NULL),
                     ST_NOT_SUPPORTED);
    assert_int_equal(vfs_rename(vfs, NULL, "/run/service.conf", "/tmp/s", NULL, NULL),
                     ST_NOT_SUPPORTED);
    assert_int_equal(vfs_rename(vfs, NULL, "/run/service.conf", "/run/state/s", NULL, NULL), ST_OK);
    assert_int_equal(vfs_link(vfs, NULL, "/run/state/s", "/run/s2", 0, NULL, NULL), ST_OK);

    /* A remote mount on the image's /mnt/fat. */
    assert_int_equal(vfs_mount_remote(vfs, "/mnt/fat", "fat0"), ST_OK);
    assert_int_equal(vfs_resolve(vfs, tmp, "../mnt/fat/AUTOEXEC.BAT", 0, &n, &r), VFS_REMOTE);
    assert_string_equal(r.tag, "fat0");
    assert_string_equal(r.path, "AUTOEXEC.BAT");
    assert_int_equal(vfs_resolve(vfs, tmp, "../mnt/fat/../../etc/motd", 0, &n, &r), ST_OK);
    assert_int_equal(n->fs, hello->fs);
    fs_node_release(n);

    /* The table lists every mount once: paths, file systems, tags. */
    vfs_mount_info_t mi;
    unsigned seen = 0, count = 0;
    for (; vfs_mount_info(vfs, count, &mi) == ST_OK; count++) {
        if (!strcmp(mi.path, "/") && mi.fs == hello->fs && !mi.tag[0])
            seen |= 1;
        if (!strcmp(mi.path, "/tmp") && mi.fs == tmp->fs)
            seen |= 2;
        if (!strcmp(mi.path, "/run") && mi.fs && mi.fs != tmp->fs && mi.fs != hello->fs)
            seen |= 4;
        if (!strcmp(mi.path, "/mnt/fat") && !mi.fs && !strcmp(mi.tag, "fat0"))
            seen |= 8;
    }
    assert_int_equal(count, 4);
    assert_int_equal(seen, 15);
    assert_int_equal(vfs_mount_info(vfs, 4, &mi), ST_END_OF_FILE);
    assert_int_equal(vfs_unmount(vfs, "/mnt/fat"), ST_OK);
    assert_int_equal(vfs_mount_info(vfs, 3, &mi), ST_END_OF_FILE);

    /* Busy while referenced; the namespace can be torn down after. */
    assert_int_equal(vfs_unmount(vfs, "/tmp"), ST_BUSY);
    assert_int_equal(vfs_free(vfs), ST_BUSY);
    fs_node_release(tmp);
    assert_int_equal(vfs_unmount(vfs, "/tmp"), ST_OK);
    assert_int_equal(vfs_resolve(vfs, NULL, "/tmp", 0, &n, NULL), ST_OK);
    assert_int_equal(n->fs, hello->fs);
    fs_node_release(n);
    fs_node_release(hello);
    assert_int_equal(vfs_free(vfs), ST_OK);
}

static void test_failures(void **state)
{
    (void)state;
    fs_boot_config_t cfg = {.image = image_notmp, .image_size = image_notmp_size};
    vfs_t *vfs = NULL;
    const char *why = NULL;

    assert_int_equal(fs_boot_namespace(&cfg, &vfs, &why), ST_NOT_FOUND);
    assert_null(vfs);
    assert_string_equal(why, "the boot image has no /tmp directory");

    cfg.image = image;
    cfg.image_size = 100;
    why = NULL;
    assert_int_equal(fs_boot_namespace(&cfg, &vfs, &why), ST_BAD_IMAGE);
    assert_non_null(why);

    /* /run holds more than two names' worth of bytes. */
    cfg.image_size = image_size;
    cfg.run_max_bytes = 12;
    assert_int_equal(fs_boot_namespace(&cfg, &vfs, &why), ST_NO_SPACE);
    assert_string_equal(why, "cannot copy the boot image's /run into its ramfs");
    assert_null(vfs);
    cfg.run_max_bytes = 0;
    cfg.run_max_inodes = 2;
    assert_int_equal(fs_boot_namespace(&cfg, &vfs, NULL), ST_NO_SPACE);
    assert_int_equal(fs_boot_namespace(NULL, &vfs, NULL), ST_INVALID_ARGUMENT);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s IMAGE IMAGE_WITHOUT_TMP\n", argv[0]);
        return 2;
    }
    image = slurp(argv[1], &image_size);
    image_notmp = slurp(argv[2], &image_notmp_size);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_mixed_resolution),
        cmocka_unit_test(test_failures),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(image);
    free(image_notmp);
    return rc;
}
