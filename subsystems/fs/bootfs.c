/*
 * bootfs: the read-only boot image as a file system (see <fs/bootfs.h>).
 *
 * All nodes are made at mount, one per entry of the image plus the root,
 * in an array indexed like the entries (the root last), so a node is
 * found from an entry index in constant time and nodes never come and go.
 * A set of hard links (file entries with the same data range) is served
 * by the node of its first entry, its "canonical" one: every entry
 * records which that is.
 *
 * Names are looked up by building "<directory path>/<name>" and asking the
 * reader, which binary-searches the sorted entry table. Directories cannot
 * be hard links, so a directory node's path is its entry's path.
 *
 * The instance's scratch buffer holds those paths: the library is
 * single-threaded, and it saves an allocation per lookup.
 *
 * Entry points: bootfs_create(), bootfs_file_info(); the rest is reached
 * through the ops table.
 */
#include <stdlib.h>
#include <string.h>

#include <fs/bootfs.h>
#include <loader/bootimg.h>

typedef struct bootfs_node {
    fs_node_t node;
    uint32_t index; /* entry index, LDR_BOOTIMG_ROOT for the root */
    uint32_t canon; /* position in nodes[] of the node serving this entry */
    uint32_t nlink;
} bootfs_node_t;

typedef struct bootfs {
    fs_t fs;
    ldr_bootimg_t img;
    bootfs_node_t *nodes; /* img.count + 1, the root last */
    uint64_t inodes;      /* distinct nodes */
    char *scratch;        /* SCRATCH_SIZE bytes */
} bootfs_t;

#define SCRATCH_SIZE (LDR_BOOTIMG_PATH_MAX + FS_NAME_MAX + 2)

static const fs_ops_t bootfs_ops;

static bootfs_t *fs_of(const fs_node_t *node)
{
    return (bootfs_t *)node->fs;
}

static bootfs_node_t *bnode(fs_node_t *node)
{
    return (bootfs_node_t *)node;
}

static bootfs_node_t *root_of(bootfs_t *b)
{
    return &b->nodes[b->img.count];
}

/* The node serving entry `index`. */
static bootfs_node_t *node_of(bootfs_t *b, uint32_t index)
{
    return &b->nodes[b->nodes[index].canon];
}

/* The image entry behind a node (the root gets a synthesised one). */
static void entry(bootfs_t *b, const bootfs_node_t *n, ldr_bootimg_ent_t *ent)
{
    if (n->index == LDR_BOOTIMG_ROOT)
        ldr_bootimg_lookup(&b->img, "/", ent);
    else
        ldr_bootimg_get(&b->img, n->index, ent);
}

/* The directory holding the entry at `path` (absolute, validated). */
static bootfs_node_t *parent_of(bootfs_t *b, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t len = (size_t)(slash - path);
    ldr_bootimg_ent_t ent;

    if (len == 0 || len >= SCRATCH_SIZE)
        return root_of(b);
    memcpy(b->scratch, path, len);
    b->scratch[len] = '\0';
    if (ldr_bootimg_lookup(&b->img, b->scratch, &ent) != LDR_OK || ent.index == LDR_BOOTIMG_ROOT)
        return root_of(b); /* cannot happen in a validated image */
    return node_of(b, ent.index);
}

/* The node named `name` in directory d; NULL when there is none. */
static bootfs_node_t *child(bootfs_t *b, bootfs_node_t *d, const char *name)
{
    ldr_bootimg_ent_t dent, ent;

    if (strcmp(name, ".") == 0)
        return d;
    entry(b, d, &dent);
    if (strcmp(name, "..") == 0)
        return d->index == LDR_BOOTIMG_ROOT ? d : parent_of(b, dent.path);

    size_t dlen = d->index == LDR_BOOTIMG_ROOT ? 0 : strlen(dent.path);
    size_t nlen = strlen(name);
    if (dlen + 1 + nlen >= LDR_BOOTIMG_PATH_MAX)
        return NULL; /* longer than any path the image can hold */
    memcpy(b->scratch, dent.path, dlen);
    b->scratch[dlen] = '/';
    memcpy(b->scratch + dlen + 1, name, nlen + 1);
    if (ldr_bootimg_lookup(&b->img, b->scratch, &ent) != LDR_OK || ent.index == LDR_BOOTIMG_ROOT)
        return NULL;
    return node_of(b, ent.index);
}

