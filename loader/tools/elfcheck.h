/*
 * Host-only cross-check of the freestanding ELF parser against libelf.
 *
 * mkbootimg runs every ELF it packs through elfcheck(), and the unit tests
 * run it over real programs: libelf is the reference reading, and any
 * difference between the two (entry point, type, program headers, loadable
 * segments, interpreter, personality) is reported as an error, since it
 * means one of the two readers is wrong about a file Persona will run.
 *
 * Entry point: elfcheck().
 */
#ifndef LOADER_TOOLS_ELFCHECK_H
#define LOADER_TOOLS_ELFCHECK_H

#include <stddef.h>

#include <loader/elf64.h>

/*
 * Parses `image` with ldr_elf_parse() into *info and with libelf, and
 * compares. Returns 0 when both accept it and agree. Otherwise returns the
 * ldr status (or LDR_ECORRUPT for a disagreement or a libelf failure) and
 * writes a one-line explanation into msg.
 */
int elfcheck(const void *image, size_t size, ldr_elf_info_t *info, char *msg, size_t msglen);

#endif
