/*
 * signals: signal delivery, masks, handlers and default actions.
 *
 * sigaction and its flags (SA_SIGINFO, SA_RESTART, SA_NODEFER, SA_RESETHAND,
 * SA_ONSTACK), siginfo contents for kill, raise and sigqueue, sigprocmask
 * and pending signals, queued real-time signals, sigsuspend, sigwaitinfo and
 * sigtimedwait, kill to ourselves and to a child, SIGCHLD, faults (SIGSEGV,
 * SIGFPE, SIGILL, SIGTRAP) caught by handlers that siglongjmp out or edit the
 * saved registers, a fault with SIGSEGV blocked, sigaltstack and a stack
 * overflow, default actions and the wait status they leave, and what fork
 * and execve keep of a process's signal state.
 */
#include "check.h"

#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>

extern char **environ;

static const char *self;

/* one record of the last signal a handler saw */
static volatile sig_atomic_t caught, caught_sig, caught_code, caught_pid, caught_uid;
static volatile sig_atomic_t caught_value, caught_has_uc;
static volatile sig_atomic_t order[8], norder;

static void on_plain(int sig)
{
    caught++;
    caught_sig = sig;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
    caught++;
    caught_sig = sig;
    caught_code = si->si_code;
    caught_pid = si->si_pid;
    caught_uid = si->si_uid;
    caught_value = si->si_value.sival_int;
    caught_has_uc = uc != NULL;
    if (norder < 8)
        order[norder++] = sig * 100 + si->si_value.sival_int;
}

static void set_handler(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

static void set_info_handler(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = flags | SA_SIGINFO;
    sigaction(sig, &sa, NULL);
}

static int blocked(int sig)
{
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    return sigismember(&cur, sig);
}

static void block(int how, int sig)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(how, &s, NULL);
}

/*
 * A SIGALRM some seconds away, so that a wait for a signal that never comes
 * ends as a failed check rather than a hang.
 */
static volatile sig_atomic_t guard_fired;

static void on_guard(int sig)
{
    (void)sig;
    guard_fired = 1;
}

static void guard(int seconds)
{
    set_handler(SIGALRM, on_guard, 0);
    guard_fired = 0;
    alarm(seconds);
}

static void unguard(void)
{
    alarm(0);
    signal(SIGALRM, SIG_DFL);
}

