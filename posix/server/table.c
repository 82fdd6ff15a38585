/*
 * The Linux x86_64 system call table: a name for every number (the
 * "not implemented" log names the call) and the handlers that exist,
 * psx_sys_<name> in sys_proc.c, sys_file.c and sys_misc.c.
 */
#include "psx.h"

long psx_sys_access(psx_thread_t *t, psx_call_t *c);
long psx_sys_alarm(psx_thread_t *t, psx_call_t *c);
long psx_sys_arch_prctl(psx_thread_t *t, psx_call_t *c);
long psx_sys_brk(psx_thread_t *t, psx_call_t *c);
long psx_sys_chdir(psx_thread_t *t, psx_call_t *c);
long psx_sys_chmod(psx_thread_t *t, psx_call_t *c);
long psx_sys_clock_getres(psx_thread_t *t, psx_call_t *c);
long psx_sys_clock_gettime(psx_thread_t *t, psx_call_t *c);
long psx_sys_clock_nanosleep(psx_thread_t *t, psx_call_t *c);
long psx_sys_clone(psx_thread_t *t, psx_call_t *c);
long psx_sys_close(psx_thread_t *t, psx_call_t *c);
long psx_sys_creat(psx_thread_t *t, psx_call_t *c);
long psx_sys_dup(psx_thread_t *t, psx_call_t *c);
long psx_sys_dup2(psx_thread_t *t, psx_call_t *c);
long psx_sys_dup3(psx_thread_t *t, psx_call_t *c);
long psx_sys_execve(psx_thread_t *t, psx_call_t *c);
long psx_sys_execveat(psx_thread_t *t, psx_call_t *c);
long psx_sys_exit(psx_thread_t *t, psx_call_t *c);
long psx_sys_exit_group(psx_thread_t *t, psx_call_t *c);
long psx_sys_faccessat(psx_thread_t *t, psx_call_t *c);
long psx_sys_faccessat2(psx_thread_t *t, psx_call_t *c);
long psx_sys_fchdir(psx_thread_t *t, psx_call_t *c);
long psx_sys_fchmod(psx_thread_t *t, psx_call_t *c);
long psx_sys_fchmodat(psx_thread_t *t, psx_call_t *c);
long psx_sys_fcntl(psx_thread_t *t, psx_call_t *c);
long psx_sys_fork(psx_thread_t *t, psx_call_t *c);
long psx_sys_fstat(psx_thread_t *t, psx_call_t *c);
long psx_sys_fstatfs(psx_thread_t *t, psx_call_t *c);
long psx_sys_fsync(psx_thread_t *t, psx_call_t *c);
long psx_sys_ftruncate(psx_thread_t *t, psx_call_t *c);
long psx_sys_futex(psx_thread_t *t, psx_call_t *c);
long psx_sys_getcpu(psx_thread_t *t, psx_call_t *c);
long psx_sys_getcwd(psx_thread_t *t, psx_call_t *c);
long psx_sys_getitimer(psx_thread_t *t, psx_call_t *c);
long psx_sys_setitimer(psx_thread_t *t, psx_call_t *c);
long psx_sys_getdents64(psx_thread_t *t, psx_call_t *c);
long psx_sys_getgroups(psx_thread_t *t, psx_call_t *c);
long psx_sys_getpgid(psx_thread_t *t, psx_call_t *c);
long psx_sys_getpgrp(psx_thread_t *t, psx_call_t *c);
long psx_sys_getpid(psx_thread_t *t, psx_call_t *c);
long psx_sys_getppid(psx_thread_t *t, psx_call_t *c);
long psx_sys_getrandom(psx_thread_t *t, psx_call_t *c);
long psx_sys_getresuid(psx_thread_t *t, psx_call_t *c);
long psx_sys_getrlimit(psx_thread_t *t, psx_call_t *c);
long psx_sys_getrusage(psx_thread_t *t, psx_call_t *c);
long psx_sys_getsid(psx_thread_t *t, psx_call_t *c);
long psx_sys_gettid(psx_thread_t *t, psx_call_t *c);
long psx_sys_gettimeofday(psx_thread_t *t, psx_call_t *c);
long psx_sys_getuid(psx_thread_t *t, psx_call_t *c);
long psx_sys_ioctl(psx_thread_t *t, psx_call_t *c);
long psx_sys_kill(psx_thread_t *t, psx_call_t *c);
long psx_sys_link(psx_thread_t *t, psx_call_t *c);
long psx_sys_linkat(psx_thread_t *t, psx_call_t *c);
long psx_sys_lseek(psx_thread_t *t, psx_call_t *c);
long psx_sys_lstat(psx_thread_t *t, psx_call_t *c);
long psx_sys_madvise(psx_thread_t *t, psx_call_t *c);
long psx_sys_mkdir(psx_thread_t *t, psx_call_t *c);
long psx_sys_mkdirat(psx_thread_t *t, psx_call_t *c);
long psx_sys_mknod(psx_thread_t *t, psx_call_t *c);
long psx_sys_mknodat(psx_thread_t *t, psx_call_t *c);
long psx_sys_mmap(psx_thread_t *t, psx_call_t *c);
long psx_sys_mprotect(psx_thread_t *t, psx_call_t *c);
long psx_sys_mremap(psx_thread_t *t, psx_call_t *c);
long psx_sys_munmap(psx_thread_t *t, psx_call_t *c);
long psx_sys_msync(psx_thread_t *t, psx_call_t *c);
long psx_sys_nanosleep(psx_thread_t *t, psx_call_t *c);
long psx_sys_newfstatat(psx_thread_t *t, psx_call_t *c);
long psx_sys_open(psx_thread_t *t, psx_call_t *c);
long psx_sys_openat(psx_thread_t *t, psx_call_t *c);
long psx_sys_pause(psx_thread_t *t, psx_call_t *c);
long psx_sys_pipe(psx_thread_t *t, psx_call_t *c);
long psx_sys_pipe2(psx_thread_t *t, psx_call_t *c);
long psx_sys_poll(psx_thread_t *t, psx_call_t *c);
long psx_sys_ppoll(psx_thread_t *t, psx_call_t *c);
long psx_sys_prctl(psx_thread_t *t, psx_call_t *c);
long psx_sys_pread64(psx_thread_t *t, psx_call_t *c);
long psx_sys_preadv(psx_thread_t *t, psx_call_t *c);
long psx_sys_preadv2(psx_thread_t *t, psx_call_t *c);
long psx_sys_prlimit64(psx_thread_t *t, psx_call_t *c);
long psx_sys_pselect6(psx_thread_t *t, psx_call_t *c);
long psx_sys_pwrite64(psx_thread_t *t, psx_call_t *c);
long psx_sys_pwritev(psx_thread_t *t, psx_call_t *c);
long psx_sys_pwritev2(psx_thread_t *t, psx_call_t *c);
long psx_sys_read(psx_thread_t *t, psx_call_t *c);
long psx_sys_readlink(psx_thread_t *t, psx_call_t *c);
long psx_sys_readlinkat(psx_thread_t *t, psx_call_t *c);
long psx_sys_readv(psx_thread_t *t, psx_call_t *c);
long psx_sys_rename(psx_thread_t *t, psx_call_t *c);
long psx_sys_renameat(psx_thread_t *t, psx_call_t *c);
long psx_sys_renameat2(psx_thread_t *t, psx_call_t *c);
long psx_sys_rmdir(psx_thread_t *t, psx_call_t *c);
long psx_sys_rseq(psx_thread_t *t, psx_call_t *c);
long psx_sys_rt_sigaction(psx_thread_t *t, psx_call_t *c);
long psx_sys_rt_sigpending(psx_thread_t *t, psx_call_t *c);
long psx_sys_rt_sigprocmask(psx_thread_t *t, psx_call_t *c);
long psx_sys_rt_sigreturn(psx_thread_t *t, psx_call_t *c);
long psx_sys_rt_sigqueueinfo(psx_thread_t *t, psx_call_t *c);
long psx_sys_rt_sigtimedwait(psx_thread_t *t, psx_call_t *c);
long psx_sys_rt_tgsigqueueinfo(psx_thread_t *t, psx_call_t *c);
long psx_sys_rt_sigsuspend(psx_thread_t *t, psx_call_t *c);
long psx_sys_sched_getaffinity(psx_thread_t *t, psx_call_t *c);
long psx_sys_sched_yield(psx_thread_t *t, psx_call_t *c);
long psx_sys_sched_setaffinity(psx_thread_t *t, psx_call_t *c);
long psx_sys_sched_getscheduler(psx_thread_t *t, psx_call_t *c);
long psx_sys_sched_getparam(psx_thread_t *t, psx_call_t *c);
long psx_sys_getpriority(psx_thread_t *t, psx_call_t *c);
long psx_sys_setpriority(psx_thread_t *t, psx_call_t *c);
long psx_sys_personality(psx_thread_t *t, psx_call_t *c);
long psx_sys_select(psx_thread_t *t, psx_call_t *c);
long psx_sys_sendfile(psx_thread_t *t, psx_call_t *c);
long psx_sys_set_robust_list(psx_thread_t *t, psx_call_t *c);
long psx_sys_set_tid_address(psx_thread_t *t, psx_call_t *c);
long psx_sys_setpgid(psx_thread_t *t, psx_call_t *c);
long psx_sys_setrlimit(psx_thread_t *t, psx_call_t *c);
long psx_sys_setsid(psx_thread_t *t, psx_call_t *c);
long psx_sys_sigaltstack(psx_thread_t *t, psx_call_t *c);
long psx_sys_stat(psx_thread_t *t, psx_call_t *c);
long psx_sys_statfs(psx_thread_t *t, psx_call_t *c);
long psx_sys_statx(psx_thread_t *t, psx_call_t *c);
long psx_sys_symlink(psx_thread_t *t, psx_call_t *c);
long psx_sys_symlinkat(psx_thread_t *t, psx_call_t *c);
long psx_sys_sysinfo(psx_thread_t *t, psx_call_t *c);
long psx_sys_tgkill(psx_thread_t *t, psx_call_t *c);
long psx_sys_time(psx_thread_t *t, psx_call_t *c);
long psx_sys_times(psx_thread_t *t, psx_call_t *c);
long psx_sys_tkill(psx_thread_t *t, psx_call_t *c);
long psx_sys_truncate(psx_thread_t *t, psx_call_t *c);
long psx_sys_umask(psx_thread_t *t, psx_call_t *c);
long psx_sys_uname(psx_thread_t *t, psx_call_t *c);
long psx_sys_unlink(psx_thread_t *t, psx_call_t *c);
long psx_sys_unlinkat(psx_thread_t *t, psx_call_t *c);
long psx_sys_utimensat(psx_thread_t *t, psx_call_t *c);
long psx_sys_vfork(psx_thread_t *t, psx_call_t *c);
long psx_sys_wait4(psx_thread_t *t, psx_call_t *c);
long psx_sys_waitid(psx_thread_t *t, psx_call_t *c);
long psx_sys_write(psx_thread_t *t, psx_call_t *c);
long psx_sys_writev(psx_thread_t *t, psx_call_t *c);

