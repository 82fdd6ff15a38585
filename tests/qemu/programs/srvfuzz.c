/*
 * Server-protocol fuzzer. For each server it runs worker processes (clones
 * of itself) that connect to the server's port through the framework's
 * client calls (srv_connect) and send random and protocol-aware requests:
 * every call of the server's list plus the framework's and the
 * personality calls and random labels; words that are valid, invalid or
 * huge; file ids that are open, closed or made up; offsets and lengths in
 * and out of the shared buffer; paths in the buffer that are good,
 * unterminated, too long, full of '/', '..' or bytes 0x80-0xff; handles
 * attached or not; shared buffers of odd sizes attached by hand; several
 * connections at once, reconnections, workers that end in the middle, and
 * (in some workers) a second thread that scribbles over the shared buffer
 * while the server reads it.
 *
 * After each worker the supervisor checks with smss that the server was
 * not restarted and that it still answers SRV_PING; a call unanswered for
 * CALL_TIMEOUT is a hang. Either failure names the server, the seed and
 * the worker, and the last call sent. Files are made only under a scratch
 * directory (/tmp/srvfuzz, and srvfuzz at the root of the FAT server's
 * disk), emptied after each worker.
 *
 *   srvfuzz [-v] [CALLS] [SEED] [SERVER...]
 *
 * CALLS per server (default 20000), SEED (default 1); the servers by
 * smss name: console fs fat blk0 smss dos posix (default: all but posix).
 * A server's run depends only on CALLS, SEED and its name, so a failure
 * replays with `srvfuzz CALLS SEED SERVER`. Servers without a port (fat
 * and blk0 without a disk) are skipped.
 *
 * Never sent, because their purpose is to change the session, not to
 * serve a request: SMSS_SHUTDOWN (powers off), SMSS_CRASH with a server's
 * name (it kills that server; names matching no server are sent),
 * CON_SET_INTR (takes the shell's Ctrl-C and cannot be given back), and a
 * CON_READ that would be served (it would eat the session's typed input;
 * reads the console refuses are sent). BLK_WRITE goes only with arguments
 * the driver must refuse or with no sectors, so the disk under the FAT
 * server never changes; PERS_SPAWN names no program that exists.
 */
#include "../../../dos/persona/protocol.h"
#include "../../../subsystems/console/console.h"
#include "../../../subsystems/fs/fs_calls.h"
#include "../../../subsystems/smss/smss.h"
#include <native/file.h>
#include <native/ipc.h>
#include <native/runtime.h>
#include <native/spawn.h>
#include <persona/blk.h>
#include <persona/personality.h>
#include <stdbool.h>
#include <string.h>

#define MS           1000000ull
#define CALL_TIMEOUT (10000 * MS)
#define NCONN        3
#define NIDS         64
#define FAIL_HANG    3
#define FAIL_DIED    4

enum kind { K_CONSOLE, K_FS, K_FAT, K_BLK, K_SMSS, K_DOS, K_POSIX };

typedef struct target {
    const char *name; /* smss's name for it */
    const char *port;
    enum kind kind;
    bool fuzz_default;
} target_t;

