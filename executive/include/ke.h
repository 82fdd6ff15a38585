/*
 * ke: the kernel core. Threads and the scheduler, wait queues, timers, the
 * tick, and the console and panic paths.
 *
 * Concurrency rule for the whole executive: there is one CPU and the
 * executive runs with interrupts disabled from entry to exit. Kernel code is
 * therefore never preempted and needs no locks; it gives up the CPU only by
 * blocking (ke_wait) or at the return to user mode (ke_return_to_user).
 */
#ifndef KE_H
#define KE_H

#include "arch.h"
#include "kernel.h"
#include "list.h"

struct process;
struct port;

typedef struct wait_queue {
    list_t waiters;
} wait_queue_t;

#include <persona/ipc.h>
#include <persona/process.h>

/*
 * A thread's part in ipc (executive/ipc). While a call is in progress the
 * message lives in the caller's saved user registers (a forwarded system
 * call's number and arguments are read from their own registers), or in
 * kmsg for the exception messages the kernel sends on the thread's behalf,
 * so no kernel buffer is ever queued.
 */
enum ipc_state {
    IPC_IDLE,
    IPC_QUEUED,     /* on port->queued, not yet received */
    IPC_IN_SERVICE, /* received; on the server process's in_service list */
    IPC_REPLIED,
};

/* Where a caller's message is, and where its reply goes. */
enum ipc_msg_src {
    IPC_MSG_FRAME,   /* the user frame's message registers (ipc_call) */
    IPC_MSG_KMSG,    /* kmsg (exceptions) */
    IPC_MSG_SYSCALL, /* a forwarded system call: the frame's system-call
                      * registers out, the reply's w[0] into its rax */
};

/* A thread blocked by the ipc fast path keeps nothing on its kernel stack:
 * when it runs again, ipc_resume_user finishes its system call from this. */
enum ipc_resume {
    IPC_RESUME_NONE,
    IPC_RESUME_CALL, /* a call (ipc_call or forwarded) waits for its reply */
    IPC_RESUME_RECV, /* ipc_reply_recv waits for a message */
};

typedef struct ipc_thread {
    struct port *port; /* the port called; a reference while not IDLE */
    uint64_t token;
    list_node_t link; /* port->queued or server->ipc_in_service */
    uint8_t state;    /* enum ipc_state */
    uint8_t msg_src;  /* enum ipc_msg_src */
    uint8_t resume;   /* enum ipc_resume: how a fast-path wait ends */
    ipc_msg_t kmsg;
    wait_queue_t reply_wait;
} ipc_thread_t;

typedef enum thread_state {
    TH_NEW,
    TH_READY,
    TH_RUNNING,
    TH_BLOCKED,
    TH_SUSPENDED,
    TH_DEAD,
} thread_state_t;

/* A timer fires fn(arg) from the tick interrupt once its deadline passes. */
typedef struct ke_timer {
    list_node_t link;
    uint64_t deadline_ns;
    void (*fn)(void *arg);
    void *arg;
} ke_timer_t;

typedef struct thread {
    arch_thread_t arch; /* first: FXSAVE area alignment */
    uint64_t id;
    char name[32];
    thread_state_t state;
    struct process *proc; /* NULL for kernel threads */
    uintptr_t kstack_base, kstack_top;
    trapframe_t *frame; /* user registers, at the top of the kernel stack */

    list_node_t run_link;  /* run queue, or a wait queue while blocked */
    list_node_t proc_link; /* the process's thread list */
    list_node_t all_link;  /* every thread, for listings */

    /* Blocking: valid while state == TH_BLOCKED. */
    wait_queue_t *waiting_on;
    status_t wait_status;
    ke_timer_t wait_timer;
    bool interruptible;

    /* Requests honoured at the next return to user mode, in one word that
     * the system-call exit tests at once (entry.S): any bit set sends the
     * thread through ke_return_to_user_slow and the checked exit. */
    union {
        struct {
            bool terminate;
            bool upcall_pending; /* thread_interrupt: stop at the user boundary */
            bool frame_changed;  /* the frame may not suit sysret (set-context) */
            uint8_t exit_pad;
            int suspend_count;
        };
        uint64_t exit_work;
    };
    bool on_cpu_user; /* has entered user mode at least once */

    uint64_t cpu_cycles; /* time spent running, in TSC cycles */
    uint64_t slice_start;
    ipc_thread_t ipc;
    void *owner; /* ob object wrapper (ps), or NULL */
    /* Forwarded system calls answered here (thread_set_answers); the
     * table is allocated at the first use, THREAD_ANSWERS_MAX entries. */
    syscall_answer_t *answers;
    uint32_t nanswers;
    uint64_t answer_filter; /* bit nr % 64 set for each answered nr */
} thread_t;

