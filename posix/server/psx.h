/*
 * The POSIX server: its records and the functions its files share.
 *
 * A POSIX process is an executive process of personality posix whose
 * system calls arrive here as messages (IPC_LABEL_SYSCALL) and whose faults
 * and interrupt upcalls arrive here too (this server is its exception
 * port). A POSIX pid is the id of the executive process that carries it;
 * a main thread's tid is its pid, another thread's tid is its executive
 * thread id (the executive numbers processes and threads from one counter,
 * so the two never meet). A vfork child (CLONE_VM) runs on a thread
 * borrowed from its parent's process, sharing its memory, until it execs
 * into its own process (which exists, empty, from the start) or exits.
 *
 * The server is single-threaded and event-driven: a call that must wait
 * (a pipe read, wait4, a futex, a sleep) keeps its reply token in the
 * thread record and is re-run when something it waits for changes
 * (MINIX's suspend/revive), or ends at its deadline.
 */
#ifndef PSX_H
#define PSX_H

#include "linux.h"
#include <native/file.h>
#include <native/runtime.h>
#include <native/server.h>
#include <stdbool.h>

#define PSX_MAX_FDS  1024
#define PSX_PATH_MAX 4096
#define PSX_DEFER    (-100000l) /* a handler's "answer later" */

/* A message about something unsupported, printed the first time this
 * place is reached only (a program may ask again and again). */
#define PSX_SAY_ONCE(...)        \
    do {                         \
        static bool said_;       \
        if (!said_) {            \
            said_ = true;        \
            printf(__VA_ARGS__); \
        }                        \
    } while (0)
#define MS 1000000ull

struct psx_proc;
struct psx_thread;
struct psx_file;

/* What a file description can do; NULL members mean "not on this kind". */
typedef struct psx_file_ops {
    const char *name;
    long (*read)(struct psx_file *f, struct psx_thread *t, uint64_t buf, size_t len, int64_t off);
    long (*write)(struct psx_file *f, struct psx_thread *t, uint64_t buf, size_t len, int64_t off);
    long (*stat)(struct psx_file *f, l_stat_t *st);
    long (*ioctl)(struct psx_file *f, struct psx_thread *t, uint64_t cmd, uint64_t arg);
    /* poll: L_POLL* bits ready now */
    int (*poll)(struct psx_file *f);
    void (*close)(struct psx_file *f);
    bool seekable;
} psx_file_ops_t;

/* An open file description (shared by dup and fork). */
typedef struct psx_file {
    int refs;
    const psx_file_ops_t *ops;
    uint32_t flags; /* L_O_ACCMODE | L_O_APPEND | L_O_NONBLOCK */
    uint64_t offset;
    file_t file; /* regular files and directories (file server) */
    bool is_dir;
    char *path; /* absolute path it was opened by (fchdir, /proc/self/fd) */
    struct pipe *pipe;
    uint8_t *data; /* synthesized content: /proc files */
    size_t size;
    uint64_t dir_cookie;
    uint8_t *dirbuf; /* entries fetched from the file server, not yet given out */
    size_t dirbuf_len, dirbuf_pos;
    bool dir_done;
    bool dir_extras;        /* "/": dev and proc given out before the server's names */
    uint64_t fifo_partners; /* a FIFO end: the other side's opens when it opened */
} psx_file_t;

/* Shared memory: the section behind MAP_SHARED mappings. A file's is one
 * for all processes (found by device and inode) and is, while it exists,
 * the file's contents as read() and write() see them; an anonymous one
 * belongs to one mmap and its copies in forked children. */
typedef struct psx_shm {
    struct psx_shm *next; /* in the table of files' sections */
    bool is_file;
    uint64_t dev, ino;
    handle_t section;
    uint8_t *view; /* a file's section, mapped in this server */
    uint64_t size; /* bytes, a page multiple */
    int refs;      /* mappings (psx_vma_t) using it */
} psx_shm_t;

/* A mapping made by mmap, as the process sees it: the list that munmap,
 * mprotect, mremap, msync and madvise keep and consult. */
