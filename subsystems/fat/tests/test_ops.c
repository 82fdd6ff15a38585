/*
 * Every operation with good and bad input, on fresh images: names FAT
 * cannot hold, existing names, the POSIX rename cases, truncate and
 * sparse writes (zero filled), unlinked-but-open files, full disks and
 * full root directories, attributes and times, read-only mounts. Every
 * test that writes ends with fsck.fat -n.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fat_test.h"

static const char *img12(void)
{
    return t_mkfs("ops12.img", 12, 1440, NULL);
}

static void test_bad_names(void **state)
{
    (void)state;
    const char *img = img12();
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    fs_node_t *n;
    static const char *bad[] = {
        "a\\b", "a:b",      "a*b",      "a?b",          "a\"b",   "a<b",
        "a>b",  "a|b",      "ctl\x01",  "tab\tx",       "dot.",   "space ",
        "...",  "\xff\xfe", "\xc0\xaf", "\xed\xa0\x80", "ok\x80",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        assert_int_equal(fs_create(fs->root, bad[i], 0644, &n), ST_INVALID_ARGUMENT);
        assert_int_equal(fs_mkdir(fs->root, bad[i], 0755, &n), ST_INVALID_ARGUMENT);
    }
    char name[300];
    memset(name, 'x', sizeof(name));
    name[255] = '\0';
    fs_node_release(t_create(fs->root, name)); /* 255 bytes: the longest */
    name[255] = 'y';
    name[256] = '\0';
    assert_int_equal(fs_create(fs->root, name, 0644, &n), ST_NAME_TOO_LONG);
    /* 85 three-byte characters: 255 bytes, 85 UTF-16 units. */
    name[0] = '\0';
    for (int i = 0; i < 85; i++)
        strcat(name, "\xe2\x98\x83");
    fs_node_release(t_create(fs->root, name));
    /* Characters outside the BMP take surrogate pairs. */
    fs_node_release(t_create(fs->root, "emoji \xf0\x9f\x98\x80.txt"));
    /* Legal in long names, not in short ones. */
    fs_node_release(t_create(fs->root, "a+b,c;d=e[f]g.txt"));
    fs_node_release(t_create(fs->root, " leading space"));
    fs_node_release(t_create(fs->root, ".hidden"));
    assert_int_equal(fs_symlink(fs->root, "link", "target", NULL), ST_NOT_SUPPORTED);
    fs_node_t *f = t_lookup(fs->root, ".HIDDEN");
    assert_int_equal(fs_link(fs->root, "hard", f), ST_NOT_SUPPORTED);
    fs_node_release(f);
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);
    /* (mtools cannot name characters outside the BMP: not checked there.) */
    /* (mtools reads [] as a pattern: look for the name in a listing.) */
    assert_non_null(strstr(t_out("mdir -i '%s' ::/", img), "a+b,c;d=e[f]g.txt"));

    fs = t_mount(img, &d);
    char *want = malloc(256);
    memset(want, 'x', 255);
    want[255] = '\0';
    assert_int_equal(t_exists(fs->root, want), ST_OK);
    free(want);
    assert_int_equal(t_exists(fs->root, "EMOJI \xf0\x9f\x98\x80.TXT"), ST_OK);
    assert_int_equal(t_exists(fs->root, " LEADING SPACE"), ST_OK);
    t_umount(fs, &d);
}

