/*
 * dos-unit-vdm: the VDM core with a fake embedder: teletype output as a
 * plain stream, the switch to a cursor-addressed screen when a program
 * writes video memory, colours and code page 437 on the terminal, BIOS
 * calls run by small real-mode programs (INT 10h, 16h, 1Ah), host calls
 * passed to dos_call, and the run budget and stop request.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <dos/vdm.h>
#include <dos/vmem.h>

static uint8_t mem[VDM_MEM_SIZE];
static vdm_t vdm;
static char out[16384];
static size_t outlen;
static int keys[8];
static int nkeys, key_at;
static int dos_calls;
static uint8_t last_vector;

static int fake_dos(void *ctx, vdm_t *v, uint8_t vector, dos_regs_t *r)
{
    (void)ctx;
    (void)v;
    dos_calls++;
    last_vector = vector;
    if (vector == 0x20) {
        r->ax = 0x0042;
        return DOS_CALL_EXIT;
    }
    r->ax = 0x1234;
    return DOS_CALL_DONE;
}

static void fake_term(void *ctx, const char *buf, size_t n)
{
    (void)ctx;
    if (outlen + n < sizeof(out)) {
        memcpy(out + outlen, buf, n);
        outlen += n;
        out[outlen] = 0;
    }
}

static int fake_key(void *ctx, bool wait)
{
    (void)ctx;
    if (key_at < nkeys)
        return keys[key_at++];
    return wait ? VDM_KEY_EOF : VDM_KEY_NONE;
}

static void fake_clock(void *ctx, dos_clock_t *c)
{
    (void)ctx;
    c->year = 2024;
    c->month = 2;
    c->day = 29;
    c->ms = 12u * 3600 * 1000; /* noon */
}

static const vdm_host_t host = {fake_dos, fake_term, fake_key, fake_clock, NULL, NULL};

static int setup(void **state)
{
    uint8_t stub[] = {0x0F, 0xFF, 0x21, 0xCF};

    (void)state;
    outlen = 0;
    out[0] = 0;
    nkeys = key_at = 0;
    dos_calls = 0;
    assert_int_equal(vdm_init(&vdm, mem, sizeof(mem), &host, NULL), 0);
    vdm.timer_enabled = false;
    /* DOS's stubs are the server's business; put two in for the tests. */
    memcpy(mem + 0x700, stub, sizeof(stub));
    stub[2] = 0x20;
    memcpy(mem + 0x704, stub, sizeof(stub));
    vm_wr32(mem, 0, 0x21 * 4, 0x00700000);
    vm_wr32(mem, 0, 0x20 * 4, 0x00700004);
    return 0;
}

/* Runs code at 1000:0000 with a stack at 2000:1000 until it ends. */
static int run_code(const uint8_t *code, size_t n)
{
    dos_regs_t r;

    memcpy(mem + 0x10000, code, n);
    memset(&r, 0, sizeof(r));
    r.cs = 0x1000;
    r.ss = 0x2000;
    r.sp = 0x1000;
    r.ds = r.es = 0x1000;
    r.flags = 0x0202;
    vdm_set_regs(&vdm, &r);
    return vdm_run(&vdm, 100000);
}

static void text_streams_as_written(void **state)
{
    (void)state;
    vdm_tty_write(&vdm, "ab\r\ncd\a", 7);
    vdm_render(&vdm);
    assert_string_equal(out, "ab\r\ncd\a");
    dos_regs_t r;
    vdm_get_regs(&vdm, &r);
    assert_int_equal(vm_rd16(mem, 0x40, 0x50), 0x0102); /* row 1, column 2 */
    assert_int_equal(mem[0xB8000 + 160], 'c');
}

static void stream_wraps_at_80_columns_and_scrolls(void **state)
{
    char line[81];

    (void)state;
    memset(line, 'x', 80);
    vdm_tty_write(&vdm, line, 80);
    vdm_render(&vdm);
    /* The terminal may be wider: the VDM ends the line where the BIOS does. */
    assert_int_equal(outlen, 82);
    assert_memory_equal(out + 80, "\r\n", 2);
    outlen = 0;
    for (int i = 0; i < 30; i++)
        vdm_tty_write(&vdm, "line\r\n", 6);
    vdm_render(&vdm);
    /* Scrolling keeps the stream: no escape sequences. */
    assert_null(memchr(out, 0x1b, outlen));
    assert_int_equal(vm_rd16(mem, 0x40, 0x50), 0x1800);
}

