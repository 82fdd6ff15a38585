/* Spins for ever without a system call: only preemption lets others run. */
#include <native/runtime.h>

int main(void)
{
    volatile uint64_t n = 0;

    printf("spin: started\n");
    for (;;)
        n++;
}
