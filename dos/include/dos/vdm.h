/*
 * The VDM core: one DOS program's virtual machine. It holds the software
 * CPU and the program's real-mode memory, fills the vector table with
 * host-call stubs, and services the BIOS itself (INT 10h video, 16h
 * keyboard, 1Ah clock, 11h/12h equipment and memory, and the dummies and
 * refusals for the rest). DOS calls (INT 20h, 21h, 27h, 29h and the DOS
 * stubs) go to the embedder's dos_call, which in Persona sends them to the
 * DOS server and on the host calls the server library directly.
 *
 * Text video memory (B800:0, or B000:0 in mode 7) is the screen. Output
 * starts as a plain stream: BIOS teletype output (which is what DOS's CON
 * device uses) goes to the terminal as it is written. The first time a
 * program changes the screen any other way (poking video memory, moving
 * the cursor, scrolling a window) the VDM clears the terminal and from
 * then on keeps it equal to video memory by comparing a shadow copy after
 * each run slice and sending the differences as VT100/ANSI sequences:
 * cursor moves, SGR colours, and characters in UTF-8 from code page 437.
 *
 * Entry points: vdm_init, vdm_run, vdm_stop, vdm_get_regs, vdm_set_regs,
 * vdm_tty_write, vdm_kbd_read, vdm_kbd_peek, vdm_con_read, vdm_con_peek,
 * vdm_kbd_push, vdm_render, vdm_finish, vdm_log_once.
 *
 * One thread drives a VDM; only vdm_stop may be called from elsewhere (a
 * signal handler or another thread).
 */
#ifndef DOS_VDM_H
#define DOS_VDM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cpu86.h>
#include <dos/clock.h>
#include <dos/regs.h>

typedef struct vdm vdm_t;

/* key_read results that are not keys. A key is scan code << 8 | ASCII. */
#define VDM_KEY_NONE (-1) /* nothing typed yet */
#define VDM_KEY_EOF  (-2) /* the keyboard is gone: input has ended */

/* What the embedder provides. Every callback gets ctx. */
typedef struct vdm_host {
    /* A DOS call; returns enum dos_call_result. Required. */
    int (*dos_call)(void *ctx, vdm_t *vdm, uint8_t vector, dos_regs_t *regs);
    /* Bytes for the terminal (UTF-8 text and VT100 sequences). Required. */
    void (*term_write)(void *ctx, const char *buf, size_t n);
    /* The next key; with wait, blocks until one comes or input ends. Required. */
    int (*key_read)(void *ctx, bool wait);
    /* Local date and time now. Required. */
    void (*clock)(void *ctx, dos_clock_t *now);
    /* Sleep at most usec or until a key may be ready (HLT, INT 15h AH=86h). Optional. */
    void (*idle)(void *ctx, uint32_t usec);
    /* One line about something a program asked for that the VDM lacks. Optional. */
    void (*log)(void *ctx, const char *msg);
} vdm_host_t;

/* Why vdm_run returned. */
enum vdm_status {
    VDM_RUNNING = 0,     /* the budget is used up: call vdm_run again */
    VDM_EXITED = 1,      /* the program ended: exit_code, exit_type */
    VDM_STOPPED = 2,     /* vdm_stop was called */
    VDM_HALTED = 3,      /* the machine cannot go on: see why */
    VDM_INPUT_ENDED = 4, /* the program waits for a key and none will ever come */
};

#define VDM_TEXT_COLS_MAX 80
#define VDM_TEXT_ROWS     25

/* The terminal's picture of the screen; private to the VDM. */
typedef struct vdm_screen {
    uint8_t shadow[VDM_TEXT_COLS_MAX * VDM_TEXT_ROWS * 2];
    bool addressed;     /* left stream mode: the terminal mirrors video memory */
    bool force_redraw;  /* the cursor left the stream: go addressed at the next render */
    bool redraw_all;    /* addressed: send every cell at the next render */
    int trow, tcol;     /* terminal cursor in addressed mode, -1 when unknown */
    int tattr;          /* SGR attribute in force, -1 when unknown */
    int tcursor_hidden; /* -1 unknown, 0 shown, 1 hidden */
    bool blink;         /* attribute bit 7 blinks (else: bright background) */
    char out[512];      /* output not yet passed to term_write */
    size_t outlen;
} vdm_screen_t;

