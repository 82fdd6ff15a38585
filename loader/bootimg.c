/*
 * Boot image validation (format: <persona/bootimg.h>, reader API:
 * <loader/bootimg.h>).
 *
 * ldr_bootimg_open() checks the header and the placement of the two
 * tables, the CRC, then each entry in order: its name is a well-formed path
 * inside the string table, it sorts after the previous entry, its parent
 * is an earlier directory, and its fields and data range are sane. After
 * that the lookups in bootimg_find.c need no checks of their own.
 *
 * Entry points: ldr_bootimg_open(), ldr_bootimg_path_ok().
 */
#include <string.h>

#include <loader/bootimg.h>
#include <loader/crc32.h>

#include "bootimg_priv.h"
#include "util.h"

enum {
    HDR_SIZE = sizeof(bootimg_header_t),
    ENT_SIZE = sizeof(bootimg_entry_t),
};

/* Longest symbolic link target, like Linux's limit of one page. */
#define SYMLINK_MAX 4095u

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen != 0 && blen != 0 && a < b + blen && b < a + alen;
}

static int check_header(const uint8_t *p, size_t size, ldr_bootimg_t *img, uint64_t *meta_end,
                        const char **why)
{
    if (size < 8 || memcmp(p, BOOTIMG_MAGIC, 8) != 0)
        return ldr_fail(why, LDR_EFORMAT, "no boot image magic number");
    if (size < HDR_SIZE)
        return ldr_fail(why, LDR_ECORRUPT, "boot image is shorter than its header");

    uint32_t version = ldr_le32(p + 8);
    uint32_t count = ldr_le32(p + 12);
    uint64_t image_size = ldr_le64(p + 16);
    uint64_t eoff = ldr_le64(p + 24);
    uint64_t soff = ldr_le64(p + 32);
    uint64_t ssize = ldr_le64(p + 40);
    uint32_t crc = ldr_le32(p + 48);
    uint32_t reserved = ldr_le32(p + 52);
    uint64_t elen = (uint64_t)count * ENT_SIZE; /* < 2^37: no overflow */

    if (version != BOOTIMG_VERSION)
        return ldr_fail(why, LDR_EUNSUPPORTED, "unknown boot image version");
    if (reserved != 0)
        return ldr_fail(why, LDR_ECORRUPT, "reserved field of the boot image header is not zero");
    if (image_size < HDR_SIZE)
        return ldr_fail(why, LDR_ECORRUPT, "boot image size field is smaller than the header");
    if (image_size > size)
        return ldr_fail(why, LDR_ECORRUPT, "boot image is shorter than its header says");
    if (!ldr_range_ok(eoff, elen, image_size))
        return ldr_fail(why, LDR_ECORRUPT, "entry table extends past the end of the image");
    if (!ldr_range_ok(soff, ssize, image_size))
        return ldr_fail(why, LDR_ECORRUPT, "string table extends past the end of the image");
    if ((elen && eoff < HDR_SIZE) || (ssize && soff < HDR_SIZE))
        return ldr_fail(why, LDR_ECORRUPT, "entry or string table overlaps the header");
    if (ranges_overlap(eoff, elen, soff, ssize))
        return ldr_fail(why, LDR_ECORRUPT, "entry table and string table overlap");
    if (ldr_crc32(ldr_crc32(0, p + eoff, elen), p + soff, ssize) != crc)
        return ldr_fail(why, LDR_ECORRUPT, "boot image checksum does not match its tables");

    img->base = p;
    img->size = image_size;
    img->count = count;
    img->entries_offset = eoff;
    img->strings = (const char *)p + soff;
    img->strings_size = ssize;
    *meta_end = eoff + elen > soff + ssize ? eoff + elen : soff + ssize;
    return LDR_OK;
}

bool ldr_bootimg_path_ok(const char *path, size_t len)
{
    if (len < 2 || path[0] != '/' || path[len - 1] == '/')
        return false;
    for (size_t i = 0; i < len; i++) {
        if (path[i] != '/')
            continue;
        size_t n = 1;
        while (i + n < len && path[i + n] != '/')
            n++;
        size_t comp = n - 1;
        if (comp == 0 || (comp == 1 && path[i + 1] == '.') ||
            (comp == 2 && path[i + 1] == '.' && path[i + 2] == '.'))
            return false;
    }
    return true;
}

/* Finds entry i's name in the string table and checks it as a path. */
static int check_name(const ldr_bootimg_t *img, const bootimg_raw_t *raw, size_t *len,
                      const char **why)
{
    if (raw->name_offset >= img->strings_size)
        return ldr_fail(why, LDR_ECORRUPT, "entry name lies outside the string table");

    const char *name = img->strings + raw->name_offset;
    uint64_t room = img->strings_size - raw->name_offset;
    uint64_t limit = room < LDR_BOOTIMG_PATH_MAX ? room : LDR_BOOTIMG_PATH_MAX;
    size_t n = 0;

    while (n < limit && name[n] != '\0')
        n++;
    if (n == limit)
        return ldr_fail(why, LDR_ECORRUPT,
                        n == room ? "entry name is not NUL-terminated inside the string table"
                                  : "entry path is longer than 4095 bytes");
    if (!ldr_bootimg_path_ok(name, n))
        return ldr_fail(why, LDR_ECORRUPT,
                        "entry path is not absolute and normalised (no \".\", \"..\", "
                        "empty components or trailing '/')");
    *len = n;
    return LDR_OK;
}

