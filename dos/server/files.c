/*
 * Drives, directories and names: the current drive and directory, making
 * and removing directories, deleting, renaming, attributes, time stamps,
 * and the space on a drive (given in the cluster terms DOS uses, with 512-
 * byte sectors and at most 65,534 clusters, so 2 GB at most as in DOS).
 *
 * Entry points: do_disk_reset, do_select_disk, do_current_disk,
 * do_fat_info_default, do_fat_info, do_disk_free, do_mkdir, do_rmdir,
 * do_chdir, do_unlink, do_attrib, do_getcwd, do_rename, do_file_time,
 * do_truename.
 */
#include <stdio.h>
#include <string.h>

#include "dosp.h"

int do_disk_reset(dos_server_t *s, dos_regs_t *r)
{
    (void)r;
    for (int i = 0; i < DOS_SFT_MAX; i++)
        if (s->sft[i].refs > 0 && s->sft[i].kind == DOSP_FILE &&
            !(s->sft[i].flags & DOSP_SFT_STREAM))
            s->ops.flush(s->ctx, s->sft[i].fh);
    return DOS_CALL_DONE;
}

static uint8_t last_drive(const dos_server_t *s)
{
    uint8_t n = 5; /* DOS reports at least A:-E: */
    for (uint8_t d = 0; d < 26; d++)
        if (s->drive[d].mapped && d + 1 > n)
            n = (uint8_t)(d + 1);
    return n;
}

int do_select_disk(dos_server_t *s, dos_regs_t *r)
{
    if (dosp_drive_ok(s, r->dl))
        s->cur_drive = r->dl;
    r->al = last_drive(s);
    return DOS_CALL_DONE;
}

int do_current_disk(dos_server_t *s, dos_regs_t *r)
{
    r->al = s->cur_drive;
    return DOS_CALL_DONE;
}

/* The drive's size in DOS terms; false for an unknown drive. */
static bool geometry(dos_server_t *s, uint8_t d, uint16_t *spc, uint16_t *total, uint16_t *avail)
{
    uint64_t t, a;

    if (!dosp_drive_ok(s, d) || s->ops.disk_free(s->ctx, s->drive[d].root, &t, &a) < 0)
        return false;
    const uint64_t max = 2047ull * 1024 * 1024;
    t = t > max ? max : t;
    a = a > t ? t : a;
    /* The smallest power-of-two cluster that keeps the count in 16 bits. */
    *spc = 1;
    while (t / (512u * *spc) > 65534 && *spc < 64)
        *spc = (uint16_t)(*spc * 2);
    *total = (uint16_t)(t / (512u * *spc));
    *avail = (uint16_t)(a / (512u * *spc));
    return true;
}

int do_disk_free(dos_server_t *s, dos_regs_t *r)
{
    uint16_t spc, total, avail;
    uint8_t d = r->dl == 0 ? s->cur_drive : (uint8_t)(r->dl - 1);

    if (!geometry(s, d, &spc, &total, &avail)) {
        r->ax = 0xFFFF;
        return DOS_CALL_DONE;
    }
    r->ax = spc;
    r->bx = avail;
    r->cx = 512;
    r->dx = total;
    return DOS_CALL_DONE;
}

static int fat_info(dos_server_t *s, dos_regs_t *r, uint8_t d)
{
    uint16_t spc, total, avail;

    if (!geometry(s, d, &spc, &total, &avail)) {
        r->al = 0xFF;
        return DOS_CALL_DONE;
    }
    r->al = (uint8_t)spc;
    r->cx = 512;
    r->dx = total;
    r->ds = VDM_DOS_SEG;
    r->bx = DOSSEG_MEDIA;
    return DOS_CALL_DONE;
}

int do_fat_info_default(dos_server_t *s, dos_regs_t *r)
{
    return fat_info(s, r, s->cur_drive);
}

int do_fat_info(dos_server_t *s, dos_regs_t *r)
{
    return fat_info(s, r, r->dl == 0 ? s->cur_drive : (uint8_t)(r->dl - 1));
}

int do_mkdir(dos_server_t *s, dos_regs_t *r)
{
    dosp_path_t p;
    int rc = dosp_resolve_at(s, r->ds, r->dx, 0, &p);

    if (rc != 0)
        return dosp_fail(s, r, DOS_ENOPATH);
    if (p.exists || p.name[0] == 0)
        return dosp_fail(s, r, DOS_EACCES);
    rc = s->ops.mkdir(s->ctx, p.host);
    return rc < 0 ? dosp_fail(s, r, (uint16_t)-rc) : dosp_ok(r);
}

int do_rmdir(dos_server_t *s, dos_regs_t *r)
{
    dosp_path_t p;
    int rc = dosp_resolve_at(s, r->ds, r->dx, 0, &p);

    if (rc != 0 || !p.exists || p.device != 0 || !(p.st.attr & DOS_ATTR_DIR))
        return dosp_fail(s, r, DOS_ENOPATH);
    if (p.name[0] == 0)
        return dosp_fail(s, r, DOS_EACCES); /* a root */
    if (strcmp(p.dos, s->drive[p.drive].cwd) == 0)
        return dosp_fail(s, r, DOS_ECURDIR);
    rc = s->ops.rmdir(s->ctx, p.host);
    return rc < 0 ? dosp_fail(s, r, (uint16_t)-rc) : dosp_ok(r);
}

