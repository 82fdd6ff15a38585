/*
 * Replays files through every parser (fuzz/exercise.c), built with ASan
 * and UBSan where the host compiler has them: the fuzzers' seed corpora
 * and the inputs in tests/regress/ that once crashed or hung a parser.
 *
 * Arguments: directories. Each becomes one test; every regular file in it
 * is fed to the ELF, MZ/COM, NE, boot image and detection code, which must
 * neither crash nor break a promise of their headers. README files are
 * skipped.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../fuzz/exercise.h"

static void replay_dir(void **state)
{
    const char *dir = *state;
    DIR *d = opendir(dir);
    struct dirent *de;
    int files = 0;

    if (!d)
        fail_msg("%s: cannot open", dir);
    while ((de = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        if (strcmp(de->d_name, "README") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;

        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        /* An exact-size buffer, so that ASan sees a read one byte too far. */
        uint8_t *buf = malloc(st.st_size ? (size_t)st.st_size : 1);
        assert_non_null(buf);
        assert_int_equal(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
        fclose(f);
        exercise_all(buf, (size_t)st.st_size);
        free(buf);
        files++;
    }
    closedir(d);
    print_message("%s: %d files\n", dir, files);
}

int main(int argc, char **argv)
{
    struct CMUnitTest *tests = calloc((size_t)argc, sizeof(*tests));

    if (!tests || argc < 2)
        return 1;
    for (int i = 1; i < argc; i++) {
        tests[i - 1].name = argv[i];
        tests[i - 1].test_func = replay_dir;
        tests[i - 1].initial_state = argv[i];
    }
    return _cmocka_run_group_tests("corpora", tests, (size_t)argc - 1, NULL, NULL);
}
