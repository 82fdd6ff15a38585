/*
 * DOS MZ executables, for the DOS server's EXEC and for finding the
 * new-format (NE) header of Win16 programs.
 *
 * An MZ file is a header (with a relocation table inside it), then the
 * load module DOS copies to memory, then possibly an overlay or a
 * new-format executable that DOS ignores. ldr_mz_parse() decodes every
 * header field, works out where the load module is from e_cp, e_cblp and
 * e_cparhdr, and checks the relocation table and every relocation's target
 * against the file. ldr_mz_reloc() then reads relocation i.
 *
 * Entry points: ldr_mz_parse(), ldr_mz_reloc().
 */
#ifndef LOADER_MZ_H
#define LOADER_MZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <loader/status.h>

#define LDR_MZ_HDR_MIN  28 /* fields up to e_ovno: enough for DOS */
#define LDR_MZ_HDR_FULL 64 /* with e_res, e_oemid, e_oeminfo, e_res2 and e_lfanew */

/* The header as stored. Fields past e_ovno are 0 when the file is shorter
 * than LDR_MZ_HDR_FULL. */
typedef struct ldr_mz_header {
    uint16_t e_magic;    /* "MZ" (or the old "ZM") */
    uint16_t e_cblp;     /* bytes used in the last 512-byte page, 0 = all of it */
    uint16_t e_cp;       /* 512-byte pages in the file's image, header included */
    uint16_t e_crlc;     /* relocation count */
    uint16_t e_cparhdr;  /* header size in 16-byte paragraphs */
    uint16_t e_minalloc; /* paragraphs needed after the load module */
    uint16_t e_maxalloc; /* paragraphs wanted after it (FFFFh: all there is) */
    uint16_t e_ss;       /* initial SS, relative to the load segment */
    uint16_t e_sp;
    uint16_t e_csum;
    uint16_t e_ip;
    uint16_t e_cs;     /* relative to the load segment */
    uint16_t e_lfarlc; /* file offset of the relocation table */
    uint16_t e_ovno;
    uint16_t e_res[4];
    uint16_t e_oemid;
    uint16_t e_oeminfo;
    uint16_t e_res2[10];
    uint32_t e_lfanew; /* file offset of a new-format header */
} ldr_mz_header_t;

typedef struct ldr_mz_info {
    ldr_mz_header_t hdr;
    uint32_t header_size; /* e_cparhdr * 16 */
    uint32_t image_size;  /* header + load module, from e_cp and e_cblp */
    uint32_t load_offset; /* file offset of the load module (= header_size) */
    uint32_t load_size;   /* bytes DOS copies to the load segment */
    uint32_t extra_size;  /* file bytes after the image (overlays, NE, ...) */
    uint32_t reloc_offset;
    uint32_t nrelocs;
    uint32_t min_paras;      /* load module in paragraphs + e_minalloc: the least DOS must give */
    uint32_t max_paras;      /* the same with e_maxalloc, capped at FFFFh */
    uint16_t cs, ip, ss, sp; /* initial registers; cs and ss relative to the load segment */

    /* A new-format header (NE, PE, LE, ...) follows: e_lfarlc >= 40h says
     * e_lfanew is meaningful, and e_lfanew leaves room for a signature. */
    bool has_new_header;
    uint32_t new_offset; /* e_lfanew */
    char new_magic[2];   /* its first two bytes: "NE", "PE", "LE", ... */
} ldr_mz_info_t;

typedef struct ldr_mz_reloc {
    uint16_t offset;  /* a word at load segment + segment : offset */
    uint16_t segment; /* ... gets the load segment added */
} ldr_mz_reloc_t;

/* LDR_EFORMAT without the signature, LDR_ECORRUPT when a size or table is
 * inconsistent with the file, a relocation or the entry point lies
 * outside the load module. */
int ldr_mz_parse(const void *image, size_t size, ldr_mz_info_t *info, const char **why);

/* Relocation i of a parsed image; LDR_ENOENT when i >= info->nrelocs. */
int ldr_mz_reloc(const void *image, size_t size, const ldr_mz_info_t *info, uint32_t i,
                 ldr_mz_reloc_t *out);

#endif
