/*
 * Misbehaves in the way argv[1] names, so the tests can check that the
 * kernel ends the process (and only it) with the right fault. Printing
 * "survived" means the kernel let the bad operation through.
 */
#include <native/runtime.h>
#include <string.h>

static volatile int depth_limit = 1 << 30;

static int recurse(volatile char *p, int depth)
{
    volatile char buf[4096];

    buf[0] = *p;
    if (depth >= depth_limit)
        return 0;
    return recurse(buf, depth + 1) + buf[0];
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    volatile int zero = 0;
    volatile uintptr_t low = 8;

    printf("fault: %s\n", what);
    if (!strcmp(what, "null"))
        *(volatile int *)0 = 1;
    else if (!strcmp(what, "read-null"))
        (void)*(volatile int *)low;
    else if (!strcmp(what, "kernel-write"))
        *(volatile uint64_t *)0xFFFFFFFF80100000ull = 0;
    else if (!strcmp(what, "kernel-read"))
        (void)*(volatile uint64_t *)0xFFFF800000001000ull;
    else if (!strcmp(what, "privileged"))
        __asm__ volatile("cli");
    else if (!strcmp(what, "cr3"))
        __asm__ volatile("mov %%cr3, %%rax" ::: "rax");
    else if (!strcmp(what, "jump-kernel"))
        ((void (*)(void))0xFFFFFFFF80100000ull)();
    else if (!strcmp(what, "ud"))
        __asm__ volatile("ud2");
    else if (!strcmp(what, "divide"))
        __asm__ volatile("xorl %%edx, %%edx; movl $7, %%eax; divl %0" : : "r"(zero) : "eax", "edx");
    else if (!strcmp(what, "stack-overflow"))
        printf("%d\n", recurse("x", 0));
    else if (!strcmp(what, "int3"))
        __asm__ volatile("int3");
    else if (!strcmp(what, "exec-stack")) {
        volatile uint8_t code[16] = {0xc3};
        ((void (*)(void))code)();
    } else if (!strcmp(what, "write-text"))
        *(volatile uint8_t *)(uintptr_t)main = 0xcc;
    else if (!strcmp(what, "noncanonical"))
        (void)*(volatile uint64_t *)0x0000900000000000ull;
    else {
        printf("fault: unknown kind '%s'\n", what);
        return 2;
    }
    printf("survived\n");
    return 1;
}
