/*
 * Starting programs from the shell: find the file, read its image, pick
 * the personality (from the image, or the one `run -p` names), start it
 * natively or through that personality's server, and wait for it while
 * passing the terminal's Ctrl-C on.
 */
#include <loader/detect.h>
#include "shell.h"
#include <native/console.h>
#include <native/server.h>
#include <native/spawn.h>
#include <native/personality.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const pers_names[] = {"?", "native", "posix", "dos", "win16"};
static const char *const pers_ports[] = {NULL, NULL, "Posix", "Dos", "Win16"};

const char *sh_personality_name(uint32_t p)
{
    return p <= PERSONALITY_WIN16 ? pers_names[p] : "?";
}

int sh_personality_from_name(const char *s)
{
    for (int p = PERSONALITY_NATIVE; p <= PERSONALITY_WIN16; p++) {
        if (!strcmp(s, pers_names[p]))
            return p;
    }
    return -1;
}

/* Shell-style status for a process the system ended. */
int sh_status_from_exit(int64_t st, const char *reason)
{
    (void)reason;
    if (st == EXIT_STATUS_KILLED)
        return 137;
    if (EXIT_STATUS_IS_FAULT(st)) {
        switch (st & 0xff) {
        case 0:
            return 136; /* divide error: as SIGFPE */
        case 3:
            return 133; /* breakpoint: SIGTRAP */
        case 6:
            return 132; /* invalid opcode: SIGILL */
        default:
            return 139; /* page and protection faults: SIGSEGV */
        }
    }
    return (int)(st & 0xff);
}

/* Finds the file: names with a '/' as they are, others in /bin. */
static long locate(const char *name, char *path, size_t size)
{
    pfs_attr_t a;
    long st;

    if (strchr(name, '/'))
        st = file_abspath(name, path, size);
    else
        st = snprintf(path, size, "/bin/%s", name) < (int)size ? ST_OK : ST_NAME_TOO_LONG;
    if (st < 0)
        return st;
    st = file_stat(path, &a);
    if (st < 0)
        return st;
    if ((a.mode & PFS_S_IFMT) == PFS_S_IFDIR)
        return ST_IS_DIRECTORY;
    return ST_OK;
}

static char **child_env(void)
{
    static char pwd[PFS_PATH_MAX + 8];
    static char *env[] = {pwd, "PATH=/bin", "HOME=/", "TERM=vt100", NULL};

    snprintf(pwd, sizeof(pwd), "PWD=%s", file_getcwd());
    return env;
}

/* Waits for the child; Ctrl-C goes to it (through intr). The console's
 * mode is put back afterwards: a program killed in raw mode (a DOS
 * program's VDM) could not do it itself. */
static int wait_child(handle_t proc, const char *name, void (*intr)(handle_t, void *), void *ctx)
{
    int64_t status = 0;
    process_info_t info;
    uint32_t mode;
    bool have_mode = con_get_mode(&mode) >= 0;

    sys_process_watch(proc, sh.port, SH_CHILD_BIT);
    con_set_interrupt(sh.port, SH_INTR_BIT);
    for (;;) {
        ipc_msg_t m;
        long st = native_ipc_recv(sh.port, &m, IPC_WAIT_FOREVER, NULL);
        if (st < 0 || IPC_LABEL(m.tag) != IPC_LABEL_NOTIFY)
            continue;
        if (m.w[0] & SH_INTR_BIT)
            intr(proc, ctx);
        if ((m.w[0] & SH_CHILD_BIT) && sys_process_info(proc, &info) == ST_OK &&
            info.state == PROCESS_DEAD)
            break;
    }
    sys_process_wait(proc, 0, &status);
    sys_handle_close(proc);
    if (have_mode)
        con_set_mode(mode, NULL);
    if (status == EXIT_STATUS_KILLED && info.exit_reason[0] &&
        !strcmp(info.exit_reason, "interrupted"))
        return 130;
    if (EXIT_STATUS_IS_FAULT(status) || status == EXIT_STATUS_KILLED)
        printf("%s: %s\n", name, info.exit_reason[0] ? info.exit_reason : "killed");
    return sh_status_from_exit(status, info.exit_reason);
}

static void native_interrupt(handle_t proc, void *ctx)
{
    (void)ctx;
    sys_process_terminate(proc, EXIT_STATUS_KILLED);
}

static int run_native(const char *path, const native_file_image_t *file, int argc, char **argv)
{
    native_spawn_t s = {0};
    handle_t proc;
    const char *why = "";
    long st;

    (void)argc;
    s.name = strrchr(path, '/') + 1;
    s.argv = (const char *const *)argv;
    s.envp = (const char *const *)child_env();
    s.file = file;
    native_flush();
    st = native_spawn_elf(file->data, file->size, &s, &proc, NULL, &why);
    if (st < 0) {
        printf("%s: %s\n", path, why);
        return 126;
    }
    return wait_child(proc, s.name, native_interrupt, NULL);
}

typedef struct foreign {
    srv_conn_t conn;
    uint64_t pid;
} foreign_t;

static void foreign_interrupt(handle_t proc, void *ctx)
{
    foreign_t *f = ctx;

    (void)proc;
    pers_interrupt(&f->conn, f->pid);
}

static int run_foreign(uint32_t pers, const char *path, int argc, char **argv)
{
    foreign_t f;
    handle_t proc;
    long st = srv_connect(pers_ports[pers], 65536, &f.conn);

    (void)argc;
    if (st == ST_NOT_FOUND) {
        printf("%s: the %s personality is not available (no %s server is running)\n", path,
               pers_names[pers], pers_names[pers]);
        return 126;
    }
    if (st < 0) {
        printf("%s: cannot reach the %s server: %s\n", path, pers_names[pers], status_text(st));
        return 126;
    }
    native_flush();
    st = pers_spawn(&f.conn, path, file_getcwd(), (const char *const *)argv,
                    (const char *const *)child_env(), 0, &f.pid, &proc);
    if (st < 0) {
        if (st == ST_NAME_TOO_LONG)
            printf("%s: arguments too long\n", path);
        else if (st == ST_BAD_STATE)
            printf("%s: the %s server gave no process handle\n", path, pers_names[pers]);
        else
            printf("%s: %s\n", path, status_text(st));
        srv_disconnect(&f.conn);
        return 126;
    }
    int status = wait_child(proc, strrchr(path, '/') + 1, foreign_interrupt, &f);
    srv_disconnect(&f.conn);
    return status;
}

int sh_run_program(const char *name, int argc, char **argv, uint32_t personality)
{
    char path[PFS_PATH_MAX];
    native_file_image_t file;
    const char *why = "";
    long st = locate(name, path, sizeof(path));
    int status;

    if (st < 0) {
        if (st == ST_NOT_FOUND && !strchr(name, '/'))
            printf("%s: command not found\n", name);
        else
            printf("%s: %s\n", name, status_text(st));
        return st == ST_NOT_FOUND ? 127 : 126;
    }
    st = native_image_open(path, &file);
    if (st < 0) {
        printf("%s: %s\n", path, status_text(st));
        return 126;
    }
    if (!personality) {
        ldr_format_t fmt = ldr_detect(file.data, file.size, path, &why);
        personality = ldr_format_personality(fmt);
        if (!personality) {
            printf("%s: unknown format: %s\n", path, why && *why ? why : "no personality runs it");
            native_image_close(&file);
            return 126;
        }
    }
    if (personality == PERSONALITY_NATIVE)
        status = run_native(path, &file, argc, argv);
    else
        status = run_foreign(personality, path, argc, argv);
    native_image_close(&file);
    return status;
}
