/*
 * cpu86-bench: speed of the cpu86 core on a mixed real-mode workload
 * (workload.asm, assembled with nasm at build time).
 *
 *   cpu86-bench [WORKLOAD.BIN] [MILLIONS] [8086|186]
 *
 * Runs MILLIONS million instructions (default 300) in the 80186 model (the
 * VDM's) unless told otherwise, and prints the rate. Not a test: numbers
 * depend on the machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu86.h"

#ifndef WORKLOAD_BIN
#define WORKLOAD_BIN "workload.bin"
#endif

#define MEM_SIZE (1u << 20)

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : WORKLOAD_BIN;
    uint64_t total = (argc > 2 ? strtoull(argv[2], NULL, 10) : 300) * 1000000ull;
    int model = argc > 3 && strcmp(argv[3], "8086") == 0 ? CPU86_MODEL_8086 : CPU86_MODEL_80186;
    uint8_t *mem = calloc(1, MEM_SIZE);
    struct timespec t0, t1;
    cpu86_t c;
    FILE *f;
    size_t n;
    int r;

    f = fopen(path, "rb");
    if (!f || !mem) {
        fprintf(stderr, "cpu86-bench: cannot load %s\n", path);
        return 1;
    }
    n = fread(mem + 0x10000, 1, 0x10000, f);
    fclose(f);
    if (n == 0) {
        fprintf(stderr, "cpu86-bench: %s is empty\n", path);
        return 1;
    }

    cpu86_init(&c, model, mem, MEM_SIZE);
    cpu86_load_seg(&c, CPU86_CS, 0x1000);
    c.ip = 0;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = cpu86_run(&c, total);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (r != CPU86_EXIT_BUDGET) {
        fprintf(stderr, "cpu86-bench: stopped early (exit %d at %04x:%04x)\n", r,
                c.seg[CPU86_CS].sel, c.ip);
        return 1;
    }
    printf("cpu86: %llu instructions in %.2f s = %.1f million instructions/s\n",
           (unsigned long long)c.insn_count, s, (double)c.insn_count / s / 1e6);
    free(mem);
    return 0;
}
