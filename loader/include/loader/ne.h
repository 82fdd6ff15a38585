/*
 * Win16 NE ("new executable") programs and libraries, for the Win16
 * server and the WOW VDM's loader.
 *
 * An NE file is an MZ stub whose e_lfanew points at the NE header; all the
 * NE tables are found from that header. ldr_ne_parse() validates the whole
 * file once (every table offset and size against the file, every segment
 * and its relocation records, the entry table, the name tables, the
 * resource table) and records where things are. The accessors below then
 * read one item each and cannot fail on a parsed image except with
 * LDR_ENOENT; they read through info->image, which must stay valid.
 *
 * Segment numbers and module indexes are 1-based, as in the file; entry
 * ordinals start at 1.
 *
 * Entry points: ldr_ne_parse(), ldr_ne_segment(), ldr_ne_reloc(),
 * ldr_ne_chain_length(), ldr_ne_name_next(), ldr_ne_module_name(),
 * ldr_ne_imported_name(), ldr_ne_entry(), ldr_ne_resource_next().
 */
#ifndef LOADER_NE_H
#define LOADER_NE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <loader/status.h>

#define LDR_NE_HDR_SIZE 0x40
#define LDR_NE_NAME_MAX 256 /* a length byte allows 255 characters, plus the NUL */

/* Program flags (ne_flags). */
#define LDR_NE_SINGLEDATA   0x0001u
#define LDR_NE_MULTIPLEDATA 0x0002u
#define LDR_NE_PROTMODE     0x0008u
#define LDR_NE_LIBRARY      0x8000u

/* Segment flags. */
#define LDR_NE_SEG_DATA      0x0001u
#define LDR_NE_SEG_MOVABLE   0x0010u
#define LDR_NE_SEG_PRELOAD   0x0040u
#define LDR_NE_SEG_RELOCINFO 0x0100u
#define LDR_NE_SEG_DISCARD   0x1000u

/* Relocation source types: what the fixup writes. */
#define LDR_NE_SRC_LOBYTE  0
#define LDR_NE_SRC_SEGMENT 2
#define LDR_NE_SRC_FARADDR 3
#define LDR_NE_SRC_OFFSET  5
/* Relocation target types (low two bits of the flags byte). */
#define LDR_NE_TGT_INTERNAL   0
#define LDR_NE_TGT_IMPORTORD  1
#define LDR_NE_TGT_IMPORTNAME 2
#define LDR_NE_TGT_OSFIXUP    3
#define LDR_NE_ADDITIVE       4u /* add to the word in place instead of following a chain */

/* Target operating systems (ne_exetyp). */
#define LDR_NE_OS_UNKNOWN 0
#define LDR_NE_OS_OS2     1
#define LDR_NE_OS_WINDOWS 2

typedef struct ldr_ne_info {
    const uint8_t *image; /* the parsed file, for the accessors */
    size_t size;
    uint32_t ne_offset; /* file offset of the NE header (e_lfanew) */

    uint8_t linker_version, linker_revision;
    uint16_t flags;   /* LDR_NE_* program flags */
    uint8_t exe_type; /* LDR_NE_OS_* */
    uint8_t other_flags;
    uint16_t expected_version; /* Windows version: major << 8 | minor */
    uint16_t autodata;         /* automatic data segment number, 0 for none */
    uint16_t heap_size;        /* initial local heap, bytes */
    uint16_t stack_size;       /* bytes added to the automatic data segment */
    uint16_t cs, ip;           /* entry: segment number (0: none, e.g. some libraries) and offset */
    uint16_t ss, sp;           /* stack: segment number and offset */
    uint16_t nsegments;
    uint16_t nmodules;    /* module reference table entries */
    uint16_t nmovable;    /* movable entry points */
    uint16_t align_shift; /* segment sector size is 1 << align_shift */
    uint16_t nentries;    /* highest ordinal in the entry table */

    /* File offsets and sizes of the tables, all checked against the file. */
    uint32_t segtab_offset;
    uint32_t rsrctab_offset, rsrctab_size; /* size 0: no resources */
    uint32_t restab_offset, restab_size;
    uint32_t modtab_offset;
    uint32_t imptab_offset, imptab_size;
    uint32_t enttab_offset, enttab_size;
    uint32_t nrestab_offset, nrestab_size;
} ldr_ne_info_t;

