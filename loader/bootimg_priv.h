/*
 * Private to the boot image reader: decoding one raw entry, and comparing
 * entry paths with a key, shared by validation (bootimg.c) and lookup
 * (bootimg_find.c).
 */
#ifndef LOADER_BOOTIMG_PRIV_H
#define LOADER_BOOTIMG_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <loader/bootimg.h>

typedef struct bootimg_raw {
    uint32_t name_offset;
    uint16_t type;
    uint16_t personality;
    uint32_t mode;
    uint32_t reserved;
    uint64_t data_offset;
    uint64_t size;
} bootimg_raw_t;

void bootimgp_raw(const ldr_bootimg_t *img, uint32_t index, bootimg_raw_t *raw);

/*
 * Compares the NUL-terminated path `a` with the key formed by key[0..len)
 * followed by a '/' when `slash` is set, in unsigned byte order, like
 * strcmp. With `prefix` set, only the key's length is compared, so 0 means
 * "a starts with the key".
 */
int bootimgp_cmp(const char *a, const char *key, size_t len, bool slash, bool prefix);

/* First index in [0, n) whose path is not below the key (see bootimgp_cmp). */
uint32_t bootimgp_lower_bound(const ldr_bootimg_t *img, uint32_t n, const char *key, size_t len,
                              bool slash);

/* Path of entry `index`; only valid once the name has been validated. */
const char *bootimgp_name(const ldr_bootimg_t *img, uint32_t index);

#endif
