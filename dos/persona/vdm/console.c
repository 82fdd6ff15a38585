/*
 * The VDM's terminal: output to the console, keys from it. On a terminal
 * the console is switched to raw mode for the program's life (keys one at
 * a time, unechoed, Ctrl-C as byte 03h so that DOS's own Ctrl-C checking
 * sees it) and the bytes go through the key decoder of <dos/keys.h>. In
 * pipe mode bytes are keys as they are and a line end is Enter; the VDM
 * then takes a key only when the program waits for or looks at one, so
 * whatever it does not ask for is left to the shell. The end of input is
 * VDM_KEY_EOF.
 *
 * Waiting: a one-shot input watch (con_watch_input) and the server's
 * Ctrl-C both notify the VDM's port; blocking reads, HLT and INT 15h
 * waits sleep on it.
 *
 * Entry points: vp_console_open, vp_console_restore, vp_wait, vp_poll_input,
 * vp_term_write, vp_key_read, vp_idle, vp_clock.
 */
#include "vdmproc.h"
#include "../../../subsystems/console/console.h"
#include <native/console.h>
#include <native/ipc.h>

#define ESC_WAIT_NS   30000000ull /* for the rest of an escape sequence */
#define KEY_CTRL_C    0x2E03
#define TTY_READ_SIZE 32
#define RECHECK_NS    1000000000ull

void vp_console_open(vproc_t *p)
{
    uint32_t mode = 0;

    if (con_get_mode(&mode) < 0)
        mode = CON_MODE_PIPE; /* no console: nothing to switch, no read-ahead */
    p->pipe = mode & CON_MODE_PIPE;
    if (!p->pipe && con_set_mode(CON_MODE_RAW, &p->saved_mode) >= 0)
        p->mode_changed = true;
}

void vp_console_restore(vproc_t *p)
{
    if (p->mode_changed)
        con_set_mode(p->saved_mode, NULL);
    p->mode_changed = false;
}

static void note(vproc_t *p, uint64_t bits)
{
    if (bits & DOS_VDM_BIT_INTR)
        p->intr = true;
    if (bits & VP_BIT_INPUT) {
        p->watching = false;
        p->input_ready = true;
    }
}

void vp_wait(vproc_t *p, uint64_t timeout_ns)
{
    ipc_msg_t m;

    while (native_ipc_recv(p->port, &m, timeout_ns, NULL) == ST_OK) {
        if (IPC_LABEL(m.tag) == IPC_LABEL_NOTIFY)
            note(p, m.w[0]);
        timeout_ns = IPC_NO_WAIT; /* and whatever else has come */
    }
}

static void arm_watch(vproc_t *p)
{
    if (!p->watching && !p->eof && con_watch_input(p->port, VP_BIT_INPUT) >= 0)
        p->watching = true;
}

/* Takes up to max bytes the console has, without waiting. */
static bool take_input(vproc_t *p, size_t max)
{
    size_t room = sizeof(p->keys.buf) - p->keys.len;

    if (p->eof || room == 0)
        return false;
    long n = con_read_nowait(p->keys.buf + p->keys.len, max < room ? max : room);
    if (n == ST_WOULD_BLOCK) {
        p->input_ready = false;
        return false;
    }
    if (n <= 0) {
        p->eof = true; /* the end of input, or no console any more */
        return false;
    }
    for (long i = 0; i < n && !p->pipe; i++)
        p->ctrl_c += p->keys.buf[p->keys.len + (size_t)i] == 0x03;
    p->keys.len += (size_t)n;
    return true;
}

/* Between slices: what the terminal has typed goes into the decoder even
 * when the keyboard queue is full, so that Ctrl-C presses are counted. */
void vp_poll_input(vproc_t *p)
{
    if (!p->pipe && p->input_ready)
        take_input(p, TTY_READ_SIZE);
}

int vp_key_read(void *ctx, bool wait)
{
    vproc_t *p = ctx;
    bool more = true;

    for (;;) {
        if (p->intr) {
            p->intr = false;
            return KEY_CTRL_C;
        }
        int key = dos_keys_next(&p->keys, !p->pipe, more && !p->eof);
        if (key >= 0)
            return key;
        if (key == DOS_KEYS_PARTIAL) {
            if (!take_input(p, TTY_READ_SIZE)) {
                arm_watch(p);
                vp_wait(p, ESC_WAIT_NS);
                more = take_input(p, TTY_READ_SIZE);
            }
            continue;
        }
        if (p->eof)
            return VDM_KEY_EOF;
        /* On a terminal, ask the console only when the watch says so (or
         * before it is armed); in a pipe, one byte when the program asks. */
        if (p->pipe ? take_input(p, 1)
                    : (p->input_ready || !p->watching) && take_input(p, TTY_READ_SIZE))
            continue;
        if (p->eof)
            return VDM_KEY_EOF;
        if (!wait && p->pipe)
            return VDM_KEY_NONE;
        arm_watch(p);
        if (!wait)
            return VDM_KEY_NONE;
        /* The watch wakes us; a look now and then copes with a console
         * server restarted meanwhile, which knows nothing of the watch. */
        vp_wait(p, RECHECK_NS);
        p->input_ready = true;
    }
}

void vp_idle(void *ctx, uint32_t usec)
{
    vproc_t *p = ctx;

    if (!p->pipe)
        arm_watch(p);
    vp_wait(p, (uint64_t)usec * 1000 + 1);
}

void vp_term_write(void *ctx, const char *buf, size_t n)
{
    (void)ctx;
    con_write(buf, n);
}

void vp_clock(void *ctx, dos_clock_t *now)
{
    uint64_t ns = 0;

    (void)ctx;
    sys_clock_get(CLOCK_REALTIME_NS, &ns);
    dc_from_ms((int64_t)(ns / 1000000) - DC_EPOCH_UNIX_MS, now);
}
