/*
 * populate: copies a tree from one file system into another, through the
 * node layer, so any pair of file systems works. At boot it copies the
 * boot image's /run into a writable ramfs.
 *
 * The walk is depth-first with an explicit stack of directories (bounded
 * by POPULATE_DEPTH), each frame holding its readdir cookie, so neither
 * the depth of the tree nor its size grows the C stack. A directory's
 * mode and times, read before it is listed, are set when its frame is
 * popped, after its children have stopped changing its mtime.
 *
 * Files keep their holes: all-zero blocks are not written and the size is
 * set at the end. Files with several links are remembered by source inode
 * number so that their other names become links to the first copy.
 *
 * Entry point: fs_populate().
 */
#include <stdlib.h>
#include <string.h>

#include <fs/vfs.h>

#define POPULATE_DEPTH 256
#define CHUNK          4096

typedef struct frame {
    fs_node_t *src, *dst; /* referenced */
    uint64_t cookie;
    /* The source's attributes before the copy reads it (and moves its atime). */
    uint32_t mode;
    int64_t atime, mtime;
} frame_t;

typedef struct link_map {
    uint64_t ino;   /* in the source */
    fs_node_t *dst; /* referenced */
} link_map_t;

typedef struct copier {
    frame_t *stack;
    int depth;
    link_map_t *links;
    size_t nlinks, cap;
    uint8_t *buf; /* FS_PATH_MAX bytes: file data, link targets */
} copier_t;

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static int copy_data(copier_t *c, fs_node_t *src, fs_node_t *dst, uint64_t size)
{
    size_t done, wrote;

    for (uint64_t off = 0; off < size; off += done) {
        int rc = fs_read(src, off, c->buf, CHUNK, &done);
        if (rc != ST_OK)
            return rc;
        if (done == 0)
            break; /* the source shrank under us: stop at its end */
        if (!all_zero(c->buf, done)) {
            rc = fs_write(dst, off, c->buf, done, &wrote);
            if (rc != ST_OK)
                return rc;
        }
    }
    return fs_truncate(dst, size);
}

static fs_node_t *linked(const copier_t *c, uint64_t ino)
{
    for (size_t i = 0; i < c->nlinks; i++)
        if (c->links[i].ino == ino)
            return c->links[i].dst;
    return NULL;
}

static int remember(copier_t *c, uint64_t ino, fs_node_t *dst)
{
    if (c->nlinks == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        link_map_t *l = realloc(c->links, cap * sizeof(*l));
        if (!l)
            return ST_NO_MEMORY;
        c->links = l;
        c->cap = cap;
    }
    fs_node_ref(dst);
    c->links[c->nlinks++] = (link_map_t){ino, dst};
    return ST_OK;
}

static int copy_file(copier_t *c, fs_node_t *dir, const char *name, fs_node_t *src,
                     const fs_stat_t *st)
{
    fs_node_t *dst = st->nlink > 1 ? linked(c, st->ino) : NULL;

    if (dst)
        return fs_link(dir, name, dst);
    int rc = fs_create(dir, name, st->mode & FS_S_PERM, &dst);
    if (rc == ST_OK)
        rc = copy_data(c, src, dst, st->size);
    if (rc == ST_OK)
        rc = fs_set_times(dst, st->atime, st->mtime);
    if (rc == ST_OK && st->nlink > 1)
        rc = remember(c, st->ino, dst);
    fs_node_release(dst);
    return rc;
}

/* A node just made (rc) gets the source's times, and is let go. */
static int with_times(int rc, fs_node_t *dst, const fs_stat_t *st)
{
    if (rc == ST_OK)
        rc = fs_set_times(dst, st->atime, st->mtime);
    fs_node_release(dst);
    return rc;
}

static int copy_symlink(copier_t *c, fs_node_t *dir, const char *name, fs_node_t *src,
                        const fs_stat_t *st)
{
    fs_node_t *dst = NULL;
    size_t len;

    int rc = fs_readlink(src, (char *)c->buf, FS_PATH_MAX - 1, &len);
    if (rc != ST_OK)
        return rc;
    if (len >= FS_PATH_MAX)
        return ST_NAME_TOO_LONG;
    c->buf[len] = '\0';
    rc = fs_symlink(dir, name, (const char *)c->buf, &dst);
    return with_times(rc, dst, st);
}

static int copy_fifo(fs_node_t *dir, const char *name, const fs_stat_t *st)
{
    fs_node_t *dst = NULL;
    int rc = fs_mknod(dir, name, FS_TYPE_FIFO, st->mode & FS_S_PERM, &dst);

    return with_times(rc, dst, st);
}

