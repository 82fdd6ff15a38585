/* The first user-mode program: greets, shows its arguments, exits 0. */
#include <native/runtime.h>

int main(int argc, char **argv)
{
    printf("hello from user mode: %s", argv[0]);
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    return 0;
}
