/*
 * printf-style formatting shared by the executive (kprintf, panic) and user
 * programs. One engine, rtl_vformat(), streams characters to a callback;
 * vsnprintf() is a thin user of it.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum {
    F_LEFT = 1,
    F_ZERO = 2,
    F_PLUS = 4,
    F_SPACE = 8,
    F_ALT = 16,
};

typedef struct fmt_out {
    void (*emit)(void *ctx, char c);
    void *ctx;
    int count;
} fmt_out_t;

static void put(fmt_out_t *o, char c)
{
    o->emit(o->ctx, c);
    o->count++;
}

static void pad(fmt_out_t *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

static void put_string(fmt_out_t *o, const char *s, int width, int prec, int flags)
{
    size_t len;

    if (!s)
        s = "(null)";
    len = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
    if (!(flags & F_LEFT))
        pad(o, ' ', width - (int)len);
    for (size_t i = 0; i < len; i++)
        put(o, s[i]);
    if (flags & F_LEFT)
        pad(o, ' ', width - (int)len);
}

static void put_number(fmt_out_t *o, uint64_t v, bool neg, unsigned base, bool upper, int width,
                       int prec, int flags)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int n = 0, len;
    char sign = 0;
    const char *prefix = "";

    do {
        buf[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (prec == 0 && n == 1 && buf[0] == '0')
        n = 0;
    if (neg)
        sign = '-';
    else if (flags & F_PLUS)
        sign = '+';
    else if (flags & F_SPACE)
        sign = ' ';
    if ((flags & F_ALT) && base == 16)
        prefix = upper ? "0X" : "0x";
    else if ((flags & F_ALT) && base == 8)
        prefix = "0";

    int digits_len = prec > n ? prec : n;
    len = digits_len + (sign ? 1 : 0) + (int)strlen(prefix);
    if (!(flags & F_LEFT) && !((flags & F_ZERO) && prec < 0))
        pad(o, ' ', width - len);
    if (sign)
        put(o, sign);
    for (const char *p = prefix; *p; p++)
        put(o, *p);
    if (!(flags & F_LEFT) && (flags & F_ZERO) && prec < 0)
        pad(o, '0', width - len);
    pad(o, '0', digits_len - n);
    while (n)
        put(o, buf[--n]);
    if (flags & F_LEFT)
        pad(o, ' ', width - len);
}

int rtl_vformat(void (*emit)(void *ctx, char c), void *ctx, const char *fmt, va_list ap)
{
    fmt_out_t o = {emit, ctx, 0};

    for (; *fmt; fmt++) {
        int flags = 0, width = 0, prec = -1, lng = 0;

        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        for (;;) {
            char c = *++fmt;
            if (c == '-')
                flags |= F_LEFT;
            else if (c == '0')
                flags |= F_ZERO;
            else if (c == '+')
                flags |= F_PLUS;
            else if (c == ' ')
                flags |= F_SPACE;
            else if (c == '#')
                flags |= F_ALT;
            else
                break;
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                flags |= F_LEFT;
                width = -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(ap, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    prec = prec * 10 + (*fmt++ - '0');
            }
        }
        /* lng: -2 hh, -1 h, 0 int, 1 long, 2 long long / size_t / intmax. */
        for (;; fmt++) {
            if (*fmt == 'h')
                lng--;
            else if (*fmt == 'l')
                lng++;
            else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j')
                lng = 2;
            else
                break;
        }

        switch (*fmt) {
        case 'c': {
            char ch = (char)va_arg(ap, int);
            if (!(flags & F_LEFT))
                pad(&o, ' ', width - 1);
            put(&o, ch);
            if (flags & F_LEFT)
                pad(&o, ' ', width - 1);
            break;
        }
        case 's':
            put_string(&o, va_arg(ap, const char *), width, prec, flags);
            break;
        case 'd':
        case 'i': {
            int64_t v;
            if (lng >= 1)
                v = va_arg(ap, long long);
            else
                v = va_arg(ap, int);
            if (lng == -1)
                v = (short)v;
            else if (lng <= -2)
                v = (signed char)v;
            put_number(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false, width, prec,
                       flags);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uint64_t v;
            if (lng >= 1)
                v = va_arg(ap, unsigned long long);
            else
                v = va_arg(ap, unsigned int);
            if (lng == -1)
                v = (unsigned short)v;
            else if (lng <= -2)
                v = (unsigned char)v;
            unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
            put_number(&o, v, false, base, *fmt == 'X', width, prec, flags & ~(F_PLUS | F_SPACE));
            break;
        }
        case 'p':
            put_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, width, prec,
                       flags | F_ALT);
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            return o.count;
        default:
            put(&o, '%');
            put(&o, *fmt);
            break;
        }
    }
    return o.count;
}

typedef struct buf_out {
    char *buf;
    size_t size, pos;
} buf_out_t;

static void buf_emit(void *ctx, char c)
{
    buf_out_t *b = ctx;

    if (b->pos + 1 < b->size)
        b->buf[b->pos] = c;
    b->pos++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    buf_out_t b = {buf, size, 0};
    int n = rtl_vformat(buf_emit, &b, fmt, ap);

    if (size)
        buf[b.pos < size ? b.pos : size - 1] = 0;
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
