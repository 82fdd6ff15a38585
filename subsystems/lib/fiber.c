/*
 * Fiber stacks (see <native/fiber.h>): a demand-zero mapping with its
 * lowest page made inaccessible, and the first frame fiber_switch pops.
 */
#include <native/fiber.h>
#include <native/syscall.h>
#include <string.h>

void fiber_entry(void);

long fiber_create(fiber_t *f, size_t stack_size, void (*fn)(void *), void *arg)
{
    uint64_t base = 0;
    long st;

    memset(f, 0, sizeof(*f));
    if (stack_size == 0 || (stack_size & (VM_PAGE_SIZE - 1)))
        return ST_INVALID_ARGUMENT;
    st =
        sys_vm_map(HANDLE_SELF_PROCESS, &base, stack_size + VM_PAGE_SIZE, PROT_R | PROT_W, 0, 0, 0);
    if (st < 0)
        return st;
    st = sys_vm_protect(HANDLE_SELF_PROCESS, base, VM_PAGE_SIZE, PROT_NONE_);
    if (st < 0) {
        sys_vm_unmap(HANDLE_SELF_PROCESS, base, stack_size + VM_PAGE_SIZE);
        return st;
    }
    f->stack = base;
    f->stack_size = stack_size;
    /* The frame fiber_switch pops: r15 r14 r13 r12 rbx rbp, then the return
     * address; after the ret the stack is 16-byte aligned for the call of
     * fn, as the ABI wants before a call. */
    uint64_t *top = (uint64_t *)(base + VM_PAGE_SIZE + stack_size);
    uint64_t *sp = top - 9;
    sp[0] = 0;                     /* r15 */
    sp[1] = 0;                     /* r14 */
    sp[2] = (uint64_t)arg;         /* r13 */
    sp[3] = (uint64_t)fn;          /* r12 */
    sp[4] = 0;                     /* rbx */
    sp[5] = 0;                     /* rbp */
    sp[6] = (uint64_t)fiber_entry; /* return address */
    sp[7] = sp[8] = 0;
    f->rsp = (uint64_t)sp;
    return ST_OK;
}

void fiber_destroy(fiber_t *f)
{
    if (f->stack)
        sys_vm_unmap(HANDLE_SELF_PROCESS, f->stack, f->stack_size + VM_PAGE_SIZE);
    memset(f, 0, sizeof(*f));
}
