/*
 * The remaining system calls: memory, time and sleeping, futexes, poll and
 * select, identity, limits, and system information.
 */
#include "psx.h"
#include <stdlib.h>
#include <string.h>

long psx_mmap(psx_proc_t *p, uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, long fd,
              uint64_t off);
long psx_munmap(psx_proc_t *p, uint64_t addr, uint64_t len);
long psx_mprotect(psx_proc_t *p, uint64_t addr, uint64_t len, uint64_t prot);
long psx_mremap(psx_proc_t *p, uint64_t old, uint64_t old_len, uint64_t new_len, uint64_t flags,
                uint64_t new_addr);
long psx_msync(psx_proc_t *p, uint64_t addr, uint64_t len, uint64_t flags);
long psx_madvise(psx_proc_t *p, uint64_t addr, uint64_t len, uint64_t advice);
void psx_random_bytes(uint8_t *buf, size_t len);

long psx_sys_brk(psx_thread_t *t, psx_call_t *c)
{
    return psx_brk(t->proc, c->a[0]);
}

long psx_sys_mmap(psx_thread_t *t, psx_call_t *c)
{
    return psx_mmap(t->proc, c->a[0], c->a[1], c->a[2], c->a[3], (long)(int)c->a[4], c->a[5]);
}

long psx_sys_munmap(psx_thread_t *t, psx_call_t *c)
{
    return psx_munmap(t->proc, c->a[0], c->a[1]);
}

long psx_sys_mprotect(psx_thread_t *t, psx_call_t *c)
{
    return psx_mprotect(t->proc, c->a[0], c->a[1], c->a[2]);
}

