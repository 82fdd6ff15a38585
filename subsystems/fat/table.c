/*
 * The file allocation table: reading and writing entries of all three
 * widths, walking chains, allocating and freeing clusters, and the free
 * count that statfs and FSInfo report.
 *
 * Every walk is bounded by the number of clusters of the volume, so a
 * chain that loops ends in ST_IO_ERROR rather than a hang. Entries are
 * read through the cache from the active FAT copy; cache.c mirrors each
 * written sector into the other copies.
 *
 * Entry points: fatp_fat_get(), fatp_fat_set(), fatp_next(),
 * fatp_chain_walk(), fatp_alloc(), fatp_free_chain(), fatp_count_free().
 */
#include <string.h>

#include "fat_priv.h"

uint32_t fatp_eoc(const fat_vol_t *v)
{
    return v->type == 12 ? 0xFFFu : v->type == 16 ? 0xFFFFu : 0x0FFFFFFFu;
}

/* Byte offset of cluster c's entry within the FAT. */
static uint32_t entry_offset(const fat_vol_t *v, uint32_t c)
{
    return v->type == 12 ? c + c / 2 : v->type == 16 ? c * 2 : c * 4;
}

int fatp_fat_get(fat_vol_t *v, uint32_t c, uint32_t *val)
{
    *val = 0;
    if (c > v->clusters + 1)
        return ST_IO_ERROR;
    uint32_t off = entry_offset(v, c);
    uint32_t sec = v->fat_start + off / FAT_SECTOR, in = off % FAT_SECTOR;
    fatp_buf_t *b, *b2 = NULL;
    int rc = fatp_bget(v, sec, FATP_K_FAT, false, &b);
    if (rc != ST_OK)
        return rc;
    if (v->type == 12) {
        uint32_t lo = b->data[in], hi;
        if (in == FAT_SECTOR - 1) {
            /* A FAT12 entry may straddle two sectors. */
            rc = fatp_bget(v, sec + 1, FATP_K_FAT, false, &b2);
            if (rc != ST_OK) {
                fatp_bput(b);
                return rc;
            }
            hi = b2->data[0];
            fatp_bput(b2);
        } else {
            hi = b->data[in + 1];
        }
        uint32_t w = lo | hi << 8;
        *val = (c & 1) ? w >> 4 : w & 0xFFF;
    } else if (v->type == 16) {
        *val = fatp_rd16(b->data + in);
    } else {
        *val = fatp_rd32(b->data + in) & 0x0FFFFFFFu;
    }
    fatp_bput(b);
    return ST_OK;
}

int fatp_fat_set(fat_vol_t *v, uint32_t c, uint32_t val)
{
    if (c < 2 || c > v->clusters + 1)
        return ST_IO_ERROR;
    uint32_t off = entry_offset(v, c);
    uint32_t sec = v->fat_start + off / FAT_SECTOR, in = off % FAT_SECTOR;
    fatp_buf_t *b, *b2 = NULL;
    int rc = fatp_bget(v, sec, FATP_K_FAT, false, &b);
    if (rc != ST_OK)
        return rc;
    if (v->type == 12) {
        uint8_t *hi;
        if (in == FAT_SECTOR - 1) {
            rc = fatp_bget(v, sec + 1, FATP_K_FAT, false, &b2);
            if (rc != ST_OK) {
                fatp_bput(b);
                return rc;
            }
            hi = &b2->data[0];
        } else {
            hi = &b->data[in + 1];
        }
        uint8_t *lo = &b->data[in];
        if (c & 1) {
            *lo = (uint8_t)((*lo & 0x0F) | (val << 4 & 0xF0));
            *hi = (uint8_t)(val >> 4);
        } else {
            *lo = (uint8_t)val;
            *hi = (uint8_t)((*hi & 0xF0) | (val >> 8 & 0x0F));
        }
        if (b2) {
            fatp_bdirty(v, b2);
            fatp_bput(b2);
        }
    } else if (v->type == 16) {
        fatp_wr16(b->data + in, val);
    } else {
        /* The top four bits are reserved and kept as they are. */
        uint32_t old = fatp_rd32(b->data + in);
        fatp_wr32(b->data + in, (old & 0xF0000000u) | (val & 0x0FFFFFFFu));
    }
    fatp_bdirty(v, b);
    fatp_bput(b);
    return ST_OK;
}

int fatp_next(fat_vol_t *v, uint32_t c, uint32_t *next)
{
    uint32_t val;

    *next = 0;
    if (!fatp_valid_clus(v, c))
        return ST_IO_ERROR;
    int rc = fatp_fat_get(v, c, &val);
    if (rc != ST_OK)
        return rc;
    /* End of chain: the eight values from EOC & ~7 up. The bad-cluster
     * mark, free (0), reserved (1) and any number past the last cluster
     * are corruption here. */
    if (val >= (fatp_eoc(v) & ~7u)) {
        return ST_OK;
    }
    if (!fatp_valid_clus(v, val))
        return ST_IO_ERROR;
    *next = val;
    return ST_OK;
}

