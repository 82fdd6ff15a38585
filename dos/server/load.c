/*
 * Program loading for EXEC (AH=4Bh) and the first program: the
 * environment block, the program's memory block, its PSP, and the image,
 * a .COM copied whole to PSP:0100h or an MZ load module relocated to the
 * load segment.
 *
 * Loading is done in two passes so that the loader library validates
 * each image completely before DOS commits any memory: the file is first
 * read into the top of the largest free block (which nothing owns yet)
 * and parsed there with ldr_com_parse / ldr_mz_parse; only then are the
 * blocks allocated and the load module and relocations read again from
 * the file straight to where they belong. Each relocation is checked
 * against the module once more when applied, as the file could have
 * changed in between.
 *
 * Entry points: dosp_load.
 */
#include <stdio.h>
#include <string.h>

#include <loader/com.h>
#include <loader/mz.h>

#include "dosp.h"

typedef struct image {
    bool exe;
    uint32_t size;      /* bytes of the file read and parsed */
    ldr_mz_info_t mz;   /* exe */
    uint32_t min_paras; /* for the program block, PSP included */
    uint32_t max_paras;
    bool load_high; /* MZ with no extra memory asked for: load at the top */
} image_t;

static int fail(int code, char *why, size_t why_size, const char *path, const char *what)
{
    snprintf(why, why_size, "%s: %s", path, what);
    return code;
}

