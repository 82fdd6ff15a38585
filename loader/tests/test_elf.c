/*
 * Unit tests of ldr_elf_parse() on hand-built images: the good shapes
 * (static ET_EXEC, static-PIE, notes, TLS, interpreter) and one test per
 * kind of damage, each checking the status and the message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <loader/elf64.h>
#include <persona/bootimg.h>

#include "elfgen.h"

static elfgen_t g;
static ldr_elf_info_t info;

static void expect_fail(int status, const char *words)
{
    const char *why = NULL;
    int rc = ldr_elf_parse(g.buf, g.size, &info, &why);

    assert_int_equal(rc, status);
    assert_non_null(why);
    if (!strstr(why, words))
        fail_msg("why = \"%s\", expected \"%s\"", why, words);
}

static void expect_ok(void)
{
    const char *why = NULL;
    int rc = ldr_elf_parse(g.buf, g.size, &info, &why);

    if (rc != LDR_OK)
        fail_msg("rejected: %s", why);
}

static void set_ph64(int i, int field_off, uint64_t v)
{
    put64(elfgen_ph_at(&g, i) + field_off, v);
}

enum { OFF = 8, VADDR = 16, FILESZ = 32, MEMSZ = 40, ALIGN = 48 };

static void good_exec(void **state)
{
    (void)state;
    elfgen_good_exec(&g);
    expect_ok();
    assert_int_equal(info.type, LDR_ET_EXEC);
    assert_false(info.pie);
    assert_true(info.has_entry);
    assert_int_equal(info.entry, 0x401010);
    assert_int_equal(info.personality, BOOTIMG_PERS_POSIX);
    assert_int_equal(info.nload, 3);
    assert_int_equal(info.load[1].vaddr, 0x401000);
    assert_int_equal(info.load[1].flags, LDR_PF_R | LDR_PF_X);
    assert_int_equal(info.load[2].filesz, 0x10);
    assert_int_equal(info.load[2].memsz, 0x2000);
    assert_int_equal(info.vaddr_min, 0x400000);
    assert_int_equal(info.vaddr_max, 0x404000);
    assert_true(info.has_phdr_vaddr);
    assert_int_equal(info.phdr_vaddr, 0x400040);
    assert_int_equal(info.phnum, 5);
    assert_int_equal(info.phentsize, 56);
    assert_false(info.has_interp);
    assert_string_equal(info.interp, "");
    assert_true(info.has_gnu_stack);
    assert_int_equal(info.stack_flags, LDR_PF_R | LDR_PF_W);
    assert_false(info.has_tls);
    assert_false(info.has_dynamic);
}

static void good_pie(void **state)
{
    (void)state;
    elfgen_good_pie(&g);
    expect_ok();
    assert_int_equal(info.type, LDR_ET_DYN);
    assert_true(info.pie);
    assert_true(info.has_dynamic);
    assert_int_equal(info.entry, 0x1010);
    assert_int_equal(info.vaddr_min, 0);
    assert_int_equal(info.phdr_vaddr, 0x40);
}

static void phdr_from_load_without_pt_phdr(void **state)
{
    (void)state;
    elfgen_good_exec(&g);
    put32(elfgen_ph_at(&g, 0), 0x6474e550); /* PT_GNU_EH_FRAME: ignored */
    expect_ok();
    assert_true(info.has_phdr_vaddr);
    assert_int_equal(info.phdr_vaddr, 0x400040);

    /* The first segment no longer covers the table: no AT_PHDR to give. */
    set_ph64(1, OFF, 0x1000);
    set_ph64(1, FILESZ, 0);
    set_ph64(1, MEMSZ, 0x10);
    expect_ok();
    assert_false(info.has_phdr_vaddr);
}

static void library_without_entry(void **state)
{
    (void)state;
    elfgen_good_pie(&g);
    put64(g.buf + 24, 0);
    expect_ok();
    assert_false(info.has_entry);
}

static void not_elf(void **state)
{
    (void)state;
    elfgen_good_exec(&g);
    g.buf[1] = 'X';
    expect_fail(LDR_EFORMAT, "magic");
    g.size = 0;
    expect_fail(LDR_EFORMAT, "magic");
}

