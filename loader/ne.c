/*
 * Win16 NE validation (see <loader/ne.h>).
 *
 * ldr_ne_parse() reads the NE header that e_lfanew points at, places
 * every table in the file, and walks each one to its end (names, module
 * references, entry bundles, resources, segments and their relocation
 * records), so that the accessors in ne_access.c only ever see a
 * consistent file. Every walk advances by at least one byte per step
 * inside a bounded table, so none can loop.
 *
 * Entry point: ldr_ne_parse().
 */
#include <string.h>

#include <loader/ne.h>

#include "ne_priv.h"
#include "util.h"

/* Places a table given by an offset relative to the NE header. */
static int place(const ldr_ne_info_t *info, uint16_t rel, uint64_t len, uint32_t *abs,
                 const char *msg, const char **why)
{
    uint64_t at = (uint64_t)info->ne_offset + rel;

    if (rel < LDR_NE_HDR_SIZE || !ldr_range_ok(at, len, info->size))
        return ldr_fail(why, LDR_ECORRUPT, msg);
    *abs = (uint32_t)at;
    return LDR_OK;
}

static int read_header(const uint8_t *p, ldr_ne_info_t *info, const char **why)
{
    const uint8_t *h = p + info->ne_offset;
    uint16_t enttab = ldr_le16(h + 0x04), cbenttab = ldr_le16(h + 0x06);
    uint16_t segtab = ldr_le16(h + 0x22), rsrctab = ldr_le16(h + 0x24);
    uint16_t restab = ldr_le16(h + 0x26), modtab = ldr_le16(h + 0x28);
    uint16_t imptab = ldr_le16(h + 0x2A);
    int rc;

    info->linker_version = h[0x02];
    info->linker_revision = h[0x03];
    info->flags = ldr_le16(h + 0x0C);
    info->autodata = ldr_le16(h + 0x0E);
    info->heap_size = ldr_le16(h + 0x10);
    info->stack_size = ldr_le16(h + 0x12);
    info->ip = ldr_le16(h + 0x14);
    info->cs = ldr_le16(h + 0x16);
    info->sp = ldr_le16(h + 0x18);
    info->ss = ldr_le16(h + 0x1A);
    info->nsegments = ldr_le16(h + 0x1C);
    info->nmodules = ldr_le16(h + 0x1E);
    info->nrestab_size = ldr_le16(h + 0x20);
    info->nrestab_offset = ldr_le32(h + 0x2C);
    info->nmovable = ldr_le16(h + 0x30);
    info->align_shift = ldr_le16(h + 0x32);
    info->exe_type = h[0x36];
    info->other_flags = h[0x37];
    info->expected_version = ldr_le16(h + 0x3E);

    if (info->exe_type == LDR_NE_OS_OS2)
        return ldr_fail(why, LDR_EUNSUPPORTED, "OS/2 NE programs are not supported");
    if (info->exe_type != LDR_NE_OS_UNKNOWN && info->exe_type != LDR_NE_OS_WINDOWS &&
        info->exe_type != 4)
        return ldr_fail(why, LDR_EUNSUPPORTED, "NE program is not for Windows");
    /* The format's default sector size is 512 bytes. */
    if (info->align_shift == 0)
        info->align_shift = 9;
    if (info->align_shift > 16)
        return ldr_fail(why, LDR_ECORRUPT, "NE segment alignment shift is larger than 16");

    /* The tables come in this order; each size below is a difference. */
    if (rsrctab > restab || restab > modtab || (uint32_t)modtab + 2u * info->nmodules > imptab ||
        imptab > enttab)
        return ldr_fail(why, LDR_ECORRUPT, "NE tables are out of order or overlap");
    info->rsrctab_size = (uint32_t)(restab - rsrctab);
    info->restab_size = (uint32_t)(modtab - restab);
    info->imptab_size = (uint32_t)(enttab - imptab);
    info->enttab_size = cbenttab;

    rc = place(info, segtab, (uint64_t)info->nsegments * 8, &info->segtab_offset,
               "NE segment table extends past end of file", why);
    if (rc == LDR_OK)
        rc = place(info, rsrctab, info->rsrctab_size, &info->rsrctab_offset,
                   "NE resource table extends past end of file", why);
    if (rc == LDR_OK)
        rc = place(info, restab, info->restab_size, &info->restab_offset,
                   "NE resident name table extends past end of file", why);
    if (rc == LDR_OK)
        rc = place(info, modtab, (uint64_t)info->nmodules * 2, &info->modtab_offset,
                   "NE module reference table extends past end of file", why);
    if (rc == LDR_OK)
        rc = place(info, imptab, info->imptab_size, &info->imptab_offset,
                   "NE imported name table extends past end of file", why);
    if (rc == LDR_OK)
        rc = place(info, enttab, info->enttab_size, &info->enttab_offset,
                   "NE entry table extends past end of file", why);
    if (rc == LDR_OK && info->nrestab_size &&
        !ldr_range_ok(info->nrestab_offset, info->nrestab_size, info->size))
        rc = ldr_fail(why, LDR_ECORRUPT, "NE non-resident name table extends past end of file");
    if (info->nrestab_size == 0)
        info->nrestab_offset = 0;
    return rc;
}

