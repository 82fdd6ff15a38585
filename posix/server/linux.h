/*
 * The Linux x86_64 user ABI as the POSIX server sees it: error numbers,
 * structure layouts and constants that unmodified static binaries (musl,
 * glibc) pass through their system calls. Written from the Linux man pages
 * and the psABI; only what the server uses.
 */
#ifndef POSIX_LINUX_H
#define POSIX_LINUX_H

#include <stdint.h>

enum {
    L_EPERM = 1,
    L_ENOENT = 2,
    L_ESRCH = 3,
    L_EINTR = 4,
    L_EIO = 5,
    L_ENXIO = 6,
    L_E2BIG = 7,
    L_ENOEXEC = 8,
    L_EBADF = 9,
    L_ECHILD = 10,
    L_EAGAIN = 11,
    L_ENOMEM = 12,
    L_EACCES = 13,
    L_EFAULT = 14,
    L_EBUSY = 16,
    L_EEXIST = 17,
    L_EXDEV = 18,
    L_ENODEV = 19,
    L_ENOTDIR = 20,
    L_EISDIR = 21,
    L_EINVAL = 22,
    L_ENFILE = 23,
    L_EMFILE = 24,
    L_ENOTTY = 25,
    L_EFBIG = 27,
    L_ENOSPC = 28,
    L_ESPIPE = 29,
    L_EROFS = 30,
    L_EMLINK = 31,
    L_EPIPE = 32,
    L_EDOM = 33,
    L_ERANGE = 34,
    L_EDEADLK = 35,
    L_ENAMETOOLONG = 36,
    L_ENOSYS = 38,
    L_ENOTEMPTY = 39,
    L_ELOOP = 40,
    L_EOVERFLOW = 75,
    L_ENOTSUP = 95,
    L_ETIMEDOUT = 110,
};

/* open flags */
#define L_O_ACCMODE           0003
#define L_O_RDONLY            00
#define L_O_WRONLY            01
#define L_O_RDWR              02
#define L_O_CREAT             0100
#define L_O_EXCL              0200
#define L_O_NOCTTY            0400
#define L_O_TRUNC             01000
#define L_O_APPEND            02000
#define L_O_NONBLOCK          04000
#define L_O_DIRECTORY         0200000
#define L_O_NOFOLLOW          0400000
#define L_O_CLOEXEC           02000000
#define L_O_PATH              010000000
#define L_AT_FDCWD            (-100)
#define L_AT_SYMLINK_NOFOLLOW 0x100
#define L_AT_REMOVEDIR        0x200
#define L_AT_SYMLINK_FOLLOW   0x400
#define L_AT_EMPTY_PATH       0x1000

/* struct stat, x86_64 */
typedef struct l_stat {
    uint64_t st_dev, st_ino, st_nlink;
    uint32_t st_mode, st_uid, st_gid, pad0;
    uint64_t st_rdev;
    int64_t st_size, st_blksize, st_blocks;
    uint64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
    int64_t reserved[3];
} l_stat_t;
_Static_assert(sizeof(l_stat_t) == 144, "struct stat layout");

typedef struct l_statx_timestamp {
    int64_t tv_sec;
    uint32_t tv_nsec;
    int32_t reserved;
} l_statx_timestamp_t;

typedef struct l_statx {
    uint32_t stx_mask, stx_blksize;
    uint64_t stx_attributes;
    uint32_t stx_nlink, stx_uid, stx_gid;
    uint16_t stx_mode, pad1;
    uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    l_statx_timestamp_t stx_atime, stx_btime, stx_ctime, stx_mtime;
    uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    uint64_t spare[14];
} l_statx_t;
_Static_assert(sizeof(l_statx_t) == 256, "struct statx layout");

typedef struct l_timespec {
    int64_t tv_sec, tv_nsec;
} l_timespec_t;

typedef struct l_timeval {
    int64_t tv_sec, tv_usec;
} l_timeval_t;

typedef struct l_iovec {
    uint64_t base, len;
} l_iovec_t;

