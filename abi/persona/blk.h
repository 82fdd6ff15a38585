/*
 * The block device protocol: what a disk driver's port ("Blk0" for the
 * first disk) answers. Data moves through the client's shared buffer
 * (SRV_ATTACH, see <native/server.h>); sectors are 512 bytes.
 *
 *   BLK_INFO   -> w0 sectors, w1 BLK_F_* flags, w2 bytes one call may move
 *   BLK_READ   w0 first sector, w1 count, w2 buffer offset -> w0 count read
 *   BLK_WRITE  w0 first sector, w1 count, w2 buffer offset -> w0 count written
 *   BLK_FLUSH  returns once earlier writes are on stable storage
 *
 * Errors: ST_RANGE (past the end of the disk), ST_BAD_ADDRESS (outside the
 * buffer, or no buffer), ST_READ_ONLY, ST_IO_ERROR (the device failed the
 * request or did not answer).
 */
#ifndef PERSONA_BLK_H
#define PERSONA_BLK_H

#define BLK_SECTOR 512u

#define BLK_F_READ_ONLY 0x1 /* writes fail with ST_READ_ONLY */
#define BLK_F_FLUSH     0x2 /* the device has a write cache that BLK_FLUSH empties */

#define BLK_CALLS(X)              \
    X(BLK_INFO, 1, blk_do_info)   \
    X(BLK_READ, 2, blk_do_read)   \
    X(BLK_WRITE, 3, blk_do_write) \
    X(BLK_FLUSH, 4, blk_do_flush)

#define BLK_CALL_ENUM(name, nr, fn) name = (nr),
enum blk_call { BLK_CALLS(BLK_CALL_ENUM) };
#undef BLK_CALL_ENUM

#endif