typedef struct psx_vma {
    struct psx_vma *next; /* by address */
    uint64_t start, end;
    uint32_t prot; /* L_PROT_* */
    bool shared;
    bool may_write;        /* a shared file mapping whose file is open for writing */
    struct psx_file *file; /* file mappings: a reference */
    uint64_t off;          /* file (or anonymous section) offset of start */
    uint64_t eof;          /* file mappings: the file's size at mmap, page-rounded;
                            * pages at or past it raise SIGBUS */
    psx_shm_t *shm;        /* shared mappings */
} psx_vma_t;

typedef struct psx_fd {
    psx_file_t *file; /* NULL: free */
    bool cloexec;
} psx_fd_t;

enum psx_wait_kind {
    W_NONE,
    W_PIPE,  /* on a pipe's readers or writers */
    W_CHILD, /* wait4/waitid */
    W_FUTEX,
    W_SLEEP,
    W_TTY,
    W_POLL,
    W_SIGNAL,  /* rt_sigsuspend, pause */
    W_VFORK,   /* parent of a vfork child */
    W_SIGWAIT, /* rt_sigtimedwait: for a signal of the set in call.a[4] */
};

/* A queued real-time signal. */
typedef struct psx_sigq {
    struct psx_sigq *next;
    l_siginfo_t info;
} psx_sigq_t;

typedef struct psx_call {
    uint64_t nr;
    uint64_t a[6];
    uint64_t token;
    uint64_t progress; /* bytes a call that waits has done so far */
} psx_call_t;

typedef struct psx_thread {
    struct psx_thread *next;      /* in its process */
    struct psx_thread *hash_next; /* in psx.by_ktid */
    struct psx_thread *wait_next; /* on whatever it waits on */
    struct psx_proc *proc;
    uint64_t tid;  /* POSIX */
    uint64_t ktid; /* the executive thread's id */
    handle_t th;
    uint64_t sigmask;
    uint64_t pending;
    l_siginfo_t siginfo[L_SIGRTMIN]; /* of each pending standard signal */
    psx_sigq_t *rtq;                 /* pending real-time signals, in order */
    l_stack_t altstack;
    uint64_t clear_child_tid;
    /* A call in progress (token != 0 while the thread waits for a reply). */
    psx_call_t call;
    enum psx_wait_kind wait;
    uint64_t deadline;     /* monotonic ns, 0 = none */
    uint64_t futex_key[2]; /* what a futex wait waits on (futex_key) */
    const void *wait_obj;  /* what it waits on (a pipe), for psx_wake */
    bool interrupted;      /* a signal ended the wait */
    bool restart;          /* an interrupted call (call.nr) a SA_RESTART handler repeats */
    bool has_restore_mask; /* rt_sigsuspend: the mask to return to */
    uint64_t restore_mask;
    bool exiting;
    psx_file_t *pending_open; /* a FIFO end whose open waits for the other side */
} psx_thread_t;

enum psx_state { P_ALIVE = 1, P_ZOMBIE = 2 };