/* A name table is (length, characters, ordinal) records ending with a 0 length. */
static int check_names(const uint8_t *p, uint32_t table, uint32_t len, const char *msg,
                       const char **why)
{
    uint32_t off = 0;

    if (len == 0)
        return LDR_OK;
    while (off < len && p[table + off] != 0) {
        uint32_t rec = 1u + p[table + off] + 2u;
        if (rec > len - off)
            return ldr_fail(why, LDR_ECORRUPT, msg);
        off += rec;
    }
    if (off >= len)
        return ldr_fail(why, LDR_ECORRUPT, msg);
    return LDR_OK;
}

static int check_modules(ldr_ne_info_t *info, const char **why)
{
    char name[LDR_NE_NAME_MAX];

    for (unsigned i = 1; i <= info->nmodules; i++) {
        uint16_t off = ldr_le16(info->image + info->modtab_offset + 2 * (i - 1));
        if (nep_pstring(info, info->imptab_offset, info->imptab_size, off, name) != LDR_OK)
            return ldr_fail(why, LDR_ECORRUPT,
                            "NE module reference points outside the imported name table");
    }
    return LDR_OK;
}

static int check_entries(ldr_ne_info_t *info, const char **why)
{
    const uint8_t *t = info->image + info->enttab_offset;
    uint32_t len = info->enttab_size, off = 0, ordinals = 0;

    while (len - off >= 1 && t[off] != 0) {
        if (len - off < 2)
            return ldr_fail(why, LDR_ECORRUPT, "NE entry bundle is cut short");
        uint8_t count = t[off], type = t[off + 1];
        uint32_t width = type == 0 ? 0 : type == 0xFF ? 6 : 3;
        off += 2;
        if ((uint32_t)count * width > len - off)
            return ldr_fail(why, LDR_ECORRUPT, "NE entry bundle extends past its table");
        for (uint32_t k = 0; k < count && type != 0; k++) {
            const uint8_t *e = t + off + k * width;
            uint16_t seg = type == 0xFF ? e[3] : type;
            if (type != 0xFE && (seg == 0 || seg > info->nsegments))
                return ldr_fail(why, LDR_ECORRUPT, "NE entry point names a missing segment");
        }
        off += count * width;
        ordinals += count;
        if (ordinals > 0xFFFF)
            return ldr_fail(why, LDR_ECORRUPT, "NE entry table has more than 65535 ordinals");
    }
    info->nentries = (uint16_t)ordinals;
    return LDR_OK;
}

static int check_reloc(const ldr_ne_info_t *info, const ldr_ne_segment_t *seg,
                       const ldr_ne_reloc_t *r, const char **why)
{
    char name[LDR_NE_NAME_MAX];
    uint32_t width;

    switch (r->source) {
    case LDR_NE_SRC_LOBYTE:
        width = 1;
        break;
    case LDR_NE_SRC_SEGMENT:
    case LDR_NE_SRC_OFFSET:
        width = 2;
        break;
    case LDR_NE_SRC_FARADDR:
        width = 4;
        break;
    default:
        return ldr_fail(why, LDR_EUNSUPPORTED, "NE relocation has an unsupported source type");
    }
    if (!ldr_range_ok(r->offset, width, seg->file_size))
        return ldr_fail(why, LDR_ECORRUPT, "NE relocation lies outside its segment's data");

    switch (r->target) {
    case LDR_NE_TGT_INTERNAL:
        if (r->segment == 0 ? (r->ordinal == 0 || r->ordinal > info->nentries)
                            : r->segment > info->nsegments)
            return ldr_fail(why, LDR_ECORRUPT,
                            "NE internal relocation names a missing segment or entry");
        break;
    case LDR_NE_TGT_IMPORTNAME:
        if (nep_pstring(info, info->imptab_offset, info->imptab_size, r->name_offset, name) !=
            LDR_OK)
            return ldr_fail(why, LDR_ECORRUPT,
                            "NE import by name points outside the imported name table");
        /* fall through - the module must exist too */
    case LDR_NE_TGT_IMPORTORD:
        if (r->module == 0 || r->module > info->nmodules)
            return ldr_fail(why, LDR_ECORRUPT, "NE import names a missing module");
        break;
    default:
        break;
    }
    return LDR_OK;
}

