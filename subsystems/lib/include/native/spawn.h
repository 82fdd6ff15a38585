/* Starting processes and threads that run the caller's own code. */
#ifndef NATIVE_SPAWN_H
#define NATIVE_SPAWN_H

#include <native/syscall.h>
#include <stdbool.h>

/* A new process, a copy-on-write clone of this one with a copy of its
 * handles (at the same values), running fn(arg) and exiting with its
 * result. */
long native_spawn_clone(const char *name, int (*fn)(void *), void *arg, handle_t *proc_out);
/* The same, also returning its thread (or not, with thread_out NULL). */
long native_spawn_clone_thread(const char *name, int (*fn)(void *), void *arg, handle_t *proc_out,
                               handle_t *thread_out);
/* A new thread in this process running fn(arg) on a fresh stack; fn must
 * end with sys_thread_exit. */
long native_thread_start(void (*fn)(void *), void *arg, size_t stack_size, handle_t *thread_out);

/*
 * The user-mode program loader: builds a process from an ELF image in
 * memory through the executive's calls (vm_map, vm_write, vm_protect,
 * thread_create). Used by smss, the shell and the POSIX server (execve).
 */
typedef struct native_image {
    uint64_t bias; /* load bias (static-PIE), 0 for fixed programs */
    uint64_t entry;
    uint64_t phdr, phnum, phent;
    uint64_t brk; /* end of the highest segment: where a heap may start */
} native_image_t;

/* A program file ready to load: mapped from the boot image when it lives
 * there (img.section set), else read into memory. */
typedef struct native_file_image {
    const void *data;
    size_t size;
    uint32_t mode;
    handle_t section; /* the boot image, or 0 */
    uint64_t offset;  /* of the file in the section */
    size_t mapped_len;
} native_file_image_t;

/* ST_IS_DIRECTORY for a directory, ST_ACCESS_DENIED for anything else that
 * is not a regular file (a FIFO). */
long native_image_open(const char *path, native_file_image_t *img);
/* Loads it into proc: mapped pages where possible, copies otherwise. */
long native_image_load(handle_t proc, const native_file_image_t *img, native_image_t *out,
                       const char **why);
void native_image_close(native_file_image_t *img);

/* Maps image into proc (which should have an empty address space). */
long native_load_elf(handle_t proc, const void *image, size_t size, native_image_t *out,
                     const char **why);

/* Maps a stack at the top of proc's user space and writes the System V
 * start-up block: argc, argv, envp, auxv (with the image's entries, 16
 * random bytes, execfn, and the extra (type, value) pairs). *sp gets the
 * initial stack pointer. */
long native_build_stack(handle_t proc, const native_image_t *img, const char *const *argv,
                        const char *const *envp, const uint64_t *extra_auxv, int nextra,
                        uint64_t *sp);

typedef struct native_spawn {
    const char *name;
    const char *const *argv; /* NULL-terminated */
    const char *const *envp; /* NULL-terminated, or NULL for none */
    uint32_t personality;    /* PERSONALITY_NATIVE unless a server asks */
    handle_t subsystem;      /* for foreign personalities */
    uint32_t flags;          /* PROCESS_CREATE_* */
    handle_t bootimg;        /* a section handle to pass on (AT_PERSONA_BOOTIMG), or 0 */
    bool suspended;          /* leave the first thread suspended */
    /* The program as native_image_open gave it: when set, pages are mapped
     * from its section where possible, and image/size are ignored. */
    const native_file_image_t *file;
} native_spawn_t;

/* Creates a process running image. *thread_out may be NULL. */
long native_spawn_elf(const void *image, size_t size, const native_spawn_t *s, handle_t *proc_out,
                      handle_t *thread_out, const char **why);

/* The value of an auxiliary-vector entry this program started with, or 0. */
uint64_t native_auxv(uint64_t type);

#endif
