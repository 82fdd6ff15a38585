/*
 * The keyboard of a VDM on the host: bytes from a terminal (in raw mode)
 * or a pipe, turned into BIOS keys by the decoder of <dos/keys.h>; the
 * rest of an escape sequence or UTF-8 character gets 30 ms to arrive.
 *
 * Entry points: dos_posix_kbd_open, dos_posix_kbd_restore,
 * dos_posix_key_read.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "host.h"

static struct termios saved_tio;
static int saved_fd = -1;

void dos_posix_kbd_restore(void)
{
    if (saved_fd >= 0)
        tcsetattr(saved_fd, TCSAFLUSH, &saved_tio);
    saved_fd = -1;
}

void dos_posix_kbd_open(dos_posix_t *h, int fd)
{
    struct termios t;

    h->kbd_fd = fd;
    h->kbd_tty = isatty(fd);
    if (!h->kbd_tty || tcgetattr(fd, &saved_tio) != 0)
        return;
    saved_fd = fd;
    t = saved_tio;
    /* Keys one at a time, unechoed, Ctrl-C as a character; output as it was. */
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    t.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR | IGNCR | ISTRIP);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(fd, TCSAFLUSH, &t);
    atexit(dos_posix_kbd_restore);
}

/* Waits up to ms for more bytes in the decoder; false if none came. */
static bool fill(dos_posix_t *h, int ms)
{
    struct pollfd p = {h->kbd_fd, POLLIN, 0};
    dos_keydec_t *d = &h->keys;

    if (h->kbd_fd < 0 || h->kbd_eof || d->len == sizeof(d->buf))
        return false;
    int rc = poll(&p, 1, ms);
    if (rc <= 0)
        return false;
    ssize_t got = read(h->kbd_fd, d->buf + d->len, sizeof(d->buf) - d->len);
    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return false;
    if (got <= 0) {
        h->kbd_eof = true;
        return false;
    }
    d->len += (size_t)got;
    return true;
}

int dos_posix_key_read(void *ctx, bool wait)
{
    dos_posix_t *h = ctx;
    bool more = true;

    for (;;) {
        int key = dos_keys_next(&h->keys, h->kbd_tty, more && h->kbd_fd >= 0 && !h->kbd_eof);
        if (key >= 0)
            return key;
        if (key == DOS_KEYS_PARTIAL) {
            /* Let the rest of a sequence arrive before deciding. */
            more = fill(h, 30);
            continue;
        }
        if (h->kbd_fd < 0 || h->kbd_eof)
            return VDM_KEY_EOF;
        if (!wait) {
            if (!fill(h, 0))
                return h->kbd_eof ? VDM_KEY_EOF : VDM_KEY_NONE;
            continue;
        }
        if (h->stop != NULL && *h->stop)
            return VDM_KEY_EOF;
        fill(h, 100);
    }
}