static const target_t targets[] = {
    {"console", "Console", K_CONSOLE, true},
    {"fs", "Fs", K_FS, true},
    {"fat", "Fat", K_FAT, true},
    {"blk0", "Blk0", K_BLK, true},
    {"smss", "Smss", K_SMSS, true},
    {"dos", "Dos", K_DOS, true},
    {"posix", "Posix", K_POSIX, false},
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

/* Shared between the supervisor and its workers (a section both map). */
typedef struct shared {
    volatile uint64_t calls;
    volatile uint64_t target;
    volatile uint32_t last_label;
    volatile uint32_t last_flags;
    volatile uint64_t last_w[8];
    volatile uint8_t last_buf[48];
    volatile uint64_t last_bufsize;
    volatile long last_status;
    volatile uint64_t seed;
    volatile uint32_t ok[32], sent[32]; /* per call label below 32: replies >= 0, calls */
} shared_t;

static shared_t *shared;
static bool verbose; /* -v: how many calls of each label succeeded */
static const target_t *tgt;
static uint64_t rng;

/* The worker's state. */
static srv_conn_t conns[NCONN];
static uint64_t ids[NIDS]; /* file ids the server gave us (open or closed) */
static bool id_open[NIDS];
static unsigned nids;
static uint64_t cookies[8];
static handle_t port_pool[4]; /* ports of ours, to attach */
#define NEXTRA 8
static uint8_t *extras[NEXTRA]; /* sections attached by hand (SRV_ATTACH), mapped here */
static uint64_t extra_sizes[NEXTRA];
static unsigned nextras;
static uint8_t *extra_buffer; /* the one the last SRV_ATTACH sent */
static uint64_t extra_size;
static char scratch[64];         /* our directory, in the server's namespace */
static volatile bool scribbling; /* the second thread writes over conns[0]'s buffer */

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t below(uint64_t n)
{
    return n ? next() % n : 0;
}

static bool chance(unsigned one_in)
{
    return below(one_in) == 0;
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;

    while (*s)
        h = (h ^ (uint8_t)*s++) * 1099511628211ull;
    return h;
}

static void seed_rng(uint64_t seed, uint64_t worker)
{
    rng = (seed * 0x9E3779B97F4A7C15ull) ^ hash(tgt->name) ^ (worker * 0xD1B54A32D192ED03ull);
    if (!rng)
        rng = 1;
    for (int i = 0; i < 8; i++)
        next();
}

/* ---- values ---- */

static uint64_t odd_value(void)
{
    static const uint64_t v[] = {0,          1,
                                 2,          7,
                                 8,          511,
                                 512,        4095,
                                 4096,       4097,
                                 65535,      65536,
                                 65537,      0x7fffffff,
                                 0x80000000, 0xffffffff,
                                 1ull << 32, (1ull << 32) + 1,
                                 1ull << 40, 0x7fffffffffffffff,
                                 1ull << 63, ~0ull,
                                 ~0ull - 1,  ~0ull - 4095};

    return v[below(sizeof(v) / sizeof(v[0]))];
}

/* The buffer the server now uses for us: the one attached last. */
static uint8_t *cur_buf;
static uint64_t cur_size;

static uint64_t word(void)
{
    switch (below(8)) {
    case 0:
        return 0;
    case 1:
        return below(16);
    case 2:
    case 3:
        return odd_value();
    case 4:
        return cur_size + below(3) - 1;
    case 5:
        return below(cur_size + 1);
    case 6:
        return nids ? ids[below(nids)] : below(32);
    default:
        return next();
    }
}

static uint64_t file_id(void)
{
    unsigned i;

    switch (below(10)) {
    case 0:
        return 0;
    case 1:
        return odd_value();
    case 2:
        return below(2048);
    case 3:
        return nids ? ids[below(nids)] + (1ull << 32) : 1ull << 32;
    default:
        if (!nids)
            return 1 + below(4);
        /* mostly one that is open, if any */
        i = (unsigned)below(nids);
        for (unsigned k = 0; k < nids && !id_open[i]; k++)
            i = (i + 1) % nids;
        return ids[i];
    }
}

static void remember_id(uint64_t id)
{
    for (unsigned i = 0; i < nids; i++) {
        if (ids[i] == id) {
            id_open[i] = true;
            return;
        }
    }
    unsigned i = nids < NIDS ? nids++ : (unsigned)below(NIDS);
    ids[i] = id;
    id_open[i] = true;
}

static void forget_id(uint64_t id)
{
    for (unsigned i = 0; i < nids; i++) {
        if (ids[i] == id)
            id_open[i] = false;
    }
}

/* ---- paths ---- */

static const char *const names[] = {"a",        "b",       "A",
                                    "dir",      "f.txt",   "LONGFILENAME.TXT",
                                    "x y",      "\x80",    "\xff\xfe",
                                    "caf\xe9",  "con",     "AUX",
                                    ".",        "..",      "...",
                                    "a.b.c",    ".hidden", "trailing.",
                                    " lead",    "COM1",    "e\xe5\xe5.TX",
                                    "*",        "?.?",     "name;1",
                                    "a\\b",     "d.dir",   "Mixed.Case",
                                    "x",        "sub",     "12345678.123",
                                    "123456789"};

/* Appends s at b[*n] (within max). */
static void put(char *b, size_t *n, size_t max, const char *s)
{
    while (*s && *n < max)
        b[(*n)++] = *s++;
}

static void put_name(char *b, size_t *n, size_t max)
{
    switch (below(12)) {
    case 0: { /* a long name: 200..300 bytes */
        size_t len = 200 + below(101);
        for (size_t i = 0; i < len && *n < max; i++)
            b[(*n)++] = (char)('a' + i % 26);
        break;
    }
    case 1: { /* random bytes, never NUL or '/' */
        size_t len = 1 + below(12);
        for (size_t i = 0; i < len && *n < max; i++) {
            char c = (char)(1 + below(255));
            b[(*n)++] = c == '/' ? '_' : c;
        }
        break;
    }
    case 2:
    case 3:
    case 4:
        put(b, n, max, names[below(sizeof(names) / sizeof(names[0]))]);
        break;
    default: /* a few names, so that most calls meet something that exists */
        put(b, n, max, names[below(5)]);
    }
}

/* A path under our scratch directory: the ones that may change things. */
static size_t scratch_path(char *b, size_t max)
{
    size_t n = 0;

    put(b, &n, max, scratch);
    for (unsigned depth = chance(2) ? 1 : 1 + (unsigned)below(3); depth--;) {
        put(b, &n, max, chance(8) ? "//" : "/");
        put_name(b, &n, max);
    }
    if (chance(10))
        put(b, &n, max, "/");
    return n;
}

/*
 * A path of any kind, with NUL written after it unless it is meant to be
 * unterminated; returns its length. mutating: a call that may change the
 * file system, kept to the scratch directory (or to names it must refuse).
 */
static size_t any_path(char *b, size_t max, bool mutating)
{
    static const char *const fs_known[] = {
        "/",       "/etc",         "/etc/smss.conf", "/tmp",   "/run",         "/c",
        "/c/",     "/bin/shell",   "/sbin",          "/tests", "/tmp/srvfuzz", "/../../etc",
        "/c/../c", "/tmp/./../tmp"};
    static const char *const fat_known[] = {"/", "/srvfuzz", "/..", "//", "/./.", "/../.."};
    static const char *const fs_ro[] = {"/etc/smss.conf", "/bin/shell", "/etc", "/tests/hello"};
    size_t n = 0;

    if (max < 2)
        return 0;
    switch (below(16)) {
    case 0: /* a known name, or one that must be refused */
        if (tgt->kind == K_FAT)
            put(b, &n, max, fat_known[below(sizeof(fat_known) / sizeof(fat_known[0]))]);
        else if (mutating)
            put(b, &n, max, fs_known[below(sizeof(fs_known) / sizeof(fs_known[0]))]);
        else
            put(b, &n, max, fs_ro[below(sizeof(fs_ro) / sizeof(fs_ro[0]))]);
        break;
    case 1: /* empty, relative, all slashes */
        switch (below(4)) {
        case 0:
            break;
        case 1:
            put(b, &n, max, "a/b");
            break;
        default:
            for (size_t k = 1 + below(300); k--;)
                put(b, &n, max, "/");
        }
        break;
    case 2: /* climbing out of the scratch directory */
        put(b, &n, max, scratch);
        for (size_t k = 1 + below(8); k--;)
            put(b, &n, max, chance(3) ? "/." : "/..");
        if (chance(2))
            put(b, &n, max, "/srvfuzz");
        break;
    case 3: { /* too long: around PFS_PATH_MAX, or to the buffer's end */
        size_t len = chance(2) ? PFS_PATH_MAX - 2 + below(4) : max - 1 - below(2);
        put(b, &n, max, scratch);
        while (n < len && n < max - 1)
            b[n++] = chance(8) ? '/' : 'a';
        break;
    }
    case 4: { /* deep */
        put(b, &n, max, scratch);
        for (size_t k = below(600); k-- && n < max - 4;)
            put(b, &n, max, chance(2) ? "/a" : "/..");
        break;
    }
    case 5: /* unterminated: no NUL before the buffer's end */
        n = scratch_path(b, max);
        while (n < max)
            b[n++] = (char)(chance(4) ? 0x80 + below(128) : 'z');
        return max;
    default:
        n = scratch_path(b, max);
    }
    if (n >= max)
        n = max - 1;
    b[n] = 0;
    return n;
}

/* ---- connections ---- */

static srv_conn_t *pick_conn(void)
{
    srv_conn_t *c = &conns[below(NCONN)];

    if (!c->port || chance(4))
        c = &conns[0];
    return c;
}

static uint64_t buffer_size_choice(void)
{
    static const uint64_t v[] = {4096, 8192, 16384, 65536, 131072};

    return chance(8) ? 0 : v[below(sizeof(v) / sizeof(v[0]))];
}

static void attach_as_current(srv_conn_t *c)
{
    if (c->buffer) {
        cur_buf = c->buffer;
        cur_size = c->buffer_size;
    }
}

static long connect(srv_conn_t *c, uint64_t size)
{
    long st = srv_connect(tgt->port, size, c);

    if (st >= 0)
        attach_as_current(c);
    return st;
}

/* SRV_ATTACH by hand: odd sizes, sections of the wrong size, no handle,
 * handles of the wrong type. The sections stay mapped here: the server may
 * use one after we have moved on. */
static void fuzz_attach(ipc_msg_t *m, uint32_t *flags)
{
    uint64_t size = (1 + below(8)) * 4096;
    handle_t sec;

    extra_buffer = NULL;
    m->w[0] = chance(3) ? size : chance(2) ? odd_value() : size + below(4096) - 2048;
    *flags = IPC_FLAG_HANDLE;
    switch (below(6)) {
    case 0:
        *flags = 0;
        m->w[7] = next();
        break;
    case 1:
        m->w[7] = port_pool[below(4)];
        break;
    case 2:
        m->w[7] = HANDLE_SELF_PROCESS;
        break;
    default: {
        uint64_t addr = 0;
        if (nextras == NEXTRA) {
            m->w[7] = port_pool[0];
            break;
        }
        if (sys_section_create(size, &sec) < 0)
            break;
        m->w[7] = sec; /* it goes with the message */
        if (sys_vm_map(HANDLE_SELF_PROCESS, &addr, size, PROT_R | PROT_W, 0, sec, 0) == ST_OK) {
            extras[nextras] = extra_buffer = (uint8_t *)addr;
            extra_sizes[nextras++] = extra_size = size;
        }
    }
    }
}

/* ---- per-server requests ---- */

static uint32_t random_label(void)
{
    switch (below(6)) {
    case 0:
        return (uint32_t)below(64);
    case 1:
        return SRV_CALL_MAX - 2 + (uint32_t)below(8);
    case 2:
        return PERS_CALL_BASE + (uint32_t)below(8);
    case 3:
        return IPC_LABEL_KERNEL - 1 - (uint32_t)below(2);
    default:
        return (uint32_t)next();
    }
}

/* Labels never sent (see the top of the file); the request makers keep
 * CON_READ, SMSS_CRASH and BLK_WRITE harmless. */
static bool forbidden(uint32_t label)
{
    return (tgt->kind == K_SMSS && label == SMSS_SHUTDOWN) ||
           (tgt->kind == K_CONSOLE && label == CON_SET_INTR);
}

static void fill_words(ipc_msg_t *m)
{
    for (int i = 0; i < 8; i++)
        m->w[i] = word();
}

static void fs_request(uint32_t label, ipc_msg_t *m)
{
    char *b = (char *)cur_buf;
    size_t max = cur_size;

    switch (label) {
    case FS_OPEN:
        if (b)
            any_path(b, max, true);
        /* PFS_O_* bits, mostly read and write with create; or any */
        m->w[0] = chance(8) ? next() : chance(2) ? 7 | (below(128) & 0x18) : below(128);
        m->w[1] = chance(2) ? 0644 : next();
        break;
    case FS_CLOSE:
    case FS_FSTAT:
    case FS_FSYNC:
    case FS_MAP:
        m->w[0] = file_id();
        break;
    case FS_READ:
    case FS_WRITE:
        m->w[0] = file_id();
        m->w[1] = chance(4) ? odd_value() : below(tgt->kind == K_FAT ? 1u << 20 : 1u << 22);
        m->w[2] = chance(4) ? word() : below(chance(4) ? cur_size + 2 : 600);
        if (label == FS_WRITE && b && cur_size)
            memset(b, 'w', below(cur_size));
        break;
    case FS_READDIR:
        m->w[0] = file_id();
        m->w[1] = chance(2) ? cookies[below(8)] : word();
        m->w[2] = chance(3) ? word() : below(cur_size + 2);
        break;
    case FS_TRUNCATE:
        m->w[0] = file_id();
        m->w[1] = chance(4) ? odd_value() : below(tgt->kind == K_FAT ? 1u << 20 : 1u << 22);
        break;
    case FS_TRUNCATE_PATH:
        if (b)
            any_path(b, max, true);
        m->w[0] = chance(4) ? odd_value() : below(1u << 20);
        break;
    case FS_RENAME:
    case FS_LINK:
    case FS_SYMLINK:
        if (b && max > 2) {
            size_t n = any_path(b, max, true);
            if (n + 1 < max)
                any_path(b + n + 1, max - n - 1, true);
        }
        break;
    case FS_MOUNTS:
        m->w[0] = chance(2) ? below(cur_size + 2) : word();
        break;
    case FS_MKNOD:
        if (b)
            any_path(b, max, true);
        m->w[0] = chance(2) ? (PFS_S_IFIFO | 0644) : word();
        break;
    default: /* the calls on one path */
        if (b)
            any_path(b, max, label != FS_STAT && label != FS_READLINK && label != FS_STATFS);
    }
}

static void console_request(uint32_t label, ipc_msg_t *m)
{
    switch (label) {
    case CON_WRITE: {
        /* Mostly a few printable bytes: the session's output stays readable. */
        uint64_t len = chance(3) ? word() & CON_LEN_MASK : below(CON_INLINE_MAX + 3);
        uint64_t flags = chance(2) ? CON_DATA_IN_BUFFER : 0;
        if (chance(8))
            flags |= next() & ~CON_LEN_MASK;
        if (!(flags & CON_DATA_IN_BUFFER) && len <= CON_INLINE_MAX && chance(2))
            len = below(4);
        if ((flags & CON_DATA_IN_BUFFER) && len > 8 && len <= cur_size && !chance(512))
            len = below(8);
        m->w[0] = len | flags;
        for (int i = 1; i < 8; i++)
            m->w[i] = 0x2e2e2e2e2e2e2e2eull; /* "........" */
        if (chance(16))
            m->w[1] = 0x5b1b0a0d07081b09ull; /* controls and the start of an escape sequence */
        if (cur_buf)
            memset(cur_buf, chance(16) ? 0x1b : '.', cur_size < 256 ? cur_size : 256);
        break;
    }
    case CON_READ: /* only reads the console refuses: no length */
        m->w[0] = next() & ~CON_LEN_MASK;
        break;
    case CON_SET_MODE:
        m->w[0] = chance(2) ? below(8) : word();
        break;
    case CON_WATCH_INPUT:
        m->w[0] = word();
        break;
    default:
        break;
    }
}

static void blk_request(uint32_t label, ipc_msg_t *m)
{
    m->w[0] = chance(2) ? below(64) : word();                     /* sector */
    m->w[1] = chance(2) ? below(cur_size / 512 + 3) : word();     /* count */
    m->w[2] = chance(2) ? below(cur_size + 1) & ~511ull : word(); /* offset */
    if (label != BLK_WRITE)
        return;
    /* Only writes the driver must refuse, or of no sectors. */
    switch (below(4)) {
    case 0:
        m->w[1] = 0;
        break;
    case 1:
        m->w[0] = ~0ull - below(4);
        m->w[1] = 1 + below(4);
        break;
    case 2:
        m->w[1] = (1ull << 32) + below(4);
        break;
    default:
        m->w[1] = 1 + below(4);
        m->w[2] = cur_size + below(1u << 20);
    }
}

static void smss_request(uint32_t label, ipc_msg_t *m)
{
    if (label == SMSS_CRASH) {
        /* A name no server has: it starts with a byte no name has. */
        memset(&m->w[0], 0, 8 * 8);
        uint8_t *p = (uint8_t *)&m->w[0];
        size_t len = below(64);
        for (size_t i = 0; i < len; i++)
            p[i] = (uint8_t)(1 + below(255));
        p[0] = (uint8_t)(0x80 + below(128));
    }
}

/* A PERS_SPAWN record, good or broken, that names no program. */
static void spawn_request(ipc_msg_t *m)
{
    pers_spawn_t *s = (pers_spawn_t *)cur_buf;
    size_t off = sizeof(*s), max = cur_size;
    char *b = (char *)cur_buf;

    (void)m;
    if (!b || max < sizeof(*s) + 64)
        return;
    memset(s, 0, sizeof(*s));
    s->path_off = (uint32_t)off;
    off += any_path(b + off, max - off - 32, false) + 1;
    if (chance(2)) {
        const char *p = chance(2) ? "/tmp/srvfuzz/none.com" : "/tmp/srvfuzz/";
        s->path_off = (uint32_t)off;
        strcpy(b + off, p);
        off += strlen(p) + 1;
    }
    s->cwd_off = (uint32_t)off;
    off += any_path(b + off, (max - off) / 2, false) + 1;
    s->argv_off = (uint32_t)off;
    s->argc = (uint32_t)below(6);
    for (uint32_t i = 0; i < s->argc && off + 300 < max; i++) {
        size_t len = chance(4) ? below(200) : below(8);
        memset(b + off, 'a' + (int)i, len);
        b[off + len] = 0;
        off += len + 1;
    }
    s->envp_off = (uint32_t)off;
    s->envc = (uint32_t)below(3);
    for (uint32_t i = 0; i < s->envc && off + 16 < max; i++) {
        strcpy(b + off, "A=B");
        off += 4;
    }
    s->total = (uint32_t)off;
    s->flags = chance(4) ? (uint32_t)next() : 0;
    /* Break something. */
    switch (below(8)) {
    case 0:
        s->total = (uint32_t)word();
        break;
    case 1:
        s->argc = (uint32_t)word();
        break;
    case 2:
        s->path_off = (uint32_t)word();
        break;
    case 3:
        s->argv_off = (uint32_t)word();
        break;
    case 4:
        memset(b + sizeof(*s), 'q', max - sizeof(*s)); /* no NUL anywhere */
        s->total = (uint32_t)max;
        break;
    default:
        break;
    }
}

static void dos_request(uint32_t label, ipc_msg_t *m)
{
    if (label == DOS_VDM_CALL && chance(2))
        m->w[0] = below(256);
}

/* Picks a call and fills the message and the buffer; the tag flags. */
static uint32_t make_request(ipc_msg_t *m, uint32_t *flags, srv_conn_t *c)
{
    uint32_t label = 0;

    (void)c;
    fill_words(m);
    *flags = 0;
    switch (below(20)) {
    case 0:
        label = random_label();
        break;
    case 1:
        label = SRV_ATTACH;
        break;
    case 2:
        label = chance(4) ? SRV_SYNC : SRV_PING;
        break;
    case 3:
        label = chance(2) ? PERS_SPAWN : PERS_INTERRUPT;
        break;
    default:
        switch (tgt->kind) {
        case K_FS:
        case K_FAT:
            label = 1 + (uint32_t)below(FS_MOUNTS);
            break;
        case K_CONSOLE:
            label = 1 + (uint32_t)below(CON_WATCH_INPUT);
            break;
        case K_BLK:
            label = 1 + (uint32_t)below(BLK_FLUSH);
            break;
        case K_SMSS:
            label = chance(2) ? SMSS_LIST : SMSS_CRASH;
            break;
        case K_DOS:
            label = 1 + (uint32_t)below(DOS_VDM_RESUME);
            break;
        case K_POSIX:
            label = chance(2) ? PERS_SPAWN : PERS_INTERRUPT;
            break;
        }
    }
    if (label == SRV_ATTACH) {
        if (scribbling)
            label = SRV_PING; /* the scribbler's buffer must stay the server's */
        else
            fuzz_attach(m, flags);
        return label;
    }
    if (forbidden(label))
        label = SRV_PING;
    switch (tgt->kind) {
    case K_FS:
    case K_FAT:
        fs_request(label, m);
        break;
    case K_CONSOLE:
        console_request(label, m);
        break;
    case K_BLK:
        blk_request(label, m);
        break;
    case K_SMSS:
        smss_request(label, m);
        break;
    case K_DOS:
        dos_request(label, m);
        break;
    case K_POSIX:
        break;
    }
    if (label == PERS_SPAWN)
        spawn_request(m);
    /* A handle with some calls: our ports, mostly where one is expected. */
    if (chance(label == CON_WATCH_INPUT || label == DOS_VDM_HELLO ? 2 : 12)) {
        *flags = IPC_FLAG_HANDLE;
        m->w[7] = chance(8) ? next() & 0xffff : port_pool[below(4)];
    }
    return label;
}

/* What a reply leaves us: ids to remember, handles to close, processes to end. */
static void after_reply(uint32_t label, long st, ipc_msg_t *m)
{
    if (IPC_FLAGS(m->tag) & IPC_FLAG_HANDLE) {
        handle_t h = (handle_t)m->w[7];
        if (label == PERS_SPAWN && st >= 0) {
            sys_process_terminate(h, EXIT_STATUS_KILLED);
            sys_process_wait(h, 5000 * MS, NULL);
        }
        sys_handle_close(h);
    }
    if (st < 0)
        return;
    if (tgt->kind == K_FS || tgt->kind == K_FAT) {
        if (label == FS_OPEN)
            remember_id(m->w[0]);
        else if (label == FS_CLOSE)
            forget_id(m->w[0]);
        else if (label == FS_READDIR)
            cookies[below(8)] = m->w[1];
    }
}

static uint64_t record_size; /* w0 of the last call: SRV_ATTACH's size */

static void record(uint32_t label, uint32_t flags, const ipc_msg_t *m)
{
    record_size = m->w[0];
    shared->last_label = label;
    shared->last_flags = flags;
    for (int i = 0; i < 8; i++)
        shared->last_w[i] = m->w[i];
    shared->last_bufsize = cur_size;
    for (size_t i = 0; i < sizeof(shared->last_buf); i++)
        shared->last_buf[i] = cur_buf && i < cur_size ? cur_buf[i] : 0;
}

/* The second thread: overwrites the shared buffer while the server reads it. */
static void scribbler(void *arg)
{
    uint8_t *b = conns[0].buffer;
    size_t size = conns[0].buffer_size;
    uint64_t r = (uint64_t)(uintptr_t)arg | 1;

    for (;;) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        size_t off = r % size, len = (r >> 20) % (size - off);
        if ((r >> 30) % 4 == 0) {
            off = 0; /* no NUL anywhere */
            len = size;
        }
        memset(b + off, (r >> 40) & 1 ? 'x' : '/', len);
        if ((r >> 50) % 8 == 0)
            sys_thread_yield();
    }
}

