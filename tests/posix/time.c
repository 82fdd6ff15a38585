/*
 * time: clocks, sleeps and interval timers.
 *
 * clock_gettime on every common clock (monotonic never goes back and does
 * move; realtime agrees with gettimeofday and time), clock_getres, the CPU
 * time clocks and getrusage/times after some work, nanosleep (never early,
 * not wildly late, EINTR with the remaining time, bad arguments),
 * clock_nanosleep relative and absolute, and setitimer/getitimer.
 *
 * Lower bounds are exact (a sleep must not end early); upper bounds are
 * generous, so that a loaded machine does not make the test flaky.
 */
#include "check.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

static long long ns_of(struct timespec t)
{
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long now_ns(clockid_t c)
{
    struct timespec t;
    if (clock_gettime(c, &t) != 0)
        return -1;
    return ns_of(t);
}

#define MS 1000000LL

/* Spends about ms of CPU time, or 3 s of real time if the CPU clock is stuck. */
static void burn_cpu(int ms)
{
    long long cpu0 = now_ns(CLOCK_PROCESS_CPUTIME_ID), wall0 = now_ns(CLOCK_MONOTONIC);
    volatile unsigned long x = 0;
    while (now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0 < ms * MS &&
           now_ns(CLOCK_MONOTONIC) - wall0 < 3000 * MS)
        for (int i = 0; i < 10000; i++)
            x += i;
}

static void test_clocks(void)
{
    static const clockid_t ids[] = {
        CLOCK_REALTIME,         CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW,      CLOCK_REALTIME_COARSE,
        CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,  CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID};
    for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        struct timespec t = {-1, -1}, res = {-1, -1};
        if (CHECK_OK(clock_gettime(ids[i], &t)) != 0)
            say("  (clock %d)\n", (int)ids[i]);
        CHECK(t.tv_sec >= 0 && t.tv_nsec >= 0 && t.tv_nsec < 1000000000);
        CHECK_OK(clock_getres(ids[i], &res));
        /* at least as fine as a 100 Hz tick */
        if (!CHECK(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 10 * MS))
            say("  (clock %d: resolution %lld ns)\n", (int)ids[i], ns_of(res));
    }
    struct timespec t;
    CHECK_ERR(clock_gettime(1234, &t), EINVAL);
    CHECK_ERR(syscall(SYS_clock_gettime, 1234, &t), EINVAL);
    CHECK_ERR(clock_getres(1234, &t), EINVAL);

    /* monotonic: never backwards, and it moves without any sleep */
    long long prev = now_ns(CLOCK_MONOTONIC), first = prev;
    int backwards = 0;
    for (int i = 0; i < 1000; i++) {
        long long n = now_ns(CLOCK_MONOTONIC);
        backwards |= n < prev;
        prev = n;
    }
    CHECK(!backwards);
    for (int i = 0; i < 10000000 && prev == first; i++)
        prev = now_ns(CLOCK_MONOTONIC);
    CHECK(prev > first);
    /* the raw syscall and the libc path (perhaps the vDSO) agree */
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    CHECK_OK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &b));
    CHECK(ns_of(b) >= ns_of(a) && ns_of(b) - ns_of(a) < 1000 * MS);
    /* boot time counts at least what monotonic time does */
    long long mono = now_ns(CLOCK_MONOTONIC), boot = now_ns(CLOCK_BOOTTIME);
    CHECK(boot >= mono - 10 * MS);
}

static void test_wall(void)
{
    struct timespec rt;
    struct timeval tv;
    CHECK_OK(clock_gettime(CLOCK_REALTIME, &rt));
    CHECK_OK(gettimeofday(&tv, NULL));
    time_t t1 = 0, t2 = time(&t1);
    CHECK_EQ(t1, t2);
    CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    CHECK(tv.tv_sec >= rt.tv_sec && tv.tv_sec - rt.tv_sec <= 2);
    CHECK(t2 >= tv.tv_sec && t2 - tv.tv_sec <= 2);
    /* a real date, read from the clock hardware: after 2020-01-01 */
    CHECK(rt.tv_sec > 1577836800);
}

static void test_cpu(void)
{
    long long p0 = now_ns(CLOCK_PROCESS_CPUTIME_ID), t0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
    long long w0 = now_ns(CLOCK_MONOTONIC);
    struct tms tm0;
    clock_t c0 = times(&tm0);
    burn_cpu(50);
    long long p1 = now_ns(CLOCK_PROCESS_CPUTIME_ID), t1 = now_ns(CLOCK_THREAD_CPUTIME_ID);
    long long w1 = now_ns(CLOCK_MONOTONIC);
    CHECK(p1 - p0 >= 50 * MS);
    CHECK(t1 - t0 >= 50 * MS);
    /* one thread cannot use more CPU time than real time passed */
    CHECK(t1 - t0 <= w1 - w0 + 10 * MS);
    struct rusage ru;
    CHECK_OK(getrusage(RUSAGE_SELF, &ru));
    long long used = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec +
                     ru.ru_stime.tv_usec;
    CHECK(used >= 40000);
    struct tms tm1;
    clock_t c1 = times(&tm1);
    CHECK(c1 != (clock_t)-1 && c1 >= c0);
    /* in clock ticks of 1/100 s, the Linux ABI's USER_HZ */
    CHECK(tm1.tms_utime + tm1.tms_stime >= tm0.tms_utime + tm0.tms_stime + 3);
}

