/*
 * Helpers shared by the FAT tests: see fat_test.h.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fat_test.h"

int64_t test_clock = 1700000000ll * 1000000000ll;

static int64_t clock_now(void *ctx)
{
    (void)ctx;
    return test_clock;
}

static char tmpdir[256];

static void cleanup(void)
{
    if (tmpdir[0] && !getenv("FAT_TEST_KEEP"))
        t_sh("rm -rf '%s'", tmpdir);
}

const char *t_tmpdir(void)
{
    if (!tmpdir[0]) {
        const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        snprintf(tmpdir, sizeof(tmpdir), "%s/fat-test-XXXXXX", base);
        if (!mkdtemp(tmpdir))
            fail_msg("mkdtemp failed");
        atexit(cleanup);
        setenv("MTOOLS_SKIP_CHECK", "1", 1);
    }
    return tmpdir;
}

const char *t_path(const char *name)
{
    static char bufs[8][512];
    static int slot;
    char *b = bufs[slot++ % 8];

    snprintf(b, 512, "%s/%s", t_tmpdir(), name);
    return b;
}

int t_sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

const char *t_out(const char *fmt, ...)
{
    static char out[1 << 20];
    char cmd[4096];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    pclose(p);
    return out;
}

const char *t_mkfs(const char *name, int type, unsigned size_kb, const char *extra)
{
    const char *path = t_path(name);

    unlink(path);
    int rc = t_sh("mkfs.fat -C -F %d %s '%s' %u >/dev/null 2>&1", type, extra ? extra : "", path,
                  size_kb);
    assert_int_equal(rc, 0);
    return path;
}

int t_fsck(const char *img)
{
    int rc = t_sh("fsck.fat -n '%s' >/dev/null 2>&1", img);
    if (rc != 0)
        t_sh("fsck.fat -n -v '%s' 2>&1 | tail -n 20", img);
    return rc;
}

static uint8_t *lost(tdev_t *d, uint64_t sector)
{
    for (size_t i = 0; i < d->nlost; i++)
        if (d->lost_sector[i] == sector)
            return d->lost_data + i * FAT_SECTOR;
    return NULL;
}

static int dev_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    tdev_t *d = ctx;

    if (sector + count > d->sectors)
        return ST_INVALID_ARGUMENT;
    d->read_calls++;
    if (d->fail_read >= 0 && (uint64_t)d->fail_read >= sector &&
        (uint64_t)d->fail_read < sector + count)
        return ST_IO_ERROR;
    if (d->fail_read2 >= 0 && (uint64_t)d->fail_read2 >= sector &&
        (uint64_t)d->fail_read2 < sector + count)
        return ST_IO_ERROR;
    ssize_t n = pread(d->fd, buf, (size_t)count * FAT_SECTOR, (off_t)(sector * FAT_SECTOR));
    if (n != (ssize_t)count * FAT_SECTOR)
        return ST_IO_ERROR;
    for (uint32_t i = 0; d->nlost && i < count; i++) {
        uint8_t *l = lost(d, sector + i);
        if (l)
            memcpy((uint8_t *)buf + (size_t)i * FAT_SECTOR, l, FAT_SECTOR);
    }
    return ST_OK;
}

static int dev_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    tdev_t *d = ctx;

    if (sector + count > d->sectors)
        return ST_INVALID_ARGUMENT;
    d->write_calls++;
    if (d->fail_write >= 0 && (uint64_t)d->fail_write >= sector &&
        (uint64_t)d->fail_write < sector + count)
        return ST_IO_ERROR;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *src = (const uint8_t *)buf + (size_t)i * FAT_SECTOR;
        if (d->write_budget >= 0 && d->writes >= (uint64_t)d->write_budget) {
            /* The power is off: the write is lost to the disk. */
            d->dropped++;
            uint8_t *l = lost(d, sector + i);
            if (!l) {
                if (d->nlost == d->caplost) {
                    d->caplost = d->caplost ? d->caplost * 2 : 64;
                    d->lost_sector = realloc(d->lost_sector, d->caplost * sizeof(uint64_t));
                    d->lost_data = realloc(d->lost_data, d->caplost * FAT_SECTOR);
                }
                d->lost_sector[d->nlost] = sector + i;
                l = d->lost_data + d->nlost++ * FAT_SECTOR;
            }
            memcpy(l, src, FAT_SECTOR);
            continue;
        }
        ssize_t n = pwrite(d->fd, src, FAT_SECTOR, (off_t)((sector + i) * FAT_SECTOR));
        if (n != FAT_SECTOR)
            return ST_IO_ERROR;
        d->writes++;
    }
    return ST_OK;
}

