/* Intrusive doubly-linked circular lists, as used throughout the executive. */
#ifndef LIST_H
#define LIST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct list_node {
    struct list_node *next, *prev;
} list_node_t;

typedef list_node_t list_t;

#define LIST_INIT(name)  \
    {                    \
        &(name), &(name) \
    }

static inline void list_init(list_t *l)
{
    l->next = l->prev = l;
}

static inline bool list_empty(const list_t *l)
{
    return l->next == l;
}

/* A node that is on no list points at itself (after list_node_init/remove). */
static inline void list_node_init(list_node_t *n)
{
    n->next = n->prev = n;
}

static inline bool list_node_linked(const list_node_t *n)
{
    return n->next != n;
}

static inline void list_insert_after(list_node_t *pos, list_node_t *n)
{
    n->next = pos->next;
    n->prev = pos;
    pos->next->prev = n;
    pos->next = n;
}

static inline void list_push_back(list_t *l, list_node_t *n)
{
    list_insert_after(l->prev, n);
}

static inline void list_push_front(list_t *l, list_node_t *n)
{
    list_insert_after(l, n);
}

static inline void list_remove(list_node_t *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = n;
}

static inline list_node_t *list_pop_front(list_t *l)
{
    list_node_t *n;

    if (list_empty(l))
        return NULL;
    n = l->next;
    list_remove(n);
    return n;
}

#define list_entry(node, T, member) ((T *)((char *)(node)-offsetof(T, member)))
#define list_first(l, T, member)    (list_empty(l) ? NULL : list_entry((l)->next, T, member))
#define list_for_each(it, l)        for (list_node_t *it = (l)->next; it != (l); it = it->next)
#define list_for_each_safe(it, l)                                       \
    for (list_node_t *it = (l)->next, *it##_next = it->next; it != (l); \
         it = it##_next, it##_next = it->next)

#endif
