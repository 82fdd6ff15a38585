/*
 * Interoperation with the reference tools, on FAT12, FAT16 and FAT32:
 * files and long names written by mtools read back through the library;
 * files, directories and long names written by the library read back by
 * mtools; fsck.fat -n clean after every test that writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fat_test.h"

typedef struct geo {
    int type;
    unsigned kb;
} geo_t;

static const geo_t geos[] = {{12, 1440}, {16, 16384}, {32, 65536}};

static const char *image(int i, const char *tag)
{
    char name[64];
    snprintf(name, sizeof(name), "%s%d.img", tag, geos[i].type);
    return t_mkfs(name, geos[i].type, geos[i].kb, "-n TESTVOL");
}

/* A file of `len` pseudo-random bytes in the temporary directory. */
static const char *host_file(const char *name, size_t len, unsigned seed)
{
    const char *path = t_path(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < len; i++)
        fputc((int)((seed * 2654435761u + i * 7919u) >> 13 & 0xFF), f);
    fclose(f);
    return path;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void test_read_mtools_files(void **state)
{
    (void)state;
    for (int g = 0; g < 3; g++) {
        const char *img = image(g, "rd");
        const char *big = host_file("big.bin", 300000, 1);
        const char *small = host_file("small.txt", 100, 2);
        assert_int_equal(t_sh("mmd -i '%s' ::/Sub ::/Sub/Deeper 2>&1", img), 0);
        assert_int_equal(t_sh("mcopy -i '%s' '%s' ::/BIG.BIN", img, big), 0);
        assert_int_equal(t_sh("mcopy -i '%s' '%s' '::/A long file name.txt'", img, small), 0);
        assert_int_equal(t_sh("mcopy -i '%s' '%s' '::/Sub/Deeper/lower.c'", img, small), 0);
        assert_int_equal(t_sh("mcopy -i '%s' '%s' '::/Sub/Ünïcødé ☃.txt'", img, small), 0);
        assert_int_equal(t_sh("mcopy -i '%s' '%s' '::/Sub/A long file name 2.txt'", img, small), 0);

        tdev_t d;
        fs_t *fs = t_mount(img, &d);
        size_t len, want;
        char *ref = slurp(big, &want);
        fs_node_t *f = t_lookup(fs->root, "big.bin"); /* case folded */
        char *data = t_read_all(f, &len);
        assert_int_equal(len, want);
        assert_memory_equal(data, ref, len);
        free(data);
        free(ref);
        /* A read across the end stops at it. */
        char buf[64];
        size_t done;
        assert_int_equal(fs_read(f, 299990, buf, sizeof(buf), &done), ST_OK);
        assert_int_equal(done, 10);
        assert_int_equal(fs_read(f, 400000, buf, sizeof(buf), &done), ST_OK);
        assert_int_equal(done, 0);
        fs_node_release(f);

        assert_string_equal(t_list(fs->root), "A long file name.txt\nBIG.BIN\nSub");
        fs_node_t *sub = t_lookup(fs->root, "SUB");
        assert_string_equal(t_list(sub), "A long file name 2.txt\nDeeper\nÜnïcødé ☃.txt");
        ref = slurp(small, &want);
        f = t_lookup(sub, "Ünïcødé ☃.TXT"); /* ASCII folded */
        data = t_read_all(f, &len);
        assert_int_equal(len, want);
        assert_memory_equal(data, ref, len);
        free(data);
        fs_node_release(f);
        assert_int_equal(t_exists(sub, "ünïcødé ☃.txt"), ST_NOT_FOUND); /* only ASCII */

        /* Short names, as DOS sees them. */
        fs_node_t *l1, *l2;
        assert_int_equal(fat_lookup_short(sub, "alongf~1.txt", &l1), ST_OK);
        assert_int_equal(fat_lookup_short(sub, "A long file name 2.txt", &l2), ST_NOT_FOUND);
        fat_info_t info;
        assert_int_equal(fat_get_info(l1, &info), ST_OK);
        assert_string_equal(info.short_name, "ALONGF~1.TXT");
        fs_node_release(l1);
        (void)l2;
        /* The long name's short name also works through the VFS lookup. */
        assert_int_equal(t_exists(fs->root, "ALONGF~1.TXT"), ST_OK);

        /* The DOS listing: dot entries first, short names, attributes. */
        uint64_t cookie = 0;
        fat_dosent_t de;
        assert_int_equal(fat_readdir_dos(sub, &cookie, &de), ST_OK);
        assert_string_equal(de.short_name, ".");
        assert_int_equal(de.attr, FAT_ATTR_DIRECTORY);
        assert_int_equal(fat_readdir_dos(sub, &cookie, &de), ST_OK);
        assert_string_equal(de.short_name, "..");
        assert_int_equal(de.first_cluster, 0); /* the root */
        int seen = 0;
        while (fat_readdir_dos(sub, &cookie, &de) == ST_OK) {
            if (strcmp(de.name, "A long file name 2.txt") == 0) {
                assert_string_equal(de.short_name, "ALONGF~1.TXT");
                assert_int_equal(de.size, 100);
                assert_true(de.attr & FAT_ATTR_ARCHIVE);
                fs_node_t *x = t_lookup(sub, de.name);
                assert_int_equal(fat_get_info(x, &info), ST_OK);
                assert_int_equal(de.dos_date, info.dos_date);
                assert_int_equal(de.dos_time, info.dos_time);
                assert_int_equal(de.first_cluster, info.first_cluster);
                fs_node_release(x);
                seen++;
            } else if (strcmp(de.name, "Deeper") == 0) {
                assert_string_equal(de.short_name, "DEEPER");
                assert_int_equal(de.attr & FAT_ATTR_DIRECTORY, FAT_ATTR_DIRECTORY);
                seen++;
            }
        }
        assert_int_equal(seen, 2);
        cookie = 0; /* the root has no dot entries */
        assert_int_equal(fat_readdir_dos(fs->root, &cookie, &de), ST_OK);
        assert_int_not_equal(de.short_name[0], '.');
        assert_int_equal(fat_readdir_dos(fs->root, NULL, &de), ST_INVALID_ARGUMENT);

        fs_node_t *deeper = t_lookup(sub, "Deeper");
        fs_node_t *up = t_lookup(deeper, "..");
        assert_ptr_equal(up, sub);
        fs_node_release(up);
        f = t_lookup(deeper, "LOWER.C");
        data = t_read_all(f, &len);
        assert_memory_equal(data, ref, len);
        free(data);
        free(ref);
        fs_node_release(f);
        /* mtools stored "lower.c" as a short name with NT's lower-case
         * flags; renamed to upper case, it must lose them. */
        assert_int_equal(fs_rename(deeper, "lower.c", deeper, "LOWER.C"), ST_OK);
        assert_string_equal(t_list(deeper), "LOWER.C");
        assert_int_equal(fs_rename(deeper, "LOWER.C", deeper, "A~B.C"), ST_OK);
        fs_node_release(t_create(deeper, "A~B~1.C")); /* a name shaped like a tail */
        fs_node_release(t_create(deeper, "A~B+.C"));  /* A~B_~1.C */
        fs_node_release(t_create(deeper, "A~B=.C"));
        f = t_lookup(deeper, "A~B=.C");
        assert_int_equal(fat_get_info(f, &info), ST_OK);
        assert_string_equal(info.short_name, "A~B_~2.C");
        fs_node_release(f);
        fs_node_release(deeper);
        fs_node_release(sub);

        char label[12];
        assert_int_equal(fat_get_label(fs, label), ST_OK);
        assert_string_equal(label, "TESTVOL");
        fs_statfs_t sf;
        assert_int_equal(fs_statfs(fs, &sf), ST_OK);
        char type[8];
        snprintf(type, sizeof(type), "fat%d", geos[g].type);
        assert_string_equal(sf.type, type);
        assert_true(sf.free_bytes < sf.total_bytes);
        /* The free space agrees with mtools' count. */
        const char *free_line = t_out("mdir -i '%s' ::/ | grep 'bytes free' | tr -d ' '", img);
        assert_int_equal(strtoull(free_line, NULL, 10), sf.free_bytes);
        t_umount(fs, &d);
        assert_int_equal(t_fsck(img), 0);
    }
}

static void test_write_read_by_mtools(void **state)
{
    (void)state;
    for (int g = 0; g < 3; g++) {
        const char *img = image(g, "wr");
        tdev_t d;
        fs_t *fs = t_mount(img, &d);
        size_t blen = 200000;
        char *big = malloc(blen);
        for (size_t i = 0; i < blen; i++)
            big[i] = (char)(i * 31 + g);
        fs_node_t *f = t_create(fs->root, "HELLO.TXT");
        t_write(f, 0, "hello, world\n", 13);
        fs_node_release(f);
        fs_node_t *dir = t_mkdir(fs->root, "My Documents");
        fs_node_t *sub = t_mkdir(dir, "sub");
        f = t_create(sub, "a rather long name for a file.data");
        t_write(f, 0, big, blen);
        fs_node_release(f);
        f = t_create(dir, "Ünïcødé ☃.txt");
        t_write(f, 0, "snow", 4);
        fs_node_release(f);
        f = t_create(dir, "lower.txt");
        t_write(f, 0, "lower", 5);
        fs_node_release(f);
        fs_node_release(sub);
        fs_node_release(dir);
        t_umount(fs, &d);
        assert_int_equal(t_fsck(img), 0);
        /* The label entry, changed by mtools, wins over the boot sector's. */
        assert_int_equal(t_sh("mlabel -i '%s' ::Other", img), 0);
        fs = t_mount(img, &d);
        char label[12];
        assert_int_equal(fat_get_label(fs, label), ST_OK);
        assert_string_equal(label, "OTHER");
        t_umount(fs, &d);

        assert_string_equal(t_out("mtype -i '%s' ::/hello.txt", img), "hello, world\n");
        assert_string_equal(t_out("mtype -i '%s' '::/My Documents/Ünïcødé ☃.txt'", img), "snow");
        assert_string_equal(t_out("mtype -i '%s' '::/my documents/LOWER.TXT'", img), "lower");
        const char *out = t_path("out.bin");
        assert_int_equal(t_sh("mcopy -n -i '%s' '::/My Documents/sub/a rather long name for a "
                              "file.data' '%s'",
                              img, out),
                         0);
        size_t len;
        char *back = slurp(out, &len);
        assert_int_equal(len, blen);
        assert_memory_equal(back, big, blen);
        free(back);
        free(big);
        /* mdir shows the long names and the generated short ones. */
        const char *listing = t_out("mdir -i '%s' '::/My Documents'", img);
        assert_non_null(strstr(listing, "lower.txt"));
        assert_non_null(strstr(listing, "Ünïcødé ☃.txt"));
        assert_non_null(strstr(listing, "LOWER    TXT"));
        assert_non_null(strstr(listing, "sub"));
    }
}

static void test_short_name_generation(void **state)
{
    (void)state;
    const char *img = t_mkfs("sn.img", 16, 16384, NULL);
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    static const char *names[] = {
        "Long File Name.txt",
        "Long File Name 2.txt",
        "Long File Name 3.txt",
        "README",
        "readme.md",
        ".profile",
        "a+b=c;d.txt",
        "x.tar.gz",
        "many.dots.in.name",
        "ÄÖÜ.txt",
        "UPPER.TXT",
        "Mixed.Txt",
    };
    static const char *shorts[] = {
        "LONGFI~1.TXT", "LONGFI~2.TXT", "LONGFI~3.TXT", "README",    "README.MD", "PROFIL~1",
        "A_B_C_~1.TXT", "XTAR~1.GZ",    "MANYDO~1.NAM", "___~1.TXT", "UPPER.TXT", "MIXED.TXT",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
        fs_node_t *f = t_create(fs->root, names[i]);
        fat_info_t info;
        assert_int_equal(fat_get_info(f, &info), ST_OK);
        if (strcmp(info.short_name, shorts[i]) != 0)
            fail_msg("%s: short name %s, expected %s", names[i], info.short_name, shorts[i]);
        fs_node_release(f);
    }
    /* Many names with one basis: the tails count up without collisions. */
    for (int i = 0; i < 30; i++) {
        char name[64];
        snprintf(name, sizeof(name), "Collision test %02d.txt", i);
        fs_node_release(t_create(fs->root, name));
    }
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);
    const char *listing = t_out("mdir -i '%s' ::/", img);
    assert_non_null(strstr(listing, "Collision test 29.txt"));
    assert_non_null(strstr(listing, "COLLIS~9"));
    assert_non_null(strstr(listing, "COLLI~10"));
    assert_non_null(strstr(listing, "Long File Name 3.txt"));
    /* mtools finds every file by its long name. */
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
        assert_int_equal(t_sh("mtype -i '%s' '::/%s' >/dev/null", img, names[i]), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_mtools_files),
        cmocka_unit_test(test_write_read_by_mtools),
        cmocka_unit_test(test_short_name_generation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
