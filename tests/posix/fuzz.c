/*
 * fuzz: random, type-aware Linux system calls, to prove that nothing a
 * program passes can crash, hang or corrupt the system that serves it
 * (in Persona, the POSIX server, whose crash would end every POSIX
 * process).
 *
 *   fuzz [CALLS [SEED [-v]]]   (defaults: 10000 calls, seed 1; -v: say why
 *                              each worker that did not finish ended)
 *
 * A supervisor forks worker processes, one after another; worker n uses
 * seed SEED + n and makes up to WORKER_CALLS calls, then exits. Each call
 * has a number (mostly from the table below, sometimes any number in and
 * out of range, negative or with high bits set) and arguments made for
 * their types: file descriptors (valid ones of every kind, closed, huge,
 * negative), pointers (good, NULL, unmapped, misaligned, read-only, code,
 * the kernel half, non-canonical, running off the end of a mapping or of
 * user space), lengths (zero, small, page-sized, huge), flags, paths
 * (good, missing, long, unterminated), and structures filled with random
 * contents (iovecs, timespecs, sigactions, signal sets, pollfds, fd_sets,
 * rlimits, argv arrays, clone_args). A worker that a signal kills (its own
 * doing: a bad handler, a mapping over its code) or that stops making
 * calls is normal: the supervisor kills what is left of it and starts the
 * next one until CALLS calls are made. At the end the supervisor checks
 * that what it set up before the run still works: its pid and parent, a
 * pipe, a file and its contents; in Persona a crashed server would have
 * ended the supervisor itself.
 *
 * What is left out, because it would harm the test or the host rather
 * than exercise the system, is chosen in fuzz_one() and says why there:
 * signals only go to the worker's own processes (never kill(-1), never the
 * supervisor); paths that change things stay in the worker's scratch
 * directory (symbolic links point inside it, chdir is undone); execve only
 * gets paths that cannot run; mappings with MAP_FIXED, munmap, mprotect,
 * mremap and madvise mostly stay in a region set aside for them; children
 * are capped (a worker forks at most MAX_CHILDREN, which fork no further
 * and exit after a few calls; vfork and CLONE_VM children, threads among
 * them, make a few calls planned in advance, from registers only, and
 * exit); no
 * namespaces; arch_prctl(ARCH_SET_FS) only rarely (it breaks the
 * worker's TLS); the terminal is only given to calls that do not read or
 * write it. A timer signal (SIGALRM every 20 ms, restored after every call
 * that could change it) ends calls that would wait for ever.
 *
 * On the host's Linux it runs the same seeds, but never as root: as root
 * it drops to user nobody first, and calls that reach beyond the process
 * (sockets, System V IPC, keys, ptrace, mounts, module and admin calls,
 * fallocate, unknown numbers) are counted but not made. Its resources are
 * limited there too (address space, file size, processes).
 *
 * For long runs:  ./persona run build/tests/posix/fuzz 1000000 7
 */
#define _GNU_SOURCE
#include "check.h"
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>

#define WORKER_CALLS 1500
#define MAX_CHILDREN 12
#define CHILD_CALLS  24
#define SCRATCH_N    (16 * 4096ul)
#define REGION_N     (256 * 4096ul)
#define STUCK_NS     1500000000ll
#define NPOOL        24

typedef struct shared {
    volatile uint64_t calls;
    volatile uint64_t skipped;
    volatile uint64_t last[7];        /* the worker's last call: number, arguments */
    volatile uint64_t history[32][2]; /* its calls before: number, result */
    volatile uint64_t nhistory;
} shared_t;

static bool verbose;

static shared_t *shared;
static uint64_t rng;
static bool on_host;
static int depth;        /* 0: the worker; 1: a child of it */
static int children;     /* forked so far by this worker */
static long budget;      /* calls left for a child */
static pid_t worker_pid; /* the worker's pid (its process group) */
static pid_t child_pids[MAX_CHILDREN];
static uint8_t *scratch;  /* SCRATCH_N bytes, read-write, then a guard page */
static uint8_t *rdonly;   /* a read-only page */
static uint8_t *region;   /* REGION_N bytes for mmap and friends to play in */
static char workdir[600]; /* the worker's scratch directory, absolute */
static int pool[NPOOL];
static int recent[8]; /* descriptors the fuzzed calls made */

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t below(uint64_t n)
{
    return next() % n;
}

static bool one_in(uint64_t n)
{
    return below(n) == 0;
}

#define PICK(arr) ((arr)[below(sizeof(arr) / sizeof((arr)[0]))])

/* ---- argument makers ---- */

static uint64_t scratch_at(size_t size)
{
    return (uint64_t)scratch + below(SCRATCH_N - size + 1);
}

static uint64_t any_pointer(void)
{
    static const uint64_t odd[] = {0,
                                   1,
                                   8,
                                   0x1000,
                                   0x10000,
                                   0x0000500000000000ull,
                                   0x00007ffffffff000ull - 8,
                                   0x00007ffffffffff0ull,
                                   0x00007fffffffffffull,
                                   0x0000800000000000ull,
                                   0x8000000000000000ull,
                                   0xffff800000000000ull,
                                   0xffffffff80100000ull,
                                   ~0ull};

    switch (below(16)) {
    case 0:
    case 1:
        return PICK(odd);
    case 2:
        return next();
    case 3: /* runs into the guard page */
        return (uint64_t)scratch + SCRATCH_N - below(64);
    case 4:
        return (uint64_t)rdonly + below(4096);
    case 5: /* code */
        return (uint64_t)(uintptr_t)&next + below(256);
    case 6:
        return (uint64_t)region + below(REGION_N);
    default:
        return scratch_at(0) & (one_in(4) ? ~0ull : ~7ull);
    }
}

/* A good pointer to size bytes in scratch, or sometimes a bad one. */
static uint64_t struct_pointer(size_t size, void **out)
{
    uint64_t p;

    if (one_in(6)) {
        *out = NULL;
        return any_pointer();
    }
    p = scratch_at(size) & ~7ull;
    *out = (void *)(uintptr_t)p;
    return p;
}

static uint64_t any_length(void)
{
    static const uint64_t odd[] = {0,          1,          7,           8,          16,
                                   4095,       4096,       4097,        65536,      1ull << 20,
                                   1ull << 30, 1ull << 31, 1ull << 32,  1ull << 47, 1ull << 62,
                                   1ull << 63, ~0ull,      ~0ull - 4095};

    switch (below(4)) {
    case 0:
        return PICK(odd);
    case 1:
        return below(SCRATCH_N);
    default:
        return below(512);
    }
}

static uint64_t any_word(void)
{
    switch (below(5)) {
    case 0:
        return next();
    case 1:
        return below(16);
    case 2:
        return any_length();
    case 3:
        return (uint64_t)(int64_t) - (int64_t)below(8);
    default:
        return any_pointer();
    }
}

static uint64_t small_int(void)
{
    return one_in(8) ? next() : one_in(2) ? below(4) : below(70);
}

/* The terminal (Persona only), at a number no other maker gives out:
 * only ioctl gets it, so that nothing random is read from or written to
 * the console. */
#define TTY_FD 900
static bool have_tty;

static uint64_t any_fd(void)
{
    static const uint64_t odd[] = {(uint64_t)-1,   (uint64_t)-100 /* AT_FDCWD */,
                                   1023,           1024,
                                   65535,          0x7fffffff,
                                   0x80000000,     0xffffffff,
                                   0x100000003ull, 3};

    switch (below(10)) {
    case 0:
        return PICK(odd);
    case 1:
        return recent[below(8)];
    case 2:
        return below(40);
    default:
        return (uint64_t)(int64_t)pool[below(NPOOL)];
    }
}

