/*
 * threads: pthreads on top of clone, and futexes used directly.
 *
 * pthread_create/join and thread ids, many threads at once and in sequence,
 * detached threads, stack size, mutexes (normal, recursive, error-checking),
 * condition variables (a bounded queue, broadcast, timed wait), barriers,
 * rwlocks, pthread_once, thread-local storage (__thread and keys with
 * destructors), futex wait/wake through syscall(), private and shared
 * between processes, signals aimed at one thread, exit() from a thread,
 * pthread_exit from main, fork from a threaded process, and execve from a
 * thread other than the main one.
 */
#include "check.h"

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

extern char **environ;

/* <linux/futex.h> is not part of musl's headers */
#define FUTEX_WAIT         0
#define FUTEX_WAKE         1
#define FUTEX_WAIT_BITSET  9
#define FUTEX_PRIVATE_FLAG 128

static const char *self;

static long futex(atomic_int *word, int op, int val, const struct timespec *ts, unsigned bits)
{
    return syscall(SYS_futex, word, op, val, ts, NULL, bits);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static pid_t tid(void)
{
    return (pid_t)syscall(SYS_gettid);
}

/* ---- create and join ---- */

static pid_t tids[4];

static void *doubler(void *arg)
{
    intptr_t i = (intptr_t)arg;
    tids[i] = tid();
    return (void *)(i * 2);
}

static void *report_pid(void *arg)
{
    *(pid_t *)arg = getpid();
    return NULL;
}

static void test_create_join(void)
{
    pthread_t t[4];
    for (intptr_t i = 0; i < 4; i++)
        CHECK_EQ(pthread_create(&t[i], NULL, doubler, (void *)i), 0);
    for (intptr_t i = 0; i < 4; i++) {
        void *ret = NULL;
        CHECK_EQ(pthread_join(t[i], &ret), 0);
        CHECK_EQ((intptr_t)ret, i * 2);
        CHECK(!pthread_equal(t[i], pthread_self()));
    }
    /* one process, four distinct threads, none of them the main one */
    for (int i = 0; i < 4; i++) {
        CHECK(tids[i] > 0 && tids[i] != getpid());
        for (int j = 0; j < i; j++)
            CHECK(tids[i] != tids[j]);
    }
    CHECK_EQ(tid(), getpid());
    pid_t seen = 0;
    pthread_t th;
    pthread_create(&th, NULL, report_pid, &seen);
    pthread_join(th, NULL);
    CHECK_EQ(seen, getpid());
}

/* ---- many threads ---- */

static atomic_int counter;

static void *add_many(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++)
        atomic_fetch_add(&counter, 1);
    return NULL;
}

static sem_t detached_done;

static void *detached(void *arg)
{
    (void)arg;
    atomic_fetch_add(&counter, 1);
    sem_post(&detached_done);
    return NULL;
}

static void *big_stack(void *arg)
{
    (void)arg;
    volatile char buf[512 * 1024];
    for (size_t i = 0; i < sizeof buf; i += 4096)
        buf[i] = 1;
    return (void *)(intptr_t)buf[4096];
}

static void test_many(void)
{
    enum { N = 64 };
    pthread_t t[N];
    atomic_store(&counter, 0);
    int made = 0;
    for (int i = 0; i < N; i++)
        made += pthread_create(&t[i], NULL, add_many, NULL) == 0;
    CHECK_EQ(made, N);
    for (int i = 0; i < made; i++)
        pthread_join(t[i], NULL);
    CHECK_EQ(atomic_load(&counter), N * 1000);

    /* thread resources are reclaimed: many more, one after another */
    int ok = 0;
    for (int i = 0; i < 300; i++) {
        pthread_t th;
        if (pthread_create(&th, NULL, doubler, (void *)1) == 0 && pthread_join(th, NULL) == 0)
            ok++;
    }
    CHECK_EQ(ok, 300);

    atomic_store(&counter, 0);
    sem_init(&detached_done, 0, 0);
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < 16; i++) {
        pthread_t th;
        CHECK_EQ(pthread_create(&th, &at, detached, NULL), 0);
    }
    for (int i = 0; i < 16; i++)
        sem_wait(&detached_done);
    CHECK_EQ(atomic_load(&counter), 16);

    /* a thread with a stack larger than the default */
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_JOINABLE);
    CHECK_EQ(pthread_attr_setstacksize(&at, 1 << 20), 0);
    pthread_t th;
    void *ret = NULL;
    CHECK_EQ(pthread_create(&th, &at, big_stack, NULL), 0);
    CHECK_EQ(pthread_join(th, &ret), 0);
    CHECK_EQ((intptr_t)ret, 1);
    pthread_attr_destroy(&at);
}

