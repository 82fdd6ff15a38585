/*
 * tty: terminals, process groups and sessions.
 *
 * isatty on terminals and on everything else (ENOTTY); tcgetattr/tcsetattr
 * and TIOCGWINSZ on stdin when it is a terminal (skipped, with a message,
 * when it is not); a pseudo-terminal pair when the system has /dev/ptmx
 * (canonical input and erase, raw mode, output processing, window size,
 * tcflush, a controlling terminal taken by a new session, ^C sending SIGINT
 * to the foreground group); getpgrp/getpgid/setpgid, setsid/getsid and the
 * rules around them (EPERM, EACCES after exec, ESRCH), kill and waitpid
 * aimed at a process group.
 */
#include "check.h"

#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>

extern char **environ;

static const char *self;

/* Reads from fd until want bytes came or 5 s passed; gives the count. */
static ssize_t read_for(int fd, char *buf, size_t want)
{
    size_t got = 0;
    while (got < want) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5000) != 1)
            break;
        ssize_t n = read(fd, buf + got, want - got);
        if (n <= 0)
            break;
        got += n;
    }
    return got;
}

static void test_not_tty(const char *dir)
{
    int p[2];
    CHECK_OK(pipe(p));
    CHECK_EQ(isatty(p[0]), 0);
    CHECK_EQ(errno, ENOTTY);
    struct termios t;
    CHECK_ERR(tcgetattr(p[0], &t), ENOTTY);
    struct winsize ws;
    CHECK_ERR(ioctl(p[1], TIOCGWINSZ, &ws), ENOTTY);
    CHECK_ERR(tcgetpgrp(p[0]), ENOTTY);
    close(p[0]);
    close(p[1]);
    int fd = CHECK_OK(open("/dev/null", O_RDWR));
    CHECK_EQ(isatty(fd), 0);
    CHECK_EQ(errno, ENOTTY);
    close(fd);
    char path[600];
    snprintf(path, sizeof path, "%s/plain", dir);
    fd = CHECK_OK(open(path, O_RDWR | O_CREAT, 0644));
    CHECK_EQ(isatty(fd), 0);
    CHECK_ERR(tcgetattr(fd, &t), ENOTTY);
    close(fd);
    CHECK_EQ(isatty(9999), 0);
    CHECK_EQ(errno, EBADF);
}

static void test_stdin(void)
{
    struct termios t, saved, back;
    if (!isatty(0)) {
        say("tty: stdin is not a terminal; skipping the checks on stdin\n");
        struct stat st;
        if (fstat(0, &st) == 0)
            CHECK_ERR(tcgetattr(0, &t), ENOTTY);
        return;
    }
    CHECK_OK(tcgetattr(0, &saved));
    t = saved;
    t.c_lflag ^= ECHO;
    CHECK_OK(tcsetattr(0, TCSANOW, &t));
    CHECK_OK(tcgetattr(0, &back));
    CHECK_EQ(back.c_lflag & ECHO, t.c_lflag & ECHO);
    CHECK_OK(tcsetattr(0, TCSANOW, &saved));
    CHECK_OK(tcgetattr(0, &back));
    CHECK_EQ(back.c_lflag, saved.c_lflag);
    struct winsize ws;
    CHECK_OK(ioctl(0, TIOCGWINSZ, &ws));
}

/* ---- a pseudo-terminal ---- */

