/*
 * The shell's builtins. Each returns the status $? takes.
 */
#include "../smss/smss.h"
#include "shell.h"
#include <native/console.h>
#include <stdlib.h>
#include <string.h>

const char *sh_status_text(long st)
{
    return status_text(st);
}

static int b_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    sh_print_help();
    return 0;
}

static int b_echo(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        printf("%s%s", argv[i], i + 1 < argc ? " " : "");
    printf("\n");
    return 0;
}

static int b_pwd(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("%s\n", file_getcwd());
    return 0;
}

static int b_cd(int argc, char **argv)
{
    long st = file_chdir(argc > 1 ? argv[1] : "/");

    if (st < 0) {
        printf("cd: %s: %s\n", argc > 1 ? argv[1] : "/", sh_status_text(st));
        return 1;
    }
    return 0;
}

static char mode_char(uint32_t mode)
{
    switch (mode & PFS_S_IFMT) {
    case PFS_S_IFDIR:
        return 'd';
    case PFS_S_IFLNK:
        return 'l';
    case PFS_S_IFCHR:
        return 'c';
    case PFS_S_IFIFO:
        return 'p';
    default:
        return '-';
    }
}

static void print_entry(const char *dir, const char *name, bool lng)
{
    char path[PFS_PATH_MAX];
    pfs_attr_t a;

    if (!lng) {
        printf("%s\n", name);
        return;
    }
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (file_lstat(path, &a) < 0) {
        printf("?????????? %10s %s\n", "?", name);
        return;
    }
    char perms[11] = "----------";
    perms[0] = mode_char(a.mode);
    for (int i = 0; i < 9; i++) {
        if (a.mode & (1u << (8 - i)))
            perms[1 + i] = "rwxrwxrwx"[i];
    }
    printf("%s %3u %10llu %s", perms, a.nlink, (unsigned long long)a.size, name);
    if ((a.mode & PFS_S_IFMT) == PFS_S_IFLNK) {
        char target[256];
        long n = file_readlink(path, target, sizeof(target) - 1);
        if (n >= 0) {
            target[n] = 0;
            printf(" -> %s", target);
        }
    }
    printf("\n");
}

static int list_dir(const char *path, bool lng)
{
    file_t dir;
    pfs_attr_t a;
    static uint8_t buf[8192];
    uint64_t cookie = 0;
    long st = file_stat(path, &a);

    if (st >= 0 && (a.mode & PFS_S_IFMT) != PFS_S_IFDIR) {
        print_entry(".", path, lng);
        return 0;
    }
    if (st >= 0)
        st = file_open(path, PFS_O_READ | PFS_O_DIRECTORY, 0, &dir);
    if (st < 0) {
        printf("ls: %s: %s\n", path, sh_status_text(st));
        return 1;
    }
    do {
        long n = file_readdir(&dir, &cookie, buf, sizeof(buf));
        if (n < 0) {
            printf("ls: %s: %s\n", path, sh_status_text(n));
            file_close(&dir);
            return 1;
        }
        for (long off = 0; off < n;) {
            pfs_dirent_t *d = (pfs_dirent_t *)(buf + off);
            if (strcmp(d->name, ".") && strcmp(d->name, ".."))
                print_entry(path, d->name, lng);
            off += d->reclen;
            if (!d->reclen)
                break;
        }
    } while (cookie);
    file_close(&dir);
    return 0;
}

static int b_ls(int argc, char **argv)
{
    bool lng = false;
    int status = 0, first = 1, paths = 0;

    if (argc > 1 && !strcmp(argv[1], "-l")) {
        lng = true;
        first = 2;
    }
    for (int i = first; i < argc; i++) {
        paths++;
        if (argc - first > 1)
            printf("%s:\n", argv[i]);
        status |= list_dir(argv[i], lng);
    }
    if (!paths)
        status = list_dir(file_getcwd(), lng);
    return status;
}

static int b_cat(int argc, char **argv)
{
    static char buf[4096];
    int status = 0;

    for (int i = 1; i < argc; i++) {
        file_t f;
        long st = file_open(argv[i], PFS_O_READ, 0, &f);
        if (st < 0) {
            printf("cat: %s: %s\n", argv[i], sh_status_text(st));
            status = 1;
            continue;
        }
        long n;
        while ((n = file_read(&f, buf, sizeof(buf))) > 0) {
            native_flush();
            con_write(buf, (size_t)n);
        }
        if (n < 0) {
            printf("cat: %s: %s\n", argv[i], sh_status_text(n));
            status = 1;
        }
        file_close(&f);
    }
    return status;
}

