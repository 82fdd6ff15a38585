/*
 * Internal interface of the FAT file system, split by concern:
 *   cache.c    sector buffers, write-back and the ordered sync
 *   bpb.c      the boot sector: validation and geometry
 *   table.c    the FAT itself: entries, chains, allocation, free count
 *   name.c     names: validation, UTF-8/UTF-16, short names, checksums
 *   dirent.c   directory slots and the scan that assembles long names
 *   dirops.c   finding, adding and removing entries in a directory
 *   node.c     live nodes, attributes, times, stat
 *   ns.c       create, mkdir, unlink, rmdir, rename
 *   file.c     read, write, truncate
 *   vol.c      fat_create, the ops table, sync
 *   dos.c      the DOS view: short names, attributes, DOS listings, label
 *
 * Positions. A directory entry is named by its absolute slot number
 * (sector * 16 + slot in sector), its "epos"; a live node is found by the
 * epos of its short entry, and its inode number is epos + 2 (the root: 1).
 */
#ifndef FAT_PRIV_H
#define FAT_PRIV_H

#include <fat/fat.h>

#define FATP_SLOTS_PER_SECTOR 16u
#define FATP_DIR_MAX_SLOTS    65536u /* the specification's limit on a directory */
#define FATP_LFN_MAX_UNITS    255u
#define FATP_LFN_MAX_SLOTS    20u /* 255 units / 13 per slot, rounded up */
#define FATP_ROOT_INO         1u
#define FATP_RUN_MAX          32u  /* sectors moved by one device call, at most */
#define FATP_DIRECT_MAX       256u /* sectors one direct read asks the device for */

/* Buffer kinds: the group fat_sync() writes a dirty buffer in. */
enum fatp_kind {
    FATP_K_DATA = 0, /* file data; new directory clusters while `early` */
    FATP_K_FAT = 1,  /* a sector of the active FAT; written to every copy */
    FATP_K_DIR = 2,  /* directory entries */
    FATP_K_META = 3, /* FSInfo */
};

typedef struct fatp_buf {
    uint32_t sector; /* absolute; for FAT buffers, in the active copy */
    uint8_t kind;
    bool valid, dirty;
    /* Written with the data group even if directory code changes it later:
     * a new directory cluster must reach the disk before the entry that
     * points to it. */
    bool early;
    uint32_t pins;
    int32_t hnext; /* next buffer in the same hash chain, -1 for none */
    uint64_t used; /* LRU stamp */
    uint8_t *data; /* FAT_SECTOR bytes */
} fatp_buf_t;

typedef struct fat_vol fat_vol_t;
typedef struct fat_node fat_node_t;

struct fat_node {
    fs_node_t node;          /* first: the VFS sees this */
    fat_node_t *next, *prev; /* the live nodes of the volume */
    fat_node_t *parent;      /* directories: a reference to the one holding it */
    uint64_t epos;           /* of the short entry; 0 for the root or once unlinked */
    bool unlinked;           /* its entry is gone; the chain is freed at release */
    uint8_t ent[32];         /* the short entry as last stored (name, attr, times) */
    uint32_t first;          /* first cluster, 0 for none (and the FAT12/16 root) */
    uint32_t size;           /* files */
    int chain;               /* 0 unchecked, 1 matches the size, -1 corrupt */
    uint32_t nclus, last;    /* chain length and last cluster, when chain == 1 */
    uint32_t cur_idx, cur;   /* a cursor into the chain: cluster cur_idx is cur */
};

struct fat_vol {
    fs_t fs; /* first */
    fat_blockdev_t dev;
    bool read_only;
    int64_t (*now)(void *ctx);
    void *now_ctx;

    /* Geometry, from the boot sector (bpb.c). */
    int type;     /* 12, 16, 32 */
    uint32_t spc; /* sectors per cluster */
    uint32_t cluster_bytes;
    uint32_t fat_start;   /* first sector of the active FAT */
    uint32_t fat_sectors; /* per copy */
    uint32_t nfats;
    uint32_t fat_copy0;                /* first sector of copy 0 (fat_start may be another copy) */
    bool mirror;                       /* write every copy */
    uint32_t root_start, root_sectors; /* FAT12/16 fixed root */
    uint32_t root_cluster;             /* FAT32 */
    uint32_t data_start;
    uint32_t total_sectors;
    uint32_t clusters; /* data clusters: valid numbers are 2..clusters+1 */
    uint32_t fsinfo;   /* sector of FSInfo, 0 if none */
    char label[12];

