/*
 * mmap: address space calls.
 *
 * Anonymous private and shared mappings (zero fill, fork semantics), munmap
 * (also of a middle page), file-backed private and shared mappings (offsets,
 * the zeroed tail of the last page, SIGBUS past the end of the file,
 * coherence with read and write, msync, growth of the file, mremap of
 * shared mappings, shared /dev/zero), mprotect with the faults it
 * causes and executable memory, mremap (grow, shrink, move), MAP_FIXED and
 * MAP_FIXED_NOREPLACE, madvise(MADV_DONTNEED), large sparse mappings, brk
 * (through syscall(): musl's brk() and sbrk() refuse to move the break), and
 * the errors of bad arguments.
 */
#include "check.h"

#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PAGE 4096

static char *map_anon(size_t len, int prot, int flags)
{
    return mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
}

static int all_bytes(const char *p, size_t len, char c)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != c)
            return 0;
    return 1;
}

/* ---- anonymous memory ---- */

static void test_anon(void)
{
    char *p = map_anon(3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    REQUIRE(p != MAP_FAILED);
    CHECK_EQ((uintptr_t)p % PAGE, 0);
    CHECK(all_bytes(p, 3 * PAGE, 0));
    for (int i = 0; i < 3 * PAGE; i++)
        p[i] = (char)(i * 13);
    int same = 1;
    for (int i = 0; i < 3 * PAGE; i++)
        same &= p[i] == (char)(i * 13);
    CHECK(same);

    /* unmapping the middle page leaves the others as they were */
    CHECK_OK(munmap(p + PAGE, PAGE));
    CHECK_EQ(p[0], 0);
    CHECK_EQ(p[2 * PAGE + 5], (char)((2 * PAGE + 5) * 13));
    CHECK_EQ(EXPECT_FAULT(p[PAGE + 10] = 1), SIGSEGV);
    CHECK_EQ(fault_code, SEGV_MAPERR);
    CHECK(fault_addr == p + PAGE + 10);
    CHECK_OK(munmap(p, 3 * PAGE));
    CHECK_EQ(EXPECT_FAULT(p[0] = 1), SIGSEGV);
    /* unmapping what is not mapped is not an error */
    CHECK_OK(munmap(p, 3 * PAGE));
}

static void test_anon_sizes(void)
{
    char *p;
    /* a length that is not a page multiple is rounded up */
    p = map_anon(5000, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    REQUIRE(p != MAP_FAILED);
    p[2 * PAGE - 1] = 'z';
    CHECK_EQ(p[2 * PAGE - 1], 'z');
    munmap(p, 5000);

    /* a large reservation, touched sparsely */
    size_t big = 256u << 20;
    p = map_anon(big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE);
    REQUIRE(p != MAP_FAILED);
    for (size_t off = 0; off < big; off += 1 << 20)
        p[off] = (char)(off >> 20);
    int ok = 1;
    for (size_t off = 0; off < big; off += 1 << 20)
        ok &= p[off] == (char)(off >> 20) && p[off + 1] == 0;
    CHECK(ok);
    CHECK_OK(munmap(p, big));

    /* MADV_DONTNEED gives private anonymous pages back: they read as zero */
    p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    REQUIRE(p != MAP_FAILED);
    memset(p, 'q', 2 * PAGE);
    CHECK_OK(madvise(p, PAGE, MADV_DONTNEED));
    CHECK(all_bytes(p, PAGE, 0));
    CHECK(all_bytes(p + PAGE, PAGE, 'q'));
    munmap(p, 2 * PAGE);
}

static void test_fork(void)
{
    char *priv = map_anon(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    char *shared = map_anon(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED);
    REQUIRE(priv != MAP_FAILED && shared != MAP_FAILED);
    strcpy(priv, "before");
    strcpy(shared, "before");
    int go[2];
    CHECK_OK(pipe(go));
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]);
        CHECK(strcmp(priv, "before") == 0);
        strcpy(priv, "child");
        strcpy(shared, "child");
        /* wait for the parent's write, which must not show up here */
        CHECK_EQ(read(go[0], &c, 1), 1);
        CHECK(strcmp(priv, "child") == 0);
        CHECK(strcmp(shared + 100, "parent") == 0);
        child_exit();
    }
    close(go[0]);
    strcpy(priv + 100, "parent");
    strcpy(shared + 100, "parent");
    CHECK_EQ(write(go[1], "x", 1), 1);
    CHECK_EXITED(pid, 0);
    CHECK(strcmp(priv, "before") == 0);
    CHECK(strcmp(shared, "child") == 0);
    close(go[1]);
    munmap(priv, PAGE);
    munmap(shared, PAGE);
}

