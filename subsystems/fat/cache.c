/*
 * The sector cache: a fixed set of 512-byte buffers with LRU replacement
 * and write-back, and the ordered sync that keeps the disk repairable.
 *
 * A buffer is pinned while a caller holds a pointer into it (between
 * fatp_bget() and fatp_bput()), and pinned buffers are never reused.
 * Callers pin at most three at a time, far below FAT_CACHE_MIN.
 *
 * Order. fatp_sync() writes in four groups with a device flush after
 * each: file data (and new directory clusters, marked `early`), the FAT
 * (the active copy, then each mirror), directory entries, FSInfo. Taking
 * a buffer for reuse never breaks that order: a clean one is taken first,
 * then a dirty data buffer (data may reach the disk before the metadata
 * that describes it), and only when every buffer holds dirty metadata are
 * all groups written in order. Freed clusters are zeroed in the FAT only
 * by fatp_sync(), after the directory group (see `pending` in fat_priv.h).
 *
 * Transfers. A miss reads the rest of the sector's cluster (or of the
 * FAT, or of the fixed root) along with it, into clean buffers, in one
 * device call; a sync writes each run of adjacent dirty sectors in one.
 * Over a driver that costs a message per request, this matters.
 *
 * Entry points: fatp_cache_init(), fatp_cache_free(), fatp_bget(),
 * fatp_bdirty(), fatp_bput(), fatp_sync().
 */
#include <stdlib.h>
#include <string.h>

#include "fat_priv.h"

void fatp_cache_free(fat_vol_t *v)
{
    free(v->bufs);
    free(v->bufmem);
    free(v->hash);
    free(v->bounce);
    v->bufs = NULL;
    v->bufmem = NULL;
    v->hash = NULL;
    v->bounce = NULL;
    v->nbufs = 0;
}

int fatp_cache_init(fat_vol_t *v, uint32_t nbufs)
{
    v->bufs = calloc(nbufs, sizeof(*v->bufs));
    v->bufmem = malloc((size_t)nbufs * FAT_SECTOR);
    v->hash = malloc((size_t)nbufs * 2 * sizeof(*v->hash));
    v->bounce = malloc((size_t)FATP_RUN_MAX * FAT_SECTOR);
    if (!v->bufs || !v->bufmem || !v->hash || !v->bounce) {
        fatp_cache_free(v);
        return ST_NO_MEMORY;
    }
    for (uint32_t i = 0; i < nbufs; i++) {
        v->bufs[i].data = v->bufmem + (size_t)i * FAT_SECTOR;
        v->bufs[i].hnext = -1;
    }
    for (uint32_t i = 0; i < nbufs * 2; i++)
        v->hash[i] = -1;
    v->nbufs = nbufs;
    return ST_OK;
}

static uint32_t hash_of(const fat_vol_t *v, uint32_t sector)
{
    return (sector * 2654435761u) % (v->nbufs * 2);
}

static void hash_remove(fat_vol_t *v, fatp_buf_t *b)
{
    int32_t *link = &v->hash[hash_of(v, b->sector)];
    int32_t me = (int32_t)(b - v->bufs);

    while (*link != -1) {
        if (*link == me) {
            *link = b->hnext;
            b->hnext = -1;
            return;
        }
        link = &v->bufs[*link].hnext;
    }
}

static void hash_insert(fat_vol_t *v, fatp_buf_t *b)
{
    uint32_t h = hash_of(v, b->sector);

    b->hnext = v->hash[h];
    v->hash[h] = (int32_t)(b - v->bufs);
}

static int dev_read_n(fat_vol_t *v, uint32_t sector, uint32_t count, void *buf)
{
    if (sector >= v->total_sectors || count > v->total_sectors - sector)
        return ST_IO_ERROR;
    return v->dev.read(v->dev.ctx, sector, count, buf) == ST_OK ? ST_OK : ST_IO_ERROR;
}

static int dev_read(fat_vol_t *v, uint32_t sector, void *buf)
{
    return dev_read_n(v, sector, 1, buf);
}

static int dev_write_n(fat_vol_t *v, uint32_t sector, uint32_t count, const void *buf)
{
    if (sector >= v->total_sectors || count > v->total_sectors - sector)
        return ST_IO_ERROR;
    return v->dev.write(v->dev.ctx, sector, count, buf) == ST_OK ? ST_OK : ST_IO_ERROR;
}

