/*
 * Directory searches: find first / find next (AH=4Eh/4Fh), which the FCB
 * searches and wildcard deletes and renames use too.
 *
 * DOS keeps a search's state in the reserved bytes of the DTA: the
 * pattern, the attributes, and where in the directory it stopped. The
 * directory itself is a host path, too long for those 21 bytes, so the
 * server keeps it in one of DOS_SEARCH_MAX slots and the DTA holds the
 * slot and its generation; a slot is reused round-robin, so a search left
 * alone while 16 others start ends with "no more files".
 *
 * Entry points: dosp_search_open, dosp_search_next; do_find_first,
 * do_find_next.
 */
#include <string.h>

#include "dosp.h"

/* The reserved part of the find data in the DTA. */
#define FD_DRIVE   0x00
#define FD_PATTERN 0x01 /* 11 bytes */
#define FD_ATTR    0x0C
#define FD_INDEX   0x0D /* word: the next directory entry to look at */
#define FD_SLOT    0x0F /* word */
#define FD_GEN     0x11 /* word */
#define FD_FATTR   0x15 /* what was found */
#define FD_TIME    0x16
#define FD_DATE    0x18
#define FD_SIZE    0x1A
#define FD_NAME    0x1E /* 13 bytes */

#define SLOT_DONE 0xFFFF /* a device was found: nothing follows */

int dosp_search_open(dos_server_t *s, const dosp_path_t *p, uint16_t *slot, uint16_t *gen)
{
    char dir[DOS_HOST_PATH];

    if (p->dir_len >= sizeof(dir))
        return DOS_ENOPATH;
    memcpy(dir, p->host, p->dir_len);
    dir[p->dir_len] = 0;
    for (unsigned i = 0; i < DOS_SEARCH_MAX; i++) {
        if (s->search[i].gen != 0 && strcmp(s->search[i].dir, dir) == 0) {
            *slot = (uint16_t)i;
            *gen = s->search[i].gen;
            return 0;
        }
    }
    unsigned i = s->search_next;
    s->search_next = (i + 1) % DOS_SEARCH_MAX;
    if (++s->search_gen == 0)
        s->search_gen = 1;
    dos_search_t *sr = &s->search[i];
    sr->gen = s->search_gen;
    strcpy(sr->dir, dir);
    /* The root has no "." or "..": is the path just "\NAME"? */
    sr->root = strchr(p->dos + 1, '\\') == NULL;
    *slot = (uint16_t)i;
    *gen = sr->gen;
    return 0;
}

int dosp_search_next(dos_server_t *s, uint16_t slot, uint16_t gen, const uint8_t pattern[11],
                     uint8_t attr, uint16_t *index, dosp_found_t *out)
{
    dos_dirent_t ent;

    if (slot >= DOS_SEARCH_MAX || gen == 0 || s->search[slot].gen != gen)
        return DOS_ENMFILE;
    if (attr == DOS_ATTR_VOLUME)
        return DOS_ENMFILE; /* host directories have no volume label */
    const dos_search_t *sr = &s->search[slot];
    while (*index < 0xFFFF) {
        int rc = s->ops.readdir(s->ctx, sr->dir, (*index)++, &ent);
        if (rc < 0)
            return DOS_ENOPATH;
        if (rc > 0)
            return DOS_ENMFILE;
        if (dosp_host_to_dos(ent.name, out->name) != 0)
            continue;
        if (out->name[0] == '.' && sr->root)
            continue;
        if (dosp_name_to_fcb(out->name, out->fcb, false) != 0)
            continue;
        /* Hidden, system and directory entries only when asked for. */
        uint8_t special = ent.st.attr & (DOS_ATTR_HIDDEN | DOS_ATTR_SYSTEM | DOS_ATTR_DIR);
        if ((special & ~attr) != 0 || !dosp_match(pattern, out->fcb))
            continue;
        out->st = ent.st;
        return 0;
    }
    return DOS_ENMFILE;
}

