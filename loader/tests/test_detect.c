/*
 * Unit tests of ldr_detect(): content before name, each format to its
 * personality, corrupt programs reported with their parser's reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <loader/detect.h>
#include <persona/bootimg.h>

#include "elfgen.h"
#include "negen.h"

static elfgen_t g;
static uint8_t buf[0x10000];

static void expect(const void *img, size_t size, const char *name, ldr_format_t fmt,
                   const char *words)
{
    const char *why = NULL;
    ldr_format_t got = ldr_detect(img, size, name, &why);

    if (got != fmt)
        fail_msg("%s: detected %s, expected %s (why: %s)", name ? name : "(no name)",
                 ldr_format_name(got), ldr_format_name(fmt), why ? why : "-");
    if (fmt == LDR_FMT_UNKNOWN && (!why || !strstr(why, words)))
        fail_msg("why = \"%s\", expected \"%s\"", why ? why : "(null)", words);
}

static void elf(void **state)
{
    uint32_t native = BOOTIMG_PERS_NATIVE;
    (void)state;

    elfgen_good_exec(&g);
    expect(g.buf, g.size, "/bin/true", LDR_FMT_ELF_LINUX, NULL);
    /* The name does not matter to an ELF file. */
    expect(g.buf, g.size, "TRUE.COM", LDR_FMT_ELF_LINUX, NULL);

    size_t len = elfgen_note(g.buf + 0x400, "Persona", 1, &native, 4);
    elfgen_phdr(&g, 4, 4, 0x400, 0x400400, len, len, 4);
    expect(g.buf, g.size, NULL, LDR_FMT_ELF_NATIVE, NULL);

    g.size = 100;
    expect(g.buf, g.size, NULL, LDR_FMT_UNKNOWN, "program header table extends past end of file");
}

static void dos_and_win16(void **state)
{
    size_t size;
    (void)state;

    memset(buf, 0, sizeof(buf));
    mzgen_header(buf, 0x100);
    expect(buf, 0x100, "GAME.EXE", LDR_FMT_MZ, NULL);
    /* An MZ program named .COM is still MZ, as in DOS. */
    expect(buf, 0x100, "COMMAND.COM", LDR_FMT_MZ, NULL);
    expect(buf, 0x80, "GAME.EXE", LDR_FMT_UNKNOWN, "load module extends past end of file");

    negen_good(buf, &size);
    expect(buf, size, "CLOCK.EXE", LDR_FMT_NE, NULL);
    /* A corrupt NE file is not run as its DOS stub. */
    put16(buf + NE_AT + 0x1C, 0xFFFF);
    expect(buf, size, "CLOCK.EXE", LDR_FMT_UNKNOWN, "segment table");

    memset(buf, 0xC3, sizeof(buf));
    expect(buf, 100, "/dos/hello.com", LDR_FMT_COM, NULL);
    expect(buf, 100, "HELLO.COM", LDR_FMT_COM, NULL);
    expect(buf, 0, "HELLO.COM", LDR_FMT_UNKNOWN, "empty");
    expect(buf, 0xFF01, "HELLO.COM", LDR_FMT_UNKNOWN, "65,280");
}

static void unknown(void **state)
{
    (void)state;
    memset(buf, 'x', 64);
    expect(buf, 64, "/etc/motd", LDR_FMT_UNKNOWN, "not a program");
    expect(buf, 64, NULL, LDR_FMT_UNKNOWN, "not a program");
    expect(buf, 0, NULL, LDR_FMT_UNKNOWN, "not a program");
    expect(buf, 64, "HELLO.COMX", LDR_FMT_UNKNOWN, "not a program");
}

static void personalities(void **state)
{
    (void)state;
    assert_int_equal(ldr_format_personality(LDR_FMT_ELF_NATIVE), BOOTIMG_PERS_NATIVE);
    assert_int_equal(ldr_format_personality(LDR_FMT_ELF_LINUX), BOOTIMG_PERS_POSIX);
    assert_int_equal(ldr_format_personality(LDR_FMT_COM), BOOTIMG_PERS_DOS);
    assert_int_equal(ldr_format_personality(LDR_FMT_MZ), BOOTIMG_PERS_DOS);
    assert_int_equal(ldr_format_personality(LDR_FMT_NE), BOOTIMG_PERS_WIN16);
    assert_int_equal(ldr_format_personality(LDR_FMT_UNKNOWN), BOOTIMG_PERS_NONE);
    assert_string_equal(ldr_format_name(LDR_FMT_NE), "Win16 NE");
    assert_string_equal(ldr_status_name(LDR_ECORRUPT), "corrupt");
    assert_string_equal(ldr_status_name(42), "unknown status");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(elf),
        cmocka_unit_test(dos_and_win16),
        cmocka_unit_test(unknown),
        cmocka_unit_test(personalities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