/* ---- mutexes ---- */

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static long plain_count;

static void *locked_adder(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&mtx);
        plain_count++;
        pthread_mutex_unlock(&mtx);
    }
    return NULL;
}

static void *try_other(void *arg)
{
    /* runs while main holds the mutex */
    intptr_t r = pthread_mutex_trylock(arg);
    intptr_t u = pthread_mutex_unlock(arg);
    return (void *)(r * 1000 + u);
}

static void test_mutex(void)
{
    pthread_t t[8];
    plain_count = 0;
    for (int i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, locked_adder, NULL);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    CHECK_EQ(plain_count, 8 * 20000);

    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_t ec;
    pthread_mutex_init(&ec, &ma);
    CHECK_EQ(pthread_mutex_lock(&ec), 0);
    CHECK_EQ(pthread_mutex_lock(&ec), EDEADLK);
    void *ret;
    pthread_t th;
    pthread_create(&th, NULL, try_other, &ec);
    pthread_join(th, &ret);
    /* another thread can neither take it nor release it */
    CHECK_EQ((intptr_t)ret, EBUSY * 1000 + EPERM);
    CHECK_EQ(pthread_mutex_unlock(&ec), 0);
    CHECK_EQ(pthread_mutex_unlock(&ec), EPERM);
    pthread_mutex_destroy(&ec);

    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_t rec;
    pthread_mutex_init(&rec, &ma);
    CHECK_EQ(pthread_mutex_lock(&rec), 0);
    CHECK_EQ(pthread_mutex_lock(&rec), 0);
    CHECK_EQ(pthread_mutex_trylock(&rec), 0);
    CHECK_EQ(pthread_mutex_unlock(&rec), 0);
    CHECK_EQ(pthread_mutex_unlock(&rec), 0);
    pthread_create(&th, NULL, try_other, &rec);
    pthread_join(th, &ret);
    CHECK_EQ((intptr_t)ret / 1000, EBUSY);
    CHECK_EQ(pthread_mutex_unlock(&rec), 0);
    pthread_create(&th, NULL, try_other, &rec);
    pthread_join(th, &ret);
    CHECK_EQ((intptr_t)ret, 0);
    pthread_mutex_destroy(&rec);
    pthread_mutexattr_destroy(&ma);
}

/* ---- condition variables ---- */

enum { QSIZE = 8, ITEMS = 5000 };
static struct {
    pthread_mutex_t lock;
    pthread_cond_t not_full, not_empty;
    int buf[QSIZE], head, count, done_producers;
} q = {.lock = PTHREAD_MUTEX_INITIALIZER,
       .not_full = PTHREAD_COND_INITIALIZER,
       .not_empty = PTHREAD_COND_INITIALIZER};

static void *producer(void *arg)
{
    int base = (int)(intptr_t)arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&q.lock);
        while (q.count == QSIZE)
            pthread_cond_wait(&q.not_full, &q.lock);
        q.buf[(q.head + q.count++) % QSIZE] = base + i;
        pthread_cond_signal(&q.not_empty);
        pthread_mutex_unlock(&q.lock);
    }
    pthread_mutex_lock(&q.lock);
    q.done_producers++;
    pthread_cond_broadcast(&q.not_empty);
    pthread_mutex_unlock(&q.lock);
    return NULL;
}

static void *consumer(void *arg)
{
    long *sum = arg;
    for (;;) {
        pthread_mutex_lock(&q.lock);
        while (q.count == 0 && q.done_producers < 2)
            pthread_cond_wait(&q.not_empty, &q.lock);
        if (q.count == 0) {
            pthread_mutex_unlock(&q.lock);
            return NULL;
        }
        *sum += q.buf[q.head];
        q.head = (q.head + 1) % QSIZE;
        q.count--;
        pthread_cond_signal(&q.not_full);
        pthread_mutex_unlock(&q.lock);
    }
}

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_open, gate_waiting;

static void *gate_waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&gate_lock);
    gate_waiting++;
    while (!gate_open)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
    return NULL;
}

