/*
 * dos_bench: starts a DOS program through the DOS server with the
 * figures flag (DOS_SPAWN_STATS), so that its VDM prints how many
 * instructions it ran in how long and what its DOS calls cost, and waits
 * for it. Used by `./persona bench dos` (tools/bench-dos) through
 * `./persona run`.
 *
 *   dos_bench PROGRAM [ARGS...]
 */
#include <native/file.h>
#include <native/personality.h>
#include <native/runtime.h>
#include <protocol.h>

int main(int argc, char **argv)
{
    srv_conn_t conn;
    char path[PFS_PATH_MAX];
    const char *envp[] = {NULL};
    uint64_t pid;
    handle_t proc;
    int64_t status = -1;
    long st;

    if (argc < 2) {
        printf("usage: dos_bench PROGRAM [ARGS...]\n");
        return 2;
    }
    st = file_abspath(argv[1], path, sizeof(path));
    if (st >= 0)
        st = srv_connect(DOS_PORT, 16384, &conn);
    if (st >= 0)
        st = pers_spawn(&conn, path, file_getcwd(), (const char *const *)argv + 1, envp,
                        DOS_SPAWN_STATS, &pid, &proc);
    if (st < 0) {
        printf("dos_bench: %s: %s\n", argv[1], status_text(st));
        return 1;
    }
    native_flush();
    sys_process_wait(proc, 0, &status);
    return (int)(status & 0xff);
}
