/*
 * Access to the VDM's real-mode memory from C, for the VDM's BIOS and the
 * DOS server (which maps the same memory). Every address is a seg:off
 * pair turned into a linear address that wraps at 1 MiB as on an 8086
 * with A20 off, so nothing a program passes can reach outside the buffer,
 * which must be at least VDM_MEM_SIZE bytes. Offsets of multi-byte
 * accesses wrap within the segment, as the CPU's own accesses do.
 *
 * Entry points: vm_lin, vm_rd8, vm_rd16, vm_wr8, vm_wr16, vm_read,
 * vm_write, vm_fill.
 */
#ifndef DOS_VMEM_H
#define DOS_VMEM_H

#include <stddef.h>
#include <stdint.h>

#include <dos/regs.h>

static inline uint32_t vm_lin(uint16_t seg, uint16_t off)
{
    return (((uint32_t)seg << 4) + off) & VDM_ADDR_MASK;
}

static inline uint8_t vm_rd8(const uint8_t *mem, uint16_t seg, uint16_t off)
{
    return mem[vm_lin(seg, off)];
}

static inline uint16_t vm_rd16(const uint8_t *mem, uint16_t seg, uint16_t off)
{
    return (uint16_t)(mem[vm_lin(seg, off)] | mem[vm_lin(seg, (uint16_t)(off + 1))] << 8);
}

static inline uint32_t vm_rd32(const uint8_t *mem, uint16_t seg, uint16_t off)
{
    return vm_rd16(mem, seg, off) | (uint32_t)vm_rd16(mem, seg, (uint16_t)(off + 2)) << 16;
}

static inline void vm_wr8(uint8_t *mem, uint16_t seg, uint16_t off, uint8_t v)
{
    mem[vm_lin(seg, off)] = v;
}

static inline void vm_wr16(uint8_t *mem, uint16_t seg, uint16_t off, uint16_t v)
{
    mem[vm_lin(seg, off)] = (uint8_t)v;
    mem[vm_lin(seg, (uint16_t)(off + 1))] = (uint8_t)(v >> 8);
}

static inline void vm_wr32(uint8_t *mem, uint16_t seg, uint16_t off, uint32_t v)
{
    vm_wr16(mem, seg, off, (uint16_t)v);
    vm_wr16(mem, seg, (uint16_t)(off + 2), (uint16_t)(v >> 16));
}

/* Copies between C memory and seg:off, the offset wrapping at 64 KiB. */
static inline void vm_read(const uint8_t *mem, uint16_t seg, uint16_t off, void *dst, size_t n)
{
    uint8_t *d = dst;
    for (size_t i = 0; i < n; i++)
        d[i] = mem[vm_lin(seg, (uint16_t)(off + i))];
}

static inline void vm_write(uint8_t *mem, uint16_t seg, uint16_t off, const void *src, size_t n)
{
    const uint8_t *s = src;
    for (size_t i = 0; i < n; i++)
        mem[vm_lin(seg, (uint16_t)(off + i))] = s[i];
}

static inline void vm_fill(uint8_t *mem, uint16_t seg, uint16_t off, uint8_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mem[vm_lin(seg, (uint16_t)(off + i))] = v;
}

#endif
