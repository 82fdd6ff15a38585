/*
 * The host side of a VDM: dos_host_ops_t on POSIX calls (a host
 * directory per drive, the VDM's screen and keyboard as the console), the
 * VDM's callbacks (terminal, keyboard, clock), and the keyboard decoder
 * that turns terminal input into BIOS keys. Used by dosrun.
 *
 * Entry points: dos_posix_init, dos_posix_ops, dos_posix_vdm_host,
 * dos_posix_kbd_open, dos_posix_kbd_restore, dos_posix_errno.
 */
#ifndef DOS_HOST_H
#define DOS_HOST_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dos/dirsnap.h>
#include <dos/keys.h>
#include <dos/server.h>
#include <dos/vdm.h>

typedef struct dos_posix {
    vdm_t *vdm;
    dos_server_t *dos;
    int out_fd;       /* the terminal (screen) */
    int stdin_fd;     /* redirected standard input, or -1 */
    int stdout_fd;    /* redirected standard output, or -1 */
    const char *name; /* prefix of log lines */

    /* keyboard */
    int kbd_fd;   /* -1: there is no keyboard */
    bool kbd_tty; /* a terminal: raw mode, escape sequences */
    bool kbd_eof;
    dos_keydec_t keys;

    dos_dirsnaps_t dirs; /* listings for readdir by index */
    bool attr_warned;
    volatile sig_atomic_t *stop; /* set by a signal: blocking reads give up */
} dos_posix_t;

void dos_posix_init(dos_posix_t *h);
void dos_posix_ops(dos_host_ops_t *ops);
void dos_posix_vdm_host(vdm_host_t *vh);
int dos_posix_errno(int err);

/* The keyboard is fd; a terminal is switched to raw input until restore. */
void dos_posix_kbd_open(dos_posix_t *h, int fd);
void dos_posix_kbd_restore(void);
int dos_posix_key_read(void *ctx, bool wait);

#endif