/* No core files from children killed on purpose. */
static void no_core(void)
{
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* ---- handlers and siginfo ---- */

static void test_handler(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_plain;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    CHECK_OK(sigaction(SIGUSR1, &sa, &old));
    CHECK(old.sa_handler == SIG_DFL);
    struct sigaction now;
    CHECK_OK(sigaction(SIGUSR1, NULL, &now));
    CHECK(now.sa_handler == on_plain);
    CHECK(sigismember(&now.sa_mask, SIGUSR2));

    caught = 0;
    /* a signal sent to ourselves unblocked arrives before kill returns */
    CHECK_OK(kill(getpid(), SIGUSR1));
    CHECK_EQ(caught, 1);
    CHECK_EQ(caught_sig, SIGUSR1);
    CHECK_OK(raise(SIGUSR1));
    CHECK_EQ(caught, 2);
    CHECK_OK(kill(getpid(), 0));

    set_info_handler(SIGUSR1, on_info, 0);
    caught = 0;
    CHECK_OK(kill(getpid(), SIGUSR1));
    CHECK_EQ(caught, 1);
    CHECK_EQ(caught_code, SI_USER);
    CHECK_EQ(caught_pid, getpid());
    CHECK_EQ(caught_uid, getuid());
    CHECK(caught_has_uc);
    CHECK_OK(raise(SIGUSR1));
    CHECK_EQ(caught_code, SI_TKILL);
    union sigval v = {.sival_int = 4242};
    CHECK_OK(sigqueue(getpid(), SIGUSR1, v));
    CHECK_EQ(caught_code, SI_QUEUE);
    CHECK_EQ(caught_value, 4242);
    CHECK_EQ(caught, 3);
    signal(SIGUSR1, SIG_DFL);
}

static void test_uncatchable(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_plain;
    CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
    CHECK_ERR(sigaction(SIGSTOP, &sa, NULL), EINVAL);
    sa.sa_handler = SIG_IGN;
    CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
    CHECK_ERR(sigaction(0, &sa, NULL), EINVAL);
    CHECK_ERR(sigaction(65, &sa, NULL), EINVAL);
    CHECK_ERR(kill(getpid(), 65), EINVAL);
    CHECK_ERR(kill(0x7ffffff0, 0), ESRCH);

    /* blocking everything leaves SIGKILL and SIGSTOP deliverable */
    sigset_t all, old, cur;
    sigfillset(&all);
    CHECK_OK(sigprocmask(SIG_SETMASK, &all, &old));
    CHECK_OK(sigprocmask(SIG_SETMASK, NULL, &cur));
    CHECK(!sigismember(&cur, SIGKILL) && !sigismember(&cur, SIGSTOP));
    CHECK(sigismember(&cur, SIGTERM) && sigismember(&cur, SIGRTMIN));
    CHECK_OK(sigprocmask(SIG_SETMASK, &old, NULL));
    CHECK_ERR(sigprocmask(12345, &all, NULL), EINVAL);
}

/* ---- masks and pending signals ---- */

static void test_mask(void)
{
    set_handler(SIGUSR1, on_plain, 0);
    caught = 0;
    block(SIG_BLOCK, SIGUSR1);
    CHECK(blocked(SIGUSR1));
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    CHECK_EQ(caught, 0);
    sigset_t pend;
    CHECK_OK(sigpending(&pend));
    CHECK(sigismember(&pend, SIGUSR1));
    CHECK(!sigismember(&pend, SIGUSR2));
    /* standard signals do not queue: two sends, one delivery */
    block(SIG_UNBLOCK, SIGUSR1);
    CHECK_EQ(caught, 1);
    CHECK_OK(sigpending(&pend));
    CHECK(!sigismember(&pend, SIGUSR1));

    /* ignoring a pending signal discards it */
    block(SIG_BLOCK, SIGUSR1);
    kill(getpid(), SIGUSR1);
    signal(SIGUSR1, SIG_IGN);
    sigpending(&pend);
    CHECK(!sigismember(&pend, SIGUSR1));
    block(SIG_UNBLOCK, SIGUSR1);
    signal(SIGUSR1, SIG_DFL);
}

static void test_realtime(void)
{
    int lo = SIGRTMIN + 1, hi = SIGRTMIN + 2;
    /*
     * Each handler blocks both signals, so each runs to its end before the
     * next is chosen (otherwise the handlers nest and run in reverse order).
     */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigaddset(&sa.sa_mask, lo);
    sigaddset(&sa.sa_mask, hi);
    sigaction(lo, &sa, NULL);
    sigaction(hi, &sa, NULL);
    block(SIG_BLOCK, lo);
    block(SIG_BLOCK, hi);
    norder = 0;
    for (int i = 1; i <= 3; i++) {
        union sigval v = {.sival_int = i};
        CHECK_OK(sigqueue(getpid(), hi, v));
    }
    union sigval v = {.sival_int = 9};
    CHECK_OK(sigqueue(getpid(), lo, v));
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, lo);
    sigaddset(&both, hi);
    CHECK_OK(sigprocmask(SIG_UNBLOCK, &both, NULL));
    /* all four queued; the lower number first, each signal's in order */
    CHECK_EQ(norder, 4);
    CHECK_EQ(order[0], lo * 100 + 9);
    CHECK_EQ(order[1], hi * 100 + 1);
    CHECK_EQ(order[2], hi * 100 + 2);
    CHECK_EQ(order[3], hi * 100 + 3);

    /* sigwaitinfo takes them in the same order */
    CHECK_OK(sigprocmask(SIG_BLOCK, &both, NULL));
    sigqueue(getpid(), hi, v);
    sigqueue(getpid(), lo, v);
    siginfo_t si;
    CHECK_EQ(sigwaitinfo(&both, &si), lo);
    CHECK_EQ(si.si_code, SI_QUEUE);
    CHECK_EQ(sigwaitinfo(&both, &si), hi);
    CHECK_OK(sigprocmask(SIG_UNBLOCK, &both, NULL));
    signal(lo, SIG_DFL);
    signal(hi, SIG_DFL);
}

