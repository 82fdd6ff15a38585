/*
 * Between a VDM process (/sbin/vdm) and the DOS server (/sbin/dos, port
 * "Dos"): the calls, written once, their message words, and the replies.
 * The shell reaches the same port with PERS_SPAWN and PERS_INTERRUPT
 * (<persona/personality.h>).
 *
 * A VDM connects with a shared buffer (srv_connect) and makes these calls
 * in order:
 *
 *   DOS_VDM_HELLO   w7 = the VDM's notification port (a connect-only
 *                   handle, IPC_FLAG_HANDLE). Reply: w7 = the section that
 *                   is the VDM's real-mode memory (IPC_FLAG_HANDLE), w0 =
 *                   its size, w1 = DOS_SPAWN_* flags.
 *   DOS_VDM_START   after vdm_init on that memory: DOS is laid out in it
 *                   and the program loaded. Reply label 0: w1-w4 = the
 *                   entry registers; DOS_VDM_NOLOAD: w0 = the DOS error,
 *                   the buffer holds the message (NUL-terminated).
 *   DOS_VDM_CALL    w0 = vector, w1-w4 = dos_regs_t: a DOS call.
 *   DOS_VDM_RESUME  w0 = the answer to a console callback (a byte, or -1).
 *
 * DOS_VDM_CALL and DOS_VDM_RESUME are answered with DOS_VDM_DONE (w0 =
 * enum dos_call_result, w1-w4 = the registers to load), or with a console
 * callback the VDM performs and answers with DOS_VDM_RESUME: read a byte
 * of CON (vdm_con_read), peek at one (vdm_con_peek), or only write out the
 * console output. Every such reply carries in w5 the number of bytes of
 * console output at the start of the buffer, which the VDM writes
 * (vdm_tty_write) before anything else: DOS's output is batched, and most
 * calls cost one round trip.
 *
 * Notification bits the server sends to the VDM's port: DOS_VDM_BIT_INTR,
 * the terminal's Ctrl-C for the program (PERS_INTERRUPT).
 */
#ifndef DOS_PERSONA_PROTOCOL_H
#define DOS_PERSONA_PROTOCOL_H

#include <dos/regs.h>
#include <native/server.h>
#include <string.h>

#define DOS_PORT "Dos"

#define DOS_VDM_CALLS(X)              \
    X(DOS_VDM_HELLO, 1, do_vdm_hello) \
    X(DOS_VDM_START, 2, do_vdm_start) \
    X(DOS_VDM_CALL, 3, do_vdm_call)   \
    X(DOS_VDM_RESUME, 4, do_vdm_resume)

enum dos_vdm_call { DOS_VDM_CALLS(SRV_ENUM) };

/* Reply labels of DOS_VDM_CALL and DOS_VDM_RESUME (and DOS_VDM_NOLOAD of
 * DOS_VDM_START). */
enum dos_vdm_reply {
    DOS_VDM_DONE = 0,
    DOS_VDM_CON_READ = 1,
    DOS_VDM_CON_PEEK = 2,
    DOS_VDM_CON_FLUSH = 3,
    DOS_VDM_NOLOAD = 4,
};

#define DOS_VDM_W_OUTPUT 5 /* reply word: console output bytes in the buffer */

#define DOS_VDM_BUFFER (16u << 10) /* the VDM's shared buffer */

#define DOS_VDM_BIT_INTR 0x1ull /* notification: Ctrl-C for the program */

/* pers_spawn_t.flags the DOS server understands. */
#define DOS_SPAWN_STATS 0x1u /* the VDM prints its instruction and call figures at the end */

/* The registers in message words w1-w4. */
static inline void dos_vdm_put_regs(ipc_msg_t *m, const dos_regs_t *r)
{
    m->w[4] = 0;
    memcpy(&m->w[1], r, sizeof(*r));
}

static inline void dos_vdm_get_regs(const ipc_msg_t *m, dos_regs_t *r)
{
    memcpy(r, &m->w[1], sizeof(*r));
}

#endif
