/*
 * Unit tests of bootfs on an image that mkbootimg built from data/ at
 * build time (see meson.build for its contents): lookups, stat, reads in
 * place, hard links sharing one inode, symbolic links, readdir, read-only
 * refusals, stable inode numbers, and corrupt images.
 *
 * Usage: test_fs_bootfs IMAGE DATA_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fs/bootfs.h>
#include <loader/bootimg.h>

#include "fs_test.h"

static uint8_t *image;
static size_t image_size;
static const char *data_dir;

static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    uint8_t *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

static fs_t *mount_image(void)
{
    fs_t *fs = NULL;
    const char *why = NULL;

    assert_int_equal(bootfs_create(image, image_size, &fs, &why), ST_OK);
    assert_non_null(fs);
    return fs;
}

/* The node at an absolute path, walked with fs_lookup() only. */
static fs_node_t *walk(fs_t *fs, const char *path)
{
    char copy[FS_PATH_MAX];
    fs_node_t *cur = fs->root;

    fs_node_ref(cur);
    snprintf(copy, sizeof(copy), "%s", path);
    for (char *save, *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        fs_node_t *next = t_lookup(cur, c);
        fs_node_release(cur);
        cur = next;
    }
    return cur;
}

static void test_files(void **state)
{
    (void)state;
    fs_t *fs = mount_image();
    fs_node_t *hello = walk(fs, "/etc/hello.txt");

    assert_int_equal(hello->type, FS_TYPE_REG);
    assert_string_equal(t_read_all(hello), "hello from the boot image\n");
    fs_stat_t st = t_stat(hello);
    assert_int_equal(st.mode, FS_S_IFREG | 0644);
    assert_int_equal(st.size, 26);
    assert_int_equal(st.blocks, 1);
    assert_int_equal(st.nlink, 3);
    assert_int_equal(st.mtime, 0);

    char buf[8];
    size_t done;
    assert_int_equal(fs_read(hello, 6, buf, 4, &done), ST_OK);
    assert_int_equal(done, 4);
    assert_memory_equal(buf, "from", 4);
    assert_int_equal(fs_read(hello, 26, buf, 4, &done), ST_OK);
    assert_int_equal(done, 0);
    assert_int_equal(fs_read(hello, UINT64_MAX, buf, 4, &done), ST_OK);
    assert_int_equal(done, 0);

    /* In place: the bytes handed out are the image's own. */
    const void *data;
    uint64_t size;
    uint16_t pers;
    assert_int_equal(bootfs_file_info(hello, &data, &size, &pers), ST_OK);
    assert_true((const uint8_t *)data >= image &&
                (const uint8_t *)data + size <= image + image_size);
    assert_int_equal(size, 26);
    assert_int_equal(pers, BOOTIMG_PERS_NONE);
    assert_int_equal(bootfs_file_info(fs->root, &data, &size, &pers), ST_INVALID_ARGUMENT);
    fs_t *ram = test_ramfs(0, 0);
    assert_int_equal(bootfs_file_info(ram->root, NULL, NULL, NULL), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_destroy(ram), ST_OK);

    fs_node_t *motd = walk(fs, "/etc/motd");
    assert_int_equal(t_stat(motd).mode, FS_S_IFREG | 0600);
    assert_int_equal(t_stat(motd).nlink, 1);
    fs_node_release(motd);

    /* A file over several pages matches its source byte for byte. */
    char path[4096];
    size_t want_size;
    snprintf(path, sizeof(path), "%s/lines.txt", data_dir);
    uint8_t *want = slurp(path, &want_size);
    fs_node_t *lines = walk(fs, "/bin/lines.txt");
    assert_int_equal(t_stat(lines).mode, FS_S_IFREG | 0755);
    assert_int_equal(t_stat(lines).size, want_size);
    uint8_t *got = malloc(want_size + 10);
    assert_int_equal(fs_read(lines, 0, got, want_size + 10, &done), ST_OK);
    assert_int_equal(done, want_size);
    assert_memory_equal(got, want, want_size);
    assert_int_equal(fs_read(lines, 5000, got, 100, &done), ST_OK);
    assert_int_equal(done, 100);
    assert_memory_equal(got, want + 5000, 100);
    free(got);
    free(want);
    fs_node_release(lines);

    /* Empty files have no data: two of them are two inodes. */
    fs_node_t *e1 = walk(fs, "/etc/empty"), *e2 = walk(fs, "/etc/empty2");
    assert_ptr_not_equal(e1, e2);
    assert_int_not_equal(t_stat(e1).ino, t_stat(e2).ino);
    assert_int_equal(t_stat(e1).size, 0);
    assert_int_equal(t_stat(e1).blocks, 0);
    assert_int_equal(fs_read(e1, 0, buf, 4, &done), ST_OK);
    assert_int_equal(done, 0);
    assert_int_equal(bootfs_file_info(e1, &data, &size, NULL), ST_OK);
    assert_null(data);
    fs_node_release(e1);
    fs_node_release(e2);
    fs_node_release(hello);
    assert_int_equal(fs_destroy(fs), ST_OK);
}

