/*
 * The console for native programs: the terminal the console server drives.
 * printf and puts write here once the console server runs (and to the
 * kernel log before that, or in programs that ask for it).
 */
#ifndef NATIVE_CONSOLE_H
#define NATIVE_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

/* Writes all of buf; returns bytes written or a status. */
long con_write(const void *buf, size_t len);
/* Reads at most max bytes (a line in cooked mode); 0 at end of file;
 * ST_INTERRUPTED after Ctrl-C. */
long con_read(void *buf, size_t max);
/* As con_read, but ST_WOULD_BLOCK when no input is ready. */
long con_read_nowait(void *buf, size_t max);
/* Notifies port (bits) once, when input is ready; the caller keeps port. */
long con_watch_input(uint32_t port, uint64_t bits);
long con_set_mode(uint32_t mode, uint32_t *old);
long con_get_mode(uint32_t *mode);
/* Ctrl-C becomes notification bits on port (the caller keeps its handle). */
long con_set_interrupt(uint32_t port, uint64_t bits);
/* Servers: printf writes to the kernel log instead of the console (con_*
 * calls still reach the console). */
void native_use_kernel_log(void);
void native_output(const char *buf, size_t len);

#endif
