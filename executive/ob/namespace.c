/*
 * The object namespace: a tree of directories rooted at "\", holding named
 * objects such as ports ("\Ports\Posix"). Names are case-sensitive,
 * components are 1..63 characters without '\', and a directory lists its
 * entries in name order. Entries do not keep their objects alive: a named
 * object loses its name when it is destroyed (or explicitly, e.g. when a
 * port's server goes away).
 */
#include "mm.h"
#include "ob.h"
#include <string.h>

#define NAME_MAX_LEN 63
#define PATH_MAX_LEN 256

typedef struct ob_dir_entry {
    struct ob_dir_entry *next;
    ob_header_t *obj;
} ob_dir_entry_t;

struct ob_dir {
    ob_header_t hdr;
    ob_dir_entry_t *entries; /* sorted by name */
};

static void dir_destroy(ob_header_t *obj)
{
    /* The root and its children live for ever; nothing else is created. */
    (void)obj;
    panic("object directory destroyed");
}

const ob_type_t ob_directory_type = {
    .name = "Directory",
    .valid_rights = H_QUERY | H_DUPLICATE,
    .destroy = dir_destroy,
    .id = OBJ_DIRECTORY,
};

static ob_dir_t root;

void ob_namespace_init(void)
{
    ob_init(&root.hdr, &ob_directory_type);
    root.hdr.name = "";
}

/* Splits off the next component of *path into comp; advances *path. */
static status_t next_component(const char **path, char *comp)
{
    const char *p = *path;
    size_t n = 0;

    while (*p == '\\')
        p++;
    while (*p && *p != '\\') {
        if (n == NAME_MAX_LEN)
            return ST_NAME_TOO_LONG;
        comp[n++] = *p++;
    }
    comp[n] = 0;
    *path = p;
    return ST_OK;
}

static ob_header_t *dir_find(ob_dir_t *d, const char *name)
{
    for (ob_dir_entry_t *e = d->entries; e; e = e->next) {
        int c = strcmp(e->obj->name, name);
        if (c == 0)
            return e->obj;
        if (c > 0)
            break;
    }
    return NULL;
}

static bool is_root_path(const char *path)
{
    while (*path == '\\')
        path++;
    return *path == 0;
}

static status_t check_path(const char *path)
{
    size_t len;

    if (!path || path[0] != '\\')
        return ST_INVALID_ARGUMENT;
    len = strnlen(path, PATH_MAX_LEN + 1);
    if (len > PATH_MAX_LEN)
        return ST_NAME_TOO_LONG;
    if (len > 1 && path[len - 1] == '\\' && !is_root_path(path))
        return ST_INVALID_ARGUMENT; /* "\Ports\" names no object */
    return ST_OK;
}

/* Resolves every component but the last; leaves the last in leaf. */
static status_t walk_parent(const char *path, ob_dir_t **dir, char *leaf)
{
    ob_dir_t *d = &root;
    char comp[NAME_MAX_LEN + 1];
    status_t st = check_path(path);

    if (st != ST_OK)
        return st;
    for (;;) {
        st = next_component(&path, comp);
        if (st != ST_OK)
            return st;
        while (*path == '\\')
            path++;
        if (!*path)
            break;
        ob_header_t *o = dir_find(d, comp);
        if (!o)
            return ST_NOT_FOUND;
        if (o->type != &ob_directory_type)
            return ST_NOT_DIRECTORY;
        d = container_of(o, ob_dir_t, hdr);
    }
    if (!comp[0])
        return ST_INVALID_ARGUMENT;
    *dir = d;
    strcpy(leaf, comp);
    return ST_OK;
}

status_t ob_insert(const char *path, ob_header_t *obj)
{
    char leaf[NAME_MAX_LEN + 1];
    ob_dir_t *d;
    ob_dir_entry_t *e, **l;
    status_t st;

    if (obj->name)
        return ST_EXISTS;
    st = walk_parent(path, &d, leaf);
    if (st != ST_OK)
        return st;
    if (dir_find(d, leaf))
        return ST_EXISTS;
    e = kmalloc(sizeof(*e));
    obj->name = kstrdup(leaf);
    if (!e || !obj->name) {
        kfree(e);
        kfree(obj->name);
        obj->name = NULL;
        return ST_NO_MEMORY;
    }
    e->obj = obj;
    for (l = &d->entries; *l && strcmp((*l)->obj->name, leaf) < 0; l = &(*l)->next)
        ;
    e->next = *l;
    *l = e;
    obj->parent = d;
    return ST_OK;
}

status_t ob_create_directory(const char *path)
{
    ob_dir_t *d = kzalloc(sizeof(*d));
    status_t st;

    if (!d)
        return ST_NO_MEMORY;
    ob_init(&d->hdr, &ob_directory_type);
    st = ob_insert(path, &d->hdr);
    if (st != ST_OK)
        kfree(d);
    return st;
}

void ob_remove_name(ob_header_t *obj)
{
    ob_dir_t *d = obj->parent;

    if (!d)
        return;
    for (ob_dir_entry_t **l = &d->entries; *l; l = &(*l)->next) {
        if ((*l)->obj == obj) {
            ob_dir_entry_t *e = *l;
            *l = e->next;
            kfree(e);
            break;
        }
    }
    kfree(obj->name);
    obj->name = NULL;
    obj->parent = NULL;
}

status_t ob_lookup(const char *path, ob_header_t **out)
{
    char leaf[NAME_MAX_LEN + 1];
    ob_dir_t *d;
    ob_header_t *o;
    status_t st;

    if (check_path(path) == ST_OK && is_root_path(path)) {
        ob_ref(&root.hdr);
        *out = &root.hdr;
        return ST_OK;
    }
    st = walk_parent(path, &d, leaf);
    if (st != ST_OK)
        return st;
    o = dir_find(d, leaf);
    if (!o)
        return ST_NOT_FOUND;
    ob_ref(o);
    *out = o;
    return ST_OK;
}

status_t ob_list(const char *path, void (*fn)(void *ctx, const char *name, ob_header_t *obj),
                 void *ctx)
{
    ob_header_t *o;
    status_t st = ob_lookup(path, &o);

    if (st != ST_OK)
        return st;
    if (o->type != &ob_directory_type) {
        ob_unref(o);
        return ST_NOT_DIRECTORY;
    }
    for (ob_dir_entry_t *e = container_of(o, ob_dir_t, hdr)->entries; e; e = e->next)
        fn(ctx, e->obj->name, e->obj);
    ob_unref(o);
    return ST_OK;
}
