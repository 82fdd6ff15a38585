/*
 * Test helper: a small, complete Win16 NE file built by hand, with every
 * table the parser knows (two segments with relocations, resident and
 * non-resident names, two imported modules, an entry table with fixed,
 * skipped and movable bundles, one resource). The offsets below let tests
 * break one field at a time.
 *
 * Entry points: negen_good(), mzgen_header().
 */
#ifndef LOADER_TESTS_NEGEN_H
#define LOADER_TESTS_NEGEN_H

#include <stddef.h>
#include <stdint.h>

#define NEGEN_MAX 0x400

enum {
    NE_AT = 0x80,     /* e_lfanew */
    NE_SEGTAB = 0x40, /* tables, relative to NE_AT */
    NE_RSRCTAB = 0x50,
    NE_RESTAB = 0x68,
    NE_MODTAB = 0x77,
    NE_IMPTAB = 0x7B,
    NE_ENTTAB = 0x93,
    NE_ENTTAB_SIZE = 16,
    NE_NRESTAB = 0x130, /* absolute */
    NE_NRESTAB_SIZE = 15,
    NE_SEG1 = 0x200,        /* code: 0x20 bytes, 3 relocations after it */
    NE_SEG1_RELOCS = 0x222, /* first record; the count is at 0x220 */
    NE_SEG2 = 0x240,        /* data: 0x10 bytes */
    NE_RSRC = 0x260,
    NE_SIZE = 0x270,
};

void negen_good(uint8_t *buf, size_t *size);

/* An MZ header at buf: image of `image_size` bytes, 4-paragraph header,
 * no relocations, entry 0:0, relocation table at 0x40. */
void mzgen_header(uint8_t *buf, uint32_t image_size);

#endif
