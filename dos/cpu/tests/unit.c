/*
 * cpu86-unit: behaviour of the cpu86 API that single-instruction vectors
 * cannot show: host calls, the run budget cutting a REP instruction and
 * resuming it, HLT, interrupt requests and the interrupt shadow, single
 * step, memory smaller than the address space, I/O handlers, and ENTER
 * (absent from the vector sets).
 *
 * Programs are hand-assembled bytes placed at 1000:0000.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cpu86.h"

#define MEM_SIZE  0x110000u
#define CODE_SEG  0x1000u
#define CODE_BASE 0x10000u
#define STACK_SEG 0x2000u

static uint8_t mem[MEM_SIZE];

/* Fresh CPU: code at 1000:0000, stack at 2000:0100, IVT entries zeroed. */
static void setup_cpu(cpu86_t *c, int model, const uint8_t *code, size_t len)
{
    memset(mem, 0, sizeof(mem));
    memcpy(mem + CODE_BASE, code, len);
    cpu86_init(c, model, mem, MEM_SIZE);
    cpu86_load_seg(c, CPU86_CS, CODE_SEG);
    cpu86_load_seg(c, CPU86_SS, STACK_SEG);
    cpu86_load_seg(c, CPU86_DS, 0x3000);
    cpu86_load_seg(c, CPU86_ES, 0x4000);
    c->ip = 0;
    c->sp = 0x100;
}

/* Points interrupt vector n at seg:off. */
static void set_vector(uint8_t n, uint16_t seg, uint16_t off)
{
    mem[n * 4] = (uint8_t)off;
    mem[n * 4 + 1] = (uint8_t)(off >> 8);
    mem[n * 4 + 2] = (uint8_t)seg;
    mem[n * 4 + 3] = (uint8_t)(seg >> 8);
}

static uint16_t stack_word(const cpu86_t *c, uint16_t off)
{
    uint32_t a = c->seg[CPU86_SS].base + off;
    return (uint16_t)(mem[a] | mem[a + 1] << 8);
}

static void hostcall_exits_with_number(void **state)
{
    static const uint8_t code[] = {
        0xB4, 0x09,       /* mov ah, 9 */
        0x0F, 0xFF, 0x21, /* hostcall 21h */
        0x40,             /* inc ax */
        0xF4,             /* hlt */
    };
    cpu86_t c;
    (void)state;

    setup_cpu(&c, CPU86_MODEL_80186, code, sizeof(code));
    c.hostcall_enabled = true;
    assert_int_equal(cpu86_run(&c, 1000), CPU86_EXIT_HOSTCALL);
    assert_int_equal(c.hostcall_num, 0x21);
    assert_int_equal(c.ip, 5);
    assert_int_equal(c.insn_count, 2);
    c.al = 0x41; /* the host's answer */
    assert_int_equal(cpu86_run(&c, 1000), CPU86_EXIT_HALT);
    assert_int_equal(c.ax, 0x0942);
}

static void hostcall_disabled_is_invalid_opcode(void **state)
{
    static const uint8_t code[] = {0x2E, 0x0F, 0xFF, 0x21, 0xF4};
    cpu86_t c;
    (void)state;

    setup_cpu(&c, CPU86_MODEL_80186, code, sizeof(code));
    set_vector(6, 0x5000, 0x0010);
    mem[0x50010] = 0xF4;
    assert_int_equal(cpu86_run(&c, 1000), CPU86_EXIT_HALT);
    assert_int_equal(c.seg[CPU86_CS].sel, 0x5000);
    assert_int_equal(c.ip, 0x0011);
    assert_int_equal(stack_word(&c, c.sp), 0); /* IP of the prefix */
    assert_int_equal(stack_word(&c, c.sp + 2), CODE_SEG);

    /* The 8086 has no invalid opcodes: 0F is POP CS. */
    setup_cpu(&c, CPU86_MODEL_8086, code, sizeof(code));
    c.hostcall_enabled = true;
    mem[0x20100] = 0x34;
    mem[0x20101] = 0x12;
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    assert_int_equal(c.seg[CPU86_CS].sel, 0x1234);
    assert_int_equal(c.ip, 2);
}

