/*
 * Status codes returned by every native system call and server call.
 * Zero is success; failures are negative. The list is written once and
 * expands into the enum and into the names used in traces and messages.
 */
#ifndef PERSONA_STATUS_H
#define PERSONA_STATUS_H

#define PERSONA_STATUSES(X)                                              \
    X(ST_OK, 0, "success")                                               \
    X(ST_INVALID_ARGUMENT, -1, "invalid argument")                       \
    X(ST_BAD_ADDRESS, -2, "bad address")                                 \
    X(ST_INVALID_HANDLE, -3, "invalid handle")                           \
    X(ST_WRONG_TYPE, -4, "handle refers to an object of the wrong type") \
    X(ST_ACCESS_DENIED, -5, "access denied")                             \
    X(ST_NO_MEMORY, -6, "out of memory")                                 \
    X(ST_QUOTA_EXCEEDED, -7, "quota exceeded")                           \
    X(ST_NOT_FOUND, -8, "not found")                                     \
    X(ST_EXISTS, -9, "already exists")                                   \
    X(ST_TIMEOUT, -10, "timed out")                                      \
    X(ST_CANCELLED, -11, "cancelled")                                    \
    X(ST_PEER_DIED, -12, "peer died or port closed")                     \
    X(ST_NOT_SUPPORTED, -13, "not supported")                            \
    X(ST_BAD_SYSCALL, -14, "unknown system call")                        \
    X(ST_WOULD_BLOCK, -15, "operation would block")                      \
    X(ST_BUSY, -16, "busy")                                              \
    X(ST_RANGE, -17, "value out of range")                               \
    X(ST_BAD_IMAGE, -18, "bad executable image")                         \
    X(ST_TERMINATED, -19, "process or thread terminated")                \
    X(ST_IO_ERROR, -20, "input/output error")                            \
    X(ST_NOT_DIRECTORY, -21, "not a directory")                          \
    X(ST_IS_DIRECTORY, -22, "is a directory")                            \
    X(ST_NOT_EMPTY, -23, "directory not empty")                          \
    X(ST_NAME_TOO_LONG, -24, "name too long")                            \
    X(ST_READ_ONLY, -25, "read-only")                                    \
    X(ST_NO_SPACE, -26, "no space left")                                 \
    X(ST_END_OF_FILE, -27, "end of file")                                \
    X(ST_INTERRUPTED, -28, "interrupted")                                \
    X(ST_BAD_STATE, -29, "object is in the wrong state for this call")   \
    X(ST_LIMIT, -30, "limit reached")                                    \
    X(ST_REDIRECT, -31, "served by another server")

enum persona_status {
#define PERSONA_STATUS_ENUM(name, value, text) name = (value),
    PERSONA_STATUSES(PERSONA_STATUS_ENUM)
#undef PERSONA_STATUS_ENUM
};

#define ST_MIN (-31)

#endif
