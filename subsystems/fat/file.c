/*
 * File data: read, write and truncate, over a file's cluster chain.
 *
 * A file's chain is checked against its size before its data is first
 * touched (fatp_node_check), so these functions see a sound chain of
 * exactly nclus clusters or fail with ST_IO_ERROR. A cursor in the node
 * makes sequential access walk each link once.
 *
 * A write that needs clusters allocates them all before writing any
 * data; if it then fails, the clusters are given back and the size is
 * unchanged. Bytes between the old end and a later write or a larger
 * truncate are zeroed on disk: FAT keeps no holes.
 *
 * Entry points: fatp_read(), fatp_write(), fatp_truncate(),
 * fatp_file_cluster().
 */
#include <string.h>

#include "fat_priv.h"

#define FATP_FILE_MAX 0xFFFFFFFFull

int fatp_file_cluster(fat_node_t *n, uint32_t idx, uint32_t *clus)
{
    fat_vol_t *v = fatp_vol(n);

    *clus = 0;
    if (idx >= n->nclus)
        return ST_IO_ERROR;
    if (idx < n->cur_idx || !n->cur) {
        n->cur_idx = 0;
        n->cur = n->first;
    }
    while (n->cur_idx < idx) {
        uint32_t next;
        int rc = fatp_next(v, n->cur, &next);
        if (rc != ST_OK)
            return rc;
        if (next == 0)
            return ST_IO_ERROR;
        n->cur = next;
        n->cur_idx++;
    }
    *clus = n->cur;
    return ST_OK;
}

/* Copies between the file and memory: into `in` when reading (out NULL),
 * from `out` when writing, zeros when writing with out == NULL. */
static int transfer(fat_node_t *n, uint64_t off, size_t len, void *in, const void *out,
                    bool writing)
{
    fat_vol_t *v = fatp_vol(n);

    while (len) {
        uint32_t clus;
        int rc = fatp_file_cluster(n, (uint32_t)(off / v->cluster_bytes), &clus);
        if (rc != ST_OK)
            return rc;
        uint32_t in_clus = (uint32_t)(off % v->cluster_bytes);
        uint32_t sec = fatp_clus_sector(v, clus) + in_clus / FAT_SECTOR;
        uint32_t in_sec = in_clus % FAT_SECTOR;
        size_t chunk = FAT_SECTOR - in_sec;
        if (chunk > len)
            chunk = len;
        fatp_buf_t *b;
        bool whole = writing && chunk == FAT_SECTOR;
        rc = fatp_bget(v, sec, FATP_K_DATA, whole, &b);
        if (rc != ST_OK)
            return rc;
        if (!writing) {
            memcpy(in, b->data + in_sec, chunk);
            in = (uint8_t *)in + chunk;
        } else {
            if (out) {
                memcpy(b->data + in_sec, out, chunk);
                out = (const uint8_t *)out + chunk;
            } else {
                memset(b->data + in_sec, 0, chunk);
            }
            fatp_bdirty(v, b);
        }
        fatp_bput(b);
        off += chunk;
        len -= chunk;
    }
    return ST_OK;
}

/*
 * Large transfers: whole sectors of runs of consecutive clusters go
 * between the device and memory in one request each (into *in, or from
 * *out when writing), except sectors the cache holds (newer than the
 * disk, perhaps). Advances *off, *len and the buffer past what it moved;
 * the rest (a partial sector, cached sectors) is transfer's.
 */
static int bulk(fat_node_t *n, uint64_t *off, size_t *len, void **in, const void **out)
{
    fat_vol_t *v = fatp_vol(n);

    while (*len >= FAT_SECTOR && *off % FAT_SECTOR == 0) {
        uint32_t clus, next;
        int rc = fatp_file_cluster(n, (uint32_t)(*off / v->cluster_bytes), &clus);
        if (rc != ST_OK)
            return rc;
        uint32_t in_clus = (uint32_t)(*off % v->cluster_bytes);
        uint32_t sec = fatp_clus_sector(v, clus) + in_clus / FAT_SECTOR;
        uint64_t want = *len / FAT_SECTOR, run = (v->cluster_bytes - in_clus) / FAT_SECTOR;
        uint32_t idx = (uint32_t)(*off / v->cluster_bytes);
        /* Extend over following clusters that sit right after this one. */
        while (run < want && idx + 1 < n->nclus) {
            rc = fatp_file_cluster(n, idx + 1, &next);
            if (rc != ST_OK)
                return rc;
            if (next != clus + 1)
                break;
            clus = next;
            idx++;
            run += v->spc;
        }
        if (run > want)
            run = want;
        if (run > FATP_DIRECT_MAX)
            run = FATP_DIRECT_MAX;
        uint32_t got;
        rc = fatp_direct(v, sec, (uint32_t)run, in ? *in : NULL, out ? *out : NULL, &got);
        if (rc != ST_OK)
            return rc;
        if (!got)
            return ST_OK; /* a cached sector: transfer takes it from here */
        *off += (uint64_t)got * FAT_SECTOR;
        *len -= (size_t)got * FAT_SECTOR;
        if (in)
            *in = (uint8_t *)*in + (size_t)got * FAT_SECTOR;
        else
            *out = (const uint8_t *)*out + (size_t)got * FAT_SECTOR;
    }
    return ST_OK;
}

