/*
 * dos-unit-names: 8.3 names (server/names.c): the FCB form of a name with
 * DOS's truncation and wildcard expansion, back again, matching with '?',
 * which host names DOS can see, device names, upper-casing, and the
 * AH=29h parser with each of its flags.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dosp.h"

static void fcb_of(const char *name, const char *want, bool wild)
{
    uint8_t fcb[11];
    assert_int_equal(dosp_name_to_fcb(name, fcb, wild), 0);
    assert_memory_equal(fcb, want, 11);
}

static void names_to_fcb_form(void **state)
{
    (void)state;
    fcb_of("FOO.TXT", "FOO     TXT", false);
    fcb_of("foo.txt", "FOO     TXT", false);
    fcb_of("README", "README     ", false);
    fcb_of("LONGFILENAME.TEXT", "LONGFILETEX", false); /* cut, as DOS does */
    fcb_of("*.*", "???????????", true);
    fcb_of("A*.C?", "A???????C? ", true);
    fcb_of("*", "????????   ", true);
    fcb_of(".", ".          ", false);
    fcb_of("..", "..         ", false);
}

static void bad_names_are_refused(void **state)
{
    uint8_t fcb[11];

    (void)state;
    assert_int_equal(dosp_name_to_fcb("*.TXT", fcb, false), -1);
    assert_int_equal(dosp_name_to_fcb("A.B.C", fcb, false), -1);
    assert_int_equal(dosp_name_to_fcb(".TXT", fcb, false), -1);
    assert_int_equal(dosp_name_to_fcb("", fcb, false), -1);
    assert_int_equal(dosp_name_to_fcb("A B", fcb, false), -1);
    assert_int_equal(dosp_name_to_fcb("A|B", fcb, false), -1);
    assert_int_equal(dosp_name_to_fcb("A+B", fcb, false), -1);
}

static void fcb_form_to_name(void **state)
{
    char out[13];

    (void)state;
    dosp_fcb_to_name((const uint8_t *)"FOO     TXT", out);
    assert_string_equal(out, "FOO.TXT");
    dosp_fcb_to_name((const uint8_t *)"README     ", out);
    assert_string_equal(out, "README");
    dosp_fcb_to_name((const uint8_t *)"ABCDEFGHIJK", out);
    assert_string_equal(out, "ABCDEFGH.IJK");
}

static void wildcards_match(void **state)
{
    uint8_t pat[11];
    const uint8_t *foo = (const uint8_t *)"FOO     TXT";

    (void)state;
    dosp_name_to_fcb("*.*", pat, true);
    assert_true(dosp_match(pat, foo));
    dosp_name_to_fcb("F?O.T*", pat, true);
    assert_true(dosp_match(pat, foo));
    dosp_name_to_fcb("*.DAT", pat, true);
    assert_false(dosp_match(pat, foo));
    /* No extension in the pattern: only names without one. */
    dosp_name_to_fcb("FOO*", pat, true);
    assert_false(dosp_match(pat, foo));
    assert_true(dosp_match(pat, (const uint8_t *)"FOOBAR     "));
    /* '?' also matches the blanks that pad a short name. */
    dosp_name_to_fcb("FOO?????.???", pat, true);
    assert_true(dosp_match(pat, foo));
    assert_true(dosp_has_wild(pat));
    dosp_name_to_fcb("FOO.TXT", pat, false);
    assert_false(dosp_has_wild(pat));
}

static void host_names_dos_can_see(void **state)
{
    char out[13];

    (void)state;
    assert_int_equal(dosp_host_to_dos("hello.com", out), 0);
    assert_string_equal(out, "HELLO.COM");
    assert_int_equal(dosp_host_to_dos("README", out), 0);
    assert_string_equal(out, "README");
    assert_int_equal(dosp_host_to_dos("..", out), 0);
    assert_int_equal(dosp_host_to_dos("longfilename.txt", out), -1);
    assert_int_equal(dosp_host_to_dos("a.html", out), -1);
    assert_int_equal(dosp_host_to_dos(".hidden", out), -1);
    assert_int_equal(dosp_host_to_dos("a.b.c", out), -1);
    assert_int_equal(dosp_host_to_dos("trailing.", out), -1);
    assert_int_equal(dosp_host_to_dos("sp ace", out), -1);
    assert_int_equal(dosp_host_to_dos("caf\xc3\xa9", out), -1);
}

static void devices_by_name(void **state)
{
    uint8_t fcb[11];

    (void)state;
    dosp_name_to_fcb("con", fcb, false);
    assert_int_equal(dosp_device_name(fcb), DOSP_CON);
    dosp_name_to_fcb("NUL.TXT", fcb, false); /* the extension does not matter */
    assert_int_equal(dosp_device_name(fcb), DOSP_NUL);
    dosp_name_to_fcb("LPT1", fcb, false);
    assert_int_equal(dosp_device_name(fcb), DOSP_PRN);
    dosp_name_to_fcb("CONSOLE", fcb, false);
    assert_int_equal(dosp_device_name(fcb), 0);
}

