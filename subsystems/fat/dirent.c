/*
 * Directory slots: mapping a slot number to its sector through the
 * directory's chain, reading and writing one 32-byte slot, and the scan
 * that joins long-name slots to the short entry they belong to.
 *
 * A directory has at most FATP_DIR_MAX_SLOTS slots (the specification's
 * 2 MiB), which bounds every walk of its chain: a chain that loops is
 * an I/O error once it runs past that.
 *
 * A run of long-name slots is used only when it is whole: the first slot
 * carries the 0x40 flag and the count N (1..20), the ordinals then count
 * down to 1 without gaps, all carry one checksum, and the short entry
 * that follows matches it. Anything else is ignored (the short name
 * stands alone), as the specification asks of orphaned slots.
 *
 * Entry points: fatp_dir_open(), fatp_dir_sector(), fatp_dir_read(),
 * fatp_dir_write(), fatp_dir_epos(), fatp_dir_slots(), fatp_dir_next().
 */
#include <string.h>

#include "fat_priv.h"

void fatp_dir_open(fat_vol_t *v, uint32_t start, fatp_dir_t *d)
{
    if (start == 0 && v->type == 32)
        start = v->root_cluster; /* ".." entries say 0 for the root */
    d->v = v;
    d->start = start;
    d->cidx = 0;
    d->clus = start;
}

static uint32_t slots_per_cluster(const fat_vol_t *v)
{
    return v->cluster_bytes / 32;
}

int fatp_dir_sector(fatp_dir_t *d, uint32_t idx, uint32_t *sector)
{
    fat_vol_t *v = d->v;

    *sector = 0;
    if (idx >= FATP_DIR_MAX_SLOTS)
        return ST_END_OF_FILE;
    if (d->start == 0) {
        uint32_t s = idx / FATP_SLOTS_PER_SECTOR;
        if (s >= v->root_sectors)
            return ST_END_OF_FILE;
        *sector = v->root_start + s;
        return ST_OK;
    }
    if (!fatp_valid_clus(v, d->start))
        return ST_IO_ERROR;
    uint32_t k = idx / slots_per_cluster(v);
    if (k < d->cidx) {
        d->cidx = 0;
        d->clus = d->start;
    }
    while (d->cidx < k) {
        uint32_t next;
        int rc = fatp_next(v, d->clus, &next);
        if (rc != ST_OK)
            return rc;
        if (next == 0)
            return ST_END_OF_FILE;
        d->clus = next;
        d->cidx++;
    }
    *sector = fatp_clus_sector(v, d->clus) + (idx % slots_per_cluster(v)) / FATP_SLOTS_PER_SECTOR;
    return ST_OK;
}

int fatp_dir_read(fatp_dir_t *d, uint32_t idx, uint8_t ent[32])
{
    uint32_t sec;
    fatp_buf_t *b;
    int rc = fatp_dir_sector(d, idx, &sec);

    if (rc == ST_OK)
        rc = fatp_bget(d->v, sec, FATP_K_DIR, false, &b);
    if (rc != ST_OK)
        return rc;
    memcpy(ent, b->data + (idx % FATP_SLOTS_PER_SECTOR) * 32, 32);
    fatp_bput(b);
    return ST_OK;
}

int fatp_dir_write(fatp_dir_t *d, uint32_t idx, const uint8_t ent[32])
{
    uint32_t sec;
    fatp_buf_t *b;
    int rc = fatp_dir_sector(d, idx, &sec);

    if (rc == ST_OK)
        rc = fatp_bget(d->v, sec, FATP_K_DIR, false, &b);
    if (rc != ST_OK)
        return rc;
    memcpy(b->data + (idx % FATP_SLOTS_PER_SECTOR) * 32, ent, 32);
    fatp_bdirty(d->v, b);
    fatp_bput(b);
    return ST_OK;
}

int fatp_dir_epos(fatp_dir_t *d, uint32_t idx, uint64_t *epos)
{
    uint32_t sec;
    int rc = fatp_dir_sector(d, idx, &sec);

    *epos = (uint64_t)sec * FATP_SLOTS_PER_SECTOR + idx % FATP_SLOTS_PER_SECTOR;
    return rc;
}

