/*
 * A tiny test framework for in-OS test programs: CHECK/EXPECT print the
 * failing line and count failures; RUN prints one line per test; the
 * program exits with the number of failed tests.
 */
#ifndef CHECK_H
#define CHECK_H

#include <native/runtime.h>

extern int check_failures;
extern const char *check_prog;

#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            printf("%s:   check failed at line %d: %s\n", check_prog, __LINE__, #cond); \
            check_failures++;                                                           \
        }                                                                               \
    } while (0)

/* Compares a status, naming both sides on failure. */
#define EXPECT(expr, want)                                                                       \
    do {                                                                                         \
        long got_ = (long)(expr), want_ = (long)(want);                                          \
        if (got_ != want_) {                                                                     \
            printf("%s:   line %d: %s = %ld (%s), want %ld (%s)\n", check_prog, __LINE__, #expr, \
                   got_, status_name(got_), want_, status_name(want_));                          \
            check_failures++;                                                                    \
        }                                                                                        \
    } while (0)

static inline int check_run(const char *name, void (*fn)(void))
{
    int before = check_failures;

    fn();
    printf("%s: %s %s\n", check_prog, name, check_failures == before ? "ok" : "FAILED");
    return check_failures == before;
}

#define RUN(fn) check_run(#fn, fn)

#endif