static void every_truncation_fails(void **state)
{
    (void)state;
    elfgen_good_exec(&g);
    size_t full = g.size;
    for (size_t n = 0; n < full; n++) {
        const char *why = NULL;
        int rc = ldr_elf_parse(g.buf, n, &info, &why);
        if (rc == LDR_OK || !why)
            fail_msg("truncated to %zu bytes: accepted", n);
    }
    g.size = 40;
    expect_fail(LDR_ECORRUPT, "shorter than the ELF header");
}

static void header_fields(void **state)
{
    (void)state;
    elfgen_good_exec(&g);
    g.size = 63;
    expect_fail(LDR_ECORRUPT, "shorter than the ELF header");

    elfgen_good_exec(&g);
    g.buf[4] = 1;
    expect_fail(LDR_EUNSUPPORTED, "32-bit");
    g.buf[4] = 7;
    expect_fail(LDR_ECORRUPT, "class");

    elfgen_good_exec(&g);
    g.buf[5] = 2;
    expect_fail(LDR_EUNSUPPORTED, "big-endian");
    g.buf[5] = 0;
    expect_fail(LDR_ECORRUPT, "data encoding");

    elfgen_good_exec(&g);
    g.buf[6] = 2;
    expect_fail(LDR_ECORRUPT, "identification version");

    elfgen_good_exec(&g);
    put16(g.buf + 18, 3);
    expect_fail(LDR_EUNSUPPORTED, "not x86_64");

    elfgen_good_exec(&g);
    put16(g.buf + 16, 1);
    expect_fail(LDR_EUNSUPPORTED, "relocatable");
    put16(g.buf + 16, 4);
    expect_fail(LDR_EUNSUPPORTED, "core");
    put16(g.buf + 16, 0xfe00);
    expect_fail(LDR_EUNSUPPORTED, "not an executable");

    elfgen_good_exec(&g);
    put32(g.buf + 20, 0);
    expect_fail(LDR_ECORRUPT, "ELF version");

    elfgen_good_exec(&g);
    put16(g.buf + 52, 52);
    expect_fail(LDR_ECORRUPT, "header size");

    elfgen_good_exec(&g);
    g.buf[7] = 9; /* FreeBSD */
    expect_fail(LDR_EUNSUPPORTED, "OS ABI");
    g.buf[7] = 3;
    expect_ok();
    assert_int_equal(info.osabi, 3);
}

static void program_header_table(void **state)
{
    (void)state;
    elfgen_good_exec(&g);
    put16(g.buf + 56, 0);
    expect_fail(LDR_ECORRUPT, "no program headers");
    put16(g.buf + 56, 0xffff);
    expect_fail(LDR_EUNSUPPORTED, "extended");
    put16(g.buf + 56, 0xfffe);
    expect_fail(LDR_ECORRUPT, "program header table extends past end of file");

    /* Found by fuzz_elfcheck: libelf reads e_phoff 0 as no table at all. */
    elfgen_good_exec(&g);
    put64(g.buf + 32, 0);
    expect_fail(LDR_ECORRUPT, "overlaps the ELF header");
    put64(g.buf + 32, 8);
    expect_fail(LDR_ECORRUPT, "overlaps the ELF header");

    elfgen_good_exec(&g);
    put16(g.buf + 54, 64);
    expect_fail(LDR_ECORRUPT, "entry size");

    elfgen_good_exec(&g);
    put64(g.buf + 32, g.size - 100);
    expect_fail(LDR_ECORRUPT, "program header table extends past end of file");
    put64(g.buf + 32, UINT64_MAX - 8); /* would wrap when added to the length */
    expect_fail(LDR_ECORRUPT, "program header table extends past end of file");
}