int fatp_dir_slots(fatp_dir_t *d, uint32_t *n)
{
    fat_vol_t *v = d->v;

    *n = 0;
    if (d->start == 0) {
        *n = v->root_sectors * FATP_SLOTS_PER_SECTOR;
        return ST_OK;
    }
    uint32_t count, last;
    uint32_t limit = (FATP_DIR_MAX_SLOTS + slots_per_cluster(v) - 1) / slots_per_cluster(v);
    int rc = fatp_chain_walk(v, d->start, limit, &count, &last);
    if (rc != ST_OK)
        return rc;
    uint64_t slots = (uint64_t)count * slots_per_cluster(v);
    *n = slots > FATP_DIR_MAX_SLOTS ? FATP_DIR_MAX_SLOTS : (uint32_t)slots;
    return ST_OK;
}

/* A long name being assembled from its slots. */
typedef struct lfn_state {
    uint32_t expect; /* the ordinal the next slot must carry; 0: none pending */
    uint32_t count;  /* N, from the first slot */
    uint32_t first_idx;
    uint8_t sum;
    uint16_t units[FATP_LFN_MAX_SLOTS * 13];
} lfn_state_t;

static void lfn_slot(lfn_state_t *st, const uint8_t *e, uint32_t idx)
{
    static const uint8_t pos[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
    uint32_t ord = e[0] & 0x1F;

    if (e[0] & 0x40) {
        st->expect = 0;
        if (ord == 0 || ord > FATP_LFN_MAX_SLOTS || (e[0] & 0xA0))
            return;
        st->count = ord;
        st->sum = e[13];
        st->first_idx = idx;
    } else if (st->expect == 0 || ord != st->expect || e[13] != st->sum) {
        st->expect = 0;
        return;
    }
    for (int i = 0; i < 13; i++)
        st->units[(ord - 1) * 13 + (uint32_t)i] = fatp_rd16(e + pos[i]);
    st->expect = ord - 1;
    if (st->expect == 0)
        st->expect = UINT32_MAX; /* complete: the short entry must follow */
}

/* The long name of a complete run, into out->name; false if unusable. */
static bool lfn_name(const lfn_state_t *st, fatp_dent_t *out)
{
    uint32_t n = 0, max = st->count * 13;

    while (n < max && st->units[n] != 0)
        n++;
    if (n == 0 || n > FATP_LFN_MAX_UNITS)
        return false;
    return fatp_utf16_to_utf8(st->units, n, out->name, sizeof(out->name)) != 0;
}

int fatp_dir_next(fatp_dir_t *d, uint32_t *idx, fatp_dent_t *out)
{
    lfn_state_t st;
    /* Resuming inside a long name's run (a readdir cookie from before the
     * name was added there): that name is skipped, rather than shown
     * under its short name. Names added during a listing may be missed. */
    bool mid_run = false;

    st.expect = 0;
    for (uint32_t i = *idx; i < FATP_DIR_MAX_SLOTS; i++) {
        uint8_t e[32];
        int rc = fatp_dir_read(d, i, e);
        if (rc != ST_OK) {
            *idx = i;
            return rc;
        }
        if (e[0] == 0x00) {
            *idx = i;
            return ST_END_OF_FILE;
        }
        if (e[0] == 0xE5) {
            st.expect = 0;
            mid_run = false;
            continue;
        }
        if ((e[11] & 0x3F) == 0x0F) {
            if (i == *idx && i > 0 && !(e[0] & 0x40))
                mid_run = true;
            lfn_slot(&st, e, i);
            continue;
        }
        bool complete = st.expect == UINT32_MAX;
        st.expect = 0;
        if (mid_run) {
            mid_run = false;
            continue;
        }
        if ((e[11] & FAT_ATTR_VOLUME_ID) || e[0] == '.')
            continue; /* the label, and the "." and ".." entries */
        memcpy(out->ent, e, 32);
        out->short_idx = i;
        out->first_idx = i;
        out->has_long = false;
        rc = fatp_dir_epos(d, i, &out->epos);
        if (rc != ST_OK)
            return rc;
        fatp_short_raw(e, out->sname);
        if (complete && fatp_lfn_checksum(e) == st.sum && lfn_name(&st, out)) {
            out->has_long = true;
            out->first_idx = st.first_idx;
        } else if (!fatp_short_display(e, out->name, sizeof(out->name), true)) {
            memcpy(out->name, "_", 2);
        }
        *idx = i + 1;
        return ST_OK;
    }
    *idx = FATP_DIR_MAX_SLOTS;
    return ST_END_OF_FILE;
}
