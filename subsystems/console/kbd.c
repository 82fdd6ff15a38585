/*
 * The PS/2 keyboard (the i8042 controller's first port, IRQ 1), for a
 * QEMU with a display: scan codes (set 1, which the controller translates
 * to) become the bytes a serial terminal would send, so both reach the
 * same line discipline: letters with Shift, Caps Lock and Ctrl, Enter as
 * CR, Backspace as DEL, and the cursor and editing keys and F1-F12 as
 * VT100/xterm escape sequences.
 */
#include "console_internal.h"
#include <native/runtime.h>
#include <portio.h>

#define KBD_DATA   0x60
#define KBD_STATUS 0x64

static struct {
    bool shift_l, shift_r, ctrl, alt, caps;
    bool e0; /* the previous byte was the E0h prefix */
} kbd;

/* US layout, scan codes 00h-39h: unshifted and shifted. */
static const char plain[0x3a] = {
    0,    0x1b, '1', '2', '3', '4', '5', '6', '7', '8', '9',  '0', '-', '=',  0x7f,
    '\t', 'q',  'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p',  '[', ']', '\r', 0,
    'a',  's',  'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,   '\\', 'z',
    'x',  'c',  'v', 'b', 'n', 'm', ',', '.', '/', 0,   '*',  0,   ' ',
};
static const char shifted[0x3a] = {
    0,    0x1b, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+',  0x7f,
    '\t', 'Q',  'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0,
    'A',  'S',  'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|',  'Z',
    'X',  'C',  'V', 'B', 'N', 'M', '<', '>', '?', 0,   '*', 0,   ' ',
};

static void send(const char *s)
{
    while (*s)
        con_input_byte((uint8_t)*s++);
}

/* Keys that send an escape sequence: the cursor block and F1-F12. */
static const char *sequence(uint8_t code, bool e0)
{
    static const char *const fkeys[12] = {
        "\x1bOP",   "\x1bOQ",   "\x1bOR",   "\x1bOS",   "\x1b[15~", "\x1b[17~",
        "\x1b[18~", "\x1b[19~", "\x1b[20~", "\x1b[21~", "\x1b[23~", "\x1b[24~",
    };

    if (code >= 0x3b && code <= 0x44)
        return fkeys[code - 0x3b];
    if (code == 0x57 || code == 0x58)
        return fkeys[code - 0x57 + 10];
    if (!e0)
        return NULL;
    switch (code) {
    case 0x48:
        return "\x1b[A";
    case 0x50:
        return "\x1b[B";
    case 0x4d:
        return "\x1b[C";
    case 0x4b:
        return "\x1b[D";
    case 0x47:
        return "\x1b[H";
    case 0x4f:
        return "\x1b[F";
    case 0x49:
        return "\x1b[5~";
    case 0x51:
        return "\x1b[6~";
    case 0x52:
        return "\x1b[2~";
    case 0x53:
        return "\x1b[3~";
    case 0x1c:
        return "\r"; /* keypad Enter */
    case 0x35:
        return "/";
    default:
        return NULL;
    }
}

static void scan(uint8_t b)
{
    bool release = b & 0x80, e0 = kbd.e0;
    uint8_t code = b & 0x7f;

    if (b == 0xe0) {
        kbd.e0 = true;
        return;
    }
    kbd.e0 = false;
    switch (code) {
    case 0x2a:
        kbd.shift_l = !release;
        return;
    case 0x36:
        kbd.shift_r = !release;
        return;
    case 0x1d:
        kbd.ctrl = !release;
        return;
    case 0x38:
        kbd.alt = !release;
        return;
    case 0x3a:
        if (!release)
            kbd.caps = !kbd.caps;
        return;
    default:
        break;
    }
    if (release)
        return;
    const char *seq = sequence(code, e0);
    if (seq) {
        send(seq);
        return;
    }
    if (e0 || code >= sizeof(plain))
        return;
    bool shift = kbd.shift_l || kbd.shift_r;
    char c = shift ? shifted[code] : plain[code];
    if (!c)
        return;
    if (kbd.caps && c >= 'a' && c <= 'z' && !shift)
        c = (char)(c - 'a' + 'A');
    else if (kbd.caps && c >= 'A' && c <= 'Z' && shift)
        c = (char)(c - 'A' + 'a');
    if (kbd.ctrl && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        c = (char)((c & 0x1f));
    if (kbd.alt)
        con_input_byte(0x1b); /* Meta sends ESC first, as xterm does */
    con_input_byte((uint8_t)c);
}

/* Drains the controller; called on IRQ 1. */
void kbd_drain(void)
{
    for (int n = 0; n < 64 && (inb(KBD_STATUS) & 1); n++) {
        uint8_t st = inb(KBD_STATUS);
        uint8_t b = inb(KBD_DATA);
        if (!(st & 0x20)) /* not from the mouse port */
            scan(b);
    }
}

bool kbd_init(void)
{
    if (sys_io_grant(KBD_DATA, 1) < 0 || sys_io_grant(KBD_STATUS, 1) < 0)
        return false;
    /* No controller: the status port floats high. */
    if (inb(KBD_STATUS) == 0xff)
        return false;
    kbd_drain();
    return true;
}
