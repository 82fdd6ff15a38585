/*
 * Hand-built ELF images for the parser tests (see elfgen.h).
 */
#include <string.h>

#include "elfgen.h"

void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t get64(const uint8_t *p)
{
    return get32(p) | (uint64_t)get32(p + 4) << 32;
}

void elfgen_init(elfgen_t *g, uint16_t type, uint64_t entry)
{
    memset(g, 0, sizeof(*g));
    memcpy(g->buf, "\177ELF", 4);
    g->buf[4] = 2; /* ELFCLASS64 */
    g->buf[5] = 1; /* little-endian */
    g->buf[6] = 1; /* EV_CURRENT */
    put16(g->buf + 16, type);
    put16(g->buf + 18, 62);
    put32(g->buf + 20, 1);
    put64(g->buf + 24, entry);
    put64(g->buf + 32, 64);
    put16(g->buf + 52, 64);
    put16(g->buf + 54, 56);
    g->size = 64;
}

uint8_t *elfgen_ph_at(elfgen_t *g, int i)
{
    return g->buf + 64 + 56 * (size_t)i;
}

int elfgen_phdr(elfgen_t *g, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
                uint64_t filesz, uint64_t memsz, uint64_t align)
{
    int i = g->phnum++;
    uint8_t *ph = elfgen_ph_at(g, i);

    put32(ph, type);
    put32(ph + 4, flags);
    put64(ph + 8, offset);
    put64(ph + 16, vaddr);
    put64(ph + 24, vaddr);
    put64(ph + 32, filesz);
    put64(ph + 40, memsz);
    put64(ph + 48, align);
    put16(g->buf + 56, g->phnum);
    /* Keep a leading PT_PHDR covering the whole table. */
    if (i > 0 && g->buf[64] == 6) {
        put64(g->buf + 64 + 32, 56 * (uint64_t)g->phnum);
        put64(g->buf + 64 + 40, 56 * (uint64_t)g->phnum);
    }
    if (g->size < 64 + 56 * (size_t)g->phnum)
        g->size = 64 + 56 * (size_t)g->phnum;
    return i;
}

static void good(elfgen_t *g, uint16_t type, uint64_t base)
{
    elfgen_init(g, type, base + 0x1010);
    elfgen_phdr(g, 6, 4, 64, base + 64, 56, 56, 8);
    elfgen_phdr(g, 1, 4, 0, base, 0x1000, 0x1000, 0x1000);
    elfgen_phdr(g, 1, 5, 0x1000, base + 0x1000, 0x100, 0x100, 0x1000);
    elfgen_phdr(g, 1, 6, 0x2000, base + 0x2000, 0x10, 0x2000, 0x1000);
    elfgen_phdr(g, 0x6474e551, 6, 0, 0, 0, 0, 16);
    memset(g->buf + 0x1000, 0x90, 0x100);
    memset(g->buf + 0x2000, 0xaa, 0x10);
    g->size = 0x2010;
}

void elfgen_good_exec(elfgen_t *g)
{
    good(g, 2, 0x400000);
}

void elfgen_good_pie(elfgen_t *g)
{
    good(g, 3, 0);
    /* The PT_GNU_STACK slot becomes PT_DYNAMIC; the stack entry moves after it. */
    uint8_t *ph = elfgen_ph_at(g, 4);
    put32(ph, 2);
    put64(ph + 8, 0x2000);
    put64(ph + 16, 0x2000);
    put64(ph + 32, 0x10);
    put64(ph + 40, 0x10);
}

size_t elfgen_note(uint8_t *at, const char *name, uint32_t type, const void *desc, uint32_t descsz)
{
    uint32_t namesz = (uint32_t)strlen(name) + 1;
    size_t off = 12;

    put32(at, namesz);
    put32(at + 4, descsz);
    put32(at + 8, type);
    memcpy(at + off, name, namesz);
    off += (namesz + 3) & ~3u;
    memcpy(at + off, desc, descsz);
    off += (descsz + 3) & ~3u;
    return off;
}
