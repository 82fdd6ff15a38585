/*
 * dosrun: runs a DOS program on the host, in a VDM with the DOS server
 * library, the terminal as its screen and keyboard, and a host directory
 * as drive C:.
 *
 *   dosrun [-C DIR] [-i] [-o] [-n] [-v] [-s] [-b INSNS] [-t SECONDS] [-e NAME=VALUE]...
 *          PROGRAM.COM|PROGRAM.EXE [ARGS...]
 *
 * Standard input and output are the keyboard and screen when they are a
 * terminal, and redirected DOS handles 0 and 1 otherwise (-i and -o make
 * them keyboard and screen anyway). A program outside the C: directory is
 * reached through drive D:, mapped to its directory. The exit status is
 * the program's return code, or: 124 stopped by -b or -t, 125 could not
 * be loaded, 126 the machine stopped (invalid opcode, HLT with interrupts
 * off, a destroyed memory arena), 127 it waited for input that will never
 * come, 130 interrupted by a signal. -s prints the instructions run, their
 * rate and the cost of a DOS call at the end (./persona bench dos).
 *
 * Entry points: main.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

#define EXIT_BUDGET  124
#define EXIT_NOLOAD  125
#define EXIT_HALTED  126
#define EXIT_NOINPUT 127
#define EXIT_SIGNAL  130
#define RUN_CHUNK    10000000ull
#define MAX_ENV      32

static volatile sig_atomic_t stop_flag, stop_signal;
static int (*dos_call)(void *ctx, vdm_t *vdm, uint8_t vector, dos_regs_t *regs);
static unsigned long long dos_calls, dos_call_ns;
static vdm_t vdm;
static dos_server_t dos;
static uint8_t mem[VDM_MEM_SIZE];

static void on_signal(int sig)
{
    stop_flag = 1;
    stop_signal = sig;
    vdm_stop(&vdm);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: dosrun [-C DIR] [-i] [-o] [-n] [-v] [-s] [-b INSNS] [-t SECONDS] "
            "[-e NAME=VALUE]... PROGRAM [ARGS...]\n"
            "  -C DIR      host directory that is drive C: (default: the current directory)\n"
            "  -i          standard input is the keyboard even if it is not a terminal\n"
            "  -o          standard output is the screen even if it is not a terminal\n"
            "  -n          no timer interrupt (fully repeatable runs)\n"
            "  -v          log every INT 21h call\n"
            "  -s          print the instructions run and the cost of a DOS call\n"
            "  -b INSNS    stop after this many instructions (exit status 124)\n"
            "  -t SECONDS  stop after this many seconds (exit status 124)\n"
            "  -e VAR=VAL  add a variable to the DOS environment\n");
    exit(2);
}

static unsigned long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

/* -s: the embedder's DOS call, timed. */
static int timed_dos_call(void *ctx, vdm_t *v, uint8_t vector, dos_regs_t *regs)
{
    unsigned long long t0 = now_ns();
    int rc = dos_call(ctx, v, vector, regs);

    dos_call_ns += now_ns() - t0;
    dos_calls++;
    return rc;
}

static char *build_tail(char **args, int n)
{
    size_t len = 0;

    for (int i = 0; i < n; i++)
        len += strlen(args[i]) + 1;
    char *tail = calloc(1, len + 1);
    for (int i = 0; tail != NULL && i < n; i++) {
        strcat(tail, " ");
        strcat(tail, args[i]);
    }
    if (tail != NULL && strlen(tail) > 126) {
        fprintf(stderr, "dosrun: the command line is cut to DOS's 126 characters\n");
        tail[126] = 0;
    }
    return tail;
}

