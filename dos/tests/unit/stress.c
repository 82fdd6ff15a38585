/*
 * dos-stress: DOS calls with random registers and random memory, and
 * random programs run in a VDM, to show that nothing a program does can
 * crash the VDM or the server, run past its budget, or reach outside the
 * VDM's memory (run it under ASan/UBSan for the last). The server works
 * on a scratch directory, which it cannot leave: ".." stops at the root.
 *
 *   dos-stress [ROUNDS [SEED]]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dos/vmem.h>

#include "../../host/host.h"

static uint8_t mem[VDM_MEM_SIZE];
static vdm_t vdm;
static dos_server_t dos;
static dos_posix_t host;
static dos_host_ops_t ops;
static vdm_host_t vh;
static char root[256];
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

static void quiet_log(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
}

static void quiet_term(void *ctx, const char *buf, size_t n)
{
    (void)ctx;
    (void)buf;
    (void)n;
}

static int no_key(void *ctx, bool wait)
{
    (void)ctx;
    (void)wait;
    return VDM_KEY_EOF;
}

static void wipe(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];

    while (d != NULL && (e = readdir(d)) != NULL) {
        struct stat st;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            chmod(path, 0755);
            wipe(path);
            rmdir(path);
        } else {
            unlink(path);
        }
    }
    if (d != NULL)
        closedir(d);
}

static void put_file(const char *name, const uint8_t *data, size_t n)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", root, name);
    FILE *f = fopen(path, "wb");
    if (f != NULL) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

/* Programs for EXEC: a small good one, and an MZ image with random fields
 * and relocations (new ones at every boot) for the loader's checks. */
static void put_programs(void)
{
    static const uint8_t child[] = {0xB8, 0x05, 0x4C, 0xCD, 0x21};
    uint8_t mz[600];

    put_file("CHILD.COM", child, sizeof(child));
    for (size_t i = 0; i < sizeof(mz); i++)
        mz[i] = (uint8_t)rnd();
    mz[0] = 'M';
    mz[1] = 'Z';
    mz[2] = (uint8_t)(rnd() % 4 ? 600 % 512 : rnd());
    mz[3] = rnd() % 4 ? 0 : (uint8_t)rnd();
    mz[4] = rnd() % 4 ? 2 : (uint8_t)rnd();
    mz[5] = 0;
    mz[6] = (uint8_t)(rnd() % 8);
    mz[7] = 0;
    mz[8] = rnd() % 4 ? 2 : (uint8_t)rnd();
    mz[9] = 0;
    mz[0x18] = 0x1C;
    mz[0x19] = 0;
    for (int i = 0; i < 8; i++) {
        mz[0x1C + 4 * i + 1] = (uint8_t)(rnd() % 2);
        mz[0x1C + 4 * i + 3] = 0;
    }
    put_file("BAD.EXE", mz, rnd() % 4 ? sizeof(mz) : rnd() % sizeof(mz));
}

static void boot(void)
{
    put_programs();
    dos_server_config_t cfg = {
        .ops = &ops,
        .ctx = &host,
        .mem = mem,
        .mem_size = sizeof(mem),
    };
    if (vdm_init(&vdm, mem, sizeof(mem), &vh, &host) != 0 || dos_server_init(&dos, &cfg) != 0 ||
        dos_server_map_drive(&dos, 'C', root) != 0 || dos_server_boot(&dos) != 0) {
        fprintf(stderr, "dos-stress: set-up failed\n");
        exit(1);
    }
    vdm.timer_enabled = false;
}

/* Strings a program might pass as names: good ones, bad ones, long ones. */
static const char *const names[] = {
    "A.TXT",
    "B",
    "SUB",
    "SUB\\C.DAT",
    "*.*",
    "?.TXT",
    "..",
    "..\\..\\X",
    "\\",
    "C:",
    "C:\\",
    "Z:\\A",
    "CON",
    "NUL",
    "PRN",
    "AUX",
    "A.B.C",
    "SUB\\..\\A.TXT",
    "/A.TXT",
    "x:y",
    "",
    "CHILD.COM",
    "BAD.EXE",
    "CHILD.COM",
    "BAD.EXE",
    "LONGLONGNAME.EXTENSION",
    "SUB\\SUB2\\SUB3",
    "a*b?.c*",
};

static void put_string(uint16_t seg, uint16_t off)
{
    uint32_t k = rnd() % 8;

    if (k == 0) {
        /* Garbage without a terminator for a while. */
        for (int i = 0; i < 300; i++)
            vm_wr8(mem, seg, (uint16_t)(off + i), (uint8_t)(rnd() | 1));
        return;
    }
    const char *s = names[rnd() % (sizeof(names) / sizeof(names[0]))];
    vm_write(mem, seg, off, s, strlen(s) + 1);
}

