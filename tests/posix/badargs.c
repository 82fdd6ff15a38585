/*
 * badargs: the errors a system must give, and survive, for bad arguments.
 *
 * EFAULT for pointers that are NULL, unmapped, read-only where the call
 * writes, in the kernel half (0xffffffff80000000) or non-canonical, and for
 * strings that run into an unmapped page, across the calls that take
 * pointers; EBADF for closed, huge and negative descriptors and for the
 * wrong access mode; EINVAL; ENOENT; ENOTDIR; EISDIR; EEXIST; ENOTEMPTY;
 * ENAMETOOLONG; EMFILE once RLIMIT_NOFILE is reached; and a few others
 * (ESPIPE, ENOTTY, ELOOP, E2BIG, EPERM).
 *
 * Calls that take pointers are made through syscall(), so that the bad
 * pointer reaches the system instead of crashing inside libc.
 */
#include "check.h"

#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

#define PAGE 4096

extern char **environ;

static const char *self;
static char dir[PATH_MAX], file[PATH_MAX + 16], sub[PATH_MAX + 16], link_path[PATH_MAX + 16];

enum { NBAD = 4 };
static void *bad[NBAD];
static const char *bad_name[NBAD] = {"NULL", "unmapped", "kernel", "non-canonical"};
static char *ro_page;

/* Runs stmt once with each bad pointer in bp; says which one failed. */
#define FOR_BAD_FROM(first, stmt)                                  \
    for (int b_ = (first); b_ < NBAD; b_++) {                      \
        void *bp = bad[b_];                                        \
        if (!(stmt))                                               \
            say("  (with the %s pointer %p)\n", bad_name[b_], bp); \
    }
#define FOR_BAD(stmt) FOR_BAD_FROM(0, stmt)
/* for pointers where NULL means "not given" */
#define FOR_BAD_NONNULL(stmt) FOR_BAD_FROM(1, stmt)

static void setup(void)
{
    char *m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + PAGE, PAGE);
    bad[0] = NULL;
    bad[1] = m + PAGE;
    bad[2] = (void *)0xffffffff80000000UL;
    bad[3] = (void *)0x8000000000000000UL;
    ro_page = m;
    memset(ro_page, 'a', PAGE);
    mprotect(ro_page, PAGE, PROT_READ);

    snprintf(file, sizeof file, "%s/file", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(link_path, sizeof link_path, "%s/link", dir);
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "content", 7);
    close(fd);
    mkdir(sub, 0755);
    symlink("file", link_path);
}

/* ---- EFAULT ---- */

static void test_efault_io(void)
{
    int z = CHECK_OK(open("/dev/zero", O_RDONLY));
    int p[2];
    CHECK_OK(pipe(p));
    int f = CHECK_OK(open(file, O_RDONLY));
    FOR_BAD(CHECK_ERR(syscall(SYS_read, z, bp, 16), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_read, f, bp, 16), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_write, p[1], bp, 16), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_pread64, f, bp, 4, 0), EFAULT));
    /* the system writes into read-only memory no more than we may */
    CHECK_ERR(syscall(SYS_read, z, ro_page, 16), EFAULT);
    CHECK_EQ(ro_page[0], 'a');
    /* a zero count touches nothing */
    CHECK_EQ(syscall(SYS_read, z, NULL, 0), 0);
    CHECK_EQ(syscall(SYS_write, p[1], NULL, 0), 0);

    struct iovec iov = {bad[1], 16};
    CHECK_ERR(syscall(SYS_writev, p[1], &iov, 1), EFAULT);
    FOR_BAD(CHECK_ERR(syscall(SYS_writev, p[1], bp, 1), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_pipe, bp), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_pipe2, bp, 0), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_poll, bp, 1, 0), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_ioctl, p[0], 0x541B /* FIONREAD */, bp), EFAULT));
    struct timeval tv0 = {0, 0};
    CHECK_ERR(syscall(SYS_select, 1, bad[1], NULL, NULL, &tv0), EFAULT);
    CHECK_ERR(syscall(SYS_sendfile, p[1], f, bad[1], 4), EFAULT);
    int d = CHECK_OK(open(dir, O_RDONLY | O_DIRECTORY));
    FOR_BAD(CHECK_ERR(syscall(SYS_getdents64, d, bp, 4096), EFAULT));
    close(d);
    close(f);
    close(z);
    close(p[0]);
    close(p[1]);
}