static void load_segments(void **state)
{
    (void)state;
    elfgen_good_exec(&g);
    set_ph64(3, FILESZ, 0x3000);
    expect_fail(LDR_ECORRUPT, "larger in the file than in memory");

    elfgen_good_exec(&g);
    set_ph64(3, FILESZ, 0x11);
    expect_fail(LDR_ECORRUPT, "loadable segment extends past end of file");
    set_ph64(3, OFF, UINT64_MAX & ~0xfffull);
    set_ph64(3, VADDR, UINT64_MAX & ~0xfffull);
    set_ph64(3, FILESZ, 0x2000);
    expect_fail(LDR_ECORRUPT, "loadable segment extends past end of file");

    elfgen_good_exec(&g);
    set_ph64(3, MEMSZ, UINT64_MAX - 0x1000);
    expect_fail(LDR_ECORRUPT, "wraps");

    elfgen_good_exec(&g);
    set_ph64(3, ALIGN, 0x1800);
    expect_fail(LDR_ECORRUPT, "power of two");

    elfgen_good_exec(&g);
    set_ph64(3, VADDR, 0x402800);
    set_ph64(3, ALIGN, 0);
    expect_fail(LDR_ECORRUPT, "page size");
    set_ph64(3, ALIGN, 0x1000);
    expect_fail(LDR_ECORRUPT, "modulo the alignment");

    elfgen_good_exec(&g);
    set_ph64(2, VADDR, 0x403000);
    set_ph64(3, VADDR, 0x402000);
    put64(g.buf + 24, 0x403010);
    expect_fail(LDR_ECORRUPT, "ascending");

    elfgen_good_exec(&g);
    set_ph64(2, MEMSZ, 0x1001);
    expect_fail(LDR_ECORRUPT, "overlap");

    elfgen_good_exec(&g);
    set_ph64(3, VADDR, 0x7ffffffff000);
    expect_fail(LDR_EUNSUPPORTED, "user half");
    /* A PIE may sit anywhere, but its extent must fit in the user half. */
    put16(g.buf + 16, LDR_ET_DYN);
    expect_ok();
    set_ph64(3, VADDR, 0x900000000000);
    expect_fail(LDR_EUNSUPPORTED, "span more than the user address space");
}

static void too_many_and_no_loads(void **state)
{
    (void)state;
    elfgen_good_exec(&g);
    for (int i = 0; i < 13; i++)
        elfgen_phdr(&g, 1, 4, 0x2000, 0x500000 + 0x1000 * (uint64_t)i, 0, 0x10, 0x1000);
    expect_ok();
    assert_int_equal(info.nload, 16);
    elfgen_phdr(&g, 1, 4, 0x2000, 0x600000, 0, 0x10, 0x1000);
    expect_fail(LDR_EUNSUPPORTED, "more than 16");

    elfgen_init(&g, LDR_ET_EXEC, 0x401000);
    elfgen_phdr(&g, 0x6474e551, 6, 0, 0, 0, 0, 16);
    expect_fail(LDR_ECORRUPT, "no loadable segments");
}

static void entry_point(void **state)
{
    (void)state;
    elfgen_good_exec(&g);
    put64(g.buf + 24, 0x800000);
    expect_fail(LDR_ECORRUPT, "outside every loadable segment");
    put64(g.buf + 24, 0x402000);
    expect_fail(LDR_ECORRUPT, "not executable");
}

static void pt_phdr_rules(void **state)
{
    (void)state;
    elfgen_good_exec(&g);
    set_ph64(0, OFF, 128);
    expect_fail(LDR_ECORRUPT, "PT_PHDR disagrees");

    elfgen_good_exec(&g);
    set_ph64(0, VADDR, 0x300000);
    expect_fail(LDR_ECORRUPT, "PT_PHDR is not inside");

    elfgen_good_exec(&g);
    elfgen_phdr(&g, 6, 4, 64, 0x400040, 56, 56, 8);
    expect_fail(LDR_ECORRUPT, "more than one PT_PHDR");

    elfgen_init(&g, LDR_ET_EXEC, 0x401000);
    elfgen_phdr(&g, 1, 5, 0, 0x401000, 0x100, 0x100, 0x1000);
    elfgen_phdr(&g, 6, 4, 64, 0x401040, 112, 112, 8);
    g.size = 0x100;
    expect_fail(LDR_ECORRUPT, "follows a loadable segment");
}

