/*
 * DOS .COM programs, for the DOS server's EXEC.
 *
 * A .COM file has no header: DOS copies it whole to offset 0100h of a
 * fresh 64 KiB segment, just past the PSP, and jumps there with every
 * segment register on the PSP and SP at FFFEh. So the only checks are on
 * its size, and the only way to recognise one is its name (ldr_com_name());
 * like DOS, a file that starts with an MZ signature is an MZ program
 * whatever its extension.
 *
 * Entry points: ldr_com_parse(), ldr_com_name().
 */
#ifndef LOADER_COM_H
#define LOADER_COM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <loader/status.h>

#define LDR_COM_LOAD 0x0100u /* offset of the first byte in the segment, and IP */
#define LDR_COM_SP   0xFFFEu /* initial SP: the word below holds 0, for RET to INT 20h */
#define LDR_COM_MAX  0xFF00u /* 65,280 bytes: a segment less the 256-byte PSP */

typedef struct ldr_com_info {
    uint32_t size; /* bytes to copy to PSP:0100 */
} ldr_com_info_t;

/* LDR_EFORMAT for an MZ program, LDR_ECORRUPT for an empty or oversized file. */
int ldr_com_parse(const void *image, size_t size, ldr_com_info_t *info, const char **why);

/* True when the last component of `name` ends in ".com", in any case. */
bool ldr_com_name(const char *name);

#endif