static void test_efault_paths(void)
{
    struct stat st;
    FOR_BAD(CHECK_ERR(syscall(SYS_open, bp, O_RDONLY), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_openat, AT_FDCWD, bp, O_RDONLY), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_stat, bp, &st), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_stat, file, bp), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_lstat, bp, &st), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_newfstatat, AT_FDCWD, bp, &st, 0), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_newfstatat, AT_FDCWD, file, bp, 0), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_statx, AT_FDCWD, file, 0, 0x7ff, bp), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_fstat, 0, bp), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_access, bp, F_OK), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_chdir, bp), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_mkdir, bp, 0755), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_unlink, bp), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_rename, bp, file), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_symlink, bp, link_path), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_readlink, link_path, bp, 64), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_readlink, bp, ro_page, 64), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_getcwd, bp, 256), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_truncate, bp, 0), EFAULT));

    /* a name with no NUL before an unmapped page */
    char *m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + PAGE, PAGE);
    memset(m, 'n', PAGE);
    CHECK_ERR(syscall(SYS_open, m + 100, O_RDONLY), EFAULT);
    CHECK_ERR(syscall(SYS_stat, m + 100, &st), EFAULT);
    /* the same name, ended just in time, is merely missing */
    m[PAGE - 1] = 0;
    CHECK_ERR(syscall(SYS_open, m + PAGE - 200, O_RDONLY), ENOENT);
    munmap(m, PAGE);
}

static void test_efault_exec(void)
{
    /* run in a child, which exits at once should one of these succeed */
    pid_t pid = fork();
    if (pid == 0) {
        char *env[] = {"BADARGS_EXECED=1", NULL};
        char *argv[] = {"badargs", NULL};
        char *badargv[] = {"badargs", bad[1], NULL};
        FOR_BAD(CHECK_ERR(syscall(SYS_execve, bp, argv, env), EFAULT));
        CHECK_ERR(syscall(SYS_execve, self, bad[1], env), EFAULT);
        CHECK_ERR(syscall(SYS_execve, self, badargv, env), EFAULT);
        CHECK_ERR(syscall(SYS_execve, self, argv, bad[2]), EFAULT);
        /* one argument longer than the system takes */
        size_t len = 1 << 20;
        char *huge = malloc(len + 1);
        memset(huge, 'h', len);
        huge[len] = 0;
        char *bigargv[] = {"badargs", huge, NULL};
        CHECK_ERR(execve(self, bigargv, env), E2BIG);
        child_exit();
    }
    CHECK_EXITED(pid, 0);
}

static void test_efault_misc(void)
{
    FOR_BAD(CHECK_ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, bp), EFAULT));
    FOR_BAD_NONNULL(CHECK_ERR(syscall(SYS_clock_getres, CLOCK_MONOTONIC, bp), EFAULT));
    FOR_BAD_NONNULL(CHECK_ERR(syscall(SYS_gettimeofday, bp, NULL), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_nanosleep, bp, NULL), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_uname, bp), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_sysinfo, bp), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_getrusage, RUSAGE_SELF, bp), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_getrlimit, RLIMIT_NOFILE, bp), EFAULT));
    FOR_BAD_NONNULL(CHECK_ERR(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, bp), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_getrandom, bp, 16, 0), EFAULT));
    FOR_BAD_NONNULL(CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, bp, NULL, 8), EFAULT));
    FOR_BAD_NONNULL(CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, NULL, bp, 8), EFAULT));
    FOR_BAD_NONNULL(CHECK_ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, bp, NULL, 8), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_rt_sigpending, bp, 8), EFAULT));
    FOR_BAD_NONNULL(CHECK_ERR(syscall(SYS_sigaltstack, bp, NULL), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_futex, bp, 0 /* FUTEX_WAIT */, 0, NULL, NULL, 0), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, bp), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_getresuid, bp, bp, bp), EFAULT));
    FOR_BAD(CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 128, bp), EFAULT));
    FOR_BAD_NONNULL(CHECK_ERR(syscall(SYS_wait4, -1, NULL, WNOHANG, bp), ECHILD));
    /* still alive, and the mask was not changed by the failed calls */
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    CHECK(!sigismember(&cur, SIGUSR1));
}

