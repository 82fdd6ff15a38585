/*
 * INT 10h, the video BIOS, for the text modes (0-3 at B800h, 7 at B000h):
 * modes and pages, the cursor, scrolling, reading and writing characters,
 * teletype output and string output, and the queries programs use to find
 * the adapter (EGA/VGA information, display combination). Graphics modes
 * and the palette hardware are refused with a log line: a terminal cannot
 * show them.
 *
 * Entry points: vdmp_video_set_mode, vdmp_int10, vdmp_teletype,
 * vdmp_text_mode, vdmp_cols, vdmp_page, vdmp_get_cursor, vdmp_set_cursor,
 * vdmp_scroll, vdm_tty_write.
 */
#include <string.h>

#include "vdmp.h"

#define PAGES 8

bool vdmp_text_mode(const vdm_t *v)
{
    uint8_t m = bda_rd8(v, BDA_VIDEO_MODE);
    return m <= 3 || m == 7;
}

int vdmp_cols(const vdm_t *v)
{
    return bda_rd16(v, BDA_COLS) == 40 ? 40 : 80;
}

static uint32_t page_bytes(const vdm_t *v)
{
    return vdmp_cols(v) == 40 ? 0x800 : 0x1000;
}

uint8_t *vdmp_page(vdm_t *v, uint8_t page)
{
    uint32_t base = bda_rd8(v, BDA_VIDEO_MODE) == 7 ? 0xB0000 : 0xB8000;

    if (page >= PAGES)
        return NULL;
    return v->mem + base + page * page_bytes(v);
}

void vdmp_get_cursor(const vdm_t *v, uint8_t page, int *row, int *col)
{
    uint16_t pos = bda_rd16(v, (uint16_t)(BDA_CURSOR_POS + 2 * (page & 7)));
    *row = pos >> 8;
    *col = pos & 0xFF;
}

static void put_cursor(vdm_t *v, uint8_t page, int row, int col)
{
    bda_wr16(v, (uint16_t)(BDA_CURSOR_POS + 2 * (page & 7)), (uint16_t)(row << 8 | col));
}

/* A cursor move asked for by the program (not teletype's own advance). */
void vdmp_set_cursor(vdm_t *v, uint8_t page, int row, int col)
{
    int row0, col0;

    vdmp_get_cursor(v, page, &row0, &col0);
    put_cursor(v, page, row, col);
    if (page == bda_rd8(v, BDA_ACTIVE_PAGE) && (row != row0 || col != col0))
        vdmp_scr_cursor_moved(v);
}

void vdmp_video_set_mode(vdm_t *v, uint8_t mode, bool clear)
{
    bool mono = mode == 7;
    int cols = mode <= 1 ? 40 : 80;

    bda_wr8(v, BDA_VIDEO_MODE, mode);
    bda_wr16(v, BDA_COLS, (uint16_t)cols);
    bda_wr16(v, BDA_PAGE_SIZE, (uint16_t)page_bytes(v));
    bda_wr16(v, BDA_PAGE_START, 0);
    for (uint8_t p = 0; p < PAGES; p++)
        put_cursor(v, p, 0, 0);
    bda_wr16(v, BDA_CURSOR_TYPE, mono ? 0x0B0C : 0x0607);
    bda_wr8(v, BDA_ACTIVE_PAGE, 0);
    bda_wr16(v, BDA_CRTC_BASE, mono ? 0x3B4 : 0x3D4);
    bda_wr8(v, BDA_MODE_CTL, mono ? 0x29 : 0x29);
    bda_wr8(v, BDA_PALETTE, 0x30);
    bda_wr8(v, BDA_ROWS, VDM_TEXT_ROWS - 1);
    bda_wr16(v, BDA_CHAR_HEIGHT, 16);
    uint16_t eq = bda_rd16(v, BDA_EQUIPMENT) & ~0x30u;
    bda_wr16(v, BDA_EQUIPMENT, (uint16_t)(eq | (mono ? 0x30 : cols == 40 ? 0x10 : 0x20)));
    /* A new mode clears the screen (or at least re-lays it out): start the
     * terminal afresh. */
    v->scr.blink = true;
    v->scr.force_redraw = true;
    if (clear) {
        uint8_t *p = vdmp_page(v, 0);
        for (uint32_t i = 0; i < PAGES * page_bytes(v); i += 2) {
            p[i] = ' ';
            p[i + 1] = 0x07;
        }
    }
}

