/*
 * Console output for native programs: printf and puts collect a line in a
 * buffer and write it with one call (console.c decides where it goes), so
 * a line from one program is not split by another's output.
 */
#include <native/console.h>
#include <native/runtime.h>
#include <stdio.h>
#include <string.h>

static char outbuf[512];
static size_t outlen;

void native_flush(void)
{
    if (outlen)
        native_output(outbuf, outlen);
    outlen = 0;
}

static void emit(void *ctx, char c)
{
    (void)ctx;
    outbuf[outlen++] = c;
    if (c == '\n' || outlen == sizeof(outbuf))
        native_flush();
}

int vprintf(const char *fmt, va_list ap)
{
    return rtl_vformat(emit, NULL, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char *s)
{
    while (*s)
        emit(NULL, *s++);
    emit(NULL, '\n');
    return 0;
}

const char *status_name(long st)
{
    switch (st) {
#define CASE(name, value, text) \
    case value:                 \
        return #name;
        PERSONA_STATUSES(CASE)
#undef CASE
    }
    return st > 0 ? "positive result" : "unknown status";
}

const char *status_text(long st)
{
    switch (st) {
#define TEXT(name, value, text) \
    case value:                 \
        return text;
        PERSONA_STATUSES(TEXT)
#undef TEXT
    }
    return st > 0 ? "success" : "unknown error";
}
