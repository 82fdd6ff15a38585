/*
 * Calendar arithmetic shared by the VDM's BIOS clock and the DOS server's
 * date and time calls. A program may set the date and time; neither the
 * VDM nor the server may change the host's clock, so each keeps an offset
 * from the host's time, and these helpers turn a date and time into
 * milliseconds since 1980-01-01 (DOS's epoch) and back.
 *
 * Entry points: dc_valid_date, dc_to_ms, dc_from_ms, dc_weekday,
 * dc_pack_date, dc_pack_time.
 */
#ifndef DOS_CLOCK_H
#define DOS_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct dos_clock {
    uint16_t year; /* 1980-2107 */
    uint8_t month; /* 1-12 */
    uint8_t day;   /* 1-31 */
    uint32_t ms;   /* milliseconds since midnight */
} dos_clock_t;

#define DC_MS_PER_DAY 86400000u

/* 1980-01-01 00:00 UTC in milliseconds since 1970-01-01 (the Unix epoch). */
#define DC_EPOCH_UNIX_MS 315532800000ll

bool dc_valid_date(unsigned year, unsigned month, unsigned day);

/* Milliseconds since 1980-01-01 00:00; dates before 1980 count as 1980-01-01. */
int64_t dc_to_ms(const dos_clock_t *c);

/* The inverse, clamped to 1980-01-01 .. 2107-12-31. */
void dc_from_ms(int64_t ms, dos_clock_t *c);

/* 0 = Sunday. */
unsigned dc_weekday(const dos_clock_t *c);

/* The packed forms of directory entries: (year-1980)<<9 | month<<5 | day,
 * hour<<11 | minute<<5 | second/2. */
uint16_t dc_pack_date(unsigned year, unsigned month, unsigned day);
uint16_t dc_pack_time(unsigned hour, unsigned minute, unsigned second);

#endif
