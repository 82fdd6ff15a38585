/*
 * pipes: pipes and FIFOs between processes.
 *
 * pipe and pipe2 (flags), data in order, FIONREAD, ESPIPE, the wrong end
 * (EBADF), end of file only once every writer has closed, capacity and
 * O_NONBLOCK (EAGAIN), one large blocking write, PIPE_BUF atomicity with
 * several writers, EPIPE with SIGPIPE ignored, caught and left to its
 * default, a blocked writer woken by the reader's close, dup2 plumbing of a
 * two-process pipeline (this program re-executed as its stages), poll and
 * select on both ends, and a named FIFO.
 */
#include "check.h"

#include <limits.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>

extern char **environ;

static const char *self;

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

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the stages of the pipeline, run as "pipes produce" etc. ---- */

static int stage_produce(void)
{
    char line[32];
    for (int i = 1; i <= 100; i++) {
        int n = snprintf(line, sizeof line, "line %d\n", i);
        if (write(1, line, n) != n)
            return 1;
    }
    /* the caller joined fd 2 to fd 1 */
    return write(2, "to stderr\n", 10) == 10 ? 0 : 1;
}

static int stage_upper(void)
{
    char buf[300];
    ssize_t n;
    long total = 0;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] >= 'a' && buf[i] <= 'z')
                buf[i] -= 'a' - 'A';
        if (write(1, buf, n) != n)
            return 1;
        total += n;
    }
    char tail[32];
    int len = snprintf(tail, sizeof tail, "%ld bytes\n", total);
    return n == 0 && write(1, tail, len) == len ? 0 : 1;
}

/* ---- basics ---- */

static void test_basic(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    CHECK(p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
    struct stat st;
    CHECK_OK(fstat(p[0], &st));
    CHECK(S_ISFIFO(st.st_mode));
    CHECK_EQ(write(p[1], "hello", 5), 5);
    CHECK_EQ(write(p[1], " world", 6), 6);
    int avail = -1;
    CHECK_OK(ioctl(p[0], FIONREAD, &avail));
    CHECK_EQ(avail, 11);
    char buf[32] = {0};
    /* a read takes what is there, up to its size, in order */
    CHECK_EQ(read(p[0], buf, 3), 3);
    CHECK_EQ(read(p[0], buf + 3, sizeof buf - 4), 8);
    CHECK(strcmp(buf, "hello world") == 0);
    CHECK_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
    CHECK_ERR(pread(p[0], buf, 1, 0), ESPIPE);
    CHECK_ERR(write(p[0], "x", 1), EBADF);
    CHECK_ERR(read(p[1], buf, 1), EBADF);
    CHECK_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
    CHECK_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);

    struct iovec iov[3] = {{"ab", 2}, {"", 0}, {"cde", 3}};
    CHECK_EQ(writev(p[1], iov, 3), 5);
    char x[3] = {0}, y[3] = {0};
    struct iovec in[2] = {{x, 2}, {y, 3}};
    CHECK_EQ(readv(p[0], in, 2), 5);
    CHECK(memcmp(x, "ab", 2) == 0 && memcmp(y, "cde", 3) == 0);
    close(p[0]);
    close(p[1]);
}

static void test_pipe2(void)
{
    int p[2];
    CHECK_OK(pipe2(p, O_CLOEXEC | O_NONBLOCK));
    CHECK_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
    CHECK_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
    CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
    char c;
    CHECK_ERR(read(p[0], &c, 1), EAGAIN);
    CHECK_OK(fcntl(p[0], F_SETFL, 0));
    CHECK_EQ(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);
    close(p[0]);
    close(p[1]);
    CHECK_OK(pipe2(p, 0));
    CHECK_EQ(fcntl(p[0], F_GETFD), 0);
    close(p[0]);
    close(p[1]);
    CHECK_ERR(pipe2(p, 0x12345678), EINVAL);
}

/* ---- end of file ---- */

