/*
 * ps: processes and threads. A process is an address space, a handle table,
 * a quota, a personality tag and a set of threads; it ends when its last
 * thread ends, and its exit status stays readable while anyone holds a
 * handle to it.
 */
#ifndef PS_H
#define PS_H

#include "ke.h"
#include "mm.h"
#include "ob.h"
#include <persona/process.h>

struct port;

#define PS_MAX_WATCHERS 16

typedef struct process {
    ob_header_t hdr;
    uint64_t pid, parent_pid;
    char name[PROCESS_NAME_MAX];
    uint32_t personality;
    struct port *subsystem_port; /* foreign personalities: their server */
    struct port *exception_port; /* faults are sent here, if set */
    quota_t *quota;
    vm_space_t vm;
    handle_table_t handles;
    list_t threads;         /* ps_thread_t.kt.proc_link */
    uint32_t nthreads;      /* threads not yet exited */
    uint64_t exited_cycles; /* CPU time of the threads that have left */
    uint32_t state;         /* enum persona_process_state */
    int64_t exit_status;
    char exit_reason[128];
    wait_queue_t exit_waiters;
    list_node_t all_link;
    list_t ipc_in_service; /* calls received by this process, not yet replied */
    bool privileged;       /* may bind IRQs, use granted I/O ports, shut down */
    bool io_enabled;       /* granted I/O ports are usable while it runs */
    struct {
        struct port *port;
        uint64_t bits;
    } watchers[PS_MAX_WATCHERS]; /* notified when the process ends */
    /* Optional copy of everything the process writes to the console, for
     * the in-kernel test runner. */
    char *capture;
    size_t capture_len, capture_cap;
} process_t;

typedef struct ps_thread {
    ob_header_t hdr;
    thread_t kt;
    process_t *proc; /* holds a reference */
    bool exited;
    int64_t exit_status;
    wait_queue_t exit_waiters;
} ps_thread_t;

extern const ob_type_t process_type, thread_type;
extern list_t ps_all_processes;

#define PROCESS_DEFAULT_QUOTA_PAGES (256ull << 20 >> PAGE_SHIFT)
#define PS_MAX_THREADS              256

status_t ps_process_create(const char *name, uint32_t personality, process_t *parent,
                           process_t **out);
status_t ps_thread_create(process_t *p, uintptr_t rip, uintptr_t rsp, uintptr_t arg,
                          ps_thread_t **out);
/* Ends every thread of p; the last one to leave finishes the process. */
void ps_process_terminate(process_t *p, int64_t status, const char *reason);
static inline process_t *ps_current_process(void)
{
    return ke_current()->proc;
}
process_t *ps_find(uint64_t pid); /* no reference taken */

void ps_thread_resume(thread_t *t);
void ps_capture_output(process_t *p, const char *buf, size_t n);
/* Bookkeeping when a thread of p has left; finishes p after the last. */
void ps_thread_left(process_t *p, int64_t status);
void ps_thread_terminate(ps_thread_t *pt, int64_t status);
/* Tells whoever watches p (parent, subsystem) that it has exited. */
void ps_notify_exit(process_t *p);
status_t ps_watch(process_t *p, struct port *port, uint64_t bits);

/* Called by ke at the user boundary and by the scheduler. */
NORETURN void ps_thread_terminated(void);
void ps_thread_suspend_self(void);
void ps_thread_reaped(thread_t *t);
/* Stops the current thread in an exception message to its process's
 * exception port (IPC_EXC_INTERRUPT), so the port can change its context. */
void ps_thread_upcall(trapframe_t *f);

/* First-process loader: maps a native ELF from the boot image. */
/* auxv: nauxv extra (type, value) pairs for the auxiliary vector. */
status_t ps_load_elf(process_t *p, const void *image, size_t size, int argc,
                     const char *const argv[], const uint64_t *auxv, int nauxv, uintptr_t *entry,
                     uintptr_t *sp);

#endif
