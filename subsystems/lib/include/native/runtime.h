/*
 * The native runtime library for Persona's own programs: start-up, exit,
 * console output, and status names. Standard string and formatting
 * functions come from <string.h> and <stdio.h>.
 */
#ifndef NATIVE_RUNTIME_H
#define NATIVE_RUNTIME_H

#include <native/syscall.h>
#include <stdarg.h>
#include <stdio.h>

__attribute__((noreturn)) void exit(int status);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);
/* Writes everything buffered by printf/puts to the console. */
void native_flush(void);
const char *status_name(long st); /* "ST_NOT_FOUND" */
const char *status_text(long st); /* "not found" */
#define MIN_SIZE(a, b) ((size_t)(a) < (size_t)(b) ? (size_t)(a) : (size_t)(b))
/* Decimal digits at the start of s (no sign, no overflow check). */
uint64_t strtou64(const char *s);

#endif
