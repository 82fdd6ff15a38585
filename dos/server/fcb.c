/*
 * File control blocks, DOS 1's file calls: open, close, create, record
 * reads and writes (sequential, random, random block), file size, random
 * record, wildcard find, delete and rename. An extended FCB (first byte
 * FFh) carries an attribute byte and the normal FCB 7 bytes in. An open
 * FCB keeps its SFT entry's number in the reserved bytes at 18h, behind
 * a marker, so a forged or stale FCB is refused rather than trusted.
 *
 * Entry points: do_fcb_open, do_fcb_close, do_fcb_find_first,
 * do_fcb_find_next, do_fcb_delete, do_fcb_read_seq, do_fcb_write_seq,
 * do_fcb_create, do_fcb_rename, do_fcb_read_random, do_fcb_write_random,
 * do_fcb_file_size, do_fcb_set_random, do_fcb_read_block,
 * do_fcb_write_block, do_parse_filename.
 */
#include <string.h>

#include "dosp.h"

#define FCB_DRIVE   0x00
#define FCB_NAME    0x01
#define FCB_BLOCK   0x0C
#define FCB_RECSIZE 0x0E
#define FCB_SIZE    0x10
#define FCB_DATE    0x14
#define FCB_TIME    0x16
#define FCB_MAGIC   0x18
#define FCB_SFT     0x19
#define FCB_REC     0x20
#define FCB_RANDOM  0x21
#define FCB_NEWNAME 0x11 /* rename: the new name */
#define MAGIC       0xA5

typedef struct fcb {
    uint16_t seg, off; /* the normal FCB */
    bool ext;
    uint8_t attr;
} fcb_t;

static fcb_t fcb_at(const dos_server_t *s, const dos_regs_t *r)
{
    fcb_t f = {r->ds, r->dx, false, 0};

    if (vm_rd8(s->mem, f.seg, f.off) == 0xFF) {
        f.ext = true;
        f.attr = vm_rd8(s->mem, f.seg, (uint16_t)(f.off + 6));
        f.off = (uint16_t)(f.off + 7);
    }
    return f;
}

static uint8_t rd8(const dos_server_t *s, const fcb_t *f, uint16_t at)
{
    return vm_rd8(s->mem, f->seg, (uint16_t)(f->off + at));
}

static uint16_t rd16(const dos_server_t *s, const fcb_t *f, uint16_t at)
{
    return vm_rd16(s->mem, f->seg, (uint16_t)(f->off + at));
}

static void wr8(dos_server_t *s, const fcb_t *f, uint16_t at, uint8_t v)
{
    vm_wr8(s->mem, f->seg, (uint16_t)(f->off + at), v);
}

static void wr16(dos_server_t *s, const fcb_t *f, uint16_t at, uint16_t v)
{
    vm_wr16(s->mem, f->seg, (uint16_t)(f->off + at), v);
}

static void wr32(dos_server_t *s, const fcb_t *f, uint16_t at, uint32_t v)
{
    vm_wr32(s->mem, f->seg, (uint16_t)(f->off + at), v);
}

static int fcb_path(dos_server_t *s, const fcb_t *f, dosp_path_t *p)
{
    uint8_t name[11];

    vm_read(s->mem, f->seg, (uint16_t)(f->off + FCB_NAME), name, sizeof(name));
    return dosp_fcb_path(s, rd8(s, f, FCB_DRIVE), name, p);
}

static int fail_al(dos_server_t *s, dos_regs_t *r, uint16_t code)
{
    dosp_set_error(s, code);
    r->al = 0xFF;
    return DOS_CALL_DONE;
}

/* The SFT entry of an open FCB, or NULL. */
static dos_sft_t *fcb_sft(dos_server_t *s, const fcb_t *f)
{
    uint8_t i = rd8(s, f, FCB_SFT);

    if (rd8(s, f, FCB_MAGIC) != MAGIC || i >= DOS_SFT_MAX || s->sft[i].refs == 0 ||
        !(s->sft[i].flags & DOSP_SFT_FCB))
        return NULL;
    return &s->sft[i];
}

