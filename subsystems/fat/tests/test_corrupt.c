/*
 * Corrupt volumes: chains that loop, leave the volume, reach free,
 * reserved or bad clusters, or do not match their file's size; entries
 * with bad start clusters; directory chains that loop; directory cycles.
 * Each makes operations on that file or directory fail with ST_IO_ERROR
 * (or refuse, for cycles), bounded, while the rest of the volume keeps
 * working.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fat_test.h"

typedef struct raw {
    uint8_t *b;
    size_t size;
    uint32_t rsvd, nfats, fatsz, fat12;
} raw_t;

static void raw_load(raw_t *r, const char *img)
{
    FILE *f = fopen(img, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    r->size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    r->b = malloc(r->size);
    assert_int_equal(fread(r->b, 1, r->size, f), r->size);
    fclose(f);
    r->rsvd = r->b[14] | r->b[15] << 8;
    r->nfats = r->b[16];
    r->fatsz = r->b[22] | r->b[23] << 8;
}

static void raw_save(raw_t *r, const char *img)
{
    FILE *f = fopen(img, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(r->b, 1, r->size, f), r->size);
    fclose(f);
    free(r->b);
}

/* FAT12 only (the 1.44 MB images here), in every copy. */
static void fat_put(raw_t *r, uint32_t c, uint32_t v)
{
    for (uint32_t i = 0; i < r->nfats; i++) {
        uint8_t *fat = r->b + (size_t)(r->rsvd + i * r->fatsz) * 512;
        uint8_t *p = fat + c + c / 2;
        if (c & 1) {
            p[0] = (uint8_t)((p[0] & 0x0F) | (v << 4 & 0xF0));
            p[1] = (uint8_t)(v >> 4);
        } else {
            p[0] = (uint8_t)v;
            p[1] = (uint8_t)((p[1] & 0xF0) | (v >> 8 & 0x0F));
        }
    }
}

static uint32_t fat_get(raw_t *r, uint32_t c)
{
    uint8_t *p = r->b + (size_t)r->rsvd * 512 + c + c / 2;
    uint32_t w = p[0] | p[1] << 8;
    return (c & 1) ? w >> 4 : w & 0xFFF;
}

/* The short entry named `n11` (11 bytes, space padded). */
static uint8_t *entry(raw_t *r, const char *n11)
{
    for (size_t off = 512; off + 32 <= r->size; off += 32)
        if (memcmp(r->b + off, n11, 11) == 0 && r->b[off + 11] != 0x0F)
            return r->b + off;
    fail_msg("no entry %s", n11);
    return NULL;
}

static uint32_t first_of(uint8_t *e)
{
    return e[26] | e[27] << 8;
}

static void set_first(uint8_t *e, uint32_t c)
{
    e[26] = (uint8_t)c;
    e[27] = (uint8_t)(c >> 8);
}

static void set_size(uint8_t *e, uint32_t s)
{
    e[28] = (uint8_t)s;
    e[29] = (uint8_t)(s >> 8);
    e[30] = (uint8_t)(s >> 16);
    e[31] = (uint8_t)(s >> 24);
}