/* ---- the mask while a handler runs; SA_NODEFER, SA_RESETHAND ---- */

static volatile sig_atomic_t in_self_blocked, in_usr2_blocked;

static void on_look(int sig)
{
    in_self_blocked = blocked(sig);
    in_usr2_blocked = blocked(SIGUSR2);
}

static void test_handler_mask(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_look;
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    CHECK_EQ(in_self_blocked, 1);
    CHECK_EQ(in_usr2_blocked, 1);
    CHECK(!blocked(SIGUSR1) && !blocked(SIGUSR2));

    sa.sa_flags = SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    CHECK_EQ(in_self_blocked, 0);
    CHECK_EQ(in_usr2_blocked, 0);

    set_handler(SIGUSR1, on_plain, SA_RESETHAND);
    caught = 0;
    raise(SIGUSR1);
    CHECK_EQ(caught, 1);
    struct sigaction now;
    sigaction(SIGUSR1, NULL, &now);
    CHECK(now.sa_handler == SIG_DFL);
}

/* ---- interrupted system calls ---- */

static volatile sig_atomic_t ticks;
static int tick_fd = -1;

static void on_tick(int sig)
{
    (void)sig;
    if (++ticks == 3 && tick_fd >= 0)
        write(tick_fd, "r", 1);
}

