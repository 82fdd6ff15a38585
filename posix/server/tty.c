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

/*
 * The terminal's settings as programs set them (TCSETS) and read them back
 * (TCGETS). The console does the line discipline; these settings choose
 * its mode (raw or cooked, echo, Ctrl-C as a signal, output translation)
 * and what is done here to raw input: CR and NL mapping (ICRNL, INLCR,
 * IGNCR) and VMIN/VTIME.
 */
static l_termios_t tio;
static bool tio_valid;
/* Input taken from the console (to answer poll) that nobody read yet. */
static uint8_t pending[256];
static size_t npending;

static void tio_defaults(l_termios_t *t)
{
    static const uint8_t cc[] = {3,    0x1c, 0x7f, 0x15, 4,    0,    1,    0,
                                 0x11, 0x13, 0x1a, 0,    0x12, 0x0f, 0x17, 0x16};

    memset(t, 0, sizeof(*t));
    t->c_iflag = L_ICRNL | 0002000;                    /* ICRNL IXON */
    t->c_oflag = L_OPOST | L_ONLCR;                    /* OPOST ONLCR */
    t->c_cflag = 0277;                                 /* B38400 CS8 CREAD */
    t->c_lflag = L_ISIG | L_ICANON | L_ECHO | 0105060; /* ECHOE ECHOK ECHOCTL ECHOKE IEXTEN */
    memcpy(t->c_cc, cc, sizeof(cc));
}

static uint32_t con_mode_of(const l_termios_t *t)
{
    uint32_t m = 0;

    if (!(t->c_lflag & L_ICANON))
        m |= CON_MODE_RAW | (t->c_lflag & L_ISIG ? CON_MODE_ISIG : 0);
    if (t->c_lflag & L_ECHO)
        m |= CON_MODE_ECHO;
    if (!(t->c_oflag & L_OPOST) || !(t->c_oflag & L_ONLCR))
        m |= CON_MODE_RAWOUT;
    return m;
}

/* The settings in force: what was set last, unless the console's mode has
 * been changed behind them (the shell restores its own after a program),
 * in which case the defaults. */
static const l_termios_t *settings(uint32_t mode)
{
    if (!tio_valid || con_mode_of(&tio) != (mode & ~CON_MODE_PIPE)) {
        tio_defaults(&tio);
        tio_valid = true;
        if (mode & CON_MODE_RAW)
            tio.c_lflag &= ~(uint32_t)(L_ICANON | L_ISIG);
        if (!(mode & CON_MODE_ECHO))
            tio.c_lflag &= ~(uint32_t)L_ECHO;
    }
    return &tio;
}

/* Raw input as the settings want it: CR and NL mapped or dropped. */
static size_t map_input(uint8_t *b, size_t n)
{
    size_t o = 0;

    if (tio.c_lflag & L_ICANON)
        return n; /* the console made the lines */
    for (size_t i = 0; i < n; i++) {
        uint8_t c = b[i];
        if (c == '\r' && (tio.c_iflag & L_IGNCR))
            continue;
        if (c == '\r' && (tio.c_iflag & L_ICRNL))
            c = '\n';
        else if (c == '\n' && (tio.c_iflag & L_INLCR))
            c = '\r';
        b[o++] = c;
    }
    return o;
}

/* Takes what input the console has into pending, without waiting. */
static long fill_pending(void)
{
    if (npending)
        return (long)npending;
    long n = con_read_nowait(pending, sizeof(pending));
    if (n > 0)
        npending = map_input(pending, (size_t)n);
    return n;
}

static bool is_pipe_mode(void)
{
    uint32_t mode = 0;

    con_get_mode(&mode);
    return mode & CON_MODE_PIPE;
}

static long tty_read(psx_file_t *f, psx_thread_t *t, uint64_t buf, size_t len, int64_t off)
{
    uint32_t mode = 0;

    (void)off;
    if (len == 0)
        return 0;
    con_get_mode(&mode);
    const l_termios_t *set = settings(mode);
    bool raw = mode & CON_MODE_RAW;
    long n = fill_pending();
    if (n == ST_WOULD_BLOCK || (n > 0 && !npending)) { /* nothing, or only dropped CRs */
        /* Non-canonical VMIN 0: VTIME tenths of a second at most (the
         * deadline waits in the call's spare argument), or not at all. */
        if (raw && set->c_cc[L_VMIN] == 0) {
            if (!set->c_cc[L_VTIME] || (t->wait == W_TTY && psx_now() >= t->call.a[5]))
                return 0;
            if (t->wait != W_TTY)
                t->call.a[5] = psx_now() + set->c_cc[L_VTIME] * 100000000ull;
            t->deadline = t->call.a[5];
        } else {
            t->deadline = 0;
        }
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
        return 0; /* the end of input (Ctrl-D) */
    size_t give = npending < len ? npending : len;
    if (psx_write(t->proc, buf, pending, give) < 0)
        return -L_EFAULT;
    memmove(pending, pending + give, npending - give);
    npending -= give;
    return (long)give;
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
    case L_TCGETS:
        return psx_write(t->proc, arg, settings(mode), sizeof(tio));
    case L_TCSETS:
    case L_TCSETSW:
    case L_TCSETSF: {
        l_termios_t set;
        if (psx_read(t->proc, arg, &set, sizeof(set)) < 0)
            return -L_EFAULT;
        if (cmd == L_TCSETSF)
            npending = 0; /* flush input not yet read */
        tio = set;
        tio_valid = true;
        con_set_mode(con_mode_of(&tio), NULL);
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
    case L_FIONREAD: {
        long n = fill_pending();
        int32_t avail = n > 0 ? (int32_t)npending : 0;
        return psx_write(t->proc, arg, &avail, 4);
    }
    default:
        return -L_ENOTTY;
    }
}

static int tty_poll(psx_file_t *f)
{
    (void)f;
    /* Input the console has is taken in now; with none, it will notify
     * us when some comes (poll waits are woken then). */
    long n = fill_pending();
    if (n != ST_WOULD_BLOCK)
        return L_POLLOUT | L_POLLIN; /* data, the end of input, or an error to read */
    if (!psx.tty_watched && con_watch_input(psx.port, BIT_TTY_INPUT) == ST_OK)
        psx.tty_watched = true;
    return L_POLLOUT;
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

uint64_t psx_tty_foreground(void)
{
    return fg_pgrp;
}

void psx_tty_input_ready(void)
{
    psx_wake(W_TTY, NULL);
    psx_wake(W_POLL, NULL);
}