static void budget_splits_rep_and_resumes(void **state)
{
    static const uint8_t code[] = {
        0xB9, 0xE8, 0x03, /* mov cx, 1000 */
        0xB0, 0x5A,       /* mov al, 5Ah */
        0x31, 0xFF,       /* xor di, di */
        0x26, 0xF3, 0xAA, /* es rep stosb */
        0xF4,             /* hlt */
    };
    cpu86_t c;
    (void)state;

    setup_cpu(&c, CPU86_MODEL_8086, code, sizeof(code));
    assert_int_equal(cpu86_run(&c, 103), CPU86_EXIT_BUDGET);
    assert_int_equal(c.insn_count, 103);
    assert_int_equal(c.cx, 900);
    assert_int_equal(c.di, 100);
    assert_int_equal(c.ip, 7); /* back on the first prefix */
    assert_int_equal(mem[0x40000 + 99], 0x5A);
    assert_int_equal(mem[0x40000 + 100], 0);

    assert_int_equal(cpu86_run(&c, 1), CPU86_EXIT_BUDGET);
    assert_int_equal(c.cx, 899);
    assert_int_equal(c.ip, 7);

    assert_int_equal(cpu86_run(&c, 100000), CPU86_EXIT_HALT);
    assert_int_equal(c.cx, 0);
    assert_int_equal(c.di, 1000);
    assert_int_equal(c.ip, 11);
    assert_int_equal(c.insn_count, 3 + 1000 + 1);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(mem[0x40000 + i], 0x5A);
    }
    assert_int_equal(mem[0x40000 + 1000], 0);
}

static void step_completes_rep(void **state)
{
    static const uint8_t code[] = {0xF3, 0xAB, 0xF4}; /* rep stosw */
    cpu86_t c;
    (void)state;

    setup_cpu(&c, CPU86_MODEL_80186, code, sizeof(code));
    c.cx = 0xFFFF;
    c.ax = 0x1234;
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    assert_int_equal(c.cx, 0);
    assert_int_equal(c.ip, 2);
    assert_int_equal(c.insn_count, 0xFFFF);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_HALT);
}

static void halt_stops_until_interrupt(void **state)
{
    static const uint8_t code[] = {
        0xFB, /* sti */
        0xF4, /* hlt */
        0x40, /* inc ax */
        0xF4, /* hlt */
    };
    cpu86_t c;
    (void)state;

    setup_cpu(&c, CPU86_MODEL_8086, code, sizeof(code));
    set_vector(0x08, 0x5000, 0);
    mem[0x50000] = 0x43; /* inc bx */
    mem[0x50001] = 0xCF; /* iret */

    assert_int_equal(cpu86_run(&c, 100), CPU86_EXIT_HALT);
    assert_int_equal(c.ip, 2);
    assert_int_equal(cpu86_run(&c, 100), CPU86_EXIT_HALT); /* still halted */
    assert_int_equal(c.ip, 2);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_HALT);

    cpu86_irq(&c, 0x08);
    assert_true(cpu86_irq_pending(&c));
    assert_int_equal(cpu86_run(&c, 100), CPU86_EXIT_HALT);
    assert_false(cpu86_irq_pending(&c));
    assert_int_equal(c.bx, 1);
    assert_int_equal(c.ax, 1); /* resumed after the first HLT */
    assert_int_equal(c.ip, 4);
}