void vdmp_scroll(uint8_t *buf, int cols, int top, int left, int bottom, int right, int lines,
                 int attr, bool up)
{
    int height = bottom - top + 1, width = right - left + 1;

    if (height <= 0 || width <= 0)
        return;
    if (lines <= 0 || lines > height)
        lines = height;
    for (int i = 0; i < height; i++) {
        int dst = up ? top + i : bottom - i;
        int src = up ? dst + lines : dst - lines;
        uint8_t *d = buf + (dst * cols + left) * 2;
        if (i < height - lines) {
            memmove(d, buf + (src * cols + left) * 2, (size_t)width * 2);
            continue;
        }
        for (int c = 0; c < width; c++) {
            d[2 * c] = ' ';
            d[2 * c + 1] = (uint8_t)attr;
        }
    }
}

/* BIOS scroll of a window of a page; the screen code follows it on the
 * terminal when it is the active page. */
static void scroll(vdm_t *v, uint8_t page, int top, int left, int bottom, int right, int lines,
                   int attr, bool up)
{
    int cols = vdmp_cols(v);
    uint8_t *buf = vdmp_page(v, page);

    if (buf == NULL)
        return;
    if (bottom >= VDM_TEXT_ROWS)
        bottom = VDM_TEXT_ROWS - 1;
    if (right >= cols)
        right = cols - 1;
    vdmp_scroll(buf, cols, top, left, bottom, right, lines, attr, up);
    if (page == bda_rd8(v, BDA_ACTIVE_PAGE))
        vdmp_scr_scrolled(v, top, left, bottom, right, lines, attr, up);
}

/* Teletype: the BIOS's character output, with BEL, BS, LF and CR acted on. */
void vdmp_teletype(vdm_t *v, uint8_t page, uint8_t ch)
{
    int row, col, cols = vdmp_cols(v);
    uint8_t *buf = vdmp_page(v, page);
    bool active = page == bda_rd8(v, BDA_ACTIVE_PAGE);

    if (buf == NULL || !vdmp_text_mode(v))
        return;
    vdmp_get_cursor(v, page, &row, &col);
    if (row >= VDM_TEXT_ROWS)
        row = VDM_TEXT_ROWS - 1;
    if (col >= cols)
        col = cols - 1;
    switch (ch) {
    case 0x07:
        if (active)
            vdmp_scr_bell(v);
        return;
    case 0x08:
        if (col > 0)
            col--;
        break;
    case 0x0A:
        row++;
        break;
    case 0x0D:
        col = 0;
        break;
    default:
        buf[(row * cols + col) * 2] = ch;
        if (active)
            vdmp_scr_cell_written(v, row, col);
        col++;
        break;
    }
    if (active)
        vdmp_scr_stream(v, ch);
    if (col >= cols) {
        col = 0;
        row++;
    }
    if (row >= VDM_TEXT_ROWS) {
        /* New lines take the attribute under the cursor, as the BIOS does. */
        uint8_t attr = buf[((VDM_TEXT_ROWS - 1) * cols + col) * 2 + 1];
        scroll(v, page, 0, 0, VDM_TEXT_ROWS - 1, cols - 1, 1, attr, true);
        row = VDM_TEXT_ROWS - 1;
    }
    put_cursor(v, page, row, col);
}

void vdm_tty_write(vdm_t *v, const char *s, size_t n)
{
    uint8_t page = bda_rd8(v, BDA_ACTIVE_PAGE);

    for (size_t i = 0; i < n; i++)
        vdmp_teletype(v, page, (uint8_t)s[i]);
}

/* AH=09h/0Ah: CX copies at the cursor, which does not move. */
static void write_chars(vdm_t *v, const dos_regs_t *r, bool with_attr)
{
    int row, col, cols = vdmp_cols(v);
    uint8_t *buf = vdmp_page(v, r->bh);

    if (buf == NULL)
        return;
    vdmp_get_cursor(v, r->bh, &row, &col);
    int at = row * cols + col, end = VDM_TEXT_ROWS * cols;
    for (unsigned i = 0; i < r->cx && at < end; i++, at++) {
        buf[at * 2] = r->al;
        if (with_attr)
            buf[at * 2 + 1] = r->bl;
    }
}

/* AH=13h: a string at DH,DL, with attributes inline when AL bit 1 is set. */
static void write_string(vdm_t *v, const dos_regs_t *r)
{
    int row0, col0, cols = vdmp_cols(v);
    uint8_t *buf = vdmp_page(v, r->bh);
    uint16_t off = r->bp;

    if (buf == NULL || r->al > 3)
        return;
    vdmp_get_cursor(v, r->bh, &row0, &col0);
    vdmp_set_cursor(v, r->bh, r->dh < VDM_TEXT_ROWS ? r->dh : VDM_TEXT_ROWS - 1,
                    r->dl < cols ? r->dl : cols - 1);
    for (unsigned i = 0; i < r->cx; i++) {
        uint8_t ch = vm_rd8(v->mem, r->es, off++);
        uint8_t attr = r->bl;
        if (r->al & 2)
            attr = vm_rd8(v->mem, r->es, off++);
        if (ch == 7 || ch == 8 || ch == 10 || ch == 13) {
            vdmp_teletype(v, r->bh, ch);
            continue;
        }
        int row, col;
        vdmp_get_cursor(v, r->bh, &row, &col);
        buf[(row * cols + col) * 2 + 1] = attr;
        vdmp_teletype(v, r->bh, ch);
    }
    if (!(r->al & 1))
        vdmp_set_cursor(v, r->bh, row0, col0);
}

