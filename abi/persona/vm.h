/* Memory: protections and mapping flags of the vm_* system calls. */
#ifndef PERSONA_VM_H
#define PERSONA_VM_H

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

#endif
