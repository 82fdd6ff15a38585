/*
 * The kernel's read-only view of the boot image (the initrd module), used
 * to start programs the kernel launches itself and to hand the image to the
 * boot file server.
 */
#ifndef BOOTFS_H
#define BOOTFS_H

#include "ps.h"

void bootfs_init(uint64_t pa, uint64_t size);
/* Finds a file; *data points into the direct map. */
status_t bootfs_lookup(const char *path, const void **data, size_t *size, uint32_t *personality);
status_t ps_spawn_boot_program(const char *path, int argc, const char *const argv[],
                               process_t **out);

#endif
