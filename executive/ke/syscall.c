/*
 * System call dispatch. The table and the names are expanded from the one
 * list in <persona/syscalls.h>; handlers are defined with SYSCALL(name) and
 * receive the raw argument registers, which they validate themselves (user
 * pointers only through copy_from_user and friends).
 */
#include "ke.h"
#include "ps.h"
#include "syscall.h"
#include <persona/syscalls.h>

#define DECLARE(nr, name, nargs) SYSCALL(name);
PERSONA_SYSCALLS(DECLARE)
#undef DECLARE

typedef long (*syscall_fn_t)(sysarg_t, sysarg_t, sysarg_t, sysarg_t, sysarg_t, sysarg_t);

static const syscall_fn_t syscall_table[SYS_COUNT] = {
#define ENTRY(nr, name, nargs) [nr] = sys_##name,
    PERSONA_SYSCALLS(ENTRY)
#undef ENTRY
};

const char *const syscall_names[SYS_COUNT] = {
#define NAME(nr, name, nargs) [nr] = #name,
    PERSONA_SYSCALLS(NAME)
#undef NAME
};

void syscall_dispatch(trapframe_t *f)
{
    uint64_t nr = f->rax;

    if (nr < SYS_COUNT && syscall_table[nr])
        f->rax = (uint64_t)syscall_table[nr](f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9);
    else
        f->rax = (uint64_t)(long)ST_BAD_SYSCALL;
    ke_return_to_user(f);
}
