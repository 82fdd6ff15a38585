/*
 * Bitwise CRC-32 (IEEE). Only the boot image's entry and string tables are
 * checksummed, a few hundred KiB at most, so the byte-at-a-time table
 * would buy little and cost 1 KiB of constants in the kernel.
 *
 * Entry point: ldr_crc32().
 */
#include <loader/crc32.h>

uint32_t ldr_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;

    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}
