/*
 * POSIX processes and threads: the records, starting a program from a
 * file (PERS_SPAWN), the end of a process (exit_group, a fatal signal, or
 * an end imposed from outside, noticed through the executive's exit
 * watch), zombies and reaping.
 */
#include "psx.h"
#include <native/spawn.h>
#include <stdlib.h>
#include <string.h>

psx_proc_t *psx_find_proc(uint64_t pid)
{
    for (psx_proc_t *p = psx.procs; p; p = p->next) {
        if (p->pid == pid)
            return p;
    }
    return NULL;
}

psx_thread_t *psx_find_thread(psx_proc_t *p, uint64_t tid)
{
    for (psx_thread_t *t = p->threads; t; t = t->next) {
        if (t->tid == tid)
            return t;
    }
    return NULL;
}

psx_thread_t *psx_thread_by_ktid(uint64_t ktid)
{
    for (psx_thread_t *t = psx.by_ktid[ktid % PSX_KTID_HASH]; t; t = t->hash_next) {
        if (t->ktid == ktid)
            return t->proc->state == P_ALIVE ? t : NULL;
    }
    return NULL;
}

static void hash_add(psx_thread_t *t)
{
    handle_info_t hi;

    t->ktid = sys_handle_info(t->th, &hi) == ST_OK ? hi.object_id : 0;
    t->hash_next = psx.by_ktid[t->ktid % PSX_KTID_HASH];
    psx.by_ktid[t->ktid % PSX_KTID_HASH] = t;
}

static void hash_remove(psx_thread_t *t)
{
    for (psx_thread_t **l = &psx.by_ktid[t->ktid % PSX_KTID_HASH]; *l; l = &(*l)->hash_next) {
        if (*l == t) {
            *l = t->hash_next;
            return;
        }
    }
}

psx_thread_t *psx_thread_new(psx_proc_t *p, handle_t th, bool main)
{
    psx_thread_t *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    t->proc = p;
    t->th = th;
    hash_add(t);
    t->tid = main ? p->pid : t->ktid;
    t->altstack.flags = L_SS_DISABLE;
    t->next = p->threads;
    p->threads = t;
    psx_publish_ids(p);
    return t;
}

void psx_thread_rebind(psx_thread_t *t, handle_t th)
{
    hash_remove(t);
    sys_handle_close(t->th);
    t->th = th;
    hash_add(t);
}

/* Unlinks t from its process and frees it. */
void psx_thread_free(psx_thread_t *t)
{
    for (psx_thread_t **l = &t->proc->threads; *l; l = &(*l)->next) {
        if (*l == t) {
            *l = t->next;
            break;
        }
    }
    hash_remove(t);
    sys_handle_close(t->th);
    psx_file_unref(t->pending_open); /* a FIFO open it waited in */
    free(t);
}

void psx_publish_ids(psx_proc_t *p)
{
    for (psx_thread_t *t = p->threads; t; t = t->next) {
        syscall_answer_t tab[] = {
            {L_NR_getpid, p->pid},   {L_NR_gettid, t->tid}, {L_NR_getppid, p->ppid},
            {L_NR_getpgrp, p->pgid}, {L_NR_getuid, 0},      {L_NR_geteuid, 0},
            {L_NR_getgid, 0},        {L_NR_getegid, 0},
        };
        sys_thread_set_answers(t->th, tab, sizeof(tab) / sizeof(tab[0]));
    }
}

psx_proc_t *psx_proc_new(uint64_t pid, handle_t proc)
{
    psx_proc_t *p = calloc(1, sizeof(*p));

    if (!p)
        return NULL;
    p->pid = pid;
    p->pgid = pid;
    p->sid = pid;
    p->proc = proc;
    p->mem = proc;
    p->mem_id = pid;
    p->state = P_ALIVE;
    p->umask = 022;
    strcpy(p->cwd, "/");
    p->start_ns = psx_now();
    for (int i = 0; i < L_RLIMIT_NLIMITS; i++)
        p->rlimits[i] = (l_rlimit_t){L_RLIM_INFINITY, L_RLIM_INFINITY};
    p->rlimits[L_RLIMIT_STACK] = (l_rlimit_t){8ull << 20, L_RLIM_INFINITY};
    p->rlimits[L_RLIMIT_NOFILE] = (l_rlimit_t){PSX_MAX_FDS, PSX_MAX_FDS};
    sys_process_watch(proc, psx.port, 0x1);
    p->next = psx.procs;
    psx.procs = p;
    return p;
}

