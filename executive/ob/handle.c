/*
 * Per-process handle tables. A handle value encodes a slot index (low 16
 * bits) and the slot's generation (next 15 bits), so a closed handle that
 * is used again fails instead of reaching whatever reuses the slot. Slot 0
 * is never used: handle 0 is always invalid. Tables grow by doubling up to
 * the process's limit.
 */
#include "mm.h"
#include "ob.h"
#include <string.h>

#define INDEX(h)   ((h)&0xffffu)
#define GEN(h)     (((h) >> 16) & 0x7fffu)
#define MAKE(i, g) ((handle_t)(((uint32_t)(g) << 16) | (i)))

void handle_table_init(handle_table_t *ht, uint32_t limit)
{
    memset(ht, 0, sizeof(*ht));
    ht->limit = MIN(limit, HANDLE_LIMIT_MAX);
}

void handle_table_destroy(handle_table_t *ht)
{
    for (uint32_t i = 1; i < ht->capacity; i++) {
        ob_header_t *obj = ht->entries[i].obj;
        if (!obj)
            continue;
        ht->entries[i].obj = NULL;
        obj->handle_count--;
        if (obj->type->handle_closed)
            obj->type->handle_closed(obj, ht->entries[i].rights);
        if (obj->handle_count == 0 && obj->type->last_handle_closed)
            obj->type->last_handle_closed(obj);
        ob_unref(obj);
    }
    kfree(ht->entries);
    ht->entries = NULL;
    ht->capacity = ht->count = 0;
    ht->free_head = 0;
}

static status_t grow(handle_table_t *ht)
{
    uint32_t ncap = ht->capacity ? ht->capacity * 2 : 16;
    handle_entry_t *n;

    if (ncap > ht->limit + 1)
        ncap = ht->limit + 1;
    if (ncap <= ht->capacity)
        return ST_LIMIT;
    n = kzalloc(ncap * sizeof(*n));
    if (!n)
        return ST_NO_MEMORY;
    if (ht->entries)
        memcpy(n, ht->entries, ht->capacity * sizeof(*n));
    /* New slots join the free list in ascending order. */
    for (uint32_t i = ncap - 1; i >= MAX(ht->capacity, 1u); i--) {
        n[i].next_free = (uint16_t)ht->free_head;
        ht->free_head = i;
    }
    kfree(ht->entries);
    ht->entries = n;
    ht->capacity = ncap;
    return ST_OK;
}

status_t handle_create(handle_table_t *ht, ob_header_t *obj, uint32_t rights, handle_t *out)
{
    uint32_t i;
    status_t st;

    if (ht->count >= ht->limit)
        return ST_LIMIT;
    if (!ht->free_head && (st = grow(ht)) != ST_OK)
        return st;
    i = ht->free_head;
    ht->free_head = ht->entries[i].next_free;
    ht->entries[i].obj = obj;
    ht->entries[i].rights = rights & obj->type->valid_rights;
    ht->count++;
    ob_ref(obj);
    obj->handle_count++;
    if (obj->type->handle_opened)
        obj->type->handle_opened(obj, ht->entries[i].rights);
    *out = MAKE(i, ht->entries[i].gen);
    return ST_OK;
}

static handle_entry_t *entry_of(handle_table_t *ht, handle_t h)
{
    return handle_entry(ht, h);
}

status_t handle_rights(handle_table_t *ht, handle_t h, uint32_t *rights)
{
    handle_entry_t *e = entry_of(ht, h);

    if (!e)
        return ST_INVALID_HANDLE;
    *rights = e->rights;
    return ST_OK;
}

status_t handle_close(handle_table_t *ht, handle_t h)
{
    handle_entry_t *e = entry_of(ht, h);
    ob_header_t *obj;
    uint32_t rights;

    if (!e)
        return ST_INVALID_HANDLE;
    obj = e->obj;
    rights = e->rights;
    e->obj = NULL;
    e->rights = 0;
    e->gen = (uint16_t)((e->gen + 1) & 0x7fff);
    e->next_free = (uint16_t)ht->free_head;
    ht->free_head = INDEX(h);
    ht->count--;
    obj->handle_count--;
    if (obj->type->handle_closed)
        obj->type->handle_closed(obj, rights);
    if (obj->handle_count == 0 && obj->type->last_handle_closed)
        obj->type->last_handle_closed(obj);
    ob_unref(obj);
    return ST_OK;
}

status_t handle_duplicate(handle_table_t *src, handle_t h, handle_table_t *dst, uint32_t rights,
                          handle_t *out)
{
    handle_entry_t *e = entry_of(src, h);

    if (!e)
        return ST_INVALID_HANDLE;
    if (!(e->rights & H_DUPLICATE))
        return ST_ACCESS_DENIED;
    if (rights & ~e->rights)
        return ST_ACCESS_DENIED; /* never more than the source holds */
    return handle_create(dst, e->obj, rights, out);
}

status_t handle_table_clone(handle_table_t *dst, handle_table_t *src)
{
    if (dst->count || dst->entries)
        return ST_BAD_STATE;
    if (!src->capacity)
        return ST_OK;
    dst->entries = kzalloc(src->capacity * sizeof(handle_entry_t));
    if (!dst->entries)
        return ST_NO_MEMORY;
    /* Same slots, generations and free list: every value means the same. */
    for (uint32_t i = 0; i < src->capacity; i++) {
        handle_entry_t *e = &dst->entries[i];
        *e = src->entries[i];
        if (e->obj) {
            ob_ref(e->obj);
            e->obj->handle_count++;
            if (e->obj->type->handle_opened)
                e->obj->type->handle_opened(e->obj, e->rights);
        }
    }
    dst->capacity = src->capacity;
    dst->count = src->count;
    dst->free_head = src->free_head;
    dst->limit = MAX(dst->limit, src->limit);
    return ST_OK;
}
