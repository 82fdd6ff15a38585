/*
 * Replays images through the fuzzer's walker (fat_walk.c): every input
 * the fuzzer found crashing, kept in regress/ under a name that says
 * what it broke, and the fuzzer's seed corpus. Each must be walked, with
 * changes, without a crash or a sanitizer report; the seeds must also
 * mount and have their files read.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fat_test.h"
#include "fat_walk.h"

static const char *regress_dir, *corpus_dir;

static unsigned replay_dir(const char *dir, int must_mount)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    unsigned n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strstr(e->d_name, ".md"))
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static uint8_t buf[1 << 20];
        size_t len = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        fat_walk_stats_t st;
        fat_walk_image(buf, len, 0, &st);
        if (must_mount && st.mount_status != ST_OK)
            fail_msg("%s: mount %d", e->d_name, st.mount_status);
        if (must_mount && st.errors)
            fail_msg("%s: %u errors", e->d_name, st.errors);
        fat_walk_image(buf, len, 1, &st);
        n++;
    }
    closedir(d);
    return n;
}

static void test_regressions(void **state)
{
    (void)state;
    replay_dir(regress_dir, 0);
}

static void test_corpus(void **state)
{
    (void)state;
    assert_true(replay_dir(corpus_dir, 1) >= 6);
    /* The tree seed has its files where they should be. */
    char path[1024];
    snprintf(path, sizeof(path), "%s/fat12-tree.img", corpus_dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t buf[1 << 20];
    size_t len = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    fat_walk_stats_t st;
    fat_walk_image(buf, len, 0, &st);
    assert_int_equal(st.mount_status, ST_OK);
    assert_int_equal(st.files, 4);
    assert_int_equal(st.dirs, 3);
    assert_int_equal(st.bytes, 3000 + 3 * 6);
    /* So does the sparse FAT32 one. */
    snprintf(path, sizeof(path), "%s/fat32-tree.sparse", corpus_dir);
    f = fopen(path, "rb");
    assert_non_null(f);
    len = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    fat_walk_image(buf, len, 0, &st);
    assert_int_equal(st.mount_status, ST_OK);
    assert_int_equal(st.files, 3);
    assert_int_equal(st.dirs, 3);
    assert_int_equal(st.bytes, 3000 + 2 * 6);
    assert_int_equal(st.errors, 0);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s regress-dir corpus-dir\n", argv[0]);
        return 2;
    }
    regress_dir = argv[1];
    corpus_dir = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regressions),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