    /* Allocation (table.c). */
    uint32_t free_count;
    uint32_t next_free;
    bool fsinfo_dirty;
    /* Clusters freed since the last sync. They keep their FAT entries
     * (and are not reused) until fat_sync() has written the directory
     * entries that stopped using them; then they are zeroed and the FAT
     * written again. A crash in between thus leaves lost clusters, never
     * an entry pointing at free ones or at another file's data (say, the
     * old file of a rename over it). free_count counts them as free. */
    uint8_t *pending; /* bitmap by cluster number; NULL when read-only */
    uint32_t npending;

    /* Cache (cache.c). */
    fatp_buf_t *bufs;
    uint32_t nbufs;
    uint64_t clock;
    uint8_t *bufmem;
    int32_t *hash;   /* nbufs * 2 chains of valid buffers by sector */
    uint8_t *bounce; /* FATP_RUN_MAX sectors: multi-sector transfers */

    fat_node_t *nodes; /* live nodes, the root first */
    fat_node_t *root;
};

static inline fat_node_t *fatp_node(fs_node_t *n)
{
    return (fat_node_t *)n;
}

static inline fat_vol_t *fatp_vol(const fat_node_t *n)
{
    return (fat_vol_t *)n->node.fs;
}

static inline uint16_t fatp_rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t fatp_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void fatp_wr16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void fatp_wr32(uint8_t *p, uint32_t v)
{
    fatp_wr16(p, v);
    fatp_wr16(p + 2, v >> 16);
}

static inline uint32_t fatp_clus_sector(const fat_vol_t *v, uint32_t c)
{
    return v->data_start + (c - 2) * v->spc;
}

/* cache.c */
int fatp_cache_init(fat_vol_t *v, uint32_t nbufs);
void fatp_cache_free(fat_vol_t *v);
/* A pinned buffer for `sector`; noread skips reading (the caller fills it
 * whole). ST_IO_ERROR. */
int fatp_bget(fat_vol_t *v, uint32_t sector, int kind, bool noread, fatp_buf_t **out);
/* Reads up to count sectors from sector straight into in, or writes them
 * from out, bypassing the cache, stopping before the first sector the
 * cache holds (it may be newer than the disk); *got says how many (0 if
 * the first is cached). File data only: the write-back order puts data
 * before metadata, which writing it at once keeps. */
int fatp_direct(fat_vol_t *v, uint32_t sector, uint32_t count, void *in, const void *out,
                uint32_t *got);
void fatp_bdirty(fat_vol_t *v, fatp_buf_t *b);
void fatp_bput(fatp_buf_t *b);
int fatp_sync(fat_vol_t *v);

/* bpb.c: fills the geometry from the boot sector; *why on failure. */
int fatp_bpb_parse(fat_vol_t *v, const uint8_t *bs, const char **why);
/* Are the FSInfo signatures there? */
bool fatp_bpb_fsinfo(const uint8_t *sector);

/* table.c */
static inline bool fatp_valid_clus(const fat_vol_t *v, uint32_t c)
{
    return c >= 2 && c <= v->clusters + 1;
}
int fatp_fat_get(fat_vol_t *v, uint32_t c, uint32_t *val);
int fatp_fat_set(fat_vol_t *v, uint32_t c, uint32_t val);
uint32_t fatp_eoc(const fat_vol_t *v);
/* The cluster after c: *next = 0 at the end of the chain; ST_IO_ERROR when
 * c's entry is free, reserved, bad or points outside the volume. */
int fatp_next(fat_vol_t *v, uint32_t c, uint32_t *next);
/* Walks a chain from `first`, at most `limit` clusters: ST_IO_ERROR if it
 * is longer or broken. */
