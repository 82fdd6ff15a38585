/*
 * Live nodes: the one fat_node_t per referenced file or directory, found
 * by the position of its short entry; their attributes (stat, times,
 * the read-only bit) and the conversion between FAT and Unix times.
 *
 * A directory node holds a reference to the directory it was found in,
 * so ".." needs no search and the chain of parents always reaches the
 * root; a file node holds none (it needs only its entry's position).
 * Nodes are created top-down, so these references form a tree.
 *
 * A node whose name is removed while it is referenced is `unlinked`: it
 * keeps working, and its clusters are freed at its last release.
 *
 * Entry points: fatp_node_get(), fatp_node_find(), fatp_node_store(),
 * fatp_node_stamp(), fatp_node_check(), fatp_release(), fatp_stat(),
 * fatp_set_times(), fatp_chmod(), fatp_time_to_fat(), fatp_time_from_fat().
 */
#include <stdlib.h>
#include <string.h>

#include "fat_priv.h"

#define NS_PER_S   1000000000ll
#define S_PER_DAY  86400ll
#define FAT_EPOCH  315532800ll  /* 1980-01-01 in Unix seconds */
#define FAT_LATEST 4354819198ll /* 2107-12-31 23:59:58 */

int64_t fatp_now(fat_vol_t *v)
{
    return v->now ? v->now(v->now_ctx) : FAT_EPOCH * NS_PER_S;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian, years
 * 1980..2107 here): count in 400-year eras whose years start in March,
 * so that the leap day falls at the end of the year. */