static void fill_open(dos_server_t *s, const fcb_t *f, const dosp_path_t *p, int i)
{
    dos_sft_t *e = &s->sft[i];

    e->flags |= DOSP_SFT_FCB;
    e->owner = s->cur_psp;
    wr8(s, f, FCB_DRIVE, (uint8_t)(p->drive + 1));
    wr16(s, f, FCB_BLOCK, 0);
    wr16(s, f, FCB_RECSIZE, 128);
    wr32(s, f, FCB_SIZE, p->exists ? p->st.size : 0);
    wr16(s, f, FCB_DATE, p->st.date);
    wr16(s, f, FCB_TIME, p->st.time);
    wr8(s, f, FCB_MAGIC, MAGIC);
    wr8(s, f, FCB_SFT, (uint8_t)i);
}

int do_fcb_open(dos_server_t *s, dos_regs_t *r)
{
    fcb_t f = fcb_at(s, r);
    dosp_path_t p;
    int i;
    int rc = fcb_path(s, &f, &p);

    if (rc == 0 && p.wild)
        rc = DOS_ENOENT;
    if (rc == 0 && p.exists && (p.st.attr & (DOS_ATTR_HIDDEN | DOS_ATTR_SYSTEM) & ~f.attr))
        rc = DOS_ENOENT;
    if (rc == 0) {
        rc = dosp_open_path(s, &p, 2, &i);
        if (rc == DOS_EACCES && !(p.st.attr & DOS_ATTR_DIR))
            rc = dosp_open_path(s, &p, 0, &i); /* a read-only file opens for reading */
    }
    if (rc != 0)
        return fail_al(s, r, (uint16_t)rc);
    fill_open(s, &f, &p, i);
    r->al = 0;
    return DOS_CALL_DONE;
}

int do_fcb_create(dos_server_t *s, dos_regs_t *r)
{
    fcb_t f = fcb_at(s, r);
    dosp_path_t p;
    int i;
    int rc = fcb_path(s, &f, &p);

    if (rc == 0)
        rc = dosp_create_path(s, &p, f.attr, false, &i);
    if (rc != 0)
        return fail_al(s, r, (uint16_t)rc);
    p.st.size = 0;
    fill_open(s, &f, &p, i);
    r->al = 0;
    return DOS_CALL_DONE;
}

int do_fcb_close(dos_server_t *s, dos_regs_t *r)
{
    fcb_t f = fcb_at(s, r);
    dos_sft_t *e = fcb_sft(s, &f);

    if (e == NULL)
        return fail_al(s, r, DOS_EBADF);
    wr8(s, &f, FCB_MAGIC, 0);
    dosp_sft_release(s, (int)(e - s->sft));
    r->al = 0;
    return DOS_CALL_DONE;
}

/*
 * Transfers count records from record number rec between the file and the
 * DTA. Returns AL: 0 done, 1 end of file (read) or disk full (write), 2
 * the DTA would wrap its segment, 3 partial last record (read, padded
 * with zeros); *done is the number of records moved, a partial one
 * included.
 */
static uint8_t transfer(dos_server_t *s, const fcb_t *f, dos_sft_t *e, uint32_t rec, uint16_t count,
                        bool write, uint16_t *done)
{
    uint16_t size = rd16(s, f, FCB_RECSIZE);
    uint8_t wrap = 0;
    dos_stat_t st;

    if (size == 0) {
        size = 128;
        wr16(s, f, FCB_RECSIZE, size);
    }
    *done = 0;
    if ((uint32_t)s->dta_off + (uint32_t)size * count > 0x10000) {
        count = (uint16_t)((0x10000 - s->dta_off) / size);
        wrap = 2;
        if (count == 0)
            return 2;
    }
    uint32_t bytes = (uint32_t)size * count, lin = vm_lin(s->dta_seg, s->dta_off);
    e->pos = rec * size;
    int32_t got = write ? dosp_sft_write(s, e, lin, bytes) : dosp_sft_read(s, e, lin, bytes);
    if (got < 0)
        got = 0;
    *done = (uint16_t)(((uint32_t)got + size - 1) / size);
    if (write) {
        if (e->kind == DOSP_FILE && s->ops.fstat(s->ctx, e->fh, &st) == 0)
            wr32(s, f, FCB_SIZE, st.size);
        return (uint32_t)got < bytes ? 1 : wrap;
    }
    if ((uint32_t)got % size != 0) {
        vm_fill(s->mem, s->dta_seg, (uint16_t)(s->dta_off + got), 0, size - (uint32_t)got % size);
        return 3;
    }
    return (uint32_t)got < bytes ? 1 : wrap;
}

