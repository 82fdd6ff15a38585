/*
 * Which kind of program a file is, and so which personality runs it: the
 * shell's and smss's first question about an image (ARCHITECTURE.md §2).
 *
 * ldr_detect() looks at the content first, like DOS does: ELF magic, then
 * the MZ signature (with an NE header: Win16), and only then the name's
 * .com extension. A format is reported only when its parser accepts the
 * whole file, so a corrupt program comes back as LDR_FMT_UNKNOWN with the
 * parser's reason in *why.
 *
 * Entry points: ldr_detect(), ldr_format_personality(), ldr_format_name().
 */
#ifndef LOADER_DETECT_H
#define LOADER_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include <loader/status.h>

typedef enum ldr_format {
    LDR_FMT_UNKNOWN = 0,
    LDR_FMT_ELF_NATIVE, /* ELF with the Persona note */
    LDR_FMT_ELF_LINUX,  /* ELF with the Linux ABI */
    LDR_FMT_COM,        /* DOS .COM */
    LDR_FMT_MZ,         /* DOS .EXE */
    LDR_FMT_NE,         /* Win16 */
} ldr_format_t;

/* `name` may be NULL or a path; only its extension matters. On
 * LDR_FMT_UNKNOWN, *why says why the file is not a program. */
ldr_format_t ldr_detect(const void *image, size_t size, const char *name, const char **why);

/* enum bootimg_personality for a format (BOOTIMG_PERS_NONE for unknown). */
uint16_t ldr_format_personality(ldr_format_t fmt);

/* "native ELF", "Linux ELF", "DOS COM", "DOS MZ", "Win16 NE" or "unknown". */
const char *ldr_format_name(ldr_format_t fmt);

#endif
