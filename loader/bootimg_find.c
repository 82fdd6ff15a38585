/*
 * Boot image lookups on an image ldr_bootimg_open() has validated: entry by
 * index, entry by path, children of a directory. Entries are sorted by
 * path, so all three are a binary search and a short walk.
 *
 * Entry points: ldr_bootimg_get(), ldr_bootimg_lookup(),
 * ldr_bootimg_next_child().
 */
#include <string.h>

#include <loader/bootimg.h>

#include "bootimg_priv.h"
#include "util.h"

void bootimgp_raw(const ldr_bootimg_t *img, uint32_t index, bootimg_raw_t *raw)
{
    const uint8_t *e = img->base + img->entries_offset + (uint64_t)index * sizeof(bootimg_entry_t);

    raw->name_offset = ldr_le32(e + 0);
    raw->type = ldr_le16(e + 4);
    raw->personality = ldr_le16(e + 6);
    raw->mode = ldr_le32(e + 8);
    raw->reserved = ldr_le32(e + 12);
    raw->data_offset = ldr_le64(e + 16);
    raw->size = ldr_le64(e + 24);
}

const char *bootimgp_name(const ldr_bootimg_t *img, uint32_t index)
{
    bootimg_raw_t raw;

    bootimgp_raw(img, index, &raw);
    return img->strings + raw.name_offset;
}

int bootimgp_cmp(const char *a, const char *key, size_t len, bool slash, bool prefix)
{
    size_t klen = len + (slash ? 1 : 0);

    for (size_t i = 0;; i++) {
        if (i == klen)
            return (prefix || a[i] == '\0') ? 0 : 1;
        unsigned char k = i < len ? (unsigned char)key[i] : '/';
        unsigned char c = (unsigned char)a[i];
        /* The key holds no NUL, so a's end shows up here as c < k. */
        if (c != k)
            return c < k ? -1 : 1;
    }
}

uint32_t bootimgp_lower_bound(const ldr_bootimg_t *img, uint32_t n, const char *key, size_t len,
                              bool slash)
{
    uint32_t lo = 0, hi = n;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (bootimgp_cmp(bootimgp_name(img, mid), key, len, slash, false) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int ldr_bootimg_get(const ldr_bootimg_t *img, uint32_t index, ldr_bootimg_ent_t *ent)
{
    bootimg_raw_t raw;

    if (index >= img->count)
        return LDR_ENOENT;
    bootimgp_raw(img, index, &raw);
    ent->index = index;
    ent->path = img->strings + raw.name_offset;
    ent->type = raw.type;
    ent->personality = raw.personality;
    ent->mode = raw.mode;
    ent->data_offset = raw.data_offset;
    ent->size = raw.size;
    ent->data = raw.size ? img->base + raw.data_offset : NULL;
    return LDR_OK;
}

int ldr_bootimg_lookup(const ldr_bootimg_t *img, const char *path, ldr_bootimg_ent_t *ent)
{
    size_t len = strlen(path);

    if (len == 1 && path[0] == '/') {
        memset(ent, 0, sizeof(*ent));
        ent->index = LDR_BOOTIMG_ROOT;
        ent->path = "/";
        ent->type = BOOTIMG_DIR;
        ent->mode = 0755;
        return LDR_OK;
    }
    /* A key holding a NUL could never match, and bootimgp_cmp relies on that. */
    uint32_t i = bootimgp_lower_bound(img, img->count, path, len, false);
    if (i < img->count && bootimgp_cmp(bootimgp_name(img, i), path, len, false, false) == 0)
        return ldr_bootimg_get(img, i, ent);
    return LDR_ENOENT;
}

int ldr_bootimg_next_child(const ldr_bootimg_t *img, const char *dir, uint32_t *cursor,
                           ldr_bootimg_ent_t *ent)
{
    size_t len = strlen(dir);
    bool root = len == 1 && dir[0] == '/';
    /* The root's children start with "/", anyone else's with dir + "/". */
    bool slash = !root;
    uint32_t i;

    if (len == 0)
        return LDR_ENOENT;
    /* *cursor holds one past the index of the last child returned. */
    i = *cursor ? *cursor : bootimgp_lower_bound(img, img->count, dir, len, slash);
    for (; i < img->count; i++) {
        const char *name = bootimgp_name(img, i);
        if (bootimgp_cmp(name, dir, len, slash, true) != 0)
            break;
        /* Skip grandchildren: a direct child has no further '/'. */
        const char *rest = name + len + (slash ? 1 : 0);
        bool direct = true;
        for (const char *c = rest; *c; c++) {
            if (*c == '/') {
                direct = false;
                break;
            }
        }
        if (direct) {
            *cursor = i + 1;
            return ldr_bootimg_get(img, i, ent);
        }
    }
    *cursor = img->count;
    return LDR_ENOENT;
}