static int bootfs_lookup(fs_node_t *dir, const char *name, fs_node_t **out)
{
    bootfs_node_t *n = child(fs_of(dir), bnode(dir), name);

    if (!n)
        return ST_NOT_FOUND;
    fs_node_ref(&n->node);
    *out = &n->node;
    return ST_OK;
}

/* What the image says about a name that a caller wants to add or remove. */
static bool exists(fs_node_t *dir, const char *name)
{
    return child(fs_of(dir), bnode(dir), name) != NULL;
}

static int bootfs_make(fs_node_t *dir, const char *name, uint32_t mode, fs_node_t **out)
{
    (void)mode;
    (void)out;
    return exists(dir, name) ? ST_EXISTS : ST_READ_ONLY;
}

static int bootfs_symlink(fs_node_t *dir, const char *name, const char *target, fs_node_t **out)
{
    (void)target;
    (void)out;
    return exists(dir, name) ? ST_EXISTS : ST_READ_ONLY;
}

static int bootfs_mknod(fs_node_t *dir, const char *name, uint32_t type, uint32_t mode,
                        fs_node_t **out)
{
    (void)type, (void)mode, (void)out;
    return exists(dir, name) ? ST_EXISTS : ST_READ_ONLY;
}

static int bootfs_link(fs_node_t *dir, const char *name, fs_node_t *target)
{
    (void)target;
    return exists(dir, name) ? ST_EXISTS : ST_READ_ONLY;
}

static int bootfs_remove(fs_node_t *dir, const char *name)
{
    return exists(dir, name) ? ST_READ_ONLY : ST_NOT_FOUND;
}

static int bootfs_rename(fs_node_t *odir, const char *oname, fs_node_t *ndir, const char *nname)
{
    (void)ndir;
    (void)nname;
    return exists(odir, oname) ? ST_READ_ONLY : ST_NOT_FOUND;
}

static int bootfs_readlink(fs_node_t *node, char *buf, size_t size, size_t *len)
{
    ldr_bootimg_ent_t ent;

    entry(fs_of(node), bnode(node), &ent);
    memcpy(buf, ent.data, size < ent.size ? size : (size_t)ent.size);
    *len = (size_t)ent.size;
    return ST_OK;
}

static int bootfs_read(fs_node_t *node, uint64_t off, void *buf, size_t len, size_t *done)
{
    ldr_bootimg_ent_t ent;

    entry(fs_of(node), bnode(node), &ent);
    if (off >= ent.size)
        return ST_OK;
    if (len > ent.size - off)
        len = (size_t)(ent.size - off);
    memcpy(buf, (const uint8_t *)ent.data + off, len);
    *done = len;
    return ST_OK;
}

static int bootfs_write(fs_node_t *node, uint64_t off, const void *buf, size_t len, size_t *done)
{
    (void)node;
    (void)off;
    (void)buf;
    (void)len;
    (void)done;
    return ST_READ_ONLY;
}

static int bootfs_truncate(fs_node_t *node, uint64_t size)
{
    (void)node;
    (void)size;
    return ST_READ_ONLY;
}

static int bootfs_set_times(fs_node_t *node, int64_t atime, int64_t mtime)
{
    (void)node;
    (void)atime;
    (void)mtime;
    return ST_READ_ONLY;
}

static int bootfs_chmod(fs_node_t *node, uint32_t mode)
{
    (void)node;
    (void)mode;
    return ST_READ_ONLY;
}

static const uint32_t type_bits[] = {
    [FS_TYPE_REG] = FS_S_IFREG,
    [FS_TYPE_DIR] = FS_S_IFDIR,
    [FS_TYPE_LNK] = FS_S_IFLNK,
};