/* Drops a connection; the server keeps its buffer mapped, we do not. */
static void disconnect(srv_conn_t *c)
{
    if (c->buffer && c->buffer == cur_buf) {
        cur_buf = NULL;
        cur_size = 0;
    }
    srv_disconnect(c);
}

static int worker(void *arg)
{
    uint64_t wnum = (uint64_t)(uintptr_t)arg;
    ipc_msg_t m = {0};
    long st;

    seed_rng(shared->seed, wnum);
    snprintf(scratch, sizeof(scratch), "%s/w%llu", tgt->kind == K_FAT ? "/srvfuzz" : "/tmp/srvfuzz",
             (unsigned long long)wnum);
    for (int i = 0; i < 4; i++)
        sys_port_create(NULL, &port_pool[i]);
    st = connect(&conns[0], chance(10) ? 0 : 65536);
    if (st < 0) {
        printf("srvfuzz: %s: cannot connect: %s\n", tgt->name, status_name(st));
        return 2;
    }
    bool hostile = conns[0].buffer && chance(4);
    for (int i = 1; i < NCONN && !hostile; i++) {
        if (chance(2))
            connect(&conns[i], buffer_size_choice());
    }
    /* The scratch directory, through the protocol. */
    if ((tgt->kind == K_FS || tgt->kind == K_FAT) && cur_buf) {
        strcpy((char *)cur_buf, tgt->kind == K_FAT ? "/srvfuzz" : "/tmp/srvfuzz");
        srv_call(&conns[0], FS_MKDIR, &m);
        strcpy((char *)cur_buf, scratch);
        srv_call(&conns[0], FS_MKDIR, &m);
    }
    if (hostile) {
        handle_t th;
        scribbling = native_thread_start(scribbler, (void *)(uintptr_t)next(), 16384, &th) >= 0;
    }
    while (shared->calls < shared->target) {
        uint32_t flags, label;
        srv_conn_t *c = pick_conn();

        memset(&m, 0, sizeof(m));
        if (!hostile && chance(300)) {
            int i = (int)below(NCONN);
            disconnect(&conns[i]);
            if (connect(&conns[i], i ? buffer_size_choice() : 65536) < 0 && i == 0)
                return 2;
        }
        if (chance(2000))
            return 1; /* ends in the middle: the server drops what we held */
        label = make_request(&m, &flags, c);
        record(label, flags, &m);
        m.tag = IPC_TAG(label, flags);
        st = native_ipc_call(c->port, &m, CALL_TIMEOUT);
        if (st == ST_OK)
            st = (int32_t)IPC_LABEL(m.tag);
        shared->last_status = st;
        shared->calls++;
        if (label < 32) {
            shared->sent[label]++;
            shared->ok[label] += st >= 0;
        }
        if (st == ST_TIMEOUT)
            return FAIL_HANG;
        if (st == ST_PEER_DIED)
            return FAIL_DIED;
        if (label == SRV_ATTACH && st == ST_OK && extra_buffer) {
            /* the server now uses that section, as much of it as w0 said */
            cur_buf = extra_buffer;
            cur_size = record_size < extra_size ? record_size : extra_size;
        }
        after_reply(label, st, &m);
    }
    return 0;
}

