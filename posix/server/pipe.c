/*
 * Pipes: a 64 KiB ring in the server, or, once the pipes alive hold
 * PIPE_MEM_SOFT bytes, a 4 KiB one (as Linux shrinks a user's pipes past
 * its soft limit); past PIPE_MEM_HARD no pipe or FIFO end is made
 * (ENFILE), so that no number of pipes can exhaust the server's memory
 * quota, whose end would be this server's. A read of an empty pipe with
 * writers waits (W_PIPE) and a write to a full pipe waits for room; each
 * change wakes the waiters, whose calls simply run again. Writing to a pipe
 * without readers raises SIGPIPE and fails with EPIPE.
 *
 * Named pipes (FIFOs): the file system keeps only the name (a FIFO node,
 * FS_MKNOD); every open of that node here joins one pipe, found by the
 * node's identity (its file server, device and inode), which lives while
 * some end is open and is forgotten, with what it still held, when the
 * last one closes. An open for reading waits for a writer and one for
 * writing for a reader (psx_fifo_must_wait: the thread keeps its end,
 * counted, while it waits, so two opens waiting for each other both go
 * on); O_NONBLOCK does not wait, and a write-only one without a reader
 * is ENXIO. O_RDWR opens both ends and never waits.
 */
#include "psx.h"
#include <stdlib.h>
#include <string.h>

#define PIPE_SIZE     65536
#define PIPE_BUF      4096 /* writes up to this size are atomic */
#define PIPE_MEM_SOFT (16u << 20)
#define PIPE_MEM_HARD (48u << 20)

typedef struct pipe {
    uint8_t *data;
    size_t cap; /* PIPE_SIZE or PIPE_BUF */
    size_t head, len;
    int readers, writers;
    /* A FIFO's: its node, and the opens for reading and for writing so
     * far, which an open waiting for the other side watches. */
    struct pipe *next_fifo;
    bool fifo;
    uint32_t server;
    pfs_attr_t attr;
    uint64_t read_opens, write_opens;
} pipe_t;

static pipe_t *fifos;
static size_t pipe_mem; /* the rings of the pipes alive */

/* A pipe with a ring as big as the pipes' memory allows, or NULL (*err). */
static pipe_t *pipe_alloc(long *err)
{
    size_t cap = pipe_mem + PIPE_SIZE <= PIPE_MEM_SOFT ? PIPE_SIZE : PIPE_BUF;
    pipe_t *p;

    *err = -L_ENFILE;
    if (pipe_mem + cap > PIPE_MEM_HARD)
        return NULL;
    *err = -L_ENOMEM;
    p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->data = malloc(cap);
    if (!p->data) {
        free(p);
        return NULL;
    }
    p->cap = cap;
    pipe_mem += cap;
    return p;
}

