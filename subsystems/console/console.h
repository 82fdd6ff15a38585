/*
 * The console server's interface: terminals on the serial port. A program
 * writes and reads text; in cooked mode the console edits lines (backspace,
 * Ctrl-U, arrow keys, history) and echoes them; Ctrl-C discards the line,
 * fails pending reads with ST_INTERRUPTED and notifies the interrupt target
 * (the shell, which passes it on to the foreground program); Ctrl-D at the
 * start of a line is end of file.
 *
 * Data up to CON_INLINE_MAX bytes travels in the message words (w[1..7]);
 * more goes through the client's shared buffer (srv_connect with a
 * buffer), flagged with CON_DATA_IN_BUFFER in w[0]'s high bits.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <native/server.h>
#include <stdint.h>

#define CONSOLE_CALLS(X)                                                                          \
    X(CON_WRITE, 1, do_write)       /* w0 = len | flags; data inline or in buffer -> bytes */     \
    X(CON_READ, 2, do_read)         /* w0 = max | flags -> bytes (0: end of file), deferred */    \
    X(CON_SET_MODE, 3, do_set_mode) /* w0 = CON_MODE_* -> the previous mode */                    \
    X(CON_GET_MODE, 4, do_get_mode) /* -> w0 = mode */                                            \
    X(CON_SET_INTR, 5, do_set_intr) /* w7 = port (handle transfer), w0 = bits; 0 handle clears */ \
    X(CON_WINSIZE, 6, do_winsize)   /* -> w0 = rows, w1 = columns */                              \
    X(CON_WATCH_INPUT, 7, do_watch_input) /* w7 = port (transfer), w0 = bits: notify once */      \
                                          /* when input is ready (at once if it is) */

#define CON_INLINE_MAX     56
#define CON_LEN_MASK       0xffffffffull
#define CON_DATA_IN_BUFFER (1ull << 32)
#define CON_NOWAIT         (1ull << 33) /* CON_READ: ST_WOULD_BLOCK instead of waiting */

/* Modes. */
#define CON_MODE_RAW    0x1  /* no line editing: bytes as they come */
#define CON_MODE_ECHO   0x2  /* echo input (cooked mode without it edits unseen) */
#define CON_MODE_PIPE   0x4  /* the host side is a pipe: no echo, no CR/LF translation */
#define CON_MODE_ISIG   0x8  /* raw mode: Ctrl-C still interrupts instead of being read */
#define CON_MODE_RAWOUT 0x10 /* output as written: no CR before each LF */

enum console_call { CONSOLE_CALLS(SRV_ENUM) };

#endif
