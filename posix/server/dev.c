/*
 * Files the POSIX server makes up itself: /dev/null, /dev/zero,
 * /dev/urandom (and /dev/random), /dev/tty, and a small /proc:
 * /proc/self and /proc/<pid>/{exe,cmdline,stat,status,comm,fd/}, the system's
 * meminfo, stat, uptime, loadavg, version and cpuinfo,
 * /proc/mounts (the file server's mount table, FS_MOUNTS, each remote
 * mount as its own server describes it). /proc files are generated at
 * open into a buffer and read like files; the directories (/dev, /proc,
 * /proc/<pid>, /proc/<pid>/fd) are listed the same way, their entries
 * made at open. "/" lists dev and proc beside the file server's names.
 */
#include "psx.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define FS_MOUNTS_MAX 16384 /* bytes of the file server's mount records */

/* /proc files about the whole system (system_text). */
static const char *const system_files[] = {"cpuinfo", "loadavg", "meminfo",
                                           "stat",    "uptime",  "version"};

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint32_t lo, hi;

    if (!rng_state) {
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        rng_state = ((uint64_t)hi << 32 | lo) | 1;
    }
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

void psx_random_bytes(uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(rng_next() >> 32);
}

static long null_read(psx_file_t *f, psx_thread_t *t, uint64_t buf, size_t len, int64_t off)
{
    (void)f, (void)t, (void)buf, (void)len, (void)off;
    return 0;
}

static long null_write(psx_file_t *f, psx_thread_t *t, uint64_t buf, size_t len, int64_t off)
{
    (void)f, (void)t, (void)buf, (void)off;
    return (long)len;
}

static long fill_read(psx_file_t *f, psx_thread_t *t, uint64_t buf, size_t len, bool random)
{
    uint8_t tmp[4096];
    size_t done = 0;

    (void)f;
    while (done < len) {
        size_t n = len - done < sizeof(tmp) ? len - done : sizeof(tmp);
        if (random)
            psx_random_bytes(tmp, n);
        else
            memset(tmp, 0, n);
        if (psx_write(t->proc, buf + done, tmp, n) < 0)
            return done ? (long)done : -L_EFAULT;
        done += n;
    }
    return (long)done;
}

static long zero_read(psx_file_t *f, psx_thread_t *t, uint64_t buf, size_t len, int64_t off)
{
    (void)off;
    return fill_read(f, t, buf, len, false);
}

static long random_read(psx_file_t *f, psx_thread_t *t, uint64_t buf, size_t len, int64_t off)
{
    (void)off;
    return fill_read(f, t, buf, len, true);
}

static long chr_stat(psx_file_t *f, l_stat_t *st)
{
    memset(st, 0, sizeof(*st));
    st->st_mode = 0020666;
    st->st_nlink = 1;
    st->st_rdev = (uint64_t)(uintptr_t)f->ops & 0xffff;
    st->st_blksize = 4096;
    return 0;
}

static int always_ready(psx_file_t *f)
{
    (void)f;
    return L_POLLIN | L_POLLOUT;
}

static const psx_file_ops_t null_ops = {"null", null_read,    null_write, chr_stat,
                                        NULL,   always_ready, NULL,       false};
static const psx_file_ops_t zero_ops = {"zero", zero_read,    null_write, chr_stat,
                                        NULL,   always_ready, NULL,       false};
static const psx_file_ops_t random_ops = {"random", random_read,  null_write, chr_stat,
                                          NULL,     always_ready, NULL,       false};

/* Generated files: contents made at open. */
static long data_read(psx_file_t *f, psx_thread_t *t, uint64_t buf, size_t len, int64_t off)
{
    uint64_t pos = off >= 0 ? (uint64_t)off : f->offset;
    size_t n = pos >= f->size ? 0 : f->size - pos;

    if (n > len)
        n = len;
    if (psx_write(t->proc, buf, f->data + pos, n) < 0)
        return -L_EFAULT;
    if (off < 0)
        f->offset += n;
    return (long)n;
}

static long data_stat(psx_file_t *f, l_stat_t *st)
{
    memset(st, 0, sizeof(*st));
    st->st_mode = 0100444;
    st->st_nlink = 1;
    st->st_size = 0; /* as /proc files report */
    st->st_blksize = 1024;
    (void)f;
    return 0;
}

