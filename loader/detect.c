/*
 * Program format detection (see <loader/detect.h>).
 *
 * Entry points: ldr_detect(), ldr_format_personality(), ldr_format_name().
 */
#include <string.h>

#include <loader/com.h>
#include <loader/detect.h>
#include <loader/elf64.h>
#include <loader/mz.h>
#include <loader/ne.h>
#include <persona/bootimg.h>

#include "util.h"

static ldr_format_t detect_elf(const void *image, size_t size, const char **why)
{
    ldr_elf_info_t info; /* about 1.2 KiB of stack; only the personality is kept */

    if (ldr_elf_parse(image, size, &info, why) != LDR_OK)
        return LDR_FMT_UNKNOWN;
    return info.personality == BOOTIMG_PERS_NATIVE ? LDR_FMT_ELF_NATIVE : LDR_FMT_ELF_LINUX;
}

static ldr_format_t detect_mz(const void *image, size_t size, const char **why)
{
    ldr_ne_info_t ne;
    ldr_mz_info_t mz;
    int rc = ldr_ne_parse(image, size, &ne, why);

    if (rc == LDR_OK)
        return LDR_FMT_NE;
    /* A corrupt NE file is reported as such, not run as its DOS stub. */
    if (rc != LDR_EFORMAT)
        return LDR_FMT_UNKNOWN;
    if (ldr_mz_parse(image, size, &mz, why) != LDR_OK)
        return LDR_FMT_UNKNOWN;
    return LDR_FMT_MZ;
}

ldr_format_t ldr_detect(const void *image, size_t size, const char *name, const char **why)
{
    const uint8_t *p = image;
    ldr_com_info_t com;

    if (size >= 4 && memcmp(p, "\177ELF", 4) == 0)
        return detect_elf(image, size, why);
    if (size >= 2 && ((p[0] == 'M' && p[1] == 'Z') || (p[0] == 'Z' && p[1] == 'M')))
        return detect_mz(image, size, why);
    if (name && ldr_com_name(name))
        return ldr_com_parse(image, size, &com, why) == LDR_OK ? LDR_FMT_COM : LDR_FMT_UNKNOWN;
    ldr_fail(why, LDR_EFORMAT,
             "not a program: no ELF or MZ signature, and the name does not end in .com");
    return LDR_FMT_UNKNOWN;
}

uint16_t ldr_format_personality(ldr_format_t fmt)
{
    switch (fmt) {
    case LDR_FMT_ELF_NATIVE:
        return BOOTIMG_PERS_NATIVE;
    case LDR_FMT_ELF_LINUX:
        return BOOTIMG_PERS_POSIX;
    case LDR_FMT_COM:
    case LDR_FMT_MZ:
        return BOOTIMG_PERS_DOS;
    case LDR_FMT_NE:
        return BOOTIMG_PERS_WIN16;
    default:
        return BOOTIMG_PERS_NONE;
    }
}

const char *ldr_format_name(ldr_format_t fmt)
{
    switch (fmt) {
    case LDR_FMT_ELF_NATIVE:
        return "native ELF";
    case LDR_FMT_ELF_LINUX:
        return "Linux ELF";
    case LDR_FMT_COM:
        return "DOS COM";
    case LDR_FMT_MZ:
        return "DOS MZ";
    case LDR_FMT_NE:
        return "Win16 NE";
    default:
        return "unknown";
    }
}
