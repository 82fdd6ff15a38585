/*
 * The FAT file system of Persona: FAT12, FAT16 and FAT32 with VFAT long
 * names, read-write, over a block device of 512-byte sectors. An instance
 * is an fs_t driven through the fs_*() calls of <fs/vfs.h>, so it can be
 * mounted by the VFS or served on its own by the FAT server.
 *
 * Entry points:
 *   fat_create()        mounts a volume from its boot sector.
 *   fat_sync()          writes every dirty buffer back, in an order that
 *                       keeps the disk repairable (see "Write-back").
 *   fat_flush()         fsync(2) and DOS "commit" (INT 21h AH=68h) of a file.
 *   fat_lookup_short()  looks a name up as DOS sees it (8.3 short names only).
 *   fat_get_info(), fat_set_attr(), fat_readdir_dos(), fat_get_label()
 *                       the DOS view of a node (attributes, short name,
 *                       times), of a directory listing, and of the volume.
 *
 * Write-back. Writes go to a fixed set of sector buffers (LRU). fat_sync()
 * writes file data and new directory clusters first, then the FAT (every
 * copy, the first copy whole before the second), then directory entries,
 * then the FAT again with the clusters freed since the last sync (they
 * stay allocated, and unused, until then), then the FSInfo sector, with a
 * device flush between the groups. A crash at any point thus leaves at
 * worst lost clusters, chains longer than their file, or FAT copies that
 * differ, all of which fsck.fat repairs without touching data synced
 * before. destroy (unmount) syncs too, but
 * cannot report a failure: call fat_sync() first when the status matters.
 *
 * What FAT cannot store. Symbolic and hard links: ST_NOT_SUPPORTED. Modes:
 * only the owner-write bit is kept, as the read-only attribute (files and
 * directories read back as 0755, or 0555 when read-only). Owners, ctime
 * (reported as mtime), sub-second mtimes (2 s resolution), access times
 * (a date only). Times are taken as UTC; FAT stores local time and has no
 * zone, so the server must agree with DOS on what the clock is.
 * Names are 1..255 UTF-16 units without control characters, \ / : * ? " < > |,
 * and may not end with a dot or a space (ST_INVALID_ARGUMENT); lookup folds
 * ASCII case only. Files are at most 4 GiB - 1 bytes (ST_LIMIT).
 *
 * Inode numbers come from the position of a node's directory entry, as
 * on Linux: stable while the node is not renamed. A node renamed while
 * referenced keeps its number until it is released.
 *
 * Corrupt volumes. Every chain walk is bounded by the number of clusters
 * of the volume; a chain that loops, leaves the volume, reaches a free,
 * reserved or bad cluster, or does not match its file's size makes
 * operations on that file or directory fail with ST_IO_ERROR, and nothing
 * else. A failing device does the same for the operation that needed it.
 *
 * Not thread-safe: the server serialises calls, as for the rest of the VFS.
 */
#ifndef FAT_FAT_H
#define FAT_FAT_H

#include <fs/vfs.h>

#define FAT_SECTOR 512u

/*
 * A block device: 512-byte sectors, numbered from the volume's boot
 * sector. read and write move `count` whole sectors and return ST_OK or
 * any failure status (which the file system reports as ST_IO_ERROR).
 * flush, which may be NULL, returns once earlier writes are on stable
 * storage; it orders the groups of fat_sync().
 */
typedef struct fat_blockdev {
    void *ctx;
    uint64_t sectors;
    int (*read)(void *ctx, uint64_t sector, uint32_t count, void *buf);
    int (*write)(void *ctx, uint64_t sector, uint32_t count, const void *buf);
    int (*flush)(void *ctx);
} fat_blockdev_t;

typedef struct fat_config {
    fat_blockdev_t dev;
    bool read_only;         /* every change is ST_READ_ONLY */
    uint32_t cache_sectors; /* sector buffers; 0: FAT_CACHE_DEFAULT, at least FAT_CACHE_MIN */
    /* Nanoseconds since the epoch; NULL stamps new entries with 1980-01-01. */
    int64_t (*now)(void *ctx);
    void *now_ctx;
} fat_config_t;

