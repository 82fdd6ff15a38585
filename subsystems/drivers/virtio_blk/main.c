/*
 * virtio-blk: the disk driver, a privileged user-mode server.
 *
 * It finds QEMU's virtio block device on PCI (the legacy "0.9" interface
 * through I/O BAR 0, which QEMU's transitional device offers), sets up one
 * virtqueue in device memory (sys_section_create_contiguous) and serves
 * the block protocol of <persona/blk.h> on port "Blk<N>". Requests are
 * done one at a time: header, data and status descriptors go on the
 * queue, the device is notified, and the driver waits for the device's
 * interrupt, which the executive delivers as a notification on a private
 * port. Data is copied between the client's shared buffer and a bounce
 * buffer in device memory, so clients never see physical addresses.
 *
 * Arguments: the disk index (0: the first virtio disk). With no such
 * device the driver says so and exits with status 0, which smss takes as
 * "nothing to serve".
 */
#include "../pci.h"
#include <native/console.h>
#include <portio.h>
#include <native/runtime.h>
#include <native/server.h>
#include <persona/blk.h>
#include <stdlib.h>
#include <string.h>

/* Legacy virtio PCI registers (offsets in BAR 0). */
#define VIO_DEVICE_FEATURES 0x00
#define VIO_DRIVER_FEATURES 0x04
#define VIO_QUEUE_PFN       0x08
#define VIO_QUEUE_SIZE      0x0c
#define VIO_QUEUE_SELECT    0x0e
#define VIO_QUEUE_NOTIFY    0x10
#define VIO_STATUS          0x12
#define VIO_ISR             0x13
#define VIO_CONFIG          0x14 /* device-specific, without MSI-X */

#define STATUS_ACK       1
#define STATUS_DRIVER    2
#define STATUS_DRIVER_OK 4
#define STATUS_FAILED    128

#define BLK_F_RO_BIT    5
#define BLK_F_FLUSH_BIT 9

#define REQ_IN    0
#define REQ_OUT   1
#define REQ_FLUSH 4

#define DESC_NEXT  1
#define DESC_WRITE 2 /* the device writes this buffer */

#define QUEUE_ALIGN 4096u
#define BOUNCE_SIZE (128u * 1024)
#define TIMEOUT_NS  (5ull * 1000 * 1000 * 1000)
#define IRQ_BIT     1ull

typedef struct vq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} vq_desc_t;

typedef struct vq_used_elem {
    uint32_t id;
    uint32_t len;
} vq_used_elem_t;

typedef struct blk_req_hdr {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
} blk_req_hdr_t;

static struct {
    server_t srv;
    pci_dev_t pci;
    uint16_t io;
    handle_t irq_port;
    uint64_t sectors;
    uint32_t flags; /* BLK_F_* */
    /* The queue. */
    uint16_t qsize;
    vq_desc_t *desc;
    volatile uint16_t *avail; /* flags, idx, ring[qsize] */
    volatile uint16_t *used;  /* flags, idx, then vq_used_elem_t[qsize] */
    uint16_t last_used;
    /* Device memory after the queue: the header and status, then the bounce buffer. */
    uint8_t *mem;
    uint64_t mem_pa;
    size_t queue_bytes;
    uint64_t errors;
} vb;

