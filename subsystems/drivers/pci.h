/*
 * PCI configuration space through the legacy mechanism (ports CF8h/CFCh),
 * for user-mode drivers: finding a device and reading its BARs and
 * interrupt line. The caller must hold the ports (pci_init grants them).
 */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include <stdbool.h>
#include <stdint.h>

typedef struct pci_dev {
    uint8_t bus, dev, fn;
    uint16_t vendor, device;
    uint8_t irq; /* the interrupt line the firmware routed, 0xff: none */
} pci_dev_t;

/* Asks the executive for the configuration ports; a status. */
long pci_init(void);
uint32_t pci_read32(const pci_dev_t *d, uint8_t off);
void pci_write16(const pci_dev_t *d, uint8_t off, uint16_t v);
/* The index'th device (0 = first) with this vendor and one of the device
 * ids (a 0-terminated list), searching every bus; false if there is none. */
bool pci_find(uint16_t vendor, const uint16_t *devices, unsigned index, pci_dev_t *out);
/* An I/O BAR's base port, or 0 if BAR n is not an I/O BAR. */
uint16_t pci_io_bar(const pci_dev_t *d, unsigned n);
/* Turns on I/O decoding and bus mastering (DMA). */
void pci_enable(const pci_dev_t *d);

#define PCI_COMMAND       0x04
#define PCI_INTERRUPT     0x3c
#define PCI_CMD_IO        0x1
#define PCI_CMD_BUSMASTER 0x4

#endif
