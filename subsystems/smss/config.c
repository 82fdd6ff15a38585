/*
 * smss's configuration: the boot image it was given, and /etc/smss.conf in
 * it. Lines:
 *
 *   server NAME PATH [privileged] [bootimg] [port=PORT] [-- ARG...]
 *   session PATH [ARG...]
 *
 * '#' starts a comment. The kernel command line may replace the session:
 * session=PATH[,ARG]... (used by `./persona run`).
 */
#include "smss_internal.h"
#include <native/runtime.h>
#include <stdlib.h>
#include <string.h>

long smss_open_image(void)
{
    uint64_t addr = 0;
    handle_info_t hi;
    const char *why = "";
    long st;

    smss.bootimg = (handle_t)native_auxv(AT_PERSONA_BOOTIMG);
    if (!smss.bootimg) {
        smss_log("no boot image was passed to the first process");
        return ST_NOT_FOUND;
    }
    (void)hi;
    /* The size is not in the handle: map the header first, then all. */
    st = sys_vm_map(HANDLE_SELF_PROCESS, &addr, VM_PAGE_SIZE, PROT_R, 0, smss.bootimg, 0);
    if (st < 0)
        return st;
    uint64_t size = ((const bootimg_header_t *)addr)->image_size;
    sys_vm_unmap(HANDLE_SELF_PROCESS, addr, VM_PAGE_SIZE);
    addr = 0;
    st = sys_vm_map(HANDLE_SELF_PROCESS, &addr, size, PROT_R, 0, smss.bootimg, 0);
    if (st < 0) {
        smss_log("cannot map the boot image (%llu bytes): %s", (unsigned long long)size,
                 status_name(st));
        return st;
    }
    if (ldr_bootimg_open((const void *)addr, size, &smss.image, &why) != LDR_OK) {
        smss_log("the boot image is unusable: %s", why);
        return ST_BAD_IMAGE;
    }
    return ST_OK;
}

long smss_image_file(const char *path, const void **data, size_t *size)
{
    ldr_bootimg_ent_t e;

    if (ldr_bootimg_lookup(&smss.image, path, &e) != LDR_OK || e.type != BOOTIMG_FILE)
        return ST_NOT_FOUND;
    *data = e.data;
    *size = e.size;
    return ST_OK;
}

static char *dup_word(const char *s, size_t n)
{
    char *d = malloc(n + 1);

    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

/* Splits line into words (no quoting); returns the count. */
static int split(const char *line, size_t len, char **words, int max)
{
    int n = 0;
    size_t i = 0;

    while (i < len && n < max) {
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i >= len || line[i] == '#')
            break;
        size_t start = i;
        while (i < len && line[i] != ' ' && line[i] != '\t')
            i++;
        words[n++] = dup_word(line + start, i - start);
    }
    return n;
}

static void parse_server(char **w, int n, int lineno)
{
    smss_server_t *s;
    int a = 0;

    if (n < 3) {
        smss_log("smss.conf:%d: 'server' needs a name and a path", lineno);
        return;
    }
    if (smss.nservers == SMSS_MAX_SERVERS) {
        smss_log("smss.conf:%d: more than %d servers", lineno, SMSS_MAX_SERVERS);
        return;
    }
    s = &smss.servers[smss.nservers];
    s->index = smss.nservers;
    strlcpy(s->name, w[1], sizeof(s->name));
    strlcpy(s->port_name, w[1], sizeof(s->port_name));
    s->port_name[0] =
        (char)(s->port_name[0] >= 'a' && s->port_name[0] <= 'z' ? s->port_name[0] - 'a' + 'A'
                                                                : s->port_name[0]);
    strlcpy(s->path, w[2], sizeof(s->path));
    s->argv[a++] = w[2];
    for (int i = 3; i < n; i++) {
        if (!strcmp(w[i], "privileged"))
            s->privileged = true;
        else if (!strcmp(w[i], "bootimg"))
            s->wants_bootimg = true;
        else if (!strncmp(w[i], "port=", 5))
            strlcpy(s->port_name, w[i] + 5, sizeof(s->port_name));
        else if (!strcmp(w[i], "--")) {
            for (i++; i < n && a < SMSS_MAX_ARGS; i++)
                s->argv[a++] = w[i];
        } else
            smss_log("smss.conf:%d: unknown option '%s' ignored", lineno, w[i]);
    }
    s->argv[a] = NULL;
    smss.nservers++;
}

static void session_from_cmdline(void)
{
    static char cmdline[256];
    char *p, *end;
    int a = 0;

    if (sys_system_cmdline(cmdline, sizeof(cmdline)) < 0)
        return;
    for (p = cmdline; (p = strstr(p, "session=")); p++) {
        if (p == cmdline || p[-1] == ' ')
            break;
    }
    if (!p)
        return;
    p += 8;
    end = strchr(p, ' ');
    if (end)
        *end = 0;
    while (p && *p && a < SMSS_MAX_ARGS) {
        smss.session_argv[a++] = p;
        p = strchr(p, ',');
        if (p)
            *p++ = 0;
    }
    smss.session_argv[a] = NULL;
}

long smss_read_config(void)
{
    const void *data;
    size_t size;
    int lineno = 0;

    if (smss_image_file("/etc/smss.conf", &data, &size) < 0) {
        smss_log("/etc/smss.conf is missing from the boot image");
        return ST_NOT_FOUND;
    }
    for (const char *line = data, *end = (const char *)data + size; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
        char *w[SMSS_MAX_ARGS + 8];
        int n = split(line, len, w, SMSS_MAX_ARGS + 8);
        lineno++;
        if (n > 0 && !strcmp(w[0], "server"))
            parse_server(w, n, lineno);
        else if (n > 1 && !strcmp(w[0], "session")) {
            int a = 0;
            for (int i = 1; i < n && a < SMSS_MAX_ARGS; i++)
                smss.session_argv[a++] = w[i];
            smss.session_argv[a] = NULL;
        } else if (n > 0)
            smss_log("smss.conf:%d: unknown line '%s'", lineno, w[0]);
        line += len + 1;
    }
    session_from_cmdline();
    return ST_OK;
}
