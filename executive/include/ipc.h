/*
 * ipc: ports, the only way to reach a server. (Grown by the executive's ipc
 * component; this is the part other components need.)
 */
#ifndef IPC_H
#define IPC_H

#include "ke.h"
#include "ob.h"

typedef struct port port_t;
struct port {
    ob_header_t hdr;
};

#endif