/* ---- sleeping ---- */

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static void test_nanosleep(void)
{
    struct timespec req = {0, 100 * MS};
    long long t0 = now_ns(CLOCK_MONOTONIC);
    CHECK_OK(nanosleep(&req, NULL));
    long long slept = now_ns(CLOCK_MONOTONIC) - t0;
    CHECK(slept >= 100 * MS);
    CHECK(slept < 2100 * MS);
    struct timespec zero = {0, 0};
    CHECK_OK(nanosleep(&zero, NULL));

    struct timespec bad = {0, 1000000000};
    CHECK_ERR(nanosleep(&bad, NULL), EINVAL);
    bad.tv_nsec = -1;
    CHECK_ERR(nanosleep(&bad, NULL), EINVAL);
    bad.tv_sec = -1;
    bad.tv_nsec = 0;
    CHECK_ERR(nanosleep(&bad, NULL), EINVAL);

    /* a signal ends the sleep early and says how much was left */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec ten = {10, 0}, rem = {0, 0};
    t0 = now_ns(CLOCK_MONOTONIC);
    CHECK_ERR(nanosleep(&ten, &rem), EINTR);
    slept = now_ns(CLOCK_MONOTONIC) - t0;
    CHECK_EQ(alarms, 1);
    CHECK(slept < 5000 * MS);
    CHECK(rem.tv_sec >= 5 && rem.tv_sec < 10 && rem.tv_nsec >= 0 && rem.tv_nsec < 1000000000);
    signal(SIGALRM, SIG_DFL);
}

static void test_clock_nanosleep(void)
{
    struct timespec req = {0, 50 * MS};
    long long t0 = now_ns(CLOCK_MONOTONIC);
    CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), 0);
    long long slept = now_ns(CLOCK_MONOTONIC) - t0;
    CHECK(slept >= 50 * MS && slept < 2050 * MS);

    /* absolute: wakes at or after the deadline */
    struct timespec dl;
    clock_gettime(CLOCK_MONOTONIC, &dl);
    dl.tv_nsec += 100 * MS;
    if (dl.tv_nsec >= 1000000000) {
        dl.tv_sec++;
        dl.tv_nsec -= 1000000000;
    }
    CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL), 0);
    long long after = now_ns(CLOCK_MONOTONIC);
    CHECK(after >= ns_of(dl));
    CHECK(after < ns_of(dl) + 2000 * MS);

    /* a deadline already past returns at once */
    struct timespec past = {1, 0};
    t0 = now_ns(CLOCK_MONOTONIC);
    CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL), 0);
    CHECK(now_ns(CLOCK_MONOTONIC) - t0 < 1000 * MS);

    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_nsec += 20 * MS;
    if (dl.tv_nsec >= 1000000000) {
        dl.tv_sec++;
        dl.tv_nsec -= 1000000000;
    }
    CHECK_EQ(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &dl, NULL), 0);
    CHECK(now_ns(CLOCK_REALTIME) >= ns_of(dl));

    /* errors are returned, not left in errno */
    CHECK_EQ(clock_nanosleep(1234, 0, &req, NULL), EINVAL);
    CHECK_EQ(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL), EINVAL);
    struct timespec bad = {0, 1000000000};
    CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL), EINVAL);
}

static void test_itimer(void)
{
    struct itimerval it = {{0, 0}, {10, 0}}, cur, old;
    CHECK_OK(setitimer(ITIMER_REAL, &it, NULL));
    CHECK_OK(getitimer(ITIMER_REAL, &cur));
    CHECK(cur.it_value.tv_sec >= 8 && cur.it_value.tv_sec <= 10);
    CHECK(cur.it_value.tv_usec >= 0 && cur.it_value.tv_usec < 1000000);
    struct itimerval off = {{0, 0}, {0, 0}};
    CHECK_OK(setitimer(ITIMER_REAL, &off, &old));
    CHECK(old.it_value.tv_sec >= 8 && old.it_value.tv_sec <= 10);
    CHECK_OK(getitimer(ITIMER_REAL, &cur));
    CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);

    /* a periodic timer: three expiries take at least three periods */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    sigset_t block, none;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, NULL);
    sigemptyset(&none);
    alarms = 0;
    struct itimerval per = {{0, 30000}, {0, 30000}};
    long long t0 = now_ns(CLOCK_MONOTONIC);
    CHECK_OK(setitimer(ITIMER_REAL, &per, NULL));
    while (alarms < 3)
        sigsuspend(&none);
    long long took = now_ns(CLOCK_MONOTONIC) - t0;
    setitimer(ITIMER_REAL, &off, NULL);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    signal(SIGALRM, SIG_DFL);
    CHECK(took >= 90 * MS);
    CHECK(took < 3000 * MS);
    CHECK_ERR(setitimer(99, &it, NULL), EINVAL);
}

int main(void)
{
    check_start("time");
    test_clocks();
    test_wall();
    test_cpu();
    test_nanosleep();
    test_clock_nanosleep();
    test_itimer();
    return check_finish();
}