static void test_pty_io(int m, int s)
{
    struct termios t;
    CHECK_OK(tcgetattr(s, &t));
    CHECK(t.c_lflag & ICANON);
    CHECK(t.c_lflag & ECHO);
    CHECK_EQ(t.c_cc[VERASE], 0177);

    /* canonical: nothing until the end of the line, with erase applied */
    char buf[64] = {0};
    CHECK_EQ(write(m, "ab\177c", 4), 4);
    int fl = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, fl | O_NONBLOCK);
    /* give the line discipline time to see the bytes; there must be no line */
    struct timespec ms = {0, 20 * 1000000};
    nanosleep(&ms, NULL);
    CHECK_ERR(read(s, buf, sizeof buf), EAGAIN);
    fcntl(s, F_SETFL, fl);
    CHECK_EQ(write(m, "\n", 1), 1);
    CHECK_EQ(read_for(s, buf, 3), 3);
    CHECK(memcmp(buf, "ac\n", 3) == 0);
    /* echoed back on the master side: "ab", the erase as "\b \b", "c\r\n" */
    memset(buf, 0, sizeof buf);
    ssize_t n = read_for(m, buf, 8);
    CHECK(n == 8 && memcmp(buf, "ab\b \bc\r\n", 8) == 0);

    /* output processing turns \n into \r\n */
    CHECK_EQ(write(s, "hi\n", 3), 3);
    memset(buf, 0, sizeof buf);
    CHECK_EQ(read_for(m, buf, 4), 4);
    CHECK(memcmp(buf, "hi\r\n", 4) == 0);

    /* raw: every byte at once, no echo, no output processing */
    cfmakeraw(&t);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    CHECK_OK(tcsetattr(s, TCSANOW, &t));
    struct termios back;
    CHECK_OK(tcgetattr(s, &back));
    CHECK_EQ(back.c_lflag & (ICANON | ECHO), 0);
    CHECK_EQ(write(m, "q", 1), 1);
    CHECK_EQ(read_for(s, buf, 1), 1);
    CHECK_EQ(buf[0], 'q');
    CHECK_EQ(write(s, "raw\n", 4), 4);
    CHECK_EQ(read_for(m, buf, 4), 4);
    CHECK(memcmp(buf, "raw\n", 4) == 0);

    /* pending input can be thrown away */
    CHECK_EQ(write(m, "junk", 4), 4);
    /* the bytes reach the slave side asynchronously: wait until they have */
    struct pollfd pin = {s, POLLIN, 0};
    CHECK_EQ(poll(&pin, 1, 5000), 1);
    CHECK_OK(tcflush(s, TCIFLUSH));
    fcntl(s, F_SETFL, fl | O_NONBLOCK);
    CHECK_ERR(read(s, buf, sizeof buf), EAGAIN);
    fcntl(s, F_SETFL, fl);

    struct winsize ws = {.ws_row = 33, .ws_col = 101}, got;
    CHECK_OK(ioctl(m, TIOCSWINSZ, &ws));
    CHECK_OK(ioctl(s, TIOCGWINSZ, &got));
    CHECK(got.ws_row == 33 && got.ws_col == 101);
}

/* A new session takes the pty as its controlling terminal; ^C kills it. */
static void test_pty_session(int m, const char *name)
{
    int ready[2];
    CHECK_OK(pipe(ready));
    pid_t pid = fork();
    if (pid == 0) {
        close(ready[0]);
        CHECK_EQ(setsid(), getpid());
        int s = open(name, O_RDWR);
        CHECK(s >= 0);
        CHECK_OK(ioctl(s, TIOCSCTTY, 0));
        CHECK_EQ(tcgetpgrp(s), getpid());
        CHECK_EQ(tcgetsid(s), getpid());
        int t = open("/dev/tty", O_RDWR);
        CHECK(t >= 0);
        struct termios tio;
        CHECK_OK(tcgetattr(s, &tio));
        CHECK(tio.c_lflag & ISIG);
        CHECK_EQ(tio.c_cc[VINTR], 3);
        char c = check_failed ? 'n' : 'y';
        write(ready[1], &c, 1);
        for (;;)
            pause();
    }
    close(ready[1]);
    char c = 0;
    CHECK_EQ(read(ready[0], &c, 1), 1);
    CHECK_EQ(c, 'y');
    close(ready[0]);
    CHECK_EQ(write(m, "\003", 1), 1);
    CHECK_KILLED(pid, SIGINT);
}

static void test_pty(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) {
        say("tty: no pseudo-terminals here (posix_openpt: errno %d); skipping them\n", errno);
        return;
    }
    CHECK_OK(grantpt(m));
    CHECK_OK(unlockpt(m));
    char name[128] = {0};
    CHECK_EQ(ptsname_r(m, name, sizeof name), 0);
    CHECK(strncmp(name, "/dev/pts/", 9) == 0);
    int s = CHECK_OK(open(name, O_RDWR | O_NOCTTY));
    CHECK_EQ(isatty(m), 1);
    CHECK_EQ(isatty(s), 1);
    test_pty_io(m, s);
    close(s);
    close(m);

    /* a fresh pair, in its default settings, for the session test */
    m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0);
    CHECK_EQ(ptsname_r(m, name, sizeof name), 0);
    test_pty_session(m, name);
    close(m);
}