static void irq_waits_for_if_and_shadow(void **state)
{
    static const uint8_t code[] = {
        0x40,             /* inc ax */
        0xFB,             /* sti */
        0x41,             /* inc cx: runs in the STI shadow */
        0x42,             /* inc dx */
        0xBB, 0x00, 0x20, /* mov bx, 2000h */
        0x8E, 0xD3,       /* mov ss, bx */
        0x46,             /* inc si: runs in the MOV SS shadow */
        0x47,             /* inc di */
        0xF4,             /* hlt */
    };
    cpu86_t c;
    (void)state;

    setup_cpu(&c, CPU86_MODEL_80186, code, sizeof(code));
    set_vector(0x20, 0x5000, 0);
    mem[0x50000] = 0x45; /* inc bp */
    mem[0x50001] = 0xCF; /* iret */

    cpu86_irq(&c, 0x20);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK); /* IF = 0: inc ax */
    assert_int_equal(c.ax, 1);
    assert_true(cpu86_irq_pending(&c));
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK); /* sti */
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK); /* inc cx, shadowed */
    assert_int_equal(c.cx, 1);
    assert_true(cpu86_irq_pending(&c));
    assert_int_equal(c.seg[CPU86_CS].sel, CODE_SEG);

    /* Now the request is taken before inc dx, and the step runs the
     * handler's first instruction; the frame returns to inc dx. */
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    assert_false(cpu86_irq_pending(&c));
    assert_int_equal(c.seg[CPU86_CS].sel, 0x5000);
    assert_int_equal(c.ip, 1);
    assert_int_equal(c.bp, 1);
    assert_int_equal(stack_word(&c, c.sp), 3);
    assert_false(cpu86_get_flags(&c) & CPU86_FLAG_IF);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK); /* iret */
    assert_int_equal(c.ip, 3);
    assert_true(cpu86_get_flags(&c) & CPU86_FLAG_IF);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK); /* inc dx */
    assert_int_equal(c.dx, 1);

    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK); /* mov bx */
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK); /* mov ss */
    cpu86_irq(&c, 0x20);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK); /* inc si, shadowed */
    assert_int_equal(c.si, 1);
    assert_int_equal(c.seg[CPU86_CS].sel, CODE_SEG);
    assert_int_equal(cpu86_run(&c, 100), CPU86_EXIT_HALT);
    assert_false(cpu86_irq_pending(&c));
    assert_int_equal(c.bp, 2);
    assert_int_equal(c.di, 1);
}

static void trap_flag_single_steps(void **state)
{
    static const uint8_t code[] = {
        0x9C,             /* pushf */
        0x58,             /* pop ax */
        0x0D, 0x00, 0x01, /* or ax, 100h */
        0x50,             /* push ax */
        0x9D,             /* popf: TF on, the first trap after the next one */
        0x41,             /* inc cx */
        0x41,             /* inc cx */
        0xF4,             /* hlt */
    };
    cpu86_t c;
    (void)state;

    setup_cpu(&c, CPU86_MODEL_8086, code, sizeof(code));
    set_vector(1, 0x5000, 0);
    mem[0x50000] = 0x42; /* inc dx */
    mem[0x50001] = 0xCF; /* iret */

    for (int i = 0; i < 5; i++) {
        assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    }
    assert_true(cpu86_get_flags(&c) & CPU86_FLAG_TF);
    assert_int_equal(c.seg[CPU86_CS].sel, CODE_SEG);

    /* inc cx, then the trap enters the handler with TF clear. */
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    assert_int_equal(c.cx, 1);
    assert_int_equal(c.seg[CPU86_CS].sel, 0x5000);
    assert_int_equal(c.ip, 0);
    assert_int_equal(stack_word(&c, c.sp), 8);
    assert_false(cpu86_get_flags(&c) & CPU86_FLAG_TF);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK); /* inc dx, no trap */
    assert_int_equal(c.ip, 1);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK); /* iret restores TF */
    assert_int_equal(c.ip, 8);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK); /* inc cx, trap */
    assert_int_equal(c.cx, 2);
    assert_int_equal(c.seg[CPU86_CS].sel, 0x5000);
    assert_int_equal(c.dx, 1);
}

/* 64 KiB of memory inside a buffer with guard bytes after it. */
static uint8_t small_mem[0x10000 + 4096];

static void check_guard(void)
{
    for (size_t i = 0x10000; i < sizeof(small_mem); i++) {
        assert_int_equal(small_mem[i], 0xEE);
    }
}

