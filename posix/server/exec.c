/*
 * execve: replaces a POSIX process's program, keeping its pid, open files
 * (except close-on-exec ones), current directory and ignored signals. The
 * new image is read through the file server and loaded by the native
 * runtime's loader into the emptied address space; "#!" scripts run their
 * interpreter. Everything that can fail is checked before the old image
 * is destroyed, so a failing execve returns to the caller.
 */
#include "psx.h"
#include <loader/elf64.h>
#include <native/spawn.h>
#include <stdlib.h>
#include <string.h>

#define USER_START 0x1000ull
#define USER_END   0x00007FFFFFFFF000ull

void psx_set_cmdline(psx_proc_t *p, char *const *argv);

/* "#!interp [arg]" -> a new argv, or NULL if image is no script. */
static char **script_argv(const char *image, size_t size, const char *path, char **argv,
                          char *interp, size_t isize)
{
    size_t n = 0, argc = 0;
    char line[256], *arg = NULL;

    if (size < 2 || image[0] != '#' || image[1] != '!')
        return NULL;
    while (n < sizeof(line) - 1 && n + 2 < size && image[n + 2] != '\n') {
        line[n] = image[n + 2];
        n++;
    }
    line[n] = 0;
    char *s = line;
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s;
    while (*e && *e != ' ' && *e != '\t')
        e++;
    if (*e) {
        *e++ = 0;
        while (*e == ' ' || *e == '\t')
            e++;
        if (*e)
            arg = e;
    }
    if (!*s)
        return NULL;
    strlcpy(interp, s, isize);
    while (argv && argv[argc])
        argc++;
    char **nv = calloc(argc + 4, sizeof(char *));
    if (!nv)
        return NULL;
    size_t k = 0;
    nv[k++] = strdup(interp);
    if (arg)
        nv[k++] = strdup(arg);
    nv[k++] = strdup(path);
    for (size_t i = 1; i < argc; i++)
        nv[k++] = argv[i];
    return nv;
}

static long read_image(const char *path, native_file_image_t *img)
{
    long st = native_image_open(path, img);

    if (st == ST_IS_DIRECTORY)
        return -L_EACCES;
    if (st < 0)
        return psx_errno(st);
    if (!(img->mode & 0111)) {
        native_image_close(img);
        return -L_EACCES;
    }
    return 0;
}

static const uint8_t initial_fpu[512] = {[0] = 0x7f, [1] = 0x03, [24] = 0x80, [25] = 0x1f};

long psx_exec(psx_thread_t *t, const char *path_in, char **argv, char **envp)
{
    psx_proc_t *p = t->proc;
    char path[PSX_PATH_MAX], interp[256];
    native_file_image_t fi;
    const char *why = "";
    char **sargv = NULL;
    long st;

    strlcpy(path, path_in, sizeof(path));
    st = read_image(path, &fi);
    if (st < 0)
        return st;
    for (int depth = 0; depth < 4; depth++) {
        char **nv =
            script_argv(fi.data, fi.size, path, sargv ? sargv : argv, interp, sizeof(interp));
        if (!nv)
            break;
        native_image_close(&fi);
        sargv = nv;
        strlcpy(path, interp, sizeof(path));
        st = read_image(path, &fi);
        if (st < 0)
            return st;
    }
    if (sargv)
        argv = sargv;

    ldr_elf_info_t *info = malloc(sizeof(*info));
    if (!info || ldr_elf_parse(fi.data, fi.size, info, &why) != LDR_OK) {
        printf("posix: %s: not an executable: %s\n", path, info ? why : "out of memory");
        free(info);
        native_image_close(&fi);
        return -L_ENOEXEC;
    }
    if (info->has_interp) {
        printf("posix: %s: dynamically linked programs are not supported yet (interpreter %s)\n",
               path, info->interp);
        free(info);
        native_image_close(&fi);
        return -L_ENOEXEC;
    }
    free(info);

    /* The point of no return: the old image goes. A process on a borrowed
     * thread leaves the lender's memory alone and moves into its own
     * process, on a new thread; the borrowed one ends without a reply. */
    for (psx_thread_t *o = p->threads; o; o = o->next) {
        if (o != t && !o->exiting) {
            o->exiting = true;
            sys_thread_terminate(o->th, 0);
        }
    }
    bool moved = false;
    if (p->lender) {
        handle_t th;
        st = sys_thread_create(p->proc, 0x1000, 0x1000, 0, THREAD_CREATE_SUSPENDED, &th);
        if (st < 0) {
            native_image_close(&fi);
            return -L_EAGAIN;
        }
        sys_thread_terminate(t->th, 0);
        psx_thread_rebind(t, th);
        sys_handle_close(p->mem);
        p->mem = p->proc;
        p->mem_id = p->pid;
        p->lender = NULL;
        t->call.token = 0;
        moved = true;
    } else {
        sys_vm_unmap(p->proc, USER_START, USER_END - USER_START);
    }
    t->tid = p->pid; /* whichever thread execs becomes the main thread */
    psx_publish_ids(p);
    native_image_t img;
    uint64_t sp;
    st = native_image_load(p->proc, &fi, &img, &why);
    if (st == ST_OK)
        st = native_build_stack(p->proc, &img, (const char *const *)argv, (const char *const *)envp,
                                NULL, 0, &sp);
    native_image_close(&fi);
    if (st < 0) {
        printf("posix: %s: exec failed after the old image was gone: %s\n", path, why);
        psx_proc_exited(p, L_SIGSEGV);
        return PSX_DEFER;
    }
    thread_context_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.rip = img.entry;
    ctx.rsp = sp;
    ctx.rflags = 0x202;
    sys_thread_set_context(t->th, &ctx);
    sys_thread_set_fpu(t->th, initial_fpu);
    if (moved)
        sys_thread_resume(t->th);

    p->brk_start = p->brk_end = (img.brk + 4095) & ~4095ull;
    p->mmap_hint = 0;
    psx_vma_drop_all(p);
    psx_fds_close_on_exec(p);
    for (int s = 1; s <= L_NSIG; s++) {
        if (p->actions[s].handler != L_SIG_IGN)
            memset(&p->actions[s], 0, sizeof(p->actions[s]));
    }
    t->altstack.flags = L_SS_DISABLE;
    t->clear_child_tid = 0;
    strlcpy(p->exe, path, sizeof(p->exe));
    strlcpy(p->comm, strrchr(path, '/') ? strrchr(path, '/') + 1 : path, sizeof(p->comm));
    psx_set_cmdline(p, argv);
    p->execed = true;
    if (p->vfork_parent) {
        psx_thread_t *pt = p->vfork_parent;
        p->vfork_parent = NULL;
        psx_complete(pt, (long)p->pid);
    }
    if (sargv) {
        free(sargv[0]);
        if (sargv[1] && sargv[2] && !strcmp(sargv[2], path_in))
            free(sargv[1]);
        free(sargv);
    }
    return moved ? PSX_DEFER : 0; /* a moved thread has no call to answer */
}
