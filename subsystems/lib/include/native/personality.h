/*
 * The calls of <persona/personality.h> that every personality server
 * (POSIX, DOS, ...) answers. Client side, the only code that builds them:
 * starting a program and passing the terminal's Ctrl-C on. Server side,
 * reading a PERS_SPAWN request from the client's buffer with every offset
 * and string checked, and the reply that hands the new process over.
 *
 * Entry points: pers_spawn, pers_interrupt; pers_spawn_parse,
 * pers_spawn_free, pers_spawn_reply.
 */
#ifndef NATIVE_PERSONALITY_H
#define NATIVE_PERSONALITY_H

#include <native/server.h>
#include <persona/personality.h>

/*
 * Asks the server on conn (connected with a shared buffer) to start the
 * program at path with argv and envp (NULL-terminated) in directory cwd.
 * On success *pid and *proc (H_QUERY | H_WAIT | H_TERMINATE) are the new
 * process. ST_NAME_TOO_LONG: the strings do not fit in the buffer;
 * ST_BAD_STATE: the server's answer carried no process handle.
 */
long pers_spawn(srv_conn_t *conn, const char *path, const char *cwd, const char *const *argv,
                const char *const *envp, uint32_t flags, uint64_t *pid, handle_t *proc);

/* The terminal's Ctrl-C for the program pid started through conn. */
long pers_interrupt(srv_conn_t *conn, uint64_t pid);

typedef struct pers_spawn_args {
    char *record;           /* a copy of the client's record (allocated) */
    const char *path, *cwd; /* in the copy */
    char **argv, **envp;    /* NULL-terminated, allocated; the strings in the copy */
    uint32_t argc, envc;
    uint32_t flags;
} pers_spawn_args_t;

/* Reads req's PERS_SPAWN record: ST_OK, ST_INVALID_ARGUMENT or ST_NO_MEMORY. */
long pers_spawn_parse(srv_req_t *req, pers_spawn_args_t *a);
void pers_spawn_free(pers_spawn_args_t *a);

/* Answers req with the new process: w0 = pid, w7 = a handle to proc with
 * H_QUERY | H_WAIT | H_TERMINATE. Returns SRV_DEFERRED (answered) or a
 * status for the loop to answer with. */
long pers_spawn_reply(srv_req_t *req, handle_t proc, uint64_t pid);

#endif
