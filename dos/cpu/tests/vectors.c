/*
 * cpu86-vectors: runs the SingleStepTests 8086 and 80286 (real mode)
 * per-instruction vectors against the cpu86 core.
 *
 *   cpu86-vectors DIR [-v] [-x] [FILTER...]
 *
 * DIR holds 8086/ and 80286-real/ (the data is not part of the repository;
 * without it the test exits 77, meson's "skipped"). Each *.MOO.gz file is
 * read one test at a time with zlib; a test sets the registers and RAM,
 * executes one instruction, and compares the registers and the RAM listed
 * in the final state. Flags that metadata.json marks undefined for the
 * opcode (and ModR/M reg extension) are masked, in FLAGS and in a FLAGS
 * image an exception pushed. Tests in 80286-real/revocation_list.txt are
 * skipped. Queue and cycle data are not compared.
 *
 * A FILTER restricts the run to files whose "set/name" contains it, e.g.
 * "8086/F6.7"; -v prints the failing tests; -x compares the undefined
 * flags too (to see how closely they are reproduced).
 *
 * Stray writes are caught without instrumenting the core: memory starts
 * zeroed, every test's listed bytes are zeroed again afterwards, and after
 * each file the whole memory must be zero.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "cpu86.h"

#define MEM_SIZE (16u << 20)
#define SKIP     77

enum {
    R_AX,
    R_BX,
    R_CX,
    R_DX,
    R_CS,
    R_SS,
    R_DS,
    R_ES,
    R_SP,
    R_BP,
    R_SI,
    R_DI,
    R_IP,
    R_FLAGS,
    NREGS
};
static const char *const reg_names[NREGS] = {"ax", "bx", "cx", "dx", "cs", "ss", "ds",
                                             "es", "sp", "bp", "si", "di", "ip", "flags"};

typedef struct ram_entry {
    uint32_t addr;
    uint8_t val;
} ram_entry_t;

typedef struct state {
    uint16_t mask; /* which registers are present */
    uint16_t regs[NREGS];
    ram_entry_t *ram;
    uint32_t nram, cap;
} state_t;

typedef struct test {
    char name[128];
    uint8_t bytes[32];
    uint32_t nbytes;
    state_t init, fina;
    bool has_hash, has_exc;
    uint8_t hash[20];
    uint8_t exc_num;
    uint32_t exc_flag_addr;
} test_t;

/* ---- metadata.json ------------------------------------------------------ */

/*
 * Undefined-flag masks per opcode and per reg extension. The scanner knows
 * just enough JSON for this file: objects, strings, numbers, and it calls
 * meta_value() with the key path of every scalar.
 */
typedef struct opmeta {
    uint16_t mask;
    uint16_t reg_mask[8];
    bool has_reg[8];
    char status[16];
} opmeta_t;

static opmeta_t meta[256];

typedef struct scan {
    const char *p, *end;
} scan_t;

static void ws(scan_t *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t')) {
        s->p++;
    }
}

static bool str(scan_t *s, char *out, size_t n)
{
    size_t k = 0;
    if (s->p >= s->end || *s->p != '"') {
        return false;
    }
    s->p++;
    while (s->p < s->end && *s->p != '"') {
        if (*s->p == '\\') {
            s->p++;
        }
        if (k + 1 < n) {
            out[k++] = *s->p;
        }
        s->p++;
    }
    out[k] = 0;
    s->p++;
    return s->p <= s->end;
}

static void meta_value(char path[][32], int depth, const char *sval, long nval)
{
    if (depth < 3 || strcmp(path[0], "opcodes") != 0) {
        return;
    }
    unsigned op = (unsigned)strtoul(path[1], NULL, 16) & 0xFF;
    opmeta_t *m = &meta[op];
    if (depth == 3 && strcmp(path[2], "flags-mask") == 0) {
        m->mask = (uint16_t)nval;
    } else if (depth == 3 && strcmp(path[2], "status") == 0 && sval) {
        snprintf(m->status, sizeof(m->status), "%s", sval);
    } else if (depth == 5 && strcmp(path[2], "reg") == 0 && strcmp(path[4], "flags-mask") == 0) {
        int r = atoi(path[3]) & 7;
        m->reg_mask[r] = (uint16_t)nval;
        m->has_reg[r] = true;
    }
}