/* ---- files ---- */

enum { FILE_LEN = 2 * PAGE + 100 };

static int make_file(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    char buf[FILE_LEN];
    for (int i = 0; i < FILE_LEN; i++)
        buf[i] = (char)('a' + i % 26);
    if (fd < 0 || write(fd, buf, FILE_LEN) != FILE_LEN)
        return -1;
    return fd;
}

static void test_file_private(const char *path)
{
    int fd = CHECK_OK(make_file(path));
    char *p = mmap(NULL, FILE_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    REQUIRE(p != MAP_FAILED);
    /* the mapping outlives the descriptor */
    close(fd);
    int same = 1;
    for (int i = 0; i < FILE_LEN; i++)
        same &= p[i] == (char)('a' + i % 26);
    CHECK(same);
    /* the rest of the last page reads as zero */
    CHECK(all_bytes(p + FILE_LEN, 3 * PAGE - FILE_LEN, 0));
    p[0] = 'X';
    p[FILE_LEN + 1] = 'Y';
    CHECK_EQ(p[0], 'X');
    munmap(p, FILE_LEN);

    /* private writes never reach the file */
    fd = CHECK_OK(open(path, O_RDONLY));
    char c = 0;
    CHECK_EQ(pread(fd, &c, 1, 0), 1);
    CHECK_EQ(c, 'a');

    /* an offset picks a later page */
    p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
    REQUIRE(p != MAP_FAILED);
    CHECK_EQ(p[0], 'a' + PAGE % 26);
    munmap(p, PAGE);

    /* pages wholly past the end of the file raise SIGBUS */
    p = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    REQUIRE(p != MAP_FAILED);
    CHECK_EQ(p[2 * PAGE], 'a' + 2 * PAGE % 26);
    CHECK_EQ(EXPECT_FAULT((void)*(volatile char *)(p + 3 * PAGE)), SIGBUS);
    CHECK(fault_addr == p + 3 * PAGE);
    munmap(p, 4 * PAGE);

    /* MADV_DONTNEED on a private file mapping brings back the file's data */
    p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    REQUIRE(p != MAP_FAILED);
    p[1] = '!';
    CHECK_OK(madvise(p, PAGE, MADV_DONTNEED));
    CHECK_EQ(p[1], 'b');
    munmap(p, PAGE);

    /* /dev/zero maps as zeroed memory */
    int z = CHECK_OK(open("/dev/zero", O_RDWR));
    p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, z, 0);
    CHECK(p != MAP_FAILED && all_bytes(p, 2 * PAGE, 0));
    munmap(p, 2 * PAGE);
    close(z);

    CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);
    CHECK_ERR(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
    close(fd);
    fd = CHECK_OK(open(path, O_WRONLY));
    CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0), EACCES);
    close(fd);
}