static void test_eof(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        /* let the parent block in read first */
        sleep_ms(50);
        _exit(write(p[1], "from child", 10) == 10 ? 0 : 1);
    }
    int spare = dup(p[1]);
    close(p[1]);
    char buf[32] = {0};
    CHECK_EQ(read_all(p[0], buf, 10), 10);
    CHECK(strcmp(buf, "from child") == 0);
    CHECK_EXITED(pid, 0);
    /* the child is gone but a writer (spare) remains: no end of file */
    CHECK_OK(fcntl(p[0], F_SETFL, O_NONBLOCK));
    CHECK_ERR(read(p[0], buf, 1), EAGAIN);
    close(spare);
    CHECK_EQ(read(p[0], buf, 1), 0);
    CHECK_EQ(read(p[0], buf, 1), 0);
    close(p[0]);

    /* a reader blocked in read() wakes with 0 when the last writer exits */
    CHECK_OK(pipe(p));
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        sleep_ms(50);
        _exit(0);
    }
    close(p[1]);
    CHECK_EQ(read(p[0], buf, sizeof buf), 0);
    CHECK_EXITED(pid, 0);
    close(p[0]);
}

/* ---- capacity, big writes, atomicity ---- */

static void test_capacity(void)
{
    int p[2];
    CHECK_OK(pipe2(p, O_NONBLOCK));
    static char chunk[1000];
    long total = 0;
    ssize_t n;
    for (int i = 0; i < 10000; i++) {
        for (unsigned j = 0; j < sizeof chunk; j++)
            chunk[j] = (char)(total + j);
        n = write(p[1], chunk, sizeof chunk);
        if (n < 0)
            break;
        total += n;
    }
    CHECK(n == -1 && errno == EAGAIN);
    /* room for at least one atomic write */
    CHECK(total >= PIPE_BUF);
    say("pipes: capacity %ld bytes\n", total);
    long got = 0;
    int in_order = 1;
    char buf[777];
    while ((n = read(p[0], buf, sizeof buf)) > 0) {
        for (ssize_t j = 0; j < n; j++)
            in_order &= buf[j] == (char)(got + j);
        got += n;
    }
    CHECK(n == -1 && errno == EAGAIN);
    CHECK_EQ(got, total);
    CHECK(in_order);
    close(p[0]);
    close(p[1]);
}

static void test_big_write(void)
{
    enum { BIG = 1 << 20 };
    int p[2];
    CHECK_OK(pipe(p));
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        char *buf = malloc(BIG);
        for (int i = 0; i < BIG; i++)
            buf[i] = (char)(i % 251);
        /* one call; it blocks until the reader has taken it all */
        _exit(write(p[1], buf, BIG) == BIG ? 0 : 1);
    }
    close(p[1]);
    char *buf = malloc(BIG + 1);
    CHECK_EQ(read_all(p[0], buf, BIG + 1), BIG);
    int same = 1;
    for (int i = 0; i < BIG; i++)
        same &= buf[i] == (char)(i % 251);
    CHECK(same);
    free(buf);
    close(p[0]);
    CHECK_EXITED(pid, 0);
}

static void test_atomic(void)
{
    enum { WRITERS = 4, RECORDS = 100, SIZE = 512 };
    int p[2];
    CHECK_OK(pipe(p));
    pid_t kids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        kids[w] = fork();
        if (kids[w] == 0) {
            char rec[SIZE];
            memset(rec, 'a' + w, sizeof rec);
            for (int i = 0; i < RECORDS; i++)
                if (write(p[1], rec, SIZE) != SIZE)
                    _exit(1);
            _exit(0);
        }
    }
    close(p[1]);
    static char stream[WRITERS * RECORDS * SIZE + 1];
    CHECK_EQ(read_all(p[0], stream, sizeof stream), WRITERS * RECORDS * SIZE);
    int count[WRITERS] = {0}, whole = 1;
    for (int r = 0; r < WRITERS * RECORDS; r++) {
        const char *rec = stream + r * SIZE;
        for (int i = 1; i < SIZE; i++)
            whole &= rec[i] == rec[0];
        if (rec[0] >= 'a' && rec[0] < 'a' + WRITERS)
            count[rec[0] - 'a']++;
    }
    /* PIPE_BUF-sized writes were never interleaved */
    CHECK(whole);
    for (int w = 0; w < WRITERS; w++) {
        CHECK_EQ(count[w], RECORDS);
        CHECK_EXITED(kids[w], 0);
    }
    close(p[0]);
}

/* ---- EPIPE and SIGPIPE ---- */

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
    (void)sig;
    sigpipes++;
}