int fatp_chain_walk(fat_vol_t *v, uint32_t first, uint32_t limit, uint32_t *count, uint32_t *last);
/* Allocates a cluster marked end-of-chain and links prev (0: none) to it. */
int fatp_alloc(fat_vol_t *v, uint32_t prev, uint32_t *out);
/* Frees a chain (pending until the next sync); stops quietly where it
 * breaks or meets a cluster already free or pending. */
int fatp_free_chain(fat_vol_t *v, uint32_t first);
int fatp_count_free(fat_vol_t *v);
/* Zeroes the FAT entries of the pending clusters (sync, after the
 * directory entries are written), making them reusable. */
int fatp_pending_apply(fat_vol_t *v);

/* name.c */
typedef struct fatp_lname {
    uint16_t u[FATP_LFN_MAX_UNITS];
    uint32_t n;
} fatp_lname_t;
/* A name the FAT can hold as a long name: ST_INVALID_ARGUMENT,
 * ST_NAME_TOO_LONG otherwise. */
int fatp_name_to_utf16(const char *name, fatp_lname_t *out);
/* UTF-16 from the disk to UTF-8; unpaired surrogates become U+FFFD.
 * Returns the length, or 0 when it does not fit in `size` - 1 bytes. */
size_t fatp_utf16_to_utf8(const uint16_t *u, uint32_t n, char *out, size_t size);
/* The 11 bytes of a short entry as DOS shows them: "NAME.EXT" (UTF-8;
 * OEM bytes read as code page 437), with the NT lower-case flags. */
size_t fatp_short_display(const uint8_t ent[32], char *out, size_t size, bool nt_case);
/* The short name as DOS sees it: OEM bytes, "NAME.EXT", NUL-terminated. */
void fatp_short_raw(const uint8_t ent[32], char out[13]);
/* "NAME.EXT" to the 11-byte form, upper-cased; false if it is no valid
 * short name. */
bool fatp_short_parse(const char *name, uint8_t out[11]);
/* The basis of a generated short name (the numeric tail is not added);
 * *lossy when the long name is not exactly this short name. */
void fatp_short_basis(const fatp_lname_t *ln, uint8_t out[11], bool *lossy, bool *exact);
/* Puts "~n" into the basis. */
void fatp_short_tail(const uint8_t basis[11], uint32_t n, uint8_t out[11]);
uint8_t fatp_lfn_checksum(const uint8_t name[11]);
bool fatp_name_eq(const char *a, const char *b); /* ASCII case folded */

/* dirent.c: directory slots and scanning. `start` is a directory's first
 * cluster, 0 for the fixed root of FAT12/16. */
typedef struct fatp_dir {
    fat_vol_t *v;
    uint32_t start;
    uint32_t cidx, clus; /* cursor: cluster cidx of the chain is clus */
} fatp_dir_t;

void fatp_dir_open(fat_vol_t *v, uint32_t start, fatp_dir_t *d);
/* Sector holding slot `idx`; ST_END_OF_FILE past the end; ST_IO_ERROR. */
int fatp_dir_sector(fatp_dir_t *d, uint32_t idx, uint32_t *sector);
/* A copy of one slot. */
int fatp_dir_read(fatp_dir_t *d, uint32_t idx, uint8_t ent[32]);
int fatp_dir_write(fatp_dir_t *d, uint32_t idx, const uint8_t ent[32]);
/* Absolute position of a slot. */
int fatp_dir_epos(fatp_dir_t *d, uint32_t idx, uint64_t *epos);
/* Slots the directory holds now (the chain's length); ST_IO_ERROR. */
int fatp_dir_slots(fatp_dir_t *d, uint32_t *n);

/* One name of a directory, long name and short entry together. */
typedef struct fatp_dent {
    uint32_t first_idx; /* first slot (the first long-name slot) */
    uint32_t short_idx; /* the short entry's slot */
    uint64_t epos;
    uint8_t ent[32];
    bool has_long;
    char name[FS_NAME_MAX + 1]; /* long name if it has one that fits, else short */
    char sname[13];             /* short name as DOS sees it: OEM bytes "NAME.EXT" */
} fatp_dent_t;

/* The next name at or after slot *idx (dot entries, labels and deleted
 * entries skipped); *idx moves past it. ST_END_OF_FILE, ST_IO_ERROR. */
