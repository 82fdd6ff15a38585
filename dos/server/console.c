/*
 * Console I/O: the character calls (AH=01h-0Ch), the CON device under
 * handles, and Ctrl-C detection.
 *
 * DOS's character calls read standard input and write standard output,
 * so they follow redirection: with a file as input, characters come from
 * the file (1Ah, ^Z, once it is exhausted, so a program cannot wait
 * forever) and lines end at CR, LF or CR LF; output goes to the file. CON
 * itself is cooked: tabs expand to the next multiple of 8, input lines
 * are edited with Backspace and Esc, and Ctrl-C stops the call and runs
 * INT 23h. The template keys of DOS's line editor (F1-F6) are ignored.
 *
 * Entry points: dosp_con_write, dosp_con_read_dev, dosp_check_break,
 * dosp_stdin_is_con;
 * do_con_in_echo, do_con_out, do_aux_in, do_aux_out, do_prn_out,
 * do_con_direct, do_con_raw_in, do_con_in, do_print_string,
 * do_buffered_input, do_input_status, do_flush_input.
 */
#include <string.h>

#include "dosp.h"

#define IN_EOF 0x1A /* what a character read gives at the end of a redirected file */

void dosp_con_write(dos_server_t *s, const char *buf, size_t n, bool cooked)
{
    char out[128];
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)buf[i];
        if (o + 8 > sizeof(out)) {
            s->ops.con_write(s->ctx, out, o);
            o = 0;
        }
        if (c == '\t' && cooked) {
            do {
                out[o++] = ' ';
                s->con_col++;
            } while (s->con_col % 8 != 0);
            continue;
        }
        out[o++] = (char)c;
        if (c == '\r')
            s->con_col = 0;
        else if (c == '\b')
            s->con_col = s->con_col > 0 ? s->con_col - 1 : 0;
        else if (c >= ' ')
            s->con_col++;
    }
    if (o > 0)
        s->ops.con_write(s->ctx, out, o);
}

/* Standard output (handle 1), wherever it goes. */
static void out_std(dos_server_t *s, const char *buf, size_t n)
{
    dos_sft_t *f;
    uint8_t *m = s->mem;

    if (dosp_handle(s, 1, &f) != 0)
        return;
    if (f->kind == DOSP_CON) {
        dosp_con_write(s, buf, n, true);
        return;
    }
    /* Through a buffer in the DOS segment: transfers work on VDM memory. */
    uint16_t off = DOSSEG_IOBUF;
    for (size_t done = 0; done < n;) {
        size_t chunk = n - done > 0x100 ? 0x100 : n - done;
        vm_write(m, VDM_DOS_SEG, off, buf + done, chunk);
        if (dosp_sft_write(s, f, vm_lin(VDM_DOS_SEG, off), (uint32_t)chunk) <= 0)
            return;
        done += chunk;
    }
}

static void echo(dos_server_t *s, uint8_t c)
{
    char b[2] = {'^', (char)(c + '@')};

    /* Control characters echo as ^X, except the ones that move the cursor. */
    if (c < ' ' && c != '\t' && c != '\r' && c != '\n' && c != 7 && c != 8)
        out_std(s, b, 2);
    else
        out_std(s, (const char *)&c, 1);
}

bool dosp_stdin_is_con(dos_server_t *s)
{
    dos_sft_t *f;
    return dosp_handle(s, 0, &f) != 0 || f->kind == DOSP_CON;
}

/*
 * One byte of standard input: the byte, or DOSP_RD_BREAK (Ctrl-C from the
 * console, when brk), or DOSP_RD_NOINPUT (the console's input has ended).
 */
static int in_std(dos_server_t *s, bool brk)
{
    dos_sft_t *f;
    uint16_t off = DOSSEG_INBYTE;

    if (dosp_handle(s, 0, &f) != 0 || f->kind == DOSP_CON) {
        int c = s->ops.con_read(s->ctx);
        if (c < 0)
            return DOSP_RD_NOINPUT;
        if (c == 3 && brk)
            return DOSP_RD_BREAK;
        return c;
    }
    int32_t got = dosp_sft_read(s, f, vm_lin(VDM_DOS_SEG, off), 1);
    if (got == DOSP_RD_BREAK || got == DOSP_RD_NOINPUT)
        return got;
    return got == 1 ? vm_rd8(s->mem, VDM_DOS_SEG, off) : IN_EOF;
}

/* True when Ctrl-C is waiting at the console; it is taken. */
int dosp_check_break(dos_server_t *s)
{
    if (s->ops.con_break != NULL)
        return s->ops.con_break(s->ctx) == 1;
    if (s->ops.con_peek(s->ctx) != 3)
        return 0;
    s->ops.con_read(s->ctx);
    return 1;
}

