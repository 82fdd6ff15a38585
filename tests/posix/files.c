/*
 * files: regular files, file descriptors and the special files.
 *
 * open/creat with O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_CLOEXEC; read,
 * write, readv, writev, pread, pwrite, lseek and holes; stat, fstat, lstat,
 * fstatat (newfstatat) and statx; utimensat; truncate and ftruncate; access
 * and faccessat; chmod, fchmod, fchmodat; umask; dup, dup2, dup3 and fcntl
 * (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFL, F_SETFL, F_GETFD, F_SETFD); sendfile;
 * fsync and fdatasync; statfs; /dev/null, /dev/zero, /dev/urandom;
 * /proc/self/exe and /proc/self/cmdline.
 */
#include "check.h"

#include <stdint.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

/* struct statx as the kernel lays it out (musl 1.2.3 has no statx()) */
struct kstatx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, pad1;
    uint64_t ino, size, blocks, attributes_mask;
    struct {
        int64_t sec;
        uint32_t nsec;
        int32_t pad;
    } atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t spare[14];
};
_Static_assert(sizeof(struct kstatx) == 256, "struct statx is 256 bytes");
#ifndef STATX_BASIC_STATS
#define STATX_BASIC_STATS 0x7ffu
#define STATX_SIZE        0x200u
#endif

static char path[600], path2[600];

static const char *in_dir(char *buf, const char *dir, const char *name)
{
    snprintf(buf, 600, "%s/%s", dir, name);
    return buf;
}

static off_t where(int fd)
{
    return lseek(fd, 0, SEEK_CUR);
}

