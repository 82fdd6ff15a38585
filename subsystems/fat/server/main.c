/*
 * The FAT server: the disk's FAT file system, served with the file-server
 * protocol (the fsd library) on port "Fat". The boot file server mounts
 * it remotely at /c, so every personality reaches it through the file
 * client; the DOS server maps it as drive C:.
 *
 * It reads and writes the disk through the block driver (native/blk.h)
 * and keeps a write-back sector cache (the fat library). What clients
 * wrote reaches the disk within a second of the last change (a timer),
 * at fsync/DOS commit (FS_FSYNC), and before power-off (SRV_SYNC from
 * smss). The fat library orders its write-back so that a crash between
 * syncs leaves a volume fsck.fat repairs without losing synced data.
 *
 * With no disk, or a disk without a FAT file system, it says why and exits
 * with status 0: smss then lists it as absent, and /c is not found.
 *
 * Arguments: the block port (default Blk0).
 */
#include "fsd.h"
#include <fat/fat.h>
#include <native/blk.h>
#include <native/console.h>
#include <string.h>

#define SYNC_DELAY_US 1000000ull /* write back a second after the last change */
#define BLK_BUFFER    (128u * 1024)

fsd_t fsd;

static struct {
    blk_dev_t dev;
    fs_t *fs;
    bool dirty;
    uint64_t dirty_since_ns;
    uint64_t syncs, sync_failures;
} fat;

static uint64_t now_ns(void)
{
    uint64_t t = 0;

    sys_clock_get(CLOCK_MONOTONIC_NS, &t);
    return t;
}

static int64_t wall_ns(void *ctx)
{
    uint64_t t = 0;

    (void)ctx;
    sys_clock_get(CLOCK_REALTIME_NS, &t);
    return (int64_t)t;
}

static int dev_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    return (int)blk_read(ctx, sector, count, buf);
}

static int dev_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    return (int)blk_write(ctx, sector, count, buf);
}

static int dev_flush(void *ctx)
{
    return (int)blk_flush(ctx);
}

static long sync_now(void)
{
    int st = fat_sync(fat.fs);

    fat.syncs++;
    if (st < 0) {
        fat.sync_failures++;
        printf("fat: writing back to the disk failed: %s\n", status_text(st));
        return st;
    }
    fat.dirty = false;
    return ST_OK;
}

/* Calls that can change the volume start the write-back timer. */
static long intercept(server_t *srv, srv_req_t *req)
{
    uint32_t label = IPC_LABEL(req->msg.tag);

    (void)srv;
    switch (label) {
    case FS_READ:
    case FS_STAT:
    case FS_FSTAT:
    case FS_READDIR:
    case FS_READLINK:
    case FS_STATFS:
    case FS_CLOSE:
    case FS_MAP:
    case FS_MKNOD: /* FAT cannot store a FIFO: it always fails */
    case FS_MOUNTS:
        break;
    default:
        if (label < SRV_CALL_MAX && !fat.dirty) {
            fat.dirty = true;
            fat.dirty_since_ns = now_ns();
        }
    }
    return SRV_PASS;
}

static uint64_t next_timeout_us(server_t *srv)
{
    uint64_t waited;

    (void)srv;
    if (!fat.dirty)
        return 0;
    waited = (now_ns() - fat.dirty_since_ns) / 1000;
    return waited >= SYNC_DELAY_US ? 1 : SYNC_DELAY_US - waited;
}

static void timeout(server_t *srv)
{
    (void)srv;
    if (fat.dirty && (now_ns() - fat.dirty_since_ns) / 1000 >= SYNC_DELAY_US)
        sync_now();
}

static long on_sync(server_t *srv)
{
    (void)srv;
    return sync_now();
}

static int on_fsync(fs_node_t *node)
{
    return fat_flush(node);
}

int main(int argc, char **argv)
{
    const char *port = argc > 1 ? argv[1] : "Blk0";
    const char *why = "";
    char label[12] = "";
    long st;

    native_use_kernel_log();
    st = blk_open(port, BLK_BUFFER, &fat.dev);
    if (st < 0) {
        printf("fat: no disk (%s: %s)\n", port, status_text(st));
        return 0;
    }
    fat_config_t cfg = {
        .dev = {&fat.dev, fat.dev.sectors, dev_read, dev_write, dev_flush},
        .read_only = (fat.dev.flags & BLK_F_READ_ONLY) != 0,
        .now = wall_ns,
    };
    st = fat_create(&cfg, &fat.fs, &why);
    if (st < 0) {
        printf("fat: the disk on %s holds no FAT file system this server can use: %s (%s)\n", port,
               why ? why : "", status_text(st));
        return 0;
    }
    st = vfs_new(&fsd.vfs);
    if (st == ST_OK)
        st = vfs_mount(fsd.vfs, "/", fat.fs);
    if (st < 0) {
        printf("fat: cannot set up its namespace: %s\n", status_text(st));
        return 1;
    }
    fat_get_label(fat.fs, label);
    fs_statfs_t sf;
    fs_statfs(fat.fs, &sf);
    printf("fat: %s volume%s%s, %llu MiB, %llu MiB free%s\n", sf.type, label[0] ? " " : "", label,
           (unsigned long long)(sf.total_bytes >> 20), (unsigned long long)(sf.free_bytes >> 20),
           cfg.read_only ? ", read-only" : "");

    fsd.fsync = on_fsync;
    fsd_setup("fat", "Fat");
    fsd.srv.intercept = intercept;
    fsd.srv.next_timeout_us = next_timeout_us;
    fsd.srv.timeout = timeout;
    fsd.srv.sync = on_sync;
    if (srv_init(&fsd.srv) < 0)
        return 1;
    srv_run(&fsd.srv);
    return 1;
}
