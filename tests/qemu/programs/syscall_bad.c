/*
 * Passes bad arguments to system calls and checks that each one fails with
 * the right status instead of harming the kernel. Exits with the number of
 * checks that went wrong.
 */
#include <native/runtime.h>

static int failures;

static void expect(const char *what, long got, long want)
{
    if (got != want) {
        printf("syscall_bad: %s: got %ld (%s), want %ld (%s)\n", what, got, status_name(got), want,
               status_name(want));
        failures++;
    }
}

int main(void)
{
    static char ok[] = "syscall_bad: a good write\n";

    expect("good write", sys_debug_write(ok, sizeof(ok) - 1), sizeof(ok) - 1);
    expect("zero length", sys_debug_write(ok, 0), 0);
    expect("NULL", sys_debug_write(NULL, 10), ST_BAD_ADDRESS);
    expect("unmapped", sys_debug_write((void *)0x10000000000ull, 10), ST_BAD_ADDRESS);
    expect("kernel text", sys_debug_write((void *)0xFFFFFFFF80100000ull, 10), ST_BAD_ADDRESS);
    expect("direct map", sys_debug_write((void *)0xFFFF800000100000ull, 10), ST_BAD_ADDRESS);
    expect("non-canonical", sys_debug_write((void *)0x0000900000000000ull, 10), ST_BAD_ADDRESS);
    expect("wraps around", sys_debug_write((void *)0xFFFFFFFFFFFFFFF0ull, 0x20), ST_BAD_ADDRESS);
    expect("huge length", sys_debug_write(ok, (size_t)-1), ST_INVALID_ARGUMENT);
    expect("runs off the end of user space", sys_debug_write((void *)0x00007FFFFFFFFFF0ull, 0x100),
           ST_BAD_ADDRESS);
    /* Copies that run from a mapped page into an unmapped one, faulting in
     * a 32-byte block, an 8-byte word or the last bytes, each way. */
    uint64_t page = 0;
    static char target[256];
    expect("map two pages", sys_vm_map(HANDLE_SELF_PROCESS, &page, 8192, PROT_R | PROT_W, 0, 0, 0),
           ST_OK);
    expect("unmap the second", sys_vm_unmap(HANDLE_SELF_PROCESS, page + 4096, 4096), ST_OK);
    static const struct {
        unsigned before, len;
    } cross[] = {{40, 100}, {12, 20}, {3, 5}, {0, 1}};
    for (unsigned i = 0; i < sizeof(cross) / sizeof(cross[0]); i++) {
        uint64_t at = page + 4096 - cross[i].before;
        expect("copy in across the end",
               sys_vm_write(HANDLE_SELF_PROCESS, (uint64_t)target, (void *)at, cross[i].len),
               ST_BAD_ADDRESS);
        expect("copy out across the end",
               sys_vm_read(HANDLE_SELF_PROCESS, (uint64_t)target, (void *)at, cross[i].len),
               ST_BAD_ADDRESS);
    }
    ((char *)page)[4095] = 'e';
    expect("copy in up to the end",
           sys_vm_write(HANDLE_SELF_PROCESS, (uint64_t)target, (void *)(page + 4096 - 77), 77),
           ST_OK);
    expect("... brings the last byte", target[76], 'e');
    expect("unknown syscall", native_syscall0(100000), ST_BAD_SYSCALL);
    expect("negative syscall", native_syscall0(-1), ST_BAD_SYSCALL);
    expect("yield", sys_thread_yield(), ST_OK);
    printf("syscall_bad: %d failures\n", failures);
    return failures;
}