static void test_exists_and_remove(void **state)
{
    (void)state;
    const char *img = img12();
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    fs_node_t *n;
    fs_node_release(t_create(fs->root, "file.txt"));
    fs_node_t *dir = t_mkdir(fs->root, "Dir");
    fs_node_release(t_create(dir, "inner"));
    assert_int_equal(fs_create(fs->root, "FILE.TXT", 0644, &n), ST_EXISTS);
    assert_int_equal(fs_create(fs->root, "dir", 0644, &n), ST_EXISTS);
    assert_int_equal(fs_mkdir(fs->root, "File.Txt", 0755, &n), ST_EXISTS);
    assert_int_equal(fs_unlink(fs->root, "dir"), ST_IS_DIRECTORY);
    assert_int_equal(fs_unlink(fs->root, "nothing"), ST_NOT_FOUND);
    assert_int_equal(fs_rmdir(fs->root, "file.txt"), ST_NOT_DIRECTORY);
    assert_int_equal(fs_rmdir(fs->root, "dir"), ST_NOT_EMPTY);
    assert_int_equal(fs_rmdir(fs->root, "nothing"), ST_NOT_FOUND);
    assert_int_equal(fs_unlink(dir, "INNER"), ST_OK);
    assert_int_equal(t_exists(dir, "inner"), ST_NOT_FOUND);
    /* A removed directory that is still referenced is empty for good. */
    assert_int_equal(fs_rmdir(fs->root, "DIR"), ST_OK);
    assert_int_equal(t_exists(dir, "."), ST_NOT_FOUND);
    assert_int_equal(fs_create(dir, "x", 0644, &n), ST_NOT_FOUND);
    assert_string_equal(t_list(dir), "");
    fs_node_release(dir);
    assert_int_equal(fs_unlink(fs->root, "file.txt"), ST_OK);
    assert_string_equal(t_list(fs->root), "");
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);
}

static void test_rename(void **state)
{
    (void)state;
    const char *img = t_mkfs("rename.img", 32, 65536, NULL);
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    fs_node_t *a = t_create(fs->root, "a.txt");
    t_write(a, 0, "AAAA", 4);
    fs_node_t *b = t_create(fs->root, "b.txt");
    t_write(b, 0, "BB", 2);
    fs_node_t *d1 = t_mkdir(fs->root, "d1");
    fs_node_t *d2 = t_mkdir(d1, "d2");
    fs_node_t *e = t_mkdir(fs->root, "empty");
    fs_node_release(t_create(d2, "deep"));

    /* Within a directory, to a long name, then across directories. */
    assert_int_equal(fs_rename(fs->root, "a.txt", fs->root, "A longer name.txt"), ST_OK);
    assert_int_equal(t_exists(fs->root, "a.txt"), ST_NOT_FOUND);
    fs_node_t *x = t_lookup(fs->root, "a longer name.TXT");
    assert_ptr_equal(x, a); /* the same live node */
    fs_node_release(x);
    assert_int_equal(fs_rename(fs->root, "A longer name.txt", d2, "moved.txt"), ST_OK);
    t_write(a, 4, "more", 4); /* the open file follows its entry */
    /* Replacing a file: the old one's clusters go at its last release. */
    assert_int_equal(fs_rename(fs->root, "b.txt", d2, "moved.txt"), ST_OK);
    char *data = t_read_all(a, NULL);
    assert_string_equal(data, "AAAAmore");
    free(data);
    fs_node_release(a);
    x = t_lookup(d2, "moved.txt");
    assert_ptr_equal(x, b);
    fs_node_release(x);
    /* Case change of one entry. */
    assert_int_equal(fs_rename(d2, "moved.txt", d2, "MOVED.txt"), ST_OK);
    assert_string_equal(t_list(d2), "MOVED.txt\ndeep");
    assert_int_equal(fs_rename(d2, "MOVED.txt", d2, "MOVED.txt"), ST_OK);
    /* Kinds and emptiness. */
    assert_int_equal(fs_rename(d2, "MOVED.txt", fs->root, "empty"), ST_IS_DIRECTORY);
    assert_int_equal(fs_rename(fs->root, "empty", d2, "MOVED.txt"), ST_NOT_DIRECTORY);
    assert_int_equal(fs_rename(fs->root, "empty", d1, "d2"), ST_NOT_EMPTY);
    assert_int_equal(fs_rename(fs->root, "d1", d2, "loop"), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_rename(fs->root, "d1", d1, "self"), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_rename(fs->root, "missing", d1, "x"), ST_NOT_FOUND);
    assert_int_equal(fs_rename(fs->root, "empty", d1, "bad:name"), ST_INVALID_ARGUMENT);
    /* A directory replaces an empty one, across directories: its ".."
     * must follow (fsck checks it). */
    fs_node_t *e2 = t_mkdir(d1, "e2");
    assert_int_equal(fs_rename(d1, "d2", fs->root, "empty"), ST_OK);
    assert_int_equal(t_exists(e, "."), ST_NOT_FOUND); /* the replaced one is gone */
    assert_string_equal(t_list(e), "");
    x = t_lookup(d2, "..");
    assert_ptr_equal(x, fs->root);
    fs_node_release(x);
    assert_int_equal(fs_rename(d1, "e2", d2, "e2"), ST_OK);
    x = t_lookup(e2, "..");
    assert_ptr_equal(x, d2);
    fs_node_release(x);
    fs_node_release(e2);
    fs_node_release(e);
    fs_node_release(d2);
    fs_node_release(d1);
    fs_node_release(b);
    assert_string_equal(t_list(fs->root), "d1\nempty");
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);
    assert_string_equal(t_out("mtype -i '%s' ::/empty/MOVED.TXT", img), "BB");
    assert_int_equal(t_sh("mdir -i '%s' ::/empty/e2 >/dev/null", img), 0);
}

