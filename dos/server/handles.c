/*
 * Handles: the system file table (SFT, shared by all programs, one entry
 * per open file or device with a reference count and the file position)
 * and each program's job file table (JFT: the bytes at PSP:34h's pointer,
 * PSP:18h by default, mapping handle numbers to SFT entries), and the
 * handle calls built on them.
 *
 * Entry points: dosp_sft_alloc, dosp_sft_release, dosp_handle,
 * dosp_handle_new, dosp_close_handle, dosp_open_path, dosp_create_path,
 * dosp_sft_read, dosp_sft_write, dosp_std_handles, dosp_inherit_handles,
 * dosp_close_all; do_create, do_open, do_close, do_read, do_write,
 * do_seek, do_dup, do_dup2, do_create_temp, do_create_new, do_commit,
 * do_ext_open, do_set_handle_count.
 */
#include <stdio.h>
#include <string.h>

#include "dosp.h"

/* ---- the tables ---- */

int dosp_sft_alloc(dos_server_t *s)
{
    for (int i = 0; i < DOS_SFT_MAX; i++) {
        if (s->sft[i].refs == 0) {
            memset(&s->sft[i], 0, sizeof(s->sft[i]));
            s->sft[i].refs = 1;
            s->sft[i].fh = -1;
            s->sft[i].peeked = -1;
            return i;
        }
    }
    return -DOS_EMFILE;
}

void dosp_sft_release(dos_server_t *s, int i)
{
    dos_sft_t *f = &s->sft[i];

    if (f->refs == 0 || --f->refs > 0)
        return;
    if (f->kind == DOSP_FILE && !(f->flags & DOSP_SFT_REDIR) && f->fh >= 0)
        s->ops.close(s->ctx, f->fh);
}

/* Where a PSP's JFT is; a table a program has wrecked counts as the default. */
static void jft(const dos_server_t *s, uint16_t psp, uint16_t *seg, uint16_t *off, uint16_t *size)
{
    *size = dosp_psp16(s, psp, PSP_JFT_SIZE);
    *off = dosp_psp16(s, psp, PSP_JFT_PTR);
    *seg = dosp_psp16(s, psp, PSP_JFT_PTR + 2);
    if (*size == 0 || *size > 255) {
        *size = PSP_JFT_DEFAULT;
        *seg = psp;
        *off = PSP_JFT;
    }
}

static int sft_of(const dos_server_t *s, uint16_t psp, uint16_t h)
{
    uint16_t seg, off, size;

    jft(s, psp, &seg, &off, &size);
    if (h >= size)
        return -1;
    uint8_t i = vm_rd8(s->mem, seg, (uint16_t)(off + h));
    if (i >= DOS_SFT_MAX || s->sft[i].refs == 0)
        return -1;
    return i;
}

int dosp_handle(dos_server_t *s, uint16_t h, dos_sft_t **out)
{
    int i = sft_of(s, s->cur_psp, h);

    if (i < 0)
        return DOS_EBADF;
    *out = &s->sft[i];
    return 0;
}

/* Puts SFT entry i (whose reference the caller holds) in the current
 * program's first free handle; releases it when there is none. */
int dosp_handle_new(dos_server_t *s, int i)
{
    uint16_t seg, off, size;

    jft(s, s->cur_psp, &seg, &off, &size);
    for (uint16_t h = 0; h < size; h++) {
        if (vm_rd8(s->mem, seg, (uint16_t)(off + h)) == 0xFF) {
            vm_wr8(s->mem, seg, (uint16_t)(off + h), (uint8_t)i);
            return h;
        }
    }
    dosp_sft_release(s, i);
    return -DOS_EMFILE;
}

int dosp_close_handle(dos_server_t *s, uint16_t psp, uint16_t h)
{
    uint16_t seg, off, size;
    int i = sft_of(s, psp, h);

    if (i < 0)
        return DOS_EBADF;
    jft(s, psp, &seg, &off, &size);
    vm_wr8(s->mem, seg, (uint16_t)(off + h), 0xFF);
    dosp_sft_release(s, i);
    return 0;
}

