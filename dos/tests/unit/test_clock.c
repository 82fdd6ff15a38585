/*
 * dos-unit-clock: the calendar arithmetic shared by the BIOS clock and
 * DOS's date and time calls (common/clock.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dos/clock.h>

static void valid_dates(void **state)
{
    (void)state;
    assert_true(dc_valid_date(1980, 1, 1));
    assert_true(dc_valid_date(2000, 2, 29)); /* divisible by 400 */
    assert_false(dc_valid_date(2100, 2, 29));
    assert_true(dc_valid_date(2024, 2, 29));
    assert_false(dc_valid_date(2023, 2, 29));
    assert_false(dc_valid_date(1979, 12, 31));
    assert_false(dc_valid_date(2024, 4, 31));
    assert_false(dc_valid_date(2024, 13, 1));
    assert_false(dc_valid_date(2024, 1, 0));
}

static void round_trip(void **state)
{
    static const dos_clock_t days[] = {
        {1980, 1, 1, 0}, {1999, 12, 31, 86399999}, {2000, 2, 29, 43200000},
        {2024, 3, 1, 1}, {2107, 12, 31, 5},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
        dos_clock_t c;
        dc_from_ms(dc_to_ms(&days[i]), &c);
        assert_int_equal(c.year, days[i].year);
        assert_int_equal(c.month, days[i].month);
        assert_int_equal(c.day, days[i].day);
        assert_int_equal(c.ms, days[i].ms);
    }
}

static void offsets_cross_days_and_years(void **state)
{
    dos_clock_t c = {1999, 12, 31, 86399000};

    (void)state;
    dc_from_ms(dc_to_ms(&c) + 2000, &c);
    assert_int_equal(c.year, 2000);
    assert_int_equal(c.month, 1);
    assert_int_equal(c.day, 1);
    assert_int_equal(c.ms, 1000);
    dc_from_ms(-5, &c); /* before the epoch: the epoch */
    assert_int_equal(c.year, 1980);
    assert_int_equal(c.day, 1);
}

static void weekdays(void **state)
{
    dos_clock_t c = {1980, 1, 1, 0};

    (void)state;
    assert_int_equal(dc_weekday(&c), 2); /* Tuesday */
    c = (dos_clock_t){2024, 1, 1, 0};
    assert_int_equal(dc_weekday(&c), 1); /* Monday */
    c = (dos_clock_t){2000, 2, 29, 0};
    assert_int_equal(dc_weekday(&c), 2);
}

static void packing(void **state)
{
    (void)state;
    assert_int_equal(dc_pack_date(1980, 1, 1), 0x0021);
    assert_int_equal(dc_pack_date(2024, 2, 29), (44 << 9) | (2 << 5) | 29);
    assert_int_equal(dc_pack_time(23, 59, 59), (23 << 11) | (59 << 5) | 29);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_dates),
        cmocka_unit_test(round_trip),
        cmocka_unit_test(offsets_cross_days_and_years),
        cmocka_unit_test(weekdays),
        cmocka_unit_test(packing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