static int bootfs_stat(fs_node_t *node, fs_stat_t *st)
{
    bootfs_node_t *n = bnode(node);
    ldr_bootimg_ent_t ent;

    entry(fs_of(node), n, &ent);
    st->ino = node->ino;
    st->mode = type_bits[node->type] | ent.mode;
    st->nlink = n->nlink;
    st->size = ent.size;
    st->blocks = (ent.size + 511) / 512;
    st->blksize = BOOTIMG_ALIGN;
    return ST_OK;
}

static void fill(fs_dirent_t *ent, const char *name, const fs_node_t *n)
{
    size_t len = strlen(name);

    ent->ino = n->ino;
    ent->type = n->type;
    ent->namelen = (uint32_t)len;
    memcpy(ent->name, name, len + 1);
}

/* Cookies: 0 the start, 1 after ".", 2 after ".."; past that, the reader's
 * child cursor plus 2. */
static int bootfs_readdir(fs_node_t *dir, uint64_t *cookie, fs_dirent_t *ent)
{
    bootfs_t *b = fs_of(dir);
    bootfs_node_t *d = bnode(dir);
    ldr_bootimg_ent_t dent, e;

    if (*cookie == 0) {
        fill(ent, ".", dir);
        *cookie = 1;
        return ST_OK;
    }
    entry(b, d, &dent);
    if (*cookie == 1) {
        bootfs_node_t *p = d->index == LDR_BOOTIMG_ROOT ? d : parent_of(b, dent.path);
        fill(ent, "..", &p->node);
        *cookie = 2;
        return ST_OK;
    }
    /* A cookie no readdir gave out finds nothing, as the reader checks each
     * entry it starts from against the directory. */
    if (*cookie - 2 > b->img.count)
        return ST_END_OF_FILE;
    uint32_t cursor = (uint32_t)(*cookie - 2);
    if (ldr_bootimg_next_child(&b->img, dent.path, &cursor, &e) != LDR_OK) {
        *cookie = (uint64_t)b->img.count + 2;
        return ST_END_OF_FILE;
    }
    fill(ent, strrchr(e.path, '/') + 1, &node_of(b, e.index)->node);
    *cookie = (uint64_t)cursor + 2;
    return ST_OK;
}

static int bootfs_statfs(fs_t *fs, fs_statfs_t *st)
{
    bootfs_t *b = (bootfs_t *)fs;

    st->total_bytes = b->img.size;
    st->total_inodes = b->inodes;
    st->block_size = BOOTIMG_ALIGN;
    st->name_max = FS_NAME_MAX;
    st->flags = FS_STATFS_READ_ONLY;
    memcpy(st->type, "bootfs", sizeof("bootfs"));
    return ST_OK;
}

static void bootfs_release(fs_node_t *node)
{
    (void)node; /* nodes live as long as the instance */
}

static void bootfs_destroy(fs_t *fs)
{
    bootfs_t *b = (bootfs_t *)fs;

    free(b->nodes);
    free(b->scratch);
    free(b);
}

static const fs_ops_t bootfs_ops = {
    .lookup = bootfs_lookup,
    .create = bootfs_make,
    .mkdir = bootfs_make,
    .symlink = bootfs_symlink,
    .mknod = bootfs_mknod,
    .readlink = bootfs_readlink,
    .link = bootfs_link,
    .unlink = bootfs_remove,
    .rmdir = bootfs_remove,
    .rename = bootfs_rename,
    .read = bootfs_read,
    .write = bootfs_write,
    .truncate = bootfs_truncate,
    .stat = bootfs_stat,
    .set_times = bootfs_set_times,
    .chmod = bootfs_chmod,
    .readdir = bootfs_readdir,
    .statfs = bootfs_statfs,
    .release = bootfs_release,
    .destroy = bootfs_destroy,
};

typedef struct data_key {
    uint64_t offset, size;
    uint32_t index;
} data_key_t;

