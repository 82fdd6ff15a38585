/*
 * ldr_elf_parse() on real programs, cross-checked against libelf.
 *
 * Arguments are KIND:PATH with KIND one of
 *   dynamic     a dynamically linked program (e.g. /bin/true): PT_INTERP
 *   static      static ET_EXEC (musl-gcc -static)
 *   static-pie  static ET_DYN (musl-gcc -static-pie): PIE, PT_DYNAMIC, no interp
 *   native      static, with the Persona note
 *   rejected    a fuzzer find the loader must refuse (tests/regress/elf-*)
 *   libelf-refuses  accepted by the loader, refused by libelf (bad section
 *               headers): elfcheck reports ELFCHECK_LIBELF, not a difference
 * A path that does not exist is skipped, since host programs vary.
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

#include <persona/bootimg.h>

#include "elfcheck.h"

static unsigned char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *size = (size_t)n;
    }
    fclose(f);
    return buf;
}

static void check_program(void **state)
{
    const char *arg = *state;
    const char *colon = strchr(arg, ':');
    assert_non_null(colon);
    const char *path = colon + 1;
    size_t klen = (size_t)(colon - arg);
    ldr_elf_info_t info;
    char msg[256];
    size_t size = 0;

    if (access(path, R_OK) != 0)
        skip();
    unsigned char *img = slurp(path, &size);
    assert_non_null(img);
    if (strncmp(arg, "rejected", klen) == 0) {
        const char *why = NULL;
        assert_int_equal(ldr_elf_parse(img, size, &info, &why), LDR_ECORRUPT);
        assert_non_null(why);
        free(img);
        return;
    }
    if (strncmp(arg, "libelf-refuses", klen) == 0) {
        assert_int_equal(ldr_elf_parse(img, size, &info, NULL), LDR_OK);
        assert_int_equal(elfcheck(img, size, &info, msg, sizeof(msg)), ELFCHECK_LIBELF);
        free(img);
        return;
    }
    if (elfcheck(img, size, &info, msg, sizeof(msg)) != 0)
        fail_msg("%s: %s", path, msg);

    assert_true(info.has_entry);
    assert_true(info.nload >= 2);
    assert_true(info.has_phdr_vaddr);
    if (strncmp(arg, "dynamic", klen) == 0) {
        assert_true(info.has_interp);
        assert_true(strncmp(info.interp, "/lib", 4) == 0);
        assert_int_equal(info.personality, BOOTIMG_PERS_POSIX);
    } else if (strncmp(arg, "static", klen) == 0) {
        assert_false(info.has_interp);
        assert_int_equal(info.type, LDR_ET_EXEC);
        assert_true(info.has_tls);
        assert_int_equal(info.personality, BOOTIMG_PERS_POSIX);
    } else if (strncmp(arg, "static-pie", klen) == 0) {
        assert_false(info.has_interp);
        assert_int_equal(info.type, LDR_ET_DYN);
        assert_true(info.pie);
        assert_true(info.has_dynamic);
        assert_true(info.has_tls);
        assert_int_equal(info.personality, BOOTIMG_PERS_POSIX);
    } else if (strncmp(arg, "native", klen) == 0) {
        assert_int_equal(info.personality, BOOTIMG_PERS_NATIVE);
    } else {
        fail_msg("unknown kind in '%s'", arg);
    }

    /* A corrupt copy must be refused by the pair as well: cut it inside
     * the last loadable segment's file data. */
    const ldr_elf_segment_t *last = &info.load[info.nload - 1];
    if (last->filesz > 0) {
        size_t cut = (size_t)(last->offset + last->filesz - 1);
        assert_int_not_equal(elfcheck(img, cut, &info, msg, sizeof(msg)), 0);
        assert_non_null(strstr(msg, "past end of file"));
    }
    free(img);
}

int main(int argc, char **argv)
{
    struct CMUnitTest *tests = calloc((size_t)argc, sizeof(*tests));

    if (!tests || argc < 2)
        return 1;
    for (int i = 1; i < argc; i++) {
        tests[i - 1].name = argv[i];
        tests[i - 1].test_func = check_program;
        tests[i - 1].initial_state = argv[i];
    }
    return _cmocka_run_group_tests("real ELF programs", tests, (size_t)argc - 1, NULL, NULL);
}
