/*
 * Processes and threads as user mode sees them: personalities, states, the
 * listing record, and the start-up stack a new program finds.
 */
#ifndef PERSONA_PROCESS_H
#define PERSONA_PROCESS_H

#include <stdint.h>

/* The same numbers as the boot image's personality field. */
enum persona_personality {
    PERSONALITY_NATIVE = 1,
    PERSONALITY_POSIX = 2,
    PERSONALITY_DOS = 3,
    PERSONALITY_WIN16 = 4,
};

enum persona_process_state {
    PROCESS_ACTIVE = 1,
    PROCESS_EXITING = 2, /* threads are being torn down */
    PROCESS_DEAD = 3,    /* exit status available */
};

/* Exit statuses the system sets (all outside the 0..255 of exit()). */
#define EXIT_STATUS_FAULT(vector) (0x10000 | (vector)) /* unhandled CPU exception */
#define EXIT_STATUS_KILLED        0x20000              /* terminated without a status */
#define EXIT_STATUS_IS_FAULT(s)   (((s) & ~0xffll) == 0x10000)

#define PROCESS_NAME_MAX 32

typedef struct process_info {
    uint64_t pid;
    uint64_t parent_pid;
    uint32_t personality;
    uint32_t state;
    uint32_t threads;
    uint32_t handles;
    int64_t exit_status;
    uint64_t memory_pages; /* pages charged to the process's quota */
    uint64_t cpu_ns;
    char name[PROCESS_NAME_MAX];
    uint32_t flags; /* PROCESS_INFO_* */
    uint32_t reserved;
    char exit_reason[96]; /* why it ended, when the system ended it */
} process_info_t;

#define PROCESS_INFO_PRIVILEGED 0x1

/* A thread's user registers (thread_get_context / thread_set_context). */
typedef struct thread_context {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags, fs_base, gs_base;
} thread_context_t;

/* process_create flags. INHERIT_HANDLES: the child starts with a copy of
 * every handle, at the same values. PRIVILEGED: may bind IRQs, use I/O
 * ports and shut the system down; only a privileged creator may ask. */
#define PROCESS_CREATE_INHERIT_HANDLES 0x1
#define PROCESS_CREATE_PRIVILEGED      0x2

/* Auxiliary-vector entries Persona adds for native programs. */
#define AT_PERSONA_BOOTIMG 0x5001 /* handle of the boot image section (first process) */

/* thread_create flags */
#define THREAD_CREATE_SUSPENDED 0x1

/* thread_set_answers: forwarded system calls of a foreign personality that
 * the executive answers itself for that thread, without a message to the
 * subsystem (getpid and the like: values the subsystem knows and keeps up
 * to date). A call whose number is in the table returns value in rax. */
typedef struct syscall_answer {
    uint64_t nr;
    uint64_t value;
} syscall_answer_t;

#define THREAD_ANSWERS_MAX 12

/* thread_info record */
typedef struct thread_info {
    uint64_t tid;
    uint64_t pid;
    uint64_t cpu_ns; /* time it has run */
    uint32_t exited;
    uint32_t reserved;
} thread_info_t;

/* system_info record */
typedef struct system_info {
    uint64_t total_pages, free_pages;
    uint64_t kernel_heap_bytes;
    uint64_t processes, threads;
    uint64_t uptime_ns;
    uint64_t tsc_khz;
} system_info_t;

/* Clocks for clock_get. */
#define CLOCK_MONOTONIC_NS 0
#define CLOCK_REALTIME_NS  1

#endif