int do_chdir(dos_server_t *s, dos_regs_t *r)
{
    dosp_path_t p;
    int rc = dosp_resolve_at(s, r->ds, r->dx, 0, &p);

    if (rc != 0 || !p.exists || p.device != 0 || !(p.st.attr & DOS_ATTR_DIR))
        return dosp_fail(s, r, DOS_ENOPATH);
    dosp_strlcpy(s->drive[p.drive].cwd, strcmp(p.dos, "\\") == 0 ? "" : p.dos,
                 sizeof(s->drive[p.drive].cwd));
    return dosp_ok(r);
}

int do_unlink(dos_server_t *s, dos_regs_t *r)
{
    dosp_path_t p;
    int rc = dosp_resolve_at(s, r->ds, r->dx, 0, &p);

    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    if (!p.exists || p.device != 0)
        return dosp_fail(s, r, DOS_ENOENT);
    if (p.st.attr & (DOS_ATTR_DIR | DOS_ATTR_READONLY))
        return dosp_fail(s, r, DOS_EACCES);
    rc = s->ops.unlink(s->ctx, p.host);
    return rc < 0 ? dosp_fail(s, r, (uint16_t)-rc) : dosp_ok(r);
}

int do_attrib(dos_server_t *s, dos_regs_t *r)
{
    dosp_path_t p;
    int rc = dosp_resolve_at(s, r->ds, r->dx, 0, &p);

    if (r->al > 1)
        return dosp_fail(s, r, DOS_EINVFN);
    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    if (!p.exists || p.device != 0)
        return dosp_fail(s, r, DOS_ENOENT);
    if (r->al == 0) {
        r->cx = p.st.attr;
        return dosp_ok(r);
    }
    /* Only R, H, S and A can be set; a directory keeps its D. */
    if (r->cx & ~(unsigned)(DOS_ATTR_READONLY | DOS_ATTR_HIDDEN | DOS_ATTR_SYSTEM |
                            DOS_ATTR_ARCHIVE | (p.st.attr & DOS_ATTR_DIR)))
        return dosp_fail(s, r, DOS_EACCES);
    rc = s->ops.set_attr(s->ctx, p.host, (uint8_t)r->cx);
    return rc < 0 ? dosp_fail(s, r, (uint16_t)-rc) : dosp_ok(r);
}

int do_getcwd(dos_server_t *s, dos_regs_t *r)
{
    uint8_t d = r->dl == 0 ? s->cur_drive : (uint8_t)(r->dl - 1);

    if (!dosp_drive_ok(s, d))
        return dosp_fail(s, r, DOS_EBADDRV);
    const char *cwd = s->drive[d].cwd;
    if (cwd[0] == '\\')
        cwd++;
    vm_write(s->mem, r->ds, r->si, cwd, strlen(cwd) + 1);
    r->ax = 0x0100;
    return dosp_ok(r);
}

int do_rename(dos_server_t *s, dos_regs_t *r)
{
    dosp_path_t from, to;
    int rc = dosp_resolve_at(s, r->ds, r->dx, 0, &from);

    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    if (!from.exists || from.device != 0 || from.name[0] == 0)
        return dosp_fail(s, r, DOS_ENOENT);
    rc = dosp_resolve_at(s, r->es, r->di, 0, &to);
    if (rc != 0)
        return dosp_fail(s, r, DOS_ENOPATH);
    if (to.drive != from.drive)
        return dosp_fail(s, r, DOS_EXDEV);
    if (to.exists || to.device != 0 || to.name[0] == 0)
        return dosp_fail(s, r, DOS_EACCES);
    rc = s->ops.rename(s->ctx, from.host, to.host);
    return rc < 0 ? dosp_fail(s, r, (uint16_t)-rc) : dosp_ok(r);
}

int do_file_time(dos_server_t *s, dos_regs_t *r)
{
    dos_sft_t *f;
    dos_stat_t st;
    int rc = dosp_handle(s, r->bx, &f);

    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    if (r->al > 1)
        return dosp_fail(s, r, DOS_EINVFN);
    if (f->kind != DOSP_FILE || (f->flags & DOSP_SFT_STREAM)) {
        /* A device's time is now. */
        dos_clock_t c;
        dosp_now(s, &c);
        if (r->al == 0) {
            r->dx = dc_pack_date(c.year, c.month, c.day);
            r->cx = dc_pack_time(c.ms / 3600000, c.ms / 60000 % 60, c.ms / 1000 % 60);
        }
        return dosp_ok(r);
    }
    if (r->al == 1) {
        rc = s->ops.set_ftime(s->ctx, f->fh, r->dx, r->cx);
        return rc < 0 ? dosp_fail(s, r, (uint16_t)-rc) : dosp_ok(r);
    }
    rc = s->ops.fstat(s->ctx, f->fh, &st);
    if (rc < 0)
        return dosp_fail(s, r, (uint16_t)-rc);
    r->cx = st.time;
    r->dx = st.date;
    return dosp_ok(r);
}

/* AH=60h: the canonical form of a name, "C:\DIR\NAME.EXT" (wildcards
 * kept, device names as they are without a path). */
int do_truename(dos_server_t *s, dos_regs_t *r)
{
    dosp_path_t p;
    char out[84];
    int rc = dosp_resolve_at(s, r->ds, r->si, DOSP_PATH_WILD, &p);

    if (rc != 0)
        return dosp_fail(s, r, (uint16_t)rc);
    if (p.device != 0)
        snprintf(out, sizeof(out), "%c:/%s", 'A' + p.drive, p.name);
    else
        snprintf(out, sizeof(out), "%c:%s", 'A' + p.drive, p.dos);
    vm_write(s->mem, r->es, r->di, out, strlen(out) + 1);
    return dosp_ok(r);
}
