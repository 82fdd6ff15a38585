/*
 * The image walker of fat_walk.h: a block device over a buffer, and a
 * walk of every directory and file of the mounted volume followed by a
 * few writes. Limits on depth, entries and bytes keep one walk short
 * even on an image that describes an enormous tree.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <fat/fat.h>

#include "fat_walk.h"

#define OVERLAY_MAX 4096 /* sectors written past the image */
#define DEPTH_MAX   12
#define ENTRIES_MAX 3000

typedef struct memdev {
    const uint8_t *img;
    uint8_t *copy; /* the image's sectors, writable */
    uint64_t img_sectors, sectors;
    uint64_t over_sector[OVERLAY_MAX];
    uint8_t *over_data[OVERLAY_MAX];
    unsigned nover;
} memdev_t;

static uint8_t *overlay(memdev_t *m, uint64_t s, int create)
{
    for (unsigned i = 0; i < m->nover; i++)
        if (m->over_sector[i] == s)
            return m->over_data[i];
    if (!create || m->nover == OVERLAY_MAX)
        return NULL;
    uint8_t *p = calloc(1, FAT_SECTOR);
    if (!p)
        return NULL;
    m->over_sector[m->nover] = s;
    m->over_data[m->nover++] = p;
    return p;
}

static int md_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    memdev_t *m = ctx;

    if (sector >= m->sectors || count > m->sectors - sector)
        return ST_IO_ERROR;
    for (uint32_t i = 0; i < count; i++) {
        uint8_t *dst = (uint8_t *)buf + (size_t)i * FAT_SECTOR;
        uint64_t s = sector + i;
        if (s < m->img_sectors) {
            memcpy(dst, m->copy + s * FAT_SECTOR, FAT_SECTOR);
        } else {
            uint8_t *o = overlay(m, s, 0);
            if (o)
                memcpy(dst, o, FAT_SECTOR);
            else
                memset(dst, 0, FAT_SECTOR);
        }
    }
    return ST_OK;
}

static int md_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    memdev_t *m = ctx;

    if (sector >= m->sectors || count > m->sectors - sector)
        return ST_IO_ERROR;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *src = (const uint8_t *)buf + (size_t)i * FAT_SECTOR;
        uint64_t s = sector + i;
        uint8_t *dst = s < m->img_sectors ? m->copy + s * FAT_SECTOR : overlay(m, s, 1);
        if (!dst)
            return ST_IO_ERROR; /* the overlay is full: a failing device */
        memcpy(dst, src, FAT_SECTOR);
    }
    return ST_OK;
}

static void read_file(fs_node_t *f, fat_walk_stats_t *st)
{
    static uint8_t buf[8192];
    uint64_t off = 0;

    st->files++;
    for (int i = 0; i < 64; i++) {
        size_t done = 0;
        int rc = fs_read(f, off, buf, sizeof(buf), &done);
        if (rc != ST_OK) {
            st->errors++;
            return;
        }
        if (done == 0)
            return;
        off += done;
        st->bytes += done;
    }
}

static void walk_dir(fs_node_t *dir, int depth, fat_walk_stats_t *st, unsigned *budget)
{
    uint64_t cookie = 0;
    fs_dirent_t ent;
    fat_dosent_t dent;
    int rc;

    st->dirs++;
    for (int i = 0; i < 64 && fat_readdir_dos(dir, &cookie, &dent) == ST_OK; i++)
        ;
    cookie = 0;
    while (*budget > 0 && (rc = fs_readdir(dir, &cookie, &ent)) == ST_OK) {
        (*budget)--;
        if (strcmp(ent.name, ".") == 0 || strcmp(ent.name, "..") == 0)
            continue;
        fs_node_t *n;
        if (fs_lookup(dir, ent.name, &n) != ST_OK) {
            st->errors++;
            continue;
        }
        fs_stat_t s;
        fat_info_t info;
        fs_stat(n, &s);
        if (fat_get_info(n, &info) == ST_OK && info.short_name[0]) {
            fs_node_t *m;
            if (fat_lookup_short(dir, info.short_name, &m) == ST_OK)
                fs_node_release(m);
        }
        if (n->type == FS_TYPE_DIR) {
            if (depth < DEPTH_MAX)
                walk_dir(n, depth + 1, st, budget);
        } else {
            read_file(n, st);
        }
        fs_node_release(n);
    }
}