static void out_of_range_memory_is_untouched(void **state)
{
    static const uint8_t code[] = {
        0xB8, 0xFF, 0x0F,             /* mov ax, 0FFFh: segment ends at 10000h + 0FFEFh */
        0x8E, 0xC0,                   /* mov es, ax */
        0x8E, 0xD8,                   /* mov ds, ax */
        0x8E, 0xD0,                   /* mov ss, ax */
        0xBC, 0x12, 0x00,             /* mov sp, 12h: pushes straddle the end */
        0xB8, 0xAA, 0x55,             /* mov ax, 55AAh */
        0xB9, 0x00, 0x01,             /* mov cx, 100h */
        0xBF, 0x01, 0x00,             /* mov di, 1 */
        0xF3, 0xAB,                   /* rep stosw: across the end of memory */
        0x8B, 0x1E, 0x0F, 0x00,       /* mov bx, [0Fh]: linear FFFFh and 10000h */
        0x89, 0x1E, 0x0F, 0x00,       /* mov [0Fh], bx */
        0x50,                         /* push ax */
        0x50,                         /* push ax */
        0xC6, 0x06, 0x10, 0x00, 0x77, /* mov byte [10h], 77h */
        0xF4,                         /* hlt */
    };
    cpu86_t c;
    (void)state;

    for (int model = CPU86_MODEL_8086; model <= CPU86_MODEL_80186; model++) {
        memset(small_mem, 0xEE, sizeof(small_mem));
        memset(small_mem, 0, 0x10000);
        memcpy(small_mem + 0x1000, code, sizeof(code));
        cpu86_init(&c, model, small_mem, 0x10000);
        cpu86_load_seg(&c, CPU86_CS, 0x0100);
        c.ip = 0;
        assert_int_equal(cpu86_run(&c, 1000), CPU86_EXIT_HALT);
        assert_int_equal(small_mem[0xFFFE], 0xAA); /* the second push */
        assert_int_equal(small_mem[0xFFFF], 0x55);
        assert_int_equal(small_mem[0xFFF1], 0xAA);
        assert_int_equal(small_mem[0xFFF2], 0x55);
        assert_int_equal(c.bx, 0xFFAA); /* absent memory reads FFh */
        assert_int_equal(c.sp, 0x0E);
        check_guard();

        /* Execute absent memory: FF FF ... decodes as PUSH forms (8086) or
         * #UD (80186), whose frames soon overwrite the vector table and
         * send execution anywhere in memory, maybe to the HLT above. */
        cpu86_reset(&c); /* leaves the halted state */
        c.addr_mask = 0xFFFFFF;
        cpu86_load_seg(&c, CPU86_CS, 0xF000);
        c.ip = 0;
        int r = cpu86_run(&c, 100000);
        assert_true(r == CPU86_EXIT_BUDGET || r == CPU86_EXIT_HALT);
        check_guard();
    }
}

static void word_at_ffff_wraps_or_faults(void **state)
{
    static const uint8_t code[] = {
        0x8B,
        0x07, /* mov ax, [bx] */
        0xF4,
    };
    cpu86_t c;
    (void)state;

    setup_cpu(&c, CPU86_MODEL_8086, code, sizeof(code));
    c.bx = 0xFFFF;
    mem[0x3FFFF] = 0x34;
    mem[0x30000] = 0x12;
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    assert_int_equal(c.ax, 0x1234);

    setup_cpu(&c, CPU86_MODEL_80186, code, sizeof(code));
    c.bx = 0xFFFF;
    set_vector(13, 0x5000, 0x20);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    assert_int_equal(c.ax, 0);
    assert_int_equal(c.seg[CPU86_CS].sel, 0x5000);
    assert_int_equal(c.ip, 0x20);
    assert_int_equal(stack_word(&c, c.sp), 0);
}

static void divide_error_return_address(void **state)
{
    static const uint8_t code[] = {0xF6, 0xF3, 0xF4}; /* div bl */
    cpu86_t c;
    (void)state;

    setup_cpu(&c, CPU86_MODEL_8086, code, sizeof(code));
    set_vector(0, 0x5000, 0);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    assert_int_equal(stack_word(&c, c.sp), 2); /* 8086: the next instruction */

    setup_cpu(&c, CPU86_MODEL_80186, code, sizeof(code));
    set_vector(0, 0x5000, 0);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    assert_int_equal(stack_word(&c, c.sp), 0); /* 286: the faulting one */
}