static void poke_switches_to_addressed_screen(void **state)
{
    (void)state;
    vdm_tty_write(&vdm, "hi", 2);
    mem[0xB8000 + 2 * (80 + 3)] = 0xC9; /* row 1, column 3: a box corner */
    mem[0xB8000 + 2 * (80 + 3) + 1] = 0x1E;
    vdm_render(&vdm);
    assert_string_equal(out, "hi"
                             "\x1b[0;37;40m\x1b[2J"
                             "\x1b[1;1Hhi"
                             "\x1b[2;4H\x1b[0;93;44m\xe2\x95\x94"
                             "\x1b[?25h\x1b[1;3H");
    /* Nothing changed: nothing to send. */
    outlen = 0;
    vdm_render(&vdm);
    assert_int_equal(outlen, 0);
}

static void blink_and_bright_backgrounds(void **state)
{
    static const uint8_t code[] = {
        0xB8, 0x03, 0x10, /* mov ax, 1003h */
        0xB3, 0x00,       /* mov bl, 0: bright backgrounds */
        0xCD, 0x10,       /* int 10h */
        0xCD, 0x20,       /* int 20h */
    };
    (void)state;
    mem[0xB8000] = 'A';
    mem[0xB8001] = 0x9C; /* blinking light red on blue */
    vdm_render(&vdm);
    assert_non_null(strstr(out, "\x1b[0;91;44;5mA"));
    assert_int_equal(run_code(code, sizeof(code)), VDM_EXITED);
    mem[0xB8000] = 'B';
    outlen = 0;
    vdm_render(&vdm);
    assert_non_null(strstr(out, "\x1b[0;91;104mB"));
}

static void hidden_cursor(void **state)
{
    (void)state;
    mem[0xB8000] = 'x';
    vm_wr16(mem, 0x40, 0x60, 0x2000);
    vdm_render(&vdm);
    assert_non_null(strstr(out, "\x1b[?25l"));
    assert_null(strstr(out, "\x1b[?25h"));
}

static void int10_scroll_and_write(void **state)
{
    static const uint8_t code[] = {
        0xB8, 0x01, 0x06, /* mov ax, 0601h: scroll up one line */
        0xB7, 0x4F,       /* mov bh, 4Fh */
        0xB9, 0x00, 0x00, /* mov cx, 0000h */
        0xBA, 0x4F, 0x18, /* mov dx, 184Fh */
        0xCD, 0x10,       /* int 10h */
        0xB4, 0x02,       /* mov ah, 2 */
        0xB7, 0x00,       /* mov bh, 0 */
        0xBA, 0x05, 0x02, /* mov dx, 0205h: row 2, column 5 */
        0xCD, 0x10,       /* int 10h */
        0xB8, 0x2A, 0x09, /* mov ax, 092Ah: '*' */
        0xB3, 0x2E,       /* mov bl, 2Eh */
        0xB9, 0x03, 0x00, /* mov cx, 3 */
        0xCD, 0x10,       /* int 10h */
        0xCD, 0x20,       /* int 20h */
    };
    (void)state;
    assert_int_equal(run_code(code, sizeof(code)), VDM_EXITED);
    assert_int_equal(mem[0xB8000 + 24 * 160 + 1], 0x4F); /* the new line's attribute */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(mem[0xB8000 + 2 * (2 * 80 + 5 + i)], '*');
        assert_int_equal(mem[0xB8000 + 2 * (2 * 80 + 5 + i) + 1], 0x2E);
    }
    assert_int_equal(mem[0xB8000 + 2 * (2 * 80 + 8)], ' ');
    assert_non_null(strstr(out, "\x1b[3;6H\x1b[0;93;42m***"));
    assert_int_equal(vdm.exit_code, 0x42);
}