static uint32_t random_record(const dos_server_t *s, const fcb_t *f)
{
    uint32_t rr = vm_rd32(s->mem, f->seg, (uint16_t)(f->off + FCB_RANDOM));
    /* With records of 64 bytes or more only three bytes count. */
    return rd16(s, f, FCB_RECSIZE) >= 64 ? rr & 0xFFFFFF : rr;
}

static void set_current(dos_server_t *s, const fcb_t *f, uint32_t rec)
{
    wr16(s, f, FCB_BLOCK, (uint16_t)(rec / 128));
    wr8(s, f, FCB_REC, (uint8_t)(rec % 128));
}

static int sequential(dos_server_t *s, dos_regs_t *r, bool write)
{
    fcb_t f = fcb_at(s, r);
    dos_sft_t *e = fcb_sft(s, &f);
    uint16_t done;

    if (e == NULL) {
        dosp_set_error(s, DOS_EBADF);
        r->al = 1;
        return DOS_CALL_DONE;
    }
    uint32_t rec = (uint32_t)rd16(s, &f, FCB_BLOCK) * 128 + (rd8(s, &f, FCB_REC) & 0x7F);
    r->al = transfer(s, &f, e, rec, 1, write, &done);
    if (done > 0)
        set_current(s, &f, rec + 1);
    return DOS_CALL_DONE;
}

int do_fcb_read_seq(dos_server_t *s, dos_regs_t *r)
{
    return sequential(s, r, false);
}

int do_fcb_write_seq(dos_server_t *s, dos_regs_t *r)
{
    return sequential(s, r, true);
}

static int random_io(dos_server_t *s, dos_regs_t *r, bool write, bool block)
{
    fcb_t f = fcb_at(s, r);
    dos_sft_t *e = fcb_sft(s, &f);
    uint16_t done;

    if (e == NULL) {
        dosp_set_error(s, DOS_EBADF);
        r->al = 1;
        return DOS_CALL_DONE;
    }
    uint32_t rr = random_record(s, &f);
    set_current(s, &f, rr);
    if (block && write && r->cx == 0) {
        /* Zero records: the file's size becomes the random record's position. */
        e->pos = rr * (rd16(s, &f, FCB_RECSIZE) ? rd16(s, &f, FCB_RECSIZE) : 128);
        dosp_sft_write(s, e, 0, 0);
        wr32(s, &f, FCB_SIZE, e->pos);
        r->al = 0;
        return DOS_CALL_DONE;
    }
    r->al = transfer(s, &f, e, rr, block ? r->cx : 1, write, &done);
    if (block) {
        r->cx = done;
        vm_wr32(s->mem, f.seg, (uint16_t)(f.off + FCB_RANDOM), rr + done);
        set_current(s, &f, rr + done);
    }
    return DOS_CALL_DONE;
}

int do_fcb_read_random(dos_server_t *s, dos_regs_t *r)
{
    return random_io(s, r, false, false);
}

int do_fcb_write_random(dos_server_t *s, dos_regs_t *r)
{
    return random_io(s, r, true, false);
}

int do_fcb_read_block(dos_server_t *s, dos_regs_t *r)
{
    return random_io(s, r, false, true);
}

int do_fcb_write_block(dos_server_t *s, dos_regs_t *r)
{
    return random_io(s, r, true, true);
}

