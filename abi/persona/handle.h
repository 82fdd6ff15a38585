/*
 * Handles and access rights, shared by the executive and user mode. A handle
 * is a per-process number naming one object with a set of rights; 0 is
 * never a valid handle.
 */
#ifndef PERSONA_HANDLE_H
#define PERSONA_HANDLE_H

#include <stdint.h>

typedef uint32_t handle_t;
#define HANDLE_NONE 0u

/* Access rights. Each call documents the right it needs. */
#define H_QUERY     (1u << 0) /* read state: info, listings, exit status */
#define H_READ      (1u << 1) /* read memory / receive data */
#define H_WRITE     (1u << 2) /* write memory / send data */
#define H_WAIT      (1u << 3) /* wait for the object to be signalled */
#define H_TERMINATE (1u << 4) /* kill a process or thread */
#define H_DUPLICATE (1u << 5) /* copy the handle, into this or another process */
#define H_MAP       (1u << 6) /* map a section / change another's mappings */
#define H_CONNECT   (1u << 7) /* call a port */
#define H_RECEIVE   (1u << 8) /* serve a port: receive and reply */
#define H_CONTROL   (1u << 9) /* suspend, resume, get and set context, create threads */
#define H_ALL       0x3ffu

#endif
