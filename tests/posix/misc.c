/*
 * misc: the small system calls that programs make at start-up and rarely
 * after.
 *
 * uname and gethostname, getrandom, prctl (PR_SET_NAME/PR_GET_NAME),
 * getrlimit/setrlimit/prlimit64 (also on a child), the uid and gid family
 * and getgroups, sched_yield, sched_getaffinity, getpriority/setpriority,
 * set_tid_address/gettid/getpid, arch_prctl(ARCH_GET_FS) against the thread
 * pointer, the auxiliary vector the loader built (page size, ids, entry,
 * program headers, AT_RANDOM), sysinfo, personality, and ENOSYS for system
 * call numbers that do not exist.
 */
#include "check.h"

#include <elf.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#define ARCH_GET_FS 0x1003

/* the program's entry point, from the start files */
extern char _start[];

static int terminated(const char *s, size_t len)
{
    return memchr(s, 0, len) != NULL;
}

static void test_uname(void)
{
    struct utsname u, raw;
    memset(&u, 'x', sizeof u);
    CHECK_OK(uname(&u));
    CHECK(terminated(u.sysname, sizeof u.sysname) && terminated(u.release, sizeof u.release));
    CHECK(terminated(u.nodename, sizeof u.nodename) && terminated(u.version, sizeof u.version));
    CHECK(terminated(u.machine, sizeof u.machine));
    /* the Linux ABI: programs test these to choose code paths */
    CHECK(strcmp(u.sysname, "Linux") == 0);
    CHECK(strcmp(u.machine, "x86_64") == 0);
    /* programs parse the release as a version number */
    CHECK(u.release[0] >= '1' && u.release[0] <= '9');
    CHECK(u.version[0] != 0);
    CHECK_OK(syscall(SYS_uname, &raw));
    CHECK(strcmp(raw.release, u.release) == 0);
    char host[256];
    CHECK_OK(gethostname(host, sizeof host));
    CHECK(strcmp(host, u.nodename) == 0);
    say("misc: %s %s %s\n", u.sysname, u.release, u.machine);
}

static void test_random(void)
{
    unsigned char a[32] = {0}, b[32] = {0};
    CHECK_EQ(getrandom(a, sizeof a, 0), sizeof a);
    CHECK_EQ(getrandom(b, sizeof b, GRND_NONBLOCK), sizeof b);
    CHECK(memcmp(a, b, sizeof a) != 0);
    int nonzero = 0;
    for (size_t i = 0; i < sizeof a; i++)
        nonzero += a[i] != 0;
    CHECK(nonzero > 16);
    CHECK_EQ(getrandom(a, 0, 0), 0);
    CHECK_ERR(getrandom(a, sizeof a, 0x1000), EINVAL);
    static unsigned char big[1 << 20];
    CHECK(getrandom(big, sizeof big, 0) >= 256);
}

static void test_prctl(void)
{
    char name[32] = {0};
    CHECK_OK(prctl(PR_GET_NAME, name, 0, 0, 0));
    CHECK(name[0] != 0);
    CHECK_OK(prctl(PR_SET_NAME, "persona-posix", 0, 0, 0));
    memset(name, 'x', sizeof name);
    CHECK_OK(prctl(PR_GET_NAME, name, 0, 0, 0));
    CHECK(strcmp(name, "persona-posix") == 0);
    /* names hold 15 characters and a NUL */
    CHECK_OK(prctl(PR_SET_NAME, "0123456789abcdefghij", 0, 0, 0));
    memset(name, 'x', sizeof name);
    CHECK_OK(prctl(PR_GET_NAME, name, 0, 0, 0));
    CHECK(strcmp(name, "0123456789abcde") == 0);
    /* a fork child inherits the name */
    pid_t pid = fork();
    if (pid == 0) {
        char mine[32] = {0};
        prctl(PR_GET_NAME, mine, 0, 0, 0);
        _exit(strcmp(mine, "0123456789abcde") == 0 ? 0 : 1);
    }
    CHECK_EXITED(pid, 0);
    CHECK_ERR(prctl(0x7fff1234, 0, 0, 0, 0), EINVAL);
}