static int device_sft(dos_server_t *s, int kind, uint8_t mode, const char *name)
{
    int i = dosp_sft_alloc(s);

    if (i < 0)
        return i;
    s->sft[i].kind = (uint8_t)kind;
    s->sft[i].mode = mode;
    dosp_strlcpy(s->sft[i].name, name, sizeof(s->sft[i].name));
    return i;
}

static int redirected_sft(dos_server_t *s, const dos_redirect_t *rd, uint8_t mode)
{
    int i = dosp_sft_alloc(s);

    if (i < 0)
        return i;
    s->sft[i].kind = DOSP_FILE;
    s->sft[i].mode = mode;
    s->sft[i].fh = rd->fh;
    s->sft[i].flags = DOSP_SFT_REDIR | DOSP_SFT_STREAM;
    s->sft[i].drive = s->cur_drive;
    strcpy(s->sft[i].name, mode == 0 ? "STDIN" : "STDOUT");
    return i;
}

/* Handles 0-4 of the shell: CON (or the redirections), CON, CON, AUX, PRN. */
void dosp_std_handles(dos_server_t *s, uint16_t psp)
{
    int con = device_sft(s, DOSP_CON, 2, "CON");
    int in = s->stdin_redir.active ? redirected_sft(s, &s->stdin_redir, 0) : con;
    int out = s->stdout_redir.active ? redirected_sft(s, &s->stdout_redir, 1) : con;
    int aux = device_sft(s, DOSP_AUX, 2, "AUX");
    int prn = device_sft(s, DOSP_PRN, 1, "PRN");
    int map[5] = {in, out, con, aux, prn};

    vm_fill(s->mem, psp, PSP_JFT, 0xFF, PSP_JFT_DEFAULT);
    s->sft[con].refs = 0;
    for (int h = 0; h < 5; h++) {
        vm_wr8(s->mem, psp, (uint16_t)(PSP_JFT + h), (uint8_t)map[h]);
        if (map[h] == con)
            s->sft[con].refs++;
    }
}

void dosp_inherit_handles(dos_server_t *s, uint16_t parent, uint16_t child)
{
    vm_fill(s->mem, child, PSP_JFT, 0xFF, PSP_JFT_DEFAULT);
    for (uint16_t h = 0; h < PSP_JFT_DEFAULT; h++) {
        int i = sft_of(s, parent, h);
        if (i < 0 || (s->sft[i].mode & 0x80) || s->sft[i].refs == 255)
            continue;
        s->sft[i].refs++;
        vm_wr8(s->mem, child, (uint16_t)(PSP_JFT + h), (uint8_t)i);
    }
}

void dosp_close_all(dos_server_t *s, uint16_t psp)
{
    uint16_t seg, off, size;

    jft(s, psp, &seg, &off, &size);
    for (uint16_t h = 0; h < size; h++)
        dosp_close_handle(s, psp, h);
    for (int i = 0; i < DOS_SFT_MAX; i++)
        if (s->sft[i].refs > 0 && (s->sft[i].flags & DOSP_SFT_FCB) && s->sft[i].owner == psp)
            dosp_sft_release(s, i);
}

/* ---- opening ---- */

int dosp_open_path(dos_server_t *s, dosp_path_t *p, uint8_t mode, int *out)
{
    uint8_t access = mode & 7;
    static const char *const dev_names[] = {"", "", "CON", "AUX", "PRN", "NUL"};
    int fh;

    if (access > 2)
        return DOS_EBADACC;
    if (p->device != 0) {
        int i = device_sft(s, p->device, mode, dev_names[p->device]);
        if (i < 0)
            return -i;
        *out = i;
        return 0;
    }
    if (p->wild)
        return DOS_ENOENT;
    if (!p->exists)
        return DOS_ENOENT;
    if ((p->st.attr & DOS_ATTR_DIR) || (access != 0 && (p->st.attr & DOS_ATTR_READONLY)))
        return DOS_EACCES;
    int i = dosp_sft_alloc(s);
    if (i < 0)
        return -i;
    unsigned how = access == 0   ? DOS_OPEN_READ
                   : access == 1 ? DOS_OPEN_WRITE
                                 : DOS_OPEN_READ | DOS_OPEN_WRITE;
    int rc = s->ops.open(s->ctx, p->host, how, &fh);
    if (rc < 0) {
        s->sft[i].refs = 0;
        return -rc;
    }
    dos_sft_t *f = &s->sft[i];
    f->kind = DOSP_FILE;
    f->mode = mode;
    f->fh = fh;
    f->drive = p->drive;
    dosp_strlcpy(f->name, p->name, sizeof(f->name));
    *out = i;
    return 0;
}

