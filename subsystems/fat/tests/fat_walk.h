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
 * overlay. `writes` adds the changes.
 */
void fat_walk_image(const uint8_t *img, size_t size, int writes, fat_walk_stats_t *st);

#endif
