/* The console server's state and the functions its files share. */
#ifndef CONSOLE_INTERNAL_H
#define CONSOLE_INTERNAL_H

#include "console.h"
#include <native/server.h>
#include <stdbool.h>
#include <stddef.h>

#define LINE_MAX_LEN 1024
#define HISTORY      32
#define INPUT_QUEUE  4096
#define MAX_READERS  32

typedef struct reader {
    uint64_t token;
    uint64_t max;
    bool to_buffer;
    srv_client_t *client;
} reader_t;

typedef struct console {
    server_t srv;
    uint32_t mode;
    /* Completed input not yet read (lines in cooked mode, bytes in raw). */
    uint8_t queue[INPUT_QUEUE];
    size_t qhead, qlen;
    bool eof_pending; /* a Ctrl-D ended input: the next read returns 0 */
    /* The line being edited. */
    char line[LINE_MAX_LEN];
    size_t len, cursor;
    char history[HISTORY][LINE_MAX_LEN];
    int nhistory, hpos;
    int esc; /* escape-sequence state: 0, 1 after ESC, 2 after ESC [ */
    reader_t readers[MAX_READERS];
    int nreaders;
    handle_t intr_port;
    uint64_t intr_bits;
    struct {
        handle_t port;
        uint64_t bits;
        uint64_t pid; /* whose */
    } watchers[8];    /* one-shot "input is ready" notifications */
} console_t;

extern console_t con;
extern const srv_handler_t console_table[];
extern const char *const console_names[];
extern const unsigned console_ncalls;

bool vga_init(void);
void vga_put(uint8_t b); /* one byte of terminal output */
void vga_cursor(void);   /* the hardware cursor to where output stands */
bool kbd_init(void);
void kbd_drain(void);
void uart_init(void);
void uart_putc(char c);
int uart_getc(void);
void con_output(const char *s, size_t n, bool translate);
void con_input_byte(uint8_t b);
/* Leaving cooked mode: the line being edited becomes input as it is. */
void con_release_line(void);
void con_serve_readers(void);
void con_interrupt(void);
void con_notify_watchers(void);
void con_client_gone(server_t *srv, srv_client_t *c);

#endif