static void test_truncate_and_gaps(void **state)
{
    (void)state;
    const char *img = t_mkfs("trunc.img", 16, 16384, NULL);
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    fs_node_t *f = t_create(fs->root, "f");
    t_write(f, 0, "0123456789", 10);
    assert_int_equal(fs_truncate(f, 4), ST_OK);
    assert_int_equal(fs_truncate(f, 10000), ST_OK); /* grows with zeros */
    size_t len;
    char *data = t_read_all(f, &len);
    assert_int_equal(len, 10000);
    assert_memory_equal(data, "0123", 4);
    for (size_t i = 4; i < len; i++)
        assert_int_equal(data[i], 0);
    free(data);
    t_write(f, 50000, "end", 3); /* a gap: zeros on disk, no holes */
    data = t_read_all(f, &len);
    assert_int_equal(len, 50003);
    for (size_t i = 10000; i < 50000; i++)
        assert_int_equal(data[i], 0);
    assert_memory_equal(data + 50000, "end", 3);
    free(data);
    assert_int_equal(fs_truncate(f, 0), ST_OK);
    fat_info_t info;
    assert_int_equal(fat_get_info(f, &info), ST_OK);
    assert_int_equal(info.first_cluster, 0);
    size_t done;
    assert_int_equal(fs_write(f, 0xFFFFFFFFull, "x", 1, &done), ST_LIMIT);
    assert_int_equal(fs_truncate(f, 0x100000000ull), ST_LIMIT);
    t_write(f, 0, "again", 5);
    fs_node_release(f);
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);
    assert_string_equal(t_out("mtype -i '%s' ::/f", img), "again");
}

static void test_unlinked_open_file(void **state)
{
    (void)state;
    const char *img = img12();
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    fs_statfs_t before, during, after;
    assert_int_equal(fs_statfs(fs, &before), ST_OK);
    fs_node_t *f = t_create(fs->root, "tmp");
    char buf[20000];
    memset(buf, 'q', sizeof(buf));
    t_write(f, 0, buf, sizeof(buf));
    assert_int_equal(fs_unlink(fs->root, "tmp"), ST_OK);
    assert_int_equal(t_exists(fs->root, "tmp"), ST_NOT_FOUND);
    t_write(f, sizeof(buf), "tail", 4); /* still usable */
    assert_int_equal(fs_statfs(fs, &during), ST_OK);
    assert_true(during.free_bytes < before.free_bytes);
    fs_stat_t st;
    assert_int_equal(fs_stat(f, &st), ST_OK);
    assert_int_equal(st.nlink, 0);
    assert_int_equal(st.size, sizeof(buf) + 4);
    /* A new file may take the old name, and not the old node. */
    fs_node_t *g = t_create(fs->root, "tmp");
    assert_ptr_not_equal(g, f);
    fs_node_release(g);
    fs_node_release(f);
    assert_int_equal(fs_statfs(fs, &after), ST_OK);
    assert_int_equal(after.free_bytes, before.free_bytes);
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);
}

