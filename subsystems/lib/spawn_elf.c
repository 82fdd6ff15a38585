/*
 * The user-mode program loader (see native/spawn.h). The image span is
 * mapped writable, the segments copied in, and each page then gets the
 * union of the permissions of the segments on it; pages between segments
 * are unmapped again. The stack follows the System V x86_64 ABI, which both
 * Persona's crt0 and Linux programs (musl, glibc) expect.
 */
#include <loader/elf64.h>
#include <native/file.h>
#include <native/runtime.h>
#include <native/spawn.h>
#include <stdlib.h>
#include <string.h>

#define STACK_TOP   0x00007FFFFFFFE000ull
#define STACK_SIZE  (8ull << 20)
#define PIE_BASE    0x0000555555554000ull
#define STACK_BLOCK 65536 /* room for strings and vectors */

enum {
    AT_NULL = 0,
    AT_PHDR = 3,
    AT_PHENT = 4,
    AT_PHNUM = 5,
    AT_PAGESZ = 6,
    AT_BASE = 7,
    AT_FLAGS = 8,
    AT_ENTRY = 9,
    AT_UID = 11,
    AT_EUID = 12,
    AT_GID = 13,
    AT_EGID = 14,
    AT_PLATFORM = 15,
    AT_HWCAP = 16,
    AT_CLKTCK = 17,
    AT_SECURE = 23,
    AT_RANDOM = 25,
    AT_EXECFN = 31,
};

static unsigned prot_of(uint32_t f)
{
    return (f & LDR_PF_R ? PROT_R : 0) | (f & LDR_PF_W ? PROT_W : 0) | (f & LDR_PF_X ? PROT_X : 0);
}

/*
 * Maps the segments straight from a section holding the file (the boot
 * image), privately: pages are shared until written. Returns
 * ST_NOT_SUPPORTED when the layout does not allow it (segments sharing a
 * page), and the caller copies instead.
 */
static long map_from_section(handle_t proc, const ldr_elf_info_t *e, uint64_t bias,
                             handle_t section, uint64_t sec_off)
{
    uint64_t last_end = 0;
    long st = ST_OK;

    if (sec_off & (VM_PAGE_SIZE - 1))
        return ST_NOT_SUPPORTED;
    for (unsigned i = 0; i < e->nload; i++) {
        uint64_t start = (e->load[i].vaddr + bias) & ~(VM_PAGE_SIZE - 1);
        if (i && start < last_end)
            return ST_NOT_SUPPORTED;
        /* File offset and address must agree within the page to map. */
        if ((e->load[i].offset ^ e->load[i].vaddr) & (VM_PAGE_SIZE - 1))
            return ST_NOT_SUPPORTED;
        last_end =
            (e->load[i].vaddr + bias + e->load[i].memsz + VM_PAGE_SIZE - 1) & ~(VM_PAGE_SIZE - 1);
    }
    for (unsigned i = 0; st >= 0 && i < e->nload; i++) {
        const ldr_elf_segment_t *g = &e->load[i];
        uint64_t va = g->vaddr + bias, start = va & ~(VM_PAGE_SIZE - 1);
        uint64_t file_end = (va + g->filesz + VM_PAGE_SIZE - 1) & ~(VM_PAGE_SIZE - 1);
        uint64_t mem_end = (va + g->memsz + VM_PAGE_SIZE - 1) & ~(VM_PAGE_SIZE - 1);
        unsigned prot = prot_of(g->flags);
        uint64_t a = start;
        if (g->filesz) {
            st = sys_vm_map(proc, &a, file_end - start, prot, MAPF_NOREPLACE | MAPF_PRIVATE,
                            section, sec_off + (g->offset & ~(VM_PAGE_SIZE - 1)));
            /* The page holding the end of the file part: zero past it. */
            uint64_t tail = va + g->filesz;
            if (st >= 0 && (prot & PROT_W) && g->memsz > g->filesz && (tail & (VM_PAGE_SIZE - 1))) {
                static const uint8_t zeros[VM_PAGE_SIZE];
                st = sys_vm_write(proc, tail, zeros, file_end - tail);
            }
        } else {
            file_end = start;
        }
        if (st >= 0 && mem_end > file_end) {
            a = file_end;
            st = sys_vm_map(proc, &a, mem_end - file_end, prot, MAPF_NOREPLACE, 0, 0);
        }
    }
    return st;
}

