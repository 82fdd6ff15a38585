/*
 * Section objects: memory that several address spaces map, each at its own
 * address (shared memory, bulk-data channels). Pages are allocated on first
 * touch; the whole size is charged to the creator's quota at creation, so a
 * mapper can never make the kernel run out of memory.
 */
#ifndef SECTION_H
#define SECTION_H

#include "mm.h"
#include "ob.h"

struct section {
    ob_header_t hdr;
    uint64_t size; /* bytes, page multiple */
    uint64_t npages;
    uint64_t *pages; /* physical addresses, 0 until first touch */
    quota_t *quota;  /* charged npages at creation */
    bool borrowed;   /* pages belong to someone else (the boot image) */
};

extern const ob_type_t section_type;

#define SECTION_MAX_SIZE (1ull << 32)

status_t section_create(uint64_t size, quota_t *q, section_t **out);
/* A section over physical memory the kernel already owns (the boot image). */
status_t section_create_phys(uint64_t pa, uint64_t size, section_t **out);
/* A section over consecutive frames allocated now (memory a device reads
 * and writes: virtqueues, buffers); *pa is the first frame. Charged to q. */
status_t section_create_contiguous(uint64_t size, quota_t *q, section_t **out, uint64_t *pa);
/* The frame backing page index, allocating it if needed. */
status_t section_page(section_t *s, uint64_t index, uint64_t *pa);

#endif
