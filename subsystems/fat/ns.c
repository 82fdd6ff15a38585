/*
 * Operations on names: create, mkdir, unlink, rmdir and rename.
 *
 * Each checks everything that can be refused (the name, room in the
 * directory, free clusters, the kind and emptiness of a replaced target)
 * before it changes anything, so a refused call changes nothing. Only a
 * device error part way through can leave a change half done, and then
 * in a state fsck.fat repairs.
 *
 * Rename writes the new entry before removing the old one, so a crash in
 * between leaves two names for one file (fsck.fat removes one), never
 * none. A replaced target's clusters, like an unlinked file's, are freed
 * at once unless a node still references it (then at its release).
 *
 * Entry points: fatp_create(), fatp_mkdir(), fatp_unlink(), fatp_rmdir(),
 * fatp_rename().
 */
#include <string.h>

#include "fat_priv.h"

/* The refusals shared by every call that changes a directory. */
static int writable_dir(fat_node_t *dir)
{
    if (fatp_vol(dir)->read_only)
        return ST_READ_ONLY;
    return dir->unlinked ? ST_NOT_FOUND : ST_OK;
}

static void touch_dir(fat_node_t *dir, int64_t now)
{
    if (dir == fatp_vol(dir)->root)
        return;
    fatp_node_stamp(dir, now, 1);
    fatp_node_store(dir); /* a failed time stamp does not undo the change */
}

/* Frees the clusters of a name that is gone, unless a node holds it. A
 * file's chain is freed only when it matches its size: freeing a chain
 * that runs into another file's would damage that file too. */
static void drop_clusters(fat_vol_t *v, const fatp_dent_t *de, fat_node_t *live)
{
    if (live) {
        live->unlinked = true;
        return;
    }
    uint32_t first = fatp_ent_first(v, de->ent);
    if (!fatp_valid_clus(v, first))
        return;
    if (!fatp_ent_is_dir(de->ent)) {
        uint64_t need =
            ((uint64_t)fatp_rd32(de->ent + 28) + v->cluster_bytes - 1) / v->cluster_bytes;
        uint32_t count, last;
        if (fatp_chain_walk(v, first, (uint32_t)(need + 1), &count, &last) != ST_OK ||
            count != need)
            return;
    }
    fatp_free_chain(v, first); /* a failure leaks clusters, which fsck finds */
}

/* A fresh short entry: attributes and all three times, no name yet. */
static void new_entry(fat_vol_t *v, uint8_t ent[32], uint8_t attr, uint32_t first, int64_t now)
{
    uint16_t date, time;
    uint8_t tenth;

    memset(ent, 0, 32);
    memset(ent, ' ', 11);
    ent[11] = attr;
    fatp_time_to_fat(now, &date, &time, &tenth);
    ent[13] = tenth;
    fatp_wr16(ent + 14, time);
    fatp_wr16(ent + 16, date);
    fatp_wr16(ent + 18, date);
    fatp_wr16(ent + 22, time);
    fatp_wr16(ent + 24, date);
    fatp_ent_set_first(v, ent, first);
}

/* Adds a name for a new node and returns the node. */
static int add_node(fat_node_t *dir, const char *name, uint8_t ent[32], fat_node_t **out)
{
    fatp_dent_t de;
    int rc = fatp_add(dir, name, ent, &de.epos);

    if (rc != ST_OK)
        return rc;
    memcpy(de.ent, ent, 32);
    return fatp_node_get(dir, &de, out);
}

/* Refuses a name that exists or cannot be added; *grow: clusters the
 * directory needs for it. */
static int check_new(fat_node_t *dir, const char *name, uint32_t *grow)
{
    fatp_dent_t de;
    int rc = fatp_find(dir, name, false, &de);

    if (rc == ST_OK)
        return ST_EXISTS;
    if (rc != ST_NOT_FOUND)
        return rc;
    return fatp_add_check(dir, name, grow);
}

int fatp_create(fs_node_t *dnode, const char *name, uint32_t mode, fs_node_t **out)
{
    fat_node_t *dir = fatp_node(dnode), *n;
    fat_vol_t *v = fatp_vol(dir);
    uint32_t grow;
    uint8_t ent[32];
    int rc = writable_dir(dir);

    if (rc == ST_OK)
        rc = check_new(dir, name, &grow);
    if (rc != ST_OK)
        return rc;
    if (v->free_count < grow)
        return ST_NO_SPACE;
    int64_t now = fatp_now(v);
    uint8_t attr = FAT_ATTR_ARCHIVE | ((mode & 0200) ? 0 : FAT_ATTR_READ_ONLY);
    new_entry(v, ent, attr, 0, now);
    rc = add_node(dir, name, ent, &n);
    if (rc != ST_OK)
        return rc;
    touch_dir(dir, now);
    *out = &n->node;
    return ST_OK;
}