/* ---- process groups and sessions ---- */

static void test_groups(void)
{
    CHECK_EQ(getpgrp(), getpgid(0));
    CHECK_EQ(getpgid(getpid()), getpgrp());
    CHECK_EQ(getsid(0), getsid(getpid()));
    CHECK(getsid(0) > 0);
    CHECK_ERR(getpgid(0x7ffffff0), ESRCH);
    CHECK_ERR(getsid(0x7ffffff0), ESRCH);
    CHECK_ERR(setpgid(0, -1), EINVAL);

    /* a group leader cannot start a session */
    pid_t pid = fork();
    if (pid == 0) {
        CHECK_OK(setpgid(0, 0));
        CHECK_EQ(getpgrp(), getpid());
        CHECK_ERR(setsid(), EPERM);
        child_exit();
    }
    CHECK_EXITED(pid, 0);

    /* anyone else can; the new session has no controlling terminal */
    pid_t sid = getsid(0);
    pid_t parent_pgrp = getpgrp();
    pid = fork();
    if (pid == 0) {
        CHECK_EQ(setsid(), getpid());
        CHECK_EQ(getsid(0), getpid());
        CHECK_EQ(getpgrp(), getpid());
        CHECK_ERR(open("/dev/tty", O_RDWR), ENXIO);
        /* no joining a group of another session */
        CHECK_ERR(setpgid(0, parent_pgrp), EPERM);
        child_exit();
    }
    CHECK_EXITED(pid, 0);
    CHECK_EQ(getsid(0), sid);

    /* the parent may move its child, until the child execs */
    int hold[2], execd[2];
    CHECK_OK(pipe(hold));
    CHECK_OK(pipe2(execd, O_CLOEXEC));
    pid = fork();
    if (pid == 0) {
        close(hold[1]);
        close(execd[0]);
        char c;
        /* wait for the parent's setpgid */
        read(hold[0], &c, 1);
        dup2(hold[0], 0);
        char *args[] = {"tty", "wait-stdin", NULL};
        execve(self, args, environ);
        _exit(127);
    }
    close(hold[0]);
    close(execd[1]);
    CHECK_OK(setpgid(pid, pid));
    CHECK_EQ(getpgid(pid), pid);
    CHECK_EQ(getsid(pid), sid);
    CHECK_EQ(write(hold[1], "g", 1), 1);
    char c;
    /* end of file on a close-on-exec pipe: the child has exec'd */
    CHECK_EQ(read(execd[0], &c, 1), 0);
    CHECK_ERR(setpgid(pid, pid), EACCES);
    close(hold[1]);
    CHECK_EXITED(pid, 0);
    close(execd[0]);

    /* one signal to a whole group; waitpid by group */
    pid_t a = fork();
    if (a == 0) {
        setpgid(0, 0);
        for (;;)
            pause();
    }
    setpgid(a, a);
    pid_t b = fork();
    if (b == 0) {
        setpgid(0, a);
        for (;;)
            pause();
    }
    setpgid(b, a);
    CHECK_EQ(getpgid(b), a);
    CHECK_OK(kill(-a, SIGTERM));
    for (int i = 0; i < 2; i++) {
        int st = 0;
        pid_t r = waitpid(-a, &st, 0);
        CHECK(r == a || r == b);
        CHECK_STATUS_KILLED(st, SIGTERM);
    }
    CHECK_ERR(waitpid(-a, NULL, WNOHANG), ECHILD);
    CHECK_ERR(kill(-a, 0), ESRCH);
}

int main(int argc, char **argv)
{
    check_start("tty");
    self = self_exe(argv[0]);
    if (argc == 2 && strcmp(argv[1], "wait-stdin") == 0) {
        char c;
        while (read(0, &c, 1) > 0)
            ;
        return 0;
    }
    const char *dir = tmpdir_make();
    test_not_tty(dir);
    test_stdin();
    test_pty();
    test_groups();
    tmpdir_remove();
    return check_finish();
}