static int file_is(const char *p, const char *want)
{
    char buf[256];
    int fd = open(p, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return n == (ssize_t)strlen(want) && memcmp(buf, want, n) == 0;
}

/* ---- reading, writing, seeking ---- */

static void test_rw(const char *dir)
{
    in_dir(path, dir, "rw");
    int fd = CHECK_OK(open(path, O_RDWR | O_CREAT | O_EXCL, 0644));
    CHECK_ERR(open(path, O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
    CHECK_EQ(write(fd, "hello world", 11), 11);
    CHECK_EQ(where(fd), 11);
    char buf[128] = {0};
    CHECK_EQ(read(fd, buf, sizeof buf), 0);
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_EQ(read(fd, buf, 5), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_EQ(lseek(fd, -5, SEEK_END), 6);
    CHECK_EQ(lseek(fd, 1, SEEK_CUR), 7);
    CHECK_EQ(read(fd, buf, sizeof buf), 4);
    CHECK(memcmp(buf, "orld", 4) == 0);

    /* pread and pwrite leave the offset alone */
    CHECK_EQ(pread(fd, buf, 5, 6), 5);
    CHECK(memcmp(buf, "world", 5) == 0);
    CHECK_EQ(pwrite(fd, "WORLD", 5, 6), 5);
    CHECK_EQ(where(fd), 11);
    CHECK(file_is(path, "hello WORLD"));

    struct iovec iov[2] = {{"<", 1}, {"vec>", 4}};
    CHECK_EQ(writev(fd, iov, 2), 5);
    CHECK(file_is(path, "hello WORLD<vec>"));
    char a[6] = {0}, b[11] = {0};
    struct iovec in[2] = {{a, 5}, {b, 10}};
    CHECK_EQ(preadv(fd, in, 2, 0), 15);
    CHECK(strcmp(a, "hello") == 0 && strcmp(b, " WORLD<vec") == 0);
    /* pwritev writes its pieces one after the other, the offset left alone */
    struct iovec out[2] = {{"H", 1}, {"ELLO", 4}};
    CHECK_EQ(pwritev(fd, out, 2, 0), 5);
    CHECK_EQ(where(fd), 16);
    CHECK(file_is(path, "HELLO WORLD<vec>"));
    /* preadv2 at offset -1 reads at the file's offset and moves it */
    CHECK_EQ(lseek(fd, 6, SEEK_SET), 6);
    memset(a, 0, sizeof a);
    CHECK_EQ(syscall(SYS_preadv2, fd, in, 1, -1L, 0L, 0), 5);
    CHECK(strcmp(a, "WORLD") == 0);
    CHECK_EQ(where(fd), 11);
    CHECK_ERR(preadv(fd, in, 2, -1), EINVAL);

    /* writing past the end leaves a hole that reads as zeros */
    CHECK_EQ(lseek(fd, 100000, SEEK_SET), 100000);
    CHECK_EQ(write(fd, "x", 1), 1);
    struct stat st;
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(st.st_size, 100001);
    static char hole[100000 - 16];
    memset(hole, 1, sizeof hole);
    CHECK_EQ(pread(fd, hole, sizeof hole, 16), sizeof hole);
    int zero = 1;
    for (size_t i = 0; i < sizeof hole; i++)
        zero &= hole[i] == 0;
    CHECK(zero);
    CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
    CHECK_ERR(lseek(fd, 0, 77), EINVAL);
    close(fd);

    /* O_TRUNC empties; creat is O_CREAT|O_WRONLY|O_TRUNC */
    fd = CHECK_OK(open(path, O_RDWR | O_TRUNC));
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(st.st_size, 0);
    close(fd);
    CHECK_EQ(write(fd = creat(path, 0644), "c", 1), 1);
    CHECK_ERR(read(fd, buf, 1), EBADF);
    close(fd);
    CHECK(file_is(path, "c"));
    CHECK_OK(unlink(path));
}

static void test_append(const char *dir)
{
    in_dir(path, dir, "append");
    int fd = CHECK_OK(open(path, O_WRONLY | O_CREAT | O_APPEND, 0644));
    int fd2 = CHECK_OK(open(path, O_WRONLY | O_APPEND));
    CHECK_EQ(write(fd, "one ", 4), 4);
    CHECK_EQ(write(fd2, "two ", 4), 4);
    /* each write goes to the end wherever the offset was */
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_EQ(write(fd, "three", 5), 5);
    CHECK_EQ(where(fd), 13);
    CHECK(file_is(path, "one two three"));
    CHECK(fcntl(fd, F_GETFL) & O_APPEND);
    /* without O_APPEND writes go where the offset is */
    CHECK_OK(fcntl(fd, F_SETFL, 0));
    CHECK_EQ(fcntl(fd, F_GETFL) & O_APPEND, 0);
    lseek(fd, 0, SEEK_SET);
    CHECK_EQ(write(fd, "ONE", 3), 3);
    CHECK(file_is(path, "ONE two three"));
    close(fd);
    close(fd2);
    unlink(path);
}

/* ---- metadata ---- */

static void test_stat(const char *dir)
{
    in_dir(path, dir, "meta");
    in_dir(path2, dir, "meta-link");
    time_t t0 = time(NULL);
    int fd = CHECK_OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0640));
    CHECK_EQ(write(fd, "0123456789", 10), 10);
    struct stat st, fst, lst;
    CHECK_OK(stat(path, &st));
    CHECK_OK(fstat(fd, &fst));
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ(st.st_mode & 07777, 0640);
    CHECK_EQ(st.st_size, 10);
    CHECK_EQ(st.st_nlink, 1);
    CHECK_EQ(st.st_uid, geteuid());
    CHECK(st.st_blksize > 0);
    CHECK(st.st_ino == fst.st_ino && st.st_dev == fst.st_dev);
    CHECK(st.st_mtime >= t0 - 2 && st.st_mtime <= time(NULL) + 2);

    CHECK_OK(symlink("meta", path2));
    CHECK_OK(lstat(path2, &lst));
    CHECK(S_ISLNK(lst.st_mode));
    CHECK_EQ(lst.st_size, 4);
    CHECK(lst.st_ino != st.st_ino);
    CHECK_OK(stat(path2, &lst));
    CHECK_EQ(lst.st_ino, st.st_ino);

    /* fstatat relative to a directory descriptor */
    int dfd = CHECK_OK(open(dir, O_RDONLY | O_DIRECTORY));
    CHECK_OK(fstatat(dfd, "meta", &lst, 0));
    CHECK_EQ(lst.st_ino, st.st_ino);
    CHECK_OK(fstatat(dfd, "meta-link", &lst, AT_SYMLINK_NOFOLLOW));
    CHECK(S_ISLNK(lst.st_mode));
    CHECK_OK(fstatat(fd, "", &lst, AT_EMPTY_PATH));
    CHECK_EQ(lst.st_ino, st.st_ino);
    CHECK_ERR(fstatat(dfd, "missing", &lst, 0), ENOENT);

    struct kstatx sx;
    memset(&sx, 0xee, sizeof sx);
    CHECK_OK(syscall(SYS_statx, dfd, "meta", 0, STATX_BASIC_STATS, &sx));
    CHECK(sx.mask & STATX_SIZE);
    CHECK_EQ(sx.size, 10);
    CHECK_EQ(sx.ino, st.st_ino);
    CHECK_EQ(sx.mode, st.st_mode);
    CHECK_EQ(sx.nlink, 1);
    CHECK_EQ(sx.mtime.sec, st.st_mtime);
    CHECK_OK(syscall(SYS_statx, dfd, "meta-link", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx));
    CHECK(S_ISLNK(sx.mode));
    CHECK_ERR(syscall(SYS_statx, dfd, "missing", 0, STATX_BASIC_STATS, &sx), ENOENT);

    /* times set explicitly read back exactly */
    struct timespec times[2] = {{1000000000, 0}, {1234567890, 0}};
    CHECK_OK(utimensat(dfd, "meta", times, 0));
    CHECK_OK(stat(path, &st));
    CHECK_EQ(st.st_atime, 1000000000);
    CHECK_EQ(st.st_mtime, 1234567890);
    close(dfd);

    /* permissions */
    CHECK_OK(chmod(path, 0600));
    CHECK_OK(stat(path, &st));
    CHECK_EQ(st.st_mode & 07777, 0600);
    CHECK_OK(fchmod(fd, 0751));
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(st.st_mode & 07777, 0751);
    CHECK_OK(fchmodat(AT_FDCWD, path, 0644, 0));
    CHECK_OK(stat(path, &st));
    CHECK_EQ(st.st_mode & 07777, 0644);
    /* chmod through a symlink changes the target */
    CHECK_OK(chmod(path2, 0604));
    CHECK_OK(stat(path, &st));
    CHECK_EQ(st.st_mode & 07777, 0604);
    close(fd);
    unlink(path2);
    unlink(path);
}

static void test_truncate(const char *dir)
{
    in_dir(path, dir, "trunc");
    int fd = CHECK_OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0644));
    CHECK_EQ(write(fd, "abcdef", 6), 6);
    CHECK_OK(truncate(path, 5000));
    struct stat st;
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(st.st_size, 5000);
    char buf[16];
    CHECK_EQ(pread(fd, buf, 16, 4990), 10);
    CHECK(buf[0] == 0 && buf[9] == 0);
    CHECK_OK(ftruncate(fd, 3));
    CHECK_EQ(pread(fd, buf, 16, 0), 3);
    CHECK(memcmp(buf, "abc", 3) == 0);
    /* the offset is not moved by truncation */
    CHECK_EQ(where(fd), 6);
    close(fd);
    CHECK_ERR(truncate(path, -1), EINVAL);
    CHECK_ERR(truncate(dir, 0), EISDIR);
    fd = CHECK_OK(open(path, O_RDONLY));
    CHECK_ERR(ftruncate(fd, 0), EINVAL);
    close(fd);
    unlink(path);
}

