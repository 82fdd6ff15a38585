/*
 * mm: physical frames, the kernel heap and virtual area, per-process address
 * spaces with demand-zero and copy-on-write pages, sections (shared memory),
 * and memory quotas.
 */
#ifndef MM_H
#define MM_H

#include "arch.h"
#include "kernel.h"

/* ---- physical frames (frame.c) ---- */

void mm_init(const boot_info_t *bi);
/* A zeroed frame for the kernel's own use; 0 when memory is exhausted. */
uint64_t frame_alloc(void);
/* count zeroed, physically consecutive frames below 4 GiB (device memory);
 * returns the first one's address, or 0. Leaves the kernel's reserve. */
uint64_t frame_alloc_run(uint64_t count);
void frame_ref(uint64_t pa);
void frame_unref(uint64_t pa); /* frees the frame at refcount 0 */
uint32_t frame_refcount(uint64_t pa);
uint64_t mm_free_frames(void);
/* Does [lo, hi) overlap RAM the firmware reported usable? */
bool mm_is_ram(uint64_t lo, uint64_t hi);
uint64_t mm_total_frames(void);

/* ---- quotas (quota.c) ----
 * A quota block limits the pages a process (and the sections it created)
 * may hold. It is reference-counted because a section can outlive its
 * creator. */
typedef struct quota {
    uint32_t refcount;
    uint64_t limit; /* pages */
    uint64_t used;  /* pages */
    uint64_t peak;
} quota_t;

quota_t *quota_create(uint64_t limit_pages);
void quota_ref(quota_t *q);
void quota_unref(quota_t *q);
status_t quota_charge(quota_t *q, uint64_t pages);
void quota_uncharge(quota_t *q, uint64_t pages);
/* A zeroed frame charged to q (ST_QUOTA_EXCEEDED / ST_NO_MEMORY). The kernel
 * keeps a reserve that user allocations cannot take. */
status_t frame_alloc_charged(quota_t *q, uint64_t *pa);

/* ---- kernel heap (heap.c) and kernel virtual area (kva.c) ---- */

void heap_init(void);
void *kmalloc(size_t n);
void *kzalloc(size_t n);
void kfree(void *p);
char *kstrdup(const char *s);

void kva_init(void);
/* Maps pages fresh frames at a new kernel virtual address, with an unmapped
 * guard page below. Returns NULL on exhaustion. */
void *kva_alloc(size_t pages);
void kva_free(void *va, size_t pages);

/* ---- sections (section.c) ---- */
typedef struct section section_t;

/* ---- address spaces (vm.c, fault.c, clone.c) ---- */

enum vm_map_flags {
    VMF_FIXED = 1,     /* exactly at *addr, replacing what is there */
    VMF_NOREPLACE = 2, /* exactly at *addr, failing if anything is there */
    VMF_PRIVATE = 4,   /* a section mapped copy-on-write: writes stay here */
    VMF_NO_WRITE = 8,  /* never writable (a shared section without H_WRITE) */
};

enum fault_access {
    FAULT_PRESENT = 1, /* the page was present (protection fault) */
    FAULT_WRITE = 2,
    FAULT_EXEC = 4,
    FAULT_USER = 8,
};

typedef struct vm_region {
    struct vm_region *next; /* sorted by start */
    uintptr_t start, end;
    unsigned prot;      /* VM_READ | VM_WRITE | VM_EXEC */
    section_t *section; /* NULL for private anonymous memory */
    uint64_t offset;    /* into the section */
    bool private_copy;  /* section pages copy-on-write (VMF_PRIVATE) */
    bool no_write;      /* vm_protect may not add write (VMF_NO_WRITE) */
} vm_region_t;

typedef struct vm_space {
    uint64_t root; /* page-table root (physical) */
    vm_region_t *regions;
    quota_t *quota;
    uint64_t resident; /* user pages mapped */
    uint64_t pt_pages; /* page-table pages */
    uintptr_t hint;    /* where the next non-fixed mapping search starts */
} vm_space_t;

#define VM_MAX_REGIONS 65536

status_t vm_space_init(vm_space_t *s, quota_t *q);
void vm_space_destroy(vm_space_t *s);
/* Maps [*addr, *addr+len) with prot; without VMF_FIXED *addr is a hint and
 * receives the chosen address. sec == NULL maps demand-zero memory. */
status_t vm_map(vm_space_t *s, uintptr_t *addr, size_t len, unsigned prot, unsigned flags,
                section_t *sec, uint64_t offset);
status_t vm_unmap(vm_space_t *s, uintptr_t addr, size_t len);
status_t vm_protect(vm_space_t *s, uintptr_t addr, size_t len, unsigned prot);
/* dst (freshly initialised) becomes a copy-on-write clone of src. */
status_t vm_clone(vm_space_t *dst, vm_space_t *src);
status_t vm_fault(vm_space_t *s, uintptr_t addr, unsigned access);
/* Reads or writes another space's memory, faulting pages in as needed and
 * honouring its protections only as far as "mapped at all", or (as_user)
 * as far as the space's own threads could read or write there. */
status_t vm_copy_in(vm_space_t *s, uintptr_t addr, void *buf, size_t len, bool as_user);
status_t vm_copy_out(vm_space_t *s, uintptr_t addr, const void *buf, size_t len, bool as_user);
/* Between space s at addr and ubuf in the current process's memory. */
status_t vm_copy_user(vm_space_t *s, uintptr_t addr, uintptr_t ubuf, size_t len, bool to_space,
                      bool as_user);
vm_region_t *vm_find(vm_space_t *s, uintptr_t addr);

/* The current thread's address space, for faults taken in the kernel. */
status_t mm_handle_fault(uintptr_t addr, unsigned access);
vm_space_t *mm_current_space(void);

#endif
