/*
 * Reader of Persona boot images (format: <persona/bootimg.h>), used by the
 * executive to find the first program and by the boot file server.
 *
 * ldr_bootimg_open() validates the whole image once: header, tables,
 * checksum, every entry's path, type, mode and data range. The other calls
 * then trust it and never fail on a validated image except with
 * LDR_ENOENT. The image must stay mapped while they are used: returned
 * paths and data point into it.
 *
 * Besides the format's rules, the reader requires the entries to be sorted
 * by path in byte order (mkbootimg writes them so). That order puts every
 * parent before its children, as the format demands, and lets validation,
 * lookup and listing use binary search instead of quadratic scans.
 *
 * Entry points: ldr_bootimg_open(), ldr_bootimg_get(), ldr_bootimg_lookup(),
 * ldr_bootimg_next_child(), ldr_bootimg_path_ok().
 */
#ifndef LOADER_BOOTIMG_H
#define LOADER_BOOTIMG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <loader/status.h>
#include <persona/bootimg.h>

/* Longest path the reader accepts, NUL included (POSIX PATH_MAX). It keeps
 * validation linear in the size of the image. */
#define LDR_BOOTIMG_PATH_MAX 4096

/* Index that ldr_bootimg_lookup() gives the implied root directory "/". */
#define LDR_BOOTIMG_ROOT UINT32_MAX

typedef struct ldr_bootimg {
    const uint8_t *base;
    uint64_t size; /* header.image_size: bytes past it are ignored */
    uint32_t count;
    uint64_t entries_offset;
    const char *strings;
    uint64_t strings_size;
} ldr_bootimg_t;

typedef struct ldr_bootimg_ent {
    uint32_t index;       /* position in the entry table, or LDR_BOOTIMG_ROOT */
    const char *path;     /* absolute, NUL-terminated, inside the image */
    uint16_t type;        /* enum bootimg_type */
    uint16_t personality; /* enum bootimg_personality */
    uint32_t mode;        /* permission bits (07777 at most) */
    uint64_t data_offset; /* from the start of the image; 0 when size is 0 */
    uint64_t size;
    const void *data; /* base + data_offset, NULL when size is 0 */
} ldr_bootimg_ent_t;

/* True when path[0..len) follows the format's path rules: absolute, not "/"
 * itself, no empty, "." or ".." component, no trailing '/'. */
bool ldr_bootimg_path_ok(const char *path, size_t len);

/* Validates the image and fills *img. LDR_EFORMAT without the magic,
 * LDR_EUNSUPPORTED for another version, LDR_ECORRUPT otherwise. */
int ldr_bootimg_open(const void *image, size_t size, ldr_bootimg_t *img, const char **why);

/* Entry `index` (0 <= index < img->count), LDR_ENOENT past the end. */
int ldr_bootimg_get(const ldr_bootimg_t *img, uint32_t index, ldr_bootimg_ent_t *ent);

/* The entry whose path is exactly `path` ("/" gives the root), LDR_ENOENT otherwise. */
int ldr_bootimg_lookup(const ldr_bootimg_t *img, const char *path, ldr_bootimg_ent_t *ent);

/*
 * Lists the entries directly inside directory `dir`, in path order. Set
 * *cursor to 0 before the first call; each call returns the next child
 * and advances *cursor, then LDR_ENOENT when there are no more (or `dir`
 * has no children).
 */
int ldr_bootimg_next_child(const ldr_bootimg_t *img, const char *dir, uint32_t *cursor,
                           ldr_bootimg_ent_t *ent);

#endif