static bool value(scan_t *s, char path[][32], int depth)
{
    char buf[64];
    ws(s);
    if (s->p >= s->end) {
        return false;
    }
    if (*s->p == '{' || *s->p == '[') {
        char close = *s->p == '{' ? '}' : ']';
        bool obj = close == '}';
        s->p++;
        for (;;) {
            ws(s);
            if (s->p < s->end && *s->p == close) {
                s->p++;
                return true;
            }
            if (obj) {
                char key[32];
                if (!str(s, key, sizeof(key))) {
                    return false;
                }
                ws(s);
                if (s->p >= s->end || *s->p++ != ':') {
                    return false;
                }
                if (depth < 8) {
                    snprintf(path[depth], 32, "%s", key);
                }
            }
            if (!value(s, path, depth + 1)) {
                return false;
            }
            ws(s);
            if (s->p < s->end && *s->p == ',') {
                s->p++;
            }
        }
    }
    if (*s->p == '"') {
        if (!str(s, buf, sizeof(buf))) {
            return false;
        }
        meta_value(path, depth, buf, 0);
        return true;
    }
    char *e;
    long v = strtol(s->p, &e, 10);
    if (e == s->p) {
        /* true, false, null */
        while (s->p < s->end && *s->p >= 'a' && *s->p <= 'z') {
            s->p++;
        }
        return true;
    }
    s->p = e;
    meta_value(path, depth, NULL, v);
    return true;
}

static bool load_metadata(const char *path)
{
    FILE *f = fopen(path, "rb");
    char keys[9][32];
    long n;
    char *text;
    bool ok;

    for (int i = 0; i < 256; i++) {
        meta[i].mask = 0xFFFF;
        for (int r = 0; r < 8; r++) {
            meta[i].reg_mask[r] = 0xFFFF;
        }
    }
    if (!f) {
        return false;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)n);
    ok = text && fread(text, 1, (size_t)n, f) == (size_t)n;
    fclose(f);
    if (ok) {
        scan_t s = {text, text + n};
        ok = value(&s, keys, 0);
    }
    free(text);
    return ok;
}

/* ---- revocation list ---------------------------------------------------- */

static uint8_t (*revoked)[20];
static size_t nrevoked;

static int cmp_hash(const void *a, const void *b)
{
    return memcmp(a, b, 20);
}

static void load_revocations(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256];
    size_t cap = 0;

    if (!f) {
        return;
    }
    while (fgets(line, sizeof(line), f)) {
        uint8_t h[20];
        int k;
        for (k = 0; k < 20; k++) {
            unsigned v;
            if (sscanf(line + 2 * k, "%2x", &v) != 1) {
                break;
            }
            h[k] = (uint8_t)v;
        }
        if (line[0] == '#' || k < 20) {
            continue;
        }
        if (nrevoked == cap) {
            cap = cap ? cap * 2 : 64;
            revoked = realloc(revoked, cap * 20);
        }
        memcpy(revoked[nrevoked++], h, 20);
    }
    fclose(f);
    if (nrevoked) {
        qsort(revoked, nrevoked, 20, cmp_hash);
    }
}

static bool is_revoked(const uint8_t *hash)
{
    return nrevoked && bsearch(hash, revoked, nrevoked, 20, cmp_hash);
}

