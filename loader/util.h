/*
 * Private helpers of the loader library: little-endian reads from byte
 * buffers and overflow-checked range tests.
 *
 * Every parser reads the image only through these, after checking the
 * range with ldr_range_ok(), so an offset or size taken from the file can
 * never make it read outside image[0..size) or wrap around.
 */
#ifndef LOADER_UTIL_H
#define LOADER_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <loader/status.h>

/* Images are read byte by byte: no alignment is assumed, and the host
 * tools that share this code need not be little-endian. */
static inline uint16_t ldr_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t ldr_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t ldr_le64(const uint8_t *p)
{
    return (uint64_t)ldr_le32(p) | (uint64_t)ldr_le32(p + 4) << 32;
}

/* True when [off, off + len) lies inside a buffer of `size` bytes. */
static inline bool ldr_range_ok(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

static inline bool ldr_is_pow2(uint64_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

/* Sets *why (when the caller asked for it) and returns status, so that a
 * failure is one statement: `return ldr_fail(why, LDR_ECORRUPT, "...");` */
static inline int ldr_fail(const char **why, int status, const char *msg)
{
    if (why)
        *why = msg;
    return status;
}

#endif