static void interpreter(void **state)
{
    static const char path[] = "/lib/ld-musl-x86_64.so.1";
    (void)state;

    elfgen_good_exec(&g);
    memcpy(g.buf + 0x200, path, sizeof(path));
    int i = elfgen_phdr(&g, 3, 4, 0x200, 0x400200, sizeof(path), sizeof(path), 1);
    expect_ok();
    assert_true(info.has_interp);
    assert_string_equal(info.interp, path);

    set_ph64(i, FILESZ, sizeof(path) - 1);
    expect_fail(LDR_ECORRUPT, "not NUL-terminated");
    set_ph64(i, FILESZ, 0);
    expect_fail(LDR_ECORRUPT, "empty");
    set_ph64(i, OFF, 0x2008);
    set_ph64(i, FILESZ, 0x10);
    expect_fail(LDR_ECORRUPT, "interpreter path extends past end of file");

    /* 300 bytes of path: longer than the output can hold. */
    memset(g.buf + 0x300, 'a', 299);
    g.buf[0x300 + 299] = '\0';
    set_ph64(i, OFF, 0x300);
    set_ph64(i, FILESZ, 300);
    expect_fail(LDR_EUNSUPPORTED, "too long");

    set_ph64(i, OFF, 0x200);
    set_ph64(i, FILESZ, sizeof(path));
    elfgen_phdr(&g, 3, 4, 0x200, 0x400200, sizeof(path), sizeof(path), 1);
    expect_fail(LDR_ECORRUPT, "more than one PT_INTERP");
}

static int add_note_segment(size_t len, uint64_t align)
{
    return elfgen_phdr(&g, 4, 4, 0x400, 0x400400, len, len, align);
}

static void persona_note(void **state)
{
    uint32_t native = BOOTIMG_PERS_NATIVE, dos = BOOTIMG_PERS_DOS;
    uint8_t build_id[20] = {1, 2, 3};
    (void)state;

    elfgen_good_exec(&g);
    size_t len = elfgen_note(g.buf + 0x400, "GNU", 3, build_id, sizeof(build_id));
    uint8_t *pn = g.buf + 0x400 + len; /* the Persona note */
    len += elfgen_note(pn, "Persona", 1, &native, 4);
    int i = add_note_segment(len, 4);
    expect_ok();
    assert_int_equal(info.personality, BOOTIMG_PERS_NATIVE);

    /* The note makes a program native whatever its OS ABI byte says. */
    g.buf[7] = 9;
    expect_ok();
    assert_int_equal(info.personality, BOOTIMG_PERS_NATIVE);
    g.buf[7] = 0;

    /* A note of another type, or one cut short, is not the Persona note. */
    put32(pn + 8, 2);
    expect_ok();
    assert_int_equal(info.personality, BOOTIMG_PERS_POSIX);
    put32(pn + 8, 1);

    set_ph64(i, FILESZ, len - 2);
    expect_fail(LDR_ECORRUPT, "note descriptor extends past the end");
    set_ph64(i, FILESZ, len);

    put32(pn + 4, 8);
    expect_fail(LDR_ECORRUPT, "note descriptor extends past the end");
    put32(pn + 4, 0);
    expect_fail(LDR_ECORRUPT, "not 4 bytes");
    put32(pn + 4, 4);

    put32(pn, 0xfffffff0u);
    expect_fail(LDR_ECORRUPT, "note name extends past the end");
    put32(pn, 8);

    memcpy(pn + 20, &dos, 4);
    expect_fail(LDR_EUNSUPPORTED, "personality");
    memcpy(pn + 20, &native, 4);

    add_note_segment(len, 4);
    expect_fail(LDR_ECORRUPT, "more than one Persona note");
}

static void note_alignment_8(void **state)
{
    uint32_t native = BOOTIMG_PERS_NATIVE;
    uint8_t prop[16] = {0};
    (void)state;

    /* A GNU property note (namesz 4, 8-aligned) before the Persona note:
     * misreading the padding would miss the second note. */
    elfgen_good_exec(&g);
    put32(g.buf + 0x400, 4);
    put32(g.buf + 0x404, sizeof(prop));
    put32(g.buf + 0x408, 5);
    memcpy(g.buf + 0x40c, "GNU", 4);
    memcpy(g.buf + 0x410, prop, sizeof(prop));
    /* The Persona note, 8-aligned: its descriptor moves from 20 to 24. */
    put32(g.buf + 0x420, 8);
    put32(g.buf + 0x424, 4);
    put32(g.buf + 0x428, 1);
    memcpy(g.buf + 0x42c, "Persona", 8);
    memcpy(g.buf + 0x438, &native, 4);
    add_note_segment(0x40, 8);
    expect_ok();
    assert_int_equal(info.personality, BOOTIMG_PERS_NATIVE);
}

