/*
 * proc: the process life cycle.
 *
 * fork, and fork spelled as the raw clone(SIGCHLD) that libcs use; vfork
 * (shared memory, parent held until the child execs or exits); posix_spawn
 * with file actions and attributes; execve with argv and envp, #! scripts
 * and its failures; exit codes; what wait4, waitpid and waitid report for
 * exited, killed, stopped and continued children; zombies; reparenting of an
 * orphan (to us, as child subreaper, when the system allows it); FD_CLOEXEC
 * across execve; stdio flushing and atexit at exit().
 *
 * The program runs itself again (through /proc/self/exe, else argv[0]) with
 * a mode word in argv[1]; see exec_mode() for the modes.
 */
#include "check.h"

#include <spawn.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>

extern char **environ;

static const char *self;
static volatile int global_value = 1;

static ssize_t read_all(int fd, char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += n;
    }
    return got;
}

/* ---- modes run in a re-executed copy of this program ---- */

static int mode_argv(int argc, char **argv)
{
    static const char *want_env[] = {"A=1", "PERSONA_TEST=yes with spaces", NULL};
    CHECK_EQ(argc, 6);
    if (argc == 6) {
        CHECK(strcmp(argv[0], "argv0-name") == 0);
        CHECK(strcmp(argv[2], "one") == 0);
        CHECK(strcmp(argv[3], "two words") == 0);
        CHECK(strcmp(argv[4], "") == 0);
        CHECK(strcmp(argv[5], "last") == 0);
    }
    CHECK(argv[argc] == NULL);
    int n = 0;
    while (environ[n])
        n++;
    CHECK_EQ(n, 2);
    for (int i = 0; i < 2 && i < n; i++)
        CHECK(strcmp(environ[i], want_env[i]) == 0);
    CHECK(getenv("PERSONA_TEST") && strcmp(getenv("PERSONA_TEST"), "yes with spaces") == 0);
    CHECK(getenv("PATH") == NULL);
    return check_failed ? 1 : 0;
}

static int exec_mode(int argc, char **argv)
{
    const char *m = argv[1];
    if (strcmp(m, "exit") == 0 && argc == 3)
        return atoi(argv[2]);
    if (strcmp(m, "argv") == 0)
        return mode_argv(argc, argv);
    if (strcmp(m, "echo") == 0 && argc == 3) {
        say("%s", argv[2]);
        return 0;
    }
    if (strcmp(m, "ids") == 0 && argc == 4) {
        /* execve keeps the pid and the parent */
        CHECK_EQ(getpid(), atoi(argv[2]));
        CHECK_EQ(getppid(), atoi(argv[3]));
        return check_failed ? 1 : 0;
    }
    if (strcmp(m, "fds") == 0 && argc == 5) {
        /* argv[2], argv[3] were close-on-exec, argv[4] was not */
        CHECK_ERR(fcntl(atoi(argv[2]), F_GETFD), EBADF);
        CHECK_ERR(fcntl(atoi(argv[3]), F_GETFD), EBADF);
        CHECK_EQ(fcntl(atoi(argv[4]), F_GETFD), 0);
        return check_failed ? 1 : 0;
    }
    if (strcmp(m, "pgrp") == 0) {
        CHECK_EQ(getpgrp(), getpid());
        sigset_t set;
        sigprocmask(SIG_BLOCK, NULL, &set);
        CHECK(sigismember(&set, SIGUSR2));
        return check_failed ? 1 : 0;
    }
    if (strcmp(m, "interp") == 0 && argc == 4) {
        /* run as a #! interpreter: argv is {interp, "interp", script, extra} */
        size_t len = strlen(argv[2]);
        CHECK(len > 7 && strcmp(argv[2] + len - 7, "/script") == 0);
        CHECK(strcmp(argv[3], "extra") == 0);
        return check_failed ? 1 : 0;
    }
    say("FAIL proc: unknown mode %s\n", m);
    return 100;
}

/* ---- fork ---- */

