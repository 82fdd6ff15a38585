/* A server that dies at once, every time: smss must throttle it and stop. */
#include <native/console.h>
#include <native/runtime.h>

int main(void)
{
    native_use_kernel_log();
    printf("crashy: started, and now crashing\n");
    volatile uintptr_t bad = 8;
    *(volatile int *)bad = 1;
    return 0;
}