static void test_hard_links_and_inodes(void **state)
{
    (void)state;
    fs_t *fs = mount_image();
    fs_node_t *a = walk(fs, "/etc/hello.txt");
    fs_node_t *b = walk(fs, "/bin/hello");
    fs_node_t *c = walk(fs, "/etc/hello-again.txt");

    assert_ptr_equal(a, b);
    assert_ptr_equal(a, c);
    assert_int_equal(t_stat(b).nlink, 3);
    assert_int_equal(t_stat(b).ino, t_stat(a).ino);

    /* The number is the first entry's: "/bin/hello" sorts first. */
    ldr_bootimg_t img;
    ldr_bootimg_ent_t ent;
    const char *why;
    assert_int_equal(ldr_bootimg_open(image, image_size, &img, &why), LDR_OK);
    assert_int_equal(ldr_bootimg_lookup(&img, "/bin/hello", &ent), LDR_OK);
    assert_int_equal(t_stat(a).ino, ent.index + 2);
    assert_int_equal(t_stat(fs->root).ino, 1);

    /* Stable: a second instance on the same image agrees. */
    fs_t *again = mount_image();
    fs_node_t *a2 = walk(again, "/etc/hello-again.txt");
    fs_node_t *l1 = walk(fs, "/bin/lines.txt"), *l2 = walk(again, "/bin/lines.txt");
    assert_int_equal(t_stat(a2).ino, t_stat(a).ino);
    assert_int_equal(t_stat(l2).ino, t_stat(l1).ino);
    fs_node_release(a2);
    fs_node_release(l1);
    fs_node_release(l2);
    assert_int_equal(fs_destroy(again), ST_OK);

    /* Every entry's number is distinct except within a set of links. */
    fs_node_t *run = walk(fs, "/run");
    fs_node_t *s1 = walk(fs, "/run/service.conf"), *s2 = walk(fs, "/run/service.link");
    assert_ptr_equal(s1, s2);
    assert_int_not_equal(s1->ino, a->ino);
    assert_int_equal(t_stat(s1).nlink, 2);
    fs_node_release(s1);
    fs_node_release(s2);
    fs_node_release(run);
    fs_node_release(a);
    fs_node_release(b);
    fs_node_release(c);
    assert_int_equal(fs_destroy(fs), ST_OK);
}