int dosp_create_path(dos_server_t *s, dosp_path_t *p, uint8_t attr, bool excl, int *out)
{
    int fh;

    if (p->device != 0)
        return dosp_open_path(s, p, 2, out);
    if (p->wild)
        return DOS_ENOENT;
    if (attr & (DOS_ATTR_VOLUME | DOS_ATTR_DIR)) {
        dosp_logf(s, 0x3C08, "creating volume labels and directories with create is not supported");
        return DOS_EACCES;
    }
    if (p->exists && excl)
        return DOS_EEXIST;
    if (p->exists && (p->st.attr & (DOS_ATTR_DIR | DOS_ATTR_READONLY)))
        return DOS_EACCES;
    int i = dosp_sft_alloc(s);
    if (i < 0)
        return -i;
    unsigned how = DOS_OPEN_READ | DOS_OPEN_WRITE | DOS_OPEN_CREATE | DOS_OPEN_TRUNC;
    int rc = s->ops.open(s->ctx, p->host, how | (excl ? DOS_OPEN_EXCL : 0), &fh);
    if (rc < 0) {
        s->sft[i].refs = 0;
        return -rc;
    }
    if (attr & (DOS_ATTR_READONLY | DOS_ATTR_HIDDEN | DOS_ATTR_SYSTEM))
        s->ops.set_attr(s->ctx, p->host, (uint8_t)(attr | DOS_ATTR_ARCHIVE));
    dos_sft_t *f = &s->sft[i];
    f->kind = DOSP_FILE;
    f->mode = 2;
    f->fh = fh;
    f->drive = p->drive;
    dosp_strlcpy(f->name, p->name, sizeof(f->name));
    *out = i;
    return 0;
}

/* ---- transfers ---- */

static int32_t file_xfer(dos_server_t *s, dos_sft_t *f, uint32_t lin, uint32_t n, bool wr)
{
    uint32_t done = 0;

    if (!wr && f->peeked >= 0 && n > 0) {
        s->mem[lin & VDM_ADDR_MASK] = (uint8_t)f->peeked;
        f->peeked = -1;
        done = 1;
    }
    /* A transfer past 1 MiB wraps to 0, as the address lines do. */
    while (done < n) {
        uint32_t at = (lin + done) & VDM_ADDR_MASK;
        uint32_t chunk = n - done;
        if (chunk > 0x100000 - at)
            chunk = 0x100000 - at;
        int32_t got = wr ? s->ops.write(s->ctx, f->fh, f->pos, s->mem + at, chunk)
                         : s->ops.read(s->ctx, f->fh, f->pos, s->mem + at, chunk);
        if (got < 0)
            return done > 0 ? (int32_t)done : got;
        f->pos += (uint32_t)got;
        done += (uint32_t)got;
        if ((uint32_t)got < chunk)
            break;
    }
    return (int32_t)done;
}