static void test_no_space(void **state)
{
    (void)state;
    const char *img = img12();
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    fs_statfs_t sf;
    assert_int_equal(fs_statfs(fs, &sf), ST_OK);
    fs_node_t *f = t_create(fs->root, "fill");
    size_t big = (size_t)sf.free_bytes + 512;
    char *buf = calloc(1, big);
    size_t done;
    assert_int_equal(fs_write(f, 0, buf, big, &done), ST_NO_SPACE);
    assert_int_equal(done, 0);
    fs_stat_t st;
    assert_int_equal(fs_stat(f, &st), ST_OK);
    assert_int_equal(st.size, 0); /* nothing changed */
    fs_statfs_t sf2;
    assert_int_equal(fs_statfs(fs, &sf2), ST_OK);
    assert_int_equal(sf2.free_bytes, sf.free_bytes);
    t_write(f, 0, buf, (size_t)sf.free_bytes); /* exactly full */
    assert_int_equal(fs_statfs(fs, &sf2), ST_OK);
    assert_int_equal(sf2.free_bytes, 0);
    assert_int_equal(fs_truncate(f, sf.free_bytes + 1), ST_NO_SPACE);
    fs_node_t *n;
    assert_int_equal(fs_mkdir(fs->root, "nodir", 0755, &n), ST_NO_SPACE);
    fs_node_release(t_create(fs->root, "empty ok")); /* room in the root */
    free(buf);
    fs_node_release(f);
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);

    /* The FAT12 root holds 224 slots; short names take one each. */
    img = img12();
    fs = t_mount(img, &d);
    for (int i = 0; i < 224; i++) {
        char name[16];
        snprintf(name, sizeof(name), "F%d", i);
        fs_node_release(t_create(fs->root, name));
    }
    assert_int_equal(fs_create(fs->root, "ONEMORE", 0644, &n), ST_NO_SPACE);
    assert_int_equal(fs_unlink(fs->root, "F7"), ST_OK);
    fs_node_release(t_create(fs->root, "ONEMORE"));
    assert_int_equal(fs_create(fs->root, "long name needs slots", 0644, &n), ST_NO_SPACE);
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);
}

static void test_growing_directory(void **state)
{
    (void)state;
    const char *img = img12(); /* 512-byte clusters: 16 slots each */
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    fs_node_t *dir = t_mkdir(fs->root, "many");
    for (int i = 0; i < 150; i++) {
        char name[64];
        snprintf(name, sizeof(name), "a long enough name number %03d", i);
        fs_node_t *f = t_create(dir, name);
        t_write(f, 0, name, strlen(name));
        fs_node_release(f);
    }
    /* Readdir resumes where it stopped while names come and go. */
    uint64_t cookie = 0;
    fs_dirent_t ent;
    int seen = 0;
    while (fs_readdir(dir, &cookie, &ent) == ST_OK) {
        if (ent.name[0] == 'a')
            seen++;
        if (seen == 10) {
            assert_int_equal(fs_unlink(dir, "a long enough name number 149"), ST_OK);
            fs_node_release(t_create(dir, "zzz new"));
        }
    }
    assert_true(seen >= 149);
    /* A cookie from before a long name took the slots it points into:
     * that name is skipped, not shown under its short name. ("AAA" is
     * the last name, so the new one starts in its slot.) */
    fs_node_release(t_create(dir, "AAA"));
    cookie = 0;
    while (fs_readdir(dir, &cookie, &ent) == ST_OK && strcmp(ent.name, "AAA") != 0)
        ;
    assert_string_equal(ent.name, "AAA");
    assert_int_equal(fs_unlink(dir, "AAA"), ST_OK);
    fs_node_release(t_create(dir, "a name long enough for three slots"));
    assert_int_equal(fs_readdir(dir, &cookie, &ent), ST_END_OF_FILE);
    assert_int_equal(t_exists(dir, "a name long enough for three slots"), ST_OK);
    cookie = 1ull << 40;
    assert_int_equal(fs_readdir(dir, &cookie, &ent), ST_END_OF_FILE);
    fs_node_release(dir);
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);
    assert_string_equal(t_out("mtype -i '%s' '::/many/a long enough name number 077'", img),
                        "a long enough name number 077");
}

