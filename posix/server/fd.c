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

bool psx_made_up_path(const char *path)
{
    return !strncmp(path, "/proc", 5)  ? !path[5] || path[5] == '/'
           : !strncmp(path, "/dev", 4) ? !path[4] || path[4] == '/'
                                       : false;
}

/*
 * Takes the ".." components out of an absolute path without empty or "."
 * ones, as the file server would resolve them: the name before a ".."
 * must be a directory (ENOTDIR, ENOENT otherwise), and a symbolic link
 * there is replaced by its target first, so "link/.." is the parent of the
 * target. Only that name needs a look: the parent of a directory, however
 * it was reached, is what the path names without it.
 */
static long resolve_dotdots(char *path)
{
    /* Made-up trees (dev.c): their few links are resolved lexically. */
    char *out = malloc(PSX_PATH_MAX), *rest = malloc(PSX_PATH_MAX), *link = malloc(PSX_PATH_MAX);
    size_t o = 0, pos = 0;
    unsigned links = 0;
    long st = 0;

    if (!out || !rest || !link) {
        st = -L_ENOMEM;
        goto done;
    }
    strlcpy(rest, path, PSX_PATH_MAX);
    out[0] = 0; /* "" stands for "/" */
    for (;;) {
        while (rest[pos] == '/')
            pos++;
        if (!rest[pos])
            break;
        size_t start = pos, len;
        while (rest[pos] && rest[pos] != '/')
            pos++;
        len = pos - start;
        if (len == 1 && rest[start] == '.')
            continue;
        if (len != 2 || rest[start] != '.' || rest[start + 1] != '.') {
            if (o + len + 1 >= PSX_PATH_MAX) {
                st = -L_ENAMETOOLONG;
                goto done;
            }
            out[o++] = '/';
            memcpy(out + o, rest + start, len);
            out[o += len] = 0;
            continue;
        }
        if (!o)
            continue; /* the root is its own parent */
        pfs_attr_t a = {.mode = PFS_S_IFDIR};
        if (!psx_made_up_path(out) && (st = file_lstat(out, &a)) < 0) {
            st = psx_errno(st);
            goto done;
        }
        if ((a.mode & PFS_S_IFMT) == PFS_S_IFLNK) {
            long n = file_readlink(out, link, PSX_PATH_MAX - 1);
            if (n <= 0 || ++links > 40) {
                st = n < 0 ? psx_errno(n) : n == 0 ? -L_ENOENT : -L_ELOOP;
                goto done;
            }
            link[n] = 0;
            /* The target, then this ".." and what follows, walked afresh
             * from the link's directory (or the root). */
            if (strlen(link) + 1 + strlen(rest + start) >= PSX_PATH_MAX) {
                st = -L_ENAMETOOLONG;
                goto done;
            }
            memmove(rest + strlen(link) + 1, rest + start, strlen(rest + start) + 1);
            memcpy(rest, link, strlen(link));
            rest[strlen(link)] = '/';
            pos = 0;
            if (link[0] == '/')
                o = 0;
        } else if ((a.mode & PFS_S_IFMT) != PFS_S_IFDIR) {
            st = -L_ENOTDIR;
            goto done;
        }
        while (o && out[o - 1] != '/')
            o--;
        if (o)
            o--;
        out[o] = 0;
        st = 0;
    }
    strlcpy(path, o ? out : "/", PSX_PATH_MAX);
done:
    free(out);
    free(rest);
    free(link);
    return st;
}

/* Joins base and path without empty and "." components; ".." components
 * are resolved by resolve_dotdots(). */
static long join(const char *base, const char *path, char *out)
{
    char tmp[PSX_PATH_MAX * 2];
    size_t o = 0;
    bool dotdot = false;

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
        if (!(len == 1 && p[0] == '.')) {
            if (o + len + 2 >= PSX_PATH_MAX)
                return -L_ENAMETOOLONG;
            dotdot |= len == 2 && p[0] == '.' && p[1] == '.';
            memcpy(out + o, p, len);
            o += len;
            out[o++] = '/';
        }
        p = end;
    }
    if (o > 1)
        o--;
    out[o] = 0;
    if (dotdot) {
        long st = resolve_dotdots(out);
        if (st < 0)
            return st;
        o = strlen(out);
    }
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