static const char *state_name(uint32_t s)
{
    return s == PROCESS_ACTIVE ? "running" : s == PROCESS_EXITING ? "exiting" : "exited";
}

static int b_ps(int argc, char **argv)
{
    static process_info_t list[256];
    size_t total;
    long n = sys_process_list(list, 256, &total);

    (void)argc;
    (void)argv;
    if (n < 0) {
        printf("ps: %s\n", sh_status_text(n));
        return 1;
    }
    printf("  PID  PPID PERSONALITY STATE   THREADS  MEM(KiB)  CPU(ms) NAME\n");
    for (long i = 0; i < n; i++) {
        process_info_t *p = &list[i];
        printf("%5llu %5llu %-11s %-7s %7u %9llu %8llu %s\n", (unsigned long long)p->pid,
               (unsigned long long)p->parent_pid, sh_personality_name(p->personality),
               state_name(p->state), p->threads, (unsigned long long)(p->memory_pages * 4),
               (unsigned long long)(p->cpu_ns / 1000000), p->name);
    }
    return 0;
}

/* Where the memory is: the frames the allocator manages, how many are
 * free and in use (process pages, page tables, kernel stacks and heap),
 * the kernel heap alone, and the pages charged to processes' quotas (the
 * ps MEM column; it counts the boot-image pages a process maps, which lie
 * outside the managed frames). */
static int b_mem(int argc, char **argv)
{
    static process_info_t list[256];
    system_info_t si;
    size_t total;
    uint64_t charged = 0;
    long st = sys_system_info(&si);
    long n = st < 0 ? st : sys_process_list(list, 256, &total);

    (void)argc;
    (void)argv;
    if (n < 0) {
        printf("mem: %s\n", sh_status_text(n));
        return 1;
    }
    for (long i = 0; i < n; i++)
        charged += list[i].memory_pages * 4;
    printf("frames      %9llu KiB\n", (unsigned long long)si.total_pages * 4);
    printf("free        %9llu KiB\n", (unsigned long long)si.free_pages * 4);
    printf("in use      %9llu KiB\n", (unsigned long long)(si.total_pages - si.free_pages) * 4);
    printf("kernel heap %9llu KiB\n", (unsigned long long)(si.kernel_heap_bytes + 1023) / 1024);
    printf("charged     %9llu KiB to %ld processes (ps MEM)\n", (unsigned long long)charged, n);
    return 0;
}

