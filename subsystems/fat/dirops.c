/*
 * Names in a directory: finding one (by long or short name), adding one
 * (choosing its short name, finding or making room, writing its slots),
 * removing one, and the lookup and readdir operations built on them.
 *
 * A new name takes a long-name run unless it is exactly a short name in
 * upper case. Its short name is the long name's basis when that loses
 * nothing but case, else the basis with the smallest numeric tail ("~1",
 * "~2"...) that no short name of the directory has.
 *
 * Readdir cookies are slot numbers plus 2 (0 and 1 stand for "." and
 * ".."). Entries never move while they exist, so a cookie stays valid
 * across additions and removals.
 *
 * Entry points: fatp_find(), fatp_add_check(), fatp_add(), fatp_remove(),
 * fatp_dir_empty(), fatp_set_dotdot(), fatp_lookup(), fatp_readdir().
 */
#include <string.h>

#include "fat_priv.h"

#define TAIL_MAX 4096u /* numeric tails tried, ~1 to ~4095 */

/* The directory's slots, or ST_IO_ERROR for a directory without a
 * usable first cluster (only the FAT12/16 root has none) or whose chain
 * is broken or loops. The chain is checked once per node: only this code
 * changes it afterwards, and only by adding sound clusters. */
static int open_dir(fat_node_t *dir, fatp_dir_t *d)
{
    fat_vol_t *v = fatp_vol(dir);
    uint32_t slots;

    if (dir != v->root && !fatp_valid_clus(v, dir->first))
        return ST_IO_ERROR;
    fatp_dir_open(v, dir->first, d);
    if (dir->chain == 0) {
        int rc = fatp_dir_slots(d, &slots);
        if (rc == ST_IO_ERROR)
            dir->chain = -1;
        else if (rc != ST_OK)
            return rc;
        else
            dir->chain = 1;
    }
    return dir->chain > 0 ? ST_OK : ST_IO_ERROR;
}

/* The same for a directory known only by its first cluster. */
static int open_raw(fat_vol_t *v, uint32_t first, fatp_dir_t *d)
{
    uint32_t slots;

    if (!fatp_valid_clus(v, first))
        return ST_IO_ERROR;
    fatp_dir_open(v, first, d);
    return fatp_dir_slots(d, &slots);
}

int fatp_find(fat_node_t *dir, const char *name, bool sname_only, fatp_dent_t *out)
{
    fatp_dir_t d;
    int rc = open_dir(dir, &d);
    char shown[40];

    if (rc != ST_OK)
        return rc;
    for (uint32_t idx = 0;;) {
        rc = fatp_dir_next(&d, &idx, out);
        if (rc == ST_END_OF_FILE)
            return ST_NOT_FOUND;
        if (rc != ST_OK)
            return rc;
        if (sname_only) {
            if (fatp_name_eq(out->sname, name))
                return ST_OK;
            continue;
        }
        if (fatp_name_eq(out->name, name))
            return ST_OK;
        if (out->has_long && fatp_short_display(out->ent, shown, sizeof(shown), false) &&
            fatp_name_eq(shown, name))
            return ST_OK;
    }
}

typedef struct plan {
    fatp_lname_t ln;
    bool exact, lossy;
    uint8_t basis[11];
    uint32_t slots;     /* the run to write: long-name slots and the short entry */
    uint32_t at;        /* its first slot */
    uint32_t dir_slots; /* the directory's slots now */
    uint32_t grow;      /* clusters to add to the directory */
} plan_t;

/* Where a run of p->slots free slots starts, or how much the directory
 * must grow to end with one. */
static int plan_room(fat_node_t *dir, fatp_dir_t *d, plan_t *p)
{
    fat_vol_t *v = fatp_vol(dir);
    int rc = fatp_dir_slots(d, &p->dir_slots);
    uint32_t run = 0;
    bool end = false;

    if (rc != ST_OK)
        return rc;
    p->grow = 0;
    for (uint32_t i = 0; i < p->dir_slots; i++) {
        uint8_t e[32];
        if (!end) {
            rc = fatp_dir_read(d, i, e);
            if (rc != ST_OK)
                return rc;
            end = e[0] == 0x00; /* everything after the end mark is free */
        }
        if (end || e[0] == 0xE5) {
            if (++run == p->slots) {
                p->at = i + 1 - p->slots;
                return ST_OK;
            }
        } else {
            run = 0;
        }
    }
    if (dir == v->root && v->type != 32)
        return ST_NO_SPACE; /* the fixed root cannot grow */
    uint32_t per = v->cluster_bytes / 32, missing = p->slots - run;
    p->grow = (missing + per - 1) / per;
    if ((uint64_t)p->dir_slots + (uint64_t)p->grow * per > FATP_DIR_MAX_SLOTS)
        return ST_NO_SPACE;
    p->at = p->dir_slots - run;
    return ST_OK;
}

