/* A plain Linux program, built with musl-gcc as static ET_EXEC and as
 * static-PIE, to check the ELF parser against libelf on real linker output. */
#include <stdio.h>

__thread int calls = 1; /* gives the program a PT_TLS */

int main(void)
{
    calls++;
    printf("hello %d\n", calls);
    return 0;
}