static int dev_write(fat_vol_t *v, uint32_t sector, const void *buf)
{
    return dev_write_n(v, sector, 1, buf);
}

static int dev_flush(fat_vol_t *v)
{
    if (!v->dev.flush)
        return ST_OK;
    return v->dev.flush(v->dev.ctx) == ST_OK ? ST_OK : ST_IO_ERROR;
}

/* Writes one dirty buffer where it belongs: FAT sectors to every copy. */
static int write_buf(fat_vol_t *v, fatp_buf_t *b)
{
    int rc;

    if (b->kind == FATP_K_FAT && v->mirror) {
        uint32_t rel = b->sector - v->fat_start;
        for (uint32_t i = 0; i < v->nfats; i++) {
            rc = dev_write(v, v->fat_copy0 + i * v->fat_sectors + rel, b->data);
            if (rc != ST_OK)
                return rc;
        }
    } else {
        rc = dev_write(v, b->sector, b->data);
        if (rc != ST_OK)
            return rc;
    }
    b->dirty = false;
    b->early = false;
    return ST_OK;
}

static int cmp_sector(const void *a, const void *b)
{
    uint32_t x = (*(fatp_buf_t *const *)a)->sector, y = (*(fatp_buf_t *const *)b)->sector;
    return x < y ? -1 : x > y;
}

/* Writes sorted buffers, each to its sector + delta, a run of adjacent
 * sectors (up to FATP_RUN_MAX) per device call. */
static int write_sorted(fat_vol_t *v, fatp_buf_t **list, uint32_t n, uint32_t delta)
{
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i + 1;
        while (j < n && j - i < FATP_RUN_MAX && list[j]->sector == list[j - 1]->sector + 1)
            j++;
        int rc;
        if (j - i == 1) {
            rc = dev_write(v, list[i]->sector + delta, list[i]->data);
        } else {
            for (uint32_t k = i; k < j; k++)
                memcpy(v->bounce + (size_t)(k - i) * FAT_SECTOR, list[k]->data, FAT_SECTOR);
            rc = dev_write_n(v, list[i]->sector + delta, j - i, v->bounce);
        }
        if (rc != ST_OK)
            return rc;
        i = j;
    }
    return ST_OK;
}

/* Writes the dirty buffers of one group in sector order. For the FAT,
 * every sector goes to copy 0 before any goes to copy 1, so a crash
 * leaves the first copy whole and newest, which fsck.fat prefers. */
static int write_group(fat_vol_t *v, int group, fatp_buf_t **list)
{
    uint32_t n = 0;
    int rc;

    for (uint32_t i = 0; i < v->nbufs; i++) {
        fatp_buf_t *b = &v->bufs[i];
        if (!b->dirty)
            continue;
        int g = b->early ? FATP_K_DATA : b->kind;
        if (g == group)
            list[n++] = b;
    }
    if (n == 0)
        return ST_OK;
    qsort(list, n, sizeof(*list), cmp_sector);
    if (group == FATP_K_FAT && v->mirror) {
        for (uint32_t copy = 0; copy < v->nfats; copy++) {
            rc = write_sorted(v, list, n, v->fat_copy0 + copy * v->fat_sectors - v->fat_start);
            if (rc == ST_OK)
                rc = dev_flush(v);
            if (rc != ST_OK)
                return rc;
        }
    } else {
        rc = write_sorted(v, list, n, 0);
        if (rc == ST_OK)
            rc = dev_flush(v);
        if (rc != ST_OK)
            return rc;
    }
    for (uint32_t i = 0; i < n; i++) {
        list[i]->dirty = false;
        list[i]->early = false;
    }
    return ST_OK;
}

/* Data, FAT, directories up to group `last`: each whole, in that order. */
static int write_groups_upto(fat_vol_t *v, int last)
{
    fatp_buf_t **list = malloc(v->nbufs * sizeof(*list));
    int rc = ST_OK;

    if (!list)
        return ST_NO_MEMORY;
    for (int g = FATP_K_DATA; g <= last && rc == ST_OK; g++)
        rc = write_group(v, g, list);
    free(list);
    return rc;
}