static void put_found(dos_server_t *s, const dosp_found_t *f)
{
    uint16_t seg = s->dta_seg, off = s->dta_off;

    vm_wr8(s->mem, seg, (uint16_t)(off + FD_FATTR), f->st.attr);
    vm_wr16(s->mem, seg, (uint16_t)(off + FD_TIME), f->st.time);
    vm_wr16(s->mem, seg, (uint16_t)(off + FD_DATE), f->st.date);
    vm_wr32(s->mem, seg, (uint16_t)(off + FD_SIZE), f->st.size);
    vm_fill(s->mem, seg, (uint16_t)(off + FD_NAME), 0, 13);
    vm_write(s->mem, seg, (uint16_t)(off + FD_NAME), f->name, strlen(f->name));
}

/* Runs a search from the state in the DTA and records where it stopped. */
static int next_into_dta(dos_server_t *s, dos_regs_t *r)
{
    uint16_t seg = s->dta_seg, off = s->dta_off;
    uint8_t pattern[11];
    dosp_found_t f;

    vm_read(s->mem, seg, (uint16_t)(off + FD_PATTERN), pattern, sizeof(pattern));
    uint16_t index = vm_rd16(s->mem, seg, (uint16_t)(off + FD_INDEX));
    int rc = dosp_search_next(s, vm_rd16(s->mem, seg, (uint16_t)(off + FD_SLOT)),
                              vm_rd16(s->mem, seg, (uint16_t)(off + FD_GEN)), pattern,
                              vm_rd8(s->mem, seg, (uint16_t)(off + FD_ATTR)), &index, &f);
    vm_wr16(s->mem, seg, (uint16_t)(off + FD_INDEX), index);
    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    put_found(s, &f);
    r->ax = 0;
    return dosp_ok(r);
}

int do_find_first(dos_server_t *s, dos_regs_t *r)
{
    dosp_path_t p;
    uint16_t slot, gen;
    uint16_t seg = s->dta_seg, off = s->dta_off;
    int rc = dosp_resolve_at(s, r->ds, r->dx, DOSP_PATH_WILD, &p);

    if (rc != 0)
        return dosp_fail(s, r, rc == DOS_ENOENT ? DOS_ENMFILE : (uint16_t)rc);
    vm_fill(s->mem, seg, off, 0, 0x2B);
    vm_wr8(s->mem, seg, (uint16_t)(off + FD_DRIVE), (uint8_t)(p.drive + 1));
    vm_write(s->mem, seg, (uint16_t)(off + FD_PATTERN), p.fcb, 11);
    vm_wr8(s->mem, seg, (uint16_t)(off + FD_ATTR), (uint8_t)r->cx);
    if (p.device != 0) {
        dosp_found_t f;
        dos_clock_t c;
        dosp_now(s, &c);
        memset(&f, 0, sizeof(f));
        dosp_fcb_to_name(p.fcb, f.name);
        f.st.date = dc_pack_date(c.year, c.month, c.day);
        f.st.time = dc_pack_time(c.ms / 3600000, c.ms / 60000 % 60, c.ms / 1000 % 60);
        vm_wr16(s->mem, seg, (uint16_t)(off + FD_SLOT), SLOT_DONE);
        put_found(s, &f);
        r->ax = 0;
        return dosp_ok(r);
    }
    if (p.name[0] == 0)
        return dosp_fail(s, r, DOS_ENMFILE); /* a bare root names no entry */
    rc = dosp_search_open(s, &p, &slot, &gen);
    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    vm_wr16(s->mem, seg, (uint16_t)(off + FD_SLOT), slot);
    vm_wr16(s->mem, seg, (uint16_t)(off + FD_GEN), gen);
    return next_into_dta(s, r);
}

int do_find_next(dos_server_t *s, dos_regs_t *r)
{
    return next_into_dta(s, r);
}