/* The directory `name` in dir, made if missing; an existing one is merged. */
static int enter_dir(fs_node_t *dir, const char *name, const fs_stat_t *st, fs_node_t **out)
{
    int rc = fs_mkdir(dir, name, st->mode & FS_S_PERM, out);

    if (rc != ST_EXISTS)
        return rc;
    rc = fs_lookup(dir, name, out);
    if (rc == ST_OK && (*out)->type != FS_TYPE_DIR) {
        fs_node_release(*out);
        *out = NULL;
        return ST_EXISTS;
    }
    return rc;
}

static frame_t frame(fs_node_t *src, fs_node_t *dst, const fs_stat_t *st)
{
    return (frame_t){src, dst, 0, st->mode & FS_S_PERM, st->atime, st->mtime};
}

/* Gives a copied directory its source's mode and times. */
static int finish_dir(const frame_t *f)
{
    int rc = fs_chmod(f->dst, f->mode);

    if (rc == ST_OK)
        rc = fs_set_times(f->dst, f->atime, f->mtime);
    return rc;
}

/* One entry of the top frame's directory. */
static int copy_entry(copier_t *c, const char *name)
{
    frame_t *f = &c->stack[c->depth - 1];
    fs_node_t *src = NULL, *dst = NULL;
    fs_stat_t st;

    int rc = fs_lookup(f->src, name, &src);
    if (rc == ST_OK)
        rc = fs_stat(src, &st);
    if (rc != ST_OK)
        goto out;
    switch (src->type) {
    case FS_TYPE_REG:
        rc = copy_file(c, f->dst, name, src, &st);
        break;
    case FS_TYPE_LNK:
        rc = copy_symlink(c, f->dst, name, src, &st);
        break;
    case FS_TYPE_FIFO:
        rc = copy_fifo(f->dst, name, &st);
        break;
    case FS_TYPE_DIR:
        if (c->depth == POPULATE_DEPTH) {
            rc = ST_LIMIT;
            break;
        }
        rc = enter_dir(f->dst, name, &st, &dst);
        if (rc == ST_OK) {
            c->stack[c->depth++] = frame(src, dst, &st);
            src = dst = NULL; /* the frame holds them now */
        }
        break;
    default:
        rc = ST_INVALID_ARGUMENT;
        break;
    }
out:
    fs_node_release(src);
    fs_node_release(dst);
    return rc;
}

int fs_populate(fs_node_t *src_dir, fs_node_t *dst_dir)
{
    copier_t c = {0};
    fs_dirent_t *ent;
    fs_stat_t st;

    if (src_dir->type != FS_TYPE_DIR || dst_dir->type != FS_TYPE_DIR)
        return ST_NOT_DIRECTORY;
    /* Within one file system the copy could land inside what it copies. */
    if (src_dir->fs == dst_dir->fs)
        return ST_INVALID_ARGUMENT;
    c.stack = malloc(POPULATE_DEPTH * sizeof(*c.stack));
    c.buf = malloc(FS_PATH_MAX);
    ent = malloc(sizeof(*ent));
    int rc = (c.stack && c.buf && ent) ? ST_OK : ST_NO_MEMORY;
    if (rc == ST_OK)
        rc = fs_stat(src_dir, &st);
    if (rc == ST_OK) {
        fs_node_ref(src_dir);
        fs_node_ref(dst_dir);
        c.stack[c.depth++] = frame(src_dir, dst_dir, &st);
    }

    while (rc == ST_OK && c.depth > 0) {
        frame_t *f = &c.stack[c.depth - 1];
        rc = fs_readdir(f->src, &f->cookie, ent);
        if (rc == ST_END_OF_FILE) {
            rc = finish_dir(f);
            fs_node_release(f->src);
            fs_node_release(f->dst);
            c.depth--;
        } else if (rc == ST_OK && strcmp(ent->name, ".") != 0 && strcmp(ent->name, "..") != 0) {
            rc = copy_entry(&c, ent->name);
        }
    }

    while (c.depth > 0) {
        c.depth--;
        fs_node_release(c.stack[c.depth].src);
        fs_node_release(c.stack[c.depth].dst);
    }
    for (size_t i = 0; i < c.nlinks; i++)
        fs_node_release(c.links[i].dst);
    free(c.links);
    free(c.stack);
    free(c.buf);
    free(ent);
    return rc;
}