static int write_groups(fat_vol_t *v)
{
    return write_groups_upto(v, FATP_K_DIR);
}

static int write_fsinfo(fat_vol_t *v);

int fatp_sync(fat_vol_t *v)
{
    if (v->read_only)
        return ST_OK;
    int rc = write_groups(v);
    /* The entries that stopped using the pending clusters are on the
     * disk now: free the clusters, and write the FAT once more. */
    if (rc == ST_OK && v->npending) {
        rc = fatp_pending_apply(v);
        if (rc == ST_OK)
            rc = write_groups(v);
    }
    if (rc == ST_OK)
        rc = write_fsinfo(v);
    return rc;
}

/* FSInfo's free count and hint are advisory; they are written last, after
 * the FAT they summarise. */
static int write_fsinfo(fat_vol_t *v)
{
    if (!v->fsinfo || !v->fsinfo_dirty)
        return ST_OK;
    fatp_buf_t *b;
    int rc = fatp_bget(v, v->fsinfo, FATP_K_META, false, &b);
    if (rc != ST_OK)
        return rc;
    fatp_wr32(b->data + 488, v->free_count);
    fatp_wr32(b->data + 492, v->next_free);
    rc = write_buf(v, b);
    fatp_bput(b);
    if (rc == ST_OK)
        rc = dev_flush(v);
    if (rc == ST_OK)
        v->fsinfo_dirty = false;
    return rc;
}

/* A buffer to reuse, written back if need be; NULL only if all are pinned
 * or a write failed (*rc says). */
static fatp_buf_t *victim(fat_vol_t *v, int *rc)
{
    fatp_buf_t *clean = NULL, *data = NULL;

    *rc = ST_OK;
    for (uint32_t i = 0; i < v->nbufs; i++) {
        fatp_buf_t *b = &v->bufs[i];
        if (b->pins)
            continue;
        if (!b->valid)
            return b;
        if (!b->dirty) {
            if (!clean || b->used < clean->used)
                clean = b;
        } else if ((b->kind == FATP_K_DATA || b->early) && (!data || b->used < data->used)) {
            data = b;
        }
    }
    if (clean)
        return clean;
    /* Nothing clean: write back all file data at once, in runs (data may
     * always go first); without dirty data, every group in order. That
     * keeps the order, and does not free the pending clusters, which may
     * be what the caller is in the middle of. */
    *rc = write_groups_upto(v, data ? FATP_K_DATA : FATP_K_DIR);
    if (*rc != ST_OK)
        return NULL;
    for (uint32_t i = 0; i < v->nbufs; i++) {
        fatp_buf_t *b = &v->bufs[i];
        if (!b->pins && !b->dirty && (!clean || b->used < clean->used))
            clean = b;
    }
    if (!clean)
        *rc = ST_IO_ERROR; /* every buffer pinned: callers pin far fewer */
    return clean;
}

static fatp_buf_t *hash_find(fat_vol_t *v, uint32_t sector)
{
    for (int32_t i = v->hash[hash_of(v, sector)]; i != -1; i = v->bufs[i].hnext)
        if (v->bufs[i].sector == sector)
            return &v->bufs[i];
    return NULL;
}

int fatp_direct(fat_vol_t *v, uint32_t sector, uint32_t count, void *in, const void *out,
                uint32_t *got)
{
    uint32_t n = 0;

    while (n < count && !hash_find(v, sector + n))
        n++;
    *got = n;
    if (!n)
        return ST_OK;
    return out ? dev_write_n(v, sector, n, out) : dev_read_n(v, sector, n, in);
}

/* How many sectors after `sector` to read with it: the rest of its
 * cluster, of the fixed root or of the active FAT, stopping before one
 * already cached (it may be newer than the disk), and taking at most a
 * quarter of the cache. */
static uint32_t ahead_of(fat_vol_t *v, uint32_t sector)
{
    uint32_t end;

    if (sector >= v->data_start)
        end = sector + v->spc - (sector - v->data_start) % v->spc;
    else if (sector >= v->root_start && sector < v->root_start + v->root_sectors)
        end = v->root_start + v->root_sectors;
    else if (sector >= v->fat_start && sector < v->fat_start + v->fat_sectors)
        end = v->fat_start + v->fat_sectors;
    else
        return 0;
    uint32_t max = FATP_RUN_MAX - 1 < v->nbufs / 4 ? FATP_RUN_MAX - 1 : v->nbufs / 4;
    uint32_t n = 0;
    while (n < max && sector + 1 + n < end && sector + 1 + n < v->total_sectors &&
           !hash_find(v, sector + 1 + n))
        n++;
    return n;
}

