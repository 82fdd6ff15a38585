/* Small conversions the native runtime offers its programs. */
#include <native/runtime.h>

uint64_t strtou64(const char *s)
{
    uint64_t v = 0;

    while (*s >= '0' && *s <= '9')
        v = v * 10 + (uint64_t)(*s++ - '0');
    return v;
}