/* ---- the supervisor ---- */

static srv_conn_t smss_conn;

/* The server's pid and restart count from smss; false if smss has no record. */
static bool server_state(const char *name, uint64_t *pid, uint32_t *restarts)
{
    ipc_msg_t m = {0};

    if (!smss_conn.port && srv_connect("Smss", 16384, &smss_conn) < 0)
        return false;
    if (srv_call(&smss_conn, SMSS_LIST, &m) < 0)
        return false;
    const smss_server_info_t *info = (const smss_server_info_t *)smss_conn.buffer;
    for (uint64_t i = 0; i < m.w[0]; i++) {
        if (!strcmp(info[i].name, name)) {
            *pid = info[i].pid;
            *restarts = info[i].restarts;
            return true;
        }
    }
    return false;
}

static long ping(const char *port)
{
    handle_t h;
    ipc_msg_t m = {0};
    long st = sys_port_connect(port, &h);

    if (st < 0)
        return st;
    m.tag = IPC_TAG(SRV_PING, 0);
    st = native_ipc_call(h, &m, CALL_TIMEOUT);
    sys_handle_close(h);
    return st < 0 ? st : (int32_t)IPC_LABEL(m.tag);
}

/* Removes path and everything under it (through the file client). */
static void remove_tree(const char *path, int depth)
{
    static uint8_t bufs[24][2048];
    pfs_attr_t a;
    file_t dir;

    if (file_lstat(path, &a) < 0)
        return;
    if ((a.mode & PFS_S_IFMT) != PFS_S_IFDIR || depth >= 24) {
        file_unlink(path);
        return;
    }
    if (file_open(path, PFS_O_READ | PFS_O_DIRECTORY, 0, &dir) == ST_OK) {
        uint64_t cookie = 0;
        for (int pass = 0; pass < 64; pass++) {
            long n = file_readdir(&dir, &cookie, bufs[depth], sizeof(bufs[depth]));
            bool removed = false;
            if (n <= 0)
                break;
            for (long off = 0; off < n;) {
                const pfs_dirent_t *d = (const pfs_dirent_t *)(bufs[depth] + off);
                char sub[PFS_PATH_MAX];
                off += d->reclen;
                if (!d->reclen)
                    break;
                if (!strcmp(d->name, ".") || !strcmp(d->name, ".."))
                    continue;
                if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, d->name) >= sizeof(sub))
                    continue;
                remove_tree(sub, depth + 1);
                removed = true;
            }
            if (removed)
                cookie = 0; /* the listing changed under us: start over */
            else if (!cookie)
                break;
        }
        file_close(&dir);
    }
    file_rmdir(path);
}

