/*
 * Directory snapshots for readdir by index (see <dos/dirsnap.h>).
 *
 * Entry points: dos_dirsnap_readdir, dos_dirsnap_add, dos_dirsnap_free.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dos/dirsnap.h>

static void drop(dos_dirsnap_t *d)
{
    for (size_t i = 0; i < d->count; i++)
        free(d->names[i]);
    free(d->names);
    free(d->st);
    free(d->have_st);
    free(d->path);
    memset(d, 0, sizeof(*d));
}

void dos_dirsnap_free(dos_dirsnaps_t *s)
{
    for (int i = 0; i < DOS_DIRSNAPS; i++)
        drop(&s->snap[i]);
}

int dos_dirsnap_add(dos_dirsnap_t *d, const char *name)
{
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        char **grown = realloc(d->names, cap * sizeof(*grown));
        if (grown == NULL)
            return -DOS_ENOMEM;
        d->names = grown;
        d->cap = cap;
    }
    if ((d->names[d->count] = strdup(name)) == NULL)
        return -DOS_ENOMEM;
    d->count++;
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load(dos_dirsnaps_t *s, dos_dirsnap_t *d, const char *path)
{
    if ((d->path = strdup(path)) == NULL)
        return -DOS_ENOMEM;
    int rc = s->list(s->ctx, path, d);
    if (rc != 0)
        return rc;
    d->st = calloc(d->count + 1, sizeof(*d->st));
    d->have_st = calloc(d->count + 1, sizeof(*d->have_st));
    if (d->st == NULL || d->have_st == NULL)
        return -DOS_ENOMEM;
    if (d->count > 1)
        qsort(d->names, d->count, sizeof(*d->names), cmp_names);
    return 0;
}

/* The snapshot of path: taken again at index 0, kept for the calls after. */
static dos_dirsnap_t *snapshot(dos_dirsnaps_t *s, const char *path, uint32_t index, int *err)
{
    dos_dirsnap_t *pick = &s->snap[0];

    for (int i = 0; i < DOS_DIRSNAPS; i++) {
        dos_dirsnap_t *d = &s->snap[i];
        if (d->path != NULL && strcmp(d->path, path) == 0) {
            pick = d;
            if (index != 0)
                goto found;
            break;
        }
        if (d->path == NULL || (pick->path != NULL && d->used < pick->used))
            pick = d;
    }
    drop(pick);
    *err = load(s, pick, path);
    if (*err != 0) {
        drop(pick);
        return NULL;
    }
found:
    pick->used = ++s->clock;
    return pick;
}

int dos_dirsnap_readdir(dos_dirsnaps_t *s, const char *dir, uint32_t index, dos_dirent_t *ent)
{
    int err = 0;
    if (*dir == 0)
        dir = "/"; /* the library writes the host's root as "" */
    dos_dirsnap_t *d = snapshot(s, dir, index, &err);
    char path[DOS_HOST_PATH + 256];

    if (d == NULL)
        return err;
    while (index < d->count) {
        const char *name = d->names[index];
        snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, name);
        if (!d->have_st[index] &&
            (strlen(name) >= sizeof(ent->name) || s->stat(s->ctx, path, &d->st[index]) != 0)) {
            /* Gone since the snapshot was taken: the next one takes its place. */
            size_t rest = d->count - index - 1;
            free(d->names[index]);
            memmove(&d->names[index], &d->names[index + 1], rest * sizeof(*d->names));
            memmove(&d->st[index], &d->st[index + 1], rest * sizeof(*d->st));
            memmove(&d->have_st[index], &d->have_st[index + 1], rest * sizeof(*d->have_st));
            d->count--;
            continue;
        }
        d->have_st[index] = true;
        strcpy(ent->name, name);
        ent->st = d->st[index];
        return 0;
    }
    return 1;
}
