/*
 * Unit tests of the NE parser and its accessors on the hand-built file of
 * negen.c, then one test per way a table can point outside the file, be
 * cut short, be out of order, or loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <loader/ne.h>

#include "elfgen.h"
#include "negen.h"

static uint8_t buf[NEGEN_MAX];
static size_t size;
static ldr_ne_info_t ne;
static uint8_t *const hdr = buf + NE_AT;

static void expect(int status, const char *words)
{
    const char *why = NULL;
    int rc = ldr_ne_parse(buf, size, &ne, &why);

    if (rc != status)
        fail_msg("status %d, expected %d (why: %s)", rc, status, why ? why : "-");
    if (status == LDR_OK)
        return;
    assert_non_null(why);
    if (!strstr(why, words))
        fail_msg("why = \"%s\", expected \"%s\"", why, words);
}

static void header_fields(void **state)
{
    (void)state;
    negen_good(buf, &size);
    expect(LDR_OK, NULL);
    assert_int_equal(ne.ne_offset, NE_AT);
    assert_int_equal(ne.linker_version, 5);
    assert_int_equal(ne.flags, LDR_NE_MULTIPLEDATA);
    assert_int_equal(ne.exe_type, LDR_NE_OS_WINDOWS);
    assert_int_equal(ne.expected_version, 0x0300);
    assert_int_equal(ne.autodata, 2);
    assert_int_equal(ne.heap_size, 0x400);
    assert_int_equal(ne.stack_size, 0x1000);
    assert_int_equal(ne.cs, 1);
    assert_int_equal(ne.ip, 0x10);
    assert_int_equal(ne.ss, 2);
    assert_int_equal(ne.sp, 0);
    assert_int_equal(ne.nsegments, 2);
    assert_int_equal(ne.nmodules, 2);
    assert_int_equal(ne.align_shift, 4);
    assert_int_equal(ne.nentries, 3);
    assert_int_equal(ne.segtab_offset, NE_AT + NE_SEGTAB);
    assert_int_equal(ne.nrestab_offset, NE_NRESTAB);
}

static void segments_and_relocations(void **state)
{
    ldr_ne_segment_t seg;
    ldr_ne_reloc_t r;
    uint32_t n;
    const char *why = NULL;
    (void)state;

    negen_good(buf, &size);
    expect(LDR_OK, NULL);
    assert_int_equal(ldr_ne_segment(&ne, 1, &seg), LDR_OK);
    assert_int_equal(seg.file_offset, NE_SEG1);
    assert_int_equal(seg.file_size, 0x20);
    assert_int_equal(seg.min_alloc, 0x20);
    assert_int_equal(seg.flags, LDR_NE_SEG_RELOCINFO);
    assert_int_equal(seg.nrelocs, 3);
    assert_int_equal(seg.reloc_offset, NE_SEG1_RELOCS);
    assert_int_equal(ldr_ne_segment(&ne, 2, &seg), LDR_OK);
    assert_int_equal(seg.min_alloc, 0x100);
    assert_int_equal(seg.flags, LDR_NE_SEG_DATA);
    assert_int_equal(seg.nrelocs, 0);
    assert_int_equal(ldr_ne_segment(&ne, 0, &seg), LDR_ENOENT);
    assert_int_equal(ldr_ne_segment(&ne, 3, &seg), LDR_ENOENT);

    assert_int_equal(ldr_ne_reloc(&ne, 1, 0, &r), LDR_OK);
    assert_int_equal(r.source, LDR_NE_SRC_FARADDR);
    assert_int_equal(r.target, LDR_NE_TGT_IMPORTORD);
    assert_int_equal(r.module, 1);
    assert_int_equal(r.ordinal, 5);
    assert_int_equal(ldr_ne_chain_length(&ne, 1, &r, &n, &why), LDR_OK);
    assert_int_equal(n, 1);

    assert_int_equal(ldr_ne_reloc(&ne, 1, 1, &r), LDR_OK);
    assert_int_equal(r.target, LDR_NE_TGT_IMPORTNAME);
    assert_int_equal(r.module, 2);
    char name[LDR_NE_NAME_MAX];
    assert_int_equal(ldr_ne_imported_name(&ne, r.name_offset, name), LDR_OK);
    assert_string_equal(name, "MessageBox");
    assert_int_equal(ldr_ne_chain_length(&ne, 1, &r, &n, &why), LDR_OK);
    assert_int_equal(n, 2);

    assert_int_equal(ldr_ne_reloc(&ne, 1, 2, &r), LDR_OK);
    assert_int_equal(r.target, LDR_NE_TGT_INTERNAL);
    assert_true(r.additive);
    assert_int_equal(r.segment, 2);
    assert_int_equal(ldr_ne_chain_length(&ne, 1, &r, &n, &why), LDR_OK);
    assert_int_equal(n, 1);

    assert_int_equal(ldr_ne_reloc(&ne, 1, 3, &r), LDR_ENOENT);
    assert_int_equal(ldr_ne_reloc(&ne, 2, 0, &r), LDR_ENOENT);
}

static void relocation_chains(void **state)
{
    ldr_ne_reloc_t r;
    uint32_t n;
    const char *why = NULL;
    (void)state;

    negen_good(buf, &size);
    expect(LDR_OK, NULL);
    ldr_ne_reloc(&ne, 1, 1, &r);

    /* 0x08 -> 0x0C -> 0x08: a loop. */
    put16(buf + NE_SEG1 + 0x0C, 0x0008);
    assert_int_equal(ldr_ne_chain_length(&ne, 1, &r, &n, &why), LDR_ECORRUPT);
    assert_non_null(strstr(why, "loops"));
    /* A location pointing at itself. */
    put16(buf + NE_SEG1 + 0x08, 0x0008);
    assert_int_equal(ldr_ne_chain_length(&ne, 1, &r, &n, &why), LDR_ECORRUPT);
    assert_non_null(strstr(why, "loops"));
    /* Leaving the segment. */
    put16(buf + NE_SEG1 + 0x08, 0x001F);
    assert_int_equal(ldr_ne_chain_length(&ne, 1, &r, &n, &why), LDR_ECORRUPT);
    assert_non_null(strstr(why, "leaves"));
}