/* Entries [0, i) are already known sorted, so the parent is found by binary search. */
static int check_order(const ldr_bootimg_t *img, uint32_t i, const char *name, size_t len,
                       const char **why)
{
    if (i > 0) {
        const char *prev = bootimgp_name(img, i - 1);
        int c = bootimgp_cmp(name, prev, strlen(prev), false, false);
        if (c == 0)
            return ldr_fail(why, LDR_ECORRUPT, "two entries have the same path");
        if (c < 0)
            return ldr_fail(why, LDR_ECORRUPT, "entries are not sorted by path");
    }

    size_t plen = len - 1;
    while (name[plen] != '/')
        plen--;
    if (plen == 0)
        return LDR_OK; /* in "/", which is implied */

    uint32_t j = bootimgp_lower_bound(img, i, name, plen, false);
    bootimg_raw_t parent;
    if (j == i || bootimgp_cmp(bootimgp_name(img, j), name, plen, false, false) != 0)
        return ldr_fail(why, LDR_ECORRUPT, "parent directory of an entry is missing");
    bootimgp_raw(img, j, &parent);
    if (parent.type != BOOTIMG_DIR)
        return ldr_fail(why, LDR_ECORRUPT, "parent of an entry is not a directory");
    return LDR_OK;
}

static int check_fields(const ldr_bootimg_t *img, const bootimg_raw_t *raw, uint64_t meta_end,
                        const char **why)
{
    if (raw->reserved != 0)
        return ldr_fail(why, LDR_ECORRUPT, "reserved field of an entry is not zero");
    if (raw->mode & ~07777u)
        return ldr_fail(why, LDR_ECORRUPT, "entry mode has bits beyond the permission bits");
    if (raw->personality > BOOTIMG_PERS_WIN16)
        return ldr_fail(why, LDR_ECORRUPT, "entry has an unknown personality");

    switch (raw->type) {
    case BOOTIMG_DIR:
        if (raw->data_offset != 0 || raw->size != 0)
            return ldr_fail(why, LDR_ECORRUPT, "directory entry has data");
        if (raw->personality != BOOTIMG_PERS_NONE)
            return ldr_fail(why, LDR_ECORRUPT, "directory entry has a personality");
        return LDR_OK;
    case BOOTIMG_SYMLINK:
        if (raw->size == 0 || raw->size > SYMLINK_MAX)
            return ldr_fail(why, LDR_ECORRUPT, "symbolic link target is empty or too long");
        if (raw->personality != BOOTIMG_PERS_NONE)
            return ldr_fail(why, LDR_ECORRUPT, "symbolic link has a personality");
        break;
    case BOOTIMG_FILE:
        break;
    default:
        return ldr_fail(why, LDR_ECORRUPT, "entry has an unknown type");
    }

    if (raw->size == 0) {
        if (raw->data_offset != 0)
            return ldr_fail(why, LDR_ECORRUPT, "empty file has a data offset");
        return LDR_OK;
    }
    if (raw->data_offset % BOOTIMG_ALIGN != 0)
        return ldr_fail(why, LDR_ECORRUPT, "file data is not 4096-byte aligned");
    if (!ldr_range_ok(raw->data_offset, raw->size, img->size))
        return ldr_fail(why, LDR_ECORRUPT, "file data extends past the end of the image");
    if (raw->data_offset < meta_end)
        return ldr_fail(why, LDR_ECORRUPT, "file data overlaps the header or the tables");
    if (raw->type == BOOTIMG_SYMLINK) {
        const uint8_t *t = img->base + raw->data_offset;
        for (uint64_t k = 0; k < raw->size; k++)
            if (t[k] == '\0')
                return ldr_fail(why, LDR_ECORRUPT, "symbolic link target contains a NUL byte");
    }
    return LDR_OK;
}

int ldr_bootimg_open(const void *image, size_t size, ldr_bootimg_t *img, const char **why)
{
    uint64_t meta_end;
    int rc;

    memset(img, 0, sizeof(*img));
    rc = check_header(image, size, img, &meta_end, why);
    for (uint32_t i = 0; rc == LDR_OK && i < img->count; i++) {
        bootimg_raw_t raw;
        size_t len;

        bootimgp_raw(img, i, &raw);
        rc = check_name(img, &raw, &len, why);
        if (rc == LDR_OK)
            rc = check_order(img, i, img->strings + raw.name_offset, len, why);
        if (rc == LDR_OK)
            rc = check_fields(img, &raw, meta_end, why);
    }
    if (rc != LDR_OK)
        memset(img, 0, sizeof(*img));
    return rc;
}
