/*
 * Unit tests of the boot image reader: a hand-laid image read back through
 * open/get/lookup/next_child, then one test per kind of corruption (each
 * patched image gets a correct CRC, so the check under test is the one
 * that must fire).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <loader/bootimg.h>
#include <loader/crc32.h>

#include "elfgen.h"

typedef struct spec {
    const char *path;
    uint16_t type;
    uint16_t pers;
    const char *data; /* NULL for none */
} spec_t;

static uint8_t img[0x10000];
static size_t img_size;
static ldr_bootimg_t bi;

enum { EOFF = 56 };

static uint8_t *ent(uint32_t i)
{
    return img + EOFF + 32 * i;
}

static void recrc(void)
{
    uint64_t soff = get64(img + 32), ssize = get64(img + 40);
    uint32_t count = get32(img + 12);
    put32(img + 48, ldr_crc32(ldr_crc32(0, img + EOFF, 32 * (size_t)count), img + soff, ssize));
}

/* Lays out the entries in the order given, like mkbootimg does once sorted. */
static void build(const spec_t *s, uint32_t n)
{
    uint64_t soff = EOFF + 32 * (uint64_t)n, name = 0, data;

    memset(img, 0, sizeof(img));
    for (uint32_t i = 0; i < n; i++)
        name += strlen(s[i].path) + 1;
    data = (soff + name + 4095) & ~4095ull;
    name = 0;
    for (uint32_t i = 0; i < n; i++) {
        size_t len = strlen(s[i].path) + 1, dlen = s[i].data ? strlen(s[i].data) : 0;
        memcpy(img + soff + name, s[i].path, len);
        put32(ent(i), (uint32_t)name);
        put16(ent(i) + 4, s[i].type);
        put16(ent(i) + 6, s[i].pers);
        put32(ent(i) + 8, s[i].type == BOOTIMG_DIR ? 0755 : 0644);
        if (dlen) {
            memcpy(img + data, s[i].data, dlen);
            put64(ent(i) + 16, data);
            put64(ent(i) + 24, dlen);
            data = (data + dlen + 4095) & ~4095ull;
        }
        name += len;
    }
    memcpy(img, BOOTIMG_MAGIC, 8);
    put32(img + 8, BOOTIMG_VERSION);
    put32(img + 12, n);
    put64(img + 16, data);
    put64(img + 24, EOFF);
    put64(img + 32, soff);
    put64(img + 40, name);
    img_size = data;
    recrc();
}

static const spec_t tree[] = {
    {"/a-b", BOOTIMG_FILE, 0, "x"},
    {"/bin", BOOTIMG_DIR, 0, NULL},
    {"/bin/sh", BOOTIMG_FILE, BOOTIMG_PERS_NATIVE, "\177ELF shell"},
    {"/bin/true", BOOTIMG_FILE, BOOTIMG_PERS_POSIX, "\177ELF true"},
    {"/bin/x", BOOTIMG_DIR, 0, NULL},
    {"/bin/x/deep", BOOTIMG_FILE, 0, NULL},
    {"/bin/y", BOOTIMG_SYMLINK, 0, "sh"},
    {"/empty", BOOTIMG_DIR, 0, NULL},
    {"/etc", BOOTIMG_DIR, 0, NULL},
    {"/etc/motd", BOOTIMG_FILE, 0, "hello\n"},
};
#define NTREE ((uint32_t)(sizeof(tree) / sizeof(tree[0])))

static void expect_fail(int status, const char *words)
{
    const char *why = NULL;
    int rc = ldr_bootimg_open(img, img_size, &bi, &why);

    assert_int_equal(rc, status);
    assert_non_null(why);
    if (!strstr(why, words))
        fail_msg("why = \"%s\", expected \"%s\"", why, words);
}

static void expect_ok(void)
{
    const char *why = NULL;

    if (ldr_bootimg_open(img, img_size, &bi, &why) != LDR_OK)
        fail_msg("rejected: %s", why);
}