static void test_rlimits(void)
{
    struct rlimit rl, old, raw;
    CHECK_OK(getrlimit(RLIMIT_NOFILE, &rl));
    CHECK(rl.rlim_cur <= rl.rlim_max && rl.rlim_cur >= 3);
    CHECK_OK(prlimit(0, RLIMIT_NOFILE, NULL, &old));
    CHECK(old.rlim_cur == rl.rlim_cur && old.rlim_max == rl.rlim_max);
    CHECK_OK(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &raw));
    CHECK_EQ(raw.rlim_cur, rl.rlim_cur);
    struct rlimit low = {100, rl.rlim_max};
    CHECK_OK(setrlimit(RLIMIT_NOFILE, &low));
    CHECK_OK(getrlimit(RLIMIT_NOFILE, &raw));
    CHECK_EQ(raw.rlim_cur, 100);
    struct rlimit inverted = {rl.rlim_max, 100};
    if (rl.rlim_max > 100)
        CHECK_ERR(setrlimit(RLIMIT_NOFILE, &inverted), EINVAL);
    CHECK_OK(setrlimit(RLIMIT_NOFILE, &rl));
    CHECK_OK(getrlimit(RLIMIT_STACK, &raw));
    CHECK(raw.rlim_cur >= 64 * 1024);
    CHECK_ERR(getrlimit(1000, &raw), EINVAL);

    /* prlimit on a child, which sees the new limit */
    int p[2];
    CHECK_OK(pipe(p));
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(p[1]);
        read(p[0], &c, 1);
        struct rlimit mine;
        getrlimit(RLIMIT_CORE, &mine);
        _exit(mine.rlim_cur == 0 ? 0 : 1);
    }
    close(p[0]);
    struct rlimit none = {0, 0};
    CHECK_OK(prlimit(pid, RLIMIT_CORE, &none, NULL));
    CHECK_EQ(write(p[1], "g", 1), 1);
    close(p[1]);
    CHECK_EXITED(pid, 0);
}

static void test_ids(void)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;
    CHECK_OK(getresuid(&r, &e, &s));
    CHECK(r == getuid() && e == geteuid() && s == geteuid());
    CHECK_OK(getresgid(&gr, &ge, &gs));
    CHECK(gr == getgid() && ge == getegid() && gs == getegid());
    /* no set-id bits on this program */
    CHECK_EQ(getuid(), geteuid());
    CHECK_EQ(getgid(), getegid());
    int n = CHECK_OK(getgroups(0, NULL));
    gid_t groups[256];
    if (n >= 0 && n <= 256)
        CHECK_EQ(getgroups(n, groups), n);
    if (n > 1)
        CHECK_ERR(getgroups(1, groups), EINVAL);
    /* setting what we already have is allowed to anyone */
    CHECK_OK(setuid(getuid()));
    CHECK_OK(setgid(getgid()));
    CHECK_EQ(getuid(), r);
}

static void *report_tid(void *arg)
{
    *(long *)arg = syscall(SYS_gettid);
    return NULL;
}