typedef struct psx_proc {
    struct psx_proc *next; /* all processes */
    uint64_t pid, ppid, pgid, sid;
    handle_t proc; /* the executive process that is this POSIX process */
    /* Its memory: proc, or while it runs on a borrowed thread (vfork),
     * another handle to the lender's process. */
    handle_t mem;
    uint64_t mem_id;         /* the executive process id of mem */
    struct psx_proc *lender; /* NULL unless borrowing */
    enum psx_state state;
    int wait_status; /* as wait4 encodes it */
    psx_thread_t *threads;
    psx_fd_t fds[PSX_MAX_FDS];
    char cwd[PSX_PATH_MAX];
    char exe[PSX_PATH_MAX];
    char comm[16];
    char *cmdline;
    size_t cmdline_len;
    uint32_t umask;
    l_sigaction_t actions[L_NSIG + 1];
    uint64_t brk_start, brk_end; /* program break */
    uint64_t mmap_hint;
    psx_vma_t *vmas;            /* its mmap mappings (none while it borrows memory) */
    psx_thread_t *vfork_parent; /* a parent thread waiting for this vfork child */
    bool reaped;
    /* Job control: stopped by a signal; changes a waiting parent has not
     * yet been told of (wait4 WUNTRACED / WCONTINUED). */
    bool stopped, stop_unreported, cont_unreported;
    int stop_sig;
    uint64_t cpu_ns;                /* CPU time used, once it has ended (wait4's rusage) */
    uint64_t children_cpu_ns;       /* of its children that it has waited for */
    bool subreaper;                 /* PR_SET_CHILD_SUBREAPER */
    bool no_ctty;                   /* a new session has no controlling terminal (setsid) */
    bool execed;                    /* has run execve since fork (setpgid by its parent: EACCES) */
    int nice;                       /* -20..19: kept and reported, not yet used */
    uint32_t persona;               /* personality(2): PER_LINUX and its flags */
    uint64_t alarm_at, alarm_every; /* ITIMER_REAL: monotonic ns, 0 = off */
    l_rlimit_t rlimits[L_RLIMIT_NLIMITS];
    uint64_t start_ns;
} psx_proc_t;

#define PSX_KTID_HASH 256

typedef struct psx {
    server_t srv;
    handle_t port;
    psx_proc_t *procs;
    psx_thread_t *by_ktid[PSX_KTID_HASH];
    uint64_t boot_ns;
    bool tty_watched;
    /* Hints for the loop's timeout, so that it looks at every process and
     * thread only when some alarm or timed wait may be set. */
    bool alarms_armed;
    bool timed_waits;
} psx_t;

extern psx_t psx;

/* ---- processes (proc.c) ---- */
psx_proc_t *psx_find_proc(uint64_t pid);
psx_thread_t *psx_find_thread(psx_proc_t *p, uint64_t tid);
/* The thread record of an executive thread (of a live process). */
psx_thread_t *psx_thread_by_ktid(uint64_t ktid);
/* A record for executive thread th of p; main: its tid is the pid. */
psx_thread_t *psx_thread_new(psx_proc_t *p, handle_t th, bool main);
void psx_thread_free(psx_thread_t *t);
/* Gives t's new executive thread th (exec out of a borrowed thread). */
void psx_thread_rebind(psx_thread_t *t, handle_t th);
/* Tells the executive the answers to p's id calls (getpid and the like),
 * which its threads then get without a message; after every change. */
void psx_publish_ids(psx_proc_t *p);
psx_proc_t *psx_proc_new(uint64_t pid, handle_t proc);
/* The process ended (exit_group, a fatal signal, or killed from outside). */
void psx_proc_exited(psx_proc_t *p, int wait_status);
void psx_reap(psx_proc_t *p);
void psx_collect_garbage(void);
long psx_spawn(const char *path, const char *cwd, char *const *argv, char *const *envp,
               uint64_t parent_pid, psx_proc_t **out);
void psx_check_dead(void);

/* ---- replies and waiting (main.c) ---- */
/* Ends t's call with value (delivering pending signals first). */
void psx_complete(psx_thread_t *t, long value);
/* Re-runs the call of every thread waiting on kind (and, for futex, addr). */
void psx_wake(enum psx_wait_kind kind, const void *object);
/* Re-runs t's waiting call. */
void psx_wake_thread(psx_thread_t *t);
uint64_t psx_now(void);
long psx_dispatch(psx_thread_t *t);

/* ---- user memory (uaccess.c) ---- */
long psx_read(psx_proc_t *p, uint64_t addr, void *buf, size_t len);
long psx_write(psx_proc_t *p, uint64_t addr, const void *buf, size_t len);
/* A NUL-terminated string of at most max bytes (ENAMETOOLONG beyond). */
long psx_read_string(psx_proc_t *p, uint64_t addr, char *buf, size_t max);
long psx_errno(long status); /* Persona status -> -errno */