static void test_fork(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    pid_t parent = getpid();
    char *heap = malloc(1 << 20);
    for (int i = 0; i < 1 << 20; i++)
        heap[i] = (char)(i * 7);
    int on_stack = 12345;

    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        pid_t me = getpid();
        CHECK(me != parent);
        CHECK_EQ(getppid(), parent);
        CHECK_EQ(on_stack, 12345);
        int same = 1;
        for (int i = 0; i < 1 << 20; i += 4093)
            same &= heap[i] == (char)(i * 7);
        CHECK(same);
        /* the parent must not see these */
        global_value = 99;
        heap[0] = 1;
        CHECK_EQ(write(p[1], &me, sizeof me), sizeof me);
        child_exit();
    }
    CHECK(pid > 0);
    close(p[1]);
    pid_t reported = 0;
    CHECK_EQ(read_all(p[0], (char *)&reported, sizeof reported), sizeof reported);
    CHECK_EQ(reported, pid);
    CHECK_EXITED(pid, 0);
    CHECK_EQ(global_value, 1);
    CHECK_EQ(heap[0], 0);
    close(p[0]);
    free(heap);
}

/* What musl and glibc do in fork(): the raw system call, child gets 0. */
static void test_raw_clone(void)
{
    pid_t parent = getpid();
    long r = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (r == 0) {
        /* libc's thread data still describes the parent: raw calls only */
        syscall(SYS_exit_group, syscall(SYS_getppid) == parent ? 42 : 1);
    }
    CHECK(r > 0);
    CHECK_EXITED(r, 42);
}

/* ---- vfork ---- */

static volatile int vfork_shared;

static void test_vfork(void)
{
    vfork_shared = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        vfork_shared = 1234;
        _exit(17);
    }
    CHECK(pid > 0);
    /* the child ran first, in our memory */
    CHECK_EQ(vfork_shared, 1234);
    CHECK_EXITED(pid, 17);

    char *args[] = {"proc", "exit", "23", NULL};
    pid = vfork();
    if (pid == 0) {
        execve(self, args, environ);
        _exit(127);
    }
    CHECK(pid > 0);
    CHECK_EXITED(pid, 23);

    /* how shells report a failed exec: through the shared memory */
    vfork_shared = 0;
    pid = vfork();
    if (pid == 0) {
        execve("/nonexistent/program", args, environ);
        vfork_shared = errno;
        _exit(127);
    }
    CHECK_EQ(vfork_shared, ENOENT);
    CHECK_EXITED(pid, 127);
}

/* ---- posix_spawn ---- */

