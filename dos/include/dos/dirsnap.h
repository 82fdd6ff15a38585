/*
 * Directory snapshots for dos_host_ops_t.readdir, which asks for entries
 * by index: a search, and the deletes it drives, must see one stable
 * order while the directory changes. A snapshot is the directory's names,
 * sorted, taken when a listing starts at index 0 and kept for the calls
 * after; each entry's attributes are fetched when first asked for, and an
 * entry that has gone since gives its place to the next. A few snapshots
 * are kept per VDM, the least recently used replaced.
 *
 * For embedders (dosrun, the DOS server in Persona): unlike the two
 * libraries this needs malloc, so each embedder compiles it with its own
 * runtime. The embedder lists a directory and stats a path.
 *
 * Entry points: dos_dirsnap_readdir, dos_dirsnap_add, dos_dirsnap_free.
 */
#ifndef DOS_DIRSNAP_H
#define DOS_DIRSNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dos/server.h>

#define DOS_DIRSNAPS 4

typedef struct dos_dirsnap {
    char *path; /* NULL: free */
    char **names;
    dos_stat_t *st;
    bool *have_st;
    size_t count, cap;
    unsigned long used;
} dos_dirsnap_t;

typedef struct dos_dirsnaps {
    dos_dirsnap_t snap[DOS_DIRSNAPS];
    unsigned long clock;
    /* Calls dos_dirsnap_add for each name in the host directory path; 0 or -error. */
    int (*list)(void *ctx, const char *path, dos_dirsnap_t *snap);
    /* As dos_host_ops_t.stat. */
    int (*stat)(void *ctx, const char *path, dos_stat_t *st);
    void *ctx;
} dos_dirsnaps_t;

/* dos_host_ops_t.readdir: 0 with *ent filled, 1 past the end, or -error. */
int dos_dirsnap_readdir(dos_dirsnaps_t *s, const char *dir, uint32_t index, dos_dirent_t *ent);

/* For list: one more name; -DOS_ENOMEM when it cannot be kept. */
int dos_dirsnap_add(dos_dirsnap_t *snap, const char *name);

void dos_dirsnap_free(dos_dirsnaps_t *s);

#endif