int do_fcb_set_random(dos_server_t *s, dos_regs_t *r)
{
    fcb_t f = fcb_at(s, r);
    uint32_t rec = (uint32_t)rd16(s, &f, FCB_BLOCK) * 128 + (rd8(s, &f, FCB_REC) & 0x7F);

    vm_wr32(s->mem, f.seg, (uint16_t)(f.off + FCB_RANDOM), rec);
    return DOS_CALL_DONE;
}

int do_fcb_file_size(dos_server_t *s, dos_regs_t *r)
{
    fcb_t f = fcb_at(s, r);
    dosp_path_t p;
    uint16_t size = rd16(s, &f, FCB_RECSIZE);
    int rc = fcb_path(s, &f, &p);

    if (rc == 0 && (!p.exists || p.wild || p.device || (p.st.attr & DOS_ATTR_DIR)))
        rc = DOS_ENOENT;
    if (rc != 0 || size == 0)
        return fail_al(s, r, rc ? (uint16_t)rc : DOS_EBADDATA);
    vm_wr32(s->mem, f.seg, (uint16_t)(f.off + FCB_RANDOM), (p.st.size + size - 1) / size);
    r->al = 0;
    return DOS_CALL_DONE;
}

/* ---- wildcard calls ---- */

/* Runs a search for the FCB's name pattern; *state says where it is. */
static int fcb_search(dos_server_t *s, const fcb_t *f, uint16_t *slot, uint16_t *gen,
                      uint16_t *index, dosp_found_t *out, bool first)
{
    dosp_path_t p;
    uint8_t pattern[11];

    vm_read(s->mem, f->seg, (uint16_t)(f->off + FCB_NAME), pattern, sizeof(pattern));
    if (first) {
        int rc = fcb_path(s, f, &p);
        if (rc != 0)
            return rc;
        rc = dosp_search_open(s, &p, slot, gen);
        if (rc != 0)
            return rc;
        *index = 0;
    }
    return dosp_search_next(s, *slot, *gen, pattern, f->attr, index, out);
}

static int find(dos_server_t *s, dos_regs_t *r, bool first)
{
    fcb_t f = fcb_at(s, r);
    dosp_found_t found;
    uint16_t slot = rd16(s, &f, FCB_RECSIZE), gen = rd16(s, &f, FCB_SIZE);
    uint16_t index = rd16(s, &f, FCB_BLOCK);
    uint16_t seg = s->dta_seg, off = s->dta_off;
    uint8_t drive = rd8(s, &f, FCB_DRIVE);

    int rc = fcb_search(s, &f, &slot, &gen, &index, &found, first);
    /* The search state lives in the caller's FCB, in fields an unopened FCB does not use. */
    wr16(s, &f, FCB_BLOCK, index);
    wr16(s, &f, FCB_RECSIZE, slot);
    wr16(s, &f, FCB_SIZE, gen);
    if (rc != 0)
        return fail_al(s, r, (uint16_t)rc);
    if (f.ext) {
        vm_fill(s->mem, seg, off, 0, 7);
        vm_wr8(s->mem, seg, off, 0xFF);
        vm_wr8(s->mem, seg, (uint16_t)(off + 6), f.attr);
        off = (uint16_t)(off + 7);
    }
    /* An unopened FCB for the file, followed by the rest of its directory entry. */
    vm_fill(s->mem, seg, off, 0, 33);
    vm_wr8(s->mem, seg, off, drive != 0 ? drive : (uint8_t)(s->cur_drive + 1));
    vm_write(s->mem, seg, (uint16_t)(off + 1), found.fcb, 11);
    vm_wr8(s->mem, seg, (uint16_t)(off + 12), found.st.attr);
    vm_wr16(s->mem, seg, (uint16_t)(off + 23), found.st.time);
    vm_wr16(s->mem, seg, (uint16_t)(off + 25), found.st.date);
    vm_wr32(s->mem, seg, (uint16_t)(off + 29), found.st.size);
    r->al = 0;
    return DOS_CALL_DONE;
}

int do_fcb_find_first(dos_server_t *s, dos_regs_t *r)
{
    return find(s, r, true);
}