static uint64_t dir_fd(void)
{
    switch (below(4)) {
    case 0:
        return (uint64_t)-100; /* AT_FDCWD */
    case 1:
        return (uint64_t)(int64_t)pool[2]; /* the scratch directory */
    default:
        return any_fd();
    }
}

/* Fills p with a NUL-terminated string, or not. */
static uint64_t put_string(const char *s, bool terminate)
{
    size_t n = strlen(s) + (terminate ? 1 : 0);
    uint8_t *p = scratch + SCRATCH_N - 4096 - 8192 + below(4096) - n;

    memcpy(p, s, n);
    return (uint64_t)(uintptr_t)p;
}

/* Names in the worker's directory (its cwd, and the directory of pool[2]). */
static const char *const names[] = {"f0",    "f1",    "d0",    "d0/f2",  "d0/d1",  "fifo",
                                    "sym",   "sym2",  "none",  "none/x", "f0/x",   "",
                                    ".",     "d0/..", "./f0",  "d0//f2", "f0/",    "d0/d1/",
                                    "sym/x", "loop",  "loop/", "f1",     "d0/d1/y"};

/* Paths for calls that only look. */
static const char *const looks[] = {"/",
                                    "/dev/null",
                                    "/dev/zero",
                                    "/dev",
                                    "/proc",
                                    "/proc/self",
                                    "/proc/self/fd",
                                    "/proc/self/fd/3",
                                    "/proc/self/fd/999",
                                    "/proc/self/exe",
                                    "/proc/self/stat",
                                    "/proc/self/cmdline",
                                    "/proc/1/stat",
                                    "/proc/999999/stat",
                                    "/proc/mounts",
                                    "/nonexistent/x",
                                    "..",
                                    "/..//../proc/./self"};

static uint64_t bad_path(void)
{
    static char longname[5000];

    switch (below(5)) {
    case 0: /* one component too long */
        memset(longname, 'a', 300);
        longname[300] = 0;
        return put_string(longname, true);
    case 1: /* a path too long */
        for (int i = 0; i < 4500; i++)
            longname[i] = i % 2 ? '/' : 'd';
        longname[4500] = 0;
        return put_string(longname, true);
    case 2: { /* unterminated, up to the guard page */
        uint8_t *p = scratch + SCRATCH_N - 1 - below(300);
        memset(p, 'x', (size_t)(scratch + SCRATCH_N - p));
        return (uint64_t)(uintptr_t)p;
    }
    case 3: /* exactly PATH_MAX and around */
        memset(longname, 'b', 4097);
        longname[4094 + below(4)] = 0;
        return put_string(longname, true);
    default:
        return any_pointer();
    }
}

/* A path that a call may change things at: in the worker's directory. */
static uint64_t change_path(void)
{
    char buf[700];

    if (one_in(8))
        return bad_path();
    if (one_in(3)) {
        snprintf(buf, sizeof buf, "%s/%s", workdir, PICK(names));
        return put_string(buf, true);
    }
    return put_string(PICK(names), true);
}

static uint64_t look_path(void)
{
    if (one_in(3))
        return put_string(PICK(looks), true);
    return change_path();
}

static uint64_t open_flags(void)
{
    static const uint64_t common[] = {O_RDONLY,
                                      O_WRONLY,
                                      O_RDWR,
                                      O_RDWR | O_CREAT,
                                      O_WRONLY | O_CREAT | O_TRUNC,
                                      O_RDWR | O_CREAT | O_EXCL,
                                      O_RDONLY | O_DIRECTORY,
                                      O_RDONLY | O_NONBLOCK,
                                      O_WRONLY | O_NONBLOCK,
                                      O_RDWR | O_APPEND,
                                      O_PATH,
                                      O_RDONLY | O_NOFOLLOW,
                                      O_WRONLY | O_CREAT | O_CLOEXEC,
                                      O_TMPFILE | O_RDWR,
                                      3};

    uint64_t f = one_in(4) ? next() & 0xffffffffu : PICK(common);
    return one_in(16) ? f | O_NONBLOCK : f;
}

static uint64_t any_mode(void)
{
    return one_in(4) ? next() : one_in(2) ? 0644 : below(010000);
}

static uint64_t safe_pid(void)
{
    /* Never -1, never the supervisor or its group: only the worker's own
     * processes, its group, and numbers that name nobody. */
    switch (below(8)) {
    case 0:
        return 0;
    case 1:
    case 2:
        return (uint64_t)(int64_t)getpid();
    case 3:
        return children ? (uint64_t)(int64_t)child_pids[below((uint64_t)children)]
                        : (uint64_t)(int64_t)worker_pid;
    case 4:
        return (uint64_t)(int64_t)-worker_pid;
    case 5:
        return PICK(((const uint64_t[]){0x7ffffff0, 0x80000000u, (uint64_t)(int64_t)INT32_MIN,
                                        0x100000000ull + 1, 99999999}));
    case 6:
        return (uint64_t)(int64_t)worker_pid;
    default:
        return (uint64_t)-1 - 0x40000000; /* a negative group nobody has */
    }
}

static uint64_t any_signal(void)
{
    static const int mild[] = {0,       SIGUSR1, SIGUSR2, SIGCHLD, SIGCONT, SIGWINCH, SIGURG,
                               SIGALRM, 34,      40,      64,      SIGPIPE, SIGHUP,   SIGTERM,
                               SIGSEGV, SIGSTOP, SIGTSTP, SIGKILL, SIGQUIT};

    if (one_in(8))
        return one_in(2) ? below(80) : next();
    return (uint64_t)PICK(mild);
}

static uint64_t sigset_pointer(bool spare_alarm)
{
    uint64_t *s;
    uint64_t p = struct_pointer(16, (void **)&s);

    if (s) {
        s[0] = one_in(3) ? 0 : one_in(2) ? next() : (1ull << below(64));
        s[1] = next();
        if (spare_alarm)
            s[0] &= ~(1ull << (SIGALRM - 1));
    }
    return p;
}

static uint64_t sigset_size(void)
{
    return one_in(6) ? any_length() : 8;
}

static uint64_t timespec_pointer(void)
{
    struct timespec *ts;
    uint64_t p = struct_pointer(sizeof *ts, (void **)&ts);

    if (ts) {
        ts->tv_sec = one_in(8) ? (time_t)next() : one_in(16) ? 1 : 0;
        ts->tv_nsec = one_in(8) ? (long)next() : (long)below(3000000);
    }
    return p;
}

static uint64_t timeval_pointer(bool interval)
{
    struct timeval *tv;
    uint64_t p = struct_pointer(2 * sizeof *tv, (void **)&tv);

    if (tv) {
        for (int i = 0; i < (interval ? 2 : 1); i++) {
            tv[i].tv_sec = one_in(8) ? (time_t)next() : 0;
            tv[i].tv_usec = one_in(8) ? (long)next() : (long)below(3000);
        }
    }
    return p;
}

static uint64_t iovec_pointer(uint64_t *count)
{
    struct iovec *v;
    uint64_t n = one_in(8) ? any_length() : below(9);
    uint64_t p = struct_pointer(8 * sizeof *v, (void **)&v);

    if (v) {
        for (int i = 0; i < 8; i++) {
            v[i].iov_base = (void *)(uintptr_t)(one_in(4) ? any_pointer() : scratch_at(512));
            v[i].iov_len = one_in(4) ? any_length() : below(512);
        }
    }
    *count = n;
    return p;
}

