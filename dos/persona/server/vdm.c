/*
 * VDM processes: starting one for the shell (PERS_SPAWN), its hello and
 * start (the memory section, then DOS laid out in it and the program
 * loaded), the terminal's Ctrl-C (PERS_INTERRUPT), and the end of the
 * process, however it came (exit, a fault, `kill`), after which the
 * record and everything it holds go.
 *
 * Drives: those the server's arguments map (C: by default), plus, for a
 * program outside them (or in a directory whose path has a name DOS
 * cannot see), its own directory as the next free letter from D:. The
 * shell's directory is the current one when a drive holds it.
 *
 * Entry points: dsrv_find, dsrv_spawn, dsrv_interrupt, dsrv_reap,
 * dsrv_client_gone, do_vdm_hello, do_vdm_start.
 */
#include "dossrv.h"
#include <native/runtime.h>
#include <native/spawn.h>
#include <native/personality.h>
#include <stdlib.h>
#include <string.h>

#define VDM_PROGRAM "/sbin/vdm"
#define TAIL_MAX    126 /* DOS's command line, without the CR */

dsrv_vdm_t *dsrv_find(uint64_t pid)
{
    for (dsrv_vdm_t *v = dsrv.vdms; v; v = v->next) {
        if (v->pid == pid)
            return v;
    }
    return NULL;
}

static void vdm_free(dsrv_vdm_t *v)
{
    if (v->in_call)
        printf("dos: %s (pid %llu) ended during a DOS call; the call is dropped\n", v->name,
               (unsigned long long)v->pid);
    fiber_destroy(&v->fiber);
    dsrv_files_close_all(v);
    if (v->mem)
        sys_vm_unmap(HANDLE_SELF_PROCESS, (uint64_t)v->mem, VDM_MEM_SIZE);
    if (v->section)
        sys_handle_close(v->section);
    if (v->port)
        sys_handle_close(v->port);
    if (v->proc)
        sys_handle_close(v->proc);
    free(v->prog);
    free(v->cwd);
    free(v->tail);
    free(v);
}

/* Some VDM ended: the records of every one that has go. */
void dsrv_reap(void)
{
    for (dsrv_vdm_t **l = &dsrv.vdms; *l;) {
        dsrv_vdm_t *v = *l;
        process_info_t info;
        if (sys_process_info(v->proc, &info) == ST_OK && info.state != PROCESS_DEAD) {
            l = &v->next;
            continue;
        }
        *l = v->next;
        vdm_free(v);
    }
}

/* The framework drops a connection whose process ended: forget its buffer. */
void dsrv_client_gone(server_t *srv, srv_client_t *c)
{
    (void)srv;
    for (dsrv_vdm_t *v = dsrv.vdms; v; v = v->next) {
        if (v->client == c)
            v->client = NULL;
    }
}