static void test_attributes_and_times(void **state)
{
    (void)state;
    const char *img = img12();
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    test_clock = 1700000000ll * 1000000000ll + 123456789; /* 2023-11-14 22:13:20 UTC */
    fs_node_t *f = t_create(fs->root, "ro.txt");
    fs_stat_t st;
    assert_int_equal(fs_stat(f, &st), ST_OK);
    assert_int_equal(st.mode, FS_S_IFREG | 0755);
    assert_int_equal(st.mtime, 1700000000ll * 1000000000ll);
    fat_info_t info;
    assert_int_equal(fat_get_info(f, &info), ST_OK);
    assert_int_equal(info.created, 1700000000ll * 1000000000ll + 120000000);
    assert_int_equal(info.attr, FAT_ATTR_ARCHIVE);
    assert_int_equal(fs_chmod(f, 0444), ST_OK);
    assert_int_equal(fs_stat(f, &st), ST_OK);
    assert_int_equal(st.mode, FS_S_IFREG | 0555);
    int64_t when = 946684800ll * 1000000000ll + 3000000000ll; /* 2000-01-01 00:00:03 */
    assert_int_equal(fs_set_times(f, FS_TIME_OMIT, when), ST_OK);
    assert_int_equal(fs_stat(f, &st), ST_OK);
    assert_int_equal(st.mtime, when - 1000000000ll); /* 2-second resolution */
    assert_int_equal(fs_set_times(f, when, FS_TIME_OMIT), ST_OK);
    assert_int_equal(fs_stat(f, &st), ST_OK);
    assert_int_equal(st.atime, 946684800ll * 1000000000ll); /* a date */
    /* Before 1980 and after 2107 clamp. */
    assert_int_equal(fs_set_times(f, FS_TIME_OMIT, 0), ST_OK);
    assert_int_equal(fs_stat(f, &st), ST_OK);
    assert_int_equal(st.mtime, 315532800ll * 1000000000ll);
    assert_int_equal(fat_set_attr(f, FAT_ATTR_HIDDEN | FAT_ATTR_SYSTEM), ST_OK);
    assert_int_equal(fat_set_attr(f, FAT_ATTR_DIRECTORY), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_chmod(fs->root, 0555), ST_NOT_SUPPORTED);
    assert_int_equal(fs_chmod(fs->root, 0755), ST_OK);
    assert_int_equal(fs_set_times(fs->root, FS_TIME_NOW, FS_TIME_NOW), ST_NOT_SUPPORTED);
    assert_int_equal(fs_set_times(f, FS_TIME_NOW, FS_TIME_NOW), ST_OK);
    fs_node_release(f);
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);
    const char *attrs = t_out("mattrib -i '%s' ::/ro.txt", img);
    assert_non_null(strstr(attrs, "SH"));
    assert_null(strstr(attrs, "R")); /* set_attr replaced read-only too */
    assert_null(strstr(attrs, "A"));
    const char *dir = t_out("mdir -a -i '%s' ::/", img); /* -a: it is hidden */
    assert_non_null(strstr(dir, "2023-11-14"));
}

static void test_read_only_mount(void **state)
{
    (void)state;
    const char *img = img12();
    assert_int_equal(t_sh("echo hi | mcopy -i '%s' - ::/hi.txt", img), 0);
    tdev_t d;
    tdev_open(&d, img);
    fat_config_t cfg = {.dev = tdev_blockdev(&d), .read_only = true};
    cfg.dev.write = NULL;
    fs_t *fs;
    assert_int_equal(fat_create(&cfg, &fs, NULL), ST_OK);
    fs_node_t *n;
    fs_node_t *f = t_lookup(fs->root, "hi.txt");
    char *data = t_read_all(f, NULL);
    assert_string_equal(data, "hi\n");
    free(data);
    size_t done;
    assert_int_equal(fs_write(f, 0, "x", 1, &done), ST_READ_ONLY);
    assert_int_equal(fs_truncate(f, 0), ST_READ_ONLY);
    assert_int_equal(fs_chmod(f, 0444), ST_READ_ONLY);
    assert_int_equal(fs_create(fs->root, "new", 0644, &n), ST_READ_ONLY);
    assert_int_equal(fs_mkdir(fs->root, "new", 0755, &n), ST_READ_ONLY);
    assert_int_equal(fs_unlink(fs->root, "hi.txt"), ST_READ_ONLY);
    assert_int_equal(fs_rename(fs->root, "hi.txt", fs->root, "x"), ST_READ_ONLY);
    fs_node_release(f);
    assert_int_equal(fat_sync(fs), ST_OK);
    assert_int_equal(fs_destroy(fs), ST_OK);
    tdev_close(&d);
}