static void upcase_follows_code_page_437(void **state)
{
    (void)state;
    assert_int_equal(dosp_upcase('a'), 'A');
    assert_int_equal(dosp_upcase('Z'), 'Z');
    assert_int_equal(dosp_upcase(0x82), 0x90); /* e acute */
    assert_int_equal(dosp_upcase(0x85), 'A');  /* a grave: no capital in 437 */
    assert_int_equal(dosp_upcase(0xA4), 0xA5); /* n tilde */
    assert_int_equal(dosp_upcase(0xE1), 0xE1);
}

/* ---- AH=29h ---- */

static bool drives_c_d(void *ctx, uint8_t d)
{
    (void)ctx;
    return d == 2 || d == 3;
}

static uint8_t parse(const char *s, uint8_t flags, uint8_t fcb[12], size_t *used)
{
    return dosp_parse_fcb_name((const uint8_t *)s, strlen(s), flags, fcb, used, drives_c_d, NULL);
}

static void parse_plain_name(void **state)
{
    uint8_t fcb[12];
    size_t used;

    (void)state;
    memset(fcb, 'x', sizeof(fcb));
    assert_int_equal(parse("  foo.bar rest", 1, fcb, &used), 0);
    assert_memory_equal(fcb, "\0FOO     BAR", 12);
    assert_int_equal(used, 9);
}

static void parse_drive_and_wildcards(void **state)
{
    uint8_t fcb[12];
    size_t used;

    (void)state;
    assert_int_equal(parse("d:*.c", 0, fcb, &used), 1);
    assert_memory_equal(fcb, "\4????????C  ", 12);
    assert_int_equal(used, 5);
    assert_int_equal(parse("q:x", 0, fcb, &used), 0xFF);
    assert_int_equal(fcb[0], 17);
}

static void parse_skips_one_separator(void **state)
{
    uint8_t fcb[12];
    size_t used;

    (void)state;
    assert_int_equal(parse(" , name", 1, fcb, &used), 0);
    assert_memory_equal(fcb + 1, "NAME       ", 11);
    /* Without bit 0 the separator ends the (empty) name. */
    assert_int_equal(parse(",name", 0, fcb, &used), 0);
    assert_memory_equal(fcb + 1, "           ", 11);
    assert_int_equal(used, 0);
}

static void parse_flags_keep_fields(void **state)
{
    uint8_t fcb[12];
    size_t used;

    (void)state;
    memcpy(fcb, "\3OLDNAME EXT", 12);
    /* Bits 1-3: drive, name and extension stay when the string has none. */
    assert_int_equal(parse("", 0x0E, fcb, &used), 0);
    assert_memory_equal(fcb, "\3OLDNAME EXT", 12);
    assert_int_equal(parse(".new", 0x0E, fcb, &used), 0);
    assert_memory_equal(fcb, "\3OLDNAME NEW", 12);
    assert_int_equal(parse("", 0, fcb, &used), 0);
    assert_memory_equal(fcb, "\0           ", 12);
}

static void parse_long_name_is_cut(void **state)
{
    uint8_t fcb[12];
    size_t used;

    (void)state;
    assert_int_equal(parse("verylongname.text/x", 0, fcb, &used), 0);
    assert_memory_equal(fcb + 1, "VERYLONGTEX", 11);
    assert_int_equal(used, 17); /* stopped at the '/' */
}

/* Host paths become DOS paths on the drive with the longest root. */
static void host_paths_to_dos_paths(void **state)
{
    static dos_server_t s;
    char out[80];

    (void)state;
    memset(&s, 0, sizeof(s));
    assert_int_equal(dos_server_dos_path(&s, "/x", out, sizeof(out)), -DOS_ENOPATH);
    assert_int_equal(dos_server_map_drive(&s, 'C', "/"), 0);
    assert_int_equal(dos_server_map_drive(&s, 'D', "/run/prog/"), 0);
    assert_int_equal(dos_server_dos_path(&s, "/tests/dos/Hello.com", out, sizeof(out)), 0);
    assert_string_equal(out, "C:\\tests\\dos\\Hello.com");
    assert_int_equal(dos_server_dos_path(&s, "/", out, sizeof(out)), 0);
    assert_string_equal(out, "C:\\");
    assert_int_equal(dos_server_dos_path(&s, "/run/prog/a/B.EXE", out, sizeof(out)), 0);
    assert_string_equal(out, "D:\\a\\B.EXE");
    assert_int_equal(dos_server_dos_path(&s, "/run/prog", out, sizeof(out)), 0);
    assert_string_equal(out, "D:\\");
    assert_int_equal(dos_server_dos_path(&s, "/run/programs", out, sizeof(out)), 0);
    assert_string_equal(out, "C:\\run\\programs");
    assert_int_equal(dos_server_dos_path(&s, "/run/prog/x", out, 4), -DOS_ENOPATH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_to_fcb_form),         cmocka_unit_test(host_paths_to_dos_paths),
        cmocka_unit_test(bad_names_are_refused),     cmocka_unit_test(fcb_form_to_name),
        cmocka_unit_test(wildcards_match),           cmocka_unit_test(host_names_dos_can_see),
        cmocka_unit_test(devices_by_name),           cmocka_unit_test(upcase_follows_code_page_437),
        cmocka_unit_test(parse_plain_name),          cmocka_unit_test(parse_drive_and_wildcards),
        cmocka_unit_test(parse_skips_one_separator), cmocka_unit_test(parse_flags_keep_fields),
        cmocka_unit_test(parse_long_name_is_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