static uint64_t pollfd_pointer(uint64_t *count)
{
    struct pollfd *v;
    uint64_t n = one_in(8) ? any_length() : below(9);
    uint64_t p = struct_pointer(8 * sizeof *v, (void **)&v);

    if (v) {
        for (int i = 0; i < 8; i++) {
            v[i].fd = (int)any_fd();
            v[i].events = (short)(one_in(4) ? next() : POLLIN | POLLOUT);
            v[i].revents = (short)next();
        }
    }
    *count = n;
    return p;
}

static uint64_t fdset_pointer(void)
{
    uint64_t *s;
    uint64_t p = struct_pointer(128, (void **)&s);

    if (one_in(3))
        return 0;
    if (s) {
        for (int i = 0; i < 16; i++)
            s[i] = one_in(2) ? 0 : one_in(2) ? next() : 0x7fff8;
    }
    return p;
}

void fuzz_restorer(void);
__asm__(".text\n"
        ".globl fuzz_restorer\n"
        "fuzz_restorer:\n"
        "  mov $15, %eax\n"
        "  syscall\n"
        "  hlt\n");

static void on_signal(int sig)
{
    (void)sig;
}

static uint64_t sigaction_pointer(void)
{
    struct {
        uint64_t handler, flags, restorer, mask;
    } * sa;
    uint64_t p = struct_pointer(sizeof *sa, (void **)&sa);

    if (sa) {
        static const uint64_t handlers[] = {0, 1, (uint64_t)(uintptr_t)on_signal,
                                            (uint64_t)(uintptr_t)on_signal};
        sa->handler = one_in(32) ? any_pointer() : PICK(handlers);
        sa->flags = 0x04000000 /* SA_RESTORER */ | (one_in(3) ? next() & 0xfc00000full : 0);
        if (one_in(32))
            sa->flags = next();
        sa->restorer = one_in(32) ? any_pointer() : (uint64_t)(uintptr_t)fuzz_restorer;
        sa->mask = next();
    }
    return p;
}

static uint64_t rlimit_pointer(void)
{
    uint64_t *r;
    uint64_t p = struct_pointer(16, (void **)&r);

    if (r) {
        r[0] = one_in(2) ? ~0ull : any_length();
        r[1] = one_in(2) ? ~0ull : one_in(2) ? r[0] : any_length();
    }
    return p;
}

static uint64_t argv_pointer(void)
{
    uint64_t *v;
    uint64_t p = struct_pointer(8 * 8, (void **)&v);

    if (v) {
        for (int i = 0; i < 8; i++)
            v[i] = one_in(4) ? any_pointer() : look_path();
        v[below(8)] = 0;
    }
    return p;
}

static uint64_t futex_pointer(void)
{
    if (one_in(6))
        return any_pointer();
    return scratch_at(8) & (one_in(8) ? ~0ull : ~3ull);
}

/* An address for mmap and its kind: mostly in the region set aside. */
static uint64_t map_address(void)
{
    if (one_in(32))
        return any_pointer();
    return (uint64_t)region + below(REGION_N / 4096) * 4096 + (one_in(8) ? below(4096) : 0);
}

static bool in_region(uint64_t a, uint64_t len)
{
    return a >= (uint64_t)region && a < (uint64_t)region + REGION_N &&
           len <= (uint64_t)region + REGION_N - a;
}

/* ---- the calls ---- */

/*
 * Argument kinds, one letter each:
 *   f descriptor    d directory descriptor
 *   p buffer        l length      c small count     w any word
 *   i small int     o open flags  m mode            s path to look at
 *   S path to change              P pid             k signal
 *   M signal set    z sigset size A sigaction       t timespec
 *   T timeval pair  a address     u futex word      v iovec, L pollfds (each
 *   with its count in the c that follows)          F fd_set          r rlimit resource
 *   R rlimit        x argv        W wait options    0 zero
 */
