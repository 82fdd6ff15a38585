/*
 * The native runtime's allocator. Blocks up to 2 KiB come from eight
 * power-of-two size classes carved out of 64 KiB arenas; larger blocks are
 * mapped on their own and unmapped when freed (a few recent ones of up to
 * 256 KiB are kept for reuse). Every block has a 16-byte
 * header naming its class (or its page count), so free() needs no size and
 * can reject pointers it did not hand out. A spin lock that yields makes it
 * safe for programs with several threads.
 */
#include <native/runtime.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define HEADER      16
#define MIN_SHIFT   4
#define CLASSES     8
#define ARENA_SIZE  (64ul << 10)
#define MAGIC_SMALL 0x5a4d414c4c4f4321ull
#define MAGIC_LARGE 0x4c415247454d4121ull

typedef struct header {
    uint64_t magic;
    uint32_t class_or_pages;
    uint32_t pad;
} header_t;

typedef struct free_block {
    struct free_block *next;
} free_block_t;

static free_block_t *free_lists[CLASSES];
static char *arena_next, *arena_end;
static volatile int lock;

static void acquire(void)
{
    while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
        sys_thread_yield();
}

static void release(void)
{
    __atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}

static int size_class(size_t n)
{
    int c = 0;

    while (((size_t)1 << (c + MIN_SHIFT)) < n + HEADER)
        c++;
    return c;
}

/*
 * Large blocks freed lately stay mapped for the next large malloc they fit
 * (a server's 64 KiB I/O buffer, taken and given back on every call, would
 * otherwise cost a page fault per page each time): at most CACHE_SLOTS
 * blocks of at most CACHE_PAGES pages, a block serving requests of at
 * least half its size.
 */
#define CACHE_SLOTS 4
#define CACHE_PAGES 64
static header_t *cache[CACHE_SLOTS];

static header_t *cache_take(size_t pages)
{
    header_t *h = NULL;

    acquire();
    for (int i = 0; i < CACHE_SLOTS && !h; i++) {
        if (cache[i] && cache[i]->class_or_pages >= pages &&
            cache[i]->class_or_pages <= 2 * pages) {
            h = cache[i];
            cache[i] = NULL;
        }
    }
    release();
    return h;
}

static bool cache_put(header_t *h)
{
    bool kept = false;

    if (h->class_or_pages > CACHE_PAGES)
        return false;
    acquire();
    for (int i = 0; i < CACHE_SLOTS && !kept; i++) {
        if (!cache[i]) {
            cache[i] = h;
            kept = true;
        }
    }
    release();
    return kept;
}

static void *alloc_large(size_t n)
{
    size_t bytes = (n + HEADER + VM_PAGE_SIZE - 1) & ~(VM_PAGE_SIZE - 1);
    uint64_t addr = 0;
    header_t *h;

    if (n > (1ull << 40))
        return NULL;
    h = cache_take(bytes / VM_PAGE_SIZE);
    if (h) {
        h->magic = MAGIC_LARGE;
        return (char *)h + HEADER;
    }
    if (sys_vm_map(HANDLE_SELF_PROCESS, &addr, bytes, PROT_R | PROT_W, 0, 0, 0) < 0)
        return NULL;
    h = (header_t *)addr;
    h->magic = MAGIC_LARGE;
    h->class_or_pages = (uint32_t)(bytes / VM_PAGE_SIZE);
    return (char *)h + HEADER;
}

void *malloc(size_t n)
{
    int c;
    size_t size;
    header_t *h;

    if (n > ((size_t)1 << (CLASSES - 1 + MIN_SHIFT)) - HEADER)
        return alloc_large(n);
    c = size_class(n);
    size = (size_t)1 << (c + MIN_SHIFT);
    acquire();
    if (free_lists[c]) {
        h = (header_t *)free_lists[c];
        free_lists[c] = free_lists[c]->next;
    } else {
        if ((size_t)(arena_end - arena_next) < size) {
            uint64_t addr = 0;
            if (sys_vm_map(HANDLE_SELF_PROCESS, &addr, ARENA_SIZE, PROT_R | PROT_W, 0, 0, 0) < 0) {
                release();
                return NULL;
            }
            arena_next = (char *)addr;
            arena_end = arena_next + ARENA_SIZE;
        }
        h = (header_t *)arena_next;
        arena_next += size;
    }
    release();
    h->magic = MAGIC_SMALL;
    h->class_or_pages = (uint32_t)c;
    return (char *)h + HEADER;
}

void free(void *p)
{
    header_t *h;

    if (!p)
        return;
    h = (header_t *)((char *)p - HEADER);
    if (h->magic == MAGIC_LARGE) {
        h->magic = 0;
        if (!cache_put(h))
            sys_vm_unmap(HANDLE_SELF_PROCESS, (uint64_t)h,
                         (uint64_t)h->class_or_pages * VM_PAGE_SIZE);
        return;
    }
    if (h->magic != MAGIC_SMALL || h->class_or_pages >= CLASSES) {
        printf("free: %p was not allocated by malloc (or was freed twice)\n", p);
        abort();
    }
    h->magic = 0;
    acquire();
    ((free_block_t *)h)->next = free_lists[h->class_or_pages];
    free_lists[h->class_or_pages] = (free_block_t *)h;
    release();
}

void *calloc(size_t count, size_t size)
{
    void *p;

    if (size && count > (size_t)-1 / size)
        return NULL;
    p = malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

static size_t usable_size(void *p)
{
    header_t *h = (header_t *)((char *)p - HEADER);

    if (h->magic == MAGIC_LARGE)
        return (size_t)h->class_or_pages * VM_PAGE_SIZE - HEADER;
    return ((size_t)1 << (h->class_or_pages + MIN_SHIFT)) - HEADER;
}

void *realloc(void *p, size_t n)
{
    void *q;

    if (!p)
        return malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    if (n <= usable_size(p))
        return p;
    q = malloc(n);
    if (q) {
        memcpy(q, p, usable_size(p));
        free(p);
    }
    return q;
}

__attribute__((noreturn)) void abort(void)
{
    native_flush();
    sys_process_exit(134); /* as a shell reports SIGABRT */
}
