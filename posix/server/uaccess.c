/*
 * A POSIX process's memory, read and written through the executive with
 * the server's handle to the process and the process's own protections
 * (a read() into a read-only page fails). A bad address is -EFAULT, as the
 * Linux kernel returns it.
 */
#include "psx.h"

long psx_errno(long st)
{
    switch (st) {
    case ST_OK:
        return 0;
    case ST_BAD_ADDRESS:
        return -L_EFAULT;
    case ST_NOT_FOUND:
        return -L_ENOENT;
    case ST_EXISTS:
        return -L_EEXIST;
    case ST_NOT_DIRECTORY:
        return -L_ENOTDIR;
    case ST_IS_DIRECTORY:
        return -L_EISDIR;
    case ST_NOT_EMPTY:
        return -L_ENOTEMPTY;
    case ST_NAME_TOO_LONG:
        return -L_ENAMETOOLONG;
    case ST_READ_ONLY:
        return -L_EROFS;
    case ST_NO_SPACE:
        return -L_ENOSPC;
    case ST_NO_MEMORY:
    case ST_QUOTA_EXCEEDED:
        return -L_ENOMEM;
    case ST_ACCESS_DENIED:
        return -L_EACCES;
    case ST_INVALID_HANDLE:
        return -L_EBADF;
    case ST_LIMIT:
        return -L_ELOOP;
    case ST_BUSY:
        return -L_EBUSY;
    case ST_NOT_SUPPORTED:
        return -L_EXDEV;
    case ST_TIMEOUT:
        return -L_ETIMEDOUT;
    case ST_INTERRUPTED:
        return -L_EINTR;
    case ST_WOULD_BLOCK:
        return -L_EAGAIN;
    case ST_RANGE:
        return -L_ERANGE;
    case ST_BAD_IMAGE:
        return -L_ENOEXEC;
    case ST_END_OF_FILE:
        return 0;
    case ST_IO_ERROR:
    case ST_PEER_DIED:
        return -L_EIO;
    default:
        return -L_EINVAL;
    }
}

long psx_read(psx_proc_t *p, uint64_t addr, void *buf, size_t len)
{
    long st;

    if (len == 0)
        return 0;
    st = sys_vm_read_user(p->mem, addr, buf, len);
    return st < 0 ? -L_EFAULT : 0;
}

long psx_write(psx_proc_t *p, uint64_t addr, const void *buf, size_t len)
{
    long st;

    if (len == 0)
        return 0;
    st = sys_vm_write_user(p->mem, addr, buf, len);
    return st < 0 ? -L_EFAULT : 0;
}

long psx_read_string(psx_proc_t *p, uint64_t addr, char *buf, size_t max)
{
    size_t done = 0;

    /* In small pieces that stop at page ends, so a string just before an
     * unmapped page is read without touching that page. */
    while (done < max) {
        uint64_t a = addr + done;
        size_t n = 4096 - (a & 4095);
        if (n > 256)
            n = 256;
        if (n > max - done)
            n = max - done;
        if (sys_vm_read_user(p->mem, a, buf + done, n) < 0)
            return -L_EFAULT;
        for (size_t i = 0; i < n; i++) {
            if (!buf[done + i])
                return (long)(done + i);
        }
        done += n;
    }
    return -L_ENAMETOOLONG;
}