/* ---- MOO reader --------------------------------------------------------- */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static bool parse_state(const uint8_t *p, uint32_t len, state_t *st)
{
    const uint8_t *end = p + len;
    st->mask = 0;
    st->nram = 0;
    while (end - p >= 8) {
        uint32_t l = le32(p + 4);
        const uint8_t *d = p + 8;
        if ((uint32_t)(end - d) < l) {
            return false;
        }
        if (memcmp(p, "REGS", 4) == 0) {
            const uint8_t *v = d + 2;
            st->mask = le16(d);
            for (int i = 0; i < NREGS; i++) {
                if (st->mask & (1u << i)) {
                    st->regs[i] = le16(v);
                    v += 2;
                }
            }
        } else if (memcmp(p, "RAM ", 4) == 0) {
            uint32_t n = le32(d);
            if (n > (l - 4) / 5) {
                return false;
            }
            if (n > st->cap) {
                st->cap = n;
                st->ram = realloc(st->ram, n * sizeof(*st->ram));
            }
            for (uint32_t i = 0; i < n; i++) {
                st->ram[i].addr = le32(d + 4 + 5 * i);
                st->ram[i].val = d[8 + 5 * i];
            }
            st->nram = n;
        }
        p = d + l;
    }
    return true;
}

static bool parse_test(const uint8_t *p, uint32_t len, test_t *t)
{
    const uint8_t *end = p + len;

    t->has_hash = t->has_exc = false;
    t->name[0] = 0;
    t->nbytes = 0;
    p += 4; /* test index */
    while (end - p >= 8) {
        uint32_t l = le32(p + 4);
        const uint8_t *d = p + 8;
        if ((uint32_t)(end - d) < l) {
            return false;
        }
        if (memcmp(p, "NAME", 4) == 0 && l >= 4) {
            uint32_t n = le32(d);
            if (n >= sizeof(t->name)) {
                n = sizeof(t->name) - 1;
            }
            memcpy(t->name, d + 4, n);
            t->name[n] = 0;
        } else if (memcmp(p, "BYTS", 4) == 0 && l >= 4) {
            t->nbytes = le32(d) < sizeof(t->bytes) ? le32(d) : sizeof(t->bytes);
            memcpy(t->bytes, d + 4, t->nbytes);
        } else if (memcmp(p, "INIT", 4) == 0) {
            if (!parse_state(d, l, &t->init)) {
                return false;
            }
        } else if (memcmp(p, "FINA", 4) == 0) {
            if (!parse_state(d, l, &t->fina)) {
                return false;
            }
        } else if (memcmp(p, "HASH", 4) == 0 && l >= 20) {
            memcpy(t->hash, d, 20);
            t->has_hash = true;
        } else if (memcmp(p, "EXCP", 4) == 0 && l >= 5) {
            t->exc_num = d[0];
            t->exc_flag_addr = le32(d + 1);
            t->has_exc = true;
        }
        p = d + l;
    }
    return true;
}

/* ---- running a test ----------------------------------------------------- */

typedef struct set {
    const char *name; /* directory, and the label printed */
    int model;
    uint32_t addr_mask;
    bool halt_follows; /* the 286 set ends every test with HLT */
} set_t;

static const set_t sets[] = {
    {"8086", CPU86_MODEL_8086, 0xFFFFF, false},
    {"80286-real", CPU86_MODEL_80186, 0xFFFFFF, true},
};

static uint8_t *mem;
static cpu86_t cpu;
static bool verbose;
static bool exact; /* -x: compare undefined flags too */

static uint16_t get_reg(const cpu86_t *c, int r)
{
    switch (r) {
    case R_AX:
        return c->ax;
    case R_BX:
        return c->bx;
    case R_CX:
        return c->cx;
    case R_DX:
        return c->dx;
    case R_CS:
        return c->seg[CPU86_CS].sel;
    case R_SS:
        return c->seg[CPU86_SS].sel;
    case R_DS:
        return c->seg[CPU86_DS].sel;
    case R_ES:
        return c->seg[CPU86_ES].sel;
    case R_SP:
        return c->sp;
    case R_BP:
        return c->bp;
    case R_SI:
        return c->si;
    case R_DI:
        return c->di;
    case R_IP:
        return c->ip;
    default:
        return cpu86_get_flags(c);
    }
}