typedef struct l_utsname {
    char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
} l_utsname_t;

/* System call numbers the server refers to by name. */
#define L_NR_getpid  39
#define L_NR_getuid  102
#define L_NR_getgid  104
#define L_NR_geteuid 107
#define L_NR_getegid 108
#define L_NR_getppid 110
#define L_NR_getpgrp 111
#define L_NR_gettid  186

/* Signals */
#define L_NSIG         64
#define L_SIGHUP       1
#define L_SIGINT       2
#define L_SIGQUIT      3
#define L_SIGILL       4
#define L_SIGTRAP      5
#define L_SIGABRT      6
#define L_SIGBUS       7
#define L_SIGFPE       8
#define L_SIGKILL      9
#define L_SIGUSR1      10
#define L_SIGSEGV      11
#define L_SIGUSR2      12
#define L_SIGPIPE      13
#define L_SIGALRM      14
#define L_SIGTERM      15
#define L_SIGCHLD      17
#define L_SIGCONT      18
#define L_SIGSTOP      19
#define L_SIGTSTP      20
#define L_SIGTTIN      21
#define L_SIGTTOU      22
#define L_SIGWINCH     28
#define L_SIG_DFL      0
#define L_SIG_IGN      1
#define L_SA_NOCLDSTOP 0x1
#define L_SA_NOCLDWAIT 0x2
#define L_SA_SIGINFO   0x4
#define L_SA_ONSTACK   0x08000000
#define L_SA_RESTORER  0x04000000
#define L_SA_RESTART   0x10000000
#define L_SA_NODEFER   0x40000000
#define L_SA_RESETHAND 0x80000000
#define L_SIG_BLOCK    0
#define L_SIG_UNBLOCK  1
#define L_SIG_SETMASK  2
#define L_SS_ONSTACK   1
#define L_SS_DISABLE   2

typedef struct l_sigaction {
    uint64_t handler;
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
} l_sigaction_t;

typedef struct l_stack {
    uint64_t sp;
    int32_t flags;
    int32_t pad;
    uint64_t size;
} l_stack_t;

typedef struct l_siginfo {
    int32_t si_signo, si_errno, si_code, pad;
    union {
        struct {
            int32_t pid;
            uint32_t uid;
            int32_t status;
        } kill;
        struct {
            int32_t pid;
            uint32_t uid;
            uint64_t value;
        } rt;
        struct {
            uint64_t addr;
        } fault;
        uint8_t raw[112];
    };
} l_siginfo_t;
_Static_assert(sizeof(l_siginfo_t) == 128, "siginfo layout");

/* The machine context of a signal frame: gregs as Linux orders them. */
typedef struct l_sigcontext {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2;
    uint64_t fpstate; /* pointer to the FXSAVE area, or 0 */
    uint64_t reserved[8];
} l_sigcontext_t;

typedef struct l_ucontext {
    uint64_t uc_flags;
    uint64_t uc_link;
    l_stack_t uc_stack;
    l_sigcontext_t uc_mcontext;
    uint64_t uc_sigmask;
} l_ucontext_t;

/* wait */
#define L_WNOHANG       1
#define L_WUNTRACED     2
#define L_WEXITED       4
#define L_WNOWAIT       0x01000000
#define L_P_ALL         0
#define L_P_PID         1
#define L_P_PGID        2
#define L_CLD_EXITED    1
#define L_CLD_KILLED    2
#define L_CLD_DUMPED    3
#define L_CLD_STOPPED   5
#define L_CLD_CONTINUED 6
#define L_WSTOPPED      2
#define L_WCONTINUED    8
/* si_code of signals sent by processes or the system */
#define L_SI_USER   0
#define L_SI_KERNEL 0x80
#define L_SI_QUEUE  (-1)
#define L_SI_TKILL  (-6)
#define L_SIGRTMIN  32