/* " arg1 arg2 ...": DOS's command tail (its length is checked at start). */
static char *join_tail(char *const *argv, uint32_t argc)
{
    size_t len = 1;

    for (uint32_t i = 1; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *tail = malloc(len);
    if (!tail)
        return NULL;
    tail[0] = 0;
    for (uint32_t i = 1; i < argc; i++) {
        strcat(tail, " ");
        strcat(tail, argv[i]);
    }
    return tail;
}

static long start_process(dsrv_vdm_t *v)
{
    native_file_image_t img;
    native_spawn_t s = {0};
    const char *argv[] = {"vdm", v->prog, NULL};
    const char *why = "";
    process_info_t info;
    long st = native_image_open(VDM_PROGRAM, &img);

    if (st < 0) {
        printf("dos: %s: %s\n", VDM_PROGRAM, status_text(st));
        return st;
    }
    s.name = v->name;
    s.argv = argv;
    s.personality = PERSONALITY_DOS;
    s.file = &img;
    st = native_spawn_elf(img.data, img.size, &s, &v->proc, NULL, &why);
    native_image_close(&img);
    if (st < 0) {
        printf("dos: %s: %s: %s\n", VDM_PROGRAM, why, status_text(st));
        return st;
    }
    sys_process_info(v->proc, &info);
    v->pid = info.pid;
    st = sys_process_watch(v->proc, dsrv.srv.port, DSRV_BIT_VDM_EXIT);
    if (st < 0)
        sys_process_terminate(v->proc, EXIT_STATUS_KILLED);
    return st;
}

static long new_vdm(const char *path, const char *cwd, char *const *argv, uint32_t argc,
                    uint32_t flags, dsrv_vdm_t **out)
{
    dsrv_vdm_t *v = calloc(1, sizeof(*v));
    uint64_t addr = 0;
    long st;

    if (!v)
        return ST_NO_MEMORY;
    const char *base = strrchr(path, '/') + 1;
    strlcpy(v->name, base, sizeof(v->name));
    v->flags = flags;
    dsrv_files_init(v);
    v->prog = strdup(path);
    v->cwd = strdup(cwd);
    v->tail = join_tail(argv, argc);
    st = v->prog && v->cwd && v->tail ? ST_OK : ST_NO_MEMORY;
    if (st >= 0)
        st = sys_section_create(VDM_MEM_SIZE, &v->section);
    if (st >= 0)
        st =
            sys_vm_map(HANDLE_SELF_PROCESS, &addr, VDM_MEM_SIZE, PROT_R | PROT_W, 0, v->section, 0);
    if (st >= 0) {
        v->mem = (uint8_t *)addr;
        st = fiber_create(&v->fiber, DSRV_FIBER_STACK, dsrv_fiber_main, v);
    }
    if (st >= 0)
        st = start_process(v);
    if (st < 0) {
        if (v->proc) {
            sys_process_terminate(v->proc, EXIT_STATUS_KILLED);
            sys_process_wait(v->proc, 0, NULL);
        }
        vdm_free(v);
        return st;
    }
    v->next = dsrv.vdms;
    dsrv.vdms = v;
    *out = v;
    return ST_OK;
}

long dsrv_spawn(srv_req_t *req)
{
    pers_spawn_args_t a;
    dsrv_vdm_t *v;
    long st = pers_spawn_parse(req, &a);

    if (st < 0)
        return st;
    if (a.path[0] != '/' || !strrchr(a.path, '/')[1] || a.argc < 1)
        st = ST_INVALID_ARGUMENT;
    else
        st = new_vdm(a.path, a.cwd, a.argv, a.argc, a.flags, &v);
    pers_spawn_free(&a);
    if (st < 0)
        return st;
    st = pers_spawn_reply(req, v->proc, v->pid);
    if (st < 0)
        sys_process_terminate(v->proc, EXIT_STATUS_KILLED);
    return st;
}

long dsrv_interrupt(srv_req_t *req)
{
    dsrv_vdm_t *v = dsrv_find(req->msg.w[0]);

    if (!v)
        return ST_NOT_FOUND;
    if (!v->port)
        return ST_BAD_STATE;
    return sys_ipc_notify(v->port, DOS_VDM_BIT_INTR);
}

long do_vdm_hello(server_t *srv, srv_req_t *req)
{
    dsrv_vdm_t *v = dsrv_find(req->sender_pid);
    handle_t port = IPC_FLAGS(req->msg.tag) & IPC_FLAG_HANDLE ? (handle_t)req->msg.w[7] : 0;
    handle_info_t hi;
    long st = ST_OK;

    (void)srv;
    if (!v)
        st = ST_NOT_FOUND;
    else if (v->state != V_SPAWNED || !req->client || !srv_buffer_ok(req->client, 0, 1024))
        st = ST_BAD_STATE;
    else if (!port || sys_handle_info(port, &hi) < 0 || hi.type != OBJ_PORT)
        st = ST_INVALID_ARGUMENT;
    if (st < 0) {
        if (port)
            sys_handle_close(port);
        return st;
    }
    v->port = port;
    v->client = req->client;
    handle_t sec;
    st = sys_handle_duplicate(HANDLE_SELF_PROCESS, v->section, HANDLE_SELF_PROCESS,
                              H_MAP | H_READ | H_WRITE | H_DUPLICATE, &sec);
    if (st < 0)
        return st;
    v->state = V_ATTACHED;
    memset(req->msg.w, 0, sizeof(req->msg.w));
    req->msg.tag = IPC_TAG(0, IPC_FLAG_HANDLE);
    req->msg.w[0] = VDM_MEM_SIZE;
    req->msg.w[1] = v->flags;
    req->msg.w[7] = sec;
    srv_reply(req->token, ST_OK, &req->msg);
    sys_handle_close(sec);
    return SRV_DEFERRED;
}

/* True when DOS can reach the directory of the program at dos_prog (its
 * path may hold names that are not 8.3, which DOS cannot see). */
static bool dir_reachable(dsrv_vdm_t *v, const char *dos_prog)
{
    char dir[DOS_HOST_PATH + 4];

    strlcpy(dir, dos_prog, sizeof(dir));
    char *slash = strrchr(dir, '\\');
    slash[slash == dir + 2 ? 1 : 0] = 0; /* a root keeps its backslash */
    return dos_server_chdir(&v->dos, dir) == 0;
}

/* Maps the drives and chooses the program's DOS name; false if it has none. */
static bool map_drives(dsrv_vdm_t *v, char *dos_prog, size_t size)
{
    char dir[DOS_HOST_PATH], cwd[DOS_HOST_PATH + 4];

    for (int d = 0; d < 26; d++) {
        if (dsrv.drive_root[d][0])
            dos_server_map_drive(&v->dos, (char)('A' + d), dsrv.drive_root[d]);
    }
    if (dos_server_dos_path(&v->dos, v->prog, dos_prog, size) != 0 ||
        !dir_reachable(v, dos_prog)) {
        /* Outside every drive, or behind a name DOS cannot see: its own
         * directory is the next free letter. */
        int d = 3;
        while (d < 26 && dsrv.drive_root[d][0])
            d++;
        size_t n = (size_t)(strrchr(v->prog, '/') - v->prog);
        if (d == 26 || n >= sizeof(dir))
            return false;
        memcpy(dir, v->prog, n);
        dir[n] = 0;
        if (dos_server_map_drive(&v->dos, (char)('A' + d), n ? dir : "/") != 0 ||
            dos_server_dos_path(&v->dos, v->prog, dos_prog, size) != 0)
            return false;
    }
    if (dos_server_dos_path(&v->dos, v->cwd, cwd, sizeof(cwd)) != 0 ||
        dos_server_chdir(&v->dos, cwd) != 0)
        dos_server_chdir(&v->dos, "C:\\");
    return true;
}

/* True for a name DOS can see: at most 8 characters, a dot and 3 more. */
static bool is_8_3(const char *name)
{
    const char *dot = strrchr(name, '.');
    size_t stem = dot ? (size_t)(dot - name) : strlen(name);

    return stem >= 1 && stem <= 8 && (!dot || strlen(dot) <= 4);
}

/* Lays DOS out and loads the program; 0, or a DOS error with msg set. */
static int load(dsrv_vdm_t *v, dos_regs_t *entry, char *msg, size_t size)
{
    dos_server_config_t cfg = {
        .ops = &dsrv_ops,
        .ctx = v,
        .mem = v->mem,
        .mem_size = VDM_MEM_SIZE,
    };
    char dos_prog[DOS_HOST_PATH + 4], why[256];

    if (dos_server_init(&v->dos, &cfg) != 0 || dos_server_boot(&v->dos) != 0) {
        snprintf(msg, size, "%s: DOS cannot be set up in the VDM's memory", v->prog);
        return DOS_ENOMEM;
    }
    if (!map_drives(v, dos_prog, sizeof(dos_prog))) {
        snprintf(msg, size, "%s: DOS cannot reach the program: its path is too long", v->prog);
        return DOS_ENOPATH;
    }
    if (strlen(v->tail) > TAIL_MAX) {
        snprintf(msg, size, "%s: the arguments are longer than DOS's %d characters", v->prog,
                 TAIL_MAX);
        return DOS_EBADDATA;
    }
    int rc = dos_server_load(&v->dos, dos_prog, v->tail, entry, why, sizeof(why));
    if (rc != 0) {
        snprintf(msg, size, "%s: %s%s", v->prog, why,
                 rc == DOS_ENOENT && !is_8_3(v->name) ? " (DOS sees only 8.3 names)" : "");
        return rc;
    }
    return 0;
}

long do_vdm_start(server_t *srv, srv_req_t *req)
{
    dsrv_vdm_t *v = dsrv_find(req->sender_pid);
    dos_regs_t entry;

    (void)srv;
    if (!v)
        return ST_NOT_FOUND;
    if (v->state != V_ATTACHED || !v->client)
        return ST_BAD_STATE;
    char *msg = (char *)v->client->buffer;
    int rc = load(v, &entry, msg, v->client->buffer_size);
    memset(req->msg.w, 0, sizeof(req->msg.w));
    if (rc != 0) {
        req->msg.w[0] = (uint64_t)rc;
        return DOS_VDM_NOLOAD;
    }
    v->state = V_RUNNING;
    dos_vdm_put_regs(&req->msg, &entry);
    return DOS_VDM_DONE;
}