static void int16_reads_the_queue(void **state)
{
    static const uint8_t code[] = {
        0xB4, 0x01, /* mov ah, 1: peek */
        0xCD, 0x16, /* int 16h */
        0x89, 0xC3, /* mov bx, ax */
        0xB4, 0x00, /* mov ah, 0: read */
        0xCD, 0x16, /* int 16h */
        0x89, 0xC1, /* mov cx, ax */
        0xB4, 0x00, /* mov ah, 0 */
        0xCD, 0x16, /* int 16h */
        0x89, 0xC2, /* mov dx, ax */
        0xB4, 0x01, /* mov ah, 1 */
        0xCD, 0x16, /* int 16h: empty now */
        0x9C,       /* pushf */
        0x5E,       /* pop si */
        0xF4,       /* hlt: with IF clear nothing wakes it */
    };
    dos_regs_t r;

    (void)state;
    keys[0] = 0x1E61;
    keys[1] = 0x4800; /* up arrow */
    nkeys = 2;
    memcpy(mem + 0x10000, code, sizeof(code));
    memset(&r, 0, sizeof(r));
    r.cs = 0x1000;
    r.ss = 0x2000;
    r.sp = 0x1000;
    r.flags = 0x0002;
    vdm_set_regs(&vdm, &r);
    assert_int_equal(vdm_run(&vdm, 100000), VDM_HALTED);
    vdm_get_regs(&vdm, &r);
    assert_int_equal(r.bx, 0x1E61);
    assert_int_equal(r.cx, 0x1E61);
    assert_int_equal(r.dx, 0x4800);
    assert_true(r.si & 0x40); /* ZF: no key */
    assert_non_null(strstr(vdm.why, "HLT"));
}

static void int16_waits_and_input_ends(void **state)
{
    static const uint8_t code[] = {0xB4, 0x00, 0xCD, 0x16, 0xCD, 0x20};

    (void)state;
    assert_int_equal(run_code(code, sizeof(code)), VDM_INPUT_ENDED);
}

static void int1a_ticks_and_clock(void **state)
{
    static const uint8_t code[] = {
        0xB4, 0x00, 0xCD, 0x1A, /* ticks in CX:DX */
        0x89, 0xCE,             /* mov si, cx */
        0x89, 0xD7,             /* mov di, dx */
        0xB4, 0x04, 0xCD, 0x1A, /* date in BCD */
        0x89, 0xCD,             /* mov bp, cx */
        0x89, 0xD3,             /* mov bx, dx */
        0xB4, 0x02, 0xCD, 0x1A, /* time in BCD */
        0xF4,                   /* hlt */
    };
    dos_regs_t r;

    (void)state;
    memcpy(mem + 0x10000, code, sizeof(code));
    memset(&r, 0, sizeof(r));
    r.cs = 0x1000;
    r.ss = 0x2000;
    r.sp = 0x1000;
    vdm_set_regs(&vdm, &r);
    vdm_run(&vdm, 100000);
    vdm_get_regs(&vdm, &r);
    /* Noon is half a day: 0x1800B0 / 2 ticks. */
    assert_int_equal((uint32_t)r.si << 16 | r.di, 0x1800B0 / 2);
    assert_int_equal(r.bp, 0x2024);
    assert_int_equal(r.bx, 0x0229);
    assert_int_equal(r.ch, 0x12);
    assert_int_equal(r.cl, 0x00);
}

static void dos_vectors_go_to_the_embedder(void **state)
{
    static const uint8_t code[] = {
        0xB8, 0x00, 0x09, /* mov ax, 0900h */
        0xCD, 0x21,       /* int 21h: the fake DOS puts 1234h in AX */
        0x89, 0xC3,       /* mov bx, ax */
        0xCD, 0x20,       /* int 20h: the fake DOS ends the program */
    };
    (void)state;
    assert_int_equal(run_code(code, sizeof(code)), VDM_EXITED);
    assert_int_equal(dos_calls, 2);
    assert_int_equal(last_vector, 0x20);
    assert_int_equal(vdm.cpu.bx, 0x1234);
    assert_int_equal(vdm.cpu.sp, 0x1000); /* the interrupt frame was popped */
}

