/*
 * mkbootimg's tree of entries and the layout of the image.
 *
 * Entries are collected in command-line order, with missing parents added
 * as they are needed; hard links and --mode are resolved at the end, when
 * every entry exists. tree_build() then sorts by path (the order the
 * reader requires), places the tables after the header and each file's
 * data on its own 4096-byte boundary, and fills in the checksum.
 *
 * Entry points: tree_add_file(), tree_add_dir(), tree_add_link(),
 * tree_add_symlink(), tree_set_mode(), tree_build(), tree_print().
 */
#include <stdlib.h>
#include <string.h>

#include <loader/crc32.h>

#include "mkbootimg.h"

/* The reader's rules, so that a bad path is refused with its name here
 * rather than as a bad image at the end. */
static void check_path(const char *path)
{
    size_t len = strlen(path);

    if (len >= LDR_BOOTIMG_PATH_MAX)
        die("'%s': path is longer than %d bytes", path, LDR_BOOTIMG_PATH_MAX - 1);
    if (!ldr_bootimg_path_ok(path, len))
        die("'%s': image paths are absolute, without empty, '.' or '..' components or a "
            "trailing '/', and not '/' itself",
            path);
}

static node_t *find(tree_t *t, const char *path)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->nodes[i].path, path) == 0)
            return &t->nodes[i];
    return NULL;
}

/* Adds the directories above `path`, outermost first. */
static void add_parents(tree_t *t, const char *path)
{
    char *dir = strdup(path);

    if (!dir)
        die("out of memory");
    char *slash = strrchr(dir, '/');
    if (slash != dir) {
        *slash = '\0';
        tree_add_dir(t, dir);
    }
    free(dir);
}

static node_t *add_node(tree_t *t, char *path, uint16_t type)
{
    check_path(path);
    if (find(t, path))
        die("'%s' is given twice", path);
    add_parents(t, path);
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->nodes = realloc(t->nodes, t->cap * sizeof(node_t));
        if (!t->nodes)
            die("out of memory");
    }
    node_t *n = &t->nodes[t->n++];
    memset(n, 0, sizeof(*n));
    n->path = path;
    n->type = type;
    n->src = path;
    return n;
}

void tree_add_dir(tree_t *t, const char *path)
{
    node_t *old = find(t, path);

    if (old) {
        if (old->type != BOOTIMG_DIR)
            die("'%s' is needed as a directory but is already a file or link", path);
        return;
    }
    char *copy = strdup(path);
    if (!copy)
        die("out of memory");
    node_t *n = add_node(t, copy, BOOTIMG_DIR);
    n->mode = 0755;
}

void tree_add_file(tree_t *t, char *dest, const char *src, unsigned char *data, size_t size,
                   uint32_t mode)
{
    uint16_t pers = classify(src, dest, data, size);
    node_t *n = add_node(t, dest, BOOTIMG_FILE);

    n->src = src;
    n->data = data;
    n->size = size;
    n->mode = mode;
    n->personality = pers;
}

void tree_add_link(tree_t *t, char *dest, char *existing)
{
    node_t *n = add_node(t, dest, BOOTIMG_FILE);

    n->link_to = existing;
    n->mode = 0644;
}

void tree_add_symlink(tree_t *t, char *dest, const char *target)
{
    size_t len = strlen(target);

    if (len > 4095)
        die("--symlink %s: target is longer than 4095 bytes", dest);
    node_t *n = add_node(t, dest, BOOTIMG_SYMLINK);
    n->data = (unsigned char *)strdup(target);
    if (!n->data)
        die("out of memory");
    n->size = len;
    n->mode = 0777;
}

void tree_set_mode(tree_t *t, const char *path, uint32_t mode)
{
    t->modes = realloc(t->modes, (t->nmodes + 1) * sizeof(mode_req_t));
    if (!t->modes)
        die("out of memory");
    t->modes[t->nmodes].path = strdup(path);
    t->modes[t->nmodes].mode = mode;
    t->nmodes++;
}