int main(int argc, char **argv)
{
    const char *cdir = ".";
    bool force_in = false, force_out = false, timer = true, trace = false, stats = false;
    unsigned long long budget = 0;
    unsigned seconds = 0;
    const char *env[MAX_ENV + 1] = {NULL};
    int nenv = 0, opt;

    while ((opt = getopt(argc, argv, "+C:ionvsb:t:e:h")) != -1) {
        switch (opt) {
        case 'C':
            cdir = optarg;
            break;
        case 'i':
            force_in = true;
            break;
        case 'o':
            force_out = true;
            break;
        case 'n':
            timer = false;
            break;
        case 'v':
            trace = true;
            break;
        case 's':
            stats = true;
            break;
        case 'b':
            budget = strtoull(optarg, NULL, 0);
            break;
        case 't':
            seconds = (unsigned)strtoul(optarg, NULL, 0);
            break;
        case 'e':
            if (nenv == MAX_ENV || strchr(optarg, '=') == NULL)
                usage();
            env[nenv++] = optarg;
            break;
        default:
            usage();
        }
    }
    if (optind >= argc)
        usage();

    char root[PATH_MAX], prog[PATH_MAX], cwd[PATH_MAX];
    if (realpath(cdir, root) == NULL) {
        fprintf(stderr, "dosrun: %s: %s\n", cdir, strerror(errno));
        return EXIT_NOLOAD;
    }
    if (realpath(argv[optind], prog) == NULL) {
        fprintf(stderr, "dosrun: %s: %s\n", argv[optind], strerror(errno));
        return EXIT_NOLOAD;
    }

    dos_posix_t host;
    dos_host_ops_t ops;
    vdm_host_t vh;
    dos_posix_init(&host);
    host.vdm = &vdm;
    host.dos = &dos;
    host.stop = &stop_flag;
    dos_posix_ops(&ops);
    dos_posix_vdm_host(&vh);
    if (stats) {
        dos_call = vh.dos_call;
        vh.dos_call = timed_dos_call;
    }

    bool in_redir = !force_in && !isatty(0), out_redir = !force_out && !isatty(1);
    if (in_redir)
        host.stdin_fd = 0;
    else
        dos_posix_kbd_open(&host, 0);
    if (out_redir)
        host.stdout_fd = 1;

    if (vdm_init(&vdm, mem, sizeof(mem), &vh, &host) != 0) {
        fprintf(stderr, "dosrun: cannot set up the VDM\n");
        return EXIT_HALTED;
    }
    vdm.timer_enabled = timer;
    dos_server_config_t cfg = {
        .ops = &ops,
        .ctx = &host,
        .mem = mem,
        .mem_size = sizeof(mem),
        .stdin_redir = {in_redir, 0},
        .stdout_redir = {out_redir, 1},
        .env = env,
        .trace = trace,
    };
    if (dos_server_init(&dos, &cfg) != 0 || dos_server_map_drive(&dos, 'C', root) != 0 ||
        dos_server_boot(&dos) != 0) {
        fprintf(stderr, "dosrun: cannot set up DOS\n");
        return EXIT_HALTED;
    }

    /* The program by its DOS name: under C:, or on D: mapped to its directory. */
    char dos_prog[DOS_HOST_PATH + 4];
    bool prog_ok = dos_server_dos_path(&dos, prog, dos_prog, sizeof(dos_prog)) == 0;
    if (!prog_ok) {
        char dir[PATH_MAX];
        strcpy(dir, prog);
        *strrchr(dir, '/') = 0;
        prog_ok = dos_server_map_drive(&dos, 'D', dir[0] ? dir : "/") == 0 &&
                  dos_server_dos_path(&dos, prog, dos_prog, sizeof(dos_prog)) == 0;
    }
    char cwd_dos[DOS_HOST_PATH + 4];
    if (getcwd(cwd, sizeof(cwd)) == NULL ||
        dos_server_dos_path(&dos, cwd, cwd_dos, sizeof(cwd_dos)) != 0 ||
        dos_server_chdir(&dos, cwd_dos) != 0)
        dos_server_chdir(&dos, "C:\\");

    char *tail = build_tail(argv + optind + 1, argc - optind - 1);
    dos_regs_t entry;
    char why[256];
    int rc = prog_ok && tail ? dos_server_load(&dos, dos_prog, tail, &entry, why, sizeof(why))
             : prog_ok       ? DOS_ENOMEM
                             : DOS_ENOPATH;
    if (rc != 0) {
        fprintf(stderr, "dosrun: %s (DOS error %d)\n",
                prog_ok && tail ? why
                : prog_ok       ? "out of memory"
                                : "the program's path is too long for DOS",
                rc);
        const char *base = strrchr(prog, '/') + 1, *dot = strrchr(base, '.');
        size_t stem = dot != NULL ? (size_t)(dot - base) : strlen(base);
        if (rc == DOS_ENOENT && (stem > 8 || (dot != NULL && strlen(dot) > 4)))
            fprintf(stderr, "dosrun: DOS sees only 8.3 names: rename %s\n", base);
        return EXIT_NOLOAD;
    }
    vdm_set_regs(&vdm, &entry);

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    if (seconds > 0)
        alarm(seconds);

    unsigned long long used = 0, t0 = now_ns();
    int status;
    for (;;) {
        unsigned long long chunk = RUN_CHUNK;
        if (budget > 0 && budget - used < chunk)
            chunk = budget - used;
        uint64_t before = vdm.cpu.insn_count;
        status = vdm_run(&vdm, chunk);
        used += vdm.cpu.insn_count - before;
        if (status != VDM_RUNNING)
            break;
        if (budget > 0 && used >= budget) {
            status = -1;
            break;
        }
    }
    vdm_finish(&vdm);
    dos_posix_kbd_restore();
    if (stats) {
        unsigned long long ns = now_ns() - t0;
        fprintf(stderr, "dosrun: %llu instructions in %llu us: %llu per second\n",
                (unsigned long long)vdm.cpu.insn_count, ns / 1000,
                ns ? (unsigned long long)vdm.cpu.insn_count * 1000000000ull / ns : 0);
        fprintf(stderr, "dosrun: %llu DOS calls: %llu ns each\n", dos_calls,
                dos_calls ? dos_call_ns / dos_calls : 0);
    }

    switch (status) {
    case VDM_EXITED:
        return vdm.exit_code;
    case -1:
        fprintf(stderr, "dosrun: stopped after %llu instructions\n", used);
        return EXIT_BUDGET;
    case VDM_STOPPED:
        if (stop_signal == SIGALRM) {
            fprintf(stderr, "dosrun: stopped after %u seconds\n", seconds);
            return EXIT_BUDGET;
        }
        fprintf(stderr, "dosrun: interrupted\n");
        return EXIT_SIGNAL;
    case VDM_INPUT_ENDED:
        if (stop_flag) {
            fprintf(stderr, "dosrun: %s\n",
                    stop_signal == SIGALRM ? "stopped by the time limit" : "interrupted");
            return stop_signal == SIGALRM ? EXIT_BUDGET : EXIT_SIGNAL;
        }
        fprintf(stderr, "dosrun: %s\n", vdm.why);
        return EXIT_NOINPUT;
    default:
        fprintf(stderr, "dosrun: %s\n", vdm.why);
        return EXIT_HALTED;
    }
}