static void budget_and_stop(void **state)
{
    static const uint8_t code[] = {0xEB, 0xFE}; /* jmp $ */

    (void)state;
    memcpy(mem + 0x10000, code, sizeof(code));
    dos_regs_t r;
    memset(&r, 0, sizeof(r));
    r.cs = 0x1000;
    r.ss = 0x2000;
    r.sp = 0x1000;
    vdm_set_regs(&vdm, &r);
    assert_int_equal(vdm_run(&vdm, 50000), VDM_RUNNING);
    vdm_stop(&vdm);
    assert_int_equal(vdm_run(&vdm, 50000), VDM_STOPPED);
    assert_int_equal(vdm_run(&vdm, 10), VDM_RUNNING);
}

static void invalid_opcode_halts(void **state)
{
    static const uint8_t code[] = {0x90, 0x0F, 0x0B};

    (void)state;
    assert_int_equal(run_code(code, sizeof(code)), VDM_HALTED);
    assert_string_equal(vdm.why, "invalid opcode 0F 0B 00 00 at 1000:0001");
}

/* CON reads keys as bytes: an extended key is 00h, then its scan code. */
static void con_bytes_and_pushed_keys(void **state)
{
    (void)state;
    keys[0] = 0x4800; /* up arrow */
    keys[1] = 0x1E61;
    nkeys = 2;
    assert_int_equal(vdm_con_peek(&vdm), 0);
    assert_int_equal(vdm_con_read(&vdm), 0);
    assert_int_equal(vdm_con_peek(&vdm), 0x48);
    assert_int_equal(vdm_con_read(&vdm), 0x48);
    assert_int_equal(vdm_con_read(&vdm), 'a');
    assert_true(vdm_kbd_push(&vdm, 0x2E03));
    assert_int_equal(vdm_con_read(&vdm), 3);
    assert_int_equal(vdm_con_peek(&vdm), -1);
    assert_int_equal(vdm_con_read(&vdm), -1); /* input has ended */
    for (int i = 0; i < 15; i++)
        assert_true(vdm_kbd_push(&vdm, 0x1E61));
    assert_false(vdm_kbd_push(&vdm, 0x1E61)); /* 16 words hold 15 keys */
}

/* On demand, a running program takes no key it does not ask for, and a
 * look at the keyboard takes one. */
static void keys_on_demand(void **state)
{
    static const uint8_t spin[] = {0xEB, 0xFE}; /* jmp $ */
    static const uint8_t peek[] = {
        0xB4, 0x01, /* mov ah, 1 */
        0xCD, 0x16, /* int 16h */
        0xCD, 0x20, /* int 20h */
    };

    (void)state;
    vdm.kbd_on_demand = true;
    keys[0] = 0x1E61;
    keys[1] = 0x3062;
    nkeys = 2;
    assert_int_equal(run_code(spin, sizeof(spin)), VDM_RUNNING);
    assert_int_equal(key_at, 0);
    assert_int_equal(run_code(peek, sizeof(peek)), VDM_EXITED);
    assert_int_equal(key_at, 1);
    assert_int_equal(vdm_con_read(&vdm), 'a');
    assert_int_equal(vdm_con_read(&vdm), 'b');
    assert_int_equal(key_at, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(text_streams_as_written, setup),
        cmocka_unit_test_setup(stream_wraps_at_80_columns_and_scrolls, setup),
        cmocka_unit_test_setup(poke_switches_to_addressed_screen, setup),
        cmocka_unit_test_setup(blink_and_bright_backgrounds, setup),
        cmocka_unit_test_setup(hidden_cursor, setup),
        cmocka_unit_test_setup(int10_scroll_and_write, setup),
        cmocka_unit_test_setup(int16_reads_the_queue, setup),
        cmocka_unit_test_setup(int16_waits_and_input_ends, setup),
        cmocka_unit_test_setup(int1a_ticks_and_clock, setup),
        cmocka_unit_test_setup(dos_vectors_go_to_the_embedder, setup),
        cmocka_unit_test_setup(budget_and_stop, setup),
        cmocka_unit_test_setup(con_bytes_and_pushed_keys, setup),
        cmocka_unit_test_setup(keys_on_demand, setup),
        cmocka_unit_test_setup(invalid_opcode_halts, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