static int plan_name(const char *name, plan_t *p)
{
    int rc = fatp_name_to_utf16(name, &p->ln);

    if (rc != ST_OK)
        return rc;
    fatp_short_basis(&p->ln, p->basis, &p->lossy, &p->exact);
    p->slots = 1 + (p->exact ? 0 : (p->ln.n + 12) / 13);
    return ST_OK;
}

static int pick_tail(fatp_dir_t *d, plan_t *p, uint8_t out[11]);

int fatp_add_check(fat_node_t *dir, const char *name, uint32_t *clusters_needed)
{
    fatp_dir_t d;
    plan_t p;
    uint8_t sname[11];
    int rc = plan_name(name, &p);

    *clusters_needed = 0;
    if (rc == ST_OK)
        rc = open_dir(dir, &d);
    /* Every tail taken is as much a refusal as no room. */
    if (rc == ST_OK && p.lossy)
        rc = pick_tail(&d, &p, sname);
    if (rc == ST_OK)
        rc = plan_room(dir, &d, &p);
    if (rc == ST_OK)
        *clusters_needed = p.grow;
    return rc;
}

/* The smallest numeric tail whose short name the directory lacks. */
static int pick_tail(fatp_dir_t *d, plan_t *p, uint8_t out[11])
{
    uint8_t used[TAIL_MAX / 8];
    fatp_dent_t de;

    memset(used, 0, sizeof(used));
    for (uint32_t idx = 0;;) {
        int rc = fatp_dir_next(d, &idx, &de);
        if (rc == ST_END_OF_FILE)
            break;
        if (rc != ST_OK)
            return rc;
        const uint8_t *s = de.ent;
        uint32_t n = 0, i = 8;
        /* The last '~': the basis may hold one of its own. */
        while (i > 0 && s[i - 1] != '~')
            i--;
        for (; i > 0 && i < 8 && s[i] >= '0' && s[i] <= '9' && n < TAIL_MAX; i++)
            n = n * 10 + (s[i] - '0');
        if (n == 0 || n >= TAIL_MAX)
            continue;
        uint8_t cand[11];
        fatp_short_tail(p->basis, n, cand);
        if (memcmp(cand, s, 11) == 0)
            used[n / 8] |= (uint8_t)(1u << (n % 8));
    }
    for (uint32_t n = 1; n < TAIL_MAX; n++) {
        if (!(used[n / 8] & (1u << (n % 8)))) {
            fatp_short_tail(p->basis, n, out);
            return ST_OK;
        }
    }
    return ST_NO_SPACE;
}

/* Adds p->grow zeroed clusters at the end of the directory's chain. The
 * new sectors are written with the data group, before the FAT that links
 * them: a crash must not leave the directory ending in old garbage. */
static int grow_dir(fat_node_t *dir, fatp_dir_t *d, plan_t *p)
{
    fat_vol_t *v = fatp_vol(dir);
    uint32_t count, last;
    uint32_t limit = FATP_DIR_MAX_SLOTS / (v->cluster_bytes / 32) + 1;
    int rc = fatp_chain_walk(v, d->start, limit, &count, &last);

    for (uint32_t i = 0; rc == ST_OK && i < p->grow; i++) {
        uint32_t c;
        rc = fatp_alloc(v, last, &c);
        for (uint32_t s = 0; rc == ST_OK && s < v->spc; s++) {
            fatp_buf_t *b;
            rc = fatp_bget(v, fatp_clus_sector(v, c) + s, FATP_K_DIR, true, &b);
            if (rc != ST_OK)
                break;
            memset(b->data, 0, FAT_SECTOR);
            b->early = true;
            fatp_bdirty(v, b);
            fatp_bput(b);
        }
        last = c;
    }
    d->cidx = 0;
    d->clus = d->start;
    return rc;
}