static void test_access(const char *dir)
{
    in_dir(path, dir, "acc");
    int fd = CHECK_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
    close(fd);
    CHECK_OK(access(path, F_OK));
    CHECK_OK(access(path, R_OK | W_OK));
    /* no execute bit anywhere: refused even to root */
    CHECK_ERR(access(path, X_OK), EACCES);
    CHECK_OK(chmod(path, 0755));
    CHECK_OK(access(path, X_OK));
    int dfd = CHECK_OK(open(dir, O_RDONLY | O_DIRECTORY));
    CHECK_OK(faccessat(dfd, "acc", R_OK, 0));
    CHECK_ERR(faccessat(dfd, "nope", F_OK, 0), ENOENT);
    close(dfd);
    CHECK_ERR(access(path, 0x100), EINVAL);
    if (geteuid() != 0) {
        CHECK_OK(chmod(path, 0));
        CHECK_ERR(access(path, R_OK), EACCES);
        CHECK_ERR(open(path, O_RDONLY), EACCES);
    }
    unlink(path);
}

static void test_umask(const char *dir)
{
    mode_t old = umask(022);
    CHECK_EQ(umask(077), 022);
    in_dir(path, dir, "masked");
    int fd = CHECK_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666));
    struct stat st;
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(st.st_mode & 0777, 0600);
    close(fd);
    unlink(path);
    in_dir(path, dir, "masked-dir");
    CHECK_OK(mkdir(path, 0777));
    CHECK_OK(stat(path, &st));
    CHECK_EQ(st.st_mode & 0777, 0700);
    rmdir(path);
    /* the mask survives fork */
    pid_t pid = fork();
    if (pid == 0)
        _exit(umask(0) == 077 ? 0 : 1);
    CHECK_EXITED(pid, 0);
    CHECK_EQ(umask(old), 077);
}