static void resolve(tree_t *t)
{
    for (size_t i = 0; i < t->n; i++) {
        node_t *n = &t->nodes[i];
        if (!n->link_to)
            continue;
        node_t *target = find(t, n->link_to);
        if (!target || target->type != BOOTIMG_FILE || target->link_to)
            die("--link %s=%s: the target must be a file added with --map", n->path, n->link_to);
        n->data = target->data;
        n->size = target->size;
        n->mode = target->mode;
        n->personality = target->personality;
        n->src = target->src;
    }
    for (size_t i = 0; i < t->nmodes; i++) {
        node_t *n = find(t, t->modes[i].path);
        if (!n)
            die("--mode %s: no such entry", t->modes[i].path);
        n->mode = t->modes[i].mode;
    }
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const node_t *)a)->path, ((const node_t *)b)->path);
}

static uint64_t align_up(uint64_t x)
{
    return (x + BOOTIMG_ALIGN - 1) / BOOTIMG_ALIGN * BOOTIMG_ALIGN;
}

static void put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(unsigned char *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

/* Hard links share the data of their target: only the first of a set of
 * nodes with the same buffer gets space. */
static uint64_t place_data(tree_t *t, uint64_t cursor)
{
    for (size_t i = 0; i < t->n; i++) {
        node_t *n = &t->nodes[i];
        if (n->size == 0 || n->data_offset)
            continue;
        n->data_offset = cursor;
        for (size_t j = i + 1; j < t->n; j++)
            if (t->nodes[j].data == n->data)
                t->nodes[j].data_offset = cursor;
        cursor = align_up(cursor + n->size);
    }
    return cursor;
}

unsigned char *tree_build(tree_t *t, size_t *size)
{
    resolve(t);
    qsort(t->nodes, t->n, sizeof(node_t), by_path);
    if (t->n > UINT32_MAX / 2)
        die("too many entries");

    uint64_t eoff = sizeof(bootimg_header_t);
    uint64_t soff = eoff + (uint64_t)t->n * sizeof(bootimg_entry_t);
    uint64_t ssize = 0;
    for (size_t i = 0; i < t->n; i++)
        ssize += strlen(t->nodes[i].path) + 1;
    if (ssize > UINT32_MAX)
        die("string table exceeds 4 GiB");
    uint64_t total = place_data(t, align_up(soff + ssize));

    unsigned char *img = xmalloc(total);
    uint64_t name = 0;
    for (size_t i = 0; i < t->n; i++) {
        const node_t *n = &t->nodes[i];
        unsigned char *e = img + eoff + i * sizeof(bootimg_entry_t);
        size_t len = strlen(n->path) + 1;

        put32(e + 0, (uint32_t)name);
        put16(e + 4, n->type);
        put16(e + 6, n->personality);
        put32(e + 8, n->mode);
        put64(e + 16, n->data_offset);
        put64(e + 24, n->size);
        memcpy(img + soff + name, n->path, len);
        name += len;
        if (n->size)
            memcpy(img + n->data_offset, n->data, n->size);
    }

    memcpy(img, BOOTIMG_MAGIC, 8);
    put32(img + 8, BOOTIMG_VERSION);
    put32(img + 12, (uint32_t)t->n);
    put64(img + 16, total);
    put64(img + 24, eoff);
    put64(img + 32, soff);
    put64(img + 40, ssize);
    put32(img + 48, ldr_crc32(ldr_crc32(0, img + eoff, soff - eoff), img + soff, ssize));
    *size = total;
    return img;
}

static const char *type_name(uint16_t type)
{
    return type == BOOTIMG_DIR ? "dir" : type == BOOTIMG_SYMLINK ? "symlink" : "file";
}

static const char *pers_name(uint16_t pers)
{
    static const char *const names[] = {"-", "native", "posix", "dos", "win16"};
    return pers < sizeof(names) / sizeof(names[0]) ? names[pers] : "?";
}

void tree_print(const ldr_bootimg_t *img, FILE *out)
{
    ldr_bootimg_ent_t e;

    for (uint32_t i = 0; ldr_bootimg_get(img, i, &e) == LDR_OK; i++)
        fprintf(out, "%04o %-7s %-6s %10llu @%-10llu %s\n", e.mode, type_name(e.type),
                pers_name(e.personality), (unsigned long long)e.size,
                (unsigned long long)e.data_offset, e.path);
}
