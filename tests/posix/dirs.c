/*
 * dirs: directories, names and links.
 *
 * mkdir and rmdir, opendir/readdir over getdents64 (every entry exactly
 * once, d_type, rewinddir, the raw record layout), rename and renameat2
 * (replace, directories, RENAME_NOREPLACE), link, symlink and readlink
 * (dangling links, loops, O_NOFOLLOW, relative targets), unlinking an open
 * file, getcwd, chdir and fchdir (also into a removed directory), the *at
 * calls relative to a directory descriptor, and path resolution with ".",
 * ".." and trailing slashes.
 */
#include "check.h"

#include <limits.h>
#include <stdint.h>
#include <sys/syscall.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif

static char base[PATH_MAX];
static char p1[PATH_MAX + 100], p2[PATH_MAX + 100];

static const char *at(char *buf, const char *name)
{
    snprintf(buf, PATH_MAX + 100, "%s/%s", base, name);
    return buf;
}

static void touch(const char *p, const char *content)
{
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        if (content)
            write(fd, content, strlen(content));
        close(fd);
    }
}

static int content_is(const char *p, const char *want)
{
    char buf[128];
    int fd = open(p, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return n == (ssize_t)strlen(want) && memcmp(buf, want, n) == 0;
}

static ino_t ino_of(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0 ? st.st_ino : 0;
}

/* ---- mkdir, rmdir ---- */

static void test_mkdir(void)
{
    CHECK_OK(mkdir(at(p1, "d"), 0755));
    struct stat st;
    CHECK_OK(stat(p1, &st));
    CHECK(S_ISDIR(st.st_mode));
    CHECK_EQ(st.st_mode & 0777, 0755);
    CHECK_ERR(mkdir(p1, 0755), EEXIST);
    CHECK_ERR(mkdir(at(p1, "missing/d"), 0755), ENOENT);
    touch(at(p2, "d/f"), NULL);
    CHECK_ERR(rmdir(at(p1, "d")), ENOTEMPTY);
    CHECK_ERR(unlink(p1), EISDIR);
    CHECK_ERR(rmdir(p2), ENOTDIR);
    CHECK_ERR(mkdir(at(p1, "d/f/x"), 0755), ENOTDIR);
    CHECK_ERR(rmdir(at(p1, "d/.")), EINVAL);
    CHECK_OK(unlink(p2));
    CHECK_OK(rmdir(at(p1, "d")));
    CHECK_ERR(rmdir(p1), ENOENT);
    CHECK_ERR(stat(p1, &st), ENOENT);
}

/* ---- reading directories ---- */

enum { NFILES = 300 };

static void test_readdir(void)
{
    CHECK_OK(mkdir(at(p1, "many"), 0755));
    char name[64];
    for (int i = 0; i < NFILES; i++) {
        snprintf(name, sizeof name, "many/f%03d", i);
        touch(at(p1, name), NULL);
    }
    CHECK_OK(mkdir(at(p1, "many/sub"), 0755));
    CHECK_OK(symlink("f000", at(p1, "many/lnk")));

    DIR *d = opendir(at(p1, "many"));
    CHECK(d != NULL);
    if (!d)
        return;
    for (int pass = 0; pass < 2; pass++) {
        static unsigned char seen[NFILES];
        memset(seen, 0, sizeof seen);
        int dots = 0, sub = 0, lnk = 0, other = 0, types_ok = 1;
        struct dirent *e;
        errno = 0;
        while ((e = readdir(d)) != NULL) {
            const char *n = e->d_name;
            if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0) {
                dots++;
                types_ok &= e->d_type == DT_DIR || e->d_type == DT_UNKNOWN;
            } else if (strcmp(n, "sub") == 0) {
                sub++;
                types_ok &= e->d_type == DT_DIR || e->d_type == DT_UNKNOWN;
            } else if (strcmp(n, "lnk") == 0) {
                lnk++;
                types_ok &= e->d_type == DT_LNK || e->d_type == DT_UNKNOWN;
            } else if (n[0] == 'f' && strlen(n) == 4) {
                seen[atoi(n + 1)]++;
                types_ok &= e->d_type == DT_REG || e->d_type == DT_UNKNOWN;
            } else {
                other++;
            }
        }
        /* end of directory is not an error */
        CHECK_EQ(errno, 0);
        int once = 1;
        for (int i = 0; i < NFILES; i++)
            once &= seen[i] == 1;
        CHECK(once);
        CHECK(dots == 2 && sub == 1 && lnk == 1 && other == 0);
        CHECK(types_ok);
        rewinddir(d);
    }
    closedir(d);

    /* the raw records: 8-byte aligned, filling exactly what was returned */
    int fd = CHECK_OK(open(at(p1, "many"), O_RDONLY | O_DIRECTORY));
    static char buf[4096];
    long n, total = 0, records = 0;
    int aligned = 1;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        long off = 0;
        while (off < n) {
            unsigned short reclen = *(unsigned short *)(buf + off + 16);
            aligned &= reclen % 8 == 0 && reclen >= 24;
            if (reclen == 0)
                break;
            off += reclen;
            records++;
        }
        aligned &= off == n;
        total += n;
    }
    CHECK_EQ(n, 0);
    CHECK(aligned);
    CHECK_EQ(records, NFILES + 4);
    lseek(fd, 0, SEEK_SET);
    CHECK_ERR(syscall(SYS_getdents64, fd, buf, 8), EINVAL);
    close(fd);
    fd = CHECK_OK(open(at(p1, "many/f000"), O_RDONLY));
    CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof buf), ENOTDIR);
    close(fd);

    /* an empty directory holds only . and .. */
    CHECK_OK(mkdir(at(p1, "empty"), 0755));
    d = opendir(p1);
    int count = 0;
    while (d && readdir(d))
        count++;
    if (d)
        closedir(d);
    CHECK_EQ(count, 2);
    rmdir(p1);
    CHECK(opendir(at(p1, "many/f000")) == NULL && errno == ENOTDIR);
    CHECK(opendir(at(p1, "nope")) == NULL && errno == ENOENT);
}