static const char *const specs[460] = {
    [SYS_read] = "fpl",
    [SYS_write] = "fpl",
    [SYS_open] = "Som",
    [SYS_close] = "f",
    [SYS_stat] = "sp",
    [SYS_fstat] = "fp",
    [SYS_lstat] = "sp",
    [SYS_poll] = "Lci",
    [SYS_lseek] = "fwi",
    [SYS_mmap] = "aliifw",
    [SYS_mprotect] = "ali",
    [SYS_munmap] = "al",
    [SYS_brk] = "w",
    [SYS_rt_sigaction] = "kApz",
    [SYS_rt_sigprocmask] = "iMpz",
    [SYS_rt_sigreturn] = "",
    [SYS_ioctl] = "fww",
    [SYS_pread64] = "fplw",
    [SYS_pwrite64] = "fplw",
    [SYS_readv] = "fvc",
    [SYS_writev] = "fvc",
    [SYS_access] = "si",
    [SYS_pipe] = "p",
    [SYS_select] = "iFFFT",
    [SYS_sched_yield] = "",
    [SYS_mremap] = "alliw",
    [SYS_msync] = "ali",
    [SYS_mincore] = "alp",
    [SYS_madvise] = "ali",
    [SYS_dup] = "f",
    [SYS_dup2] = "ff",
    [SYS_pause] = "",
    [SYS_nanosleep] = "tp",
    [SYS_getitimer] = "ip",
    [SYS_alarm] = "i",
    [SYS_setitimer] = "iTp",
    [SYS_getpid] = "",
    [SYS_sendfile] = "ffpl",
    [SYS_clone] = "w",
    [SYS_fork] = "",
    [SYS_vfork] = "",
    [SYS_execve] = "sxx",
    [SYS_exit] = "i",
    [SYS_wait4] = "PpWp",
    [SYS_kill] = "Pk",
    [SYS_uname] = "p",
    [SYS_fcntl] = "fiw",
    [SYS_flock] = "fi",
    [SYS_fsync] = "f",
    [SYS_fdatasync] = "f",
    [SYS_truncate] = "Sl",
    [SYS_ftruncate] = "fl",
    [SYS_getdents] = "fpl",
    [SYS_getcwd] = "pl",
    [SYS_chdir] = "s",
    [SYS_fchdir] = "f",
    [SYS_rename] = "SS",
    [SYS_mkdir] = "Sm",
    [SYS_rmdir] = "S",
    [SYS_creat] = "Sm",
    [SYS_link] = "SS",
    [SYS_unlink] = "S",
    [SYS_symlink] = "SS",
    [SYS_readlink] = "spl",
    [SYS_chmod] = "Sm",
    [SYS_fchmod] = "fm",
    [SYS_chown] = "Sww",
    [SYS_fchown] = "fww",
    [SYS_lchown] = "Sww",
    [SYS_umask] = "m",
    [SYS_gettimeofday] = "pp",
    [SYS_getrlimit] = "rp",
    [SYS_getrusage] = "ip",
    [SYS_sysinfo] = "p",
    [SYS_times] = "p",
    [SYS_getuid] = "",
    [SYS_getgid] = "",
    [SYS_setuid] = "w",
    [SYS_setgid] = "w",
    [SYS_geteuid] = "",
    [SYS_getegid] = "",
    [SYS_setpgid] = "PP",
    [SYS_getppid] = "",
    [SYS_getpgrp] = "",
    [SYS_setsid] = "",
    [SYS_setreuid] = "ww",
    [SYS_setregid] = "ww",
    [SYS_getgroups] = "ip",
    [SYS_setgroups] = "ip",
    [SYS_setresuid] = "www",
    [SYS_getresuid] = "ppp",
    [SYS_setresgid] = "www",
    [SYS_getresgid] = "ppp",
    [SYS_getpgid] = "P",
    [SYS_setfsuid] = "w",
    [SYS_setfsgid] = "w",
    [SYS_getsid] = "P",
    [SYS_capget] = "pp",
    [SYS_capset] = "pp",
    [SYS_rt_sigpending] = "pz",
    [SYS_rt_sigtimedwait] = "Mptz",
    [SYS_rt_sigqueueinfo] = "Pkp",
    [SYS_rt_sigsuspend] = "Mz",
    [SYS_sigaltstack] = "pp",
    [SYS_utime] = "Sp",
    [SYS_mknod] = "Sww",
    [SYS_personality] = "w",
    [SYS_statfs] = "sp",
    [SYS_fstatfs] = "fp",
    [SYS_getpriority] = "iP",
    [SYS_setpriority] = "iPw",
    [SYS_sched_setparam] = "Pp",
    [SYS_sched_getparam] = "Pp",
    [SYS_sched_setscheduler] = "Pip",
    [SYS_sched_getscheduler] = "P",
    [SYS_sched_get_priority_max] = "i",
    [SYS_sched_get_priority_min] = "i",
    [SYS_sched_rr_get_interval] = "Pp",
    [SYS_mlock] = "al",
    [SYS_munlock] = "al",
    [SYS_mlockall] = "i",
    [SYS_munlockall] = "",
    [SYS_prctl] = "iwwww",
    [SYS_arch_prctl] = "ip",
    [SYS_setrlimit] = "rR",
    [SYS_sync] = "",
    [SYS_gettid] = "",
    [SYS_readahead] = "fwl",
    [SYS_setxattr] = "Sspli",
    [SYS_lsetxattr] = "Sspli",
    [SYS_fsetxattr] = "fspli",
    [SYS_getxattr] = "sspl",
    [SYS_lgetxattr] = "sspl",
    [SYS_fgetxattr] = "fspl",
    [SYS_listxattr] = "spl",
    [SYS_llistxattr] = "spl",
    [SYS_flistxattr] = "fpl",
    [SYS_removexattr] = "Ss",
    [SYS_lremovexattr] = "Ss",
    [SYS_fremovexattr] = "fs",
    [SYS_tkill] = "Pk",
    [SYS_time] = "p",
    [SYS_futex] = "uiwtuw",
    [SYS_sched_setaffinity] = "Plp",
    [SYS_sched_getaffinity] = "Plp",
    [SYS_set_thread_area] = "p",
    [SYS_get_thread_area] = "p",
    [SYS_io_setup] = "ip",
    [SYS_io_destroy] = "w",
    [SYS_epoll_create] = "i",
    [SYS_getdents64] = "fpl",
    [SYS_set_tid_address] = "p",
    [SYS_restart_syscall] = "",
    [SYS_fadvise64] = "fwli",
    [SYS_timer_create] = "ipp",
    [SYS_timer_settime] = "wipp",
    [SYS_timer_gettime] = "wp",
    [SYS_timer_getoverrun] = "w",
    [SYS_timer_delete] = "w",
    [SYS_clock_gettime] = "ip",
    [SYS_clock_getres] = "ip",
    [SYS_clock_nanosleep] = "iitp",
    [SYS_exit_group] = "i",
    [SYS_epoll_wait] = "fpii",
    [SYS_epoll_ctl] = "fifp",
    [SYS_tgkill] = "PPk",
    [SYS_utimes] = "Sp",
    [SYS_waitid] = "iPpWp",
    [SYS_ioprio_set] = "iPi",
    [SYS_ioprio_get] = "iP",
    [SYS_inotify_init] = "",
    [SYS_inotify_add_watch] = "fsi",
    [SYS_inotify_rm_watch] = "fi",
    [SYS_openat] = "dSom",
    [SYS_mkdirat] = "dSm",
    [SYS_mknodat] = "dSww",
    [SYS_fchownat] = "dSwwi",
    [SYS_futimesat] = "dSp",
    [SYS_newfstatat] = "dspi",
    [SYS_unlinkat] = "dSi",
    [SYS_renameat] = "dSdS",
    [SYS_linkat] = "dSdSi",
    [SYS_symlinkat] = "SdS",
    [SYS_readlinkat] = "dspl",
    [SYS_fchmodat] = "dSmi",
    [SYS_faccessat] = "dsii",
    [SYS_pselect6] = "iFFFtp",
    [SYS_ppoll] = "LctMz",
    [SYS_set_robust_list] = "pl",
    [SYS_get_robust_list] = "Ppp",
    [SYS_splice] = "fpfpli",
    [SYS_tee] = "ffli",
    [SYS_sync_file_range] = "fwli",
    [SYS_vmsplice] = "fvci",
    [SYS_utimensat] = "dSpi",
    [SYS_epoll_pwait] = "fpiiMz",
    [SYS_signalfd] = "fMz",
    [SYS_timerfd_create] = "ii",
    [SYS_eventfd] = "i",
    [SYS_timerfd_settime] = "fipp",
    [SYS_timerfd_gettime] = "fp",
    [SYS_signalfd4] = "fMzi",
    [SYS_eventfd2] = "ii",
    [SYS_epoll_create1] = "i",
    [SYS_dup3] = "ffo",
    [SYS_pipe2] = "po",
    [SYS_inotify_init1] = "i",
    [SYS_preadv] = "fvcww",
    [SYS_pwritev] = "fvcww",
    [SYS_rt_tgsigqueueinfo] = "PPkp",
    [SYS_prlimit64] = "PrRp",
    [SYS_syncfs] = "f",
    [SYS_getcpu] = "ppp",
    [SYS_process_vm_readv] = "Pvcvcw",
    [SYS_process_vm_writev] = "Pvcvcw",
    [SYS_kcmp] = "Piww",
    [SYS_sched_setattr] = "Ppi",
    [SYS_sched_getattr] = "Ppli",
    [SYS_renameat2] = "dSdSi",
    [SYS_seccomp] = "iip",
    [SYS_getrandom] = "pli",
    [SYS_memfd_create] = "si",
    [SYS_execveat] = "dsxxi",
    [SYS_membarrier] = "ii",
    [SYS_mlock2] = "ali",
    [SYS_copy_file_range] = "fpfpli",
    [SYS_preadv2] = "fvcwwi",
    [SYS_pwritev2] = "fvcwwi",
    [SYS_pkey_mprotect] = "alii",
    [SYS_pkey_alloc] = "ii",
    [SYS_pkey_free] = "i",
    [SYS_statx] = "dsiip",
    [SYS_rseq] = "plii",
    [424] = "fkpi",   /* pidfd_send_signal */
    [434] = "Pi",     /* pidfd_open */
    [435] = "pl",     /* clone3 */
    [436] = "ffi",    /* close_range */
    [437] = "dSpl",   /* openat2 */
    [438] = "Pfi",    /* pidfd_getfd */
    [439] = "dsii",   /* faccessat2 */
    [440] = "fvcii",  /* process_madvise */
    [441] = "fpiitz", /* epoll_pwait2 */
    [447] = "i",      /* memfd_secret */
    [452] = "dSmi",   /* fchmodat2 */
};