static void test_sched_and_ids(void)
{
    CHECK_OK(sched_yield());
    cpu_set_t set;
    CPU_ZERO(&set);
    CHECK_OK(sched_getaffinity(0, sizeof set, &set));
    CHECK(CPU_COUNT(&set) >= 1);
    CHECK_OK(sched_setaffinity(0, sizeof set, &set));
    /* through syscall(): musl's sched_getscheduler() always says ENOSYS */
    CHECK_EQ(syscall(SYS_sched_getscheduler, 0), SCHED_OTHER);

    /* a lower priority is allowed to anyone; try it in a child */
    pid_t pid = fork();
    if (pid == 0) {
        errno = 0;
        int before = getpriority(PRIO_PROCESS, 0);
        int ok = errno == 0 && setpriority(PRIO_PROCESS, 0, before + 1) == 0 &&
                 getpriority(PRIO_PROCESS, 0) == before + 1;
        _exit(ok || before >= 19 ? 0 : 1);
    }
    CHECK_EXITED(pid, 0);

    /* in the main thread, thread id and process id are the same number */
    long tid = syscall(SYS_gettid);
    CHECK_EQ(tid, getpid());
    /* the kernel clears this word when the main thread ends: keep it static */
    static int word;
    CHECK_EQ(syscall(SYS_set_tid_address, &word), tid);
    long other = 0;
    pthread_t th;
    pthread_create(&th, NULL, report_tid, &other);
    pthread_join(th, NULL);
    CHECK(other > 0 && other != tid);
    CHECK(getppid() > 0 && getppid() != getpid());

    /* the thread pointer is the fs base: libc's thread data lives there */
    unsigned long fs = 0;
    CHECK_OK(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
    CHECK_EQ(fs, (unsigned long)pthread_self());
    unsigned long self_ptr;
    __asm__ volatile("movq %%fs:0, %0" : "=r"(self_ptr));
    CHECK_EQ(self_ptr, fs);
}

static void test_auxv(void)
{
    CHECK_EQ(getauxval(AT_PAGESZ), 4096);
    CHECK_EQ(getauxval(AT_UID), getuid());
    CHECK_EQ(getauxval(AT_EUID), geteuid());
    CHECK_EQ(getauxval(AT_GID), getgid());
    CHECK_EQ(getauxval(AT_EGID), getegid());
    CHECK_EQ(getauxval(AT_SECURE), 0);
    CHECK_EQ(getauxval(AT_ENTRY), (unsigned long)_start);
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    CHECK(rnd != NULL);
    if (rnd) {
        int nonzero = 0;
        for (int i = 0; i < 16; i++)
            nonzero += rnd[i] != 0;
        CHECK(nonzero >= 8);
    }

    /* AT_PHDR is our own program header table, mapped */
    const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
    unsigned long n = getauxval(AT_PHNUM);
    CHECK_EQ(getauxval(AT_PHENT), sizeof(Elf64_Phdr));
    CHECK(ph != NULL && n > 0 && n < 64);
    int loads = 0, covers_entry = 0, self_phdr = 0;
    unsigned long bias = 0;
    for (unsigned long i = 0; ph && i < n; i++)
        if (ph[i].p_type == PT_PHDR)
            bias = (unsigned long)ph - ph[i].p_vaddr;
    for (unsigned long i = 0; ph && i < n; i++) {
        if (ph[i].p_type == PT_PHDR)
            self_phdr = 1;
        if (ph[i].p_type != PT_LOAD)
            continue;
        loads++;
        unsigned long lo = bias + ph[i].p_vaddr, hi = lo + ph[i].p_memsz;
        if ((unsigned long)_start >= lo && (unsigned long)_start < hi && (ph[i].p_flags & PF_X))
            covers_entry = 1;
    }
    CHECK(loads >= 1);
    /* the entry point lies in an executable PT_LOAD */
    if (self_phdr || bias == 0)
        CHECK(covers_entry);
}

static void test_sysinfo(void)
{
    struct sysinfo si;
    memset(&si, 0, sizeof si);
    CHECK_OK(sysinfo(&si));
    CHECK(si.uptime > 0);
    CHECK(si.totalram > 0 && si.mem_unit >= 1);
    CHECK(si.freeram <= si.totalram);
    CHECK(si.procs >= 1);
    /* PER_LINUX, whatever flags are set */
    CHECK_EQ(personality(0xffffffff) & 0xff, PER_LINUX);
}

static void test_enosys(void)
{
    CHECK_ERR(syscall(999), ENOSYS);
    CHECK_ERR(syscall(100000), ENOSYS);
    CHECK_ERR(syscall(-1L), ENOSYS);
}

int main(void)
{
    check_start("misc");
    test_uname();
    test_random();
    test_prctl();
    test_rlimits();
    test_ids();
    test_sched_and_ids();
    test_auxv();
    test_sysinfo();
    test_enosys();
    return check_finish();
}
