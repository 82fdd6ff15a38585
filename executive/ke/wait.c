/*
 * Wait queues and sleeping. A blocked thread sits on exactly one wait queue
 * (through run_link; a caller blocked by the ipc fast path on none, its
 * run_link unlinked) and optionally has a timeout timer armed; whichever of
 * wake-up, timeout or termination comes first removes it from both.
 */
#include "ke.h"

void wait_queue_init(wait_queue_t *wq)
{
    list_init(&wq->waiters);
}

static void wait_timeout(void *arg)
{
    ke_wake_thread(arg, ST_TIMEOUT);
}

bool ke_block_current(wait_queue_t *wq, uint64_t timeout_ns, bool interruptible, status_t *early)
{
    thread_t *t = ke_current();

    if (timeout_ns == 0) {
        *early = ST_TIMEOUT;
        return false;
    }
    if (interruptible && t->terminate) {
        *early = ST_TERMINATED;
        return false;
    }
    t->state = TH_BLOCKED;
    t->waiting_on = wq;
    t->wait_status = ST_OK;
    t->interruptible = interruptible;
    list_push_back(&wq->waiters, &t->run_link);
    if (timeout_ns != KE_FOREVER) {
        uint64_t now = ke_now_ns();
        uint64_t deadline = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
        ke_timer_set(&t->wait_timer, deadline, wait_timeout, t);
    }
    return true;
}

status_t ke_wait(wait_queue_t *wq, uint64_t timeout_ns, bool interruptible)
{
    status_t st;

    if (!ke_block_current(wq, timeout_ns, interruptible, &st))
        return st;
    ke_schedule();
    return ke_current()->wait_status;
}

void ke_wake_thread(thread_t *t, status_t st)
{
    if (t->state != TH_BLOCKED)
        return;
    list_remove(&t->run_link);
    ke_timer_cancel(&t->wait_timer);
    t->waiting_on = NULL;
    t->wait_status = st;
    ke_ready(t);
}

int ke_wake_one(wait_queue_t *wq, status_t st)
{
    thread_t *t = list_first(&wq->waiters, thread_t, run_link);

    if (!t)
        return 0;
    ke_wake_thread(t, st);
    return 1;
}

int ke_wake_all(wait_queue_t *wq, status_t st)
{
    int n = 0;

    while (ke_wake_one(wq, st))
        n++;
    return n;
}

status_t ke_sleep_ns(uint64_t ns)
{
    wait_queue_t wq;
    status_t st;

    if (ns == 0) {
        ke_yield();
        return ST_OK;
    }
    wait_queue_init(&wq);
    st = ke_wait(&wq, ns, true);
    return st == ST_TIMEOUT ? ST_OK : st;
}