static void test_spawn(void)
{
    pid_t pid = -1;
    char *exit5[] = {"proc", "exit", "5", NULL};
    CHECK_EQ(posix_spawn(&pid, self, NULL, NULL, exit5, environ), 0);
    CHECK_EXITED(pid, 5);

    int p[2];
    CHECK_OK(pipe(p));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    posix_spawn_file_actions_addclose(&fa, p[1]);
    char *echo[] = {"proc", "echo", "spawned hello", NULL};
    CHECK_EQ(posix_spawn(&pid, self, &fa, NULL, echo, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    char buf[64] = {0};
    CHECK_EQ(read_all(p[0], buf, sizeof buf - 1), 13);
    CHECK(strcmp(buf, "spawned hello") == 0);
    close(p[0]);
    CHECK_EXITED(pid, 0);

    /* a new process group and a signal mask, set by the attributes */
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(&at, 0);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR2);
    posix_spawnattr_setsigmask(&at, &mask);
    char *pgrp[] = {"proc", "pgrp", NULL};
    CHECK_EQ(posix_spawn(&pid, self, NULL, &at, pgrp, environ), 0);
    posix_spawnattr_destroy(&at);
    CHECK_EXITED(pid, 0);

    /* the exec failure comes back as posix_spawn's result */
    CHECK_EQ(posix_spawn(&pid, "/nonexistent/program", NULL, NULL, exit5, environ), ENOENT);
}

/* ---- execve ---- */

static void test_execve(const char *dir)
{
    char *args[] = {"argv0-name", "argv", "one", "two words", "", "last", NULL};
    char *env[] = {"A=1", "PERSONA_TEST=yes with spaces", NULL};
    pid_t pid = fork();
    if (pid == 0) {
        execve(self, args, env);
        _exit(127);
    }
    CHECK_EXITED(pid, 0);

    pid_t parent = getpid();
    pid = fork();
    if (pid == 0) {
        char mine[16], his[16];
        snprintf(mine, sizeof mine, "%d", (int)getpid());
        snprintf(his, sizeof his, "%d", (int)parent);
        char *ids[] = {"proc", "ids", mine, his, NULL};
        execve(self, ids, environ);
        _exit(127);
    }
    CHECK_EXITED(pid, 0);

    /* failures return to the caller, which goes on running */
    char path[600];
    char *noargs[] = {"x", NULL};
    CHECK_ERR(execve("/nonexistent/program", noargs, environ), ENOENT);
    CHECK_ERR(execve(dir, noargs, environ), EACCES);
    snprintf(path, sizeof path, "%s/plain", dir);
    int fd = CHECK_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
    CHECK_EQ(write(fd, "not a program\n", 14), 14);
    close(fd);
    /* no execute bit at all: refused even to root */
    CHECK_ERR(execve(path, noargs, environ), EACCES);
    CHECK_OK(chmod(path, 0755));
    /* executable but in no format the system knows */
    CHECK_ERR(execve(path, noargs, environ), ENOEXEC);
    snprintf(path, sizeof path, "%s/plain/sub", dir);
    CHECK_ERR(execve(path, noargs, environ), ENOTDIR);

    /* a #! script naming this program as its interpreter */
    char real[512];
    ssize_t n = readlink("/proc/self/exe", real, sizeof real - 1);
    if (n > 0)
        real[n] = 0;
    else
        snprintf(real, sizeof real, "%s", self);
    if (real[0] != '/') {
        say("proc: no absolute path to this program, #! script not tested\n");
        return;
    }
    snprintf(path, sizeof path, "%s/script", dir);
    fd = CHECK_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755));
    char line[600];
    int len = snprintf(line, sizeof line, "#!%s interp\nthe rest is not read\n", real);
    CHECK_EQ(write(fd, line, len), len);
    close(fd);
    pid = fork();
    if (pid == 0) {
        char *sargs[] = {"script", "extra", NULL};
        execve(path, sargs, environ);
        _exit(127);
    }
    CHECK_EXITED(pid, 0);
}

static void test_cloexec(void)
{
    int a = CHECK_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
    int b = CHECK_OK(open("/dev/null", O_RDONLY));
    int c = CHECK_OK(open("/dev/null", O_RDONLY));
    CHECK_OK(fcntl(b, F_SETFD, FD_CLOEXEC));
    pid_t pid = fork();
    if (pid == 0) {
        char sa[16], sb[16], sc[16];
        snprintf(sa, sizeof sa, "%d", a);
        snprintf(sb, sizeof sb, "%d", b);
        snprintf(sc, sizeof sc, "%d", c);
        char *args[] = {"proc", "fds", sa, sb, sc, NULL};
        execve(self, args, environ);
        _exit(127);
    }
    CHECK_EXITED(pid, 0);
    close(a);
    close(b);
    close(c);
}

/* ---- exit and wait ---- */