static void change_things(fs_t *fs, fat_walk_stats_t *st)
{
    fs_node_t *root = fs->root, *f = NULL, *d = NULL, *g = NULL;
    static uint8_t data[5000];
    size_t done;

    memset(data, 'w', sizeof(data));
    if (fs_create(root, "fuzz written file.txt", 0644, &f) == ST_OK) {
        fs_write(f, 0, data, sizeof(data), &done);
        fs_write(f, 20000, data, 100, &done);
        fs_truncate(f, 1000);
    }
    if (fs_mkdir(root, "NEWDIR", 0755, &d) == ST_OK) {
        if (fs_create(d, "inner", 0644, &g) == ST_OK)
            fs_write(g, 0, data, 700, &done);
        fs_rename(root, "fuzz written file.txt", d, "renamed");
    }
    /* Change what was there: the first entries of the root. */
    uint64_t cookie = 2;
    fs_dirent_t ent;
    for (int i = 0; i < 4 && fs_readdir(root, &cookie, &ent) == ST_OK; i++) {
        fs_node_t *n;
        if (fs_lookup(root, ent.name, &n) != ST_OK)
            continue;
        if (n->type == FS_TYPE_REG) {
            fs_write(n, 10, data, 600, &done);
            fs_truncate(n, 3);
            if (i & 1)
                fs_unlink(root, ent.name);
        } else if (i == 0 && d) {
            fs_rename(root, ent.name, d, "moved dir");
        } else {
            fs_rmdir(root, ent.name);
        }
        fs_node_release(n);
    }
    if (d)
        fs_rmdir(root, "NEWDIR");
    fs_node_release(g);
    fs_node_release(f);
    fs_node_release(d);
    if (fat_sync(fs) != ST_OK)
        st->errors++;
}

/* Loads the runs of a sparse image into the overlay. */
static void load_sparse(memdev_t *m, const uint8_t *p, size_t size)
{
    size_t off = sizeof(FAT_WALK_SPARSE) - 1;

    while (off + 6 <= size) {
        uint64_t sector = p[off] | p[off + 1] << 8 | p[off + 2] << 16 | (uint64_t)p[off + 3] << 24;
        uint32_t count = p[off + 4] | p[off + 5] << 8;
        off += 6;
        for (uint32_t i = 0; i < count && off + FAT_SECTOR <= size; i++, off += FAT_SECTOR) {
            uint8_t *dst = overlay(m, sector + i, 1);
            if (!dst)
                return;
            memcpy(dst, p + off, FAT_SECTOR);
        }
    }
}

/* A name from the directory (by position) or a new one. */
static void pick_name(fs_node_t *dir, uint32_t r, char *name)
{
    static const char *fresh[] = {"a", "B.TXT", "long name number one.txt", "x~1", ".dot"};
    uint64_t cookie = 2;
    fs_dirent_t ent;

    strcpy(name, fresh[r % 5]);
    for (uint32_t i = 0; i <= (r >> 3) % 8; i++) {
        if (fs_readdir(dir, &cookie, &ent) != ST_OK)
            return;
        if (i == (r >> 3) % 8 || (r & 4))
            strcpy(name, ent.name);
    }
}

/* Operations chosen by a generator seeded from the input: the same input
 * always does the same thing, and different ones reach different paths
 * of the writing code on whatever the image holds. */
