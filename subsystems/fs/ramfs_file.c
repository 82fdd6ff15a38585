/*
 * ramfs file data: read, write and truncate over a sorted array of
 * page-sized chunks.
 *
 * Only pages that were written exist; a missing page is a hole and reads
 * as zeros. Invariant: the bytes of a page past the file size are zero, so
 * growing a file (by truncate, or by writing past its end) exposes zeros
 * without touching the pages. A write first counts, charges and allocates
 * every page it lacks, and only then copies: it happens whole or not at
 * all.
 *
 * Entry points: ramfsp_read(), ramfsp_write(), ramfsp_truncate(),
 * ramfsp_file_free().
 */
#include <stdlib.h>
#include <string.h>

#include "ramfs_priv.h"

/* First position in the page array whose index is not below `index`. */
static size_t page_bound(const ramfs_node_t *f, uint64_t index)
{
    size_t lo = 0, hi = f->u.file.npages;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->u.file.pages[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int ramfsp_read(fs_node_t *node, uint64_t off, void *buf, size_t len, size_t *done)
{
    ramfs_node_t *f = ramfsp_node(node);
    uint8_t *out = buf;

    f->atime = ramfsp_now(ramfsp_fs(f));
    if (off >= f->u.file.size)
        return ST_OK;
    if (len > f->u.file.size - off)
        len = (size_t)(f->u.file.size - off);

    size_t i = page_bound(f, off / RAMFS_PAGE);
    size_t copied = 0;
    while (copied < len) {
        uint64_t pos = off + copied;
        uint64_t index = pos / RAMFS_PAGE;
        size_t in = (size_t)(pos % RAMFS_PAGE);
        size_t chunk = RAMFS_PAGE - in;
        if (chunk > len - copied)
            chunk = len - copied;
        if (i < f->u.file.npages && f->u.file.pages[i].index == index) {
            memcpy(out + copied, f->u.file.pages[i].data + in, chunk);
            i++;
        } else {
            memset(out + copied, 0, chunk);
        }
        copied += chunk;
    }
    *done = len;
    return ST_OK;
}

/*
 * Adds the pages of [first, last] that the file lacks, `missing` of them,
 * keeping the array sorted. The new pages are allocated before the array
 * changes, so a failure leaves the file as it was.
 */
static int add_pages(ramfs_node_t *f, uint64_t first, uint64_t last, size_t missing)
{
    size_t n = f->u.file.npages;

    if (missing > SIZE_MAX / sizeof(uint8_t *) - n)
        return ST_NO_MEMORY;
    uint8_t **fresh = malloc(missing * sizeof(*fresh));
    if (!fresh)
        return ST_NO_MEMORY;
    for (size_t k = 0; k < missing; k++) {
        fresh[k] = calloc(1, RAMFS_PAGE);
        if (!fresh[k]) {
            while (k--)
                free(fresh[k]);
            free(fresh);
            return ST_NO_MEMORY;
        }
    }
    if (n + missing > f->u.file.cap) {
        size_t cap = f->u.file.cap ? f->u.file.cap : 4;
        while (cap < n + missing)
            cap = cap > SIZE_MAX / 2 ? n + missing : cap * 2;
        ramfs_page_t *p = NULL;
        if (cap <= SIZE_MAX / sizeof(ramfs_page_t))
            p = realloc(f->u.file.pages, cap * sizeof(ramfs_page_t));
        if (!p) {
            for (size_t k = 0; k < missing; k++)
                free(fresh[k]);
            free(fresh);
            return ST_NO_MEMORY;
        }
        f->u.file.pages = p;
        f->u.file.cap = cap;
    }

    /* Merge from the back: existing pages above each index move up, and
     * every index of [first, last] without a page gets a fresh one. */
    ramfs_page_t *pages = f->u.file.pages;
    size_t w = n + missing, r = n, m = missing;
    for (uint64_t index = last + 1; index-- > first && m > 0;) {
        while (r > 0 && pages[r - 1].index > index)
            pages[--w] = pages[--r];
        if (r > 0 && pages[r - 1].index == index)
            pages[--w] = pages[--r];
        else
            pages[--w] = (ramfs_page_t){.index = index, .data = fresh[--m]};
    }
    free(fresh);
    f->u.file.npages = n + missing;
    return ST_OK;
}

int ramfsp_write(fs_node_t *node, uint64_t off, const void *buf, size_t len, size_t *done)
{
    ramfs_node_t *f = ramfsp_node(node);
    ramfs_t *rfs = ramfsp_fs(f);
    const uint8_t *in = buf;
    uint64_t end = off + len; /* fs_write() keeps it within FS_FILE_MAX */
    uint64_t first = off / RAMFS_PAGE, last = (end - 1) / RAMFS_PAGE;

    size_t i = page_bound(f, first), present = 0;
    for (size_t j = i; j < f->u.file.npages && f->u.file.pages[j].index <= last; j++)
        present++;
    uint64_t missing = last - first + 1 - present;
    if (missing) {
        /* missing <= FS_FILE_MAX / RAMFS_PAGE: the product cannot wrap. */
        int rc = ramfsp_charge(rfs, missing * RAMFS_PAGE);
        if (rc != ST_OK)
            return rc;
        rc = missing > SIZE_MAX ? ST_NO_MEMORY : add_pages(f, first, last, (size_t)missing);
        if (rc != ST_OK) {
            ramfsp_uncharge(rfs, missing * RAMFS_PAGE);
            return rc;
        }
        i = page_bound(f, first);
    }

    size_t copied = 0;
    while (copied < len) {
        uint64_t pos = off + copied;
        size_t at = (size_t)(pos % RAMFS_PAGE);
        size_t chunk = RAMFS_PAGE - at;
        if (chunk > len - copied)
            chunk = len - copied;
        memcpy(f->u.file.pages[i].data + at, in + copied, chunk);
        i++;
        copied += chunk;
    }
    if (end > f->u.file.size)
        f->u.file.size = end;
    ramfsp_touch(f, ramfsp_now(rfs));
    *done = len;
    return ST_OK;
}

int ramfsp_truncate(fs_node_t *node, uint64_t size)
{
    ramfs_node_t *f = ramfsp_node(node);
    ramfs_t *rfs = ramfsp_fs(f);

    if (size < f->u.file.size) {
        /* Pages wholly past the new end go; the one holding it is zeroed
         * beyond it to keep the invariant. */
        uint64_t keep = (size + RAMFS_PAGE - 1) / RAMFS_PAGE;
        size_t i = page_bound(f, keep);
        for (size_t j = i; j < f->u.file.npages; j++)
            free(f->u.file.pages[j].data);
        ramfsp_uncharge(rfs, (uint64_t)(f->u.file.npages - i) * RAMFS_PAGE);
        f->u.file.npages = i;
        size_t tail = (size_t)(size % RAMFS_PAGE);
        if (tail && i > 0 && f->u.file.pages[i - 1].index == size / RAMFS_PAGE)
            memset(f->u.file.pages[i - 1].data + tail, 0, RAMFS_PAGE - tail);
        if (f->u.file.npages == 0) {
            free(f->u.file.pages);
            f->u.file.pages = NULL;
            f->u.file.cap = 0;
        }
    }
    f->u.file.size = size;
    ramfsp_touch(f, ramfsp_now(rfs));
    return ST_OK;
}

void ramfsp_file_free(ramfs_t *rfs, ramfs_node_t *f)
{
    for (size_t j = 0; j < f->u.file.npages; j++)
        free(f->u.file.pages[j].data);
    ramfsp_uncharge(rfs, (uint64_t)f->u.file.npages * RAMFS_PAGE);
    free(f->u.file.pages);
    f->u.file.pages = NULL;
    f->u.file.npages = f->u.file.cap = 0;
}
