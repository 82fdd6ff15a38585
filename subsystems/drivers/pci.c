/*
 * PCI configuration access, mechanism #1: write the address of a dword to
 * CF8h, then read or write it at CFCh.
 */
#include "pci.h"
#include <portio.h>
#include <native/runtime.h>

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA    0xcfc

long pci_init(void)
{
    return sys_io_grant(CONFIG_ADDRESS, 8);
}

static uint32_t address(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
    return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)dev << 11 | (uint32_t)fn << 8 |
           (off & 0xfc);
}

static uint32_t read32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
    outl(CONFIG_ADDRESS, address(bus, dev, fn, off));
    return inl(CONFIG_DATA);
}

uint32_t pci_read32(const pci_dev_t *d, uint8_t off)
{
    return read32(d->bus, d->dev, d->fn, off);
}

void pci_write16(const pci_dev_t *d, uint8_t off, uint16_t v)
{
    outl(CONFIG_ADDRESS, address(d->bus, d->dev, d->fn, off));
    outw((uint16_t)(CONFIG_DATA + (off & 2)), v);
}

typedef struct search {
    uint16_t vendor;
    const uint16_t *devices;
    unsigned index;
    pci_dev_t *out;
} search_t;

static bool matches(search_t *q, uint8_t bus, uint8_t dev, uint8_t fn, uint32_t id)
{
    for (const uint16_t *d = q->devices; *d; d++) {
        if ((id & 0xffff) != q->vendor || id >> 16 != *d)
            continue;
        if (q->index--)
            return false;
        q->out->bus = bus;
        q->out->dev = dev;
        q->out->fn = fn;
        q->out->vendor = q->vendor;
        q->out->device = *d;
        uint8_t line = read32(bus, dev, fn, PCI_INTERRUPT) & 0xff;
        q->out->irq = line < 16 ? line : 0xff;
        return true;
    }
    return false;
}

/* One bus, and the buses behind its PCI-to-PCI bridges (depth-limited). */
static bool scan_bus(search_t *q, uint8_t bus, int depth)
{
    for (uint8_t dev = 0; dev < 32; dev++) {
        for (uint8_t fn = 0; fn < 8; fn++) {
            uint32_t id = read32(bus, dev, fn, 0);
            if ((id & 0xffff) == 0xffff) {
                if (fn == 0)
                    break; /* no device here */
                continue;
            }
            if (matches(q, bus, dev, fn, id))
                return true;
            uint32_t hdr = read32(bus, dev, fn, 0x0c) >> 16 & 0xff;
            uint32_t class = read32(bus, dev, fn, 0x08) >> 16;
            if ((hdr & 0x7f) == 1 && class == 0x0604 && depth < 8) {
                uint8_t secondary = read32(bus, dev, fn, 0x18) >> 8 & 0xff;
                if (secondary > bus && scan_bus(q, secondary, depth + 1))
                    return true;
            }
            /* Functions 1-7 exist only in multi-function devices. */
            if (fn == 0 && !(hdr & 0x80))
                break;
        }
    }
    return false;
}

bool pci_find(uint16_t vendor, const uint16_t *devices, unsigned index, pci_dev_t *out)
{
    search_t q = {vendor, devices, index, out};

    return scan_bus(&q, 0, 0);
}

uint16_t pci_io_bar(const pci_dev_t *d, unsigned n)
{
    uint32_t bar = pci_read32(d, (uint8_t)(0x10 + 4 * n));

    return (bar & 1) ? (uint16_t)(bar & 0xfffc) : 0;
}

void pci_enable(const pci_dev_t *d)
{
    uint16_t cmd = pci_read32(d, PCI_COMMAND) & 0xffff;

    pci_write16(d, PCI_COMMAND, cmd | PCI_CMD_IO | PCI_CMD_BUSMASTER);
}