#define FAT_CACHE_DEFAULT 256u
#define FAT_CACHE_MIN     8u

/*
 * Mounts the volume. ST_INVALID_ARGUMENT for a bad config; for a boot
 * sector this code cannot use, ST_IO_ERROR (or ST_NOT_SUPPORTED for valid
 * but unsupported geometry, such as sectors other than 512 bytes) with
 * *why saying what is wrong; ST_NO_MEMORY. why may be NULL; it points to
 * a static string.
 */
int fat_create(const fat_config_t *cfg, fs_t **out, const char **why);

/* Writes back everything dirty. ST_IO_ERROR leaves what failed dirty. */
int fat_sync(fs_t *fs);

/*
 * Makes a file's data and directory entry durable: fsync(2), DOS commit.
 * It writes back the whole volume (which keeps the ordering guarantees of
 * fat_sync(); a file's data alone could only be made durable out of order).
 */
int fat_flush(fs_node_t *node);

/* DOS attributes (the directory entry's attribute byte). */
#define FAT_ATTR_READ_ONLY 0x01u
#define FAT_ATTR_HIDDEN    0x02u
#define FAT_ATTR_SYSTEM    0x04u
#define FAT_ATTR_VOLUME_ID 0x08u
#define FAT_ATTR_DIRECTORY 0x10u
#define FAT_ATTR_ARCHIVE   0x20u

typedef struct fat_info {
    uint8_t attr;
    char short_name[13]; /* "NAME.EXT" as DOS sees it, NUL-terminated; "" for the root */
    uint32_t first_cluster;
    uint32_t size;
    int64_t created;             /* ns since the epoch, 10 ms resolution */
    int64_t modified;            /* 2 s resolution */
    int64_t accessed;            /* a date: midnight */
    uint16_t dos_time, dos_date; /* modified, packed as DOS reports it */
} fat_info_t;

/* The DOS view of a node. */
int fat_get_info(fs_node_t *node, fat_info_t *info);
/* Sets READ_ONLY, HIDDEN, SYSTEM and ARCHIVE; others: ST_INVALID_ARGUMENT. */
int fat_set_attr(fs_node_t *node, uint8_t attr);

/*
 * Looks `name` up among the short (8.3) names of `dir` only, ASCII case
 * folded: "LONGFI~1.TXT" finds the file whose long name is
 * "long file name.txt". ST_NOT_FOUND, ST_NOT_DIRECTORY, ST_IO_ERROR.
 */
int fat_lookup_short(fs_node_t *dir, const char *name, fs_node_t **out);

/* One name of a directory as DOS FIND FIRST/NEXT reports it. */
typedef struct fat_dosent {
    char short_name[13];        /* OEM bytes, "NAME.EXT" */
    char name[FS_NAME_MAX + 1]; /* the long name (UTF-8) as readdir gives it */
    uint8_t attr;
    uint32_t size;
    uint32_t first_cluster;
    uint16_t dos_time, dos_date; /* last write, packed */
} fat_dosent_t;

/*
 * Lists a directory for DOS: with the cookies of readdir, except that
 * "." and ".." come first in subdirectories only (as on a DOS disk), and
 * the entry carries its short name, attributes, size and packed date.
 * Hidden and system entries are listed; filtering by attribute is the
 * caller's. ST_END_OF_FILE after the last.
 */
int fat_readdir_dos(fs_node_t *dir, uint64_t *cookie, fat_dosent_t *ent);

/*
 * The volume label as DOS shows it (OEM bytes, trailing spaces removed,
 * "" for none): the root directory's label entry, else the boot sector's.
 */
int fat_get_label(fs_t *fs, char label[12]);

/* Is this instance a FAT file system (made by fat_create)? */
bool fat_is_fat(const fs_t *fs);

#endif