int fatp_dir_next(fatp_dir_t *d, uint32_t *idx, fatp_dent_t *out);

static inline uint32_t fatp_ent_first(const fat_vol_t *v, const uint8_t ent[32])
{
    uint32_t c = fatp_rd16(ent + 26);
    if (v->type == 32)
        c |= (uint32_t)fatp_rd16(ent + 20) << 16;
    return c;
}

static inline bool fatp_ent_is_dir(const uint8_t ent[32])
{
    return (ent[11] & FAT_ATTR_DIRECTORY) != 0;
}

/* dirops.c */
/* Finds `name` (long or short, case folded); sname_only for DOS lookups. */
int fatp_find(fat_node_t *dir, const char *name, bool sname_only, fatp_dent_t *out);
/* Adds `name` with the short entry `ent` (whose name bytes it fills):
 * chooses the short name, finds or makes room, writes the slots. *epos
 * gets the short entry's position. ST_EXISTS is not checked here. */
int fatp_add(fat_node_t *dir, const char *name, uint8_t ent[32], uint64_t *epos);
/* Checks that add could succeed without changing anything: name, room. */
int fatp_add_check(fat_node_t *dir, const char *name, uint32_t *clusters_needed);
/* Marks the slots of a name deleted. */
int fatp_remove(fat_node_t *dir, const fatp_dent_t *de);
/* ST_OK if the directory starting at `first` has no names, ST_NOT_EMPTY. */
int fatp_dir_empty(fat_vol_t *v, uint32_t first);
/* The directory's parent cluster per its ".." entry is rewritten. */
int fatp_set_dotdot(fat_vol_t *v, uint32_t first, uint32_t parent_first);
int fatp_lookup(fs_node_t *dir, const char *name, fs_node_t **out);
int fatp_readdir(fs_node_t *dir, uint64_t *cookie, fs_dirent_t *ent);

/* node.c */
int64_t fatp_now(fat_vol_t *v);
/* The live node for a name found in dir, or a new one (a reference). */
int fatp_node_get(fat_node_t *dir, const fatp_dent_t *de, fat_node_t **out);
fat_node_t *fatp_node_find(fat_vol_t *v, uint64_t epos);
/* Writes the node's entry (size, cluster, attributes, times) back. */
int fatp_node_store(fat_node_t *n);
/* Time stamps in the entry: 1 write, 2 access, 4 create. */
void fatp_node_stamp(fat_node_t *n, int64_t t, unsigned which);
void fatp_ent_set_first(const fat_vol_t *v, uint8_t ent[32], uint32_t c);
void fatp_time_to_fat(int64_t ns, uint16_t *date, uint16_t *time, uint8_t *tenth);
int64_t fatp_time_from_fat(uint16_t date, uint16_t time, uint8_t tenth);
/* Verifies a node's chain against its size once; ST_IO_ERROR if corrupt. */
int fatp_node_check(fat_node_t *n);
void fatp_release(fs_node_t *node);
int fatp_stat(fs_node_t *node, fs_stat_t *st);
int fatp_set_times(fs_node_t *node, int64_t atime, int64_t mtime);
int fatp_chmod(fs_node_t *node, uint32_t mode);
fat_node_t *fatp_node_alloc(fat_vol_t *v);
void fatp_node_free_all(fat_vol_t *v);

/* ns.c */
int fatp_create(fs_node_t *dir, const char *name, uint32_t mode, fs_node_t **out);
int fatp_mkdir(fs_node_t *dir, const char *name, uint32_t mode, fs_node_t **out);
int fatp_unlink(fs_node_t *dir, const char *name);
int fatp_rmdir(fs_node_t *dir, const char *name);
int fatp_rename(fs_node_t *odir, const char *oname, fs_node_t *ndir, const char *nname);

/* file.c */
int fatp_read(fs_node_t *node, uint64_t off, void *buf, size_t len, size_t *done);
int fatp_write(fs_node_t *node, uint64_t off, const void *buf, size_t len, size_t *done);
int fatp_truncate(fs_node_t *node, uint64_t size);
/* Cluster number idx of a checked chain (using and moving the cursor). */
int fatp_file_cluster(fat_node_t *n, uint32_t idx, uint32_t *clus);

#endif
