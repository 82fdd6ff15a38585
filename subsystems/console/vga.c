/*
 * The VGA text screen (80x25 at physical B8000h, mapped through a device
 * section): a second view of the console's output for a QEMU with a
 * display. Everything written to the terminal is drawn here too, through
 * a small terminal emulator: CR, LF, BS, TAB, UTF-8 text shown in code
 * page 437 (the VGA font), and the ANSI sequences programs send to the
 * serial terminal: cursor moves (CSI A B C D H f), erasing (CSI J K),
 * colours and attributes (CSI m), cursor show/hide (CSI ?25 h/l). Others
 * are skipped. The hardware cursor follows through the CRTC ports.
 */
#include "console_internal.h"
#include <cp437.h>
#include <native/runtime.h>
#include <portio.h>
#include <string.h>

#define VGA_PHYS 0xb8000
#define COLS     80
#define ROWS     25
#define CRTC     0x3d4
#define ARGS     8

static struct {
    volatile uint16_t *cells;
    int row, col;
    uint8_t attr; /* current colours: background << 4 | foreground */
    bool reverse;
    int state;    /* 0 text, 1 after ESC, 2 in CSI */
    bool private; /* CSI ? ... */
    int args[ARGS], nargs;
    uint32_t cp; /* UTF-8 code point being assembled */
    int more;    /* continuation bytes still expected */
} vga;

/* ANSI colour numbers (red = 1, green = 2, blue = 4) in VGA order (blue = 1). */
static const uint8_t ansi_to_vga[8] = {0, 4, 2, 6, 1, 5, 3, 7};

static uint8_t glyph(uint32_t cp)
{
    int c = cp == 0 ? -1 : cp437_from_unicode(cp);

    return c > 0 ? (uint8_t)c : '?';
}

static uint8_t attr(void)
{
    return vga.reverse ? (uint8_t)((vga.attr & 0x0f) << 4 | (vga.attr >> 4 & 0x0f)) : vga.attr;
}

static void clear_cells(int from, int to)
{
    for (int i = from; i < to; i++)
        vga.cells[i] = (uint16_t)(attr() << 8 | ' ');
}

static void scroll(void)
{
    for (int i = 0; i < COLS * (ROWS - 1); i++)
        vga.cells[i] = vga.cells[i + COLS];
    clear_cells(COLS * (ROWS - 1), COLS * ROWS);
    vga.row = ROWS - 1;
}

static void newline(void)
{
    if (++vga.row >= ROWS)
        scroll();
}

static void put(uint8_t ch)
{
    if (vga.col >= COLS) {
        vga.col = 0;
        newline();
    }
    vga.cells[vga.row * COLS + vga.col] = (uint16_t)(attr() << 8 | ch);
    vga.col++;
}

static int arg(int i, int dflt)
{
    return i < vga.nargs && vga.args[i] > 0 ? vga.args[i] : dflt;
}

static void sgr(void)
{
    if (vga.nargs == 0)
        vga.nargs = 1, vga.args[0] = 0;
    for (int i = 0; i < vga.nargs; i++) {
        int a = vga.args[i];
        if (a == 0) {
            vga.attr = 0x07;
            vga.reverse = false;
        } else if (a == 1) {
            vga.attr |= 0x08;
        } else if (a == 22) {
            vga.attr &= (uint8_t)~0x08;
        } else if (a == 7) {
            vga.reverse = true;
        } else if (a == 27) {
            vga.reverse = false;
        } else if (a >= 30 && a <= 37) {
            vga.attr = (uint8_t)((vga.attr & 0xf8) | ansi_to_vga[a - 30]);
        } else if (a >= 90 && a <= 97) {
            vga.attr = (uint8_t)((vga.attr & 0xf0) | 0x08 | ansi_to_vga[a - 90]);
        } else if (a == 39) {
            vga.attr = (uint8_t)((vga.attr & 0xf0) | 0x07);
        } else if (a >= 40 && a <= 47) {
            vga.attr = (uint8_t)((vga.attr & 0x8f) | ansi_to_vga[a - 40] << 4);
        } else if (a >= 100 && a <= 107) {
            vga.attr = (uint8_t)((vga.attr & 0x0f) | 0x80 | ansi_to_vga[a - 100] << 4);
        } else if (a == 49) {
            vga.attr &= 0x0f;
        }
    }
}

static void cursor_shape(bool shown)
{
    outb(CRTC, 0x0a);
    outb(CRTC + 1, shown ? 0x0d : 0x20); /* bit 5: cursor off */
}