static void test_device_errors(void **state)
{
    (void)state;
    const char *img = img12();
    assert_int_equal(t_sh("echo hello | mcopy -i '%s' - ::/hi.txt", img), 0);
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    fs_node_t *f = t_lookup(fs->root, "hi.txt");
    fat_info_t info;
    assert_int_equal(fat_get_info(f, &info), ST_OK);
    /* 1.44 MB: 1 reserved, 2 FATs of 9, 14 root sectors: data at 33. */
    d.fail_read = 33 + (info.first_cluster - 2);
    char buf[16];
    size_t done;
    assert_int_equal(fs_read(f, 0, buf, sizeof(buf), &done), ST_IO_ERROR);
    d.fail_read = -1;
    assert_int_equal(fs_read(f, 0, buf, sizeof(buf), &done), ST_OK);
    assert_int_equal(done, 6);
    t_write(f, 0, "HELLO", 5);
    d.fail_write = 33 + (info.first_cluster - 2);
    assert_int_equal(fat_sync(fs), ST_IO_ERROR);
    d.fail_write = -1;
    assert_int_equal(fat_sync(fs), ST_OK); /* what failed stayed dirty */
    fs_node_release(f);
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);
    assert_string_equal(t_out("mtype -i '%s' ::/hi.txt", img), "HELLO\n");
}

/* FAT mounted in a VFS, driven by paths, as the file server will. */
static void test_through_vfs(void **state)
{
    (void)state;
    const char *img = t_mkfs("vfs.img", 32, 65536, NULL);
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    vfs_t *vfs;
    fs_node_t *f;
    assert_int_equal(vfs_new(&vfs), ST_OK);
    assert_int_equal(vfs_mount(vfs, "/", fs), ST_OK);
    assert_int_equal(vfs_mkdir(vfs, NULL, "/Program Files", 0755, NULL), ST_OK);
    assert_int_equal(vfs_mkdir(vfs, NULL, "/program files/Sub", 0755, NULL), ST_OK);
    assert_int_equal(vfs_create(vfs, NULL, "/PROGRAM FILES/sub/a.txt", 0644, 0, &f, NULL), ST_OK);
    t_write(f, 0, "vfs", 3);
    fs_node_release(f);
    assert_int_equal(vfs_create(vfs, NULL, "/program files/sub/A.TXT", 0644, VFS_EXCL, &f, NULL),
                     ST_EXISTS);
    assert_int_equal(vfs_resolve(vfs, NULL, "/program files/sub/../SUB/./a.txt", 0, &f, NULL),
                     ST_OK);
    fs_node_release(f);
    assert_int_equal(vfs_symlink(vfs, NULL, "a.txt", "/program files/link", NULL),
                     ST_NOT_SUPPORTED);
    /* No FIFOs on FAT; a name that exists is still EEXIST. */
    assert_int_equal(vfs_mknod(vfs, NULL, "/program files/fifo", FS_TYPE_FIFO, 0644, NULL),
                     ST_NOT_SUPPORTED);
    assert_int_equal(vfs_mknod(vfs, NULL, "/program files/sub/a.txt", FS_TYPE_FIFO, 0644, NULL),
                     ST_EXISTS);
    assert_int_equal(vfs_link(vfs, NULL, "/program files/sub/a.txt", "/hard", 0, NULL, NULL),
                     ST_NOT_SUPPORTED);
    assert_int_equal(vfs_rename(vfs, NULL, "/program files/sub/a.txt", "/b.txt", NULL, NULL),
                     ST_OK);
    assert_int_equal(vfs_rename(vfs, NULL, "/program files", "/program files/sub/x", NULL, NULL),
                     ST_INVALID_ARGUMENT);
    assert_int_equal(vfs_rmdir(vfs, NULL, "/program files", NULL), ST_NOT_EMPTY);
    assert_int_equal(vfs_rmdir(vfs, NULL, "/program files/sub", NULL), ST_OK);
    assert_int_equal(vfs_unlink(vfs, NULL, "/b.txt", NULL), ST_OK);
    assert_int_equal(vfs_create(vfs, NULL, "/kept.txt", 0644, 0, &f, NULL), ST_OK);
    t_write(f, 0, "kept", 4);
    assert_int_equal(vfs_free(vfs), ST_BUSY); /* a node is referenced */
    fs_node_release(f);
    assert_int_equal(fat_sync(fs), ST_OK);
    assert_int_equal(vfs_free(vfs), ST_OK); /* destroys the instance: it syncs */
    tdev_close(&d);
    assert_int_equal(t_fsck(img), 0);
    assert_string_equal(t_out("mtype -i '%s' ::/KEPT.TXT", img), "kept");
    assert_int_equal(t_sh("mdir -i '%s' '::/Program Files' >/dev/null", img), 0);
}

