/*
 * The VDM process: /sbin/vdm PROGRAM, started by the DOS server with
 * personality DOS (so listings show "dos"), one per DOS program.
 *
 * It says hello to the server and maps the memory section it gets back,
 * sets the machine up (vdm_init), has the server load the program, and
 * runs it in slices; between slices it looks for the server's Ctrl-C
 * (the shell's PERS_INTERRUPT), which goes into the keyboard queue where
 * DOS's Ctrl-C check finds it. The exit status is the program's return
 * code (ERRORLEVEL), or 125 when it cannot be loaded, 126 when the machine
 * stopped (invalid opcode, HLT with interrupts off, the server gone), 127
 * when it waits for input that will never come, 130 when Ctrl-C was typed
 * three times on the terminal and the program took none of them (it looks
 * neither at the keyboard nor at DOS, so nothing else would stop it);
 * each with one line naming the program and the reason.
 *
 * Entry point: main.
 */
#include "vdmproc.h"
#include <dos/kbdq.h>
#include <native/console.h>
#include <native/runtime.h>
#include <stdio.h>
#include <string.h>

#define SLICE            200000ull /* instructions between looks at the notification port */
#define EXIT_NOLOAD      125
#define EXIT_HALTED      126
#define EXIT_NOINPUT     127
#define EXIT_INTERRUPTED 130
#define CTRL_C_STOP      3 /* Ctrl-C presses left unread that end the program */
#define KEY_CTRL_C       0x2E03

static vproc_t vp;

static void say(const char *fmt, const char *a, const char *b)
{
    char line[256];
    int n = snprintf(line, sizeof(line), fmt, a, b);

    con_write(line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static uint64_t now_ns(void)
{
    uint64_t t = 0;
    sys_clock_get(CLOCK_MONOTONIC_NS, &t);
    return t;
}

static void print_stats(uint64_t insns, uint64_t ns)
{
    char line[256];
    system_info_t si = {0};

    sys_system_info(&si);
    uint64_t per_call = vp.dos_calls ? vp.dos_ticks / vp.dos_calls : 0;
    int n = snprintf(line, sizeof(line),
                     "vdm: %llu instructions in %llu us: %llu per second\n"
                     "vdm: %llu DOS calls: %llu TSC ticks each (%llu ns)\n",
                     (unsigned long long)insns, (unsigned long long)(ns / 1000),
                     (unsigned long long)(ns ? insns * 1000000000ull / ns : 0),
                     (unsigned long long)vp.dos_calls, (unsigned long long)per_call,
                     (unsigned long long)(si.tsc_khz ? per_call * 1000000 / si.tsc_khz : 0));
    con_write(line, (size_t)n);
}

int main(int argc, char **argv)
{
    static const vdm_host_t host = {
        .dos_call = vp_dos_call,
        .term_write = vp_term_write,
        .key_read = vp_key_read,
        .clock = vp_clock,
        .idle = vp_idle,
    };
    dos_regs_t entry;
    long st;

    vp.prog = argc > 1 ? argv[1] : "vdm";
    st = vp_connect(&vp);
    if (st < 0) {
        say("%s: cannot reach the DOS server: %s\n", vp.prog, status_text(st));
        return EXIT_HALTED;
    }
    vp_console_open(&vp);
    if (vdm_init(&vp.vdm, vp.mem, VDM_MEM_SIZE, &host, &vp) != 0) {
        vp_console_restore(&vp);
        say("%s: %s\n", vp.prog, "the machine cannot be set up");
        return EXIT_HALTED;
    }
    vp.vdm.kbd_on_demand = vp.pipe;
    if (vp_start(&vp, &entry) != 0) {
        vp_console_restore(&vp);
        say("%s%s\n", vp.why, "");
        return EXIT_NOLOAD;
    }
    vdm_set_regs(&vp.vdm, &entry);

    uint64_t t0 = now_ns();
    uint16_t taken = dos_kbdq_taken(vp.mem);
    int status;
    while ((status = vdm_run(&vp.vdm, SLICE)) == VDM_RUNNING) {
        vp_wait(&vp, IPC_NO_WAIT);
        if (vp.intr && vdm_kbd_push(&vp.vdm, KEY_CTRL_C))
            vp.intr = false;
        /* Ctrl-C typed again and again, and the program takes no key (and
         * calls no DOS that would see one): nothing else can stop it from
         * this terminal, whose shell waits for it. */
        vp_poll_input(&vp);
        if (dos_kbdq_taken(vp.mem) != taken) {
            taken = dos_kbdq_taken(vp.mem);
            vp.ctrl_c = 0;
        }
        if (vp.ctrl_c >= CTRL_C_STOP) {
            status = VDM_STOPPED;
            break;
        }
    }
    uint64_t ns = now_ns() - t0;
    vdm_finish(&vp.vdm);
    vp_console_restore(&vp);
    if (vp.flags & DOS_SPAWN_STATS)
        print_stats(vp.vdm.cpu.insn_count, ns);

    switch (status) {
    case VDM_EXITED:
        return vp.vdm.exit_code;
    case VDM_INPUT_ENDED:
        say("%s: %s\n", vp.prog, vp.vdm.why);
        return EXIT_NOINPUT;
    case VDM_STOPPED:
        say("%s: %s\n", vp.prog, "stopped: Ctrl-C was typed 3 times and the program took none");
        return EXIT_INTERRUPTED;
    default:
        if (vp.why[0])
            say("%s%s\n", vp.why, "");
        else
            say("%s: %s\n", vp.prog, vp.vdm.why);
        return EXIT_HALTED;
    }
}
