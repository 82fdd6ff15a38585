/*
 * File descriptors: per-process tables of references to open file
 * descriptions (shared by dup and fork), and path handling: turning a
 * (dirfd, path) pair from a system call into an absolute path.
 */
#include "psx.h"
#include <stdlib.h>
#include <string.h>

psx_file_t *psx_file_new(const psx_file_ops_t *ops, uint32_t flags)
{
    psx_file_t *f = calloc(1, sizeof(*f));

    if (f) {
        f->refs = 1;
        f->ops = ops;
        f->flags = flags;
    }
    return f;
}

void psx_file_ref(psx_file_t *f)
{
    f->refs++;
}

void psx_file_unref(psx_file_t *f)
{
    if (!f || --f->refs > 0)
        return;
    if (f->ops->close)
        f->ops->close(f);
    free(f->path);
    free(f->data);
    free(f->dirbuf);
    free(f);
}

psx_file_t *psx_fd_get(psx_proc_t *p, long fd)
{
    if (fd < 0 || fd >= PSX_MAX_FDS)
        return NULL;
    return p->fds[fd].file;
}

long psx_fd_limit(const psx_proc_t *p)
{
    uint64_t cur = p->rlimits[L_RLIMIT_NOFILE].cur;

    return cur < PSX_MAX_FDS ? (long)cur : PSX_MAX_FDS;
}

long psx_fd_install(psx_proc_t *p, psx_file_t *f, long min, bool cloexec)
{
    long limit = psx_fd_limit(p);

    if (min < 0)
        return -L_EINVAL;
    for (long fd = min; fd < limit; fd++) {
        if (p->fds[fd].file)
            continue;
        psx_file_ref(f);
        p->fds[fd].file = f;
        p->fds[fd].cloexec = cloexec;
        return fd;
    }
    return -L_EMFILE;
}

long psx_fd_close(psx_proc_t *p, long fd)
{
    psx_file_t *f = psx_fd_get(p, fd);

    if (!f)
        return -L_EBADF;
    p->fds[fd].file = NULL;
    psx_file_unref(f);
    return 0;
}

void psx_fds_copy(psx_proc_t *to, psx_proc_t *from)
{
    for (int fd = 0; fd < PSX_MAX_FDS; fd++) {
        to->fds[fd] = from->fds[fd];
        if (to->fds[fd].file)
            psx_file_ref(to->fds[fd].file);
    }
}

void psx_fds_close_on_exec(psx_proc_t *p)
{
    for (int fd = 0; fd < PSX_MAX_FDS; fd++) {
        if (p->fds[fd].file && p->fds[fd].cloexec)
            psx_fd_close(p, fd);
    }
}

void psx_fds_close_all(psx_proc_t *p)
{
    for (int fd = 0; fd < PSX_MAX_FDS; fd++) {
        if (p->fds[fd].file)
            psx_fd_close(p, fd);
    }
}

/* Joins base and path and removes ".", "" and "x/.." components (lexically,
 * as the file server resolves symbolic links itself). */
static long join(const char *base, const char *path, char *out)
{
    char tmp[PSX_PATH_MAX * 2];
    size_t o = 0;

    if (path[0] == '/')
        strlcpy(tmp, path, sizeof(tmp));
    else
        snprintf(tmp, sizeof(tmp), "%s/%s", base, path);
    out[o++] = '/';
    for (char *p = tmp; *p;) {
        while (*p == '/')
            p++;
        char *end = p;
        while (*end && *end != '/')
            end++;
        size_t len = (size_t)(end - p);
        if (!len)
            break;
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            if (o > 1)
                o--;
            while (o > 1 && out[o - 1] != '/')
                o--;
        } else if (!(len == 1 && p[0] == '.')) {
            if (o + len + 2 >= PSX_PATH_MAX)
                return -L_ENAMETOOLONG;
            memcpy(out + o, p, len);
            o += len;
            out[o++] = '/';
        }
        p = end;
    }
    if (o > 1)
        o--;
    out[o] = 0;
    /* A trailing '/' (or "/.") asks for a directory: keep it. */
    size_t n = strlen(path);
    if (o > 1 && n &&
        (path[n - 1] == '/' || (n >= 2 && path[n - 1] == '.' && path[n - 2] == '/'))) {
        out[o++] = '/';
        out[o] = 0;
    }
    return 0;
}

long psx_path(psx_proc_t *p, long dirfd, uint64_t upath, char *out, bool empty_ok)
{
    char path[PSX_PATH_MAX];
    long n = psx_read_string(p, upath, path, sizeof(path));
    const char *base = p->cwd;

    if (n < 0)
        return n;
    if (n == 0 && !empty_ok)
        return -L_ENOENT;
    if (path[0] != '/' && (int)dirfd != L_AT_FDCWD) {
        psx_file_t *f = psx_fd_get(p, dirfd);
        if (!f)
            return -L_EBADF;
        if (!f->is_dir || !f->path)
            return n == 0 ? 0 : -L_ENOTDIR;
        base = f->path;
    }
    if (n == 0) {
        strlcpy(out, base, PSX_PATH_MAX);
        return 0;
    }
    return join(base, path, out);
}
