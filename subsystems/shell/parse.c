/*
 * Word splitting for the shell: blanks separate words; '...' keeps its text
 * as it is; "..." keeps blanks but expands $?; outside quotes, $? is the
 * last status and $NAME an environment variable; a backslash quotes the
 * next character.
 */
#include "shell.h"
#include <stdio.h>
#include <string.h>

extern char **environ;

static const char *getenv_(const char *name, size_t n)
{
    for (char **e = environ; e && *e; e++) {
        if (!strncmp(*e, name, n) && (*e)[n] == '=')
            return *e + n + 1;
    }
    return "";
}

/* Words are built in a static area so they live until the next line. */
static char words[SH_LINE_MAX * 2];

int sh_split(char *line, char **argv, int max)
{
    size_t o = 0;
    int argc = 0;
    char *p = line;

    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (!*p)
            break;
        if (argc == max) {
            printf("shell: too many words\n");
            return -1;
        }
        argv[argc++] = &words[o];
        char quote = 0;
        while (*p && (quote || (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n'))) {
            char c = *p++;
            if (o + 24 >= sizeof(words)) {
                printf("shell: line too long\n");
                return -1;
            }
            if (quote == '\'' && c != '\'') {
                words[o++] = c;
            } else if (c == quote) {
                quote = 0;
            } else if (!quote && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == '\\' && *p && quote != '\'') {
                words[o++] = *p++;
            } else if (c == '$' && *p == '?') {
                p++;
                o += (size_t)snprintf(&words[o], 12, "%d", sh.last_status);
            } else if (c == '$' &&
                       ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_')) {
                const char *start = p;
                while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_' ||
                       (*p >= '0' && *p <= '9'))
                    p++;
                const char *v = getenv_(start, (size_t)(p - start));
                size_t n = strlen(v);
                if (o + n + 1 >= sizeof(words)) {
                    printf("shell: line too long\n");
                    return -1;
                }
                memcpy(&words[o], v, n);
                o += n;
            } else {
                words[o++] = c;
            }
        }
        if (quote) {
            printf("shell: unterminated quote\n");
            return -1;
        }
        words[o++] = 0;
    }
    return argc;
}
