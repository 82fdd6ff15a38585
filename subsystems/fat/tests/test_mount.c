/*
 * Mounting: the boot sector checks one by one (each bad field gives its
 * own clear `why`, never a crash), FAT32 specifics (root cluster,
 * version, mirroring off, FSInfo kept true or left alone when invalid),
 * and bad configurations.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fat_test.h"

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

static uint32_t get32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void rw_sector(const char *img, uint32_t s, uint8_t *buf, int write)
{
    int fd = open(img, O_RDWR);
    assert_true(fd >= 0);
    if (write)
        assert_int_equal(pwrite(fd, buf, 512, (off_t)s * 512), 512);
    else
        assert_int_equal(pread(fd, buf, 512, (off_t)s * 512), 512);
    close(fd);
}

/* Mounts img with its boot sector changed by `patch`; returns the status. */
static int try_mount(const char *img, void (*patch)(uint8_t *bs), const char **why)
{
    static uint8_t orig[512];
    uint8_t bs[512];
    rw_sector(img, 0, orig, 0);
    memcpy(bs, orig, 512);
    patch(bs);
    rw_sector(img, 0, bs, 1);
    tdev_t d;
    tdev_open(&d, img);
    fat_config_t cfg = {.dev = tdev_blockdev(&d)};
    fs_t *fs = NULL;
    *why = NULL;
    int rc = fat_create(&cfg, &fs, why);
    if (rc == ST_OK) {
        assert_int_equal(fs_destroy(fs), ST_OK);
    } else {
        assert_null(fs);
        assert_non_null(*why);
    }
    tdev_close(&d);
    rw_sector(img, 0, orig, 1);
    return rc;
}

#define PATCH(name, body)         \
    static void name(uint8_t *bs) \
    {                             \
        body;                     \
    }

PATCH(p_none, (void)bs)
PATCH(p_sig, bs[510] = 0)
PATCH(p_jump, bs[0] = 0)
PATCH(p_bps1024, put16(bs + 11, 1024))
PATCH(p_bps100, put16(bs + 11, 100))
PATCH(p_spc3, bs[13] = 3)
PATCH(p_spc0, bs[13] = 0)
PATCH(p_rsvd0, put16(bs + 14, 0))
PATCH(p_nfats0, bs[16] = 0)
PATCH(p_nfats9, bs[16] = 9)
PATCH(p_media, bs[21] = 0x12)
PATCH(p_total0, put16(bs + 19, 0); put32(bs + 32, 0))
PATCH(p_total_disagree, put32(bs + 32, 1000))
PATCH(p_fatsz0, put16(bs + 22, 0); put32(bs + 36, 0))
PATCH(p_rootents, put16(bs + 17, 17))
PATCH(p_fat_huge, put16(bs + 22, 60000))
PATCH(p_total_big, put16(bs + 19, 0); put32(bs + 32, 100000))
PATCH(p_fat_small, put16(bs + 22, 1))
PATCH(p_fat32_bpb, put16(bs + 22, 0); put32(bs + 36, 9))
PATCH(p_no_root, put16(bs + 17, 0))

static void test_boot_sector_checks(void **state)
{
    (void)state;
    const char *img = t_mkfs("bpb.img", 12, 1440, NULL);
    static const struct {
        void (*patch)(uint8_t *);
        int rc;
        const char *why;
    } cases[] = {
        {p_sig, ST_IO_ERROR, "signature"},
        {p_jump, ST_IO_ERROR, "jump"},
        {p_bps1024, ST_NOT_SUPPORTED, "512"},
        {p_bps100, ST_IO_ERROR, "bytes per sector"},
        {p_spc3, ST_IO_ERROR, "power of two"},
        {p_spc0, ST_IO_ERROR, "power of two"},
        {p_rsvd0, ST_IO_ERROR, "reserved"},
        {p_nfats0, ST_IO_ERROR, "number of FATs"},
        {p_nfats9, ST_IO_ERROR, "number of FATs"},
        {p_media, ST_IO_ERROR, "media"},
        {p_total0, ST_IO_ERROR, "zero"},
        {p_total_disagree, ST_IO_ERROR, "disagree"},
        {p_fatsz0, ST_IO_ERROR, "FAT size"},
        {p_rootents, ST_IO_ERROR, "whole sectors"},
        {p_fat_huge, ST_IO_ERROR, "do not fit"},
        {p_total_big, ST_IO_ERROR, "larger than the device"},
        {p_fat_small, ST_IO_ERROR, "too small"},
        {p_fat32_bpb, ST_IO_ERROR, "FAT32 boot sector"},
        {p_no_root, ST_IO_ERROR, "root"},
    };
    const char *why;
    assert_int_equal(try_mount(img, p_none, &why), ST_OK);
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        int rc = try_mount(img, cases[i].patch, &why);
        if (rc != cases[i].rc || !strstr(why, cases[i].why))
            fail_msg("case %zu: %d (%s)", i, rc, why ? why : "-");
    }
}

PATCH(p32_root0, put32(bs + 44, 0))
PATCH(p32_rootents, put16(bs + 17, 512))
PATCH(p32_version, put16(bs + 42, 1))
PATCH(p32_active, put16(bs + 40, 0x80 | 5))
PATCH(p32_fat16bpb, put16(bs + 22, 100))

