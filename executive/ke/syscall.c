/*
 * System call dispatch. The table and the names are expanded from the one
 * list in <persona/syscalls.h>; handlers are defined with SYSCALL(name) and
 * receive the raw argument registers, which they validate themselves (user
 * pointers only through copy_from_user and friends).
 */
#include "ipc.h"
#include "ke.h"
#include "ps.h"
#include "syscall.h"
#include <persona/syscalls.h>

#define DECLARE(nr, name, nargs) SYSCALL(name);
PERSONA_SYSCALLS(DECLARE)
#undef DECLARE

typedef long (*syscall_fn_t)(sysarg_t, sysarg_t, sysarg_t, sysarg_t, sysarg_t, sysarg_t);

/* Read by syscall_entry (entry.S) for native processes, with no test for
 * holes: the numbers are dense (as many calls as SYS_COUNT, each number
 * once, or the initializers would override each other). */
extern const syscall_fn_t syscall_table[SYS_COUNT];
const syscall_fn_t syscall_table[SYS_COUNT] = {
#define ENTRY(nr, name, nargs) [nr] = sys_##name,
    PERSONA_SYSCALLS(ENTRY)
#undef ENTRY
};
#define ONE(nr, name, nargs) +1
_Static_assert(0 PERSONA_SYSCALLS(ONE) == SYS_COUNT, "system call numbers are dense");
#undef ONE

const char *const syscall_names[SYS_COUNT] = {
#define NAME(nr, name, nargs) [nr] = #name,
    PERSONA_SYSCALLS(NAME)
#undef NAME
};

/*
 * A process of a foreign personality (POSIX, DOS, Win16) does not make
 * native calls: its system calls become messages to its subsystem server,
 * which answers with the value for rax (WSL1's pico processes, NT's PSXSS).
 * syscall_entry calls this for them.
 */
void syscall_forward(trapframe_t *f, process_t *p)
{
    thread_t *t = ke_current();
    status_t st;

    /* Values the subsystem gave this thread for calls that need no work
     * (its ids): answered without a message, as a vDSO would. */
    if (t->answer_filter & (1ull << (f->rax % 64))) {
        for (uint32_t i = 0; i < t->nanswers; i++) {
            if (t->answers[i].nr == f->rax) {
                f->rax = t->answers[i].value;
                return;
            }
        }
    }
    ipc_fastpath_syscall(t, p->subsystem_port); /* returns if it does not apply */
    /* The message is read from the frame, the reply stored in f->rax. */
    st = ipc_call_syscall(p->subsystem_port);
    if (unlikely(st != ST_OK))
        syscall_forward_failed(st);
}

void syscall_forward_failed(status_t st)
{
    process_t *p = ke_current()->proc;

    if (st == ST_PEER_DIED) {
        kprintf("process %s (pid %llu) killed: its subsystem server is gone\n", p->name,
                (unsigned long long)p->pid);
        ps_process_terminate(p, EXIT_STATUS_KILLED, "subsystem server died");
    }
}

/*
 * The system-call exit found work due (exit_work or a preemption request):
 * does it; the checked exit (syscall_return) follows, so a frame that
 * changed is restored with iret if sysret cannot restore it exactly.
 */
void syscall_exit_work(trapframe_t *f)
{
    ke_current()->frame_changed = false;
    ke_return_to_user(f);
}

/* The whole dispatch; syscall_entry calls it only for native calls with
 * bad numbers, having handled the rest itself. */
void syscall_dispatch(trapframe_t *f)
{
    uint64_t nr = f->rax;
    process_t *p = ke_current()->proc;

    if (p->subsystem_port)
        syscall_forward(f, p);
    else if (nr < SYS_COUNT && syscall_table[nr])
        f->rax = (uint64_t)syscall_table[nr](f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9);
    else
        f->rax = (uint64_t)(long)ST_BAD_SYSCALL;
    /* syscall_exit does what is due before user mode. */
}
