/*
 * Pipes: a 64 KiB ring in the server. A read of an empty pipe with
 * writers waits (W_PIPE) and a write to a full pipe waits for room; each
 * change wakes the waiters, whose calls simply run again. Writing to a pipe
 * without readers raises SIGPIPE and fails with EPIPE.
 */
#include "psx.h"
#include <stdlib.h>

#define PIPE_SIZE 65536
#define PIPE_BUF  4096 /* writes up to this size are atomic */

typedef struct pipe {
    uint8_t data[PIPE_SIZE];
    size_t head, len;
    int readers, writers;
} pipe_t;

/* What waits on p may go on: its readers and writers, and every poll. */
static void pipe_changed(pipe_t *p)
{
    psx_wake(W_PIPE, p);
    psx_wake(W_POLL, NULL);
}

static long pipe_read(psx_file_t *f, psx_thread_t *t, uint64_t buf, size_t len, int64_t off)
{
    pipe_t *p = f->pipe;
    size_t done = 0;

    (void)off;
    if (len == 0)
        return 0;
    t->wait = W_NONE;
    if (p->len == 0) {
        if (!p->writers)
            return 0; /* end of file */
        if (f->flags & L_O_NONBLOCK)
            return -L_EAGAIN;
        if (t->interrupted)
            return -L_EINTR;
        t->wait = W_PIPE;
        t->wait_obj = p;
        return PSX_DEFER;
    }
    while (done < len && p->len) {
        size_t run = PIPE_SIZE - p->head;
        size_t n = len - done;
        if (n > p->len)
            n = p->len;
        if (n > run)
            n = run;
        if (psx_write(t->proc, buf + done, p->data + p->head, n) < 0)
            return done ? (long)done : -L_EFAULT;
        p->head = (p->head + n) % PIPE_SIZE;
        p->len -= n;
        done += n;
    }
    pipe_changed(p);
    return (long)done;
}

/* A blocking write returns when all of it is in the pipe, waiting for
 * room as often as needed (the count so far is the call's progress); a
 * signal or the last reader's close ends it early with that count. */
static long pipe_write(psx_file_t *f, psx_thread_t *t, uint64_t buf, size_t len, int64_t off)
{
    pipe_t *p = f->pipe;
    size_t room = PIPE_SIZE - p->len, done = t->call.progress;

    (void)off;
    if (!p->readers) {
        if (done)
            return (long)done;
        l_siginfo_t info = psx_siginfo(L_SIGPIPE, L_SI_USER, t->proc->pid);
        psx_signal_thread(t, &info);
        return -L_EPIPE;
    }
    if (len == 0)
        return 0;
    /* Small writes go in whole or not at all, as POSIX promises. */
    if (room == 0 || (len <= PIPE_BUF && room < len)) {
        if (f->flags & L_O_NONBLOCK)
            return done ? (long)done : -L_EAGAIN;
        if (t->interrupted)
            return done ? (long)done : -L_EINTR;
        t->wait = W_PIPE;
        t->wait_obj = p;
        return PSX_DEFER;
    }
    t->wait = W_NONE; /* the wakes below must not re-run this call */
    for (;;) {
        while (done < len && p->len < PIPE_SIZE) {
            size_t tail = (p->head + p->len) % PIPE_SIZE;
            size_t n = len - done, free_run = tail >= p->head ? PIPE_SIZE - tail : p->head - tail;
            if (n > PIPE_SIZE - p->len)
                n = PIPE_SIZE - p->len;
            if (n > free_run)
                n = free_run;
            if (psx_read(t->proc, buf + done, p->data + tail, n) < 0)
                return done ? (long)done : -L_EFAULT;
            p->len += n;
            done += n;
        }
        t->call.progress = done;
        pipe_changed(p); /* readers may take some at once */
        if (done == len || (f->flags & L_O_NONBLOCK) || t->interrupted || !p->readers)
            return (long)done;
        if (p->len == PIPE_SIZE) {
            t->wait = W_PIPE;
            t->wait_obj = p;
            return PSX_DEFER;
        }
    }
}

static int pipe_poll_r(psx_file_t *f)
{
    return (f->pipe->len ? L_POLLIN : 0) | (f->pipe->writers ? 0 : L_POLLHUP);
}

static int pipe_poll_w(psx_file_t *f)
{
    return (f->pipe->len < PIPE_SIZE ? L_POLLOUT : 0) | (f->pipe->readers ? 0 : L_POLLERR);
}

static long pipe_stat(psx_file_t *f, l_stat_t *st)
{
    (void)f;
    st->st_mode = 0010600; /* FIFO */
    st->st_nlink = 1;
    st->st_blksize = PIPE_BUF;
    st->st_ino = (uint64_t)(uintptr_t)f->pipe;
    return 0;
}

static void pipe_close_r(psx_file_t *f)
{
    pipe_t *p = f->pipe;

    p->readers--;
    pipe_changed(p);
    if (!p->readers && !p->writers)
        free(p);
}

static void pipe_close_w(psx_file_t *f)
{
    pipe_t *p = f->pipe;

    p->writers--;
    pipe_changed(p);
    if (!p->readers && !p->writers)
        free(p);
}

static long pipe_ioctl(psx_file_t *f, psx_thread_t *t, uint64_t cmd, uint64_t arg)
{
    if (cmd == L_FIONREAD) {
        int32_t n = (int32_t)f->pipe->len;
        return psx_write(t->proc, arg, &n, sizeof(n));
    }
    return -L_ENOTTY;
}

const psx_file_ops_t psx_pipe_ops_r = {
    .name = "pipe",
    .read = pipe_read,
    .stat = pipe_stat,
    .poll = pipe_poll_r,
    .close = pipe_close_r,
    .ioctl = pipe_ioctl,
};

const psx_file_ops_t psx_pipe_ops_w = {
    .name = "pipe",
    .write = pipe_write,
    .stat = pipe_stat,
    .poll = pipe_poll_w,
    .close = pipe_close_w,
    .ioctl = pipe_ioctl,
};

long psx_pipe_create(psx_file_t **r, psx_file_t **w, uint32_t flags)
{
    pipe_t *p = calloc(1, sizeof(*p));

    if (!p)
        return -L_ENOMEM;
    *r = psx_file_new(&psx_pipe_ops_r, L_O_RDONLY | (flags & L_O_NONBLOCK));
    *w = psx_file_new(&psx_pipe_ops_w, L_O_WRONLY | (flags & L_O_NONBLOCK));
    if (!*r || !*w) {
        free(*r);
        free(*w);
        free(p);
        return -L_ENOMEM;
    }
    (*r)->pipe = (*w)->pipe = p;
    p->readers = p->writers = 1;
    return 0;
}

/* sendfile into a pipe: as much as fits now, from a server buffer. */
long psx_pipe_write_buf(psx_file_t *f, const uint8_t *buf, size_t len)
{
    pipe_t *p = f->pipe;
    size_t done = 0;

    if (!p->readers)
        return -L_EPIPE;
    while (done < len && p->len < PIPE_SIZE) {
        size_t tail = (p->head + p->len) % PIPE_SIZE;
        p->data[tail] = buf[done++];
        p->len++;
    }
    pipe_changed(p);
    return done ? (long)done : -L_EAGAIN;
}