static void test_fat32_checks(void **state)
{
    (void)state;
    const char *img = t_mkfs("bpb32.img", 32, 65536, NULL);
    const char *why;
    assert_int_equal(try_mount(img, p32_root0, &why), ST_IO_ERROR);
    assert_non_null(strstr(why, "root directory cluster"));
    assert_int_equal(try_mount(img, p32_rootents, &why), ST_IO_ERROR);
    assert_non_null(strstr(why, "FAT16 boot sector"));
    assert_int_equal(try_mount(img, p32_fat16bpb, &why), ST_IO_ERROR);
    assert_int_equal(try_mount(img, p32_version, &why), ST_NOT_SUPPORTED);
    assert_int_equal(try_mount(img, p32_active, &why), ST_IO_ERROR);
    assert_non_null(strstr(why, "active FAT"));
}

static void test_fsinfo(void **state)
{
    (void)state;
    const char *img = t_mkfs("fsinfo.img", 32, 65536, NULL);
    uint8_t bs[512], fi[512];
    rw_sector(img, 0, bs, 0);
    uint32_t fsinfo = bs[48] | bs[49] << 8;
    rw_sector(img, fsinfo, fi, 0);
    /* A wrong free count is corrected at the first sync. */
    put32(fi + 488, 12345);
    rw_sector(img, fsinfo, fi, 1);
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    fs_statfs_t sf;
    assert_int_equal(fs_statfs(fs, &sf), ST_OK);
    fs_node_t *f = t_create(fs->root, "f");
    t_write(f, 0, "data", 4);
    fs_node_release(f);
    t_umount(fs, &d);
    rw_sector(img, fsinfo, fi, 0);
    assert_int_equal((uint64_t)get32(fi + 488) * 512 * bs[13], sf.free_bytes - 512u * bs[13]);
    assert_int_equal(t_fsck(img), 0);
    /* An FSInfo without its signatures is left alone. */
    put32(fi, 0);
    put32(fi + 488, 777);
    rw_sector(img, fsinfo, fi, 1);
    fs = t_mount(img, &d);
    f = t_create(fs->root, "g");
    t_write(f, 0, "data", 4);
    fs_node_release(f);
    t_umount(fs, &d);
    rw_sector(img, fsinfo, fi, 0);
    assert_int_equal(get32(fi + 488), 777);
}

static void test_fat32_no_mirroring(void **state)
{
    (void)state;
    const char *img = t_mkfs("mirror.img", 32, 65536, NULL);
    uint8_t bs[512];
    rw_sector(img, 0, bs, 0);
    put16(bs + 40, 0x80 | 1); /* only FAT 1 (the second) is active */
    rw_sector(img, 0, bs, 1);
    uint32_t rsvd = bs[14] | bs[15] << 8, fatsz = get32(bs + 36);
    tdev_t d;
    fs_t *fs = t_mount(img, &d);
    fs_node_t *f = t_create(fs->root, "one");
    char buf[3000];
    memset(buf, 'm', sizeof(buf));
    t_write(f, 0, buf, sizeof(buf));
    fs_node_release(f);
    t_umount(fs, &d);
    uint8_t a[512], b[512];
    rw_sector(img, rsvd, a, 0);
    rw_sector(img, rsvd + fatsz, b, 0);
    assert_memory_not_equal(a, b, 512); /* only the active copy changed */
    fs = t_mount(img, &d);
    f = t_lookup(fs->root, "one");
    size_t len;
    char *data = t_read_all(f, &len);
    assert_int_equal(len, sizeof(buf));
    free(data);
    fs_node_release(f);
    t_umount(fs, &d);
}

static void test_bad_config(void **state)
{
    (void)state;
    fs_t *fs;
    const char *why;
    assert_int_equal(fat_create(NULL, &fs, &why), ST_INVALID_ARGUMENT);
    fat_config_t cfg = {0};
    assert_int_equal(fat_create(&cfg, &fs, &why), ST_INVALID_ARGUMENT);
    assert_non_null(why);
    const char *img = t_mkfs("cfg.img", 12, 1440, NULL);
    tdev_t d;
    tdev_open(&d, img);
    cfg.dev = tdev_blockdev(&d);
    d.fail_read = 0;
    assert_int_equal(fat_create(&cfg, &fs, &why), ST_IO_ERROR);
    assert_non_null(strstr(why, "boot sector"));
    d.fail_read = 1; /* the first FAT sector: read from the second copy */
    assert_int_equal(fat_create(&cfg, &fs, &why), ST_OK);
    fs_node_t *x = t_create(fs->root, "mirror");
    fs_node_release(x);
    assert_int_equal(fat_sync(fs), ST_OK);
    assert_int_equal(fs_destroy(fs), ST_OK);
    d.fail_read = -1;
    assert_int_equal(t_fsck(img), 0);
    /* Both copies unreadable: a clear mount error. */
    d.fail_read = 1;
    d.fail_read2 = 10;
    assert_int_equal(fat_create(&cfg, &fs, &why), ST_IO_ERROR);
    assert_non_null(strstr(why, "FAT"));
    d.fail_read = d.fail_read2 = -1;
    cfg.dev.sectors = 100; /* a device smaller than the volume */
    assert_int_equal(fat_create(&cfg, &fs, &why), ST_IO_ERROR);
    cfg.dev.sectors = d.sectors;
    cfg.cache_sectors = 1; /* raised to the minimum */
    assert_int_equal(fat_create(&cfg, &fs, &why), ST_OK);
    assert_true(fat_is_fat(fs));
    fs_node_t *f = t_create(fs->root, "x");
    fs_node_release(f);
    assert_int_equal(fat_sync(fs), ST_OK);
    assert_int_equal(fs_destroy(fs), ST_OK);
    tdev_close(&d);
    assert_int_equal(t_fsck(img), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boot_sector_checks),
        cmocka_unit_test(test_fat32_checks),
        cmocka_unit_test(test_fsinfo),
        cmocka_unit_test(test_fat32_no_mirroring),
        cmocka_unit_test(test_bad_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