static void ticker(int ms)
{
    struct itimerval it = {{0, ms * 1000}, {0, ms * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void test_restart(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    char c;

    /* without SA_RESTART a blocked read ends with EINTR */
    set_handler(SIGALRM, on_tick, 0);
    ticks = 0;
    tick_fd = -1;
    ticker(20);
    CHECK_ERR(read(p[0], &c, 1), EINTR);
    ticker(0);
    CHECK(ticks >= 1);

    /*
     * With it, the read goes on through the first ticks and returns the
     * byte the third tick's handler writes.
     */
    set_handler(SIGALRM, on_tick, SA_RESTART);
    ticks = 0;
    tick_fd = p[1];
    ticker(20);
    CHECK_EQ(read(p[0], &c, 1), 1);
    ticker(0);
    CHECK(ticks >= 3);
    tick_fd = -1;

    /* nanosleep is never restarted */
    ticks = 0;
    ticker(20);
    struct timespec ts = {10, 0}, rem = {0, 0};
    CHECK_ERR(nanosleep(&ts, &rem), EINTR);
    ticker(0);
    CHECK(rem.tv_sec < 10 && rem.tv_sec >= 5);
    signal(SIGALRM, SIG_DFL);
    close(p[0]);
    close(p[1]);
}

/* ---- waiting for signals ---- */

static void test_sigsuspend(void)
{
    set_handler(SIGUSR1, on_plain, 0);
    block(SIG_BLOCK, SIGUSR1);
    caught = 0;
    pid_t pid = fork();
    if (pid == 0)
        _exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
    sigset_t none;
    sigemptyset(&none);
    guard(10);
    CHECK_ERR(sigsuspend(&none), EINTR);
    unguard();
    CHECK_EQ(caught, 1);
    /* the old mask is back */
    CHECK(blocked(SIGUSR1));
    CHECK_EXITED(pid, 0);
    block(SIG_UNBLOCK, SIGUSR1);
    signal(SIGUSR1, SIG_DFL);
}

static void test_sigwait(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    struct timespec ts = {0, 20 * 1000000};
    siginfo_t si;
    CHECK_ERR(sigtimedwait(&set, &si, &ts), EAGAIN);
    kill(getpid(), SIGUSR2);
    memset(&si, 0, sizeof si);
    CHECK_EQ(sigwaitinfo(&set, &si), SIGUSR2);
    CHECK_EQ(si.si_signo, SIGUSR2);
    CHECK_EQ(si.si_code, SI_USER);
    CHECK_EQ(si.si_pid, getpid());
    raise(SIGUSR2);
    int sig = 0;
    CHECK_EQ(sigwait(&set, &sig), 0);
    CHECK_EQ(sig, SIGUSR2);
    sigset_t pend;
    sigpending(&pend);
    CHECK(!sigismember(&pend, SIGUSR2));
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* ---- signals to a child; SIGCHLD ---- */

static void on_usr1_exit(int sig)
{
    (void)sig;
    _exit(42);
}

static void test_kill_child(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    pid_t pid = fork();
    if (pid == 0) {
        set_handler(SIGUSR1, on_usr1_exit, 0);
        write(p[1], "r", 1);
        for (;;)
            pause();
    }
    char c;
    /* signal only once the handler is in place */
    CHECK_EQ(read(p[0], &c, 1), 1);
    CHECK_OK(kill(pid, SIGUSR1));
    CHECK_EXITED(pid, 42);

    pid = fork();
    if (pid == 0) {
        write(p[1], "r", 1);
        for (;;)
            pause();
    }
    CHECK_EQ(read(p[0], &c, 1), 1);
    CHECK_OK(kill(pid, SIGTERM));
    CHECK_KILLED(pid, SIGTERM);
    close(p[0]);
    close(p[1]);
}

static void test_sigchld(void)
{
    set_info_handler(SIGCHLD, on_info, 0);
    block(SIG_BLOCK, SIGCHLD);
    caught = 0;
    pid_t pid = fork();
    if (pid == 0)
        _exit(5);
    sigset_t none;
    sigemptyset(&none);
    guard(10);
    while (!caught && !guard_fired)
        sigsuspend(&none);
    unguard();
    CHECK_EQ(caught_sig, SIGCHLD);
    CHECK_EQ(caught_code, CLD_EXITED);
    CHECK_EQ(caught_pid, pid);
    CHECK_EXITED(pid, 5);
    block(SIG_UNBLOCK, SIGCHLD);
    signal(SIGCHLD, SIG_DFL);
}

/* ---- faults ---- */

/*
 * fault_load(p) returns *p. Its load instruction and the instruction after
 * it are labelled, so a SIGSEGV handler can check where the fault was and
 * resume past it with a value of its choosing.
 */
__asm__(".text\n"
        ".globl fault_load\n"
        "fault_load:\n"
        ".globl fault_load_insn\n"
        "fault_load_insn:\n"
        "    movq (%rdi), %rax\n"
        ".globl fault_load_resume\n"
        "fault_load_resume:\n"
        "    ret\n");
extern long fault_load(const long *p);
extern char fault_load_insn[], fault_load_resume[];

static volatile long ctx_rip, ctx_rdi;

static void on_segv_fixup(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = ucv;
    ctx_rip = uc->uc_mcontext.gregs[REG_RIP];
    ctx_rdi = uc->uc_mcontext.gregs[REG_RDI];
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)fault_load_resume;
    uc->uc_mcontext.gregs[REG_RAX] = 0x5eed;
}

static void test_faults(void)
{
    int sig = EXPECT_FAULT(*(volatile int *)0 = 1);
    CHECK_EQ(sig, SIGSEGV);
    CHECK_EQ(fault_code, SEGV_MAPERR);
    CHECK(fault_addr == NULL);
    /* siglongjmp restored the mask saved by sigsetjmp */
    CHECK(!blocked(SIGSEGV));

    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(ro != MAP_FAILED);
    sig = EXPECT_FAULT(ro[100] = 1);
    CHECK_EQ(sig, SIGSEGV);
    CHECK_EQ(fault_code, SEGV_ACCERR);
    CHECK(fault_addr == ro + 100);
    munmap(ro, 4096);

    /* kernel-half and non-canonical addresses fault like any other */
    CHECK_EQ(EXPECT_FAULT(*(volatile char *)0xffffffff80000000UL), SIGSEGV);
    CHECK_EQ(EXPECT_FAULT(*(volatile char *)0x8000000000000000UL), SIGSEGV);

    volatile int num = 7, zero = 0;
    sig = EXPECT_FAULT(num = num / zero);
    CHECK_EQ(sig, SIGFPE);
    CHECK_EQ(fault_code, FPE_INTDIV);
    volatile int min = INT32_MIN, minus1 = -1;
    CHECK_EQ(EXPECT_FAULT(num = min / minus1), SIGFPE);

    sig = EXPECT_FAULT(__asm__ volatile("ud2"));
    CHECK_EQ(sig, SIGILL);
    CHECK_EQ(fault_code, ILL_ILLOPN);
    CHECK_EQ(EXPECT_FAULT(__asm__ volatile("int3")), SIGTRAP);

    /* a handler that repairs the saved registers and returns */
    set_info_handler(SIGSEGV, on_segv_fixup, 0);
    long v = fault_load((const long *)16);
    CHECK_EQ(v, 0x5eed);
    CHECK_EQ(ctx_rip, (long)fault_load_insn);
    CHECK_EQ(ctx_rdi, 16);
    long fine = 77;
    CHECK_EQ(fault_load(&fine), 77);
    signal(SIGSEGV, SIG_DFL);

    /* a fault with SIGSEGV blocked or ignored still kills */
    for (int how = 0; how < 2; how++) {
        pid_t pid = fork();
        if (pid == 0) {
            no_core();
            if (how == 0)
                block(SIG_BLOCK, SIGSEGV);
            else
                signal(SIGSEGV, SIG_IGN);
            volatile int *volatile bad = (int *)8;
            *bad = 1;
            _exit(0);
        }
        CHECK_KILLED(pid, SIGSEGV);
    }
}

/* ---- the alternate signal stack ---- */

static char *alt_base;
static volatile sig_atomic_t alt_on, alt_flags, alt_eperm;
static sigjmp_buf overflow_jmp;

static void on_alt(int sig)
{
    (void)sig;
    char here;
    alt_on = &here >= alt_base && &here < alt_base + 65536;
    stack_t now;
    sigaltstack(NULL, &now);
    alt_flags = now.ss_flags;
    stack_t other = {.ss_sp = alt_base, .ss_size = 65536, .ss_flags = 0};
    alt_eperm = sigaltstack(&other, NULL) == -1 && errno == EPERM;
}

static void on_overflow(int sig)
{
    (void)sig;
    siglongjmp(overflow_jmp, 1);
}

static int recurse(int n)
{
    volatile char pad[4096];
    pad[0] = (char)n;
    if (n > 1000000000)
        return 0;
    return recurse(n + 1) + pad[0];
}

static void test_altstack(void)
{
    stack_t st;
    CHECK_OK(sigaltstack(NULL, &st));
    CHECK(st.ss_flags & SS_DISABLE);
    alt_base = malloc(65536);
    stack_t small = {.ss_sp = alt_base, .ss_size = 1024, .ss_flags = 0};
    CHECK_ERR(sigaltstack(&small, NULL), ENOMEM);
    stack_t ss = {.ss_sp = alt_base, .ss_size = 65536, .ss_flags = 0};
    CHECK_OK(sigaltstack(&ss, NULL));
    set_handler(SIGUSR1, on_alt, SA_ONSTACK);
    raise(SIGUSR1);
    CHECK_EQ(alt_on, 1);
    CHECK(alt_flags & SS_ONSTACK);
    CHECK_EQ(alt_eperm, 1);
    /* without SA_ONSTACK the handler stays on the normal stack */
    set_handler(SIGUSR1, on_alt, 0);
    raise(SIGUSR1);
    CHECK_EQ(alt_on, 0);
    signal(SIGUSR1, SIG_DFL);

    /* a stack overflow can only be handled on another stack */
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit rl = {1 << 20, 1 << 20};
        setrlimit(RLIMIT_STACK, &rl);
        set_handler(SIGSEGV, on_overflow, SA_ONSTACK);
        if (sigsetjmp(overflow_jmp, 1) == 0)
            recurse(0);
        else
            _exit(33);
        _exit(1);
    }
    CHECK_EXITED(pid, 33);
    ss.ss_flags = SS_DISABLE;
    CHECK_OK(sigaltstack(&ss, NULL));
    free(alt_base);
}

/* ---- default actions ---- */

static void on_return(int sig)
{
    (void)sig;
}

static void test_defaults(void)
{
    static const int kills[] = {SIGTERM, SIGINT,  SIGHUP,  SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE,
                                SIGQUIT, SIGABRT, SIGSEGV, SIGBUS,  SIGFPE,  SIGILL,  SIGKILL};
    for (unsigned i = 0; i < sizeof kills / sizeof kills[0]; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            no_core();
            kill(getpid(), kills[i]);
            _exit(0);
        }
        int st = wait_status(pid);
        if (!CHECK_STATUS_KILLED(st, kills[i]))
            say("  (signal %d)\n", kills[i]);
    }
    /* these are ignored by default */
    static const int ignored[] = {SIGCHLD, SIGURG, SIGWINCH, SIGCONT};
    for (unsigned i = 0; i < sizeof ignored / sizeof ignored[0]; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            kill(getpid(), ignored[i]);
            _exit(0);
        }
        CHECK_EXITED(pid, 0);
    }
    /* abort() kills even when a SIGABRT handler returns */
    pid_t pid = fork();
    if (pid == 0) {
        no_core();
        set_handler(SIGABRT, on_return, 0);
        abort();
    }
    CHECK_KILLED(pid, SIGABRT);
    /* an expiring timer sends SIGALRM */
    pid = fork();
    if (pid == 0) {
        ticker(10);
        for (;;)
            pause();
    }
    CHECK_KILLED(pid, SIGALRM);
    CHECK_EQ(alarm(5), 0);
    unsigned left = alarm(0);
    CHECK(left >= 4 && left <= 5);
}

