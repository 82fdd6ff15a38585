/*
 * The keyboard of a VDM on the host: bytes from a terminal (in raw mode)
 * or a pipe turned into BIOS keys, scan code << 8 | character. From a
 * terminal, VT100/xterm escape sequences become the extended keys
 * (arrows, Home/End, Ins/Del, PgUp/PgDn, F1-F12) and UTF-8 characters
 * that code page 437 has become their byte; a lone Esc is the Esc key if
 * nothing follows within 30 ms. From a pipe, bytes are keys as they are,
 * and a line end (LF, CR or CR LF) is one Enter.
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

/* US layout: the scan code of each printable ASCII character. */
static uint8_t ascii_scan(uint8_t c)
{
    static const char rows[][14] = {
        "1234567890-=", "qwertyuiop[]", "asdfghjkl;'`",  "\\zxcvbnm,./",
        "!@#$%^&*()_+", "QWERTYUIOP{}", "ASDFGHJKL:\"~", "|ZXCVBNM<>?",
    };
    static const uint8_t first[4] = {0x02, 0x10, 0x1E, 0x2B};

    if (c == ' ')
        return 0x39;
    for (int r = 0; r < 8; r++) {
        const char *p = strchr(rows[r], c);
        if (p != NULL && c != 0)
            return (uint8_t)(first[r % 4] + (p - rows[r]));
    }
    return 0;
}

/* Waits up to ms for more bytes in the buffer; false if none came. */
static bool fill(dos_posix_t *h, int ms)
{
    struct pollfd p = {h->kbd_fd, POLLIN, 0};

    if (h->kbd_fd < 0 || h->kbd_eof || h->klen == sizeof(h->kbuf))
        return false;
    int rc = poll(&p, 1, ms);
    if (rc <= 0)
        return false;
    ssize_t got = read(h->kbd_fd, h->kbuf + h->klen, sizeof(h->kbuf) - h->klen);
    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return false;
    if (got <= 0) {
        h->kbd_eof = true;
        return false;
    }
    h->klen += (size_t)got;
    return true;
}

static void take(dos_posix_t *h, size_t n)
{
    memmove(h->kbuf, h->kbuf + n, h->klen - n);
    h->klen -= n;
}

static int ext(uint8_t scan)
{
    return scan << 8;
}

/* An escape sequence at the start of the buffer: its key, or -1 when the
 * bytes are not one we know (then ESC is a key of its own). *len is set. */
static int escape(const uint8_t *b, size_t n, size_t *len)
{
    static const uint8_t tilde[25] = {
        [1] = 0x47,  [2] = 0x52,  [3] = 0x53,  [4] = 0x4F,  [5] = 0x49,  [6] = 0x51,  [7] = 0x47,
        [8] = 0x4F,  [11] = 0x3B, [12] = 0x3C, [13] = 0x3D, [14] = 0x3E, [15] = 0x3F, [17] = 0x40,
        [18] = 0x41, [19] = 0x42, [20] = 0x43, [21] = 0x44, [23] = 0x85, [24] = 0x86,
    };
    if (n < 3 || (b[1] != '[' && b[1] != 'O'))
        return -1;
    switch (b[2]) {
    case 'A':
        *len = 3;
        return ext(0x48);
    case 'B':
        *len = 3;
        return ext(0x50);
    case 'C':
        *len = 3;
        return ext(0x4D);
    case 'D':
        *len = 3;
        return ext(0x4B);
    case 'H':
        *len = 3;
        return ext(0x47);
    case 'F':
        *len = 3;
        return ext(0x4F);
    case 'P':
    case 'Q':
    case 'R':
    case 'S':
        *len = 3;
        return ext((uint8_t)(0x3B + b[2] - 'P'));
    default:
        break;
    }
    /* ESC [ number [; modifiers] ~ */
    size_t i = 2;
    unsigned num = 0;
    while (i < n && b[i] >= '0' && b[i] <= '9' && num < 100)
        num = num * 10 + (b[i++] - '0');
    while (i < n && (b[i] == ';' || (b[i] >= '0' && b[i] <= '9')))
        i++;
    if (i >= n || b[i] != '~' || num >= sizeof(tilde) || tilde[num] == 0)
        return -1;
    *len = i + 1;
    return ext(tilde[num]);
}

/* A UTF-8 character at the start of the buffer as a code page 437 byte. */
static int utf8_key(const uint8_t *b, size_t n, size_t *len)
{
    uint32_t u;

    if ((b[0] & 0xE0) == 0xC0 && n >= 2) {
        u = (uint32_t)(b[0] & 0x1F) << 6 | (b[1] & 0x3F);
        *len = 2;
    } else if ((b[0] & 0xF0) == 0xE0 && n >= 3) {
        u = (uint32_t)(b[0] & 0x0F) << 12 | (uint32_t)(b[1] & 0x3F) << 6 | (b[2] & 0x3F);
        *len = 3;
    } else {
        *len = 1;
        return -1;
    }
    for (int c = 0x80; c < 256; c++)
        if (vdm_cp437[c] == u)
            return c;
    return -1;
}

static int byte_key(uint8_t c)
{
    switch (c) {
    case '\r':
        return 0x1C0D;
    case 0x7F:
    case 0x08:
        return 0x0E08;
    case '\t':
        return 0x0F09;
    case 0x1B:
        return 0x011B;
    default:
        break;
    }
    if (c >= 1 && c <= 26) /* Ctrl-letter: the letter's key */
        return ascii_scan((uint8_t)(c + 'a' - 1)) << 8 | c;
    return ascii_scan(c) << 8 | c;
}

/* The next key from the buffer, or -1 when it holds no whole key yet. */
static int decode(dos_posix_t *h)
{
    size_t len = 1;
    int key;

    if (h->klen == 0)
        return -1;
    uint8_t c = h->kbuf[0];
    if (!h->kbd_tty) {
        bool skip = c == '\n' && h->kbd_after_cr;
        h->kbd_after_cr = c == '\r';
        take(h, 1);
        if (skip)
            return decode(h);
        return c == '\n' ? 0x1C0D : byte_key(c);
    }
    if (c == 0x1B) {
        /* Let the rest of a sequence arrive before deciding. */
        while (h->klen < 8 && fill(h, 30))
            ;
        key = escape(h->kbuf, h->klen, &len);
        if (key < 0) {
            len = 1;
            key = 0x011B;
        }
    } else if (c >= 0x80) {
        while (h->klen < 3 && fill(h, 30))
            ;
        key = utf8_key(h->kbuf, h->klen, &len);
        if (key < 0) {
            take(h, len);
            return decode(h);
        }
    } else {
        key = byte_key(c);
    }
    take(h, len);
    return key;
}

int dos_posix_key_read(void *ctx, bool wait)
{
    dos_posix_t *h = ctx;

    for (;;) {
        int key = decode(h);
        if (key >= 0)
            return key;
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