const char *const psx_syscall_names[442] = {
    [0] = "read",
    [1] = "write",
    [2] = "open",
    [3] = "close",
    [4] = "stat",
    [5] = "fstat",
    [6] = "lstat",
    [7] = "poll",
    [8] = "lseek",
    [9] = "mmap",
    [10] = "mprotect",
    [11] = "munmap",
    [12] = "brk",
    [13] = "rt_sigaction",
    [14] = "rt_sigprocmask",
    [15] = "rt_sigreturn",
    [16] = "ioctl",
    [17] = "pread64",
    [18] = "pwrite64",
    [19] = "readv",
    [20] = "writev",
    [21] = "access",
    [22] = "pipe",
    [23] = "select",
    [24] = "sched_yield",
    [25] = "mremap",
    [26] = "msync",
    [27] = "mincore",
    [28] = "madvise",
    [29] = "shmget",
    [30] = "shmat",
    [31] = "shmctl",
    [32] = "dup",
    [33] = "dup2",
    [34] = "pause",
    [35] = "nanosleep",
    [36] = "getitimer",
    [37] = "alarm",
    [38] = "setitimer",
    [39] = "getpid",
    [40] = "sendfile",
    [41] = "socket",
    [42] = "connect",
    [43] = "accept",
    [44] = "sendto",
    [45] = "recvfrom",
    [46] = "sendmsg",
    [47] = "recvmsg",
    [48] = "shutdown",
    [49] = "bind",
    [50] = "listen",
    [51] = "getsockname",
    [52] = "getpeername",
    [53] = "socketpair",
    [54] = "setsockopt",
    [55] = "getsockopt",
    [56] = "clone",
    [57] = "fork",
    [58] = "vfork",
    [59] = "execve",
    [60] = "exit",
    [61] = "wait4",
    [62] = "kill",
    [63] = "uname",
    [64] = "semget",
    [65] = "semop",
    [66] = "semctl",
    [67] = "shmdt",
    [68] = "msgget",
    [69] = "msgsnd",
    [70] = "msgrcv",
    [71] = "msgctl",
    [72] = "fcntl",
    [73] = "flock",
    [74] = "fsync",
    [75] = "fdatasync",
    [76] = "truncate",
    [77] = "ftruncate",
    [78] = "getdents",
    [79] = "getcwd",
    [80] = "chdir",
    [81] = "fchdir",
    [82] = "rename",
    [83] = "mkdir",
    [84] = "rmdir",
    [85] = "creat",
    [86] = "link",
    [87] = "unlink",
    [88] = "symlink",
    [89] = "readlink",
    [90] = "chmod",
    [91] = "fchmod",
    [92] = "chown",
    [93] = "fchown",
    [94] = "lchown",
    [95] = "umask",
    [96] = "gettimeofday",
    [97] = "getrlimit",
    [98] = "getrusage",
    [99] = "sysinfo",
    [100] = "times",
    [101] = "ptrace",
    [102] = "getuid",
    [103] = "syslog",
    [104] = "getgid",
    [105] = "setuid",
    [106] = "setgid",
    [107] = "geteuid",
    [108] = "getegid",
    [109] = "setpgid",
    [110] = "getppid",
    [111] = "getpgrp",
    [112] = "setsid",
    [113] = "setreuid",
    [114] = "setregid",
    [115] = "getgroups",
    [116] = "setgroups",
    [117] = "setresuid",
    [118] = "getresuid",
    [119] = "setresgid",
    [120] = "getresgid",
    [121] = "getpgid",
    [122] = "setfsuid",
    [123] = "setfsgid",
    [124] = "getsid",
    [125] = "capget",
    [126] = "capset",
    [127] = "rt_sigpending",
    [128] = "rt_sigtimedwait",
    [129] = "rt_sigqueueinfo",
    [130] = "rt_sigsuspend",
    [131] = "sigaltstack",
    [132] = "utime",
    [133] = "mknod",
    [134] = "uselib",
    [135] = "personality",
    [136] = "ustat",
    [137] = "statfs",
    [138] = "fstatfs",
    [139] = "sysfs",
    [140] = "getpriority",
    [141] = "setpriority",
    [142] = "sched_setparam",
    [143] = "sched_getparam",
    [144] = "sched_setscheduler",
    [145] = "sched_getscheduler",
    [146] = "sched_get_priority_max",
    [147] = "sched_get_priority_min",
    [148] = "sched_rr_get_interval",
    [149] = "mlock",
    [150] = "munlock",
    [151] = "mlockall",
    [152] = "munlockall",
    [153] = "vhangup",
    [154] = "modify_ldt",
    [155] = "pivot_root",
    [156] = "_sysctl",
    [157] = "prctl",
    [158] = "arch_prctl",
    [159] = "adjtimex",
    [160] = "setrlimit",
    [161] = "chroot",
    [162] = "sync",
    [163] = "acct",
    [164] = "settimeofday",
    [165] = "mount",
    [166] = "umount2",
    [167] = "swapon",
    [168] = "swapoff",
    [169] = "reboot",
    [170] = "sethostname",
    [171] = "setdomainname",
    [172] = "iopl",
    [173] = "ioperm",
    [174] = "create_module",
    [175] = "init_module",
    [176] = "delete_module",
    [177] = "get_kernel_syms",
    [178] = "query_module",
    [179] = "quotactl",
    [180] = "nfsservctl",
    [181] = "getpmsg",
    [182] = "putpmsg",
    [183] = "afs_syscall",
    [184] = "tuxcall",
    [185] = "security",
    [186] = "gettid",
    [187] = "readahead",
    [188] = "setxattr",
    [189] = "lsetxattr",
    [190] = "fsetxattr",
    [191] = "getxattr",
    [192] = "lgetxattr",
    [193] = "fgetxattr",
    [194] = "listxattr",
    [195] = "llistxattr",
    [196] = "flistxattr",
    [197] = "removexattr",
    [198] = "lremovexattr",
    [199] = "fremovexattr",
    [200] = "tkill",
    [201] = "time",
    [202] = "futex",
    [203] = "sched_setaffinity",
    [204] = "sched_getaffinity",
    [205] = "set_thread_area",
    [206] = "io_setup",
    [207] = "io_destroy",
    [208] = "io_getevents",
    [209] = "io_submit",
    [210] = "io_cancel",
    [211] = "get_thread_area",
    [212] = "lookup_dcookie",
    [213] = "epoll_create",
    [214] = "epoll_ctl_old",
    [215] = "epoll_wait_old",
    [216] = "remap_file_pages",
    [217] = "getdents64",
    [218] = "set_tid_address",
    [219] = "restart_syscall",
    [220] = "semtimedop",
    [221] = "fadvise64",
    [222] = "timer_create",
    [223] = "timer_settime",
    [224] = "timer_gettime",
    [225] = "timer_getoverrun",
    [226] = "timer_delete",
    [227] = "clock_settime",
    [228] = "clock_gettime",
    [229] = "clock_getres",
    [230] = "clock_nanosleep",
    [231] = "exit_group",
    [232] = "epoll_wait",
    [233] = "epoll_ctl",
    [234] = "tgkill",
    [235] = "utimes",
    [236] = "vserver",
    [237] = "mbind",
    [238] = "set_mempolicy",
    [239] = "get_mempolicy",
    [240] = "mq_open",
    [241] = "mq_unlink",
    [242] = "mq_timedsend",
    [243] = "mq_timedreceive",
    [244] = "mq_notify",
    [245] = "mq_getsetattr",
    [246] = "kexec_load",
    [247] = "waitid",
    [248] = "add_key",
    [249] = "request_key",
    [250] = "keyctl",
    [251] = "ioprio_set",
    [252] = "ioprio_get",
    [253] = "inotify_init",
    [254] = "inotify_add_watch",
    [255] = "inotify_rm_watch",
    [256] = "migrate_pages",
    [257] = "openat",
    [258] = "mkdirat",
    [259] = "mknodat",
    [260] = "fchownat",
    [261] = "futimesat",
    [262] = "newfstatat",
    [263] = "unlinkat",
    [264] = "renameat",
    [265] = "linkat",
    [266] = "symlinkat",
    [267] = "readlinkat",
    [268] = "fchmodat",
    [269] = "faccessat",
    [270] = "pselect6",
    [271] = "ppoll",
    [272] = "unshare",
    [273] = "set_robust_list",
    [274] = "get_robust_list",
    [275] = "splice",
    [276] = "tee",
    [277] = "sync_file_range",
    [278] = "vmsplice",
    [279] = "move_pages",
    [280] = "utimensat",
    [281] = "epoll_pwait",
    [282] = "signalfd",
    [283] = "timerfd_create",
    [284] = "eventfd",
    [285] = "fallocate",
    [286] = "timerfd_settime",
    [287] = "timerfd_gettime",
    [288] = "accept4",
    [289] = "signalfd4",
    [290] = "eventfd2",
    [291] = "epoll_create1",
    [292] = "dup3",
    [293] = "pipe2",
    [294] = "inotify_init1",
    [295] = "preadv",
    [296] = "pwritev",
    [297] = "rt_tgsigqueueinfo",
    [298] = "perf_event_open",
    [299] = "recvmmsg",
    [300] = "fanotify_init",
    [301] = "fanotify_mark",
    [302] = "prlimit64",
    [303] = "name_to_handle_at",
    [304] = "open_by_handle_at",
    [305] = "clock_adjtime",
    [306] = "syncfs",
    [307] = "sendmmsg",
    [308] = "setns",
    [309] = "getcpu",
    [310] = "process_vm_readv",
    [311] = "process_vm_writev",
    [312] = "kcmp",
    [313] = "finit_module",
    [314] = "sched_setattr",
    [315] = "sched_getattr",
    [316] = "renameat2",
    [317] = "seccomp",
    [318] = "getrandom",
    [319] = "memfd_create",
    [320] = "kexec_file_load",
    [321] = "bpf",
    [322] = "execveat",
    [323] = "userfaultfd",
    [324] = "membarrier",
    [325] = "mlock2",
    [326] = "copy_file_range",
    [327] = "preadv2",
    [328] = "pwritev2",
    [329] = "pkey_mprotect",
    [330] = "pkey_alloc",
    [331] = "pkey_free",
    [332] = "statx",
    [333] = "io_pgetevents",
    [334] = "rseq",
    [424] = "pidfd_send_signal",
    [434] = "pidfd_open",
    [435] = "clone3",
    [436] = "close_range",
    [437] = "openat2",
    [439] = "faccessat2",
    [441] = "epoll_pwait2",
};

