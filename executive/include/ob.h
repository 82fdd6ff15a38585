/*
 * ob: the object manager. Every kernel object handed to user mode starts
 * with an ob_header_t: its type, a reference count, and an optional name in
 * the object namespace. Processes reach objects only through handles in
 * their handle table; each handle carries an access mask that every system
 * call checks against what it needs.
 */
#ifndef OB_H
#define OB_H

#include "kernel.h"
#include "list.h"
#include <persona/handle.h>
#include <persona/object.h>

struct process;
typedef struct ob_header ob_header_t;

typedef struct ob_type {
    const char *name;
    uint32_t valid_rights; /* rights that make sense for this type */
    /* Last reference gone: free the object (the header is part of it). */
    void (*destroy)(ob_header_t *obj);
    /* Last handle closed (references may remain). */
    void (*last_handle_closed)(ob_header_t *obj);
    /* A handle with these rights was made / closed (e.g. a port counts the
     * handles that can receive on it). */
    void (*handle_opened)(ob_header_t *obj, uint32_t rights);
    void (*handle_closed)(ob_header_t *obj, uint32_t rights);
    uint32_t id; /* enum persona_object_type */
} ob_type_t;

struct ob_header {
    const ob_type_t *type;
    uint32_t refcount;     /* handles + kernel references */
    uint32_t handle_count; /* handles only */
    struct ob_dir *parent; /* namespace directory holding the name, or NULL */
    char *name;
    uint64_t serial; /* unique for the system's lifetime */
};

extern const ob_type_t ob_directory_type;

void ob_init(ob_header_t *obj, const ob_type_t *type);
void ob_destroy(ob_header_t *obj); /* the last reference is gone */

static inline void ob_ref(ob_header_t *obj)
{
    obj->refcount++;
}

static inline void ob_unref(ob_header_t *obj)
{
    if (obj && --obj->refcount == 0)
        ob_destroy(obj);
}
#define OB(p) (&(p)->hdr)

/* ---- handle tables (handle.c) ---- */

typedef struct handle_entry {
    ob_header_t *obj; /* NULL: free slot */
    uint32_t rights;
    uint16_t gen; /* bumped on close, so stale handle values fail */
    uint16_t next_free;
} handle_entry_t;

typedef struct handle_table {
    handle_entry_t *entries;
    uint32_t capacity, count, limit;
    uint32_t free_head; /* index of the first free slot, 0 = none */
} handle_table_t;

#define HANDLE_LIMIT_DEFAULT 4096
#define HANDLE_LIMIT_MAX     65535

void handle_table_init(handle_table_t *ht, uint32_t limit);
void handle_table_destroy(handle_table_t *ht);
/* Takes a new reference to obj on success. */
status_t handle_create(handle_table_t *ht, ob_header_t *obj, uint32_t rights, handle_t *out);
/* The entry a handle value names, or NULL. */
static inline handle_entry_t *handle_entry(handle_table_t *ht, handle_t h)
{
    uint32_t i = h & 0xffffu;

    if ((h >> 31) || i == 0 || i >= ht->capacity)
        return NULL;
    if (!ht->entries[i].obj || ht->entries[i].gen != ((h >> 16) & 0x7fffu))
        return NULL;
    return &ht->entries[i];
}

/* On success *out holds a new reference the caller must drop with ob_unref.
 * type NULL accepts any type. */
static inline status_t handle_lookup(handle_table_t *ht, handle_t h, const ob_type_t *type,
                                     uint32_t rights, ob_header_t **out)
{
    handle_entry_t *e = handle_entry(ht, h);

    if (!e)
        return ST_INVALID_HANDLE;
    if (type && e->obj->type != type)
        return ST_WRONG_TYPE;
    if ((e->rights & rights) != rights)
        return ST_ACCESS_DENIED;
    ob_ref(e->obj);
    *out = e->obj;
    return ST_OK;
}
status_t handle_rights(handle_table_t *ht, handle_t h, uint32_t *rights);
status_t handle_close(handle_table_t *ht, handle_t h);
/* Makes the empty table dst a copy of src (handle inheritance). */
status_t handle_table_clone(handle_table_t *dst, handle_table_t *src);
/* Copies h from src into dst with rights (a subset of the source's, which
 * must include H_DUPLICATE). */
status_t handle_duplicate(handle_table_t *src, handle_t h, handle_table_t *dst, uint32_t rights,
                          handle_t *out);

/* ---- the namespace (namespace.c) ---- */

typedef struct ob_dir ob_dir_t;
void ob_namespace_init(void);
/* Inserts obj at an absolute path like "\Ports\Posix"; parents must exist. */
status_t ob_insert(const char *path, ob_header_t *obj);
status_t ob_create_directory(const char *path);
/* Returns a new reference. */
status_t ob_lookup(const char *path, ob_header_t **out);
/* Removes obj's name (the object lives on while referenced). */
void ob_remove_name(ob_header_t *obj);
/* Lists directory entries: calls fn for each, in name order. */
status_t ob_list(const char *path, void (*fn)(void *ctx, const char *name, ob_header_t *obj),
                 void *ctx);

#endif