static const psx_file_ops_t data_ops = {"proc", data_read,    NULL, data_stat,
                                        NULL,   always_ready, NULL, true};

static psx_file_t *data_file(char *text, size_t len)
{
    psx_file_t *f = psx_file_new(&data_ops, L_O_RDONLY);

    if (!f) {
        free(text);
        return NULL;
    }
    f->data = (uint8_t *)text;
    f->size = len;
    return f;
}

/* Made-up directories: their entries (pfs_dirent_t records, as a file
 * server sends them) are made at open and kept in f->data; getdents64
 * takes them as one batch (psx_dir_fetch). */
typedef struct {
    uint8_t *buf;
    size_t len, cap;
    uint64_t ino_base;
} dir_build_t;

static bool dir_add(dir_build_t *d, const char *name, uint8_t type)
{
    size_t namelen = strlen(name);
    size_t reclen = (sizeof(pfs_dirent_t) + namelen + 1 + 7) & ~(size_t)7;

    if (d->len + reclen > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 1024;
        while (cap < d->len + reclen)
            cap *= 2;
        uint8_t *b = realloc(d->buf, cap);
        if (!b)
            return false;
        d->buf = b;
        d->cap = cap;
    }
    pfs_dirent_t *e = (pfs_dirent_t *)(d->buf + d->len);
    memset(e, 0, reclen);
    e->ino = d->ino_base + d->len;
    e->reclen = (uint16_t)reclen;
    e->type = type;
    e->namelen = (uint8_t)namelen;
    memcpy(e->name, name, namelen + 1);
    d->len += reclen;
    return true;
}

static long dir_stat(psx_file_t *f, l_stat_t *st)
{
    memset(st, 0, sizeof(*st));
    st->st_ino = (uint64_t)(uintptr_t)f->data;
    st->st_mode = 040555;
    st->st_nlink = 2;
    st->st_blksize = 1024;
    return 0;
}

static const psx_file_ops_t dir_ops = {"procdir", NULL,         NULL, dir_stat,
                                       NULL,      always_ready, NULL, true};

static psx_file_t *dir_file(dir_build_t *d, bool ok, const char *path)
{
    psx_file_t *f = ok ? psx_file_new(&dir_ops, L_O_RDONLY) : NULL;

    if (!f) {
        free(d->buf);
        return NULL;
    }
    f->is_dir = true;
    f->data = d->buf ? d->buf : malloc(1);
    f->size = d->len;
    f->path = strdup(path);
    return f;
}

long psx_dir_fetch(psx_file_t *f)
{
    static const char *const root_extra[] = {"dev", "proc"};

    if (f->ops == &dir_ops) {
        /* Whole records from where the last batch ended (dir_cookie). */
        size_t at = f->dir_cookie < f->size ? f->dir_cookie : f->size, n = 0;
        while (at + n < f->size) {
            const pfs_dirent_t *e = (const pfs_dirent_t *)(f->data + at + n);
            if (n + e->reclen > PSX_DIRBUF)
                break;
            n += e->reclen;
        }
        memcpy(f->dirbuf, f->data + at, n);
        f->dir_cookie = at + n;
        f->dir_done = f->dir_cookie >= f->size;
        return (long)n;
    }
    if (f->path && !strcmp(f->path, "/") && !f->dir_extras) {
        dir_build_t d = {.ino_base = 0xD1000};
        bool ok = true;
        for (size_t i = 0; i < sizeof(root_extra) / sizeof(root_extra[0]); i++)
            ok = ok && dir_add(&d, root_extra[i], PFS_DT_DIR);
        if (!ok) {
            free(d.buf);
            return -L_ENOMEM;
        }
        memcpy(f->dirbuf, d.buf, d.len);
        free(d.buf);
        f->dir_extras = true;
        return (long)d.len;
    }
    long n = file_readdir(&f->file, &f->dir_cookie, f->dirbuf, PSX_DIRBUF);
    if (n < 0)
        return psx_errno(n);
    if (!f->dir_cookie)
        f->dir_done = true;
    return n;
}

static psx_file_t *dev_dir(void)
{
    static const char *const names[] = {"console", "null", "random", "tty", "urandom", "zero"};
    dir_build_t d = {.ino_base = 0xDE0000};
    bool ok = dir_add(&d, ".", PFS_DT_DIR) && dir_add(&d, "..", PFS_DT_DIR);

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        ok = ok && dir_add(&d, names[i], PFS_DT_CHR);
    return dir_file(&d, ok, "/dev");
}