static int b_kill(int argc, char **argv)
{
    int status = 0;

    if (argc < 2) {
        printf("usage: kill PID...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        handle_t h;
        long st = sys_process_open(strtoul(argv[i], NULL, 10), H_TERMINATE, &h);
        if (st >= 0) {
            st = sys_process_terminate(h, EXIT_STATUS_KILLED);
            sys_handle_close(h);
        }
        if (st < 0) {
            printf("kill: %s: %s\n", argv[i], sh_status_text(st));
            status = 1;
        }
    }
    return status;
}

static long smss_call(uint32_t label, ipc_msg_t *m, srv_conn_t *conn, size_t buffer)
{
    long st = srv_connect("Smss", buffer, conn);

    if (st < 0)
        return st;
    st = srv_call(conn, label, m);
    return st;
}

static const char *server_state(uint32_t s)
{
    switch (s) {
    case SMSS_STARTING:
        return "starting";
    case SMSS_RUNNING:
        return "running";
    case SMSS_RESTARTING:
        return "restarting";
    case SMSS_STOPPED:
        return "stopped";
    case SMSS_ABSENT:
        return "absent";
    default:
        return "?";
    }
}

static int b_servers(int argc, char **argv)
{
    srv_conn_t conn;
    ipc_msg_t m = {0};
    long st = smss_call(SMSS_LIST, &m, &conn, 16384);

    (void)argc;
    (void)argv;
    if (st < 0) {
        printf("servers: %s\n", sh_status_text(st));
        srv_disconnect(&conn);
        return 1;
    }
    printf("NAME       PID  STATE       RESTARTS  LAST FAILURE\n");
    for (uint64_t i = 0; i < m.w[0]; i++) {
        smss_server_info_t *s = (smss_server_info_t *)conn.buffer + i;
        printf("%-10s %4llu %-11s %8u  %s\n", s->name, (unsigned long long)s->pid,
               server_state(s->state), s->restarts, s->last_failure[0] ? s->last_failure : "-");
    }
    srv_disconnect(&conn);
    return 0;
}

static int b_crash(int argc, char **argv)
{
    srv_conn_t conn;
    ipc_msg_t m = {0};
    long st;

    if (argc != 2 || strlen(argv[1]) >= SMSS_NAME_MAX) {
        printf("usage: crash SERVER   (see 'servers' for the names)\n");
        return 2;
    }
    memcpy(&m.w[0], argv[1], strlen(argv[1]));
    st = smss_call(SMSS_CRASH, &m, &conn, 0);
    srv_disconnect(&conn);
    if (st < 0) {
        printf("crash: %s: %s\n", argv[1],
               st == ST_NOT_FOUND ? "no such server" : sh_status_text(st));
        return 1;
    }
    return 0;
}

static int b_shutdown(int argc, char **argv)
{
    srv_conn_t conn;
    ipc_msg_t m = {0};
    long st;

    m.w[0] = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
    native_flush();
    st = smss_call(SMSS_SHUTDOWN, &m, &conn, 0);
    printf("shutdown: %s\n", sh_status_text(st));
    return 1;
}

static int b_exit(int argc, char **argv)
{
    sh.exit_requested = true;
    sh.exit_status = argc > 1 ? atoi(argv[1]) : sh.last_status;
    return sh.exit_status;
}

static int b_run(int argc, char **argv)
{
    int p = 0, i = 1;

    if (argc > 2 && !strcmp(argv[1], "-p")) {
        p = sh_personality_from_name(argv[2]);
        if (p < 0) {
            printf("run: unknown personality '%s' (native, posix, dos or win16)\n", argv[2]);
            return 2;
        }
        i = 3;
    }
    if (i >= argc) {
        printf("usage: run [-p native|posix|dos|win16] PROGRAM [ARGS...]\n");
        return 2;
    }
    return sh_run_program(argv[i], argc - i, argv + i, (uint32_t)p);
}

static int b_sleep(int argc, char **argv)
{
    uint64_t ms = 0;
    const char *s = argc > 1 ? argv[1] : "";

    /* Seconds, with up to three decimals: "1", "0.5". */
    while (*s >= '0' && *s <= '9')
        ms = ms * 10 + (uint64_t)(*s++ - '0') * 1;
    ms *= 1000;
    if (*s == '.') {
        uint64_t scale = 100;
        for (s++; *s >= '0' && *s <= '9' && scale; s++, scale /= 10)
            ms += (uint64_t)(*s - '0') * scale;
    }
    if (argc != 2 || *s) {
        printf("usage: sleep SECONDS\n");
        return 2;
    }
    long st = sys_sleep(ms * 1000000);
    return st < 0 ? 1 : 0;
}

static int b_env(int argc, char **argv)
{
    extern char **environ;

    (void)argc;
    (void)argv;
    for (char **e = environ; e && *e; e++)
        printf("%s\n", *e);
    return 0;
}

static const struct {
    const char *name;
    builtin_fn_t fn;
    const char *help;
} builtins[] = {
    {"help", b_help, "this list"},
    {"ls", b_ls, "ls [-l] [PATH...]: list a directory"},
    {"cat", b_cat, "cat FILE...: print files"},
    {"cd", b_cd, "cd [DIR]: change directory"},
    {"pwd", b_pwd, "print the current directory"},
    {"echo", b_echo, "echo WORDS...: print words ($? is the last status)"},
    {"env", b_env, "print the environment"},
    {"sleep", b_sleep, "sleep SECONDS: wait (fractions allowed)"},
    {"ps", b_ps, "list processes with their personality"},
    {"mem", b_mem, "memory in use: kernel and processes"},
    {"kill", b_kill, "kill PID...: end processes"},
    {"servers", b_servers, "list the servers smss supervises"},
    {"run", b_run, "run [-p native|posix|dos|win16] PROGRAM [ARGS...]"},
    {"crash", b_crash, "crash SERVER: kill a server on purpose, to watch it come back"},
    {"shutdown", b_shutdown, "power off"},
    {"exit", b_exit, "exit [STATUS]: leave the shell"},
};

builtin_fn_t sh_find_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
        if (!strcmp(builtins[i].name, name))
            return builtins[i].fn;
    }
    return NULL;
}

void sh_print_help(void)
{
    printf("Builtins:\n");
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
        printf("  %-9s %s\n", builtins[i].name, builtins[i].help);
    printf("Anything else runs a program: a path, or a name found in /bin. Its personality\n"
           "comes from its image (ELF native or Linux, .COM/MZ, NE) unless run -p says.\n");
}
