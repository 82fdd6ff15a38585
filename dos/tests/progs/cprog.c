/*
 * cprog: a C program for the VDM, compiled by bcc (dev86) into a .COM:
 * its start-up code, argv from the command tail, stdio on DOS handles,
 * the heap after a resize of its memory block, and the exit code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    FILE *f;
    char line[64];
    char *p;
    int i;

    printf("bcc program, %d args\n", argc - 1);
    for (i = 1; i < argc; i++)
        printf("arg %d: %s\n", i, argv[i]);

    f = fopen("CFILE.TXT", "w");
    if (f == NULL) {
        printf("fopen for writing failed\n");
        return 1;
    }
    fputs("line one\n", f);
    fprintf(f, "line %s %d\n", "two", 2);
    fclose(f);
    f = fopen("CFILE.TXT", "r");
    if (f == NULL) {
        printf("fopen for reading failed\n");
        return 1;
    }
    while (fgets(line, sizeof(line), f) != NULL)
        printf("read: %s", line);
    fclose(f);

    p = malloc(2000);
    if (p == NULL) {
        printf("malloc failed\n");
        return 1;
    }
    strcpy(p, "heap works");
    printf("%s\n", p);
    free(p);
    if (unlink("CFILE.TXT") != 0)
        printf("unlink failed\n");
    return 7;
}