void ke_init(void);
extern thread_t *ke_current_thread; /* the running thread (sched.c) */
static inline thread_t *ke_current(void)
{
    return ke_current_thread;
}
thread_t *ke_thread_create_kernel(const char *name, void (*fn)(void *), void *arg);
/* A thread with its kernel stack ready to enter user mode at its frame. */
thread_t *ke_thread_alloc(const char *name);
/* A new process or thread id (one counter for both). */
uint64_t ke_new_id(void);
status_t ke_thread_init(thread_t *t, const char *name); /* for embedded threads */
void ke_thread_start(thread_t *t);                      /* NEW -> READY */
void ke_thread_destroy_unstarted(thread_t *t);
void ke_thread_release_stack(thread_t *t);
NORETURN void ke_thread_exit(void);

void ke_ready(thread_t *t);
void ke_schedule(void);
void ke_yield(void);
/* Direct switch to next, which must be READY; the current thread must
 * already be in its new state (blocked, ready, ...). Used by the ipc fast
 * path. */
void ke_switch_to(thread_t *next);
/* The ipc fast path's switch to next (a user thread, unblocked by
 * ke_unblock) from the current thread, already blocked in a system call
 * and keeping no kernel state (arch_switch_away). With msg, next was
 * blocked the same way and has its system call finished: it returns to
 * user mode through its frame at once (syscall_exit), with the message
 * registers of msg, the sender's frame (or its own). */
NORETURN void ke_switch_away(thread_t *next, const trapframe_t *msg);
/* Frees the stacks of threads that have exited, if any: after a switch. */
void ke_reap_dead(void);
/* Like ke_wait, but hands the CPU straight to next (made runnable by
 * ke_unblock) instead of asking the scheduler: the ipc fast path. */
status_t ke_wait_switch(wait_queue_t *wq, uint64_t timeout_ns, thread_t *next);

void ke_tick(void);
uint64_t ke_ticks(void);
uint64_t ke_now_ns(void);
uint64_t ke_cycles_to_ns(uint64_t cycles);

/* Waiting. timeout_ns: 0 = do not wait, UINT64_MAX = forever (relative). */
#define KE_FOREVER UINT64_MAX
void wait_queue_init(wait_queue_t *wq);
status_t ke_wait(wait_queue_t *wq, uint64_t timeout_ns, bool interruptible);
/* Wakes with the given status; returns the number of threads woken. */
int ke_wake_one(wait_queue_t *wq, status_t st);
int ke_wake_all(wait_queue_t *wq, status_t st);
void ke_wake_thread(thread_t *t, status_t st);
/* Blocks the current thread on wq (state, queue, timeout) without switching
 * away; false with *early set if it must not wait (timeout 0, terminating). */
bool ke_block_current(wait_queue_t *wq, uint64_t timeout_ns, bool interruptible, status_t *early);
status_t ke_sleep_ns(uint64_t ns);

void ke_timer_set(ke_timer_t *t, uint64_t deadline_ns, void (*fn)(void *), void *arg);
static inline void ke_timer_cancel(ke_timer_t *t)
{
    if (t->link.next && t->link.next != &t->link) {
        t->link.prev->next = t->link.next;
        t->link.next->prev = t->link.prev;
        t->link.next = t->link.prev = &t->link;
    }
}

/* Takes a blocked thread off its wait queue with status st, without putting
 * it on the run queue: the caller is about to switch to it directly. The
 * _waiter form is for a thread known to be blocked (found on a wait queue,
 * or checked). */
static inline void ke_unblock_waiter(thread_t *t, status_t st)
{
    list_remove(&t->run_link);
    ke_timer_cancel(&t->wait_timer);
    t->waiting_on = NULL;
    t->wait_status = st;
    t->state = TH_READY;
}

static inline void ke_unblock(thread_t *t, status_t st)
{
    ASSERT(t->state == TH_BLOCKED);
    ke_unblock_waiter(t, st);
}

/* Called on every way back to user mode: preemption, termination, suspend. */
extern bool ke_need_resched;
void ke_return_to_user_slow(trapframe_t *f);
static inline void ke_return_to_user(trapframe_t *f)
{
    thread_t *t = ke_current();

    if (unlikely(ke_need_resched | (t->exit_work != 0)))
        ke_return_to_user_slow(f);
}
/* A fault taken in user mode (trap.c). access: FAULT_* bits for page faults. */
void ke_user_fault(trapframe_t *f, unsigned vector, const char *what, uint64_t addr,
                   unsigned access);
const char *arch_exception_name(unsigned vector);
void arch_frame_dump(const trapframe_t *f);
void arch_set_kernel_stack(uintptr_t kstack_top);
#include <persona/process.h>
void arch_thread_get_context(thread_t *t, thread_context_t *c);
status_t arch_thread_set_context(thread_t *t, const thread_context_t *c);
void arch_thread_set_fs_base(thread_t *t, uint64_t base);
extern list_t ke_all_threads;

/* Panic helpers: begin silences everything else, end stops QEMU. */
void ke_panic_begin(void);
NORETURN void ke_panic_end(void);

/* Kernel command line options. */
bool ke_option(const char *name);
const char *ke_option_value(const char *name);

/* Console output captured for in-kernel tests (see ktest.c). */
void ke_console_write(const char *buf, size_t len);

#endif
