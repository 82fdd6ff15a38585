/*
 * Checked access to user memory (see arch.h). The range check happens
 * before any access, so a kernel address can never be reached through
 * these functions; faults inside the range are handled by usercopy.S.
 */
#include "x86.h"

size_t usercopy(void *dst, const void *src, size_t n);
size_t userclear(void *dst, size_t n);
long userstrcpy(char *dst, const char *usrc, size_t max);

status_t copy_from_user(void *dst, uintptr_t usrc, size_t n)
{
    if (n == 0)
        return ST_OK;
    if (!arch_user_range_ok(usrc, n))
        return ST_BAD_ADDRESS;
    return usercopy(dst, (const void *)usrc, n) ? ST_BAD_ADDRESS : ST_OK;
}

status_t copy_to_user(uintptr_t udst, const void *src, size_t n)
{
    if (n == 0)
        return ST_OK;
    if (!arch_user_range_ok(udst, n))
        return ST_BAD_ADDRESS;
    return usercopy((void *)udst, src, n) ? ST_BAD_ADDRESS : ST_OK;
}

status_t clear_user(uintptr_t udst, size_t n)
{
    if (n == 0)
        return ST_OK;
    if (!arch_user_range_ok(udst, n))
        return ST_BAD_ADDRESS;
    return userclear((void *)udst, n) ? ST_BAD_ADDRESS : ST_OK;
}

status_t copy_string_from_user(char *dst, uintptr_t usrc, size_t max)
{
    long len;

    if (max == 0)
        return ST_INVALID_ARGUMENT;
    if (usrc < USER_BASE || usrc >= USER_TOP)
        return ST_BAD_ADDRESS;
    /* Never read past the end of user space. */
    if (max > USER_TOP - usrc)
        max = USER_TOP - usrc;
    len = userstrcpy(dst, (const char *)usrc, max);
    if (len < 0)
        return ST_BAD_ADDRESS;
    if ((size_t)len == max) {
        dst[max - 1] = 0;
        return ST_NAME_TOO_LONG;
    }
    return ST_OK;
}