/* Writes the segments into fresh anonymous memory, then sets each page's
 * protection to the union of the segments on it. */
static long copy_segments(handle_t proc, const ldr_elf_info_t *e, uint64_t bias, const uint8_t *img)
{
    uint64_t lo = e->vaddr_min + bias, hi = e->vaddr_max + bias;
    long st = sys_vm_map(proc, &lo, hi - lo, PROT_R | PROT_W, MAPF_NOREPLACE, 0, 0);

    for (unsigned i = 0; st >= 0 && i < e->nload; i++)
        st =
            sys_vm_write(proc, e->load[i].vaddr + bias, img + e->load[i].offset, e->load[i].filesz);
    for (uint64_t page = lo; st >= 0 && page < hi; page += VM_PAGE_SIZE) {
        unsigned prot = 0;
        bool used = false;
        for (unsigned i = 0; i < e->nload; i++) {
            uint64_t a = e->load[i].vaddr + bias;
            if (a < page + VM_PAGE_SIZE && a + e->load[i].memsz > page) {
                prot |= prot_of(e->load[i].flags);
                used = true;
            }
        }
        st = used ? sys_vm_protect(proc, page, VM_PAGE_SIZE, prot)
                  : sys_vm_unmap(proc, page, VM_PAGE_SIZE);
    }
    return st;
}

/* Loads image into proc: mapped from section (if not 0) where the layout
 * allows, copied otherwise. */
static long load_elf(handle_t proc, const void *image, size_t size, handle_t section,
                     uint64_t sec_off, native_image_t *out, const char **why)
{
    ldr_elf_info_t *e = malloc(sizeof(*e));
    uint64_t bias;
    long st = ST_NOT_SUPPORTED;

    if (!e)
        return ST_NO_MEMORY;
    if (ldr_elf_parse(image, size, e, why) != LDR_OK) {
        free(e);
        return ST_BAD_IMAGE;
    }
    if (e->has_interp) {
        *why = "dynamically linked programs are not supported yet";
        free(e);
        return ST_NOT_SUPPORTED;
    }
    if (!e->has_entry) {
        *why = "a shared library, not a program";
        free(e);
        return ST_BAD_IMAGE;
    }
    bias = e->pie ? PIE_BASE : 0;
    if (section)
        st = map_from_section(proc, e, bias, section, sec_off);
    if (st == ST_NOT_SUPPORTED)
        st = copy_segments(proc, e, bias, image);
    if (st < 0)
        *why = "cannot map the program into the new process";
    out->bias = bias;
    out->entry = e->entry + bias;
    out->phdr = e->has_phdr_vaddr ? e->phdr_vaddr + bias : 0;
    out->phnum = e->phnum;
    out->phent = e->phentsize;
    out->brk = e->vaddr_max + bias;
    free(e);
    return st < 0 ? st : ST_OK;
}

long native_load_elf(handle_t proc, const void *image, size_t size, native_image_t *out,
                     const char **why)
{
    return load_elf(proc, image, size, 0, 0, out, why);
}