/* ---- rename ---- */

static void test_rename(void)
{
    touch(at(p1, "a"), "A");
    CHECK_OK(rename(p1, at(p2, "b")));
    CHECK_ERR(access(p1, F_OK), ENOENT);
    CHECK(content_is(p2, "A"));
    /* over an existing file: replaced, atomically */
    touch(at(p1, "c"), "C");
    ino_t c_ino = ino_of(p1);
    CHECK_OK(rename(p1, p2));
    CHECK(content_is(p2, "C"));
    CHECK_EQ(ino_of(p2), c_ino);
    /* to itself: nothing happens */
    CHECK_OK(rename(p2, p2));
    CHECK(content_is(p2, "C"));
    CHECK_ERR(rename(at(p1, "nope"), p2), ENOENT);

    CHECK_OK(mkdir(at(p1, "rd"), 0755));
    touch(at(p2, "rd/inner"), "I");
    CHECK_OK(rename(p1, at(p2, "rd2")));
    CHECK(content_is(at(p1, "rd2/inner"), "I"));
    CHECK_OK(mkdir(at(p1, "emptyd"), 0755));
    CHECK_OK(mkdir(at(p1, "fulld"), 0755));
    touch(at(p1, "fulld/x"), NULL);
    /* a directory may replace an empty directory only */
    int r = rename(at(p1, "rd2"), at(p2, "fulld"));
    CHECK(r == -1 && (errno == ENOTEMPTY || errno == EEXIST));
    CHECK_OK(rename(at(p1, "rd2"), at(p2, "emptyd")));
    CHECK(content_is(at(p1, "emptyd/inner"), "I"));
    CHECK_ERR(rename(at(p1, "b"), at(p2, "emptyd")), EISDIR);
    CHECK_ERR(rename(at(p1, "emptyd"), at(p2, "b")), ENOTDIR);
    /* nor into itself */
    CHECK_ERR(rename(at(p1, "emptyd"), at(p2, "emptyd/deeper")), EINVAL);

    int dfd = CHECK_OK(open(base, O_RDONLY | O_DIRECTORY));
    CHECK_OK(renameat(dfd, "b", dfd, "b2"));
    CHECK(content_is(at(p1, "b2"), "C"));
    touch(at(p1, "other"), "O");
    CHECK_ERR(syscall(SYS_renameat2, dfd, "other", dfd, "b2", RENAME_NOREPLACE), EEXIST);
    CHECK(content_is(at(p1, "b2"), "C"));
    CHECK_OK(syscall(SYS_renameat2, dfd, "other", dfd, "fresh", RENAME_NOREPLACE));
    CHECK(content_is(at(p1, "fresh"), "O"));
    close(dfd);
}

