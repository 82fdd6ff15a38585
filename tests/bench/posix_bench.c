/*
 * POSIX benchmark, a static Linux program run unchanged on Persona and on
 * Linux (./persona bench posix). One line per figure:
 *
 *   getpid: N ns              a system call that does nothing
 *   pipe round trip: N ns     one byte there and back between two processes
 *   fork+exit+wait: N ns
 *   spawn+wait: N ns          posix_spawn of /bin/true, then waitpid
 *   file read: N MB/s         a 16 MiB file written, then read sequentially
 *
 * With the argument "icount" (QEMU -icount shift=0) it prints instead the
 * instructions, from the time stamp counter, per getpid and per umask: on
 * Persona the kernel answers getpid itself from what the POSIX server told
 * it, while umask always goes to the server (a forwarded system call).
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* getpid without any library caching: the system call itself. */
static long getpid_raw(void)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(39) : "rcx", "r11", "memory");
    return r;
}

/* umask(022), which changes nothing after the first call. */
static long umask_raw(void)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(95), "D"(022) : "rcx", "r11", "memory");
    return r;
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static void bench_getpid(int n)
{
    uint64_t t0 = now_ns();

    for (int i = 0; i < n; i++)
        (void)getpid_raw();
    printf("getpid: %llu ns\n", (unsigned long long)((now_ns() - t0) / (uint64_t)n));
}

static void bench_pipe(int n)
{
    int ab[2], ba[2];
    char c = 'x';
    pid_t pid;

    if (pipe(ab) || pipe(ba))
        return;
    pid = fork();
    if (pid == 0) {
        for (int i = 0; i < n; i++) {
            if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
                _exit(1);
        }
        _exit(0);
    }
    uint64_t t0 = now_ns();
    for (int i = 0; i < n; i++) {
        if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
            break;
    }
    uint64_t t = now_ns() - t0;
    waitpid(pid, NULL, 0);
    printf("pipe round trip: %llu ns\n", (unsigned long long)(t / (uint64_t)n));
}

static void bench_fork(int n)
{
    uint64_t t0 = now_ns();

    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        waitpid(pid, NULL, 0);
    }
    printf("fork+exit+wait: %llu ns\n", (unsigned long long)((now_ns() - t0) / (uint64_t)n));
}

static void bench_spawn(int n)
{
    char *argv[] = {"true", NULL};
    uint64_t t0 = now_ns();

    for (int i = 0; i < n; i++) {
        pid_t pid;
        if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) != 0) {
            printf("spawn+wait: failed\n");
            return;
        }
        waitpid(pid, NULL, 0);
    }
    printf("spawn+wait: %llu ns\n", (unsigned long long)((now_ns() - t0) / (uint64_t)n));
}

static void bench_file(const char *path)
{
    static char buf[65536];
    size_t total = 16u << 20;
    int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);

    if (fd < 0) {
        printf("file read: cannot create %s\n", path);
        return;
    }
    memset(buf, 'p', sizeof(buf));
    for (size_t done = 0; done < total; done += sizeof(buf)) {
        if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
            printf("file read: write failed\n");
            close(fd);
            return;
        }
    }
    lseek(fd, 0, SEEK_SET);
    uint64_t t0 = now_ns();
    size_t got = 0;
    for (ssize_t r; (r = read(fd, buf, sizeof(buf))) > 0;)
        got += (size_t)r;
    uint64_t t = now_ns() - t0;
    close(fd);
    unlink(path);
    printf("file read: %llu MB/s\n",
           (unsigned long long)(t ? (uint64_t)got * 1000000000ull / t / 1000000 : 0));
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "icount")) {
        uint64_t t0 = rdtsc();
        for (int i = 0; i < 2000; i++)
            (void)getpid_raw();
        printf("instructions per getpid: %llu\n", (unsigned long long)((rdtsc() - t0) / 2000));
        (void)umask_raw();
        t0 = rdtsc();
        for (int i = 0; i < 2000; i++)
            (void)umask_raw();
        printf("instructions per forwarded system call (umask): %llu\n",
               (unsigned long long)((rdtsc() - t0) / 2000));
        return 0;
    }
    bench_getpid(5000);
    bench_pipe(1000);
    bench_fork(100);
    bench_spawn(100);
    bench_file(argc > 1 ? argv[1] : "/tmp/posix_bench.dat");
    return 0;
}
