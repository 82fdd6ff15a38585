/* Object types and the handle information record. */
#ifndef PERSONA_OBJECT_H
#define PERSONA_OBJECT_H

#include <stdint.h>

enum persona_object_type {
    OBJ_DIRECTORY = 1,
    OBJ_PROCESS = 2,
    OBJ_THREAD = 3,
    OBJ_SECTION = 4,
    OBJ_PORT = 5,
};

typedef struct handle_info {
    uint32_t type; /* enum persona_object_type */
    uint32_t rights;
    uint64_t object_id; /* pid, tid, or 0 */
} handle_info_t;

/* Pseudo-handles accepted wherever a process or thread handle is. */
#define HANDLE_SELF_PROCESS 0xFFFFFFFFu
#define HANDLE_SELF_THREAD  0xFFFFFFFEu

#endif
