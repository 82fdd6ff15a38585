/*
 * The hand-built NE file of negen.h.
 */
#include <string.h>

#include "elfgen.h"
#include "negen.h"

void mzgen_header(uint8_t *buf, uint32_t image_size)
{
    memset(buf, 0, 64);
    buf[0] = 'M';
    buf[1] = 'Z';
    put16(buf + 2, (uint16_t)(image_size % 512));
    put16(buf + 4, (uint16_t)((image_size + 511) / 512));
    put16(buf + 8, 4);
    put16(buf + 0x0C, 0xFFFF);
    put16(buf + 0x10, 0x100);
    put16(buf + 0x18, 0x40);
}

static size_t pstr(uint8_t *at, const char *s)
{
    size_t n = strlen(s);
    at[0] = (uint8_t)n;
    memcpy(at + 1, s, n);
    return n + 1;
}

static void reloc(uint8_t *at, uint8_t src, uint8_t flags, uint16_t off, uint16_t a, uint16_t b)
{
    at[0] = src;
    at[1] = flags;
    put16(at + 2, off);
    put16(at + 4, a);
    put16(at + 6, b);
}

void negen_good(uint8_t *buf, size_t *size)
{
    uint8_t *ne = buf + NE_AT;
    size_t off;

    memset(buf, 0, NEGEN_MAX);
    mzgen_header(buf, 0x80);
    put32(buf + 0x3C, NE_AT);
    buf[0x40] = 0xCD; /* the DOS stub: INT 20h */
    buf[0x41] = 0x20;

    ne[0] = 'N';
    ne[1] = 'E';
    ne[2] = 5;
    ne[3] = 10;
    put16(ne + 0x04, NE_ENTTAB);
    put16(ne + 0x06, NE_ENTTAB_SIZE);
    put16(ne + 0x0C, 0x0002); /* MULTIPLEDATA */
    put16(ne + 0x0E, 2);      /* automatic data segment */
    put16(ne + 0x10, 0x400);  /* heap */
    put16(ne + 0x12, 0x1000); /* stack */
    put16(ne + 0x14, 0x0010); /* IP */
    put16(ne + 0x16, 1);      /* CS: segment 1 */
    put16(ne + 0x18, 0);      /* SP */
    put16(ne + 0x1A, 2);      /* SS: segment 2 */
    put16(ne + 0x1C, 2);      /* segments */
    put16(ne + 0x1E, 2);      /* modules */
    put16(ne + 0x20, NE_NRESTAB_SIZE);
    put16(ne + 0x22, NE_SEGTAB);
    put16(ne + 0x24, NE_RSRCTAB);
    put16(ne + 0x26, NE_RESTAB);
    put16(ne + 0x28, NE_MODTAB);
    put16(ne + 0x2A, NE_IMPTAB);
    put32(ne + 0x2C, NE_NRESTAB);
    put16(ne + 0x30, 1); /* movable entries */
    put16(ne + 0x32, 4); /* 16-byte sectors */
    put16(ne + 0x34, 1);
    ne[0x36] = 2; /* Windows */
    put16(ne + 0x3E, 0x0300);

    /* Segments: code (relocations) and data. */
    uint8_t *seg = ne + NE_SEGTAB;
    put16(seg + 0, NE_SEG1 >> 4);
    put16(seg + 2, 0x20);
    put16(seg + 4, 0x0100);
    put16(seg + 6, 0x20);
    put16(seg + 8, NE_SEG2 >> 4);
    put16(seg + 10, 0x10);
    put16(seg + 12, 0x0001);
    put16(seg + 14, 0x100);

    /* Resources: one type with one resource. */
    uint8_t *rs = ne + NE_RSRCTAB;
    put16(rs, 4);
    put16(rs + 2, 0x8004); /* RT_MENU */
    put16(rs + 4, 1);
    put16(rs + 10, NE_RSRC >> 4);
    put16(rs + 12, 1);
    put16(rs + 14, 0x30);
    put16(rs + 16, 0x8001);
    put16(rs + 22, 0); /* end of types */

    /* Resident names: the module name, then one export. */
    off = NE_RESTAB;
    off += pstr(ne + off, "HELLO");
    off += 2;
    off += pstr(ne + off, "FOO");
    put16(ne + off, 1);
    off += 2;
    ne[off] = 0;

    /* Module references into the imported names. */
    put16(ne + NE_MODTAB, 1);
    put16(ne + NE_MODTAB + 2, 8);
    off = NE_IMPTAB;
    ne[off++] = 0;
    off += pstr(ne + off, "KERNEL");
    off += pstr(ne + off, "USER");
    off += pstr(ne + off, "MessageBox");

    /* Entries: ordinal 1 fixed in segment 1, 2 unused, 3 movable in segment 2. */
    uint8_t *et = ne + NE_ENTTAB;
    et[0] = 1;
    et[1] = 1;
    et[2] = 1;
    put16(et + 3, 0x0010);
    et[5] = 1;
    et[6] = 0;
    et[7] = 1;
    et[8] = 0xFF;
    et[9] = 1;
    et[10] = 0xCD;
    et[11] = 0x3F;
    et[12] = 2;
    put16(et + 13, 0x0004);
    et[15] = 0;

    off = NE_NRESTAB;
    off += pstr(buf + off, "Hello test");
    off += 2;
    buf[off] = 0;

    /* Code, with fixup chains: 0x02 alone, 0x08 -> 0x0C. */
    memset(buf + NE_SEG1, 0x90, 0x20);
    put16(buf + NE_SEG1 + 0x02, 0xFFFF);
    put16(buf + NE_SEG1 + 0x08, 0x000C);
    put16(buf + NE_SEG1 + 0x0C, 0xFFFF);
    put16(buf + 0x220, 3);
    reloc(buf + NE_SEG1_RELOCS, 3, 1, 0x0002, 1, 5);      /* KERNEL.5 */
    reloc(buf + NE_SEG1_RELOCS + 8, 3, 2, 0x0008, 2, 13); /* USER.MessageBox */
    reloc(buf + NE_SEG1_RELOCS + 16, 2, 4, 0x0014, 2, 0); /* segment 2, additive */

    memcpy(buf + NE_SEG2, "data segment...", 16);
    memcpy(buf + NE_RSRC, "menu resource..", 16);
    *size = NE_SIZE;
}
