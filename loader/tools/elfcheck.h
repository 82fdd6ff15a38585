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

/* elfcheck() results besides 0 and the (negative) LDR_E* of ldr_elf_parse(). */
#define ELFCHECK_LIBELF 1 /* libelf cannot read what the loader accepted */
#define ELFCHECK_DIFFER 2 /* both read it, with different results */

/*
 * Parses `image` with ldr_elf_parse() into *info and with libelf, and
 * compares. Returns 0 when both accept it and agree; otherwise the ldr
 * status when the loader refuses it, or ELFCHECK_LIBELF or ELFCHECK_DIFFER,
 * with a one-line explanation in msg. libelf refuses some files the
 * loader has no reason to look at closely (a broken section header table,
 * say): mkbootimg refuses those too, but they are no disagreement.
 */
int elfcheck(const void *image, size_t size, ldr_elf_info_t *info, char *msg, size_t msglen);

#endif