typedef struct ldr_ne_segment {
    uint32_t file_offset;  /* 0 when the segment has no data in the file */
    uint32_t file_size;    /* bytes in the file, up to 65536 */
    uint32_t min_alloc;    /* bytes to allocate, up to 65536; >= file_size */
    uint16_t flags;        /* LDR_NE_SEG_* */
    uint16_t nrelocs;      /* relocation records after the data */
    uint32_t reloc_offset; /* file offset of the first record */
} ldr_ne_segment_t;

typedef struct ldr_ne_reloc {
    uint8_t source;       /* LDR_NE_SRC_* */
    uint8_t target;       /* LDR_NE_TGT_* */
    bool additive;        /* LDR_NE_ADDITIVE was set */
    uint16_t offset;      /* first location in the segment (head of the chain) */
    uint16_t segment;     /* INTERNAL: segment number, or 0 for a movable entry... */
    uint16_t seg_offset;  /* ...INTERNAL fixed: offset within it */
    uint16_t ordinal;     /* INTERNAL movable: entry ordinal; IMPORTORD: ordinal */
    uint16_t module;      /* IMPORTORD, IMPORTNAME: module reference index (1-based) */
    uint16_t name_offset; /* IMPORTNAME: offset into the imported names table */
    uint16_t os_fixup;    /* OSFIXUP: fixup type (floating-point emulation) */
} ldr_ne_reloc_t;

typedef struct ldr_ne_entry {
    uint16_t segment; /* segment number; 0xFE for a constant */
    uint16_t offset;  /* offset in the segment, or the constant */
    uint8_t flags;    /* 1: exported, 2: uses the shared data segment */
    bool movable;     /* reached through a movable-entry bundle */
} ldr_ne_entry_t;

typedef struct ldr_ne_resource {
    uint16_t type_id; /* high bit set: integer type; else offset of its name */
    uint16_t id;      /* likewise for the resource itself */
    uint32_t file_offset;
    uint32_t size;
    uint16_t flags;
} ldr_ne_resource_t;

/* Which name table ldr_ne_name_next() walks. */
enum ldr_ne_names {
    LDR_NE_RESIDENT,    /* the first is the module name */
    LDR_NE_NONRESIDENT, /* the first is the module description */
};

/*
 * Validates the NE file `image`. LDR_EFORMAT when it is not an MZ file
 * with an NE header, LDR_EUNSUPPORTED for an OS/2 program, LDR_ECORRUPT
 * when anything points outside the file or is inconsistent.
 */
int ldr_ne_parse(const void *image, size_t size, ldr_ne_info_t *info, const char **why);

/* Segment `segno` (1..nsegments). */
int ldr_ne_segment(const ldr_ne_info_t *info, unsigned segno, ldr_ne_segment_t *seg);

/* Relocation record i (0..nrelocs-1) of segment `segno`. */
int ldr_ne_reloc(const ldr_ne_info_t *info, unsigned segno, unsigned i, ldr_ne_reloc_t *r);

/*
 * Number of locations a non-additive relocation patches: it follows the
 * chain from r->offset through the words stored at each location until
 * FFFFh. LDR_ECORRUPT (with *why) when the chain leaves the segment's data
 * or loops. An additive relocation patches one location.
 */
int ldr_ne_chain_length(const ldr_ne_info_t *info, unsigned segno, const ldr_ne_reloc_t *r,
                        uint32_t *count, const char **why);

/*
 * Iterates a name table: set *cursor to 0 first; each call copies the next
 * name (NUL-terminated) into `name` and its ordinal into *ordinal, and
 * LDR_ENOENT ends the walk.
 */
int ldr_ne_name_next(const ldr_ne_info_t *info, enum ldr_ne_names which, uint32_t *cursor,
                     char name[LDR_NE_NAME_MAX], uint16_t *ordinal);

/* Name of imported module `index` (1..nmodules), e.g. "KERNEL". */
int ldr_ne_module_name(const ldr_ne_info_t *info, unsigned index, char name[LDR_NE_NAME_MAX]);

/* The name at `offset` in the imported names table (IMPORTNAME relocations). */
int ldr_ne_imported_name(const ldr_ne_info_t *info, uint16_t offset, char name[LDR_NE_NAME_MAX]);

/* Entry point `ordinal` (1..nentries); LDR_ENOENT for an unused ordinal. */
int ldr_ne_entry(const ldr_ne_info_t *info, uint16_t ordinal, ldr_ne_entry_t *entry);

/* Iterates the resource table like ldr_ne_name_next(). */
int ldr_ne_resource_next(const ldr_ne_info_t *info, uint32_t *cursor, ldr_ne_resource_t *res);

#endif