static void test_epipe(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    CHECK_ERR(write(p[1], "x", 1), EPIPE);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigpipe;
    sigaction(SIGPIPE, &sa, NULL);
    sigpipes = 0;
    CHECK_ERR(write(p[1], "x", 1), EPIPE);
    CHECK_EQ(sigpipes, 1);
    signal(SIGPIPE, SIG_DFL);

    /* by default SIGPIPE ends the writer */
    pid_t pid = fork();
    if (pid == 0) {
        write(p[1], "x", 1);
        _exit(0);
    }
    CHECK_KILLED(pid, SIGPIPE);
    close(p[1]);

    /* a writer blocked on a full pipe hears of the reader's close */
    CHECK_OK(pipe(p));
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        signal(SIGPIPE, SIG_IGN);
        static char big[1 << 20];
        ssize_t n = write(p[1], big, sizeof big);
        /* some bytes went in, so the first call reports them */
        int first_ok = n > 0 && n < (ssize_t)sizeof big;
        n = write(p[1], big, sizeof big);
        int then_epipe = n == -1 && errno == EPIPE;
        _exit(first_ok && then_epipe ? 0 : 1);
    }
    close(p[1]);
    char buf[1000];
    CHECK_EQ(read_all(p[0], buf, sizeof buf), sizeof buf);
    sleep_ms(50);
    close(p[0]);
    CHECK_EXITED(pid, 0);
}

/* ---- a two-stage pipeline built with dup2 ---- */

static pid_t stage(const char *mode, int in, int out, int close1, int close2)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (in != 0) {
            dup2(in, 0);
            close(in);
        }
        dup2(out, 1);
        dup2(out, 2);
        close(out);
        close(close1);
        close(close2);
        char *args[] = {"pipes", (char *)mode, NULL};
        execve(self, args, environ);
        _exit(127);
    }
    return pid;
}

static void test_plumbing(void)
{
    int a[2], b[2];
    CHECK_OK(pipe(a));
    CHECK_OK(pipe(b));
    /* produce | upper > b; every process must close the ends it does not use */
    pid_t p1 = stage("produce", 0, a[1], a[0], b[0]);
    close(a[1]);
    pid_t p2 = stage("upper", a[0], b[1], b[0], a[1]);
    close(a[0]);
    close(b[1]);
    static char out[4096];
    ssize_t n = read_all(b[0], out, sizeof out - 1);
    close(b[0]);
    char want[4096];
    int len = 0;
    for (int i = 1; i <= 100; i++)
        len += snprintf(want + len, sizeof want - len, "LINE %d\n", i);
    len += snprintf(want + len, sizeof want - len, "TO STDERR\n%d bytes\n", len + 10);
    CHECK_EQ(n, len);
    CHECK(n == len && memcmp(out, want, len) == 0);
    CHECK_EXITED(p1, 0);
    CHECK_EXITED(p2, 0);
}

/* ---- poll and select ---- */

static void test_poll(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    struct pollfd fds[3] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {-1, POLLIN, 0}};
    CHECK_EQ(poll(fds, 3, 0), 1);
    CHECK_EQ(fds[0].revents, 0);
    CHECK_EQ(fds[1].revents, POLLOUT);
    CHECK_EQ(fds[2].revents, 0);
    CHECK_EQ(write(p[1], "x", 1), 1);
    CHECK_EQ(poll(fds, 2, 0), 2);
    CHECK_EQ(fds[0].revents, POLLIN);

    char c;
    read(p[0], &c, 1);
    /* woken by a write from another process, long before the timeout */
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        _exit(write(p[1], "y", 1) == 1 ? 0 : 1);
    }
    fds[0].revents = 0;
    long start = now_ms();
    CHECK_EQ(poll(fds, 1, 10000), 1);
    CHECK(now_ms() - start < 5000);
    CHECK(fds[0].revents & POLLIN);
    CHECK_EXITED(pid, 0);
    read(p[0], &c, 1);

    /* writer gone: the read end reports hang-up */
    close(p[1]);
    CHECK_EQ(poll(fds, 1, 1000), 1);
    CHECK(fds[0].revents & POLLHUP);
    close(p[0]);

    /* reader gone: the write end reports an error */
    CHECK_OK(pipe(p));
    close(p[0]);
    struct pollfd w = {p[1], POLLOUT, 0};
    CHECK_EQ(poll(&w, 1, 1000), 1);
    CHECK(w.revents & POLLERR);
    close(p[1]);

    /* a closed fd is reported, not waited on */
    struct pollfd bad = {p[1], POLLIN, 0};
    CHECK_EQ(poll(&bad, 1, 1000), 1);
    CHECK_EQ(bad.revents, POLLNVAL);
}

