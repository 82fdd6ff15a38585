/*
 * mkbootimg end to end: build images from real files with the tool, read
 * them back with the loader's reader, and check that bad programs and bad
 * command lines are refused with a message naming the problem.
 *
 * Arguments: MKBOOTIMG POSIX_ELF NATIVE_ELF (the ELF files may be any
 * Linux program and any program with the Persona note).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <loader/bootimg.h>

#include "elfgen.h"
#include "negen.h"

static const char *tool, *posix_elf, *native_elf;
static char dir[] = "/tmp/mkbootimg-test-XXXXXX";
static char cmd[4096];

static unsigned char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *size = (size_t)n;
    }
    fclose(f);
    return buf;
}

static void spit(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Runs mkbootimg with `args`; returns its exit status, stderr in dir/err. */
static int run(const char *args)
{
    snprintf(cmd, sizeof(cmd), "cd %s && '%s' %s 2>err", dir, tool, args);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *err_text(void)
{
    static char path[128];
    size_t n;
    snprintf(path, sizeof(path), "%s/err", dir);
    char *s = (char *)slurp(path, &n);
    assert_non_null(s);
    s[n] = '\0';
    return s;
}

static void full_tree(const char *out)
{
    snprintf(cmd, sizeof(cmd),
             "-o %s --map motd=/etc/motd --map '%s'=/bin/prog --map '%s'=/sbin/init "
             "--link /bin/alias=/bin/prog --symlink /bin/sh=prog --dir /tmp "
             "--mode /tmp=1777 --map empty=/etc/empty",
             out, posix_elf, native_elf);
    char args[4096];
    strcpy(args, cmd);
    if (run(args) != 0)
        fail_msg("mkbootimg failed: %s", err_text());
}

static void round_trip(void **state)
{
    char path[128];
    size_t size, elf_size;
    ldr_bootimg_t img;
    ldr_bootimg_ent_t e, alias;
    const char *why = NULL;
    (void)state;

    full_tree("a.img");
    snprintf(path, sizeof(path), "%s/a.img", dir);
    unsigned char *data = slurp(path, &size);
    assert_non_null(data);
    if (ldr_bootimg_open(data, size, &img, &why) != LDR_OK)
        fail_msg("reader refuses mkbootimg's image: %s", why);
    assert_int_equal(size % BOOTIMG_ALIGN, 0);

    /* /bin, /etc and /sbin come from the parents of the files. */
    const char *const paths[] = {"/bin",       "/bin/alias", "/bin/prog", "/bin/sh",    "/etc",
                                 "/etc/empty", "/etc/motd",  "/sbin",     "/sbin/init", "/tmp"};
    assert_int_equal(img.count, 10);
    for (uint32_t i = 0; i < 10; i++) {
        assert_int_equal(ldr_bootimg_get(&img, i, &e), LDR_OK);
        assert_string_equal(e.path, paths[i]);
    }

    assert_int_equal(ldr_bootimg_lookup(&img, "/etc/motd", &e), LDR_OK);
    assert_int_equal(e.type, BOOTIMG_FILE);
    assert_int_equal(e.personality, BOOTIMG_PERS_NONE);
    assert_int_equal(e.mode, 0644);
    assert_int_equal(e.size, 6);
    assert_memory_equal(e.data, "hello\n", 6);

    assert_int_equal(ldr_bootimg_lookup(&img, "/bin/prog", &e), LDR_OK);
    assert_int_equal(e.personality, BOOTIMG_PERS_POSIX);
    unsigned char *elf = slurp(posix_elf, &elf_size);
    assert_non_null(elf);
    assert_int_equal(e.size, elf_size);
    assert_memory_equal(e.data, elf, elf_size);
    free(elf);

    assert_int_equal(ldr_bootimg_lookup(&img, "/bin/alias", &alias), LDR_OK);
    assert_int_equal(alias.data_offset, e.data_offset);
    assert_int_equal(alias.personality, BOOTIMG_PERS_POSIX);

    assert_int_equal(ldr_bootimg_lookup(&img, "/sbin/init", &e), LDR_OK);
    assert_int_equal(e.personality, BOOTIMG_PERS_NATIVE);

    assert_int_equal(ldr_bootimg_lookup(&img, "/bin/sh", &e), LDR_OK);
    assert_int_equal(e.type, BOOTIMG_SYMLINK);
    assert_int_equal(e.size, 4);
    assert_memory_equal(e.data, "prog", 4);

    assert_int_equal(ldr_bootimg_lookup(&img, "/tmp", &e), LDR_OK);
    assert_int_equal(e.type, BOOTIMG_DIR);
    assert_int_equal(e.mode, 01777);

    assert_int_equal(ldr_bootimg_lookup(&img, "/etc/empty", &e), LDR_OK);
    assert_int_equal(e.size, 0);
    free(data);
}

static void dos_and_win16_programs(void **state)
{
    uint8_t prog[NEGEN_MAX];
    char path[128];
    size_t size, n;
    ldr_bootimg_t img;
    ldr_bootimg_ent_t e;
    const char *why = NULL;
    (void)state;

    snprintf(path, sizeof(path), "%s/hello.com", dir);
    spit(path, "\xb4\x4c\xcd\x21", 4);
    memset(prog, 0, sizeof(prog));
    mzgen_header(prog, 0x100);
    snprintf(path, sizeof(path), "%s/game.exe", dir);
    spit(path, prog, 0x100);
    negen_good(prog, &size);
    snprintf(path, sizeof(path), "%s/clock.exe", dir);
    spit(path, prog, size);
    if (run("-o e.img --map hello.com=/dos/HELLO.COM --map game.exe=/dos/GAME.EXE "
            "--map clock.exe=/win/CLOCK.EXE --map hello.com=/dos/hello.txt") != 0)
        fail_msg("mkbootimg failed: %s", err_text());

    snprintf(path, sizeof(path), "%s/e.img", dir);
    unsigned char *data = slurp(path, &n);
    assert_non_null(data);
    assert_int_equal(ldr_bootimg_open(data, n, &img, &why), LDR_OK);
    assert_int_equal(ldr_bootimg_lookup(&img, "/dos/HELLO.COM", &e), LDR_OK);
    assert_int_equal(e.personality, BOOTIMG_PERS_DOS);
    assert_int_equal(ldr_bootimg_lookup(&img, "/dos/GAME.EXE", &e), LDR_OK);
    assert_int_equal(e.personality, BOOTIMG_PERS_DOS);
    assert_int_equal(ldr_bootimg_lookup(&img, "/win/CLOCK.EXE", &e), LDR_OK);
    assert_int_equal(e.personality, BOOTIMG_PERS_WIN16);
    /* The same bytes under a name that is no program's are data. */
    assert_int_equal(ldr_bootimg_lookup(&img, "/dos/hello.txt", &e), LDR_OK);
    assert_int_equal(e.personality, BOOTIMG_PERS_NONE);
    free(data);

    /* A truncated NE file and an empty .COM are refused by name. */
    snprintf(path, sizeof(path), "%s/broken.exe", dir);
    spit(path, prog, 0x100);
    assert_int_not_equal(run("-o f.img --map broken.exe=/win/BROKEN.EXE"), 0);
    char *err = err_text();
    if (!strstr(err, "broken.exe") || !strstr(err, "NE"))
        fail_msg("unexpected message: %s", err);
    free(err);
    assert_int_not_equal(run("-o f.img --map empty=/dos/EMPTY.COM"), 0);
    err = err_text();
    if (!strstr(err, "empty") || !strstr(err, "COM file is empty"))
        fail_msg("unexpected message: %s", err);
    free(err);
}

static void deterministic(void **state)
{
    char a[128], b[128];
    size_t na, nb;
    (void)state;

    full_tree("a.img");
    full_tree("b.img");
    snprintf(a, sizeof(a), "%s/a.img", dir);
    snprintf(b, sizeof(b), "%s/b.img", dir);
    unsigned char *da = slurp(a, &na), *db = slurp(b, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(da, db, na);
    free(da);
    free(db);
}

static void refuses_corrupt_elf(void **state)
{
    char path[128];
    size_t size;
    (void)state;

    unsigned char *elf = slurp(posix_elf, &size);
    assert_non_null(elf);
    snprintf(path, sizeof(path), "%s/broken", dir);
    spit(path, elf, 200); /* the header survives, the program headers do not */
    free(elf);
    assert_int_not_equal(run("-o c.img --map broken=/bin/broken"), 0);
    char *err = err_text();
    if (!strstr(err, "broken") || !strstr(err, "corrupt ELF program") ||
        !strstr(err, "past end of file"))
        fail_msg("unexpected message: %s", err);
    free(err);
    snprintf(path, sizeof(path), "%s/c.img", dir);
    assert_int_not_equal(access(path, F_OK), 0);
}

static void refuses_bad_command_lines(void **state)
{
    static const struct {
        const char *args;
        const char *words;
    } bad[] = {
        {"-o d.img --map motd=etc/motd", "absolute"},
        {"-o d.img --map motd=/etc/", "absolute"},
        {"-o d.img --map motd=/etc/../x", "'..'"},
        {"-o d.img --map motd=/x --map motd=/x", "twice"},
        {"-o d.img --map motd=/x --map motd=/x/y", "directory"},
        {"-o d.img --link /a=/nothing", "--link /a=/nothing"},
        {"-o d.img --dir /d --link /a=/d", "must be a file"},
        {"-o d.img --mode /nothing=0755", "no such entry"},
        {"-o d.img --dir /d --mode /d=9", "octal"},
        {"-o d.img --map nofile=/x", "nofile"},
        {"-o d.img --map motd", "LEFT=RIGHT"},
        {"--map motd=/x", "usage"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = run(bad[i].args);
        char *err = err_text();
        if (rc == 0 || !strstr(err, bad[i].words))
            fail_msg("'%s': status %d, message: %s", bad[i].args, rc, err);
        free(err);
    }
}

static int setup(void **state)
{
    char path[128];
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/motd", dir);
    spit(path, "hello\n", 6);
    snprintf(path, sizeof(path), "%s/empty", dir);
    spit(path, "", 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(dos_and_win16_programs),
        cmocka_unit_test(deterministic),
        cmocka_unit_test(refuses_corrupt_elf),
        cmocka_unit_test(refuses_bad_command_lines),
    };
    if (argc != 4) {
        fprintf(stderr, "usage: %s MKBOOTIMG POSIX_ELF NATIVE_ELF\n", argv[0]);
        return 2;
    }
    /* The tool runs in a scratch directory: make the paths absolute. */
    tool = realpath(argv[1], NULL);
    posix_elf = realpath(argv[2], NULL);
    native_elf = realpath(argv[3], NULL);
    if (!tool || !posix_elf || !native_elf) {
        perror("realpath");
        return 2;
    }
    return cmocka_run_group_tests(tests, setup, teardown);
}