int do_fcb_find_next(dos_server_t *s, dos_regs_t *r)
{
    return find(s, r, false);
}

/* Host path of a found entry: the search's directory and its host name. */
static int found_path(dos_server_t *s, uint16_t slot, const dosp_found_t *fd, char *out,
                      size_t size)
{
    char host[256];
    const char *dir = s->search[slot].dir;
    size_t n = strlen(dir);

    if (dosp_lookup(s, dir, fd->name, host, sizeof(host)) != 0 || n + 1 + strlen(host) >= size)
        return DOS_ENOENT;
    memcpy(out, dir, n);
    out[n] = '/';
    strcpy(out + n + 1, host);
    return 0;
}

int do_fcb_delete(dos_server_t *s, dos_regs_t *r)
{
    fcb_t f = fcb_at(s, r);
    dosp_found_t fd;
    uint16_t slot, gen, index;
    char path[DOS_HOST_PATH];
    unsigned deleted = 0;

    int rc = fcb_search(s, &f, &slot, &gen, &index, &fd, true);
    for (; rc == 0; rc = fcb_search(s, &f, &slot, &gen, &index, &fd, false)) {
        if (fd.st.attr & (DOS_ATTR_DIR | DOS_ATTR_READONLY | DOS_ATTR_VOLUME))
            continue;
        if (found_path(s, slot, &fd, path, sizeof(path)) == 0 && s->ops.unlink(s->ctx, path) == 0)
            deleted++;
    }
    if (deleted == 0)
        return fail_al(s, r, DOS_ENOENT);
    r->al = 0;
    return DOS_CALL_DONE;
}

int do_fcb_rename(dos_server_t *s, dos_regs_t *r)
{
    fcb_t f = fcb_at(s, r);
    dosp_found_t fd;
    uint16_t slot, gen, index;
    uint8_t want[11], name[11];
    char from[DOS_HOST_PATH], to[DOS_HOST_PATH], dos[13];
    unsigned renamed = 0;

    vm_read(s->mem, f.seg, (uint16_t)(f.off + FCB_NEWNAME), want, sizeof(want));
    int rc = fcb_search(s, &f, &slot, &gen, &index, &fd, true);
    for (; rc == 0; rc = fcb_search(s, &f, &slot, &gen, &index, &fd, false)) {
        if (fd.st.attr & (DOS_ATTR_DIR | DOS_ATTR_VOLUME))
            continue;
        /* '?' in the new name keeps the old name's character. */
        for (int i = 0; i < 11; i++)
            name[i] = want[i] == '?' ? fd.fcb[i] : dosp_upcase(want[i]);
        dosp_fcb_to_name(name, dos);
        const char *dir = s->search[slot].dir;
        char host[256];
        if (dos[0] == 0 || strlen(dir) + 2 + strlen(dos) > sizeof(to) ||
            dosp_lookup(s, dir, dos, host, sizeof(host)) == 0 ||
            found_path(s, slot, &fd, from, sizeof(from)) != 0)
            continue;
        strcpy(to, dir);
        strcat(to, "/");
        strcat(to, dos);
        if (s->ops.rename(s->ctx, from, to) == 0)
            renamed++;
    }
    if (renamed == 0)
        return fail_al(s, r, DOS_ENOENT);
    r->al = 0;
    return DOS_CALL_DONE;
}

/* ---- AH=29h ---- */

int do_parse_filename(dos_server_t *s, dos_regs_t *r)
{
    uint8_t src[128], fcb[12];
    size_t used;

    vm_read(s->mem, r->ds, r->si, src, sizeof(src));
    vm_read(s->mem, r->es, r->di, fcb, sizeof(fcb));
    r->al = dosp_parse_fcb_name(src, sizeof(src), r->al, fcb, &used, dosp_drive_ok_cb, s);
    vm_write(s->mem, r->es, r->di, fcb, sizeof(fcb));
    r->si = (uint16_t)(r->si + used);
    return DOS_CALL_DONE;
}