static int dev_flush(void *ctx)
{
    (void)ctx;
    return ST_OK;
}

void tdev_open(tdev_t *d, const char *path)
{
    memset(d, 0, sizeof(*d));
    d->fd = open(path, O_RDWR);
    assert_true(d->fd >= 0);
    struct stat st;
    assert_int_equal(fstat(d->fd, &st), 0);
    d->sectors = (uint64_t)st.st_size / FAT_SECTOR;
    d->write_budget = -1;
    d->fail_read = -1;
    d->fail_read2 = -1;
    d->fail_write = -1;
}

void tdev_close(tdev_t *d)
{
    close(d->fd);
    d->fd = -1;
    free(d->lost_sector);
    free(d->lost_data);
    d->lost_sector = NULL;
    d->lost_data = NULL;
    d->nlost = d->caplost = 0;
}

fat_blockdev_t tdev_blockdev(tdev_t *d)
{
    fat_blockdev_t b = {
        .ctx = d,
        .sectors = d->sectors,
        .read = dev_read,
        .write = dev_write,
        .flush = dev_flush,
    };
    return b;
}

fs_t *t_mount(const char *img, tdev_t *d)
{
    return t_mount_cache(img, d, 64);
}

fs_t *t_mount_cache(const char *img, tdev_t *d, uint32_t sectors)
{
    fat_config_t cfg = {0};
    fs_t *fs;
    const char *why = NULL;

    tdev_open(d, img);
    cfg.dev = tdev_blockdev(d);
    cfg.now = clock_now;
    cfg.cache_sectors = sectors;
    int rc = fat_create(&cfg, &fs, &why);
    if (rc != ST_OK)
        fail_msg("mount %s: %d (%s)", img, rc, why ? why : "?");
    return fs;
}

void t_umount(fs_t *fs, tdev_t *d)
{
    assert_int_equal(fat_sync(fs), ST_OK);
    assert_int_equal(fs_destroy(fs), ST_OK);
    tdev_close(d);
}

fs_node_t *t_create(fs_node_t *dir, const char *name)
{
    fs_node_t *n;
    int rc = fs_create(dir, name, 0644, &n);
    if (rc != ST_OK)
        fail_msg("create %s: %d", name, rc);
    return n;
}

fs_node_t *t_mkdir(fs_node_t *dir, const char *name)
{
    fs_node_t *n;
    int rc = fs_mkdir(dir, name, 0755, &n);
    if (rc != ST_OK)
        fail_msg("mkdir %s: %d", name, rc);
    return n;
}

fs_node_t *t_lookup(fs_node_t *dir, const char *name)
{
    fs_node_t *n;
    int rc = fs_lookup(dir, name, &n);
    if (rc != ST_OK)
        fail_msg("lookup %s: %d", name, rc);
    return n;
}

void t_write(fs_node_t *node, uint64_t off, const void *data, size_t len)
{
    size_t done;
    int rc = fs_write(node, off, data, len, &done);
    if (rc != ST_OK)
        fail_msg("write: %d", rc);
    assert_int_equal(done, len);
}

char *t_read_all(fs_node_t *node, size_t *len)
{
    fs_stat_t st;
    assert_int_equal(fs_stat(node, &st), ST_OK);
    char *buf = malloc(st.size + 1);
    size_t done = 0;
    assert_int_equal(fs_read(node, 0, buf, st.size, &done), ST_OK);
    assert_int_equal(done, st.size);
    buf[done] = '\0';
    if (len)
        *len = done;
    return buf;
}

int t_exists(fs_node_t *dir, const char *name)
{
    fs_node_t *n;
    int rc = fs_lookup(dir, name, &n);
    if (rc == ST_OK)
        fs_node_release(n);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

const char *t_list(fs_node_t *dir)
{
    static char out[1 << 16];
    char *names[4096];
    size_t n = 0;
    uint64_t cookie = 0;
    fs_dirent_t ent;
    int rc;

    while ((rc = fs_readdir(dir, &cookie, &ent)) == ST_OK) {
        if (strcmp(ent.name, ".") == 0 || strcmp(ent.name, "..") == 0)
            continue;
        assert_true(n < 4096);
        names[n++] = strdup(ent.name);
    }
    assert_int_equal(rc, ST_END_OF_FILE);
    qsort(names, n, sizeof(*names), cmp_str);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(out, names[i]);
        if (i + 1 < n)
            strcat(out, "\n");
        free(names[i]);
    }
    return out;
}
