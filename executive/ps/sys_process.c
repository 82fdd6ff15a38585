/* Process and thread system calls. */
#include "ps.h"
#include "syscall.h"
#include <string.h>

SYSCALL(process_exit)
{
    process_t *p = ps_current_process();

    ps_process_terminate(p, (int64_t)a0, "exit");
    return ST_OK; /* not seen: the thread leaves at the user boundary */
}

SYSCALL(thread_yield)
{
    ke_yield();
    return ST_OK;
}