/* ---- descriptors ---- */

static void test_fds(const char *dir)
{
    in_dir(path, dir, "fds");
    int fd = CHECK_OK(open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
    CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
    /* the lowest free number is used */
    int d = CHECK_OK(dup(fd));
    CHECK(d > fd);
    close(d);
    CHECK_EQ(dup(fd), d);
    /* a duplicate shares the offset but not the descriptor flags */
    CHECK_EQ(fcntl(d, F_GETFD), 0);
    CHECK_EQ(write(fd, "abc", 3), 3);
    CHECK_EQ(where(d), 3);
    CHECK_EQ(lseek(d, 1, SEEK_SET), 1);
    CHECK_EQ(where(fd), 1);
    /* and the status flags */
    CHECK_OK(fcntl(d, F_SETFL, O_APPEND | O_NONBLOCK));
    CHECK(fcntl(fd, F_GETFL) & O_APPEND);
    /* F_SETFL cannot change the access mode */
    CHECK_OK(fcntl(fd, F_SETFL, O_RDONLY));
    CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);

    CHECK_EQ(dup2(fd, fd), fd);
    int other = CHECK_OK(open("/dev/null", O_RDONLY));
    /* dup2 onto an open descriptor closes it first */
    CHECK_EQ(dup2(fd, other), other);
    CHECK_EQ(where(other), where(fd));
    CHECK_EQ(fcntl(other, F_GETFD), 0);
    CHECK_EQ(dup3(fd, other, O_CLOEXEC), other);
    CHECK_EQ(fcntl(other, F_GETFD), FD_CLOEXEC);
    CHECK_ERR(dup3(fd, fd, 0), EINVAL);
    /* through syscall(): musl's dup3() without O_CLOEXEC is plain dup2 */
    CHECK_ERR(syscall(SYS_dup3, fd, other, O_APPEND), EINVAL);

    int hi = CHECK_OK(fcntl(fd, F_DUPFD, 50));
    CHECK(hi >= 50);
    CHECK_EQ(fcntl(hi, F_GETFD), 0);
    int hi2 = CHECK_OK(fcntl(fd, F_DUPFD_CLOEXEC, hi));
    CHECK(hi2 > hi);
    CHECK_EQ(fcntl(hi2, F_GETFD), FD_CLOEXEC);
    CHECK_OK(fcntl(hi2, F_SETFD, 0));
    CHECK_EQ(fcntl(hi2, F_GETFD), 0);
    close(hi);
    close(hi2);
    close(other);
    close(d);
    close(fd);
    CHECK_ERR(fcntl(fd, F_GETFD), EBADF);
    CHECK_ERR(close(fd), EBADF);
    unlink(path);
}

