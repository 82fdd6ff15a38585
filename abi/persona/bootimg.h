/*
 * Boot image format, shared by the host tool that builds it (loader/tools),
 * the executive (which finds the first program in it) and the boot file
 * server (which serves it as the read-only root).
 *
 * Layout, all integers little-endian:
 *   bootimg_header_t                      at offset 0
 *   bootimg_entry_t[header.count]         at header.entries_offset
 *   string table (NUL-terminated paths)   at header.strings_offset
 *   file data, each file 4096-aligned      so a file can be mapped in place
 *
 * Paths are absolute, '/'-separated, without "." or ".." components and
 * without a trailing '/': "/bin/shell", "/etc/smss.conf", at most 4095
 * bytes. Entries are sorted by path in byte order (so parents come before
 * children, and readers can search by bisection); directories are listed
 * explicitly (type BOOTIMG_DIR) and every entry's parent directory is
 * present ("/" itself is implied). Several file entries may share the same
 * data (hard links, e.g. busybox applets).
 *
 * The entry table starts 8-byte aligned. crc32 covers the entry array
 * followed by the string table (not the file data). Reserved fields are 0,
 * and an empty file has data_offset 0.
 */
#ifndef PERSONA_BOOTIMG_H
#define PERSONA_BOOTIMG_H

#include <stdint.h>

#define BOOTIMG_MAGIC   "PRSNBOOT"
#define BOOTIMG_VERSION 1
#define BOOTIMG_ALIGN   4096u

typedef struct bootimg_header {
    char magic[8];           /* BOOTIMG_MAGIC, not NUL-terminated */
    uint32_t version;        /* BOOTIMG_VERSION */
    uint32_t count;          /* number of entries */
    uint64_t image_size;     /* total bytes, including data */
    uint64_t entries_offset; /* offset of the entry array */
    uint64_t strings_offset; /* offset of the string table */
    uint64_t strings_size;   /* bytes in the string table */
    uint32_t crc32;          /* CRC-32 (IEEE) of the entries and string table */
    uint32_t reserved;
} bootimg_header_t;
_Static_assert(sizeof(bootimg_header_t) == 56, "bootimg_header_t layout");

enum bootimg_type {
    BOOTIMG_FILE = 1,
    BOOTIMG_DIR = 2,
    BOOTIMG_SYMLINK = 3, /* data is the link target, not NUL-terminated */
};

/* Personality a file's image declares, recorded by the build tool. */
enum bootimg_personality {
    BOOTIMG_PERS_NONE = 0, /* not a program (data, config) */
    BOOTIMG_PERS_NATIVE = 1,
    BOOTIMG_PERS_POSIX = 2,
    BOOTIMG_PERS_DOS = 3,
    BOOTIMG_PERS_WIN16 = 4,
};

typedef struct bootimg_entry {
    uint32_t name_offset; /* into the string table */
    uint16_t type;        /* enum bootimg_type */
    uint16_t personality; /* enum bootimg_personality */
    uint32_t mode;        /* permission bits, 0755 or 0644 style */
    uint32_t reserved;
    uint64_t data_offset; /* from the start of the image; 0 for directories */
    uint64_t size;        /* bytes of data */
} bootimg_entry_t;
_Static_assert(sizeof(bootimg_entry_t) == 32, "bootimg_entry_t layout");

#endif