/* ---- files (fd.c, vfile.c, pipe.c, tty.c, dev.c) ---- */
psx_file_t *psx_file_new(const psx_file_ops_t *ops, uint32_t flags);
void psx_file_ref(psx_file_t *f);
void psx_file_unref(psx_file_t *f);
psx_file_t *psx_fd_get(psx_proc_t *p, long fd);
/* Descriptors may be numbered below this: RLIMIT_NOFILE, at most PSX_MAX_FDS. */
long psx_fd_limit(const psx_proc_t *p);
/* The lowest free number >= min for f (-EMFILE when none is below the limit). */
long psx_fd_install(psx_proc_t *p, psx_file_t *f, long min, bool cloexec);
long psx_fd_close(psx_proc_t *p, long fd);
void psx_fds_copy(psx_proc_t *to, psx_proc_t *from);
void psx_fds_close_on_exec(psx_proc_t *p);
void psx_fds_close_all(psx_proc_t *p);
long psx_path(psx_proc_t *p, long dirfd, uint64_t upath, char *out, bool empty_ok);
long psx_open_path(psx_proc_t *p, const char *path, uint32_t flags, uint32_t mode,
                   psx_file_t **out);
psx_file_t *psx_tty_open(void);
/* The terminal's foreground process group (TIOCSPGRP), 0 if never set. */
uint64_t psx_tty_foreground(void);
/* The next batch of a directory's entries into f->dirbuf (PSX_DIRBUF
 * bytes): a made-up directory's, "/"'s made-up names, or the file
 * server's. Its length, 0 at the end, or -errno. */
#define PSX_DIRBUF 16384
long psx_dir_fetch(psx_file_t *f);
/* A file system as Linux would name it: type is a Persona statfs type
 * ("ramfs", "fat16"...) or a tree made up here ("proc", "devtmpfs"). */
typedef struct psx_fs_kind {
    const char *type, *linux_name;
    int64_t magic; /* statfs f_type */
} psx_fs_kind_t;
const psx_fs_kind_t *psx_fs_kind(const char *type);
/* Is path in a tree this server makes up (/proc, /dev)? */
bool psx_made_up_path(const char *path);
/* readlink() of /proc links: 1 if path is one (*len: its length or -errno). */
int psx_proc_readlink(psx_proc_t *p, const char *path, char *buf, size_t size, long *len);
void psx_tty_input_ready(void);
extern const psx_file_ops_t psx_pipe_ops_r, psx_pipe_ops_w;
long psx_pipe_create(psx_file_t **r, psx_file_t **w, uint32_t flags);
/* An end of the named pipe of FIFO node (opened on its file server) for
 * flags' access: ENXIO for O_WRONLY | O_NONBLOCK without a reader. */
long psx_fifo_open(const file_t *node, uint32_t flags, psx_file_t **out);
/* Must the open of this end wait for the other side? */
bool psx_fifo_must_wait(const psx_file_t *f);
void psx_attr_to_stat(const pfs_attr_t *a, l_stat_t *st);

/* ---- signals (signal.c) ---- */
/* A siginfo with signo, code and the sender's pid (SI_USER and the like). */
l_siginfo_t psx_siginfo(int sig, int code, uint64_t pid);
/* Makes a signal pending for t (or p): -EAGAIN if the queue is full. */
long psx_signal_thread(psx_thread_t *t, const l_siginfo_t *info);
long psx_signal_proc(psx_proc_t *p, const l_siginfo_t *info);
/* Sends sig from the system (SI_KERNEL). */
void psx_signal_kernel(psx_proc_t *p, int sig);
/* Job control: all of p's threads stop, or go on; the parent hears. */
void psx_proc_stop(psx_proc_t *p, int sig);
void psx_proc_continue(psx_proc_t *p);
/* Takes the lowest pending signal of set off t's pending set. */
int psx_dequeue_signal(psx_thread_t *t, uint64_t set, l_siginfo_t *out);
/* Drops every pending instance of sig (now ignored). */
void psx_discard_signal(psx_thread_t *t, int sig);
/* Builds a signal frame for the lowest pending unblocked signal of t, if
 * any, taking the interrupted registers from ctx (rax = result). Returns
 * true if t will enter a handler; false if none, or the process died. */
