/*
 * Test helper: builds small ELF64 x86_64 images by hand, so each test can
 * start from a known-good program and break exactly one thing.
 *
 * Entry points: elfgen_init(), elfgen_phdr(), elfgen_good_exec(),
 * elfgen_good_pie(), elfgen_ph_at(), put16/put32/put64.
 */
#ifndef LOADER_TESTS_ELFGEN_H
#define LOADER_TESTS_ELFGEN_H

#include <stddef.h>
#include <stdint.h>

#define ELFGEN_MAX 0x4000

typedef struct elfgen {
    uint8_t buf[ELFGEN_MAX];
    size_t size;
    uint16_t phnum;
} elfgen_t;

void put16(uint8_t *p, uint16_t v);
void put32(uint8_t *p, uint32_t v);
void put64(uint8_t *p, uint64_t v);
uint32_t get32(const uint8_t *p);
uint64_t get64(const uint8_t *p);

/* ELF header with the program header table at 64 and no entries yet. */
void elfgen_init(elfgen_t *g, uint16_t type, uint64_t entry);

/* Appends a program header; returns its index. */
int elfgen_phdr(elfgen_t *g, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
                uint64_t filesz, uint64_t memsz, uint64_t align);

/* Address of program header i, to patch a field. */
uint8_t *elfgen_ph_at(elfgen_t *g, int i);

/*
 * A static ET_EXEC: PT_PHDR, R segment at 0x400000 holding the headers
 * (file 0..0x1000), RX at 0x401000 (file 0x1000, 0x100 bytes, the entry),
 * RW at 0x402000 (file 0x2000, 0x10 bytes, 0x2000 in memory), GNU_STACK RW.
 * The file ends exactly at the end of the RW data (0x2010).
 */
void elfgen_good_exec(elfgen_t *g);

/* The same layout linked at 0 as ET_DYN with a PT_DYNAMIC (a static-PIE). */
void elfgen_good_pie(elfgen_t *g);

/* Writes a note (4-byte aligned) at `off`; returns the bytes written. */
size_t elfgen_note(uint8_t *at, const char *name, uint32_t type, const void *desc, uint32_t descsz);

#endif