static int check_segments(const ldr_ne_info_t *info, const char **why)
{
    for (unsigned s = 1; s <= info->nsegments; s++) {
        ldr_ne_segment_t seg;
        int rc = nep_segment(info, s, &seg, why);
        if (rc != LDR_OK)
            return rc;
        for (unsigned i = 0; i < seg.nrelocs; i++) {
            ldr_ne_reloc_t r;
            nep_reloc(info, &seg, i, &r);
            rc = check_reloc(info, &seg, &r, why);
            if (rc != LDR_OK)
                return rc;
        }
    }
    return LDR_OK;
}

static int check_resources(const ldr_ne_info_t *info, const char **why)
{
    const uint8_t *t = info->image + info->rsrctab_offset;
    uint32_t len = info->rsrctab_size, off = 2;

    if (len == 0)
        return LDR_OK;
    if (len < 2 || ldr_le16(t) > 16)
        return ldr_fail(why, LDR_ECORRUPT, "NE resource table has a bad alignment shift");
    uint16_t shift = ldr_le16(t);
    for (;;) {
        if (!ldr_range_ok(off, 2, len))
            return ldr_fail(why, LDR_ECORRUPT, "NE resource table is not terminated");
        if (ldr_le16(t + off) == 0)
            return LDR_OK;
        if (!ldr_range_ok(off, 8, len))
            return ldr_fail(why, LDR_ECORRUPT, "NE resource type record is cut short");
        uint16_t count = ldr_le16(t + off + 2);
        off += 8;
        if ((uint64_t)count * 12 > len - off)
            return ldr_fail(why, LDR_ECORRUPT, "NE resources extend past their table");
        for (uint32_t k = 0; k < count; k++, off += 12) {
            uint64_t at = (uint64_t)ldr_le16(t + off) << shift;
            uint64_t size = (uint64_t)ldr_le16(t + off + 2) << shift;
            if (!ldr_range_ok(at, size, info->size))
                return ldr_fail(why, LDR_ECORRUPT, "NE resource data extends past end of file");
        }
    }
}

static int check_registers(const ldr_ne_info_t *info, const char **why)
{
    ldr_ne_segment_t seg;

    if (info->autodata > info->nsegments || info->ss > info->nsegments)
        return ldr_fail(why, LDR_ECORRUPT, "NE header names a missing data or stack segment");
    if (info->cs == 0)
        return LDR_OK;
    if (info->cs > info->nsegments)
        return ldr_fail(why, LDR_ECORRUPT, "NE entry point names a missing segment");
    nep_segment(info, info->cs, &seg, NULL);
    if (info->ip >= seg.min_alloc)
        return ldr_fail(why, LDR_ECORRUPT, "NE entry point lies outside its segment");
    return LDR_OK;
}

int ldr_ne_parse(const void *image, size_t size, ldr_ne_info_t *info, const char **why)
{
    const uint8_t *p = image;
    int rc;

    memset(info, 0, sizeof(*info));
    if (size < 2 || !((p[0] == 'M' && p[1] == 'Z') || (p[0] == 'Z' && p[1] == 'M')))
        return ldr_fail(why, LDR_EFORMAT, "no MZ signature");
    if (size < 64)
        return ldr_fail(why, LDR_EFORMAT, "MZ header too short to point at an NE header");
    info->image = p;
    info->size = size;
    info->ne_offset = ldr_le32(p + 0x3C);
    if (info->ne_offset < 64 || !ldr_range_ok(info->ne_offset, 2, size) ||
        p[info->ne_offset] != 'N' || p[info->ne_offset + 1] != 'E')
        return ldr_fail(why, LDR_EFORMAT, "no NE header");
    if (!ldr_range_ok(info->ne_offset, LDR_NE_HDR_SIZE, size))
        return ldr_fail(why, LDR_ECORRUPT, "NE header extends past end of file");

    rc = read_header(p, info, why);
    if (rc == LDR_OK)
        rc = check_names(p, info->restab_offset, info->restab_size,
                         "NE resident name table is corrupt or not terminated", why);
    if (rc == LDR_OK)
        rc = check_names(p, info->nrestab_offset, info->nrestab_size,
                         "NE non-resident name table is corrupt or not terminated", why);
    if (rc == LDR_OK)
        rc = check_modules(info, why);
    if (rc == LDR_OK)
        rc = check_entries(info, why);
    if (rc == LDR_OK)
        rc = check_segments(info, why);
    if (rc == LDR_OK)
        rc = check_resources(info, why);
    if (rc == LDR_OK)
        rc = check_registers(info, why);
    if (rc != LDR_OK) {
        memset(info, 0, sizeof(*info));
        info->image = p;
    }
    return rc;
}