static void test_exit_codes(void)
{
    static const int codes[] = {0, 1, 42, 255, 256 + 3};
    for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(codes[i]);
        CHECK_EXITED(pid, codes[i] & 0xff);
    }

    pid_t pid = fork();
    if (pid == 0) {
        kill(getpid(), SIGTERM);
        _exit(0);
    }
    CHECK_KILLED(pid, SIGTERM);
    pid = fork();
    if (pid == 0) {
        raise(SIGKILL);
        _exit(0);
    }
    CHECK_KILLED(pid, SIGKILL);

    /* eight children at once, collected in any order by waitpid(-1) */
    pid_t kids[8];
    for (int i = 0; i < 8; i++) {
        kids[i] = fork();
        if (kids[i] == 0)
            _exit(10 + i);
    }
    int seen = 0;
    for (int n = 0; n < 8; n++) {
        int st;
        pid_t r = waitpid(-1, &st, 0);
        for (int i = 0; i < 8; i++)
            if (r == kids[i] && WIFEXITED(st) && WEXITSTATUS(st) == 10 + i)
                seen |= 1 << i;
    }
    CHECK_EQ(seen, 0xff);
    CHECK_ERR(waitpid(-1, NULL, WNOHANG), ECHILD);
    CHECK_ERR(waitpid(getppid(), NULL, 0), ECHILD);
    CHECK_ERR(waitpid(-1, NULL, 0x100000), EINVAL);
}

static void test_stop_continue(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    pid_t pid = fork();
    if (pid == 0) {
        close(p[1]);
        raise(SIGSTOP);
        char c;
        /* leave only when told, so the parent can see "continued" first */
        _exit(read(p[0], &c, 1) == 1 ? 9 : 1);
    }
    close(p[0]);
    int st = 0;
    CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
    CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
    /* a stopped child is not reported again */
    CHECK_EQ(waitpid(pid, &st, WUNTRACED | WNOHANG), 0);
    CHECK_OK(kill(pid, SIGCONT));
    st = 0;
    CHECK_EQ(waitpid(pid, &st, WCONTINUED), pid);
    CHECK(WIFCONTINUED(st));
    /* still running, held by the pipe */
    CHECK_EQ(waitpid(pid, &st, WNOHANG), 0);
    CHECK_EQ(write(p[1], "x", 1), 1);
    CHECK_EXITED(pid, 9);
    close(p[1]);
}