static void test_select(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    int maxfd = (p[0] > p[1] ? p[0] : p[1]) + 1;
    struct timeval tv = {0, 0};
    CHECK_EQ(select(maxfd, &r, &w, NULL, &tv), 1);
    CHECK(!FD_ISSET(p[0], &r));
    CHECK(FD_ISSET(p[1], &w));

    /* a timeout with nothing to read */
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv.tv_sec = 0;
    tv.tv_usec = 20000;
    CHECK_EQ(select(maxfd, &r, NULL, NULL, &tv), 0);
    CHECK(!FD_ISSET(p[0], &r));

    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        _exit(write(p[1], "z", 1) == 1 ? 0 : 1);
    }
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv.tv_sec = 10;
    tv.tv_usec = 0;
    long start = now_ms();
    CHECK_EQ(select(maxfd, &r, NULL, NULL, &tv), 1);
    CHECK(now_ms() - start < 5000);
    CHECK(FD_ISSET(p[0], &r));
    CHECK_EXITED(pid, 0);
    close(p[0]);
    close(p[1]);

    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv.tv_sec = 0;
    CHECK_ERR(select(p[0] + 1, &r, NULL, NULL, &tv), EBADF);
}

/* ---- a named FIFO ---- */

static void on_alarm(int sig)
{
    (void)sig;
}

static void test_fifo(const char *dir)
{
    char path[600];
    snprintf(path, sizeof path, "%s/fifo", dir);
    CHECK_OK(mkfifo(path, 0600));
    struct stat st;
    CHECK_OK(stat(path, &st));
    CHECK(S_ISFIFO(st.st_mode));
    /* no reader yet: a non-blocking open for writing is refused */
    CHECK_ERR(open(path, O_WRONLY | O_NONBLOCK), ENXIO);

    /* blocking opens wait for each other */
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(path, O_WRONLY);
        _exit(fd >= 0 && write(fd, "through fifo", 12) == 12 ? 0 : 1);
    }
    int fd = CHECK_OK(open(path, O_RDONLY));
    char buf[32] = {0};
    CHECK_EQ(read_all(fd, buf, sizeof buf), 12);
    CHECK(strcmp(buf, "through fifo") == 0);
    CHECK_EXITED(pid, 0);
    close(fd);

    /* the writer may come first: it waits for the reader */
    pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        int r = open(path, O_RDONLY);
        char c;
        _exit(r >= 0 && read(r, &c, 1) == 1 && c == 'w' ? 0 : 1);
    }
    fd = CHECK_OK(open(path, O_WRONLY));
    CHECK_EQ(write(fd, "w", 1), 1);
    CHECK_EXITED(pid, 0);
    close(fd);

    /* a non-blocking reader opens at once; a writer then finds it */
    int r = CHECK_OK(open(path, O_RDONLY | O_NONBLOCK));
    CHECK_EQ(read(r, buf, 1), 0); /* no writer: end of file */
    int w = CHECK_OK(open(path, O_WRONLY | O_NONBLOCK));
    struct stat fst;
    CHECK_OK(fstat(w, &fst));
    CHECK(S_ISFIFO(fst.st_mode));
    CHECK_EQ(fst.st_ino, st.st_ino);
    CHECK_EQ(write(w, "abc", 3), 3);
    CHECK_EQ(read(r, buf, sizeof buf), 3);
    CHECK_ERR(read(r, buf, 1), EAGAIN);
    /* what is left in it when the last end closes is gone */
    CHECK_EQ(write(w, "lost", 4), 4);
    close(w);
    close(r);
    /* O_RDWR needs nobody else */
    int rw = CHECK_OK(open(path, O_RDWR));
    CHECK_OK(fcntl(rw, F_SETFL, O_NONBLOCK));
    CHECK_ERR(read(rw, buf, 1), EAGAIN);
    CHECK_EQ(write(rw, "self", 4), 4);
    CHECK_EQ(read(rw, buf, sizeof buf), 4);
    close(rw);

    /* a blocked open is cut short by a signal */
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    CHECK_OK(sigaction(SIGALRM, &sa, &old));
    struct itimerval it = {{0, 0}, {0, 50000}};
    CHECK_OK(setitimer(ITIMER_REAL, &it, NULL));
    CHECK_ERR(open(path, O_RDONLY), EINTR);
    CHECK_OK(sigaction(SIGALRM, &old, NULL));
    /* and left nothing behind: still no reader */
    CHECK_ERR(open(path, O_WRONLY | O_NONBLOCK), ENXIO);

    /* listed as a FIFO */
    DIR *d = opendir(dir);
    struct dirent *e;
    int seen = 0;
    while (d && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, "fifo") == 0)
            seen = e->d_type == DT_FIFO;
    CHECK(seen);
    if (d)
        closedir(d);
    CHECK_ERR(mkfifo(path, 0600), EEXIST);
    CHECK_OK(unlink(path));

    /* mknod makes FIFOs and regular files */
    CHECK_OK(mknod(path, S_IFIFO | 0640, 0));
    CHECK_OK(stat(path, &st));
    CHECK_EQ(st.st_mode, S_IFIFO | 0640);
    CHECK_OK(unlink(path));
    CHECK_OK(mknod(path, S_IFREG | 0600, 0));
    CHECK_OK(stat(path, &st));
    CHECK_EQ(st.st_mode, S_IFREG | 0600);
    CHECK_EQ(st.st_size, 0);
    CHECK_OK(unlink(path));
    CHECK_ERR(mknod(path, 0170000 | 0600, 0), EINVAL);
}