int32_t dosp_sft_read(dos_server_t *s, dos_sft_t *f, uint32_t lin, uint32_t n)
{
    int32_t got;

    if ((f->mode & 7) == 1)
        return -DOS_EACCES;
    switch (f->kind) {
    case DOSP_FILE:
        return file_xfer(s, f, lin, n, false);
    case DOSP_CON: {
        int rc = dosp_con_read_dev(s, f, lin, n, &got);
        return rc != 0 ? rc : got;
    }
    case DOSP_AUX:
        if (s->ops.aux_read == NULL) {
            dosp_logf(s, 0x3F03, "read from AUX: there is no auxiliary device");
            return -DOS_EREAD;
        }
        for (got = 0; (uint32_t)got < n; got++) {
            int c = s->ops.aux_read(s->ctx);
            if (c < 0)
                break;
            s->mem[(lin + (uint32_t)got) & VDM_ADDR_MASK] = (uint8_t)c;
        }
        return got;
    default: /* NUL, and PRN which has no input */
        return 0;
    }
}

int32_t dosp_sft_write(dos_server_t *s, dos_sft_t *f, uint32_t lin, uint32_t n)
{
    char buf[256];
    int (*dev)(void *, const char *, size_t) = NULL;

    if ((f->mode & 7) == 0)
        return -DOS_EACCES;
    switch (f->kind) {
    case DOSP_FILE:
        f->flags |= DOSP_SFT_WRITTEN;
        if (n == 0) {
            /* A zero-byte write sets the file's size to the position. */
            if (f->flags & DOSP_SFT_STREAM)
                return 0;
            int rc = s->ops.set_size(s->ctx, f->fh, f->pos);
            return rc < 0 ? rc : 0;
        }
        return file_xfer(s, f, lin, n, true);
    case DOSP_NUL:
        return (int32_t)n;
    case DOSP_AUX:
        dev = s->ops.aux_write;
        break;
    case DOSP_PRN:
        dev = s->ops.prn_write;
        break;
    default:
        break;
    }
    if (f->kind != DOSP_CON && dev == NULL) {
        dosp_logf(s, 0x4000u | f->kind, "write to %s: there is no such device", f->name);
        return -DOS_EWRITE;
    }
    for (uint32_t done = 0; done < n;) {
        uint32_t chunk = n - done > sizeof(buf) ? (uint32_t)sizeof(buf) : n - done;
        for (uint32_t i = 0; i < chunk; i++)
            buf[i] = (char)s->mem[(lin + done + i) & VDM_ADDR_MASK];
        if (f->kind == DOSP_CON)
            dosp_con_write(s, buf, chunk, !(f->flags & DOSP_SFT_RAW));
        else if (dev(s->ctx, buf, chunk) < 0)
            return done > 0 ? (int32_t)done : -DOS_EWRITE;
        done += chunk;
    }
    return (int32_t)n;
}

/* ---- the calls ---- */

static int open_result(dos_server_t *s, dos_regs_t *r, int rc, int i)
{
    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    int h = dosp_handle_new(s, i);
    if (h < 0)
        return dosp_fail(s, r, (uint16_t)-h);
    r->ax = (uint16_t)h;
    return dosp_ok(r);
}

int do_open(dos_server_t *s, dos_regs_t *r)
{
    dosp_path_t p;
    int i = -1;
    int rc = dosp_resolve_at(s, r->ds, r->dx, 0, &p);

    if (rc == 0)
        rc = dosp_open_path(s, &p, r->al, &i);
    return open_result(s, r, rc, i);
}

static int create(dos_server_t *s, dos_regs_t *r, bool excl)
{
    dosp_path_t p;
    int i = -1;
    int rc = dosp_resolve_at(s, r->ds, r->dx, 0, &p);

    if (rc == 0)
        rc = dosp_create_path(s, &p, (uint8_t)r->cx, excl, &i);
    return open_result(s, r, rc, i);
}

int do_create(dos_server_t *s, dos_regs_t *r)
{
    return create(s, r, false);
}

int do_create_new(dos_server_t *s, dos_regs_t *r)
{
    return create(s, r, true);
}

