/*
 * Private to the NE parser: the decoders that both validation (ne.c) and
 * the public accessors (ne_access.c) use. Each one bounds-checks what it
 * reads, so it is safe even on an image ldr_ne_parse() has not accepted;
 * validation then checks the decoded values for consistency.
 */
#ifndef LOADER_NE_PRIV_H
#define LOADER_NE_PRIV_H

#include <loader/ne.h>

int nep_segment(const ldr_ne_info_t *info, unsigned segno, ldr_ne_segment_t *seg, const char **why);
int nep_reloc(const ldr_ne_info_t *info, const ldr_ne_segment_t *seg, unsigned i,
              ldr_ne_reloc_t *r);

/* Pascal string (length byte, characters) at `off` inside a table of
 * `len` bytes at file offset `table`; copies it NUL-terminated. */
int nep_pstring(const ldr_ne_info_t *info, uint32_t table, uint32_t len, uint32_t off,
                char name[LDR_NE_NAME_MAX]);

#endif
