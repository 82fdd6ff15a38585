/*
 * Names: what FAT can store, the conversions between the UTF-8 names of
 * the VFS and the UTF-16 of long-name slots, short (8.3) names as DOS
 * shows them, the basis and numeric tail of generated short names, and
 * the long-name checksum.
 *
 * Short names are bytes in the OEM code page; this code reads them as
 * code page 437 and generates only ASCII ones (any other character of a
 * long name becomes '_' in its short name, as Windows does).
 *
 * Entry points: fatp_name_to_utf16(), fatp_utf16_to_utf8(),
 * fatp_short_display(), fatp_short_parse(), fatp_short_basis(),
 * fatp_short_tail(), fatp_lfn_checksum(), fatp_name_eq().
 */
#include <cp437.h>
#include <string.h>

#include "fat_priv.h"

static bool forbidden(uint32_t c)
{
    return c < 0x20 || (c < 0x80 && strchr("\\/:*?\"<>|", (int)c) != NULL);
}

/* Decodes one UTF-8 sequence strictly: no overlong forms, surrogates or
 * values past U+10FFFF. Returns its length, 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    uint32_t c = s[0];
    size_t len;
    uint32_t min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        len = 2, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

int fatp_name_to_utf16(const char *name, fatp_lname_t *out)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t len = strlen(name);

    out->n = 0;
    if (len == 0)
        return ST_INVALID_ARGUMENT;
    /* Windows drops trailing dots and spaces silently; storing "a." as
     * "a" would make it another name, so such names are refused. */
    if (name[len - 1] == '.' || name[len - 1] == ' ')
        return ST_INVALID_ARGUMENT;
    while (*s) {
        uint32_t cp;
        size_t n = utf8_decode(s, &cp);
        if (n == 0 || forbidden(cp))
            return ST_INVALID_ARGUMENT;
        s += n;
        uint32_t units = cp >= 0x10000 ? 2 : 1;
        if (out->n + units > FATP_LFN_MAX_UNITS)
            return ST_NAME_TOO_LONG;
        if (units == 2) {
            cp -= 0x10000;
            out->u[out->n++] = (uint16_t)(0xD800 | cp >> 10);
            out->u[out->n++] = (uint16_t)(0xDC00 | (cp & 0x3FF));
        } else {
            out->u[out->n++] = (uint16_t)cp;
        }
    }
    return ST_OK;
}

