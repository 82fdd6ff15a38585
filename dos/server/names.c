/*
 * 8.3 file names: the characters DOS allows, upper-casing (code page 437,
 * country 001), the 11-byte FCB form ("NAME    EXT") that directory
 * searches compare with '?' as the wildcard, device names, host names
 * that can be shown to DOS, and INT 21h AH=29h's parser.
 *
 * Entry points: dosp_name_char, dosp_upcase, dosp_name_to_fcb,
 * dosp_fcb_to_name, dosp_match, dosp_has_wild, dosp_host_to_dos,
 * dosp_device_name, dosp_parse_fcb_name.
 */
#include <string.h>

#include "dosp.h"

bool dosp_name_char(uint8_t c)
{
    if (c >= 0x80)
        return true;
    return c > ' ' && strchr("\"*+,./:;<=>?[\\]|", c) == NULL;
}

uint8_t dosp_upcase(uint8_t c)
{
    /* DOS's upper-case table for 80h-A5h: accented letters lose their
     * accent unless code page 437 has a capital for them. */
    static const uint8_t high[0x26] = {
        0x80, 0x9A, 0x90, 0x41, 0x8E, 0x41, 0x8F, 0x80, 0x45, 0x45, 0x45, 0x49, 0x49,
        0x49, 0x8E, 0x8F, 0x90, 0x92, 0x92, 0x4F, 0x99, 0x4F, 0x55, 0x55, 0x59, 0x99,
        0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0x41, 0x49, 0x4F, 0x55, 0xA5, 0xA5,
    };
    if (c >= 'a' && c <= 'z')
        return (uint8_t)(c - 32);
    if (c >= 0x80 && c < 0x80 + sizeof(high))
        return high[c - 0x80];
    return c;
}

/* Fills one field (name or extension) of an FCB name from s; returns the
 * characters consumed or -1. A name longer than the field is cut, as DOS
 * does; '*' fills the rest of the field with '?'. */
static int fill_field(const char *s, uint8_t *field, int width, bool wild, bool stop_at_dot)
{
    int i = 0, n = 0;

    for (; s[n] != 0 && !(stop_at_dot && s[n] == '.'); n++) {
        uint8_t c = (uint8_t)s[n];
        if (c == '*' || c == '?') {
            if (!wild)
                return -1;
            if (c == '*') {
                while (i < width)
                    field[i++] = '?';
            } else if (i < width) {
                field[i++] = '?';
            }
            continue;
        }
        if (!dosp_name_char(c))
            return -1;
        if (i < width)
            field[i++] = dosp_upcase(c);
    }
    return n;
}

int dosp_name_to_fcb(const char *name, uint8_t fcb[11], bool wild)
{
    memset(fcb, ' ', 11);
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        memcpy(fcb, name, strlen(name));
        return 0;
    }
    int n = fill_field(name, fcb, 8, wild, true);
    if (n <= 0)
        return -1;
    if (name[n] == 0)
        return 0;
    int e = fill_field(name + n + 1, fcb + 8, 3, wild, true);
    if (e < 0 || name[n + 1 + e] != 0)
        return -1; /* a second dot */
    return 0;
}

void dosp_fcb_to_name(const uint8_t fcb[11], char out[13])
{
    int n = 8, e = 3, o = 0;

    while (n > 0 && fcb[n - 1] == ' ')
        n--;
    while (e > 0 && fcb[8 + e - 1] == ' ')
        e--;
    for (int i = 0; i < n; i++)
        out[o++] = (char)fcb[i];
    if (e > 0) {
        out[o++] = '.';
        for (int i = 0; i < e; i++)
            out[o++] = (char)fcb[8 + i];
    }
    out[o] = 0;
}

bool dosp_match(const uint8_t pattern[11], const uint8_t name[11])
{
    for (int i = 0; i < 11; i++)
        if (pattern[i] != '?' && dosp_upcase(pattern[i]) != name[i])
            return false;
    return true;
}

bool dosp_has_wild(const uint8_t fcb[11])
{
    return memchr(fcb, '?', 11) != NULL;
}

