/*
 * The block-device client: a disk driver's port (<persona/blk.h>) as
 * reads and writes of whole sectors at any size, split into pieces that
 * fit the shared buffer.
 */
#ifndef NATIVE_BLK_H
#define NATIVE_BLK_H

#include <native/server.h>
#include <persona/blk.h>
#include <stdint.h>

typedef struct blk_dev {
    srv_conn_t conn;
    uint64_t sectors;
    uint32_t flags; /* BLK_F_* */
} blk_dev_t;

/* Connects to the driver's port (e.g. "Blk0") with a buffer of buffer_size bytes. */
long blk_open(const char *port, size_t buffer_size, blk_dev_t *dev);
long blk_read(blk_dev_t *dev, uint64_t sector, uint64_t count, void *buf);
long blk_write(blk_dev_t *dev, uint64_t sector, uint64_t count, const void *buf);
long blk_flush(blk_dev_t *dev);
void blk_close(blk_dev_t *dev);

#endif
