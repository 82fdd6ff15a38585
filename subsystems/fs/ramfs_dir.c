/*
 * ramfs directory tables, and the two read-only directory operations,
 * lookup and readdir.
 *
 * A directory keeps its entries twice, as two arrays of the same pointers:
 * by name (binary search for lookup) and by sequence number (readdir).
 * Every entry gets the next sequence number of its directory when it is
 * inserted, and a readdir cookie is the sequence number of the last entry
 * returned, so listing resumes correctly whatever was added or removed in
 * between: an entry present throughout is returned exactly once. Entries
 * are appended to the by-seq array, which stays sorted without effort.
 *
 * Entry points: ramfsp_dir_find(), ramfsp_dir_reserve(), ramfsp_dirent_new(),
 * ramfsp_dir_insert(), ramfsp_dir_remove(), ramfsp_dir_free(),
 * ramfsp_lookup(), ramfsp_readdir().
 */
#include <stdlib.h>
#include <string.h>

#include "ramfs_priv.h"

/* First index whose name is not below `name`; *found when equal. */
static size_t name_bound(const ramfs_node_t *dir, const char *name, bool *found)
{
    size_t lo = 0, hi = dir->u.dir.n;

    *found = false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(dir->u.dir.by_name[mid]->name, name);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* First index whose seq is above `seq`. */
static size_t seq_after(const ramfs_node_t *dir, uint64_t seq)
{
    size_t lo = 0, hi = dir->u.dir.n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dir->u.dir.by_seq[mid]->seq <= seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

ramfs_dirent_t *ramfsp_dir_find(const ramfs_node_t *dir, const char *name)
{
    bool found;
    size_t i = name_bound(dir, name, &found);

    return found ? dir->u.dir.by_name[i] : NULL;
}

int ramfsp_dir_reserve(ramfs_node_t *dir)
{
    size_t n = dir->u.dir.n, cap = dir->u.dir.cap;

    if (n < cap)
        return ST_OK;
    size_t ncap = cap ? cap * 2 : 8;
    if (ncap > SIZE_MAX / sizeof(ramfs_dirent_t *))
        return ST_NO_MEMORY;
    /* Growing the first array and failing on the second leaves only spare
     * capacity behind: cap is raised once both have it. */
    ramfs_dirent_t **a = realloc(dir->u.dir.by_name, ncap * sizeof(*a));
    if (!a)
        return ST_NO_MEMORY;
    dir->u.dir.by_name = a;
    ramfs_dirent_t **b = realloc(dir->u.dir.by_seq, ncap * sizeof(*b));
    if (!b)
        return ST_NO_MEMORY;
    dir->u.dir.by_seq = b;
    dir->u.dir.cap = ncap;
    return ST_OK;
}

int ramfsp_dirent_new(ramfs_t *rfs, const char *name, ramfs_dirent_t **out)
{
    size_t len = strlen(name);

    *out = NULL;
    if (ramfsp_charge(rfs, len) != ST_OK)
        return ST_NO_SPACE;
    ramfs_dirent_t *de = malloc(sizeof(*de) + len + 1);
    if (!de) {
        ramfsp_uncharge(rfs, len);
        return ST_NO_MEMORY;
    }
    de->seq = 0;
    de->node = NULL;
    de->len = (uint32_t)len;
    memcpy(de->name, name, len + 1);
    *out = de;
    return ST_OK;
}

void ramfsp_dirent_free(ramfs_t *rfs, ramfs_dirent_t *de)
{
    ramfsp_uncharge(rfs, de->len);
    free(de);
}

void ramfsp_dir_insert(ramfs_node_t *dir, ramfs_dirent_t *de)
{
    bool found;
    size_t i = name_bound(dir, de->name, &found);
    size_t n = dir->u.dir.n;

    memmove(&dir->u.dir.by_name[i + 1], &dir->u.dir.by_name[i], (n - i) * sizeof(de));
    dir->u.dir.by_name[i] = de;
    de->seq = dir->u.dir.next_seq++;
    dir->u.dir.by_seq[n] = de;
    dir->u.dir.n = n + 1;
}

void ramfsp_dir_remove(ramfs_node_t *dir, ramfs_dirent_t *de)
{
    bool found;
    size_t n = dir->u.dir.n;
    size_t i = name_bound(dir, de->name, &found);
    size_t j = seq_after(dir, de->seq - 1);

    if (!found || j >= n || dir->u.dir.by_seq[j] != de)
        return; /* not in this directory: the callers never do this */
    memmove(&dir->u.dir.by_name[i], &dir->u.dir.by_name[i + 1], (n - i - 1) * sizeof(de));
    memmove(&dir->u.dir.by_seq[j], &dir->u.dir.by_seq[j + 1], (n - j - 1) * sizeof(de));
    dir->u.dir.n = n - 1;
}

/* Frees the tables and the entries (not the nodes they name: destroy frees
 * every node from the instance's list). */
void ramfsp_dir_free(ramfs_t *rfs, ramfs_node_t *dir)
{
    for (size_t i = 0; i < dir->u.dir.n; i++)
        ramfsp_dirent_free(rfs, dir->u.dir.by_name[i]);
    free(dir->u.dir.by_name);
    free(dir->u.dir.by_seq);
    dir->u.dir.by_name = dir->u.dir.by_seq = NULL;
    dir->u.dir.n = dir->u.dir.cap = 0;
}

int ramfsp_lookup(fs_node_t *node, const char *name, fs_node_t **out)
{
    ramfs_node_t *dir = ramfsp_node(node), *found;

    /* A removed directory is empty for good, ".." included. */
    if (!dir->u.dir.parent)
        return ST_NOT_FOUND;
    if (strcmp(name, ".") == 0) {
        found = dir;
    } else if (strcmp(name, "..") == 0) {
        found = dir->u.dir.parent;
    } else {
        ramfs_dirent_t *de = ramfsp_dir_find(dir, name);
        if (!de)
            return ST_NOT_FOUND;
        found = de->node;
    }
    fs_node_ref(&found->node);
    *out = &found->node;
    return ST_OK;
}

static void fill(fs_dirent_t *ent, const char *name, size_t len, const ramfs_node_t *n)
{
    ent->ino = n->node.ino;
    ent->type = n->node.type;
    ent->namelen = (uint32_t)len;
    memcpy(ent->name, name, len);
    ent->name[len] = '\0';
}

int ramfsp_readdir(fs_node_t *node, uint64_t *cookie, fs_dirent_t *ent)
{
    ramfs_node_t *dir = ramfsp_node(node);

    if (!dir->u.dir.parent)
        return ST_END_OF_FILE;
    dir->atime = ramfsp_now(ramfsp_fs(dir));
    if (*cookie == 0) {
        fill(ent, ".", 1, dir);
        *cookie = 1;
        return ST_OK;
    }
    if (*cookie == 1) {
        fill(ent, "..", 2, dir->u.dir.parent);
        *cookie = 2;
        return ST_OK;
    }
    size_t i = seq_after(dir, *cookie);
    if (i >= dir->u.dir.n)
        return ST_END_OF_FILE;
    ramfs_dirent_t *de = dir->u.dir.by_seq[i];
    fill(ent, de->name, de->len, de->node);
    *cookie = de->seq;
    return ST_OK;
}
