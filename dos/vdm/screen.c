/*
 * The terminal side of the text screen (see the rendering notes in
 * <dos/vdm.h>). In stream mode teletype output is passed on as it comes
 * and the shadow copy is kept equal to video memory cell by cell, so the
 * comparison after a slice finds nothing. Any other change shows up as a
 * difference (or as a cursor move away from the stream), and from then on
 * the terminal is cursor-addressed: every render sends the cells that
 * changed, the colours they need and the cursor position.
 *
 * Entry points: vdmp_scr_init, vdmp_scr_stream, vdmp_scr_bell,
 * vdmp_scr_scrolled, vdmp_scr_cell_written, vdmp_scr_cursor_moved,
 * vdm_render, vdm_finish.
 */
#include <cp437.h>
#include <stdio.h>
#include <string.h>

#include "vdmp.h"

static void flush(vdm_t *v)
{
    if (v->scr.outlen > 0) {
        v->host.term_write(v->ctx, v->scr.out, v->scr.outlen);
        v->scr.outlen = 0;
    }
}

static void emit(vdm_t *v, const char *s, size_t n)
{
    vdm_screen_t *sc = &v->scr;

    if (sc->outlen + n > sizeof(sc->out))
        flush(v);
    memcpy(sc->out + sc->outlen, s, n);
    sc->outlen += n;
}

static void emit_str(vdm_t *v, const char *s)
{
    emit(v, s, strlen(s));
}

/* A code page 437 character as UTF-8. */
static void emit_glyph(vdm_t *v, uint8_t ch)
{
    uint16_t u = cp437_unicode[ch];
    char b[3];

    if (u < 0x80) {
        b[0] = (char)u;
        emit(v, b, 1);
    } else if (u < 0x800) {
        b[0] = (char)(0xC0 | u >> 6);
        b[1] = (char)(0x80 | (u & 0x3F));
        emit(v, b, 2);
    } else {
        b[0] = (char)(0xE0 | u >> 12);
        b[1] = (char)(0x80 | (u >> 6 & 0x3F));
        b[2] = (char)(0x80 | (u & 0x3F));
        emit(v, b, 3);
    }
}

static int screen_bytes(const vdm_t *v)
{
    return vdmp_cols(v) * VDM_TEXT_ROWS * 2;
}

void vdmp_scr_init(vdm_t *v)
{
    vdm_screen_t *sc = &v->scr;
    const uint8_t *page = vdmp_page(v, bda_rd8(v, BDA_ACTIVE_PAGE));

    memcpy(sc->shadow, page, (size_t)screen_bytes(v));
    sc->addressed = false;
    sc->force_redraw = false;
    sc->trow = sc->tcol = -1;
    sc->tattr = -1;
    sc->tcursor_hidden = -1;
}

/* Teletype output on the active page, which the caller has already put in
 * video memory. In addressed mode the next render shows it. */
void vdmp_scr_stream(vdm_t *v, uint8_t ch)
{
    int row, col;

    /* Once the stream has lost the cursor, the coming redraw shows this too. */
    if (v->scr.addressed || v->scr.force_redraw)
        return;
    switch (ch) {
    case 0x08:
        emit(v, "\b", 1);
        return;
    case 0x0A:
        emit(v, "\n", 1);
        return;
    case 0x0D:
        emit(v, "\r", 1);
        return;
    default:
        emit_glyph(v, ch);
        /* The terminal may be wider than the screen: wrap where the BIOS does. */
        vdmp_get_cursor(v, bda_rd8(v, BDA_ACTIVE_PAGE), &row, &col);
        if (col + 1 >= vdmp_cols(v))
            emit(v, "\r\n", 2);
        return;
    }
}

void vdmp_scr_bell(vdm_t *v)
{
    emit(v, "\a", 1);
}

void vdmp_scr_cell_written(vdm_t *v, int row, int col)
{
    vdm_screen_t *sc = &v->scr;
    const uint8_t *page = vdmp_page(v, bda_rd8(v, BDA_ACTIVE_PAGE));
    int i = (row * vdmp_cols(v) + col) * 2;

    if (!sc->addressed) {
        sc->shadow[i] = page[i];
        sc->shadow[i + 1] = page[i + 1];
    }
}

/* A BIOS scroll of the active page. In stream mode a full-width scroll is
 * what the terminal itself does on a line feed at the bottom, so the
 * shadow follows; any other scroll shows up as a difference. */
void vdmp_scr_scrolled(vdm_t *v, int top, int left, int bottom, int right, int lines, int attr,
                       bool up)
{
    int cols = vdmp_cols(v);

    if (v->scr.addressed || !up || lines != 1 || top != 0 || left != 0 ||
        bottom != VDM_TEXT_ROWS - 1 || right != cols - 1)
        return;
    vdmp_scroll(v->scr.shadow, cols, top, left, bottom, right, lines, attr, up);
}

