/* Starting processes and threads that run the caller's own code. */
#ifndef NATIVE_SPAWN_H
#define NATIVE_SPAWN_H

#include <native/syscall.h>

/* A new process, a copy-on-write clone of this one with a copy of its
 * handles (at the same values), running fn(arg) and exiting with its
 * result. */
long native_spawn_clone(const char *name, int (*fn)(void *), void *arg, handle_t *proc_out);
/* A new thread in this process running fn(arg) on a fresh stack; fn must
 * end with sys_thread_exit. */
long native_thread_start(void (*fn)(void *), void *arg, size_t stack_size, handle_t *thread_out);

#endif
