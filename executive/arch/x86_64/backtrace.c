/*
 * Symbolized backtraces. The kernel is linked twice: the second link adds a
 * table of function addresses and names (.ksyms, generated from the first
 * link by tools/gen_ksyms.py). The table sits after .text, so filling it in
 * moves no function. Stack walking follows the frame-pointer chain
 * (the executive is built with -fno-omit-frame-pointer).
 */
#include "x86.h"

typedef struct ksym_table {
    uint64_t count;
    struct {
        uint64_t addr;
        uint64_t name; /* offset into the names blob that follows */
    } syms[];
} ksym_table_t;

extern const ksym_table_t ksym_table __attribute__((weak));
extern const char ksym_names[] __attribute__((weak));
extern char __text_start[], __text_end[];

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
    const ksym_table_t *t = &ksym_table;
    uint64_t lo = 0, hi;

    if (!t || !ksym_names || t->count == 0)
        return NULL;
    if (addr < (uint64_t)__text_start || addr >= (uint64_t)__text_end)
        return NULL;
    hi = t->count;
    /* Find the last symbol whose address is <= addr. */
    while (hi - lo > 1) {
        uint64_t mid = (lo + hi) / 2;
        if (t->syms[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (t->syms[lo].addr > addr)
        return NULL;
    *offset = addr - t->syms[lo].addr;
    return ksym_names + t->syms[lo].name;
}

static void print_frame(int depth, uint64_t rip)
{
    uint64_t off = 0;
    const char *name = ksym_lookup(rip, &off);

    if (name)
        kprintf("  #%-2d %016llx %s+%#llx\n", depth, (unsigned long long)rip, name,
                (unsigned long long)off);
    else
        kprintf("  #%-2d %016llx ?\n", depth, (unsigned long long)rip);
}

static bool kernel_stack_ptr_ok(uint64_t p)
{
    return p >= PHYS_MAP_BASE && IS_ALIGNED(p, 8) && p < 0xFFFFFFFFFFFFF000ull;
}

void arch_backtrace(uint64_t rbp, uint64_t rip)
{
    int depth = 0;

    kprintf("backtrace:\n");
    print_frame(depth++, rip);
    while (depth < 32 && rbp && kernel_stack_ptr_ok(rbp)) {
        const uint64_t *fp = (const uint64_t *)rbp;
        uint64_t ret = fp[1];
        if (ret < (uint64_t)__text_start || ret >= (uint64_t)__text_end)
            break;
        print_frame(depth++, ret - 1);
        if (fp[0] <= rbp)
            break;
        rbp = fp[0];
    }
}