/* ---- EBADF ---- */

static void test_ebadf(void)
{
    int closed = CHECK_OK(open("/dev/null", O_RDONLY));
    close(closed);
    const int fds[] = {closed, 1 << 20, INT_MAX, -1};
    char buf[16];
    struct stat st;
    for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        int fd = fds[i];
        int before = check_failed;
        CHECK_ERR(read(fd, buf, 1), EBADF);
        CHECK_ERR(write(fd, "x", 1), EBADF);
        CHECK_ERR(close(fd), EBADF);
        CHECK_ERR(fstat(fd, &st), EBADF);
        CHECK_ERR(lseek(fd, 0, SEEK_SET), EBADF);
        CHECK_ERR(dup(fd), EBADF);
        CHECK_ERR(dup2(fd, 50), EBADF);
        CHECK_ERR(fcntl(fd, F_GETFD), EBADF);
        CHECK_ERR(fcntl(fd, F_GETFL), EBADF);
        CHECK_ERR(fsync(fd), EBADF);
        CHECK_ERR(ftruncate(fd, 0), EBADF);
        CHECK_ERR(fchdir(fd), EBADF);
        CHECK_ERR(fchmod(fd, 0644), EBADF);
        CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof buf), EBADF);
        CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0), EBADF);
        CHECK_ERR(syscall(SYS_ioctl, fd, 0x541B, buf), EBADF);
        CHECK_ERR(openat(fd, "x", O_RDONLY), EBADF);
        if (check_failed != before)
            say("  (with fd %d)\n", fd);
    }
    CHECK_ERR(dup2(0, -1), EBADF);
    CHECK_ERR(dup2(0, INT_MAX), EBADF);
    int ro = CHECK_OK(open(file, O_RDONLY));
    int wo = CHECK_OK(open(file, O_WRONLY));
    CHECK_ERR(write(ro, "x", 1), EBADF);
    CHECK_ERR(read(wo, buf, 1), EBADF);
    close(ro);
    close(wo);
    struct pollfd pfd = {closed, POLLIN, 0};
    /* poll reports a bad descriptor instead of failing */
    CHECK_EQ(poll(&pfd, 1, 0), 1);
    CHECK_EQ(pfd.revents, POLLNVAL);
}

/* ---- EINVAL ---- */

static void test_einval(void)
{
    int fd = CHECK_OK(open(file, O_RDONLY));
    CHECK_ERR(lseek(fd, 0, 99), EINVAL);
    CHECK_ERR(lseek(fd, -10, SEEK_SET), EINVAL);
    CHECK_ERR(fcntl(fd, 0x7fff), EINVAL);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < INT_MAX)
        CHECK_ERR(fcntl(fd, F_DUPFD, (int)rl.rlim_cur), EINVAL);
    CHECK_ERR(syscall(SYS_dup3, fd, fd, 0), EINVAL);
    char buf[16];
    CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof buf), ENOTDIR);
    close(fd);
    int d = CHECK_OK(open(dir, O_RDONLY | O_DIRECTORY));
    CHECK_ERR(syscall(SYS_getdents64, d, buf, 4), EINVAL);
    close(d);
    CHECK_ERR(syscall(SYS_readlink, link_path, buf, 0), EINVAL);
    CHECK_ERR(readlink(file, buf, sizeof buf), EINVAL);

    sigset_t set;
    sigemptyset(&set);
    CHECK_ERR(syscall(SYS_rt_sigprocmask, 99, &set, NULL, 8), EINVAL);
    CHECK_ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4), EINVAL);
    CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4), EINVAL);
    CHECK_ERR(kill(getpid(), 99), EINVAL);
    int p[2];
    CHECK_ERR(pipe2(p, 0x1234), EINVAL);
    CHECK_ERR(syscall(SYS_wait4, -1, NULL, 0x1000, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_waitid, 99, 0, NULL, WEXITED, NULL), EINVAL);
    CHECK_ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
    CHECK_ERR(munmap((void *)(uintptr_t)0x10000001, PAGE), EINVAL);
    struct timespec ts = {0, 2000000000};
    CHECK_ERR(nanosleep(&ts, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_clock_gettime, 99, &ts), EINVAL);
    CHECK_ERR(access(file, 0x80), EINVAL);
    CHECK_ERR(unlinkat(AT_FDCWD, file, 0x4321), EINVAL);
    CHECK_ERR(rmdir("."), EINVAL);
    stack_t ss = {.ss_sp = ro_page, .ss_size = 65536, .ss_flags = 0x4321};
    CHECK_ERR(sigaltstack(&ss, NULL), EINVAL);
    cpu_set_t none;
    CPU_ZERO(&none);
    CHECK_ERR(sched_setaffinity(0, sizeof none, &none), EINVAL);
}