static void set_regs(cpu86_t *c, const uint16_t *r)
{
    c->ax = r[R_AX];
    c->bx = r[R_BX];
    c->cx = r[R_CX];
    c->dx = r[R_DX];
    cpu86_load_seg(c, CPU86_CS, r[R_CS]);
    cpu86_load_seg(c, CPU86_SS, r[R_SS]);
    cpu86_load_seg(c, CPU86_DS, r[R_DS]);
    cpu86_load_seg(c, CPU86_ES, r[R_ES]);
    c->sp = r[R_SP];
    c->bp = r[R_BP];
    c->si = r[R_SI];
    c->di = r[R_DI];
    c->ip = r[R_IP];
    cpu86_set_flags(c, r[R_FLAGS]);
}

static void dump_test(const test_t *t, const char *why)
{
    printf("  FAIL %s: %s [", t->name, why);
    for (uint32_t i = 0; i < t->nbytes; i++) {
        printf("%s%02x", i ? " " : "", t->bytes[i]);
    }
    printf("]\n   init:");
    for (int i = 0; i < NREGS; i++) {
        printf(" %s=%04x", reg_names[i], t->init.regs[i]);
    }
    printf("\n   want:");
    for (int i = 0; i < NREGS; i++) {
        if (t->fina.mask & (1u << i)) {
            printf(" %s=%04x", reg_names[i], t->fina.regs[i]);
        }
    }
    printf("\n   got: ");
    for (int i = 0; i < NREGS; i++) {
        uint16_t v = get_reg(&cpu, i);
        if (v != t->init.regs[i] || (t->fina.mask & (1u << i))) {
            printf(" %s=%04x", reg_names[i], v);
        }
    }
    if (t->has_exc) {
        printf("\n   exception %u, flags at %06x", t->exc_num, t->exc_flag_addr);
    }
    printf("\n");
}

/* Returns true if the test passes. flags_mask clears undefined flags. */
static bool run_test(const set_t *set, const test_t *t, uint16_t flags_mask)
{
    char why[160] = "";
    bool ok = true;
    uint32_t flag_addr = UINT32_MAX;

    cpu86_init(&cpu, set->model, mem, MEM_SIZE);
    cpu.addr_mask = set->addr_mask;
    set_regs(&cpu, t->init.regs);
    for (uint32_t i = 0; i < t->init.nram; i++) {
        mem[t->init.ram[i].addr & (MEM_SIZE - 1)] = t->init.ram[i].val;
    }

    cpu86_step(&cpu);
    if (set->halt_follows) {
        cpu.ip++; /* the HLT that ends every 286 test, or the one injected */
    }

    for (int i = 0; i < NREGS && ok; i++) {
        uint16_t want = (t->fina.mask & (1u << i)) ? t->fina.regs[i] : t->init.regs[i];
        uint16_t got = get_reg(&cpu, i);
        if (i == R_FLAGS) {
            want &= flags_mask;
            got &= flags_mask;
        }
        if (want != got) {
            snprintf(why, sizeof(why), "%s %04x, want %04x", reg_names[i], got, want);
            ok = false;
        }
    }

    /*
     * An exception pushed FLAGS, undefined bits included: the 286 set says
     * where; on the 8086 only division faults, so SP moved down by 6.
     */
    if (t->has_exc) {
        flag_addr = t->exc_flag_addr;
    } else if (flags_mask != 0xFFFF && (t->fina.mask & (1u << R_SP)) &&
               t->fina.regs[R_SP] == (uint16_t)(t->init.regs[R_SP] - 6)) {
        uint16_t ss = (t->fina.mask & (1u << R_SS)) ? t->fina.regs[R_SS] : t->init.regs[R_SS];
        flag_addr = (((uint32_t)ss << 4) + (uint16_t)(t->fina.regs[R_SP] + 4)) & set->addr_mask;
    }

    for (uint32_t i = 0; i < t->fina.nram && ok; i++) {
        uint32_t a = t->fina.ram[i].addr & (MEM_SIZE - 1);
        uint8_t m = 0xFF;
        if (a == flag_addr) {
            m = (uint8_t)flags_mask;
        } else if (a == ((flag_addr + 1) & set->addr_mask)) {
            m = (uint8_t)(flags_mask >> 8);
        }
        if ((mem[a] & m) != (t->fina.ram[i].val & m)) {
            snprintf(why, sizeof(why), "ram[%06x] %02x, want %02x", a, mem[a], t->fina.ram[i].val);
            ok = false;
        }
    }

    for (uint32_t i = 0; i < t->init.nram; i++) {
        mem[t->init.ram[i].addr & (MEM_SIZE - 1)] = 0;
    }
    for (uint32_t i = 0; i < t->fina.nram; i++) {
        mem[t->fina.ram[i].addr & (MEM_SIZE - 1)] = 0;
    }
    if (!ok && verbose) {
        dump_test(t, why);
    }
    return ok;
}