/* ---- hard and symbolic links ---- */

static void test_links(void)
{
    touch(at(p1, "orig"), "data");
    CHECK_OK(link(p1, at(p2, "hard")));
    struct stat a, b;
    CHECK_OK(stat(p1, &a));
    CHECK_OK(stat(p2, &b));
    CHECK_EQ(a.st_nlink, 2);
    CHECK_EQ(a.st_ino, b.st_ino);
    CHECK_ERR(link(p1, p2), EEXIST);
    CHECK_ERR(link(base, at(p2, "dirlink")), EPERM);
    CHECK_OK(unlink(at(p1, "orig")));
    CHECK(content_is(at(p2, "hard"), "data"));
    CHECK_OK(stat(p2, &b));
    CHECK_EQ(b.st_nlink, 1);

    /* an unlinked file lives on while it is open */
    int fd = CHECK_OK(open(p2, O_RDWR));
    CHECK_OK(unlink(p2));
    CHECK_ERR(access(p2, F_OK), ENOENT);
    char buf[16] = {0};
    CHECK_EQ(read(fd, buf, sizeof buf), 4);
    CHECK_OK(fstat(fd, &b));
    CHECK_EQ(b.st_nlink, 0);
    CHECK_EQ(write(fd, "more", 4), 4);
    close(fd);

    touch(at(p1, "target"), "T");
    CHECK_OK(symlink("target", at(p2, "sym")));
    memset(buf, 'X', sizeof buf);
    /* no terminating NUL is written */
    CHECK_EQ(readlink(p2, buf, sizeof buf), 6);
    CHECK(memcmp(buf, "targetX", 7) == 0);
    CHECK_EQ(readlink(p2, buf, 3), 3);
    CHECK(memcmp(buf, "tar", 3) == 0);
    CHECK(content_is(p2, "T"));
    CHECK_ERR(readlink(p1, buf, sizeof buf), EINVAL);
    CHECK_ERR(symlink("x", p2), EEXIST);
    int dfd = CHECK_OK(open(base, O_RDONLY | O_DIRECTORY));
    CHECK_EQ(readlinkat(dfd, "sym", buf, sizeof buf), 6);
    CHECK_OK(symlinkat("target", dfd, "sym2"));
    CHECK_OK(linkat(dfd, "target", dfd, "hard2", 0));
    CHECK_EQ(ino_of(at(p1, "hard2")), ino_of(at(p2, "target")));

    /* a dangling link: lstat works, stat does not, O_CREAT makes the target */
    CHECK_OK(symlink("ghost", at(p1, "dangling")));
    struct stat st;
    CHECK_OK(lstat(p1, &st));
    CHECK_ERR(stat(p1, &st), ENOENT);
    fd = CHECK_OK(open(p1, O_WRONLY | O_CREAT, 0644));
    close(fd);
    CHECK_OK(access(at(p2, "ghost"), F_OK));

    /* loops and O_NOFOLLOW */
    CHECK_OK(symlinkat("loop2", dfd, "loop1"));
    CHECK_OK(symlinkat("loop1", dfd, "loop2"));
    CHECK_ERR(open(at(p1, "loop1"), O_RDONLY), ELOOP);
    CHECK_ERR(open(at(p1, "sym"), O_RDONLY | O_NOFOLLOW), ELOOP);

    /* a relative target is resolved from the link's own directory */
    CHECK_OK(mkdirat(dfd, "nest", 0755));
    CHECK_OK(symlinkat("../target", dfd, "nest/up"));
    CHECK(content_is(at(p1, "nest/up"), "T"));
    close(dfd);
}

