/*
 * libFuzzer target for the mz parser: see exercise.h for what is checked,
 * run.sh for how to build and run it.
 */
#include <stddef.h>
#include <stdint.h>

#include "exercise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exercise_mz(data, size);
    return 0;
}