/*
 * The names in a directory before fuzzing, so that what a worker made
 * outside its scratch directory (a thread scribbling over a path can turn
 * it into another) is swept away after it.
 */
#define NKEEP 64
static char keep[2][NKEEP][64];
static unsigned nkeep[2];

static void list_dir(const char *path, void (*fn)(const char *dir, const char *name, int which),
                     int which)
{
    static uint8_t buf[4096];
    file_t dir;
    uint64_t cookie = 0;

    if (file_open(path, PFS_O_READ | PFS_O_DIRECTORY, 0, &dir) != ST_OK)
        return;
    for (int pass = 0; pass < 64; pass++) {
        long n = file_readdir(&dir, &cookie, buf, sizeof(buf));
        if (n <= 0)
            break;
        for (long off = 0; off < n;) {
            const pfs_dirent_t *d = (const pfs_dirent_t *)(buf + off);
            if (!d->reclen)
                break;
            off += d->reclen;
            if (strcmp(d->name, ".") && strcmp(d->name, ".."))
                fn(path, d->name, which);
        }
        if (!cookie)
            break;
    }
    file_close(&dir);
}

static void keep_name(const char *dir, const char *name, int which)
{
    (void)dir;
    if (nkeep[which] < NKEEP)
        strlcpy(keep[which][nkeep[which]++], name, sizeof(keep[0][0]));
}