static int char_result(dos_regs_t *r, int c)
{
    if (c == DOSP_RD_BREAK)
        return DOSP_BREAK;
    if (c == DOSP_RD_NOINPUT)
        return DOS_CALL_NOINPUT;
    r->al = (uint8_t)c;
    return DOS_CALL_DONE;
}

int do_con_in_echo(dos_server_t *s, dos_regs_t *r)
{
    int c = in_std(s, true);

    if (c >= 0)
        echo(s, (uint8_t)c);
    return char_result(r, c);
}

int do_con_raw_in(dos_server_t *s, dos_regs_t *r)
{
    return char_result(r, in_std(s, false));
}

int do_con_in(dos_server_t *s, dos_regs_t *r)
{
    return char_result(r, in_std(s, true));
}

int do_con_out(dos_server_t *s, dos_regs_t *r)
{
    char c = (char)r->dl;

    out_std(s, &c, 1);
    r->al = r->dl;
    return DOS_CALL_DONE;
}

int do_con_direct(dos_server_t *s, dos_regs_t *r)
{
    if (r->dl != 0xFF) {
        char c = (char)r->dl;
        out_std(s, &c, 1);
        r->al = r->dl;
        return DOS_CALL_DONE;
    }
    if (dosp_stdin_is_con(s) && s->ops.con_peek(s->ctx) < 0) {
        r->al = 0;
        r->flags |= DOS_FLAG_ZF;
        return DOS_CALL_DONE;
    }
    int c = in_std(s, false);
    if (c == DOSP_RD_NOINPUT || (c == IN_EOF && !dosp_stdin_is_con(s))) {
        r->al = 0;
        r->flags |= DOS_FLAG_ZF;
        return DOS_CALL_DONE;
    }
    r->flags &= ~DOS_FLAG_ZF;
    return char_result(r, c);
}

int do_print_string(dos_server_t *s, dos_regs_t *r)
{
    char buf[128];
    size_t n = 0;

    for (uint32_t i = 0; i < 0x10000; i++) {
        char c = (char)vm_rd8(s->mem, r->ds, (uint16_t)(r->dx + i));
        if (c == '$')
            break;
        buf[n++] = c;
        if (n == sizeof(buf)) {
            out_std(s, buf, n);
            n = 0;
        }
    }
    out_std(s, buf, n);
    r->al = '$';
    return DOS_CALL_DONE;
}

int do_aux_in(dos_server_t *s, dos_regs_t *r)
{
    int c = s->ops.aux_read != NULL ? s->ops.aux_read(s->ctx) : -1;

    if (s->ops.aux_read == NULL)
        dosp_logf(s, 0x2103, "INT 21h AH=03h: there is no auxiliary device; returning ^Z");
    r->al = c < 0 ? IN_EOF : (uint8_t)c;
    return DOS_CALL_DONE;
}

static int dev_out(dos_server_t *s, dos_regs_t *r, int (*fn)(void *, const char *, size_t),
                   const char *dev)
{
    char c = (char)r->dl;

    if (fn == NULL || fn(s->ctx, &c, 1) < 0)
        dosp_logf(s, 0x2100u | r->ah, "INT 21h AH=%02Xh: there is no %s device; output dropped",
                  r->ah, dev);
    return DOS_CALL_DONE;
}

int do_aux_out(dos_server_t *s, dos_regs_t *r)
{
    return dev_out(s, r, s->ops.aux_write, "auxiliary");
}

int do_prn_out(dos_server_t *s, dos_regs_t *r)
{
    return dev_out(s, r, s->ops.prn_write, "printer");
}

int do_input_status(dos_server_t *s, dos_regs_t *r)
{
    dos_sft_t *f;

    if (dosp_stdin_is_con(s)) {
        r->al = s->ops.con_peek(s->ctx) >= 0 ? 0xFF : 0x00;
        return DOS_CALL_DONE;
    }
    dosp_handle(s, 0, &f);
    if (f->kind != DOSP_FILE) {
        r->al = f->kind == DOSP_NUL ? 0x00 : 0xFF;
        return DOS_CALL_DONE;
    }
    /* A file has input until a read comes back empty: peek one byte. */
    uint16_t off = DOSSEG_INBYTE;
    uint32_t pos = f->pos;
    int32_t got = dosp_sft_read(s, f, vm_lin(VDM_DOS_SEG, off), 1);
    if (got == 1 && (f->flags & DOSP_SFT_STREAM))
        f->peeked = vm_rd8(s->mem, VDM_DOS_SEG, off); /* a pipe cannot be rewound */
    f->pos = pos;
    r->al = got == 1 ? 0xFF : 0x00;
    return DOS_CALL_DONE;
}