long psx_sys_mremap(psx_thread_t *t, psx_call_t *c)
{
    return psx_mremap(t->proc, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
}

long psx_sys_msync(psx_thread_t *t, psx_call_t *c)
{
    return psx_msync(t->proc, c->a[0], c->a[1], c->a[2]);
}

long psx_sys_madvise(psx_thread_t *t, psx_call_t *c)
{
    return psx_madvise(t->proc, c->a[0], c->a[1], c->a[2]);
}

/* ---- time ---- */

static uint64_t realtime_ns(void)
{
    uint64_t t = 0;

    sys_clock_get(CLOCK_REALTIME_NS, &t);
    return t;
}

/* CPU time of t's process, or of t alone. */
static uint64_t cpu_time(psx_thread_t *t, bool thread)
{
    process_info_t pi;
    thread_info_t ti;

    if (thread)
        return sys_thread_info(t->th, &ti) == ST_OK ? ti.cpu_ns : 0;
    return sys_process_info(t->proc->proc, &pi) == ST_OK ? pi.cpu_ns : 0;
}

static long clock_now(psx_thread_t *t, uint64_t clock, uint64_t *ns)
{
    switch (clock) {
    case 0: /* CLOCK_REALTIME */
    case 5: /* CLOCK_REALTIME_COARSE */
        *ns = realtime_ns();
        return 0;
    case 1: /* MONOTONIC */
    case 4: /* MONOTONIC_RAW */
    case 6: /* MONOTONIC_COARSE */
    case 7: /* BOOTTIME */
        *ns = psx_now();
        return 0;
    case 2: /* PROCESS_CPUTIME_ID */
    case 3: /* THREAD_CPUTIME_ID */
        *ns = cpu_time(t, clock == 3);
        return 0;
    default:
        return -L_EINVAL;
    }
}

long psx_sys_clock_gettime(psx_thread_t *t, psx_call_t *c)
{
    uint64_t ns;
    long r = clock_now(t, c->a[0], &ns);
    l_timespec_t ts;

    if (r < 0)
        return r;
    ts.tv_sec = (int64_t)(ns / 1000000000);
    ts.tv_nsec = (int64_t)(ns % 1000000000);
    return psx_write(t->proc, c->a[1], &ts, sizeof(ts));
}

long psx_sys_clock_getres(psx_thread_t *t, psx_call_t *c)
{
    uint64_t ns;
    l_timespec_t ts = {0, 1000};

    if (clock_now(t, c->a[0], &ns) < 0)
        return -L_EINVAL;
    return c->a[1] ? psx_write(t->proc, c->a[1], &ts, sizeof(ts)) : 0;
}

long psx_sys_gettimeofday(psx_thread_t *t, psx_call_t *c)
{
    uint64_t ns = realtime_ns();
    l_timeval_t tv = {(int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000 / 1000)};

    if (c->a[1]) {
        int32_t tz[2] = {0, 0};
        if (psx_write(t->proc, c->a[1], tz, sizeof(tz)) < 0)
            return -L_EFAULT;
    }
    return c->a[0] ? psx_write(t->proc, c->a[0], &tv, sizeof(tv)) : 0;
}

long psx_sys_time(psx_thread_t *t, psx_call_t *c)
{
    int64_t s = (int64_t)(realtime_ns() / 1000000000);

    if (c->a[0] && psx_write(t->proc, c->a[0], &s, 8) < 0)
        return -L_EFAULT;
    return s;
}

/* Sleeps keep their deadline in the call's spare argument a[5]. */
static long sleep_until(psx_thread_t *t, psx_call_t *c, uint64_t deadline, uint64_t urem,
                        bool realtime)
{
    uint64_t now = realtime ? realtime_ns() : psx_now();

    if (now >= deadline)
        return 0;
    if (t->interrupted) {
        if (urem) {
            uint64_t left = deadline - now;
            l_timespec_t rem = {(int64_t)(left / 1000000000), (int64_t)(left % 1000000000)};
            psx_write(t->proc, urem, &rem, sizeof(rem));
        }
        return -L_EINTR;
    }
    t->wait = W_SLEEP;
    t->deadline = realtime ? psx_now() + (deadline - now) : deadline;
    (void)c;
    return PSX_DEFER;
}

static long read_timespec(psx_thread_t *t, uint64_t u, uint64_t *ns)
{
    l_timespec_t ts;

    if (psx_read(t->proc, u, &ts, sizeof(ts)) < 0)
        return -L_EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
        return -L_EINVAL;
    *ns = (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
    return 0;
}

long psx_sys_nanosleep(psx_thread_t *t, psx_call_t *c)
{
    if (t->wait != W_SLEEP) {
        uint64_t ns;
        long r = read_timespec(t, c->a[0], &ns);
        if (r < 0)
            return r;
        c->a[5] = psx_now() + ns;
    }
    return sleep_until(t, c, c->a[5], c->a[1], false);
}

long psx_sys_clock_nanosleep(psx_thread_t *t, psx_call_t *c)
{
    bool realtime = c->a[0] == 0;

    if (c->a[0] != 0 && c->a[0] != 1 && c->a[0] != 7)
        return -L_EINVAL;
    if (t->wait != W_SLEEP) {
        uint64_t ns;
        long r = read_timespec(t, c->a[2], &ns);
        if (r < 0)
            return r;
        if (c->a[1] & 1) /* TIMER_ABSTIME */
            c->a[5] = ns;
        else
            c->a[5] = (realtime ? realtime_ns() : psx_now()) + ns;
    }
    long r = sleep_until(t, c, c->a[5], c->a[1] & 1 ? 0 : c->a[3], realtime);
    return r == -L_EINTR ? L_EINTR : r; /* clock_nanosleep returns the error */
}

/* ---- futex ---- */

/* A futex word's identity: the section and offset behind a shared
 * mapping (the same for every process that maps it), else the address
 * space and address. */
static void futex_key(psx_proc_t *p, uint64_t addr, bool private, uint64_t key[2])
{
    vm_region_info_t r;

    if (!private && sys_vm_query(p->mem, addr, &r) == ST_OK && r.section_id &&
        !(r.flags & VMQ_PRIVATE)) {
        key[0] = r.section_id | (1ull << 63);
        key[1] = r.offset + (addr - r.start);
        return;
    }
    key[0] = p->mem_id;
    key[1] = addr;
}

static long wake_key(const uint64_t key[2], long n, const uint64_t *requeue_to, long requeue_max)
{
    long woken = 0, moved = 0;

    for (psx_proc_t *q = psx.procs; q; q = q->next) {
        for (psx_thread_t *o = q->threads; o; o = o->next) {
            if (!o->call.token || o->wait != W_FUTEX || o->futex_key[0] != key[0] ||
                o->futex_key[1] != key[1])
                continue;
            if (woken < n) {
                o->call.a[5] = 1; /* a wake: the wait is over */
                psx_wake_thread(o);
                woken++;
            } else if (requeue_to && moved < requeue_max) {
                o->futex_key[0] = requeue_to[0];
                o->futex_key[1] = requeue_to[1];
                moved++;
            }
        }
    }
    return woken + moved;
}

long psx_futex_wake(psx_proc_t *p, uint64_t addr, bool private, long n)
{
    uint64_t key[2];

    futex_key(p, addr, private, key);
    return wake_key(key, n, NULL, 0);
}

long psx_sys_futex(psx_thread_t *t, psx_call_t *c)
{
    uint64_t addr = c->a[0];
    bool private = c->a[1] & L_FUTEX_PRIVATE_FLAG;
    int op = (int)(c->a[1] & ~(uint64_t)(L_FUTEX_PRIVATE_FLAG | L_FUTEX_CLOCK_REALTIME));
    uint32_t val = (uint32_t)c->a[2];

    if (addr & 3)
        return -L_EINVAL;
    switch (op) {
    case L_FUTEX_WAIT:
    case L_FUTEX_WAIT_BITSET: {
        uint32_t cur;
        if (t->wait == W_FUTEX) {
            /* Woken (or timed out or interrupted): the wait is over. */
            if (c->a[5])
                return 0; /* a wake came */
            if (t->interrupted)
                return -L_EINTR;
            if (t->deadline && psx_now() >= t->deadline)
                return -L_ETIMEDOUT;
            return PSX_DEFER;
        }
        if (psx_read(t->proc, addr, &cur, 4) < 0)
            return -L_EFAULT;
        if (cur != val)
            return -L_EAGAIN;
        t->deadline = 0;
        if (c->a[3]) {
            uint64_t ns;
            long r = read_timespec(t, c->a[3], &ns);
            if (r < 0)
                return r;
            /* FUTEX_WAIT takes a relative time, WAIT_BITSET an absolute one. */
            uint64_t base = op == L_FUTEX_WAIT                   ? psx_now()
                            : (c->a[1] & L_FUTEX_CLOCK_REALTIME) ? psx_now() - realtime_ns()
                                                                 : 0;
            t->deadline = op == L_FUTEX_WAIT ? base + ns : ns + base;
            if (!t->deadline)
                t->deadline = 1;
        }
        c->a[5] = 0;
        futex_key(t->proc, addr, private, t->futex_key);
        t->wait = W_FUTEX;
        return PSX_DEFER;
    }
    case L_FUTEX_WAKE:
    case L_FUTEX_WAKE_BITSET:
        return psx_futex_wake(t->proc, addr, private, (long)val);
    case L_FUTEX_REQUEUE:
    case L_FUTEX_CMP_REQUEUE: {
        uint64_t from[2], to[2];
        if (op == L_FUTEX_CMP_REQUEUE) {
            uint32_t cur;
            if (psx_read(t->proc, addr, &cur, 4) < 0)
                return -L_EFAULT;
            if (cur != (uint32_t)c->a[5])
                return -L_EAGAIN;
        }
        futex_key(t->proc, addr, private, from);
        futex_key(t->proc, c->a[4], private, to);
        long n = wake_key(from, (long)val, to, (long)c->a[3]);
        return op == L_FUTEX_CMP_REQUEUE ? n : (n < (long)val ? n : (long)val);
    }
    default:
        return -L_ENOSYS;
    }
}

long psx_sys_set_robust_list(psx_thread_t *t, psx_call_t *c)
{
    (void)t;
    return c->a[1] == 24 ? 0 : -L_EINVAL;
}

long psx_sys_rseq(psx_thread_t *t, psx_call_t *c)
{
    (void)t;
    (void)c;
    return -L_ENOSYS; /* allowed: libcs fall back */
}

/* ---- poll and select ---- */

static int poll_one(psx_proc_t *p, int fd, int events)
{
    psx_file_t *f = psx_fd_get(p, fd);
    int ready;

    if (fd < 0)
        return 0;
    if (!f)
        return L_POLLNVAL;
    ready = f->ops->poll ? f->ops->poll(f) : L_POLLIN | L_POLLOUT;
    return ready & (events | L_POLLERR | L_POLLHUP | L_POLLNVAL);
}

static long do_poll(psx_thread_t *t, psx_call_t *c, uint64_t ufds, uint64_t nfds,
                    int64_t timeout_ns)
{
    l_pollfd_t *fds;
    long ready = 0;

    if (nfds > (uint64_t)psx_fd_limit(t->proc))
        return -L_EINVAL;
    fds = malloc(nfds * sizeof(*fds) + 1);
    if (!fds)
        return -L_ENOMEM;
    if (psx_read(t->proc, ufds, fds, nfds * sizeof(*fds)) < 0) {
        free(fds);
        return -L_EFAULT;
    }
    for (uint64_t i = 0; i < nfds; i++) {
        fds[i].revents = (int16_t)poll_one(t->proc, fds[i].fd, fds[i].events);
        ready += fds[i].revents != 0;
    }
    if (!ready && t->wait != W_POLL && timeout_ns != 0)
        c->a[5] = timeout_ns < 0 ? 0 : psx_now() + (uint64_t)timeout_ns;
    bool expired = t->wait == W_POLL && c->a[5] && psx_now() >= c->a[5];
    if (!ready && timeout_ns != 0 && !expired && !t->interrupted) {
        free(fds);
        t->wait = W_POLL;
        t->wait_obj = NULL;
        t->deadline = c->a[5];
        return PSX_DEFER;
    }
    long r = psx_write(t->proc, ufds, fds, nfds * sizeof(*fds));
    free(fds);
    if (r < 0)
        return r;
    if (!ready && t->interrupted)
        return -L_EINTR;
    return ready;
}

long psx_sys_poll(psx_thread_t *t, psx_call_t *c)
{
    int64_t ms = (int64_t)(int)c->a[2];

    return do_poll(t, c, c->a[0], c->a[1], ms < 0 ? -1 : ms * 1000000);
}

long psx_sys_ppoll(psx_thread_t *t, psx_call_t *c)
{
    int64_t ns = -1;

    if (c->a[2] && t->wait != W_POLL) {
        uint64_t v;
        long r = read_timespec(t, c->a[2], &v);
        if (r < 0)
            return r;
        ns = (int64_t)v;
    } else if (t->wait == W_POLL) {
        ns = 1; /* already waiting: the deadline is in a[5] */
    }
    return do_poll(t, c, c->a[0], c->a[1], ns);
}

/* select over pollable descriptors, with fd_set bit arrays. */
static long do_select(psx_thread_t *t, psx_call_t *c, uint64_t nfds, uint64_t ur, uint64_t uw,
                      uint64_t ue, int64_t timeout_ns)
{
    uint64_t in[3][PSX_MAX_FDS / 64] = {{0}}, out[3][PSX_MAX_FDS / 64] = {{0}};
    uint64_t u[3] = {ur, uw, ue};
    size_t bytes = (nfds + 63) / 64 * 8;
    long ready = 0;

    if (nfds > PSX_MAX_FDS)
        return -L_EINVAL;
    for (int k = 0; k < 3; k++) {
        if (u[k] && psx_read(t->proc, u[k], in[k], bytes) < 0)
            return -L_EFAULT;
    }
    for (uint64_t fd = 0; fd < nfds; fd++) {
        bool want[3];
        for (int k = 0; k < 3; k++)
            want[k] = in[k][fd / 64] & (1ull << (fd % 64));
        if (!want[0] && !want[1] && !want[2])
            continue;
        if (!psx_fd_get(t->proc, (long)fd))
            return -L_EBADF;
        int r = poll_one(t->proc, (int)fd, L_POLLIN | L_POLLOUT | L_POLLPRI);
        if (want[0] && (r & (L_POLLIN | L_POLLHUP | L_POLLERR)))
            out[0][fd / 64] |= 1ull << (fd % 64), ready++;
        if (want[1] && (r & (L_POLLOUT | L_POLLERR)))
            out[1][fd / 64] |= 1ull << (fd % 64), ready++;
        if (want[2] && (r & L_POLLPRI))
            out[2][fd / 64] |= 1ull << (fd % 64), ready++;
    }
    if (!ready && t->wait != W_POLL && timeout_ns != 0)
        c->a[5] = timeout_ns < 0 ? 0 : psx_now() + (uint64_t)timeout_ns;
    bool expired = t->wait == W_POLL && c->a[5] && psx_now() >= c->a[5];
    if (!ready && timeout_ns != 0 && !expired && !t->interrupted) {
        t->wait = W_POLL;
        t->wait_obj = NULL;
        t->deadline = c->a[5];
        return PSX_DEFER;
    }
    if (!ready && t->interrupted)
        return -L_EINTR;
    for (int k = 0; k < 3; k++) {
        if (u[k] && psx_write(t->proc, u[k], out[k], bytes) < 0)
            return -L_EFAULT;
    }
    return ready;
}

long psx_sys_select(psx_thread_t *t, psx_call_t *c)
{
    int64_t ns = -1;

    if (c->a[4] && t->wait != W_POLL) {
        l_timeval_t tv;
        if (psx_read(t->proc, c->a[4], &tv, sizeof(tv)) < 0)
            return -L_EFAULT;
        if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
            return -L_EINVAL;
        ns = tv.tv_sec * 1000000000 + tv.tv_usec * 1000;
    } else if (t->wait == W_POLL) {
        ns = 1;
    }
    return do_select(t, c, c->a[0], c->a[1], c->a[2], c->a[3], ns);
}

long psx_sys_pselect6(psx_thread_t *t, psx_call_t *c)
{
    int64_t ns = -1;

    if (c->a[4] && t->wait != W_POLL) {
        uint64_t v;
        long r = read_timespec(t, c->a[4], &v);
        if (r < 0)
            return r;
        ns = (int64_t)v;
    } else if (t->wait == W_POLL) {
        ns = 1;
    }
    return do_select(t, c, c->a[0], c->a[1], c->a[2], c->a[3], ns);
}

/* ---- identity, limits, information ---- */

long psx_sys_getuid(psx_thread_t *t, psx_call_t *c)
{
    (void)t;
    (void)c;
    return 0; /* uid 0 and friends: one user */
}

long psx_sys_getresuid(psx_thread_t *t, psx_call_t *c)
{
    uint32_t z = 0;

    for (int i = 0; i < 3; i++) {
        if (psx_write(t->proc, c->a[i], &z, 4) < 0)
            return -L_EFAULT;
    }
    return 0;
}

long psx_sys_getgroups(psx_thread_t *t, psx_call_t *c)
{
    (void)t;
    (void)c;
    return 0;
}

long psx_sys_uname(psx_thread_t *t, psx_call_t *c)
{
    l_utsname_t u;

    memset(&u, 0, sizeof(u));
    strcpy(u.sysname, "Linux");
    strcpy(u.nodename, "persona");
    strcpy(u.release, "6.1.0-persona");
    strcpy(u.version, "#1 Persona POSIX personality");
    strcpy(u.machine, "x86_64");
    strcpy(u.domainname, "(none)");
    return psx_write(t->proc, c->a[0], &u, sizeof(u));
}

long psx_sys_getrandom(psx_thread_t *t, psx_call_t *c)
{
    uint8_t buf[256];
    uint64_t len = c->a[1], done = 0;

    if (c->a[2] & ~7ull)
        return -L_EINVAL;
    while (done < len) {
        size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
        psx_random_bytes(buf, n);
        if (psx_write(t->proc, c->a[0] + done, buf, n) < 0)
            return done ? (long)done : -L_EFAULT;
        done += n;
    }
    return (long)done;
}

long psx_sys_prctl(psx_thread_t *t, psx_call_t *c)
{
    switch (c->a[0]) {
    case 15: { /* PR_SET_NAME */
        char name[16];
        long r = psx_read_string(t->proc, c->a[1], name, sizeof(name));
        if (r == -L_ENAMETOOLONG) {
            if (psx_read(t->proc, c->a[1], name, 15) < 0)
                return -L_EFAULT;
            name[15] = 0;
        } else if (r < 0) {
            return r;
        }
        strlcpy(t->proc->comm, name, sizeof(t->proc->comm));
        return 0;
    }
    case 16: /* PR_GET_NAME */
        return psx_write(t->proc, c->a[1], t->proc->comm, 16);
    case 38: /* PR_SET_NO_NEW_PRIVS */
    case 4:  /* PR_SET_DUMPABLE */
    case 1:  /* PR_SET_PDEATHSIG */
        return 0;
    case 3: /* PR_GET_DUMPABLE */
        return 1;
    case 36: /* PR_SET_CHILD_SUBREAPER */
        t->proc->subreaper = c->a[1] != 0;
        return 0;
    case 37: { /* PR_GET_CHILD_SUBREAPER */
        int32_t v = t->proc->subreaper;
        return psx_write(t->proc, c->a[1], &v, sizeof(v));
    }
    default:
        return -L_EINVAL;
    }
}

long psx_sys_prlimit64(psx_thread_t *t, psx_call_t *c)
{
    psx_proc_t *p = c->a[0] ? psx_find_proc(c->a[0]) : t->proc;
    uint64_t res = c->a[1];

    if (!p)
        return -L_ESRCH;
    if (res >= L_RLIMIT_NLIMITS)
        return -L_EINVAL;
    if (c->a[3] && psx_write(t->proc, c->a[3], &p->rlimits[res], sizeof(l_rlimit_t)) < 0)
        return -L_EFAULT;
    if (c->a[2]) {
        l_rlimit_t n;
        if (psx_read(t->proc, c->a[2], &n, sizeof(n)) < 0)
            return -L_EFAULT;
        if (n.cur > n.max)
            return -L_EINVAL;
        if (n.max > p->rlimits[res].max)
            return -L_EPERM;
        p->rlimits[res] = n;
    }
    return 0;
}

long psx_sys_getrlimit(psx_thread_t *t, psx_call_t *c)
{
    if (c->a[0] >= L_RLIMIT_NLIMITS)
        return -L_EINVAL;
    return psx_write(t->proc, c->a[1], &t->proc->rlimits[c->a[0]], sizeof(l_rlimit_t));
}

long psx_sys_setrlimit(psx_thread_t *t, psx_call_t *c)
{
    psx_call_t c2 = *c;

    c2.a[0] = 0;
    c2.a[1] = c->a[0];
    c2.a[2] = c->a[1];
    c2.a[3] = 0;
    return psx_sys_prlimit64(t, &c2);
}

long psx_sys_sysinfo(psx_thread_t *t, psx_call_t *c)
{
    uint8_t info[112] = {0};
    system_info_t si;
    uint64_t up;
    uint64_t total = 0, free_ = 0, unit = 1;
    uint16_t procs = 0;

    sys_system_info(&si);
    up = (si.uptime_ns + 999999999) / 1000000000; /* a started system has run */
    total = si.total_pages * 4096;
    free_ = si.free_pages * 4096;
    for (psx_proc_t *p = psx.procs; p; p = p->next)
        procs++;
    memcpy(info, &up, 8);
    memcpy(info + 32, &total, 8);
    memcpy(info + 40, &free_, 8);
    memcpy(info + 80, &procs, 2);
    memcpy(info + 104, &unit, 4);
    return psx_write(t->proc, c->a[0], info, sizeof(info));
}

long psx_sys_times(psx_thread_t *t, psx_call_t *c)
{
    int64_t ticks = (int64_t)((psx_now() - psx.boot_ns) / 10000000);
    /* in USER_HZ ticks; all CPU time counts as user time */
    int64_t tms[4] = {(int64_t)(cpu_time(t, false) / 10000000), 0,
                      (int64_t)(t->proc->children_cpu_ns / 10000000), 0};

    if (c->a[0] && psx_write(t->proc, c->a[0], tms, sizeof(tms)) < 0)
        return -L_EFAULT;
    return ticks;
}

long psx_sys_getrusage(psx_thread_t *t, psx_call_t *c)
{
    uint8_t ru[144] = {0};
    int64_t who = (int64_t)c->a[0];

    if (who < -1 || who > 1)
        return -L_EINVAL;
    uint64_t ns = who == -1 ? t->proc->children_cpu_ns : cpu_time(t, who == 1);
    int64_t utime[2] = {(int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000 / 1000)};
    memcpy(ru, utime, sizeof(utime)); /* ru_utime: all of it, as user time */
    return psx_write(t->proc, c->a[1], ru, sizeof(ru));
}

long psx_sys_sched_getaffinity(psx_thread_t *t, psx_call_t *c)
{
    uint64_t mask = 1;

    if (c->a[1] < 8)
        return -L_EINVAL;
    if (psx_write(t->proc, c->a[2], &mask, 8) < 0)
        return -L_EFAULT;
    return 8;
}

long psx_sys_getcpu(psx_thread_t *t, psx_call_t *c)
{
    uint32_t z = 0;

    if (c->a[0] && psx_write(t->proc, c->a[0], &z, 4) < 0)
        return -L_EFAULT;
    if (c->a[1] && psx_write(t->proc, c->a[1], &z, 4) < 0)
        return -L_EFAULT;
    return 0;
}

/* ---- interval timers (ITIMER_REAL) ---- */

uint64_t psx_run_alarms(void)
{
    uint64_t now = psx_now(), next = 0;

    for (psx_proc_t *p = psx.procs; p; p = p->next) {
        if (p->state != P_ALIVE || !p->alarm_at)
            continue;
        if (p->alarm_at <= now) {
            if (p->alarm_every) {
                /* overruns are not queued: one signal, the next period */
                uint64_t late = (now - p->alarm_at) / p->alarm_every + 1;
                p->alarm_at += late * p->alarm_every;
            } else {
                p->alarm_at = 0;
            }
            psx_signal_kernel(p, L_SIGALRM);
        }
        if (p->alarm_at && (!next || p->alarm_at < next))
            next = p->alarm_at;
    }
    psx.alarms_armed = next != 0;
    return next;
}

static void to_timeval(uint64_t ns, l_timeval_t *tv)
{
    tv->tv_sec = (int64_t)(ns / 1000000000);
    tv->tv_usec = (int64_t)(ns % 1000000000 / 1000);
}

static void itimer_get(psx_proc_t *p, l_timeval_t out[2])
{
    uint64_t now = psx_now();

    to_timeval(p->alarm_every, &out[0]);
    to_timeval(p->alarm_at > now ? p->alarm_at - now : p->alarm_at ? 1000 : 0, &out[1]);
}

static bool itimer_supported(uint64_t which)
{
    static bool logged;

    if (which == 0)
        return true;
    if (which <= 2 && !logged) {
        logged = true;
        printf("posix: setitimer/getitimer: ITIMER_VIRTUAL and ITIMER_PROF are not implemented: "
               "ENOSYS\n");
    }
    return false;
}

long psx_sys_getitimer(psx_thread_t *t, psx_call_t *c)
{
    l_timeval_t v[2];

    if (c->a[0] > 2)
        return -L_EINVAL;
    if (!itimer_supported(c->a[0]))
        return -L_ENOSYS;
    itimer_get(t->proc, v);
    return psx_write(t->proc, c->a[1], v, sizeof(v));
}

long psx_sys_setitimer(psx_thread_t *t, psx_call_t *c)
{
    l_timeval_t v[2], old[2];
    psx_proc_t *p = t->proc;

    if (c->a[0] > 2)
        return -L_EINVAL;
    if (!itimer_supported(c->a[0]))
        return -L_ENOSYS;
    memset(v, 0, sizeof(v));
    if (c->a[1] && psx_read(p, c->a[1], v, sizeof(v)) < 0)
        return -L_EFAULT;
    for (int i = 0; i < 2; i++) {
        if (v[i].tv_sec < 0 || v[i].tv_usec < 0 || v[i].tv_usec >= 1000000)
            return -L_EINVAL;
    }
    itimer_get(p, old);
    if (c->a[2] && psx_write(p, c->a[2], old, sizeof(old)) < 0)
        return -L_EFAULT;
    uint64_t value = (uint64_t)v[1].tv_sec * 1000000000 + (uint64_t)v[1].tv_usec * 1000;
    p->alarm_every = (uint64_t)v[0].tv_sec * 1000000000 + (uint64_t)v[0].tv_usec * 1000;
    p->alarm_at = value ? psx_now() + value : 0;
    psx.alarms_armed |= p->alarm_at != 0;
    return 0;
}

long psx_sys_alarm(psx_thread_t *t, psx_call_t *c)
{
    psx_proc_t *p = t->proc;
    uint64_t now = psx_now();
    /* the seconds left, rounded up; a timer about to fire still counts */
    long left = p->alarm_at
                    ? (long)((p->alarm_at > now ? p->alarm_at - now : 0) + 999999999) / 1000000000
                    : 0;

    if (p->alarm_at && !left)
        left = 1;
    p->alarm_every = 0;
    p->alarm_at = c->a[0] ? now + (uint64_t)(uint32_t)c->a[0] * 1000000000 : 0;
    psx.alarms_armed |= p->alarm_at != 0;
    return left;
}

/* ---- scheduling: one CPU, one policy (SCHED_OTHER) ---- */

static psx_proc_t *sched_target(psx_thread_t *t, uint64_t pid)
{
    psx_proc_t *q = pid ? psx_find_proc(pid) : t->proc;

    return q && q->state == P_ALIVE ? q : NULL;
}

long psx_sys_sched_setaffinity(psx_thread_t *t, psx_call_t *c)
{
    uint8_t first = 0;

    if (!sched_target(t, c->a[0]))
        return -L_ESRCH;
    if (c->a[1] == 0)
        return -L_EINVAL;
    if (psx_read(t->proc, c->a[2], &first, 1) < 0)
        return -L_EFAULT;
    return first & 1 ? 0 : -L_EINVAL; /* the set must hold the one CPU */
}

long psx_sys_sched_getscheduler(psx_thread_t *t, psx_call_t *c)
{
    if ((int64_t)c->a[0] < 0)
        return -L_EINVAL;
    return sched_target(t, c->a[0]) ? 0 /* SCHED_OTHER */ : -L_ESRCH;
}

long psx_sys_sched_getparam(psx_thread_t *t, psx_call_t *c)
{
    int32_t prio = 0;

    if ((int64_t)c->a[0] < 0)
        return -L_EINVAL;
    if (!sched_target(t, c->a[0]))
        return -L_ESRCH;
    return psx_write(t->proc, c->a[1], &prio, sizeof(prio));
}

/* getpriority/setpriority over PRIO_PROCESS, PRIO_PGRP and PRIO_USER (one
 * user: every process). The system call answers 20 - nice. */
static bool prio_match(psx_thread_t *t, psx_proc_t *q, uint64_t which, uint64_t who)
{
    if (q->state != P_ALIVE)
        return false;
    switch (which) {
    case 0:
        return q->pid == (who ? who : t->proc->pid);
    case 1:
        return q->pgid == (who ? who : t->proc->pgid);
    default:
        return who == 0;
    }
}

long psx_sys_getpriority(psx_thread_t *t, psx_call_t *c)
{
    int best = 100;

    if (c->a[0] > 2)
        return -L_EINVAL;
    for (psx_proc_t *q = psx.procs; q; q = q->next) {
        if (prio_match(t, q, c->a[0], c->a[1]) && q->nice < best)
            best = q->nice;
    }
    return best == 100 ? -L_ESRCH : 20 - best;
}

long psx_sys_setpriority(psx_thread_t *t, psx_call_t *c)
{
    int nice = (int)c->a[2];
    bool found = false;

    if (c->a[0] > 2)
        return -L_EINVAL;
    nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
    for (psx_proc_t *q = psx.procs; q; q = q->next) {
        if (prio_match(t, q, c->a[0], c->a[1])) {
            q->nice = nice;
            found = true;
        }
    }
    return found ? 0 : -L_ESRCH;
}

long psx_sys_personality(psx_thread_t *t, psx_call_t *c)
{
    uint32_t old = t->proc->persona;

    if ((uint32_t)c->a[0] != 0xffffffffu) {
        if ((c->a[0] & 0xff) != 0) /* PER_LINUX only */
            return -L_EINVAL;
        t->proc->persona = (uint32_t)c->a[0];
    }
    return old;
}
