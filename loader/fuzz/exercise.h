/*
 * Drives each loader parser over arbitrary bytes and checks what it
 * claims, for the libFuzzer targets (fuzz_*.c) and for the unit test that
 * replays the seed corpora and the regression inputs (tests/test_corpus.c).
 *
 * Each function parses `data`, and on success calls every accessor over
 * every index and checks the promises of the header (ranges inside the
 * file, counts within bounds). A broken promise calls abort(), which both
 * libFuzzer and the test runner report. Out-of-bounds reads are left to
 * the sanitizers the callers are built with.
 *
 * Entry points: exercise_elf(), exercise_mz(), exercise_ne(),
 * exercise_bootimg(), exercise_all().
 */
#ifndef LOADER_FUZZ_EXERCISE_H
#define LOADER_FUZZ_EXERCISE_H

#include <stddef.h>
#include <stdint.h>

/* Each returns the parser's status. */
int exercise_elf(const uint8_t *data, size_t size);
int exercise_mz(const uint8_t *data, size_t size); /* also .COM and detection */
int exercise_ne(const uint8_t *data, size_t size);
int exercise_bootimg(const uint8_t *data, size_t size);

/* All of the above, for inputs of unknown kind. */
void exercise_all(const uint8_t *data, size_t size);

#endif
