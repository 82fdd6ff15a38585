/*
 * The DOS server: set-up and the message loop.
 *
 *   /sbin/dos [LETTER=DIR]...      e.g. `server dos /sbin/dos -- C=/c` in smss.conf
 *
 * Each argument maps a drive to a directory. Without one for C:, C: is
 * /c when that directory exists and / otherwise.
 *
 * Messages: the shell's PERS_SPAWN and PERS_INTERRUPT, the VDMs' calls
 * (<protocol.h>: hello, start, DOS calls and their console callbacks), and
 * notifications that a VDM process ended.
 */
#include "dossrv.h"
#include <native/console.h>
#include <native/runtime.h>
#include <persona/personality.h>
#include <string.h>

dsrv_t dsrv;

static const srv_handler_t table[] = {DOS_VDM_CALLS(SRV_TABLE_ENTRY)};
static const char *const names[] = {DOS_VDM_CALLS(SRV_NAME_ENTRY)};

static long intercept(server_t *srv, srv_req_t *req)
{
    (void)srv;
    switch (IPC_LABEL(req->msg.tag)) {
    case PERS_SPAWN:
        return dsrv_spawn(req);
    case PERS_INTERRUPT:
        return dsrv_interrupt(req);
    default:
        return SRV_PASS;
    }
}

static void on_notify(server_t *srv, uint64_t bits)
{
    (void)srv;
    if (bits & DSRV_BIT_VDM_EXIT)
        dsrv_reap();
}

static bool is_dir(const char *path)
{
    pfs_attr_t a;
    return file_stat(path, &a) == ST_OK && (a.mode & PFS_S_IFMT) == PFS_S_IFDIR;
}

static void map_arguments(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char letter = (char)(a[0] & ~0x20);
        if (letter < 'A' || letter > 'Z' || a[1] != '=' || a[2] != '/') {
            printf("dos: argument '%s' ignored: drives are given as LETTER=/DIRECTORY\n", a);
            continue;
        }
        if (!is_dir(a + 2)) {
            printf("dos: drive %c: %s is not a directory; the drive is not mapped\n", letter,
                   a + 2);
            continue;
        }
        strlcpy(dsrv.drive_root[letter - 'A'], a + 2, sizeof(dsrv.drive_root[0]));
    }
    if (!dsrv.drive_root['C' - 'A'][0])
        strlcpy(dsrv.drive_root['C' - 'A'], is_dir("/c") ? "/c" : "/", sizeof(dsrv.drive_root[0]));
}

int main(int argc, char **argv)
{
    native_use_kernel_log();
    map_arguments(argc, argv);
    dsrv.srv.name = "dos";
    dsrv.srv.port_name = DOS_PORT;
    dsrv.srv.table = table;
    dsrv.srv.names = names;
    dsrv.srv.ncalls = sizeof(table) / sizeof(table[0]);
    dsrv.srv.intercept = intercept;
    dsrv.srv.notify = on_notify;
    dsrv.srv.client_gone = dsrv_client_gone;
    dsrv.srv.takes_handles = 1ull << DOS_VDM_HELLO;
    if (srv_init(&dsrv.srv) < 0)
        return 1;
    srv_run(&dsrv.srv);
    return 1;
}