void psx_set_cmdline(psx_proc_t *p, char *const *argv)
{
    size_t n = 0;

    free(p->cmdline);
    for (int i = 0; argv && argv[i]; i++)
        n += strlen(argv[i]) + 1;
    p->cmdline = malloc(n ? n : 1);
    p->cmdline_len = 0;
    for (int i = 0; p->cmdline && argv && argv[i]; i++) {
        size_t k = strlen(argv[i]) + 1;
        memcpy(p->cmdline + p->cmdline_len, argv[i], k);
        p->cmdline_len += k;
    }
}

long psx_spawn(const char *path, const char *cwd, char *const *argv, char *const *envp,
               uint64_t parent_pid, psx_proc_t **out)
{
    handle_t proc, th;
    process_info_t info;
    psx_proc_t *p;
    psx_thread_t *t;
    long st;

    st = sys_process_create(strrchr(path, '/') ? strrchr(path, '/') + 1 : path, PERSONALITY_POSIX,
                            psx.port, 0, &proc);
    if (st < 0)
        return st;
    sys_process_info(proc, &info);
    p = psx_proc_new(info.pid, proc);
    if (!p) {
        sys_process_terminate(proc, EXIT_STATUS_KILLED);
        sys_handle_close(proc);
        return ST_NO_MEMORY;
    }
    p->ppid = parent_pid;
    strlcpy(p->cwd, cwd && cwd[0] == '/' ? cwd : "/", sizeof(p->cwd));
    sys_process_set_exception_port(proc, psx.port);
    /* stdin, stdout, stderr: the terminal. */
    psx_file_t *tty = psx_tty_open();
    if (tty) {
        for (int fd = 0; fd < 3; fd++)
            psx_fd_install(p, tty, fd, false);
        psx_file_unref(tty);
    }
    /* An empty thread to run the image: exec does the rest. */
    st = sys_thread_create(proc, 0x1000, 0x1000, 0, THREAD_CREATE_SUSPENDED, &th);
    if (st < 0)
        goto fail;
    t = psx_thread_new(p, th, true);
    if (!t) {
        sys_handle_close(th);
        st = ST_NO_MEMORY;
        goto fail;
    }
    st = psx_exec(t, path, (char **)argv, (char **)envp);
    if (st < 0)
        goto fail;
    sys_thread_resume(th);
    *out = p;
    return ST_OK;
fail:
    sys_process_terminate(proc, EXIT_STATUS_KILLED);
    psx_proc_exited(p, 127 << 8);
    psx_reap(p);
    return st;
}

static void free_threads(psx_proc_t *p)
{
    while (p->threads)
        psx_thread_free(p->threads);
}

/* A process running on borrowed threads ends them (not the lender). */
static void end_borrowing(psx_proc_t *p)
{
    if (!p->lender)
        return;
    for (psx_thread_t *t = p->threads; t; t = t->next)
        sys_thread_terminate(t->th, 0);
    sys_handle_close(p->mem);
    p->mem = p->proc;
    p->mem_id = p->pid;
    p->lender = NULL;
}

