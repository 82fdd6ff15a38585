/*
 * The boot sector: every field the rest of the code relies on is checked
 * here, once, so that later arithmetic on the geometry cannot overflow or
 * point outside the volume. The FAT type follows from the cluster count
 * alone, as the specification requires (below 4085 clusters FAT12, below
 * 65525 FAT16, else FAT32), and the BPB must then agree with that type.
 *
 * Entry point: fatp_bpb_parse().
 */
#include <string.h>

#include "fat_priv.h"

static int fail(const char **why, const char *text, int rc)
{
    *why = text;
    return rc;
}

static bool power_of_two(uint32_t x)
{
    return x && !(x & (x - 1));
}

/* FSInfo is trusted only when its three signatures are right; even then
 * its free count is recomputed at mount (table.c), so a lying FSInfo
 * cannot make allocation fail or overrun. */
static bool fsinfo_valid(const uint8_t *s)
{
    return fatp_rd32(s) == 0x41615252u && fatp_rd32(s + 484) == 0x61417272u &&
           fatp_rd32(s + 508) == 0xAA550000u;
}

int fatp_bpb_parse(fat_vol_t *v, const uint8_t *bs, const char **why)
{
    if (bs[510] != 0x55 || bs[511] != 0xAA)
        return fail(why, "no boot sector signature (55 AA)", ST_IO_ERROR);
    if (bs[0] != 0xEB && bs[0] != 0xE9)
        return fail(why, "boot sector does not start with a jump", ST_IO_ERROR);
    uint32_t bps = fatp_rd16(bs + 11);
    if (bps != FAT_SECTOR) {
        if (bps == 1024 || bps == 2048 || bps == 4096)
            return fail(why, "sectors other than 512 bytes are not supported", ST_NOT_SUPPORTED);
        return fail(why, "bad bytes per sector", ST_IO_ERROR);
    }
    uint32_t spc = bs[13];
    if (!power_of_two(spc))
        return fail(why, "sectors per cluster is not a power of two", ST_IO_ERROR);
    uint32_t rsvd = fatp_rd16(bs + 14);
    if (rsvd == 0)
        return fail(why, "no reserved sectors", ST_IO_ERROR);
    uint32_t nfats = bs[16];
    if (nfats == 0 || nfats > 4)
        return fail(why, "bad number of FATs", ST_IO_ERROR);
    uint32_t root_ents = fatp_rd16(bs + 17);
    uint32_t tot16 = fatp_rd16(bs + 19), tot32 = fatp_rd32(bs + 32);
    uint32_t media = bs[21];
    if (media != 0xF0 && media < 0xF8)
        return fail(why, "bad media descriptor", ST_IO_ERROR);
    uint32_t fatsz16 = fatp_rd16(bs + 22), fatsz32 = fatp_rd32(bs + 36);
    uint32_t total = tot16 ? tot16 : tot32;
    if (total == 0)
        return fail(why, "total sector count is zero", ST_IO_ERROR);
    if (tot16 && tot32 && tot16 != tot32)
        return fail(why, "the two total sector counts disagree", ST_IO_ERROR);
    uint32_t fatsz = fatsz16 ? fatsz16 : fatsz32;
    if (fatsz == 0)
        return fail(why, "FAT size is zero", ST_IO_ERROR);
    if ((root_ents * 32) % FAT_SECTOR)
        return fail(why, "root directory does not fill whole sectors", ST_IO_ERROR);
    uint32_t root_secs = root_ents * 32 / FAT_SECTOR;

    /* 64-bit sums: every term is below 2^32, so none can wrap. */
    uint64_t meta = (uint64_t)rsvd + (uint64_t)nfats * fatsz + root_secs;
    if (meta >= total)
        return fail(why, "FATs and root directory do not fit in the volume", ST_IO_ERROR);
    if (total > v->dev.sectors)
        return fail(why, "volume is larger than the device", ST_IO_ERROR);
    uint32_t clusters = (uint32_t)((total - meta) / spc);
    if (clusters == 0)
        return fail(why, "no data clusters", ST_IO_ERROR);

    int type = clusters < 4085 ? 12 : clusters < 65525 ? 16 : 32;
    uint64_t fat_bytes = type == 12   ? ((uint64_t)clusters + 1) * 3 / 2 + 2
                         : type == 16 ? ((uint64_t)clusters + 2) * 2
                                      : ((uint64_t)clusters + 2) * 4;
    if ((uint64_t)fatsz * FAT_SECTOR < fat_bytes)
        return fail(why, "FAT is too small for the number of clusters", ST_IO_ERROR);

    v->type = type;
    v->spc = spc;
    v->cluster_bytes = spc * FAT_SECTOR;
    v->nfats = nfats;
    v->fat_sectors = fatsz;
    v->fat_copy0 = rsvd;
    v->fat_start = rsvd;
    v->mirror = true;
    v->total_sectors = total;
    v->clusters = clusters;
    v->root_start = rsvd + nfats * fatsz;
    v->root_sectors = root_secs;
    v->data_start = (uint32_t)meta;
    v->root_cluster = 0;
    v->fsinfo = 0;
    memset(v->label, 0, sizeof(v->label));

    if (type != 32) {
        if (fatsz16 == 0)
            return fail(why, "FAT32 boot sector on a volume with too few clusters", ST_IO_ERROR);
        if (root_ents == 0)
            return fail(why, "FAT12/16 volume without a root directory", ST_IO_ERROR);
        if (bs[38] == 0x29)
            memcpy(v->label, bs + 43, 11);
        return ST_OK;
    }

    if (fatsz16 != 0 || root_ents != 0 || tot16 != 0)
        return fail(why, "FAT16 boot sector on a volume with too many clusters", ST_IO_ERROR);
    if (clusters > 0x0FFFFFF5u)
        return fail(why, "too many clusters for FAT32", ST_IO_ERROR);
    if (fatp_rd16(bs + 42) != 0)
        return fail(why, "unknown FAT32 version", ST_NOT_SUPPORTED);
    uint32_t flags = fatp_rd16(bs + 40);
    if (flags & 0x80) {
        /* Mirroring off: only the active FAT is read and written. */
        uint32_t active = flags & 0x0F;
        if (active >= nfats)
            return fail(why, "active FAT does not exist", ST_IO_ERROR);
        v->fat_start = rsvd + active * fatsz;
        v->mirror = false;
    }
    v->root_cluster = fatp_rd32(bs + 44);
    if (!fatp_valid_clus(v, v->root_cluster))
        return fail(why, "root directory cluster outside the volume", ST_IO_ERROR);
    uint32_t fsinfo = fatp_rd16(bs + 48);
    if (fsinfo != 0 && fsinfo != 0xFFFF && fsinfo < rsvd)
        v->fsinfo = fsinfo; /* checked further by fatp_bpb_fsinfo() */
    if (bs[66] == 0x29)
        memcpy(v->label, bs + 71, 11);
    return ST_OK;
}

bool fatp_bpb_fsinfo(const uint8_t *sector)
{
    return fsinfo_valid(sector);
}
