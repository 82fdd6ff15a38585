/*
 * mkbootimg: builds a Persona boot image (format: <persona/bootimg.h>) from
 * host files, for QEMU to hand to the kernel as a module.
 *
 * Every file is classified as it is added: ELF programs are validated by
 * the loader's own parser and cross-checked against libelf (elfcheck.c),
 * and their personality comes from the Persona note; DOS and Win16 programs
 * are recognised by ldr_detect(); anything else is data. A bad program is
 * refused with its name and the problem, so a broken image never boots.
 *
 * Output is deterministic: entries sorted by path, data in the same order,
 * no timestamps or host ownership. The result is re-read with the loader's
 * boot image reader before it is written.
 *
 * Entry point: main(); usage() documents the command line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <loader/bootimg.h>
#include <loader/crc32.h>

#include "mkbootimg.h"

static const char *prog = "mkbootimg";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: %s -o OUT [SPEC]...\n"
            "Builds a Persona boot image. SPECs, in any order and any number:\n"
            "  --map SRC=/dest        copy host file SRC to /dest (mode 0755 when SRC is\n"
            "                         executable on the host, else 0644)\n"
            "  --dir /path            create an empty directory (mode 0755)\n"
            "  --link /dest=/existing make /dest a hard link to the file /existing\n"
            "  --symlink /dest=TARGET make /dest a symbolic link to TARGET\n"
            "  --mode /path=OCTAL     set the permission bits of an entry (e.g. 0700)\n"
            "Other options:\n"
            "  -o, --output OUT       write the image to OUT (required)\n"
            "  -v, --verbose          list every entry with its type, personality and size\n"
            "  -h, --help             show this text\n"
            "Paths in the image are absolute, without '.', '..', '//' or a trailing '/'.\n"
            "Missing parent directories are created. Each file is classified: ELF programs\n"
            "are validated (the loader's parser must agree with libelf) and are 'native'\n"
            "when they carry the Persona note, else 'posix'; .COM and MZ programs are 'dos',\n"
            "NE programs 'win16'; everything else is data. A corrupt program is an error.\n",
            prog);
}

void die(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

void *xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

/* Splits "LEFT=RIGHT" at the first '='; both sides must be non-empty. */
static void split(const char *opt, const char *arg, char **left, char **right)
{
    const char *eq = strchr(arg, '=');

    if (!eq || eq == arg || eq[1] == '\0')
        die("%s expects LEFT=RIGHT, got '%s'", opt, arg);
    *left = strndup(arg, (size_t)(eq - arg));
    *right = strdup(eq + 1);
    if (!*left || !*right)
        die("out of memory");
}

static unsigned char *read_file(const char *path, size_t *size, unsigned *mode)
{
    FILE *f = fopen(path, "rb");
    struct stat st;

    if (!f)
        die("%s: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
        die("%s: not a regular file", path);
    unsigned char *buf = xmalloc((size_t)st.st_size);
    if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
        die("%s: read error", path);
    fclose(f);
    *size = (size_t)st.st_size;
    *mode = (st.st_mode & 0111) ? 0755 : 0644;
    return buf;
}

static unsigned parse_mode(const char *path, const char *s)
{
    char *end;
    unsigned long m = strtoul(s, &end, 8);

    if (*s == '\0' || *end != '\0' || m > 07777)
        die("--mode %s: '%s' is not an octal mode up to 07777", path, s);
    return (unsigned)m;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"map", required_argument, NULL, 'm'},
        {"dir", required_argument, NULL, 'd'},
        {"link", required_argument, NULL, 'l'},
        {"symlink", required_argument, NULL, 's'},
        {"mode", required_argument, NULL, 'M'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    bool verbose = false;
    tree_t tree = {0};
    int c;

    while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
        char *left, *right;
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'm': {
            size_t size;
            unsigned mode;
            split("--map", optarg, &left, &right);
            unsigned char *data = read_file(left, &size, &mode);
            tree_add_file(&tree, right, left, data, size, mode); /* keeps both names */
            break;
        }
        case 'd':
            tree_add_dir(&tree, optarg);
            break;
        case 'l':
            split("--link", optarg, &left, &right);
            tree_add_link(&tree, left, right);
            break;
        case 's':
            split("--symlink", optarg, &left, &right);
            tree_add_symlink(&tree, left, right);
            free(right);
            break;
        case 'M':
            split("--mode", optarg, &left, &right);
            tree_set_mode(&tree, left, parse_mode(left, right));
            free(left);
            free(right);
            break;
        case 'v':
            verbose = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!out || optind != argc) {
        usage(stderr);
        return 2;
    }

    size_t size;
    unsigned char *img = tree_build(&tree, &size);

    /* The image must satisfy the reader the kernel uses. */
    ldr_bootimg_t check;
    const char *why = "";
    if (ldr_bootimg_open(img, size, &check, &why) != LDR_OK)
        die("internal error: the image fails validation: %s", why);
    if (verbose)
        tree_print(&check, stdout);

    FILE *f = fopen(out, "wb");
    if (!f)
        die("%s: %s", out, strerror(errno));
    if (fwrite(img, 1, size, f) != size || fclose(f) != 0) {
        remove(out);
        die("%s: write error", out);
    }
    free(img);
    return 0;
}
