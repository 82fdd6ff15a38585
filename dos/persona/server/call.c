/*
 * DOS calls on fibers. DOS_VDM_CALL switches to the VDM's fiber, which
 * runs dos_server_call; the library reaches the console through the ops
 * below. Output is appended to the VDM's shared buffer and goes with the
 * next reply. A read or a peek of CON is the VDM's to answer (its BIOS
 * keyboard queue, filled from the terminal): the fiber records what it
 * needs and switches back, the handler replies with that callback, and
 * the VDM's DOS_VDM_RESUME carries the answer back into the fiber, which
 * returns it from the op as if the call had been made in place. The
 * Ctrl-C check reads the keyboard queue in the shared memory directly.
 *
 * Invariant: a fiber runs only between the fiber_switch of a handler here
 * and its switch back (DOS call over, or a callback), so only one runs at
 * a time and the loop never runs inside one. A VDM that dies while its
 * fiber waits for an answer: the record goes (vdm.c) and the fiber's stack
 * with it; the library holds nothing else across a console operation.
 *
 * Entry points: do_vdm_call, do_vdm_resume, dsrv_fiber_main, dsrv_con_read,
 * dsrv_con_peek, dsrv_con_break, dsrv_con_write.
 */
#include "dossrv.h"
#include <dos/kbdq.h>
#include <string.h>

static fiber_t loop_fiber; /* the server's own stack while a VDM's fiber runs */

void dsrv_fiber_main(void *arg)
{
    dsrv_vdm_t *v = arg;

    for (;;) {
        v->result = dos_server_call(&v->dos, v->vector, &v->regs);
        v->op = OP_DONE;
        fiber_switch(&v->fiber, &loop_fiber);
    }
}

/* Runs the fiber until the call is over or needs the VDM; the reply. */
static long run_fiber(dsrv_vdm_t *v, srv_req_t *req)
{
    fiber_switch(&loop_fiber, &v->fiber);
    memset(req->msg.w, 0, sizeof(req->msg.w));
    req->msg.w[DOS_VDM_W_OUTPUT] = v->out_len;
    v->out_len = 0;
    if (v->op != OP_DONE)
        return v->op;
    v->in_call = false;
    req->msg.w[0] = (uint64_t)v->result;
    dos_vdm_put_regs(&req->msg, &v->regs);
    return DOS_VDM_DONE;
}

static dsrv_vdm_t *caller(srv_req_t *req, long *st)
{
    dsrv_vdm_t *v = dsrv_find(req->sender_pid);

    *st = !v ? ST_NOT_FOUND : v->state != V_RUNNING || !v->client ? ST_BAD_STATE : ST_OK;
    return *st == ST_OK ? v : NULL;
}

long do_vdm_call(server_t *srv, srv_req_t *req)
{
    long st;
    dsrv_vdm_t *v = caller(req, &st);

    (void)srv;
    if (!v)
        return st;
    if (v->in_call)
        return ST_BAD_STATE; /* a callback is unanswered */
    if (req->msg.w[0] > 0xFF)
        return ST_INVALID_ARGUMENT;
    v->vector = (uint8_t)req->msg.w[0];
    dos_vdm_get_regs(&req->msg, &v->regs);
    v->in_call = true;
    return run_fiber(v, req);
}

long do_vdm_resume(server_t *srv, srv_req_t *req)
{
    long st;
    dsrv_vdm_t *v = caller(req, &st);
    int64_t answer = (int64_t)req->msg.w[0];

    (void)srv;
    if (!v)
        return st;
    if (!v->in_call)
        return ST_BAD_STATE;
    if ((v->op == OP_READ || v->op == OP_PEEK) && (answer < -1 || answer > 0xFF))
        return ST_INVALID_ARGUMENT;
    v->answer = (int)answer;
    return run_fiber(v, req);
}

/* From the fiber: asks the VDM for something and waits for its answer. */
static int ask_vdm(dsrv_vdm_t *v, enum dsrv_op op)
{
    if (!v->in_call)
        return -1; /* not on the fiber (setting DOS up): nobody to ask */
    v->op = op;
    fiber_switch(&v->fiber, &loop_fiber);
    return v->answer;
}

int dsrv_con_read(void *ctx)
{
    return ask_vdm(ctx, OP_READ);
}

int dsrv_con_peek(void *ctx)
{
    return ask_vdm(ctx, OP_PEEK);
}

/* The VDM queues typed keys, and the PERS_INTERRUPT Ctrl-C, as it runs. */
int dsrv_con_break(void *ctx)
{
    dsrv_vdm_t *v = ctx;
    int key = dos_kbdq_head(v->mem, false);

    if (key < 0 || (key & 0xFF) != 3)
        return 0;
    dos_kbdq_head(v->mem, true);
    return 1;
}

void dsrv_con_write(void *ctx, const char *buf, size_t n)
{
    dsrv_vdm_t *v = ctx;

    while (n > 0 && v->client && v->client->buffer) {
        size_t size = v->client->buffer_size;
        if (v->out_len >= size) {
            if (!v->in_call || v->out_len > size) {
                v->out_len = 0; /* no call to send it with, or a smaller buffer: drop */
                return;
            }
            ask_vdm(v, OP_FLUSH);
            continue;
        }
        size_t k = n < size - v->out_len ? n : size - v->out_len;
        memcpy(v->client->buffer + v->out_len, buf, k);
        v->out_len += k;
        buf += k;
        n -= k;
    }
}
