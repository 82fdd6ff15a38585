/*
 * The console server: the terminal on COM1, mirrored on the VGA text
 * screen with the PS/2 keyboard as a second input (see console.h for the
 * calls).
 *
 * Set-up: the I/O ports, IRQ 4 and IRQ 1 and the VGA memory from the
 * executive (the server is privileged), the UART, and the mode (pipe mode
 * when the kernel command line says console=pipe). Then the framework's
 * receive loop; interrupt notifications drain the UART and the keyboard
 * into the line discipline (line.c), after which waiting readers are
 * served.
 */
#include "console_internal.h"
#include <native/console.h>
#include <native/runtime.h>
#include <string.h>

#define IRQ_COM1 4
#define IRQ_KBD  1
#define IRQ_BIT  1ull
#define KBD_BIT  2ull

console_t con;

static void on_notify(server_t *srv, uint64_t bits)
{
    (void)srv;
    if (!(bits & (IRQ_BIT | KBD_BIT)))
        return;
    if (bits & IRQ_BIT) {
        for (int c; (c = uart_getc()) >= 0;)
            con_input_byte((uint8_t)c);
        sys_irq_ack(IRQ_COM1);
    }
    if (bits & KBD_BIT) {
        kbd_drain();
        sys_irq_ack(IRQ_KBD);
    }
    con_serve_readers();
    con_notify_watchers();
}

void con_interrupt(void)
{
    ipc_msg_t m = {0};

    /* Reads in progress end; the target decides what Ctrl-C means. */
    for (int i = 0; i < con.nreaders; i++)
        srv_reply(con.readers[i].token, ST_INTERRUPTED, &m);
    con.nreaders = 0;
    if (con.intr_port)
        sys_ipc_notify(con.intr_port, con.intr_bits);
}

static bool pipe_mode_requested(void)
{
    char cmdline[256];

    if (sys_system_cmdline(cmdline, sizeof(cmdline)) < 0)
        return false;
    for (char *p = cmdline; (p = strstr(p, "console=pipe")); p++) {
        if (p == cmdline || p[-1] == ' ')
            return true;
    }
    return false;
}

int main(void)
{
    native_use_kernel_log(); /* never write to ourselves */
    con.srv.name = "console";
    con.srv.port_name = "Console";
    con.srv.table = console_table;
    con.srv.names = console_names;
    con.srv.ncalls = console_ncalls;
    con.srv.notify = on_notify;
    con.srv.client_gone = con_client_gone;
    con.srv.takes_handles = 1ull << CON_SET_INTR | 1ull << CON_WATCH_INPUT;
    con.mode = pipe_mode_requested() ? CON_MODE_PIPE : CON_MODE_ECHO;
    if (sys_io_grant(0x3f8, 8) < 0) {
        printf("console: no access to the serial port's I/O ports\n");
        return 1;
    }
    uart_init();
    if (srv_init(&con.srv) < 0)
        return 1;
    if (sys_irq_bind(IRQ_COM1, con.srv.port, IRQ_BIT) < 0) {
        printf("console: cannot bind IRQ %d\n", IRQ_COM1);
        return 1;
    }
    /* The screen and keyboard of a QEMU with a display; the serial line
     * alone does without them. */
    if (!vga_init())
        printf("console: no VGA text screen\n");
    if (kbd_init() && sys_irq_bind(IRQ_KBD, con.srv.port, KBD_BIT) < 0)
        printf("console: cannot bind IRQ %d for the keyboard\n", IRQ_KBD);
    /* Anything typed before we were listening. */
    on_notify(&con.srv, IRQ_BIT | KBD_BIT);
    srv_run(&con.srv);
    return 1;
}
