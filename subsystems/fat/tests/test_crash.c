/*
 * Crash consistency: a sequence of changes with syncs in between is run
 * once to count its sector writes, then again and again on copies of the
 * same volume with the device dropping every write after the Nth (a power
 * cut). For each N, fsck.fat -a must repair the copy so that fsck.fat -n
 * finds nothing, and everything synced before the cut must read back
 * intact: the files made before the sequence always, and the files the
 * sequence synced whenever the cut came after that sync.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fat_test.h"

#define MARKS 3

static void fill(char *buf, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)('A' + (i * 7 + seed * 13 + i / 97) % 53);
}

static void write_file(fs_node_t *dir, const char *name, size_t len, unsigned seed)
{
    char *buf = malloc(len);
    fill(buf, len, seed);
    fs_node_t *f = t_create(dir, name);
    t_write(f, 0, buf, len);
    fs_node_release(f);
    free(buf);
}

/* Returns whether the file holds exactly what write_file wrote. */
static int file_ok(fs_node_t *dir, const char *name, size_t len, unsigned seed)
{
    fs_node_t *f;
    if (fs_lookup(dir, name, &f) != ST_OK)
        return 0;
    char *want = malloc(len), *got = malloc(len + 1);
    fill(want, len, seed);
    size_t done = 0;
    int rc = fs_read(f, 0, got, len + 1, &done);
    int ok = rc == ST_OK && done == len && memcmp(want, got, len) == 0;
    fs_node_release(f);
    free(want);
    free(got);
    return ok;
}

/* The files that exist before the sequence. */
static void before(fs_t *fs)
{
    fs_node_t *keep = t_mkdir(fs->root, "keep");
    write_file(keep, "Synced file one.txt", 30000, 1);
    fs_node_t *deep = t_mkdir(keep, "deep");
    write_file(deep, "x", 100, 2);
    fs_node_release(deep);
    fs_node_release(keep);
    write_file(fs->root, "KEEP2.BIN", 5000, 3);
    write_file(fs->root, "config.txt", 9000, 8);
}

static void check_before(fs_t *fs)
{
    fs_node_t *keep = t_lookup(fs->root, "keep");
    assert_true(file_ok(keep, "Synced file one.txt", 30000, 1));
    fs_node_t *deep = t_lookup(keep, "deep");
    assert_true(file_ok(deep, "x", 100, 2));
    fs_node_release(deep);
    fs_node_release(keep);
    assert_true(file_ok(fs->root, "KEEP2.BIN", 5000, 3));
}

/* The sequence; marks[i] gets the device's write count after sync i. */
static void sequence(fs_t *fs, tdev_t *d, uint64_t marks[MARKS])
{
    fs_node_t *r = fs->root, *n;
    char name[64];

    write_file(r, "B one.txt", 20000, 4);
    assert_int_equal(fat_sync(fs), ST_OK);
    marks[0] = d->writes;

    /* Replace a synced file the safe way, then write enough to reuse
     * clusters: whatever the cut, config.txt is the old or the new one. */
    write_file(r, "config.tmp", 7000, 9);
    assert_int_equal(fs_rename(r, "config.tmp", r, "config.txt"), ST_OK);
    write_file(r, "filler", 60000, 11);
    assert_int_equal(fs_unlink(r, "filler"), ST_OK);

    fs_node_t *bdir = t_mkdir(r, "b directory");
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof(name), "file with a long name %02d", i);
        write_file(bdir, name, 700 + (size_t)i * 50, 10 + (unsigned)i);
    }
    write_file(r, "big b", 120000, 5);
    for (int i = 0; i < 40; i += 3) {
        snprintf(name, sizeof(name), "file with a long name %02d", i);
        assert_int_equal(fs_unlink(bdir, name), ST_OK);
    }
    n = t_lookup(r, "big b");
    assert_int_equal(fs_truncate(n, 10000), ST_OK);
    assert_int_equal(fs_truncate(n, 50000), ST_OK);
    fs_node_release(n);
    assert_int_equal(fs_rename(bdir, "file with a long name 01", r, "moved"), ST_OK);
    assert_int_equal(fat_sync(fs), ST_OK);
    marks[1] = d->writes;

    write_file(r, "c", 40000, 6);
    assert_int_equal(fs_rename(r, "c", bdir, "c2"), ST_OK);
    assert_int_equal(fs_rename(r, "moved", bdir, "file with a long name 04"), ST_OK);
    assert_int_equal(fs_unlink(bdir, "c2"), ST_OK);
    fs_node_t *sub = t_mkdir(bdir, "sub");
    write_file(sub, "s", 3000, 7);
    fs_node_release(sub);
    assert_int_equal(fs_rename(r, "b directory", r, "renamed directory"), ST_OK);
    fs_node_release(bdir);
    assert_int_equal(fat_sync(fs), ST_OK);
    marks[2] = d->writes;
}

