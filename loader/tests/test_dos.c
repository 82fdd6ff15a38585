/*
 * Unit tests of the DOS formats: .COM size rules and names, and the MZ
 * header parser with each way its sizes and tables can be wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <loader/com.h>
#include <loader/mz.h>

#include "elfgen.h"
#include "negen.h"

static uint8_t buf[0x20000];
static size_t size;
static ldr_mz_info_t mz;

static void expect_mz(int status, const char *words)
{
    const char *why = NULL;
    int rc = ldr_mz_parse(buf, size, &mz, &why);

    assert_int_equal(rc, status);
    if (status == LDR_OK)
        return;
    assert_non_null(why);
    if (!strstr(why, words))
        fail_msg("why = \"%s\", expected \"%s\"", why, words);
}

static void com_sizes(void **state)
{
    ldr_com_info_t com;
    const char *why = NULL;
    (void)state;

    memset(buf, 0x90, sizeof(buf));
    assert_int_equal(ldr_com_parse(buf, 1, &com, &why), LDR_OK);
    assert_int_equal(com.size, 1);
    assert_int_equal(ldr_com_parse(buf, LDR_COM_MAX, &com, &why), LDR_OK);
    assert_int_equal(com.size, 65280);
    assert_int_equal(ldr_com_parse(buf, LDR_COM_MAX + 1, &com, &why), LDR_ECORRUPT);
    assert_non_null(strstr(why, "65,280"));
    assert_int_equal(ldr_com_parse(buf, 0, &com, &why), LDR_ECORRUPT);
    assert_non_null(strstr(why, "empty"));
    memcpy(buf, "MZ", 2);
    assert_int_equal(ldr_com_parse(buf, 100, &com, &why), LDR_EFORMAT);
    memcpy(buf, "ZM", 2);
    assert_int_equal(ldr_com_parse(buf, 100, &com, &why), LDR_EFORMAT);
}

static void com_names(void **state)
{
    (void)state;
    assert_true(ldr_com_name("HELLO.COM"));
    assert_true(ldr_com_name("/dos/hello.com"));
    assert_true(ldr_com_name("C:\\DOS\\Edit.CoM"));
    assert_true(ldr_com_name("a.com"));
    assert_false(ldr_com_name("HELLO.EXE"));
    assert_false(ldr_com_name("hello.comx"));
    assert_false(ldr_com_name("hellocom"));
    assert_false(ldr_com_name(".com"));
    assert_false(ldr_com_name("/dir/.com"));
    assert_false(ldr_com_name("com"));
    assert_false(ldr_com_name(""));
}

/* A 0x300-byte image: 64-byte header, 2 relocations, entry at 1:0. */
static void good_mz(void)
{
    memset(buf, 0, sizeof(buf));
    mzgen_header(buf, 0x300);
    put16(buf + 6, 2);        /* e_crlc */
    put16(buf + 0x0A, 0x20);  /* e_minalloc */
    put16(buf + 0x0E, 0x30);  /* e_ss */
    put16(buf + 0x10, 0x200); /* e_sp */
    put16(buf + 0x14, 0x4);   /* e_ip */
    put16(buf + 0x16, 0x1);   /* e_cs */
    put16(buf + 0x40, 0x0010);
    put16(buf + 0x42, 0x0000);
    put16(buf + 0x44, 0x0002);
    put16(buf + 0x46, 0x0020); /* 20:2 = 0x202 */
    size = 0x300;
}

static void mz_good(void **state)
{
    ldr_mz_reloc_t r;
    (void)state;

    good_mz();
    expect_mz(LDR_OK, NULL);
    assert_int_equal(mz.hdr.e_magic, 0x5A4D);
    assert_int_equal(mz.header_size, 64);
    assert_int_equal(mz.image_size, 0x300);
    assert_int_equal(mz.load_offset, 64);
    assert_int_equal(mz.load_size, 0x300 - 64);
    assert_int_equal(mz.extra_size, 0);
    assert_int_equal(mz.nrelocs, 2);
    assert_int_equal(mz.cs, 1);
    assert_int_equal(mz.ip, 4);
    assert_int_equal(mz.ss, 0x30);
    assert_int_equal(mz.sp, 0x200);
    assert_int_equal(mz.min_paras, (0x2C0 / 16) + 0x20);
    assert_int_equal(mz.max_paras, 0xFFFF);
    assert_false(mz.has_new_header); /* e_lfanew is 0 */

    assert_int_equal(ldr_mz_reloc(buf, size, &mz, 1, &r), LDR_OK);
    assert_int_equal(r.offset, 2);
    assert_int_equal(r.segment, 0x20);
    assert_int_equal(ldr_mz_reloc(buf, size, &mz, 2, &r), LDR_ENOENT);

    /* Trailing data (an overlay) is not part of the load module. */
    size = 0x1000;
    expect_mz(LDR_OK, NULL);
    assert_int_equal(mz.load_size, 0x300 - 64);
    assert_int_equal(mz.extra_size, 0x1000 - 0x300);

    /* e_cblp 0 means the last page is full. */
    put16(buf + 2, 0);
    expect_mz(LDR_OK, NULL);
    assert_int_equal(mz.image_size, 0x400);
}

