/*
 * Terminal bytes to BIOS keys (see <dos/keys.h>): escape sequences,
 * UTF-8 through code page 437, control characters, and the line ends of
 * a pipe. Pure: no I/O, no waiting.
 *
 * Entry points: dos_keys_next, dos_keys_byte.
 */
#include <cp437.h>
#include <string.h>

#include <dos/keys.h>
#include <dos/vdm.h>

#define INCOMPLETE (-2)

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

int dos_keys_byte(uint8_t c)
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

/* The extended key a final letter names (ESC [ A, ESC O P, ...), or 0. */
static int letter_key(uint8_t c)
{
    switch (c) {
    case 'A':
        return 0x4800;
    case 'B':
        return 0x5000;
    case 'C':
        return 0x4D00;
    case 'D':
        return 0x4B00;
    case 'H':
        return 0x4700;
    case 'F':
        return 0x4F00;
    case 'P':
    case 'Q':
    case 'R':
    case 'S':
        return (0x3B + c - 'P') << 8;
    default:
        return 0;
    }
}

/*
 * An escape sequence at the start of b: its key with *len set, INCOMPLETE
 * when the bytes so far could still become one, or -1 when they are not
 * one we know (ESC is then a key of its own).
 */
static int escape(const uint8_t *b, size_t n, size_t *len)
{
    /* ESC [ number ~ */
    static const uint8_t tilde[25] = {
        [1] = 0x47,  [2] = 0x52,  [3] = 0x53,  [4] = 0x4F,  [5] = 0x49,  [6] = 0x51,  [7] = 0x47,
        [8] = 0x4F,  [11] = 0x3B, [12] = 0x3C, [13] = 0x3D, [14] = 0x3E, [15] = 0x3F, [17] = 0x40,
        [18] = 0x41, [19] = 0x42, [20] = 0x43, [21] = 0x44, [23] = 0x85, [24] = 0x86,
    };
    size_t i = 2;
    unsigned num = 0;

    if (n < 2)
        return INCOMPLETE;
    if (b[1] != '[' && b[1] != 'O')
        return -1;
    /* The first number, then any ";modifier" parameters, then the final byte. */
    while (i < n && b[i] >= '0' && b[i] <= '9' && num < 100)
        num = num * 10 + (b[i++] - '0');
    while (i < n && (b[i] == ';' || (b[i] >= '0' && b[i] <= '9')))
        i++;
    if (i >= n)
        return INCOMPLETE;
    *len = i + 1;
    if (b[i] == '~' && num < sizeof(tilde) && tilde[num] != 0)
        return tilde[num] << 8;
    if (letter_key(b[i]) != 0)
        return letter_key(b[i]);
    return -1;
}

/* A UTF-8 character at the start of b as a code page 437 byte, -1 when
 * code page 437 lacks it or the bytes are not UTF-8, INCOMPLETE when cut. */
static int utf8_key(const uint8_t *b, size_t n, size_t *len)
{
    uint32_t u;

    *len = 1;
    if ((b[0] & 0xE0) == 0xC0) {
        if (n < 2)
            return INCOMPLETE;
        u = (uint32_t)(b[0] & 0x1F) << 6 | (b[1] & 0x3F);
        *len = 2;
    } else if ((b[0] & 0xF0) == 0xE0) {
        if (n < 3)
            return INCOMPLETE;
        u = (uint32_t)(b[0] & 0x0F) << 12 | (uint32_t)(b[1] & 0x3F) << 6 | (b[2] & 0x3F);
        *len = 3;
    } else {
        return -1;
    }
    for (int c = 0x80; c < 256; c++)
        if (cp437_unicode[c] == u)
            return c;
    return -1;
}

static void take(dos_keydec_t *d, size_t n)
{
    if (n > d->len)
        n = d->len;
    memmove(d->buf, d->buf + n, d->len - n);
    d->len -= n;
}

int dos_keys_next(dos_keydec_t *d, bool tty, bool more_may_come)
{
    /* A sequence never grows past this: decide with what has come. */
    bool may_wait = more_may_come && d->len < 8;

    while (d->len > 0) {
        uint8_t c = d->buf[0];
        size_t len = 1;
        int key;

        if (!tty) {
            bool skip = c == '\n' && d->after_cr;
            d->after_cr = c == '\r';
            take(d, 1);
            if (skip)
                continue;
            return c == '\n' ? 0x1C0D : dos_keys_byte(c);
        }
        if (c == 0x1B) {
            key = escape(d->buf, d->len, &len);
            if (key == INCOMPLETE && may_wait)
                return DOS_KEYS_PARTIAL;
            if (key < 0) {
                len = 1;
                key = 0x011B;
            }
        } else if (c >= 0x80) {
            key = utf8_key(d->buf, d->len, &len);
            if (key == INCOMPLETE && may_wait)
                return DOS_KEYS_PARTIAL;
            if (key < 0) {
                take(d, len); /* nothing a DOS program could be given */
                continue;
            }
        } else {
            key = dos_keys_byte(c);
        }
        take(d, len);
        return key;
    }
    return DOS_KEYS_EMPTY;
}
