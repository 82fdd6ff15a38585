/*
 * The line discipline: cooked-mode editing with echo (backspace, Ctrl-U,
 * left/right arrows, history on up/down), Ctrl-C and Ctrl-D, raw mode
 * (where Ctrl-C interrupts only with CON_MODE_ISIG), and
 * the pipe mode used when the host side of the serial line is a pipe
 * (`./persona run`): there nothing is echoed or translated, a line ends at
 * '\n', and byte 0x04 marks the end of the host's input.
 */
#include "console_internal.h"
#include <string.h>

void con_output(const char *s, size_t n, bool translate)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' && translate) {
            uart_putc('\r');
            vga_put('\r');
        }
        uart_putc(s[i]);
        vga_put((uint8_t)s[i]);
    }
    vga_cursor();
}

/* Cooked mode without CON_MODE_ECHO edits unseen (a password). */
static void echo(const char *s, size_t n)
{
    if (!(con.mode & CON_MODE_PIPE) && (con.mode & CON_MODE_ECHO))
        con_output(s, n, true);
}

static void queue_bytes(const char *s, size_t n)
{
    for (size_t i = 0; i < n && con.qlen < INPUT_QUEUE; i++) {
        con.queue[(con.qhead + con.qlen) % INPUT_QUEUE] = (uint8_t)s[i];
        con.qlen++;
    }
}

/* Redraws the line from the cursor to its end, then puts the cursor back. */
static void redraw_tail(size_t erase_extra)
{
    echo(con.line + con.cursor, con.len - con.cursor);
    for (size_t i = 0; i < erase_extra; i++)
        echo(" ", 1);
    for (size_t i = con.cursor; i < con.len + erase_extra; i++)
        echo("\b", 1);
}

static void replace_line(const char *text)
{
    while (con.cursor > 0) {
        echo("\b", 1);
        con.cursor--;
    }
    size_t old = con.len;
    con.len = strlcpy(con.line, text, sizeof(con.line));
    if (con.len >= sizeof(con.line))
        con.len = sizeof(con.line) - 1;
    echo(con.line, con.len);
    con.cursor = con.len;
    for (size_t i = con.len; i < old; i++)
        echo(" ", 1);
    for (size_t i = con.len; i < old; i++)
        echo("\b", 1);
}

static void finish_line(void)
{
    con.line[con.len] = 0;
    if (con.len && !(con.mode & CON_MODE_PIPE) && (con.mode & CON_MODE_ECHO)) {
        if (con.nhistory == HISTORY) {
            memmove(con.history[0], con.history[1], sizeof(con.history[0]) * (HISTORY - 1));
            con.nhistory--;
        }
        strlcpy(con.history[con.nhistory++], con.line, LINE_MAX_LEN);
    }
    con.hpos = con.nhistory;
    echo("\n", 1);
    queue_bytes(con.line, con.len);
    queue_bytes("\n", 1);
    con.len = con.cursor = 0;
}

static void insert_char(char c)
{
    if (con.len + 1 >= sizeof(con.line))
        return;
    memmove(con.line + con.cursor + 1, con.line + con.cursor, con.len - con.cursor);
    con.line[con.cursor++] = c;
    con.len++;
    echo(&c, 1);
    if (con.cursor < con.len)
        redraw_tail(0);
}

static void backspace(void)
{
    if (!con.cursor)
        return;
    memmove(con.line + con.cursor - 1, con.line + con.cursor, con.len - con.cursor);
    con.cursor--;
    con.len--;
    echo("\b", 1);
    redraw_tail(1);
}

static void escape_key(uint8_t b)
{
    switch (b) {
    case 'A': /* up: older history */
        if (con.hpos > 0)
            replace_line(con.history[--con.hpos]);
        break;
    case 'B': /* down: newer history */
        if (con.hpos < con.nhistory - 1)
            replace_line(con.history[++con.hpos]);
        else if (con.hpos < con.nhistory) {
            con.hpos = con.nhistory;
            replace_line("");
        }
        break;
    case 'C': /* right */
        if (con.cursor < con.len)
            echo(&con.line[con.cursor++], 1);
        break;
    case 'D': /* left */
        if (con.cursor > 0) {
            con.cursor--;
            echo("\b", 1);
        }
        break;
    default:
        break;
    }
}

static void pipe_byte(uint8_t b)
{
    if (b == 0x04) {
        if (con.len)
            queue_bytes(con.line, con.len);
        con.len = 0;
        con.eof_pending = true;
        return;
    }
    if (con.len + 1 >= sizeof(con.line)) {
        queue_bytes(con.line, con.len);
        con.len = 0;
    }
    con.line[con.len++] = (char)b;
    if (b == '\n') {
        queue_bytes(con.line, con.len);
        con.len = 0;
    }
}

void con_release_line(void)
{
    queue_bytes(con.line, con.len);
    con.len = con.cursor = 0;
    con.esc = 0;
}

void con_input_byte(uint8_t b)
{
    if (con.mode & CON_MODE_PIPE) {
        pipe_byte(b);
        return;
    }
    if (con.mode & CON_MODE_RAW) {
        char c = (char)b;
        if (b == 0x03 && (con.mode & CON_MODE_ISIG)) {
            if (con.mode & CON_MODE_ECHO)
                echo("^C", 2);
            con_interrupt();
            return;
        }
        queue_bytes(&c, 1);
        if (con.mode & CON_MODE_ECHO)
            echo(&c, 1);
        return;
    }
    if (con.esc == 1) {
        con.esc = b == '[' || b == 'O' ? 2 : 0;
        return;
    }
    if (con.esc == 2) {
        if (b >= '0' && b <= '9')
            return; /* parameters, e.g. ESC [ 3 ~ */
        con.esc = 0;
        escape_key(b);
        return;
    }
    switch (b) {
    case 0x1b:
        con.esc = 1;
        break;
    case '\r':
    case '\n':
        finish_line();
        break;
    case 0x7f:
    case 0x08:
        backspace();
        break;
    case 0x15: /* Ctrl-U: the whole line goes */
        con.cursor = con.len;
        while (con.len)
            backspace(), con.cursor = con.len;
        break;
    case 0x03: /* Ctrl-C */
        echo("^C\n", 3);
        con.len = con.cursor = 0;
        con_interrupt();
        break;
    case 0x04: /* Ctrl-D: end of file at the start of a line, else send it */
        if (con.len == 0)
            con.eof_pending = true;
        else {
            queue_bytes(con.line, con.len);
            con.len = con.cursor = 0;
        }
        break;
    default:
        if (b >= 0x20 && b < 0x7f)
            insert_char((char)b);
        break;
    }
}
