/*
 * The file server as its clients see it, run from a booted session (the
 * session-basics script): reads and writes through open files, path calls
 * and their errors, and FS_MAP, which hands out the boot image so loaders
 * can map programs instead of copying them.
 */
#include "check.h"
#include <native/file.h>
#include <native/spawn.h>
#include <persona/vm.h>
#include <stdlib.h>
#include <string.h>

int check_failures;
const char *check_prog = "file";

static void test_read_write(void)
{
    static const char text[] = "the quick brown fox\n";
    char buf[64];
    file_t f;

    file_unlink("/tmp/ft");
    EXPECT(file_open("/tmp/ft", PFS_O_READ | PFS_O_WRITE | PFS_O_CREATE | PFS_O_EXCL, 0644, &f),
           ST_OK);
    EXPECT(file_write(&f, text, sizeof(text) - 1), sizeof(text) - 1);
    EXPECT(file_pread(&f, 4, buf, 5), 5);
    CHECK(!memcmp(buf, "quick", 5));
    EXPECT(file_pwrite(&f, 100, "x", 1), 1); /* a hole up to 100 */
    pfs_attr_t a;
    EXPECT(file_fstat(&f, &a), ST_OK);
    CHECK(a.size == 101);
    EXPECT(file_pread(&f, 50, buf, 4), 4);
    CHECK(!memcmp(buf, "\0\0\0\0", 4));
    EXPECT(file_ftruncate(&f, 9), ST_OK);
    EXPECT(file_pread(&f, 0, buf, sizeof(buf)), 9);
    EXPECT(file_close(&f), ST_OK);

    /* Exclusive creation of an existing file, and a read-only open. */
    EXPECT(file_open("/tmp/ft", PFS_O_WRITE | PFS_O_CREATE | PFS_O_EXCL, 0644, &f), ST_EXISTS);
    EXPECT(file_open("/tmp/ft", PFS_O_READ, 0, &f), ST_OK);
    EXPECT(file_write(&f, "y", 1), ST_ACCESS_DENIED);
    file_close(&f);
    EXPECT(file_unlink("/tmp/ft"), ST_OK);
    EXPECT(file_stat("/tmp/ft", &a), ST_NOT_FOUND);
}

static void test_bad_input(void)
{
    file_t f = {0};
    pfs_attr_t a;
    char buf[8];

    /* A number the server never gave out, on a live connection. */
    EXPECT(file_open("/etc/smss.conf", PFS_O_READ, 0, &f), ST_OK);
    file_t real = f;
    f.id = 12345;
    EXPECT(file_read(&f, buf, sizeof(buf)), ST_INVALID_HANDLE);
    EXPECT(file_fstat(&f, &a), ST_INVALID_HANDLE);
    EXPECT(file_close(&f), ST_INVALID_HANDLE);
    EXPECT(file_close(&real), ST_OK);
    /* A file of a connection that no longer exists. */
    real.gen += 1000;
    EXPECT(file_read(&real, buf, sizeof(buf)), ST_IO_ERROR);
    EXPECT(file_stat("/no/such/dir/file", &a), ST_NOT_FOUND);
    EXPECT(file_mkdir("/bin/new", 0755), ST_READ_ONLY); /* the boot image */
    EXPECT(file_unlink("/bin/hello"), ST_READ_ONLY);
    EXPECT(file_open("/bin", PFS_O_WRITE, 0, &f), ST_IS_DIRECTORY);
    EXPECT(file_rmdir("/tmp"), ST_BUSY); /* a mount point */
}

/* A program in the boot image maps; its bytes are the file's bytes, and a
 * private mapping's writes stay in it. */
static void test_map(void)
{
    file_t f;
    handle_t sec;
    uint64_t off = 0, size = 0, addr = 0, priv = 0;
    void *copy;
    size_t n;

    EXPECT(file_read_all("/bin/hello", &copy, &n), ST_OK);
    EXPECT(file_open("/bin/hello", PFS_O_READ, 0, &f), ST_OK);
    EXPECT(file_map(&f, &sec, &off, &size), ST_OK);
    CHECK(size == n);
    CHECK(!(off & (VM_PAGE_SIZE - 1)));
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &addr, (size + VM_PAGE_SIZE - 1) & ~(VM_PAGE_SIZE - 1),
                      PROT_R, 0, sec, off),
           ST_OK);
    CHECK(addr && !memcmp((const void *)addr, copy, n));
    /* Read-only: no shared writable mapping, but a private one. */
    EXPECT(sys_vm_protect(HANDLE_SELF_PROCESS, addr, VM_PAGE_SIZE, PROT_R | PROT_W),
           ST_ACCESS_DENIED);
    EXPECT(sys_vm_map(HANDLE_SELF_PROCESS, &priv, VM_PAGE_SIZE, PROT_R | PROT_W, MAPF_PRIVATE, sec,
                      off),
           ST_OK);
    ((volatile uint8_t *)priv)[0] = 0x5a;
    CHECK(((const uint8_t *)addr)[0] == ((const uint8_t *)copy)[0]);
    sys_vm_unmap(HANDLE_SELF_PROCESS, priv, VM_PAGE_SIZE);
    sys_vm_unmap(HANDLE_SELF_PROCESS, addr, (size + VM_PAGE_SIZE - 1) & ~(VM_PAGE_SIZE - 1));
    sys_handle_close(sec);
    file_close(&f);
    free(copy);

    /* A file in a ramfs has no place in the image. */
    EXPECT(file_open("/tmp/fm", PFS_O_WRITE | PFS_O_CREATE, 0644, &f), ST_OK);
    EXPECT(file_map(&f, &sec, &off, &size), ST_NOT_SUPPORTED);
    file_close(&f);
    file_unlink("/tmp/fm");
}

/* A program loaded by mapping runs like one loaded by copying. */
static void test_spawn_mapped(void)
{
    native_file_image_t img;
    native_spawn_t s = {0};
    const char *argv[] = {"hello", NULL};
    const char *why = "";
    handle_t proc;
    int64_t status = -1;

    EXPECT(native_image_open("/bin/hello", &img), ST_OK);
    CHECK(img.section != 0);
    s.name = "hello";
    s.argv = argv;
    s.file = &img;
    EXPECT(native_spawn_elf(img.data, img.size, &s, &proc, NULL, &why), ST_OK);
    EXPECT(sys_process_wait(proc, 0, &status), ST_OK);
    CHECK(status == 0);
    sys_handle_close(proc);
    native_image_close(&img);
    EXPECT(native_image_open("/bin", &img), ST_IS_DIRECTORY);
    EXPECT(native_image_open("/nonexistent", &img), ST_NOT_FOUND);
}

int main(void)
{
    RUN(test_read_write);
    RUN(test_bad_input);
    RUN(test_map);
    RUN(test_spawn_mapped);
    printf("file: %d failures\n", check_failures);
    return check_failures;
}