const psx_syscall_fn psx_syscalls[442] = {
    [0] = psx_sys_read,
    [1] = psx_sys_write,
    [2] = psx_sys_open,
    [3] = psx_sys_close,
    [4] = psx_sys_stat,
    [5] = psx_sys_fstat,
    [6] = psx_sys_lstat,
    [7] = psx_sys_poll,
    [8] = psx_sys_lseek,
    [9] = psx_sys_mmap,
    [10] = psx_sys_mprotect,
    [11] = psx_sys_munmap,
    [12] = psx_sys_brk,
    [13] = psx_sys_rt_sigaction,
    [14] = psx_sys_rt_sigprocmask,
    [15] = psx_sys_rt_sigreturn,
    [16] = psx_sys_ioctl,
    [17] = psx_sys_pread64,
    [18] = psx_sys_pwrite64,
    [19] = psx_sys_readv,
    [20] = psx_sys_writev,
    [21] = psx_sys_access,
    [22] = psx_sys_pipe,
    [23] = psx_sys_select,
    [24] = psx_sys_sched_yield,
    [25] = psx_sys_mremap,
    [26] = psx_sys_msync,
    [28] = psx_sys_madvise,
    [32] = psx_sys_dup,
    [33] = psx_sys_dup2,
    [34] = psx_sys_pause,
    [35] = psx_sys_nanosleep,
    [36] = psx_sys_getitimer,
    [37] = psx_sys_alarm,
    [38] = psx_sys_setitimer,
    [39] = psx_sys_getpid,
    [40] = psx_sys_sendfile,
    [56] = psx_sys_clone,
    [57] = psx_sys_fork,
    [58] = psx_sys_vfork,
    [59] = psx_sys_execve,
    [60] = psx_sys_exit,
    [61] = psx_sys_wait4,
    [62] = psx_sys_kill,
    [63] = psx_sys_uname,
    [72] = psx_sys_fcntl,
    [74] = psx_sys_fsync,
    [75] = psx_sys_fsync, /* fdatasync: the same here */
    [76] = psx_sys_truncate,
    [77] = psx_sys_ftruncate,
    [79] = psx_sys_getcwd,
    [80] = psx_sys_chdir,
    [81] = psx_sys_fchdir,
    [82] = psx_sys_rename,
    [83] = psx_sys_mkdir,
    [84] = psx_sys_rmdir,
    [85] = psx_sys_creat,
    [86] = psx_sys_link,
    [87] = psx_sys_unlink,
    [88] = psx_sys_symlink,
    [89] = psx_sys_readlink,
    [90] = psx_sys_chmod,
    [91] = psx_sys_fchmod,
    [95] = psx_sys_umask,
    [96] = psx_sys_gettimeofday,
    [97] = psx_sys_getrlimit,
    [98] = psx_sys_getrusage,
    [99] = psx_sys_sysinfo,
    [100] = psx_sys_times,
    [102] = psx_sys_getuid,
    [104] = psx_sys_getuid,
    [105] = psx_sys_getuid,
    [106] = psx_sys_getuid,
    [107] = psx_sys_getuid,
    [108] = psx_sys_getuid,
    [109] = psx_sys_setpgid,
    [110] = psx_sys_getppid,
    [111] = psx_sys_getpgrp,
    [112] = psx_sys_setsid,
    [115] = psx_sys_getgroups,
    [118] = psx_sys_getresuid,
    [120] = psx_sys_getresuid,
    [121] = psx_sys_getpgid,
    [124] = psx_sys_getsid,
    [127] = psx_sys_rt_sigpending,
    [128] = psx_sys_rt_sigtimedwait,
    [129] = psx_sys_rt_sigqueueinfo,
    [130] = psx_sys_rt_sigsuspend,
    [131] = psx_sys_sigaltstack,
    [133] = psx_sys_mknod,
    [135] = psx_sys_personality,
    [137] = psx_sys_statfs,
    [138] = psx_sys_fstatfs,
    [140] = psx_sys_getpriority,
    [141] = psx_sys_setpriority,
    [143] = psx_sys_sched_getparam,
    [145] = psx_sys_sched_getscheduler,
    [157] = psx_sys_prctl,
    [158] = psx_sys_arch_prctl,
    [160] = psx_sys_setrlimit,
    [186] = psx_sys_gettid,
    [200] = psx_sys_tkill,
    [201] = psx_sys_time,
    [202] = psx_sys_futex,
    [203] = psx_sys_sched_setaffinity,
    [204] = psx_sys_sched_getaffinity,
    [217] = psx_sys_getdents64,
    [218] = psx_sys_set_tid_address,
    [228] = psx_sys_clock_gettime,
    [229] = psx_sys_clock_getres,
    [230] = psx_sys_clock_nanosleep,
    [231] = psx_sys_exit_group,
    [234] = psx_sys_tgkill,
    [247] = psx_sys_waitid,
    [257] = psx_sys_openat,
    [258] = psx_sys_mkdirat,
    [259] = psx_sys_mknodat,
    [262] = psx_sys_newfstatat,
    [263] = psx_sys_unlinkat,
    [264] = psx_sys_renameat,
    [265] = psx_sys_linkat,
    [266] = psx_sys_symlinkat,
    [267] = psx_sys_readlinkat,
    [268] = psx_sys_fchmodat,
    [269] = psx_sys_faccessat,
    [270] = psx_sys_pselect6,
    [271] = psx_sys_ppoll,
    [273] = psx_sys_set_robust_list,
    [297] = psx_sys_rt_tgsigqueueinfo,
    [280] = psx_sys_utimensat,
    [292] = psx_sys_dup3,
    [293] = psx_sys_pipe2,
    [295] = psx_sys_preadv,
    [296] = psx_sys_pwritev,
    [302] = psx_sys_prlimit64,
    [309] = psx_sys_getcpu,
    [316] = psx_sys_renameat2,
    [318] = psx_sys_getrandom,
    [322] = psx_sys_execveat,
    [327] = psx_sys_preadv2,
    [328] = psx_sys_pwritev2,
    [332] = psx_sys_statx,
    [334] = psx_sys_rseq,
    [439] = psx_sys_faccessat2,
};

const unsigned psx_nsyscalls = 442;

/*
 * Calls answered at once from the server's own records: they never wait,
 * never answer by themselves, and change no signal state, so the message
 * loop runs them without the bookkeeping of a call in progress (main.c).
 */
const bool psx_syscall_quick[442] = {
    [39] = true,  /* getpid */
    [95] = true,  /* umask */
    [102] = true, /* getuid */
    [104] = true, /* getgid */
    [107] = true, /* geteuid */
    [108] = true, /* getegid */
    [110] = true, /* getppid */
    [111] = true, /* getpgrp */
    [121] = true, /* getpgid */
    [124] = true, /* getsid */
    [186] = true, /* gettid */
};
