/*
 * NE accessors (see <loader/ne.h>): one segment, relocation, name, entry
 * or resource at a time, read from the image ldr_ne_parse() validated.
 *
 * Entry points: ldr_ne_segment(), ldr_ne_reloc(), ldr_ne_chain_length(),
 * ldr_ne_name_next(), ldr_ne_module_name(), ldr_ne_imported_name(),
 * ldr_ne_entry(), ldr_ne_resource_next().
 */
#include <string.h>

#include <loader/ne.h>

#include "ne_priv.h"
#include "util.h"

int nep_segment(const ldr_ne_info_t *info, unsigned segno, ldr_ne_segment_t *seg, const char **why)
{
    memset(seg, 0, sizeof(*seg));
    if (segno == 0 || segno > info->nsegments)
        return LDR_ENOENT;
    uint64_t at = info->segtab_offset + (uint64_t)(segno - 1) * 8;
    if (!ldr_range_ok(at, 8, info->size))
        return ldr_fail(why, LDR_ECORRUPT, "NE segment table extends past end of file");

    const uint8_t *e = info->image + at;
    uint16_t sector = ldr_le16(e), len = ldr_le16(e + 2), min = ldr_le16(e + 6);

    seg->flags = ldr_le16(e + 4);
    /* A length or minimum of 0 means a full 64 KiB segment. */
    seg->min_alloc = min ? min : 0x10000u;
    if (sector != 0) {
        seg->file_offset = (uint32_t)sector << info->align_shift;
        seg->file_size = len ? len : 0x10000u;
    }
    if (seg->min_alloc < seg->file_size)
        seg->min_alloc = seg->file_size;
    if (!ldr_range_ok(seg->file_offset, seg->file_size, info->size))
        return ldr_fail(why, LDR_ECORRUPT, "NE segment data extends past end of file");
    if (!(seg->flags & LDR_NE_SEG_RELOCINFO))
        return LDR_OK;
    if (sector == 0)
        return ldr_fail(why, LDR_ECORRUPT, "NE segment without data has relocation records");

    uint64_t count_at = (uint64_t)seg->file_offset + seg->file_size;
    if (!ldr_range_ok(count_at, 2, info->size))
        return ldr_fail(why, LDR_ECORRUPT, "NE relocation count lies past end of file");
    seg->nrelocs = ldr_le16(info->image + count_at);
    seg->reloc_offset = (uint32_t)(count_at + 2);
    if (!ldr_range_ok(seg->reloc_offset, (uint64_t)seg->nrelocs * 8, info->size))
        return ldr_fail(why, LDR_ECORRUPT, "NE relocation records extend past end of file");
    return LDR_OK;
}

int nep_reloc(const ldr_ne_info_t *info, const ldr_ne_segment_t *seg, unsigned i, ldr_ne_reloc_t *r)
{
    memset(r, 0, sizeof(*r));
    if (i >= seg->nrelocs || !ldr_range_ok(seg->reloc_offset + (uint64_t)i * 8, 8, info->size))
        return LDR_ENOENT;

    const uint8_t *e = info->image + seg->reloc_offset + (size_t)i * 8;
    r->source = e[0];
    r->target = e[1] & 3;
    r->additive = (e[1] & LDR_NE_ADDITIVE) != 0;
    r->offset = ldr_le16(e + 2);
    switch (r->target) {
    case LDR_NE_TGT_INTERNAL:
        if (e[4] == 0xFF) {
            r->ordinal = ldr_le16(e + 6); /* movable: through the entry table */
        } else {
            r->segment = e[4];
            r->seg_offset = ldr_le16(e + 6);
        }
        break;
    case LDR_NE_TGT_IMPORTORD:
        r->module = ldr_le16(e + 4);
        r->ordinal = ldr_le16(e + 6);
        break;
    case LDR_NE_TGT_IMPORTNAME:
        r->module = ldr_le16(e + 4);
        r->name_offset = ldr_le16(e + 6);
        break;
    default:
        r->os_fixup = ldr_le16(e + 4);
        break;
    }
    return LDR_OK;
}

int nep_pstring(const ldr_ne_info_t *info, uint32_t table, uint32_t len, uint32_t off,
                char name[LDR_NE_NAME_MAX])
{
    name[0] = '\0';
    if (off >= len || !ldr_range_ok(table, len, info->size))
        return LDR_ECORRUPT;
    uint8_t n = info->image[table + off];
    if (n > len - off - 1)
        return LDR_ECORRUPT;
    memcpy(name, info->image + table + off + 1, n);
    name[n] = '\0';
    return LDR_OK;
}

int ldr_ne_segment(const ldr_ne_info_t *info, unsigned segno, ldr_ne_segment_t *seg)
{
    int rc = nep_segment(info, segno, seg, NULL);
    return rc == LDR_ECORRUPT ? LDR_ENOENT : rc;
}

int ldr_ne_reloc(const ldr_ne_info_t *info, unsigned segno, unsigned i, ldr_ne_reloc_t *r)
{
    ldr_ne_segment_t seg;

    memset(r, 0, sizeof(*r));
    if (nep_segment(info, segno, &seg, NULL) != LDR_OK)
        return LDR_ENOENT;
    return nep_reloc(info, &seg, i, r);
}