/* ---- fork and execve ---- */

static int exec_check(void)
{
    struct sigaction sa;
    sigaction(SIGUSR1, NULL, &sa);
    /* handlers do not survive execve; ignored signals and the mask do */
    CHECK(sa.sa_handler == SIG_DFL);
    sigaction(SIGUSR2, NULL, &sa);
    CHECK(sa.sa_handler == SIG_IGN);
    CHECK(blocked(SIGHUP));
    CHECK(!blocked(SIGUSR1));
    sigset_t pend;
    sigpending(&pend);
    CHECK(!sigismember(&pend, SIGHUP));
    return check_failed ? 1 : 0;
}

static void test_fork_exec(void)
{
    set_handler(SIGUSR1, on_plain, 0);
    signal(SIGUSR2, SIG_IGN);
    block(SIG_BLOCK, SIGHUP);
    raise(SIGHUP);
    pid_t pid = fork();
    if (pid == 0) {
        struct sigaction sa;
        sigaction(SIGUSR1, NULL, &sa);
        CHECK(sa.sa_handler == on_plain);
        CHECK(blocked(SIGHUP));
        /* pending signals are not inherited */
        sigset_t pend;
        sigpending(&pend);
        CHECK(!sigismember(&pend, SIGHUP));
        char *args[] = {"signals", "exec-check", NULL};
        execve(self, args, environ);
        _exit(127);
    }
    CHECK_EXITED(pid, 0);
    /* drop our pending SIGHUP before unblocking it */
    signal(SIGHUP, SIG_IGN);
    block(SIG_UNBLOCK, SIGHUP);
    signal(SIGHUP, SIG_DFL);
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
}

int main(int argc, char **argv)
{
    check_start("signals");
    self = self_exe(argv[0]);
    if (argc == 2 && strcmp(argv[1], "exec-check") == 0)
        return exec_check();

    test_handler();
    test_uncatchable();
    test_mask();
    test_realtime();
    test_handler_mask();
    test_restart();
    test_sigsuspend();
    test_sigwait();
    test_kill_child();
    test_sigchld();
    test_faults();
    test_altstack();
    test_defaults();
    test_fork_exec();
    return check_finish();
}