void psx_proc_exited(psx_proc_t *p, int wait_status)
{
    if (p->state != P_ALIVE)
        return;
    p->state = P_ZOMBIE;
    p->wait_status = wait_status;
    process_info_t pinfo;
    if (sys_process_info(p->proc, &pinfo) == ST_OK)
        p->cpu_ns = pinfo.cpu_ns;
    /* The executive's status: what a shell shows as $?. */
    int64_t code = (wait_status & 0x7f) ? 128 + (wait_status & 0x7f) : (wait_status >> 8) & 0xff;
    sys_process_terminate(p->proc, code);
    end_borrowing(p);
    psx_vma_drop_all(p);
    psx_fds_close_all(p);
    /* Thread records stay until the process is reaped (callers may hold
     * them); their calls get no reply. */
    for (psx_thread_t *t = p->threads; t; t = t->next) {
        t->call.token = 0;
        t->wait = W_NONE;
    }
    if (p->vfork_parent) {
        psx_thread_t *pt = p->vfork_parent;
        p->vfork_parent = NULL;
        psx_complete(pt, (long)p->pid);
    }
    /* Orphans go to the nearest ancestor that is a child subreaper, else
     * to pid 1 (no POSIX process: their zombies are reaped at once).
     * Children still on threads borrowed from p lost them with its memory. */
    uint64_t heir = 1;
    for (psx_proc_t *a = psx_find_proc(p->ppid); a; a = psx_find_proc(a->ppid)) {
        if (a->subreaper && a->state == P_ALIVE) {
            heir = a->pid;
            break;
        }
        if (a->ppid == a->pid)
            break;
    }
    for (psx_proc_t *c = psx.procs; c; c = c->next) {
        if (c->lender == p && c->state == P_ALIVE)
            psx_proc_exited(c, L_SIGKILL);
        if (c->ppid == p->pid) {
            c->ppid = heir;
            psx_publish_ids(c);
        }
    }
    psx_proc_t *parent = psx_find_proc(p->ppid);
    if (parent && parent->state == P_ALIVE) {
        l_siginfo_t info = psx_siginfo(L_SIGCHLD, L_CLD_EXITED, p->pid);
        info.kill.status = (wait_status >> 8) & 0xff;
        if (wait_status & 0x7f) {
            info.si_code = wait_status & 0x80 ? L_CLD_DUMPED : L_CLD_KILLED;
            info.kill.status = wait_status & 0x7f;
        }
        psx_signal_proc(parent, &info);
        /* A parent that ignores SIGCHLD leaves its children to the system. */
        l_sigaction_t *a = &parent->actions[L_SIGCHLD];
        if (a->handler == L_SIG_IGN || (a->flags & L_SA_NOCLDWAIT))
            psx_reap(p);
        psx_wake(W_CHILD, NULL);
    }
}

static psx_proc_t *graveyard;

/* Takes p off the process list; its memory goes at the next
 * psx_collect_garbage(), when no handler can hold it any more. */
void psx_reap(psx_proc_t *p)
{
    psx_proc_t *parent = psx_find_proc(p->ppid);

    if (p->reaped)
        return;
    if (parent)
        parent->children_cpu_ns += p->cpu_ns + p->children_cpu_ns;
    for (psx_proc_t **l = &psx.procs; *l; l = &(*l)->next) {
        if (*l != p)
            continue;
        *l = p->next;
        p->reaped = true;
        p->next = graveyard;
        graveyard = p;
        return;
    }
}

void psx_collect_garbage(void)
{
    while (graveyard) {
        psx_proc_t *p = graveyard;
        graveyard = p->next;
        free_threads(p);
        sys_handle_close(p->proc);
        free(p->cmdline);
        free(p);
    }
}

/* A process ended without us (killed from the shell, a fault's default): */
void psx_check_dead(void)
{
    for (psx_proc_t *p = psx.procs, *next; p; p = next) {
        process_info_t info;
        next = p->next;
        if (p->state != P_ALIVE || sys_process_info(p->proc, &info) < 0 ||
            info.state != PROCESS_DEAD)
            continue;
        int64_t st = info.exit_status;
        int ws;
        if (EXIT_STATUS_IS_FAULT(st))
            ws = L_SIGSEGV;
        else if (st == EXIT_STATUS_KILLED)
            ws = L_SIGKILL;
        else if (st >= 128 && st < 128 + L_NSIG)
            ws = (int)(st - 128);
        else
            ws = (int)((st & 0xff) << 8);
        psx_proc_exited(p, ws);
    }
    /* Zombies nobody will wait for. */
    for (psx_proc_t *p = psx.procs, *next; p; p = next) {
        next = p->next;
        if (p->state == P_ZOMBIE && !psx_find_proc(p->ppid))
            psx_reap(p);
    }
}