static int64_t days_from_date(int64_t y, int64_t m, int64_t d)
{
    if (m <= 2)
        y--;
    int64_t era = y / 400, yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void date_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

void fatp_time_to_fat(int64_t ns, uint16_t *date, uint16_t *time, uint8_t *tenth)
{
    int64_t s = ns / NS_PER_S, frac = ns % NS_PER_S;

    if (frac < 0) {
        s--;
        frac += NS_PER_S;
    }
    if (s < FAT_EPOCH) {
        s = FAT_EPOCH;
        frac = 0;
    } else if (s > FAT_LATEST + 1) {
        s = FAT_LATEST + 1;
        frac = 0;
    }
    int64_t days = s / S_PER_DAY, rem = s % S_PER_DAY, y, m, d;
    date_from_days(days, &y, &m, &d);
    *date = (uint16_t)((y - 1980) << 9 | m << 5 | d);
    *time = (uint16_t)((rem / 3600) << 11 | (rem / 60 % 60) << 5 | (rem % 60) / 2);
    if (tenth)
        *tenth = (uint8_t)((rem % 2) * 100 + frac / 10000000);
}

int64_t fatp_time_from_fat(uint16_t date, uint16_t time, uint8_t tenth)
{
    int64_t y = 1980 + (date >> 9), m = date >> 5 & 15, d = date & 31;

    /* Out-of-range fields come from corrupt or zeroed entries: clamp. */
    if (m < 1)
        m = 1;
    if (m > 12)
        m = 12;
    if (d < 1)
        d = 1;
    int64_t hh = time >> 11, mm = time >> 5 & 63, ss = (time & 31) * 2;
    if (hh > 23)
        hh = 23;
    if (mm > 59)
        mm = 59;
    if (ss > 59)
        ss = 58;
    if (tenth > 199)
        tenth = 0;
    int64_t s = days_from_date(y, m, d) * S_PER_DAY + hh * 3600 + mm * 60 + ss;
    return s * NS_PER_S + (int64_t)tenth * 10000000ll;
}

void fatp_ent_set_first(const fat_vol_t *v, uint8_t ent[32], uint32_t c)
{
    fatp_wr16(ent + 26, c & 0xFFFF);
    fatp_wr16(ent + 20, v->type == 32 ? c >> 16 : 0);
}

void fatp_node_stamp(fat_node_t *n, int64_t t, unsigned which)
{
    uint16_t date, time;
    uint8_t tenth;

    fatp_time_to_fat(t, &date, &time, &tenth);
    if (which & 1) {
        fatp_wr16(n->ent + 22, time);
        fatp_wr16(n->ent + 24, date);
    }
    if (which & 2)
        fatp_wr16(n->ent + 18, date);
    if (which & 4) {
        n->ent[13] = tenth;
        fatp_wr16(n->ent + 14, time);
        fatp_wr16(n->ent + 16, date);
    }
}

fat_node_t *fatp_node_find(fat_vol_t *v, uint64_t epos)
{
    for (fat_node_t *n = v->nodes; n; n = n->next)
        if (n->epos == epos && !n->unlinked && n != v->root)
            return n;
    return NULL;
}

fat_node_t *fatp_node_alloc(fat_vol_t *v)
{
    fat_node_t *n = calloc(1, sizeof(*n));

    if (!n)
        return NULL;
    n->node.fs = &v->fs;
    n->next = v->nodes;
    if (v->nodes)
        v->nodes->prev = n;
    v->nodes = n;
    return n;
}

static void node_unlist(fat_vol_t *v, fat_node_t *n)
{
    if (n->prev)
        n->prev->next = n->next;
    else
        v->nodes = n->next;
    if (n->next)
        n->next->prev = n->prev;
}

int fatp_node_get(fat_node_t *dir, const fatp_dent_t *de, fat_node_t **out)
{
    fat_vol_t *v = fatp_vol(dir);
    fat_node_t *n = fatp_node_find(v, de->epos);

    *out = NULL;
    if (n) {
        fs_node_ref(&n->node);
        *out = n;
        return ST_OK;
    }
    n = fatp_node_alloc(v);
    if (!n)
        return ST_NO_MEMORY;
    n->node.ino = de->epos + 2;
    n->epos = de->epos;
    memcpy(n->ent, de->ent, 32);
    n->first = fatp_ent_first(v, de->ent);
    if (fatp_ent_is_dir(de->ent)) {
        n->node.type = FS_TYPE_DIR;
        n->parent = dir;
        fs_node_ref(&dir->node);
    } else {
        n->node.type = FS_TYPE_REG;
        n->size = fatp_rd32(de->ent + 28);
    }
    fs_node_ref(&n->node);
    *out = n;
    return ST_OK;
}

int fatp_node_store(fat_node_t *n)
{
    fat_vol_t *v = fatp_vol(n);

    if (n == v->root || n->unlinked)
        return ST_OK;
    if (n->node.type == FS_TYPE_REG)
        fatp_wr32(n->ent + 28, n->size);
    fatp_ent_set_first(v, n->ent, n->first);
    fatp_buf_t *b;
    int rc = fatp_bget(v, (uint32_t)(n->epos / FATP_SLOTS_PER_SECTOR), FATP_K_DIR, false, &b);
    if (rc != ST_OK)
        return rc;
    /* The name bytes on disk are the authority; rename rewrites them. */
    memcpy(b->data + (n->epos % FATP_SLOTS_PER_SECTOR) * 32 + 11, n->ent + 11, 21);
    fatp_bdirty(v, b);
    fatp_bput(b);
    return ST_OK;
}

int fatp_node_check(fat_node_t *n)
{
    fat_vol_t *v = fatp_vol(n);

    if (n->chain)
        return n->chain > 0 ? ST_OK : ST_IO_ERROR;
    uint64_t need = ((uint64_t)n->size + v->cluster_bytes - 1) / v->cluster_bytes;
    uint32_t count = 0, last = 0;
    int rc = ST_OK;
    if (n->first != 0) {
        /* One cluster more than needed is allowed into the walk, so that
         * a chain longer than the size is seen as such. */
        rc = fatp_chain_walk(v, n->first, (uint32_t)(need + 1), &count, &last);
    }
    if (rc != ST_OK || count != need) {
        n->chain = -1;
        return ST_IO_ERROR;
    }
    n->chain = 1;
    n->nclus = count;
    n->last = last;
    n->cur_idx = 0;
    n->cur = n->first;
    return ST_OK;
}

/* Frees a node; the caller has dropped its last reference. Returns its
 * parent when that loses its last reference as a result. */
static fat_node_t *node_free(fat_vol_t *v, fat_node_t *n)
{
    fat_node_t *parent = n->parent;

    if (n->unlinked && fatp_valid_clus(v, n->first)) {
        /* A file is freed only if its chain was sound: freeing a chain
         * that runs into another file's would damage that file. */
        if (n->node.type == FS_TYPE_DIR || fatp_node_check(n) == ST_OK)
            fatp_free_chain(v, n->first); /* a failure only leaks clusters */
    }
    node_unlist(v, n);
    free(n);
    if (!parent)
        return NULL;
    /* fs_node_release() by hand, so that a deep chain of parents is freed
     * in a loop rather than by recursion. */
    parent->node.fs->refs--;
    if (--parent->node.refs == 0)
        return parent;
    return NULL;
}

void fatp_release(fs_node_t *node)
{
    fat_vol_t *v = (fat_vol_t *)node->fs;
    fat_node_t *n = fatp_node(node);

    while (n && n != v->root)
        n = node_free(v, n);
}

void fatp_node_free_all(fat_vol_t *v)
{
    while (v->nodes) {
        fat_node_t *n = v->nodes;
        node_unlist(v, n);
        free(n);
    }
}

/* Subdirectories of a directory whose chain is sound, for its link count. */
static uint32_t count_subdirs(fatp_dir_t *d)
{
    fatp_dent_t de;
    uint32_t n = 0;

    for (uint32_t idx = 0; fatp_dir_next(d, &idx, &de) == ST_OK;)
        n += fatp_ent_is_dir(de.ent);
    return n;
}

int fatp_stat(fs_node_t *node, fs_stat_t *st)
{
    fat_node_t *n = fatp_node(node);
    fat_vol_t *v = fatp_vol(n);
    uint32_t perm = (n->ent[11] & FAT_ATTR_READ_ONLY) ? 0555 : 0755;

    st->ino = node->ino;
    st->blksize = v->cluster_bytes;
    if (node->type == FS_TYPE_DIR) {
        fatp_dir_t d;
        uint32_t slots = 0;
        st->mode = FS_S_IFDIR | perm;
        st->nlink = n->unlinked ? 0 : 2;
        /* A broken directory still has a stat, with what can be known. */
        if (n == v->root || fatp_valid_clus(v, n->first)) {
            fatp_dir_open(v, n->first, &d);
            if (fatp_dir_slots(&d, &slots) != ST_OK)
                slots = 0;
            else if (!n->unlinked)
                st->nlink += count_subdirs(&d);
        }
        st->size = (uint64_t)slots * 32;
        st->blocks = st->size / 512;
    } else {
        st->mode = FS_S_IFREG | perm;
        st->nlink = n->unlinked ? 0 : 1;
        st->size = n->size;
        uint64_t clus = ((uint64_t)n->size + v->cluster_bytes - 1) / v->cluster_bytes;
        st->blocks = clus * v->spc;
    }
    if (n == v->root)
        return ST_OK; /* the root has no entry and so no times */
    st->mtime = fatp_time_from_fat(fatp_rd16(n->ent + 24), fatp_rd16(n->ent + 22), 0);
    st->atime = fatp_time_from_fat(fatp_rd16(n->ent + 18), 0, 0);
    st->ctime = st->mtime;
    return ST_OK;
}

int fatp_set_times(fs_node_t *node, int64_t atime, int64_t mtime)
{
    fat_node_t *n = fatp_node(node);
    fat_vol_t *v = fatp_vol(n);

    if (v->read_only)
        return ST_READ_ONLY;
    if (n == v->root)
        return atime == FS_TIME_OMIT && mtime == FS_TIME_OMIT ? ST_OK : ST_NOT_SUPPORTED;
    int64_t now = fatp_now(v);
    if (atime != FS_TIME_OMIT)
        fatp_node_stamp(n, atime == FS_TIME_NOW ? now : atime, 2);
    if (mtime != FS_TIME_OMIT)
        fatp_node_stamp(n, mtime == FS_TIME_NOW ? now : mtime, 1);
    return fatp_node_store(n);
}

int fatp_chmod(fs_node_t *node, uint32_t mode)
{
    fat_node_t *n = fatp_node(node);
    fat_vol_t *v = fatp_vol(n);
    bool ro = !(mode & 0200);

    if (v->read_only)
        return ST_READ_ONLY;
    if (n == v->root)
        return ro ? ST_NOT_SUPPORTED : ST_OK; /* the root is always writable */
    n->ent[11] = (uint8_t)(ro ? n->ent[11] | FAT_ATTR_READ_ONLY : n->ent[11] & ~FAT_ATTR_READ_ONLY);
    return fatp_node_store(n);
}
