/*
 * The DOS view of a FAT volume, for the DOS personality's server: nodes
 * by their 8.3 names, attributes and packed dates as DOS reports them,
 * directory listings the way FIND FIRST/NEXT walks them, the label.
 *
 * Entry points: fat_get_info(), fat_set_attr(), fat_lookup_short(),
 * fat_readdir_dos(), fat_get_label().
 */
#include <string.h>

#include "fat_priv.h"

int fat_get_info(fs_node_t *node, fat_info_t *info)
{
    memset(info, 0, sizeof(*info));
    if (!node || !fat_is_fat(node->fs))
        return ST_INVALID_ARGUMENT;
    fat_node_t *n = fatp_node(node);
    info->attr = n->ent[11];
    info->first_cluster = n->first;
    info->size = node->type == FS_TYPE_REG ? n->size : 0;
    if (n == fatp_vol(n)->root)
        return ST_OK;
    fatp_short_raw(n->ent, info->short_name);
    info->created = fatp_time_from_fat(fatp_rd16(n->ent + 16), fatp_rd16(n->ent + 14), n->ent[13]);
    info->modified = fatp_time_from_fat(fatp_rd16(n->ent + 24), fatp_rd16(n->ent + 22), 0);
    info->dos_time = fatp_rd16(n->ent + 22);
    info->dos_date = fatp_rd16(n->ent + 24);
    info->accessed = fatp_time_from_fat(fatp_rd16(n->ent + 18), 0, 0);
    return ST_OK;
}

int fat_set_attr(fs_node_t *node, uint8_t attr)
{
    const uint8_t settable =
        FAT_ATTR_READ_ONLY | FAT_ATTR_HIDDEN | FAT_ATTR_SYSTEM | FAT_ATTR_ARCHIVE;

    if (!node || !fat_is_fat(node->fs) || (attr & ~settable))
        return ST_INVALID_ARGUMENT;
    fat_node_t *n = fatp_node(node);
    fat_vol_t *v = fatp_vol(n);
    if (v->read_only)
        return ST_READ_ONLY;
    if (n == v->root)
        return ST_NOT_SUPPORTED;
    n->ent[11] = (uint8_t)((n->ent[11] & ~settable) | attr);
    return fatp_node_store(n);
}

int fat_lookup_short(fs_node_t *dir, const char *name, fs_node_t **out)
{
    fatp_dent_t de;
    fat_node_t *n;

    *out = NULL;
    if (!dir || !fat_is_fat(dir->fs) || !name)
        return ST_INVALID_ARGUMENT;
    if (dir->type != FS_TYPE_DIR)
        return ST_NOT_DIRECTORY;
    fat_node_t *d = fatp_node(dir);
    if (d->unlinked)
        return ST_NOT_FOUND;
    int rc = fatp_find(d, name, true, &de);
    if (rc == ST_OK)
        rc = fatp_node_get(d, &de, &n);
    if (rc == ST_OK)
        *out = &n->node;
    return rc;
}

int fat_get_label(fs_t *fs, char label[12])
{
    fat_vol_t *v = (fat_vol_t *)fs;
    const uint8_t *src = (const uint8_t *)v->label;
    uint8_t ent[32];
    fatp_dir_t d;

    label[0] = '\0';
    if (!fat_is_fat(fs))
        return ST_INVALID_ARGUMENT;
    fatp_dir_open(v, v->type == 32 ? v->root_cluster : 0, &d);
    /* The label entry lives among the root's first slots; a bounded look. */
    for (uint32_t i = 0; i < FATP_DIR_MAX_SLOTS; i++) {
        int rc = fatp_dir_read(&d, i, ent);
        if (rc == ST_END_OF_FILE || (rc == ST_OK && ent[0] == 0x00))
            break;
        if (rc != ST_OK)
            return rc;
        if (ent[0] != 0xE5 && (ent[11] & 0x3F) != 0x0F && (ent[11] & FAT_ATTR_VOLUME_ID)) {
            src = ent;
            break;
        }
    }
    int n = 11;
    while (n > 0 && (src[n - 1] == ' ' || src[n - 1] == '\0'))
        n--;
    memcpy(label, src, (size_t)n);
    label[n] = '\0';
    if (strcmp(label, "NO NAME") == 0)
        label[0] = '\0'; /* what formatters write for "none" */
    return ST_OK;
}

int fat_readdir_dos(fs_node_t *dnode, uint64_t *cookie, fat_dosent_t *ent)
{
    memset(ent, 0, sizeof(*ent));
    if (!dnode || !fat_is_fat(dnode->fs) || !cookie)
        return ST_INVALID_ARGUMENT;
    if (dnode->type != FS_TYPE_DIR)
        return ST_NOT_DIRECTORY;
    fat_node_t *dir = fatp_node(dnode);
    fat_vol_t *v = fatp_vol(dir);
    if (dir->unlinked)
        return ST_END_OF_FILE;
    /* DOS lists "." and ".." in subdirectories only. */
    if (*cookie < 2 && dir == v->root)
        *cookie = 2;
    if (*cookie < 2) {
        fat_node_t *n = *cookie == 1 && dir->parent ? dir->parent : dir;
        memcpy(ent->short_name, "..", (size_t)*cookie + 1);
        memcpy(ent->name, "..", (size_t)*cookie + 1);
        ent->attr = FAT_ATTR_DIRECTORY;
        ent->first_cluster = n == v->root ? 0 : n->first;
        ent->dos_time = fatp_rd16(dir->ent + 22);
        ent->dos_date = fatp_rd16(dir->ent + 24);
        (*cookie)++;
        return ST_OK;
    }
    /* The listing itself is readdir's: the same cookies, the same names. */
    fs_dirent_t de;
    uint64_t c = *cookie;
    int rc = fatp_readdir(dnode, &c, &de);
    if (rc != ST_OK)
        return rc;
    fatp_dent_t found;
    fatp_dir_t d;
    uint32_t idx = (uint32_t)(*cookie - 2);
    fatp_dir_open(v, dir->first, &d);
    rc = fatp_dir_next(&d, &idx, &found);
    if (rc != ST_OK)
        return rc;
    fat_node_t *live = fatp_node_find(v, found.epos);
    const uint8_t *e = live ? live->ent : found.ent;
    memcpy(ent->short_name, found.sname, sizeof(ent->short_name));
    memcpy(ent->name, de.name, sizeof(ent->name));
    ent->attr = e[11];
    ent->first_cluster = live ? live->first : fatp_ent_first(v, e);
    ent->size = fatp_ent_is_dir(e) ? 0 : live ? live->size : fatp_rd32(e + 28);
    ent->dos_time = fatp_rd16(e + 22);
    ent->dos_date = fatp_rd16(e + 24);
    *cookie = c;
    return ST_OK;
}