/* ---- the working directory ---- */

static void test_cwd(void)
{
    char saved[PATH_MAX], buf[PATH_MAX];
    CHECK(getcwd(saved, sizeof saved) != NULL);
    CHECK_EQ(saved[0], '/');
    CHECK_OK(chdir(base));
    CHECK(getcwd(buf, sizeof buf) != NULL);
    CHECK(strcmp(buf, base) == 0);
    CHECK_OK(mkdir("sub", 0755));
    CHECK_OK(chdir("sub"));
    touch("here", "H");
    CHECK(content_is(at(p1, "sub/here"), "H"));
    CHECK(getcwd(buf, sizeof buf) && strcmp(buf, at(p1, "sub")) == 0);
    CHECK_OK(chdir(".."));
    CHECK(getcwd(buf, sizeof buf) && strcmp(buf, base) == 0);
    int fd = CHECK_OK(open("sub", O_RDONLY | O_DIRECTORY));
    CHECK_OK(fchdir(fd));
    close(fd);
    CHECK(getcwd(buf, sizeof buf) && strcmp(buf, at(p1, "sub")) == 0);
    CHECK(getcwd(buf, 2) == NULL && errno == ERANGE);

    /* a child's chdir is its own */
    pid_t pid = fork();
    if (pid == 0) {
        char mine[PATH_MAX];
        int ok = getcwd(mine, sizeof mine) && strcmp(mine, at(p1, "sub")) == 0;
        _exit(ok && chdir("/") == 0 ? 0 : 1);
    }
    CHECK_EXITED(pid, 0);
    CHECK(getcwd(buf, sizeof buf) && strcmp(buf, at(p1, "sub")) == 0);

    CHECK_ERR(chdir("here"), ENOTDIR);
    CHECK_ERR(chdir("nowhere"), ENOENT);
    fd = CHECK_OK(open("here", O_RDONLY));
    CHECK_ERR(fchdir(fd), ENOTDIR);
    close(fd);

    /* the working directory can be removed from under us */
    CHECK_OK(mkdir("doomed", 0755));
    CHECK_OK(chdir("doomed"));
    CHECK_OK(rmdir(at(p1, "sub/doomed")));
    CHECK(getcwd(buf, sizeof buf) == NULL && errno == ENOENT);
    CHECK_ERR(open("new", O_WRONLY | O_CREAT, 0644), ENOENT);
    CHECK_OK(chdir(saved));
    CHECK(getcwd(buf, sizeof buf) && strcmp(buf, saved) == 0);
}

/* ---- *at calls and path resolution ---- */