struct vdm {
    cpu86_t cpu;
    uint8_t *mem;
    vdm_host_t host;
    void *ctx;

    volatile int stop_requested;
    int status;        /* enum vdm_status of the run in progress */
    uint8_t exit_code; /* VDM_EXITED: the program's return code */
    uint8_t exit_type; /* VDM_EXITED: 0 normal, 1 Ctrl-C, 2 critical error, 3 TSR */
    char why[160];     /* VDM_HALTED, VDM_INPUT_ENDED: what happened */

    vdm_screen_t scr;
    int64_t clock_offset_ms; /* BIOS clock minus the host's, after INT 1Ah sets */
    uint32_t last_tick;      /* BIOS tick count at the last timer interrupt */
    bool timer_enabled;      /* deliver IRQ 0 (INT 08h) at 18.2 Hz */
    /* Take keys from key_read only when the program reads or looks at the
     * keyboard, one at a time, never ahead: for input that others read
     * after this program (a pipe shared with a shell). */
    bool kbd_on_demand;
    uint64_t last_periodic; /* insn_count when the run loop last did its chores */
    uint8_t port61;         /* last value written to port 61h */
    uint8_t crtc_index;
    uint8_t retrace;     /* toggles on each read of 3DAh */
    uint8_t pit_flip;    /* PIT counter 0 reads alternate low and high bytes */
    uint8_t pic_mask;    /* port 21h */
    int con_scan;        /* vdm_con_read: the scan code due after an extended key's 00h, or -1 */
    uint32_t logged[48]; /* keys already logged by vdm_log_once */
    unsigned nlogged;
};

/*
 * Sets up the machine over mem (at least VDM_MEM_SIZE bytes, which the
 * VDM owns from now on; in Persona a section the DOS server maps too):
 * CPU in the 80186 model with host calls, vector table, BIOS data area,
 * text mode 3. The DOS server lays out its part of memory afterwards.
 * Returns 0, or -1 when mem is too small or a required callback is NULL.
 */
int vdm_init(vdm_t *v, uint8_t *mem, uint32_t mem_size, const vdm_host_t *host, void *ctx);

/* Runs at most max_insns instructions; returns enum vdm_status. */
int vdm_run(vdm_t *v, uint64_t max_insns);

/* Asks a running vdm_run to return VDM_STOPPED soon (async-signal-safe). */
void vdm_stop(vdm_t *v);

void vdm_get_regs(const vdm_t *v, dos_regs_t *r);
void vdm_set_regs(vdm_t *v, const dos_regs_t *r);

/* Writes characters as BIOS teletype (INT 10h AH=0Eh) does: the CON device. */
void vdm_tty_write(vdm_t *v, const char *buf, size_t n);

/*
 * The BIOS keyboard queue (in the BIOS data area, where programs can look
 * at it) refilled from key_read: the CON device reads here too, so that
 * INT 16h and DOS see the same keys. vdm_kbd_read returns a key, or
 * VDM_KEY_NONE (not waiting) or VDM_KEY_EOF; vdm_kbd_peek does not remove it.
 */
int vdm_kbd_read(vdm_t *v, bool wait);
int vdm_kbd_peek(vdm_t *v);

/*
 * The keyboard as DOS's CON device reads it, one byte at a time: an
 * extended key (ASCII 00h or E0h) is 00h, then its scan code. vdm_con_read
 * waits and returns -1 when input has ended; vdm_con_peek returns the next
 * byte without taking it, or -1 when none is waiting.
 */
int vdm_con_read(vdm_t *v);
int vdm_con_peek(vdm_t *v);

/* Puts a key at the end of the BIOS queue (INT 16h AH=05h does the same);
 * false when the queue is full. */
bool vdm_kbd_push(vdm_t *v, uint16_t key);

/* Sends pending screen changes to the terminal (before blocking for input). */
void vdm_render(vdm_t *v);

/* Leaves the terminal usable: default colours, cursor shown, below the screen. */
void vdm_finish(vdm_t *v);

/*
 * Passes msg to host.log the first time key is seen (keys: vector << 8 |
 * function, 10000h | port). After 48 different keys it stays quiet, so a
 * program probing everything cannot flood the log.
 */
void vdm_log_once(vdm_t *v, uint32_t key, const char *msg);

#endif