/* Writes the new directory's cluster: zeros, ".", "..". It goes to the
 * disk with the data, before the entry that names it. */
static int init_dir_cluster(fat_vol_t *v, uint32_t c, uint32_t parent, int64_t now)
{
    for (uint32_t s = 0; s < v->spc; s++) {
        fatp_buf_t *b;
        int rc = fatp_bget(v, fatp_clus_sector(v, c) + s, FATP_K_DIR, true, &b);
        if (rc != ST_OK)
            return rc;
        memset(b->data, 0, FAT_SECTOR);
        if (s == 0) {
            new_entry(v, b->data, FAT_ATTR_DIRECTORY, c, now);
            b->data[0] = '.';
            new_entry(v, b->data + 32, FAT_ATTR_DIRECTORY, parent, now);
            b->data[32] = b->data[33] = '.';
        }
        b->early = true;
        fatp_bdirty(v, b);
        fatp_bput(b);
    }
    return ST_OK;
}

int fatp_mkdir(fs_node_t *dnode, const char *name, uint32_t mode, fs_node_t **out)
{
    fat_node_t *dir = fatp_node(dnode), *n;
    fat_vol_t *v = fatp_vol(dir);
    uint32_t grow, c;
    uint8_t ent[32];
    int rc = writable_dir(dir);

    if (rc == ST_OK)
        rc = check_new(dir, name, &grow);
    if (rc != ST_OK)
        return rc;
    if (v->free_count < grow + 1)
        return ST_NO_SPACE;
    int64_t now = fatp_now(v);
    rc = fatp_alloc(v, 0, &c);
    if (rc != ST_OK)
        return rc;
    uint32_t parent = dir == v->root ? 0 : dir->first;
    rc = init_dir_cluster(v, c, parent, now);
    if (rc == ST_OK) {
        uint8_t attr = FAT_ATTR_DIRECTORY | ((mode & 0200) ? 0 : FAT_ATTR_READ_ONLY);
        new_entry(v, ent, attr, c, now);
        rc = add_node(dir, name, ent, &n);
    }
    if (rc != ST_OK) {
        fatp_free_chain(v, c);
        return rc;
    }
    touch_dir(dir, now);
    *out = &n->node;
    return ST_OK;
}

int fatp_unlink(fs_node_t *dnode, const char *name)
{
    fat_node_t *dir = fatp_node(dnode);
    fatp_dent_t de;
    int rc = writable_dir(dir);

    if (rc == ST_OK)
        rc = fatp_find(dir, name, false, &de);
    if (rc != ST_OK)
        return rc;
    if (fatp_ent_is_dir(de.ent))
        return ST_IS_DIRECTORY;
    fat_node_t *live = fatp_node_find(fatp_vol(dir), de.epos);
    rc = fatp_remove(dir, &de);
    if (rc != ST_OK)
        return rc;
    drop_clusters(fatp_vol(dir), &de, live);
    touch_dir(dir, fatp_now(fatp_vol(dir)));
    return ST_OK;
}

int fatp_rmdir(fs_node_t *dnode, const char *name)
{
    fat_node_t *dir = fatp_node(dnode);
    fat_vol_t *v = fatp_vol(dir);
    fatp_dent_t de;
    int rc = writable_dir(dir);

    if (rc == ST_OK)
        rc = fatp_find(dir, name, false, &de);
    if (rc != ST_OK)
        return rc;
    if (!fatp_ent_is_dir(de.ent))
        return ST_NOT_DIRECTORY;
    fat_node_t *live = fatp_node_find(v, de.epos);
    rc = fatp_dir_empty(v, fatp_ent_first(v, de.ent));
    if (rc == ST_OK)
        rc = fatp_remove(dir, &de);
    if (rc != ST_OK)
        return rc;
    drop_clusters(v, &de, live);
    touch_dir(dir, fatp_now(v));
    return ST_OK;
}

/* ST_INVALID_ARGUMENT when `dir` is the directory whose first cluster is
 * `first`, or lies below it. Parents form a tree; the bound only guards
 * against a cluster number shared by two directories of a corrupt disk. */
