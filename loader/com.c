/*
 * DOS .COM programs (see <loader/com.h>).
 *
 * Entry points: ldr_com_parse(), ldr_com_name().
 */
#include <string.h>

#include <loader/com.h>

#include "util.h"

int ldr_com_parse(const void *image, size_t size, ldr_com_info_t *info, const char **why)
{
    const uint8_t *p = image;

    memset(info, 0, sizeof(*info));
    if (size >= 2 && ((p[0] == 'M' && p[1] == 'Z') || (p[0] == 'Z' && p[1] == 'M')))
        return ldr_fail(why, LDR_EFORMAT, "file has an MZ signature: it is an MZ program");
    if (size == 0)
        return ldr_fail(why, LDR_ECORRUPT, "COM file is empty");
    if (size > LDR_COM_MAX)
        return ldr_fail(why, LDR_ECORRUPT, "COM file is larger than 65,280 bytes");
    info->size = (uint32_t)size;
    return LDR_OK;
}

bool ldr_com_name(const char *name)
{
    size_t len = strlen(name);

    if (len < 4)
        return false;
    const char *ext = name + len - 4;
    /* ".com" alone (a hidden file named "com") is no program name. */
    if (len == 4 || ext[-1] == '/' || ext[-1] == '\\')
        return false;
    return ext[0] == '.' && (ext[1] | 0x20) == 'c' && (ext[2] | 0x20) == 'o' &&
           (ext[3] | 0x20) == 'm';
}
