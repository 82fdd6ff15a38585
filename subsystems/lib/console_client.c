/*
 * The console client (see native/console.h). The connection is made on
 * first use with a 16 KiB shared buffer; short writes travel inline in the
 * message. If the console server restarts, the next call reconnects.
 */
#include "../console/console.h"
#include <native/console.h>
#include <native/runtime.h>
#include <native/server.h>
#include <string.h>

#define CON_BUFFER (16u << 10)

static srv_conn_t conn;
static bool connected, kernel_log;

static bool ensure(void)
{
    if (!connected && srv_connect("Console", CON_BUFFER, &conn) == ST_OK)
        connected = true;
    return connected;
}

static long call(uint32_t label, ipc_msg_t *m)
{
    long st = srv_call(&conn, label, m);

    if (st == ST_PEER_DIED || st == ST_INVALID_HANDLE) {
        srv_disconnect(&conn); /* the server went away: reconnect next time */
        connected = false;
    }
    return st;
}

void native_use_kernel_log(void)
{
    kernel_log = true;
}

/* printf's output: the console, or the kernel log for servers (and for
 * everyone before the console server runs). */
void native_output(const char *buf, size_t len)
{
    if (kernel_log) {
        for (size_t done = 0; done < len;) {
            long n = sys_debug_write(buf + done, MIN_SIZE(len - done, 4096));
            if (n <= 0)
                break;
            done += (size_t)n;
        }
        return;
    }
    con_write(buf, len);
}

long con_write(const void *buf, size_t len)
{
    const char *p = buf;
    size_t done = 0;

    if (!ensure()) {
        long n = 0;
        while (done < len && (n = sys_debug_write(p + done, MIN_SIZE(len - done, 4096))) > 0)
            done += (size_t)n;
        return n < 0 && !done ? n : (long)done;
    }
    while (done < len) {
        ipc_msg_t m = {0};
        size_t n = len - done;
        long st;
        if (n <= CON_INLINE_MAX) {
            memcpy(&m.w[1], p + done, n);
            m.w[0] = n;
        } else {
            n = MIN_SIZE(n, conn.buffer_size);
            memcpy(conn.buffer, p + done, n);
            m.w[0] = n | CON_DATA_IN_BUFFER;
        }
        st = call(CON_WRITE, &m);
        if (st < 0)
            return done ? (long)done : st;
        done += n;
    }
    return (long)done;
}

long con_read(void *buf, size_t max)
{
    ipc_msg_t m = {0};
    long st;

    if (!ensure())
        return ST_NOT_SUPPORTED;
    if (max == 0)
        return 0;
    if (max <= CON_INLINE_MAX) {
        m.w[0] = max;
        st = call(CON_READ, &m);
        if (st < 0)
            return st;
        memcpy(buf, &m.w[1], m.w[0]);
    } else {
        m.w[0] = MIN_SIZE(max, conn.buffer_size) | CON_DATA_IN_BUFFER;
        st = call(CON_READ, &m);
        if (st < 0)
            return st;
        memcpy(buf, conn.buffer, m.w[0]);
    }
    return (long)m.w[0];
}

/* Sends a connect-only copy of port: the console must never be able to
 * receive on it (that would also keep the port alive after its owner). */
static long call_with_port(uint32_t label, uint32_t port, uint64_t bits)
{
    ipc_msg_t m = {0};
    handle_t weak;
    long st;

    if (!ensure())
        return ST_NOT_SUPPORTED;
    st = sys_handle_duplicate(HANDLE_SELF_PROCESS, port, HANDLE_SELF_PROCESS,
                              H_CONNECT | H_DUPLICATE, &weak);
    if (st < 0)
        return st;
    m.tag = IPC_TAG(0, IPC_FLAG_HANDLE);
    m.w[0] = bits;
    m.w[7] = weak;
    st = call(label, &m);
    sys_handle_close(weak);
    return st;
}

long con_read_nowait(void *buf, size_t max)
{
    ipc_msg_t m = {0};
    long st;

    if (!ensure())
        return ST_NOT_SUPPORTED;
    if (max == 0)
        return 0;
    m.w[0] = MIN_SIZE(max, conn.buffer_size) | CON_DATA_IN_BUFFER | CON_NOWAIT;
    st = call(CON_READ, &m);
    if (st < 0)
        return st;
    memcpy(buf, conn.buffer, m.w[0]);
    return (long)m.w[0];
}

long con_watch_input(uint32_t port, uint64_t bits)
{
    return call_with_port(CON_WATCH_INPUT, port, bits);
}

long con_set_mode(uint32_t mode, uint32_t *old)
{
    ipc_msg_t m = {0};
    long st;

    if (!ensure())
        return ST_NOT_SUPPORTED;
    m.w[0] = mode;
    st = call(CON_SET_MODE, &m);
    if (st >= 0 && old)
        *old = (uint32_t)m.w[0];
    return st;
}

long con_get_mode(uint32_t *mode)
{
    ipc_msg_t m = {0};
    long st;

    if (!ensure())
        return ST_NOT_SUPPORTED;
    st = call(CON_GET_MODE, &m);
    if (st >= 0)
        *mode = (uint32_t)m.w[0];
    return st;
}

long con_set_interrupt(uint32_t port, uint64_t bits)
{
    return call_with_port(CON_SET_INTR, port, bits);
}
