/*
 * Calendar arithmetic for the DOS date range (see <dos/clock.h>). Years
 * are walked one at a time: the range is only 128 years, and a loop is
 * easier to trust than a closed formula.
 *
 * Entry points: dc_valid_date, dc_to_ms, dc_from_ms, dc_weekday,
 * dc_pack_date, dc_pack_time.
 */
#include <dos/clock.h>

#define FIRST_YEAR 1980u
#define LAST_YEAR  2107u

static bool leap(unsigned y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(unsigned y, unsigned m)
{
    static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool dc_valid_date(unsigned year, unsigned month, unsigned day)
{
    return year >= FIRST_YEAR && year <= LAST_YEAR && month >= 1 && month <= 12 && day >= 1 &&
           day <= month_days(year, month);
}

static int64_t days_since_epoch(unsigned y, unsigned m, unsigned d)
{
    int64_t days = 0;

    if (!dc_valid_date(y, m, d))
        return 0;
    for (unsigned i = FIRST_YEAR; i < y; i++)
        days += leap(i) ? 366 : 365;
    for (unsigned i = 1; i < m; i++)
        days += month_days(y, i);
    return days + d - 1;
}

int64_t dc_to_ms(const dos_clock_t *c)
{
    return days_since_epoch(c->year, c->month, c->day) * DC_MS_PER_DAY + c->ms % DC_MS_PER_DAY;
}

void dc_from_ms(int64_t ms, dos_clock_t *c)
{
    if (ms < 0)
        ms = 0;
    int64_t days = ms / DC_MS_PER_DAY;
    unsigned y = FIRST_YEAR, m = 1;

    c->ms = (uint32_t)(ms % DC_MS_PER_DAY);
    while (y < LAST_YEAR && days >= (leap(y) ? 366 : 365))
        days -= leap(y++) ? 366 : 365;
    while (m < 12 && days >= month_days(y, m))
        days -= month_days(y, m++);
    if (days >= month_days(y, m)) {
        days = month_days(y, m) - 1;
        c->ms = DC_MS_PER_DAY - 1;
    }
    c->year = (uint16_t)y;
    c->month = (uint8_t)m;
    c->day = (uint8_t)(days + 1);
}

unsigned dc_weekday(const dos_clock_t *c)
{
    /* 1980-01-01 was a Tuesday. */
    return (unsigned)((days_since_epoch(c->year, c->month, c->day) + 2) % 7);
}

uint16_t dc_pack_date(unsigned year, unsigned month, unsigned day)
{
    if (year < FIRST_YEAR)
        return (1 << 5) | 1;
    return (uint16_t)(((year - FIRST_YEAR) & 0x7F) << 9 | (month & 0xF) << 5 | (day & 0x1F));
}

uint16_t dc_pack_time(unsigned hour, unsigned minute, unsigned second)
{
    return (uint16_t)((hour & 0x1F) << 11 | (minute & 0x3F) << 5 | ((second / 2) & 0x1F));
}