static void test_cond(void)
{
    pthread_t p[2], c[2];
    long sums[2] = {0, 0};
    pthread_create(&p[0], NULL, producer, (void *)0);
    pthread_create(&p[1], NULL, producer, (void *)1000000);
    pthread_create(&c[0], NULL, consumer, &sums[0]);
    pthread_create(&c[1], NULL, consumer, &sums[1]);
    for (int i = 0; i < 2; i++) {
        pthread_join(p[i], NULL);
        pthread_join(c[i], NULL);
    }
    /* every item consumed exactly once */
    long want = 2L * ITEMS * (ITEMS + 1) / 2 + 1000000L * ITEMS;
    CHECK_EQ(sums[0] + sums[1], want);
    CHECK_EQ(q.count, 0);

    pthread_t w[5];
    for (int i = 0; i < 5; i++)
        pthread_create(&w[i], NULL, gate_waiter, NULL);
    for (int i = 0; i < 5000; i++) {
        pthread_mutex_lock(&gate_lock);
        int n = gate_waiting;
        pthread_mutex_unlock(&gate_lock);
        if (n == 5)
            break;
        sleep_ms(1);
    }
    pthread_mutex_lock(&gate_lock);
    CHECK_EQ(gate_waiting, 5);
    gate_open = 1;
    CHECK_EQ(pthread_cond_broadcast(&gate_cond), 0);
    pthread_mutex_unlock(&gate_lock);
    for (int i = 0; i < 5; i++)
        CHECK_EQ(pthread_join(w[i], NULL), 0);

    struct timespec start, deadline, end;
    clock_gettime(CLOCK_REALTIME, &start);
    deadline = start;
    deadline.tv_nsec += 30 * 1000000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&gate_lock);
    CHECK_EQ(pthread_cond_timedwait(&gate_cond, &gate_lock, &deadline), ETIMEDOUT);
    pthread_mutex_unlock(&gate_lock);
    clock_gettime(CLOCK_REALTIME, &end);
    CHECK(end.tv_sec > deadline.tv_sec ||
          (end.tv_sec == deadline.tv_sec && end.tv_nsec >= deadline.tv_nsec));
}

/* ---- barriers, rwlocks, once ---- */

static pthread_barrier_t barrier;
static atomic_int serial_count, once_count;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void once_init(void)
{
    atomic_fetch_add(&once_count, 1);
}

static void *at_barrier(void *arg)
{
    (void)arg;
    pthread_once(&once, once_init);
    if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
        atomic_fetch_add(&serial_count, 1);
    return NULL;
}

static void *try_write(void *arg)
{
    return (void *)(intptr_t)pthread_rwlock_trywrlock(arg);
}

static void *try_read(void *arg)
{
    intptr_t r = pthread_rwlock_tryrdlock(arg);
    if (r == 0)
        pthread_rwlock_unlock(arg);
    return (void *)r;
}

static void test_sync(void)
{
    pthread_t t[8];
    pthread_barrier_init(&barrier, NULL, 8);
    for (int i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, at_barrier, NULL);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    CHECK_EQ(atomic_load(&serial_count), 1);
    CHECK_EQ(atomic_load(&once_count), 1);
    pthread_barrier_destroy(&barrier);

    pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
    void *ret;
    CHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
    pthread_create(&t[0], NULL, try_read, &rw);
    pthread_join(t[0], &ret);
    CHECK_EQ((intptr_t)ret, 0);
    pthread_create(&t[0], NULL, try_write, &rw);
    pthread_join(t[0], &ret);
    CHECK_EQ((intptr_t)ret, EBUSY);
    CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
    CHECK_EQ(pthread_rwlock_wrlock(&rw), 0);
    pthread_create(&t[0], NULL, try_read, &rw);
    pthread_join(t[0], &ret);
    CHECK_EQ((intptr_t)ret, EBUSY);
    CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
}

/* ---- thread-local storage ---- */

static __thread int tls_value = 42;
static __thread char tls_aligned[100] __attribute__((aligned(64)));
static pthread_key_t key;
static atomic_int destructor_calls;

static void key_destructor(void *v)
{
    if (v == (void *)&tls_value)
        atomic_fetch_add(&destructor_calls, 1);
}

static void *tls_worker(void *arg)
{
    intptr_t me = (intptr_t)arg;
    intptr_t bad = 0;
    bad |= tls_value != 42;
    bad |= ((uintptr_t)tls_aligned & 63) != 0;
    bad |= pthread_getspecific(key) != NULL;
    tls_value = (int)me;
    pthread_setspecific(key, &tls_value);
    for (int i = 0; i < 100; i++) {
        sched_yield();
        bad |= tls_value != me;
    }
    return (void *)((bad ? 1 : 0) | (intptr_t)&tls_value << 1);
}