static void mz_short_header(void **state)
{
    (void)state;
    /* A 28-byte header is enough for DOS; the rest of the fields read 0. */
    good_mz();
    put16(buf + 6, 0);
    put16(buf + 8, 2); /* 32-byte header */
    put16(buf + 0x18, 0x1C);
    put16(buf + 2, 0x60);
    put16(buf + 4, 1);
    put16(buf + 0x16, 0);
    size = 0x60;
    expect_mz(LDR_OK, NULL);
    assert_int_equal(mz.hdr.e_lfanew, 0);
    size = 0x30;
    expect_mz(LDR_ECORRUPT, "past end of file");
}

static void mz_damage(void **state)
{
    (void)state;
    good_mz();
    buf[0] = 'X';
    expect_mz(LDR_EFORMAT, "signature");
    size = 1;
    expect_mz(LDR_EFORMAT, "signature");

    good_mz();
    size = 27;
    expect_mz(LDR_ECORRUPT, "shorter than the MZ header");

    good_mz();
    put16(buf + 4, 0);
    expect_mz(LDR_ECORRUPT, "no pages");
    good_mz();
    put16(buf + 2, 513);
    expect_mz(LDR_ECORRUPT, "larger than a page");

    good_mz();
    put16(buf + 8, 1);
    expect_mz(LDR_ECORRUPT, "smaller than the header");
    put16(buf + 8, 0xFFFF);
    expect_mz(LDR_ECORRUPT, "MZ header extends past end of file");
    size = 0x400;
    put16(buf + 8, 0x31);
    expect_mz(LDR_ECORRUPT, "larger than the image");
    put16(buf + 8, 0x30); /* the header is the whole image */
    put16(buf + 6, 0);
    expect_mz(LDR_ECORRUPT, "empty");

    good_mz();
    size = 0x2FF; /* truncated inside the load module */
    expect_mz(LDR_ECORRUPT, "load module extends past end of file");
    put16(buf + 4, 0xFFFF); /* 32 MiB claimed */
    size = 0x300;
    expect_mz(LDR_ECORRUPT, "load module extends past end of file");

    good_mz();
    put16(buf + 0x18, 0x2FE);
    expect_mz(LDR_ECORRUPT, "MZ relocation table outside the file");
    good_mz();
    put16(buf + 6, 0xFFFF);
    expect_mz(LDR_ECORRUPT, "MZ relocation table outside the file");

    good_mz();
    put16(buf + 0x46, 0x2B);
    put16(buf + 0x44, 0x000F); /* 2B:F = 0x2BF: one byte left, a word does not fit */
    expect_mz(LDR_ECORRUPT, "relocation points outside the load module");
    put16(buf + 0x46, 0xFFFF);
    put16(buf + 0x44, 0xFFFF);
    expect_mz(LDR_ECORRUPT, "relocation points outside the load module");

    good_mz();
    put16(buf + 0x16, 0x2C);
    expect_mz(LDR_ECORRUPT, "entry point");
}

static void mz_new_header(void **state)
{
    (void)state;
    good_mz();
    size = 0x400;
    put32(buf + 0x3C, 0x300);
    memcpy(buf + 0x300, "PE\0\0", 4);
    expect_mz(LDR_OK, NULL);
    assert_true(mz.has_new_header);
    assert_int_equal(mz.new_offset, 0x300);
    assert_memory_equal(mz.new_magic, "PE", 2);

    /* e_lfarlc below 40h: e_lfanew is not a field of this header. */
    put16(buf + 0x18, 0x1C);
    put16(buf + 6, 0);
    expect_mz(LDR_OK, NULL);
    assert_false(mz.has_new_header);

    /* Pointing past the end: DOS runs the stub, nothing follows. */
    good_mz();
    put32(buf + 0x3C, 0x2FF);
    expect_mz(LDR_OK, NULL);
    assert_false(mz.has_new_header);
    put32(buf + 0x3C, 0xFFFFFFFF);
    expect_mz(LDR_OK, NULL);
    assert_false(mz.has_new_header);
}

static void mz_every_truncation(void **state)
{
    (void)state;
    good_mz();
    size_t full = size;
    for (size_t n = 0; n < full; n++) {
        const char *why = NULL;
        if (ldr_mz_parse(buf, n, &mz, &why) == LDR_OK || !why)
            fail_msg("truncated to %zu bytes: accepted", n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(com_sizes),
        cmocka_unit_test(com_names),
        cmocka_unit_test(mz_good),
        cmocka_unit_test(mz_short_header),
        cmocka_unit_test(mz_damage),
        cmocka_unit_test(mz_new_header),
        cmocka_unit_test(mz_every_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
