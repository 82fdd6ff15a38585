/* Declarations shared by the files of mm's address-space code. */
#ifndef MM_VM_INTERNAL_H
#define MM_VM_INTERNAL_H

#include "mm.h"

uint64_t vm_pt_alloc(void *ctx);
/* Whether the frame at va of region r is the space's own (charged) page,
 * rather than a section's. */
bool vm_page_is_private(const vm_region_t *r, uintptr_t va, uint64_t pa);

#endif