/*
 * Many pipes at once, in many processes, each with a byte in it: the
 * system runs out of descriptors (EMFILE) or of pipes (ENFILE), never of
 * its own memory, and pipes work again once they are gone.
 */
static void test_many_pipes(void)
{
    enum { KIDS = 12 };
    int ready[2], go[2], made = 0;
    pid_t kids[KIDS];
    char c;

    REQUIRE(pipe(ready) == 0);
    REQUIRE(pipe(go) == 0);
    for (int k = 0; k < KIDS; k++) {
        kids[k] = fork();
        REQUIRE(kids[k] >= 0);
        if (kids[k] == 0) {
            int p[2], n = 0;
            close(ready[0]);
            close(go[1]);
            while (pipe(p) == 0) {
                CHECK_EQ(write(p[1], "x", 1), 1);
                n++;
            }
            CHECK(errno == EMFILE || errno == ENFILE);
            CHECK(n > 0);
            c = (char)(n > 255 ? 255 : n);
            CHECK_EQ(write(ready[1], &c, 1), 1);
            CHECK_EQ(read(go[0], &c, 1), 0); /* until the parent lets go */
            child_exit();
        }
    }
    close(ready[1]);
    close(go[0]);
    for (int k = 0; k < KIDS; k++) {
        CHECK_EQ(read(ready[0], &c, 1), 1);
        made += (unsigned char)c;
    }
    CHECK(made >= KIDS);
    close(go[1]);
    close(ready[0]);
    for (int k = 0; k < KIDS; k++)
        CHECK_EXITED(kids[k], 0);
    /* All gone: a new pipe holds PIPE_BUF again. */
    int p[2];
    char buf[PIPE_BUF];
    memset(buf, 'y', sizeof buf);
    REQUIRE(pipe(p) == 0);
    CHECK_EQ(write(p[1], buf, sizeof buf), (ssize_t)sizeof buf);
    CHECK_EQ(read(p[0], buf, sizeof buf), (ssize_t)sizeof buf);
    close(p[0]);
    close(p[1]);
}

int main(int argc, char **argv)
{
    check_start("pipes");
    self = self_exe(argv[0]);
    if (argc == 2 && strcmp(argv[1], "produce") == 0)
        return stage_produce();
    if (argc == 2 && strcmp(argv[1], "upper") == 0)
        return stage_upper();

    const char *dir = tmpdir_make();
    test_basic();
    test_pipe2();
    test_eof();
    test_capacity();
    test_big_write();
    test_atomic();
    test_epipe();
    test_plumbing();
    test_poll();
    test_select();
    test_fifo(dir);
    test_many_pipes();
    tmpdir_remove();
    return check_finish();
}
