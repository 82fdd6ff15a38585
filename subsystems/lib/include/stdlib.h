/*
 * The part of <stdlib.h> the native runtime provides: memory allocation,
 * number conversion, sorting, exit. (Persona programs are freestanding;
 * this is not a full C library.)
 */
#ifndef NATIVE_STDLIB_H
#define NATIVE_STDLIB_H

#include <stddef.h>

void *malloc(size_t n);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);

__attribute__((noreturn)) void exit(int status);
__attribute__((noreturn)) void abort(void);

unsigned long strtoul(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);
int atoi(const char *s);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif
