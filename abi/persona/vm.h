/* Memory: protections and mapping flags of the vm_* system calls. */
#ifndef PERSONA_VM_H
#define PERSONA_VM_H

#include <stdint.h>

#define PROT_NONE_ 0x0
#define PROT_R     0x1
#define PROT_W     0x2
#define PROT_X     0x4

/* vm_map flags (the prot_flags argument: prot | flags << 8). */
#define MAPF_FIXED                 0x1 /* exactly at *addr, replacing what is there */
#define MAPF_NOREPLACE             0x2 /* exactly at *addr, failing if anything is there */
#define MAPF_PRIVATE               0x4 /* a section, copy-on-write: writes stay here */
#define VM_PROT_FLAGS(prot, flags) ((prot) | ((flags) << 8))

#define VM_PAGE_SIZE 4096ul

/* vm_query: the mapping that holds an address. section_id names the section
 * object behind it (0 for private anonymous memory), the same for every
 * space that maps it, so two mappings of one page can be recognised. */
typedef struct vm_region_info {
    uint64_t start, end; /* the region, [start, end) */
    uint32_t prot;       /* PROT_* */
    uint32_t flags;      /* VMQ_* */
    uint64_t section_id;
    uint64_t offset; /* of start, into the section */
} vm_region_info_t;

#define VMQ_PRIVATE 0x1 /* a section mapped copy-on-write */

#endif