static void check_after(fs_t *fs, uint64_t cut, const uint64_t marks[MARKS])
{
    check_before(fs);
    if (!file_ok(fs->root, "config.txt", 9000, 8) && !file_ok(fs->root, "config.txt", 7000, 9))
        fail_msg("cut at %llu: config.txt is neither the old nor the new one",
                 (unsigned long long)cut);
    if (cut >= marks[0])
        assert_true(file_ok(fs->root, "B one.txt", 20000, 4));
    if (cut >= marks[1]) {
        fs_node_t *big = t_lookup(fs->root, "big b");
        size_t len;
        char *data = t_read_all(big, &len);
        assert_int_equal(len, 50000);
        char want[10000];
        fill(want, sizeof(want), 5);
        assert_memory_equal(data, want, sizeof(want));
        for (size_t i = 10000; i < len; i++)
            assert_int_equal(data[i], 0);
        free(data);
        fs_node_release(big);
    }
    if (cut >= marks[2]) {
        fs_node_t *b = t_lookup(fs->root, "renamed directory");
        char name[64];
        for (int i = 2; i < 40; i += 3) {
            snprintf(name, sizeof(name), "file with a long name %02d", i);
            assert_true(file_ok(b, name, 700 + (size_t)i * 50, 10 + (unsigned)i));
        }
        fs_node_release(b);
    }
}

static void run(int type, unsigned kb, int points, uint32_t cache)
{
    char base[64];
    snprintf(base, sizeof(base), "crash-base%d.img", type);
    const char *img = t_mkfs(base, type, kb, NULL);
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    before(fs);
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);

    /* Count the sequence's writes. */
    const char *copy = t_path("crash.img");
    uint64_t marks[MARKS];
    assert_int_equal(t_sh("cp --sparse=always '%s' '%s'", img, copy), 0);
    fs = t_mount_cache(copy, &d, cache);
    sequence(fs, &d, marks);
    t_umount(fs, &d);
    assert_int_equal(t_fsck(copy), 0);
    uint64_t total = marks[MARKS - 1];

    uint64_t stride = total / (uint64_t)points + 1;
    unsigned repaired = 0, tried = 0;
    for (uint64_t cut = 0; cut <= total; cut += stride) {
        assert_int_equal(t_sh("cp --sparse=always '%s' '%s'", img, copy), 0);
        fs = t_mount_cache(copy, &d, cache);
        d.write_budget = (int64_t)cut;
        uint64_t m[MARKS];
        sequence(fs, &d, m);
        assert_int_equal(fat_sync(fs), ST_OK);
        assert_int_equal(fs_destroy(fs), ST_OK);
        tdev_close(&d);
        int rc = t_sh("fsck.fat -a '%s' >/dev/null 2>&1", copy);
        if (rc != 0 && rc != 1)
            fail_msg("cut at %llu of %llu: fsck.fat -a failed (%d)", (unsigned long long)cut,
                     (unsigned long long)total, rc);
        repaired += rc == 1;
        tried++;
        if (t_fsck(copy) != 0)
            fail_msg("cut at %llu of %llu: not repaired", (unsigned long long)cut,
                     (unsigned long long)total);
        fs = t_mount(copy, &d);
        check_after(fs, cut, marks);
        t_umount(fs, &d);
    }
    print_message("FAT%d, %u buffers: %llu writes, %u cuts, %u needed repair\n", type, cache,
                  (unsigned long long)total, tried, repaired);
}

static void test_crash_fat12(void **state)
{
    (void)state;
    run(12, 1440, 100000, 64); /* every cut */
    run(12, 1440, 100000, 8);  /* evictions inside operations */
}

static void test_crash_fat16(void **state)
{
    (void)state;
    run(16, 16384, 60, 64);
    run(16, 16384, 60, 8);
}

static void test_crash_fat32(void **state)
{
    (void)state;
    run(32, 34000, 40, 64);
    run(32, 34000, 40, 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crash_fat12),
        cmocka_unit_test(test_crash_fat16),
        cmocka_unit_test(test_crash_fat32),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
