/*
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of
 * the boot image's metadata. Written here because the library has no libc.
 *
 * Entry point: ldr_crc32(). Start with crc = 0 and feed the previous result
 * back to checksum data given in pieces: ldr_crc32(ldr_crc32(0, a, n), b, m)
 * equals the CRC of a followed by b.
 */
#ifndef LOADER_CRC32_H
#define LOADER_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t ldr_crc32(uint32_t crc, const void *data, size_t len);

#endif
