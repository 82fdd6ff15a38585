/*
 * dos-unit-keys: the terminal-to-BIOS-key decoder of <dos/keys.h> on
 * byte strings: plain and control characters, escape sequences whole,
 * cut and unknown, UTF-8 through code page 437, and a pipe's line ends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <dos/keys.h>

static dos_keydec_t d;

static void feed(const char *s)
{
    size_t n = strlen(s);
    memcpy(d.buf + d.len, s, n);
    d.len += n;
}

static int next_tty(bool more)
{
    return dos_keys_next(&d, true, more);
}

static void plain_and_control(void **state)
{
    (void)state;
    memset(&d, 0, sizeof(d));
    feed("aZ \r\x03\x7f\t1");
    assert_int_equal(next_tty(true), 0x1E61);
    assert_int_equal(next_tty(true), 0x2C5A);
    assert_int_equal(next_tty(true), 0x3920);
    assert_int_equal(next_tty(true), 0x1C0D);
    assert_int_equal(next_tty(true), 0x2E03); /* Ctrl-C: what DOS's ^C check looks for */
    assert_int_equal(next_tty(true), 0x0E08);
    assert_int_equal(next_tty(true), 0x0F09);
    assert_int_equal(next_tty(true), 0x0231);
    assert_int_equal(next_tty(true), DOS_KEYS_EMPTY);
}

static void escape_sequences(void **state)
{
    (void)state;
    memset(&d, 0, sizeof(d));
    /* Whole sequences are keys at once, without waiting. */
    feed("\x1b[A\x1b[1;5D\x1bOP\x1b[15~\x1b[24~\x1b[3~\x1b[H");
    assert_int_equal(next_tty(true), 0x4800);
    assert_int_equal(next_tty(true), 0x4B00);
    assert_int_equal(next_tty(true), 0x3B00);
    assert_int_equal(next_tty(true), 0x3F00);
    assert_int_equal(next_tty(true), 0x8600);
    assert_int_equal(next_tty(true), 0x5300);
    assert_int_equal(next_tty(true), 0x4700);
    assert_int_equal(next_tty(true), DOS_KEYS_EMPTY);
}

static void cut_and_unknown_escapes(void **state)
{
    (void)state;
    memset(&d, 0, sizeof(d));
    feed("\x1b");
    assert_int_equal(next_tty(true), DOS_KEYS_PARTIAL);
    assert_int_equal(next_tty(false), 0x011B); /* nothing followed: the Esc key */
    feed("\x1b[1");
    assert_int_equal(next_tty(true), DOS_KEYS_PARTIAL);
    feed("~");
    assert_int_equal(next_tty(true), 0x4700);
    feed("\x1b[");
    assert_int_equal(next_tty(false), 0x011B);
    assert_int_equal(next_tty(false), 0x1A5B);
    feed("\x1bx\x1b[99~");
    assert_int_equal(next_tty(true), 0x011B); /* Alt-x style: Esc, then x */
    assert_int_equal(next_tty(true), 0x2D78);
    assert_int_equal(next_tty(true), 0x011B); /* a number no key has */
    assert_int_equal(next_tty(true), 0x1A5B);
}

static void utf8_through_cp437(void **state)
{
    (void)state;
    memset(&d, 0, sizeof(d));
    feed("\xc3\xa9\xe2\x95\x94");
    assert_int_equal(next_tty(true), 0x0082); /* e acute */
    assert_int_equal(next_tty(true), 0x00C9); /* box drawing double down and right */
    feed("\xe2\x82\xac"
         "b"); /* the euro sign is not in code page 437: dropped */
    assert_int_equal(next_tty(true), 0x3062);
    feed("\xc3");
    assert_int_equal(next_tty(true), DOS_KEYS_PARTIAL);
    assert_int_equal(next_tty(false), DOS_KEYS_EMPTY);
}

static void pipe_line_ends(void **state)
{
    (void)state;
    memset(&d, 0, sizeof(d));
    feed("a\r\nb\n\r\r\x1b[A");
    assert_int_equal(dos_keys_next(&d, false, true), 0x1E61);
    assert_int_equal(dos_keys_next(&d, false, true), 0x1C0D);
    assert_int_equal(dos_keys_next(&d, false, true), 0x3062); /* the LF of CR LF vanished */
    assert_int_equal(dos_keys_next(&d, false, true), 0x1C0D);
    assert_int_equal(dos_keys_next(&d, false, true), 0x1C0D);
    assert_int_equal(dos_keys_next(&d, false, true), 0x1C0D);
    assert_int_equal(dos_keys_next(&d, false, true), 0x011B); /* no escape sequences in a pipe */
    assert_int_equal(dos_keys_next(&d, false, true), 0x1A5B);
    assert_int_equal(dos_keys_next(&d, false, true), 0x1E41);
    assert_int_equal(dos_keys_next(&d, false, true), DOS_KEYS_EMPTY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_and_control),       cmocka_unit_test(escape_sequences),
        cmocka_unit_test(cut_and_unknown_escapes), cmocka_unit_test(utf8_through_cp437),
        cmocka_unit_test(pipe_line_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