static void test_sendfile(const char *dir)
{
    in_dir(path, dir, "src");
    in_dir(path2, dir, "dst");
    int src = CHECK_OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0644));
    static char data[10000], back[10000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)(i % 253);
    CHECK_EQ(write(src, data, sizeof data), sizeof data);
    lseek(src, 0, SEEK_SET);
    int dst = CHECK_OK(open(path2, O_RDWR | O_CREAT | O_TRUNC, 0644));
    CHECK_EQ(sendfile(dst, src, NULL, 20000), 10000);
    CHECK_EQ(where(src), 10000);
    CHECK_EQ(sendfile(dst, src, NULL, 100), 0);
    CHECK_EQ(pread(dst, back, sizeof back, 0), sizeof back);
    CHECK(memcmp(data, back, sizeof data) == 0);

    /* with an offset: it is updated, the file position is not */
    lseek(src, 7, SEEK_SET);
    off_t off = 100;
    int p[2];
    CHECK_OK(pipe(p));
    CHECK_EQ(sendfile(p[1], src, &off, 500), 500);
    CHECK_EQ(off, 600);
    CHECK_EQ(where(src), 7);
    CHECK_EQ(read(p[0], back, sizeof back), 500);
    CHECK(memcmp(back, data + 100, 500) == 0);
    close(p[0]);
    close(p[1]);
    CHECK_ERR(sendfile(dst, 9999, NULL, 10), EBADF);

    CHECK_OK(fsync(dst));
    CHECK_OK(fdatasync(dst));
    sync();
    CHECK_OK(pipe(p));
    CHECK_ERR(fsync(p[0]), EINVAL);
    close(p[0]);
    close(p[1]);
    close(src);
    close(dst);
    unlink(path);
    unlink(path2);
}

static void test_statfs(const char *dir)
{
    struct statfs fs;
    CHECK_OK(statfs(dir, &fs));
    CHECK(fs.f_bsize > 0);
    CHECK(fs.f_namelen >= 14);
    int fd = CHECK_OK(open(dir, O_RDONLY | O_DIRECTORY));
    struct statfs fs2;
    CHECK_OK(fstatfs(fd, &fs2));
    CHECK_EQ(fs2.f_type, fs.f_type);
    close(fd);
    struct statvfs vfs;
    CHECK_OK(statvfs(dir, &vfs));
    CHECK(vfs.f_bsize > 0);
    in_dir(path, dir, "missing/x");
    CHECK_ERR(statfs(path, &fs), ENOENT);
}

/* ---- special files ---- */

static void test_devices(void)
{
    char buf[256];
    int fd = CHECK_OK(open("/dev/null", O_RDWR));
    struct stat st;
    CHECK_OK(fstat(fd, &st));
    CHECK(S_ISCHR(st.st_mode));
    CHECK_EQ(write(fd, "gone", 4), 4);
    CHECK_EQ(read(fd, buf, sizeof buf), 0);
    close(fd);

    fd = CHECK_OK(open("/dev/zero", O_RDWR));
    memset(buf, 0x55, sizeof buf);
    CHECK_EQ(read(fd, buf, sizeof buf), sizeof buf);
    int zero = 1;
    for (size_t i = 0; i < sizeof buf; i++)
        zero &= buf[i] == 0;
    CHECK(zero);
    CHECK_EQ(write(fd, buf, 10), 10);
    close(fd);

    fd = CHECK_OK(open("/dev/urandom", O_RDONLY));
    unsigned char r1[64] = {0}, r2[64] = {0};
    CHECK_EQ(read(fd, r1, sizeof r1), sizeof r1);
    CHECK_EQ(read(fd, r2, sizeof r2), sizeof r2);
    int nonzero = 0;
    for (size_t i = 0; i < sizeof r1; i++)
        nonzero += r1[i] != 0;
    /* 64 random bytes: a handful may be zero, not most */
    CHECK(nonzero > 32);
    CHECK(memcmp(r1, r2, sizeof r1) != 0);
    close(fd);
}