static void names(void **state)
{
    char name[LDR_NE_NAME_MAX];
    uint16_t ord;
    uint32_t cursor = 0;
    (void)state;

    negen_good(buf, &size);
    expect(LDR_OK, NULL);
    assert_int_equal(ldr_ne_name_next(&ne, LDR_NE_RESIDENT, &cursor, name, &ord), LDR_OK);
    assert_string_equal(name, "HELLO");
    assert_int_equal(ord, 0);
    assert_int_equal(ldr_ne_name_next(&ne, LDR_NE_RESIDENT, &cursor, name, &ord), LDR_OK);
    assert_string_equal(name, "FOO");
    assert_int_equal(ord, 1);
    assert_int_equal(ldr_ne_name_next(&ne, LDR_NE_RESIDENT, &cursor, name, &ord), LDR_ENOENT);
    assert_int_equal(ldr_ne_name_next(&ne, LDR_NE_RESIDENT, &cursor, name, &ord), LDR_ENOENT);

    cursor = 0;
    assert_int_equal(ldr_ne_name_next(&ne, LDR_NE_NONRESIDENT, &cursor, name, &ord), LDR_OK);
    assert_string_equal(name, "Hello test");
    assert_int_equal(ldr_ne_name_next(&ne, LDR_NE_NONRESIDENT, &cursor, name, &ord), LDR_ENOENT);

    assert_int_equal(ldr_ne_module_name(&ne, 1, name), LDR_OK);
    assert_string_equal(name, "KERNEL");
    assert_int_equal(ldr_ne_module_name(&ne, 2, name), LDR_OK);
    assert_string_equal(name, "USER");
    assert_int_equal(ldr_ne_module_name(&ne, 0, name), LDR_ENOENT);
    assert_int_equal(ldr_ne_module_name(&ne, 3, name), LDR_ENOENT);
    assert_int_equal(ldr_ne_imported_name(&ne, 200, name), LDR_ENOENT);
    assert_string_equal(name, "");
}

static void entries(void **state)
{
    ldr_ne_entry_t e;
    (void)state;

    negen_good(buf, &size);
    expect(LDR_OK, NULL);
    assert_int_equal(ldr_ne_entry(&ne, 1, &e), LDR_OK);
    assert_int_equal(e.segment, 1);
    assert_int_equal(e.offset, 0x10);
    assert_int_equal(e.flags, 1);
    assert_false(e.movable);
    assert_int_equal(ldr_ne_entry(&ne, 2, &e), LDR_ENOENT);
    assert_int_equal(ldr_ne_entry(&ne, 3, &e), LDR_OK);
    assert_true(e.movable);
    assert_int_equal(e.segment, 2);
    assert_int_equal(e.offset, 4);
    assert_int_equal(ldr_ne_entry(&ne, 4, &e), LDR_ENOENT);
    assert_int_equal(ldr_ne_entry(&ne, 0, &e), LDR_ENOENT);
}

