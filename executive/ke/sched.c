/*
 * The scheduler: one run queue of READY threads served round-robin with a
 * fixed time slice, an idle thread for when it is empty, and direct
 * switches for the ipc fast path. Threads give up the CPU only inside the
 * kernel (ke_wait, ke_yield) or on the way back to user mode, where the
 * tick's preemption request is honoured (ke_return_to_user).
 */
#include "ke.h"
#include "mm.h"
#include "ps.h"

#define SLICE_TICKS 10

static list_t run_queue = LIST_INIT(run_queue);
static list_t dead_threads = LIST_INIT(dead_threads);
thread_t *ke_current_thread;
#define current ke_current_thread
static thread_t *idle_thread;
bool ke_need_resched;
#define need_resched ke_need_resched
static uint64_t ticks;
static uint64_t slice_left = SLICE_TICKS;

uint64_t ke_ticks(void)
{
    return ticks;
}

uint64_t ke_now_ns(void)
{
    return arch_ns();
}

uint64_t arch_tsc_khz(void);

uint64_t ke_cycles_to_ns(uint64_t cycles)
{
    uint64_t khz = arch_tsc_khz();

    return cycles / khz * 1000000 + cycles % khz * 1000000 / khz;
}

void ke_ready(thread_t *t)
{
    ASSERT(t->state != TH_DEAD && !list_node_linked(&t->run_link));
    t->state = TH_READY;
    if (t != idle_thread)
        list_push_back(&run_queue, &t->run_link);
}

static void reap_dead(void)
{
    list_for_each_safe(it, &dead_threads)
    {
        thread_t *t = list_entry(it, thread_t, run_link);
        if (t == current)
            continue;
        list_remove(&t->run_link);
        ke_thread_release_stack(t);
    }
}

/*
 * Switches from current to next; returns when current runs again. A
 * thread from the run queue starts a new slice; a direct switch (the ipc
 * fast path) hands the rest of the running slice on, so that a client and
 * a server calling each other share one slice and the run queue gets its
 * turn when it ends.
 */
static inline void switch_to(thread_t *next, bool new_slice)
{
    thread_t *prev = current;
    uint64_t now = arch_cycles();

    prev->cpu_cycles += now - prev->slice_start;
    next->slice_start = now;
    next->state = TH_RUNNING;
    if (new_slice) {
        slice_left = SLICE_TICKS;
        need_resched = false;
    }
    if (next == prev)
        return;
    current = next;
    arch_pt_activate(next->proc ? next->proc->vm.root : arch_pt_kernel_root());
    arch_switch(&prev->arch, &next->arch, next->kstack_top);
    if (unlikely(!list_empty(&dead_threads)))
        reap_dead();
}

void ke_schedule(void)
{
    thread_t *next;
    list_node_t *n = list_pop_front(&run_queue);

    next = n ? list_entry(n, thread_t, run_link) : idle_thread;
    switch_to(next, true);
}

/*
 * The ipc fast path's switch. The wait is set up here for the common case
 * (no timeout, no termination pending), and switch_to is inlined.
 */
status_t ke_wait_switch(wait_queue_t *wq, uint64_t timeout_ns, thread_t *next)
{
    thread_t *t = current;
    status_t st;

    if (likely(timeout_ns == KE_FOREVER && !t->terminate)) {
        t->state = TH_BLOCKED;
        t->waiting_on = wq;
        t->wait_status = ST_OK;
        t->interruptible = true;
        list_push_back(&wq->waiters, &t->run_link);
    } else if (!ke_block_current(wq, timeout_ns, true, &st)) {
        ke_ready(next);
        return st;
    }
    switch_to(next, false);
    return t->wait_status;
}

/* ke_switch_away, the ipc fast path's switch, is in assembly (entry.S):
 * the accounting of switch_to, then arch_switch_away. */

void ke_reap_dead(void)
{
    if (unlikely(!list_empty(&dead_threads)))
        reap_dead();
}

void ke_switch_to(thread_t *next)
{
    ASSERT(current->state != TH_RUNNING);
    ASSERT(!list_node_linked(&next->run_link));
    if (current->state == TH_READY && current != idle_thread)
        list_push_back(&run_queue, &current->run_link);
    switch_to(next, false);
}

void ke_yield(void)
{
    if (list_empty(&run_queue))
        return;
    ke_ready(current);
    ke_schedule();
}

NORETURN void ke_thread_exit(void)
{
    current->state = TH_DEAD;
    list_push_back(&dead_threads, &current->run_link);
    ke_schedule();
    panic("dead thread %s scheduled", current->name);
}

void ke_timer_run(uint64_t now);

void ke_tick(void)
{
    ticks++;
    ke_timer_run(arch_ns());
    if (current != idle_thread && --slice_left == 0) {
        need_resched = true;
        slice_left = SLICE_TICKS;
    }
}

/* The boot context becomes the idle thread: it runs when nothing else can. */
NORETURN void ke_idle_loop(void)
{
    for (;;) {
        while (list_empty(&run_queue))
            arch_idle();
        current->state = TH_READY;
        ke_schedule();
    }
}

void ke_return_to_user_slow(trapframe_t *f)
{
    (void)f;
    for (;;) {
        if (current->terminate)
            ps_thread_terminated();
        if (current->suspend_count > 0) {
            ps_thread_suspend_self();
            continue;
        }
        if (current->upcall_pending) {
            current->upcall_pending = false;
            ps_thread_upcall(f);
            continue;
        }
        if (need_resched) {
            ke_yield();
            need_resched = false;
            continue;
        }
        break;
    }
    current->on_cpu_user = true;
}

static void tick_irq(int irq)
{
    (void)irq;
    ke_tick();
}

void ke_sched_init(thread_t *boot_thread)
{
    current = idle_thread = boot_thread;
    current->state = TH_RUNNING;
    current->slice_start = arch_cycles();
    arch_irq_register(0, tick_irq);
}
