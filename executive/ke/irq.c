/*
 * Interrupts for user-mode drivers. A privileged process binds an interrupt
 * line to a port; each interrupt masks the line and becomes a notification
 * on the port. The driver handles the device and acknowledges, which
 * unmasks the line. A line whose port has died is unbound at its next
 * interrupt, and stays masked.
 */
#include "ipc.h"
#include "obcall.h"
#include "syscall.h"

#define IRQ_LINES 16

static struct {
    port_t *port;
    uint64_t bits;
} bound[IRQ_LINES];

static void user_irq(int irq)
{
    port_t *port = bound[irq].port;

    arch_irq_mask(irq);
    if (!port)
        return;
    if (port->dead) {
        bound[irq].port = NULL;
        ob_unref(OB(port));
        return;
    }
    ipc_notify(port, bound[irq].bits);
}

SYSCALL(irq_bind)
{
    port_t *port;
    status_t st;

    if (!ps_current_process()->privileged)
        return ST_ACCESS_DENIED;
    if (a0 == 0 || a0 >= IRQ_LINES || a0 == 2 || a2 == 0)
        return ST_INVALID_ARGUMENT; /* 0: the tick; 2: the PIC cascade */
    st = ipc_ref_port(a1, H_CONNECT, &port);
    if (st != ST_OK)
        return st;
    if (bound[a0].port && !bound[a0].port->dead) {
        ob_unref(OB(port));
        return ST_BUSY;
    }
    if (bound[a0].port)
        ob_unref(OB(bound[a0].port));
    bound[a0].port = port;
    bound[a0].bits = a2;
    arch_irq_register((int)a0, user_irq);
    return ST_OK;
}

SYSCALL(irq_ack)
{
    if (a0 >= IRQ_LINES || !bound[a0].port)
        return ST_INVALID_ARGUMENT;
    if (!ps_current_process()->privileged)
        return ST_ACCESS_DENIED;
    arch_irq_unmask((int)a0);
    return ST_OK;
}

SYSCALL(io_grant)
{
    process_t *p = ps_current_process();

    if (!p->privileged)
        return ST_ACCESS_DENIED;
    if (a1 == 0 || a0 > 0xffff || a1 > 0x10000 - a0)
        return ST_INVALID_ARGUMENT;
    arch_io_grant((uint16_t)a0, (uint32_t)a1);
    p->io_enabled = true;
    list_for_each(it, &p->threads) list_entry(it, thread_t, proc_link)->arch.io = true;
    /* The running thread switches in later with it; set the TSS now too. */
    arch_io_enable_current();
    return ST_OK;
}