static psx_file_t *proc_dir(void)
{
    dir_build_t d = {.ino_base = 0xF00000};
    bool ok = dir_add(&d, ".", PFS_DT_DIR) && dir_add(&d, "..", PFS_DT_DIR) &&
              dir_add(&d, "mounts", PFS_DT_REG) && dir_add(&d, "self", PFS_DT_LNK);
    for (size_t i = 0; i < sizeof(system_files) / sizeof(system_files[0]); i++)
        ok = ok && dir_add(&d, system_files[i], PFS_DT_REG);

    for (psx_proc_t *q = psx.procs; q && ok; q = q->next) {
        char name[24];
        if (q->state != P_ALIVE)
            continue;
        snprintf(name, sizeof(name), "%llu", (unsigned long long)q->pid);
        ok = dir_add(&d, name, PFS_DT_DIR);
    }
    return dir_file(&d, ok, "/proc");
}

static psx_file_t *pid_dir(psx_proc_t *q, bool fds)
{
    static const char *const files[] = {"cmdline", "comm", "mounts", "stat", "status"};
    char path[48];
    dir_build_t d = {.ino_base = (q->pid + 1) << 24 | (fds ? 1u << 20 : 0)};
    bool ok = dir_add(&d, ".", PFS_DT_DIR) && dir_add(&d, "..", PFS_DT_DIR);

    if (fds) {
        for (int fd = 0; fd < PSX_MAX_FDS && ok; fd++) {
            char name[16];
            if (!psx_fd_get(q, fd))
                continue;
            snprintf(name, sizeof(name), "%d", fd);
            ok = dir_add(&d, name, PFS_DT_LNK);
        }
    } else {
        ok = ok && dir_add(&d, "exe", PFS_DT_LNK) && dir_add(&d, "fd", PFS_DT_DIR);
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
            ok = ok && dir_add(&d, files[i], PFS_DT_REG);
    }
    snprintf(path, sizeof(path), "/proc/%llu%s", (unsigned long long)q->pid, fds ? "/fd" : "");
    return dir_file(&d, ok, path);
}

static char *proc_status_text(psx_proc_t *q, size_t *len)
{
    char *s = malloc(512);
    process_info_t info;

    if (!s)
        return NULL;
    if (sys_process_info(q->proc, &info) < 0)
        memset(&info, 0, sizeof(info));
    *len = (size_t)snprintf(s, 512,
                            "Name:\t%s\nState:\t%s\nTgid:\t%llu\nPid:\t%llu\nPPid:\t%llu\n"
                            "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nVmRSS:\t%llu kB\n"
                            "Threads:\t%u\n",
                            q->comm, q->state == P_ALIVE ? "R (running)" : "Z (zombie)",
                            (unsigned long long)q->pid, (unsigned long long)q->pid,
                            (unsigned long long)q->ppid,
                            (unsigned long long)(info.memory_pages * 4), info.threads);
    return s;
}

/* A growing text for the system-wide /proc files. */
typedef struct {
    char *s;
    size_t len, cap;
} text_t;

static void put(text_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text_t *t, const char *fmt, ...)
{
    va_list ap;
    char line[256];

    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n < 0 || !t->s)
        return;
    if ((size_t)n >= sizeof(line))
        n = sizeof(line) - 1;
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = (t->cap ? t->cap : 1024) * 2;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *s = realloc(t->s, cap);
        if (!s) {
            free(t->s);
            t->s = NULL;
            return;
        }
        t->s = s;
        t->cap = cap;
    }
    memcpy(t->s + t->len, line, (size_t)n + 1);
    t->len += (size_t)n;
}

/* Every process's CPU time, in 1/100 s (Linux's USER_HZ). */
static uint64_t busy_ticks(uint64_t *nprocs)
{
    static process_info_t list[256];
    size_t total = 0;
    long n = sys_process_list(list, 256, &total);
    uint64_t ns = 0;

    for (long i = 0; i < n; i++)
        ns += list[i].cpu_ns;
    *nprocs = n > 0 ? (uint64_t)n : 0;
    return ns / 10000000;
}

/* /proc/meminfo, stat, uptime, loadavg, version, cpuinfo: the whole
 * system's figures (executive's system_info and process list), in the
 * layouts Linux tools parse. */