static const char *build(void)
{
    const char *img = t_mkfs("bad.img", 12, 1440, NULL);
    const char *data = t_path("data1500");
    FILE *f = fopen(data, "wb");
    for (int i = 0; i < 1500; i++)
        fputc('a' + i % 26, f);
    fclose(f);
    static const char *names[] = {"LOOP.BIN",   "OUT.BIN",   "FREE.BIN", "BAD.BIN",
                                  "RSVD.BIN",   "SHORT.BIN", "LONG.BIN", "START.BIN",
                                  "START2.BIN", "ZERO.BIN",  "GOOD.TXT"};
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
        assert_int_equal(t_sh("mcopy -i '%s' '%s' ::/%s", img, data, names[i]), 0);
    assert_int_equal(t_sh("mmd -i '%s' ::/BADDIR ::/CYC ::/CYC/INNER ::/DIRLOOP", img), 0);
    for (int i = 0; i < 24; i++)
        assert_int_equal(t_sh("mcopy -i '%s' '%s' ::/DIRLOOP/F%d", img, data, i), 0);

    raw_t r;
    raw_load(&r, img);
    uint32_t c;
    c = first_of(entry(&r, "LOOP    BIN"));
    fat_put(&r, fat_get(&r, fat_get(&r, c)), c); /* third -> first */
    c = first_of(entry(&r, "OUT     BIN"));
    fat_put(&r, c, 0xFF0); /* past the last cluster */
    c = first_of(entry(&r, "FREE    BIN"));
    fat_put(&r, fat_get(&r, c), 0); /* the second cluster is free */
    c = first_of(entry(&r, "BAD     BIN"));
    fat_put(&r, c, 0xFF7);
    c = first_of(entry(&r, "RSVD    BIN"));
    fat_put(&r, c, 1);
    set_size(entry(&r, "SHORT   BIN"), 5000);
    set_size(entry(&r, "LONG    BIN"), 100);
    set_first(entry(&r, "START   BIN"), 1);
    set_first(entry(&r, "START2  BIN"), 0xFF00);
    set_first(entry(&r, "ZERO    BIN"), 0);
    set_first(entry(&r, "BADDIR     "), 0);
    uint32_t cyc = first_of(entry(&r, "CYC        "));
    set_first(entry(&r, "INNER      "), cyc); /* CYC/INNER is CYC again */
    c = first_of(entry(&r, "DIRLOOP    "));
    uint32_t last = c;
    while (fat_get(&r, last) < 0xFF8)
        last = fat_get(&r, last);
    assert_int_not_equal(last, c);
    fat_put(&r, last, c); /* the directory's chain loops */
    raw_save(&r, img);
    return img;
}

static void test_bad_chains(void **state)
{
    (void)state;
    const char *img = build();
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    static const char *bad[] = {"LOOP.BIN",  "OUT.BIN",  "FREE.BIN",  "BAD.BIN",    "RSVD.BIN",
                                "SHORT.BIN", "LONG.BIN", "START.BIN", "START2.BIN", "ZERO.BIN"};
    char buf[2000];
    size_t done;
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        fs_node_t *f = t_lookup(fs->root, bad[i]);
        fs_stat_t st;
        assert_int_equal(fs_stat(f, &st), ST_OK); /* the entry itself is fine */
        int rc = fs_read(f, 0, buf, sizeof(buf), &done);
        if (rc != ST_IO_ERROR)
            fail_msg("%s: read gave %d", bad[i], rc);
        assert_int_equal(done, 0);
        assert_int_equal(fs_write(f, 0, "x", 1, &done), ST_IO_ERROR);
        assert_int_equal(fs_truncate(f, 0), ST_IO_ERROR);
        fs_node_release(f);
    }
    fs_node_t *g = t_lookup(fs->root, "GOOD.TXT");
    assert_int_equal(fs_read(g, 0, buf, sizeof(buf), &done), ST_OK);
    assert_int_equal(done, 1500);
    fs_node_release(g);
    /* Removing a broken file leaves its chain alone (fsck's business). */
    fs_statfs_t before, after;
    assert_int_equal(fs_statfs(fs, &before), ST_OK);
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        assert_int_equal(fs_unlink(fs->root, bad[i]), ST_OK);
    assert_int_equal(fs_statfs(fs, &after), ST_OK);
    assert_int_equal(after.free_bytes, before.free_bytes);
    /* The rest of the volume still works. */
    fs_node_t *n = t_create(fs->root, "new file");
    t_write(n, 0, buf, sizeof(buf));
    fs_node_release(n);
    t_umount(fs, &d);
}

