/* Declarations shared by the files of mm's address-space code. */
#ifndef MM_VM_INTERNAL_H
#define MM_VM_INTERNAL_H

#include "mm.h"

uint64_t vm_pt_alloc(void *ctx);

#endif