static void resources(void **state)
{
    ldr_ne_resource_t res;
    uint32_t cursor = 0;
    (void)state;

    negen_good(buf, &size);
    expect(LDR_OK, NULL);
    assert_int_equal(ldr_ne_resource_next(&ne, &cursor, &res), LDR_OK);
    assert_int_equal(res.type_id, 0x8004);
    assert_int_equal(res.id, 0x8001);
    assert_int_equal(res.file_offset, NE_RSRC);
    assert_int_equal(res.size, 16);
    assert_int_equal(res.flags, 0x30);
    assert_int_equal(ldr_ne_resource_next(&ne, &cursor, &res), LDR_ENOENT);
}

static void not_ne(void **state)
{
    (void)state;
    negen_good(buf, &size);
    buf[0] = 'X';
    expect(LDR_EFORMAT, "MZ");
    negen_good(buf, &size);
    hdr[0] = 'P';
    expect(LDR_EFORMAT, "no NE header");
    negen_good(buf, &size);
    put32(buf + 0x3C, 0x10000);
    expect(LDR_EFORMAT, "no NE header");
    negen_good(buf, &size);
    put32(buf + 0x3C, 8); /* inside the MZ header */
    expect(LDR_EFORMAT, "no NE header");
    negen_good(buf, &size);
    size = 0x90;
    expect(LDR_ECORRUPT, "NE header extends past end of file");
    negen_good(buf, &size);
    hdr[0x36] = 1;
    expect(LDR_EUNSUPPORTED, "OS/2");
    hdr[0x36] = 9;
    expect(LDR_EUNSUPPORTED, "not for Windows");
}