static void test_tls(void)
{
    CHECK_EQ(pthread_key_create(&key, key_destructor), 0);
    tls_value = -1;
    pthread_t t[8];
    for (intptr_t i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, tls_worker, (void *)(i + 100));
    uintptr_t addrs[8];
    for (int i = 0; i < 8; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        CHECK_EQ((intptr_t)ret & 1, 0);
        addrs[i] = (uintptr_t)ret >> 1;
    }
    /* each thread had its own copy; ours is untouched */
    CHECK_EQ(tls_value, -1);
    int distinct = 1;
    for (int i = 0; i < 8; i++) {
        distinct &= addrs[i] != (uintptr_t)&tls_value;
        for (int j = 0; j < i; j++)
            distinct &= addrs[i] != addrs[j];
    }
    CHECK(distinct);
    CHECK_EQ(atomic_load(&destructor_calls), 8);
    CHECK_EQ(((uintptr_t)tls_aligned & 63), 0);
    pthread_key_delete(key);
}

/* ---- futex ---- */

static atomic_int fword;
static atomic_int woken_ok;

static void *futex_waiter(void *arg)
{
    int op = (int)(intptr_t)arg;
    if (futex(&fword, op, 0, NULL, 0) == 0)
        atomic_fetch_add(&woken_ok, 1);
    return NULL;
}

/* Wakes n waiters one call at a time as they arrive; gives the total. */
static int wake_all(atomic_int *w, int op, int n)
{
    int total = 0;
    for (int i = 0; i < 10000 && total < n; i++) {
        long r = futex(w, op, 1, NULL, 0);
        if (r < 0 || r > 1)
            return -1;
        total += r;
        if (r == 0)
            sleep_ms(1);
    }
    return total;
}

static void test_futex(void)
{
    struct timespec ts = {0, 20 * 1000000};
    atomic_store(&fword, 5);
    CHECK_ERR(futex(&fword, FUTEX_WAIT, 4, NULL, 0), EAGAIN);
    CHECK_ERR(futex(&fword, FUTEX_WAIT, 5, &ts, 0), ETIMEDOUT);
    CHECK_ERR(futex(&fword, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 5, &ts, 0), ETIMEDOUT);
    CHECK_EQ(futex(&fword, FUTEX_WAKE, 1, NULL, 0), 0);
    CHECK_ERR(futex(&fword, 99, 0, NULL, 0), ENOSYS);
    CHECK_ERR(futex((atomic_int *)((char *)&fword + 1), FUTEX_WAIT, 0, &ts, 0), EINVAL);

    /* an absolute monotonic deadline, through FUTEX_WAIT_BITSET */
    struct timespec now, dl;
    clock_gettime(CLOCK_MONOTONIC, &dl);
    dl.tv_nsec += 20 * 1000000;
    if (dl.tv_nsec >= 1000000000) {
        dl.tv_sec++;
        dl.tv_nsec -= 1000000000;
    }
    CHECK_ERR(futex(&fword, FUTEX_WAIT_BITSET, 5, &dl, ~0u), ETIMEDOUT);
    clock_gettime(CLOCK_MONOTONIC, &now);
    CHECK(now.tv_sec > dl.tv_sec || (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec));

    static const int ops[] = {FUTEX_WAIT, FUTEX_WAIT | FUTEX_PRIVATE_FLAG};
    for (int k = 0; k < 2; k++) {
        atomic_store(&fword, 0);
        atomic_store(&woken_ok, 0);
        pthread_t t[4];
        for (int i = 0; i < 4; i++)
            pthread_create(&t[i], NULL, futex_waiter, (void *)(intptr_t)ops[k]);
        /* the word never changes: each waiter sleeps until a wake finds it */
        CHECK_EQ(wake_all(&fword, ops[k] | FUTEX_WAKE, 4), 4);
        for (int i = 0; i < 4; i++)
            pthread_join(t[i], NULL);
        CHECK_EQ(atomic_load(&woken_ok), 4);
    }

    /* a shared futex between two address spaces */
    atomic_int *shared =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(shared != MAP_FAILED);
    atomic_store(shared, 0);
    pid_t pid = fork();
    if (pid == 0)
        _exit(futex(shared, FUTEX_WAIT, 0, NULL, 0) == 0 ? 0 : 1);
    CHECK_EQ(wake_all(shared, FUTEX_WAKE, 1), 1);
    CHECK_EXITED(pid, 0);
    munmap(shared, 4096);
}

/* ---- signals and threads ---- */

