/*
 * Kernel command line: space-separated words, "name" or "name=value"
 * (QEMU's -append). Read with ke_option() and ke_option_value().
 */
#include "ke.h"
#include <string.h>

static char cmdline[256];

void ke_set_cmdline(const char *s)
{
    strlcpy(cmdline, s, sizeof(cmdline));
}

const char *ke_cmdline(void)
{
    return cmdline;
}

/* Finds word `name` (alone or followed by '='); returns its start or NULL. */
static const char *find(const char *name)
{
    size_t n = strlen(name);

    for (const char *p = cmdline; *p;) {
        while (*p == ' ')
            p++;
        if (!strncmp(p, name, n) && (p[n] == 0 || p[n] == ' ' || p[n] == '='))
            return p;
        while (*p && *p != ' ')
            p++;
    }
    return NULL;
}

bool ke_option(const char *name)
{
    return find(name) != NULL;
}

const char *ke_option_value(const char *name)
{
    static char value[128];
    const char *p = find(name);
    size_t i = 0;

    if (!p || p[strlen(name)] != '=')
        return NULL;
    p += strlen(name) + 1;
    while (*p && *p != ' ' && i + 1 < sizeof(value))
        value[i++] = *p++;
    value[i] = 0;
    return value;
}
