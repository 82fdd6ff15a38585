/*
 * What every personality server (POSIX "Posix", DOS "Dos", Win16 "Win16")
 * answers, so that the shell can start and control programs of any
 * personality the same way. The calls use the server framework's labels
 * at PERS_CALL_BASE and up, clear of each server's own calls.
 *
 * PERS_SPAWN: the buffer holds a pers_spawn_t followed by its strings;
 *   the reply carries the new process's pid in w0 and a handle to it
 *   (H_QUERY | H_WAIT | H_TERMINATE) in w7 (IPC_FLAG_HANDLE).
 * PERS_INTERRUPT: w0 = pid: the terminal's Ctrl-C for that program
 *   (SIGINT for POSIX, INT 23h for DOS).
 */
#ifndef PERSONA_PERSONALITY_H
#define PERSONA_PERSONALITY_H

#include <stdint.h>

#define PERS_CALL_BASE 0xfe00u
#define PERS_SPAWN     (PERS_CALL_BASE + 1)
#define PERS_INTERRUPT (PERS_CALL_BASE + 2)

typedef struct pers_spawn {
    uint32_t argc, envc;
    uint32_t path_off; /* offsets from the start of this record */
    uint32_t cwd_off;
    uint32_t argv_off; /* argc NUL-terminated strings, one after another */
    uint32_t envp_off; /* envc strings */
    uint32_t total;    /* bytes of the record and its strings */
    uint32_t flags;
} pers_spawn_t;

#endif