static void table_damage(void **state)
{
    static const struct {
        int field; /* offset in the NE header */
        int width; /* 2 or 4 */
        uint32_t value;
        const char *why;
    } bad[] = {
        {0x22, 2, 0x3F0, "segment table extends past end of file"},
        {0x22, 2, 0x10, "segment table extends past end of file"}, /* inside the header */
        {0x1C, 2, 0xFFFF, "segment table extends past end of file"},
        {0x24, 2, 0x70, "out of order"},
        {0x28, 2, 0x60, "out of order"},
        {0x1E, 2, 0x4000, "out of order"},
        {0x2A, 2, 0x94, "out of order"},
        {0x04, 2, 0xFFF0, "imported name table extends past end of file"},
        {0x06, 2, 0xFFFF, "entry table extends past end of file"},
        {0x2C, 4, 0xFFFFFFF0u, "non-resident name table extends past end of file"},
        {0x20, 2, 0x1000, "non-resident name table extends past end of file"},
        {0x32, 2, 17, "alignment shift"},
        {0x16, 2, 3, "entry point names a missing segment"},
        {0x14, 2, 0x20, "entry point lies outside"},
        {0x1A, 2, 3, "missing data or stack segment"},
        {0x0E, 2, 3, "missing data or stack segment"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        negen_good(buf, &size);
        if (bad[i].width == 2)
            put16(hdr + bad[i].field, (uint16_t)bad[i].value);
        else
            put32(hdr + bad[i].field, bad[i].value);
        expect(LDR_ECORRUPT, bad[i].why);
    }
}

static void name_table_damage(void **state)
{
    (void)state;
    /* The export's length byte runs past the table. */
    negen_good(buf, &size);
    hdr[NE_RESTAB + 8] = 60;
    expect(LDR_ECORRUPT, "resident name table is corrupt");
    /* No terminating zero length. */
    negen_good(buf, &size);
    hdr[NE_RESTAB + 14] = 1;
    expect(LDR_ECORRUPT, "resident name table is corrupt");
    negen_good(buf, &size);
    buf[NE_NRESTAB] = 200;
    expect(LDR_ECORRUPT, "non-resident name table is corrupt");

    negen_good(buf, &size);
    put16(hdr + NE_MODTAB + 2, 30);
    expect(LDR_ECORRUPT, "module reference points outside");
    negen_good(buf, &size);
    hdr[NE_IMPTAB + 13] = 20; /* "MessageBox" claims 20 characters */
    expect(LDR_ECORRUPT, "import by name points outside");
}

static void entry_table_damage(void **state)
{
    uint8_t *et = hdr + NE_ENTTAB;
    (void)state;

    negen_good(buf, &size);
    et[7] = 3; /* three movable entries of 6 bytes in 8 bytes */
    expect(LDR_ECORRUPT, "entry bundle extends past its table");
    negen_good(buf, &size);
    et[1] = 5; /* fixed entries in segment 5 */
    expect(LDR_ECORRUPT, "missing segment");
    negen_good(buf, &size);
    et[12] = 0;
    expect(LDR_ECORRUPT, "missing segment");
    /* The table may end without its 0 byte; a lone count byte is cut short. */
    negen_good(buf, &size);
    put16(hdr + 0x06, NE_ENTTAB_SIZE - 1);
    expect(LDR_OK, NULL);
    et[15] = 7;
    put16(hdr + 0x06, NE_ENTTAB_SIZE);
    expect(LDR_ECORRUPT, "cut short");

    /* Skip bundles of 255 ordinals, over and over: past 65535 ordinals.
     * The entry table moves to 8000h, out of the way of the others. */
    static uint8_t big[0x10080];
    memset(big, 0, sizeof(big));
    negen_good(buf, &size);
    memcpy(big, buf, NE_SIZE);
    put16(big + NE_AT + 0x04, 0x8000);
    put16(big + NE_AT + 0x06, 0x7FFF);
    for (size_t off = NE_AT + 0x8000; off + 2 <= NE_AT + 0xFFFF; off += 2)
        big[off] = 255;
    const char *why = NULL;
    assert_int_equal(ldr_ne_parse(big, sizeof(big), &ne, &why), LDR_ECORRUPT);
    if (!strstr(why, "more than 65535 ordinals"))
        fail_msg("why = %s", why);
}

static void segment_damage(void **state)
{
    uint8_t *seg = hdr + NE_SEGTAB;
    (void)state;

    negen_good(buf, &size);
    put16(seg + 2, 0); /* 64 KiB in a small file */
    expect(LDR_ECORRUPT, "segment data extends past end of file");
    negen_good(buf, &size);
    put16(seg + 0, 0x25); /* data ends at the end of the file */
    expect(LDR_ECORRUPT, "relocation count lies past end of file");
    negen_good(buf, &size);
    put16(buf + 0x220, 0x1000);
    expect(LDR_ECORRUPT, "relocation records extend past end of file");
    negen_good(buf, &size);
    put16(seg + 0, 0);
    expect(LDR_ECORRUPT, "without data has relocation records");

    /* Records that point at nothing. */
    negen_good(buf, &size);
    buf[NE_SEG1_RELOCS] = 9;
    expect(LDR_EUNSUPPORTED, "source type");
    negen_good(buf, &size);
    put16(buf + NE_SEG1_RELOCS + 2, 0x1E); /* a far pointer at 1E..21 */
    expect(LDR_ECORRUPT, "outside its segment's data");
    negen_good(buf, &size);
    put16(buf + NE_SEG1_RELOCS + 4, 3);
    expect(LDR_ECORRUPT, "missing module");
    negen_good(buf, &size);
    put16(buf + NE_SEG1_RELOCS + 8 + 4, 0);
    expect(LDR_ECORRUPT, "missing module");
    negen_good(buf, &size);
    put16(buf + NE_SEG1_RELOCS + 8 + 6, 100);
    expect(LDR_ECORRUPT, "import by name points outside");
    negen_good(buf, &size);
    buf[NE_SEG1_RELOCS + 16 + 4] = 7;
    expect(LDR_ECORRUPT, "internal relocation names a missing segment");
    buf[NE_SEG1_RELOCS + 16 + 4] = 0xFF; /* movable: entry ordinal */
    put16(buf + NE_SEG1_RELOCS + 16 + 6, 3);
    expect(LDR_OK, NULL);
    put16(buf + NE_SEG1_RELOCS + 16 + 6, 4);
    expect(LDR_ECORRUPT, "missing segment or entry");
}

static void resource_damage(void **state)
{
    uint8_t *rs = hdr + NE_RSRCTAB;
    (void)state;

    negen_good(buf, &size);
    put16(rs, 17);
    expect(LDR_ECORRUPT, "alignment shift");
    negen_good(buf, &size);
    put16(rs + 4, 2);
    expect(LDR_ECORRUPT, "resources extend past their table");
    negen_good(buf, &size);
    put16(rs + 12, 0x100);
    expect(LDR_ECORRUPT, "resource data extends past end of file");
    negen_good(buf, &size);
    put16(rs + 22, 0x8005); /* another type where the end should be */
    expect(LDR_ECORRUPT, "resource");
}

static void every_truncation(void **state)
{
    (void)state;
    negen_good(buf, &size);
    size_t full = size;
    for (size_t n = 0; n < full; n++) {
        const char *why = NULL;
        if (ldr_ne_parse(buf, n, &ne, &why) == LDR_OK || !why)
            fail_msg("truncated to %zu bytes: accepted", n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_fields),
        cmocka_unit_test(segments_and_relocations),
        cmocka_unit_test(relocation_chains),
        cmocka_unit_test(names),
        cmocka_unit_test(entries),
        cmocka_unit_test(resources),
        cmocka_unit_test(not_ne),
        cmocka_unit_test(table_damage),
        cmocka_unit_test(name_table_damage),
        cmocka_unit_test(entry_table_damage),
        cmocka_unit_test(segment_damage),
        cmocka_unit_test(resource_damage),
        cmocka_unit_test(every_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