static void test_waitid(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(77);
    siginfo_t si;
    memset(&si, 0xff, sizeof si);
    CHECK_OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
    CHECK_EQ(si.si_signo, SIGCHLD);
    CHECK_EQ(si.si_pid, pid);
    CHECK_EQ(si.si_code, CLD_EXITED);
    CHECK_EQ(si.si_status, 77);
    CHECK_EQ(si.si_uid, getuid());
    /* WNOWAIT left it there to be waited for again */
    memset(&si, 0, sizeof si);
    CHECK_OK(waitid(P_ALL, 0, &si, WEXITED));
    CHECK_EQ(si.si_pid, pid);
    CHECK_EQ(si.si_status, 77);
    CHECK_ERR(waitpid(pid, NULL, 0), ECHILD);

    int p[2];
    CHECK_OK(pipe(p));
    pid = fork();
    if (pid == 0) {
        char c;
        close(p[1]);
        read(p[0], &c, 1);
        _exit(0);
    }
    close(p[0]);
    memset(&si, 0xff, sizeof si);
    CHECK_OK(waitid(P_PID, pid, &si, WEXITED | WNOHANG));
    CHECK_EQ(si.si_pid, 0);
    CHECK_OK(kill(pid, SIGSTOP));
    memset(&si, 0, sizeof si);
    CHECK_OK(waitid(P_PID, pid, &si, WSTOPPED));
    CHECK_EQ(si.si_code, CLD_STOPPED);
    CHECK_EQ(si.si_status, SIGSTOP);
    CHECK_OK(kill(pid, SIGKILL));
    memset(&si, 0, sizeof si);
    CHECK_OK(waitid(P_PID, pid, &si, WEXITED));
    CHECK_EQ(si.si_code, CLD_KILLED);
    CHECK_EQ(si.si_status, SIGKILL);
    close(p[1]);
    CHECK_ERR(waitid(P_PID, pid, &si, WEXITED), ECHILD);
    CHECK_ERR(waitid(P_ALL, 0, &si, 0), EINVAL);
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_wait4_rusage(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        /* about 50 ms of user time, bounded by 2 s of real time */
        time_t start = time(NULL);
        volatile unsigned long x = 0;
        while (cpu_seconds() < 0.05 && time(NULL) - start < 2)
            for (int i = 0; i < 100000; i++)
                x += i;
        _exit(3);
    }
    struct rusage ru;
    memset(&ru, 0xff, sizeof ru);
    int st = 0;
    CHECK_EQ(wait4(pid, &st, 0, &ru), pid);
    CHECK_STATUS_EXITED(st, 3);
    long usec = ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec +
                ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec;
    CHECK(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
    CHECK(usec > 0 && usec < 60 * 1000000L);
}

static void test_zombie(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    siginfo_t si;
    /* wait until it is dead without reaping it */
    CHECK_OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
    /* a zombie still exists as far as kill(pid, 0) is concerned */
    CHECK_OK(kill(pid, 0));
    CHECK_EXITED(pid, 0);
    CHECK_ERR(kill(pid, 0), ESRCH);
}

/* An orphan gets a new parent: us if we can be a child subreaper. */
static void test_reparent(void)
{
    int sub = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
    int p[2];
    CHECK_OK(pipe(p));
    pid_t a = fork();
    if (a == 0) {
        pid_t a_pid = getpid();
        pid_t b = fork();
        if (b == 0) {
            struct timespec ms = {0, 1000000};
            for (int i = 0; i < 10000 && getppid() == a_pid; i++)
                nanosleep(&ms, NULL);
            pid_t report[2] = {getpid(), getppid()};
            write(p[1], report, sizeof report);
            _exit(0);
        }
        _exit(b > 0 ? 0 : 1);
    }
    close(p[1]);
    CHECK_EXITED(a, 0);
    pid_t report[2] = {0, 0};
    CHECK_EQ(read_all(p[0], (char *)report, sizeof report), sizeof report);
    close(p[0]);
    CHECK(report[1] != a && report[1] > 0);
    if (sub) {
        CHECK_EQ(report[1], getpid());
        CHECK_EXITED(report[0], 0);
        prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
    } else {
        say("proc: PR_SET_CHILD_SUBREAPER refused; the orphan went elsewhere\n");
    }
}

static int atexit_fd = -1;

static void at_exit_write(void)
{
    write(atexit_fd, "atexit", 6);
}

/*
 * exit() runs the atexit handlers, then flushes stdio (the C standard's
 * order); _exit() does neither.
 */
static void test_exit_flush(void)
{
    for (int how = 0; how < 2; how++) {
        int p[2];
        CHECK_OK(pipe(p));
        pid_t pid = fork();
        if (pid == 0) {
            dup2(p[1], 1);
            close(p[0]);
            close(p[1]);
            atexit_fd = 1;
            atexit(at_exit_write);
            printf("buffered ");
            if (how == 0)
                exit(3);
            _exit(4);
        }
        close(p[1]);
        char buf[64] = {0};
        ssize_t n = read_all(p[0], buf, sizeof buf - 1);
        close(p[0]);
        if (how == 0) {
            CHECK(n == 15 && strcmp(buf, "atexitbuffered ") == 0);
            CHECK_EXITED(pid, 3);
        } else {
            CHECK_EQ(n, 0);
            CHECK_EXITED(pid, 4);
        }
    }
}

static void test_sigchld_ignored(void)
{
    /* with SIGCHLD ignored, children are reaped by the system */
    signal(SIGCHLD, SIG_IGN);
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    CHECK_ERR(waitpid(pid, NULL, 0), ECHILD);
    signal(SIGCHLD, SIG_DFL);
}

int main(int argc, char **argv)
{
    check_start("proc");
    self = self_exe(argv[0]);
    if (argc > 1)
        return exec_mode(argc, argv);

    const char *dir = tmpdir_make();
    test_fork();
    test_raw_clone();
    test_vfork();
    test_spawn();
    test_execve(dir);
    test_cloexec();
    test_exit_codes();
    test_stop_continue();
    test_waitid();
    test_wait4_rusage();
    test_zombie();
    test_reparent();
    test_exit_flush();
    test_sigchld_ignored();
    tmpdir_remove();
    return check_finish();
}