static int check_not_below(fat_node_t *dir, uint32_t first)
{
    fat_vol_t *v = fatp_vol(dir);

    for (uint32_t hops = 0; dir && hops < FATP_DIR_MAX_SLOTS; hops++) {
        if (dir != v->root && dir->first == first)
            return ST_INVALID_ARGUMENT;
        dir = dir->parent;
    }
    return dir ? ST_INVALID_ARGUMENT : ST_OK;
}

/* What rename may refuse, checked before it changes anything. */
static int rename_check(fat_node_t *ndir, const fatp_dent_t *src, const fatp_dent_t *dst,
                        bool moving_dir)
{
    fat_vol_t *v = fatp_vol(ndir);
    bool isdir = fatp_ent_is_dir(src->ent);

    if (dst) {
        bool vdir = fatp_ent_is_dir(dst->ent);
        if (isdir && !vdir)
            return ST_NOT_DIRECTORY;
        if (!isdir && vdir)
            return ST_IS_DIRECTORY;
        if (vdir) {
            int rc = fatp_dir_empty(v, fatp_ent_first(v, dst->ent));
            if (rc != ST_OK)
                return rc;
        }
    }
    if (moving_dir) {
        uint32_t first = fatp_ent_first(v, src->ent);
        if (!fatp_valid_clus(v, first))
            return ST_IO_ERROR; /* its ".." could not be kept right */
        return check_not_below(ndir, first);
    }
    return ST_OK;
}

int fatp_rename(fs_node_t *onode, const char *oname, fs_node_t *nnode, const char *nname)
{
    fat_node_t *odir = fatp_node(onode), *ndir = fatp_node(nnode);
    fat_vol_t *v = fatp_vol(odir);
    fatp_dent_t src, dst;
    bool have_dst = false;
    uint32_t grow;
    int rc = writable_dir(odir);

    if (rc == ST_OK)
        rc = writable_dir(ndir);
    if (rc == ST_OK)
        rc = fatp_find(odir, oname, false, &src);
    if (rc != ST_OK)
        return rc;
    rc = fatp_find(ndir, nname, false, &dst);
    if (rc == ST_OK) {
        have_dst = true;
        if (dst.epos == src.epos) {
            /* The same entry: nothing to do for the same name, else a
             * change of case (or from a short name to a long one). */
            if (strcmp(src.name, nname) == 0)
                return ST_OK;
            have_dst = false;
        }
    } else if (rc != ST_NOT_FOUND) {
        return rc;
    }
    bool isdir = fatp_ent_is_dir(src.ent);
    bool moving_dir = isdir && odir != ndir;
    rc = rename_check(ndir, &src, have_dst ? &dst : NULL, moving_dir);
    if (rc == ST_OK)
        rc = fatp_add_check(ndir, nname, &grow);
    if (rc != ST_OK)
        return rc;
    if (v->free_count < grow)
        return ST_NO_SPACE;

    fat_node_t *n = fatp_node_find(v, src.epos);
    fat_node_t *victim = have_dst ? fatp_node_find(v, dst.epos) : NULL;
    uint8_t ent[32];
    memcpy(ent, n ? n->ent : src.ent, 32);
    if (n) {
        fatp_ent_set_first(v, ent, n->first);
        if (n->node.type == FS_TYPE_REG)
            fatp_wr32(ent + 28, n->size);
    }
    if (have_dst) {
        rc = fatp_remove(ndir, &dst);
        if (rc != ST_OK)
            return rc;
    }
    uint64_t epos;
    rc = fatp_add(ndir, nname, ent, &epos);
    if (rc == ST_OK)
        rc = fatp_remove(odir, &src);
    if (rc != ST_OK)
        return rc;
    if (moving_dir)
        fatp_set_dotdot(v, fatp_ent_first(v, ent), ndir == v->root ? 0 : ndir->first);
    if (have_dst)
        drop_clusters(v, &dst, victim);
    if (n) {
        n->epos = epos;
        memcpy(n->ent, ent, 11);
        n->ent[12] = ent[12];
        if (moving_dir && n->parent != ndir) {
            fs_node_ref(&ndir->node);
            fs_node_release(&n->parent->node); /* the caller holds odir */
            n->parent = ndir;
        }
    }
    int64_t now = fatp_now(v);
    touch_dir(odir, now);
    if (ndir != odir)
        touch_dir(ndir, now);
    return ST_OK;
}
