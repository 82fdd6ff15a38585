/*
 * The VDM's side of the DOS server's protocol (<protocol.h>): the hello
 * that brings the memory section, the start that loads the program, and
 * DOS calls with the console callbacks they may need on the way.
 *
 * Entry points: vp_connect, vp_start, vp_dos_call.
 */
#include "vdmproc.h"
#include <native/runtime.h>
#include <stdio.h>
#include <string.h>

long vp_connect(vproc_t *p)
{
    ipc_msg_t m = {0};
    handle_t weak;
    uint64_t addr = 0;
    long st = srv_connect(DOS_PORT, DOS_VDM_BUFFER, &p->conn);

    if (st >= 0)
        st = sys_port_create(NULL, &p->port);
    if (st >= 0)
        st = sys_handle_duplicate(HANDLE_SELF_PROCESS, p->port, HANDLE_SELF_PROCESS,
                                  H_CONNECT | H_DUPLICATE, &weak);
    if (st < 0)
        return st;
    m.tag = IPC_TAG(0, IPC_FLAG_HANDLE);
    m.w[7] = weak;
    st = srv_call(&p->conn, DOS_VDM_HELLO, &m);
    sys_handle_close(weak);
    if (st < 0)
        return st;
    if (!(IPC_FLAGS(m.tag) & IPC_FLAG_HANDLE) || m.w[0] < VDM_MEM_SIZE)
        return ST_BAD_STATE;
    p->flags = (uint32_t)m.w[1];
    st = sys_vm_map(HANDLE_SELF_PROCESS, &addr, m.w[0], PROT_R | PROT_W, 0, (handle_t)m.w[7], 0);
    sys_handle_close((handle_t)m.w[7]);
    p->mem = (uint8_t *)addr;
    return st;
}

int vp_start(vproc_t *p, dos_regs_t *entry)
{
    ipc_msg_t m = {0};
    long st = srv_call(&p->conn, DOS_VDM_START, &m);

    if (st == DOS_VDM_DONE) {
        dos_vdm_get_regs(&m, entry);
        return 0;
    }
    if (st == DOS_VDM_NOLOAD) {
        p->conn.buffer[p->conn.buffer_size - 1] = 0;
        snprintf(p->why, sizeof(p->why), "%s", (const char *)p->conn.buffer);
    } else {
        snprintf(p->why, sizeof(p->why), "%s: the DOS server did not start it: %s", p->prog,
                 status_text(st));
    }
    return -1;
}

/* The link to the server failed: the machine stops with a reason. */
static int broken(vproc_t *p, const char *what, long st)
{
    snprintf(p->why, sizeof(p->why), "%s: %s (%s)", p->prog, what, status_text(st));
    return DOS_CALL_HALT;
}

int vp_dos_call(void *ctx, vdm_t *vdm, uint8_t vector, dos_regs_t *regs)
{
    vproc_t *p = ctx;
    ipc_msg_t m = {0};
    uint32_t label = DOS_VDM_CALL;
    uint64_t t0 = vp_rdtsc();

    m.w[0] = vector;
    dos_vdm_put_regs(&m, regs);
    for (;;) {
        long st = srv_call(&p->conn, label, &m);
        if (st < 0)
            return broken(p, "the DOS server went away", st);
        uint64_t out = m.w[DOS_VDM_W_OUTPUT];
        if (out > p->conn.buffer_size)
            return broken(p, "the DOS server's answer makes no sense", ST_RANGE);
        if (out)
            vdm_tty_write(vdm, (const char *)p->conn.buffer, out);
        int answer;
        switch (st) {
        case DOS_VDM_DONE:
            dos_vdm_get_regs(&m, regs);
            p->dos_calls++;
            p->dos_ticks += vp_rdtsc() - t0;
            return m.w[0] <= DOS_CALL_NOINPUT ? (int)m.w[0] : DOS_CALL_HALT;
        case DOS_VDM_CON_READ:
            answer = vdm_con_read(vdm);
            break;
        case DOS_VDM_CON_PEEK:
            answer = vdm_con_peek(vdm);
            break;
        case DOS_VDM_CON_FLUSH:
            answer = 0;
            break;
        default:
            return broken(p, "the DOS server's answer makes no sense", st);
        }
        memset(&m, 0, sizeof(m));
        m.w[0] = (uint64_t)(int64_t)answer;
        label = DOS_VDM_RESUME;
    }
}