/* Calls that may reach beyond the worker on the host (network, System V
 * IPC, keys, tracing, mounts, modules, administration) or fill its disk:
 * made only in Persona. Unknown numbers are not made on the host either. */
static bool host_unsafe(uint64_t nr)
{
    switch (nr) {
    case SYS_fallocate:
    case SYS_ptrace:
    case SYS_process_vm_readv:
    case SYS_process_vm_writev:
    case SYS_kcmp:
    case SYS_sync:
    case SYS_syncfs:
    case SYS_unshare:
    case SYS_setns:
    case SYS_clock_settime:
    case SYS_settimeofday:
    case SYS_clock_adjtime:
    case SYS_adjtimex:
    case SYS_seccomp:
    case SYS_userfaultfd:
    case 447: /* memfd_secret */
        return true;
    default:
        return nr >= sizeof(specs) / sizeof(specs[0]) || !specs[nr];
    }
}

static bool enosys[460];

static uint64_t pick_number(void)
{
    static const uint64_t odd[] = {(uint64_t)-1, (uint64_t)-2,          0x7fffffff,
                                   0x80000000,   0x40000000 + 1,        0x100000000ull,
                                   1000,         0xffffffff00000001ull, 0x100000000ull + 39};

    switch (below(32)) {
    case 0:
        return PICK(odd);
    case 1:
        return below(1024);
    case 2:
    case 3:
    case 4:
        return below(460);
    default:
        /* Mostly calls that the system has: once one says ENOSYS, it is
         * picked again only now and then. */
        for (;;) {
            uint64_t nr = below(460);
            if (specs[nr] && (!enosys[nr] || one_in(16)))
                return nr;
        }
    }
}

static uint64_t make_arg(char kind, uint64_t *a, int i)
{
    switch (kind) {
    case 'f':
        return any_fd();
    case 'd':
        return dir_fd();
    case 'p':
        return any_pointer();
    case 'l':
        return any_length();
    case 'c':
        return below(10);
    case 'w':
        return any_word();
    case 'i':
        return small_int();
    case 'o':
        return open_flags();
    case 'm':
        return any_mode();
    case 's':
        return look_path();
    case 'S':
        return change_path();
    case 'P':
        return safe_pid();
    case 'k':
        return any_signal();
    case 'M':
        return sigset_pointer(true);
    case 'z':
        return sigset_size();
    case 'A':
        return sigaction_pointer();
    case 't':
        return timespec_pointer();
    case 'T':
        return timeval_pointer(true);
    case 'a':
        return map_address();
    case 'u':
        return futex_pointer();
    case 'v':
        return iovec_pointer(&a[i + 1]);
    case 'L':
        return pollfd_pointer(&a[i + 1]);
    case 'F':
        return fdset_pointer();
    case 'r':
        return one_in(8) ? next() : below(17);
    case 'R':
        return rlimit_pointer();
    case 'x':
        return argv_pointer();
    case 'W':
        return one_in(16) ? next() & 0xffffffffu : WNOHANG | (below(4) << 1) | WEXITED;
    default:
        return 0;
    }
}

static long raw6(uint64_t nr, const uint64_t *a)
{
    long r;
    register uint64_t r10 __asm__("r10") = a[3];
    register uint64_t r8 __asm__("r8") = a[4];
    register uint64_t r9 __asm__("r9") = a[5];

    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return r;
}

/*
 * vfork, and clone with CLONE_VM: the child shares our memory and maybe our
 * stack, so it touches neither: it makes the calls of a plan made before
 * (a timer first, so that none of them waits for ever), from registers
 * only, and ends its thread. A CLONE_THREAD child does so beside the
 * worker, in the same process.
 */
#define PLAN_CALLS 8
typedef struct plan {
    uint64_t n;
    uint64_t call[PLAN_CALLS + 1][7];
} plan_t;

static plan_t plans[4], *planning; /* a ring: a running child may still read one */
static unsigned nplans;
static const struct itimerval plan_timer = {{0, 20000}, {0, 20000}};
static long fuzz_one(void);

static long clone_vm(uint64_t nr, const uint64_t *a)
{
    plan_t *plan = &plans[nplans++ % 4];
    uint64_t k = 1 + below(PLAN_CALLS);
    long r;
    register uint64_t r10 __asm__("r10") = a[3];
    register uint64_t r8 __asm__("r8") = a[4];
    register plan_t *r12 __asm__("r12") = plan;

    plan->n = 1;
    plan->call[0][0] = SYS_setitimer;
    plan->call[0][1] = ITIMER_REAL;
    plan->call[0][2] = (uint64_t)(uintptr_t)&plan_timer;
    plan->call[0][3] = 0;
    planning = plan;
    for (int tries = 0; plan->n < k + 1 && tries < 64; tries++)
        fuzz_one();
    planning = NULL;
    __asm__ volatile("syscall\n"
                     "test %%rax, %%rax\n"
                     "jnz 2f\n"
                     "mov (%%r12), %%r13\n"
                     "lea 8(%%r12), %%r14\n"
                     "1:\n"
                     "test %%r13, %%r13\n"
                     "jz 3f\n"
                     "mov 0(%%r14), %%rax\n"
                     "mov 8(%%r14), %%rdi\n"
                     "mov 16(%%r14), %%rsi\n"
                     "mov 24(%%r14), %%rdx\n"
                     "mov 32(%%r14), %%r10\n"
                     "mov 40(%%r14), %%r8\n"
                     "mov 48(%%r14), %%r9\n"
                     "syscall\n"
                     "add $56, %%r14\n"
                     "dec %%r13\n"
                     "jmp 1b\n"
                     "3:\n"
                     "mov $60, %%eax\n"
                     "xor %%edi, %%edi\n"
                     "syscall\n"
                     "hlt\n"
                     "2:\n"
                     : "=a"(r), "+r"(r10), "+r"(r8), "+r"(r12)
                     : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2])
                     : "rcx", "r11", "r9", "r13", "r14", "memory");
    return r;
}

static void guard_timer(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    struct itimerval it = {{0, 20000}, {0, 20000}};
    sigset_t s;

    sigaction(SIGALRM, &sa, NULL);
    sigemptyset(&s);
    sigaddset(&s, SIGALRM);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
}

static void became_child(void)
{
    depth = 1;
    budget = CHILD_CALLS;
    children = 0;
    guard_timer(); /* fork does not keep timers */
}

/* A signal mask a waiting call installs must let the timer's SIGALRM in. */
static void spare_alarm_at(uint64_t p)
{
    if (p >= (uint64_t)scratch && p + 8 <= (uint64_t)scratch + SCRATCH_N) {
        uint64_t m;
        memcpy(&m, (void *)(uintptr_t)p, 8);
        m &= ~(1ull << (SIGALRM - 1));
        memcpy((void *)(uintptr_t)p, &m, 8);
    }
}

/* The worker's call in progress, for the supervisor's report. */
static void note(uint64_t nr, const uint64_t *a)
{
    if (depth > 0)
        return;
    shared->last[0] = nr;
    for (int i = 0; i < 6; i++)
        shared->last[i + 1] = a[i];
}

