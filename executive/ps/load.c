/*
 * In-kernel ELF loading, used only for programs the kernel starts itself
 * (the first process, and the in-kernel test runner's programs). Every
 * other process is built by a user-mode loader through system calls.
 *
 * The image span is mapped read-write, the segments copied in, and then
 * each page gets the union of the permissions of the segments on it; pages
 * no segment touches are unmapped. The stack follows the System V layout
 * (argc, argv, envp, auxv), which the native runtime's crt0 also reads.
 */
#include "ps.h"
#include <loader/elf64.h>
#include <string.h>

#define USER_STACK_TOP  0x00007FFFFFFFE000ull
#define USER_STACK_SIZE (8ull << 20)

enum {
    AT_NULL = 0,
    AT_PHDR = 3,
    AT_PHENT = 4,
    AT_PHNUM = 5,
    AT_PAGESZ = 6,
    AT_ENTRY = 9,
    AT_RANDOM = 25,
    AT_EXECFN = 31,
};

static unsigned seg_prot(uint32_t flags)
{
    return (flags & LDR_PF_R ? VM_READ : 0) | (flags & LDR_PF_W ? VM_WRITE : 0) |
           (flags & LDR_PF_X ? VM_EXEC : 0);
}

static status_t map_segments(process_t *p, const uint8_t *image, const ldr_elf_info_t *e)
{
    uintptr_t lo = e->vaddr_min, hi = e->vaddr_max;
    status_t st = vm_map(&p->vm, &lo, hi - lo, VM_READ | VM_WRITE, VMF_NOREPLACE, NULL, 0);

    if (st != ST_OK)
        return st;
    for (unsigned i = 0; i < e->nload; i++) {
        const ldr_elf_segment_t *s = &e->load[i];
        st = vm_copy_out(&p->vm, s->vaddr, image + s->offset, s->filesz, false);
        if (st != ST_OK)
            return st;
    }
    for (uintptr_t page = lo; page < hi; page += PAGE_SIZE) {
        unsigned prot = 0;
        bool used = false;
        for (unsigned i = 0; i < e->nload; i++) {
            const ldr_elf_segment_t *s = &e->load[i];
            if (s->vaddr < page + PAGE_SIZE && s->vaddr + s->memsz > page) {
                prot |= seg_prot(s->flags);
                used = true;
            }
        }
        st = used ? vm_protect(&p->vm, page, PAGE_SIZE, prot) : vm_unmap(&p->vm, page, PAGE_SIZE);
        if (st != ST_OK)
            return st;
    }
    return ST_OK;
}

/* Builds the start-up stack in a kernel buffer, then copies it out. */
static status_t build_stack(process_t *p, const ldr_elf_info_t *e, int argc,
                            const char *const argv[], const uint64_t *auxv, int nauxv,
                            uintptr_t *sp_out)
{
    uintptr_t base = USER_STACK_TOP - USER_STACK_SIZE;
    status_t st =
        vm_map(&p->vm, &base, USER_STACK_SIZE, VM_READ | VM_WRITE, VMF_NOREPLACE, NULL, 0);
    uint64_t *words;
    char *strings;
    size_t strings_len = 16, nwords;
    uintptr_t sp, str_at, argv_at[16];

    if (st != ST_OK)
        return st;
    if (argc < 0 || argc > 16)
        return ST_INVALID_ARGUMENT;
    for (int i = 0; i < argc; i++)
        strings_len += strlen(argv[i]) + 1;
    if (strings_len > 4096)
        return ST_INVALID_ARGUMENT;
    if (nauxv < 0 || nauxv > 4)
        return ST_INVALID_ARGUMENT;
    nwords = 1 + argc + 1 + 1 + 2 * (8 + nauxv);
    strings = kmalloc(strings_len);
    words = kmalloc(nwords * sizeof(uint64_t));
    if (!strings || !words) {
        kfree(strings);
        kfree(words);
        return ST_NO_MEMORY;
    }

    /* Strings at the top: 16 random bytes, then the argument strings. */
    str_at = ALIGN_DOWN(USER_STACK_TOP - strings_len, 16);
    size_t off = 0;
    uint64_t r = arch_cycles() * 0x9E3779B97F4A7C15ull ^ p->pid;
    for (int i = 0; i < 16; i++, r = r * 6364136223846793005ull + 1442695040888963407ull)
        strings[off++] = (char)(r >> 56);
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]) + 1;
        argv_at[i] = str_at + off;
        memcpy(strings + off, argv[i], n);
        off += n;
    }

    size_t w = 0;
    words[w++] = (uint64_t)argc;
    for (int i = 0; i < argc; i++)
        words[w++] = argv_at[i];
    words[w++] = 0; /* argv end */
    words[w++] = 0; /* no environment */
    words[w++] = AT_PHDR;
    words[w++] = e->has_phdr_vaddr ? e->phdr_vaddr : 0;
    words[w++] = AT_PHENT;
    words[w++] = e->phentsize;
    words[w++] = AT_PHNUM;
    words[w++] = e->phnum;
    words[w++] = AT_PAGESZ;
    words[w++] = PAGE_SIZE;
    words[w++] = AT_ENTRY;
    words[w++] = e->entry;
    words[w++] = AT_RANDOM;
    words[w++] = str_at;
    words[w++] = AT_EXECFN;
    words[w++] = argc > 0 ? argv_at[0] : 0;
    for (int i = 0; i < 2 * nauxv; i++)
        words[w++] = auxv[i];
    words[w++] = AT_NULL;
    words[w++] = 0;

    sp = ALIGN_DOWN(str_at - w * sizeof(uint64_t), 16);
    st = vm_copy_out(&p->vm, str_at, strings, off, false);
    if (st == ST_OK)
        st = vm_copy_out(&p->vm, sp, words, w * sizeof(uint64_t), false);
    kfree(strings);
    kfree(words);
    *sp_out = sp;
    return st;
}

status_t ps_load_elf(process_t *p, const void *image, size_t size, int argc,
                     const char *const argv[], const uint64_t *auxv, int nauxv, uintptr_t *entry,
                     uintptr_t *sp)
{
    ldr_elf_info_t *e = kmalloc(sizeof(*e));
    const char *why = NULL;
    status_t st;

    if (!e)
        return ST_NO_MEMORY;
    if (ldr_elf_parse(image, size, e, &why) != LDR_OK) {
        kprintf("loader: %s: %s\n", p->name, why ? why : "not an ELF image");
        kfree(e);
        return ST_BAD_IMAGE;
    }
    if (e->pie || e->has_interp) {
        kprintf("loader: %s: only static, non-PIE programs can be started by the kernel\n",
                p->name);
        kfree(e);
        return ST_NOT_SUPPORTED;
    }
    st = map_segments(p, image, e);
    if (st == ST_OK)
        st = build_stack(p, e, argc, argv, auxv, nauxv, sp);
    *entry = e->entry;
    kfree(e);
    return st;
}
