/*
 * Exercising an arbitrary image held in memory, for the fuzzer and for
 * the tests that replay what it found: mount, list and read everything,
 * stat, then a few changes and a sync. It must never crash or hang, and
 * nothing may read or write outside the image, whatever it contains.
 */
#ifndef FAT_WALK_H
#define FAT_WALK_H

#include <stddef.h>
#include <stdint.h>

typedef struct fat_walk_stats {
    int mount_status;
    unsigned dirs, files, errors;
    uint64_t bytes;
} fat_walk_stats_t;

/*
 * The device is the image, zero-extended to the size its boot sector
 * claims (up to 4 GiB); sectors written past the image go to a bounded
 * overlay. An image that starts with FAT_WALK_SPARSE is instead a list of
 * runs: a 32-bit sector number and a 16-bit count (little-endian), then
 * that many sectors; so a seed of a few KB can describe a populated FAT32
 * volume. `writes` adds the changes.
 */
#define FAT_WALK_SPARSE "FATSPARS"

void fat_walk_image(const uint8_t *img, size_t size, int writes, fat_walk_stats_t *st);

#endif