static char *system_text(const char *name, size_t *len)
{
    text_t t = {malloc(1024), 0, 1024};
    system_info_t si;
    uint64_t nprocs = 0;

    if (!t.s || sys_system_info(&si) < 0) {
        free(t.s);
        return NULL;
    }
    t.s[0] = 0;
    uint64_t up_ticks = si.uptime_ns / 10000000, busy = busy_ticks(&nprocs);
    uint64_t idle = up_ticks > busy ? up_ticks - busy : 0;
    if (!strcmp(name, "meminfo")) {
        uint64_t total = si.total_pages * 4, free_kib = si.free_pages * 4;
        put(&t, "MemTotal:       %8llu kB\n", (unsigned long long)total);
        put(&t, "MemFree:        %8llu kB\n", (unsigned long long)free_kib);
        put(&t, "MemAvailable:   %8llu kB\n", (unsigned long long)free_kib);
        put(&t, "Buffers:               0 kB\nCached:                0 kB\n");
        put(&t, "SwapCached:            0 kB\nShmem:                 0 kB\n");
        put(&t, "SwapTotal:             0 kB\nSwapFree:              0 kB\n");
    } else if (!strcmp(name, "stat")) {
        put(&t, "cpu  %llu 0 0 %llu 0 0 0 0 0 0\n", (unsigned long long)busy,
            (unsigned long long)idle);
        put(&t, "cpu0 %llu 0 0 %llu 0 0 0 0 0 0\n", (unsigned long long)busy,
            (unsigned long long)idle);
        uint64_t now = 0;
        sys_clock_get(CLOCK_REALTIME_NS, &now);
        put(&t, "btime %llu\n", (unsigned long long)((now - si.uptime_ns) / 1000000000));
        put(&t, "processes %llu\nprocs_running 1\nprocs_blocked 0\n", (unsigned long long)nprocs);
    } else if (!strcmp(name, "uptime")) {
        put(&t, "%llu.%02llu %llu.%02llu\n", (unsigned long long)(up_ticks / 100),
            (unsigned long long)(up_ticks % 100), (unsigned long long)(idle / 100),
            (unsigned long long)(idle % 100));
    } else if (!strcmp(name, "loadavg")) {
        uint64_t last = 0;
        for (psx_proc_t *q = psx.procs; q; q = q->next)
            last = q->pid > last ? q->pid : last;
        put(&t, "0.00 0.00 0.00 1/%llu %llu\n", (unsigned long long)si.threads,
            (unsigned long long)last);
    } else if (!strcmp(name, "version")) {
        put(&t, "Linux version 6.1.0-persona (Persona POSIX personality) #1\n");
    } else if (!strcmp(name, "cpuinfo")) {
        put(&t, "processor\t: 0\nvendor_id\t: Persona\nmodel name\t: x86_64 under QEMU\n");
        put(&t, "cpu MHz\t\t: %llu.000\n\n", (unsigned long long)(si.tsc_khz / 1000));
    } else {
        free(t.s);
        return NULL;
    }
    if (t.s)
        *len = t.len;
    return t.s;
}

/* "/proc/self/x" and "/proc/<pid>/x": the process and x. */
static psx_proc_t *proc_target(psx_proc_t *p, const char *path, const char **rest)
{
    const char *s = path + 6; /* after "/proc/" */
    uint64_t pid;
    psx_proc_t *q;

    if (!strncmp(s, "self", 4) && (s[4] == '/' || !s[4])) {
        *rest = s[4] ? s + 5 : "";
        return p;
    }
    if (*s < '0' || *s > '9')
        return NULL;
    pid = strtoul(s, (char **)rest, 10);
    q = psx_find_proc(pid);
    if (**rest == '/')
        (*rest)++;
    else if (**rest)
        return NULL;
    return q;
}

static char *proc_stat_text(psx_proc_t *q, size_t *len)
{
    char *s = malloc(512);

    if (!s)
        return NULL;
    process_info_t info;
    sys_process_info(q->proc, &info);
    *len =
        (size_t)snprintf(s, 512,
                         "%llu (%s) %c %llu %llu %llu 0 -1 4194304 0 0 0 0 %llu 0 0 0 20 0 %u 0 "
                         "%llu %llu 0\n",
                         (unsigned long long)q->pid, q->comm, q->state == P_ALIVE ? 'R' : 'Z',
                         (unsigned long long)q->ppid, (unsigned long long)q->pgid,
                         (unsigned long long)q->sid, (unsigned long long)(info.cpu_ns / 10000000),
                         info.threads, (unsigned long long)((q->start_ns - psx.boot_ns) / 10000000),
                         (unsigned long long)(info.memory_pages * 4096));
    return s;
}