static void test_bad_directories(void **state)
{
    (void)state;
    const char *img = build();
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    fs_node_t *n;
    /* A subdirectory at cluster 0 is not the root. */
    fs_node_t *bd = t_lookup(fs->root, "BADDIR");
    assert_int_equal(fs_lookup(bd, "GOOD.TXT", &n), ST_IO_ERROR);
    uint64_t cookie = 2;
    fs_dirent_t ent;
    assert_int_equal(fs_readdir(bd, &cookie, &ent), ST_IO_ERROR);
    assert_int_equal(fs_create(bd, "x", 0644, &n), ST_IO_ERROR);
    assert_int_equal(fs_rmdir(fs->root, "BADDIR"), ST_IO_ERROR);
    fs_node_release(bd);

    /* A directory whose chain loops: listing ends, with an error. */
    fs_node_t *dl = t_lookup(fs->root, "DIRLOOP");
    cookie = 0;
    int rc, count = 0;
    while ((rc = fs_readdir(dl, &cookie, &ent)) == ST_OK)
        count++;
    assert_int_equal(rc, ST_IO_ERROR);
    assert_true(count >= 2);
    assert_int_equal(fs_lookup(dl, "NOPE", &n), ST_IO_ERROR);
    assert_int_equal(fs_create(dl, "more", 0644, &n), ST_IO_ERROR);
    fs_node_release(dl);

    /* A cycle: CYC/INNER is CYC. Walks stay bounded, and nothing can be
     * moved into itself or removed while it contains itself. */
    fs_node_t *cyc = t_lookup(fs->root, "CYC");
    fs_node_t *cur = t_lookup(cyc, "INNER");
    for (int i = 0; i < 50; i++) {
        fs_node_t *next = t_lookup(cur, "INNER");
        fs_node_release(cur);
        cur = next;
    }
    assert_string_equal(t_list(cur), "INNER");
    assert_int_equal(fs_rename(fs->root, "CYC", cur, "again"), ST_INVALID_ARGUMENT);
    assert_int_equal(fs_rmdir(cyc, "INNER"), ST_NOT_EMPTY);
    fs_node_release(cur);
    fs_node_release(cyc);
    t_umount(fs, &d);
}

/* The long-name slot just before the short entry `n11`. */
static uint8_t *lfn_before(raw_t *r, const char *n11)
{
    uint8_t *e = entry(r, n11);
    assert_int_equal(e[-32 + 11], 0x0F);
    return e - 32;
}

static void test_bad_long_names(void **state)
{
    (void)state;
    const char *img = t_mkfs("lfn.img", 12, 1440, NULL);
    static const char *names[] = {"checksum wrong.txt", "surrogate x.txt", "has slash.txt",
                                  "gap in the sequence of slots.txt", "fine name.txt"};
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
        assert_int_equal(t_sh("echo %zu | mcopy -i '%s' - '::/%s'", i, img, names[i]), 0);
    raw_t r;
    raw_load(&r, img);
    lfn_before(&r, "CHECKS~1TXT")[13] ^= 0x55;
    uint8_t *l = lfn_before(&r, "SURROG~1TXT");
    l[1] = 0x00, l[2] = 0xD8; /* the 's' becomes a lone high surrogate */
    l = lfn_before(&r, "HASSLA~1TXT");
    l[3] = '/', l[4] = 0;
    /* The slots of a three-slot name, last first: drop the middle one. */
    uint8_t *gap = lfn_before(&r, "GAPINT~1TXT") - 32;
    gap[0] = 0xE5;
    raw_save(&r, img);

    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    assert_string_equal(t_list(fs->root),
                        "CHECKS~1.TXT\nGAPINT~1.TXT\nHASSLA~1.TXT\nfine name.txt\n"
                        "\xef\xbf\xbdurrogate x.txt");
    assert_int_equal(t_exists(fs->root, "CHECKS~1.TXT"), ST_OK);
    assert_int_equal(t_exists(fs->root, "checksum wrong.txt"), ST_NOT_FOUND);
    fs_node_t *f = t_lookup(fs->root, "\xef\xbf\xbdurrogate x.txt");
    char *data = t_read_all(f, NULL);
    assert_string_equal(data, "1\n");
    free(data);
    fs_node_release(f);
    /* The broken names can be replaced and removed. */
    assert_int_equal(fs_rename(fs->root, "GAPINT~1.TXT", fs->root, "mended.txt"), ST_OK);
    assert_int_equal(fs_unlink(fs->root, "HASSLA~1.TXT"), ST_OK);
    assert_int_equal(fs_unlink(fs->root, "\xef\xbf\xbdurrogate x.txt"), ST_OK);
    fs_node_release(t_create(fs->root, "surrogate x.txt"));
    t_umount(fs, &d);
    assert_string_equal(t_out("mtype -i '%s' ::/mended.txt", img), "3\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_chains),
        cmocka_unit_test(test_bad_directories),
        cmocka_unit_test(test_bad_long_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
