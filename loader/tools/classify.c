/*
 * How mkbootimg decides the personality of each file it packs.
 *
 * An ELF file must pass the loader's parser and agree with libelf
 * (elfcheck), or the build stops: a program the kernel would refuse at
 * run time is better refused at build time, with the file's name.
 *
 * Entry point: classify().
 */
#include <string.h>

#include <persona/bootimg.h>

#include "elfcheck.h"
#include "mkbootimg.h"

uint16_t classify(const char *src, const char *dest, const unsigned char *data, size_t size)
{
    (void)dest;
    if (size >= 4 && memcmp(data, "\177ELF", 4) == 0) {
        ldr_elf_info_t info;
        char msg[256];
        int rc = elfcheck(data, size, &info, msg, sizeof(msg));
        if (rc != LDR_OK)
            die("%s: %s ELF program: %s", src, rc == LDR_EUNSUPPORTED ? "unsupported" : "corrupt",
                msg);
        return info.personality;
    }
    return BOOTIMG_PERS_NONE;
}