int dosp_host_to_dos(const char *host, char out[13])
{
    size_t len = strlen(host);
    const char *dot = strchr(host, '.');

    if (strcmp(host, ".") == 0 || strcmp(host, "..") == 0) {
        memcpy(out, host, len + 1);
        return 0;
    }
    if (len == 0 || len > 12 || dot == host)
        return -1;
    size_t base = dot != NULL ? (size_t)(dot - host) : len;
    size_t ext = dot != NULL ? len - base - 1 : 0;
    if (base > 8 || ext > 3 || (dot != NULL && (ext == 0 || strchr(dot + 1, '.') != NULL)))
        return -1;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)host[i];
        if (&host[i] == dot)
            continue;
        if (!dosp_name_char(c) || c >= 0x80)
            return -1; /* host bytes above 7Fh are UTF-8, not code page 437 */
        out[i] = (char)dosp_upcase(c);
    }
    if (dot != NULL)
        out[base] = '.';
    out[len] = 0;
    return 0;
}

int dosp_device_name(const uint8_t fcb[11])
{
    static const struct {
        char name[9];
        int kind;
    } devs[] = {
        {"CON     ", DOSP_CON}, {"AUX     ", DOSP_AUX}, {"COM1    ", DOSP_AUX},
        {"PRN     ", DOSP_PRN}, {"LPT1    ", DOSP_PRN}, {"NUL     ", DOSP_NUL},
    };
    for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
        if (memcmp(fcb, devs[i].name, 8) == 0)
            return devs[i].kind;
    return 0;
}

/* ---- INT 21h AH=29h ---- */

static bool is_term(uint8_t c)
{
    return c <= ' ' || strchr("\"./:;<=>[\\]|+,", c) != NULL;
}

static bool is_white(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* Collects a name or extension field; returns true when any '?' or '*' was seen. */
static bool parse_field(const uint8_t *src, size_t len, size_t *p, uint8_t *field, int width)
{
    bool wild = false;
    int i = 0;

    memset(field, ' ', (size_t)width);
    for (; *p < len && !is_term(src[*p]); (*p)++) {
        uint8_t c = src[*p];
        if (c == '*') {
            wild = true;
            while (i < width)
                field[i++] = '?';
        } else if (i < width) {
            wild |= c == '?';
            field[i++] = dosp_upcase(c);
        }
    }
    return wild;
}

/*
 * fcb is the drive byte and the 11-byte name of an unopened FCB; flags is
 * AL of the call: bit 0 skip one leading separator, bits 1-3 leave the
 * drive, name or extension alone when the string has none. Returns AL:
 * 00h, 01h when wildcards were seen, FFh for an invalid drive.
 */
uint8_t dosp_parse_fcb_name(const uint8_t *src, size_t len, uint8_t flags, uint8_t fcb[12],
                            size_t *used, bool (*drive_ok)(void *, uint8_t), void *ctx)
{
    size_t p = 0;
    bool wild = false, bad_drive = false;

    while (p < len && is_white(src[p]))
        p++;
    if ((flags & 1) && p < len && strchr(":.;,=+", src[p]) != NULL && src[p] != 0) {
        p++;
        while (p < len && is_white(src[p]))
            p++;
    }
    if (p + 1 < len && src[p + 1] == ':' && ((src[p] | 0x20) >= 'a' && (src[p] | 0x20) <= 'z')) {
        uint8_t d = (uint8_t)((src[p] | 0x20) - 'a');
        bad_drive = !drive_ok(ctx, d);
        fcb[0] = (uint8_t)(d + 1);
        p += 2;
    } else if (!(flags & 2)) {
        fcb[0] = 0;
    }
    if (p < len && !is_term(src[p]))
        wild |= parse_field(src, len, &p, fcb + 1, 8);
    else if (!(flags & 4))
        memset(fcb + 1, ' ', 8);
    if (p < len && src[p] == '.') {
        p++;
        wild |= parse_field(src, len, &p, fcb + 9, 3);
    } else if (!(flags & 8)) {
        memset(fcb + 9, ' ', 3);
    }
    *used = p;
    if (bad_drive)
        return 0xFF;
    return wild ? 1 : 0;
}