int do_create_temp(dos_server_t *s, dos_regs_t *r)
{
    char dir[128], name[140];
    dos_clock_t now;

    if (!dosp_get_string(s, r->ds, r->dx, dir, sizeof(dir) - 13))
        return dosp_fail(s, r, DOS_ENOPATH);
    size_t len = strlen(dir);
    if (len > 0 && dir[len - 1] != '\\' && dir[len - 1] != '/' && dir[len - 1] != ':')
        dir[len++] = '\\', dir[len] = 0;
    dosp_now(s, &now);
    for (unsigned attempt = 0; attempt < 64; attempt++) {
        dosp_path_t p;
        int i = -1;
        snprintf(name, sizeof(name), "%s%08X", dir, (unsigned)(now.ms + attempt * 7919u));
        int rc = dosp_resolve(s, name, 0, &p);
        if (rc == 0)
            rc = dosp_create_path(s, &p, (uint8_t)r->cx, true, &i);
        if (rc == DOS_EEXIST)
            continue;
        if (rc == 0)
            vm_write(s->mem, r->ds, (uint16_t)(r->dx + len), name + len, strlen(name + len) + 1);
        return open_result(s, r, rc, i);
    }
    return dosp_fail(s, r, DOS_EACCES);
}

int do_ext_open(dos_server_t *s, dos_regs_t *r)
{
    dosp_path_t p;
    int i = -1;
    uint8_t exists = r->dl & 0x0F, missing = r->dl >> 4;

    if (r->al != 0 || exists > 2 || missing > 1)
        return dosp_fail(s, r, DOS_EINVFN);
    int rc = dosp_resolve_at(s, r->ds, r->si, 0, &p);
    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    uint16_t action = 0;
    if (p.exists && exists == 0) {
        rc = DOS_EEXIST;
    } else if (p.exists && exists == 1) {
        rc = dosp_open_path(s, &p, r->bl, &i);
        action = 1;
    } else if (p.exists) {
        rc = dosp_create_path(s, &p, (uint8_t)r->cx, false, &i);
        action = 3;
    } else if (missing == 0) {
        rc = DOS_ENOENT;
    } else {
        rc = dosp_create_path(s, &p, (uint8_t)r->cx, false, &i);
        action = 2;
    }
    rc = open_result(s, r, rc, i);
    if (!(r->flags & DOS_FLAG_CF))
        r->cx = action;
    return rc;
}

int do_close(dos_server_t *s, dos_regs_t *r)
{
    int rc = dosp_close_handle(s, s->cur_psp, r->bx);

    return rc != 0 ? dosp_fail(s, r, (uint16_t)rc) : dosp_ok(r);
}

static int xfer_result(dos_server_t *s, dos_regs_t *r, int32_t got)
{
    if (got == DOSP_RD_BREAK)
        return DOSP_BREAK;
    if (got == DOSP_RD_NOINPUT)
        return DOS_CALL_NOINPUT;
    if (got < 0)
        return dosp_fail(s, r, (uint16_t)-got);
    r->ax = (uint16_t)got;
    return dosp_ok(r);
}

int do_read(dos_server_t *s, dos_regs_t *r)
{
    dos_sft_t *f;
    int rc = dosp_handle(s, r->bx, &f);

    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    return xfer_result(s, r, dosp_sft_read(s, f, vm_lin(r->ds, r->dx), r->cx));
}

int do_write(dos_server_t *s, dos_regs_t *r)
{
    dos_sft_t *f;
    int rc = dosp_handle(s, r->bx, &f);

    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    if (f->kind == DOSP_CON && !(f->flags & DOSP_SFT_RAW) && dosp_check_break(s))
        return DOSP_BREAK;
    return xfer_result(s, r, dosp_sft_write(s, f, vm_lin(r->ds, r->dx), r->cx));
}

int do_seek(dos_server_t *s, dos_regs_t *r)
{
    dos_sft_t *f;
    dos_stat_t st;
    int rc = dosp_handle(s, r->bx, &f);

    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    if (r->al > 2)
        return dosp_fail(s, r, DOS_EINVFN);
    uint32_t off = (uint32_t)r->cx << 16 | r->dx;
    if (f->kind != DOSP_FILE || (f->flags & DOSP_SFT_STREAM)) {
        /* Devices and pipes have no position. */
        r->ax = r->dx = 0;
        return dosp_ok(r);
    }
    if (r->al == 0) {
        f->pos = off;
    } else if (r->al == 1) {
        f->pos += off;
    } else {
        rc = s->ops.fstat(s->ctx, f->fh, &st);
        if (rc < 0)
            return dosp_fail(s, r, (uint16_t)-rc);
        /* DOS keeps a 32-bit position: before the start wraps around. */
        f->pos = st.size + off;
    }
    r->ax = (uint16_t)f->pos;
    r->dx = (uint16_t)(f->pos >> 16);
    return dosp_ok(r);
}