/* ---- names: ENOENT ENOTDIR EISDIR EEXIST ENOTEMPTY ENAMETOOLONG ELOOP ---- */

static void test_names(void)
{
    char path[PATH_MAX + 400], name_buf[16];
    struct stat st;
    snprintf(path, sizeof path, "%s/missing", dir);
    CHECK_ERR(open(path, O_RDONLY), ENOENT);
    CHECK_ERR(open("", O_RDONLY), ENOENT);
    CHECK_ERR(stat("", &st), ENOENT);
    CHECK_ERR(stat(path, &st), ENOENT);
    CHECK_ERR(unlink(path), ENOENT);
    CHECK_ERR(rmdir(path), ENOENT);
    CHECK_ERR(chdir(path), ENOENT);
    CHECK_ERR(rename(path, file), ENOENT);
    CHECK_ERR(truncate(path, 0), ENOENT);
    CHECK_ERR(readlink(path, name_buf, 10), ENOENT);
    snprintf(path, sizeof path, "%s/missing/deeper", dir);
    CHECK_ERR(open(path, O_WRONLY | O_CREAT, 0644), ENOENT);
    CHECK_ERR(mkdir(path, 0755), ENOENT);

    snprintf(path, sizeof path, "%s/x", file);
    CHECK_ERR(open(path, O_RDONLY), ENOTDIR);
    CHECK_ERR(open(path, O_WRONLY | O_CREAT, 0644), ENOTDIR);
    CHECK_ERR(mkdir(path, 0755), ENOTDIR);
    snprintf(path, sizeof path, "%s/", file);
    CHECK_ERR(stat(path, &st), ENOTDIR);
    CHECK_ERR(open(file, O_RDONLY | O_DIRECTORY), ENOTDIR);
    CHECK_ERR(chdir(file), ENOTDIR);
    CHECK_ERR(rmdir(file), ENOTDIR);
    CHECK_ERR(rename(sub, file), ENOTDIR);

    CHECK_ERR(open(sub, O_WRONLY), EISDIR);
    CHECK_ERR(open(sub, O_RDWR), EISDIR);
    CHECK_ERR(open(sub, O_RDONLY | O_CREAT, 0644), EISDIR);
    CHECK_ERR(unlink(sub), EISDIR);
    CHECK_ERR(rename(file, sub), EISDIR);
    CHECK_ERR(truncate(sub, 0), EISDIR);
    int d = CHECK_OK(open(sub, O_RDONLY));
    char c;
    CHECK_ERR(read(d, &c, 1), EISDIR);
    close(d);

    CHECK_ERR(mkdir(sub, 0755), EEXIST);
    CHECK_ERR(mkdir(file, 0755), EEXIST);
    CHECK_ERR(open(file, O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
    CHECK_ERR(open(link_path, O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
    CHECK_ERR(link(file, link_path), EEXIST);
    CHECK_ERR(symlink("anything", file), EEXIST);
    CHECK_ERR(mkfifo(file, 0644), EEXIST);

    snprintf(path, sizeof path, "%s/inner", sub);
    CHECK_OK(mkdir(path, 0755));
    CHECK_ERR(rmdir(sub), ENOTEMPTY);
    rmdir(path);

    char name[300];
    memset(name, 'n', 256);
    name[256] = 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK_ERR(open(path, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG);
    CHECK_ERR(mkdir(path, 0755), ENAMETOOLONG);
    CHECK_ERR(stat(path, &st), ENAMETOOLONG);
    /* exactly 255 is allowed */
    name[255] = 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = CHECK_OK(open(path, O_WRONLY | O_CREAT, 0644));
    close(fd);
    CHECK_OK(unlink(path));
    /* a whole path over PATH_MAX, though each component is short */
    static char longpath[PATH_MAX + 200];
    size_t len = 0;
    while (len < PATH_MAX + 100)
        len += (size_t)snprintf(longpath + len, sizeof longpath - len, "./");
    CHECK_ERR(open(longpath, O_RDONLY), ENAMETOOLONG);
    CHECK_ERR(stat(longpath, &st), ENAMETOOLONG);
    static char target[PATH_MAX + 2];
    memset(target, 't', PATH_MAX);
    target[PATH_MAX] = 0;
    snprintf(path, sizeof path, "%s/longlink", dir);
    CHECK_ERR(symlink(target, path), ENAMETOOLONG);

    snprintf(path, sizeof path, "%s/self-loop", dir);
    CHECK_OK(symlink("self-loop", path));
    CHECK_ERR(open(path, O_RDONLY), ELOOP);
    CHECK_ERR(stat(path, &st), ELOOP);
}

/* ---- EMFILE and the rest ---- */

static void test_emfile(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        enum { LIMIT = 32 };
        struct rlimit rl = {LIMIT, LIMIT};
        CHECK_OK(setrlimit(RLIMIT_NOFILE, &rl));
        int last = -1, fd;
        while ((fd = open("/dev/null", O_RDONLY)) >= 0)
            last = fd;
        CHECK_EQ(errno, EMFILE);
        /* every number below the limit is now in use, none above */
        CHECK(last >= 3 && last < LIMIT);
        int all = 1;
        for (int i = 0; i < LIMIT; i++)
            all &= fcntl(i, F_GETFD) != -1;
        CHECK(all);
        int p[2];
        CHECK_ERR(dup(0), EMFILE);
        CHECK_ERR(pipe(p), EMFILE);
        CHECK_ERR(fcntl(0, F_DUPFD, 5), EMFILE);
        CHECK_ERR(dup2(0, LIMIT), EBADF);
        /* a freed number is the next one handed out */
        close(17);
        CHECK_EQ(open("/dev/null", O_RDONLY), 17);
        child_exit();
    }
    CHECK_EXITED(pid, 0);

    int p[2];
    CHECK_OK(pipe(p));
    CHECK_ERR(lseek(p[0], 0, SEEK_CUR), ESPIPE);
    close(p[0]);
    close(p[1]);
    int fd = CHECK_OK(open(file, O_RDONLY));
    char t[64];
    CHECK_ERR(syscall(SYS_ioctl, fd, 0x5401 /* TCGETS */, t), ENOTTY);
    close(fd);
    CHECK_ERR(kill(0x7ffffff0, SIGTERM), ESRCH);
    CHECK_ERR(waitpid(-1, NULL, WNOHANG), ECHILD);
    char fresh[PATH_MAX + 16];
    snprintf(fresh, sizeof fresh, "%s/dirlink", dir);
    CHECK_ERR(link(sub, fresh), EPERM);
}

int main(int argc, char **argv)
{
    (void)argc;
    check_start("badargs");
    /* set in the environment of the execve calls that should have failed */
    if (getenv("BADARGS_EXECED"))
        return 99;
    self = self_exe(argv[0]);
    snprintf(dir, sizeof dir, "%s", tmpdir_make());
    setup();
    test_efault_io();
    test_efault_paths();
    test_efault_exec();
    test_efault_misc();
    test_ebadf();
    test_einval();
    test_names();
    test_emfile();
    tmpdir_remove();
    return check_finish();
}