/* An empty or clean buffer for read-ahead, pinned; NULL if there is none.
 * Read-ahead never writes anything back to make room. */
static fatp_buf_t *take_clean(fat_vol_t *v)
{
    fatp_buf_t *best = NULL;

    for (uint32_t i = 0; i < v->nbufs; i++) {
        fatp_buf_t *b = &v->bufs[i];
        if (b->pins || (b->valid && b->dirty))
            continue;
        if (!b->valid) {
            best = b;
            break;
        }
        if (!best || b->used < best->used)
            best = b;
    }
    if (best)
        best->pins++;
    return best;
}

static void fill(fat_vol_t *v, fatp_buf_t *b, uint32_t sector, int kind)
{
    if (b->valid)
        hash_remove(v, b);
    b->sector = sector;
    b->kind = (uint8_t)kind;
    b->valid = true;
    hash_insert(v, b);
    b->dirty = false;
    b->early = false;
    b->used = ++v->clock;
}

/* Reads `sector` into b, and as many following sectors as ahead_of()
 * allows into other buffers, in one device call. */
static int read_ahead(fat_vol_t *v, fatp_buf_t *b, uint32_t sector, int kind)
{
    fatp_buf_t *extra[FATP_RUN_MAX];
    uint32_t n = 0, want = ahead_of(v, sector);

    while (n < want && (extra[n] = take_clean(v)) != NULL)
        n++;
    if (n == 0)
        return ST_IO_ERROR; /* the caller reads the one sector */
    int rc = dev_read_n(v, sector, n + 1, v->bounce);
    if (rc == ST_OK)
        memcpy(b->data, v->bounce, FAT_SECTOR);
    for (uint32_t k = 0; k < n; k++) {
        if (rc == ST_OK) {
            memcpy(extra[k]->data, v->bounce + (size_t)(k + 1) * FAT_SECTOR, FAT_SECTOR);
            fill(v, extra[k], sector + 1 + k, kind);
        }
        extra[k]->pins--;
    }
    return rc;
}

int fatp_bget(fat_vol_t *v, uint32_t sector, int kind, bool noread, fatp_buf_t **out)
{
    *out = NULL;
    if (sector >= v->total_sectors)
        return ST_IO_ERROR;
    fatp_buf_t *hit = hash_find(v, sector);
    if (hit) {
        /* FAT sectors are only ever asked for as FAT; a freed directory
         * cluster reused for data changes kind. */
        hit->kind = (uint8_t)kind;
        hit->pins++;
        hit->used = ++v->clock;
        *out = hit;
        return ST_OK;
    }
    int rc;
    fatp_buf_t *b = victim(v, &rc);
    if (!b)
        return rc;
    if (b->valid)
        hash_remove(v, b);
    b->valid = false;
    b->pins = 1; /* held while read-ahead looks for buffers */
    if (!noread) {
        rc = read_ahead(v, b, sector, kind);
        if (rc != ST_OK)
            rc = dev_read(v, sector, b->data);
        /* A FAT sector that cannot be read may still be read from a
         * mirror (every copy is rewritten when the sector next changes). */
        for (uint32_t i = 0; rc != ST_OK && kind == FATP_K_FAT && v->mirror && i < v->nfats; i++) {
            uint32_t alt = v->fat_copy0 + i * v->fat_sectors + (sector - v->fat_start);
            if (alt != sector)
                rc = dev_read(v, alt, b->data);
        }
        if (rc != ST_OK) {
            b->pins = 0;
            return rc;
        }
    }
    fill(v, b, sector, kind);
    *out = b;
    return ST_OK;
}

void fatp_bdirty(fat_vol_t *v, fatp_buf_t *b)
{
    (void)v;
    b->dirty = true;
}

void fatp_bput(fatp_buf_t *b)
{
    if (b && b->pins)
        b->pins--;
}
