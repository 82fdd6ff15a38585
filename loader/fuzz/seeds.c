/*
 * Writes the seed corpora (corpus/<target>/) from the same hand-built
 * images the unit tests start from: small, valid files that reach every
 * table, so the fuzzer mutates from deep inside each format.
 *
 * Usage: seeds CORPUS_DIR. Run by `run.sh seeds`; the output is committed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <loader/crc32.h>
#include <persona/bootimg.h>

#include "../tests/elfgen.h"
#include "../tests/negen.h"

static const char *root;

static void save(const char *target, const char *name, const void *data, size_t size)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s/%s", root, target, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static void elf_seeds(void)
{
    static elfgen_t g;
    static const char interp[] = "/lib/ld-musl-x86_64.so.1";
    uint32_t native = BOOTIMG_PERS_NATIVE;

    elfgen_good_exec(&g);
    save("elf", "exec", g.buf, g.size);
    elfgen_good_pie(&g);
    save("elf", "static-pie", g.buf, g.size);

    elfgen_good_exec(&g);
    size_t len = elfgen_note(g.buf + 0x400, "Persona", 1, &native, 4);
    elfgen_phdr(&g, 4, 4, 0x400, 0x400400, len, len, 4);
    memcpy(g.buf + 0x200, interp, sizeof(interp));
    elfgen_phdr(&g, 3, 4, 0x200, 0x400200, sizeof(interp), sizeof(interp), 1);
    elfgen_phdr(&g, 7, 4, 0x2000, 0x402000, 0x8, 0x40, 64);
    save("elf", "native-interp-tls", g.buf, g.size);
}

static void dos_seeds(void)
{
    static uint8_t buf[NEGEN_MAX];
    size_t size;

    memset(buf, 0, sizeof(buf));
    mzgen_header(buf, 0x100);
    put16(buf + 6, 1);
    put16(buf + 0x40, 0x10);
    save("mz", "exe", buf, 0x100);
    save("mz", "com", "\xb4\x09\xba\x08\x01\xcd\x21\xc3Hi$", 12);

    negen_good(buf, &size);
    save("ne", "win16", buf, size);
    save("mz", "win16", buf, size);
}

/* A boot image with a directory, a file and a symlink. */
static void bootimg_seed(void)
{
    static uint8_t img[3 * 4096];
    static const char strings[] = "/bin\0/bin/sh\0/bin/x";
    const uint32_t names[] = {0, 5, 13};
    const uint16_t types[] = {BOOTIMG_DIR, BOOTIMG_FILE, BOOTIMG_SYMLINK};
    const uint64_t offs[] = {0, 4096, 8192}, sizes[] = {0, 4, 2};

    memset(img, 0, sizeof(img));
    for (int i = 0; i < 3; i++) {
        uint8_t *e = img + 56 + 32 * i;
        put32(e, names[i]);
        put16(e + 4, types[i]);
        put16(e + 6, types[i] == BOOTIMG_FILE ? BOOTIMG_PERS_NATIVE : 0);
        put32(e + 8, 0755);
        put64(e + 16, offs[i]);
        put64(e + 24, sizes[i]);
    }
    memcpy(img + 56 + 96, strings, sizeof(strings));
    memcpy(img + 4096, "\177ELF", 4);
    memcpy(img + 8192, "sh", 2);
    memcpy(img, BOOTIMG_MAGIC, 8);
    put32(img + 8, BOOTIMG_VERSION);
    put32(img + 12, 3);
    put64(img + 16, 8192 + 2);
    put64(img + 24, 56);
    put64(img + 32, 56 + 96);
    put64(img + 40, sizeof(strings));
    put32(img + 48, ldr_crc32(ldr_crc32(0, img + 56, 96), img + 56 + 96, sizeof(strings)));
    save("bootimg", "small", img, 8192 + 2);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    root = argv[1];
    elf_seeds();
    dos_seeds();
    bootimg_seed();
    return 0;
}
