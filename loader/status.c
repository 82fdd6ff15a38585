/*
 * Names of the loader status codes, for messages and traces.
 *
 * Entry point: ldr_status_name().
 */
#include <loader/status.h>

const char *ldr_status_name(int status)
{
    switch (status) {
    case LDR_OK:
        return "ok";
    case LDR_EFORMAT:
        return "not this format";
    case LDR_ECORRUPT:
        return "corrupt";
    case LDR_EUNSUPPORTED:
        return "unsupported";
    case LDR_ENOENT:
        return "not found";
    }
    return "unknown status";
}
