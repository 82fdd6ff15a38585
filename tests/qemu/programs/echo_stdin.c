/*
 * For ./persona run's tests: copies standard input to standard output,
 * prints a file given as argv[1] (relative to the starting directory),
 * and exits with the number of lines read.
 */
#include <native/console.h>
#include <native/file.h>
#include <native/runtime.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    char buf[256];
    int lines = 0;
    long n;

    if (argc > 1) {
        void *data;
        size_t size;
        long st = file_read_all(argv[1], &data, &size);
        if (st < 0) {
            printf("echo_stdin: %s: %s\n", argv[1], status_text(st));
            return 100;
        }
        con_write(data, size);
        free(data);
    }
    while ((n = con_read(buf, sizeof(buf))) > 0) {
        for (long i = 0; i < n; i++)
            lines += buf[i] == '\n';
        con_write(buf, (size_t)n);
    }
    return lines;
}