static void test_file_shared(const char *path)
{
    int fd = CHECK_OK(make_file(path));
    char *p = mmap(NULL, FILE_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    REQUIRE(p != MAP_FAILED);
    memcpy(p + 10, "SHARED", 6);
    CHECK_OK(msync(p, FILE_LEN, MS_SYNC));
    char buf[8] = {0};
    CHECK_EQ(pread(fd, buf, 6, 10), 6);
    CHECK(memcmp(buf, "SHARED", 6) == 0);
    /* and the other way: write() shows through the mapping */
    CHECK_EQ(pwrite(fd, "written", 7, PAGE + 3), 7);
    CHECK(memcmp(p + PAGE + 3, "written", 7) == 0);

    /* a second process mapping the file sees the same bytes */
    pid_t pid = fork();
    if (pid == 0) {
        char *q = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        CHECK(q != MAP_FAILED && memcmp(q + 10, "SHARED", 6) == 0);
        memcpy(q + 20, "kid", 3);
        child_exit();
    }
    CHECK_EXITED(pid, 0);
    CHECK(memcmp(p + 20, "kid", 3) == 0);
    CHECK_OK(munmap(p, FILE_LEN));
    CHECK_EQ(pread(fd, buf, 3, 20), 3);
    CHECK(memcmp(buf, "kid", 3) == 0);
    close(fd);
}

/* A shared mapping stays the file's as the file grows and the mapping moves. */
static void test_file_shared_growth(const char *path)
{
    int fd = CHECK_OK(make_file(path));
    char c = 0;
    char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    REQUIRE(p != MAP_FAILED);
    CHECK_EQ(EXPECT_FAULT(p[3 * PAGE] = 1), SIGBUS);
    CHECK(fault_addr == p + 3 * PAGE);

    /* the file grows; a new mapping of the new part sees it, and the old
     * mapping still shares the file's bytes */
    CHECK_EQ(pwrite(fd, "grown", 5, 5 * PAGE), 5);
    char *q = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 5 * PAGE);
    REQUIRE(q != MAP_FAILED);
    CHECK(memcmp(q, "grown", 5) == 0);
    p[0] = 'Z';
    CHECK_EQ(pread(fd, &c, 1, 0), 1);
    CHECK_EQ(c, 'Z');
    CHECK_EQ(pwrite(fd, "W", 1, 1), 1);
    CHECK_EQ(p[1], 'W');
    munmap(q, PAGE);

    /* moved by mremap, it is still the file */
    char *m = mremap(p, 4 * PAGE, 2 * PAGE, 0);
    REQUIRE(m == p);
    char *far = mmap(NULL, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(far != MAP_FAILED);
    m = mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, far + 4 * PAGE);
    REQUIRE(m == far + 4 * PAGE);
    CHECK_EQ(m[0], 'Z');
    m[PAGE] = 'M';
    CHECK_EQ(pread(fd, &c, 1, PAGE), 1);
    CHECK_EQ(c, 'M');
    CHECK_OK(msync(m, 2 * PAGE, MS_ASYNC));
    CHECK_ERR(msync(m, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
    CHECK_ERR(msync(m + 1, PAGE, MS_SYNC), EINVAL);
    munmap(far, 8 * PAGE);

    /* a read-only descriptor gives shared mappings that stay read-only */
    int ro = CHECK_OK(open(path, O_RDONLY));
    char *r = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0);
    REQUIRE(r != MAP_FAILED);
    CHECK_EQ(r[0], 'Z');
    CHECK_ERR(mprotect(r, PAGE, PROT_READ | PROT_WRITE), EACCES);
    munmap(r, PAGE);
    close(ro);
    close(fd);

    /* shared /dev/zero memory is shared with a child */
    int z = CHECK_OK(open("/dev/zero", O_RDWR));
    char *s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, z, 0);
    REQUIRE(s != MAP_FAILED);
    close(z);
    CHECK(all_bytes(s, PAGE, 0));
    pid_t pid = fork();
    if (pid == 0) {
        strcpy(s, "zero");
        child_exit();
    }
    CHECK_EXITED(pid, 0);
    CHECK(strcmp(s, "zero") == 0);
    munmap(s, PAGE);
}

