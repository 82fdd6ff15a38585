/*
 * Process life cycle: creation (empty address space, handle table, quota),
 * termination (every thread is asked to leave at its next user boundary;
 * the last one out finishes the process), and destruction once the last
 * reference is gone. Entry points: ps_process_create, ps_process_terminate,
 * ps_find, ps_current_process.
 */
#include "ipc.h"
#include "ps.h"
#include <string.h>

list_t ps_all_processes = LIST_INIT(ps_all_processes);

static void process_destroy(ob_header_t *obj)
{
    process_t *p = container_of(obj, process_t, hdr);

    ASSERT(p->nthreads == 0);
    handle_table_destroy(&p->handles);
    vm_space_destroy(&p->vm);
    if (p->subsystem_port)
        ob_unref(OB(p->subsystem_port));
    if (p->exception_port)
        ob_unref(OB(p->exception_port));
    for (int i = 0; i < PS_MAX_WATCHERS; i++)
        ob_unref(OB(p->watchers[i].port));
    quota_unref(p->quota);
    list_remove(&p->all_link);
    kfree(p->capture);
    kfree(p);
}

const ob_type_t process_type = {
    .name = "Process",
    .valid_rights = H_ALL,
    .destroy = process_destroy,
    .id = OBJ_PROCESS,
};

status_t ps_process_create(const char *name, uint32_t personality, process_t *parent,
                           process_t **out)
{
    process_t *p;
    status_t st;

    if (personality < PERSONALITY_NATIVE || personality > PERSONALITY_WIN16)
        return ST_INVALID_ARGUMENT;
    p = kzalloc(sizeof(*p));
    if (!p)
        return ST_NO_MEMORY;
    p->quota = quota_create(PROCESS_DEFAULT_QUOTA_PAGES);
    if (!p->quota) {
        kfree(p);
        return ST_NO_MEMORY;
    }
    st = vm_space_init(&p->vm, p->quota);
    if (st != ST_OK) {
        quota_unref(p->quota);
        kfree(p);
        return st;
    }
    ob_init(&p->hdr, &process_type);
    p->pid = ke_new_id();
    p->parent_pid = parent ? parent->pid : 0;
    p->privileged = !parent; /* the first process; others by request */
    strlcpy(p->name, name, sizeof(p->name));
    p->personality = personality;
    handle_table_init(&p->handles, HANDLE_LIMIT_DEFAULT);
    list_init(&p->threads);
    list_init(&p->ipc_in_service);
    p->state = PROCESS_ACTIVE;
    wait_queue_init(&p->exit_waiters);
    list_push_back(&ps_all_processes, &p->all_link);
    *out = p;
    return ST_OK;
}

/* The last thread has left: release what only running code needs. */
static void process_finish(process_t *p)
{
    p->state = PROCESS_DEAD;
    handle_table_destroy(&p->handles);
    ipc_process_died(p);
    vm_space_destroy(&p->vm);
    ke_wake_all(&p->exit_waiters, ST_OK);
    ps_notify_exit(p);
}

void ps_process_terminate(process_t *p, int64_t status, const char *reason)
{
    if (p->state != PROCESS_ACTIVE)
        return;
    p->state = PROCESS_EXITING;
    p->exit_status = status;
    strlcpy(p->exit_reason, reason ? reason : "", sizeof(p->exit_reason));
    if (p->nthreads == 0) {
        process_finish(p);
        return;
    }
    list_for_each(it, &p->threads)
    {
        thread_t *t = list_entry(it, thread_t, proc_link);
        t->terminate = true;
        if (t->state == TH_BLOCKED && t->interruptible)
            ke_wake_thread(t, ST_TERMINATED);
    }
}

void ps_thread_left(process_t *p, int64_t status)
{
    if (--p->nthreads > 0)
        return;
    if (p->state == PROCESS_ACTIVE) {
        /* The last thread left by itself: its status is the process's. */
        p->state = PROCESS_EXITING;
        p->exit_status = status;
    }
    process_finish(p);
}

process_t *ps_find(uint64_t pid)
{
    list_for_each(it, &ps_all_processes)
    {
        process_t *p = list_entry(it, process_t, all_link);
        if (p->pid == pid)
            return p;
    }
    return NULL;
}

void ps_capture_output(process_t *p, const char *buf, size_t n)
{
    if (!p || !p->capture)
        return;
    n = MIN(n, p->capture_cap - p->capture_len);
    memcpy(p->capture + p->capture_len, buf, n);
    p->capture_len += n;
}