long native_image_open(const char *path, native_file_image_t *img)
{
    file_t f;
    long st = file_open(path, PFS_O_READ, 0, &f);
    uint64_t off, size, addr = 0;

    memset(img, 0, sizeof(*img));
    if (st < 0)
        return st;
    if ((f.attr.mode & PFS_S_IFMT) != PFS_S_IFREG) {
        file_close(&f);
        return (f.attr.mode & PFS_S_IFMT) == PFS_S_IFDIR ? ST_IS_DIRECTORY : ST_ACCESS_DENIED;
    }
    img->mode = f.attr.mode;
    if (file_map(&f, &img->section, &off, &size) == ST_OK) {
        uint64_t len = (size + VM_PAGE_SIZE - 1) & ~(VM_PAGE_SIZE - 1);
        if (len &&
            sys_vm_map(HANDLE_SELF_PROCESS, &addr, len, PROT_R, 0, img->section, off) == ST_OK) {
            file_close(&f);
            img->data = (const void *)addr;
            img->size = size;
            img->offset = off;
            img->mapped_len = len;
            return ST_OK;
        }
        sys_handle_close(img->section);
        img->section = 0;
    }
    file_close(&f);
    void *data;
    size_t n;
    st = file_read_all(path, &data, &n);
    if (st < 0)
        return st;
    img->data = data;
    img->size = n;
    return ST_OK;
}

long native_image_load(handle_t proc, const native_file_image_t *img, native_image_t *out,
                       const char **why)
{
    return load_elf(proc, img->data, img->size, img->section, img->offset, out, why);
}

void native_image_close(native_file_image_t *img)
{
    if (img->section) {
        sys_vm_unmap(HANDLE_SELF_PROCESS, (uint64_t)img->data, img->mapped_len);
        sys_handle_close(img->section);
    } else {
        free((void *)img->data);
    }
    memset(img, 0, sizeof(*img));
}

static uint64_t mix(uint64_t x)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    x ^= ((uint64_t)hi << 32 | lo) + 0x9E3779B97F4A7C15ull;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    return x ^ (x >> 29);
}

long native_build_stack(handle_t proc, const native_image_t *img, const char *const *argv,
                        const char *const *envp, const uint64_t *extra_auxv, int nextra,
                        uint64_t *sp_out)
{
    uint64_t base = STACK_TOP - STACK_SIZE;
    size_t argc = 0, envc = 0, strings = 16 + 16, words, off = 0;
    uint8_t *block;
    uint64_t *vec, str_at, sp;
    long st;

    while (argv && argv[argc])
        argc++;
    while (envp && envp[envc])
        envc++;
    for (size_t i = 0; i < argc; i++)
        strings += strlen(argv[i]) + 1;
    for (size_t i = 0; i < envc; i++)
        strings += strlen(envp[i]) + 1;
    strings += sizeof("x86_64");
    words = 1 + argc + 1 + envc + 1 + 2 * (18 + (size_t)nextra);
    if (nextra < 0 || nextra > 16 || strings + words * 8 + 64 > STACK_BLOCK)
        return ST_NAME_TOO_LONG; /* arguments and environment too large */
    st = sys_vm_map(proc, &base, STACK_SIZE, PROT_R | PROT_W, MAPF_NOREPLACE, 0, 0);
    if (st < 0)
        return st;
    block = malloc(STACK_BLOCK);
    if (!block)
        return ST_NO_MEMORY;

    /* The strings at the very top; the block maps to [top - STACK_BLOCK, top). */
    uint64_t block_base = STACK_TOP - STACK_BLOCK;
    str_at = (STACK_TOP - strings) & ~15ull;
    uint8_t *s = block + (str_at - block_base);
    uint64_t random_at = str_at, platform_at, execfn_at = 0;
    uint64_t seed = (uint64_t)(uintptr_t)block;
    for (int i = 0; i < 16; i += 8) {
        seed = mix(seed);
        memcpy(s + i, &seed, 8);
    }
    off = 16;
    memcpy(s + off, "x86_64", 7);
    platform_at = str_at + off;
    off += 7;
    uint64_t *argv_at = malloc((argc + envc + 1) * 8);
    if (!argv_at) {
        free(block);
        return ST_NO_MEMORY;
    }
    for (size_t i = 0; i < argc + envc; i++) {
        const char *src = i < argc ? argv[i] : envp[i - argc];
        size_t n = strlen(src) + 1;
        argv_at[i] = str_at + off;
        memcpy(s + off, src, n);
        off += n;
    }
    if (argc)
        execfn_at = argv_at[0];

    sp = (str_at - words * 8) & ~15ull;
    vec = (uint64_t *)(block + (sp - block_base));
    size_t w = 0;
    vec[w++] = argc;
    for (size_t i = 0; i < argc; i++)
        vec[w++] = argv_at[i];
    vec[w++] = 0;
    for (size_t i = 0; i < envc; i++)
        vec[w++] = argv_at[argc + i];
    vec[w++] = 0;
    const uint64_t aux[][2] = {
        {AT_PHDR, img->phdr},
        {AT_PHENT, img->phent},
        {AT_PHNUM, img->phnum},
        {AT_PAGESZ, VM_PAGE_SIZE},
        {AT_BASE, 0},
        {AT_FLAGS, 0},
        {AT_ENTRY, img->entry},
        {AT_UID, 0},
        {AT_EUID, 0},
        {AT_GID, 0},
        {AT_EGID, 0},
        {AT_SECURE, 0},
        {AT_HWCAP, 0x178bfbff},
        {AT_CLKTCK, 100},
        {AT_PLATFORM, platform_at},
        {AT_RANDOM, random_at},
        {AT_EXECFN, execfn_at},
    };
    for (size_t i = 0; i < sizeof(aux) / sizeof(aux[0]); i++) {
        vec[w++] = aux[i][0];
        vec[w++] = aux[i][1];
    }
    for (int i = 0; i < 2 * nextra; i++)
        vec[w++] = extra_auxv[i];
    vec[w++] = AT_NULL;
    vec[w++] = 0;

    st = sys_vm_write(proc, sp, block + (sp - block_base), STACK_TOP - sp);
    free(argv_at);
    free(block);
    *sp_out = sp;
    return st < 0 ? st : ST_OK;
}