static int write_slots(fatp_dir_t *d, plan_t *p, const uint8_t ent[32])
{
    static const uint8_t pos[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
    uint32_t nl = p->slots - 1;
    uint8_t sum = fatp_lfn_checksum(ent);

    for (uint32_t k = nl; k >= 1; k--) {
        uint8_t e[32];
        memset(e, 0, sizeof(e));
        e[0] = (uint8_t)(k | (k == nl ? 0x40 : 0));
        e[11] = 0x0F;
        e[13] = sum;
        for (uint32_t i = 0; i < 13; i++) {
            uint32_t u = (k - 1) * 13 + i;
            uint32_t val = u < p->ln.n ? p->ln.u[u] : u == p->ln.n ? 0x0000 : 0xFFFF;
            fatp_wr16(e + pos[i], val);
        }
        int rc = fatp_dir_write(d, p->at + (nl - k), e);
        if (rc != ST_OK)
            return rc;
    }
    return fatp_dir_write(d, p->at + nl, ent);
}

int fatp_add(fat_node_t *dir, const char *name, uint8_t ent[32], uint64_t *epos)
{
    fatp_dir_t d;
    plan_t p;
    int rc = plan_name(name, &p);

    if (rc == ST_OK)
        rc = open_dir(dir, &d);
    if (rc != ST_OK)
        return rc;
    if (p.lossy)
        rc = pick_tail(&d, &p, ent);
    else
        memcpy(ent, p.basis, 11);
    /* Lower-case flags (NT's byte 12) belong to the old name of a renamed
     * entry; a new name is never stored with them. */
    ent[12] &= (uint8_t)~0x18;
    if (rc == ST_OK)
        rc = plan_room(dir, &d, &p);
    if (rc == ST_OK && p.grow) {
        if (fatp_vol(dir)->free_count < p.grow)
            return ST_NO_SPACE;
        rc = grow_dir(dir, &d, &p);
    }
    if (rc == ST_OK)
        rc = write_slots(&d, &p, ent);
    if (rc == ST_OK)
        rc = fatp_dir_epos(&d, p.at + p.slots - 1, epos);
    return rc;
}

int fatp_remove(fat_node_t *dir, const fatp_dent_t *de)
{
    fatp_dir_t d;
    int rc = open_dir(dir, &d);

    for (uint32_t i = de->first_idx; rc == ST_OK && i <= de->short_idx; i++) {
        uint8_t e[32];
        rc = fatp_dir_read(&d, i, e);
        if (rc == ST_OK) {
            e[0] = 0xE5;
            rc = fatp_dir_write(&d, i, e);
        }
    }
    return rc;
}

int fatp_dir_empty(fat_vol_t *v, uint32_t first)
{
    fatp_dir_t d;
    fatp_dent_t de;
    uint32_t idx = 0;

    int rc = open_raw(v, first, &d);
    if (rc != ST_OK)
        return rc;
    rc = fatp_dir_next(&d, &idx, &de);
    if (rc == ST_OK)
        return ST_NOT_EMPTY;
    return rc == ST_END_OF_FILE ? ST_OK : rc;
}

int fatp_set_dotdot(fat_vol_t *v, uint32_t first, uint32_t parent_first)
{
    fatp_dir_t d;
    uint8_t e[32];

    int rc = open_raw(v, first, &d);
    if (rc == ST_OK)
        rc = fatp_dir_read(&d, 1, e);
    if (rc != ST_OK)
        return rc;
    if (e[0] != '.' || e[1] != '.')
        return ST_OK; /* no ".." where it belongs: nothing to keep right */
    /* The root is cluster 0 in "..", on FAT32 too. */
    fatp_ent_set_first(v, e, parent_first == v->root_cluster ? 0 : parent_first);
    return fatp_dir_write(&d, 1, e);
}

int fatp_lookup(fs_node_t *node, const char *name, fs_node_t **out)
{
    fat_node_t *dir = fatp_node(node), *found;

    if (dir->unlinked)
        return ST_NOT_FOUND;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        found = name[1] && dir->parent ? dir->parent : dir;
        fs_node_ref(&found->node);
        *out = &found->node;
        return ST_OK;
    }
    fatp_dent_t de;
    int rc = fatp_find(dir, name, false, &de);
    if (rc != ST_OK)
        return rc;
    rc = fatp_node_get(dir, &de, &found);
    if (rc == ST_OK)
        *out = &found->node;
    return rc;
}

int fatp_readdir(fs_node_t *node, uint64_t *cookie, fs_dirent_t *ent)
{
    fat_node_t *dir = fatp_node(node);

    if (dir->unlinked)
        return ST_END_OF_FILE;
    if (*cookie < 2) {
        fat_node_t *n = *cookie == 1 && dir->parent ? dir->parent : dir;
        ent->ino = n->node.ino;
        ent->type = FS_TYPE_DIR;
        ent->namelen = (uint32_t)*cookie + 1;
        memcpy(ent->name, "..", ent->namelen);
        ent->name[ent->namelen] = '\0';
        (*cookie)++;
        return ST_OK;
    }
    if (*cookie - 2 >= FATP_DIR_MAX_SLOTS)
        return ST_END_OF_FILE;
    fatp_dir_t d;
    fatp_dent_t de;
    uint32_t idx = (uint32_t)(*cookie - 2);
    int rc = open_dir(dir, &d);
    if (rc == ST_OK)
        rc = fatp_dir_next(&d, &idx, &de);
    if (rc != ST_OK)
        return rc;
    fat_node_t *live = fatp_node_find(fatp_vol(dir), de.epos);
    ent->ino = live ? live->node.ino : de.epos + 2;
    ent->type = fatp_ent_is_dir(de.ent) ? FS_TYPE_DIR : FS_TYPE_REG;
    ent->namelen = (uint32_t)strlen(de.name);
    memcpy(ent->name, de.name, ent->namelen + 1);
    *cookie = (uint64_t)idx + 2;
    return ST_OK;
}