static void test_directories(void **state)
{
    (void)state;
    fs_t *fs = mount_image();
    fs_node_t *etc = walk(fs, "/etc"), *sub = walk(fs, "/etc/sub");

    assert_int_equal(t_stat(etc).mode, FS_S_IFDIR | 0755);
    assert_int_equal(t_stat(sub).mode, FS_S_IFDIR | 0700);
    assert_int_equal(t_stat(etc).nlink, 3);          /* sub */
    assert_int_equal(t_stat(fs->root).nlink, 2 + 5); /* bin etc mnt run tmp */
    fs_node_t *x = t_lookup(sub, "..");
    assert_ptr_equal(x, etc);
    fs_node_release(x);
    x = t_lookup(etc, "..");
    assert_ptr_equal(x, fs->root);
    fs_node_release(x);
    x = t_lookup(fs->root, "..");
    assert_ptr_equal(x, fs->root);
    fs_node_release(x);
    x = t_lookup(etc, ".");
    assert_ptr_equal(x, etc);
    fs_node_release(x);
    assert_int_equal(fs_lookup(etc, "nope", &x), ST_NOT_FOUND);
    assert_int_equal(fs_lookup(etc, "sub/nested.txt", &x), ST_INVALID_ARGUMENT);
    fs_node_t *f = walk(fs, "/etc/motd");
    assert_int_equal(fs_lookup(f, "x", &x), ST_NOT_DIRECTORY);
    fs_node_release(f);
    /* A name longer than any image path is simply absent. */
    char name[256];
    memset(name, 'z', 255);
    name[255] = '\0';
    assert_int_equal(fs_lookup(etc, name, &x), ST_NOT_FOUND);

    /* readdir: ".", "..", then the children in path order. */
    static const char *want[] = {".",    "..",   "empty", "empty2", "hello-again.txt", "hello.txt",
                                 "link", "loop", "motd",  "sub",    "subdir"};
    static const uint32_t types[] = {FS_TYPE_DIR, FS_TYPE_DIR, FS_TYPE_REG, FS_TYPE_REG,
                                     FS_TYPE_REG, FS_TYPE_REG, FS_TYPE_LNK, FS_TYPE_LNK,
                                     FS_TYPE_REG, FS_TYPE_DIR, FS_TYPE_LNK};
    uint64_t cookie = 0;
    fs_dirent_t ent;
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        assert_int_equal(fs_readdir(etc, &cookie, &ent), ST_OK);
        assert_string_equal(ent.name, want[i]);
        assert_int_equal(ent.type, types[i]);
        assert_int_equal(ent.namelen, strlen(want[i]));
        fs_node_t *n = t_lookup(etc, want[i]);
        assert_int_equal(ent.ino, n->ino);
        fs_node_release(n);
    }
    assert_int_equal(fs_readdir(etc, &cookie, &ent), ST_END_OF_FILE);
    assert_int_equal(fs_readdir(etc, &cookie, &ent), ST_END_OF_FILE);

    /* Resuming from a saved cookie, and cookies nobody gave out. */
    cookie = 0;
    for (int i = 0; i < 5; i++)
        assert_int_equal(fs_readdir(etc, &cookie, &ent), ST_OK);
    uint64_t saved = cookie;
    assert_int_equal(fs_readdir(etc, &cookie, &ent), ST_OK);
    assert_string_equal(ent.name, "hello.txt");
    cookie = saved;
    assert_int_equal(fs_readdir(etc, &cookie, &ent), ST_OK);
    assert_string_equal(ent.name, "hello.txt");
    for (uint64_t bogus = 3; bogus < 64; bogus++) {
        cookie = bogus;
        for (int i = 0; i < 20 && fs_readdir(sub, &cookie, &ent) == ST_OK; i++)
            assert_int_equal(strchr(ent.name, '/'), NULL);
    }
    cookie = UINT64_MAX;
    assert_int_equal(fs_readdir(etc, &cookie, &ent), ST_END_OF_FILE);

    cookie = 2;
    fs_node_t *empty = walk(fs, "/run/empty-dir");
    assert_int_equal(fs_readdir(empty, &cookie, &ent), ST_END_OF_FILE);
    assert_int_equal(t_count(fs->root), 5);
    fs_node_release(empty);
    fs_node_release(etc);
    fs_node_release(sub);
    assert_int_equal(fs_destroy(fs), ST_OK);
}

static void test_symlinks(void **state)
{
    (void)state;
    fs_t *fs = mount_image();
    fs_node_t *l = walk(fs, "/etc/link");
    char buf[64];
    size_t len;

    assert_int_equal(l->type, FS_TYPE_LNK);
    assert_int_equal(fs_readlink(l, buf, sizeof(buf), &len), ST_OK);
    assert_int_equal(len, 9);
    assert_memory_equal(buf, "hello.txt", 9);
    assert_int_equal(fs_readlink(l, buf, 3, &len), ST_OK);
    assert_int_equal(len, 9);
    fs_stat_t st = t_stat(l);
    assert_int_equal(st.mode, FS_S_IFLNK | 0777);
    assert_int_equal(st.size, 9);
    assert_int_equal(fs_read(l, 0, buf, 4, &len), ST_INVALID_ARGUMENT);
    fs_node_release(l);
    l = walk(fs, "/etc/subdir");
    assert_int_equal(fs_readlink(l, buf, sizeof(buf), &len), ST_OK);
    assert_memory_equal(buf, "/etc/sub", 8);
    fs_node_release(l);
    assert_int_equal(fs_destroy(fs), ST_OK);
}