static void crc_known_value(void **state)
{
    (void)state;
    /* The standard check value of CRC-32/ISO-HDLC, and in two pieces. */
    assert_int_equal(ldr_crc32(0, "123456789", 9), 0xCBF43926u);
    assert_int_equal(ldr_crc32(ldr_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
    assert_int_equal(ldr_crc32(0, "", 0), 0);
}

static void read_back(void **state)
{
    ldr_bootimg_ent_t e;
    (void)state;

    build(tree, NTREE);
    expect_ok();
    assert_int_equal(bi.count, NTREE);
    for (uint32_t i = 0; i < NTREE; i++) {
        assert_int_equal(ldr_bootimg_get(&bi, i, &e), LDR_OK);
        assert_string_equal(e.path, tree[i].path);
        assert_int_equal(e.type, tree[i].type);
        assert_int_equal(e.personality, tree[i].pers);
        if (tree[i].data) {
            assert_int_equal(e.size, strlen(tree[i].data));
            assert_memory_equal(e.data, tree[i].data, e.size);
            assert_int_equal(e.data_offset % BOOTIMG_ALIGN, 0);
        } else {
            assert_null(e.data);
        }
    }
    assert_int_equal(ldr_bootimg_get(&bi, NTREE, &e), LDR_ENOENT);
}

static void lookup(void **state)
{
    ldr_bootimg_ent_t e;
    (void)state;

    build(tree, NTREE);
    expect_ok();
    for (uint32_t i = 0; i < NTREE; i++) {
        assert_int_equal(ldr_bootimg_lookup(&bi, tree[i].path, &e), LDR_OK);
        assert_int_equal(e.index, i);
    }
    assert_int_equal(ldr_bootimg_lookup(&bi, "/", &e), LDR_OK);
    assert_int_equal(e.index, LDR_BOOTIMG_ROOT);
    assert_int_equal(e.type, BOOTIMG_DIR);
    assert_int_equal(ldr_bootimg_lookup(&bi, "/bi", &e), LDR_ENOENT);
    assert_int_equal(ldr_bootimg_lookup(&bi, "/bin/", &e), LDR_ENOENT);
    assert_int_equal(ldr_bootimg_lookup(&bi, "/bin/truer", &e), LDR_ENOENT);
    assert_int_equal(ldr_bootimg_lookup(&bi, "/zzz", &e), LDR_ENOENT);
    assert_int_equal(ldr_bootimg_lookup(&bi, "", &e), LDR_ENOENT);
}

/* Lists `dir` into a '|'-joined string of paths. */
static void list(const char *dir, char *out, size_t len)
{
    ldr_bootimg_ent_t e;
    uint32_t cursor = 0;
    int guard = 0;

    out[0] = '\0';
    while (ldr_bootimg_next_child(&bi, dir, &cursor, &e) == LDR_OK) {
        assert_true(++guard <= (int)NTREE);
        if (out[0])
            strncat(out, "|", len - strlen(out) - 1);
        strncat(out, e.path, len - strlen(out) - 1);
    }
}

static void children(void **state)
{
    char buf[256];
    (void)state;

    build(tree, NTREE);
    expect_ok();
    list("/", buf, sizeof(buf));
    assert_string_equal(buf, "/a-b|/bin|/empty|/etc");
    list("/bin", buf, sizeof(buf));
    assert_string_equal(buf, "/bin/sh|/bin/true|/bin/x|/bin/y");
    list("/bin/x", buf, sizeof(buf));
    assert_string_equal(buf, "/bin/x/deep");
    list("/empty", buf, sizeof(buf));
    assert_string_equal(buf, "");
    list("/a", buf, sizeof(buf));
    assert_string_equal(buf, "");
    list("/nope", buf, sizeof(buf));
    assert_string_equal(buf, "");
}

static void empty_image(void **state)
{
    (void)state;
    build(tree, 0);
    expect_ok();
    char buf[16];
    list("/", buf, sizeof(buf));
    assert_string_equal(buf, "");
}

static void header_damage(void **state)
{
    (void)state;
    build(tree, NTREE);
    img[0] = 'X';
    expect_fail(LDR_EFORMAT, "magic");
    build(tree, NTREE);
    img_size = 7;
    expect_fail(LDR_EFORMAT, "magic");
    img_size = 40;
    expect_fail(LDR_ECORRUPT, "shorter than its header");

    build(tree, NTREE);
    put32(img + 8, 2);
    expect_fail(LDR_EUNSUPPORTED, "version");

    build(tree, NTREE);
    put32(img + 52, 1);
    expect_fail(LDR_ECORRUPT, "reserved");

    build(tree, NTREE);
    img_size -= 1;
    expect_fail(LDR_ECORRUPT, "shorter than its header says");
    put64(img + 16, 10);
    expect_fail(LDR_ECORRUPT, "smaller than the header");

    build(tree, NTREE);
    put32(img + 12, 0x7fffffff);
    expect_fail(LDR_ECORRUPT, "entry table extends past the end");
    build(tree, NTREE);
    put64(img + 24, UINT64_MAX - 16);
    expect_fail(LDR_ECORRUPT, "entry table extends past the end");
    build(tree, NTREE);
    put64(img + 40, UINT64_MAX);
    expect_fail(LDR_ECORRUPT, "string table extends past the end");
    build(tree, NTREE);
    put64(img + 24, 8);
    expect_fail(LDR_ECORRUPT, "overlaps the header");
    build(tree, NTREE);
    put64(img + 32, EOFF + 32);
    expect_fail(LDR_ECORRUPT, "overlap");

    build(tree, NTREE);
    img[EOFF + 3] ^= 1;
    expect_fail(LDR_ECORRUPT, "checksum");
}

static void name_damage(void **state)
{
    static const struct {
        const char *path;
        const char *why;
    } bad[] = {
        {"bin", "not absolute"},     {"/bin/", "not absolute"},  {"/", "not absolute"},
        {"//bin", "not absolute"},   {"/./bin", "not absolute"}, {"/bin/..", "not absolute"},
        {"/bin//x", "not absolute"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        spec_t s = {bad[i].path, BOOTIMG_FILE, 0, NULL};
        build(&s, 1);
        expect_fail(LDR_ECORRUPT, bad[i].why);
    }
    /* "..." and ".x" are ordinary names. */
    spec_t ok[] = {{"/...", BOOTIMG_FILE, 0, NULL}, {"/.x", BOOTIMG_FILE, 0, NULL}};
    build(ok, 2);
    expect_ok();

    build(tree, NTREE);
    put32(ent(3), 0x10000);
    recrc();
    expect_fail(LDR_ECORRUPT, "outside the string table");

    /* Drop the final NUL of the string table. */
    build(tree, NTREE);
    put64(img + 40, get64(img + 40) - 1);
    recrc();
    expect_fail(LDR_ECORRUPT, "not NUL-terminated");

    static char longpath[LDR_BOOTIMG_PATH_MAX + 2];
    memset(longpath, 'a', sizeof(longpath) - 1);
    longpath[0] = '/';
    spec_t s = {longpath, BOOTIMG_FILE, 0, NULL};
    build(&s, 1);
    expect_fail(LDR_ECORRUPT, "longer than 4095");
}

static void order_damage(void **state)
{
    spec_t s[3];
    (void)state;

    memcpy(s, tree + 1, sizeof(s)); /* /bin, /bin/sh, /bin/true */
    spec_t t = s[1];
    s[1] = s[2];
    s[2] = t;
    build(s, 3);
    expect_fail(LDR_ECORRUPT, "not sorted");

    memcpy(s, tree + 1, sizeof(s));
    s[2] = s[1];
    build(s, 3);
    expect_fail(LDR_ECORRUPT, "same path");

    build(tree + 2, 2); /* /bin/sh without /bin */
    expect_fail(LDR_ECORRUPT, "parent directory of an entry is missing");

    spec_t f[] = {{"/bin", BOOTIMG_FILE, 0, "x"}, {"/bin/sh", BOOTIMG_FILE, 0, "y"}};
    build(f, 2);
    expect_fail(LDR_ECORRUPT, "not a directory");
}

static void field_damage(void **state)
{
    (void)state;
    build(tree, NTREE);
    put32(ent(0) + 12, 1);
    recrc();
    expect_fail(LDR_ECORRUPT, "reserved field of an entry");

    build(tree, NTREE);
    put32(ent(0) + 8, 0100644);
    recrc();
    expect_fail(LDR_ECORRUPT, "mode");

    build(tree, NTREE);
    put16(ent(0) + 6, 5);
    recrc();
    expect_fail(LDR_ECORRUPT, "unknown personality");

    build(tree, NTREE);
    put16(ent(0) + 4, 4);
    recrc();
    expect_fail(LDR_ECORRUPT, "unknown type");

    build(tree, NTREE);
    put64(ent(1) + 24, 1);
    recrc();
    expect_fail(LDR_ECORRUPT, "directory entry has data");
    build(tree, NTREE);
    put16(ent(1) + 6, 1);
    recrc();
    expect_fail(LDR_ECORRUPT, "directory entry has a personality");

    build(tree, NTREE);
    put16(ent(6) + 6, 1);
    recrc();
    expect_fail(LDR_ECORRUPT, "symbolic link has a personality");
    build(tree, NTREE);
    put64(ent(6) + 16, 0);
    put64(ent(6) + 24, 0);
    recrc();
    expect_fail(LDR_ECORRUPT, "target is empty");
    build(tree, NTREE);
    img[get64(ent(6) + 16)] = '\0';
    expect_fail(LDR_ECORRUPT, "contains a NUL");

    build(tree, NTREE);
    put64(ent(5) + 16, 4096);
    recrc();
    expect_fail(LDR_ECORRUPT, "empty file has a data offset");

    build(tree, NTREE);
    put64(ent(0) + 16, get64(ent(0) + 16) + 8);
    recrc();
    expect_fail(LDR_ECORRUPT, "aligned");
    build(tree, NTREE);
    put64(ent(0) + 24, 0x100000);
    recrc();
    expect_fail(LDR_ECORRUPT, "past the end of the image");
    build(tree, NTREE);
    put64(ent(0) + 16, UINT64_MAX & ~4095ull);
    recrc();
    expect_fail(LDR_ECORRUPT, "past the end of the image");
    build(tree, NTREE);
    put64(ent(0) + 16, 0);
    recrc();
    expect_fail(LDR_ECORRUPT, "overlaps the header or the tables");
}

static void every_truncation_fails(void **state)
{
    (void)state;
    build(tree, NTREE);
    size_t full = img_size;
    for (size_t n = 0; n < full; n++) {
        const char *why = NULL;
        if (ldr_bootimg_open(img, n, &bi, &why) == LDR_OK || !why)
            fail_msg("truncated to %zu bytes: accepted", n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_known_value), cmocka_unit_test(read_back),
        cmocka_unit_test(lookup),          cmocka_unit_test(children),
        cmocka_unit_test(empty_image),     cmocka_unit_test(header_damage),
        cmocka_unit_test(name_damage),     cmocka_unit_test(order_damage),
        cmocka_unit_test(field_damage),    cmocka_unit_test(every_truncation_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