int fatp_chain_walk(fat_vol_t *v, uint32_t first, uint32_t limit, uint32_t *count, uint32_t *last)
{
    uint32_t c = first, n = 0;

    *count = 0;
    *last = 0;
    if (limit > v->clusters)
        limit = v->clusters;
    while (c) {
        if (n >= limit)
            return ST_IO_ERROR; /* longer than allowed, or a loop */
        n++;
        *last = c;
        int rc = fatp_next(v, c, &c);
        if (rc != ST_OK)
            return rc;
    }
    *count = n;
    return ST_OK;
}

static bool is_pending(const fat_vol_t *v, uint32_t c)
{
    return v->pending && (v->pending[c / 8] & (1u << (c % 8)));
}

int fatp_pending_apply(fat_vol_t *v)
{
    for (uint32_t c = 2; v->npending && c <= v->clusters + 1; c++) {
        if (!v->pending[c / 8]) {
            c |= 7; /* a whole byte of the bitmap is clear */
            continue;
        }
        if (!is_pending(v, c))
            continue;
        int rc = fatp_fat_set(v, c, 0);
        if (rc != ST_OK)
            return rc;
        v->pending[c / 8] &= (uint8_t) ~(1u << (c % 8));
        v->npending--;
        if (c < v->next_free)
            v->next_free = c;
    }
    return ST_OK;
}

/* A free cluster, from the hint on; 0 if none. (Pending clusters keep
 * their entries, so they are not seen as free here.) */
static int find_free(fat_vol_t *v, uint32_t *out)
{
    uint32_t c = fatp_valid_clus(v, v->next_free) ? v->next_free : 2;

    *out = 0;
    for (uint32_t i = 0; i < v->clusters; i++) {
        uint32_t val;
        int rc = fatp_fat_get(v, c, &val);
        if (rc != ST_OK)
            return rc;
        if (val == 0) {
            *out = c;
            return ST_OK;
        }
        c = c + 1 > v->clusters + 1 ? 2 : c + 1;
    }
    return ST_OK;
}

int fatp_alloc(fat_vol_t *v, uint32_t prev, uint32_t *out)
{
    uint32_t c;

    *out = 0;
    if (v->free_count == 0)
        return ST_NO_SPACE;
    int rc = find_free(v, &c);
    if (rc == ST_OK && c == 0 && v->npending) {
        /* Only pending clusters are left: a sync makes them reusable. */
        rc = fatp_sync(v);
        if (rc == ST_OK)
            rc = find_free(v, &c);
    }
    if (rc != ST_OK)
        return rc;
    if (c == 0) {
        /* The count said there was room: it was wrong; believe the table. */
        v->free_count = 0;
        return ST_NO_SPACE;
    }
    rc = fatp_fat_set(v, c, fatp_eoc(v));
    if (rc == ST_OK && prev)
        rc = fatp_fat_set(v, prev, c);
    if (rc != ST_OK)
        return rc;
    v->free_count--;
    v->next_free = c + 1 > v->clusters + 1 ? 2 : c + 1;
    v->fsinfo_dirty = true;
    *out = c;
    return ST_OK;
}

int fatp_free_chain(fat_vol_t *v, uint32_t first)
{
    uint32_t c = first;

    for (uint32_t n = 0; c && n < v->clusters; n++) {
        uint32_t val;
        if (!fatp_valid_clus(v, c) || is_pending(v, c))
            return ST_OK;
        int rc = fatp_fat_get(v, c, &val);
        if (rc != ST_OK)
            return rc;
        if (val == 0)
            return ST_OK; /* already free: a corrupt chain ends here */
        if (v->pending) {
            v->pending[c / 8] |= (uint8_t)(1u << (c % 8));
            v->npending++;
        } else {
            rc = fatp_fat_set(v, c, 0); /* not reached: read-only volumes free nothing */
            if (rc != ST_OK)
                return rc;
        }
        v->free_count++;
        v->fsinfo_dirty = true;
        c = val >= (fatp_eoc(v) & ~7u) || !fatp_valid_clus(v, val) ? 0 : val;
    }
    return ST_OK;
}

int fatp_count_free(fat_vol_t *v)
{
    uint32_t n = 0, first = 0;

    if (v->type == 12) {
        for (uint32_t c = 2; c <= v->clusters + 1; c++) {
            uint32_t val;
            int rc = fatp_fat_get(v, c, &val);
            if (rc != ST_OK)
                return rc;
            if (val == 0) {
                if (!first)
                    first = c;
                n++;
            }
        }
    } else {
        /* Whole sectors at a time: one cache lookup per sector, not per entry. */
        uint32_t width = v->type == 16 ? 2 : 4, per = FAT_SECTOR / width;
        for (uint32_t c = 2; c <= v->clusters + 1;) {
            uint32_t off = c * width;
            fatp_buf_t *b;
            int rc = fatp_bget(v, v->fat_start + off / FAT_SECTOR, FATP_K_FAT, false, &b);
            if (rc != ST_OK)
                return rc;
            for (uint32_t i = (off % FAT_SECTOR) / width; i < per && c <= v->clusters + 1;
                 i++, c++) {
                uint32_t val = width == 2 ? fatp_rd16(b->data + i * 2)
                                          : fatp_rd32(b->data + i * 4) & 0x0FFFFFFFu;
                if (val == 0) {
                    if (!first)
                        first = c;
                    n++;
                }
            }
            fatp_bput(b);
        }
    }
    v->free_count = n;
    v->next_free = first ? first : 2;
    return ST_OK;
}