static int by_data(const void *a, const void *b)
{
    const data_key_t *x = a, *y = b;

    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    if (x->size != y->size)
        return x->size < y->size ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Groups file entries with the same data range under their first entry. */
static int find_hard_links(bootfs_t *b)
{
    uint32_t count = b->img.count, n = 0;
    data_key_t *keys = malloc(((size_t)count + 1) * sizeof(*keys));
    ldr_bootimg_ent_t ent;

    if (!keys)
        return ST_NO_MEMORY;
    for (uint32_t i = 0; i < count; i++) {
        ldr_bootimg_get(&b->img, i, &ent);
        if (ent.type == BOOTIMG_FILE && ent.size > 0)
            keys[n++] = (data_key_t){ent.data_offset, ent.size, i};
    }
    qsort(keys, n, sizeof(*keys), by_data);
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i + 1;
        while (j < n && keys[j].offset == keys[i].offset && keys[j].size == keys[i].size) {
            b->nodes[keys[j].index].canon = keys[i].index;
            b->inodes--;
            j++;
        }
        b->nodes[keys[i].index].nlink = j - i;
        i = j;
    }
    free(keys);
    return ST_OK;
}

int bootfs_create(const void *image, size_t size, fs_t **out, const char **why)
{
    const char *dummy;
    ldr_bootimg_t img;

    *out = NULL;
    if (!why)
        why = &dummy;
    if (!image || ldr_bootimg_open(image, size, &img, why) != LDR_OK)
        return ST_BAD_IMAGE;
    /* The root takes the slot after the last entry; on a 64-bit size_t the
     * node array's size cannot overflow. */
    _Static_assert(SIZE_MAX / sizeof(bootfs_node_t) > UINT32_MAX, "node array size");
    if (img.count >= UINT32_MAX - 1) {
        *why = "boot image has too many entries";
        return ST_BAD_IMAGE;
    }

    bootfs_t *b = calloc(1, sizeof(*b));
    if (b) {
        b->nodes = calloc((size_t)img.count + 1, sizeof(bootfs_node_t));
        b->scratch = malloc(SCRATCH_SIZE);
    }
    if (!b || !b->nodes || !b->scratch) {
        if (b)
            bootfs_destroy(&b->fs);
        return ST_NO_MEMORY;
    }
    b->fs.ops = &bootfs_ops;
    b->img = img;
    b->inodes = (uint64_t)img.count + 1;

    ldr_bootimg_ent_t ent;
    for (uint32_t i = 0; i <= img.count; i++) {
        bootfs_node_t *n = &b->nodes[i];
        n->node.fs = &b->fs;
        n->canon = i;
        if (i == img.count) {
            n->index = LDR_BOOTIMG_ROOT;
            n->node.ino = 1;
            n->node.type = FS_TYPE_DIR;
        } else {
            ldr_bootimg_get(&img, i, &ent);
            n->index = i;
            n->node.ino = (uint64_t)i + 2;
            n->node.type = ent.type; /* enum bootimg_type and enum fs_type agree */
        }
        n->nlink = n->node.type == FS_TYPE_DIR ? 2 : 1;
    }
    if (find_hard_links(b) != ST_OK) {
        bootfs_destroy(&b->fs);
        return ST_NO_MEMORY;
    }
    for (uint32_t i = 0; i < img.count; i++) {
        if (b->nodes[i].node.type != FS_TYPE_DIR)
            continue;
        ldr_bootimg_get(&img, i, &ent);
        parent_of(b, ent.path)->nlink++;
    }
    b->fs.root = &root_of(b)->node;
    *out = &b->fs;
    return ST_OK;
}

int bootfs_file_info(fs_node_t *node, const void **data, uint64_t *size, uint16_t *personality)
{
    ldr_bootimg_ent_t ent;

    if (!node || node->fs->ops != &bootfs_ops || node->type != FS_TYPE_REG)
        return ST_INVALID_ARGUMENT;
    entry(fs_of(node), bnode(node), &ent);
    if (data)
        *data = ent.data;
    if (size)
        *size = ent.size;
    if (personality)
        *personality = ent.personality;
    return ST_OK;
}