int fatp_read(fs_node_t *node, uint64_t off, void *buf, size_t len, size_t *done)
{
    fat_node_t *n = fatp_node(node);
    int rc = fatp_node_check(n);
    uint64_t start = off;

    if (rc != ST_OK)
        return rc;
    if (off >= n->size)
        return ST_OK;
    if (len > n->size - off)
        len = (size_t)(n->size - off);
    rc = bulk(n, &off, &len, &buf, NULL);
    if (rc == ST_OK)
        rc = transfer(n, off, len, buf, NULL, false);
    if (rc == ST_OK)
        *done = (size_t)(off + len - start);
    return rc;
}

/* Keeps the first `keep` clusters of the chain and frees the rest. */
static int chain_cut(fat_node_t *n, uint32_t keep)
{
    fat_vol_t *v = fatp_vol(n);
    int rc;

    if (keep >= n->nclus)
        return ST_OK;
    if (keep == 0) {
        rc = fatp_free_chain(v, n->first);
        n->first = 0;
        n->last = 0;
    } else {
        uint32_t c, next;
        rc = fatp_file_cluster(n, keep - 1, &c);
        if (rc == ST_OK)
            rc = fatp_next(v, c, &next);
        /* End the chain before freeing its tail: a crash in between
         * leaves lost clusters, not a file running into free ones. */
        if (rc == ST_OK)
            rc = fatp_fat_set(v, c, fatp_eoc(v));
        if (rc == ST_OK)
            rc = fatp_free_chain(v, next);
        n->last = c;
    }
    n->nclus = keep;
    n->cur_idx = 0;
    n->cur = n->first;
    return rc;
}

/* Grows the chain to `want` clusters; on failure it is cut back. */
static int chain_grow(fat_node_t *n, uint32_t want)
{
    fat_vol_t *v = fatp_vol(n);
    uint32_t had = n->nclus;

    if (want <= had)
        return ST_OK;
    if (v->free_count < want - had)
        return ST_NO_SPACE;
    while (n->nclus < want) {
        uint32_t c;
        int rc = fatp_alloc(v, n->last, &c);
        if (rc != ST_OK) {
            chain_cut(n, had);
            return rc;
        }
        if (!n->first)
            n->first = c;
        n->last = c;
        n->nclus++;
    }
    return ST_OK;
}

static uint32_t clusters_for(const fat_vol_t *v, uint64_t size)
{
    return (uint32_t)((size + v->cluster_bytes - 1) / v->cluster_bytes);
}

/* Records a change of contents: size, cluster, write time, archive bit. */
static int modified(fat_node_t *n)
{
    fat_vol_t *v = fatp_vol(n);

    fatp_node_stamp(n, fatp_now(v), 1);
    n->ent[11] |= FAT_ATTR_ARCHIVE;
    return fatp_node_store(n);
}

int fatp_write(fs_node_t *node, uint64_t off, const void *buf, size_t len, size_t *done)
{
    fat_node_t *n = fatp_node(node);
    fat_vol_t *v = fatp_vol(n);

    if (v->read_only)
        return ST_READ_ONLY;
    if (off + len > FATP_FILE_MAX)
        return ST_LIMIT;
    int rc = fatp_node_check(n);
    if (rc != ST_OK)
        return rc;
    uint32_t had = n->nclus;
    uint64_t end = off + len;
    rc = chain_grow(n, clusters_for(v, end));
    if (rc != ST_OK)
        return rc;
    if (off > n->size)
        rc = transfer(n, n->size, (size_t)(off - n->size), NULL, NULL, true);
    uint64_t at = off;
    size_t left = len;
    if (rc == ST_OK)
        rc = bulk(n, &at, &left, NULL, &buf);
    if (rc == ST_OK)
        rc = transfer(n, at, left, NULL, buf, true);
    if (rc != ST_OK) {
        chain_cut(n, had);
        return rc;
    }
    if (end > n->size)
        n->size = (uint32_t)end;
    rc = modified(n);
    if (rc == ST_OK)
        *done = len;
    return rc;
}

int fatp_truncate(fs_node_t *node, uint64_t size)
{
    fat_node_t *n = fatp_node(node);
    fat_vol_t *v = fatp_vol(n);

    if (v->read_only)
        return ST_READ_ONLY;
    if (size > FATP_FILE_MAX)
        return ST_LIMIT;
    int rc = fatp_node_check(n);
    if (rc != ST_OK)
        return rc;
    if (size == n->size)
        return ST_OK;
    if (size < n->size) {
        /* On the disk the FAT goes before the entry, so a crash in
         * between leaves an entry longer than its chain, which fsck.fat
         * shortens: the file loses only what was being cut. */
        n->size = (uint32_t)size;
        rc = chain_cut(n, clusters_for(v, size));
    } else {
        uint32_t had = n->nclus;
        rc = chain_grow(n, clusters_for(v, size));
        if (rc == ST_OK)
            rc = transfer(n, n->size, (size_t)(size - n->size), NULL, NULL, true);
        if (rc != ST_OK) {
            chain_cut(n, had);
            return rc;
        }
        n->size = (uint32_t)size;
    }
    int rc2 = modified(n);
    return rc != ST_OK ? rc : rc2;
}