/* Appends cp as UTF-8; false when it does not fit before the NUL. */
static bool put_utf8(char *out, size_t size, size_t *pos, uint32_t cp)
{
    unsigned char buf[4];
    size_t n;

    if (cp < 0x80) {
        buf[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        buf[0] = (unsigned char)(0xC0 | cp >> 6);
        buf[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        buf[0] = (unsigned char)(0xE0 | cp >> 12);
        buf[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        buf[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        buf[0] = (unsigned char)(0xF0 | cp >> 18);
        buf[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        buf[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        buf[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (*pos + n >= size)
        return false;
    memcpy(out + *pos, buf, n);
    *pos += n;
    return true;
}

size_t fatp_utf16_to_utf8(const uint16_t *u, uint32_t n, char *out, size_t size)
{
    size_t pos = 0;

    for (uint32_t i = 0; i < n; i++) {
        uint32_t cp = u[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (u[i + 1] - 0xDC00);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        } else if (cp == 0 || cp == '/') {
            /* A slash or NUL cannot be in a VFS name; the entry stays
             * reachable under its short name. */
            return 0;
        }
        if (!put_utf8(out, size, &pos, cp))
            return 0;
    }
    if (size)
        out[pos] = '\0';
    return pos;
}

size_t fatp_short_display(const uint8_t ent[32], char *out, size_t size, bool nt_case)
{
    size_t pos = 0;
    int blen = 8, elen = 3;

    while (blen > 0 && ent[blen - 1] == ' ')
        blen--;
    while (elen > 0 && ent[8 + elen - 1] == ' ')
        elen--;
    for (int i = 0; i < blen + elen; i++) {
        if (i == blen && !put_utf8(out, size, &pos, '.'))
            return 0;
        uint32_t c = ent[i < blen ? i : 8 + (i - blen)];
        if (i == 0 && c == 0x05)
            c = 0xE5; /* 0xE5 in the first byte is stored as 0x05 */
        bool lower = i < blen ? (ent[12] & 0x08) : (ent[12] & 0x10);
        if (nt_case && lower && c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (c >= 0x80)
            c = cp437_unicode[c];
        else if (c < 0x20 || c == '/')
            c = '_'; /* never a valid short name byte; shown harmlessly */
        if (!put_utf8(out, size, &pos, c))
            return 0;
    }
    if (size)
        out[pos] = '\0';
    return pos;
}

void fatp_short_raw(const uint8_t ent[32], char out[13])
{
    int blen = 8, elen = 3, pos = 0;

    while (blen > 0 && ent[blen - 1] == ' ')
        blen--;
    while (elen > 0 && ent[8 + elen - 1] == ' ')
        elen--;
    for (int i = 0; i < blen; i++)
        out[pos++] = (char)(i == 0 && ent[0] == 0x05 ? 0xE5 : ent[i]);
    if (elen)
        out[pos++] = '.';
    for (int i = 0; i < elen; i++)
        out[pos++] = (char)ent[8 + i];
    out[pos] = '\0';
}

static bool short_char(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("!#$%&'()-@^_`{}~", c);
}

bool fatp_short_parse(const char *name, uint8_t out[11])
{
    size_t pos = 0, n = 0;
    bool ext = false;

    memset(out, ' ', 11);
    for (const char *p = name; *p; p++) {
        int c = (unsigned char)*p;
        if (c == '.') {
            if (ext || n == 0)
                return false;
            ext = true;
            pos = 8;
            n = 0;
            continue;
        }
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        if (c == 0 || !short_char(c) || n >= (ext ? 3u : 8u))
            return false;
        out[pos++] = (uint8_t)c;
        n++;
    }
    if (ext && n == 0)
        return false;
    return out[0] != ' ';
}

void fatp_short_basis(const fatp_lname_t *ln, uint8_t out[11], bool *lossy, bool *exact)
{
    uint32_t start = 0, dot = ln->n, blen = 0, elen = 0;

    memset(out, ' ', 11);
    *lossy = false;
    *exact = true;
    while (start < ln->n && ln->u[start] == '.') {
        start++;
        *lossy = true;
    }
    for (uint32_t i = start; i < ln->n; i++)
        if (ln->u[i] == '.')
            dot = i;
    for (uint32_t i = start; i < ln->n; i++) {
        if (i == dot)
            continue;
        uint32_t c = ln->u[i];
        bool in_ext = i > dot;
        if (c == ' ' || (c == '.' && !in_ext)) {
            *lossy = true; /* spaces and inner dots are dropped */
            continue;
        }
        if (c >= 'a' && c <= 'z') {
            c -= 'a' - 'A';
            *exact = false;
        } else if (c >= 0x80 || !short_char((int)c)) {
            c = '_';
            *lossy = true;
        }
        if (in_ext ? elen >= 3 : blen >= 8) {
            *lossy = true;
            continue;
        }
        if (in_ext)
            out[8 + elen++] = (uint8_t)c;
        else
            out[blen++] = (uint8_t)c;
    }
    if (blen == 0) {
        out[0] = '_';
        *lossy = true;
    }
    if (*lossy)
        *exact = false;
}

void fatp_short_tail(const uint8_t basis[11], uint32_t n, uint8_t out[11])
{
    char tail[12];
    int tlen = 0;

    memcpy(out, basis, 11);
    tail[tlen++] = '~';
    char digits[11];
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + n % 10);
        n /= 10;
    } while (n && nd < 7);
    while (nd)
        tail[tlen++] = digits[--nd];
    int blen = 8;
    while (blen > 0 && basis[blen - 1] == ' ')
        blen--;
    int keep = blen < 8 - tlen ? blen : 8 - tlen;
    for (int i = keep; i < 8; i++)
        out[i] = ' ';
    memcpy(out + keep, tail, (size_t)tlen);
}

uint8_t fatp_lfn_checksum(const uint8_t name[11])
{
    uint8_t sum = 0;

    for (int i = 0; i < 11; i++)
        sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name[i]);
    return sum;
}

bool fatp_name_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z')
            y += 'a' - 'A';
        if (x != y)
            return false;
        if (x == 0)
            return true;
    }
}