static void test_at_and_paths(void)
{
    int dfd = CHECK_OK(open(base, O_RDONLY | O_DIRECTORY));
    CHECK_OK(mkdirat(dfd, "at", 0755));
    int fd = CHECK_OK(openat(dfd, "at/file", O_WRONLY | O_CREAT | O_TRUNC, 0644));
    CHECK_EQ(write(fd, "F", 1), 1);
    close(fd);
    CHECK(content_is(at(p1, "at/file"), "F"));
    CHECK_ERR(unlinkat(dfd, "at", 0), EISDIR);
    CHECK_ERR(unlinkat(dfd, "at/file", AT_REMOVEDIR), ENOTDIR);

    /* an absolute path ignores the directory descriptor */
    fd = CHECK_OK(openat(12345, at(p1, "at/file"), O_RDONLY));
    close(fd);
    CHECK_ERR(openat(12345, "at/file", O_RDONLY), EBADF);
    int ffd = CHECK_OK(openat(dfd, "at/file", O_RDONLY));
    CHECK_ERR(openat(ffd, "x", O_RDONLY), ENOTDIR);
    close(ffd);

    /* ".", ".." and repeated slashes */
    CHECK(content_is(at(p1, "at/./../at//file"), "F"));
    CHECK_ERR(open(at(p1, "at/file/"), O_RDONLY), ENOTDIR);
    CHECK_ERR(open(at(p1, "at/file/.."), O_RDONLY), ENOTDIR);
    CHECK_ERR(open(at(p1, "at/file"), O_RDONLY | O_DIRECTORY), ENOTDIR);
    CHECK_ERR(open(at(p1, "at/file/../file"), O_RDONLY), ENOTDIR);
    CHECK_ERR(open(at(p1, "at/missing/../file"), O_RDONLY), ENOENT);
    /* ".." after a symbolic link is the parent of the link's target */
    CHECK_OK(mkdirat(dfd, "at/deep", 0755));
    CHECK_OK(mkdirat(dfd, "at/deep/er", 0755));
    CHECK_OK(symlinkat("at/deep/er", dfd, "er-link"));
    CHECK(content_is(at(p1, "er-link/../../file"), "F"));
    CHECK_ERR(open(at(p1, "er-link/../file"), O_RDONLY), ENOENT);
    char saved[PATH_MAX], cwd[PATH_MAX];
    REQUIRE(getcwd(saved, sizeof saved));
    CHECK_OK(chdir(at(p1, "er-link/..")));
    CHECK(getcwd(cwd, sizeof cwd) && strcmp(cwd, at(p2, "at/deep")) == 0);
    CHECK_OK(chdir(saved));
    /* a rename never names "." or ".." */
    CHECK_ERR(renameat(dfd, "at/deep/er/..", dfd, "elsewhere"), EBUSY);
    CHECK_ERR(renameat(dfd, "at/deep/er", dfd, "at/deep/."), EBUSY);
    CHECK_OK(faccessat(dfd, "at/deep/er", F_OK, 0));
    CHECK_OK(unlinkat(dfd, "er-link", 0));
    CHECK_OK(unlinkat(dfd, "at/deep/er", AT_REMOVEDIR));
    CHECK_OK(unlinkat(dfd, "at/deep", AT_REMOVEDIR));
    struct stat st;
    CHECK_OK(stat(at(p1, "at/"), &st));
    CHECK(S_ISDIR(st.st_mode));
    struct stat root, rootup;
    CHECK_OK(stat("/", &root));
    CHECK_OK(stat("/..", &rootup));
    CHECK_EQ(root.st_ino, rootup.st_ino);

    /* a directory opens for reading only, and is not read with read() */
    CHECK_ERR(open(base, O_WRONLY), EISDIR);
    CHECK_ERR(open(base, O_RDWR), EISDIR);
    char c;
    CHECK_ERR(read(dfd, &c, 1), EISDIR);

    CHECK_OK(unlinkat(dfd, "at/file", 0));
    CHECK_OK(unlinkat(dfd, "at", AT_REMOVEDIR));
    CHECK_ERR(faccessat(dfd, "at", F_OK, 0), ENOENT);
    close(dfd);
}

int main(void)
{
    check_start("dirs");
    umask(022);
    /* the real path, so that getcwd() can be compared with it */
    if (!realpath(tmpdir_make(), base)) {
        say("FAIL dirs: realpath of the scratch directory (errno %d)\n", errno);
        return 1;
    }
    test_mkdir();
    test_readdir();
    test_rename();
    test_links();
    test_cwd();
    test_at_and_paths();
    tmpdir_remove();
    return check_finish();
}
