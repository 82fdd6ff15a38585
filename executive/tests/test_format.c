/* Unit tests for the shared formatter (rtl/format.c), against expected text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

int rtl_snprintf(char *buf, size_t size, const char *fmt, ...);

#define CHECK(want, ...)                                     \
    do {                                                     \
        char buf[128];                                       \
        int n = rtl_snprintf(buf, sizeof(buf), __VA_ARGS__); \
        assert_string_equal(buf, want);                      \
        assert_int_equal(n, (int)sizeof(want) - 1);          \
    } while (0)

static void test_integers(void **state)
{
    (void)state;
    CHECK("42", "%d", 42);
    CHECK("-42", "%d", -42);
    CHECK("-9223372036854775808", "%lld", (long long)INT64_MIN);
    CHECK("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
    CHECK("ff FF 0xff 377", "%x %X %#x %o", 255, 255, 255, 255);
    CHECK("  7|7  |007", "%3d|%-3d|%03d", 7, 7, 7);
    CHECK("+5 -5  5", "%+d %+d % d", 5, -5, 5);
    CHECK("00042", "%.5d", 42);
    CHECK("-0042", "%05d", -42);
    CHECK("", "%.0d", 0);
    CHECK("255 -1", "%hhu %hhd", 0x1ff, 0xff);
    CHECK("12345678901", "%zu", (size_t)12345678901ull);
}

static void test_strings_chars_pointers(void **state)
{
    (void)state;
    CHECK("abc", "%s", "abc");
    CHECK("(null)", "%s", (char *)NULL);
    CHECK("  ab|ab  |a", "%4s|%-4s|%.1s", "ab", "ab", "abc");
    CHECK("x|  y", "%c|%3c", 'x', 'y');
    CHECK("0x1000", "%p", (void *)0x1000);
    CHECK("100%", "100%%");
    CHECK("  z", "%*s", 3, "z");
}

static void test_truncation(void **state)
{
    char buf[5];
    int n;

    (void)state;
    n = rtl_snprintf(buf, sizeof(buf), "%s", "abcdefgh");
    assert_int_equal(n, 8);
    assert_string_equal(buf, "abcd");
    n = rtl_snprintf(NULL, 0, "%d", 12345);
    assert_int_equal(n, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_strings_chars_pointers),
        cmocka_unit_test(test_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