static void unsupported(vdm_t *v, const dos_regs_t *r)
{
    vdmp_logf(v, 0x1000u | r->ah, "INT 10h AH=%02Xh AL=%02Xh is not supported", r->ah, r->al);
}

void vdmp_int10(vdm_t *v, dos_regs_t *r)
{
    int row, col, cols = vdmp_cols(v);

    switch (r->ah) {
    case 0x00: {
        uint8_t mode = r->al & 0x7F;
        if (mode <= 3 || mode == 7)
            vdmp_video_set_mode(v, mode, !(r->al & 0x80));
        else
            vdmp_logf(v, 0x10000u | mode, "INT 10h: graphics mode %02Xh is not supported", mode);
        break;
    }
    case 0x01:
        bda_wr16(v, BDA_CURSOR_TYPE, r->cx);
        break;
    case 0x02:
        if (r->bh < PAGES)
            vdmp_set_cursor(v, r->bh, r->dh, r->dl);
        break;
    case 0x03:
        vdmp_get_cursor(v, r->bh, &row, &col);
        r->dh = (uint8_t)row;
        r->dl = (uint8_t)col;
        r->cx = bda_rd16(v, BDA_CURSOR_TYPE);
        break;
    case 0x04: /* light pen: never triggered */
        r->ah = 0;
        break;
    case 0x05:
        if (r->al < PAGES) {
            bda_wr8(v, BDA_ACTIVE_PAGE, r->al);
            bda_wr16(v, BDA_PAGE_START, (uint16_t)(r->al * page_bytes(v)));
        }
        break;
    case 0x06:
    case 0x07:
        scroll(v, bda_rd8(v, BDA_ACTIVE_PAGE), r->ch, r->cl, r->dh, r->dl, r->al, r->bh,
               r->ah == 0x06);
        break;
    case 0x08: {
        uint8_t *buf = vdmp_page(v, r->bh);
        if (buf == NULL)
            break;
        vdmp_get_cursor(v, r->bh, &row, &col);
        if (row < VDM_TEXT_ROWS && col < cols) {
            r->al = buf[(row * cols + col) * 2];
            r->ah = buf[(row * cols + col) * 2 + 1];
        }
        break;
    }
    case 0x09:
    case 0x0A:
        write_chars(v, r, r->ah == 0x09);
        break;
    case 0x0B: /* border and CGA palette: a terminal has neither */
        break;
    case 0x0E:
        vdmp_teletype(v, r->bh < PAGES ? r->bh : bda_rd8(v, BDA_ACTIVE_PAGE), r->al);
        break;
    case 0x0F:
        r->al = bda_rd8(v, BDA_VIDEO_MODE);
        r->ah = (uint8_t)cols;
        r->bh = bda_rd8(v, BDA_ACTIVE_PAGE);
        break;
    case 0x10:
        if (r->al == 0x03 && r->bl <= 1) {
            /* Bit 7 means something else now: every cell must be redrawn. */
            v->scr.redraw_all |= v->scr.blink != (r->bl == 1);
            v->scr.blink = r->bl == 1;
        } else
            unsupported(v, r);
        break;
    case 0x11:
        if (r->al != 0x30) {
            unsupported(v, r);
            break;
        }
        /* Font information: the geometry is real, the font itself is not in memory. */
        r->cx = 16;
        r->dl = VDM_TEXT_ROWS - 1;
        break;
    case 0x12:
        if (r->bl != 0x10) {
            unsupported(v, r);
            break;
        }
        r->bh = bda_rd8(v, BDA_VIDEO_MODE) == 7;
        r->bl = 3; /* 256 KiB */
        r->ch = 0;
        r->cl = 9;
        break;
    case 0x13:
        write_string(v, r);
        break;
    case 0x1A:
        if (r->al != 0x00) {
            unsupported(v, r);
            break;
        }
        r->al = 0x1A;
        r->bx = bda_rd8(v, BDA_VIDEO_MODE) == 7 ? 0x0007 : 0x0008;
        break;
    default:
        unsupported(v, r);
        break;
    }
}
