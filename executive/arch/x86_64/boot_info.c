/*
 * Reads QEMU's PVH start-of-day block (struct hvm_start_info, version 1)
 * into the portable boot_info_t: the E820 memory map, the initrd module
 * that carries the boot image, and the kernel command line. The block lies
 * in the first GiB, which the boot page tables map at PHYS_MAP_BASE.
 */
#include "x86.h"
#include <string.h>

#define HVM_START_MAGIC 0x336ec578

typedef struct hvm_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr;
    uint32_t memmap_entries;
    uint32_t reserved;
} hvm_start_info_t;

typedef struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
} hvm_modlist_entry_t;

typedef struct hvm_memmap_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
} hvm_memmap_entry_t;

void arch_parse_boot_info(uint64_t start_info_pa, boot_info_t *bi)
{
    const hvm_start_info_t *si = phys_to_virt(start_info_pa);

    memset(bi, 0, sizeof(*bi));
    if (si->magic != HVM_START_MAGIC)
        panic("boot: no PVH start info (magic %#x)", si->magic);
    if (si->version < 1 || !si->memmap_paddr)
        panic("boot: PVH start info without a memory map (version %u)", si->version);

    const hvm_memmap_entry_t *mm = phys_to_virt(si->memmap_paddr);
    for (uint32_t i = 0; i < si->memmap_entries && bi->nmem < BOOT_MAX_MEM; i++) {
        bi->mem[bi->nmem].base = mm[i].addr;
        bi->mem[bi->nmem].len = mm[i].size;
        bi->mem[bi->nmem].type = mm[i].type == 1 ? BOOT_MEM_USABLE : BOOT_MEM_RESERVED;
        bi->nmem++;
    }
    if (si->nr_modules >= 1 && si->modlist_paddr) {
        const hvm_modlist_entry_t *mod = phys_to_virt(si->modlist_paddr);
        bi->initrd_pa = mod[0].paddr;
        bi->initrd_size = mod[0].size;
    }
    if (si->cmdline_paddr)
        strlcpy(bi->cmdline, phys_to_virt(si->cmdline_paddr), sizeof(bi->cmdline));
}