static void pipe_free(pipe_t *p)
{
    pipe_mem -= p->cap;
    free(p->data);
    free(p);
}

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
        size_t run = p->cap - p->head;
        size_t n = len - done;
        if (n > p->len)
            n = p->len;
        if (n > run)
            n = run;
        if (psx_write(t->proc, buf + done, p->data + p->head, n) < 0)
            return done ? (long)done : -L_EFAULT;
        p->head = (p->head + n) % p->cap;
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
    size_t room = p->cap - p->len, done = t->call.progress;

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
        while (done < len && p->len < p->cap) {
            size_t tail = (p->head + p->len) % p->cap;
            size_t n = len - done, free_run = tail >= p->head ? p->cap - tail : p->head - tail;
            if (n > p->cap - p->len)
                n = p->cap - p->len;
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
        if (p->len == p->cap) {
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
    return (f->pipe->len < f->pipe->cap ? L_POLLOUT : 0) | (f->pipe->readers ? 0 : L_POLLERR);
}

static int pipe_poll_rw(psx_file_t *f)
{
    return (pipe_poll_r(f) & L_POLLIN) | (pipe_poll_w(f) & L_POLLOUT);
}

/* A FIFO's end shows its node (as it was at the last open). */
static long pipe_stat(psx_file_t *f, l_stat_t *st)
{
    pipe_t *p = f->pipe;

    if (p->fifo) {
        psx_attr_to_stat(&p->attr, st);
    } else {
        memset(st, 0, sizeof(*st));
        st->st_mode = 0010600;
        st->st_nlink = 1;
        st->st_ino = (uint64_t)(uintptr_t)p;
    }
    st->st_blksize = PIPE_BUF;
    return 0;
}

/* Ends fewer: the pipe goes with its last end (nothing can wait on it then). */
static void pipe_drop(pipe_t *p, int readers, int writers)
{
    p->readers -= readers;
    p->writers -= writers;
    if (p->readers || p->writers) {
        pipe_changed(p);
        return;
    }
    for (pipe_t **l = &fifos; *l; l = &(*l)->next_fifo) {
        if (*l == p) {
            *l = p->next_fifo;
            break;
        }
    }
    pipe_free(p);
}

static void pipe_close_r(psx_file_t *f)
{
    pipe_drop(f->pipe, 1, 0);
}

static void pipe_close_w(psx_file_t *f)
{
    pipe_drop(f->pipe, 0, 1);
}

static void pipe_close_rw(psx_file_t *f)
{
    pipe_drop(f->pipe, 1, 1);
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

/* A FIFO opened for reading and writing. */
static const psx_file_ops_t psx_pipe_ops_rw = {
    .name = "pipe",
    .read = pipe_read,
    .write = pipe_write,
    .stat = pipe_stat,
    .poll = pipe_poll_rw,
    .close = pipe_close_rw,
    .ioctl = pipe_ioctl,
};

long psx_fifo_open(const file_t *node, uint32_t flags, psx_file_t **out)
{
    uint32_t acc = flags & L_O_ACCMODE;
    pipe_t *p;

    for (p = fifos; p; p = p->next_fifo) {
        if (p->server == node->server && p->attr.dev == node->attr.dev &&
            p->attr.ino == node->attr.ino)
            break;
    }
    if (!p && acc == L_O_WRONLY && (flags & L_O_NONBLOCK))
        return -L_ENXIO;
    if (p && acc == L_O_WRONLY && (flags & L_O_NONBLOCK) && !p->readers)
        return -L_ENXIO;
    if (!p) {
        long err;
        p = pipe_alloc(&err);
        if (!p)
            return err;
        p->fifo = true;
        p->server = node->server;
        p->next_fifo = fifos;
        fifos = p;
    }
    p->attr = node->attr;
    const psx_file_ops_t *ops = acc == L_O_RDONLY   ? &psx_pipe_ops_r
                                : acc == L_O_WRONLY ? &psx_pipe_ops_w
                                                    : &psx_pipe_ops_rw;
    psx_file_t *f = psx_file_new(ops, flags & (L_O_ACCMODE | L_O_NONBLOCK));
    if (!f) {
        p->readers++;
        pipe_drop(p, 1, 0); /* forgets it if it has no end */
        return -L_ENOMEM;
    }
    f->pipe = p;
    if (acc != L_O_WRONLY) {
        p->readers++;
        p->read_opens++;
    }
    if (acc != L_O_RDONLY) {
        p->writers++;
        p->write_opens++;
    }
    f->fifo_partners = acc == L_O_RDONLY ? p->write_opens : p->read_opens;
    pipe_changed(p); /* an open waiting for this side goes on */
    *out = f;
    return 0;
}

bool psx_fifo_must_wait(const psx_file_t *f)
{
    const pipe_t *p = f->pipe;
    uint32_t acc = f->flags & L_O_ACCMODE;

    if (!p || !p->fifo || (f->flags & L_O_NONBLOCK) || acc == L_O_RDWR)
        return false;
    if (acc == L_O_RDONLY)
        return !p->writers && p->write_opens == f->fifo_partners;
    return !p->readers && p->read_opens == f->fifo_partners;
}

long psx_pipe_create(psx_file_t **r, psx_file_t **w, uint32_t flags)
{
    long err;
    pipe_t *p = pipe_alloc(&err);

    if (!p)
        return err;
    *r = psx_file_new(&psx_pipe_ops_r, L_O_RDONLY | (flags & L_O_NONBLOCK));
    *w = psx_file_new(&psx_pipe_ops_w, L_O_WRONLY | (flags & L_O_NONBLOCK));
    if (!*r || !*w) {
        free(*r);
        free(*w);
        pipe_free(p);
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
    while (done < len && p->len < p->cap) {
        size_t tail = (p->head + p->len) % p->cap;
        p->data[tail] = buf[done++];
        p->len++;
    }
    pipe_changed(p);
    return done ? (long)done : -L_EAGAIN;
}