int ldr_ne_chain_length(const ldr_ne_info_t *info, unsigned segno, const ldr_ne_reloc_t *r,
                        uint32_t *count, const char **why)
{
    ldr_ne_segment_t seg;
    uint32_t n = 0;
    uint32_t loc = r->offset;

    *count = 0;
    if (nep_segment(info, segno, &seg, why) != LDR_OK)
        return ldr_fail(why, LDR_ENOENT, "no such NE segment");
    for (;;) {
        if (!ldr_range_ok(loc, 2, seg.file_size))
            return ldr_fail(why, LDR_ECORRUPT, "NE relocation chain leaves the segment's data");
        n++;
        if (r->additive)
            break;
        /* A chain that ends visits each location at most once. */
        if (n > seg.file_size)
            return ldr_fail(why, LDR_ECORRUPT, "NE relocation chain loops");
        loc = ldr_le16(info->image + seg.file_offset + loc);
        if (loc == 0xFFFF)
            break;
    }
    *count = n;
    return LDR_OK;
}

int ldr_ne_name_next(const ldr_ne_info_t *info, enum ldr_ne_names which, uint32_t *cursor,
                     char name[LDR_NE_NAME_MAX], uint16_t *ordinal)
{
    uint32_t table = which == LDR_NE_RESIDENT ? info->restab_offset : info->nrestab_offset;
    uint32_t len = which == LDR_NE_RESIDENT ? info->restab_size : info->nrestab_size;
    uint32_t off = *cursor;

    name[0] = '\0';
    *ordinal = 0;
    if (off >= len || !ldr_range_ok(table, len, info->size))
        return LDR_ENOENT;
    uint8_t n = info->image[table + off];
    /* Length byte, characters, ordinal word. */
    if (n == 0 || (uint64_t)off + 1 + n + 2 > len)
        return LDR_ENOENT;
    nep_pstring(info, table, len, off, name);
    *ordinal = ldr_le16(info->image + table + off + 1 + n);
    *cursor = off + 1 + n + 2;
    return LDR_OK;
}

int ldr_ne_module_name(const ldr_ne_info_t *info, unsigned index, char name[LDR_NE_NAME_MAX])
{
    name[0] = '\0';
    if (index == 0 || index > info->nmodules)
        return LDR_ENOENT;
    uint64_t at = info->modtab_offset + (uint64_t)(index - 1) * 2;
    if (!ldr_range_ok(at, 2, info->size))
        return LDR_ENOENT;
    return ldr_ne_imported_name(info, ldr_le16(info->image + at), name);
}

int ldr_ne_imported_name(const ldr_ne_info_t *info, uint16_t offset, char name[LDR_NE_NAME_MAX])
{
    int rc = nep_pstring(info, info->imptab_offset, info->imptab_size, offset, name);
    return rc == LDR_OK ? LDR_OK : LDR_ENOENT;
}

/*
 * Bundles: a count byte (0 ends the table), a type byte, then `count`
 * entries: none for type 0 (skipped ordinals), 6 bytes for FFh (movable:
 * flags, INT 3Fh, segment, offset), 3 bytes otherwise (flags, offset in
 * the fixed segment the type byte names, or a constant for FEh).
 */
int ldr_ne_entry(const ldr_ne_info_t *info, uint16_t ordinal, ldr_ne_entry_t *entry)
{
    const uint8_t *t = info->image + info->enttab_offset;
    uint32_t len = info->enttab_size, off = 0, first = 1;

    memset(entry, 0, sizeof(*entry));
    if (ordinal == 0 || !ldr_range_ok(info->enttab_offset, len, info->size))
        return LDR_ENOENT;
    while (len - off >= 2 && t[off] != 0) {
        uint8_t count = t[off], type = t[off + 1];
        uint32_t width = type == 0 ? 0 : type == 0xFF ? 6 : 3;
        off += 2;
        if ((uint64_t)count * width > len - off)
            return LDR_ENOENT;
        if (ordinal < first + count) {
            if (type == 0)
                return LDR_ENOENT;
            const uint8_t *e = t + off + (ordinal - first) * width;
            entry->flags = e[0];
            entry->movable = type == 0xFF;
            entry->segment = type == 0xFF ? e[3] : type;
            entry->offset = type == 0xFF ? ldr_le16(e + 4) : ldr_le16(e + 1);
            return LDR_OK;
        }
        first += count;
        off += count * width;
    }
    return LDR_ENOENT;
}

/* *cursor: 0 to start, then (offset of the current type record << 16) |
 * index of the next resource in it. The table is under 64 KiB. */
int ldr_ne_resource_next(const ldr_ne_info_t *info, uint32_t *cursor, ldr_ne_resource_t *res)
{
    const uint8_t *t = info->image + info->rsrctab_offset;
    uint32_t len = info->rsrctab_size;
    uint32_t type_off = *cursor ? *cursor >> 16 : 2, index = *cursor & 0xFFFF;

    memset(res, 0, sizeof(*res));
    if (len < 2 || !ldr_range_ok(info->rsrctab_offset, len, info->size))
        return LDR_ENOENT;
    uint16_t shift = ldr_le16(t);
    if (shift > 16)
        return LDR_ENOENT;
    while (ldr_range_ok(type_off, 2, len) && ldr_le16(t + type_off) != 0) {
        if (!ldr_range_ok(type_off, 8, len))
            return LDR_ENOENT;
        uint16_t count = ldr_le16(t + type_off + 2);
        if (index < count) {
            uint64_t at = (uint64_t)type_off + 8 + (uint64_t)index * 12;
            if (!ldr_range_ok(at, 12, len))
                return LDR_ENOENT;
            const uint8_t *e = t + at;
            res->type_id = ldr_le16(t + type_off);
            res->file_offset = (uint32_t)ldr_le16(e) << shift;
            res->size = (uint32_t)ldr_le16(e + 2) << shift;
            res->flags = ldr_le16(e + 4);
            res->id = ldr_le16(e + 6);
            *cursor = type_off << 16 | (index + 1);
            return LDR_OK;
        }
        type_off += 8 + (uint32_t)count * 12;
        index = 0;
        if (type_off > 0xFFFF)
            return LDR_ENOENT;
    }
    return LDR_ENOENT;
}