/* What Linux calls the file systems (the statfs types of Persona's and the
 * trees made up here), and their statfs magic numbers. The boot image is
 * a read-only image like Linux's romfs. */
static const psx_fs_kind_t fs_kinds[] = {
    {"bootfs", "bootfs", 0x7275},
    {"ramfs", "ramfs", (int64_t)0x858458f6},
    {"fat12", "vfat", 0x4d44},
    {"fat16", "vfat", 0x4d44},
    {"fat32", "vfat", 0x4d44},
    {"proc", "proc", 0x9fa0},
    {"devtmpfs", "devtmpfs", 0x01021994},
    {"pipefs", "pipefs", 0x50495045},
};

const psx_fs_kind_t *psx_fs_kind(const char *type)
{
    static psx_fs_kind_t other;

    for (size_t i = 0; i < sizeof(fs_kinds) / sizeof(fs_kinds[0]); i++) {
        if (!strcmp(fs_kinds[i].type, type))
            return &fs_kinds[i];
    }
    other.type = other.linux_name = "unknown";
    return &other;
}

/* A mount table field: blanks and backslashes as octal escapes. */
static size_t put_field(char *out, size_t size, size_t o, const char *s)
{
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
            o += (size_t)snprintf(out + o, o < size ? size - o : 0, "\\%03o", (unsigned)*s);
        else if (o + 1 < size)
            out[o++] = *s;
        else
            o++;
    }
    return o;
}

static size_t put_mount(char *out, size_t size, size_t o, const char *dev, const char *path,
                        const char *type, bool ro)
{
    o = put_field(out, size, o, dev);
    o += (size_t)snprintf(out + o, o < size ? size - o : 0, " ");
    o = put_field(out, size, o, path);
    o += (size_t)snprintf(out + o, o < size ? size - o : 0, " %s %s 0 0\n", type, ro ? "ro" : "rw");
    return o;
}

/* /proc/mounts: the file server's mounts, with what the servers of remote
 * ones say of themselves (a remote mount whose server is not there is
 * left out), then the trees made up here. */
static char *mounts_text(size_t *len)
{
    size_t size = 8192, o = 0;
    uint8_t *recs = malloc(FS_MOUNTS_MAX);
    char *out = malloc(size);
    long n = recs && out ? file_mounts(recs, FS_MOUNTS_MAX) : -1;

    for (long at = 0; n > 0 && at + (long)sizeof(pfs_mount_t) <= n;) {
        const pfs_mount_t *m = (const pfs_mount_t *)(recs + at);
        if (m->reclen < sizeof(pfs_mount_t) || at + m->reclen > n)
            break;
        char type[sizeof(m->type) + 1] = {0};
        memcpy(type, m->type, sizeof(m->type));
        bool ro = m->flags & PFS_MOUNT_READ_ONLY;
        const char *dev = type;
        char port[sizeof(m->port) + 1] = {0};
        pfs_statfs_t s;
        if (m->flags & PFS_MOUNT_REMOTE) {
            memcpy(port, m->port, sizeof(m->port));
            dev = port;
            if (file_statfs(m->path, &s) < 0) {
                at += m->reclen;
                continue;
            }
            memcpy(type, s.type, sizeof(s.type));
            ro = s.flags & PFS_STATFS_READ_ONLY;
        }
        const psx_fs_kind_t *k = psx_fs_kind(type);
        o = put_mount(out, size, o, m->flags & PFS_MOUNT_REMOTE ? dev : k->linux_name, m->path,
                      k->linux_name, ro);
        at += m->reclen;
    }
    free(recs);
    if (!out)
        return NULL;
    o = put_mount(out, size, o, "proc", "/proc", "proc", false);
    o = put_mount(out, size, o, "devtmpfs", "/dev", "devtmpfs", false);
    *len = o < size ? o : size - 1;
    out[*len] = 0;
    return out;
}