/* Reads n bytes at file position pos to linear address lin. */
static int32_t read_to(dos_server_t *s, int fh, uint32_t pos, uint32_t lin, uint32_t n)
{
    uint32_t done = 0;

    if (lin + (uint64_t)n > VDM_MEM_SIZE)
        return -DOS_ENOMEM;
    while (done < n) {
        uint32_t chunk = n - done > 0x8000 ? 0x8000 : n - done;
        int32_t got = s->ops.read(s->ctx, fh, pos + done, s->mem + lin + done, chunk);
        if (got < 0)
            return got;
        if (got == 0)
            break;
        done += (uint32_t)got;
    }
    return (int32_t)done;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* How much of the file the parser must see: all of a .COM (or one byte
 * past the limit, to be told it is too large), the MZ image and its
 * relocation table, but no overlay data after them. */
static uint32_t bytes_to_parse(const uint8_t *h, uint32_t hlen, uint32_t size, bool exe)
{
    if (!exe)
        return size < LDR_COM_MAX + 1 ? size : LDR_COM_MAX + 1;
    if (hlen < LDR_MZ_HDR_MIN)
        return size;
    uint32_t image = (uint32_t)le16(h + 4) * 512;
    if (le16(h + 2) != 0 && image >= 512)
        image -= 512 - le16(h + 2);
    uint32_t relocs = le16(h + 0x18) + 4u * le16(h + 6);
    uint32_t need = image > relocs ? image : relocs;
    if (need < LDR_MZ_HDR_FULL)
        need = LDR_MZ_HDR_FULL;
    return need < size ? need : size;
}

/* Pass one: read and validate the image in free memory. */
static int check_image(dos_server_t *s, int fh, uint32_t size, image_t *im, const char *path,
                       char *why, size_t why_size)
{
    uint8_t h[LDR_MZ_HDR_MIN];
    const char *w = NULL;
    uint16_t mcb, paras;

    int32_t got = s->ops.read(s->ctx, fh, 0, h, sizeof(h));
    if (got < 0)
        return fail(-got, why, why_size, path, "cannot be read");
    im->exe = got >= 2 && ((h[0] == 'M' && h[1] == 'Z') || (h[0] == 'Z' && h[1] == 'M'));
    uint32_t n = bytes_to_parse(h, (uint32_t)got, size, im->exe);

    int rc = dosp_mem_largest(s->mem, VDM_ARENA_SEG, &mcb, &paras);
    if (rc != 0)
        return fail(rc, why, why_size, path, "memory control blocks destroyed");
    if (n > (uint32_t)paras * 16)
        return fail(DOS_ENOMEM, why, why_size, path, "not enough memory to load the program");
    uint32_t scratch = ((uint32_t)mcb + 1 + paras) * 16 - n;
    got = read_to(s, fh, 0, scratch, n);
    if (got < 0)
        return fail(-got, why, why_size, path, "cannot be read");
    im->size = (uint32_t)got;

    if (!im->exe) {
        ldr_com_info_t ci;
        if (ldr_com_parse(s->mem + scratch, im->size, &ci, &w) != LDR_OK)
            return fail(DOS_EBADFMT, why, why_size, path, w);
        /* PSP, image, and room for the stack word. */
        im->min_paras = 0x10 + (im->size + 15) / 16 + 1;
        im->max_paras = 0xFFFF;
        return 0;
    }
    if (ldr_mz_parse(s->mem + scratch, im->size, &im->mz, &w) != LDR_OK)
        return fail(DOS_EBADFMT, why, why_size, path, w);
    im->min_paras = 0x10 + im->mz.min_paras;
    im->max_paras = 0x10 + im->mz.max_paras;
    if (im->max_paras > 0xFFFF)
        im->max_paras = 0xFFFF;
    im->load_high = im->mz.hdr.e_minalloc == 0 && im->mz.hdr.e_maxalloc == 0;
    return 0;
}

/* Pass two for an MZ image: the load module to load_seg, relocated by
 * reloc_seg. */
static int place_exe(dos_server_t *s, int fh, const image_t *im, uint16_t load_seg,
                     uint16_t reloc_seg)
{
    const ldr_mz_info_t *mz = &im->mz;
    uint32_t base = (uint32_t)load_seg * 16;
    uint8_t buf[256];

    int32_t got = read_to(s, fh, mz->load_offset, base, mz->load_size);
    if (got < 0)
        return -got;
    if ((uint32_t)got != mz->load_size)
        return DOS_EBADFMT;
    for (uint32_t i = 0; i < mz->nrelocs; i += sizeof(buf) / 4) {
        uint32_t n = mz->nrelocs - i < sizeof(buf) / 4 ? mz->nrelocs - i : sizeof(buf) / 4;
        got = s->ops.read(s->ctx, fh, mz->reloc_offset + 4 * i, buf, 4 * n);
        if (got != (int32_t)(4 * n))
            return DOS_EBADFMT;
        for (uint32_t j = 0; j < n; j++) {
            uint32_t at = (uint32_t)le16(buf + 4 * j + 2) * 16 + le16(buf + 4 * j);
            if (at + 2 > mz->load_size)
                return DOS_EBADFMT;
            uint8_t *p = s->mem + base + at;
            uint16_t w = (uint16_t)(le16(p) + reloc_seg);
            p[0] = (uint8_t)w;
            p[1] = (uint8_t)(w >> 8);
        }
    }
    return 0;
}

/* Bytes of an environment block up to and including its final NUL, or
 * -1 when there is none within 32 KiB. */
static int32_t env_length(const dos_server_t *s, uint16_t seg)
{
    if (seg == 0)
        return 0;
    if (vm_rd8(s->mem, seg, 0) == 0)
        return 1;
    for (uint32_t i = 1; i < 0x8000; i++)
        if (vm_rd8(s->mem, seg, (uint16_t)i) == 0 && vm_rd8(s->mem, seg, (uint16_t)(i - 1)) == 0)
            return (int32_t)i + 1;
    return -1;
}

static uint32_t far_vector(const dos_server_t *s, uint8_t n)
{
    return vm_rd32(s->mem, 0, (uint16_t)(n * 4));
}

static bool fcb_drive_ok(const dos_server_t *s, uint8_t d)
{
    return d == 0 || dosp_drive_ok(s, (uint8_t)(d - 1));
}

static void build_psp(dos_server_t *s, uint16_t psp, uint16_t end, uint16_t env,
                      const dosp_exec_t *x)
{
    uint8_t *m = s->mem;

    vm_fill(m, psp, 0, 0, 0x100);
    vm_wr16(m, psp, PSP_INT20, 0x20CD);
    vm_wr16(m, psp, PSP_MEM_TOP, end);
    /* CALL F01D:FEF0 reaches 0000:00C0 through the 1 MiB wrap, where the
     * CP/M entry jump is; FEF0h doubles as the segment's size for CP/M. */
    vm_wr8(m, psp, PSP_CPM_CALL, 0x9A);
    vm_wr16(m, psp, PSP_CPM_CALL + 1, 0xFEF0);
    vm_wr16(m, psp, PSP_CPM_CALL + 3, 0xF01D);
    vm_wr16(m, psp, PSP_INT22, x->ret_ip);
    vm_wr16(m, psp, PSP_INT22 + 2, x->ret_cs);
    vm_wr32(m, psp, PSP_INT23, far_vector(s, 0x23));
    vm_wr32(m, psp, PSP_INT24, far_vector(s, 0x24));
    vm_wr16(m, psp, PSP_PARENT, s->cur_psp);
    vm_wr16(m, psp, PSP_ENV, env);
    vm_wr16(m, psp, PSP_JFT_SIZE, PSP_JFT_DEFAULT);
    vm_wr16(m, psp, PSP_JFT_PTR, PSP_JFT);
    vm_wr16(m, psp, PSP_JFT_PTR + 2, psp);
    vm_wr32(m, psp, PSP_PREV, 0xFFFFFFFFu);
    vm_wr8(m, psp, PSP_DISPATCH, 0xCD);
    vm_wr8(m, psp, PSP_DISPATCH + 1, 0x21);
    vm_wr8(m, psp, PSP_DISPATCH + 2, 0xCB);
    vm_write(m, psp, PSP_FCB1, x->fcb1, 16);
    vm_write(m, psp, PSP_FCB2, x->fcb2, 16);
    vm_write(m, psp, PSP_TAIL, x->tail, 128);
    dosp_inherit_handles(s, s->cur_psp, psp);
}

/* EXEC AL=03h: the image at the caller's segment, no PSP, no memory. */
static int load_overlay(dos_server_t *s, int fh, const image_t *im, dosp_exec_t *x)
{
    if (!im->exe) {
        int32_t got = read_to(s, fh, 0, (uint32_t)x->ovl_seg * 16, im->size);
        return got < 0 ? -got : 0;
    }
    if ((uint32_t)x->ovl_seg * 16 + im->mz.load_size > 0x100000)
        return DOS_ENOMEM;
    return place_exe(s, fh, im, x->ovl_seg, x->ovl_reloc);
}

/* Allocates and fills the child's environment: the strings, a word 1 and
 * the program's full name. */
static int make_env(dos_server_t *s, const char *full, uint16_t src, uint16_t *seg)
{
    int32_t len = env_length(s, src);
    uint16_t largest;

    if (len < 0)
        return DOS_EBADENV;
    uint32_t total = (uint32_t)len + 2 + (uint32_t)strlen(full) + 1;
    int rc = dosp_mem_alloc(s->mem, VDM_ARENA_SEG, (uint16_t)((total + 15) / 16), s->cur_psp,
                            DOSP_FIT_FIRST, seg, &largest);
    if (rc != 0)
        return rc;
    for (int32_t i = 0; i < len; i++)
        vm_wr8(s->mem, *seg, (uint16_t)i, vm_rd8(s->mem, src, (uint16_t)i));
    if (len == 0)
        vm_wr8(s->mem, *seg, (uint16_t)len++, 0);
    vm_wr16(s->mem, *seg, (uint16_t)len, 1);
    vm_write(s->mem, *seg, (uint16_t)(len + 2), full, strlen(full) + 1);
    return 0;
}

static int load_program(dos_server_t *s, int fh, const image_t *im, const char *full,
                        dosp_exec_t *x, char *why, size_t why_size)
{
    uint16_t env, mcb, paras, blk, largest;
    uint16_t src = x->env != 0 ? x->env : dosp_psp16(s, s->cur_psp, PSP_ENV);

    int rc = make_env(s, full, src, &env);
    if (rc != 0)
        return fail(rc, why, why_size, full,
                    rc == DOS_EBADENV ? "the environment is invalid"
                                      : "not enough memory for the environment");
    rc = dosp_mem_largest(s->mem, VDM_ARENA_SEG, &mcb, &paras);
    if (rc == 0 && paras < im->min_paras)
        rc = DOS_ENOMEM;
    uint16_t want = im->load_high || paras < im->max_paras ? paras : (uint16_t)im->max_paras;
    if (rc == 0)
        rc =
            dosp_mem_alloc(s->mem, VDM_ARENA_SEG, want, s->cur_psp, DOSP_FIT_FIRST, &blk, &largest);
    if (rc != 0) {
        dosp_mem_free(s->mem, VDM_ARENA_SEG, env);
        return fail(rc, why, why_size, full,
                    rc == DOS_ENOMEM ? "not enough memory" : "memory control blocks destroyed");
    }

    uint16_t psp = blk, end = (uint16_t)(blk + want);
    if (im->exe) {
        uint16_t module = (uint16_t)((im->mz.load_size + 15) / 16);
        uint16_t load = im->load_high ? (uint16_t)(end - module) : (uint16_t)(psp + 0x10);
        rc = place_exe(s, fh, im, load, load);
        x->cs = (uint16_t)(load + im->mz.cs);
        x->ip = im->mz.ip;
        x->ss = (uint16_t)(load + im->mz.ss);
        x->sp = im->mz.sp;
    } else {
        int32_t got = read_to(s, fh, 0, ((uint32_t)psp + 0x10) * 16, im->size);
        rc = got < 0 ? -got : (uint32_t)got != im->size ? DOS_EBADFMT : 0;
        x->cs = x->ss = psp;
        x->ip = LDR_COM_LOAD;
        x->sp = want >= 0x1000 ? LDR_COM_SP : (uint16_t)(want * 16 - 2);
        vm_wr16(s->mem, psp, x->sp, 0);
    }
    if (rc != 0) {
        dosp_mem_free(s->mem, VDM_ARENA_SEG, env);
        dosp_mem_free(s->mem, VDM_ARENA_SEG, blk);
        return fail(rc, why, why_size, full, "changed or unreadable while loading");
    }
    dosp_mcb_set_owner(s->mem, (uint16_t)(env - 1), psp);
    dosp_mcb_set_owner(s->mem, (uint16_t)(blk - 1), psp);
    build_psp(s, psp, end, env, x);
    x->psp = psp;
    x->ax = (uint16_t)((fcb_drive_ok(s, x->fcb2[0]) ? 0 : 0xFF00) |
                       (fcb_drive_ok(s, x->fcb1[0]) ? 0 : 0x00FF));
    return 0;
}

int dosp_load(dos_server_t *s, const char *path, dosp_exec_t *x, char *why, size_t why_size)
{
    dosp_path_t p;
    image_t im;
    char full[84];
    int fh;

    memset(&im, 0, sizeof(im));
    int rc = dosp_resolve(s, path, 0, &p);
    if (rc != 0)
        return fail(rc, why, why_size, path,
                    rc == DOS_ENOENT ? "file not found" : "path not found");
    snprintf(full, sizeof(full), "%c:%s", 'A' + p.drive, p.dos);
    if (!p.exists)
        return fail(DOS_ENOENT, why, why_size, full, "file not found");
    if (p.device != 0 || (p.st.attr & DOS_ATTR_DIR))
        return fail(DOS_EACCES, why, why_size, full, "not a program file");
    rc = s->ops.open(s->ctx, p.host, DOS_OPEN_READ, &fh);
    if (rc < 0)
        return fail(-rc, why, why_size, full, "cannot be opened");

    rc = check_image(s, fh, p.st.size, &im, full, why, why_size);
    if (rc == 0 && x->mode == 3) {
        rc = load_overlay(s, fh, &im, x);
        if (rc != 0)
            fail(rc, why, why_size, full, "overlay does not fit in memory");
    } else if (rc == 0) {
        rc = load_program(s, fh, &im, full, x, why, why_size);
    }
    s->ops.close(s->ctx, fh);
    return rc;
}
