/*
 * Internal interface of ramfs, split by concern: the instance, node life
 * and attributes (ramfs.c), directory tables and the namespace operations
 * (ramfs_dir.c, ramfs_ns.c), file data (ramfs_file.c).
 *
 * A node is freed when it has neither links nor references (nlink == 0 and
 * node.refs == 0): ramfsp_node_put() is called whenever either drops.
 */
#ifndef FS_RAMFS_PRIV_H
#define FS_RAMFS_PRIV_H

#include <fs/ramfs.h>

typedef struct ramfs_node ramfs_node_t;

typedef struct ramfs_page {
    uint64_t index; /* offset / RAMFS_PAGE */
    uint8_t *data;  /* RAMFS_PAGE bytes; bytes past the file size are zero */
} ramfs_page_t;

typedef struct ramfs_dirent {
    uint64_t seq; /* readdir order: increasing, never reused within a directory */
    ramfs_node_t *node;
    uint32_t len;
    char name[]; /* NUL-terminated */
} ramfs_dirent_t;

struct ramfs_node {
    fs_node_t node;            /* first: the VFS sees this */
    ramfs_node_t *next, *prev; /* every node of the instance, for destroy */
    uint32_t mode;             /* permission bits */
    uint32_t nlink;
    int64_t atime, mtime, ctime;
    union {
        struct {
            ramfs_page_t *pages; /* sorted by index; absent pages are holes */
            size_t npages, cap;
            uint64_t size;
        } file;
        struct {
            ramfs_dirent_t **by_name; /* sorted by name bytes: lookup */
            ramfs_dirent_t **by_seq;  /* sorted by seq: readdir */
            size_t n, cap;            /* both arrays hold the same n entries */
            uint64_t next_seq;
            /* The directory holding this one (the root: itself); NULL once
             * removed. Never dangles: a directory with children cannot go. */
            ramfs_node_t *parent;
        } dir;
        struct {
            char *target;
            size_t len;
        } link;
    } u;
};

typedef struct ramfs {
    fs_t fs; /* first */
    ramfs_node_t *all;
    uint64_t max_bytes, used_bytes; /* max_bytes UINT64_MAX when unlimited */
    uint64_t max_inodes, inodes;
    uint64_t next_ino;
    int64_t (*now)(void *ctx);
    void *now_ctx;
} ramfs_t;

static inline ramfs_node_t *ramfsp_node(fs_node_t *n)
{
    return (ramfs_node_t *)n;
}

static inline ramfs_t *ramfsp_fs(const ramfs_node_t *n)
{
    return (ramfs_t *)n->node.fs;
}

extern const fs_ops_t ramfsp_ops;

/* ramfs.c */
int64_t ramfsp_now(ramfs_t *rfs);
/* ST_NO_SPACE unless `bytes` more fit under the limit; then they are used. */
int ramfsp_charge(ramfs_t *rfs, uint64_t bytes);
void ramfsp_uncharge(ramfs_t *rfs, uint64_t bytes);
/* A new node with one reference and no links; ST_NO_SPACE, ST_NO_MEMORY. */
int ramfsp_node_new(ramfs_t *rfs, uint32_t type, uint32_t mode, ramfs_node_t **out);
/* Frees the node if it has neither links nor references. */
void ramfsp_node_put(ramfs_node_t *n);
/* Marks modification: mtime and ctime. */
void ramfsp_touch(ramfs_node_t *n, int64_t now);

/* ramfs_dir.c: directory tables. */
ramfs_dirent_t *ramfsp_dir_find(const ramfs_node_t *dir, const char *name);
/* Room for one more entry, allocated now so that the insert cannot fail. */
int ramfsp_dir_reserve(ramfs_node_t *dir);
/* A new entry for `name`, its bytes charged; ST_NO_SPACE, ST_NO_MEMORY. */
int ramfsp_dirent_new(ramfs_t *rfs, const char *name, ramfs_dirent_t **out);
void ramfsp_dirent_free(ramfs_t *rfs, ramfs_dirent_t *de);
/* Needs a ramfsp_dir_reserve() first; gives `de` the next seq. */
void ramfsp_dir_insert(ramfs_node_t *dir, ramfs_dirent_t *de);
/* Takes `de` out of the tables (it is not freed). */
void ramfsp_dir_remove(ramfs_node_t *dir, ramfs_dirent_t *de);
void ramfsp_dir_free(ramfs_t *rfs, ramfs_node_t *dir);
int ramfsp_lookup(fs_node_t *dir, const char *name, fs_node_t **out);
int ramfsp_readdir(fs_node_t *dir, uint64_t *cookie, fs_dirent_t *ent);

/* ramfs_ns.c: operations on names. */
int ramfsp_create(fs_node_t *dir, const char *name, uint32_t mode, fs_node_t **out);
int ramfsp_mkdir(fs_node_t *dir, const char *name, uint32_t mode, fs_node_t **out);
int ramfsp_symlink(fs_node_t *dir, const char *name, const char *target, fs_node_t **out);
int ramfsp_mknod(fs_node_t *dir, const char *name, uint32_t type, uint32_t mode, fs_node_t **out);
int ramfsp_link(fs_node_t *dir, const char *name, fs_node_t *target);
int ramfsp_unlink(fs_node_t *dir, const char *name);
int ramfsp_rmdir(fs_node_t *dir, const char *name);
int ramfsp_rename(fs_node_t *odir, const char *oname, fs_node_t *ndir, const char *nname);

/* ramfs_file.c: file data. */
int ramfsp_read(fs_node_t *node, uint64_t off, void *buf, size_t len, size_t *done);
int ramfsp_write(fs_node_t *node, uint64_t off, const void *buf, size_t len, size_t *done);
int ramfsp_truncate(fs_node_t *node, uint64_t size);
void ramfsp_file_free(ramfs_t *rfs, ramfs_node_t *f);

#endif