static psx_file_t *dev_open(psx_proc_t *p, const char *path, uint32_t flags, long *err)
{
    const char *rest;
    psx_proc_t *q;

    (void)flags;
    *err = 0;
    if (!strcmp(path, "/dev/null"))
        return psx_file_new(&null_ops, L_O_RDWR);
    if (!strcmp(path, "/dev/zero"))
        return psx_file_new(&zero_ops, L_O_RDWR);
    if (!strcmp(path, "/dev/urandom") || !strcmp(path, "/dev/random"))
        return psx_file_new(&random_ops, L_O_RDWR);
    if (!strcmp(path, "/dev/tty") && p->no_ctty) {
        *err = -L_ENXIO; /* no controlling terminal */
        return NULL;
    }
    if (!strcmp(path, "/dev/tty") || !strcmp(path, "/dev/console"))
        return psx_tty_open();
    if (!strcmp(path, "/dev"))
        return dev_dir();
    if (!strcmp(path, "/proc"))
        return proc_dir();
    if (!strcmp(path, "/proc/mounts")) {
        size_t len;
        char *s = mounts_text(&len);
        return s ? data_file(s, len) : NULL;
    }
    if (strncmp(path, "/proc/", 6))
        return NULL;
    for (size_t i = 0; i < sizeof(system_files) / sizeof(system_files[0]); i++) {
        if (!strcmp(path + 6, system_files[i])) {
            size_t len = 0;
            char *s = system_text(system_files[i], &len);
            return s ? data_file(s, len) : NULL;
        }
    }
    q = proc_target(p, path, &rest);
    if (!q) {
        *err = -L_ENOENT;
        return NULL;
    }
    if (!strcmp(rest, "exe")) {
        psx_file_t *f;
        *err = psx_open_path(p, q->exe, flags & ~(uint32_t)L_O_NOFOLLOW, 0, &f);
        return *err ? NULL : f;
    }
    if (!strcmp(rest, "cmdline")) {
        char *s = malloc(q->cmdline_len + 1);
        if (!s)
            return NULL;
        memcpy(s, q->cmdline, q->cmdline_len);
        return data_file(s, q->cmdline_len);
    }
    if (!strcmp(rest, "stat")) {
        size_t len;
        char *s = proc_stat_text(q, &len);
        return s ? data_file(s, len) : NULL;
    }
    if (!*rest || !strcmp(rest, "fd"))
        return pid_dir(q, *rest != 0);
    if (!strcmp(rest, "status")) {
        size_t len;
        char *s = proc_status_text(q, &len);
        return s ? data_file(s, len) : NULL;
    }
    if (!strcmp(rest, "mounts")) {
        size_t len;
        char *s = mounts_text(&len);
        return s ? data_file(s, len) : NULL;
    }
    if (!strcmp(rest, "comm")) {
        char *s = malloc(32);
        if (!s)
            return NULL;
        size_t len = (size_t)snprintf(s, 32, "%s\n", q->comm);
        return data_file(s, len);
    }
    *err = -L_ENOENT;
    return NULL;
}

psx_file_t *psx_dev_open(psx_proc_t *p, const char *path, uint32_t flags, long *err)
{
    psx_file_t *f = dev_open(p, path, flags, err);

    /* The made-up files and directories are read-only. */
    if (f && (f->ops == &dir_ops || f->ops == &data_ops) && (flags & L_O_ACCMODE) != L_O_RDONLY) {
        *err = f->ops == &dir_ops ? -L_EISDIR : -L_EACCES;
        psx_file_unref(f);
        return NULL;
    }
    return f;
}

/* readlink() on /proc links. Returns 1 if path was one (result in buf). */
int psx_proc_readlink(psx_proc_t *p, const char *path, char *buf, size_t size, long *len)
{
    const char *rest;
    psx_proc_t *q;

    if (!strcmp(path, "/proc/self")) {
        *len = snprintf(buf, size, "%llu", (unsigned long long)p->pid);
        return 1;
    }
    if (strncmp(path, "/proc/", 6) || !(q = proc_target(p, path, &rest)))
        return 0;
    if (!strcmp(rest, "exe")) {
        *len = (long)strlcpy(buf, q->exe, size);
        return 1;
    }
    if (!strncmp(rest, "fd/", 3)) {
        psx_file_t *f = psx_fd_get(q, strtol(rest + 3, NULL, 10));
        if (!f) {
            *len = -L_ENOENT;
            return 1;
        }
        *len = (long)strlcpy(buf, f->path ? f->path : "pipe:", size);
        return 1;
    }
    return 0;
}