static char doomed[32][256];
static unsigned ndoomed;

static void doom_new(const char *dir, const char *name, int which)
{
    for (unsigned i = 0; i < nkeep[which]; i++) {
        if (!strcmp(keep[which][i], name))
            return;
    }
    if (ndoomed < 32)
        snprintf(doomed[ndoomed++], sizeof(doomed[0]), "%s/%s", dir, name);
}

static const char *const roots[2] = {"/tmp", "/c"};

static void snapshot(void)
{
    for (int i = 0; i < 2; i++) {
        nkeep[i] = 0;
        list_dir(roots[i], keep_name, i);
    }
}

static void cleanup(const target_t *t)
{
    if (t->kind != K_FS && t->kind != K_FAT)
        return;
    remove_tree(t->kind == K_FS ? "/tmp/srvfuzz" : "/c/srvfuzz", 0);
    ndoomed = 0;
    list_dir(roots[t->kind == K_FAT], doom_new, t->kind == K_FAT);
    for (unsigned i = 0; i < ndoomed; i++)
        remove_tree(doomed[i], 1);
}

static void report_last(void)
{
    printf("srvfuzz:   last call: label 0x%x%s, status %ld (%s)\n", shared->last_label,
           shared->last_flags & IPC_FLAG_HANDLE ? " with a handle" : "", shared->last_status,
           status_name(shared->last_status));
    printf("srvfuzz:   words");
    for (int i = 0; i < 8; i++)
        printf(" %llx", (unsigned long long)shared->last_w[i]);
    printf("\nsrvfuzz:   buffer (%llu bytes):", (unsigned long long)shared->last_bufsize);
    for (size_t i = 0; i < sizeof(shared->last_buf); i++)
        printf(" %02x", shared->last_buf[i]);
    printf("\n");
}

