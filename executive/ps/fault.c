/*
 * User-mode faults. A page fault is first offered to mm (demand paging,
 * copy-on-write). Anything mm cannot resolve ends the process with one line
 * on the console naming the process, the fault, RIP and the address, and an
 * exit status that names the exception (EXIT_STATUS_FAULT).
 */
#include "ps.h"
#include <stdio.h>

void ke_user_fault(trapframe_t *f, unsigned vector, const char *what, uint64_t addr,
                   unsigned access)
{
    process_t *p = ps_current_process();
    char reason[128];

    if (vector == 14 && vm_fault(&p->vm, addr, access) == ST_OK)
        return;

    if (vector == 14)
        snprintf(reason, sizeof(reason), "%s (%s%s) at rip %#llx, address %#llx", what,
                 access & FAULT_WRITE  ? "write"
                 : access & FAULT_EXEC ? "execute"
                                       : "read",
                 access & FAULT_PRESENT ? ", protection" : ", not mapped",
                 (unsigned long long)f->rip, (unsigned long long)addr);
    else
        snprintf(reason, sizeof(reason), "%s at rip %#llx", what, (unsigned long long)f->rip);
    kprintf("process %s (pid %llu) killed: %s\n", p->name, (unsigned long long)p->pid, reason);
    ps_process_terminate(p, EXIT_STATUS_FAULT(vector), reason);
}

void ps_notify_exit(process_t *p)
{
    (void)p;
}
