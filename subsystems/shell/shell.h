/* The native shell's shared declarations. */
#ifndef SHELL_H
#define SHELL_H

#include <native/file.h>
#include <native/ipc.h>
#include <native/runtime.h>
#include <stdbool.h>

#define SH_MAX_ARGS 64
#define SH_LINE_MAX 1024

/* Notification bits on the shell's port. */
#define SH_CHILD_BIT 0x1
#define SH_INTR_BIT  0x2

typedef struct shell {
    handle_t port;    /* notifications: child exits, Ctrl-C */
    int last_status;  /* $? */
    bool interactive; /* reading the console, with a prompt */
    bool exit_requested;
    int exit_status;
} shell_t;

extern shell_t sh;

typedef int (*builtin_fn_t)(int argc, char **argv);
builtin_fn_t sh_find_builtin(const char *name);
void sh_print_help(void);

/* Runs a command line; returns its status. */
int sh_execute(char *line);
/* Splits line into words, expanding $? and $NAME; returns the count. */
int sh_split(char *line, char **argv, int max);
/* Starts the program at path (searching PATH if it has no '/'), with the
 * personality read from its image unless personality is nonzero, and waits
 * for it; returns its status. */
int sh_run_program(const char *path, int argc, char **argv, uint32_t personality);
const char *sh_personality_name(uint32_t p);
int sh_personality_from_name(const char *s);
const char *sh_status_text(long st);
int sh_status_from_exit(int64_t exit_status, const char *reason);

#endif