long native_spawn_elf(const void *image, size_t size, const native_spawn_t *s, handle_t *proc_out,
                      handle_t *thread_out, const char **why)
{
    handle_t proc, thread;
    native_image_t img;
    uint64_t sp, auxv[2];
    int nauxv = 0;
    long st;

    *why = "cannot create the process";
    st = sys_process_create(s->name, s->personality ? s->personality : PERSONALITY_NATIVE,
                            s->subsystem, s->flags, &proc);
    if (st < 0)
        return st;
    if (s->file)
        st = native_image_load(proc, s->file, &img, why);
    else
        st = native_load_elf(proc, image, size, &img, why);
    if (st >= 0 && s->bootimg) {
        handle_t child_img;
        st = sys_handle_duplicate(HANDLE_SELF_PROCESS, s->bootimg, proc,
                                  H_QUERY | H_READ | H_MAP | H_DUPLICATE, &child_img);
        auxv[0] = AT_PERSONA_BOOTIMG;
        auxv[1] = child_img;
        nauxv = 1;
    }
    if (st >= 0) {
        *why = "cannot build the start-up stack";
        st = native_build_stack(proc, &img, s->argv, s->envp, auxv, nauxv, &sp);
    }
    if (st >= 0) {
        *why = "cannot create the first thread";
        st = sys_thread_create(proc, img.entry, sp, 0, s->suspended ? THREAD_CREATE_SUSPENDED : 0,
                               &thread);
    }
    if (st < 0) {
        sys_process_terminate(proc, EXIT_STATUS_KILLED);
        sys_handle_close(proc);
        return st;
    }
    if (thread_out)
        *thread_out = thread;
    else
        sys_handle_close(thread);
    *proc_out = proc;
    return ST_OK;
}

/* The start-up stack's auxv, found by __native_start. */
uint64_t *native_auxv_table;

uint64_t native_auxv(uint64_t type)
{
    for (uint64_t *a = native_auxv_table; a && a[0] != AT_NULL; a += 2) {
        if (a[0] == type)
            return a[1];
    }
    return 0;
}