/* The program moved the cursor of the active page somewhere teletype
 * output would not have taken it: the stream can no longer follow. */
void vdmp_scr_cursor_moved(vdm_t *v)
{
    if (!v->scr.addressed)
        v->scr.force_redraw = true;
}

static void move_to(vdm_t *v, int row, int col)
{
    char b[32];

    if (v->scr.trow == row && v->scr.tcol == col)
        return;
    snprintf(b, sizeof(b), "\x1b[%d;%dH", row + 1, col + 1);
    emit_str(v, b);
    v->scr.trow = row;
    v->scr.tcol = col;
}

/* SGR for a text attribute: CGA colour order is BGR, ANSI's is RGB. */
static void set_attr(vdm_t *v, uint8_t attr)
{
    static const uint8_t ansi[8] = {0, 4, 2, 6, 1, 5, 3, 7};
    char b[32];
    int fg = attr & 0x0F, bg = attr >> 4 & 7;
    bool hi_bg = (attr & 0x80) && !v->scr.blink;
    bool blink = (attr & 0x80) && v->scr.blink;

    if (v->scr.tattr == attr)
        return;
    snprintf(b, sizeof(b), "\x1b[0;%d;%d%sm", (fg & 8 ? 90 : 30) + ansi[fg & 7],
             (hi_bg ? 100 : 40) + ansi[bg], blink ? ";5" : "");
    emit_str(v, b);
    v->scr.tattr = attr;
}

static void enter_addressed(vdm_t *v)
{
    vdm_screen_t *sc = &v->scr;
    int n = screen_bytes(v);

    /* Clear with grey on black so that the shadow's blanks are true. */
    sc->tattr = -1;
    set_attr(v, 0x07);
    emit_str(v, "\x1b[2J");
    for (int i = 0; i < n; i += 2) {
        sc->shadow[i] = ' ';
        sc->shadow[i + 1] = 0x07;
    }
    sc->trow = sc->tcol = -1;
    sc->addressed = true;
    sc->force_redraw = false;
}

static void draw_cursor(vdm_t *v)
{
    vdm_screen_t *sc = &v->scr;
    int row, col;
    uint16_t shape = bda_rd16(v, BDA_CURSOR_TYPE);
    int hidden = (shape & 0x2000) != 0;

    vdmp_get_cursor(v, bda_rd8(v, BDA_ACTIVE_PAGE), &row, &col);
    if (row >= VDM_TEXT_ROWS || col >= vdmp_cols(v))
        hidden = 1;
    if (hidden != sc->tcursor_hidden) {
        emit_str(v, hidden ? "\x1b[?25l" : "\x1b[?25h");
        sc->tcursor_hidden = hidden;
    }
    if (!hidden)
        move_to(v, row, col);
}

void vdm_render(vdm_t *v)
{
    vdm_screen_t *sc = &v->scr;
    int cols = vdmp_cols(v), n = screen_bytes(v);
    const uint8_t *page = vdmp_page(v, bda_rd8(v, BDA_ACTIVE_PAGE));

    if (page == NULL || !vdmp_text_mode(v)) {
        flush(v);
        return;
    }
    if (!sc->addressed && !sc->force_redraw && memcmp(page, sc->shadow, (size_t)n) == 0) {
        flush(v);
        return;
    }
    if (!sc->addressed || sc->force_redraw)
        enter_addressed(v);
    bool all = sc->redraw_all;
    sc->redraw_all = false;
    if (all)
        sc->tattr = -1;
    for (int i = 0; i < n; i += 2) {
        if (!all && page[i] == sc->shadow[i] && page[i + 1] == sc->shadow[i + 1])
            continue;
        int row = i / 2 / cols, col = i / 2 % cols;
        move_to(v, row, col);
        set_attr(v, page[i + 1]);
        uint8_t ch = page[i];
        emit_glyph(v, ch == 0 || ch == 0xFF ? ' ' : ch);
        sc->shadow[i] = page[i];
        sc->shadow[i + 1] = page[i + 1];
        /* After the last column the terminal's wrap state is unknowable. */
        sc->tcol = col + 1 < cols ? col + 1 : -1;
    }
    draw_cursor(v);
    flush(v);
}

void vdm_finish(vdm_t *v)
{
    vdm_render(v);
    if (v->scr.addressed) {
        emit_str(v, "\x1b[0m\x1b[?25h");
        move_to(v, VDM_TEXT_ROWS - 1, 0);
        emit_str(v, "\r\n");
        v->scr.tattr = -1;
    }
    flush(v);
}
