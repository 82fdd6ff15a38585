/*
 * The VDM process (/sbin/vdm): one DOS program's machine. It holds the
 * software CPU and the program's real-mode memory, a section shared with
 * the DOS server; the BIOS runs here, DOS calls go to the server
 * (<protocol.h>), the screen is the console and the keyboard is the
 * console's input.
 */
#ifndef VDMPROC_H
#define VDMPROC_H

#include "../protocol.h"
#include <dos/keys.h>
#include <dos/vdm.h>
#include <native/server.h>
#include <stdbool.h>

/* Notification bit on the VDM's own port: console input is ready (the
 * server's DOS_VDM_BIT_INTR shares the port). */
#define VP_BIT_INPUT 0x2ull

typedef struct vproc {
    vdm_t vdm;
    uint8_t *mem;
    srv_conn_t conn; /* to the DOS server, with the shared buffer */
    handle_t port;   /* notifications: Ctrl-C from the server, input ready */
    const char *prog;
    uint32_t flags; /* DOS_SPAWN_* */
    char why[160];  /* set when the link to the server failed */

    /* The console. In pipe mode (tests, ./persona run) input is shared
     * with the shell: keys are taken only when the program asks. */
    bool pipe;
    bool mode_changed;
    uint32_t saved_mode;
    dos_keydec_t keys;
    bool eof;         /* input has ended */
    bool watching;    /* a one-shot input watch is armed on port */
    bool input_ready; /* the watch fired: bytes may be waiting */
    bool intr;        /* a Ctrl-C from the server is still to be delivered */
    unsigned ctrl_c;  /* Ctrl-C bytes typed since the program last took a key */

    /* Figures (DOS_SPAWN_STATS). */
    uint64_t dos_calls, dos_ticks;
} vproc_t;

/* console.c */
void vp_console_open(vproc_t *p);
void vp_console_restore(vproc_t *p);
void vp_wait(vproc_t *p, uint64_t timeout_ns);
void vp_poll_input(vproc_t *p);
void vp_term_write(void *ctx, const char *buf, size_t n);
int vp_key_read(void *ctx, bool wait);
void vp_idle(void *ctx, uint32_t usec);
void vp_clock(void *ctx, dos_clock_t *now);

/* dos.c */
long vp_connect(vproc_t *p);
int vp_start(vproc_t *p, dos_regs_t *entry);
int vp_dos_call(void *ctx, vdm_t *vdm, uint8_t vector, dos_regs_t *regs);

static inline uint64_t vp_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

#endif
