/*
 * libFuzzer target for the boot image reader: see exercise.h for what is
 * checked, run.sh for how to build and run it.
 *
 * Almost every mutation breaks the CRC, which would stop the reader before
 * it looks at a single entry; so each input is also tried with its CRC
 * made right, to reach the entry checks and the lookups.
 */
#include <stdlib.h>
#include <string.h>

#include <loader/crc32.h>

#include "exercise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t get(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exercise_bootimg(data, size);
    if (size < 56)
        return 0;

    uint64_t count = get(data + 12, 4), eoff = get(data + 24, 8);
    uint64_t soff = get(data + 32, 8), ssize = get(data + 40, 8);
    if (eoff > size || count * 32 > size - eoff || soff > size || ssize > size - soff)
        return 0;
    uint8_t *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    uint32_t crc = ldr_crc32(ldr_crc32(0, copy + eoff, count * 32), copy + soff, ssize);
    for (int i = 0; i < 4; i++)
        copy[48 + i] = (uint8_t)(crc >> (8 * i));
    exercise_bootimg(copy, size);
    free(copy);
    return 0;
}