static void random_call(void)
{
    static const uint8_t funcs[] = {
        0x00, 0x02, 0x06, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14,
        0x15, 0x16, 0x17, 0x19, 0x1A, 0x1B, 0x1C, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
        0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2F, 0x30, 0x31, 0x33, 0x34, 0x35, 0x36, 0x37,
        0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45,
        0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F, 0x50, 0x51, 0x52, 0x56,
        0x57, 0x58, 0x59, 0x5A, 0x5B, 0x62, 0x66, 0x67, 0x68, 0x6C,
    };
    dos_regs_t r;
    uint16_t data = (uint16_t)(0x2000 + rnd() % 0x6000);

    memset(&r, 0, sizeof(r));
    r.ah = rnd() % 16 == 0 ? (uint8_t)rnd() : funcs[rnd() % sizeof(funcs)];
    r.al = rnd() % 4 == 0 ? (uint8_t)rnd() : (uint8_t)(rnd() % 4);
    r.bx = rnd() % 2 ? (uint16_t)(rnd() % 24) : (uint16_t)rnd();
    r.cx = rnd() % 2 ? (uint16_t)(rnd() % 300) : (uint16_t)rnd();
    r.dx = (uint16_t)(rnd() % 2 ? rnd() % 0x100 : rnd());
    r.si = (uint16_t)(rnd() % 0x100 + 0x100);
    r.di = (uint16_t)(rnd() % 0x100 + 0x200);
    r.ds = data;
    r.es = rnd() % 4 ? data : (uint16_t)rnd();
    if (r.ah == 0x4B && rnd() % 2) {
        /* A parameter block that points at real strings now and then. */
        vm_wr16(mem, r.es, r.bx, 0);
        vm_wr32(mem, r.es, (uint16_t)(r.bx + 2), (uint32_t)data << 16 | 0x300);
        vm_wr8(mem, data, 0x300, 3);
        vm_write(mem, data, 0x301, " AB\r", 4);
    }
    r.ss = 0x1800;
    r.sp = (uint16_t)(rnd() % 3 ? 0x800 : rnd());
    r.cs = 0x1800;
    r.ip = 0x100;
    r.flags = 0x0202;
    /* Random bytes around the pointers, then a name where one is read. */
    for (int i = 0; i < 64; i++) {
        vm_wr8(mem, r.ds, (uint16_t)(r.dx + i), (uint8_t)rnd());
        vm_wr8(mem, r.es, (uint16_t)(r.bx + i), (uint8_t)rnd());
    }
    if (rnd() % 3)
        put_string(r.ds, r.dx);
    if (rnd() % 2)
        put_string(r.es, r.di);
    if (rnd() % 2)
        put_string(r.ds, r.si);
    if (rnd() % 64 == 0) /* and now and then, scribble on the arena */
        vm_wr8(mem, (uint16_t)(0x100 + rnd() % 0x200), (uint16_t)(rnd() % 16), (uint8_t)rnd());

    int rc = dos_server_call(&dos, 0x21, &r);
    if (rc == DOS_CALL_EXIT || rc == DOS_CALL_HALT) {
        wipe(root);
        boot();
    }
}

/* A program of random instructions, with DOS and BIOS calls mixed in. */
static void random_program(void)
{
    dos_regs_t r;
    uint8_t code[512];

    for (size_t i = 0; i < sizeof(code);) {
        uint32_t k = rnd() % 8;
        if (k == 0 && i + 4 < sizeof(code)) {
            code[i++] = 0xB4; /* mov ah, n; int 21h */
            code[i++] = (uint8_t)(rnd() % 0x70);
            code[i++] = 0xCD;
            code[i++] = rnd() % 4 ? 0x21 : (uint8_t)(0x10 + rnd() % 16);
        } else {
            code[i++] = (uint8_t)rnd();
        }
    }
    memcpy(mem + 0x18100, code, sizeof(code));
    memset(&r, 0, sizeof(r));
    r.cs = r.ds = r.es = r.ss = 0x1800;
    r.ip = 0x100;
    r.sp = 0xFFFE;
    r.flags = 0x0202;
    vdm_set_regs(&vdm, &r);
    int st = vdm_run(&vdm, 20000);
    if (st != VDM_RUNNING) {
        wipe(root);
        boot();
    }
}

int main(int argc, char **argv)
{
    unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000;
    if (argc > 2)
        rng = strtoull(argv[2], NULL, 0) | 1;

    snprintf(root, sizeof(root), "%s/dos-stress-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(root) == NULL) {
        perror("dos-stress: mkdtemp");
        return 1;
    }
    char sub[300];
    snprintf(sub, sizeof(sub), "%s/SUB", root);
    mkdir(sub, 0755);

    dos_posix_init(&host);
    host.vdm = &vdm;
    host.dos = &dos;
    host.name = "dos-stress";
    dos_posix_ops(&ops);
    ops.log = quiet_log;
    dos_posix_vdm_host(&vh);
    vh.term_write = quiet_term;
    vh.key_read = no_key;
    vh.log = quiet_log;
    vh.idle = NULL;
    boot();

    for (unsigned long i = 0; i < rounds; i++) {
        if (i % 8 == 7)
            random_program();
        else
            random_call();
    }
    wipe(root);
    rmdir(root);
    printf("dos-stress: %lu rounds done\n", rounds);
    return 0;
}