int do_dup(dos_server_t *s, dos_regs_t *r)
{
    dos_sft_t *f;
    int rc = dosp_handle(s, r->bx, &f);

    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    if (f->refs == 255)
        return dosp_fail(s, r, DOS_EMFILE);
    f->refs++;
    int h = dosp_handle_new(s, (int)(f - s->sft));
    if (h < 0)
        return dosp_fail(s, r, (uint16_t)-h);
    r->ax = (uint16_t)h;
    return dosp_ok(r);
}

int do_dup2(dos_server_t *s, dos_regs_t *r)
{
    dos_sft_t *f;
    uint16_t seg, off, size;
    int rc = dosp_handle(s, r->bx, &f);

    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    jft(s, s->cur_psp, &seg, &off, &size);
    if (r->cx >= size)
        return dosp_fail(s, r, DOS_EBADF);
    if (r->cx == r->bx)
        return dosp_ok(r);
    if (f->refs == 255)
        return dosp_fail(s, r, DOS_EMFILE);
    f->refs++;
    dosp_close_handle(s, s->cur_psp, r->cx);
    vm_wr8(s->mem, seg, (uint16_t)(off + r->cx), (uint8_t)(f - s->sft));
    return dosp_ok(r);
}

int do_commit(dos_server_t *s, dos_regs_t *r)
{
    dos_sft_t *f;
    int rc = dosp_handle(s, r->bx, &f);

    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    if (f->kind == DOSP_FILE && !(f->flags & DOSP_SFT_STREAM)) {
        rc = s->ops.flush(s->ctx, f->fh);
        if (rc < 0)
            return dosp_fail(s, r, (uint16_t)-rc);
    }
    return dosp_ok(r);
}

/* AH=67h: a JFT larger than the PSP's 20 bytes lives in a memory block
 * the program owns. */
int do_set_handle_count(dos_server_t *s, dos_regs_t *r)
{
    uint16_t seg, off, size, nseg, largest;
    uint16_t psp = s->cur_psp, want = r->bx < PSP_JFT_DEFAULT ? PSP_JFT_DEFAULT : r->bx;

    if (want > 255)
        return dosp_fail(s, r, DOS_EMFILE);
    jft(s, psp, &seg, &off, &size);
    if (want == size)
        return dosp_ok(r);
    for (uint16_t h = want; h < size; h++)
        if (vm_rd8(s->mem, seg, (uint16_t)(off + h)) != 0xFF)
            return dosp_fail(s, r, DOS_EMFILE);
    if (want == PSP_JFT_DEFAULT) {
        nseg = psp;
    } else {
        int rc = dosp_mem_alloc(s->mem, VDM_ARENA_SEG, (uint16_t)((want + 15) / 16), psp,
                                s->alloc_strategy, &nseg, &largest);
        if (rc != 0)
            return dosp_fail(s, r, (uint16_t)rc);
    }
    uint16_t noff = nseg == psp ? PSP_JFT : 0;
    uint8_t table[255];
    vm_read(s->mem, seg, off, table, size);
    for (uint16_t h = 0; h < want; h++)
        vm_wr8(s->mem, nseg, (uint16_t)(noff + h), h < size ? table[h] : 0xFF);
    if (seg != psp)
        dosp_mem_free(s->mem, VDM_ARENA_SEG, seg);
    vm_wr16(s->mem, psp, PSP_JFT_SIZE, want);
    vm_wr16(s->mem, psp, PSP_JFT_PTR, noff);
    vm_wr16(s->mem, psp, PSP_JFT_PTR + 2, nseg);
    return dosp_ok(r);
}
