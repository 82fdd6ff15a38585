/*
 * The block-device client (native/blk.h): every transfer goes through the
 * connection's shared buffer, at most a buffer's worth per call.
 */
#include <native/blk.h>
#include <native/runtime.h>
#include <string.h>

long blk_open(const char *port, size_t buffer_size, blk_dev_t *dev)
{
    ipc_msg_t m = {0};
    long st;

    memset(dev, 0, sizeof(*dev));
    if (buffer_size < BLK_SECTOR)
        return ST_INVALID_ARGUMENT;
    st = srv_connect(port, buffer_size, &dev->conn);
    if (st < 0)
        return st;
    st = srv_call(&dev->conn, BLK_INFO, &m);
    if (st < 0) {
        srv_disconnect(&dev->conn);
        return st;
    }
    dev->sectors = m.w[0];
    dev->flags = (uint32_t)m.w[1];
    return ST_OK;
}

static long transfer(blk_dev_t *dev, uint32_t label, uint64_t sector, uint64_t count, void *rbuf,
                     const void *wbuf)
{
    uint64_t per_call = dev->conn.buffer_size / BLK_SECTOR;

    for (uint64_t done = 0; done < count;) {
        ipc_msg_t m = {0};
        uint64_t n = count - done < per_call ? count - done : per_call;
        if (wbuf)
            memcpy(dev->conn.buffer, (const uint8_t *)wbuf + done * BLK_SECTOR, n * BLK_SECTOR);
        m.w[0] = sector + done;
        m.w[1] = n;
        m.w[2] = 0;
        long st = srv_call(&dev->conn, label, &m);
        if (st < 0)
            return st;
        if (rbuf)
            memcpy((uint8_t *)rbuf + done * BLK_SECTOR, dev->conn.buffer, n * BLK_SECTOR);
        done += n;
    }
    return ST_OK;
}

long blk_read(blk_dev_t *dev, uint64_t sector, uint64_t count, void *buf)
{
    return transfer(dev, BLK_READ, sector, count, buf, NULL);
}

long blk_write(blk_dev_t *dev, uint64_t sector, uint64_t count, const void *buf)
{
    return transfer(dev, BLK_WRITE, sector, count, NULL, buf);
}

long blk_flush(blk_dev_t *dev)
{
    ipc_msg_t m = {0};

    return srv_call(&dev->conn, BLK_FLUSH, &m);
}

void blk_close(blk_dev_t *dev)
{
    srv_disconnect(&dev->conn);
}
