/*
 * Thread objects of the kernel core: allocation with a guarded kernel stack,
 * kernel threads, the first entry of user threads, and release of a dead
 * thread's stack (by the scheduler, once the thread is off its stack).
 */
#include "ke.h"
#include "mm.h"
#include "ps.h"
#include <string.h>

#define KSTACK_PAGES 4

list_t ke_all_threads = LIST_INIT(ke_all_threads);
static uint64_t next_id = 1;

/* Processes and threads are numbered from one counter, so no process id is
 * ever a thread id (a subsystem may use both as one set of numbers). */
uint64_t ke_new_id(void)
{
    return next_id++;
}

status_t ke_thread_init(thread_t *t, const char *name)
{
    memset(t, 0, sizeof(*t));
    t->kstack_base = (uintptr_t)kva_alloc(KSTACK_PAGES);
    if (!t->kstack_base)
        return ST_NO_MEMORY;
    t->kstack_top = t->kstack_base + KSTACK_PAGES * PAGE_SIZE;
    t->frame = (trapframe_t *)(t->kstack_top - sizeof(trapframe_t));
    t->id = ke_new_id();
    t->state = TH_NEW;
    strlcpy(t->name, name, sizeof(t->name));
    list_node_init(&t->run_link);
    list_node_init(&t->proc_link);
    list_node_init(&t->wait_timer.link);
    list_node_init(&t->ipc.link);
    wait_queue_init(&t->ipc.reply_wait); /* empty again after every call */
    list_push_back(&ke_all_threads, &t->all_link);
    arch_thread_fpu_init(&t->arch);
    return ST_OK;
}

thread_t *ke_thread_alloc(const char *name)
{
    thread_t *t = kmalloc(sizeof(*t));

    if (t && ke_thread_init(t, name) != ST_OK) {
        kfree(t);
        return NULL;
    }
    return t;
}

void ke_thread_start(thread_t *t)
{
    ASSERT(t->state == TH_NEW);
    ke_ready(t);
}

thread_t *ke_thread_create_kernel(const char *name, void (*fn)(void *), void *arg)
{
    thread_t *t = ke_thread_alloc(name);

    if (!t)
        return NULL;
    arch_thread_setup(&t->arch, t->kstack_top, fn, arg);
    ke_thread_start(t);
    return t;
}

/* Called by the scheduler for a dead thread that is no longer running. */
void ke_thread_release_stack(thread_t *t)
{
    kva_free((void *)t->kstack_base, KSTACK_PAGES);
    t->kstack_base = t->kstack_top = 0;
    t->frame = NULL;
    list_remove(&t->all_link);
    kfree(t->answers);
    t->answers = NULL;
    t->nanswers = 0;
    if (t->owner)
        ps_thread_reaped(t);
    else
        kfree(t);
}

/* Undoes ke_thread_init for a thread that never ran. */
void ke_thread_destroy_unstarted(thread_t *t)
{
    ASSERT(t->state == TH_NEW);
    kva_free((void *)t->kstack_base, KSTACK_PAGES);
    t->kstack_base = t->kstack_top = 0;
    list_remove(&t->all_link);
    kfree(t->answers);
    t->answers = NULL;
    t->nanswers = 0;
    t->state = TH_DEAD;
}