static void test_proc_self(int argc, char **argv)
{
    char exe[512];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    CHECK(n > 1);
    if (n > 1) {
        exe[n] = 0;
        CHECK_EQ(exe[0], '/');
        struct stat a, b;
        CHECK_OK(stat(exe, &a));
        CHECK_OK(stat("/proc/self/exe", &b));
        CHECK(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
        if (strchr(argv[0], '/')) {
            CHECK_OK(stat(argv[0], &b));
            CHECK(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
        }
    }

    char want[4096], got[4096];
    size_t len = 0;
    for (int i = 0; i < argc && len < sizeof want; i++) {
        size_t l = strlen(argv[i]) + 1;
        if (len + l > sizeof want)
            break;
        memcpy(want + len, argv[i], l);
        len += l;
    }
    int fd = CHECK_OK(open("/proc/self/cmdline", O_RDONLY));
    size_t total = 0;
    while (total < sizeof got) {
        ssize_t r = read(fd, got + total, sizeof got - total);
        if (r <= 0)
            break;
        total += r;
    }
    close(fd);
    CHECK_EQ(total, len);
    CHECK(total == len && memcmp(got, want, len) == 0);
}

/* Whether directory dir has an entry name, of type type (DT_UNKNOWN: any). */
static int dir_has(const char *dir, const char *name, unsigned char type)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;

    if (!d)
        return 0;
    while ((e = readdir(d)))
        if (!strcmp(e->d_name, name) && (type == DT_UNKNOWN || e->d_type == type))
            found = 1;
    closedir(d);
    return found;
}

/* The made-up trees list like directories: /, /dev, /proc, /proc/self,
 * /proc/self/fd (whose entries are links to what the descriptors name). */
static void test_proc_dirs(const char *dir)
{
    char pid[24], path[600], link[600];
    struct stat st;

    snprintf(pid, sizeof pid, "%d", (int)getpid());
    CHECK(dir_has("/", "proc", DT_DIR));
    CHECK(dir_has("/", "dev", DT_DIR));
    CHECK(dir_has("/dev", "null", DT_CHR));
    CHECK_OK(stat("/dev", &st));
    CHECK(S_ISDIR(st.st_mode));
    CHECK(dir_has("/proc", pid, DT_DIR));
    CHECK(dir_has("/proc", "self", DT_LNK));
    CHECK(!dir_has("/proc", "no-such-entry", DT_UNKNOWN));
    CHECK(dir_has("/proc/self", "exe", DT_LNK));
    CHECK(dir_has("/proc/self", "fd", DT_DIR));
    CHECK(dir_has("/proc/self", "status", DT_REG));
    CHECK_OK(lstat("/proc/self", &st));
    CHECK(S_ISLNK(st.st_mode));
    CHECK_OK(stat("/proc/self", &st));
    CHECK(S_ISDIR(st.st_mode));

    snprintf(path, sizeof path, "%s/fd-link", dir);
    int fd = CHECK_OK(open(path, O_CREAT | O_RDWR, 0644));
    char name[16], fdpath[64];
    snprintf(name, sizeof name, "%d", fd);
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
    CHECK(dir_has("/proc/self/fd", name, DT_LNK));
    CHECK_OK(lstat(fdpath, &st));
    CHECK(S_ISLNK(st.st_mode));
    ssize_t n = readlink(fdpath, link, sizeof link - 1);
    CHECK(n > 0 && (size_t)n == strlen(path) && !memcmp(link, path, (size_t)n));
    struct stat a, b;
    CHECK_OK(stat(fdpath, &a));
    CHECK_OK(fstat(fd, &b));
    CHECK(S_ISREG(a.st_mode) && a.st_ino == b.st_ino);
    close(fd);
    CHECK_ERR(lstat(fdpath, &st), ENOENT);
    CHECK_OK(unlink(path));

    /* /proc/self/status names the process */
    char text[2048] = {0}, want[48];
    int sfd = CHECK_OK(open("/proc/self/status", O_RDONLY));
    CHECK(read(sfd, text, sizeof text - 1) > 0);
    close(sfd);
    snprintf(want, sizeof want, "\nPid:\t%d\n", (int)getpid());
    CHECK(strstr(text, want) != NULL);
    CHECK(strncmp(text, "Name:\t", 6) == 0);
    /* the system's figures, as free, uptime and top read them */
    static const struct {
        const char *path, *starts;
    } sys_files[] = {{"/proc/meminfo", "MemTotal:"},
                     {"/proc/stat", "cpu "},
                     {"/proc/version", "Linux version "}};
    for (size_t i = 0; i < sizeof sys_files / sizeof sys_files[0]; i++) {
        char head[64] = {0};
        int f = open(sys_files[i].path, O_RDONLY);
        CHECK(f >= 0 && read(f, head, sizeof head - 1) > 0);
        CHECK(strncmp(head, sys_files[i].starts, strlen(sys_files[i].starts)) == 0);
        if (f >= 0)
            close(f);
    }
    double up = -1, idle = -1;
    FILE *u = fopen("/proc/uptime", "r");
    CHECK(u && fscanf(u, "%lf %lf", &up, &idle) == 2 && up > 0 && idle >= 0);
    if (u)
        fclose(u);
    CHECK_ERR(open("/proc/no-such-entry", O_RDONLY), ENOENT);

    /* a long /proc/self/fd (more than one batch of entries) lists them all */
    struct rlimit nofile;
    CHECK_OK(getrlimit(RLIMIT_NOFILE, &nofile));
    static int dups[1024];
    int opened = 0, limit = nofile.rlim_cur > 1024 ? 1024 : (int)nofile.rlim_cur;
    for (int n; opened < limit - 8 && (n = dup(0)) >= 0; opened++)
        dups[opened] = n;
    DIR *fdd = opendir("/proc/self/fd");
    int seen = 0, saw_last = 0;
    struct dirent *e;
    char lastname[16];
    snprintf(lastname, sizeof lastname, "%d", opened ? dups[opened - 1] : -1);
    while (fdd && (e = readdir(fdd))) {
        seen += e->d_name[0] != '.';
        saw_last |= !strcmp(e->d_name, lastname);
    }
    /* every descriptor: the copies and 0-2 (Linux also lists the directory's own) */
    CHECK(fdd && opened > 1000 && saw_last && seen >= opened + 3);
    if (fdd)
        closedir(fdd);
    for (int i = 0; i < opened; i++)
        close(dups[i]);
    CHECK_ERR(open("/proc", O_WRONLY), EISDIR);
}

int main(int argc, char **argv)
{
    check_start("files");
    /* a known mask, whatever the caller's */
    umask(022);
    const char *dir = tmpdir_make();
    test_rw(dir);
    test_append(dir);
    test_stat(dir);
    test_truncate(dir);
    test_access(dir);
    test_umask(dir);
    test_fds(dir);
    test_sendfile(dir);
    test_statfs(dir);
    test_devices();
    test_proc_self(argc, argv);
    test_proc_dirs(dir);
    tmpdir_remove();
    return check_finish();
}
