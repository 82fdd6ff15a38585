/*
 * User threads: creation inside a process, the first entry into user mode,
 * suspension, and the exit path taken at the user boundary when a thread
 * has been asked to terminate.
 */
#include "ps.h"
#include <string.h>

static wait_queue_t suspended_threads = {LIST_INIT(suspended_threads.waiters)};

static void thread_destroy(ob_header_t *obj)
{
    ps_thread_t *pt = container_of(obj, ps_thread_t, hdr);

    ob_unref(OB(pt->proc));
    kfree(pt);
}

const ob_type_t thread_type = {
    .name = "Thread",
    .valid_rights = H_QUERY | H_WAIT | H_TERMINATE | H_DUPLICATE | H_CONTROL,
    .destroy = thread_destroy,
    .id = OBJ_THREAD,
};

static void user_thread_entry(void *arg)
{
    thread_t *t = arg;

    ke_return_to_user(t->frame);
    arch_enter_user(t->frame);
}

status_t ps_thread_create(process_t *p, uintptr_t rip, uintptr_t rsp, uintptr_t arg,
                          ps_thread_t **out)
{
    ps_thread_t *pt;
    status_t st;

    if (p->state != PROCESS_ACTIVE)
        return ST_BAD_STATE;
    if (p->nthreads >= PS_MAX_THREADS)
        return ST_LIMIT;
    pt = kmalloc(sizeof(*pt));
    if (!pt)
        return ST_NO_MEMORY;
    st = ke_thread_init(&pt->kt, p->name);
    if (st != ST_OK) {
        kfree(pt);
        return st;
    }
    ob_init(&pt->hdr, &thread_type); /* this reference: "alive", dropped when reaped */
    pt->proc = p;
    pt->exited = false;
    pt->exit_status = 0;
    wait_queue_init(&pt->exit_waiters);
    ob_ref(OB(p));
    pt->kt.proc = p;
    pt->kt.owner = pt;
    arch_frame_init_user(pt->kt.frame, rip, rsp);
    pt->kt.frame->rdi = arg;
    arch_thread_setup(&pt->kt.arch, pt->kt.kstack_top, user_thread_entry, &pt->kt);
    pt->kt.arch.io = p->io_enabled;
    list_push_back(&p->threads, &pt->kt.proc_link);
    p->nthreads++;
    *out = pt;
    return ST_OK;
}

NORETURN void ps_thread_terminated(void)
{
    thread_t *t = ke_current();
    ps_thread_t *pt = t->owner;
    process_t *p = t->proc;

    ASSERT(pt && p);
    pt->exited = true;
    if (!pt->exit_status)
        pt->exit_status = p->exit_status;
    ke_wake_all(&pt->exit_waiters, ST_OK);
    p->exited_cycles += t->cpu_cycles;
    list_remove(&t->proc_link);
    ps_thread_left(p, pt->exit_status);
    ke_thread_exit();
}

void ps_thread_suspend_self(void)
{
    thread_t *t = ke_current();

    while (t->suspend_count > 0 && !t->terminate)
        ke_wait(&suspended_threads, KE_FOREVER, true);
}

void ps_thread_resume(thread_t *t)
{
    if (t->suspend_count > 0 && --t->suspend_count == 0 && t->waiting_on == &suspended_threads)
        ke_wake_thread(t, ST_OK);
}

void ps_thread_reaped(thread_t *t)
{
    ps_thread_t *pt = t->owner;

    ob_unref(OB(pt));
}

void ps_thread_terminate(ps_thread_t *pt, int64_t status)
{
    thread_t *t = &pt->kt;

    if (pt->exited || t->terminate)
        return;
    pt->exit_status = status;
    t->terminate = true;
    if (t->state == TH_BLOCKED && t->interruptible)
        ke_wake_thread(t, ST_TERMINATED);
}