static void csi(char final)
{
    int pos = vga.row * COLS + vga.col;

    switch (final) {
    case 'A':
        vga.row = vga.row - arg(0, 1) < 0 ? 0 : vga.row - arg(0, 1);
        break;
    case 'B':
        vga.row = vga.row + arg(0, 1) >= ROWS ? ROWS - 1 : vga.row + arg(0, 1);
        break;
    case 'C':
        vga.col = vga.col + arg(0, 1) >= COLS ? COLS - 1 : vga.col + arg(0, 1);
        break;
    case 'D':
        vga.col = vga.col - arg(0, 1) < 0 ? 0 : vga.col - arg(0, 1);
        break;
    case 'H':
    case 'f':
        vga.row = arg(0, 1) > ROWS ? ROWS - 1 : arg(0, 1) - 1;
        vga.col = arg(1, 1) > COLS ? COLS - 1 : arg(1, 1) - 1;
        break;
    case 'J':
        if (arg(0, 0) == 2 || arg(0, 0) == 3)
            clear_cells(0, COLS * ROWS);
        else if (arg(0, 0) == 1)
            clear_cells(0, pos + 1);
        else
            clear_cells(pos, COLS * ROWS);
        break;
    case 'K':
        if (arg(0, 0) == 2)
            clear_cells(vga.row * COLS, vga.row * COLS + COLS);
        else if (arg(0, 0) == 1)
            clear_cells(vga.row * COLS, pos + 1);
        else
            clear_cells(pos, vga.row * COLS + COLS);
        break;
    case 'm':
        sgr();
        break;
    case 'h':
    case 'l':
        if (vga.private && arg(0, 0) == 25)
            cursor_shape(final == 'h');
        break;
    default:
        break; /* not drawn on this screen */
    }
}

static void byte(uint8_t b)
{
    if (vga.state == 1) {
        vga.state = b == '[' ? 2 : 0;
        vga.nargs = 0;
        vga.private = false;
        memset(vga.args, 0, sizeof(vga.args));
        return;
    }
    if (vga.state == 2) {
        if (b == '?') {
            vga.private = true;
        } else if (b >= '0' && b <= '9') {
            if (vga.nargs == 0)
                vga.nargs = 1;
            int *a = &vga.args[vga.nargs - 1];
            *a = *a > 9999 ? *a : *a * 10 + (b - '0');
        } else if (b == ';') {
            if (vga.nargs == 0)
                vga.nargs = 1;
            if (vga.nargs < ARGS)
                vga.nargs++;
        } else if (b >= 0x40 && b <= 0x7e) {
            csi((char)b);
            vga.state = 0;
        }
        return;
    }
    if (vga.more) {
        if ((b & 0xc0) == 0x80) {
            vga.cp = vga.cp << 6 | (b & 0x3f);
            if (--vga.more == 0)
                put(glyph(vga.cp));
            return;
        }
        vga.more = 0;
        put('?'); /* a broken sequence */
    }
    if (b >= 0xc0 && b < 0xf8) {
        vga.more = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
        vga.cp = b & (0x3f >> vga.more);
        return;
    }
    switch (b) {
    case 0x1b:
        vga.state = 1;
        break;
    case '\r':
        vga.col = 0;
        break;
    case '\n':
        newline();
        break;
    case '\b':
        if (vga.col > 0)
            vga.col--;
        break;
    case '\t':
        do
            put(' ');
        while (vga.col % 8 && vga.col < COLS);
        break;
    case 0x07:
        break; /* the bell rings on the serial terminal only */
    default:
        if (b >= 0x20 && b < 0x7f)
            put(b);
        else if (b >= 0x80)
            put('?');
        break;
    }
}

static void move_cursor(void)
{
    int col = vga.col >= COLS ? COLS - 1 : vga.col;
    uint16_t pos = (uint16_t)(vga.row * COLS + col);

    outb(CRTC, 0x0e);
    outb(CRTC + 1, (uint8_t)(pos >> 8));
    outb(CRTC, 0x0f);
    outb(CRTC + 1, (uint8_t)pos);
}

void vga_put(uint8_t b)
{
    if (vga.cells)
        byte(b);
}

void vga_cursor(void)
{
    if (vga.cells)
        move_cursor();
}

bool vga_init(void)
{
    handle_t sec;
    uint64_t addr = 0;

    if (sys_section_create_physical(VGA_PHYS, 4096, &sec) < 0)
        return false;
    if (sys_vm_map(HANDLE_SELF_PROCESS, &addr, 4096, PROT_R | PROT_W, 0, sec, 0) < 0 ||
        sys_io_grant(CRTC, 2) < 0) {
        sys_handle_close(sec);
        return false;
    }
    sys_handle_close(sec);
    vga.cells = (volatile uint16_t *)addr;
    vga.attr = 0x07;
    clear_cells(0, COLS * ROWS);
    cursor_shape(true);
    move_cursor();
    return true;
}
