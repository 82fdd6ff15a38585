/*
 * How mkbootimg decides the personality of each file it packs.
 *
 * An ELF file must pass the loader's parser and agree with libelf
 * (elfcheck); anything with an MZ signature or a .com name must be a
 * valid DOS or Win16 program (ldr_detect). Otherwise the build stops: a
 * program the system would refuse at run time is better refused at build
 * time, with the file's name. Everything else is data.
 *
 * Entry point: classify().
 */
#include <string.h>

#include <loader/com.h>
#include <loader/detect.h>
#include <persona/bootimg.h>

#include "elfcheck.h"
#include "mkbootimg.h"

uint16_t classify(const char *src, const char *dest, const unsigned char *data, size_t size)
{
    if (size >= 4 && memcmp(data, "\177ELF", 4) == 0) {
        ldr_elf_info_t info;
        char msg[256];
        int rc = elfcheck(data, size, &info, msg, sizeof(msg));
        if (rc != LDR_OK)
            die("%s: %s ELF program: %s", src, rc == LDR_EUNSUPPORTED ? "unsupported" : "corrupt",
                msg);
        return info.personality;
    }

    bool mz =
        size >= 2 && ((data[0] == 'M' && data[1] == 'Z') || (data[0] == 'Z' && data[1] == 'M'));
    if (!mz && !ldr_com_name(dest))
        return BOOTIMG_PERS_NONE;

    const char *why = "";
    ldr_format_t fmt = ldr_detect(data, size, dest, &why);
    if (fmt == LDR_FMT_UNKNOWN)
        die("%s: corrupt %s program: %s", src, mz ? "DOS or Win16" : "DOS .COM", why);
    return ldr_format_personality(fmt);
}
