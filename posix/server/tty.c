/*
 * The terminal: file descriptions backed by the console server. Reads do
 * not block the server: with no input ready the call waits (W_TTY) and the
 * console notifies us when a line arrives. When the console is in pipe
 * mode (./persona run), the descriptions are not terminals: isatty() is
 * false and output is passed through untranslated, as for a pipe on Linux.
 */
#include "psx.h"
#include "../../subsystems/console/console.h"
#include <native/console.h>
#include <string.h>

#define BIT_TTY_INPUT 0x2ull

static uint64_t fg_pgrp;
static bool tty_eof_seen;

static bool is_pipe_mode(void)
{
    uint32_t mode = 0;

    con_get_mode(&mode);
    return mode & CON_MODE_PIPE;
}

static long tty_read(psx_file_t *f, psx_thread_t *t, uint64_t buf, size_t len, int64_t off)
{
    char tmp[4096];
    long n;

    (void)off;
    if (len == 0)
        return 0;
    n = con_read_nowait(tmp, len < sizeof(tmp) ? len : sizeof(tmp));
    if (n == ST_WOULD_BLOCK) {
        if (f->flags & L_O_NONBLOCK)
            return -L_EAGAIN;
        if (t->interrupted)
            return -L_EINTR;
        if (!psx.tty_watched && con_watch_input(psx.port, BIT_TTY_INPUT) == ST_OK)
            psx.tty_watched = true;
        t->wait = W_TTY;
        return PSX_DEFER;
    }
    if (n < 0)
        return n == ST_INTERRUPTED ? -L_EINTR : -L_EIO;
    if (n == 0)
        tty_eof_seen = true;
    if (psx_write(t->proc, buf, tmp, (size_t)n) < 0)
        return -L_EFAULT;
    return n;
}

static long tty_write(psx_file_t *f, psx_thread_t *t, uint64_t buf, size_t len, int64_t off)
{
    char tmp[4096];
    size_t done = 0;

    (void)f;
    (void)off;
    while (done < len) {
        size_t n = len - done < sizeof(tmp) ? len - done : sizeof(tmp);
        if (psx_read(t->proc, buf + done, tmp, n) < 0)
            return done ? (long)done : -L_EFAULT;
        long w = con_write(tmp, n);
        if (w < 0)
            return done ? (long)done : -L_EIO;
        done += (size_t)w;
    }
    return (long)done;
}

static long tty_stat(psx_file_t *f, l_stat_t *st)
{
    (void)f;
    memset(st, 0, sizeof(*st));
    st->st_mode = is_pipe_mode() ? 0010600 : 0020620; /* a FIFO, or a character device */
    st->st_nlink = 1;
    st->st_rdev = is_pipe_mode() ? 0 : (136ull << 8);
    st->st_blksize = 1024;
    st->st_ino = 3;
    return 0;
}

static long tty_ioctl(psx_file_t *f, psx_thread_t *t, uint64_t cmd, uint64_t arg)
{
    uint32_t mode = 0;

    (void)f;
    con_get_mode(&mode);
    if (mode & CON_MODE_PIPE)
        return cmd == L_FIONREAD ? psx_write(t->proc, arg, &(int32_t){0}, 4) : -L_ENOTTY;
    switch (cmd) {
    case L_TCGETS: {
        l_termios_t tio = {0};
        tio.c_iflag = L_ICRNL;
        tio.c_oflag = L_OPOST | L_ONLCR;
        tio.c_cflag = 0277; /* CS8 | CREAD | B38400 */
        if (!(mode & CON_MODE_RAW))
            tio.c_lflag = L_ICANON | L_ECHO | L_ISIG;
        else if (mode & CON_MODE_ECHO)
            tio.c_lflag = L_ECHO;
        tio.c_cc[0] = 3;    /* VINTR */
        tio.c_cc[2] = 0x7f; /* VERASE */
        tio.c_cc[4] = 4;    /* VEOF */
        tio.c_cc[6] = 1;    /* VMIN */
        return psx_write(t->proc, arg, &tio, sizeof(tio));
    }
    case L_TCSETS:
    case L_TCSETSW:
    case L_TCSETSF: {
        l_termios_t tio;
        if (psx_read(t->proc, arg, &tio, sizeof(tio)) < 0)
            return -L_EFAULT;
        uint32_t m = 0;
        if (!(tio.c_lflag & L_ICANON))
            m |= CON_MODE_RAW;
        if (tio.c_lflag & L_ECHO)
            m |= CON_MODE_ECHO;
        con_set_mode(m, NULL);
        return 0;
    }
    case L_TIOCGWINSZ: {
        l_winsize_t ws = {24, 80, 0, 0};
        return psx_write(t->proc, arg, &ws, sizeof(ws));
    }
    case L_TIOCSWINSZ:
        return 0;
    case L_TIOCGPGRP: {
        int32_t pg = (int32_t)(fg_pgrp ? fg_pgrp : t->proc->pgid);
        return psx_write(t->proc, arg, &pg, sizeof(pg));
    }
    case L_TIOCSPGRP: {
        int32_t pg;
        if (psx_read(t->proc, arg, &pg, sizeof(pg)) < 0)
            return -L_EFAULT;
        if (pg <= 0)
            return -L_EINVAL;
        fg_pgrp = (uint64_t)pg;
        return 0;
    }
    case L_FIONREAD:
        return psx_write(t->proc, arg, &(int32_t){0}, 4);
    default:
        return -L_ENOTTY;
    }
}

static int tty_poll(psx_file_t *f)
{
    (void)f;
    /* Whether input is there is only known by trying: say readable when the
     * console has notified us and nobody has read since. */
    return L_POLLOUT | (psx.tty_watched ? 0 : L_POLLIN);
}

static const psx_file_ops_t tty_ops = {
    .name = "tty",
    .read = tty_read,
    .write = tty_write,
    .stat = tty_stat,
    .ioctl = tty_ioctl,
    .poll = tty_poll,
};

psx_file_t *psx_tty_open(void)
{
    psx_file_t *f = psx_file_new(&tty_ops, L_O_RDWR);

    if (f)
        f->path = strdup("/dev/tty");
    return f;
}

void psx_tty_input_ready(void)
{
    psx_wake(W_TTY, NULL);
    psx_wake(W_POLL, NULL);
}