/* Throughput, as a sanity check that the cache does its job: 8 MiB
 * written and read back in 64 KiB calls, in multi-sector device calls. */
static void test_bulk_io(void **state)
{
    (void)state;
    const char *img = t_mkfs("bulk.img", 32, 34000 * 8, "-s 8"); /* 4 KiB clusters */
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    fs_node_t *f = t_create(fs->root, "bulk");
    static char buf[65536];
    for (int i = 0; i < 128; i++) {
        memset(buf, 'a' + i % 26, sizeof(buf));
        t_write(f, (uint64_t)i * sizeof(buf), buf, sizeof(buf));
    }
    assert_int_equal(fat_sync(fs), ST_OK);
    uint64_t writes_before = d.writes;
    for (int i = 0; i < 128; i++) {
        size_t done;
        assert_int_equal(fs_read(f, (uint64_t)i * sizeof(buf), buf, sizeof(buf), &done), ST_OK);
        assert_int_equal(done, sizeof(buf));
        assert_int_equal(buf[0], 'a' + i % 26);
        assert_int_equal(buf[sizeof(buf) - 1], 'a' + i % 26);
    }
    assert_int_equal(d.writes, writes_before); /* reading writes nothing */
    print_message("8 MiB: %llu sectors written in %llu calls, read in %llu calls\n",
                  (unsigned long long)d.writes, (unsigned long long)d.write_calls,
                  (unsigned long long)d.read_calls);
    assert_true(d.write_calls * 4 < d.writes);
    assert_true(d.read_calls * 4 < 16384);
    fs_node_release(f);
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);
}

/* fsync and DOS commit: after fat_flush the disk holds the file, while
 * the volume is still mounted. */
static void test_flush(void **state)
{
    (void)state;
    const char *img = t_mkfs("flush.img", 16, 16384, NULL);
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    fs_node_t *dir = t_mkdir(fs->root, "Committed files");
    fs_node_t *f = t_create(dir, "commit me.txt");
    t_write(f, 0, "committed", 9);
    assert_int_equal(fat_flush(f), ST_OK);
    assert_string_equal(t_out("mtype -i '%s' '::/Committed files/commit me.txt'", img),
                        "committed");
    assert_int_equal(t_fsck(img), 0);
    t_write(f, 9, " twice", 6);
    assert_int_equal(fat_flush(f), ST_OK);
    assert_string_equal(t_out("mtype -i '%s' '::/Committed files/commit me.txt'", img),
                        "committed twice");
    assert_int_equal(fat_flush(NULL), ST_INVALID_ARGUMENT);
    fs_node_release(f);
    fs_node_release(dir);
    t_umount(fs, &d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_exists_and_remove),
        cmocka_unit_test(test_rename),
        cmocka_unit_test(test_truncate_and_gaps),
        cmocka_unit_test(test_unlinked_open_file),
        cmocka_unit_test(test_no_space),
        cmocka_unit_test(test_growing_directory),
        cmocka_unit_test(test_attributes_and_times),
        cmocka_unit_test(test_read_only_mount),
        cmocka_unit_test(test_device_errors),
        cmocka_unit_test(test_through_vfs),
        cmocka_unit_test(test_bulk_io),
        cmocka_unit_test(test_flush),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