bool psx_deliver(psx_thread_t *t, thread_context_t *ctx);
bool psx_signal_pending(psx_thread_t *t);
long psx_sigreturn(psx_thread_t *t);
/* The default action of an unhandled fault kills the process. */
void psx_fault(psx_thread_t *t, unsigned vector, uint64_t error, uint64_t addr, uint64_t token);

/* ---- futexes (sys_misc.c) ---- */
/* Wakes up to n waiters on the futex word at addr of p (private: only in
 * p's memory; else also through shared mappings); returns how many. */
long psx_futex_wake(psx_proc_t *p, uint64_t addr, bool private, long n);

/* ---- exec and memory (exec.c, mem.c) ---- */
long psx_exec(psx_thread_t *t, const char *path, char **argv, char **envp);
long psx_brk(psx_proc_t *p, uint64_t addr);

/* ---- mappings (vma.c) ---- */
/* Whose mapping list describes p's memory: the lender's while p borrows. */
psx_proc_t *psx_vm_owner(psx_proc_t *p);
/* L_PROT_* -> the executive's PROT_*. */
unsigned psx_vm_prot(uint64_t prot);
psx_vma_t *psx_vma_find(psx_proc_t *o, uint64_t addr);
/* Adds a copy of v (taking its own references); [start, end) must be free. */
long psx_vma_insert(psx_proc_t *o, const psx_vma_t *v);
/* Splits the mappings so that none crosses addr. */
long psx_vma_split(psx_proc_t *o, uint64_t addr);
/* Forgets the mappings in [start, end), writing shared file pages back
 * first if writeback. */
void psx_vma_remove(psx_proc_t *o, uint64_t start, uint64_t end, bool writeback);
/* exit, execve: every mapping goes (shared file pages written back). */
void psx_vma_drop_all(psx_proc_t *o);
/* fork: the child gets the same list. */
long psx_vma_copy(psx_proc_t *to, psx_proc_t *from);
/* Writes [start, end) of shared file mapping v back to the file (not
 * beyond the file's end). */
long psx_vma_writeback(psx_vma_t *v, uint64_t start, uint64_t end);
/* Is addr in a page of a file mapping that lies past the file's end? */
bool psx_vma_past_eof(psx_proc_t *o, uint64_t addr);
/* An anonymous shared section of size bytes (one reference). */
long psx_shm_anon(uint64_t size, psx_shm_t **out);
/* The shared section of f covering at least its first size bytes (one
 * reference): found, grown, or made and filled from the file. */
long psx_shm_file(psx_file_t *f, uint64_t size, psx_shm_t **out);
void psx_shm_unref(psx_shm_t *s);
/* read() and write() of a file that has a shared section go through it:
 * reads see the section's bytes, writes update them. */
void psx_shm_read(psx_file_t *f, uint64_t off, void *buf, size_t len);
void psx_shm_written(psx_file_t *f, uint64_t off, const void *buf, size_t len);
/* A file (f, or the one at path) was truncated to size: its section reads
 * zero beyond. */
void psx_shm_truncated(psx_file_t *f, uint64_t size);
void psx_shm_truncated_path(const char *path, uint64_t size);
/* Reads f at off as read() would (through its shared section). */
long psx_file_pread(psx_file_t *f, uint64_t off, void *buf, size_t len);
extern const psx_file_ops_t psx_file_ops;

/* ---- interval timers (sys_misc.c) ---- */
/* Sends SIGALRM for every ITIMER_REAL that is due; returns the next
 * deadline (0: none). */
uint64_t psx_run_alarms(void);

typedef long (*psx_syscall_fn)(psx_thread_t *t, psx_call_t *c);
extern const psx_syscall_fn psx_syscalls[];
extern const char *const psx_syscall_names[];
extern const unsigned psx_nsyscalls;
extern const bool psx_syscall_quick[];

#endif