/* ---- files -------------------------------------------------------------- */

typedef struct totals {
    unsigned long pass, run, revoked, files_failed;
} totals_t;

static bool memory_clean(void)
{
    static const uint8_t zero[4096];
    for (uint32_t a = 0; a < MEM_SIZE; a += sizeof(zero)) {
        if (memcmp(mem + a, zero, sizeof(zero)) != 0) {
            memset(mem + a, 0, sizeof(zero));
            return false;
        }
    }
    return true;
}

/* "D0.4.MOO.gz" -> opcode D0, reg 4; "60.MOO.gz" -> 60, no reg. */
static uint16_t mask_for(const char *file)
{
    unsigned op = (unsigned)strtoul(file, NULL, 16) & 0xFF;
    if (file[2] == '.' && file[3] >= '0' && file[3] <= '7' && file[4] == '.') {
        int r = file[3] - '0';
        if (meta[op].has_reg[r]) {
            return meta[op].reg_mask[r];
        }
    }
    return meta[op].mask;
}

static bool run_file(const set_t *set, const char *dir, const char *file, totals_t *tot)
{
    char path[4096];
    uint8_t hdr[8];
    uint8_t *buf = NULL;
    size_t cap = 0;
    unsigned long pass = 0, run = 0, rev = 0;
    uint16_t flags_mask = set->model == CPU86_MODEL_8086 && !exact ? mask_for(file) : 0xFFFF;
    test_t t;
    gzFile gz;
    bool ok = true;

    memset(&t, 0, sizeof(t));
    if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path)) {
        return false;
    }
    gz = gzopen(path, "rb");
    if (!gz) {
        printf("%s %s: cannot open\n", set->name, file);
        return false;
    }
    gzbuffer(gz, 1 << 17);
    while (gzread(gz, hdr, 8) == 8) {
        uint32_t len = le32(hdr + 4);
        if (len > cap) {
            cap = len;
            buf = realloc(buf, cap);
        }
        if (gzread(gz, buf, len) != (int)len) {
            ok = false;
            break;
        }
        if (memcmp(hdr, "TEST", 4) != 0) {
            continue;
        }
        if (!parse_test(buf, len, &t)) {
            ok = false;
            break;
        }
        if (t.has_hash && is_revoked(t.hash)) {
            rev++;
            continue;
        }
        run++;
        pass += run_test(set, &t, flags_mask);
    }
    gzclose(gz);
    free(buf);
    free(t.init.ram);
    free(t.fina.ram);

    char label[64];
    snprintf(label, sizeof(label), "%.*s", (int)(strstr(file, ".MOO") - file), file);
    printf("%s %s: %lu/%lu", set->name, label, pass, run);
    if (rev) {
        printf(" (%lu revoked)", rev);
    }
    if (!ok) {
        printf(" (corrupt file)");
    }
    if (!memory_clean()) {
        printf(" (stray memory write)");
        ok = false;
    }
    printf("\n");
    tot->pass += pass;
    tot->run += run;
    tot->revoked += rev;
    if (!ok || pass != run) {
        tot->files_failed++;
    }
    return ok && pass == run;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool wanted(const char *set, const char *file, char **filters, int nfilters)
{
    char full[512];
    if (nfilters == 0) {
        return true;
    }
    snprintf(full, sizeof(full), "%s/%s", set, file);
    for (int i = 0; i < nfilters; i++) {
        if (strstr(full, filters[i])) {
            return true;
        }
    }
    return false;
}