/* The pid of the process named name (0: none). */
static uint64_t pid_of(const char *name)
{
    static process_info_t list[256];
    size_t total;
    long n = sys_process_list(list, 256, &total);

    for (long i = 0; i < n; i++) {
        if (!strcmp(list[i].name, name) && list[i].state != PROCESS_DEAD)
            return list[i].pid;
    }
    return 0;
}

/* How many handles the process pid holds (0 if unknown). */
static uint32_t handles_of(uint64_t pid)
{
    process_info_t info;
    handle_t h;
    uint32_t n = 0;

    if (pid && sys_process_open(pid, H_QUERY, &h) == ST_OK) {
        if (sys_process_info(h, &info) == ST_OK)
            n = info.handles;
        sys_handle_close(h);
    }
    return n;
}

/*
 * The console keeps "input is ready" watchers (eight) until input comes:
 * a client that ends must not leave its own behind. Checkable only while
 * no input is queued (then every watch fires at once).
 */
static int child_watches(void *arg)
{
    ipc_msg_t m = {0};
    srv_conn_t c;
    handle_t p;

    (void)arg;
    if (srv_connect("Console", 4096, &c) < 0)
        return 1;
    for (int i = 0; i < 8; i++) {
        sys_port_create(NULL, &p);
        m.tag = IPC_TAG(0, IPC_FLAG_HANDLE);
        m.w[0] = 1;
        m.w[7] = p;
        srv_call(&c, CON_WATCH_INPUT, &m);
    }
    /* and a read that waits, into the buffer */
    m.tag = 0;
    m.w[0] = 16 | CON_DATA_IN_BUFFER;
    srv_call(&c, CON_READ, &m);
    return 0;
}

static int console_watchers_check(void)
{
    ipc_msg_t m = {0}, n;
    srv_conn_t c;
    handle_t p, h;
    long st;

    if (srv_connect("Console", 0, &c) < 0 || sys_port_create(NULL, &p) < 0)
        return 0;
    m.tag = IPC_TAG(0, IPC_FLAG_HANDLE);
    m.w[0] = 1;
    m.w[7] = p; /* the console gets a handle of its own */
    st = srv_call(&c, CON_WATCH_INPUT, &m);
    if (st == ST_OK && native_ipc_recv(p, &n, 50 * MS, NULL) == ST_OK) {
        printf("srvfuzz: console: input is queued; the watcher check is left out\n");
        srv_disconnect(&c);
        sys_handle_close(p);
        return 0;
    }
    /* Ours waits now: a child fills the other seven places and ends. */
    if (native_spawn_clone("srvfuzz-watch", child_watches, NULL, &h) < 0)
        return 0;
    sys_sleep(200 * MS);
    sys_process_terminate(h, EXIT_STATUS_KILLED);
    sys_process_wait(h, 0, NULL);
    sys_handle_close(h);
    ping("Console");
    m.tag = IPC_TAG(0, IPC_FLAG_HANDLE);
    m.w[0] = 2;
    m.w[7] = p;
    st = srv_call(&c, CON_WATCH_INPUT, &m);
    srv_disconnect(&c);
    sys_handle_close(p);
    if (st != ST_OK) {
        printf("srvfuzz: console: a watcher refused after a client with watchers ended: %s\n",
               status_name(st));
        return 1;
    }
    return 0;
}