/*
 * Reads an edited line of at most max-1 characters and its CR into buf.
 * Returns 0 with *len (without the CR), DOSP_BREAK or DOS_CALL_NOINPUT.
 */
static int read_line(dos_server_t *s, uint8_t *buf, unsigned max, unsigned *len)
{
    bool con = dosp_stdin_is_con(s);
    unsigned n = 0;

    /* Input that never ends a line (a pipe of zeros) must not hold the
     * VDM forever: after 64 KiB the line ends anyway. */
    for (uint32_t budget = 0x10000;; budget--) {
        int c = budget == 0 ? '\r' : in_std(s, true);
        if (c == DOSP_RD_BREAK)
            return DOSP_BREAK;
        if (c == DOSP_RD_NOINPUT) {
            if (n == 0)
                return DOS_CALL_NOINPUT;
            c = '\r';
        }
        if (!con && c == IN_EOF)
            c = '\r';
        if (!con && c == '\n' && s->after_cr && n == 0) {
            s->after_cr = false;
            continue;
        }
        s->after_cr = false;
        if (c == 0 && con) {
            in_std(s, false); /* an extended key's scan code: no template editing */
            continue;
        }
        if (c == '\r' || (c == '\n' && !con)) {
            s->after_cr = c == '\r';
            buf[n] = '\r';
            *len = n;
            echo(s, '\r');
            return 0;
        }
        if (c == '\n') {
            out_std(s, "\r\n", 2); /* ^J: a new line on screen, the same input line */
            continue;
        }
        if (c == 8 || c == 0x7F) {
            if (n > 0) {
                n--;
                out_std(s, buf[n] < ' ' ? "\b\b  \b\b" : "\b \b", buf[n] < ' ' ? 6 : 3);
            }
            continue;
        }
        if (c == 0x1B && con) {
            out_std(s, "\\\r\n", 3);
            n = 0;
            continue;
        }
        if (n + 1 < max) {
            buf[n++] = (uint8_t)c;
            echo(s, (uint8_t)c);
        } else {
            out_std(s, "\a", 1);
        }
    }
}

int do_buffered_input(dos_server_t *s, dos_regs_t *r)
{
    uint8_t buf[256];
    unsigned len;
    uint8_t max = vm_rd8(s->mem, r->ds, r->dx);

    if (max == 0)
        return DOS_CALL_DONE;
    int rc = read_line(s, buf, max, &len);
    if (rc != 0)
        return rc;
    vm_wr8(s->mem, r->ds, (uint16_t)(r->dx + 1), (uint8_t)len);
    vm_write(s->mem, r->ds, (uint16_t)(r->dx + 2), buf, len + 1);
    return DOS_CALL_DONE;
}

int do_flush_input(dos_server_t *s, dos_regs_t *r)
{
    if (dosp_stdin_is_con(s))
        for (int i = 0; i < 4096 && s->ops.con_peek(s->ctx) >= 0; i++)
            s->ops.con_read(s->ctx);
    s->line_len = s->line_pos = 0;
    switch (r->al) {
    case 0x01:
    case 0x06:
    case 0x07:
    case 0x08:
    case 0x0A:
        r->ah = r->al;
        return dosp_call21(s, r);
    default:
        r->al = 0;
        return DOS_CALL_DONE;
    }
}

/*
 * Reading CON through a handle. Cooked: whole edited lines, CR LF at the
 * end, kept between calls until taken; a line that starts with ^Z reads
 * as the end of input. Raw: the bytes as typed.
 */
int dosp_con_read_dev(dos_server_t *s, dos_sft_t *f, uint32_t lin, uint32_t n, int32_t *got)
{
    *got = 0;
    if (f->flags & DOSP_SFT_RAW) {
        for (; (uint32_t)*got < n; (*got)++) {
            int c = s->ops.con_read(s->ctx);
            if (c < 0)
                return *got > 0 ? 0 : DOSP_RD_NOINPUT;
            s->mem[(lin + (uint32_t)*got) & VDM_ADDR_MASK] = (uint8_t)c;
        }
        return 0;
    }
    if (s->line_pos >= s->line_len) {
        unsigned len;
        int rc = read_line(s, s->line, 128, &len);
        if (rc == DOSP_BREAK)
            return DOSP_RD_BREAK;
        if (rc != 0)
            return DOSP_RD_NOINPUT;
        out_std(s, "\n", 1);
        s->line[len + 1] = '\n';
        s->line_len = (uint16_t)(len + 2);
        s->line_pos = 0;
        if (len > 0 && s->line[0] == 0x1A) {
            s->line_len = 0;
            return 0;
        }
    }
    while ((uint32_t)*got < n && s->line_pos < s->line_len)
        s->mem[(lin + (uint32_t)(*got)++) & VDM_ADDR_MASK] = s->line[s->line_pos++];
    return 0;
}
