/*
 * check.h: the checking helpers shared by the POSIX personality tests.
 *
 * Every test program is a self-contained static musl program. It makes its
 * checks with the macros below; each failed check prints
 *     FAIL file:line: what (errno N: text)
 * and check_finish() prints the last line, "name: N checks passed", and
 * gives the exit status: 0 only if no check failed.
 *
 * Output goes to fd 1 with write(2), never through stdio, so a fork()ed child
 * cannot print its parent's buffered output a second time and a child killed
 * by a signal loses nothing it already reported.
 *
 * A child made by fork() starts with its counts at zero, makes its own checks
 * and ends with child_exit(); the parent checks the child's wait status with
 * CHECK_EXITED(pid, 0).
 *
 * Entry points: check_start, check_finish, CHECK, REQUIRE, CHECK_EQ, CHECK_OK,
 * CHECK_ERR, CHECK_EXITED, CHECK_KILLED, child_exit, wait_status, say,
 * tmpdir_make, tmpdir_remove, self_exe, EXPECT_FAULT.
 */
#ifndef POSIX_CHECK_H
#define POSIX_CHECK_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_UNUSED __attribute__((unused))

/* the source file's name without the build's relative path */
#ifdef __FILE_NAME__
#define CHECK_FILE __FILE_NAME__
#else
#define CHECK_FILE __FILE__
#endif

static const char *check_prog CHECK_UNUSED = "?";
static int check_passed CHECK_UNUSED;
static int check_failed CHECK_UNUSED;

/* printf to fd 1 in one write(2) per call; keeps errno for the caller. */
__attribute__((format(printf, 1, 2))) static inline void say(const char *fmt, ...)
{
    char buf[1024];
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = sizeof buf - 1;
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(1, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        p += w;
        n -= w;
    }
    errno = saved;
}

static inline int check_note(int ok, const char *file, int line, const char *what, int err)
{
    if (ok) {
        check_passed++;
        return 1;
    }
    check_failed++;
    say("FAIL %s:%d: %s (errno %d: %s)\n", file, line, what, err, strerror(err));
    return 0;
}

static inline int check_note_eq(int ok, const char *file, int line, const char *what, long long got,
                                long long want, int err)
{
    if (ok) {
        check_passed++;
        return 1;
    }
    check_failed++;
    say("FAIL %s:%d: %s: got %lld (%#llx), want %lld (errno %d: %s)\n", file, line, what, got,
        (unsigned long long)got, want, err, strerror(err));
    return 0;
}

static inline int check_note_err(int ok, const char *file, int line, const char *what,
                                 const char *want, long long got, int err)
{
    if (ok) {
        check_passed++;
        return 1;
    }
    check_failed++;
    say("FAIL %s:%d: %s: want -1 with %s, got %lld (errno %d: %s)\n", file, line, what, want, got,
        err, strerror(err));
    return 0;
}