static void note_segment_bounds(void **state)
{
    (void)state;
    elfgen_good_exec(&g);
    add_note_segment(0x10000, 4);
    expect_fail(LDR_ECORRUPT, "note segment extends past end of file");

    /* Padding shorter than a note header at the end is ignored. */
    elfgen_good_exec(&g);
    add_note_segment(11, 4);
    expect_ok();
}

static void tls_segment(void **state)
{
    (void)state;
    elfgen_good_exec(&g);
    int i = elfgen_phdr(&g, 7, 4, 0x2000, 0x402000, 0x8, 0x40, 64);
    expect_ok();
    assert_true(info.has_tls);
    assert_int_equal(info.tls.vaddr, 0x402000);
    assert_int_equal(info.tls.filesz, 8);
    assert_int_equal(info.tls.memsz, 0x40);
    assert_int_equal(info.tls.align, 64);

    set_ph64(i, FILESZ, 0x41);
    expect_fail(LDR_ECORRUPT, "TLS template is larger");
    set_ph64(i, FILESZ, 0x8);
    set_ph64(i, ALIGN, 48);
    expect_fail(LDR_ECORRUPT, "TLS alignment");
    set_ph64(i, ALIGN, 64);
    set_ph64(i, VADDR, 0x500000);
    expect_fail(LDR_ECORRUPT, "TLS template is not inside");
    set_ph64(i, VADDR, UINT64_MAX - 8);
    expect_fail(LDR_ECORRUPT, "TLS segment wraps");
    set_ph64(i, VADDR, 0x402000);
    set_ph64(i, OFF, 0x2008);
    set_ph64(i, FILESZ, 0x10);
    expect_fail(LDR_ECORRUPT, "TLS template extends past end of file");
    set_ph64(i, OFF, 0x2000);
    set_ph64(i, FILESZ, 0x8);
    elfgen_phdr(&g, 7, 4, 0x2000, 0x402000, 0x8, 0x40, 64);
    expect_fail(LDR_ECORRUPT, "more than one PT_TLS");
}

static void dynamic_segment_bounds(void **state)
{
    (void)state;
    elfgen_good_pie(&g);
    set_ph64(4, FILESZ, 0x20);
    expect_fail(LDR_ECORRUPT, "dynamic section extends past end of file");
}

static void contains(void **state)
{
    (void)state;
    elfgen_good_exec(&g);
    expect_ok();
    assert_true(ldr_elf_contains(&info, 0x402000, 0x2000));
    assert_false(ldr_elf_contains(&info, 0x402000, 0x2001));
    assert_true(ldr_elf_contains(&info, 0x404000, 0));
    assert_false(ldr_elf_contains(&info, 0x3fffff, 1));
    assert_false(ldr_elf_contains(&info, 0x401000, UINT64_MAX));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_exec),
        cmocka_unit_test(good_pie),
        cmocka_unit_test(phdr_from_load_without_pt_phdr),
        cmocka_unit_test(library_without_entry),
        cmocka_unit_test(not_elf),
        cmocka_unit_test(every_truncation_fails),
        cmocka_unit_test(header_fields),
        cmocka_unit_test(program_header_table),
        cmocka_unit_test(load_segments),
        cmocka_unit_test(too_many_and_no_loads),
        cmocka_unit_test(entry_point),
        cmocka_unit_test(pt_phdr_rules),
        cmocka_unit_test(interpreter),
        cmocka_unit_test(persona_note),
        cmocka_unit_test(note_alignment_8),
        cmocka_unit_test(note_segment_bounds),
        cmocka_unit_test(tls_segment),
        cmocka_unit_test(dynamic_segment_bounds),
        cmocka_unit_test(contains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
