/*
 * native_spawn_clone: runs fn(arg) in a new native process whose address
 * space is a copy-on-write clone of the caller's (the executive's vm_clone),
 * on a fresh stack. Used by tests, benchmarks and servers that need a
 * helper process running their own code.
 */
#include <native/runtime.h>
#include <native/spawn.h>

#define CLONE_STACK_SIZE (256ul << 10)

typedef struct clone_start {
    int (*fn)(void *);
    void *arg;
} clone_start_t;

static void clone_entry(clone_start_t *s)
{
    exit(s->fn(s->arg));
}

long native_spawn_clone(const char *name, int (*fn)(void *), void *arg, handle_t *proc_out)
{
    return native_spawn_clone_thread(name, fn, arg, proc_out, NULL);
}

long native_spawn_clone_thread(const char *name, int (*fn)(void *), void *arg, handle_t *proc_out,
                               handle_t *thread_out)
{
    volatile clone_start_t start = {fn, arg}; /* copied into the child by the clone */
    uint64_t stack = 0;
    handle_t proc, thread;
    long st;

    native_flush();
    st = sys_process_create(name, PERSONALITY_NATIVE, 0, PROCESS_CREATE_INHERIT_HANDLES, &proc);
    if (st < 0)
        return st;
    st = sys_vm_clone(proc, HANDLE_SELF_PROCESS);
    if (st >= 0)
        st = sys_vm_map(proc, &stack, CLONE_STACK_SIZE, PROT_R | PROT_W, 0, 0, 0);
    if (st >= 0)
        st = sys_thread_create(proc, (uintptr_t)clone_entry, stack + CLONE_STACK_SIZE - 8,
                               (uintptr_t)&start, 0, &thread);
    if (st < 0) {
        sys_process_terminate(proc, EXIT_STATUS_KILLED);
        sys_handle_close(proc);
        return st;
    }
    if (thread_out)
        *thread_out = thread;
    else
        sys_handle_close(thread);
    *proc_out = proc;
    return 0;
}

long native_thread_start(void (*fn)(void *), void *arg, size_t stack_size, handle_t *thread_out)
{
    uint64_t stack = 0;
    long st = sys_vm_map(HANDLE_SELF_PROCESS, &stack, stack_size, PROT_R | PROT_W, 0, 0, 0);

    if (st < 0)
        return st;
    st = sys_thread_create(HANDLE_SELF_PROCESS, (uintptr_t)fn, stack + stack_size - 8,
                           (uintptr_t)arg, 0, thread_out);
    if (st < 0)
        sys_vm_unmap(HANDLE_SELF_PROCESS, stack, stack_size);
    return st;
}