static atomic_int sig_tid;
static atomic_int target_ready, target_stop;

static void on_usr(int sig)
{
    (void)sig;
    atomic_store(&sig_tid, tid());
}

static void *signal_target(void *arg)
{
    if (arg) {
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGUSR2);
        pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    }
    atomic_store(&target_ready, tid());
    while (!atomic_load(&target_stop))
        sleep_ms(1);
    return NULL;
}

static pid_t wait_sig_tid(void)
{
    for (int i = 0; i < 5000 && atomic_load(&sig_tid) == 0; i++)
        sleep_ms(1);
    return atomic_load(&sig_tid);
}

static void test_thread_signals(void)
{
    signal(SIGUSR1, on_usr);
    signal(SIGUSR2, on_usr);
    pthread_t th;
    atomic_store(&target_ready, 0);
    atomic_store(&target_stop, 0);
    pthread_create(&th, NULL, signal_target, NULL);
    for (int i = 0; i < 5000 && !atomic_load(&target_ready); i++)
        sleep_ms(1);
    atomic_store(&sig_tid, 0);
    CHECK_EQ(pthread_kill(th, SIGUSR1), 0);
    CHECK_EQ(wait_sig_tid(), atomic_load(&target_ready));
    atomic_store(&target_stop, 1);
    pthread_join(th, NULL);

    /* a process-wide signal goes to the one thread not blocking it */
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    atomic_store(&target_ready, 0);
    atomic_store(&target_stop, 0);
    pthread_create(&th, NULL, signal_target, (void *)1);
    for (int i = 0; i < 5000 && !atomic_load(&target_ready); i++)
        sleep_ms(1);
    atomic_store(&sig_tid, 0);
    CHECK_OK(kill(getpid(), SIGUSR2));
    CHECK_EQ(wait_sig_tid(), atomic_load(&target_ready));
    atomic_store(&target_stop, 1);
    pthread_join(th, NULL);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
}

/* ---- process-level effects of threads ---- */

static void *exit_process(void *arg)
{
    sleep_ms(20);
    exit((int)(intptr_t)arg);
}

static void *child_thread(void *arg)
{
    return arg;
}

static void *exec_from_thread(void *arg)
{
    char pid[16];
    snprintf(pid, sizeof pid, "%d", *(int *)arg);
    char *args[] = {"threads", "exec-pid", pid, NULL};
    execve(self, args, environ);
    _exit(127);
}

static void *spin_forever(void *arg)
{
    (void)arg;
    for (;;)
        sleep_ms(1000);
    return NULL;
}

static void test_process(void)
{
    /* exit() in any thread ends the whole process */
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t th;
        pthread_create(&th, NULL, exit_process, (void *)7);
        for (;;)
            pause();
    }
    CHECK_EXITED(pid, 7);

    /* the main thread leaving with pthread_exit does not end it */
    pid = fork();
    if (pid == 0) {
        pthread_t th;
        pthread_create(&th, NULL, exit_process, (void *)8);
        pthread_exit(NULL);
    }
    CHECK_EXITED(pid, 8);

    /* fork copies only the calling thread; the child can make its own */
    pthread_t busy;
    pthread_create(&busy, NULL, spin_forever, NULL);
    pid = fork();
    if (pid == 0) {
        pthread_t th;
        void *ret = NULL;
        int ok = pthread_create(&th, NULL, child_thread, (void *)5) == 0 &&
                 pthread_join(th, &ret) == 0 && ret == (void *)5;
        _exit(ok ? 0 : 1);
    }
    CHECK_EXITED(pid, 0);
    pthread_cancel(busy);
    pthread_join(busy, NULL);

    /* execve from a second thread: the new image keeps the process id */
    pid = fork();
    if (pid == 0) {
        static int me;
        me = getpid();
        pthread_t th;
        pthread_create(&th, NULL, exec_from_thread, &me);
        for (;;)
            pause();
    }
    CHECK_EXITED(pid, 0);
}

int main(int argc, char **argv)
{
    check_start("threads");
    self = self_exe(argv[0]);
    if (argc == 3 && strcmp(argv[1], "exec-pid") == 0) {
        CHECK_EQ(getpid(), atoi(argv[2]));
        CHECK_EQ(tid(), getpid());
        return check_failed ? 1 : 0;
    }

    test_create_join();
    test_many();
    test_mutex();
    test_cond();
    test_sync();
    test_tls();
    test_futex();
    test_thread_signals();
    test_process();
    return check_finish();
}