static void random_changes(fs_t *fs, uint32_t seed)
{
    static uint8_t data[9000];
    fs_node_t *dirs[4] = {fs->root, NULL, NULL, NULL};
    int ndirs = 1;
    char a[FS_NAME_MAX + 1], b[FS_NAME_MAX + 1];
    size_t done;

    memset(data, 'r', sizeof(data));
    for (int i = 0; i < 40; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t r = seed >> 8;
        fs_node_t *d = dirs[r % (uint32_t)ndirs], *n = NULL;
        pick_name(d, r >> 4, a);
        switch ((r >> 12) % 9) {
        case 0:
            if (fs_create(d, a, 0644, &n) == ST_OK)
                fs_node_release(n);
            break;
        case 1:
            if (fs_mkdir(d, a, 0755, &n) == ST_OK) {
                if (ndirs < 4)
                    dirs[ndirs++] = n;
                else
                    fs_node_release(n);
            }
            break;
        case 2:
        case 3:
            if (fs_lookup(d, a, &n) == ST_OK) {
                if (n->type == FS_TYPE_REG)
                    fs_write(n, (r >> 16) % 20000, data, 1 + (r >> 3) % sizeof(data), &done);
                fs_node_release(n);
            }
            break;
        case 4:
            if (fs_lookup(d, a, &n) == ST_OK) {
                if (n->type == FS_TYPE_REG)
                    fs_truncate(n, (r >> 16) % 30000);
                fs_node_release(n);
            }
            break;
        case 5:
            fs_unlink(d, a);
            break;
        case 6:
            fs_rmdir(d, a);
            break;
        case 7:
            pick_name(dirs[(r >> 20) % (uint32_t)ndirs], r >> 6, b);
            fs_rename(d, a, dirs[(r >> 20) % (uint32_t)ndirs], b);
            break;
        default:
            if ((r >> 16) & 1)
                fat_sync(fs);
            break;
        }
    }
    for (int i = 1; i < ndirs; i++)
        fs_node_release(dirs[i]);
}

void fat_walk_image(const uint8_t *img, size_t size, int writes, fat_walk_stats_t *st)
{
    memset(st, 0, sizeof(*st));
    memdev_t *m = calloc(1, sizeof(*m));
    if (!m)
        return;
    m->img = img;
    bool sparse = size >= sizeof(FAT_WALK_SPARSE) - 1 &&
                  memcmp(img, FAT_WALK_SPARSE, sizeof(FAT_WALK_SPARSE) - 1) == 0;
    m->img_sectors = sparse ? 0 : size / FAT_SECTOR;
    m->copy = malloc(m->img_sectors * FAT_SECTOR + 1);
    if (!m->copy) {
        free(m);
        return;
    }
    memcpy(m->copy, img, m->img_sectors * FAT_SECTOR);
    m->sectors = m->img_sectors;
    if (sparse)
        load_sparse(m, img, size);
    const uint8_t *bs = sparse ? overlay(m, 0, 0) : m->img_sectors ? img : NULL;
    if (bs) {
        /* Believe the boot sector's size, so that small seeds can stand
         * for large volumes; the rest of the disk reads as zeros. */
        uint32_t tot16 = bs[19] | bs[20] << 8;
        uint32_t tot32 = bs[32] | bs[33] << 8 | bs[34] << 16 | (uint32_t)bs[35] << 24;
        uint64_t total = tot16 ? tot16 : tot32;
        if (total > m->sectors)
            m->sectors = total;
    }

    fat_config_t cfg = {0};
    cfg.dev.ctx = m;
    cfg.dev.sectors = m->sectors;
    cfg.dev.read = md_read;
    cfg.dev.write = md_write;
    cfg.cache_sectors = 16; /* small, so that eviction paths run too */
    fs_t *fs = NULL;
    const char *why;
    st->mount_status = fat_create(&cfg, &fs, &why);
    if (st->mount_status == ST_OK) {
        unsigned budget = ENTRIES_MAX;
        fs_statfs_t sf;
        char label[12];
        fs_statfs(fs, &sf);
        fat_get_label(fs, label);
        walk_dir(fs->root, 0, st, &budget);
        if (writes) {
            change_things(fs, st);
            uint32_t seed = 2166136261u;
            for (size_t i = 0; i < size; i += 61)
                seed = (seed ^ img[i]) * 16777619u;
            random_changes(fs, seed ^ (uint32_t)size);
            if (fat_sync(fs) != ST_OK)
                st->errors++;
            budget = ENTRIES_MAX;
            walk_dir(fs->root, 0, st, &budget);
        }
        fs_destroy(fs);
    }
    for (unsigned i = 0; i < m->nover; i++)
        free(m->over_data[i]);
    free(m->copy);
    free(m);
}
