/*
 * libFuzzer target: the input is a disk image (its first sectors; the
 * rest reads as zeros up to the size its boot sector claims). Mounts it,
 * lists and reads everything, makes a few changes, syncs, and walks it
 * again. Built by run.sh with ASan and UBSan; crashes found are kept in
 * ../tests/regress/ and replayed by the unit test fat-regress.
 */
#include <stddef.h>
#include <stdint.h>

#include "../tests/fat_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fat_walk_stats_t st;

    if (size > (1u << 20))
        return 0;
    fat_walk_image(data, size, 1, &st);
    return 0;
}