static void test_read_only(void **state)
{
    (void)state;
    fs_t *fs = mount_image();
    fs_node_t *etc = walk(fs, "/etc"), *hello = walk(fs, "/etc/hello.txt"), *x = NULL;
    size_t done;

    assert_int_equal(fs_create(etc, "new", 0644, &x), ST_READ_ONLY);
    assert_int_equal(fs_create(etc, "motd", 0644, &x), ST_EXISTS);
    assert_int_equal(fs_mkdir(etc, "newdir", 0755, &x), ST_READ_ONLY);
    assert_int_equal(fs_mkdir(etc, "sub", 0755, &x), ST_EXISTS);
    assert_int_equal(fs_symlink(etc, "s", "x", &x), ST_READ_ONLY);
    assert_int_equal(fs_symlink(etc, "link", "x", &x), ST_EXISTS);
    assert_int_equal(fs_mknod(etc, "fifo", FS_TYPE_FIFO, 0644, &x), ST_READ_ONLY);
    assert_int_equal(fs_mknod(etc, "motd", FS_TYPE_FIFO, 0644, &x), ST_EXISTS);
    assert_int_equal(fs_link(etc, "h", hello), ST_READ_ONLY);
    assert_int_equal(fs_link(etc, "motd", hello), ST_EXISTS);
    assert_int_equal(fs_unlink(etc, "motd"), ST_READ_ONLY);
    assert_int_equal(fs_unlink(etc, "nope"), ST_NOT_FOUND);
    assert_int_equal(fs_rmdir(etc, "sub"), ST_READ_ONLY);
    assert_int_equal(fs_rmdir(etc, "nope"), ST_NOT_FOUND);
    assert_int_equal(fs_rename(etc, "motd", etc, "motd2"), ST_READ_ONLY);
    assert_int_equal(fs_rename(etc, "nope", etc, "motd2"), ST_NOT_FOUND);
    assert_int_equal(fs_write(hello, 0, "x", 1, &done), ST_READ_ONLY);
    assert_int_equal(fs_truncate(hello, 0), ST_READ_ONLY);
    assert_int_equal(fs_chmod(hello, 0777), ST_READ_ONLY);
    assert_int_equal(fs_set_times(hello, 1, 1), ST_READ_ONLY);
    assert_null(x);
    assert_string_equal(t_read_all(hello), "hello from the boot image\n");

    fs_statfs_t sf;
    assert_int_equal(fs_statfs(fs, &sf), ST_OK);
    assert_string_equal(sf.type, "bootfs");
    assert_int_equal(sf.total_bytes, image_size);
    assert_int_equal(sf.free_bytes, 0);
    assert_int_equal(sf.free_inodes, 0);
    assert_int_equal(sf.name_max, FS_NAME_MAX);
    /* Entries + root, minus the 3 extra names of two sets of hard links. */
    ldr_bootimg_t img;
    const char *why;
    assert_int_equal(ldr_bootimg_open(image, image_size, &img, &why), LDR_OK);
    assert_int_equal(sf.total_inodes, img.count + 1 - 3);
    fs_node_release(etc);
    fs_node_release(hello);
    assert_int_equal(fs_destroy(fs), ST_OK);
}

static void test_bad_images(void **state)
{
    (void)state;
    fs_t *fs = NULL;
    const char *why = NULL;
    static uint8_t junk[4096];

    assert_int_equal(bootfs_create(junk, sizeof(junk), &fs, &why), ST_BAD_IMAGE);
    assert_null(fs);
    assert_non_null(why);
    assert_int_equal(bootfs_create(NULL, 0, &fs, NULL), ST_BAD_IMAGE);
    assert_int_equal(bootfs_create(image, 40, &fs, &why), ST_BAD_IMAGE);
    assert_int_equal(bootfs_create(image, image_size - 1, &fs, &why), ST_BAD_IMAGE);

    /* Flipped bytes anywhere: refused, or served without harm. */
    uint8_t *copy = malloc(image_size);
    unsigned seed = 12345, served = 0;
    for (int round = 0; round < 300; round++) {
        memcpy(copy, image, image_size);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            copy[(seed >> 8) % image_size] ^= (uint8_t)(1u << (seed % 8));
        }
        if (bootfs_create(copy, image_size, &fs, &why) != ST_OK)
            continue;
        served++;
        fs_node_t *etc = NULL;
        if (fs_lookup(fs->root, "etc", &etc) == ST_OK) {
            uint64_t cookie = 0;
            fs_dirent_t ent;
            while (fs_readdir(etc, &cookie, &ent) == ST_OK) {
                fs_node_t *n = NULL;
                if (fs_lookup(etc, ent.name, &n) == ST_OK && n->type == FS_TYPE_REG)
                    (void)t_read_all(n);
                fs_node_release(n);
            }
            fs_node_release(etc);
        }
        assert_int_equal(fs_destroy(fs), ST_OK);
    }
    assert_true(served > 0); /* flips in file data pass the checksum */
    free(copy);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s IMAGE DATA_DIR\n", argv[0]);
        return 2;
    }
    image = slurp(argv[1], &image_size);
    data_dir = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files),       cmocka_unit_test(test_hard_links_and_inodes),
        cmocka_unit_test(test_directories), cmocka_unit_test(test_symlinks),
        cmocka_unit_test(test_read_only),   cmocka_unit_test(test_bad_images),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(image);
    return rc;
}