/* errno is read right after the condition, before anything can clobber it. */
#define CHECK(cond)                                       \
    ({                                                    \
        int ok_ = !!(cond);                               \
        int e_ = errno;                                   \
        check_note(ok_, CHECK_FILE, __LINE__, #cond, e_); \
    })

#define CHECK_EQ(got, want)                                                           \
    ({                                                                                \
        long long g_ = (long long)(got), w_ = (long long)(want);                      \
        int e_ = errno;                                                               \
        check_note_eq(g_ == w_, CHECK_FILE, __LINE__, #got " == " #want, g_, w_, e_); \
    })

/* A check the rest of the function depends on: returns from it on failure. */
#define REQUIRE(cond)                                          \
    do {                                                       \
        int ok_ = !!(cond);                                    \
        int e_ = errno;                                        \
        if (!check_note(ok_, CHECK_FILE, __LINE__, #cond, e_)) \
            return;                                            \
    } while (0)

/* A call that must not fail (return -1); gives the call's result. */
#define CHECK_OK(expr)                                         \
    ({                                                         \
        long r_ = (long)(expr);                                \
        int e_ = errno;                                        \
        check_note(r_ != -1, CHECK_FILE, __LINE__, #expr, e_); \
        r_;                                                    \
    })

/* A call that must fail with -1 and exactly this errno. */
#define CHECK_ERR(expr, err)                                                                \
    ({                                                                                      \
        errno = 0;                                                                          \
        long r_ = (long)(expr);                                                             \
        int e_ = errno;                                                                     \
        check_note_err(r_ == -1 && e_ == (err), CHECK_FILE, __LINE__, #expr, #err, r_, e_); \
    })

static inline void check_forked(void)
{
    check_passed = 0;
    check_failed = 0;
}

static inline void check_start(const char *name)
{
    check_prog = name;
    /* so that a child's exit status reflects its own checks only */
    pthread_atfork(NULL, NULL, check_forked);
}

static inline int check_finish(void)
{
    if (check_failed)
        say("%s: %d checks passed, %d FAILED\n", check_prog, check_passed, check_failed);
    else
        say("%s: %d checks passed\n", check_prog, check_passed);
    return check_failed ? 1 : 0;
}

__attribute__((noreturn)) static inline void child_exit(void)
{
    _exit(check_failed ? 1 : 0);
}

/* waitpid that retries when a signal handler interrupts it; -1 on error. */
static inline int wait_status(pid_t pid)
{
    int st;
    pid_t r;
    do {
        r = waitpid(pid, &st, 0);
    } while (r < 0 && errno == EINTR);
    return r == pid ? st : -1;
}

static inline void status_text(int st, char *buf, size_t len)
{
    if (st == -1)
        snprintf(buf, len, "waitpid failed");
    else if (WIFEXITED(st))
        snprintf(buf, len, "exited %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(buf, len, "killed by signal %d", WTERMSIG(st));
    else if (WIFSTOPPED(st))
        snprintf(buf, len, "stopped by signal %d", WSTOPSIG(st));
    else
        snprintf(buf, len, "status %#x", st);
}

static inline int check_status(int st, int ok, const char *file, int line, const char *what)
{
    if (ok) {
        check_passed++;
        return 1;
    }
    char text[64];
    status_text(st, text, sizeof text);
    check_failed++;
    say("FAIL %s:%d: %s: child %s\n", file, line, what, text);
    return 0;
}

#define CHECK_STATUS_EXITED(st, code)                                                        \
    ({                                                                                       \
        int s_ = (st);                                                                       \
        check_status(s_, s_ != -1 && WIFEXITED(s_) && WEXITSTATUS(s_) == (code), CHECK_FILE, \
                     __LINE__, "exit " #code);                                               \
    })
#define CHECK_STATUS_KILLED(st, sig)                                                       \
    ({                                                                                     \
        int s_ = (st);                                                                     \
        check_status(s_, s_ != -1 && WIFSIGNALED(s_) && WTERMSIG(s_) == (sig), CHECK_FILE, \
                     __LINE__, "killed by " #sig);                                         \
    })
#define CHECK_EXITED(pid, code) CHECK_STATUS_EXITED(wait_status(pid), code)
#define CHECK_KILLED(pid, sig)  CHECK_STATUS_KILLED(wait_status(pid), sig)

/* The program's own file, for tests that exec themselves. */
static inline const char *self_exe(const char *argv0)
{
    return access("/proc/self/exe", X_OK) == 0 ? "/proc/self/exe" : argv0;
}

/* ---- a scratch directory under $TMPDIR or /tmp ---- */

static char check_tmpdir[512] CHECK_UNUSED;

static inline const char *tmpdir_make(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    snprintf(check_tmpdir, sizeof check_tmpdir, "%s/posix-%s-XXXXXX", base, check_prog);
    if (!mkdtemp(check_tmpdir)) {
        say("FAIL %s: cannot make a scratch directory under %s (errno %d: %s)\n", check_prog, base,
            errno, strerror(errno));
        exit(1);
    }
    return check_tmpdir;
}

/* Removes everything under dirfd, then the directory name itself. */
static inline void tmpdir_remove_at(int parent, const char *name)
{
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        DIR *d = fdopendir(fd);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            if (unlinkat(fd, e->d_name, 0) != 0)
                tmpdir_remove_at(fd, e->d_name);
        }
        if (d)
            closedir(d);
        else
            close(fd);
    }
    unlinkat(parent, name, AT_REMOVEDIR);
}

static inline void tmpdir_remove(void)
{
    if (check_tmpdir[0]) {
        chmod(check_tmpdir, 0700);
        tmpdir_remove_at(AT_FDCWD, check_tmpdir);
        check_tmpdir[0] = 0;
    }
}

/* ---- faults caught with siglongjmp ---- */

static sigjmp_buf fault_jmp CHECK_UNUSED;
static volatile sig_atomic_t fault_signo CHECK_UNUSED;
static volatile int fault_code CHECK_UNUSED;
static void *volatile fault_addr CHECK_UNUSED;

static inline void fault_catch(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    fault_signo = sig;
    fault_code = si->si_code;
    fault_addr = si->si_addr;
    siglongjmp(fault_jmp, 1);
}

static inline void fault_handlers(int on)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fault_catch;
    sa.sa_flags = SA_SIGINFO;
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        if (on)
            sigaction(sigs[i], &sa, NULL);
        else
            signal(sigs[i], SIG_DFL);
    }
}

/*
 * Runs stmt, which should fault; gives the signal it raised (0 if none) and
 * leaves its si_code and si_addr in fault_code and fault_addr.
 */
#define EXPECT_FAULT(stmt)                  \
    ({                                      \
        volatile int sig_ = 0;              \
        fault_signo = 0;                    \
        fault_addr = NULL;                  \
        fault_handlers(1);                  \
        if (sigsetjmp(fault_jmp, 1) == 0) { \
            stmt;                           \
        } else {                            \
            sig_ = fault_signo;             \
        }                                   \
        fault_handlers(0);                  \
        sig_;                               \
    })

#endif