static bool run_set(const set_t *set, const char *root, char **filters, int nfilters, totals_t *all)
{
    char dir[4096];
    char **names = NULL;
    size_t n = 0, cap = 0;
    totals_t tot = {0};
    struct dirent *e;
    DIR *d;

    if (snprintf(dir, sizeof(dir), "%s/%s", root, set->name) >= (int)sizeof(dir)) {
        return false;
    }
    d = opendir(dir);
    if (!d) {
        printf("%s: missing\n", dir);
        return false;
    }
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 7 && strcmp(e->d_name + l - 7, ".MOO.gz") == 0 &&
            wanted(set->name, e->d_name, filters, nfilters)) {
            if (n == cap) {
                cap = cap ? cap * 2 : 512;
                names = realloc(names, cap * sizeof(*names));
            }
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n; i++) {
        run_file(set, dir, names[i], &tot);
        free(names[i]);
    }
    free(names);
    if (n) {
        printf("%s total: %lu/%lu", set->name, tot.pass, tot.run);
        if (tot.revoked) {
            printf(" (%lu revoked)", tot.revoked);
        }
        printf("\n");
    }
    all->pass += tot.pass;
    all->run += tot.run;
    all->revoked += tot.revoked;
    all->files_failed += tot.files_failed;
    return tot.files_failed == 0;
}

int main(int argc, char **argv)
{
    char path[4096];
    char **filters = calloc((size_t)argc, sizeof(char *));
    int nfilters = 0;
    const char *root = NULL;
    totals_t all = {0};
    struct timespec t0, t1;
    bool ok = true;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) {
            verbose = true;
        } else if (strcmp(argv[i], "-x") == 0) {
            exact = true;
        } else if (!root) {
            root = argv[i];
        } else {
            filters[nfilters++] = argv[i];
        }
    }
    if (!root) {
        fprintf(stderr, "usage: %s DIR [-v] [-x] [FILTER...]\n", argv[0]);
        return 2;
    }
    snprintf(path, sizeof(path), "%s/8086/metadata.json", root);
    DIR *rootdir = opendir(root);
    if (rootdir) {
        closedir(rootdir);
    }
    if (!rootdir || !load_metadata(path)) {
        printf("cpu86-vectors: SKIP: no test vectors at %s\n"
               "The vectors are the public SingleStepTests 8086 and 80286 sets (MIT licence),\n"
               "https://github.com/SingleStepTests; place them in 8086/ and 80286-real/ there.\n",
               root);
        return SKIP;
    }
    snprintf(path, sizeof(path), "%s/80286-real/revocation_list.txt", root);
    load_revocations(path);

    mem = calloc(1, MEM_SIZE);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
        ok &= run_set(&sets[i], root, filters, nfilters, &all);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("total: %lu/%lu passed", all.pass, all.run);
    if (all.revoked) {
        printf(", %lu revoked tests skipped", all.revoked);
    }
    printf(", %.1f s\n", (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    free(mem);
    free(filters);
    return ok && all.run > 0 ? 0 : 1;
}