/* clone */
#define L_CSIGNAL              0xff
#define L_CLONE_VM             0x100
#define L_CLONE_FS             0x200
#define L_CLONE_FILES          0x400
#define L_CLONE_SIGHAND        0x800
#define L_CLONE_VFORK          0x4000
#define L_CLONE_PARENT         0x8000
#define L_CLONE_THREAD         0x10000
#define L_CLONE_SYSVSEM        0x40000
#define L_CLONE_SETTLS         0x80000
#define L_CLONE_PARENT_SETTID  0x100000
#define L_CLONE_CHILD_CLEARTID 0x200000
#define L_CLONE_CHILD_SETTID   0x1000000

/* mmap */
#define L_PROT_READ           1
#define L_PROT_WRITE          2
#define L_PROT_EXEC           4
#define L_MAP_SHARED          0x01
#define L_MAP_PRIVATE         0x02
#define L_MAP_FIXED           0x10
#define L_MAP_ANONYMOUS       0x20
#define L_MAP_NORESERVE       0x4000
#define L_MAP_FIXED_NOREPLACE 0x100000
#define L_MREMAP_MAYMOVE      1
#define L_MREMAP_FIXED        2

/* futex */
#define L_FUTEX_WAIT           0
#define L_FUTEX_WAKE           1
#define L_FUTEX_REQUEUE        3
#define L_FUTEX_CMP_REQUEUE    4
#define L_FUTEX_WAKE_OP        5
#define L_FUTEX_WAIT_BITSET    9
#define L_FUTEX_WAKE_BITSET    10
#define L_FUTEX_PRIVATE_FLAG   128
#define L_FUTEX_CLOCK_REALTIME 256

/* fcntl */
#define L_F_DUPFD         0
#define L_F_GETFD         1
#define L_F_SETFD         2
#define L_F_GETFL         3
#define L_F_SETFL         4
#define L_F_GETLK         5
#define L_F_SETLK         6
#define L_F_SETLKW        7
#define L_F_DUPFD_CLOEXEC 1030
#define L_FD_CLOEXEC      1

/* ioctl */
#define L_TCGETS     0x5401
#define L_TCSETS     0x5402
#define L_TCSETSW    0x5403
#define L_TCSETSF    0x5404
#define L_TIOCGPGRP  0x540F
#define L_TIOCSPGRP  0x5410
#define L_TIOCGWINSZ 0x5413
#define L_TIOCSWINSZ 0x5414
#define L_FIONREAD   0x541B
#define L_FIONBIO    0x5421

typedef struct l_termios {
    uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
    uint8_t c_line;
    uint8_t c_cc[19];
} l_termios_t;
_Static_assert(sizeof(l_termios_t) == 36, "termios layout");

#define L_ICANON 0000002
#define L_ECHO   0000010
#define L_ISIG   0000001
#define L_OPOST  0000001
#define L_ONLCR  0000004
#define L_ICRNL  0000400
#define L_INLCR  0000100
#define L_IGNCR  0000200
#define L_VINTR  0
#define L_VTIME  5
#define L_VMIN   6

typedef struct l_winsize {
    uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
} l_winsize_t;

typedef struct l_pollfd {
    int32_t fd;
    int16_t events, revents;
} l_pollfd_t;

#define L_POLLIN   0x001
#define L_POLLPRI  0x002
#define L_POLLOUT  0x004
#define L_POLLERR  0x008
#define L_POLLHUP  0x010
#define L_POLLNVAL 0x020

typedef struct l_rlimit {
    uint64_t cur, max;
} l_rlimit_t;

#define L_RLIM_INFINITY  (~0ull)
#define L_RLIMIT_STACK   3
#define L_RLIMIT_NOFILE  7
#define L_RLIMIT_NLIMITS 16

typedef struct l_statfs {
    int64_t f_type, f_bsize;
    uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int32_t f_fsid[2];
    int64_t f_namelen, f_frsize, f_flags, f_spare[4];
} l_statfs_t;

/* Auxiliary vector entries the server adds (besides native_build_stack's). */
#define L_AT_SYSINFO_EHDR 33

#endif