/* Fuzzes one server; the number of failures. */
static int fuzz_server(const target_t *t, uint64_t calls, uint64_t seed)
{
    uint64_t pid0 = 0, pid1 = 0, workers = 0, stalled = 0;
    uint32_t restarts0 = 0, restarts1 = 0;
    uint32_t con_mode = 0;
    int failures = 0;
    handle_t h;

    if (sys_port_connect(t->port, &h) < 0) {
        printf("srvfuzz: %s: no port %s, skipped\n", t->name, t->port);
        return 0;
    }
    sys_handle_close(h);
    if (t->kind != K_SMSS)
        server_state(t->name, &pid0, &restarts0);
    else
        pid0 = pid_of("smss");
    if (t->kind == K_CONSOLE) {
        ipc_msg_t m = {0};
        srv_conn_t c;
        if (srv_connect("Console", 0, &c) >= 0) {
            srv_call(&c, CON_GET_MODE, &m);
            con_mode = (uint32_t)m.w[0];
            srv_disconnect(&c);
        }
    }
    /* Once the workers' records are gone the server must hold as many
     * handles as before: a handle sent with a call that takes none is
     * closed, whatever the call. */
    ping(t->port);
    uint32_t handles0 = handles_of(pid0);
    tgt = t;
    memset((void *)shared->ok, 0, sizeof(shared->ok));
    memset((void *)shared->sent, 0, sizeof(shared->sent));
    snapshot();
    cleanup(t);
    shared->calls = 0;
    shared->target = calls;
    while (shared->calls < calls && !failures) {
        int64_t status = 0;
        uint64_t before = shared->calls;
        shared->seed = seed;
        long st = native_spawn_clone("srvfuzz-w", worker, (void *)(uintptr_t)workers, &h);
        if (st < 0) {
            printf("srvfuzz: cannot start a worker: %s\n", status_name(st));
            return failures + 1;
        }
        workers++;
        st = sys_process_wait(h, 60000 * MS, &status);
        if (st == ST_TIMEOUT) {
            printf("srvfuzz: %s: worker %llu stuck; killing it\n", t->name,
                   (unsigned long long)workers - 1);
            sys_process_terminate(h, EXIT_STATUS_KILLED);
            sys_process_wait(h, 0, &status);
            status = FAIL_HANG;
        }
        sys_handle_close(h);
        if (status != 0 && status != 1) {
            printf("srvfuzz: %s: %s in worker %llu (seed %llu, after %llu calls)\n", t->name,
                   status == FAIL_HANG   ? "a call was not answered"
                   : status == FAIL_DIED ? "the server died"
                   : status == 2         ? "cannot connect"
                                         : "the worker failed",
                   (unsigned long long)workers - 1, (unsigned long long)seed,
                   (unsigned long long)shared->calls);
            report_last();
            failures++;
        }
        if (t->kind != K_SMSS && server_state(t->name, &pid1, &restarts1) &&
            (pid1 != pid0 || restarts1 != restarts0)) {
            printf("srvfuzz: %s: restarted (pid %llu -> %llu) in worker %llu (seed %llu)\n",
                   t->name, (unsigned long long)pid0, (unsigned long long)pid1,
                   (unsigned long long)workers - 1, (unsigned long long)seed);
            report_last();
            failures++;
        }
        st = ping(t->port);
        if (st != ST_OK) {
            printf("srvfuzz: %s: does not answer SRV_PING after worker %llu: %s\n", t->name,
                   (unsigned long long)workers - 1, status_name(st));
            report_last();
            failures++;
        }
        cleanup(t);
        stalled = shared->calls == before ? stalled + 1 : 0; /* one may end at once */
        if (stalled >= 5) {
            printf("srvfuzz: %s: workers make no progress\n", t->name);
            failures++;
        }
    }
    ping(t->port);
    uint32_t handles1 = handles_of(pid0);
    if (!failures && handles1 > handles0 + 2) {
        printf("srvfuzz: %s: holds %u handles, %u before: a leak\n", t->name, handles1, handles0);
        failures++;
    }
    if (t->kind == K_CONSOLE) {
        ipc_msg_t m = {0};
        srv_conn_t c;
        if (srv_connect("Console", 0, &c) >= 0) {
            m.w[0] = con_mode & ~(uint32_t)CON_MODE_PIPE;
            srv_call(&c, CON_SET_MODE, &m);
            srv_disconnect(&c);
        }
    }
    if (verbose) {
        printf("srvfuzz: %s: label:succeeded/sent", t->name);
        for (int i = 0; i < 32; i++) {
            if (shared->sent[i])
                printf(" %d:%u/%u", i, shared->ok[i], shared->sent[i]);
        }
        printf("\n");
    }
    if (t->kind == K_CONSOLE)
        printf("\n"); /* after the dots the fuzzer wrote */
    if (t->kind == K_CONSOLE && !failures)
        failures += console_watchers_check();
    printf("srvfuzz: %s: %llu calls in %llu workers, seed %llu: %s\n", t->name,
           (unsigned long long)shared->calls, (unsigned long long)workers, (unsigned long long)seed,
           failures ? "FAILED" : "ok");
    return failures;
}

int main(int argc, char **argv)
{
    uint64_t calls = 20000, seed = 1, addr = 0;
    handle_t sec;
    int failures = 0, nnamed = 0;

    if (argc > 1 && !strcmp(argv[1], "-v")) {
        verbose = true;
        argc--;
        argv++;
    }
    if (argc > 1)
        calls = strtou64(argv[1]);
    if (argc > 2)
        seed = strtou64(argv[2]);
    if (sys_section_create(4096, &sec) < 0 ||
        sys_vm_map(HANDLE_SELF_PROCESS, &addr, 4096, PROT_R | PROT_W, 0, sec, 0) < 0) {
        printf("srvfuzz: cannot set up shared memory\n");
        return 1;
    }
    shared = (shared_t *)addr;
    for (int i = 3; i < argc; i++) {
        bool known = false;
        for (size_t k = 0; k < NTARGETS; k++)
            known |= !strcmp(argv[i], targets[k].name);
        if (!known) {
            printf("srvfuzz: unknown server '%s'\n", argv[i]);
            return 1;
        }
        nnamed++;
    }
    for (size_t k = 0; k < NTARGETS; k++) {
        bool chosen = nnamed == 0 && targets[k].fuzz_default;
        for (int i = 3; i < argc; i++)
            chosen |= !strcmp(argv[i], targets[k].name);
        if (chosen)
            failures += fuzz_server(&targets[k], calls, seed);
    }
    printf("srvfuzz: %s\n", failures ? "FAILED" : "every server survived");
    return failures ? 1 : 0;
}
