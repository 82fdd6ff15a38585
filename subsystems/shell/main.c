/*
 * The native shell: reads command lines from the console (or a script
 * file: `shell FILE`, or one command: `shell -c COMMAND`), runs builtins
 * (builtins.c) and programs of any personality (launch.c), and keeps $?.
 * Lines may hold several commands separated by ';'; '#' starts a comment.
 */
#include "shell.h"
#include "../console/console.h"
#include <native/console.h>
#include <stdlib.h>
#include <string.h>

shell_t sh;

int sh_execute(char *line)
{
    char *argv[SH_MAX_ARGS + 1];
    int argc;

    /* One command at a time, split at ';' outside quotes. */
    for (char *cmd = line; cmd;) {
        char *next = NULL;
        char quote = 0;
        for (char *p = cmd; *p; p++) {
            if (quote) {
                if (*p == quote)
                    quote = 0;
            } else if (*p == '\'' || *p == '"') {
                quote = *p;
            } else if (*p == ';') {
                *p = 0;
                next = p + 1;
                break;
            } else if (*p == '#' && (p == cmd || p[-1] == ' ' || p[-1] == '\t')) {
                *p = 0;
                break;
            }
        }
        argc = sh_split(cmd, argv, SH_MAX_ARGS);
        cmd = next;
        if (argc <= 0) {
            if (argc < 0)
                sh.last_status = 2;
            continue;
        }
        argv[argc] = NULL;
        builtin_fn_t b = sh_find_builtin(argv[0]);
        sh.last_status = b ? b(argc, argv) : sh_run_program(argv[0], argc, argv, 0);
        if (sh.exit_requested)
            break;
    }
    return sh.last_status;
}

static int run_script(const char *path)
{
    void *data;
    size_t size;
    long st = file_read_all(path, &data, &size);

    if (st < 0) {
        printf("shell: %s: %s\n", path, sh_status_text(st));
        return 127;
    }
    char *text = data, *end = text + size;
    for (char *line = text; line < end && !sh.exit_requested;) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
        char buf[SH_LINE_MAX];
        if (len >= sizeof(buf)) {
            printf("shell: %s: line too long\n", path);
            sh.last_status = 2;
        } else {
            memcpy(buf, line, len);
            buf[len] = 0;
            sh_execute(buf);
        }
        line += len + 1;
    }
    free(data);
    return sh.exit_requested ? sh.exit_status : sh.last_status;
}

/* After the console server died (under a read, or before it, so that no
 * connection could be made): waits up to ten seconds for
 * smss to bring it back. True if it is back and a person is typing; input
 * from a pipe that the old console had taken in is gone, so a script ends
 * there. */
static bool console_back(void)
{
    uint32_t mode;

    if (!sh.interactive) {
        printf("shell: the console died; the rest of the piped input is lost\n");
        return false;
    }
    for (int i = 0; i < 200; i++) {
        if (con_get_mode(&mode) == ST_OK) {
            sh.interactive = !(mode & CON_MODE_PIPE);
            printf("shell: the console restarted; input in flight was lost\n");
            return true;
        }
        sys_sleep(50 * 1000000ull);
    }
    return false;
}

static int interactive(void)
{
    char line[SH_LINE_MAX];
    uint32_t mode = 0;

    con_get_mode(&mode);
    /* As sh does: prompts only when a person is typing, not for a pipe. */
    sh.interactive = !(mode & CON_MODE_PIPE);
    if (sh.interactive)
        printf("Persona shell. Type 'help' for the commands.\n");
    while (!sh.exit_requested) {
        if (sh.interactive) {
            printf("persona:%s$ ", file_getcwd());
            native_flush();
        }
        size_t len = 0;
        /* A line may arrive in pieces (longer than one read). */
        for (;;) {
            long n = con_read(line + len, sizeof(line) - 1 - len);
            if (n == ST_INTERRUPTED) {
                len = 0;
                break;
            }
            bool lost = n == ST_PEER_DIED || n == ST_INVALID_HANDLE || n == ST_NOT_SUPPORTED;
            if (lost && console_back()) {
                len = 0;
                break;
            }
            if (n <= 0)
                return sh.last_status; /* end of input */
            len += (size_t)n;
            if (line[len - 1] == '\n' || len == sizeof(line) - 1)
                break;
        }
        line[len] = 0;
        if (len && line[len - 1] == '\n')
            line[len - 1] = 0;
        sh_execute(line);
    }
    return sh.exit_status;
}

int main(int argc, char **argv)
{
    int status;

    if (sys_port_create(NULL, &sh.port) < 0) {
        printf("shell: cannot create a port\n");
        return 1;
    }
    if (argc > 2 && !strcmp(argv[1], "-c")) {
        char line[SH_LINE_MAX];
        strlcpy(line, argv[2], sizeof(line));
        sh_execute(line);
        status = sh.exit_requested ? sh.exit_status : sh.last_status;
    } else if (argc > 1) {
        status = run_script(argv[1]);
    } else {
        status = interactive();
    }
    return status;
}