typedef struct io_log {
    uint16_t port, val;
    int size, ins, outs;
} io_log_t;

static uint16_t io_in(void *ctx, uint16_t port, int size)
{
    io_log_t *l = ctx;
    l->ins++;
    l->port = port;
    l->size = size;
    return (uint16_t)(port ^ 0xA5A5);
}

static void io_out(void *ctx, uint16_t port, uint16_t val, int size)
{
    io_log_t *l = ctx;
    l->outs++;
    l->port = port;
    l->val = val;
    l->size = size;
}

static void io_handlers(void **state)
{
    static const uint8_t code[] = {
        0xE4, 0x60,       /* in al, 60h */
        0xBA, 0x34, 0x12, /* mov dx, 1234h */
        0xED,             /* in ax, dx */
        0xE6, 0x20,       /* out 20h, al */
        0xEF,             /* out dx, ax */
        0xF4,
    };
    io_log_t log = {0};
    cpu86_t c;
    (void)state;

    setup_cpu(&c, CPU86_MODEL_8086, code, sizeof(code));
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    assert_int_equal(c.al, 0xFF); /* no handler: all ones */
    c.ip = 0;
    c.ax = 0;
    c.in = io_in;
    c.out = io_out;
    c.io_ctx = &log;

    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    assert_int_equal(log.port, 0x60);
    assert_int_equal(log.size, 1);
    assert_int_equal(c.al, (0x60 ^ 0xA5A5) & 0xFF);
    cpu86_step(&c);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    assert_int_equal(log.port, 0x1234);
    assert_int_equal(log.size, 2);
    assert_int_equal(c.ax, 0x1234 ^ 0xA5A5);
    cpu86_step(&c);
    assert_int_equal(log.port, 0x20);
    assert_int_equal(log.val, (0x1234 ^ 0xA5A5) & 0xFF);
    assert_int_equal(log.size, 1);
    cpu86_step(&c);
    assert_int_equal(log.port, 0x1234);
    assert_int_equal(log.val, 0x1234 ^ 0xA5A5);
    assert_int_equal(log.size, 2);
    assert_int_equal(log.ins, 2);
    assert_int_equal(log.outs, 2);
}

static void enter_builds_nested_frames(void **state)
{
    static const uint8_t code[] = {
        0xC8, 0x10, 0x00, 0x03, /* enter 10h, 3 */
        0xC9,                   /* leave */
        0xF4,
    };
    cpu86_t c;
    (void)state;

    setup_cpu(&c, CPU86_MODEL_80186, code, sizeof(code));
    c.bp = 0x00F0;
    mem[0x20000 + 0xEE] = 0x11; /* [bp-2]: the caller's display */
    mem[0x20000 + 0xEC] = 0x22; /* [bp-4] */
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    assert_int_equal(c.bp, 0xFE);
    assert_int_equal(stack_word(&c, 0xFE), 0xF0); /* old BP */
    assert_int_equal(stack_word(&c, 0xFC), 0x11);
    assert_int_equal(stack_word(&c, 0xFA), 0x22);
    assert_int_equal(stack_word(&c, 0xF8), 0xFE); /* this frame */
    assert_int_equal(c.sp, 0xF8 - 0x10);
    assert_int_equal(cpu86_step(&c), CPU86_EXIT_OK);
    assert_int_equal(c.sp, 0x100);
    assert_int_equal(c.bp, 0xF0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostcall_exits_with_number),
        cmocka_unit_test(hostcall_disabled_is_invalid_opcode),
        cmocka_unit_test(budget_splits_rep_and_resumes),
        cmocka_unit_test(step_completes_rep),
        cmocka_unit_test(halt_stops_until_interrupt),
        cmocka_unit_test(irq_waits_for_if_and_shadow),
        cmocka_unit_test(trap_flag_single_steps),
        cmocka_unit_test(out_of_range_memory_is_untouched),
        cmocka_unit_test(word_at_ffff_wraps_or_faults),
        cmocka_unit_test(divide_error_return_address),
        cmocka_unit_test(io_handlers),
        cmocka_unit_test(enter_builds_nested_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