static long fuzz_one(void)
{
    uint64_t nr = pick_number(), a[6] = {0};
    const char *spec = nr < sizeof(specs) / sizeof(specs[0]) ? specs[nr] : NULL;
    bool fork_like = false, restore_cwd = false, regard = false;
    long r;

    for (int i = 0; i < 6; i++) {
        char kind = spec && i < (int)strlen(spec) ? spec[i] : 0;
        if (!spec)
            a[i] = any_word();
        else if (kind && !(kind == 'c' && i > 0 && (spec[i - 1] == 'v' || spec[i - 1] == 'L')))
            a[i] = make_arg(kind, a, i); /* a count after v or L is theirs */
    }
    if (planning) {
        /* Not in a child that shares our memory: nothing that would leave
         * the group or the directory, or end the plan early. */
        switch (nr) {
        case SYS_exit:
        case SYS_exit_group:
        case SYS_rt_sigreturn:
        case SYS_fork:
        case SYS_vfork:
        case SYS_clone:
        case 435:
        case SYS_chdir:
        case SYS_fchdir:
        case SYS_setsid:
        case SYS_setpgid:
        case SYS_arch_prctl:
        case SYS_prctl:
            return 0;
        default:
            break;
        }
    }
    switch (nr) {
    case SYS_exit:
    case SYS_exit_group:
        if (depth == 0 || !one_in(8))
            return 0; /* would end the worker: rare, and only in children */
        break;
    case SYS_rt_sigreturn:
        if (!one_in(64))
            return 0; /* a garbage frame: usually the end of the worker */
        break;
    case SYS_reboot:
    case SYS_kexec_load:
    case SYS_kexec_file_load:
        return 0;
    case SYS_fork:
    case SYS_vfork:
    case SYS_clone:
    case 435: /* clone3 */
        if (depth > 0 || children >= MAX_CHILDREN)
            return 0;
        fork_like = true;
        note(nr, a);
        if (nr == SYS_vfork) {
            r = clone_vm(nr, a);
            goto done;
        }
        if (nr == SYS_clone) {
            /* Any flags but namespaces; the child's stack and TLS are
             * random, the tid pointers anything. */
            a[0] = (one_in(2) ? SIGCHLD : next() & 0xffffffffu) & ~0x7e020000ull;
            a[1] = one_in(2) ? 0 : any_pointer();
            a[2] = any_pointer();
            a[3] = any_pointer();
            a[4] = any_word();
            if (a[0] & (CLONE_VM | CLONE_VFORK | CLONE_THREAD | CLONE_SIGHAND)) {
                r = clone_vm(nr, a);
                goto done;
            }
        } else if (nr == 435) {
            /* Made without CLONE_VM (the child would run on our stack). */
            uint64_t *ca;
            a[0] = struct_pointer(88, (void **)&ca);
            a[1] = one_in(4) ? any_length() : 88;
            if (!ca && !one_in(8))
                return 0;
            if (ca) {
                for (int i = 0; i < 11; i++)
                    ca[i] = one_in(2) ? 0 : any_word();
                ca[0] = one_in(2) ? 0 : next() & 0xffffffffu;
                ca[0] &= ~(uint64_t)(CLONE_VM | CLONE_VFORK | CLONE_THREAD | CLONE_SIGHAND |
                                     CLONE_SETTLS | 0x7e020000ull);
                ca[4] = one_in(2) ? SIGCHLD : below(70);
                ca[5] = 0; /* stack */
                ca[6] = 0;
            } else {
                return 0;
            }
        }
        break;
    case SYS_execve:
    case SYS_execveat:
        /* Paths that cannot run: the worker's files (no execute bit, or
         * not a program), directories, devices, bad names. */
        {
            static const char *const cannot[] = {"f0", "d0", "/dev/null", "none", "", "."};
            uint64_t p = one_in(4) ? bad_path() : put_string(PICK(cannot), true);
            if (nr == SYS_execve)
                a[0] = p;
            else
                a[1] = p;
            if (nr == SYS_execveat && (a[4] & AT_EMPTY_PATH))
                a[0] = (uint64_t)(int64_t)pool[below(2)];
        }
        break;
    case SYS_setpgid:
        /* Only within the worker's own group (it and its children). */
        a[1] = one_in(2) ? (uint64_t)(int64_t)worker_pid : one_in(2) ? 0x7ffffff0 : next();
        if (a[1] == 0 || (a[0] == 0 && depth > 0))
            a[1] = (uint64_t)(int64_t)worker_pid;
        if (depth > 0 || (a[0] != 0 && a[0] != (uint64_t)(int64_t)getpid()))
            if (a[1] != (uint64_t)(int64_t)worker_pid)
                a[1] = 0x7ffffff0;
        break;
    case SYS_setsid:
        if (depth > 0)
            return 0; /* a child would leave the worker's group */
        break;
    case SYS_arch_prctl:
        a[0] = PICK(((const uint64_t[]){0x1001, 0x1003, 0x1004, 0x1011, 0x1012, 0x3001, 0x1002}));
        if (a[0] == 0x1002 && !one_in(16))
            a[0] = 0x1003; /* ARCH_SET_FS breaks our TLS */
        if (a[0] == 0x1003 || a[0] == 0x1004 || one_in(2))
            a[1] = any_pointer();
        else
            a[1] = one_in(2) ? 0 : any_word();
        break;
    case SYS_prctl:
        a[0] = one_in(4) ? next() : below(60);
        if (a[0] == PR_SET_SECCOMP && !one_in(8))
            return 0;
        if (a[0] == PR_SET_MM)
            return 0;
        break;
    case SYS_mmap:
        if ((a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && !in_region(a[0], a[1]) && !one_in(64))
            a[0] = map_address();
        if (one_in(2))
            a[3] =
                PICK(((const uint64_t[]){
                    MAP_PRIVATE | MAP_ANONYMOUS, MAP_SHARED | MAP_ANONYMOUS, MAP_PRIVATE,
                    MAP_SHARED, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, MAP_SHARED | MAP_FIXED})) |
                (one_in(8) ? next() : 0);
        if ((a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && !in_region(a[0], a[1]) && !one_in(64))
            a[3] &= ~(uint64_t)(MAP_FIXED | MAP_FIXED_NOREPLACE);
        if (one_in(2))
            a[1] = below(16) * 4096 + (one_in(4) ? below(4096) : 0);
        if (one_in(2))
            a[5] = below(8) * 4096;
        break;
    case SYS_munmap:
    case SYS_mprotect:
    case SYS_madvise:
    case SYS_mlock:
    case SYS_munlock:
    case SYS_mlock2:
    case SYS_pkey_mprotect:
    case SYS_msync:
    case SYS_mremap:
        if (one_in(2))
            a[1] = below(16) * 4096 + (one_in(4) ? below(4096) : 0);
        if (!in_region(a[0], a[1]) && !one_in(64)) {
            a[0] = map_address();
            if (!in_region(a[0], a[1]))
                a[1] = (uint64_t)region + REGION_N - a[0];
        }
        if (nr == SYS_mremap) {
            a[2] = one_in(2) ? below(32) * 4096 : any_length();
            a[3] = one_in(2) ? below(4) : one_in(2) ? next() & 7 : next();
            a[4] = map_address();
        }
        if (nr == SYS_madvise && one_in(2))
            a[2] = PICK(((const uint64_t[]){MADV_DONTNEED, MADV_NORMAL, MADV_WILLNEED, MADV_FREE,
                                            MADV_REMOVE, 100}));
        if (nr == SYS_mprotect && !in_region(a[0], a[1]))
            a[2] |= PROT_READ | PROT_WRITE;
        break;
    case SYS_brk:
        a[0] = one_in(2) ? 0 : any_word();
        break;
    case SYS_futex:
        /* The value is mostly the word's own, so that a wait waits (for the
         * timer, or for its timeout). */
        a[1] = one_in(4) ? next() : below(14) | (one_in(2) ? 128 : 0) | (one_in(8) ? 256 : 0);
        if (a[0] >= (uint64_t)scratch && a[0] + 4 <= (uint64_t)scratch + SCRATCH_N && !one_in(4))
            a[2] = *(volatile uint32_t *)(uintptr_t)a[0];
        if (one_in(2))
            a[3] = below(4) ? a[3] : 0;
        break;
    case SYS_rt_sigprocmask:
        a[0] = one_in(8) ? next() : below(3);
        break;
    case SYS_rt_sigsuspend:
    case SYS_pause:
    case SYS_rt_sigtimedwait:
    case SYS_wait4:
    case SYS_waitid:
    case SYS_nanosleep:
    case SYS_clock_nanosleep:
    case SYS_select:
    case SYS_pselect6:
    case SYS_poll:
    case SYS_ppoll:
    case SYS_epoll_wait:
    case SYS_epoll_pwait:
        if (nr == SYS_poll)
            a[2] = one_in(8) ? next() : one_in(2) ? 0 : below(30);
        if (nr == SYS_select)
            a[0] = one_in(4) ? next() : below(70);
        if (nr == SYS_pselect6) {
            uint64_t *sm;
            a[0] = one_in(4) ? next() : below(70);
            a[5] = struct_pointer(16, (void **)&sm);
            if (sm) {
                sm[0] = sigset_pointer(true);
                sm[1] = sigset_size();
            }
        }
        if (nr == SYS_rt_sigsuspend)
            spare_alarm_at(a[0]);
        if (nr == SYS_ppoll)
            spare_alarm_at(a[3]);
        if (nr == SYS_epoll_pwait)
            spare_alarm_at(a[4]);
        if (nr == SYS_clock_nanosleep)
            a[1] = one_in(8) ? next() : one_in(4) ? 1 /* TIMER_ABSTIME */ : 0;
        regard = true;
        break;
    case SYS_chdir:
    case SYS_fchdir:
        restore_cwd = true;
        break;
    case SYS_rt_sigaction:
    case SYS_setitimer:
    case SYS_alarm:
    case SYS_sigaltstack:
    case SYS_timer_create:
    case SYS_timer_settime:
        regard = true;
        break;
    case SYS_ioctl:
        if (have_tty && one_in(3))
            a[0] = TTY_FD;
        if (one_in(2))
            a[1] = PICK(
                ((const uint64_t[]){TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ, TIOCSWINSZ,
                                    TIOCGPGRP, TIOCSPGRP, TIOCSCTTY, TIOCNOTTY, FIONREAD, FIONBIO,
                                    TIOCGPTN, TIOCSPTLCK, TIOCGSID, TCFLSH, TCXONC, TIOCOUTQ}));
        break;
    case SYS_getrandom:
        a[2] = one_in(4) ? next() : below(8);
        break;
    case SYS_setrlimit:
    case SYS_prlimit64:
        regard = true;
        break;
    default:
        break;
    }
    if (planning) {
        if (!(on_host && host_unsafe(nr))) {
            planning->call[planning->n][0] = nr;
            memcpy(&planning->call[planning->n][1], a, sizeof(a[0]) * 6);
            planning->n++;
        }
        return 0;
    }
    note(nr, a);
    if (on_host && host_unsafe(nr)) {
        __atomic_fetch_add(&shared->skipped, 1, __ATOMIC_RELAXED);
        return 0;
    }
    r = raw6(nr, a);
done:
    if (depth == 0) {
        uint64_t h = shared->nhistory++ % 32;
        shared->history[h][0] = nr;
        shared->history[h][1] = (uint64_t)r;
    }
    if (r == -ENOSYS && nr < sizeof(enosys))
        enosys[nr] = true;
    if (fork_like && r == 0) { /* the child */
        became_child();
        return 0;
    }
    if (fork_like && r > 0 && children < MAX_CHILDREN)
        child_pids[children++] = (pid_t)r;
    if (r >= 0 && r < 1024 &&
        (nr == SYS_open || nr == SYS_openat || nr == SYS_dup || nr == SYS_creat ||
         nr == SYS_memfd_create || nr == 437))
        recent[below(8)] = (int)r;
    if (restore_cwd)
        chdir(workdir);
    if (regard || fork_like || nr == SYS_rt_sigprocmask || nr == SYS_rt_sigreturn)
        guard_timer();
    return r;
}

static void open_pool(void)
{
    int p[2];

    pool[0] = open("f0", O_RDWR | O_CREAT, 0600);
    pool[1] = open("f0", O_RDONLY);
    pool[2] = open(".", O_RDONLY | O_DIRECTORY);
    pool[3] = pool[4] = pool[5] = pool[6] = -1;
    if (pipe2(p, O_NONBLOCK) == 0) {
        pool[3] = p[0];
        pool[4] = p[1];
    }
    if (pipe(p) == 0) {
        pool[5] = p[0];
        pool[6] = p[1];
    }
    pool[7] = open("/dev/null", O_RDWR);
    pool[8] = open("/dev/zero", O_RDONLY);
    pool[9] = open("/dev/urandom", O_RDONLY);
    pool[10] = open("/proc/self/stat", O_RDONLY);
    pool[11] = open("/dev", O_RDONLY | O_DIRECTORY);
    pool[12] = open("/proc", O_RDONLY | O_DIRECTORY);
    pool[13] = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
    mkfifo("fifo", 0600);
    pool[14] = open("fifo", O_RDONLY | O_NONBLOCK);
    pool[15] = open("d0", O_RDONLY | O_DIRECTORY);
    pool[16] = open("f1", O_WRONLY | O_CREAT | O_APPEND, 0600);
    pool[17] = open("f1", O_PATH);
    pool[18] = dup(pool[0]);
    pool[19] = open("f1", O_RDONLY);
    close(pool[19]); /* a closed number */
    pool[20] = open("f0", O_WRONLY | O_TRUNC);
    if (!on_host) {
        int t = open("/dev/tty", O_RDWR | O_NONBLOCK);
        have_tty = t >= 0 && dup2(t, TTY_FD) == TTY_FD;
        close(t);
    }
    pool[21] = -1;
    pool[22] = 0x7fffffff;
    pool[23] = pool[0];
    for (int i = 0; i < 8; i++)
        recent[i] = pool[i];
}

static void worker(uint64_t seed, const char *top, int n)
{
    int null = open("/dev/null", O_RDWR);

    /* Our own group, which the supervisor ends when we are done. */
    setpgid(0, 0);
    worker_pid = getpid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* Nothing random reaches the test's own input or output. */
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    for (int fd = 3; fd < 64; fd++) /* nor what the supervisor keeps */
        close(fd);
    rng = seed * 0x9E3779B97F4A7C15ull + 1;
    snprintf(workdir, sizeof workdir, "%s/w%d", top, n);
    if (mkdir(workdir, 0700) < 0 || chdir(workdir) < 0)
        _exit(100);
    mkdir("d0", 0700);
    mkdir("d0/d1", 0700);
    symlink("d0", "sym");
    symlink("none", "sym2");
    symlink("loop", "loop");
    scratch =
        mmap(NULL, SCRATCH_N + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    rdonly = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    region = mmap(NULL, REGION_N, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (scratch == MAP_FAILED || rdonly == MAP_FAILED || region == MAP_FAILED)
        _exit(101);
    munmap(scratch + SCRATCH_N, 4096); /* the guard page */
    for (size_t i = 0; i < SCRATCH_N; i += 8) {
        uint64_t w = next();
        memcpy(scratch + i, &w, 8);
    }
    memset(rdonly, 'r', 4096);
    mprotect(rdonly, 4096, PROT_READ);
    open_pool();
    /* Handlers for most signals, the default for a few. */
    for (int s = 1; s < 65; s++) {
        struct sigaction sa = {.sa_handler = on_signal};
        if (s != SIGKILL && s != SIGSTOP && !one_in(8))
            sigaction(s, &sa, NULL);
    }
    guard_timer();
    for (long i = 0; i < WORKER_CALLS; i++) {
        if (__atomic_load_n(&shared->calls, __ATOMIC_RELAXED) >= (uint64_t)-1 / 2)
            break;
        fuzz_one();
        __atomic_fetch_add(&shared->calls, 1, __ATOMIC_RELAXED);
        if (depth > 0 && --budget <= 0)
            _exit(0);
    }
    _exit(0);
}

static long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000l + ts.tv_nsec;
}

/* Removes dir and what is in it (whatever the worker left there). */
static void remove_tree(const char *dir)
{
    DIR *d;
    struct dirent *e;
    char path[1200];

    chmod(dir, 0700);
    d = opendir(dir);
    if (d) {
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (unlink(path) < 0) {
                chmod(path, 0700);
                remove_tree(path);
            }
        }
        closedir(d);
    }
    rmdir(dir);
}

static bool drop_root(const char *top)
{
    struct rlimit fsize = {256 << 20, 256 << 20}, as = {1ul << 30, 1ul << 30};
    struct rlimit nproc = {512, 512};

    if (geteuid() != 0)
        return true;
    if (chown(top, 65534, 65534) < 0 || setgroups(0, NULL) < 0 || setgid(65534) < 0 ||
        setuid(65534) < 0 || geteuid() == 0)
        return false;
    setrlimit(RLIMIT_FSIZE, &fsize);
    setrlimit(RLIMIT_AS, &as);
    setrlimit(RLIMIT_NPROC, &nproc);
    return true;
}

static void run(uint64_t target, uint64_t seed)
{
    struct utsname u;
    const char *top;
    int workers = 0, killed = 0, stuck = 0, pfd[2], file, tty;
    pid_t me = getpid(), parent = getppid();
    struct termios tio;
    bool have_tio;

    CHECK_OK(uname(&u));
    on_host = !strstr(u.release, "persona");
    top = tmpdir_make();
    if (on_host && !drop_root(top)) {
        say("fuzz: cannot drop root's privileges; not running random calls as root\n");
        tmpdir_remove();
        exit(1);
    }
    shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(shared != MAP_FAILED);
    /* What the system must still have right after the run. */
    REQUIRE(pipe(pfd) == 0);
    char path[700];
    snprintf(path, sizeof path, "%s/keep", top);
    file = open(path, O_RDWR | O_CREAT, 0600);
    REQUIRE(file >= 0);
    CHECK_EQ(write(file, "persona", 7), 7);
    /* The worker may change the terminal's modes; they are put back. */
    tty = on_host ? -1 : open("/dev/tty", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    have_tio = tty >= 0 && tcgetattr(tty, &tio) == 0;
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGTTOU, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    say("fuzz: %llu calls, seed %llu, on %s\n", (unsigned long long)target,
        (unsigned long long)seed, on_host ? "the host" : "Persona");

    while (shared->calls < target) {
        uint64_t before = shared->calls, last = before;
        long since = now_ns();
        siginfo_t si;
        int status;
        bool stuck_now = false, continued = false;
        shared->nhistory = 0;
        pid_t pid = fork();

        REQUIRE(pid >= 0);
        if (pid == 0)
            worker(seed + (uint64_t)workers, top, workers);
        setpgid(pid, pid);
        workers++;
        for (;;) {
            memset(&si, 0, sizeof si);
            if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid)
                break;
            uint64_t c = shared->calls;
            if (c != last) {
                last = c;
                since = now_ns();
                continued = false;
            } else if (now_ns() - since > STUCK_NS / 4 && !continued) {
                kill(-pid, SIGCONT); /* stopped by its own doing? */
                continued = true;
            } else if (now_ns() - since > STUCK_NS) {
                stuck++;
                stuck_now = true;
                break;
            }
            if (c >= target + 1000) /* children may go on a little */
                break;
            usleep(2000);
        }
        /* The worker's group goes (its children too), then the worker. */
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        REQUIRE(waitpid(pid, &status, 0) == pid);
        if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
            killed++;
        if (verbose && stuck_now) {
            char line[1024];
            int len = 0;
            for (uint64_t i = shared->nhistory > 32 ? shared->nhistory - 32 : 0;
                 i < shared->nhistory; i++)
                len += snprintf(line + len, sizeof line - (size_t)len, " %llu=%lld",
                                (unsigned long long)shared->history[i % 32][0],
                                (long long)shared->history[i % 32][1]);
            say("fuzz: before:%s\n", line);
        }
        if (verbose && ((WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL) || stuck_now))
            say("fuzz: worker %d (seed %llu) %s %d after %llu calls; last call %llu (%llx, %llx, "
                "%llx, %llx, %llx, %llx)\n",
                workers - 1, (unsigned long long)(seed + (uint64_t)workers - 1),
                stuck_now ? "stuck; status" : "killed by signal",
                stuck_now ? status : WTERMSIG(status), (unsigned long long)(shared->calls - before),
                (unsigned long long)shared->last[0], (unsigned long long)shared->last[1],
                (unsigned long long)shared->last[2], (unsigned long long)shared->last[3],
                (unsigned long long)shared->last[4], (unsigned long long)shared->last[5],
                (unsigned long long)shared->last[6]);
        while (waitpid(-1, &status, WNOHANG) > 0) /* orphans that came to us */
            ;
        snprintf(path, sizeof path, "%s/w%d", top, workers - 1);
        remove_tree(path);
        if (have_tio)
            tcsetattr(tty, TCSANOW, &tio);
        if (shared->calls == before && workers > 50 && workers == killed + stuck) {
            say("fuzz: workers make no progress\n");
            break;
        }
    }
    say("fuzz: %llu calls (%llu not made here) in %d workers, %d killed by a signal, %d "
        "stuck\n",
        (unsigned long long)shared->calls, (unsigned long long)shared->skipped, workers, killed,
        stuck);

    /* The system still knows us, and what we had still works. */
    char buf[8] = {0};
    CHECK_EQ(getpid(), me);
    CHECK_EQ(getppid(), parent);
    CHECK_EQ(write(pfd[1], "ok", 2), 2);
    CHECK_EQ(read(pfd[0], buf, sizeof buf), 2);
    CHECK(memcmp(buf, "ok", 2) == 0);
    CHECK_EQ(pread(file, buf, 7, 0), 7);
    CHECK(memcmp(buf, "persona", 7) == 0);
    CHECK_OK(close(file));
    CHECK(shared->calls >= target);
}

int main(int argc, char **argv)
{
    check_start("fuzz");
    verbose = getenv("FUZZ_VERBOSE") || (argc > 3 && !strcmp(argv[3], "-v"));
    run(argc > 1 ? strtoull(argv[1], NULL, 0) : 10000, argc > 2 ? strtoull(argv[2], NULL, 0) : 1);
    tmpdir_remove();
    return check_finish();
}