static size_t align_up(size_t v, size_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static void barrier(void)
{
    __asm__ volatile("mfence" ::: "memory");
}

static long setup(unsigned index)
{
    static const uint16_t ids[] = {0x1001, 0x1042, 0};
    uint32_t features;
    long st;

    st = pci_init();
    if (st < 0) {
        printf("virtio-blk: no access to PCI configuration space: %s\n", status_text(st));
        return st;
    }
    if (!pci_find(0x1af4, ids, index, &vb.pci)) {
        printf("virtio-blk: no virtio disk number %u on PCI\n", index);
        return ST_NOT_FOUND;
    }
    vb.io = pci_io_bar(&vb.pci, 0);
    if (!vb.io) {
        printf("virtio-blk: %02x:%02x.%u has no legacy I/O interface (a modern-only device)\n",
               vb.pci.bus, vb.pci.dev, vb.pci.fn);
        return ST_NOT_SUPPORTED;
    }
    if (vb.pci.irq == 0xff || vb.pci.irq == 0 || vb.pci.irq == 2) {
        printf("virtio-blk: the firmware routed no usable interrupt line (%u)\n", vb.pci.irq);
        return ST_NOT_SUPPORTED;
    }
    st = sys_io_grant(vb.io, 0x40);
    if (st < 0)
        return st;
    pci_enable(&vb.pci);

    outb(vb.io + VIO_STATUS, 0); /* reset */
    outb(vb.io + VIO_STATUS, STATUS_ACK);
    outb(vb.io + VIO_STATUS, STATUS_ACK | STATUS_DRIVER);
    features = inl(vb.io + VIO_DEVICE_FEATURES);
    outl(vb.io + VIO_DRIVER_FEATURES, features & (1u << BLK_F_RO_BIT | 1u << BLK_F_FLUSH_BIT));
    if (features & 1u << BLK_F_RO_BIT)
        vb.flags |= BLK_F_READ_ONLY;
    if (features & 1u << BLK_F_FLUSH_BIT)
        vb.flags |= BLK_F_FLUSH;
    vb.sectors = (uint64_t)inl(vb.io + VIO_CONFIG) | (uint64_t)inl(vb.io + VIO_CONFIG + 4) << 32;

    outw(vb.io + VIO_QUEUE_SELECT, 0);
    vb.qsize = inw(vb.io + VIO_QUEUE_SIZE);
    if (vb.qsize < 3 || vb.qsize > 32768 || (vb.qsize & (vb.qsize - 1))) {
        printf("virtio-blk: unusable queue size %u\n", vb.qsize);
        outb(vb.io + VIO_STATUS, STATUS_FAILED);
        return ST_NOT_SUPPORTED;
    }
    /* The legacy layout: descriptors and the available ring, then the used
     * ring on the next page boundary. */
    size_t part1 = align_up(16u * vb.qsize + 6 + 2u * vb.qsize, QUEUE_ALIGN);
    size_t part2 = align_up(6 + 8u * vb.qsize, QUEUE_ALIGN);
    vb.queue_bytes = part1 + part2;
    size_t total = vb.queue_bytes + QUEUE_ALIGN + BOUNCE_SIZE;
    handle_t sec;
    uint64_t addr = 0;
    st = sys_section_create_contiguous(total, &sec, &vb.mem_pa);
    if (st == ST_OK)
        st = sys_vm_map(HANDLE_SELF_PROCESS, &addr, total, PROT_R | PROT_W, 0, sec, 0);
    if (st < 0) {
        printf("virtio-blk: no device memory for the queue: %s\n", status_text(st));
        outb(vb.io + VIO_STATUS, STATUS_FAILED);
        return st;
    }
    sys_handle_close(sec); /* the mapping keeps it */
    vb.mem = (uint8_t *)addr;
    vb.desc = (vq_desc_t *)vb.mem;
    vb.avail = (volatile uint16_t *)(vb.mem + 16u * vb.qsize);
    vb.used = (volatile uint16_t *)(vb.mem + part1);
    outl(vb.io + VIO_QUEUE_PFN, (uint32_t)(vb.mem_pa / QUEUE_ALIGN));

    st = sys_port_create(NULL, &vb.irq_port);
    if (st == ST_OK)
        st = sys_irq_bind(vb.pci.irq, vb.irq_port, IRQ_BIT);
    if (st < 0) {
        printf("virtio-blk: cannot take interrupt line %u: %s\n", vb.pci.irq, status_text(st));
        outb(vb.io + VIO_STATUS, STATUS_FAILED);
        return st;
    }
    outb(vb.io + VIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);
    printf("virtio-blk: disk %u at %02x:%02x.%u, %llu sectors (%llu MiB)%s, irq %u, queue %u\n",
           index, vb.pci.bus, vb.pci.dev, vb.pci.fn, (unsigned long long)vb.sectors,
           (unsigned long long)(vb.sectors >> 11), vb.flags & BLK_F_READ_ONLY ? ", read-only" : "",
           vb.pci.irq, vb.qsize);
    return ST_OK;
}

/* Waits for the device to return the request; ST_IO_ERROR if it does not. */
static long wait_used(void)
{
    uint64_t start = 0, now = 0;

    sys_clock_get(CLOCK_MONOTONIC_NS, &start);
    for (;;) {
        barrier();
        if (vb.used[1] != vb.last_used) {
            vb.last_used++;
            return ST_OK;
        }
        sys_clock_get(CLOCK_MONOTONIC_NS, &now);
        if (now - start >= TIMEOUT_NS)
            return ST_IO_ERROR;
        ipc_msg_t m;
        long st = native_ipc_recv(vb.irq_port, &m, TIMEOUT_NS - (now - start), NULL);
        if (st == ST_OK && IPC_LABEL(m.tag) == IPC_LABEL_NOTIFY && (m.w[0] & IRQ_BIT)) {
            inb(vb.io + VIO_ISR); /* reading acknowledges the device's interrupt */
            sys_irq_ack(vb.pci.irq);
        }
    }
}

/* One request: type, sector, and len bytes of the bounce buffer. */
static long transfer(uint32_t type, uint64_t sector, uint32_t len)
{
    blk_req_hdr_t *hdr = (blk_req_hdr_t *)(vb.mem + vb.queue_bytes);
    volatile uint8_t *status = vb.mem + vb.queue_bytes + sizeof(*hdr);
    uint64_t hdr_pa = vb.mem_pa + vb.queue_bytes;
    uint64_t bounce_pa = vb.mem_pa + vb.queue_bytes + QUEUE_ALIGN;
    uint16_t n = 0;

    hdr->type = type;
    hdr->reserved = 0;
    hdr->sector = sector;
    *status = 0xff;
    vb.desc[n] = (vq_desc_t){hdr_pa, sizeof(*hdr), DESC_NEXT, (uint16_t)(n + 1)};
    n++;
    if (len) {
        vb.desc[n] =
            (vq_desc_t){bounce_pa, len, (uint16_t)(DESC_NEXT | (type == REQ_IN ? DESC_WRITE : 0)),
                        (uint16_t)(n + 1)};
        n++;
    }
    vb.desc[n] = (vq_desc_t){hdr_pa + sizeof(*hdr), 1, DESC_WRITE, 0};
    uint16_t idx = vb.avail[1];
    vb.avail[2 + idx % vb.qsize] = 0; /* the chain starts at descriptor 0 */
    barrier();
    vb.avail[1] = (uint16_t)(idx + 1);
    barrier();
    outw(vb.io + VIO_QUEUE_NOTIFY, 0);
    long st = wait_used();
    if (st < 0) {
        printf("virtio-blk: the device did not answer a request for sector %llu\n",
               (unsigned long long)sector);
        vb.errors++;
        return st;
    }
    if (*status != 0) {
        printf("virtio-blk: the device failed a request for sector %llu (status %u)\n",
               (unsigned long long)sector, *status);
        vb.errors++;
        return ST_IO_ERROR;
    }
    return ST_OK;
}

static long blk_do_info(server_t *srv, srv_req_t *req)
{
    (void)srv;
    req->msg.w[0] = vb.sectors;
    req->msg.w[1] = vb.flags;
    req->msg.w[2] = req->client && req->client->buffer ? req->client->buffer_size : 0;
    return ST_OK;
}

/* Reads or writes through the bounce buffer in pieces of BOUNCE_SIZE. */
static long rw(srv_req_t *req, uint32_t type)
{
    uint64_t sector = req->msg.w[0], count = req->msg.w[1], off = req->msg.w[2];
    uint8_t *bounce = vb.mem + vb.queue_bytes + QUEUE_ALIGN;

    if (count > vb.sectors || sector > vb.sectors - count)
        return ST_RANGE;
    if (count > UINT32_MAX / BLK_SECTOR || !srv_buffer_ok(req->client, off, count * BLK_SECTOR))
        return ST_BAD_ADDRESS;
    if (type == REQ_OUT && (vb.flags & BLK_F_READ_ONLY))
        return ST_READ_ONLY;
    uint8_t *buf = req->client->buffer + off;
    for (uint64_t done = 0; done < count;) {
        uint32_t n = (uint32_t)(count - done < BOUNCE_SIZE / BLK_SECTOR ? count - done
                                                                        : BOUNCE_SIZE / BLK_SECTOR);
        if (type == REQ_OUT)
            memcpy(bounce, buf + done * BLK_SECTOR, n * BLK_SECTOR);
        long st = transfer(type, sector + done, n * BLK_SECTOR);
        if (st < 0)
            return st;
        if (type == REQ_IN)
            memcpy(buf + done * BLK_SECTOR, bounce, n * BLK_SECTOR);
        done += n;
    }
    req->msg.w[0] = count;
    return ST_OK;
}

static long blk_do_read(server_t *srv, srv_req_t *req)
{
    (void)srv;
    return rw(req, REQ_IN);
}

static long blk_do_write(server_t *srv, srv_req_t *req)
{
    (void)srv;
    return rw(req, REQ_OUT);
}

static long blk_do_flush(server_t *srv, srv_req_t *req)
{
    (void)srv;
    (void)req;
    if (!(vb.flags & BLK_F_FLUSH))
        return ST_OK; /* no write cache: every write is already stable */
    return transfer(REQ_FLUSH, 0, 0);
}

static const srv_handler_t table[] = {BLK_CALLS(SRV_TABLE_ENTRY)};
static const char *const names[] = {BLK_CALLS(SRV_NAME_ENTRY)};

int main(int argc, char **argv)
{
    static char port_name[16];
    unsigned index = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 0;

    native_use_kernel_log();
    long st = setup(index);
    if (st == ST_NOT_FOUND)
        return 0; /* no disk: nothing to serve */
    if (st < 0)
        return 1;
    snprintf(port_name, sizeof(port_name), "Blk%u", index);
    vb.srv.name = "virtio-blk";
    vb.srv.port_name = port_name;
    vb.srv.table = table;
    vb.srv.names = names;
    vb.srv.ncalls = sizeof(table) / sizeof(table[0]);
    if (srv_init(&vb.srv) < 0)
        return 1;
    srv_run(&vb.srv);
    return 1;
}