/* ---- protection ---- */

static void test_mprotect(void)
{
    char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    REQUIRE(p != MAP_FAILED);
    strcpy(p, "keep");
    CHECK_OK(mprotect(p, PAGE, PROT_READ));
    CHECK(strcmp(p, "keep") == 0);
    CHECK_EQ(EXPECT_FAULT(p[8] = 1), SIGSEGV);
    CHECK_EQ(fault_code, SEGV_ACCERR);
    CHECK(fault_addr == p + 8);
    /* the second page kept its own protection */
    p[PAGE] = 1;
    CHECK_EQ(p[PAGE], 1);
    CHECK_OK(mprotect(p, PAGE, PROT_NONE));
    CHECK_EQ(EXPECT_FAULT((void)*(volatile char *)p), SIGSEGV);
    CHECK_OK(mprotect(p, PAGE, PROT_READ | PROT_WRITE));
    p[8] = 'w';
    CHECK(strcmp(p, "keep") == 0 && p[8] == 'w');

    /* through syscall(): musl's mprotect() rounds the address down */
    CHECK_ERR(syscall(SYS_mprotect, p + 1, PAGE, PROT_READ), EINVAL);
    CHECK_OK(munmap(p, 2 * PAGE));
    CHECK_ERR(mprotect(p, PAGE, PROT_READ), ENOMEM);

    /* code written to memory runs once the page is executable */
    static const unsigned char ret42[] = {0xb8, 42, 0, 0, 0, 0xc3}; /* mov $42,%eax; ret */
    unsigned char *code = (unsigned char *)map_anon(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    REQUIRE(code != MAP_FAILED);
    memcpy(code, ret42, sizeof ret42);
    CHECK_OK(mprotect(code, PAGE, PROT_READ | PROT_EXEC));
    int (*fn)(void) = (int (*)(void))code;
    CHECK_EQ(fn(), 42);
    /* and not while it is not */
    CHECK_OK(mprotect(code, PAGE, PROT_READ | PROT_WRITE));
    CHECK_EQ(EXPECT_FAULT(fn()), SIGSEGV);
    munmap(code, PAGE);
}

/* ---- mremap, MAP_FIXED ---- */

static void test_mremap(void)
{
    char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    REQUIRE(p != MAP_FAILED);
    for (int i = 0; i < 2 * PAGE; i++)
        p[i] = (char)(i * 3);
    char *q = mremap(p, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
    REQUIRE(q != MAP_FAILED);
    int same = 1;
    for (int i = 0; i < 2 * PAGE; i++)
        same &= q[i] == (char)(i * 3);
    CHECK(same);
    CHECK(all_bytes(q + 2 * PAGE, 6 * PAGE, 0));
    q[8 * PAGE - 1] = 1;

    /* shrinking stays in place and drops the tail */
    char *r = mremap(q, 8 * PAGE, PAGE, 0);
    REQUIRE(r == q);
    CHECK_EQ(r[5], 15);
    CHECK_EQ(EXPECT_FAULT(r[PAGE] = 1), SIGSEGV);

    /* growing in place fails when the next page is taken */
    char *two = map_anon(2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    REQUIRE(two != MAP_FAILED);
    CHECK_OK(munmap(two + PAGE, PAGE));
    char *block = mmap(two + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    REQUIRE(block == two + PAGE);
    CHECK_ERR(mremap(two, PAGE, 2 * PAGE, 0), ENOMEM);

    /* moving to a chosen address replaces what was there */
    two[0] = 'm';
    char *moved = mremap(two, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, r);
    REQUIRE(moved == r);
    CHECK_EQ(r[0], 'm');
    CHECK_EQ(EXPECT_FAULT(two[0] = 1), SIGSEGV);
    munmap(r, PAGE);
    munmap(block, PAGE);
    CHECK_ERR(mremap(r + 1, PAGE, PAGE, 0), EINVAL);
    CHECK_ERR(mremap(two, PAGE, PAGE, MREMAP_FIXED, r), EINVAL);

    /* MREMAP_DONTUNMAP (Linux 5.7) works or is refused */
    char *d = map_anon(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    REQUIRE(d != MAP_FAILED);
    d[0] = 'd';
    char *e = mremap(d, PAGE, PAGE, MREMAP_MAYMOVE | 4 /* MREMAP_DONTUNMAP */);
    CHECK(e != MAP_FAILED ? e[0] == 'd' : errno == EINVAL);
    if (e != MAP_FAILED)
        munmap(e, PAGE);
    munmap(d, PAGE);
}

static void test_fixed(void)
{
    char *p = map_anon(4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    REQUIRE(p != MAP_FAILED);
    memset(p, 'o', 4 * PAGE);
    char *f = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                   -1, 0);
    CHECK(f == p + PAGE);
    CHECK(all_bytes(p + PAGE, PAGE, 0));
    CHECK(all_bytes(p, PAGE, 'o') && all_bytes(p + 2 * PAGE, 2 * PAGE, 'o'));
    CHECK_ERR(mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
              EEXIST);
    CHECK_OK(munmap(p, 4 * PAGE));
    f = mmap(p + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(f == p + PAGE);
    munmap(f, PAGE);
}

/* ---- brk ---- */

static void test_brk(void)
{
    char *cur = (char *)syscall(SYS_brk, 0);
    CHECK(cur != NULL && cur != (char *)-1);
    char *grown = (char *)syscall(SYS_brk, cur + 16 * PAGE);
    REQUIRE(grown == cur + 16 * PAGE);
    CHECK(all_bytes(cur, 16 * PAGE, 0));
    memset(cur, 'b', 16 * PAGE);
    CHECK_EQ(cur[16 * PAGE - 1], 'b');
    /* an impossible break is refused by returning the current one */
    CHECK((char *)syscall(SYS_brk, 1) == grown);
    CHECK((char *)syscall(SYS_brk, cur) == cur);
    CHECK_EQ(EXPECT_FAULT(cur[PAGE * 15] = 1), SIGSEGV);
    CHECK((char *)syscall(SYS_brk, 0) == cur);
}

static void test_bad_args(const char *dir)
{
    CHECK_ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
    CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
    CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 12345, 0), EBADF);
    CHECK_ERR(mmap((char *)0x10001000 + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                   -1, 0),
              EINVAL);
    CHECK_ERR(munmap((void *)0x10001001, PAGE), EINVAL);
    CHECK_ERR(munmap((void *)0x10001000, 0), EINVAL);
    int d = CHECK_OK(open(dir, O_RDONLY | O_DIRECTORY));
    CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, d, 0), ENODEV);
    close(d);
    int p[2];
    CHECK_OK(pipe(p));
    CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, p[0], 0), ENODEV);
    close(p[0]);
    close(p[1]);
    char *m = map_anon(PAGE, PROT_READ, MAP_PRIVATE);
    munmap(m, PAGE);
    CHECK_ERR(msync(m, PAGE, MS_SYNC), ENOMEM);
    CHECK_ERR(madvise(m, PAGE, 12345), EINVAL);
    CHECK_ERR(madvise(m, PAGE, MADV_DONTNEED), ENOMEM);
    CHECK_ERR(madvise(m + 1, PAGE, MADV_NORMAL), EINVAL);
}

int main(void)
{
    check_start("mmap");
    const char *dir = tmpdir_make();
    char path[600];
    snprintf(path, sizeof path, "%s/data", dir);

    test_anon();
    test_anon_sizes();
    test_fork();
    test_file_private(path);
    test_file_shared(path);
    test_file_shared_growth(path);
    test_mprotect();
    test_mremap();
    test_fixed();
    test_brk();
    test_bad_args(dir);
    tmpdir_remove();
    return check_finish();
}
