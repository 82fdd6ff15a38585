/*
 * Terminal input as BIOS keys (scan code << 8 | character), for whoever
 * feeds a VDM's keyboard: dosrun on the host, the VDM process in Persona.
 * The decoder is pure: the embedder appends the bytes it reads to buf and
 * asks for keys; waiting for bytes is the embedder's business.
 *
 * From a terminal (in raw mode): VT100/xterm escape sequences become the
 * extended keys (arrows, Home/End, Ins/Del, PgUp/PgDn, F1-F12), UTF-8
 * characters that code page 437 has become their byte, a lone Esc is the
 * Esc key, control characters are the keys that type them (Ctrl-C is
 * 2E03h, which DOS's Ctrl-C checking sees), Backspace and DEL are 0E08h,
 * CR is Enter. From a pipe, bytes are keys as they are, and a line end
 * (LF, CR or CR LF) is one Enter.
 *
 * Entry points: dos_keys_next, dos_keys_byte.
 */
#ifndef DOS_KEYS_H
#define DOS_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DOS_KEYS_BUF 64

/* dos_keys_next results that are not keys. */
#define DOS_KEYS_EMPTY   (-1) /* no bytes: read more */
#define DOS_KEYS_PARTIAL (-3) /* the start of a sequence: wait ~30 ms for the rest */

typedef struct dos_keydec {
    uint8_t buf[DOS_KEYS_BUF]; /* bytes read and not yet decoded */
    size_t len;
    bool after_cr; /* pipe: the last byte was CR, so an LF is the same Enter */
} dos_keydec_t;

/*
 * The next key from d->buf, its bytes taken out. tty: the bytes come from
 * a terminal (else a pipe). more_may_come: the caller could still wait
 * for more bytes; when false, an unfinished sequence is decided as it
 * stands (ESC alone is Esc, a cut UTF-8 character is dropped).
 */
int dos_keys_next(dos_keydec_t *d, bool tty, bool more_may_come);

/* The key that one ASCII byte types on a US keyboard. */
int dos_keys_byte(uint8_t c);

#endif
