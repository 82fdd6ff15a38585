/*
 * What personality servers (POSIX, DOS, ...) share in serving the shell's
 * calls of <persona/personality.h>: reading a PERS_SPAWN request from the
 * client's buffer with every offset and string checked, and the reply
 * that hands the shell the new process.
 *
 * Entry points: pers_spawn_parse, pers_spawn_free, pers_spawn_reply.
 */
#ifndef NATIVE_PERSONALITY_H
#define NATIVE_PERSONALITY_H

#include <native/server.h>
#include <persona/personality.h>

typedef struct pers_spawn_args {
    const char *path, *cwd; /* in the client's buffer */
    char **argv, **envp;    /* NULL-terminated, allocated; the strings in the buffer */
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
